"""Signal Desktop chats exported with signal-export (``chat.md`` and ``data.json``).

Signal has no built-in export; the open-source tool signal-export
(https://github.com/carderne/signal-export, ``pip install signal-export``, then
``sigexport ~/signal-chats``) reads Signal Desktop's database and writes one folder per chat
holding ``chat.md`` (Markdown), ``data.json`` (one JSON object per line) and ``index.html``.
Pass ``chat.md``, ``data.json``, a chat folder (``data.json`` is preferred: it marks calls and
deletions explicitly) or the whole output folder (every chat folder in it).

Signal's own encrypted backups (``.backup`` files from Android, the iOS transfer) are **out of
scope**: decrypting them needs the 30-digit passphrase and other tools.

Detection
---------
signal-export's Markdown shares phrases with WhatsApp ("This message was deleted") and, in old
versions, WhatsApp iOS's ``[YYYY-MM-DD, HH:MM]`` header. The sniffer therefore weighs the writer's
structure: the file name ``chat.md``, the two-space hard line break after a message, the blank line
before every header, ``(- reaction -)`` and ``(( sticker ))`` lines, ``![name](./media/...)``
attachment links and quote blocks. Any of these claims the file above WhatsApp. An old export with
none of them (no blank lines, no seconds, passed as bytes) is indistinguishable from WhatsApp iOS.

What is read
------------
- ``chat.md`` headers ``[YYYY-MM-DD HH:MM:SS] Name: text`` (current), ``[YYYY-MM-DD HH:MM]`` and
  ``[YYYY-MM-DD, HH:MM]`` (older versions); lines up to the next header belong to the message
  (newlines kept); the blank line signal-export writes after each message is skipped.
- Times are the exporting computer's wall clock: they are localised with ``tz`` (or labelled UTC,
  recorded as ``report.decisions["tz_assumed"]``).
- signal-export writes the account owner as ``"Me"``; such frames get ``is_from_me``.
- Quotes (``> quoted`` blocks) make the message a reply: ``reply_to`` is the latest earlier
  message with exactly the quoted text (left missing when none matches).
- Attachments (``![name](./media/...)``) and stickers → ``kind="media"`` (text kept);
  ``(This message was deleted)`` / ``"deleted": true`` → ``kind="deleted"``; call notes
  (``Outgoing voice call (accepted, 1m 0s)``, ``"call": true``) → ``kind="call"``.
- Reactions ``(- Name: emoji -)`` / ``"reactions"`` → one ``kind="reaction"`` row each (sender =
  the reactor, text = the emoji, ``reply_to`` = the message, timestamp = the message's).
- ``data.json``'s ``edits`` (newer versions) set ``edited``.

Examples
--------
>>> import reconnect_signals as rs
>>> md = "[2024-06-01 10:00:00] Me: Morning!  \\n\\n[2024-06-01 10:02:30] Sam: Not really\\nyou?  \\n(- Me: 👍 -)\\n\\n"
>>> msgs = rs.read_chat(md.encode(), format="signal", tz="Europe/London")
>>> msgs[["sender", "text", "kind", "is_from_me"]].values.tolist()
[['Me', 'Morning!', 'text', True], ['Sam', 'Not really\\nyou?', 'text', False], ['Me', '👍', 'reaction', True]]
>>> str(msgs["timestamp"].iloc[0])
'2024-06-01 10:00:00+01:00'
"""

from __future__ import annotations

import bisect
import hashlib
import json
import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import ParseError
from ..schema import coerce, empty_frame
from ._json import JSONRefused as _JSONRefused
from ._json import loads as _loads
from ._registry import ParserSpec, ReadOptions, register
from ._report import ParseReport
from ._text import Source, decode_bytes
from ._time import localize_wall_clock

if TYPE_CHECKING:  # pragma: no cover
    from ._api import ChatSource

__all__ = ["read_signal", "sniff_signal"]

logger = logging.getLogger(__name__)

