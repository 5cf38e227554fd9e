"""The figures of ``rs.report``: who is shown, in which colour, and how each figure becomes inline SVG.

- **Who.** The ``top`` people with the most messages are shown one by one; everyone else is
  pooled as one "others" group (their messages are aggregated together, after reply
  latencies and sessions were computed on the real senders). Every figure and table of the
  report uses the same mapping and the same colours (grey for "others").
- **Crowding.** With more than three people shown, per-person timelines and latency plots
  become small multiples (one panel per person, shared axes) instead of one crowded axes.
- **SVG.** Figures are drawn by the public ``plot_*`` functions and written as SVG with text
  as paths (identical in every browser), ids prefixed per figure (several SVGs share one
  page), and a ``<title>`` on every point, bar or calendar day that the plot function
  annotated (the value and the n it rests on), which browsers show on hover. Legends are
  inside the SVG's box (constrained layout plus a tight bounding box). Each figure is drawn
  once (``_draw_once``: the layout and the crop are measured without a draw of their own).
"""

from __future__ import annotations

import io
import logging
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

# who is shown and how the others are pooled lives in plotting (plot_dashboard uses it too)
from .plotting import _CROWDED as CROWDED  # noqa: F401
from .plotting import _TOP_PEOPLE as TOP_PEOPLE  # noqa: F401
from .plotting import _aggregate_by_sender as aggregate  # noqa: F401
from .plotting import _choose_people as choose_people  # noqa: F401
from .plotting import _People as People
from .plotting import _relabel as relabel  # noqa: F401

__all__: list[str] = []  # private module

logger = logging.getLogger(__name__)

FIG_WIDTH = 7.5  # inches; the page scales the SVG to its column (at most ~950 px)
PANEL_HEIGHT = 1.9  # inches per row of small multiples (an axes >= 150 px at 1280 px)
SINGLE_HEIGHT = 3.4
_PAD = 0.06  # inches of white around the ink of a figure

_SVG = "http://www.w3.org/2000/svg"
_XLINK = "http://www.w3.org/1999/xlink"
ET.register_namespace("", _SVG)
ET.register_namespace("xlink", _XLINK)

_RC: dict[str, Any] = {
    "svg.fonttype": "path",
    "svg.hashsalt": "reconnect-signals",
    "svg.image_inline": True,
    "font.size": 9.0,
    "axes.titlesize": 10.0,
    "legend.fontsize": 8.5,
}


# --------------------------------------------------------------------------- who is shown


def auto_freq(msgs: pd.DataFrame) -> str:
    """Days for a chat shorter than ~2 months, weeks up to ~2 years, months beyond."""
    ts = msgs["timestamp"].dropna()
    if not len(ts):
        return "W"
    days = (ts.max() - ts.min()) / pd.Timedelta(days=1)
    if days < 60:
        return "D"
    if days < 730:
        return "W"
    return "MS"


# --------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class FigureSpec:
    title: str
    caption: str
    make: Callable[[], object]  # -> matplotlib Figure


def new_figure(height: float = SINGLE_HEIGHT):
    from matplotlib.figure import Figure

    return Figure(figsize=(FIG_WIDTH, height), layout="constrained")


def single(draw: Callable, height: float = SINGLE_HEIGHT) -> Callable[[], object]:
    def make():
        fig = new_figure(height)
        draw(fig.add_subplot())
        return fig

    return make


def small_multiples(
    people: Sequence[str],
    palette: dict[str, str],
    draw_one: Callable,
    *,
    legend: Sequence[tuple[str, dict]] = (),
    ncols: int = 2,
    sharey: bool = True,
) -> Callable[[], object]:
    """One panel per person (shared axes), the person's name as the panel title in their colour.

    ``draw_one(ax, person)`` draws one panel; ``legend`` is a list of (label, Line2D
    keywords) for one figure-level legend above the panels (e.g. the line styles of cues).
    """

    def make():
        from matplotlib.lines import Line2D

        n = len(people)
        cols = 1 if n == 1 else ncols
        rows = math.ceil(n / cols)
        fig = new_figure(0.5 + PANEL_HEIGHT * rows + (0.3 if legend else 0.0))
        axes = np.atleast_1d(fig.subplots(rows, cols, sharex=True, sharey=sharey, squeeze=False).ravel())
        heading = ylabel = ""
        for i, (ax, person) in enumerate(zip(axes, people, strict=False)):
            draw_one(ax, person)
            heading = heading or ax.get_title()
            ax.set_title("")
            ax.set_title(person, color=palette.get(person, "#333333"), loc="left", fontweight="bold", fontsize="medium")
            ylabel = ylabel or ax.get_ylabel()
            ax.set_ylabel("")  # one label for the figure: long labels do not fit a small panel
            if i < n - cols:
                ax.set_xlabel("")
        for ax in axes[n:]:
            ax.set_visible(False)
            ax.set_gid("unused")
        if heading:
            fig.suptitle(heading)
        if ylabel:
            fig.supylabel(ylabel, fontsize="medium")
        if legend:
            handles = [Line2D([], [], label=lab, **kw) for lab, kw in legend]
            fig.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 4), frameon=False)
        return fig

    return make


