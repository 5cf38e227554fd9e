"""Facebook Messenger and Instagram JSON exports ("Download your information").

Facebook: Settings & privacy → Settings → Accounts Center → Your information and permissions →
Download your information → Messages, format **JSON**. Instagram: Settings → Accounts Center →
Your information and permissions → Download your information → Messages, format **JSON**.
The download is a zip; inside, each conversation is a folder ``.../messages/inbox/<thread>/``
holding ``message_1.json``, ``message_2.json``, ... (``message_1`` is the newest part).
HTML downloads (the default format) are read too: ``message_N.html`` pages, see
:mod:`reconnect_signals.io._meta_html`. Instagram's pre-2021 download (one ``messages.json``
holding every conversation as ``{"participants": [...], "conversation": [...]}``) is read by the
``instagram`` format.

What is read
------------
- One ``message_N.json`` file, a thread folder (all its ``message_N.json`` merged and sorted by
  ``timestamp_ms``, stably), a whole inbox folder or the downloaded zip (every thread).
- The newer end-to-end-encrypted Messenger export (``senderName``/``timestamp``/``text`` fields,
  one JSON file per chat) is read too.
- **Mojibake repair**: Meta writes UTF-8 bytes as if they were Latin-1 characters
  (``"CafÃ©"`` for ``"Café"``). Every string field (names, text, reactions, titles) is repaired
  with ``s.encode("latin-1").decode("utf-8")`` only where that round-trips; strings that are
  already correct (``"Café"``, emoji, CJK) are left alone.
- ``conversation_id`` is the thread folder name (``thread_path``), else the file's folder name;
  messages carry no ids, so ``message_id`` is ``"{conversation_id}:{seq}"`` in time order.
- Reactions become one ``kind="reaction"`` row each, right after their message: sender = the
  reactor (``actor``), text = the emoji, ``reply_to`` = the message, timestamp = the message's
  (the export does not say when a reaction was given).
- Instagram also writes every reaction as a line of its own (``"Liked a message"``,
  ``"Reacted ❤️ to your message"``; in German, French, Spanish, Portuguese, Italian and Dutch
  exports ``"Hat mit ❤️ auf deine Nachricht reagiert"``, ``"A réagi ❤️ à votre message"``, ...):
  such lines are ``kind="reaction"`` rows
  (text = the emoji, no ``reply_to``; the same reaction may also be listed on its message),
  counted in ``report.decisions["reaction_echo_lines"]``.
- ``is_unsent`` → ``kind="deleted"``; photos, videos, audio, gifs, stickers, files and shares →
  ``kind="media"`` (a share keeps its text); ``call_duration`` or ``type == "Call"`` →
  ``kind="call"``; ``Subscribe``/``Unsubscribe`` (people added or leaving) → ``kind="system"``.
- Group vs one-to-one (the number of participants) is in ``report.decisions["participants"]``
  and ``report.decisions["group"]``.
- The export does not name its owner; when two or more threads are read (an inbox or the zip)
  and exactly one person takes part in all of them, that person is the owner and the frame
  gets ``is_from_me`` (``report.decisions["me"]``).
- Instagram's JSON has the same shape. It is told apart by path hints (``your_instagram_activity``
  or ``instagram`` in the path); when it cannot be told apart the reader says ``"messenger"``,
  and ``format="instagram"`` forces Instagram. (``is_geoblocked_for_viewer`` is not a hint:
  current Messenger exports carry it too.)

Examples
--------
>>> import reconnect_signals as rs
>>> data = '''{"participants": [{"name": "Alex"}, {"name": "Sam"}], "messages": [
...  {"sender_name": "Sam", "timestamp_ms": 1717232460000, "content": "Caf\\u00c3\\u00a9?",
...   "reactions": [{"reaction": "\\u00e2\\u009d\\u00a4", "actor": "Alex"}]},
...  {"sender_name": "Alex", "timestamp_ms": 1717232400000, "content": "Caf\\u00e9 ok"}],
...  "title": "Sam", "thread_path": "inbox/sam_123"}'''.encode()
>>> msgs = rs.read_chat(data)
>>> msgs[["message_id", "sender", "text", "kind", "reply_to"]].values.tolist()
[['sam_123:0', 'Alex', 'Café ok', 'text', nan], ['sam_123:1', 'Sam', 'Café?', 'text', nan],
 ['sam_123:1:r0', 'Alex', '❤', 'reaction', 'sam_123:1']]
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import ParseError
from ..schema import coerce
from ._json import no_gc, parse_json
from ._meta_html import is_meta_html, parse_meta_html, records_as_json
from ._registry import ParserSpec, ReadOptions, register
from ._report import ParseReport
from ._text import Source, decode_bytes
from ._time import localize_wall_clock
from .telegram import _records

if TYPE_CHECKING:  # pragma: no cover
    from ._api import ChatSource

__all__ = ["read_messenger", "read_instagram", "sniff_messenger", "sniff_instagram", "fix_mojibake"]

logger = logging.getLogger(__name__)

_PART = re.compile(r"^message_(\d+)\.(?:json|html)$")
_MEDIA_KEYS = ("photos", "videos", "audio_files", "gifs", "sticker", "files", "share")
_USED_KEYS = (
    "sender_name",
    "senderName",
    "timestamp_ms",
    "timestamp",
    "content",
    "text",
    "type",
    "is_unsent",
    "isUnsent",
    "call_duration",
    "reactions",
    "media",
    *_MEDIA_KEYS,
)
# "Reacted ❤️ to your message" and its translations (anchored; the emoji group holds no letters,
# digits or newlines, so an ordinary sentence never matches)
_E = r"(?P<{}>[^\sA-Za-z0-9][^\nA-Za-z0-9]{{0,15}}?)"
_REACTED_ECHO = (
    r"^(?:Reacted " + _E.format("g") + r" to your message"
    r"|Hat (?:mit )?" + _E.format("g2") + r" auf (?:deine|Ihre) Nachricht reagiert"
    r"|A réagi (?:avec )?" + _E.format("g3") + r" à (?:votre|ton) message"
    r"|(?:Ha reaccionado|Reaccionó) con " + _E.format("g4") + r" a tu mensaje"
    r"|Reagiu com " + _E.format("g5") + r" (?:à|a) (?:sua|tua) mensagem"
    r"|Ha (?:reagito con|messo la reazione) " + _E.format("g6") + r" al tuo messaggio"
    r"|(?:Reageerde|Heeft gereageerd) met " + _E.format("g7") + r" op je bericht"
    r")\.?\s*$"
)
_LIKED_ECHO = r"^(?:Liked a message|Gefällt eine Nachricht|A aimé un message|Le gustó un mensaje)\s*$"
_INSTAGRAM_HINTS = ("your_instagram_activity", "instagram")
_LATIN1_HIGH = re.compile(r"[\x80-\xff]")


def fix_mojibake(values: pd.Series) -> pd.Series:
    """Repair Meta's Latin-1/UTF-8 mojibake in a string column, leaving correct strings alone.

    Only strings that hold characters U+0080–U+00FF are tried; a string is replaced by
    ``s.encode("latin-1").decode("utf-8")`` when both steps succeed, else kept. Each distinct
    string is repaired once.

    Parameters
    ----------
    values : Series of str
        Strings as Meta's JSON export decodes them.

    Returns
    -------
    Series of str
        The repaired strings, on the same index.

    Examples
    --------
    >>> import pandas as pd
    >>> fix_mojibake(pd.Series(["CafÃ©", "Café", "ð\\x9f\\x98\\x80", "plain", None])).tolist()
    ['Café', 'Café', '😀', 'plain', nan]
    """
    s = values.astype("str")
    suspect = s.str.contains(_LATIN1_HIGH, na=False)
    if not suspect.any():
        return s
    fixed = {}
    for v in pd.unique(s[suspect]):
        try:
            fixed[v] = v.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            fixed[v] = v
    out = s.copy()
    out[suspect] = s[suspect].map(fixed)
    return out


def _fix(value):
    if isinstance(value, str) and _LATIN1_HIGH.search(value):
        try:
            return value.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return value
    return value


# -- finding the thread files -------------------------------------------------------------


def _part_number(name: str) -> int:
    m = _PART.match(name.rsplit("/", 1)[-1])
    return int(m.group(1)) if m else 0


def _thread_files(source: Source) -> list[tuple[str, list[tuple[str, str]]]]:
    """``[(thread name, [(kind, path-or-member), ...]), ...]``; files newest part first."""
    threads: dict[str, list[tuple[str, str]]] = {}
    if source.is_zip:
        for name in source.zip_names():
            if _PART.match(name.rsplit("/", 1)[-1]):
                folder = name.rsplit("/", 1)[0] if "/" in name else source.name
                threads.setdefault(folder, []).append(("zip", name))
    elif source.is_dir:
        limit = source.limits.max_members
        seen = 0
        for p in sorted(source.on_disk.rglob("message_*.*")):
            if not _PART.match(p.name) or not p.is_file():
                continue
            seen += 1
            if seen > limit:
                raise ParseError(f"{source.name} holds more than {limit} message files; pass a smaller folder")
            threads.setdefault(str(p.parent), []).append(("dir", str(p)))
        if not threads:  # E2EE exports: one JSON per chat
            for p in sorted(source.on_disk.glob("*.json")):
                threads.setdefault(str(p), []).append(("dir", str(p)))
    else:
        return [(source.name, [("self", source.name)])]
    return [
        (folder, sorted(files, key=lambda f: _part_number(f[1]), reverse=True))
        for folder, files in sorted(threads.items())
    ]


def _first_part_in(folder, depth: int = 6, budget: int = 5000):
    """The first ``message_N.json`` under ``folder`` (breadth-first, bounded), else None.

    A folder is only claimed as a Messenger/Instagram export when it holds such a part
    file; a folder of mixed exports is left to ``read_chats`` to read file by file.
    """
    level, seen = [folder], 0
    for _ in range(depth):
        nxt = []
        for d in level:
            try:
                entries = sorted(d.iterdir())
            except OSError:
                continue
            for e in entries:
                seen += 1
                if seen > budget:
                    return None
                if e.is_dir():
                    nxt.append(e)
                elif _PART.match(e.name):
                    return e
        level = nxt
    return None


def _head_of(source: Source) -> bytes:
    if source.is_zip:
        threads = _thread_files(source)
        if not threads:
            return b""
        return source.read_member(threads[0][1][0][1])[:65536]
    if source.is_dir:
        first = _first_part_in(source.path)
        return Source(first).head() if first is not None else b""
    return source.head()


def _content_score(head: bytes) -> float:
    if is_meta_html(head):
        return 0.9
    h = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not h.startswith(b"{"):
        return 0.0
    if b'"sender_name"' in h and b'"timestamp_ms"' in h:
        return 0.9 if b'"participants"' in h or b'"messages"' in h else 0.7
    if b'"senderName"' in h and b'"timestamp"' in h and b'"messages"' in h:
        return 0.85
    return 0.0


def _path_text(source: Source) -> str:
    parts = [source.name]
    if source.path is not None:  # the last few folders only, not the user's home path
        parts.append("/".join(source.path.resolve().parts[-5:]))
    if source.is_zip:
        names = source.zip_names()[:50]
        parts.extend(names)
    return " ".join(parts).lower()


def _is_instagram(source: Source) -> bool | None:
    """True/False when the path says so; None when it cannot be told."""
    text = _path_text(source)
    if any(h in text for h in _INSTAGRAM_HINTS):
        return True
    if "facebook" in text or "messenger" in text or "your_activity_across_facebook" in text:
        return False
    return None


def sniff_messenger(source: Source) -> float:
    """How sure we are that ``source`` is a Facebook Messenger JSON export (0 to 1).

    Examples
    --------
    >>> from reconnect_signals.io import Source
    >>> raw = b'{"participants": [], "messages": [{"sender_name": "A", "timestamp_ms": 1}]}'
    >>> sniff_messenger(Source(raw)), sniff_instagram(Source(raw))
    (0.9, 0.45)
    """
    try:
        score = _content_score(_head_of(source))
    except (ParseError, OSError):
        return 0.0
    if not score:
        return 0.0
    return score * 0.5 if _is_instagram(source) else score


def sniff_instagram(source: Source) -> float:
    """How sure we are that ``source`` is an Instagram JSON export (0 to 1).

    The content is Messenger's; only a path hint (``your_instagram_activity``, ``instagram``)
    makes Instagram win. Otherwise it scores below Messenger. Instagram's pre-2021
    ``messages.json`` is Instagram's alone.
    """
    try:
        if _legacy_file(source) is not None:
            return 0.95
    except (ParseError, OSError):
        return 0.0
    try:
        score = _content_score(_head_of(source))
    except (ParseError, OSError):
        return 0.0
    if not score:
        return 0.0
    return min(1.0, score + 0.05) if _is_instagram(source) else score * 0.5


# -- reading ------------------------------------------------------------------------------


def _load_json(source: Source, kind: str, where: str, report: ParseReport) -> object:
    if kind == "zip":
        raw = source.read_member(where)
    elif kind == "dir":
        raw = Source(where, limits=source.limits).read_bytes()
    else:
        raw = source.read_bytes()
    text, _ = decode_bytes(raw, report)
    return parse_json(text, str(where), "download your information again with the format set to JSON")


def _is_html_part(source: Source, kind: str, where: str) -> bool:
    if kind == "self":
        return is_meta_html(source.head())
    return str(where).lower().endswith(".html")


def _load_html(source: Source, kind: str, where: str, report: ParseReport, tz: str | None) -> dict:
    """One HTML page as Meta's JSON shape (wall-clock times localised with ``tz``)."""
    if kind == "zip":
        raw = source.read_member(where)
    elif kind == "dir":
        raw = Source(where, limits=source.limits).read_bytes()
    else:
        raw = source.read_bytes()
    text, _ = decode_bytes(raw, report)
    recs, title = parse_meta_html(text)
    report.decisions["html"] = True

    def to_ms(stamps: pd.Series) -> pd.Series:
        from .google_chat import _localized_dates

        naive, _ = _localized_dates(stamps)
        ok = naive.notna()
        ms = pd.Series(np.nan, index=stamps.index)
        if ok.any():
            aware = localize_wall_clock(naive[ok], tz, None, report)
            ms[ok] = (aware.dt.tz_convert("UTC").astype("datetime64[ms, UTC]").astype("int64")).to_numpy()
        return ms

    messages = records_as_json(recs, to_ms)
    return {"participants": [], "messages": messages, "title": title}