# Anchored, character classes that cannot overlap their delimiters: linear time.
_HEADER = r"^\[(?P<date>\d{4}-\d{2}-\d{2}),? (?P<time>\d{2}:\d{2}(?::\d{2})?)\] (?P<sender>[^:\n]*): ?(?P<rest>.*)$"
_HEADER_RE = re.compile(_HEADER)
_QUOTE = r"\A\n\n(?P<g>(?:>[^\n]*\n)+)\n"
_ATTACHMENT = r"!?\[[^\]\n]*\]\(\.{1,2}/[^)\n]*\) ?"
_STICKER = r"\n\(\( (?P<g>[^\n]*) \)\)\s*$"
_REACTIONS = r"\n\(- (?P<g>[^\n]*) -\)\s*$"
_CALL = re.compile(r"(?:Incoming|Outgoing|Missed) (?:voice |video )?call(?: \([^\n)]*\))?", re.IGNORECASE)
_DELETED = "(This message was deleted)"
_ME = "Me"


# -- sniffing -----------------------------------------------------------------------------


def _md_score(head: bytes, name: str) -> float:
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    lines = [ln for ln in text.split("\n")[:40] if ln.strip()]
    if not lines:
        return 0.0
    m = _HEADER_RE.match(lines[0].rstrip("\r"))
    if not m:
        return 0.0
    score = 0.85 if (len(m.group("time")) == 5 or "," in lines[0][:13]) else 0.6
    headers = [ln.rstrip("\r") for ln in lines if _HEADER_RE.match(ln.rstrip("\r"))]
    if any(ln.endswith("  ") for ln in text.split("\n")[:40]) or "\n\n[" in text[:4000]:
        score = max(score, 0.9)
    if name == "chat.md":  # signal-export's file name; WhatsApp never writes one
        score = 0.995
    if headers and _structural(text[:16384]):
        # signal-export's own Markdown structure outweighs phrases another format shares
        # ("This message was deleted"): WhatsApp sniffs at most 0.99
        score = 0.995
    return score if headers else 0.0


# What only signal-export's Markdown writer produces: the two-space hard line break after a
# message, a blank line before each header, reaction lines, sticker lines, attachment links
# into ./media/ and quote blocks opened by a blank line.
_MARKERS = (
    re.compile(r"^\[\d{4}-\d{2}-\d{2},? \d{2}:\d{2}(?::\d{2})?\] [^\n]{0,300}  $", re.M),
    re.compile(r"^\(- [^\n]{1,300} -\)$", re.M),
    re.compile(r"^\(\( [^\n]{1,300} \)\)$", re.M),
    re.compile(r"(?:^|\] [^\n:]{1,200}: {1,3})!\[[^\]\n]{0,300}\]\(\./media/[^)\n]{1,300}\) *$", re.M),
    re.compile(r": \n\n> ", re.M),
)


def _structural(text: str) -> bool:
    """True when ``text`` carries signal-export's Markdown structure (not just its phrases).

    Either one of its marks (a header ending in the two-space hard break, a ``(- reaction -)``
    or ``(( sticker ))`` line, a ``./media/`` link, a quote block) appears, or most headers
    after the first follow a blank line, as signal-export separates every message.
    """
    if any(p.search(text) for p in _MARKERS):
        return True
    lines = text.split("\n")
    starts = [i for i, ln in enumerate(lines[:400]) if _HEADER_RE.match(ln.rstrip("\r"))]
    later = starts[1:]
    return len(later) >= 2 and sum(1 for i in later if not lines[i - 1].strip()) >= 0.8 * len(later)


def _json_score(head: bytes) -> float:
    first = head.lstrip(b"\xef\xbb\xbf \t\r\n").split(b"\n", 1)[0]
    try:
        obj = _loads(first)
    except ValueError:
        return 0.0
    if isinstance(obj, dict) and {"date", "sender", "body"} <= set(obj):
        return 0.95
    return 0.0


def _chat_file(folder: Path) -> tuple[str, Path] | None:
    for fname, kind in (("data.json", "json"), ("chat.md", "md")):
        p = folder / fname
        if p.is_file() and p.stat().st_size > 0:
            return kind, p
    return None


