"""Facebook Messenger and Instagram JSON exports ("Download your information").

Facebook: Settings & privacy → Settings → Accounts Center → Your information and permissions →
Download your information → Messages, format **JSON**. Instagram: Settings → Accounts Center →
Your information and permissions → Download your information → Messages, format **JSON**.
The download is a zip; inside, each conversation is a folder ``.../messages/inbox/<thread>/``
holding ``message_1.json``, ``message_2.json``, ... (``message_1`` is the newest part).
HTML downloads are not read: request the download again with the format set to JSON.

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
  ``"Reacted ❤️ to your message"``, English exports): such lines are ``kind="reaction"`` rows
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
[['sam_123:0', 'Alex', 'Café ok', 'text', nan], ['sam_123:1', 'Sam', 'Café?', 'text', nan], ['sam_123:1:r0', 'Alex', '❤', 'reaction', 'sam_123:1']]
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from pathlib import PurePosixPath

import numpy as np
import pandas as pd

from ..errors import ParseError
from ..schema import coerce
from ._registry import ParserSpec, ReadOptions, register
from ._report import ParseReport
from ._json import parse_json
from ._text import Source, decode_bytes
from .telegram import _records

__all__ = ["read_messenger", "read_instagram", "sniff_messenger", "sniff_instagram", "fix_mojibake"]

logger = logging.getLogger(__name__)

_PART = re.compile(r"^message_(\d+)\.json$")
_MEDIA_KEYS = ("photos", "videos", "audio_files", "gifs", "sticker", "files", "share")
_USED_KEYS = (
    "sender_name", "senderName", "timestamp_ms", "timestamp", "content", "text", "type", "is_unsent", "isUnsent",
    "call_duration", "reactions", "media", *_MEDIA_KEYS,
)
# "Reacted ❤️ to your message" (anchored; the emoji group cannot contain a newline)
_REACTED_ECHO = r"^Reacted (?P<g>[^\n]{1,16}?) to your message\s*$"
_INSTAGRAM_HINTS = ("your_instagram_activity", "instagram")
_LATIN1_HIGH = re.compile(r"[\x80-\xff]")


def fix_mojibake(values: pd.Series) -> pd.Series:
    """Repair Meta's Latin-1/UTF-8 mojibake in a string column, leaving correct strings alone.

    Only strings that hold characters U+0080–U+00FF are tried; a string is replaced by
    ``s.encode("latin-1").decode("utf-8")`` when both steps succeed, else kept. Each distinct
    string is repaired once.

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
        for p in sorted(source.path.rglob("message_*.json")):
            if not _PART.match(p.name) or not p.is_file():
                continue
            seen += 1
            if seen > limit:
                raise ParseError(f"{source.name} holds more than {limit} message files; pass a smaller folder")
            threads.setdefault(str(p.parent), []).append(("dir", str(p)))
        if not threads:  # E2EE exports: one JSON per chat
            for p in sorted(source.path.glob("*.json")):
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
    makes Instagram win. Otherwise it scores below Messenger.
    """
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


def _read_thread(src, folder, files, report, platform, tz) -> pd.DataFrame:
    cid = None
    participants: list[str] = []
    records: list = []
    where: list[tuple[int, str]] = []
    for kind, loc in files:
        data = _load_json(src, kind, loc, report)
        if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
            raise ParseError(f"{loc} has no 'messages' list; it is not a Messenger/Instagram message file")
        if cid is None:
            cid = _conversation_id(data, folder, src)
            people = data.get("participants")
            for p in people if isinstance(people, list) else ():
                name = p.get("name") if isinstance(p, dict) else p
                if name:
                    participants.append(_fix(str(name)))
            if data.get("title") or data.get("threadName"):
                report.decisions["title"] = _fix(str(data.get("title") or data.get("threadName")))
        part = data["messages"]
        report.total += len(part)
        # each file is newest first: reverse it so that equal timestamps stay in export order
        records.extend(part[::-1])
        where.extend((j, loc) for j in range(len(part) - 1, -1, -1))
    ok = [isinstance(m, dict) for m in records]
    for i in np.flatnonzero(~np.asarray(ok, dtype=bool)):
        report.add_problem(where[i][0], "message is not a JSON object", repr(records[i]), location=where[i][1])
    df = _records(records, list(np.flatnonzero(np.asarray(ok, dtype=bool))), _USED_KEYS)
    ts = _column(df, "timestamp_ms", "timestamp")
    ms = ts.where(ts.map(type).isin([int, float]))
    try:
        ms = pd.to_numeric(ms, errors="coerce")
    except OverflowError:  # an integer beyond float range (found by fuzzing): it is no time either
        ms = pd.to_numeric(ms.map(lambda v: v if isinstance(v, (int, float)) and abs(v) < 2**63 else None),
                           errors="coerce")
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
        report.add_problem(where[i][0], "message has no usable timestamp_ms", json.dumps(records[i])[:80], location=where[i][1])
    for i in df.index[bad_sender]:
        report.add_problem(where[i][0], "message has no sender_name", json.dumps(records[i])[:80], location=where[i][1])
    good = ~(bad_ts | bad_sender)
    text = text.where(has_text & kind.ne("deleted"))
    if "share" in df.columns:  # a share without text: its text or link
        need = good & kind.eq("media") & text.isna() & df["share"].notna()
        text[need] = [
            (sh.get("share_text") or sh.get("link")) if isinstance(sh, dict) else None for sh in df.loc[need, "share"]
        ]
    order = ms[good].sort_values(kind="stable").index  # ties keep export order
    n = len(order)
    main = pd.DataFrame(
        {
            "ms": ms[order].astype("int64").to_numpy(),
            "sender": sender[order].to_numpy(),
            "text": text[order].to_numpy(),
            "kind": kind[order].to_numpy(),
            "reply": np.full(n, -1),
            "pos": np.arange(n, dtype="float64"),
        }
    )
    report.messages += n
    react_rows = []
    if "reactions" in df.columns:
        reacts = df.loc[order, "reactions"].tolist()
        stamps = main["ms"].to_numpy()
        for seq, rs_ in enumerate(reacts):
            if isinstance(rs_, list):
                react_rows.extend(
                    (stamps[seq], r.get("actor"), r.get("reaction"), "reaction", seq, seq + 0.5)
                    for r in rs_
                    if isinstance(r, dict) and r.get("actor")
                )
    if react_rows:
        extra = pd.DataFrame(react_rows, columns=list(main.columns))
        main = pd.concat([main, extra], ignore_index=True).sort_values("pos", kind="stable").reset_index(drop=True)
    report.decisions.update(
        participants=len(participants) or None,
        participant_names=participants,
        group=(len(participants) > 2) if participants else None,
        reaction_rows=len(react_rows),
        platform=platform,
    )
    is_react = main["kind"].eq("reaction")
    parent = main["pos"].astype("int64")
    seq = parent.astype("str")
    rank = is_react.astype("int64").groupby(parent).cumsum() - 1
    base = cid + ":" + seq
    out = pd.DataFrame(
        {
            "conversation_id": cid,
            "message_id": base.where(~is_react, base + ":r" + rank.astype("str")),
            "timestamp": pd.to_datetime(main["ms"].to_numpy(dtype="int64"), unit="ms", utc=True),
            "sender": fix_mojibake(main["sender"]),
            "text": fix_mojibake(main["text"]),
            "kind": main["kind"],
            "platform": platform,
            "reply_to": base.where(is_react),
        },
        index=main.index,
    )
    # Instagram (and Messenger) also write each reaction as a line of its own
    text = out["text"].astype("str")
    echo_emoji = text.str.extract(_REACTED_ECHO, expand=False)
    echo = out["kind"].eq("text") & (text.eq("Liked a message") | echo_emoji.notna())
    if echo.any():
        out["kind"] = out["kind"].where(~echo, "reaction")
        out["text"] = text.where(~echo, echo_emoji.fillna("❤"))
        report.decisions["reaction_echo_lines"] = int(echo.sum())
    return coerce(out, tz=tz, platform=platform)


def read_messenger(source, options: ReadOptions | None = None) -> tuple[pd.DataFrame, list[ParseReport]]:
    """Read Facebook Messenger JSON (file, thread folder, inbox folder or zip) into a message frame.

    Returns one :class:`~reconnect_signals.io.ParseReport` per thread (units: messages).

    Examples
    --------
    >>> data = b'{"participants": [{"name": "A"}], "messages": [{"sender_name": "A", "timestamp_ms": 0, "is_unsent": true}]}'
    >>> frame, [report] = read_messenger(data)
    >>> frame["kind"].tolist(), report.accounted()
    (['deleted'], True)
    """
    return _read(source, options, "messenger")


def read_instagram(source, options: ReadOptions | None = None) -> tuple[pd.DataFrame, list[ParseReport]]:
    """Read Instagram JSON messages (same shape as Messenger's) into a message frame.

    Examples
    --------
    >>> data = b'{"messages": [{"sender_name": "A", "timestamp_ms": 1000, "content": "hi"}]}'
    >>> frame, _ = read_instagram(data)
    >>> frame["platform"].tolist()
    ['instagram']
    """
    return _read(source, options, "instagram")


register(
    ParserSpec(
        name="messenger",
        platform="messenger",
        description="Facebook Messenger JSON (message_N.json, a thread or inbox folder, or the zip)",
        patterns=("message_*.json", "*.zip"),
        where="Facebook → Settings & privacy → Settings → Accounts Center → Your information and "
        "permissions → Download your information → Messages, format JSON; read the zip or "
        "messages/inbox/<chat>/",
        sniff=sniff_messenger,
        read=read_messenger,
    )
)
register(
    ParserSpec(
        name="instagram",
        platform="instagram",
        description="Instagram messages JSON (message_N.json, a thread or inbox folder, or the zip)",
        patterns=("message_*.json", "*.zip"),
        where="Instagram → Settings → Accounts Center → Your information and permissions → Download "
        "your information → Messages, format JSON; read the zip or "
        "your_instagram_activity/messages/inbox/<chat>/",
        sniff=sniff_instagram,
        read=read_instagram,
    )
)