def _conversation_id(data: dict, folder: str, source: Source) -> str:
    tp = data.get("thread_path") or data.get("threadPath")
    if tp:
        return PurePosixPath(str(tp).replace("\\", "/")).name
    if source.is_dir or source.is_zip:
        name = PurePosixPath(folder.replace("\\", "/")).name
        return name[:-5] if name.endswith(".json") else name
    if source.path is not None and _PART.match(source.path.name):
        return source.path.parent.name
    return hashlib.sha1(source.name.encode("utf-8")).hexdigest()[:10]


def _read(source, options: ReadOptions | None, platform: str) -> tuple[pd.DataFrame, list[ParseReport]]:
    options = options or ReadOptions()
    src = source if isinstance(source, Source) else Source(source, limits=options.limits)
    threads = _thread_files(src)
    if not threads:
        raise ParseError(
            f"no message_N.json files in {src.name}; pass a Messenger/Instagram thread folder, "
            "inbox folder, message_1.json or the downloaded zip"
        )
    reports, frames = [], []
    for folder, files in threads:
        report = ParseReport(source=folder if folder != src.name else src.name, format=platform, units="messages")
        frames.append(_read_thread(src, folder, files, report, platform, options.tz))
        reports.append(report)
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    owner = _owner(reports)
    if owner is not None:
        frame = frame.assign(is_from_me=frame["sender"].eq(owner).astype("boolean"))
        for report in reports:
            report.decisions["me"] = owner
    logger.debug("%d threads read from %s", len(reports), src.name)
    return frame, reports


