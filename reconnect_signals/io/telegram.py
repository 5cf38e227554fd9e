"""Telegram Desktop JSON exports (``result.json``), one chat or a whole account.

Telegram Desktop → Settings → Advanced → Export Telegram data (or, in a chat, ⋮ → Export chat
history), with the format set to **Machine-readable JSON**. The export is a folder holding
``result.json`` (and media folders); pass the file, the folder, or a zip of the folder.

What is read
------------
- A single-chat export (``{"name", "type", "id", "messages": [...]}``) and a full-account export
  (``{"chats": {"list": [...]}, "left_chats": {"list": [...]}, ...}``): every chat, or one chosen with
  ``chat=`` (its name or its numeric id).
- ``conversation_id`` is the chat id (the chat name when there is no id); ``message_id`` and
  ``reply_to`` are qualified with it (``"{chat_id}:{id}"``) because Telegram numbers messages
  per chat.
- ``text`` may be a string or a list of strings and entity objects (bold, links, mentions):
  the pieces are joined into plain text.
- Service messages (``type == "service"``) are ``kind="system"`` rows whose sender is the actor
  and whose text is the action (``"pin message"``, ``"create group"``); ``phone_call`` and
  ``group_call`` actions are ``kind="call"`` rows.
- Photos, files, stickers, voice and video messages are ``kind="media"`` (a caption stays in
  ``text``); polls, locations, contacts, games and invoices are ``kind="other"``.
- ``edited`` is True when the message carries ``edited``/``edited_unixtime``.
- **Forwards keep the forwarder as sender**: a message forwarded into the chat is attributed to
  the person who forwarded it (``from``), not to its original author (``forwarded_from``);
  the number of forwards is in ``report.decisions["forwarded"]``.
- Reactions listed with their reactors (``reactions[].recent``, newer exports) become one
  ``kind="reaction"`` row each: sender = the reactor, text = the emoji, ``reply_to`` = the
  message. Reactions given only as counts are counted in ``report.decisions``.
- Time: ``date_unixtime`` (an instant) when present; otherwise the wall-clock ``date`` is
  localised with ``tz`` (or labelled UTC, recorded as ``report.decisions["tz_assumed"]``).

Memory: the file is read into memory (bounded by :class:`~reconnect_signals.io.Limits`) and
parsed with :func:`json.loads`; a multi-GB account export needs a few times its size in RAM.
Pick one chat with ``chat=`` to keep the frame small (parsing still reads the whole file).

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
import numpy as np
import pandas as pd

from ..errors import ParseError
from ..schema import coerce
from ._registry import ParserSpec, ReadOptions, register
from ._report import ParseReport
from ._text import Source, decode_bytes

__all__ = ["read_telegram", "sniff_telegram", "flatten_telegram_text"]

logger = logging.getLogger(__name__)

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


def flatten_telegram_text(text) -> str:
    """Join Telegram's ``text`` (a string, or a list of strings and entity objects) into plain text.

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
        return "".join(
            p if isinstance(p, str) else str(p.get("text", "")) if isinstance(p, dict) else "" for p in text
        )
    return str(text)


# -- sniffing -----------------------------------------------------------------------------


def _find_result_json(source: Source) -> tuple[str, str] | None:
    """Where ``result.json`` is: ("dir", path) or ("zip", member)."""
    if source.is_dir:
        p = source.path / "result.json"
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
    """How sure we are that ``source`` is a Telegram Desktop JSON export (0 to 1)."""
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
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(
            f"{source.name} is not valid JSON ({exc.msg} at line {exc.lineno}); re-export it from "
            "Telegram Desktop with the format 'Machine-readable JSON'"
        ) from None


def _chats(data: object, source: Source) -> list[dict]:
    if isinstance(data, dict) and isinstance(data.get("messages"), list):
        return [data]
    if isinstance(data, dict) and isinstance(data.get("chats"), dict):
        chats = list(data["chats"].get("list") or [])
        left = data.get("left_chats")
        if isinstance(left, dict):
            chats += list(left.get("list") or [])
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
    try:
        return naive.dt.tz_localize(tz or "UTC", ambiguous="infer", nonexistent="shift_forward")
    except (ValueError, TypeError):
        report.notice("some wall-clock times fall in a DST change; the earlier (summer-time) reading was taken")
        amb = np.ones(len(naive), dtype=bool)
        return naive.dt.tz_localize(tz or "UTC", ambiguous=amb, nonexistent="shift_forward")