def sniff_signal(source: Source) -> float:
    """How sure we are that ``source`` is a signal-export ``chat.md``/``data.json`` (0 to 1).

    Examples
    --------
    >>> from reconnect_signals.io import Source
    >>> sniff_signal(Source(b"[2024-06-01 10:00:00] Sam: hi  \\n\\n[2024-06-01 10:01:00] Me: hey  \\n\\n"))
    0.9
    >>> sniff_signal(Source(b"[01/06/2024, 10:00:00] Sam: hi\\n"))
    0.0
    """
    if source.is_zip:
        return 0.0
    if source.is_dir:
        if _chat_file(source.on_disk):
            return 0.9
        subs = [p for p in sorted(source.on_disk.iterdir())[:200] if p.is_dir()]
        return 0.85 if subs and any(_chat_file(p) for p in subs[:20]) else 0.0
    head = source.head()
    return max(_json_score(head), _md_score(head, source.name))


# -- reading ------------------------------------------------------------------------------


def _localize(naive: pd.Series, tz: str | None, report: ParseReport) -> pd.Series:
    """Wall-clock times to aware ones (DST decided from file order; see ``_time``)."""
    if naive.empty:
        return pd.Series([], dtype="datetime64[us, UTC]", index=naive.index)
    if tz is None:
        report.notice("wall-clock times were labelled UTC; pass tz= (the exporting computer's zone)")
    return localize_wall_clock(naive, tz, None, report)


def _conv_id(src_name: str, path) -> str:
    if path is not None and path.name in ("chat.md", "data.json"):
        return path.parent.name
    return hashlib.sha1(src_name.encode("utf-8")).hexdigest()[:10]


def _split_md(text: str, report: ParseReport) -> pd.DataFrame:
    """Messages of a chat.md as a frame: date, time, sender, body, line.

    Header lines are found with one RE2 pass (pyarrow); a message's body is the slice of the
    text from its header's text to the next header, so no per-line joining is needed.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    report.total = len(lines)
    arr = pa.array(lines, type=pa.large_string())
    parts = pc.extract_regex(arr, _HEADER)
    is_header = np.asarray(parts.is_valid(), dtype=bool) if len(lines) else np.zeros(0, dtype=bool)
    lengths = np.asarray(pc.utf8_length(arr), dtype="int64") if len(lines) else np.zeros(0, dtype="int64")
    blank = np.asarray(pc.equal(pc.utf8_trim_whitespace(arr), ""), dtype=bool) if len(lines) else is_header
    starts = np.concatenate([[0], np.cumsum(lengths + 1)])  # char offset of each line (and past the end)
    heads = np.flatnonzero(is_header)
    first = heads[0] if len(heads) else len(lines)
    before = np.arange(len(lines)) < first
    report.skip("blank line before the first message", int((before & blank).sum()))
    for i in np.flatnonzero(before & ~blank):
        report.add_problem(int(i) + 1, "line before the first message header", lines[i])
    rest_len = np.asarray(pc.utf8_length(parts.field("rest")), dtype="int64")[heads] if len(heads) else heads
    begin = starts[heads] + lengths[heads] - rest_len
    end = np.append(starts[heads[1:]] - 1, starts[len(lines)] - 1) if len(heads) else heads
    bodies = [text[b:e] for b, e in zip(begin.tolist(), end.tolist(), strict=True)]
    # offsets are in characters: valid because `text` is a str and lines were split on "\n"
    body = pd.Series(bodies, dtype="str")
    stripped = body.str.rstrip("\n")
    trailing = int((body.str.len() - stripped.str.len()).sum()) if len(heads) else 0
    report.skip("blank line after a message", trailing)
    report.continuations += int((~is_header & ~before).sum()) - trailing
    report.messages += len(heads)
    names = ("date", "time", "sender")
    fields: dict[str, Any] = (
        {k: np.asarray(parts.field(k).take(pa.array(heads, type=pa.int64())).to_pylist(), dtype=object) for k in names}
        if len(heads)
        else {k: [] for k in names}
    )
    return pd.DataFrame({**fields, "body": stripped.to_numpy(), "line": heads + 1})


def _extract(values: pd.Series, pattern: str) -> pd.Series:
    """Group ``g`` of ``pattern`` (RE2 via pyarrow: linear time), missing where it does not match."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if values.empty:
        return pd.Series([], dtype="str", index=values.index)
    res = pc.extract_regex(pa.array(values.to_numpy(dtype=object), type=pa.large_string()), pattern)
    got = pd.Series(res.field("g").to_numpy(zero_copy_only=False), index=values.index, dtype="str")
    return got.where(np.asarray(res.is_valid(), dtype=bool))