def _owner(reports: list[ParseReport]) -> str | None:
    """The one person in every thread of a download (its owner), when there are two or more threads."""
    rosters = [set(r.decisions.get("participant_names") or ()) for r in reports]
    if len(rosters) < 2 or not all(rosters):
        return None
    common = set.intersection(*rosters)
    return common.pop() if len(common) == 1 else None


def _column(df: pd.DataFrame, *names: str) -> pd.Series:
    """The first of ``names`` present in ``df``, filled from the next ones (both export shapes)."""
    out = pd.Series(None, index=df.index, dtype=object)
    for name in reversed(names):
        if name in df.columns:
            out = df[name].where(df[name].notna(), out)
    return out


def _present(col: pd.Series) -> pd.Series:
    as_text = col.astype("str")
    return col.notna() & as_text.ne("") & as_text.ne("[]") & as_text.ne("{}") & as_text.ne("False")


#: A message file larger than this many bytes is parsed message by message (bounded memory)
_STREAM_ABOVE = 128 * 1024**2


def _file_size(src: Source, kind: str, loc: str) -> int:
    if kind == "zip":
        return src._zip.getinfo(loc).file_size
    if kind == "dir":
        return Path(loc).stat().st_size
    return src.size


def _file_batches(src: Source, kind: str, loc: str, report: ParseReport, tz: str | None, meta: dict):
    """Yield ``(messages, start)`` batches of one message file; its other keys go into ``meta``.

    Small files are parsed whole; larger ones (one JSON per chat can hold a whole history) are
    parsed message by message with the streaming parser of the Telegram reader.
    """
    data: object
    if _is_html_part(src, kind, loc):
        data = _load_html(src, kind, loc, report, tz)
    elif _file_size(src, kind, loc) <= _STREAM_ABOVE:
        data = _load_json(src, kind, loc, report)
    else:
        yield from _stream_file(src, kind, loc, report, meta)
        return
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        raise ParseError(f"{loc} has no 'messages' list; it is not a Messenger/Instagram message file")
    meta.update((k, v) for k, v in data.items() if k != "messages")
    yield data["messages"], 0


