"""``rs.report``: one self-contained HTML file with the signals, the plots and the caveats.

The file has no scripts and loads nothing: figures are inline SVG (with a ``<title>`` hover
text on every point; see ``_report_figures``), the CSS is inline (responsive, with a print
stylesheet), and every piece of chat text and every name is HTML-escaped (names in an
export are hostile input).
"""

from __future__ import annotations

import html
import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["report", "SECTIONS"]

logger = logging.getLogger(__name__)

#: Section ids of the report, in order (each is an ``<section id=...>``).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("summary", "Summary"),
    ("signals", "Signals: recent weeks against before"),
    ("plots", "Plots"),
    ("explore", "Words, replies and media"),
    ("parse-report", "Parse report"),
    ("time-zone", "Time zone"),
    ("definitions", "Definitions and references"),
    ("caveats", "Caveats"),
)

_THIN_MESSAGES = 20  # fewer text messages than this per sender: flagged as thin data
_DETAILED_REPORTS = 10  # more parse reports than this: an overview table, details only for problems

_CSS = """
:root { --ink: #1d1d1f; --muted: #5f6368; --rule: #d9d9de; --accent: #0072B2; --warn: #fff4e5; --warn-rule: #e69f00; }
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); line-height: 1.5; }
body { max-width: 62rem; margin: 0 auto; padding: 1.5rem 1.25rem 4rem; }
h1 { font-size: 1.8rem; margin: 0 0 .25rem; }
h2 { font-size: 1.35rem; margin: 2.5rem 0 .75rem; padding-bottom: .25rem; border-bottom: 2px solid var(--rule); }
h3 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; }
p.lead { color: var(--muted); margin-top: 0; }
nav ol { columns: 2; padding-left: 1.2rem; }
nav a, a { color: var(--accent); }
.scroll { overflow-x: auto; max-width: 100%; margin: .5rem 0 1rem; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--rule); vertical-align: top;
         overflow-wrap: break-word; }
th { background: #f4f4f6; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; overflow-wrap: normal; }
td.terms { min-width: 9rem; }
#signals td:nth-child(2) { min-width: 18rem; }  /* the sentence gets the room, not the numbers */
#signals td.num { white-space: normal; min-width: 6rem; }
figure { margin: 1rem 0 2rem; }
.fig { overflow-x: auto; border: 1px solid var(--rule); }
.fig svg { display: block; width: 100%; height: auto; min-width: 34rem; }
figcaption { color: var(--muted); font-size: .9rem; margin-top: .35rem; }
main, section, p, li, dd { overflow-wrap: break-word; }
details.fold summary { cursor: pointer; color: var(--accent); margin: .5rem 0; }
.warmer { color: #0072B2; } .cooler { color: #8a5a00; }
@media (max-width: 40rem) {
  body { padding: 1rem .75rem 3rem; }
  nav ol { columns: 1; }
  h1 { font-size: 1.45rem; }
  table { font-size: .85rem; }
  .scroll table { min-width: 30rem; }
}
.box { background: var(--warn); border-left: 4px solid var(--warn-rule); padding: .6rem .9rem; margin: .75rem 0; }
.muted { color: var(--muted); }
dl dt { font-weight: 600; margin-top: .6rem; }
dl dd { margin-left: 1.2rem; }
ol.refs li { margin-bottom: .35rem; }
code { font-size: .9em; background: #f4f4f6; padding: 0 .2em; }
.up, .down { color: var(--ink); } .flat { color: var(--muted); }  /* up or down is not good or bad in itself */
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav { display: none; }
  h2 { break-after: avoid; }
  figure, table, .box, dl dd { break-inside: avoid; }
  .fig, .scroll { overflow: visible; border: none; }
  .fig svg { min-width: 0; }
  a { color: inherit; text-decoration: none; }
  section { break-before: auto; }
}
"""

# --------------------------------------------------------------------------- definitions

# terms the cues are built on; every cue's own definition comes from the cue catalogue
_GENERAL_DEFINITIONS: tuple[tuple[str, str], ...] = (
    (
        "Message, turn, session",
        "A message is one text row of the chat (media, deleted, system and reaction rows are kept but carry "
        "no word cues). A turn is an unbroken run of messages by one person. A session is a stretch of "
        "messages with no pause longer than the session gap (6 hours by default); there is no canonical "
        "gap, because chat timing is bursty: quick exchanges separated by long silences [Wu 2010].",
    ),
)