def _parse_md_bodies(df: pd.DataFrame) -> pd.DataFrame:
    body = df["body"].astype("str")
    quote = _extract(body, _QUOTE)
    body = body.str.replace(_QUOTE, "", regex=True)
    n_att = body.str.count(_ATTACHMENT)
    body = body.str.replace(_ATTACHMENT, "", regex=True)
    sticker = _extract(body, _STICKER)
    body = body.str.replace(_STICKER, "", regex=True)
    reactions = _extract(body, _REACTIONS)
    body = body.str.replace(_REACTIONS, "", regex=True).str.rstrip()
    quote = quote.str.replace(r"^> ?", "", regex=True).str.replace(r"\n> ?", "\n", regex=True).str.rstrip("\n")
    deleted = body.eq(_DELETED)
    call = body.str.fullmatch(_CALL.pattern, case=False, na=False)
    media = n_att.gt(0) | sticker.notna()
    kind = np.select(
        [deleted, call, media, body.str.len().gt(0)], ["deleted", "call", "media", "text"], default="other"
    )
    # reactions "(- A: x, B: y -)": a list of (name, emoji)
    parsed = {i: [tuple(p.rsplit(": ", 1)) for p in s.split(", ") if ": " in p] for i, s in reactions.dropna().items()}
    react = pd.Series([parsed.get(i, []) for i in df.index], index=df.index, dtype=object)
    text = body.where(~deleted & body.str.len().gt(0))
    return df.assign(text=text, kind=kind, quote=quote, reactions=react, edited=False)


def _parse_json_lines(text: str, report: ParseReport) -> pd.DataFrame:
    stripped = text.lstrip("\ufeff \t\n")
    if stripped.startswith("["):
        try:
            records = _loads(stripped)
        except json.JSONDecodeError as exc:
            raise ParseError(f"data.json is not valid JSON ({exc.msg}); re-run signal-export") from None
        lines = [(i, r) for i, r in enumerate(records)]
        report.units = "records"
    else:
        lines = []
        blank = 0
        for i, ln in enumerate(text.split("\n")):
            if not ln.strip():
                blank += 1
                continue
            try:
                lines.append((i + 1, _loads(ln)))
            except (json.JSONDecodeError, _JSONRefused):
                lines.append((i + 1, ln))
        if text.endswith("\n"):
            blank -= 1  # the newline that ends the last line does not start a line
        report.total += blank
        report.skip("blank line", blank)
    rows = []
    report.total += len(lines)
    for i, rec in lines:
        if not isinstance(rec, dict) or "date" not in rec:
            report.add_problem(i, "not a signal-export message object", str(rec))
            continue
        if rec.get("sender") is None:
            report.add_problem(i, "message has no sender", json.dumps(rec)[:80])
            continue
        body = str(rec.get("body") or "").rstrip()
        quoted_text = str(rec.get("quote") or "").strip("\n")
        quote = re.sub(r"(?m)^> ?", "", quoted_text) if quoted_text else None
        if rec.get("deleted"):
            kind = "deleted"
        elif rec.get("call") or _CALL.fullmatch(body):
            kind = "call"
        elif rec.get("attachments") or rec.get("sticker"):
            kind = "media"
        else:
            kind = "text" if body else "other"
        react = []
        reactions = rec.get("reactions")
        for r in reactions if isinstance(reactions, list) else ():
            if isinstance(r, (list, tuple)) and len(r) == 2:
                react.append((str(r[0]), str(r[1])))
            elif isinstance(r, dict) and r.get("name"):
                react.append((str(r["name"]), str(r.get("emoji", ""))))
        rows.append(
            {
                "stamp": str(rec["date"]),
                "sender": None if rec.get("sender") is None else str(rec["sender"]),
                "text": body if body and kind not in ("deleted",) else None,
                "kind": kind,
                "quote": quote or None,
                "reactions": react,
                "edited": bool(rec.get("edits")),
                "line": i,
            }
        )
        report.messages += 1
    cols = ["stamp", "sender", "text", "kind", "quote", "reactions", "edited", "line"]
    return pd.DataFrame(rows, columns=cols)