def _stream_file(src: Source, kind: str, loc: str, report: ParseReport, meta: dict):
    import codecs
    import io

    from .telegram import _BATCH, _JsonStream

    report.decisions["streamed"] = True
    if kind == "zip":
        fh = src._zip.open(src._zip.getinfo(loc))
    elif kind == "dir":
        fh = open(loc, "rb")  # noqa: SIM115 (closed at the end)
    else:
        fh = open(src.path, "rb") if src.path is not None else io.BytesIO(src.read_bytes())  # noqa: SIM115
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")

    def read(n: int) -> str:
        while True:
            raw = fh.read(n)
            text = decoder.decode(raw, final=not raw)
            if not raw or text:
                return text

    try:
        s = _JsonStream(read)
        found = False
        for key in s.members():
            if key == "messages" and s.peek() == "[":
                found = True
                batch, start = [], 0
                for _ in s.items():
                    batch.append(s.value())
                    if len(batch) >= _BATCH:
                        yield batch, start
                        start, batch = start + len(batch), []
                yield batch, start
            else:
                meta[key] = s.value()
        if not found:
            raise ParseError(f"{loc} has no 'messages' list; it is not a Messenger/Instagram message file")
    finally:
        fh.close()


_PART_COLS = ["ms", "order", "sender", "text", "kind"]