_REFERENCES: tuple[tuple[str, str], ...] = (
    (
        "Al-Mosaiwi 2018",
        "Al-Mosaiwi, M., & Johnstone, T. (2018). In an absolute state: Elevated use of absolutist "
        "words is a marker specific to anxiety, depression, and suicidal ideation. Clinical Psychological Science, "
        "6(4), 529-542.",
    ),
    (
        "Cohen & Olshtain 1981",
        "Cohen, A. D., & Olshtain, E. (1981). Developing a measure of sociocultural "
        "competence: The case of apology. Language Learning, 31(1), 113-134.",
    ),
    (
        "Gottman 1994",
        "Gottman, J. M. (1994). What predicts divorce? The relationship between marital processes "
        "and marital outcomes. Hillsdale, NJ: Lawrence Erlbaum.",
    ),
    (
        "Huang 2017",
        "Huang, K., Yeomans, M., Brooks, A. W., Minson, J., & Gino, F. (2017). It doesn't hurt to "
        "ask: Question-asking increases liking. Journal of Personality and Social Psychology, 113(3), 430-452.",
    ),
    (
        "Hutto & Gilbert 2014",
        "Hutto, C. J., & Gilbert, E. (2014). VADER: A parsimonious rule-based model for "
        "sentiment analysis of social media text. Proceedings of ICWSM 2014.",
    ),
    (
        "Ireland & Pennebaker 2010",
        "Ireland, M. E., & Pennebaker, J. W. (2010). Language style matching in "
        "writing: Synchrony in essays, correspondence, and poetry. Journal of Personality and Social Psychology, "
        "99(3), 549-571.",
    ),
    (
        "Ireland 2011",
        "Ireland, M. E., Slatcher, R. B., Eastwick, P. W., Scissors, L. E., Finkel, E. J., & "
        "Pennebaker, J. W. (2011). Language style matching predicts relationship initiation and stability. "
        "Psychological Science, 22(1), 39-44.",
    ),
    (
        "Karan 2019",
        "Karan, A., Rosenthal, R., & Robbins, M. L. (2019). Meta-analytic evidence that we-talk "
        "predicts relationship and personal functioning in romantic couples. Journal of Social and Personal "
        "Relationships, 36(9), 2624-2651.",
    ),
    (
        "Muller-Frommeyer 2019",
        "Muller-Frommeyer, L. C., Frommeyer, N. A. M., & Kauffeld, S. (2019). Introducing "
        "rLSM: An integrated metric assessing temporal reciprocity in language style matching. Behavior Research "
        "Methods, 51, 1343-1359.",
    ),
    (
        "Pennebaker 2015",
        "Pennebaker, J. W., Boyd, R. L., Jordan, K., & Blackburn, K. (2015). The development and "
        "psychometric properties of LIWC2015. Austin, TX: University of Texas at Austin.",
    ),
    (
        "Rogers 2018",
        "Rogers, S. L., Howieson, J., & Neame, C. (2018). I understand you feel that way, but I feel "
        "this way: The benefits of I-language and communicating perspective during conflict. PeerJ, 6, e4831.",
    ),
    (
        "Seider 2009",
        "Seider, B. H., Hirschberger, G., Nelson, K. L., & Levenson, R. W. (2009). We can work it "
        "out: Age differences in relational pronouns, physiology, and behavior in marital conflict. Psychology and "
        "Aging, 24(3), 604-613.",
    ),
    (
        "Simmons 2005",
        "Simmons, R. A., Gordon, P. C., & Chambless, D. L. (2005). Pronouns in marital interaction: "
        'What do "you" and "I" say about marital health? Psychological Science, 16(12), 932-936.',
    ),
    (
        "Slatcher 2008",
        'Slatcher, R. B., Vazire, S., & Pennebaker, J. W. (2008). Am "I" more important than '
        '"we"? Couples\' word use in instant messages. Personal Relationships, 15(4), 407-424.',
    ),
    (
        "Wu 2010",
        "Wu, Y., Zhou, C., Xiao, J., Kurths, J., & Schellnhuber, H. J. (2010). Evidence for a bimodal "
        "distribution in human communication. Proceedings of the National Academy of Sciences, 107(44), "
        "18803-18808.",
    ),
)

_CAVEATS: tuple[str, ...] = (
    "This report describes a conversation; it does not diagnose a relationship or predict what anyone will "
    "do. None of these cues has been validated as evidence of what a particular person feels.",
    "The research behind the cues comes from studies of couples, dating and chat with small average effects: "
    "a rise in 'we' or a faster reply means little on its own, and much less for one person than for a "
    "group.",
    "Messages are only what was written in this chat. Calls, meetings, other apps, deleted and edited "
    "messages, and everything said elsewhere are missing, and busy weeks look like cold weeks.",
    "The word cues are word lists and simple patterns, one set per language (English, German, Spanish, French, "
    "Italian, Dutch, Portuguese; the summary says which this chat uses). They miss sarcasm, in-jokes, "
    "languages without a word list and spelling the lists do not know, and they count quotes and song lyrics "
    "as the writer's own words.",
    "Timing depends on choices: the 6-hour session gap, the minute resolution of some exports, and the time "
    "zone the export was read in (see the time-zone section).",
    "Few messages make noisy numbers. Windows and senders with little data are flagged below and in the "
    "signals table; treat those values as anecdotes.",
)


# --------------------------------------------------------------------------- small HTML helpers