#: a stamp that ends in a UTC offset after its time of day (``...T10:00:00+02:00``, ``... 10:00Z``)
_OFFSET = r"\d:?\d\d(?:[.,]\d+)?\s*(?:Z|[+-]\d\d(?::?\d\d)?)$|T\d\d(?:Z|[+-]\d\d(?::?\d\d)?)$"


def _parse_stamps(stamps: pd.Series, report: ParseReport) -> tuple[pd.Series, np.ndarray | None]:
    """ISO 8601 stamps as times; ``(times, None)`` when all or none carry a UTC offset.

    When only some do (pandas refuses to mix them), every stamp is read with ``utc=True``: the
    returned times are naive, and the second item marks the stamps that carried an offset, whose
    times are UTC instants (the others are wall-clock times, localised like the rest of the file).
    """
    if not len(stamps):
        return pd.Series([], dtype="datetime64[us]"), None
    try:
        return pd.to_datetime(stamps, format="ISO8601", errors="coerce"), None
    except ValueError:  # "Mixed timezones detected"
        pass
    utc = pd.to_datetime(stamps, format="ISO8601", errors="coerce", utc=True)
    aware = stamps.str.contains(_OFFSET, regex=True).fillna(False).to_numpy(dtype=bool) & utc.notna().to_numpy()
    report.notice(
        f"{int(aware.sum())} timestamps carry a UTC offset and {int((~aware & utc.notna().to_numpy()).sum())} do not:"
        " those with an offset are read as instants, the others as wall-clock times"
    )
    return utc.dt.tz_localize(None), aware


def _finish(df: pd.DataFrame, cid: str, tz: str | None, report: ParseReport) -> pd.DataFrame:
    naive, aware = _parse_stamps(df["stamp"], report)
    bad = naive.isna().to_numpy()
    line = df["line"].to_numpy()
    for i in np.flatnonzero(bad).tolist():
        report.add_problem(int(line[i]), "date not understood", df["stamp"].iat[i])
    report.messages -= int(bad.sum())
    df, naive = df[~bad].reset_index(drop=True), naive[~bad].reset_index(drop=True)
    n = len(df)
    ts = _localize(naive, tz, report)
    if aware is not None and aware[~bad].any():  # stamps with an offset are instants already
        keep = aware[~bad]
        ts = ts.copy()
        ts[keep] = naive[keep].dt.tz_localize("UTC").dt.tz_convert(ts.dt.tz)
    mid = cid + ":" + pd.Series(np.arange(n), dtype="int64").astype("str")
    # replies: latest earlier message whose text is the quoted text
    reply: list[Any] = [None] * n
    quoted: Any = np.flatnonzero(df["quote"].notna().to_numpy()) if n else []
    if len(quoted):
        quotes = df["quote"].to_numpy(dtype=object)
        wanted = set(quotes[quoted])
        where: dict[str, list[int]] = {}
        for j, t in enumerate(df["text"].to_numpy(dtype=object)):
            if t in wanted:
                where.setdefault(t, []).append(j)
        for i in quoted:
            earlier = where.get(quotes[i], [])
            k = bisect.bisect_left(earlier, i) - 1
            if k >= 0:
                reply[i] = mid.iat[earlier[k]]
        report.decisions["quotes"] = int(len(quoted))
        report.decisions["quotes_matched"] = int(sum(r is not None for r in reply))
    base = pd.DataFrame(
        {
            "conversation_id": cid,
            "message_id": mid,
            "timestamp": ts.reset_index(drop=True),
            "sender": df["sender"].astype("str").to_numpy(),
            "text": df["text"].astype("str").to_numpy(),
            "kind": df["kind"].to_numpy(),
            "reply_to": pd.Series(reply, dtype="str").to_numpy(),
            "edited": df["edited"].astype(bool).to_numpy(),
            "source_line": df["line"].astype("Int64").to_numpy(),
            "_pos": np.arange(n, dtype="float64"),
        }
    )
    react = df["reactions"].explode().dropna()
    if len(react):
        pos = react.index.to_numpy()
        who, emoji = zip(*react.tolist(), strict=True)
        rank = pd.Series(pos).groupby(pos).cumcount().astype("str").to_numpy()
        parent = base.iloc[pos]
        rows = pd.DataFrame(
            {
                "conversation_id": cid,
                "message_id": parent["message_id"].to_numpy() + ":r" + rank,
                "timestamp": parent["timestamp"].to_numpy(),
                "sender": list(who),
                "text": list(emoji),
                "kind": "reaction",
                "reply_to": parent["message_id"].to_numpy(),
                "edited": False,
                "source_line": parent["source_line"].to_numpy(),
                "_pos": pos + 0.5,
            }
        )
        base = pd.concat([base, rows], ignore_index=True).sort_values("_pos", kind="stable")
        report.decisions["reaction_rows"] = len(rows)
    base = base.drop(columns="_pos").reset_index(drop=True)
    if base["sender"].eq(_ME).any():
        base["is_from_me"] = base["sender"].eq(_ME)
        report.decisions["me"] = _ME
    return coerce(base, tz=tz, platform="signal")