# --------------------------------------------------------------------------- SVG


def _tag(el: ET.Element) -> str:
    return el.tag.rsplit("}", 1)[-1]


def to_svg(fig, prefix: str, label: str, glyphs: set[str] | None = None) -> str:
    """The figure as an inline ``<svg>`` element: ids prefixed, a ``<title>`` per annotated point.

    ``glyphs`` collects the ids of the font glyphs already defined by earlier figures of the
    same page: a glyph is defined once per page (``<use>`` may point into another inline SVG
    of the same document), which makes a report about a third smaller.
    """
    tips: dict[str, list[str]] = {}
    k = 0
    for i, ax in enumerate(fig.axes):
        if not ax.get_visible() or hasattr(ax, "_colorbar"):
            continue
        ax.patch.set_gid(f"{prefix}axes{i}")  # the browser tests measure these boxes
        leg = ax.get_legend()
        if leg is not None:
            leg.set_gid(f"{prefix}legend{i}")
        for artist in [*ax.lines, *ax.collections, *ax.patches]:
            t = getattr(artist, "_rs_tips", None)
            if t:
                gid = f"{prefix}t{k}"
                artist.set_gid(gid)
                tips[gid] = t
                k += 1
    for j, leg in enumerate(fig.legends):
        leg.set_gid(f"{prefix}figlegend{j}")
    root = ET.fromstring(_draw_once(fig))
    _add_titles(root, tips)
    _share_glyphs(root, glyphs)
    _prefix_ids(root, prefix)
    for attr in ("width", "height"):
        root.attrib.pop(attr, None)
    root.set("role", "img")
    root.set("aria-label", label)
    root.set("class", "chart")
    for meta in [el for el in root if _tag(el) == "metadata"]:
        root.remove(meta)
    text = ET.tostring(root, encoding="unicode")
    # inside HTML the parser puts <svg> in the SVG namespace by itself: no namespace URLs in the page,
    # and SVG 2 ``href`` instead of ``xlink:href``
    text = text.replace(f' xmlns="{_SVG}"', "").replace(f' xmlns:xlink="{_XLINK}"', "")
    return text.replace("xlink:href=", "href=")


def _draw_once(fig) -> str:
    """The figure as SVG text, cropped to its ink plus ``_PAD``, drawn once.

    ``savefig(bbox_inches="tight")`` on a constrained-layout figure draws it twice: a draw
    without output that runs the layout (and measures the crop), then the draw that writes
    the SVG. Here the layout engine runs by itself (it measures only the artists' extents,
    as the measuring draw does, with the same SVG renderer at 72 dpi), the crop is measured
    once, and the figure is saved with the layout engine switched off and an explicit crop,
    which makes ``savefig`` skip its measuring draw. The SVG is the same as before.
    """
    import matplotlib

    engine = fig.get_layout_engine()
    # "savefig.format": fig._get_renderer() (used by the layout engine and get_tightbbox) then
    # makes the SVG renderer, as the measuring draw of savefig did; without a layout rc,
    # set_layout_engine(None) removes the engine (with "none" a placeholder would stay, and
    # savefig would draw twice again)
    rc = {**_RC, "savefig.format": "svg", "figure.autolayout": False, "figure.constrained_layout.use": False}
    buf = io.StringIO()
    with matplotlib.rc_context(rc):  # type: ignore[arg-type]  # stubs: literal rc keys only
        try:
            if engine is not None:
                engine.execute(fig)
                fig.set_layout_engine(None)
            crop = fig.get_tightbbox().padded(_PAD)
            fig.savefig(
                buf,
                format="svg",
                bbox_inches=crop,
                metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
            )
        finally:
            if engine is not None:
                fig.set_layout_engine(engine)
    return buf.getvalue()