def _batch_rows(records: list, start: int, k: int, loc: str, report: ParseReport) -> tuple[pd.DataFrame, list]:
    """Compact rows of records ``start`` .. of file ``k`` (newest first in the file) and their reactions.

    ``order`` sorts equal timestamps as the export lists them: files in order, each one read
    backwards (its oldest message first).
    """
    report.total += len(records)
    ok = np.asarray([isinstance(m, dict) for m in records], dtype=bool)
    for i in np.flatnonzero(~ok):
        report.add_problem(start + int(i), "message is not a JSON object", repr(records[i]), location=loc)
    df = _records(records, list(np.flatnonzero(ok)), _USED_KEYS)
    if len(df.index) == 0:
        return pd.DataFrame(columns=_PART_COLS), []
    ts = _column(df, "timestamp_ms", "timestamp")
    ms = ts.where(ts.map(type).isin([int, float]))
    try:
        ms = pd.to_numeric(ms, errors="coerce")
    except OverflowError:  # an integer beyond float range (found by fuzzing): it is no time either
        ms = pd.to_numeric(
            ms.map(lambda v: v if isinstance(v, (int, float)) and abs(v) < 2**63 else None), errors="coerce"
        )
    ms = ms.where(ms.between(0, 2**33 * 1000))  # milliseconds up to the year 2242
    sender = _column(df, "sender_name", "senderName")
    text = _column(df, "content", "text")
    mtype = _column(df, "type").fillna("").astype("str")
    unsent = _column(df, "is_unsent", "isUnsent").fillna(False).astype(bool)
    media = pd.Series(False, index=df.index)
    for key in (*_MEDIA_KEYS, "media"):
        if key in df.columns:
            media |= _present(df[key])
    call = _column(df, "call_duration").notna() | mtype.str.lower().eq("call")
    system = mtype.isin(["Subscribe", "Unsubscribe"])
    has_text = _present(text)
    kind = pd.Series(
        np.select([unsent, call, system, media, has_text], ["deleted", "call", "system", "media", "text"], "other"),
        index=df.index,
    )
    bad_ts = ms.isna()
    bad_sender = sender.isna() & kind.ne("system") & ~bad_ts
    for i in df.index[bad_ts]:
        report.add_problem(
            start + int(i), "message has no usable timestamp_ms", json.dumps(records[i])[:80], location=loc
        )
    for i in df.index[bad_sender]:
        report.add_problem(start + int(i), "message has no sender_name", json.dumps(records[i])[:80], location=loc)
    good = ~(bad_ts | bad_sender)
    text = text.where(has_text & kind.ne("deleted"))
    if "share" in df.columns:  # a share without text: its text or link
        need = good & kind.eq("media") & text.isna() & df["share"].notna()
        text[need] = [
            (sh.get("share_text") or sh.get("link")) if isinstance(sh, dict) else None for sh in df.loc[need, "share"]
        ]
    idx = df.index[good]
    order = np.int64(k) * (1 << 40) - (idx.to_numpy(dtype="int64") + start)
    # repaired and classified batch by batch, so the whole thread never exists as Python strings
    body = fix_mojibake(pd.Series(text[idx].to_numpy(), dtype=object))
    kinds = pd.Series(kind[idx].to_numpy(), dtype="str")
    body, kinds = _reaction_lines(body, kinds, report)
    part = pd.DataFrame(
        {
            "ms": ms[idx].astype("int64").to_numpy(),
            "order": order,
            "sender": fix_mojibake(pd.Series(sender[idx].to_numpy(), dtype=object)),
            "text": body,
            "kind": kinds,
        }
    )
    reacts: list[Any] = []
    if "reactions" in df.columns:
        for o, rs_ in zip(order, df.loc[idx, "reactions"].tolist(), strict=True):
            if isinstance(rs_, list):
                reacts.extend(
                    (o, _fix(r.get("actor")), _fix(r.get("reaction")))
                    for r in rs_
                    if isinstance(r, dict) and r.get("actor")
                )
    report.messages += len(part)
    return part, reacts


