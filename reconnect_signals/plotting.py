"""Plots of the cues, in the style of seaborn's axes-level functions.

Every ``plot_*`` function takes the data first, draws on ``ax`` (the current Axes when
not given), returns that Axes and changes no global state: no ``plt.show()``, no
rcParams. Pass a message frame (the tables are computed for you with
:func:`reconnect_signals.cue_table`, :func:`reconnect_signals.add_structure` or
:func:`reconnect_signals.style_matching`) or the matching table you already have, so a
figure costs one computation.

Colours: each sender keeps one colour in every figure (:func:`sender_palette` assigns
colour-blind-safe Okabe-Ito colours to the sorted sender names); pass ``palette=`` to
choose your own.

The figures describe a conversation; they do not diagnose a relationship. The research
behind the cues reports small effects (see the definitions in the HTML report).

Examples
--------
>>> import pandas as pd
>>> import reconnect_signals as rs
>>> table = pd.DataFrame({
...     "sender": ["A", "A", "B", "B"],
...     "window": pd.to_datetime(["2025-01-06", "2025-01-13"] * 2).tz_localize("UTC"),
...     "we_rate": [1.0, 2.0, 0.5, 1.5],
... })
>>> import matplotlib.pyplot as plt
>>> fig, ax = plt.subplots()
>>> ax = rs.plot_cue_timeline(table, cues=["we_rate"], ax=ax)
>>> len(ax.lines)
2
>>> ax.get_ylabel()
'% of words'
>>> plt.close(fig)
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .cues._catalogue import CATALOGUE, UNITS

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "sender_palette",
    "plot_cue_timeline",
    "plot_latency",
    "plot_latency_trend",
    "plot_activity_heatmap",
    "plot_initiation",
    "plot_balance",
    "plot_style_matching",
    "plot_dashboard",
    "plot_trend",
    "plot_calendar",
]

logger = logging.getLogger(__name__)

#: Okabe-Ito colours (colour-blind safe; yellow left out, it is unreadable on white).
OKABE_ITO: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#999999",  # grey
)

#: More colours after the Okabe-Ito ones (Paul Tol's muted and bright schemes), so that up to
#: 17 people never share a colour; grey is kept for "others" (see :func:`sender_palette`).
_EXTRA_COLOURS: tuple[str, ...] = (
    "#882255",  # wine
    "#44AA99",  # teal
    "#117733",  # green
    "#332288",  # indigo
    "#AA4499",  # purple
    "#88CCEE",  # cyan
    "#999933",  # olive
    "#661100",  # brown
    "#6699CC",  # steel blue
    "#DDCC77",  # sand
)

#: Colour of the "others" group (everyone beyond the top N people).
OTHERS_COLOUR = "#999999"

_PERSON_COLOURS: tuple[str, ...] = tuple(c for c in OKABE_ITO if c != OTHERS_COLOUR) + _EXTRA_COLOURS

#: Windows with fewer messages than this are drawn hollow (thin data), unless ``min_n=`` says otherwise.
MIN_N = 5

_LINESTYLES = ("-", "--", ":", "-.")

# cue column -> (label, unit) and unit -> (display scale, axis label), from the cue catalogue
_CUES: dict[str, tuple[str, str]] = {c: (spec.label, spec.unit) for c, spec in CATALOGUE.items()}
_UNITS: dict[str, tuple[float, str]] = UNITS

_FREQ_WORDS = {
    "D": "day",
    "W": "week",
    "MS": "month",
    "M": "month",
    "ME": "month",
    "QS": "quarter",
    "YS": "year",
}

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

_DURATION_TICKS = (
    (1, "1 s"),
    (10, "10 s"),
    (60, "1 min"),
    (600, "10 min"),
    (3600, "1 h"),
    (6 * 3600, "6 h"),
    (86400, "1 day"),
    (7 * 86400, "1 week"),
    (30 * 86400, "30 days"),
    (365 * 86400, "1 year"),
)


# --------------------------------------------------------------------------- helpers


def sender_palette(senders: Iterable[Any]) -> dict[str, str]:
    """One colour per sender, the same in every figure of the same chat.

    Senders are sorted by name and given the Okabe-Ito colours in order, then ten more
    colours from Paul Tol's schemes, so up to 17 people never share a colour (grey is kept
    for the "others" group of a report; after 17 the colours repeat: show the top people
    and group the rest, as ``rs.report`` does). The mapping depends only on the set of
    names, not on the figure.

    Parameters
    ----------
    senders : iterable of str
        Sender names (duplicates and missing values are ignored), e.g. ``msgs["sender"]``.

    Returns
    -------
    dict
        ``{sender: hex colour}``.

    Examples
    --------
    >>> from reconnect_signals.plotting import sender_palette
    >>> sender_palette(["Sam", "Alex", "Sam"])
    {'Alex': '#0072B2', 'Sam': '#D55E00'}
    """
    names = sorted({str(s) for s in senders if not _isna(s)})
    return {name: _PERSON_COLOURS[i % len(_PERSON_COLOURS)] for i, name in enumerate(names)}


def _isna(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _get_ax(ax: Axes | None) -> Axes:
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.gca()
    return ax


def _is_messages(data: pd.DataFrame) -> bool:
    return isinstance(data, pd.DataFrame) and {"timestamp", "kind", "sender"} <= set(data.columns)


def _require(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{what} needs a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what}: the data has no column(s) {missing}; {_HINT}")


_HINT = (
    "pass a message frame (rs.read_chat(...) or rs.load_example()) or the table made by "
    "rs.cue_table(msgs, by='sender', freq='W')"
)


def _freq_word(freq: str | None) -> str:
    if not freq:
        return "window"
    return _FREQ_WORDS.get(str(freq).upper().lstrip("1"), str(freq))


def _window_table(data: pd.DataFrame, freq: str, what: str) -> pd.DataFrame:
    """A per-sender, per-window cue table from ``data`` (computed when given messages)."""
    if isinstance(data, pd.DataFrame) and "window" in data.columns:
        return data
    if _is_messages(data):
        from .table import cue_table

        return cue_table(data, by="sender", freq=freq)
    _require(data, ["window", "sender"], what)
    return data  # pragma: no cover - _require raised


def _infer_freq(table: pd.DataFrame, default: str | None) -> str | None:
    if default:
        return default
    w = pd.DatetimeIndex(table["window"].drop_duplicates().sort_values())
    if len(w) < 2:
        return None
    step = pd.Series(w).diff().dropna().median() / pd.Timedelta(days=1)
    if step <= 1.5:
        return "D"
    if step <= 8:
        return "W"
    if step <= 32:
        return "MS"
    return None


def _naive_local(values: pd.Series) -> np.ndarray:
    """Wall-clock datetimes in the data's own time zone (matplotlib shows them as is)."""
    s = pd.Series(values)
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        s = s.dt.tz_localize(None)
    return s.to_numpy(dtype="datetime64[us]")


