"""IRC channel logs: the Ubuntu IRC corpus and the logs of irssi, WeeChat, ZNC, HexChat,
supybot/Limnoria, mIRC and dircproxy.

The layout is decided once per file from its first 300 lines (``decisions["layout"]``):

============== ======================================================== ==========================
layout         a message line                                           dates from
============== ======================================================== ==========================
``bracket``    ``[HH:MM] <nick> text`` (Ubuntu corpus, mIRC),           file name / ``date=``, mIRC
               ``[HH:MM:SS] <nick> text`` (ZNC)                         ``Session Start:`` lines
``irssi``      ``HH:MM <nick> text``                                    ``--- Log opened`` /
                                                                        ``--- Day changed`` lines
``weechat``    ``YYYY-MM-DD HH:MM:SS<TAB>nick<TAB>text``                every line
``supybot``    ``YYYY-MM-DDTHH:MM:SS  <nick> text`` (Limnoria too)      every line
``hexchat``    ``Mon DD HH:MM:SS <nick><TAB>text``                      the line + the year of
                                                                        ``**** BEGIN LOGGING AT``
``dircproxy``  ``@<unix time> <nick!user@host> text``                   every line (an instant)
``dircproxy_abs`` ``<nick> [HH:MM] text``                               file name / ``date=``
============== ======================================================== ==========================

Every line is a message, an event or a notice:

- ``<nick> text`` (mode prefixes ``@+%~&`` and ``!user@host`` dropped) is a ``text`` row;
- an action, ``* nick waves`` (WeeChat ``" *"``, HexChat ``"*"`` prefix, dircproxy
  ``[nick] ACTION waves``), is a ``text`` row by ``nick`` whose text is the action without the nick;
- joins, parts, quits, kicks, nick and topic changes (irssi ``-!-``, WeeChat/HexChat ``-->``,
  ``<--``, ``--``, supybot and ZNC ``***``, ZNC ``*** Joins:``, mIRC ``* nick (user@host) has
  joined``) are ``system`` rows whose sender is the nick concerned (the old nick for a nick
  change) and whose text is the client's line;
- ``-nick- text``, ``-nick:#channel- text`` and ``(nick/#channel) text`` are notices: rows of kind
  ``"other"`` by ``nick``;
- the Ubuntu corpus's ``=== ...`` lines are ``system`` rows without a sender. They carry no time
  and inherit the time of the line before them (or, at the very top of a file, of the first
  timed line after them);
- log opened/closed, day changed and session lines are skipped (counted in the report).

Times: the Ubuntu corpus's clock is UTC (files named ``*.raw.txt``/``*.ascii.txt`` or with
``===`` lines): ``tz=`` converts it for display. Every other log holds its computer's wall clock,
localised with ``tz=`` (or labelled UTC, recorded). Where lines carry only the time of day, the
date comes from the log's own date lines, the file name (``2024-06-01.log``) or ``date=``, and
each time the clock goes backwards a day is added.

Lines are split on ``"\\n"`` only, never with :meth:`str.splitlines` (some logs contain
``\\x1c``-``\\x1e`` control characters that ``splitlines`` treats as line breaks). The
``source_line`` column is the **0-based** line index in the file, the numbering of the
corpus's ``*.annotation.txt`` files (note: :class:`~reconnect_signals.io.Problem` line
numbers in the parse report are 1-based, like an editor's).

:func:`read_irc_annotations` loads the gold reply links of an annotation file and returns
the gold conversation of every annotated line, so a reader's frame can be joined with it
on ``source_line``.

Examples
--------
>>> import reconnect_signals as rs
>>> log = b"[23:59] <ann> anyone here?\\n=== bob has joined #ubuntu\\n[00:01] <bob> ann: yes\\n"
>>> msgs = rs.read_chat(log, format="irc", date="2004-11-15")
>>> msgs[["sender", "kind", "source_line"]].to_string()
'  sender    kind  source_line\\n0    ann    text            0\\n1    NaN  system            1\\n2    bob
 text            2'
>>> msgs["timestamp"].dt.strftime("%d %H:%M").tolist()
['15 23:59', '15 23:59', '16 00:01']
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ParseError
from ..schema import KIND_DTYPE, PLATFORM_DTYPE
from ._registry import ParserSpec, ReadOptions, register
from ._report import ParseReport
from ._text import Source, decode_bytes
from ._time import localize_wall_clock

__all__ = ["read_irc", "read_irc_annotations", "sniff_irc"]

logger = logging.getLogger(__name__)

# -- layouts ------------------------------------------------------------------------------
# Each layout: one anchored line pattern (bounded classes, no nested quantifiers: linear time)
# giving the time fields and the body; the body grammar below is shared by all of them.
_MON = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_LAYOUTS: dict[str, str] = {
    # Ubuntu corpus, ZNC, mIRC: [HH:MM] / [HH:MM:SS] / [YYYY-MM-DD HH:MM:SS]
    "bracket": r"^\[(?:(?P<date>\d{4}-\d{2}-\d{2})[ T])?(?P<hh>[0-2]?\d):(?P<mm>[0-5]\d)(?::(?P<ss>[0-5]\d))?\] "
    r"(?P<body>.*)$",
    # irssi: HH:MM <nick> text, HH:MM -!- events
    "irssi": r"^(?P<hh>[0-2]\d):(?P<mm>[0-5]\d)(?::(?P<ss>[0-5]\d))? (?P<body>.*)$",
    # WeeChat: YYYY-MM-DD HH:MM:SS<TAB>prefix<TAB>message
    "weechat": r"^(?P<date>\d{4}-\d{2}-\d{2}) (?P<hh>[0-2]\d):(?P<mm>[0-5]\d):(?P<ss>[0-5]\d)\t(?P<prefix>[^\t]{0,200})"
    r"\t(?P<body>.*)$",
    # supybot / Limnoria ChannelLogger: YYYY-MM-DDTHH:MM:SS  <nick> text
    "supybot": r"^(?P<date>\d{4}-\d{2}-\d{2})T(?P<hh>[0-2]\d):(?P<mm>[0-5]\d):(?P<ss>[0-5]\d)  (?P<body>.*)$",
    # HexChat: Mon DD HH:MM:SS <nick><TAB>text (the year comes from "**** BEGIN LOGGING AT")
    "hexchat": rf"^(?P<mon>{_MON}) (?P<day>[ 0-3]?\d) (?P<hh>[0-2]\d):(?P<mm>[0-5]\d):(?P<ss>[0-5]\d) "
    r"(?P<prefix>[^\t]{0,200})\t(?P<body>.*)$",
    # dircproxy: @<unix time> <nick!user@host> text (relative time stamps, its default)
    "dircproxy": r"^@(?P<epoch>\d{9,11}) (?P<body>.*)$",
    # dircproxy with absolute time stamps: <nick> [HH:MM] text
    "dircproxy_abs": r"^(?P<pre><[^>\s]{1,200}>|-[^\s]{1,200}-|\[[^\]\s]{1,200}\]) \[(?P<hh>[0-2]\d):(?P<mm>[0-5]\d)\] "
    r"(?P<body>.*)$",
}
_LAYOUT_RES = {k: re.compile(v) for k, v in _LAYOUTS.items()}

# the body after the time stamp: a message, an event line, an action, a notice or a CTCP
_BODY = (
    r"^(?:<(?P<nick>[^>]{1,200})> ?(?P<msg>.*)"
    r"|(?P<mark>-!-|-->|<--|---|--|\*\*\*|===|=!=) ?(?P<ev>.*)"
    r"|\s{0,3}\* (?P<actor>\S{1,200}) ?(?P<act>.*)"
    r"|-(?P<notice>[^\s:]{1,200}?)(?::\S{0,200})?-(?: (?P<ntext>.*)|$)"
    r"|\((?P<notice2>[^/\s)]{1,200})/[^)\s]{0,200}\) ?(?P<n2text>.*)"
    r"|\[(?P<ctcp>[^\]\s]{1,200})\] ?(?P<ctext>.*)"
    r")$"
)
_BODY_RE = re.compile(_BODY)
# joins, parts, quits, kicks, nick and topic changes, as the clients word them
_EVENT = (
    r"^(?:(?:Joins|Parts|Quits|Kicks): (?P<zwho>[^\s(]{1,200})"
    r"|(?:mode|Mode)[/ ]"
    r"|(?P<who>[^\s(\[<]{1,200}) (?:\([^)]{0,300}\) |\[[^\]]{0,300}\] |<[^>]{0,300}> )?"
    r"(?:has joined|has left|has quit|Quit|joined|left|is now known as|was kicked|has kicked|kicked|sets mode"
    r"|has changed the topic|changes topic|changed the topic|set the topic|has set topic))"
)
# log open/close and day-change lines (irssi, HexChat, mIRC, dircproxy): not messages, but dates
_MARKER = (
    r"^(?:--- (?:Log opened|Log closed|Day changed) |\*\*\*\* (?:BEGIN|ENDING) LOGGING AT "
    r"|Session (?:Start|Close|Ident|Time): ?|\* Logging (?:started|finished) )(?P<mrest>.*)$"
)
_MARKER_DATE = (
    rf"(?:(?P<mon>{_MON}) {{1,2}}(?P<d>\d{{1,2}})(?: \d{{2}}:\d{{2}}:\d{{2}})? (?P<y>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}}) (?P<mon2>{_MON}) (?P<y2>\d{{4}}))"
)
_MONTH_NUM = {m: i + 1 for i, m in enumerate(_MON.split("|"))}
_DATE_IN_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_UNTIMED = re.compile(r"^=== ?(?P<sys>.*)$")


def _sniff_lines(lines: list[str]) -> tuple[str | None, float]:
    """The layout most of ``lines`` follow and the share of lines it (or a marker) explains."""
    marker = re.compile(_MARKER)
    rest = [ln for ln in lines if not marker.match(ln)]
    n_marker = len(lines) - len(rest)
    if not lines:
        return None, 0.0
    best, best_n = None, -1
    for name, rx in _LAYOUT_RES.items():
        n = 0
        for ln in rest:
            m = rx.match(ln)
            if m is None:
                n += name == "bracket" and bool(_UNTIMED.match(ln))
                continue
            body = _canonical_one(name, m)
            n += bool(_BODY_RE.match(body))
        if n > best_n:
            best, best_n = name, n
    return best, (best_n + n_marker) / len(lines)


def _canonical_one(name: str, m: re.Match) -> str:
    d = m.groupdict()
    body = d.get("body") or ""
    if "prefix" in d:
        return _prefix_body(d["prefix"], body)
    if name == "dircproxy_abs":
        return f"{d['pre']} {body}"
    return body


def _prefix_body(prefix: str, body: str) -> str:
    """WeeChat/HexChat keep the nick (or an event mark) in their own column; make it a body line."""
    p = prefix.strip()
    if p in ("-->", "<--", "--", "---", "=!=", "-!-", "***"):
        return f"{p} {body}"
    if p == "*":
        return f"* {body}"
    if p.startswith("<") and p.endswith(">") or p.startswith("-") and p.endswith("-") and len(p) > 2:
        return f"{p} {body}"
    return f"<{p}> {body}"


def sniff_irc(source: Source) -> float:
    """How sure we are that ``source`` is an IRC log (0 to 1); looks at the head only."""
    if source.is_dir or source.is_zip:
        return 0.0
    head = source.head(16384)
    raw = [ln for ln in head.split(b"\n")[:60] if ln.strip()]
    if len(head) == 16384 and len(raw) > 1:
        raw = raw[:-1]  # the last line may be cut
    lines = [ln.decode("utf-8", errors="replace").rstrip("\r") for ln in raw]
    if not lines:
        return 0.0
    _, share = _sniff_lines(lines)
    if share < 0.8:
        return 0.0
    return 0.9 if source.name.endswith(".raw.txt") else 0.7 * share


def _file_date(source: Source, options: ReadOptions) -> pd.Timestamp | None:
    given = options.extra.get("date")
    if given is not None:
        try:
            return pd.Timestamp(given).normalize()
        except (ValueError, TypeError):
            raise ValueError(f"date= must be a date such as '2004-11-15', got {given!r}") from None
    m = _DATE_IN_NAME.search(source.name)
    if m is None:
        return None
    try:
        return pd.Timestamp(f"{m[1]}-{m[2]}-{m[3]}")
    except ValueError:
        raise ParseError(
            f"{source.name}: {m[0]!r} in the file name is not a valid date; pass date='YYYY-MM-DD'"
        ) from None


def _conversation_id(source: Source, options: ReadOptions) -> str:
    if options.conversation_id is not None:
        return options.conversation_id
    name = source.name
    for suffix in (".raw.txt", ".ascii.txt", ".txt", ".log", ".weechatlog"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    if name == "<bytes>":
        return hashlib.sha1(source.head(65536)).hexdigest()[:12]
    return name


def _clean_nick(s: pd.Series) -> pd.Series:
    """``<@nick>``, ``< nick>``, ``<nick!user@host>`` -> ``nick``."""
    return s.str.strip().str.replace(r"^[@+%~&]{1,5}(?=.)", "", regex=True).str.replace(r"!\S*$", "", regex=True)


def read_irc(source: Source, options: ReadOptions) -> tuple[pd.DataFrame, list[ParseReport]]:
    """Read one IRC log into a message frame (the ``read`` of the ``"irc"`` reader)."""
    report = ParseReport(source=source.name, format="irc")
    text, encoding = decode_bytes(source.read_bytes(), report)
    report.decisions["encoding"] = encoding
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final newline ends the last line; it does not start one
    report.total = len(lines)
    s = pd.Series(lines, dtype="str").str.rstrip("\r")
    layout, _ = _sniff_lines([ln for ln in s.head(400).tolist() if ln.strip()][:300])
    layout = layout or "bracket"
    report.decisions["layout"] = layout

    markers = s.str.extract(_MARKER)["mrest"]
    is_marker = markers.notna().to_numpy()
    f = s.str.extract(_LAYOUTS[layout])
    for col in ("date", "hh", "mm", "ss", "mon", "day", "epoch", "prefix", "pre"):
        if col not in f:
            f[col] = pd.Series(pd.NA, index=s.index, dtype="str")
    f = f.astype("str")
    body = f["body"]
    has_prefix = f["prefix"].notna()
    if has_prefix.any():
        p = f["prefix"].str.strip()
        event = p.isin(["-->", "<--", "--", "---", "=!=", "-!-", "***"])
        star = p.eq("*")
        bracketed = (p.str.startswith("<") & p.str.endswith(">")) | (
            p.str.startswith("-") & p.str.endswith("-") & (p.str.len() > 2)
        )
        body = body.mask(
            has_prefix,
            np.where(
                (event | bracketed).to_numpy(),
                (p + " " + f["body"]).to_numpy(),
                np.where(star.to_numpy(), ("* " + f["body"]).to_numpy(), ("<" + p + "> " + f["body"]).to_numpy()),
            ),
        )
    if layout == "dircproxy_abs":
        body = f["pre"] + " " + body
    b = body.str.extract(_BODY)
    untimed = s.str.extract(_UNTIMED)["sys"] if layout == "bracket" else pd.Series(pd.NA, index=s.index, dtype="str")
    is_line = f["body"].notna().to_numpy() & b.notna().any(axis=1).to_numpy() & ~is_marker
    is_sys = untimed.notna().to_numpy() & ~is_line & ~is_marker
    blank = s.str.strip().eq("").to_numpy() & ~is_line & ~is_sys & ~is_marker
    bad = ~(is_line | is_sys | blank | is_marker)
    report.skip("blank line", int(blank.sum()))
    report.skip("log opened/closed or day changed line", int(is_marker.sum()))
    for i in np.flatnonzero(bad):
        report.add_problem(int(i) + 1, f"not a line of this {layout} IRC log", lines[i])
    keep = is_line | is_sys
    idx = np.flatnonzero(keep)
    if not len(idx):
        report.messages = 0
        return pd.DataFrame(), [report]

    naive, instant = _times(f, markers, is_line, is_sys, layout, source, options, report)
    kind, sender, body_text = _classify(b, untimed, is_line)

    conv = _conversation_id(source, options)
    utc_clock = layout == "bracket" and (source.name.endswith((".raw.txt", ".ascii.txt")) or is_sys.any())
    if instant is not None:
        ts = instant
    elif utc_clock:  # the Ubuntu logs: the clock is UTC; tz= converts for display
        ts = naive.dt.tz_localize("UTC")
    else:  # a client's log: the computer's wall clock
        ts = localize_wall_clock(naive[idx], options.tz, idx + 1, report).reindex(naive.index)
    if options.tz and (instant is not None or utc_clock):
        ts = ts.dt.tz_convert(options.tz)
    ts = ts.iloc[idx].reset_index(drop=True)
    frame = pd.DataFrame(
        {
            "conversation_id": pd.Series(conv, index=range(len(idx)), dtype="str"),
            "message_id": pd.Series([f"{conv}:{i}" for i in idx], dtype="str"),
            "timestamp": ts.astype(pd.DatetimeTZDtype("us", ts.dt.tz)),
            "sender": pd.Series(sender[idx], dtype="str"),
            "text": pd.Series(body_text[idx], dtype="str"),
            "kind": pd.Series(kind[idx]).astype(KIND_DTYPE),
            "platform": pd.Series("irc", index=range(len(idx))).astype(PLATFORM_DTYPE),
            "source": pd.Series(source.name, index=range(len(idx)), dtype="str"),
            "source_line": pd.Series(idx, dtype="Int64"),
        }
    )
    report.messages = len(frame)
    logger.debug("read %d IRC lines from %s", len(frame), source.name)
    return frame, [report]


def _classify(b: pd.DataFrame, untimed: pd.Series, is_line: np.ndarray):
    """Kind, sender and text of every line from its parsed body."""
    ev = b["ev"].fillna(b["actor"] + " " + b["act"].fillna(""))
    e = ev.str.extract(_EVENT)
    matched_event = ev.str.match(_EVENT).fillna(False).astype(bool).to_numpy()
    who = _clean_nick(e["zwho"].fillna(e["who"]))
    is_mark = b["mark"].notna().to_numpy()
    is_action = b["actor"].notna().to_numpy() & ~matched_event
    is_msg = b["nick"].notna().to_numpy()
    is_notice = (b["notice"].notna() | b["notice2"].notna() | b["ctcp"].notna()).to_numpy()
    ctcp_action = b["ctcp"].notna().to_numpy() & b["ctext"].str.startswith("ACTION ").fillna(False).to_numpy()
    system = is_mark | (b["actor"].notna().to_numpy() & matched_event)
    kind = np.select(
        [~is_line, system, is_msg | is_action | ctcp_action, is_notice],
        ["system", "system", "text", "other"],
        default="other",
    )
    # numpy's stubs take no None among the choices
    sender = np.select(  # type: ignore[type-var, union-attr]
        [~is_line, system & (b["mark"] == "===").to_numpy(), system, is_msg, is_action],
        [None, None, who.to_numpy(), _clean_nick(b["nick"]).to_numpy(), _clean_nick(b["actor"]).to_numpy()],
        default=_clean_nick(b["notice"].fillna(b["notice2"]).fillna(b["ctcp"])).to_numpy(),
    ).astype(object)
    text = np.select(
        [
            ~is_line,
            system,
            is_msg,
            is_action,
            ctcp_action,
            b["notice"].notna().to_numpy(),
            b["notice2"].notna().to_numpy(),
        ],
        [
            untimed.to_numpy(),
            ev.to_numpy(),
            b["msg"].to_numpy(),
            b["act"].to_numpy(),
            b["ctext"].str.slice(7).to_numpy(),
            b["ntext"].to_numpy(),
            b["n2text"].to_numpy(),
        ],
        default=b["ctext"].to_numpy(),
    ).astype(object)
    sender = pd.Series(sender, dtype="str").to_numpy()
    return kind, sender, pd.Series(text, dtype="str").to_numpy()


def _times(f, markers, is_line, is_sys, layout, source, options, report):
    """Naive wall-clock times (or UTC instants for dircproxy) of every line, ``(naive, instant)``."""
    n = len(f)
    if layout == "dircproxy":
        secs = pd.to_numeric(f["epoch"], errors="coerce")
        inst = pd.to_datetime(secs, unit="s", utc=True).astype("datetime64[us, UTC]")
        inst = inst.where(pd.Series(is_line)).ffill().bfill()
        report.decisions["dates"] = "unix time in every line"
        return None, inst
    md = markers.str.extract(_MARKER_DATE).astype("str")
    mon = md["mon"].fillna(md["mon2"]).map(_MONTH_NUM)
    mday = md["d"].fillna(md["d2"]).astype("float")
    myear = md["y"].fillna(md["y2"]).astype("float")
    mdate = pd.to_datetime(pd.DataFrame({"year": myear, "month": mon.astype("float"), "day": mday}), errors="coerce")
    has_mdate = mdate.notna().to_numpy()
    base = _file_date(source, options)
    line_date = pd.to_datetime(f["date"], format="%Y-%m-%d", errors="coerce")
    if layout == "hexchat":
        year = pd.Series(myear.where(pd.Series(has_mdate))).ffill().bfill()
        if year.isna().all():
            year = pd.Series(float(base.year) if base is not None else np.nan, index=f.index)
        line_date = pd.to_datetime(
            pd.DataFrame(
                {
                    "year": year,
                    "month": f["mon"].map(_MONTH_NUM).astype("float"),
                    "day": f["day"].str.strip().astype("float"),
                }
            ),
            errors="coerce",
        )
    ctx = mdate.ffill()
    if base is not None:
        ctx = ctx.fillna(base)
    ctx = ctx.bfill()
    day = line_date.fillna(ctx).astype("datetime64[us]")
    timed = is_line & f["hh"].notna().to_numpy()
    if (timed & day.isna().to_numpy()).any():
        raise ParseError(
            f"{source.name}: IRC logs only carry the time of day and the file name holds no "
            "YYYY-MM-DD date; pass date='YYYY-MM-DD' (the day of the first line)"
        )
    if line_date.notna().any():
        report.decisions["dates"] = "in every line"
    elif has_mdate.any():
        report.decisions["dates"] = "from log opened / day changed lines"
    else:
        report.decisions["date"] = day[timed].iloc[0].date().isoformat() if timed.any() else None
    minutes = f["hh"].astype("float") * 60 + f["mm"].astype("float") + f["ss"].astype("float").fillna(0) / 60
    # the clock going backwards means midnight was passed (within a stretch without dates)
    relative = timed & line_date.isna().to_numpy()
    seg = np.cumsum(has_mdate)
    back = np.zeros(n)
    if relative.any():
        tm = minutes[relative]
        segs = seg[relative]
        step = np.r_[False, (np.diff(tm.to_numpy()) < 0) & (segs[1:] == segs[:-1])]
        rolled = pd.Series(step.astype(int)).groupby(segs).cumsum().to_numpy()
        back[relative] = rolled
        if rolled.max(initial=0):
            report.notice(f"the clock passes midnight {int(rolled.max())} time(s); a day is added each time")
    clock = pd.Series(np.where(timed, back * 1440 + minutes.fillna(0).to_numpy(), np.nan))
    naive = day + pd.to_timedelta((clock * 60).round(), unit="s")
    naive = naive.where(pd.Series(timed))
    n_head = int(pd.isna(naive[: np.argmax(timed)]).to_numpy()[is_sys[: np.argmax(timed)]].sum()) if timed.any() else 0
    if n_head and timed.any():
        report.notice(f"{n_head} system lines before the first timed line take its time")
    naive = naive.ffill().bfill()
    if not timed.any():
        naive = day.fillna(pd.Timestamp("1970-01-01"))
    return naive.astype("datetime64[us]"), None


def read_irc_annotations(path: str | os.PathLike) -> pd.DataFrame:
    """Gold conversations of an IRC disentanglement annotation file.

    Each line ``i j -`` of the file says that line ``i`` of the raw log replies to line
    ``j`` (``i == j``: ``i`` starts a conversation); a line may have several links. A gold
    conversation is a connected component of these links (Kummerfeld et al. 2019).

    Parameters
    ----------
    path : str or path
        A ``*.annotation.txt`` file.

    Returns
    -------
    DataFrame
        One row per line that takes part in a link, sorted by line: ``source_line``
        (``Int64``, 0-based, the reader's ``source_line``), ``gold_conversation``
        (``int64``, the first line of its conversation) and ``links`` (``int64``, number of
        links the line takes part in; a self-link counts once). Join it with :func:`read_chat`'s frame on
        ``source_line``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from reconnect_signals.io.irc import read_irc_annotations
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d, "x.annotation.txt")
    ...     _ = p.write_text("1000 1000 -\\n1002 1000 -\\n1001 1001 -\\n1003 1002 -\\n")
    ...     gold = read_irc_annotations(p)
    >>> gold[["source_line", "gold_conversation"]].values.tolist()
    [[1000, 1000], [1001, 1001], [1002, 1000], [1003, 1000]]
    """
    path = Path(path)
    raw = Source(path).read_bytes().decode("utf-8")
    pairs = pd.Series(raw.split("\n"), dtype="str").str.extract(r"^\s*(\d+)\s+(\d+)\b")
    pairs = pairs.dropna()
    if not len(pairs):
        return pd.DataFrame(
            {
                "source_line": pd.Series([], dtype="Int64"),
                "gold_conversation": pd.Series([], dtype="int64"),
                "links": pd.Series([], dtype="int64"),
            }
        )
    a = pairs[0].astype("int64").to_numpy()
    b = pairs[1].astype("int64").to_numpy()
    nodes = np.unique(np.concatenate([a, b]))
    label = _components(np.searchsorted(nodes, a), np.searchsorted(nodes, b), len(nodes))
    first = pd.Series(nodes).groupby(label).transform("min").to_numpy()
    ia, ib = np.searchsorted(nodes, a), np.searchsorted(nodes, b)
    links = np.bincount(ia, minlength=len(nodes)) + np.bincount(ib[ia != ib], minlength=len(nodes))
    return pd.DataFrame(
        {
            "source_line": pd.Series(nodes, dtype="Int64"),
            "gold_conversation": first.astype("int64"),
            "links": links.astype("int64"),
        }
    )


def _components(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    """Connected-component labels of an undirected graph (vectorised label propagation)."""
    label = np.arange(n)
    while True:
        low = np.minimum(label[a], label[b])
        new = label.copy()
        np.minimum.at(new, a, low)
        np.minimum.at(new, b, low)
        new = new[new]  # pointer jumping
        if np.array_equal(new, label):
            return label
        label = new


register(
    ParserSpec(
        name="irc",
        platform="irc",
        description="IRC logs: Ubuntu corpus, irssi, WeeChat, ZNC, HexChat, supybot/Limnoria, mIRC, dircproxy",
        patterns=("*.raw.txt", "*.log", "*.txt"),
        where="Logs saved by an IRC client (irssi ~/irclogs, WeeChat ~/.local/share/weechat/logs, ZNC "
        "moddata/log, HexChat logs folder, mIRC logs folder) or published by a channel (irclogs.ubuntu.com); "
        "time-only logs take their date from their own date lines, the file name or date=",
        sniff=sniff_irc,
        read=read_irc,
        options=("date",),
    )
)