_ECHO_START = (
    "Reacted ",
    "Hat ",
    "A réagi ",
    "Ha ",
    "Reaccionó ",
    "Reagiu ",
    "Reageerde ",
    "Heeft ",
    "Liked ",
    "Gefällt ",
    "A aimé ",
    "Le gustó ",
)


def _reaction_lines(text: pd.Series, kind: pd.Series, report: ParseReport) -> tuple[pd.Series, pd.Series]:
    """Instagram (and Messenger) also write each reaction as a line of its own: those become reactions."""
    cand = kind.eq("text") & text.str.startswith(_ECHO_START).fillna(False).astype(bool) & text.str.len().le(120)
    if not cand.any():
        return text, kind
    sub = text[cand]
    groups = sub.str.extract(_REACTED_ECHO)
    emoji = groups.iloc[:, 0].astype("str")
    for col in groups.columns[1:]:  # one group per language; at most one matches
        emoji = emoji.fillna(groups[col].astype("str"))
    echo = sub.str.match(_LIKED_ECHO).fillna(False).astype(bool) | emoji.notna()
    if echo.any():
        hit = echo[echo].index
        text = text.copy()
        kind = kind.copy()
        text[hit] = emoji[hit].fillna("❤")
        kind[hit] = "reaction"
        report.decisions["reaction_echo_lines"] = report.decisions.get("reaction_echo_lines", 0) + int(echo.sum())
    return text, kind


def _read_thread(src, folder, files, report, platform, tz) -> pd.DataFrame:
    meta: dict = {}
    parts, react_src = [], []
    with no_gc():
        for k, (kind, loc) in enumerate(files):
            file_meta: dict = {}
            for batch, start in _file_batches(src, kind, loc, report, tz, file_meta):
                part, reacts = _batch_rows(batch, start, k, loc, report)
                parts.append(part)
                react_src.extend(reacts)
            if k == 0:
                meta = file_meta
    cid = _conversation_id(meta, folder, src)
    participants: list[str] = []
    people = meta.get("participants")
    for p in people if isinstance(people, list) else ():
        name = p.get("name") if isinstance(p, dict) else p
        if name:
            participants.append(_fix(str(name)))
    if meta.get("title") or meta.get("threadName"):
        report.decisions["title"] = _fix(str(meta.get("title") or meta.get("threadName")))
    parts = [p for p in parts if len(p)]
    rows = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=_PART_COLS)
    rows = rows.sort_values(["ms", "order"], kind="stable").reset_index(drop=True)
    n = len(rows)
    main = pd.DataFrame(
        {
            "ms": rows["ms"].astype("int64").to_numpy(),
            "sender": rows["sender"],
            "text": rows["text"],
            "kind": rows["kind"],
            "reply": np.full(n, -1),
            "pos": np.arange(n, dtype="float64"),
        }
    )
    react_rows: list[Any] | pd.DataFrame = []
    if react_src:
        orders, actors, emojis = zip(*react_src, strict=True)
        seq = pd.Index(rows["order"].to_numpy()).get_indexer(np.asarray(orders, dtype="int64"))
        extra = pd.DataFrame(
            {
                "ms": main["ms"].to_numpy()[seq],
                "sender": pd.Series(actors, dtype="str"),
                "text": pd.Series(emojis, dtype="str"),
                "kind": "reaction",
                "reply": seq,
                "pos": seq + 0.5,
            }
        )
        react_rows = extra
        main = pd.concat([main, extra], ignore_index=True).sort_values("pos", kind="stable").reset_index(drop=True)
    report.decisions.update(
        participants=len(participants) or None,
        participant_names=participants,
        group=(len(participants) > 2) if participants else None,
        reaction_rows=len(react_rows),
        platform=platform,
    )
    is_react = (main["pos"] % 1) > 0  # rows from reaction lists sit between their message and the next
    parent = main["pos"].astype("int64")
    seq = parent.astype("str")
    rank = is_react.astype("int64").groupby(parent).cumsum() - 1
    base = cid + ":" + seq
    out = pd.DataFrame(
        {
            "conversation_id": cid,
            "message_id": base.where(~is_react, base + ":r" + rank.astype("str")),
            "timestamp": pd.to_datetime(main["ms"].to_numpy(dtype="int64"), unit="ms", utc=True),
            "sender": main["sender"],
            "text": main["text"],
            "kind": main["kind"],
            "platform": platform,
            "reply_to": base.where(is_react),
        },
        index=main.index,
    )
    return coerce(out, tz=tz, platform=platform)