def _check_unique(table: pd.DataFrame, keys: list[str], what: str) -> None:
    if table.duplicated(keys).any():
        raise ValueError(
            f"{what}: the table has several rows per {tuple(keys)} (one per conversation?); "
            "pass rs.cue_table(msgs, by='sender', freq=...) or a single conversation"
        )


def _window_width_days(windows: np.ndarray) -> float:
    u = np.unique(windows)
    if len(u) < 2:
        return 5.0
    step = float(np.median(np.diff(u)) / np.timedelta64(1, "D"))
    return max(step * 0.8, 0.05)


def _duration_label(seconds: float) -> str:
    for value, label in _DURATION_TICKS:
        if abs(seconds - value) < 1e-9:
            return label
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def _duration_axis(axis: Any, lo: float, hi: float, zero_tick: float | None = None) -> None:
    """Human duration ticks (1 min, 1 h, 1 day) on a log-scaled axis in seconds."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    ticks: list[float] = [v for v, _ in _DURATION_TICKS if lo * 0.999 <= v <= hi * 1.001]
    if len(ticks) < 2:
        ticks = [lo, hi]
    if zero_tick is not None:
        ticks = [zero_tick, *(t for t in ticks if t > zero_tick * 2)]

    def label(v: float, _pos: object) -> str:
        return "0" if zero_tick is not None and abs(v - zero_tick) < 1e-9 else _duration_label(v)

    axis.set_major_locator(FixedLocator(ticks))
    axis.set_minor_locator(NullLocator())
    axis.set_major_formatter(FuncFormatter(label))


def _date_axis(ax: Axes, x: np.ndarray | None = None) -> None:
    """Concise date ticks; a span shorter than three days gets a few days of room, not matplotlib's
    default of years around a single point."""
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    if x is not None and len(x):
        values = np.asarray(x, dtype="datetime64[us]")
        lo, hi = values.min(), values.max()
        if hi - lo < np.timedelta64(3, "D"):
            mid = lo + (hi - lo) / 2
            ax.set_xlim(mid - np.timedelta64(2, "D"), mid + np.timedelta64(2, "D"))
            day = mdates.DayLocator()
            ax.xaxis.set_major_locator(day)
            ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(day))


def _tz_name(series: pd.Series) -> str:
    tz = getattr(series.dtype, "tz", None)
    return str(tz) if tz is not None else "local time"


def _person_rows(msgs: pd.DataFrame) -> pd.DataFrame:
    keep = msgs["sender"].notna()
    if "kind" in msgs.columns:
        keep &= msgs["kind"].astype("str").ne("system").fillna(True)
    return msgs.loc[keep.to_numpy()]


def _palette_for(palette: Mapping[str, str] | None, names: Iterable[Any]) -> dict[str, str]:
    names = list(names)
    pal = dict(palette) if palette is not None else sender_palette(names)
    missing = sorted({str(n) for n in names} - set(pal))
    if missing:
        extra = sender_palette(missing)
        pal.update({k: v for k, v in extra.items() if k not in pal})
    return pal


def _legend_outside(ax: Axes) -> None:
    """Legend to the right of the plot, so it never hides data (constrained layout makes room).

    More than 12 entries go into several columns, so the legend never grows taller than a
    figure (a legend taller than its figure collapses the axes).
    """
    handles, _ = ax.get_legend_handles_labels()
    if not handles:
        _empty_note(ax, "no messages to draw")
        return
    ncols = max(1, -(-len(handles) // 12))
    ax.legend(
        fontsize="small", frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0, ncols=ncols
    )


def _set_tips(artist: Any, tips: Iterable[str]) -> None:
    """Attach one hover text per drawn point; ``rs.report`` writes them as SVG ``<title>`` elements."""
    artist._rs_tips = list(tips)


def _fmt_value(value: float) -> str:
    if not np.isfinite(value):
        return "-"
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def _point_tips(
    name: Any,
    x: np.ndarray,
    y: np.ndarray,
    n: np.ndarray | None,
    what: str,
    unit: str,
    fq: str,
    n_word: str = "messages",
) -> list[str]:
    out = []
    for xi, yi, ni in zip(x, y, n if n is not None else [None] * len(x), strict=True):
        when = pd.Timestamp(xi).strftime("%d %b %Y")
        count = "" if ni is None or not np.isfinite(ni) else f" (n = {int(ni):,} {n_word})"
        out.append(f"{name}, {fq} of {when}: {what} {_fmt_value(float(yi))} {unit}{count}".replace("  ", " "))
    return out


def _counts(grp: pd.DataFrame, column: str = "messages") -> np.ndarray | None:
    if column not in grp.columns:
        return None
    return pd.to_numeric(grp[column], errors="coerce").to_numpy(dtype=float)


def _thin_mask(n: np.ndarray | None, size: int, min_n: int | None) -> np.ndarray:
    if n is None or not min_n:
        return np.zeros(size, dtype=bool)
    return np.nan_to_num(n, nan=0.0) < min_n


def _draw_series(
    ax: Axes,
    x: Any,
    y: Any,
    n: Any,
    *,
    color: Any,
    linestyle: Any,
    label: Any,
    min_n: int | None,
    tip_name: Any,
    what: str,
    unit: str,
    fq: str,
    n_word: str = "messages",
    **kwargs: Any,
) -> Any:
    """One line; solid markers where the window has at least ``min_n`` messages, hollow ones below.

    Returns the Line2D (its markers are the solid points). Hollow points are a scatter
    collection of their own, so ``ax.lines`` keeps one line per series.
    """
    finite = np.isfinite(y)
    thin = _thin_mask(n, len(y), min_n) & finite
    solid = finite & ~thin
    line_kw = {"marker": "o", "markersize": 3.5, "linewidth": 1.6, **kwargs}
    (line,) = ax.plot(x, y, color=color, linestyle=linestyle, label=label, markevery=list(solid), **line_kw)
    _set_tips(line, _point_tips(tip_name, x[solid], y[solid], None if n is None else n[solid], what, unit, fq, n_word))
    if thin.any():
        hollow = ax.scatter(
            x[thin],
            y[thin],
            s=22,
            facecolors="white",
            edgecolors=color,
            linewidths=1.2,
            alpha=0.75,
            zorder=line.get_zorder() + 0.1,
            label="_thin",
        )
        _set_tips(
            hollow,
            [t + " - thin data" for t in _point_tips(tip_name, x[thin], y[thin], n[thin], what, unit, fq, n_word)],
        )
    return line


def _title(text: str) -> str:
    return text[:1].upper() + text[1:]


def _empty_note(ax: Axes, text: str) -> None:
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", color="#666666", wrap=True)


# --------------------------------------------------------------------------- who is shown (groups)

#: How many people a report or dashboard shows one by one by default; the rest are "others".
_TOP_PEOPLE = 8
#: More people than this in one figure: per-person small multiples (in the report).
_CROWDED = 3


@dataclass(frozen=True)
class _People:
    """The people a report shows: ``order`` (display labels, most messages first, "others" last),
    ``label`` (sender -> display label), ``palette`` (display label -> colour), ``others`` (how
    many people are pooled)."""

    order: tuple[str, ...]
    label: dict[str, str]
    palette: dict[str, str]
    others: int

    @property
    def crowded(self) -> bool:
        return len(self.order) > _CROWDED


def _choose_people(msgs: pd.DataFrame, top: int = _TOP_PEOPLE) -> _People:
    """Top ``top`` people by messages, the rest pooled as "others (k people)"."""
    if not isinstance(top, (int, np.integer)) or top < 1:
        raise ValueError(f"top must be a positive whole number of people, got {top!r}")
    person = msgs["sender"].notna() & msgs["kind"].astype("str").ne("system").fillna(True)
    counts = msgs.loc[person.to_numpy(), "sender"].value_counts()
    ranked = sorted(counts.index, key=lambda s: (-int(counts[s]), str(s)))
    shown, rest = ranked[:top], ranked[top:]
    if len(rest) == 1:  # "others (1 person)" hides nobody: show them
        shown, rest = ranked, []
    label = {str(s): str(s) for s in shown}
    palette = sender_palette(shown)
    order = [str(s) for s in shown]
    if rest:
        name = f"others ({len(rest)} people)"
        while name in label:  # a sender really called that
            name += " "
        label.update({str(s): name for s in rest})
        palette[name] = OTHERS_COLOUR
        order.append(name)
    return _People(tuple(order), label, palette, len(rest))


def _relabel(frame: pd.DataFrame | None, people: _People) -> pd.DataFrame | None:
    """``frame`` with ``sender`` mapped to the display labels (missing senders stay missing)."""
    if frame is None or not people.others:
        return frame
    return frame.assign(sender=frame["sender"].map(people.label).astype(frame["sender"].dtype))


def _aggregate_by_sender(per_message: pd.DataFrame, freq: str | None) -> pd.DataFrame:
    """Per-sender (and window) cue table from a per-message cue table."""
    from .table import aggregate_cues

    return aggregate_cues(per_message, by="sender", freq=freq)


# --------------------------------------------------------------------------- plots


def plot_cue_timeline(
    data: pd.DataFrame,
    *,
    cues: Sequence[str] = ("i_rate", "we_rate", "you_rate"),
    freq: str = "W",
    hue: str = "sender",
    palette: Mapping[str, str] | None = None,
    min_n: int | None = MIN_N,
    legend: bool = True,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Cues over time, one line per sender and cue.

    Colour shows the sender, the line style the cue. Rates of words (``i_rate``,
    ``we_rate``, ``you_rate``) are drawn as percentages of words; shares of messages
    (``i_statement_rate``, ``question_rate``, ...) as percentages of messages;
    ``sentiment_mean`` on its own -1..1 scale. Windows without messages leave a gap;
    windows with fewer than ``min_n`` messages are drawn as hollow points (thin data: treat
    them as anecdotes).

    Parameters
    ----------
    data : DataFrame
        A message frame, or ``rs.cue_table(msgs, by="sender", freq=freq)`` (needs the
        columns ``window``, ``hue`` and every cue).
    cues : sequence of str
        Cue-table columns to draw.
    freq : str, default "W"
        Window length when ``data`` is a message frame (pandas offset alias).
    hue : str, default "sender"
        Column that splits the lines.
    palette : dict, optional
        ``{sender: colour}``; default :func:`sender_palette`.
    min_n : int or None, default 5
        Windows with fewer messages (the table's ``messages`` column) are drawn hollow;
        None or 0 draws every point alike.
    legend : bool, default True
        Draw the legend (outside the axes, on the right).
    ax : matplotlib Axes, optional
        Axes to draw on (default: the current Axes).
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.plot`.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from reconnect_signals.plotting import plot_cue_timeline
    >>> table = pd.DataFrame({
    ...     "sender": ["A", "A", "B", "B"],
    ...     "window": pd.to_datetime(["2025-01-06", "2025-01-13"] * 2).tz_localize("UTC"),
    ...     "sentiment_mean": [0.2, 0.4, -0.1, 0.0],
    ... })
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> ax = plot_cue_timeline(table, cues=["sentiment_mean"], ax=ax)
    >>> [line.get_label() for line in ax.lines]
    ['A: sentiment', 'B: sentiment']
    >>> plt.close(fig)
    """
    cues = [cues] if isinstance(cues, str) else list(cues)
    if not cues:
        raise ValueError("plot_cue_timeline: pass at least one cue, e.g. cues=['we_rate']")
    table = _window_table(data, freq, "plot_cue_timeline")
    _require(table, ["window", hue, *cues], "plot_cue_timeline")
    _check_unique(table, [hue, "window"], "plot_cue_timeline")
    ax = _get_ax(ax)
    pal = _palette_for(palette, table[hue].dropna().unique())
    units = {_CUES.get(c, (c, "value"))[1] for c in cues}
    fq = _freq_word(freq if "window" not in data.columns else _infer_freq(table, None))
    all_x = []
    for name, grp in table.groupby(hue, sort=True):
        grp = grp.sort_values("window")
        x = _naive_local(grp["window"])
        all_x.append(x)
        n = _counts(grp)
        for i, cue in enumerate(cues):
            label, unit = _CUES.get(cue, (cue, "value"))
            scale, unit_text = _UNITS.get(unit, (1.0, ""))
            y = grp[cue].to_numpy(dtype=float) * scale
            _draw_series(
                ax,
                x,
                y,
                n,
                color=pal[str(name)],
                linestyle=_LINESTYLES[i % len(_LINESTYLES)],
                label=f"{name}: {label}",
                min_n=min_n,
                tip_name=name,
                what=label,
                unit=unit_text,
                fq=fq,
                **kwargs,
            )
    if len(units) == 1:
        unit = units.pop()
        ylabel = _UNITS[unit][1] if unit in _UNITS else cues[0]
    else:
        ylabel = "value (see legend)"
    labels = ", ".join(_CUES.get(c, (c, ""))[0] for c in cues)
    ax.set_title(_title(f"{labels} per {fq}"))
    ax.set_xlabel(f"{fq} starting")
    ax.set_ylabel(ylabel)
    _date_axis(ax, np.concatenate(all_x) if all_x else None)
    if legend:
        _legend_outside(ax)
    elif not ax.lines:
        _empty_note(ax, "no messages to draw")
    return ax


