"""IRC channel logs (``[HH:MM] <nick> text``), as in the Ubuntu IRC disentanglement corpus.

The reader targets the plain log format of the Ubuntu IRC logs used by Kummerfeld et al.
(2019, "A Large-Scale Corpus for Conversation Disentanglement", ACL; data CC BY 4.0):

- ``[HH:MM] <nick> text`` is a message by ``nick``;
- ``[HH:MM]  * nick does something`` is an action (``/me``): a text row by ``nick`` whose
  text is the action without the nick;
- ``[HH:MM] -nick:#channel- text`` and ``[HH:MM] (nick/#channel) text`` are notices: rows of
  kind ``"other"`` by ``nick``;
- ``=== ...`` is a system line (joins, parts, nick changes). It carries no time and
  inherits the time of the line before it (or, at the very top of a file, of the first
  timed line after it).

The date comes from the file name (``2004-11-15_03.raw.txt``, ``2005-02-06.train-c.raw.txt``)
or from the ``date=`` option; the clock is assumed to be UTC (the Ubuntu logs are) and can
roll past midnight inside one file: each time the clock goes backwards a day is added.

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
'  sender    kind  source_line\\n0    ann    text            0\\n1    NaN  system            1\\n2    bob    text            2'
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

__all__ = ["read_irc", "read_irc_annotations", "sniff_irc"]

logger = logging.getLogger(__name__)

# One alternation, anchored, no nested quantifiers: linear time on any line.
#   groups: hh, mm, nick (message), actor (action), notice / notice2 (notices), rest
_LINE = (
    r"^\[(?P<hh>[0-2]\d):(?P<mm>[0-5]\d)\] "
    r"(?:<(?P<nick>[^>]+)> ?|\s*\* (?P<actor>\S+) ?"
    r"|-(?P<notice>[^:\s]+):\S*- ?|\((?P<notice2>[^/\s)]+)/[^)\s]*\) ?)(?P<rest>.*)$"
)
_SYSTEM = r"^=== ?(?P<sys>.*)$"
_DATE_IN_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_SNIFF_LINE = re.compile(rb"^(?:\[[0-2]\d:[0-5]\d\] (?:<[^>]+>|\s*\* \S+)|=== )")


def sniff_irc(source: Source) -> float:
    """How sure we are that ``source`` is an IRC log (0 to 1); looks at the head only."""
    if source.is_dir or source.is_zip:
        return 0.0
    head = source.head(16384)
    lines = [ln for ln in head.split(b"\n")[:50] if ln.strip()]
    if len(head) == 16384 and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut
    if not lines:
        return 0.0
    share = sum(bool(_SNIFF_LINE.match(ln)) for ln in lines) / len(lines)
    if share < 0.8:
        return 0.0
    return 0.9 if source.name.endswith(".raw.txt") else 0.7 * share


def _file_date(source: Source, options: ReadOptions) -> pd.Timestamp:
    given = options.extra.get("date")
    if given is not None:
        try:
            return pd.Timestamp(given).normalize()
        except (ValueError, TypeError):
            raise ValueError(f"date= must be a date such as '2004-11-15', got {given!r}") from None
    m = _DATE_IN_NAME.search(source.name)
    if m is None:
        raise ParseError(
            f"{source.name}: IRC logs only carry the time of day and the file name holds no "
            "YYYY-MM-DD date; pass date='YYYY-MM-DD' (the day of the first line)"
        )
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
    for suffix in (".raw.txt", ".ascii.txt", ".txt", ".log"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    if name == "<bytes>":
        return hashlib.sha1(source.head(65536)).hexdigest()[:12]
    return name


def read_irc(source: Source, options: ReadOptions) -> tuple[pd.DataFrame, list[ParseReport]]:
    """Read one IRC log into a message frame (the ``read`` of the ``"irc"`` reader)."""
    report = ParseReport(source=source.name, format="irc")
    text, encoding = decode_bytes(source.read_bytes(), report)
    day0 = _file_date(source, options)
    report.decisions["date"] = day0.date().isoformat()
    report.decisions["encoding"] = encoding
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final newline ends the last line; it does not start one
    report.total = len(lines)
    s = pd.Series(lines, dtype="str")
    msg = s.str.extract(_LINE)
    sysm = s.str.extract(_SYSTEM)["sys"]
    is_msg = msg["hh"].notna().to_numpy()
    is_sys = sysm.notna().to_numpy() & ~is_msg
    blank = s.str.strip().eq("").to_numpy() & ~is_msg & ~is_sys
    bad = ~(is_msg | is_sys | blank)
    report.skip("blank line", int(blank.sum()))
    for i in np.flatnonzero(bad):
        report.add_problem(int(i) + 1, "not an IRC line ([HH:MM] <nick> text or === ...)", lines[i])
    keep = is_msg | is_sys

    # time of day in minutes; system lines inherit the previous time (the first ones the next)
    minutes = (msg["hh"].astype("float64") * 60 + msg["mm"].astype("float64")).to_numpy()
    timed = minutes[is_msg]
    # the clock going backwards means midnight was passed
    days = np.zeros(len(minutes))
    if len(timed):
        rolled = np.concatenate([[0], np.cumsum(np.diff(timed) < 0)])
        days[is_msg] = rolled
    clock = pd.Series(np.where(is_msg, days * 1440 + np.nan_to_num(minutes), np.nan))
    clock = clock.ffill()
    n_head = int(clock.isna().to_numpy()[keep].sum())
    if n_head and len(timed):
        report.notice(f"{n_head} system lines before the first timed line take its time")
    clock = clock.bfill().fillna(0.0)
    if int(days.max(initial=0)):
        report.notice(f"the clock passes midnight {int(days.max())} time(s); a day is added each time")

    idx = np.flatnonzero(keep)
    if not len(idx):
        report.messages = 0
        return pd.DataFrame(), [report]
    conv = _conversation_id(source, options)
    ts = (day0 + pd.to_timedelta(clock.to_numpy()[idx], unit="min")).tz_localize("UTC")
    if options.tz:
        ts = ts.tz_convert(options.tz)
    sender = (
        msg["nick"].str.strip().fillna(msg["actor"]).fillna(msg["notice"]).fillna(msg["notice2"])
    ).to_numpy()[idx]
    body = msg["rest"].where(pd.Series(is_msg), sysm).to_numpy()[idx]
    is_notice = (msg["notice"].notna() | msg["notice2"].notna()).to_numpy()
    kind = np.where(is_notice, "other", np.where(is_msg, "text", "system"))[idx]
    frame = pd.DataFrame(
        {
            "conversation_id": pd.Series(conv, index=range(len(idx)), dtype="str"),
            "message_id": pd.Series([f"{conv}:{i}" for i in idx], dtype="str"),
            "timestamp": pd.Series(ts).astype(pd.DatetimeTZDtype("us", ts.tz)),
            "sender": pd.Series(sender, dtype="str"),
            "text": pd.Series(body, dtype="str"),
            "kind": pd.Series(kind).astype(KIND_DTYPE),
            "platform": pd.Series("irc", index=range(len(idx))).astype(PLATFORM_DTYPE),
            "source": pd.Series(source.name, index=range(len(idx)), dtype="str"),
            "source_line": pd.Series(idx, dtype="Int64"),
        }
    )
    report.messages = len(frame)
    logger.debug("read %d IRC lines from %s", len(frame), source.name)
    return frame, [report]


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
        description="IRC channel log, one line per message: [HH:MM] <nick> text and === system lines",
        patterns=("*.raw.txt", "*.log", "*.txt"),
        where="Logs saved by an IRC client or published by a channel (irclogs.ubuntu.com); "
        "the date is taken from the file name or date=",
        sniff=sniff_irc,
        read=read_irc,
        options=("date",),
    )
)