def _add_titles(root: ET.Element, tips: dict[str, list[str]]) -> None:
    parents = {child: parent for parent in root.iter() for child in parent}
    for el in root.iter():
        gid = el.get("id")
        if gid not in tips:
            continue
        leaves = [
            d
            for d in el.iter()
            if _tag(d) in ("use", "path") and not any(_tag(a) == "defs" for a in _ancestors(d, parents))
        ]
        texts = tips[gid]
        if len(leaves) != len(texts):
            # a line with markers: the path is the line itself, the markers are <use> elements
            uses = [d for d in leaves if _tag(d) == "use"]
            if len(uses) == len(texts):
                leaves = uses
        if len(leaves) == len(texts):
            for leaf, text in zip(leaves, texts, strict=True):
                holder = parents[leaf]
                idx = list(holder).index(leaf)
                wrap = ET.Element(f"{{{_SVG}}}g")
                title = ET.SubElement(wrap, f"{{{_SVG}}}title")
                title.text = text
                holder.remove(leaf)
                wrap.append(leaf)
                holder.insert(idx, wrap)
                parents[leaf] = wrap
        elif texts:
            logger.debug(
                "report: %d hover texts for %d shapes in %s; one title for the group", len(texts), len(leaves), gid
            )
            title = ET.Element(f"{{{_SVG}}}title")
            title.text = texts[0] if len(texts) == 1 else f"{texts[0]} ... ({len(texts)} points)"
            el.insert(0, title)


def _ancestors(el, parents):
    while el in parents:
        el = parents[el]
        yield el


_REF = re.compile(r"url\(#([^)]+)\)")
_LONG_DECIMALS = re.compile(r"(\d\.\d{2})\d+")  # hundredths of a point are finer than any screen
_GEOMETRY = frozenset({"d", "x", "y", "width", "height", "transform", "viewBox", "points", "x1", "x2", "y1", "y2"})


_GLYPH = re.compile(r"^[A-Za-z]+(?:-[A-Za-z]+)*-[0-9a-f]+$")  # matplotlib's glyph ids, e.g. DejaVuSans-30


def _share_glyphs(root: ET.Element, glyphs: set[str] | None) -> None:
    """Drop glyph definitions an earlier figure of the page already made (ids are the glyph's name)."""
    if glyphs is None:
        return
    parents = {child: parent for parent in root.iter() for child in parent}
    for el in list(root.iter()):
        gid = el.get("id", "")
        if _tag(el) == "path" and _GLYPH.match(gid) and parents.get(el) is not None and _tag(parents[el]) == "defs":
            if gid in glyphs:
                parents[el].remove(el)
            else:
                glyphs.add(gid)


def _prefix_ids(root: ET.Element, prefix: str) -> None:
    href = f"{{{_XLINK}}}href"
    for el in root.iter():
        gid = el.attrib.get("id", "")
        if _GLYPH.match(gid):
            continue  # glyphs are shared by the page's figures (same font, same shape)
        if value := el.attrib.get(href):
            if _GLYPH.match(value.lstrip("#")):
                continue
        if "id" in el.attrib and not el.attrib["id"].startswith(prefix):
            el.set("id", prefix + el.attrib["id"])
        for key, value in list(el.attrib.items()):
            if key in _GEOMETRY:
                value = _LONG_DECIMALS.sub(r"\1", value)
                el.set(key, value)
            if key == href and value.startswith("#"):
                el.set(key, "#" + prefix + value[1:])
            elif "url(#" in value:
                el.set(key, _REF.sub(lambda m: f"url(#{prefix}{m.group(1)})", value))
        if _tag(el) == "style" and el.text and "url(#" in el.text:  # pragma: no cover - matplotlib uses attributes
            el.text = _REF.sub(lambda m: f"url(#{prefix}{m.group(1)})", el.text)


# --------------------------------------------------------------------------- thin data


def thin_windows(table: pd.DataFrame | None, min_n: int, window_word: str) -> list[str]:
    """One line per person: how many windows hold fewer than ``min_n`` messages (but some)."""
    if table is None or not len(table) or "messages" not in table.columns or "window" not in table.columns:
        return []
    out = []
    n = pd.to_numeric(table["messages"], errors="coerce").fillna(0)
    for person, grp in table.assign(_n=n).groupby("sender", sort=False):
        active = grp.loc[grp["_n"] > 0]
        thin = active.loc[active["_n"] < min_n]
        if len(thin):
            plural = window_word if len(active) == 1 else f"{window_word}s"
            out.append(
                f"{person}: {len(thin)} of {len(active)} {plural} with messages have fewer than {min_n} "
                f"(drawn as hollow points; treat them as anecdotes)"
            )
    return out


# --------------------------------------------------------------------------- the report's figures

_CUE_STYLES = ("-", "--", ":", "-.")