def _per_message(data: pd.DataFrame, what: str) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame) and "latency_s" in data.columns:
        return data
    if _is_messages(data):
        from .structure import add_structure

        return add_structure(data)
    _require(data, ["latency_s", "sender"], what)
    return data  # pragma: no cover


def plot_latency(
    data: pd.DataFrame,
    *,
    hue: str = "sender",
    bins: int = 30,
    floor: str | float = "30s",
    palette: Mapping[str, str] | None = None,
    legend: bool = True,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Distribution of reply latencies per sender on a log scale, with each median.

    A reply latency is the time since the other person's last message, measured on the
    first message of each turn (see ``rs.add_structure``). When the frame has ``is_reply``
    only replies within a session count (the first message after a long silence opens a
    session; it is not a reply), so the medians equal ``latency_median_s`` of
    ``rs.cue_table``. Chat latencies are heavy-tailed, so the x axis is logarithmic and
    the dashed lines mark the medians, not means.

    Parameters
    ----------
    data : DataFrame
        A message frame, or a per-message frame that already has ``latency_s``
        (``rs.add_structure(msgs)`` or ``rs.cue_table(msgs)``).
    hue : str, default "sender"
    bins : int, default 30
        Number of log-spaced bins.
    floor : str or float, default "30s"
        Left end of the log axis; shorter latencies are drawn in the first bin, because a
        log axis cannot show 0. When every latency is a whole number of minutes (exports
        that keep only minutes, such as WhatsApp) the bins follow whole minutes and
        replies within the same minute (0 s) get a bin of their own, labelled "0".
    palette : dict, optional
    legend : bool, default True
    ax : matplotlib Axes, optional
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.hist`.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from reconnect_signals.plotting import plot_latency
    >>> per_message = pd.DataFrame({
    ...     "sender": ["A", "B", "A", "B", "A"],
    ...     "latency_s": [float("nan"), 60.0, 600.0, 3600.0, 120.0],
    ... })
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> ax = plot_latency(per_message, ax=ax)
    >>> ax.get_xscale()
    'log'
    >>> [line.get_label() for line in ax.lines]
    ['A median 6 min', 'B median 30 min']
    >>> plt.close(fig)
    """
    frame = _per_message(data, "plot_latency")
    _require(frame, ["latency_s", hue], "plot_latency")
    ax = _get_ax(ax)
    lo = pd.Timedelta(floor).total_seconds() if isinstance(floor, str) else float(floor)
    seconds = pd.to_numeric(frame["latency_s"], errors="coerce")
    if "is_reply" in frame.columns:  # replies within a session, as rs.cue_table's latency_median_s
        seconds = seconds.where(frame["is_reply"].fillna(False).astype(bool))
    lat = pd.DataFrame({"who": frame[hue].to_numpy(), "s": seconds.to_numpy()}).dropna()
    lat = lat[lat["s"] >= 0]
    pal = _palette_for(palette, lat["who"].unique())
    ax.set_title("Reply latency per sender")
    ax.set_xlabel("reply latency (log scale)")
    ax.set_ylabel("replies")
    if lat.empty:
        _empty_note(ax, "no replies yet (no turn changes between senders)")
        return ax
    hi = max(float(lat["s"].max()), lo * 10)
    zero_tick = None
    if bool(np.all(np.mod(lat["s"].to_numpy(), 60) == 0)):
        # minute-resolution export (WhatsApp): whole-minute bins where log bins would be
        # narrower than a minute (no empty teeth), and replies within the minute (0 s) in a
        # bin of their own, labelled "0"
        minutes = np.round(np.logspace(0, np.log10(max(hi / 60, 2.0)), bins))
        edges = np.concatenate([[lo / 2], (np.unique(np.concatenate([[0.0], minutes])) + 0.5) * 60])
        zero_tick = float(np.sqrt(edges[0] * edges[1]))
        clipped = lat["s"].where(lat["s"] > 0, zero_tick)
    else:
        edges = np.logspace(np.log10(lo), np.log10(hi), bins + 1)
        clipped = lat["s"].clip(lower=lo)
    lo, hi = float(edges[0]), float(edges[-1])
    for name, grp in lat.assign(c=clipped).groupby("who", sort=True):
        color = pal[str(name)]
        median = float(grp["s"].median())
        hist_kw: dict[str, Any] = {"histtype": "step", "linewidth": 1.8, **kwargs}
        _, _, patches = ax.hist(
            grp["c"].to_numpy(),
            bins=edges,  # type: ignore[arg-type]  # stubs: no ndarray bins
            color=color,
            label=f"{name} (n={len(grp)})",
            **hist_kw,
        )
        for patch in patches:  # type: ignore[union-attr]  # one data set: a list of patches
            _set_tips(patch, [f"{name}: {len(grp):,} replies, median {_duration_label(round(median))}"])
        at = median if median >= lo else (zero_tick if zero_tick is not None else lo)
        ax.axvline(
            at, color=color, linestyle="--", linewidth=1.2, label=f"{name} median {_duration_label(round(median))}"
        )
    ax.set_xscale("log")
    ax.set_xlim(lo, hi)
    _duration_axis(ax.xaxis, lo, hi, zero_tick=zero_tick)
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts of replies: no 0.25-reply ticks
    if legend:
        ax.legend(fontsize="small", frameon=False)
    return ax


def plot_latency_trend(
    data: pd.DataFrame,
    *,
    freq: str = "W",
    hue: str = "sender",
    palette: Mapping[str, str] | None = None,
    min_n: int | None = MIN_N,
    legend: bool = True,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Median reply latency per window and sender, on a log scale.

    Windows with fewer than ``min_n`` messages are drawn as hollow points (thin data).

    Parameters
    ----------
    data : DataFrame
        A message frame, or ``rs.cue_table(msgs, by="sender", freq=freq)`` (columns
        ``window``, ``hue``, ``latency_median_s``).
    freq : str, default "W"
    hue : str, default "sender"
    palette : dict, optional
    min_n : int or None, default 5
        Windows with fewer messages are drawn hollow; None or 0 draws every point alike.
    legend : bool, default True
    ax : matplotlib Axes, optional
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.plot`.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from reconnect_signals.plotting import plot_latency_trend
    >>> table = pd.DataFrame({
    ...     "sender": ["A", "A", "B", "B"],
    ...     "window": pd.to_datetime(["2025-01-06", "2025-01-13"] * 2).tz_localize("UTC"),
    ...     "latency_median_s": [60.0, 3600.0, 120.0, float("nan")],
    ... })
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> ax = plot_latency_trend(table, ax=ax)
    >>> ax.get_yscale(), len(ax.lines)
    ('log', 2)
    >>> plt.close(fig)
    """
    table = _window_table(data, freq, "plot_latency_trend")
    _require(table, ["window", hue, "latency_median_s"], "plot_latency_trend")
    _check_unique(table, [hue, "window"], "plot_latency_trend")
    ax = _get_ax(ax)
    pal = _palette_for(palette, table[hue].dropna().unique())
    values = pd.to_numeric(table["latency_median_s"], errors="coerce")
    positive = values[values > 0]
    fq = _freq_word(freq if "window" not in data.columns else _infer_freq(table, None))
    all_x = []
    for name, grp in table.groupby(hue, sort=True):
        grp = grp.sort_values("window")
        y = pd.to_numeric(grp["latency_median_s"], errors="coerce").to_numpy(dtype=float)
        y = np.where(y > 0, y, np.where(np.isnan(y), np.nan, 1.0))  # 0 s cannot be shown on a log axis
        x = _naive_local(grp["window"])
        all_x.append(x)
        line = _draw_series(
            ax,
            x,
            y,
            _counts(grp),
            color=pal[str(name)],
            linestyle="-",
            label=str(name),
            min_n=min_n,
            tip_name=name,
            what="median reply latency",
            unit="s",
            fq=fq,
            **kwargs,
        )
        line._rs_tips = [_latency_tip(t) for t in line._rs_tips]
    ax.set_title(f"Median reply latency per {fq}")
    ax.set_xlabel(f"{fq} starting")
    ax.set_ylabel("median reply latency (log scale)")
    ax.set_yscale("log")
    if len(positive):
        lo, hi = float(positive.min()), float(positive.max())
        lo, hi = min(lo, 60.0), max(hi, lo * 10)
        ax.set_ylim(lo / 1.5, hi * 1.5)
        _duration_axis(ax.yaxis, lo / 1.5, hi * 1.5)
    else:
        _empty_note(ax, "no replies in any window")
    _date_axis(ax, np.concatenate(all_x) if all_x else None)
    if legend:
        _legend_outside(ax)
    return ax


def _latency_tip(text: str) -> str:
    """'... median reply latency 3600 s (n = ...)' -> '... median reply latency 1.0 h (n = ...)'."""
    import re

    return re.sub(
        r"latency ([0-9.,e+-]+) s", lambda m: f"latency {_duration_label(float(m.group(1).replace(',', '')))}", text
    )


def plot_activity_heatmap(
    data: pd.DataFrame,
    *,
    sender: str | None = None,
    cmap: str = "Blues",
    cbar: bool = True,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Messages by weekday and hour of day, in the chat's own time zone.

    The clock is the one of the ``timestamp`` column (the ``tz=`` the export was read
    with); a chat read without ``tz=`` shows UTC, which the title says.

    Parameters
    ----------
    data : DataFrame
        A message frame (system rows are left out).
    sender : str, optional
        Only this sender's messages (default: everyone's).
    cmap : str, default "Blues"
    cbar : bool, default True
        Draw a colour bar (it takes room from ``ax``'s figure, as in seaborn).
    ax : matplotlib Axes, optional
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.imshow`.

    Returns
    -------
    matplotlib Axes
        ``ax.images[0].get_array()`` is the 7 x 24 table of counts (Monday first).

    Examples
    --------
    >>> import pandas as pd
    >>> import reconnect_signals as rs
    >>> raw = pd.DataFrame({
    ...     "timestamp": ["2025-01-06 21:15", "2025-01-06 21:40", "2025-01-11 09:00"],
    ...     "sender": ["A", "B", "A"], "text": ["hi", "hey", "morning"],
    ... })
    >>> msgs = rs.coerce(raw, tz="Europe/London")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> ax = rs.plot_activity_heatmap(msgs, cbar=False, ax=ax)
    >>> counts = ax.images[0].get_array()
    >>> int(counts[0, 21]), int(counts[5, 9]), int(counts.sum())
    (2, 1, 3)
    >>> plt.close(fig)
    """
    if not _is_messages(data):
        _require(data, ["timestamp", "kind", "sender"], "plot_activity_heatmap")
    rows = _person_rows(data)
    if sender is not None:
        rows = rows.loc[rows["sender"].eq(sender).to_numpy()]
    ts = rows["timestamp"]
    counts = np.zeros((7, 24), dtype=float)
    if len(ts):
        np.add.at(counts, (ts.dt.day_of_week.to_numpy(), ts.dt.hour.to_numpy()), 1.0)
    ax = _get_ax(ax)
    im = ax.imshow(counts, aspect="auto", cmap=cmap, interpolation="nearest", origin="upper", **kwargs)
    ax.set_yticks(range(7), _WEEKDAYS)
    ax.set_xticks(range(0, 24, 3), [f"{h:02d}:00" for h in range(0, 24, 3)])
    who = f" ({sender})" if sender is not None else ""
    ax.set_title(f"Messages by weekday and hour{who}")
    ax.set_xlabel(f"hour of day ({_tz_name(data['timestamp'])})")
    ax.set_ylabel("weekday")
    if cbar:
        ax.figure.colorbar(im, ax=ax, label="messages")
    return ax


def _stacked_bars(
    ax: Axes,
    table: pd.DataFrame,
    value: str,
    hue: str,
    pal: dict,
    scale: float,
    *,
    unit: str = "",
    count: str | None = None,
    fq: str = "window",
    **kwargs: Any,
) -> np.ndarray:
    wide = table.pivot_table(index="window", columns=hue, values=value, aggfunc="sum", dropna=False)
    wide = wide.sort_index().fillna(0.0)
    counts = None
    if count is not None and count in table.columns:
        counts = table.pivot_table(index="window", columns=hue, values=count, aggfunc="sum", dropna=False)
        counts = counts.reindex(index=wide.index, columns=wide.columns).fillna(0.0)
    x = _naive_local(pd.Series(wide.index))
    width = _window_width_days(x)
    bottom = np.zeros(len(wide))
    for name in sorted(wide.columns, key=str):
        h = wide[name].to_numpy(dtype=float) * scale
        bars = ax.bar(x, h, width=width, bottom=bottom, color=pal[str(name)], label=str(name), align="edge", **kwargs)
        n = None if counts is None else counts[name].to_numpy(dtype=float)
        tips = _point_tips(name, x, h, n, "", unit, fq, count or "")
        for bar, tip in zip(bars.patches, tips, strict=True):
            _set_tips(bar, [tip])
        bottom = bottom + h
    return x


def plot_initiation(
    data: pd.DataFrame,
    *,
    freq: str = "MS",
    hue: str = "sender",
    palette: Mapping[str, str] | None = None,
    legend: bool = True,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Who opens the conversation: each sender's share of the sessions started per window.

    Stacked bars of ``initiation_share`` (a session starts after a gap of more than
    ``gap``, default 6 h; see ``rs.add_structure``). A window without sessions has no
    bar. The dotted line marks an even split.

    Parameters
    ----------
    data : DataFrame
        A message frame, or ``rs.cue_table(msgs, by="sender", freq=freq)`` (columns
        ``window``, ``hue``, ``initiation_share``).
    freq : str, default "MS"
        Window length (monthly: a week often holds too few sessions).
    hue : str, default "sender"
    palette : dict, optional
    legend : bool, default True
    ax : matplotlib Axes, optional
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.bar`.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from reconnect_signals.plotting import plot_initiation
    >>> table = pd.DataFrame({
    ...     "sender": ["A", "A", "B", "B"],
    ...     "window": pd.to_datetime(["2025-01-01", "2025-02-01"] * 2).tz_localize("UTC"),
    ...     "initiation_share": [0.75, 0.5, 0.25, 0.5],
    ... })
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> ax = plot_initiation(table, ax=ax)
    >>> [round(p.get_height()) for p in ax.patches]
    [75, 50, 25, 50]
    >>> plt.close(fig)
    """
    table = _window_table(data, freq, "plot_initiation")
    _require(table, ["window", hue, "initiation_share"], "plot_initiation")
    _check_unique(table, [hue, "window"], "plot_initiation")
    ax = _get_ax(ax)
    pal = _palette_for(palette, table[hue].dropna().unique())
    fq = _freq_word(freq if "window" not in data.columns else _infer_freq(table, None))
    x = _stacked_bars(
        ax,
        table,
        "initiation_share",
        hue,
        pal,
        100.0,
        unit="% of sessions opened",
        count="sessions_opened",
        fq=fq,
        **kwargs,
    )
    ax.axhline(50, color="#555555", linestyle=":", linewidth=1)
    ax.set_title(f"Who starts the conversation, per {fq}")
    ax.set_xlabel(f"{fq} starting")
    ax.set_ylabel("% of sessions opened")
    ax.set_ylim(0, 100)
    _date_axis(ax, x)
    if legend:
        _legend_outside(ax)
    return ax


def plot_balance(
    data: pd.DataFrame,
    *,
    measure: str = "messages",
    share: bool = True,
    freq: str = "W",
    hue: str = "sender",
    palette: Mapping[str, str] | None = None,
    legend: bool = True,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Who writes how much: messages (or words) per sender and window, as stacked bars.

    Parameters
    ----------
    data : DataFrame
        A message frame, or ``rs.cue_table(msgs, by="sender", freq=freq)`` (columns
        ``window``, ``hue`` and ``measure``).
    measure : {"messages", "words"}, default "messages"
    share : bool, default True
        Draw each sender's percentage of the window's total (with a dotted line at an
        even split); False draws the counts.
    freq : str, default "W"
    hue : str, default "sender"
    palette : dict, optional
    legend : bool, default True
    ax : matplotlib Axes, optional
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.bar`.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from reconnect_signals.plotting import plot_balance
    >>> table = pd.DataFrame({
    ...     "sender": ["A", "A", "B", "B"],
    ...     "window": pd.to_datetime(["2025-01-06", "2025-01-13"] * 2).tz_localize("UTC"),
    ...     "messages": [30, 0, 10, 0],
    ... })
    >>> import matplotlib.pyplot as plt
    >>> fig, (left, right) = plt.subplots(1, 2)
    >>> ax = plot_balance(table, ax=left)
    >>> [float(p.get_height()) for p in ax.patches]
    [75.0, 0.0, 25.0, 0.0]
    >>> plot_balance(table, share=False, ax=right).get_ylabel()
    'messages per week'
    >>> plt.close(fig)
    """
    if measure not in ("messages", "words"):
        raise ValueError(f"measure must be 'messages' or 'words', got {measure!r}")
    table = _window_table(data, freq, "plot_balance")
    _require(table, ["window", hue, measure], "plot_balance")
    _check_unique(table, [hue, "window"], "plot_balance")
    ax = _get_ax(ax)
    pal = _palette_for(palette, table[hue].dropna().unique())
    fq = _freq_word(freq if "window" not in data.columns else _infer_freq(table, None))
    values = pd.to_numeric(table[measure], errors="coerce").fillna(0).astype(float)
    if share:
        total = values.groupby(table["window"].to_numpy()).transform("sum")
        plotted = table.assign(_v=np.where(total.to_numpy() > 0, values / total.where(total > 0), 0.0))
        x = _stacked_bars(
            ax, plotted, "_v", hue, pal, 100.0, unit=f"% of the {fq}'s {measure}", count=measure, fq=fq, **kwargs
        )
        ax.axhline(50, color="#555555", linestyle=":", linewidth=1)
        ax.set_ylim(0, 100)
        ax.set_ylabel(f"% of the {fq}'s {measure}")
        ax.set_title(f"Balance of {measure} per {fq}")
    else:
        x = _stacked_bars(ax, table.assign(_v=values), "_v", hue, pal, 1.0, unit=measure, fq=fq, **kwargs)
        ax.set_ylabel(f"{measure} per {fq}")
        ax.set_title(f"{measure.capitalize()} per {fq}")
    ax.set_xlabel(f"{fq} starting")
    _date_axis(ax, x)
    if legend:
        _legend_outside(ax)
    return ax


def plot_style_matching(
    data: pd.DataFrame,
    *,
    freq: str = "MS",
    min_words: int = 50,
    color: str | None = None,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Language style matching (LSM) between the two main senders over time.

    LSM compares how often two people use nine classes of function words (Ireland &
    Pennebaker 2010); 1 means identical rates. The shaded band is the typical range
    .75-.95. Windows where either side wrote fewer than ``min_words`` words have no
    value (a gap in the line).

    Parameters
    ----------
    data : DataFrame
        A message frame, or ``rs.style_matching(msgs, freq=freq)`` (columns
        ``conversation_id``, ``window``, ``lsm``, ``sender_a``, ``sender_b``).
    freq : str, default "MS"
    min_words : int, default 50
        Passed to ``rs.style_matching`` when ``data`` is a message frame.
    color : str, optional
        Line colour for a single conversation (default dark grey: LSM belongs to the pair,
        not to one sender).
    ax : matplotlib Axes, optional
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.plot`.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from reconnect_signals.plotting import plot_style_matching
    >>> lsm = pd.DataFrame({
    ...     "conversation_id": ["c1"] * 3, "sender_a": ["A"] * 3, "sender_b": ["B"] * 3,
    ...     "window": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01"]).tz_localize("UTC"),
    ...     "lsm": [0.81, float("nan"), 0.9],
    ... })
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> ax = plot_style_matching(lsm, ax=ax)
    >>> ax.lines[0].get_label(), tuple(map(float, ax.get_ylim()))
    ('A & B', (0.0, 1.0))
    >>> plt.close(fig)
    """
    if isinstance(data, pd.DataFrame) and "lsm" in data.columns:
        table = data
    elif _is_messages(data):
        from .style import style_matching

        table = style_matching(data, freq=freq, min_words=min_words)
    else:
        _require(data, ["window", "lsm"], "plot_style_matching")
        table = data  # pragma: no cover
    _require(table, ["window", "lsm"], "plot_style_matching")
    ax = _get_ax(ax)
    ax.axhspan(0.75, 0.95, color="#dddddd", alpha=0.6, linewidth=0, label="typical range .75-.95")
    convs = table.groupby("conversation_id", sort=True) if "conversation_id" in table.columns else [("", table)]
    groups = list(convs)
    for i, (conv, grp) in enumerate(groups):
        grp = grp.sort_values("window")
        if {"sender_a", "sender_b"} <= set(grp.columns) and len(grp):
            label = f"{grp['sender_a'].iloc[0]} & {grp['sender_b'].iloc[0]}"
        else:
            label = str(conv) or "LSM"
        if len(groups) > 1:
            label = f"{conv!s}: {label}"
        c = color if (color and len(groups) == 1) else ("#333333" if len(groups) == 1 else OKABE_ITO[i % 8])
        line_kw = {"marker": "o", "markersize": 3, "linewidth": 1.8, **kwargs}
        ax.plot(_naive_local(grp["window"]), grp["lsm"].to_numpy(dtype=float), color=c, label=label, **line_kw)
    if not pd.to_numeric(table["lsm"], errors="coerce").notna().any():
        _empty_note(ax, f"not enough words: every window has fewer than {min_words} words on one side")
    fq = _freq_word(freq if "lsm" not in data.columns else _infer_freq(table, None))
    ax.set_title(f"Language style matching per {fq}")
    ax.set_xlabel(f"{fq} starting")
    ax.set_ylabel("LSM (0 to 1, 1 = same function-word rates)")
    ax.set_ylim(0.0, 1.0)
    _date_axis(ax)
    ax.legend(fontsize="small", frameon=False, loc="lower left")
    return ax


def plot_dashboard(
    msgs: pd.DataFrame,
    *,
    freq: str = "W",
    slow_freq: str = "MS",
    gap: str = "6h",
    figsize: tuple[float, float] = (14.0, 18.0),
    fig: Figure | None = None,
    top: int = 8,
) -> Figure:
    """All the plots of one chat on one figure, with one colour per sender throughout.

    Panels (row by row): pronoun rates; I-statements and questions; sentiment; reply
    latency distribution; latency trend; weekday x hour activity; who initiates; message
    balance; language style matching. In a group, the ``top`` people with the most
    messages are drawn one by one and the rest pooled as "others" (grey), as in
    ``rs.report``.

    Parameters
    ----------
    msgs : DataFrame
        A message frame.
    freq : str, default "W"
        Window of the timelines, latency trend and balance.
    slow_freq : str, default "MS"
        Window of the initiation and style-matching panels (they need more data per window).
    gap : str, default "6h"
        Session gap (see ``rs.add_structure``).
    figsize : tuple, default (14, 18)
        Size in inches of a new figure.
    fig : matplotlib Figure, optional
        Draw into this figure (default: a new ``pyplot`` figure).
    top : int, default 8
        People drawn one by one; the others are pooled.

    Returns
    -------
    matplotlib Figure

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import reconnect_signals as rs
    >>> fig = rs.plot_dashboard(rs.load_example())
    >>> len([ax for ax in fig.axes if ax.get_title()])
    10
    >>> plt.close(fig)
    """
    from .table import cue_table

    if not _is_messages(msgs):
        _require(msgs, ["timestamp", "kind", "sender"], "plot_dashboard")
    if fig is None:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=figsize, layout="constrained")
    people = _choose_people(msgs, top)
    pal = people.palette
    per_message = _relabel(cue_table(msgs, gap=gap), people)  # structure on the real senders, then pooled
    assert per_message is not None  # _relabel returns None only for None
    fast = _aggregate_by_sender(per_message, freq)
    slow = _aggregate_by_sender(per_message, slow_freq)
    axes = fig.subplots(5, 2).ravel()
    plot_cue_timeline(fast, cues=("i_rate", "we_rate", "you_rate"), palette=pal, ax=axes[0])
    plot_cue_timeline(fast, cues=("i_statement_rate", "question_rate"), palette=pal, ax=axes[1])
    plot_cue_timeline(fast, cues=("sentiment_mean",), palette=pal, ax=axes[2])
    plot_latency(per_message, palette=pal, ax=axes[3])
    plot_latency_trend(fast, palette=pal, ax=axes[4])
    plot_activity_heatmap(msgs, ax=axes[5])
    plot_initiation(slow, palette=pal, ax=axes[6])
    plot_balance(fast, palette=pal, ax=axes[7])
    try:
        from .style import style_matching

        plot_style_matching(style_matching(msgs, freq=slow_freq), ax=axes[8])
    except ImportError:  # pragma: no cover - style module not installed
        _empty_note(axes[8], "style matching unavailable")
    plot_balance(fast, measure="words", share=False, palette=pal, ax=axes[9])
    start, end = _person_rows(msgs)["timestamp"].agg(["min", "max"]) if len(msgs) else (None, None)
    span = f"{start:%d %b %Y} to {end:%d %b %Y}" if start is not None and pd.notna(start) else "no messages"
    who = f"{len(pal)} senders" if not people.others else f"{len(pal) - 1 + people.others} senders"
    fig.suptitle(f"Conversation cues, {span} ({who})", fontsize="x-large")
    return fig


def _streak(days: pd.DatetimeIndex) -> tuple[int, pd.Timestamp | None, pd.Timestamp | None]:
    """Longest run of consecutive calendar days in ``days`` (sorted, unique): (length, first, last)."""
    if not len(days):
        return 0, None, None
    ordinal = (days - days[0]).days.to_numpy()
    breaks = np.flatnonzero(np.diff(ordinal) != 1)
    starts = np.concatenate([[0], breaks + 1])
    ends = np.concatenate([breaks, [len(days) - 1]])
    best = int(np.argmax(ends - starts))
    return int(ends[best] - starts[best] + 1), days[starts[best]], days[ends[best]]


def plot_calendar(
    data: pd.DataFrame,
    *,
    sender: str | None = None,
    cmap: str = "Blues",
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """A calendar heatmap: messages per day, one column per week and one row per weekday.

    Days are the calendar days of the chat's own time zone; days without messages are
    light grey, days outside the chat are blank. The title gives the longest streak of
    consecutive days with messages. Colours follow the square root of the count, so a
    few very busy days do not wash out the rest.

    Parameters
    ----------
    data : DataFrame
        A message frame (system rows are left out).
    sender : str, optional
        Only this sender's messages.
    cmap : str, default "Blues"
    ax : matplotlib Axes, optional
    **kwargs
        Passed to :class:`matplotlib.collections.PolyCollection`.

    Returns
    -------
    matplotlib Axes
        ``ax.collections[0].get_array()`` holds the messages of each day, in date order.

    Examples
    --------
    >>> import pandas as pd
    >>> import reconnect_signals as rs
    >>> msgs = rs.coerce(pd.DataFrame({
    ...     "timestamp": ["2025-01-06 21:15", "2025-01-07 09:40", "2025-01-07 10:00", "2025-01-10 09:00"],
    ...     "sender": ["A", "B", "A", "A"], "text": ["hi", "hey", "so?", "morning"],
    ... }), tz="Europe/London")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> ax = rs.plot_calendar(msgs, ax=ax)
    >>> ax.collections[0].get_array().tolist()
    [1.0, 2.0, 0.0, 0.0, 1.0]
    >>> ax.get_title()
    'Messages per day (longest streak: 2 days, 06 Jan 2025 to 07 Jan 2025)'
    >>> plt.close(fig)
    """
    from matplotlib.collections import PolyCollection
    from matplotlib.colors import PowerNorm

    if not _is_messages(data):
        _require(data, ["timestamp", "kind", "sender"], "plot_calendar")
    rows = _person_rows(data)
    if sender is not None:
        rows = rows.loc[rows["sender"].eq(sender).to_numpy()]
    ax = _get_ax(ax)
    who = f" ({sender})" if sender is not None else ""
    if not len(rows):
        ax.set_title(f"Messages per day{who}")
        _empty_note(ax, "no messages to draw")
        return ax
    local = rows["timestamp"].dt.tz_localize(None).dt.normalize()
    per_day = local.value_counts().sort_index()
    days = pd.date_range(per_day.index.min(), per_day.index.max(), freq="D")
    counts = per_day.reindex(days, fill_value=0).to_numpy(dtype=float)
    monday = days[0] - pd.Timedelta(days=days[0].day_of_week)
    col = ((days - monday).days // 7).to_numpy()
    row = days.day_of_week.to_numpy()
    verts = [[(c, r), (c + 0.9, r), (c + 0.9, r + 0.9), (c, r + 0.9)] for c, r in zip(col, row, strict=True)]
    top = max(float(counts.max()), 1.0)
    import matplotlib

    colours = matplotlib.colormaps[cmap].with_extremes(under="#ebebee")  # days without messages: grey
    norm = PowerNorm(gamma=0.5, vmin=0.5, vmax=max(top, 1.0))
    poly = PolyCollection(verts, cmap=colours, norm=norm, edgecolors="none", **kwargs)
    poly.set_array(counts)
    ax.add_collection(poly)
    _set_tips(poly, [f"{d:%a %d %b %Y}: {int(c):,} messages" for d, c in zip(days, counts, strict=True)])
    ax.set_xlim(-0.5, col.max() + 1.4)
    ax.set_ylim(7.2, -0.3)
    ax.set_yticks(np.arange(7) + 0.45, _WEEKDAYS)
    # month labels at the first week of each month
    firsts = days[days.day == 1]
    if len(firsts) > 14:  # long chats: label quarters
        firsts = firsts[firsts.month.isin([1, 4, 7, 10])]
    if len(firsts) == 0:
        firsts = days[:1]
    ax.set_xticks(
        ((firsts - monday).days // 7).to_numpy() + 0.45,
        [f"{d:%b}" + (f" {d:%Y}" if d.month == 1 or d is firsts[0] else "") for d in firsts],
    )
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    length, first, last = _streak(per_day.index[per_day.to_numpy() > 0])
    streak = (
        f"longest streak: {length} day{'s' if length != 1 else ''}, {first:%d %b %Y} to {last:%d %b %Y}"
        if length > 1
        else f"longest streak: {length} day"
    )
    ax.set_title(f"Messages per day{who} ({streak})")
    return ax


# --------------------------------------------------------------------------- trend (rs.signals(trend=True))


def plot_trend(
    data: pd.DataFrame,
    *,
    cue: str = "we_rate",
    me: str | None = None,
    freq: str = "W",
    gap: str = "6h",
    per_message: pd.DataFrame | None = None,
    level: float = 0.90,
    palette: Mapping[str, str] | None = None,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """One cue over the whole timeline with its trend reading (when did it change, if at all).

    Draws each person's value per ``freq`` period (points), Sen's slope through them (a
    dashed line, only where the Mann-Kendall trend is clear) and a vertical line at the most
    likely change in level (Pettitt's test) when there is one. The legend gives the reading
    of :func:`reconnect_signals.signals` with ``trend=True``: ``rising``, ``falling``, ``no
    clear trend`` or ``too little data``, with Sen's slope and its interval.

    Parameters
    ----------
    data : DataFrame
        A message frame.
    cue : str, default "we_rate"
        A cue :func:`~reconnect_signals.signals` reads (a column of
        ``reconnect_signals._signals.SIGNAL_CUES``).
    me : str, optional
        Your sender name: only the other people are drawn.
    freq : str, default "W"
        Period of the values.
    gap : str, default "6h"
        Session gap for the cue table.
    per_message : DataFrame, optional
        ``rs.cue_table(data, gap=gap)`` when already computed.
    level : float, default 0.90
        Level of the slope's interval and of the false discovery rate (``1 - level``).
    palette : dict, optional
        ``{sender: colour}``; default :func:`sender_palette`.
    ax : matplotlib Axes, optional
        Axes to draw on (default: the current Axes).
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.plot` for the values.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import reconnect_signals as rs
    >>> fig, ax = plt.subplots()
    >>> ax = rs.plot_trend(rs.load_example(), cue="i_rate", me="Alex", ax=ax)
    >>> ax.get_legend_handles_labels()[1][0].startswith("Sam: rising")
    True
    >>> plt.close(fig)
    """
    from ._signals import SIGNAL_CUES, _trend_frames

    spec = {c.column: c for c in SIGNAL_CUES}
    if cue not in spec:
        raise ValueError(f"plot_trend: cue must be one of {sorted(spec)}, got {cue!r}")
    if not _is_messages(data):
        raise ValueError(f"plot_trend needs a message frame (rs.read_chat(...) or rs.load_example()); {_HINT}")
    weekly, trends = _trend_frames(data, me=me, freq=freq, gap=gap, per_message=per_message, level=level, fdr=True)
    if cue not in weekly.columns:
        raise ValueError(f"plot_trend: {cue!r} needs exactly two people in the chat")
    ax = _get_ax(ax)
    pal = _palette_for(palette, weekly["sender"].dropna().unique())
    label, unit = _CUES.get(cue, (spec[cue].label, "value"))
    scale, ylabel = _UNITS.get(unit, (1.0, spec[cue].label))
    if cue == "latency_median_s":
        scale, ylabel = 1 / 60, "median reply time (min)"
    elif cue == "messages_per_day":
        scale, ylabel = 1.0, "messages a day"
    elif cue == "lsm":
        scale, ylabel = 1.0, "LSM (0-1)"
    for rec in trends[trends["cue"].eq(cue)].to_dict("records"):
        name = rec["sender"]
        grp = weekly[weekly["sender"].eq(name)].sort_values("window")
        x = _naive_local(grp["window"])
        y = grp[cue].to_numpy(dtype=float)
        reading = rec["trend"]
        if reading not in ("too little data",) and not np.isnan(rec["trend_slope"]):
            reading += (
                f", slope {rec['trend_slope'] * scale:+.3g} per {_freq_word(freq)} "
                f"[{rec['trend_low'] * scale:+.3g}, {rec['trend_high'] * scale:+.3g}]"
            )
        line_kw = {"marker": "o", "markersize": 3, "linewidth": 0.8, "alpha": 0.8, **kwargs}
        ax.plot(x, y * scale, color=pal[str(name)], label=f"{name}: {reading}", **line_kw)
        if rec["trend"] in ("rising", "falling"):
            t = np.arange(len(y), dtype=float)
            ok = ~np.isnan(y)
            intercept = float(np.median(y[ok] - rec["trend_slope"] * t[ok]))
            ax.plot(
                x,
                (intercept + rec["trend_slope"] * t) * scale,
                color=pal[str(name)],
                linestyle="--",
                linewidth=1.6,
                label=f"{name}: Sen's slope",
            )
        if not _isna(rec["changed_at"]):
            when = _naive_local(pd.Series([rec["changed_at"]]))[0]
            ax.axvline(
                when,
                color=pal[str(name)],
                linestyle=":",
                linewidth=1.2,
                label=f"{name}: change around {pd.Timestamp(rec['changed_at']):%d %b %Y}",
            )
    ax.set_title(_title(f"{label} per {_freq_word(freq)}: trend over the whole chat"))
    ax.set_xlabel(f"{_freq_word(freq)} starting")
    ax.set_ylabel(ylabel)
    _date_axis(ax)
    if ax.lines:
        ax.legend(fontsize="small")
    return ax
