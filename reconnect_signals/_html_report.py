"""``rs.report``: one self-contained HTML file with the signals, the plots and the caveats.

The file has no scripts and loads nothing: figures are embedded as base64 PNG, the CSS is
inline (with a print stylesheet), and every piece of chat text and every name is
HTML-escaped (names in an export are hostile input).
"""

from __future__ import annotations

import base64
import html
import io
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["report", "SECTIONS"]

logger = logging.getLogger(__name__)

#: Section ids of the report, in order (each is an ``<section id=...>``).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("summary", "Summary"),
    ("signals", "Signals: recent weeks against before"),
    ("plots", "Plots"),
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
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .92rem; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--rule); vertical-align: top; }
th { background: #f4f4f6; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 1rem 0 2rem; }
figure img { width: 100%; height: auto; border: 1px solid var(--rule); }
figcaption { color: var(--muted); font-size: .9rem; margin-top: .35rem; }
.box { background: var(--warn); border-left: 4px solid var(--warn-rule); padding: .6rem .9rem; margin: .75rem 0; }
.muted { color: var(--muted); }
dl dt { font-weight: 600; margin-top: .6rem; }
dl dd { margin-left: 1.2rem; }
ol.refs li { margin-bottom: .35rem; }
code { font-size: .9em; background: #f4f4f6; padding: 0 .2em; }
.up { color: #0072B2; } .down { color: #D55E00; } .flat { color: var(--muted); }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav { display: none; }
  h2 { break-after: avoid; }
  figure, table, .box, dl dd { break-inside: avoid; }
  figure img { border: none; }
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
    ("Al-Mosaiwi 2018", "Al-Mosaiwi, M., & Johnstone, T. (2018). In an absolute state: Elevated use of absolutist "
     "words is a marker specific to anxiety, depression, and suicidal ideation. Clinical Psychological Science, "
     "6(4), 529-542."),
    ("Cohen & Olshtain 1981", "Cohen, A. D., & Olshtain, E. (1981). Developing a measure of sociocultural "
     "competence: The case of apology. Language Learning, 31(1), 113-134."),
    ("Gottman 1994", "Gottman, J. M. (1994). What predicts divorce? The relationship between marital processes "
     "and marital outcomes. Hillsdale, NJ: Lawrence Erlbaum."),
    ("Huang 2017", "Huang, K., Yeomans, M., Brooks, A. W., Minson, J., & Gino, F. (2017). It doesn't hurt to "
     "ask: Question-asking increases liking. Journal of Personality and Social Psychology, 113(3), 430-452."),
    ("Hutto & Gilbert 2014", "Hutto, C. J., & Gilbert, E. (2014). VADER: A parsimonious rule-based model for "
     "sentiment analysis of social media text. Proceedings of ICWSM 2014."),
    ("Ireland & Pennebaker 2010", "Ireland, M. E., & Pennebaker, J. W. (2010). Language style matching in "
     "writing: Synchrony in essays, correspondence, and poetry. Journal of Personality and Social Psychology, "
     "99(3), 549-571."),
    ("Ireland 2011", "Ireland, M. E., Slatcher, R. B., Eastwick, P. W., Scissors, L. E., Finkel, E. J., & "
     "Pennebaker, J. W. (2011). Language style matching predicts relationship initiation and stability. "
     "Psychological Science, 22(1), 39-44."),
    ("Karan 2019", "Karan, A., Rosenthal, R., & Robbins, M. L. (2019). Meta-analytic evidence that we-talk "
     "predicts relationship and personal functioning in romantic couples. Journal of Social and Personal "
     "Relationships, 36(9), 2624-2651."),
    ("Muller-Frommeyer 2019", "Muller-Frommeyer, L. C., Frommeyer, N. A. M., & Kauffeld, S. (2019). Introducing "
     "rLSM: An integrated metric assessing temporal reciprocity in language style matching. Behavior Research "
     "Methods, 51, 1343-1359."),
    ("Pennebaker 2015", "Pennebaker, J. W., Boyd, R. L., Jordan, K., & Blackburn, K. (2015). The development and "
     "psychometric properties of LIWC2015. Austin, TX: University of Texas at Austin."),
    ("Rogers 2018", "Rogers, S. L., Howieson, J., & Neame, C. (2018). I understand you feel that way, but I feel "
     "this way: The benefits of I-language and communicating perspective during conflict. PeerJ, 6, e4831."),
    ("Seider 2009", "Seider, B. H., Hirschberger, G., Nelson, K. L., & Levenson, R. W. (2009). We can work it "
     "out: Age differences in relational pronouns, physiology, and behavior in marital conflict. Psychology and "
     "Aging, 24(3), 604-613."),
    ("Simmons 2005", "Simmons, R. A., Gordon, P. C., & Chambless, D. L. (2005). Pronouns in marital interaction: "
     "What do \"you\" and \"I\" say about marital health? Psychological Science, 16(12), 932-936."),
    ("Slatcher 2008", "Slatcher, R. B., Vazire, S., & Pennebaker, J. W. (2008). Am \"I\" more important than "
     "\"we\"? Couples' word use in instant messages. Personal Relationships, 15(4), 407-424."),
    ("Wu 2010", "Wu, Y., Zhou, C., Xiao, J., Kurths, J., & Schellnhuber, H. J. (2010). Evidence for a bimodal "
     "distribution in human communication. Proceedings of the National Academy of Sciences, 107(44), "
     "18803-18808."),
)

_CAVEATS: tuple[str, ...] = (
    "This report describes a conversation; it does not diagnose a relationship or predict what anyone will "
    "do. None of these cues has been validated as evidence of what a particular person feels.",
    "The research behind the cues comes from studies of couples, dating and chat with small average effects: "
    "a rise in 'we' or a faster reply means little on its own, and much less for one person than for a "
    "group.",
    "Messages are only what was written in this chat. Calls, meetings, other apps, deleted and edited "
    "messages, and everything said elsewhere are missing, and busy weeks look like cold weeks.",
    "The word cues are English word lists and simple patterns. They miss sarcasm, in-jokes, other languages "
    "and spelling the lists do not know, and they count quotes and song lyrics as the writer's own words.",
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


def _table(frame: pd.DataFrame, columns: list[tuple[str, str, Callable | None]]) -> str:
    """An escaped HTML table: ``columns`` = (column, header, formatter or None)."""
    head = "".join(
        f'<th class="num">{_e(h)}</th>' if fmt is not None else f"<th>{_e(h)}</th>" for _, h, fmt in columns
    )
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


def _png(draw: Callable, figsize=(9.0, 3.8), dpi: int = 110) -> str:
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.add_subplot()
    draw(ax)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return base64.b64encode(buf.getvalue()).decode("ascii")


# --------------------------------------------------------------------------- sections


def _person_rows(msgs: pd.DataFrame) -> pd.DataFrame:
    keep = msgs["sender"].notna() & msgs["kind"].astype("str").ne("system").fillna(True)
    return msgs.loc[keep.to_numpy()]


def _summary(msgs: pd.DataFrame, overall: pd.DataFrame | None, me: str | None) -> tuple[str, list[str]]:
    people = _person_rows(msgs)
    thin: list[str] = []
    parts = []
    if len(people):
        start, end = people["timestamp"].min(), people["timestamp"].max()
        days = max((end - start) / pd.Timedelta(days=1), 0)
        parts.append(
            f"<p>{len(people):,} messages from {people['sender'].nunique()} people in "
            f"{msgs['conversation_id'].nunique()} conversation(s), from {_e(f'{start:%d %b %Y}')} to "
            f"{_e(f'{end:%d %b %Y}')} ({days:.0f} days).</p>"
        )
    else:
        parts.append("<p>The chat has no messages from people (only system rows, or nothing at all).</p>")
    if me is not None:
        parts.append(f"<p>Written for <strong>{_e(me)}</strong>: the signals below describe the other "
                     "person(s).</p>")
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
        parts.append(_table(overall, cols))
        if "messages" in overall.columns:
            for rec in overall.to_dict("records"):
                if (rec.get("messages") or 0) < _THIN_MESSAGES:
                    thin.append(f"{rec.get('sender')} has only {rec.get('messages')} text messages")
    return "".join(parts), thin


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


def _signals_section(sig: pd.DataFrame | None, recent: str) -> tuple[str, list[str]]:
    if sig is None or not len(sig):
        return "<p>No signals could be computed for this chat (too few messages).</p>", []
    words = {"up": "&#8593; up", "down": "&#8595; down", "no clear change": "no clear change",
             "too little data": "too little data"}
    styles = {"up": "up", "down": "down"}
    cautions = []
    rows = []
    for rec in sig.to_dict("records"):
        direction = str(rec.get("direction", ""))
        caution = rec.get("caution")
        has_caution = caution is not None and not (isinstance(caution, float) and math.isnan(caution)) and str(
            caution
        ).strip() not in ("", "nan", "<NA>")
        if has_caution:
            cautions.append(f"{rec.get('sender')}, {rec.get('cue')}: {caution}")
        rows.append(
            "<tr>"
            f"<td>{_e(rec.get('sender'))}</td>"
            f"<td>{_e(rec.get('reading'))}</td>"
            f'<td class="num">{_e(rec.get("summary"))}</td>'
            f'<td class="{styles.get(direction, "muted")}">{words.get(direction, _e(direction))}</td>'
            f'<td class="num">{_e(_fmt_num(rec.get("n_before")))} / {_e(_fmt_num(rec.get("n_recent")))}</td>'
            f"<td>{_e(caution) if has_caution else ''}</td>"
            "</tr>"
        )
    head = (
        "<tr><th>sender</th><th>reading</th><th class=\"num\">recent vs before, change [interval]</th>"
        "<th>direction</th><th class=\"num\">n before / recent</th><th>caution</th></tr>"
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
                {"source": r.source, "format": r.format, "total": r.total, "messages": r.messages,
                 "unplaced": r.unplaced}
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
                [("source", "source", None), ("format", "format", None), ("total", "input units", _fmt_num),
                 ("messages", "messages", _fmt_num), ("unplaced", "not placed", _fmt_num)],
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
        parts.append(f"<h3>{_e(rep.source)} <span class=\"muted\">({_e(rep.format)})</span></h3>")
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
            parts.append(f"<p class=\"muted\">Skipped: {why}.</p>")
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
                _box(f"{rep.unplaced:,} {_e(rep.units)} could not be placed in a message and are left out"
                     + (" (the first 50 are listed)" if rep.unplaced > 50 else "") + ".")
            )
            parts.append(
                _table(
                    probs,
                    [("line", "line", _fmt_num), ("reason", "reason", None), ("excerpt", "excerpt", None),
                     ("location", "where", None)],
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
            "or <code>rs.read_chat(path, tz=\"Europe/London\")</code>."
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
                f" Measured on 824 real chat messages labelled by people who never saw the rule: precision "
                f"{spec.precision:.2f}, recall {spec.recall:.2f} (intervals in docs/cues.md)."
            )
        out.append((spec.label[:1].upper() + spec.label[1:], spec.column, text))
    return out


def _definitions_section() -> str:
    items = "".join(
        f"<dt>{_e(term)}{f' <code>{_e(col)}</code>' if col else ''}</dt><dd>{_e(text)}</dd>"
        for term, col, text in _definitions()
    )
    refs = "".join(f"<li><strong>[{_e(key)}]</strong> {_e(text)}</li>" for key, text in _REFERENCES)
    return f"<dl>{items}</dl><h3>References</h3><ol class=\"refs\">{refs}</ol>"


def _caveats_section(thin: list[str]) -> str:
    items = "".join(f"<li>{_e(c)}</li>" for c in _CAVEATS)
    out = f"<ul>{items}</ul>"
    if thin:
        listed = "".join(f"<li>{_e(t)}</li>" for t in thin[:40])
        more = f"<li>... and {len(thin) - 40} more</li>" if len(thin) > 40 else ""
        out += f"<h3>Thin data and other warnings for this chat</h3><ul>{listed}{more}</ul>"
    else:
        out += "<p>No thin-data warnings for this chat.</p>"
    return out


# --------------------------------------------------------------------------- the report


def report(
    msgs: pd.DataFrame,
    path: str | Path = "report.html",
    *,
    me: str | None = None,
    freq: str = "W",
    recent: str = "30D",
    gap: str = "6h",
    title: str | None = None,
    progress: bool | None = None,
) -> Path:
    """Write one self-contained HTML report of a chat: signals, plots, definitions, caveats.

    The file embeds its figures as PNG images and its CSS inline, loads nothing from the
    network, contains no scripts and prints well. Every name and every piece of chat text
    is HTML-escaped. Sections: summary, signals (``rs.signals``), plots, parse report
    (``rs.parse_report``), time-zone assumption (from ``msgs.attrs``), definitions with
    references, and caveats (the report describes, it does not diagnose; small effects;
    thin data).

    Parameters
    ----------
    msgs : DataFrame
        A message frame (``rs.read_chat(...)``, ``rs.load_example()``).
    path : str or Path, default "report.html"
        Where to write the file (overwritten).
    me : str, optional
        Your own sender name: the signals then describe the other person(s).
    freq : str, default "W"
        Window of the timelines (pandas offset alias: "W", "MS", ...).
    recent : str, default "30D"
        The recent period the signals compare with everything before.
    gap : str, default "6h"
        Session gap.
    title : str, optional
        Page title (default: "Conversation report").
    progress : bool, optional
        Show a progress bar (default: only on a terminal).

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

    from .plotting import (
        plot_activity_heatmap,
        plot_balance,
        plot_cue_timeline,
        plot_initiation,
        plot_latency,
        plot_latency_trend,
        plot_style_matching,
        sender_palette,
    )
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

    from .table import aggregate_cues, cue_table

    # the per-message cues and structure, computed once; every table below aggregates them
    per_message = attempt("the per-message cues and conversation structure", lambda: cue_table(msgs, gap=gap))

    def _aggregate(**kw):
        if per_message is None:
            raise ValueError("the per-message cues could not be computed")
        return aggregate_cues(per_message, by="sender", **kw)

    overall = attempt("the summary table", lambda: _aggregate())
    fast = attempt("the weekly cue table", lambda: _aggregate(freq=freq))
    slow = attempt("the monthly cue table", lambda: _aggregate(freq="MS"))
    steps.update()

    def _signals():
        from ._signals import signals

        return signals(msgs, me=me, recent=recent, gap=gap, per_message=per_message)

    sig = attempt("the signals", _signals)

    def _style():
        from .style import style_matching

        return style_matching(msgs, freq="MS")

    style = attempt("language style matching", _style)
    steps.update()

    pal = sender_palette(_person_rows(msgs)["sender"])
    figures = [
        _Figure("Pronoun rates", "Share of words that are 'I', 'we' and 'you' words, per sender and window. "
                "Gaps are windows without messages.",
                lambda ax: plot_cue_timeline(fast, cues=("i_rate", "we_rate", "you_rate"), palette=pal, ax=ax)),
        _Figure("I-statements and questions", "Share of a sender's messages that are I-statements or questions.",
                lambda ax: plot_cue_timeline(fast, cues=("i_statement_rate", "question_rate"), palette=pal,
                                             ax=ax)),
        _Figure("Sentiment", "Mean VADER compound score of each sender's messages per window (-1 to +1).",
                lambda ax: plot_cue_timeline(fast, cues=("sentiment_mean",), palette=pal, ax=ax)),
        _Figure("Reply latency", "How long each sender took to reply (log scale); dashed lines are medians.",
                lambda ax: plot_latency(per_message, palette=pal, ax=ax)),
        _Figure("Reply latency over time", "Median reply latency per window (log scale).",
                lambda ax: plot_latency_trend(fast, palette=pal, ax=ax)),
        _Figure("When the chat happens", "Messages by weekday and hour, in the chat's time zone.",
                lambda ax: plot_activity_heatmap(msgs, ax=ax)),
        _Figure("Who starts the conversation", "Each sender's share of the sessions opened per month.",
                lambda ax: plot_initiation(slow, palette=pal, ax=ax)),
        _Figure("Message balance", "Each sender's share of the messages per window; the dotted line is an even "
                "split.", lambda ax: plot_balance(fast, palette=pal, ax=ax)),
        _Figure("Language style matching", "Function-word similarity of the two main senders per month; the "
                "band is the typical range.", lambda ax: plot_style_matching(style, ax=ax)),
    ]
    figure_html = []
    for fig in figures:
        data = attempt(f"the figure '{fig.title}'", lambda fig=fig: _png(fig.draw))
        if data is None:
            figure_html.append(f"<figure><figcaption><strong>{_e(fig.title)}</strong>: not drawn (see "
                               "caveats).</figcaption></figure>")
            continue
        figure_html.append(
            f'<figure><img alt="{_e(fig.title)}" src="data:image/png;base64,{data}">'
            f"<figcaption><strong>{_e(fig.title)}.</strong> {_e(fig.caption)}</figcaption></figure>"
        )
    steps.update(2)

    summary_html, thin = _summary(msgs, overall, me)
    signals_html, cautions = _signals_section(sig, recent)
    parse_html, parse_notes = _parse_section(msgs)
    tz_html, tz_notes = _tz_section(msgs)
    warnings_list = thin + cautions + parse_notes + tz_notes + failures
    steps.update()

    heading = title or "Conversation report"
    sections = {
        "summary": summary_html,
        "signals": signals_html,
        "plots": "".join(figure_html),
        "parse-report": parse_html,
        "time-zone": tz_html,
        "definitions": _definitions_section(),
        "caveats": _caveats_section(warnings_list),
    }
    nav = "".join(f'<li><a href="#{sid}">{_e(name)}</a></li>' for sid, name in SECTIONS)
    body = "".join(
        f'<section id="{sid}"><h2>{_e(name)}</h2>{sections[sid]}</section>' for sid, name in SECTIONS
    )
    from . import __version__

    page = (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<meta name=\"generator\" content=\"reconnect_signals " + _e(__version__) + "\">"
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
