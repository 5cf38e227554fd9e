"""Telegram Desktop JSON exports (``result.json``), one chat or a whole account.

Telegram Desktop → Settings → Advanced → Export Telegram data (or, in a chat, ⋮ → Export chat
history), with the format set to **Machine-readable JSON**. The export is a folder holding
``result.json`` (and media folders); pass the file, the folder, or a zip of the folder.
HTML exports (``messages.html``) are not read: export again as JSON.

What is read
------------
- A single-chat export (``{"name", "type", "id", "messages": [...]}``) and a full-account export
  (``{"chats": {"list": [...]}, "left_chats": {"list": [...]}, ...}``): every chat, or one chosen with
  ``chat=`` (its name or its numeric id).
- ``conversation_id`` is the chat id (the chat name when there is no id); ``message_id`` and
  ``reply_to`` are qualified with it (``"{chat_id}:{id}"``) because Telegram numbers messages
  per chat; a message without an id is ``"{chat_id}:#{position}"`` (its place in the chat's list).
- ``text`` may be a string or a list of strings and entity objects (bold, links, mentions):
  the pieces are joined into plain text.
- Service messages (``type == "service"``) are ``kind="system"`` rows whose sender is the actor
  and whose text is the action (``"pin message"``, ``"create group"``); ``phone_call`` and
  ``group_call`` actions are ``kind="call"`` rows.
- Photos, files, stickers, voice and video messages are ``kind="media"`` (a caption stays in
  ``text``); polls, locations, contacts, games and invoices are ``kind="other"``.
- ``edited`` is True when the message carries ``edited``/``edited_unixtime``.
- Account exports name their owner (``personal_information.user_id``): their frames get
  ``is_from_me`` (``from_id``/``actor_id`` is the owner). Single-chat exports do not say, so
  they have no ``is_from_me`` column.
- **Forwards keep the forwarder as sender**: a message forwarded into the chat is attributed to
  the person who forwarded it (``from``), not to its original author (``forwarded_from``);
  the number of forwards is in ``report.decisions["forwarded"]``.
- Reactions listed with their reactors (``reactions[].recent``, newer exports) become one
  ``kind="reaction"`` row each: sender = the reactor, text = the emoji, ``reply_to`` = the
  message. Reactions given only as counts are counted in ``report.decisions``.
- Time: ``date_unixtime`` (an instant) when present; otherwise the wall-clock ``date`` is
  localised with ``tz`` (or labelled UTC, recorded as ``report.decisions["tz_assumed"]``).

Memory: exports up to 256 MB are read whole and parsed at once (the guarded `io._json.loads`, fastest);
larger ones are parsed message by message from the file (or zip member) with a small pull
parser, so memory holds the frame being built plus one batch of messages, not the JSON tree
(a 258 MB, one-million-message export: about 0.6 GB peak instead of 1.8 GB). Chat metadata
(``name``, ``type``, ``id``) must precede ``messages`` in streamed files, as Telegram Desktop
writes them; undecodable bytes are replaced without the byte-offset notice of the in-memory path.

Examples
--------
>>> import reconnect_signals as rs
>>> data = b'''{"name": "Sam", "type": "personal_chat", "id": 42, "messages": [
...  {"id": 1, "type": "message", "date": "2024-06-01T10:00:00", "date_unixtime": "1717232400",
...   "from": "Alex", "from_id": "user1", "text": ["See ", {"type": "link", "text": "t.me"}]},
...  {"id": 2, "type": "message", "date": "2024-06-01T10:01:00", "date_unixtime": "1717232460",
...   "from": "Sam", "from_id": "user2", "text": "ok", "reply_to_message_id": 1}]}'''
>>> msgs = rs.read_chat(data, tz="Europe/London")
>>> msgs[["message_id", "sender", "text", "reply_to"]].values.tolist()
[['42:1', 'Alex', 'See t.me', nan], ['42:2', 'Sam', 'ok', '42:1']]
>>> str(msgs["timestamp"].iloc[0])
'2024-06-01 10:00:00+01:00'
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import LimitExceeded, ParseError
from ..schema import coerce
from ._json import decode_at, no_gc, parse_json
from ._registry import ParserSpec, ReadOptions, register
from ._report import ParseReport
from ._text import _ZIP_ERRORS, Source, decode_bytes
from ._time import localize_wall_clock

if TYPE_CHECKING:  # pragma: no cover
    from ._api import ChatSource

__all__ = ["read_telegram", "sniff_telegram", "flatten_telegram_text"]

logger = logging.getLogger(__name__)

_MAX_UNIX = 2**33  # seconds: year 2242; larger values are corrupt
_CALL_ACTIONS = frozenset({"phone_call", "group_call", "conference_call"})
_MEDIA_KEYS = ("photo", "file", "media_type", "sticker_emoji")
_OTHER_KEYS = (
    "poll",
    "location_information",
    "contact_information",
    "place_name",
    "game_title",
    "invoice_information",
    "todo_list",
    "giveaway_information",
)


def flatten_telegram_text(text: str | list | None) -> str:
    """Join Telegram's ``text`` (a string, or a list of strings and entity objects) into plain text.

    Parameters
    ----------
    text : str or list
        The ``text`` field of a Telegram message.

    Returns
    -------
    str
        The plain text.

    Examples
    --------
    >>> flatten_telegram_text(["Hi ", {"type": "bold", "text": "you"}, "!"])
    'Hi you!'
    >>> flatten_telegram_text("plain")
    'plain'
    """
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    if isinstance(text, dict):
        return str(text.get("text", ""))
    if isinstance(text, list):
        return "".join(p if isinstance(p, str) else str(p.get("text", "")) if isinstance(p, dict) else "" for p in text)
    return str(text)


_no_gc = no_gc  # the streaming parser below pauses the collector too


# -- sniffing -----------------------------------------------------------------------------


def _find_result_json(source: Source) -> tuple[str, str] | None:
    """Where ``result.json`` is: ("dir", path) or ("zip", member)."""
    if source.is_dir:
        p = source.on_disk / "result.json"
        return ("dir", str(p)) if p.is_file() else None
    if source.is_zip:
        names = [n for n in source.zip_names() if n.rsplit("/", 1)[-1] == "result.json"]
        return ("zip", min(names, key=len)) if names else None
    return None


def _sniff_head(head: bytes) -> float:
    h = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not h.startswith(b"{"):
        return 0.0
    if b'"date_unixtime"' in h:
        return 0.95
    if b'"personal_information"' in h and b'"about"' in h:
        return 0.9
    if b'"messages"' in h and b'"from"' in h and (b'"type": "message"' in h or b'"type":"message"' in h):
        return 0.8
    if b'"chats"' in h and b'"list"' in h and b'"type": "personal_chat"' in h:
        return 0.8
    return 0.0


def sniff_telegram(source: Source) -> float:
    """How sure we are that ``source`` is a Telegram Desktop JSON export (0 to 1).

    Examples
    --------
    >>> from reconnect_signals.io import Source
    >>> sniff_telegram(Source(b'{"name": "Sam", "messages": [{"id": 1, "date_unixtime": "1"}]}'))
    0.95
    >>> sniff_telegram(Source(b'{"guild": {}, "channel": {}, "messages": []}'))
    0.0
    """
    found = _find_result_json(source)
    if source.is_dir or source.is_zip:
        if found is None:
            return 0.0
        if found[0] == "dir":
            return _sniff_head(Source(found[1]).head())
        return 0.9
    score = _sniff_head(source.head())
    if score and source.name.endswith("result.json"):
        score = min(1.0, score + 0.04)
    return score


# -- reading ------------------------------------------------------------------------------


def _load(source: Source, report: ParseReport) -> object:
    found = _find_result_json(source)
    if found is not None and found[0] == "dir":
        raw = Source(found[1], limits=source.limits).read_bytes()
    elif found is not None:
        raw = source.read_member(found[1])
    elif source.is_dir or source.is_zip:
        raise ParseError(f"{source.name} holds no result.json; pass the Telegram export's result.json")
    else:
        raw = source.read_bytes()
    text, _ = decode_bytes(raw, report)
    return parse_json(text, source.name, "re-export it from Telegram Desktop with the format 'Machine-readable JSON'")


def _owner(top: object) -> str | None:
    """``"user<id>"`` of the account owner (account exports name it in ``personal_information``)."""
    info = top.get("personal_information") if isinstance(top, dict) else None
    uid = info.get("user_id") if isinstance(info, dict) else None
    if isinstance(uid, (int, str)) and not isinstance(uid, bool) and str(uid):
        return f"user{uid}"
    return None


def _chats(data: object, source: Source) -> list[dict]:
    if isinstance(data, dict) and isinstance(data.get("messages"), list):
        return [data]
    if isinstance(data, dict) and isinstance(data.get("chats"), dict):
        chats: list = []
        for part in (data.get("chats"), data.get("left_chats")):
            listed = part.get("list") if isinstance(part, dict) else None
            chats += listed if isinstance(listed, list) else []
        return [c for c in chats if isinstance(c, dict)]
    raise ParseError(
        f"{source.name} is JSON but not a Telegram export (no 'messages' or 'chats' list); "
        "pass format= if it is another platform's JSON"
    )


def _chat_id(chat: dict, source: Source, i: int) -> str:
    if chat.get("id") is not None:
        return str(chat["id"])
    if chat.get("name"):
        return str(chat["name"])
    digest = hashlib.sha1(source.name.encode("utf-8")).hexdigest()[:10]
    return digest if i == 0 else f"{digest}-{i}"


def _select(chats: list[dict], want, source: Source) -> list[dict]:
    if want is None:
        return chats
    key = str(want)
    picked = [c for c in chats if str(c.get("id")) == key or str(c.get("name")) == key]
    if not picked:
        names = sorted({str(c.get("name")) for c in chats if c.get("name") is not None})[:20]
        raise ParseError(
            f"no chat named or numbered {key!r} in {source.name}; choose chat= from {names}"
            + (" ..." if len(chats) > 20 else "")
        )
    return picked


def _localize(naive: pd.Series, tz: str | None, report: ParseReport) -> pd.Series:
    if naive.empty:
        return pd.Series([], dtype="datetime64[us, UTC]", index=naive.index)
    return localize_wall_clock(naive, tz, None, report)


_USED_KEYS = (
    "id",
    "type",
    "date",
    "date_unixtime",
    "from",
    "from_id",
    "actor",
    "actor_id",
    "action",
    "text",
    "edited",
    "edited_unixtime",
    "reply_to_message_id",
    "forwarded_from",
    "reactions",
    *_MEDIA_KEYS,
    *_OTHER_KEYS,
)


def _records(records: list, keep: list, keys: tuple) -> pd.DataFrame:
    """The ``keep`` records as an object frame with only ``keys`` (absent ones dropped).

    Object columns skip pandas' per-column string inference; unused keys (``text_entities``,
    thumbnails, ...) are never converted.
    """
    if not len(keep):
        return pd.DataFrame()
    rows = [records[i] for i in keep]
    present: set = set()
    for r in rows:
        present.update(r.keys())
    cols = [k for k in keys if k in present]
    return pd.DataFrame(rows, columns=cols, index=keep, dtype=object)


_COLS = ("conversation_id", "message_id", "unix", "date", "sender", "text", "kind", "reply_to", "edited", "is_from_me")


def _column(df: pd.DataFrame, name: str) -> pd.Series:
    return df[name] if name in df.columns else pd.Series(None, index=df.index, dtype=object)


def _present(col: pd.Series) -> pd.Series:
    """Non-missing and not an empty string/list."""
    return col.notna() & col.astype("str").ne("") & col.astype("str").ne("[]")


def _qualified(cid: pd.Series, ids: pd.Series) -> pd.Series:
    """``"{cid}:{id}"`` for integer (or string) ids; missing for anything else."""
    text = ids.map(lambda v: str(v) if isinstance(v, (int, str)) and not isinstance(v, bool) else None)
    return (cid + ":" + text.astype("str")).where(text.notna())


def _chat_rows(
    messages: list, cids: list[str], recs: np.ndarray, report: ParseReport, counts: dict, owner: str | None = None
) -> tuple[pd.DataFrame, list]:
    """Messages of one or many chats as a frame (columns ``_COLS``) plus their reactions
    ``(row, who, emoji, date)``.

    ``cids[i]`` is the chat of ``messages[i]`` and ``recs[i]`` its record number in that chat (the
    ``line`` of a problem). Many small chats go through one call: the pandas work is per call, so a
    call per chat made an account of 2,000 empty chats (36 KB) take 14 CPU s (found by fuzzing).
    """
    report.total += len(messages)
    keep = []
    for i, m in enumerate(messages):
        if isinstance(m, dict):
            keep.append(i)
        else:
            report.add_problem(int(recs[i]), "message is not a JSON object", repr(m), location=cids[i])
    df = _records(messages, keep, _USED_KEYS)
    at = np.asarray(keep, dtype=np.intp)
    cid = pd.Series(np.asarray(cids, dtype=object)[at], index=df.index, dtype="str")
    rec = pd.Series(np.asarray(recs)[at], index=df.index)
    try:
        unix = pd.to_numeric(_column(df, "date_unixtime"), errors="coerce")
    except OverflowError:  # an integer beyond float range (found by fuzzing) is no time
        unix = pd.to_numeric(
            _column(df, "date_unixtime").map(lambda v: None if isinstance(v, int) and abs(v) >= 2**63 else v),
            errors="coerce",
        )
    unix = unix.where(unix.between(0, _MAX_UNIX))
    date = _column(df, "date")
    date = date.where(date.map(lambda v: isinstance(v, str)).astype(bool))
    wall = pd.to_datetime(date.where(unix.isna()), format="ISO8601", errors="coerce")
    undated = unix.isna() & wall.isna()
    for row in np.flatnonzero(undated.to_numpy()):
        j = int(df.index[int(row)])
        report.add_problem(int(recs[j]), "message has no usable date", json.dumps(messages[j])[:80], location=cids[j])
    df, unix, date, cid, rec = df[~undated], unix[~undated], date[~undated], cid[~undated], rec[~undated]
    mtype = _column(df, "type").fillna("message")
    service = mtype.eq("service")
    text = pd.Series(
        [t if t.__class__ is str else flatten_telegram_text(t) for t in _column(df, "text")],
        index=df.index,
        dtype="str",
    )
    action = _column(df, "action").fillna("service").astype("str")
    is_call = service & action.isin(_CALL_ACTIONS)
    media = pd.Series(False, index=df.index)
    for key in _MEDIA_KEYS:
        if key in df.columns:
            media |= _present(df[key])
    other = pd.Series(False, index=df.index)
    for key in _OTHER_KEYS:
        if key in df.columns:
            other |= df[key].notna()
    has_text = text.fillna("").ne("")
    kind = np.select(
        [is_call, service, media, other, has_text], ["call", "system", "media", "other", "text"], default="other"
    )
    text = text.where(has_text)
    text = text.where(~(service & ~is_call) | has_text, action.str.replace("_", " "))
    if "poll" in df.columns:  # a poll without text: its question
        ask = (kind == "other") & ~has_text & df["poll"].notna()
        text[ask] = pd.Series(  # same values, aligned on the rows asked
            [p.get("question") if isinstance(p, dict) else None for p in df.loc[ask, "poll"]],
            index=df.index[ask.to_numpy()],
            dtype=object,
        )
    sender = _column(df, "from").where(~service, _column(df, "actor"))
    nameless = ~service & sender.isna()
    if nameless.any():
        sender = sender.where(~nameless, _column(df, "from_id").fillna("Deleted Account"))
    counts["forwarded"] += int((_column(df, "forwarded_from").notna() & ~service).sum())
    mid = _qualified(cid, _column(df, "id"))
    # a message without a usable id gets its position in the chat, marked "#" so that it can never
    # equal the qualified id of another message ("{chat}:{id}")
    seq = cid + ":#" + rec.astype("str")
    out = pd.DataFrame(
        {
            "conversation_id": cid,
            "message_id": mid.fillna(seq),
            "unix": unix.fillna(-1).astype("int64"),
            "date": date,
            "sender": sender.astype("str"),
            "text": text,
            "kind": kind,
            "reply_to": _qualified(cid, _column(df, "reply_to_message_id")),
            "edited": _column(df, "edited").notna() | _column(df, "edited_unixtime").notna(),
            "is_from_me": (
                _column(df, "from_id").where(~service, _column(df, "actor_id")).astype("str").eq(owner)
                if owner
                else pd.NA
            ),
        },
        index=df.index,
    ).reset_index(drop=True)
    report.messages += len(out)
    react: list[tuple] = []
    if "reactions" in df.columns:
        for pos, rs_ in enumerate(df["reactions"].tolist()):
            if not isinstance(rs_, list):
                continue
            for r in rs_:
                if not isinstance(r, dict):
                    continue
                recent = r.get("recent") or []
                emoji = r.get("emoji") or r.get("document_id") or r.get("type")
                count = r.get("count")  # a count of another JSON type says nothing (found by fuzzing)
                count = count if isinstance(count, int) and not isinstance(count, bool) else 0
                counts["reactions_without_reactor"] += max(count - len(recent) if isinstance(recent, list) else 0, 0)
                react.extend(
                    (
                        pos,
                        w.get("from") or w.get("from_id") or "Deleted Account",
                        emoji,
                        w.get("date"),
                        (w.get("from_id") == owner) if owner else pd.NA,
                    )
                    for w in (recent if isinstance(recent, list) else ())  # a number there: found by fuzzing
                    if isinstance(w, dict)
                )
    return out, react


# -- streaming (large exports) --------------------------------------------------------------

#: Exports larger than this many bytes are parsed message by message (bounded memory).
_STREAM_ABOVE = 256 * 1024**2
#: Messages turned into rows at a time when streaming.
_BATCH = 50_000
#: Characters read at a time when streaming.
_CHUNK = 1 << 20
_WS = re.compile(r"[ \t\r\n]*")


def _input_size(src: Source) -> int:
    found = _find_result_json(src)
    if found is None:
        return src.size
    if found[0] == "dir":
        return Path(found[1]).stat().st_size
    return src._zip.getinfo(found[1]).file_size


class _JsonStream:
    """A pull parser over text read in chunks: one key or value decoded at a time.

    Memory holds the unread chunk and the value being decoded (one message), never the file.
    """

    def __init__(self, read):
        self._read = read
        self.buf = ""
        self.pos = 0
        self.eof = False

    def _fill(self, want: int = 0) -> bool:
        if self.pos > _CHUNK:
            self.buf, self.pos = self.buf[self.pos :], 0
        chunk = self._read(max(_CHUNK, want))
        if not chunk:
            self.eof = True
            return False
        self.buf += chunk
        return True

    def peek(self) -> str:
        while True:
            m = _WS.match(self.buf, self.pos)
            assert m is not None  # the pattern matches the empty string
            self.pos = m.end()
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._fill():
                return ""

    def take(self, ch: str) -> None:
        got = self.peek()
        if got != ch:
            raise ParseError(
                f"malformed Telegram JSON: expected {ch!r}, found {got or 'the end of the file'!r}; "
                "re-export it from Telegram Desktop"
            )
        self.pos += 1

    def value(self):
        self.peek()
        while True:
            try:
                obj, end = decode_at(self.buf, self.pos)  # deep nesting, huge integers: ParseError
            except json.JSONDecodeError as exc:
                if self.eof or not self._fill(len(self.buf) - self.pos):
                    raise ParseError(
                        f"malformed Telegram JSON ({exc.msg}); re-export it from Telegram Desktop"
                    ) from None
                continue
            if end == len(self.buf) and not self.eof and self._fill():
                continue  # a number or literal may go on in the next chunk
            self.pos = end
            return obj

    def members(self):
        """Yield each key of an object; the caller consumes the value before resuming."""
        self.take("{")
        if self.peek() == "}":
            self.pos += 1
            return
        while True:
            key = self.value()
            self.take(":")
            yield key
            nxt = self.peek()
            self.pos += 1
            if nxt == "}":
                return
            if nxt != ",":
                raise ParseError(f"malformed Telegram JSON: expected ',' or '}}', found {nxt!r}")

    def items(self):
        """Yield once per element of an array; the caller consumes the element."""
        self.take("[")
        if self.peek() == "]":
            self.pos += 1
            return
        while True:
            yield
            nxt = self.peek()
            self.pos += 1
            if nxt == "]":
                return
            if nxt != ",":
                raise ParseError(f"malformed Telegram JSON: expected ',' or ']', found {nxt!r}")


def _open_text(src: Source):
    """A ``read(n) -> str`` over the export's bytes (file, folder's result.json, zip member or bytes)."""
    import codecs
    import io

    found = _find_result_json(src)
    member = "result.json" if found is None else found[1]

    def damaged(exc: BaseException) -> ParseError:  # the words of Source.read_member, which this path bypasses
        return ParseError(
            f"zip member {member!r} of {src.name} cannot be read ({type(exc).__name__}: {exc}): the archive "
            "is damaged, encrypted or uses an unsupported compression; export the chat again"
        )

    if found is not None and found[0] == "zip":
        info = src._zip.getinfo(found[1])
        lim = src.limits
        cap = min(lim.max_total_bytes, max(lim.max_ratio * max(info.compress_size, 1), 1 << 20))
        try:  # a member's declared size (> 256 MB) chose this path: its header may be forged (found by fuzzing)
            fh = src._zip.open(info)
        except _ZIP_ERRORS as exc:
            raise damaged(exc) from None
    elif found is not None:
        fh, cap = open(found[1], "rb"), None  # noqa: SIM115 (closed at EOF)
    elif src.path is not None:
        fh, cap = open(src.path, "rb"), None  # noqa: SIM115
    else:
        fh, cap = io.BytesIO(src.read_bytes()), None
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
    state = {"bytes": 0}

    def read(n: int) -> str:
        while True:
            try:
                raw = fh.read(n)
            except _ZIP_ERRORS as exc:
                if found is None or found[0] != "zip":
                    raise
                raise damaged(exc) from None
            state["bytes"] += len(raw)
            if cap is not None and state["bytes"] > cap:
                fh.close()
                raise LimitExceeded(src._limit_message(member, state["bytes"]))
            text = decoder.decode(raw, final=not raw)
            if not raw:
                fh.close()
                return text
            if text:
                return text

    return read


def _stream_batches(src: Source, report: ParseReport, top: dict):
    """Yield ``(chat metadata, messages, start)`` batches from a single-chat or account export.

    Chat metadata (``name``, ``type``, ``id``) must come before ``messages``, as Telegram
    Desktop writes it.
    """
    s = _JsonStream(_open_text(src))

    def chat(meta: dict, top: bool):
        for key in s.members():
            if key == "messages" and s.peek() == "[":
                batch, start = [], 0
                for _ in s.items():
                    batch.append(s.value())
                    if len(batch) >= _BATCH:
                        yield meta, batch, start
                        start, batch = start + len(batch), []
                yield meta, batch, start
            elif top and key in ("chats", "left_chats") and s.peek() == "{":
                for sub in s.members():
                    if sub == "list" and s.peek() == "[":
                        for _ in s.items():
                            yield from chat({}, False)
                    else:
                        s.value()
            else:
                meta[key] = s.value()

    yield from chat(top, True)
    if s.peek():
        raise ParseError(f"{src.name} has data after the end of the JSON; re-export it")


def read_telegram(source: ChatSource, options: ReadOptions | None = None) -> tuple[pd.DataFrame, list[ParseReport]]:
    """Read a Telegram Desktop JSON export into a message frame.

    Parameters
    ----------
    source : Source, path or bytes
        ``result.json``, the export folder holding it, or a zip of that folder.
    options : ReadOptions, optional
        ``tz`` converts instants for display and localises wall-clock dates;
        ``extra["chat"]`` picks one chat of an account export by name or id.

    Returns
    -------
    frame, [report]
        One report for the file (units: messages); ``report.decisions`` records the chats read,
        their types, forwards and reactions that were only counted.

    Examples
    --------
    >>> from reconnect_signals.io import ReadOptions
    >>> data = b'{"chats": {"list": [{"name": "Sam", "id": 7, "type": "personal_chat", "messages": []}]}}'
    >>> frame, [report] = read_telegram(data, ReadOptions(extra={"chat": "Sam"}))
    >>> len(frame), report.decisions["chats"]
    (0, ['7'])
    """
    options = options or ReadOptions()
    src = source if isinstance(source, Source) else Source(source, limits=options.limits)
    report = ParseReport(source=src.name, format="telegram", units="messages")
    want = options.extra.get("chat")
    frames: list[pd.DataFrame] = []
    react: list[tuple] = []
    counts = {"forwarded": 0, "reactions_without_reactor": 0}
    ids: list[str] = []
    types: dict[str, str] = {}
    seen: dict[int, str | None] = {}
    metas: list[dict] = []
    offset = 0
    if _input_size(src) > _STREAM_ABOVE:
        report.decisions["streamed"] = True
        top: Any = {}
        batches = _stream_batches(src, report, top)
    else:
        top = _load(src, report)
        chats = _select(_chats(top, src), want, src)
        batches = ((c, c["messages"] if isinstance(c.get("messages"), list) else [], 0) for c in chats)
    names: list[str] = []
    pending: list = []  # messages of the chats read so far, turned into rows _BATCH at a time
    pending_cids: list = []
    pending_recs: list = []

    def flush() -> None:
        nonlocal offset
        if not pending:
            return
        rows, chat_react = _chat_rows(pending, pending_cids, np.concatenate(pending_recs), report, counts, _owner(top))
        frames.append(rows)
        react.extend((offset + p, *rest) for p, *rest in chat_react)
        offset += len(rows)
        pending.clear()
        pending_cids.clear()
        pending_recs.clear()

    with _no_gc():
        for meta, batch, start in batches:
            key = id(meta)
            if key not in seen:
                metas.append(meta)  # kept alive: a freed dict's id() could come back for another chat
                if meta.get("name") is not None:
                    names.append(str(meta["name"]))
                if want is not None and str(want) not in (str(meta.get("id")), str(meta.get("name"))):
                    seen[key] = None
                else:
                    new_id = _chat_id(meta, src, len(seen))
                    seen[key] = new_id
                    ids.append(new_id)
                    types[new_id] = str(meta.get("type", "unknown"))
            cid = seen[key]
            if cid is None:
                continue
            pending.extend(batch)
            pending_cids.extend([cid] * len(batch))
            pending_recs.append(np.arange(start, start + len(batch)))
            if len(pending) >= _BATCH:
                flush()
        flush()
    if not seen:
        raise ParseError(
            f"{src.name} holds no Telegram chat (no 'messages' list); pass format= if it is another platform's JSON"
        )
    if want is not None and not ids:
        shown = sorted(set(names))[:20]
        raise ParseError(f"no chat named or numbered {str(want)!r} in {src.name}; choose chat= from {shown}")
    report.decisions.update(chats=ids, chat_types=types, **counts)
    if counts["forwarded"]:
        report.notice(f"{counts['forwarded']} forwarded messages are attributed to the person who forwarded them")
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(_COLS))
    frame = _frame(rows[list(_COLS)], react, options.tz, report)
    logger.debug("%s", report.summary())
    return frame, [report]


def _frame(df: pd.DataFrame, react: list, tz: str | None, report: ParseReport) -> pd.DataFrame:
    unix = df["unix"].to_numpy(dtype="int64") if len(df) else np.zeros(0, dtype="int64")
    has_unix = unix >= 0
    ts = pd.Series(pd.to_datetime(np.where(has_unix, unix, 0), unit="s", utc=True), index=df.index)
    ts = ts.astype("datetime64[us, UTC]")
    if (~has_unix).any():
        wall = pd.to_datetime(df.loc[~has_unix, "date"], format="ISO8601")
        ts[~has_unix] = _localize(wall, tz, report).dt.tz_convert("UTC")
        if tz is None:
            report.decisions["tz_assumed"] = True
            report.notice("dates without date_unixtime were read as UTC wall-clock times; pass tz=")
    df = df.drop(columns=["unix", "date"]).assign(timestamp=ts)
    if react:
        pos, who, emoji, dates, mine = zip(*react, strict=True)
        parent = df.iloc[list(pos)].reset_index(drop=True)
        rts = parent["timestamp"].copy()
        rdates = pd.to_datetime(pd.Series(dates, dtype="str"), format="ISO8601", errors="coerce")
        known = rdates.notna()
        if known.any():
            rts[known] = _localize(rdates[known], tz, report).dt.tz_convert("UTC")
        n = pd.Series(np.arange(len(parent))).astype("str")
        reactions = pd.DataFrame(
            {
                "conversation_id": parent["conversation_id"],
                "message_id": parent["message_id"] + ":r" + n,
                "sender": pd.Series(who, dtype="str"),
                "text": pd.Series(emoji, dtype="str"),
                "kind": "reaction",
                "reply_to": parent["message_id"],
                "edited": False,
                "is_from_me": pd.array(mine, dtype="boolean"),
                "timestamp": rts,
            }
        )
        df = pd.concat([df, reactions], ignore_index=True)
    if df["is_from_me"].isna().all():
        df = df.drop(columns="is_from_me")  # single-chat exports do not say who the owner is
    else:
        report.decisions["me"] = "personal_information.user_id"
    chat_rank = {c: i for i, c in enumerate(dict.fromkeys(df["conversation_id"]))}
    df = df.assign(_chat=df["conversation_id"].map(chat_rank), _order=np.arange(len(df)))
    df = df.sort_values(["_chat", "timestamp", "_order"], kind="stable").drop(columns=["_chat", "_order"])
    return coerce(df.reset_index(drop=True), tz=tz, platform="telegram")


register(
    ParserSpec(
        name="telegram",
        platform="telegram",
        description="Telegram Desktop JSON export (result.json): one chat or a whole account",
        patterns=("result.json", "*.json", "*.zip"),
        where="Telegram Desktop → Settings → Advanced → Export Telegram data (or a chat's ⋮ menu → "
        "Export chat history) → Format: Machine-readable JSON; read result.json",
        sniff=sniff_telegram,
        read=read_telegram,
        options=("chat",),
    )
)