def _read_chat_messages(chat: dict, cid: str, rows: dict, react: list, report: ParseReport, counts: dict):
    messages = chat.get("messages") or []
    report.total += len(messages)
    for i, m in enumerate(messages):
        if not isinstance(m, dict):
            report.add_problem(i, "message is not a JSON object", repr(m), location=cid)
            continue
        unix, date = m.get("date_unixtime"), m.get("date")
        if unix in (None, "") and not date:
            report.add_problem(i, "message has no date", json.dumps(m)[:80], location=cid)
            continue
        mtype = m.get("type", "message")
        text = flatten_telegram_text(m.get("text"))
        mid = f"{cid}:{m['id']}" if m.get("id") is not None else f"{cid}:{i}"
        if mtype == "service":
            action = str(m.get("action") or "service")
            sender = m.get("actor")
            if action in _CALL_ACTIONS:
                kind, text = "call", text or None
            else:
                kind, text = "system", text or action.replace("_", " ")
        else:
            sender = m.get("from")
            if sender is None:
                sender = m.get("from_id") or "Deleted Account"
            if any(m.get(k) for k in _MEDIA_KEYS):
                kind = "media"
            elif any(m.get(k) for k in _OTHER_KEYS):
                kind = "other"
                if not text and isinstance(m.get("poll"), dict):
                    text = str(m["poll"].get("question") or "")
            else:
                kind = "text" if text else "other"
            if m.get("forwarded_from") is not None:
                counts["forwarded"] += 1
        reply = m.get("reply_to_message_id")
        rows["conversation_id"].append(cid)
        rows["message_id"].append(mid)
        rows["unix"].append(int(unix) if unix not in (None, "") else -1)
        rows["date"].append(date)
        rows["sender"].append(None if sender is None else str(sender))
        rows["text"].append(text if text else None)
        rows["kind"].append(kind)
        rows["reply_to"].append(f"{cid}:{reply}" if reply is not None else None)
        rows["edited"].append(bool(m.get("edited") or m.get("edited_unixtime")))
        report.messages += 1
        for r in m.get("reactions") or ():
            if not isinstance(r, dict):
                continue
            recent = r.get("recent") or []
            emoji = r.get("emoji") or r.get("document_id") or r.get("type")
            counts["reactions_without_reactor"] += max(int(r.get("count") or 0) - len(recent), 0)
            for who in recent:
                if isinstance(who, dict):
                    react.append((len(rows["message_id"]) - 1, who.get("from"), emoji, who.get("date")))


def read_telegram(source, options: ReadOptions | None = None) -> tuple[pd.DataFrame, list[ParseReport]]:
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
    chats = _select(_chats(_load(src, report), src), options.extra.get("chat"), src)
    cols = ("conversation_id", "message_id", "unix", "date", "sender", "text", "kind", "reply_to", "edited")
    rows: dict[str, list] = {c: [] for c in cols}
    react: list[tuple] = []
    counts = {"forwarded": 0, "reactions_without_reactor": 0}
    ids, types = [], {}
    for i, chat in enumerate(chats):
        cid = _chat_id(chat, src, i)
        ids.append(cid)
        types[cid] = str(chat.get("type", "unknown"))
        _read_chat_messages(chat, cid, rows, react, report, counts)
    report.decisions.update(chats=ids, chat_types=types, **counts)
    if counts["forwarded"]:
        report.notice(
            f"{counts['forwarded']} forwarded messages are attributed to the person who forwarded them"
        )
    frame = _frame(rows, react, options.tz, report)
    return frame, [report]


def _frame(rows: dict, react: list, tz: str | None, report: ParseReport) -> pd.DataFrame:
    df = pd.DataFrame(rows)
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
        pos, who, emoji, dates = zip(*react)
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
                "timestamp": rts,
            }
        )
        df = pd.concat([df, reactions], ignore_index=True)
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