def _cue_label(cue: str) -> str:
    from .plotting import _CUES

    return _CUES.get(cue, (cue, ""))[0]


def _timeline(fast, people: People, cues: tuple[str, ...], min_n: int, freq: str) -> Callable[[], object]:
    from .plotting import plot_cue_timeline

    if not people.crowded:
        return single(
            lambda ax: plot_cue_timeline(fast, cues=cues, palette=people.palette, min_n=min_n, freq=freq, ax=ax)
        )

    def one(ax, person):
        plot_cue_timeline(
            fast.loc[fast["sender"].eq(person).to_numpy()],
            cues=cues,
            palette=people.palette,
            min_n=min_n,
            freq=freq,
            legend=False,
            ax=ax,
        )

    legend = [(_cue_label(c), {"color": "#444444", "linestyle": _CUE_STYLES[i % 4]}) for i, c in enumerate(cues)]
    legend.append(
        (
            f"fewer than {min_n:d} messages",
            {"color": "#444444", "marker": "o", "markerfacecolor": "white", "linestyle": "none"},
        )
    )
    return small_multiples(people.order, people.palette, one, legend=legend)


def figure_specs(msgs, per, fast, slow, style, people: People, freq: str, min_n: int) -> list[FigureSpec]:
    """The report's figures, in order; ``per``/``fast``/``slow`` already carry the display labels."""
    from .plotting import (
        _freq_word,
        plot_activity_heatmap,
        plot_balance,
        plot_calendar,
        plot_initiation,
        plot_latency,
        plot_latency_trend,
        plot_style_matching,
    )

    fq = _freq_word(freq)
    hollow = f" Hollow points are {fq}s with fewer than {min_n} messages (thin data)."
    split = " One panel per person." if people.crowded else ""
    pal = people.palette

    if people.crowded:

        def latency(ax, person):
            plot_latency(per.loc[per["sender"].eq(person).to_numpy()], palette=pal, ax=ax)

        latency_make = small_multiples(people.order, pal, latency, sharey=False)

        def trend(ax, person):
            plot_latency_trend(
                fast.loc[fast["sender"].eq(person).to_numpy()], palette=pal, min_n=min_n, legend=False, freq=freq, ax=ax
            )

        trend_make = small_multiples(people.order, pal, trend)
    else:
        latency_make = single(lambda ax: plot_latency(per, palette=pal, ax=ax))
        trend_make = single(lambda ax: plot_latency_trend(fast, palette=pal, min_n=min_n, freq=freq, ax=ax))

    return [
        FigureSpec(
            "Pronoun rates",
            f"Share of words that are 'I', 'we' and 'you' words, per person and {fq}. "
            f"Gaps are {fq}s without messages.{hollow}{split}",
            _timeline(fast, people, ("i_rate", "we_rate", "you_rate"), min_n, freq),
        ),
        FigureSpec(
            "I-statements and questions",
            f"Share of a person's messages that are I-statements or questions.{hollow}{split}",
            _timeline(fast, people, ("i_statement_rate", "question_rate"), min_n, freq),
        ),
        FigureSpec(
            "Sentiment",
            f"Mean VADER compound score of each person's messages per {fq} (-1 to +1).{hollow}{split}",
            _timeline(fast, people, ("sentiment_mean",), min_n, freq),
        ),
        FigureSpec(
            "Reply latency",
            "How long each person took to reply (log scale); dashed lines are medians." + split,
            latency_make,
        ),
        FigureSpec("Reply latency over time", f"Median reply latency per {fq} (log scale).{hollow}{split}", trend_make),
        FigureSpec(
            "When the chat happens",
            "Messages by weekday and hour, in the chat's time zone.",
            single(lambda ax: plot_activity_heatmap(msgs, ax=ax), height=3.0),
        ),
        FigureSpec(
            "Messages per day",
            "One square per day (weeks are columns); grey days have no messages. Hover a day for its count.",
            single(lambda ax: plot_calendar(msgs, ax=ax), height=2.4),
        ),
        FigureSpec(
            "Who starts the conversation",
            "Each person's share of the sessions opened per month.",
            single(lambda ax: plot_initiation(slow, palette=pal, ax=ax)),
        ),
        FigureSpec(
            "Message balance",
            f"Each person's share of the messages per {fq}; the dotted line is an even split between two people.",
            single(lambda ax: plot_balance(fast, palette=pal, freq=freq, ax=ax)),
        ),
        FigureSpec(
            "Language style matching",
            "Function-word similarity of the two people with the most "
            "messages, per month; the band is the typical range.",
            single(lambda ax: plot_style_matching(style, ax=ax)),
        ),
    ]