def _read_one(src: Source, kind: str, cid: str, tz: str | None) -> tuple[pd.DataFrame, ParseReport]:
    report = ParseReport(source=src.name, format="signal", units="lines")
    report.decisions["file_kind"] = "data.json" if kind == "json" else "chat.md"
    text, _ = decode_bytes(src.read_bytes(), report)
    if kind == "json":
        df = _parse_json_lines(text, report)
    else:
        df = _split_md(text, report)
        if report.messages == 0 and report.unplaced:
            raise ParseError(
                f"{src.name} has no signal-export message header ('[YYYY-MM-DD HH:MM:SS] Name: text'); "
                "pass the chat.md or data.json of a signal-export chat folder, or another format="
            )
        if len(df):
            df = _parse_md_bodies(df).assign(stamp=df["date"] + " " + df["time"])
    logger.debug("%s", report.summary())
    if df.empty:
        return empty_frame(tz or "UTC", optional=["reply_to", "edited", "source_line"]), report
    return _finish(df, cid, tz, report), report


def read_signal(source: ChatSource, options: ReadOptions | None = None) -> tuple[pd.DataFrame, list[ParseReport]]:
    """Read signal-export output (``chat.md``, ``data.json``, a chat folder or the output folder).

    Returns one :class:`~reconnect_signals.io.ParseReport` per chat (units: lines, or records
    for a JSON array).

    Examples
    --------
    >>> line = (b'{"date": "2024-06-01T10:00:00", "sender": "Sam", "body": "hi  ", "quote": "", "reactions": [], '
    ...         b'"attachments": [], "deleted": false, "call": false, "missed": false}')
    >>> frame, [report] = read_signal(line)
    >>> frame["text"].tolist(), report.accounted(), report.decisions["tz_assumed"]
    (['hi'], True, True)
    """
    options = options or ReadOptions()
    src = source if isinstance(source, Source) else Source(source, limits=options.limits)
    jobs: list[tuple[Source, str, str]] = []
    if src.is_dir:
        found = _chat_file(src.on_disk)
        if found:
            jobs.append((Source(found[1], limits=src.limits), found[0], src.on_disk.name))
        else:
            for sub in sorted(p for p in src.on_disk.iterdir() if p.is_dir()):
                f = _chat_file(sub)
                if f:
                    jobs.append((Source(f[1], limits=src.limits, name=f"{sub.name}/{f[1].name}"), f[0], sub.name))
        if not jobs:
            raise ParseError(f"{src.name} holds no chat.md or data.json; pass a signal-export chat folder")
    else:
        kind = "json" if _json_score(src.head()) else "md"
        jobs.append((src, kind, _conv_id(src.name, src.path)))
    frames, reports = [], []
    for s, kind, cid in jobs:
        frame, report = _read_one(s, kind, cid, options.tz)
        frames.append(frame)
        reports.append(report)
    return (pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]), reports


register(
    ParserSpec(
        name="signal",
        platform="signal",
        description="Signal Desktop chats exported with signal-export (chat.md or data.json)",
        patterns=("chat.md", "data.json", "*.md"),
        where="Signal has no export button: install signal-export on the computer running Signal "
        "Desktop (pip install signal-export; sigexport ~/signal-chats) and read a chat folder "
        "(data.json or chat.md). Signal's encrypted phone backups are not supported.",
        sniff=sniff_signal,
        read=read_signal,
    )
)