def read_messenger(source: ChatSource, options: ReadOptions | None = None) -> tuple[pd.DataFrame, list[ParseReport]]:
    """Read Facebook Messenger JSON (file, thread folder, inbox folder or zip) into a message frame.

    Returns one :class:`~reconnect_signals.io.ParseReport` per thread (units: messages).

    Examples
    --------
    >>> data = (b'{"participants": [{"name": "A"}], '
    ...         b'"messages": [{"sender_name": "A", "timestamp_ms": 0, "is_unsent": true}]}')
    >>> frame, [report] = read_messenger(data)
    >>> frame["kind"].tolist(), report.accounted()
    (['deleted'], True)
    """
    return _read(source, options, "messenger")


def read_instagram(source: ChatSource, options: ReadOptions | None = None) -> tuple[pd.DataFrame, list[ParseReport]]:
    """Read Instagram JSON messages (same shape as Messenger's) into a message frame.

    Examples
    --------
    >>> data = b'{"messages": [{"sender_name": "A", "timestamp_ms": 1000, "content": "hi"}]}'
    >>> frame, _ = read_instagram(data)
    >>> frame["platform"].tolist()
    ['instagram']
    """
    options = options or ReadOptions()
    src = source if isinstance(source, Source) else Source(source, limits=options.limits)
    legacy = _legacy_file(src)
    if legacy is not None:
        return _read_instagram_legacy(src, legacy, options)
    return _read(src, options, "instagram")


# -- Instagram before 2021: one messages.json with every conversation ----------------------

_LEGACY_MEDIA = (
    "media",
    "media_url",
    "media_share_url",
    "media_owner",
    "story_share",
    "voice_media",
    "animated_media_images",
    "profile_share_username",
    "link",
    "mentioned_username",
)


def _is_legacy(head: bytes) -> bool:
    h = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return h.startswith(b"[") and b'"conversation"' in h and b'"created_at"' in h and b'"sender"' in h


def _legacy_file(source: Source) -> Source | None:
    """The pre-2021 ``messages.json`` (the file itself, or at the top of a download folder)."""
    if source.is_zip:
        return None
    if source.is_dir:
        p = source.on_disk / "messages.json"
        return Source(p, limits=source.limits) if p.is_file() and _is_legacy(Source(p).head()) else None
    return source if _is_legacy(source.head()) else None