def _e(value) -> str:
    """Escape anything for HTML text and attribute values."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return html.escape(str(value), quote=True)


def _fmt_num(value, digits: int = 3) -> str:
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return "-"
    except (TypeError, ValueError):
        return _e(value)
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if v == 0:
            return "0"
        if abs(v) >= 1000:
            return f"{v:,.0f}"
        return f"{v:.{digits}g}"
    return _e(value)


def _fmt_duration(seconds) -> str:
    try:
        s = float(seconds)
    except (TypeError, ValueError):
        return "-"
    if math.isnan(s):
        return "-"
    if s < 60:
        return f"{s:.0f} s"
    if s < 3600:
        return f"{s / 60:.0f} min"
    if s < 86400:
        return f"{s / 3600:.1f} h"
    return f"{s / 86400:.1f} days"


def _table(frame: pd.DataFrame, columns: Sequence[tuple[str, str, Callable[..., Any] | None]]) -> str:
    """An escaped HTML table: ``columns`` = (column, header, formatter or None)."""
    head = "".join(f'<th class="num">{_e(h)}</th>' if fmt is not None else f"<th>{_e(h)}</th>" for _, h, fmt in columns)
    rows = []
    for rec in frame.to_dict("records"):
        cells = []
        for col, _, fmt in columns:
            value = rec.get(col)
            if fmt is None:
                cells.append(f"<td>{_e(value)}</td>")
            else:
                cells.append(f'<td class="num">{_e(fmt(value))}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _box(text: str) -> str:
    return f'<div class="box">{text}</div>'


# --------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class _Figure:
    title: str
    caption: str
    draw: Callable


def _figures_html(specs, attempt: Callable) -> list[str]:
    """Each figure as inline SVG in a ``<figure>`` (a figure that fails says so and the report goes on)."""
    from ._report_figures import to_svg

    out = []
    glyphs: set[str] = set()  # font glyphs are defined once per page
    for i, spec in enumerate(specs):

        def render(spec=spec, i=i):
            fig = spec.make()
            return to_svg(fig, f"f{i}-", spec.title, glyphs)

        svg = attempt(f"the figure '{spec.title}'", render)
        if svg is None:
            out.append(
                f"<figure><figcaption><strong>{_e(spec.title)}</strong>: not drawn (see caveats).</figcaption></figure>"
            )
            continue
        out.append(
            f'<figure id="fig-{i}"><div class="fig">{svg}</div>'
            f"<figcaption><strong>{_e(spec.title)}.</strong> {_e(spec.caption)}</figcaption></figure>"
        )
    return out


_FOLD_ROWS = 40  # a table with more rows starts folded (a group chat has a dozen readings per person)


def _fold_long_table(fragment: str, rows: int, what: str) -> str:
    """Put a long table into a ``<details>`` box, so that the page stays readable on a phone."""
    if rows <= _FOLD_ROWS or "<table>" not in fragment:
        return fragment
    head, _, rest = fragment.partition("<table>")
    return f'{head}<details class="fold"><summary>Show all {rows:,} {_e(what)}</summary><table>{rest}</details>'


def _scroll_tables(fragment: str) -> str:
    """Every table in a box of its own that scrolls sideways on a narrow screen (the page never does)."""
    return fragment.replace("<table>", '<div class="scroll"><table>').replace("</table>", "</table></div>")


_TERM_HEADINGS = (("words", "top words"), ("emoji", "top emoji"), ("links", "links"), ("mentions", "@mentions"))


def _explore_section(msgs: pd.DataFrame, people, gap: str) -> str:
    from ._explore import media_counts, reply_matrix, top_terms
    from ._report_figures import relabel

    parts = [
        "<p>What was written and by whom: counts, not cues. Words leave out common stop words "
        "(the maintained <code>stop-words</code> list for English).</p>"
    ]
    shown = relabel(msgs, people)
    assert shown is not None  # relabel returns None only for a None frame
    rows = {}
    for kind, heading in _TERM_HEADINGS:
        top = top_terms(shown, kind=kind, n=8 if kind in ("words", "emoji") else 5)
        if not len(top):
            continue
        rows[heading] = {
            person: ", ".join(f"{t} ({c:,})" for t, c in zip(grp["term"], grp["count"], strict=True))
            for person, grp in top.groupby("sender", sort=False)
        }
    if rows:
        head = "<th>person</th>" + "".join(f"<th>{_e(h)}</th>" for h in rows)
        body = []
        for person in people.order:
            cells = "".join(f'<td class="terms">{_e(rows[h].get(person, ""))}</td>' for h in rows)
            body.append(f"<tr><td>{_e(person)}</td>{cells}</tr>")
        parts.append(
            '<h3>Top words, emoji, links and mentions</h3><p class="muted">In brackets: how often.'
            f"</p><table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        )
    matrix = reply_matrix(msgs, gap=gap)
    if matrix.shape[0] > 1 and int(matrix.to_numpy().sum()):
        # pool the "others" rows and columns the way the figures do
        lab = people.label
        matrix = matrix.rename(index=lab, columns=lab).T.groupby(level=0, sort=False).sum().T
        matrix = matrix.groupby(level=0, sort=False).sum()
        order = [p for p in people.order if p in matrix.index]
        matrix = matrix.reindex(index=order, columns=order, fill_value=0)
        head = "<th>reply from \\ to</th>" + "".join(f'<th class="num">{_e(c)}</th>' for c in matrix.columns)
        matrix_rows = "".join(
            f"<tr><td>{_e(r)}</td>" + "".join(f'<td class="num">{int(v):,}</td>' for v in matrix.loc[r]) + "</tr>"
            for r in matrix.index
        )
        parts.append(
            "<h3>Who replies to whom</h3><p>Replies (the first message of a turn within a session) counted "
            "from each person (rows) to the person who wrote just before (columns)"
            + ("; replies among the pooled others count on their diagonal cell" if people.others else "")
            + f".</p><table><thead><tr>{head}</tr></thead><tbody>{matrix_rows}</tbody></table>"
        )
    media = media_counts(shown)
    if len(media):
        cols = [("sender", "person", None)] + [(c, c, _fmt_num) for c in media.columns]
        unknown_only = list(media.columns) == ["unknown", "total"]
        parts.append(
            "<h3>Media by type</h3>"
            + (
                '<p class="muted">This export does not say what kind of media each attachment was.</p>'
                if unknown_only
                else ""
            )
            + _table(media.reset_index().rename(columns={"chat": "sender"}), cols)
        )
    return "".join(parts)


# --------------------------------------------------------------------------- sections


def _person_rows(msgs: pd.DataFrame) -> pd.DataFrame:
    keep = msgs["sender"].notna() & msgs["kind"].astype("str").ne("system").fillna(True)
    return msgs.loc[keep.to_numpy()]


def _span(days: float) -> str:
    if days < 1:
        return "less than a day"
    return "1 day" if round(days) == 1 else f"{days:,.0f} days"


def _summary(msgs: pd.DataFrame, overall: pd.DataFrame | None, me: str | None, shown=None) -> tuple[str, list[str]]:
    people = _person_rows(msgs)
    thin: list[str] = []
    parts = []
    if len(people):
        start, end = people["timestamp"].min(), people["timestamp"].max()
        days = max((end - start) / pd.Timedelta(days=1), 0)
        system = int(len(msgs) - len(people))
        parts.append(
            f"<p>{len(people):,} messages from {people['sender'].nunique()} people in "
            f"{msgs['conversation_id'].nunique()} conversation(s), from {_e(f'{start:%d %b %Y}')} to "
            f"{_e(f'{end:%d %b %Y}')} ({_span(days)})"
            + (
                f"; {system:,} system row(s) of the export (joins, changes of number, security notices) are "
                "not counted as messages"
                if system
                else ""
            )
            + ".</p>"
        )
        if shown is not None and shown.others:
            parts.append(
                f"<p>The {len(shown.order) - 1} people with the most messages are shown one by one; the other "
                f"{shown.others} are pooled as <strong>{_e(shown.order[-1])}</strong> in the tables and "
                "figures (their reply times and sessions are still computed person by person).</p>"
            )
    else:
        parts.append("<p>The chat has no messages from people (only system rows, or nothing at all).</p>")
    if me is not None:
        parts.append(f"<p>Written for <strong>{_e(me)}</strong>: the signals below describe the other person(s).</p>")
    if overall is not None and len(overall):
        cols = [
            ("sender", "sender", None),
            ("messages", "messages", _fmt_num),
            ("words", "words", _fmt_num),
            ("words_per_message", "words per message", _fmt_num),
            ("latency_median_s", "median reply time", _fmt_duration),
            ("reply_rate", "turns answered", _pct),
            ("initiation_share", "sessions opened", _pct),
        ]
        cols = [c for c in cols if c[0] in overall.columns]
        if shown is not None:
            rank = {name: i for i, name in enumerate(shown.order)}
            overall = overall.sort_values("sender", key=lambda c: c.map(rank), kind="stable")
            cols[0] = ("sender", "person", None)
        parts.append(_table(overall, cols))
        if "messages" in overall.columns:
            for rec in overall.to_dict("records"):
                if (rec.get("messages") or 0) < _THIN_MESSAGES:
                    n_text = rec.get("text_messages", rec.get("messages"))
                    thin.append(f"{rec.get('sender')} has only {n_text} text messages")
    return "".join(parts), thin


def _languages_section(per_message: pd.DataFrame | None) -> tuple[str, list[str]]:
    """Which languages the messages are in, and which cues are available for them.

    Shares are of people's text messages (the ``language`` column of the per-message cues,
    decided per conversation and sender, per message in mixed chats). Sentiment (VADER) is
    English-only: messages in the other languages have no sentiment, and the report says so.
    """
    if per_message is None or "language" not in per_message.columns:
        return "", []
    from .cues import list_languages

    text = per_message[per_message["kind"].eq("text") & per_message["sender"].notna()]
    if not len(text):
        return "", []
    counts = text["language"].astype("str").value_counts()
    known = list_languages().set_index("language")
    names = {code: str(known.loc[code, "name"]) for code in known.index}
    names["und"] = "undetermined (no language with a word list; read with the English rules)"
    total = int(counts.sum())
    listed = ", ".join(f"{_e(names.get(code, code))} {_pct(n / total)} ({n:,})" for code, n in counts.items())
    word = "Language" if len(counts) == 1 else "Languages"
    parts = [f'<p id="languages"><strong>{word}</strong> of the {total:,} text messages: {listed}.']
    notes: list[str] = []
    sentiment_langs = set(known.index[known["sentiment"].to_numpy(bool)])
    without = [code for code in counts.index if code not in sentiment_langs and code != "und"]
    with_sentiment = int(counts[[c for c in counts.index if c in sentiment_langs or c == "und"]].sum())
    parts.append(
        " Every word cue (we/I/you words, I-statements, you-criticism, questions, apologies, laughter, "
        "absolutist words, gratitude, affection, style matching) uses each language's own rules; emoji are "
        "counted the same way in every language."
    )
    if without:
        named = [_e(names.get(c, c)) for c in without]
        langs = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
        parts.append(
            f" <strong>Sentiment</strong> (VADER) exists for English only: it is not computed for the "
            f"{langs} messages, so the sentiment figures and averages rest on {_pct(with_sentiment / total)} "
            f"of the text messages ({with_sentiment:,})."
        )
        notes.append(f"sentiment is English-only: {total - with_sentiment:,} text messages in {langs} have none")
    parts.append(" How far each cue can be trusted in each language: docs/languages.md and the definitions below.</p>")
    return "".join(parts), notes


def _pct(value) -> str:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return "-"
    return "-" if math.isnan(v) else f"{100 * v:.0f} %"


def _period(value: str) -> str:
    try:
        days = pd.Timedelta(value) / pd.Timedelta(days=1)
    except (TypeError, ValueError):
        return str(value)
    return f"{days:g} days" if days != 1 else "day"


def _direction_style(cue: str, direction: str) -> str:
    """CSS class of a change: "warmer" when it goes the way research reads as more engaged (the cue
    catalogue's ``warmer``: fewer minutes to reply, more 'we'), "cooler" the other way, "flat" when
    neither can be said (an 'I' rate) or nothing changed. The words stay neutral (up / down)."""
    if direction not in ("up", "down"):
        return "muted"
    from .cues import CATALOGUE

    spec = CATALOGUE.get(cue)
    warmer = spec.warmer_direction if spec is not None else ""
    if not warmer:
        return "flat"
    return "warmer" if direction == warmer else "cooler"


def _signals_section(sig: pd.DataFrame | None, recent: str) -> tuple[str, list[str]]:
    if sig is None or not len(sig):
        return "<p>No signals could be computed for this chat (too few messages).</p>", []
    words = {
        "up": "&#8593; up",
        "down": "&#8595; down",
        "no clear change": "no clear change",
        "too little data": "too little data",
    }
    cautions = []
    rows = []
    for rec in sig.to_dict("records"):
        direction = str(rec.get("direction", ""))
        style = _direction_style(str(rec.get("cue", "")), direction)
        caution = rec.get("caution")
        has_caution = (
            caution is not None
            and not (isinstance(caution, float) and math.isnan(caution))
            and str(caution).strip() not in ("", "nan", "<NA>")
        )
        if has_caution:
            cautions.append(f"{rec.get('sender')}, {rec.get('cue')}: {caution}")
        rows.append(
            "<tr>"
            f"<td>{_e(rec.get('sender'))}</td>"
            f"<td>{_e(rec.get('reading'))}</td>"
            f'<td class="num">{_e(rec.get("summary"))}</td>'
            f'<td class="{style}">{words.get(direction, _e(direction))}</td>'
            f'<td class="num">{_e(_fmt_num(rec.get("n_before")))} / {_e(_fmt_num(rec.get("n_recent")))}</td>'
            f"<td>{_e(caution) if has_caution else ''}</td>"
            "</tr>"
        )
    head = (
        '<tr><th>sender</th><th>reading</th><th class="num">recent vs before, change [interval]</th>'
        '<th>direction</th><th class="num">n before / recent</th><th>caution</th></tr>'
    )
    meta = sig.attrs.get("reconnect_signals", {}).get("signals", {}) if isinstance(sig.attrs, dict) else {}
    shown = meta.get("interval_level")
    level = f"{100 * shown:.1f} %" if isinstance(shown, float) else "90 %"
    intro = (
        f"<p>Each row compares the last {_e(_period(recent))} of the chat with everything before (n: the "
        "messages, replies, sessions or words each value rests on). The sentences "
        "describe changes in how someone writes; they are not advice and not a forecast.</p>"
    )
    note = (
        "<p><strong>How to read this.</strong> The bracket is the range of changes the data are compatible "
        f"with ({_e(level)} interval, from resampling whole days of the chat; pp: percentage points). "
        "&#8220;Up&#8221; or &#8220;down&#8221; appears only when the whole range lies beyond zero and beyond "
        "a small change that would not matter in practice; otherwise the row says &#8220;no clear "
        "change&#8221;, which means the data cannot tell, not that nothing changed. The intervals are widened "
        "because many cues are read at once, so that few of the ups and downs shown are false alarms. "
        "&#8220;Too little data&#8221; means a window has too few messages, replies or days for a "
        "reading.</p>"
    )
    return intro + f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>" + note, cautions


def _parse_section(msgs: pd.DataFrame) -> tuple[str, list[str]]:
    from .io import parse_reports as get_report

    reports = get_report(msgs)
    if not reports:
        return (
            "<p>This frame carries no parse report (it was not made by <code>rs.read_chat</code>, or the "
            "report was dropped on the way), so nothing can be said about lines that were not read.</p>",
            [],
        )
    notes: list[str] = []
    parts = []
    if len(reports) > _DETAILED_REPORTS:
        overview = pd.DataFrame(
            [
                {
                    "source": r.source,
                    "format": r.format,
                    "total": r.total,
                    "messages": r.messages,
                    "unplaced": r.unplaced,
                }
                for r in reports
            ]
        )
        parts.append(
            f"<p>{len(reports):,} sources were read: {int(overview['messages'].sum()):,} messages, "
            f"{int(overview['unplaced'].sum()):,} input units not placed. Sources with problems are detailed "
            f"below (at most {_DETAILED_REPORTS}).</p>"
        )
        parts.append(
            _table(
                overview,
                [
                    ("source", "source", None),
                    ("format", "format", None),
                    ("total", "input units", _fmt_num),
                    ("messages", "messages", _fmt_num),
                    ("unplaced", "not placed", _fmt_num),
                ],
            )
        )
        bad = [r for r in reports if r.unplaced or not r.accounted()]
        notes.extend(f"{r.unplaced} {r.units} of {r.source} could not be read" for r in bad if r.unplaced)
        reports = bad[:_DETAILED_REPORTS]
        if not reports:
            return "".join(parts) + "<p>Every input unit of every source is accounted for.</p>", notes
        notes_before: int | None = len(notes)
    else:
        notes_before = None
    for rep in reports:
        ok = rep.accounted()
        parts.append(f'<h3>{_e(rep.source)} <span class="muted">({_e(rep.format)})</span></h3>')
        parts.append(
            _table(
                pd.DataFrame(
                    [
                        {"what": f"input {rep.units}", "n": rep.total},
                        {"what": "messages", "n": rep.messages},
                        {"what": "continuation lines (multi-line messages)", "n": rep.continuations},
                        {"what": "skipped on purpose", "n": rep.skipped},
                        {"what": "not placed (problems)", "n": rep.unplaced},
                    ]
                ),
                [("what", "", None), ("n", "count", _fmt_num)],
            )
        )
        if rep.skipped_reasons:
            why = "; ".join(f"{_e(k)}: {v:,}" for k, v in sorted(rep.skipped_reasons.items()))
            parts.append(f'<p class="muted">Skipped: {why}.</p>')
        parts.append(
            "<p>Every input unit is accounted for: read, skipped on purpose, or listed as a problem.</p>"
            if ok
            else _box("The counts do not add up: some input was neither read nor reported. Please report this.")
        )
        if rep.unplaced:
            if notes_before is None:  # (with an overview the notes are already listed)
                notes.append(f"{rep.unplaced} {rep.units} of {rep.source} could not be read")
            probs = rep.to_frame().head(50)
            parts.append(
                _box(
                    f"{rep.unplaced:,} {_e(rep.units)} could not be placed in a message and are left out"
                    + (" (the first 50 are listed)" if rep.unplaced > 50 else "")
                    + "."
                )
            )
            parts.append(
                _table(
                    probs,
                    [
                        ("line", "line", _fmt_num),
                        ("reason", "reason", None),
                        ("excerpt", "excerpt", None),
                        ("location", "where", None),
                    ],
                )
            )
        if rep.notices:
            items = "".join(f"<li>{_e(n)}</li>" for n in rep.notices[:20])
            more = f"<li>... and {len(rep.notices) - 20} more</li>" if len(rep.notices) > 20 else ""
            parts.append(f"<p>Notes from the reader:</p><ul>{items}{more}</ul>")
    return "".join(parts), notes


def _tz_section(msgs: pd.DataFrame) -> tuple[str, list[str]]:
    meta = msgs.attrs.get("reconnect_signals", {}) if isinstance(msgs.attrs, dict) else {}
    shown = getattr(msgs["timestamp"].dtype, "tz", None)
    assumed = meta.get("tz_assumed")
    given = meta.get("tz")
    notes: list[str] = []
    if assumed:
        text = _box(
            f"No time zone was given when this export was read, so its wall-clock times were labelled "
            f"<strong>{_e(assumed)}</strong>. Hours of the day, weekdays and the edges of weeks and months may "
            "be shifted by your offset from UTC, and a daylight-saving change can look like a one-hour jump. "
            "Read the export again with your zone, e.g. <code>--tz Europe/London</code> on the command line "
            'or <code>rs.read_chat(path, tz="Europe/London")</code>.'
        )
        notes.append(f"times assumed to be {assumed}")
    elif given:
        text = (
            f"<p>Times were read as wall-clock times in <strong>{_e(given)}</strong>, and all times of day in "
            "this report are in that zone. Daylight-saving changes are handled; reply latencies are computed "
            "on absolute instants.</p>"
        )
    else:
        text = (
            f"<p>The frame does not record how its times were read; they are shown in "
            f"<strong>{_e(shown)}</strong>. If the export stored wall-clock times (WhatsApp, CSV without "
            "offsets), make sure that zone is the one the phone used.</p>"
        )
        if str(shown) == "UTC":
            notes.append("times are shown in UTC; check that this is the chat's zone")
    return text, notes


_KIND_ORDER = {"cue": 0, "signal": 1, "extra": 2, "count": 3}


def _definitions() -> list[tuple[str, str, str]]:
    """(term, column, definition): the general terms, then every catalogue cue."""
    from .cues import CATALOGUE

    out = [(term, "", text) for term, text in _GENERAL_DEFINITIONS]
    for spec in sorted(CATALOGUE.values(), key=lambda spec: _KIND_ORDER[spec.kind]):
        text = spec.definition
        if spec.precision is not None:
            text += (
                f" Measured on 1,800 held-out real chat messages (English IRC, set v4) labelled by people who "
                f"never saw the rule: precision {spec.precision:.2f}, recall {spec.recall:.2f} (intervals and "
                "other languages in docs/cues.md and docs/languages.md)."
            )
        out.append((spec.label[:1].upper() + spec.label[1:], spec.column, text))
    return out


def _definitions_section() -> str:
    items = "".join(
        f"<dt>{_e(term)}{f' <code>{_e(col)}</code>' if col else ''}</dt><dd>{_e(text)}</dd>"
        for term, col, text in _definitions()
    )
    refs = "".join(f"<li><strong>[{_e(key)}]</strong> {_e(text)}</li>" for key, text in _REFERENCES)
    return f'<dl>{items}</dl><h3>References</h3><ol class="refs">{refs}</ol>'


def _merge_repeats(items: list[str]) -> list[str]:
    """One line per distinct warning: "A, x: text" and "B, y: text" become "text (A, x; B, y)"."""
    out: dict[str, list[str]] = {}
    for item in items:
        text = str(item).strip()
        if not text or text.lower() in ("nan", "<na>", "none"):
            continue
        who, sep, what = text.partition(": ")
        key = what if sep and what else text
        out.setdefault(key, [])
        if sep and what:
            out[key].append(who)
    merged = []
    for what, whos in out.items():
        if len(whos) > 1:
            shown = "; ".join(whos[:8]) + (f"; and {len(whos) - 8} more" if len(whos) > 8 else "")
            merged.append(f"{what[:1].upper()}{what[1:]} ({shown})")
        elif whos:
            merged.append(f"{whos[0]}: {what}")
        else:
            merged.append(what)
    return merged


def _caveats_section(thin: list[str]) -> str:
    items = "".join(f"<li>{_e(c)}</li>" for c in _CAVEATS)
    out = f"<ul>{items}</ul>"
    thin = _merge_repeats(thin)
    if thin:
        listed = "".join(f"<li>{_e(t)}</li>" for t in thin[:40])
        more = f"<li>... and {len(thin) - 40} more</li>" if len(thin) > 40 else ""
        out += f'<h3>Thin data and other warnings for this chat</h3><ul id="thin-data">{listed}{more}</ul>'
    else:
        out += "<p>No thin-data warnings for this chat.</p>"
    return out


# --------------------------------------------------------------------------- the report


def report(
    msgs: pd.DataFrame,
    path: str | Path = "report.html",
    *,
    me: str | None = None,
    freq: str = "auto",
    recent: str = "30D",
    gap: str = "6h",
    title: str | None = None,
    progress: bool | None = None,
    top: int = 8,
    min_n: int = 5,
) -> Path:
    """Write one self-contained HTML report of a chat: signals, plots, definitions, caveats.

    The file embeds its figures as inline SVG (crisp at any width; hover a point, bar or
    day for its value and the n it rests on) and its CSS inline, loads nothing from the
    network, contains no scripts, reads on a phone (tables and wide figures scroll in their
    own box) and prints well. Every name and every piece of chat text is HTML-escaped.
    Sections: summary, signals (``rs.signals``), plots, words/replies/media
    (``rs.top_terms``, ``rs.reply_matrix``, ``rs.media_counts``), parse report
    (``rs.parse_report``), time-zone assumption (from ``msgs.attrs``), definitions with
    references, and caveats (the report describes, it does not diagnose; small effects;
    one list of the thin data of this chat).

    Group chats: the ``top`` people with the most messages are shown one by one and the
    rest pooled as "others" (their replies and sessions are still computed on the real
    senders); each person keeps one colour in every figure, and with more than three
    people shown the timelines become one small panel per person.

    Parameters
    ----------
    msgs : DataFrame
        A message frame (``rs.read_chat(...)``, ``rs.load_example()``).
    path : str or Path, default "report.html"
        Where to write the file (overwritten).
    me : str, optional
        Your own sender name: the signals then describe the other person(s).
    freq : str, default "auto"
        Window of the timelines (pandas offset alias: "D", "W", "MS", ...); "auto" takes
        days for a chat shorter than two months, weeks up to two years, months beyond.
    recent : str, default "30D"
        The recent period the signals compare with everything before.
    gap : str, default "6h"
        Session gap.
    title : str, optional
        Page title (default: "Conversation report").
    progress : bool, optional
        Show a progress bar (default: only on a terminal).
    top : int, default 8
        How many people to show one by one (by messages); the rest are "others".
    min_n : int, default 5
        Windows with fewer messages are drawn hollow and listed as thin data.

    Returns
    -------
    Path
        The file written.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import pandas as pd
    >>> import reconnect_signals as rs
    >>> msgs = rs.coerce(pd.DataFrame({
    ...     "timestamp": ["2025-03-01 10:00", "2025-03-01 10:04", "2025-03-02 19:30"],
    ...     "sender": ["Alex", "Sam", "Alex"],
    ...     "text": ["are we still on for tonight?", "yes! I miss you", "see you at 8"],
    ... }), tz="Europe/London")
    >>> path = rs.report(msgs, Path(tempfile.mkdtemp()) / "report.html", me="Alex", progress=False)
    >>> page = path.read_text(encoding="utf-8")
    >>> '<section id="caveats">' in page, "https://" in page
    (True, False)

    From a terminal: ``reconnect-signals report chat.txt --tz Europe/London --me Alex``.
    """
    from tqdm import tqdm  # plain bar: no widget warning in notebooks

    from .plotting import _freq_word
    from .schema import validate

    validate(msgs)
    path = Path(path)
    if path.parent and not path.parent.exists():
        raise FileNotFoundError(f"folder {str(path.parent)!r} does not exist; create it or choose another path")
    if me is not None and not msgs["sender"].eq(me).any():
        known = sorted(_person_rows(msgs)["sender"].unique().tolist())[:10]
        raise ValueError(f"me={me!r} is not a sender of this chat; choose one of {known}")

    steps = tqdm(total=6, desc="report", unit="step", disable=None if progress is None else not progress)
    failures: list[str] = []

    def attempt(what: str, fn: Callable):
        try:
            return fn()
        except Exception as exc:  # a report shows what it could compute and says what failed
            logger.warning("report: %s failed: %s", what, exc, exc_info=logger.isEnabledFor(logging.DEBUG))
            failures.append(f"{what} could not be computed ({type(exc).__name__}: {exc})")
            return None

    from . import _report_figures as rf
    from .table import cue_table

    people = rf.choose_people(msgs, top)
    if freq == "auto":
        freq = rf.auto_freq(_person_rows(msgs))
    # the per-message cues and structure, computed once; every table below aggregates them
    per_message = attempt("the per-message cues and conversation structure", lambda: cue_table(msgs, gap=gap))
    shown = rf.relabel(per_message, people)  # top people one by one, the rest pooled as "others"
    # relabel returns None exactly when per_message is None (the per-message table failed)
    overall = attempt("the summary table", lambda: rf.aggregate(shown, None)) if shown is not None else None
    fast = attempt("the cue table per window", lambda: rf.aggregate(shown, freq)) if shown is not None else None
    slow = attempt("the monthly cue table", lambda: rf.aggregate(shown, "MS")) if shown is not None else None
    steps.update()

    def _signals():
        from ._signals import signals

        return signals(msgs, me=me, recent=recent, gap=gap, per_message=per_message)

    sig = attempt("the signals", _signals)
    if sig is not None and "direction" in sig.columns and sig["direction"].isna().any():
        # a reading that could not be compared has no direction: say so instead of printing "nan"
        sig = sig.assign(direction=sig["direction"].astype(object).where(sig["direction"].notna(), "not compared"))

    def _style():
        from .style import style_matching

        return style_matching(msgs, freq="MS")

    style = attempt("language style matching", _style)
    steps.update()

    figure_html = _figures_html(rf.figure_specs(msgs, shown, fast, slow, style, people, freq, min_n), attempt)
    steps.update(2)

    summary_html, thin = _summary(msgs, overall, me, people)
    languages_html, language_notes = _languages_section(per_message)
    summary_html += languages_html
    thin += language_notes
    thin += rf.thin_windows(fast, min_n, _freq_word(freq))
    signals_html, cautions = _signals_section(sig, recent)
    signals_html = _fold_long_table(signals_html, 0 if sig is None else len(sig), "readings")
    parse_html, parse_notes = _parse_section(msgs)
    tz_html, tz_notes = _tz_section(msgs)
    explore_html = attempt("the words, replies and media", lambda: _explore_section(msgs, people, gap)) or ""
    warnings_list = thin + cautions + parse_notes + tz_notes + failures
    steps.update()

    heading = title or "Conversation report"
    sections = {
        "summary": summary_html,
        "signals": signals_html,
        "plots": "".join(figure_html),
        "explore": explore_html,
        "parse-report": parse_html,
        "time-zone": tz_html,
        "definitions": _definitions_section(),
        "caveats": _caveats_section(warnings_list),
    }
    nav = "".join(f'<li><a href="#{sid}">{_e(name)}</a></li>' for sid, name in SECTIONS)
    body = _scroll_tables(
        "".join(f'<section id="{sid}"><h2>{_e(name)}</h2>{sections[sid]}</section>' for sid, name in SECTIONS)
    )
    from . import __version__

    page = (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="generator" content="reconnect_signals ' + _e(__version__) + '">'
        f"<title>{_e(heading)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{_e(heading)}</h1>"
        '<p class="lead">What the messages show: cues from relationship and chat research, measured on this '
        "chat. It describes; it does not diagnose.</p></header>"
        f'<nav aria-label="contents"><ol>{nav}</ol></nav>'
        f"<main>{body}</main>"
        f'<footer class="muted"><p>Made with reconnect_signals {_e(__version__)}. Nothing in this file was '
        "loaded from the network.</p></footer>"
        "</body></html>\n"
    )
    path.write_text(page, encoding="utf-8")
    steps.update()
    steps.close()
    logger.info("report written to %s (%d bytes)", path, len(page))
    return path