def _read_instagram_legacy(src: Source, legacy: Source, options: ReadOptions) -> tuple[pd.DataFrame, list[ParseReport]]:
    """Instagram's pre-2021 ``messages.json``: ``[{"participants": [...], "conversation": [...]}]``.

    ``created_at`` is ISO 8601 with an offset (an instant); ``text`` (or ``heart``) is the text;
    media keys (``media``, ``media_share_url``, ``story_share``, ``voice_media``, ...) make it
    ``media``; ``video_call_action`` a ``call``; ``action`` a ``system`` row; each of ``likes``
    (``username``, ``date``) a ``reaction`` row at the time it was given.
    """
    report0 = ParseReport(source=src.name, format="instagram", units="messages")
    text, _ = decode_bytes(legacy.read_bytes(), report0)
    data = parse_json(text, legacy.name, "download your information again")
    if not isinstance(data, list):
        raise ParseError(f"{legacy.name} is not a list of conversations (Instagram's pre-2021 messages.json)")
    frames, reports = [], []
    for n, thread in enumerate(data):
        report = ParseReport(source=f"{src.name}[{n}]", format="instagram", units="messages")
        reports.append(report)
        if not isinstance(thread, dict) or not isinstance(thread.get("conversation"), list):
            report.total = 1
            report.add_problem(n, "conversation without a 'conversation' list", str(thread)[:80])
            continue
        people = [str(p) for p in thread.get("participants") or [] if isinstance(p, (str, int))]
        cid = "+".join(sorted(people))[:120] or hashlib.sha1(json.dumps(thread)[:1000].encode()).hexdigest()[:10]
        report.decisions.update(participants=len(people), participant_names=people, group=len(people) > 2)
        rows: list[tuple[Any, ...]] = []
        conv = thread["conversation"]
        report.total = len(conv)
        for i, m in enumerate(conv):
            if not isinstance(m, dict) or not isinstance(m.get("created_at"), str) or not m.get("sender"):
                report.add_problem(i, "message without sender or created_at", str(m)[:80])
                continue
            body = m.get("text") if isinstance(m.get("text"), str) and m.get("text") else None
            if body is None and isinstance(m.get("heart"), str):
                body = m["heart"]
            kind = (
                "call"
                if m.get("video_call_action")
                else "system"
                if m.get("action")
                else "media"
                if any(m.get(k) for k in _LEGACY_MEDIA)
                else "text"
                if body
                else "other"
            )
            if kind == "system" and body is None:
                body = str(m.get("action"))
            if kind == "call" and body is None:
                body = str(m.get("video_call_action"))
            rows.append((m["created_at"], str(m["sender"]), body, kind, None, i, 0))
            for k, like in enumerate(m.get("likes") or []):
                if isinstance(like, dict) and like.get("username"):
                    when = like.get("date") or m["created_at"]
                    rows.append((when, str(like["username"]), "❤️", "reaction", i, i, k + 1))
        if not rows:
            continue
        df = pd.DataFrame(rows, columns=["stamp", "sender", "text", "kind", "target", "pos", "sub"])
        ts = pd.to_datetime(df["stamp"], format="ISO8601", utc=True, errors="coerce")
        pos = df["pos"].to_numpy()
        for j in np.flatnonzero(ts.isna().to_numpy()).tolist():
            report.add_problem(int(pos[j]), "created_at not understood", str(df["stamp"].iat[j]))
        is_msg = df["sub"].eq(0).to_numpy()
        report.messages = int((is_msg & ts.notna().to_numpy()).sum())
        df = df.assign(timestamp=ts)[ts.notna()]
        # message ids in time order; reactions point at their message
        msgs = df[df["sub"].eq(0)].sort_values(["timestamp", "pos"], ascending=[True, False], kind="stable")
        seq = pd.Series(np.arange(len(msgs)), index=msgs["pos"].to_numpy())
        mid = cid + ":" + df["pos"].map(seq).astype("Int64").astype("str")
        df = df.assign(
            message_id=mid.where(df["sub"].eq(0), mid + ":r" + (df["sub"] - 1).astype("str")),
            reply_to=mid.where(df["sub"].gt(0)),
            conversation_id=cid,
            order=df["pos"].map(seq).astype("float64") + df["sub"] / 1000.0,
        ).sort_values("order", kind="stable")
        report.decisions["reaction_rows"] = int(df["sub"].gt(0).sum())
        frames.append(df[["conversation_id", "message_id", "timestamp", "sender", "text", "kind", "reply_to"]])
    frame = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=["conversation_id", "message_id", "timestamp", "sender", "text", "kind", "reply_to"])
    )
    if report0.notices and reports:
        reports[0].notices.extend(report0.notices)
    return coerce(frame.reset_index(drop=True), tz=options.tz, platform="instagram"), reports or [report0]


register(
    ParserSpec(
        name="messenger",
        platform="messenger",
        description="Facebook Messenger JSON or HTML (message_N.json/.html, a thread or inbox folder, or the zip)",
        patterns=("message_*.json", "message_*.html", "*.zip"),
        where="Facebook → Settings & privacy → Settings → Accounts Center → Your information and "
        "permissions → Download your information → Messages (JSON or HTML); read the zip or "
        "messages/inbox/<chat>/",
        sniff=sniff_messenger,
        read=read_messenger,
    )
)
register(
    ParserSpec(
        name="instagram",
        platform="instagram",
        description="Instagram messages JSON or HTML (message_N.json/.html, a thread or inbox folder, the zip), "
        "and the pre-2021 messages.json",
        patterns=("message_*.json", "message_*.html", "messages.json", "*.zip"),
        where="Instagram → Settings → Accounts Center → Your information and permissions → Download "
        "your information → Messages (JSON or HTML); read the zip or "
        "your_instagram_activity/messages/inbox/<chat>/ (older downloads: messages.json)",
        sniff=sniff_instagram,
        read=read_instagram,
    )
)
