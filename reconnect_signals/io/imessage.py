"""Apple Messages (iMessage/SMS on a Mac or iPhone backup): ``chat.db`` and imessage-exporter TXT.

``chat.db`` (``~/Library/Messages/chat.db`` on a Mac, ``sms.db`` in an unencrypted iPhone
backup) is a live SQLite database. This reader never opens your file: it copies the
database with its ``-wal`` and ``-shm`` companions into a private temporary folder (mode
0700, deleted afterwards) and opens the copy read-only, so messages still waiting in the
write-ahead log are read and the original files are left byte-for-byte unchanged.

What this reader does with ``chat.db``:

- ``conversation_id``: ``chat.guid`` (``iMessage;-;+15550000001``); messages in no chat
  keep ``"orphaned"``.
- ``message_id``: ``message.guid``; ``timestamp``: ``message.date``, Apple's 2001-01-01
  epoch in seconds (old databases) or nanoseconds (values above 1e11), an absolute instant.
- ``sender``: ``handle.id`` (phone number or e-mail address) for received messages, a name
  from ``contacts={handle: name}`` when given; ``"me"`` (or ``me=``) for yours.
- ``text``: ``message.text``, or, when it is NULL or empty (macOS 13 and later), the string
  decoded from the ``attributedBody`` typedstream blob; the blob's string is also preferred when
  the two differ only by object-replacement characters. U+FFFC, which marks an attachment, is
  then removed.
- ``kind``: ``reaction`` for tapbacks (``associated_message_type`` 2000-3999; 3000+ are
  removals) with ``reply_to`` the target message guid (``p:0/`` and ``bp:`` prefixes
  stripped); ``media`` for attachment-only messages; ``system`` for group events
  (``item_type`` other than 0); ``deleted`` for unsent messages (``date_retracted``);
  ``text`` otherwise. ``edited`` when ``date_edited`` is set. Inline replies get
  ``reply_to`` = ``thread_originator_guid``.

The TXT files written by `imessage-exporter <https://github.com/ReagentX/imessage-exporter>`_
(``-f txt``) hold one message per block: a wall-clock line such as
``May 17, 2022  5:29:42 PM`` (optionally ``(Read by ... after ...)``), the sender line
(``Me`` for yours, or the name given to its ``--custom-name``: pass the same name as
``me=``) and the text, with a blank line between messages. Replies are indented
by four spaces; tapbacks are listed under their message without a time and are not rows
(counted in ``decisions["reactions"]``). The times are the exporting computer's local wall
clock: pass ``tz=``, otherwise they are labelled UTC and the assumption is recorded.

Examples
--------
>>> import reconnect_signals as rs
>>> txt = b"May 17, 2022  5:29:42 PM\\nSam\\nAre you free?\\nTonight?\\n\\nMay 17, 2022  5:31:02 PM\\nMe\\nYes!\\n\\n"
>>> msgs = rs.read_chat(txt, tz="America/New_York", me="Alex")
>>> msgs[["sender", "text"]].values.tolist()
[['Sam', 'Are you free?\\nTonight?'], ['Alex', 'Yes!']]
>>> str(msgs["timestamp"].iloc[0])
'2022-05-17 17:29:42-04:00'
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sqlite3
import tempfile
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pandas as pd

from ..errors import ParseError
from ._registry import ParserSpec, ReadOptions, register
from ._report import ParseReport
from ._sqlite import BLOB_OR_TEXT, KEY, NUMBER, TEXT, check_table
from ._text import Source, decode_bytes
from ._time import localize_wall_clock

__all__ = ["read_chat_db", "read_imessage_txt", "decode_attributed_body"]

logger = logging.getLogger(__name__)

_PLATFORM = "imessage"
_APPLE_EPOCH_S = 978_307_200  # 2001-01-01T00:00:00Z in Unix seconds
_OBJ = "\ufffc"

# -- attributedBody ---------------------------------------------------------------------


def decode_attributed_body(blob: bytes | str | None) -> str | None:
    """The plain text stored in an ``attributedBody`` typedstream (NSArchiver) blob.

    The NSString payload follows the ``NSString`` class marker: the bytes ``0x01 0x2B``,
    then a length (one byte; or ``0x81`` and two little-endian bytes; or ``0x82`` and four),
    then that many bytes of UTF-8.

    Parameters
    ----------
    blob : bytes, str or None
        The ``attributedBody`` column value. macOS stores a BLOB; a value stored as TEXT (a
        database written by another tool) is read as its UTF-8 bytes.

    Returns
    -------
    str or None
        The text, or None when there is no NSString payload.

    Examples
    --------
    >>> blob = b"\\x04\\x0bstreamtyped\\x81\\xe8\\x03\\x84\\x01@\\x84\\x84\\x84\\x12NSAttributedString" \\
    ...        b"\\x00\\x84\\x84\\x08NSObject\\x00\\x85\\x92\\x84\\x84\\x84\\x08NSString\\x01\\x94\\x84\\x01+" \\
    ...        b"\\x05hello\\x86\\x84\\x02iI"
    >>> decode_attributed_body(blob)
    'hello'
    >>> decode_attributed_body(None) is None
    True
    """
    if not blob:
        return None
    blob = blob.encode("utf-8", errors="replace") if isinstance(blob, str) else bytes(blob)
    at = blob.find(b"NSString")
    if at < 0:
        return None
    start = blob.find(b"\x01\x2b", at + 8)
    if start < 0:
        return None
    i = start + 2
    if i >= len(blob):
        return None
    first = blob[i]
    if first == 0x81:
        length = int.from_bytes(blob[i + 1 : i + 3], "little")
        i += 3
    elif first == 0x82:
        length = int.from_bytes(blob[i + 1 : i + 5], "little")
        i += 5
    else:
        length = first
        i += 1
    if length <= 0 or i + length > len(blob):
        return None
    return blob[i : i + length].decode("utf-8", errors="replace")


# -- chat.db ----------------------------------------------------------------------------

_WANTED = {
    "message": [
        "ROWID",
        "guid",
        "text",
        "attributedBody",
        "handle_id",
        "date",
        "is_from_me",
        "associated_message_guid",
        "associated_message_type",
        "cache_has_attachments",
        "item_type",
        "date_edited",
        "date_retracted",
        "thread_originator_guid",
    ],
}
#: what each message column may hold (checked before reading; see ``_sqlite.check_table``)
_STORAGE = {
    c: KEY
    if c == "ROWID"
    else BLOB_OR_TEXT
    if c == "attributedBody"
    else TEXT
    if "guid" in c or c == "text"
    else NUMBER
    for c in _WANTED["message"]
}


def _columns(con: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in con.execute(f"PRAGMA table_info({table})")}  # SQL built from fixed table names only


def _private_copy(source: Source, tmp: str) -> Path:
    """Copy the database (and its -wal/-shm) into ``tmp``; return the copy's path."""
    target = Path(tmp) / "chat.db"
    if source.path is None:
        data = source.read_bytes()
        target.write_bytes(data)
        return target
    size = source.path.stat().st_size
    if size > source.limits.max_bytes:
        from ..errors import LimitExceeded

        raise LimitExceeded(
            f"{source.name} is {size} bytes, over the {source.limits.max_bytes}-byte limit; pass "
            "limits=rs.io.Limits(max_bytes=...) if you trust it"
        )
    shutil.copyfile(source.path, target)
    for suffix in ("-wal", "-shm"):
        companion = Path(str(source.path) + suffix)
        if companion.is_file():
            shutil.copyfile(companion, Path(str(target) + suffix))
    return target


def read_chat_db(source: Source, options: ReadOptions) -> tuple[pd.DataFrame, list[ParseReport]]:
    """Read a Messages ``chat.db`` (see the module docstring for the mapping).

    Usually called through ``rs.read_chat(path)``; format options: ``me=`` (your name,
    default ``"me"``) and ``contacts={handle: name}``. The file is copied (with ``-wal`` and
    ``-shm``) into a private temporary folder and only the copy is opened, read-only.

    Parameters
    ----------
    source : Source
        The input (see :class:`reconnect_signals.io.Source`).
    options : ReadOptions
        ``tz`` converts the instants for display; ``extra`` holds the format options.

    Returns
    -------
    frame : DataFrame
        The message frame (``rs.read_chat`` coerces and validates it).
    reports : list of ParseReport
        What happened to every input unit.

    Examples
    --------
    >>> import sqlite3, tempfile, pathlib
    >>> from reconnect_signals.io import ReadOptions, Source
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "chat.db"
    ...     con = sqlite3.connect(path)
    ...     _ = con.executescript(
    ...         "CREATE TABLE handle (ROWID INTEGER PRIMARY KEY, id TEXT);"
    ...         "CREATE TABLE message (ROWID INTEGER PRIMARY KEY, guid TEXT, text TEXT, handle_id INTEGER,"
    ...         " date INTEGER, is_from_me INTEGER);"
    ...         "INSERT INTO handle VALUES (1, '+15550100');"
    ...         "INSERT INTO message VALUES (1, 'G1', 'hi', 1, 731000000000000000, 0);")
    ...     con.commit(); con.close()
    ...     frame, [report] = read_chat_db(Source(path), ReadOptions(extra={"contacts": {"+15550100": "Sam"}}))
    >>> frame[["sender", "text"]].values.tolist(), str(frame["timestamp"].iloc[0])
    ([['Sam', 'hi']], '2024-03-01 15:33:20+00:00')
    """
    if source.is_dir:
        candidate = source.on_disk / "chat.db"
        if not candidate.is_file():
            raise ParseError(f"{source.name} is a folder without chat.db; pass the chat.db file itself")
        source = Source(candidate, limits=source.limits)
    report = ParseReport(source=source.name, format="imessage", units="records")
    me = options.extra.get("me") or "me"
    contacts = dict(options.extra.get("contacts") or {})
    with tempfile.TemporaryDirectory(prefix="rs-imessage-") as tmp:
        os.chmod(tmp, 0o700)
        copy = _private_copy(source, tmp)
        try:
            con = sqlite3.connect(f"file:{quote(copy.as_posix())}?mode=ro", uri=True)
        except sqlite3.Error as exc:
            raise ParseError(f"{source.name} cannot be opened as SQLite ({exc}); pass chat.db") from exc
        try:
            try:
                raw, chat_of, att_count = _query(con, source.name, report)
            except (UnicodeDecodeError, *_DB_ERRORS) as exc:
                if not isinstance(exc, UnicodeDecodeError) and "decode to UTF-8" not in _sqlite_reason(exc):
                    raise
                # a damaged database holds invalid UTF-8: read again, replacing those bytes (reported)
                report = ParseReport(source=source.name, format="imessage", units="records")
                con.text_factory, replaced = _lenient_text()
                try:
                    raw, chat_of, att_count = _query(con, source.name, report)
                except UnicodeDecodeError as exc:  # in the schema or in SQLite's own error message
                    raise sqlite3.DatabaseError(f"invalid UTF-8 in the database schema ({exc.reason})") from exc
                report.notice(
                    f"{replaced[0]} text values in the database are not valid UTF-8 (a damaged file?); "
                    "their undecodable bytes were replaced by U+FFFD"
                )
            _integrity(con, report)
        except _DB_ERRORS as exc:
            raise ParseError(
                f"{source.name} is not a readable Messages database: SQLite says {_sqlite_reason(exc)!r}. "
                "Pass chat.db from ~/Library/Messages (or sms.db from an iPhone backup); if it is damaged, "
                "copy it again with Messages closed, or rebuild it with "
                "`sqlite3 chat.db .recover | sqlite3 recovered.db` and pass recovered.db"
            ) from exc
        finally:
            con.close()
    return _chat_db_frame(raw, chat_of, att_count, report, options, me, contacts), [report]


#: what a damaged database raises: sqlite3 directly, or pandas wrapping it in read_sql_query
_DB_ERRORS = (sqlite3.DatabaseError, pd.errors.DatabaseError)


def _sqlite_reason(exc: BaseException) -> str:
    """SQLite's own words for a failed query (pandas wraps them with the whole SQL text)."""
    cause = exc.__cause__ if isinstance(exc, pd.errors.DatabaseError) and exc.__cause__ else exc
    return str(cause)


def _integrity(con: sqlite3.Connection, report: ParseReport) -> None:
    """Run SQLite's ``quick_check`` (fast: no index comparison) and notice any damage it finds.

    A damaged b-tree page can hide rows without any query failing; this is how such a loss
    is made visible.
    """
    try:
        found = [str(r[0]) for r in con.execute("PRAGMA quick_check(5)").fetchall()]
    except (*_DB_ERRORS, UnicodeDecodeError) as exc:
        found = [f"the check itself failed: {_sqlite_reason(exc)}"]
    if found == ["ok"]:
        return
    report.decisions["integrity_check"] = found
    first = found[0].replace("*** in database main ***", "").strip().split("\n")[0]
    report.notice(
        f"the database fails SQLite's integrity check ({first}); messages stored on damaged pages may be "
        "missing: rebuild it with `sqlite3 chat.db .recover | sqlite3 recovered.db` and read recovered.db"
    )


def _lenient_text():
    """A sqlite3 ``text_factory`` that replaces invalid UTF-8, and its ``[count]`` of replaced values."""
    replaced = [0]

    def decode(raw: bytes) -> str:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            replaced[0] += 1
            return raw.decode("utf-8", errors="replace")

    return decode, replaced


def _optional(con: sqlite3.Connection, sql: str, what: str, report: ParseReport) -> pd.DataFrame | None:
    """Run a query for optional detail; a damaged table is noticed and gives None."""
    try:
        return pd.read_sql_query(sql, con)
    except _DB_ERRORS as exc:
        report.notice(f"the {what} could not be read (SQLite says {_sqlite_reason(exc)!r}); {_LOST[what]}")
        report.decisions.setdefault("damaged_tables", []).append(what)
        return None


_LOST = {
    "handle table": "received messages show 'unknown' as their sender",
    "chat tables": "messages are in conversation 'orphaned'",
    "attachment table": "attachments are not counted (attachment-only messages may show as 'other')",
}


def _query(con: sqlite3.Connection, name: str, report: ParseReport):
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "message" not in tables:
        raise ParseError(f"{name} has no 'message' table: it is not a Messages chat.db")
    have = check_table(con, "message", _STORAGE, name, "pass chat.db from ~/Library/Messages")
    cols = [(f"m.{c}" if c in have else "NULL") + f" AS {c}" for c in _WANTED["message"]]
    # the message table is required (a damaged one raises); the others only add detail
    # SQL built from the fixed _WANTED names only
    raw = pd.read_sql_query(f"SELECT {', '.join(cols)} FROM message m", con)
    handles = (
        _optional(con, "SELECT ROWID AS handle_id, id AS handle FROM handle", "handle table", report)
        if "handle" in tables
        else None
    )
    if handles is not None and not handles.empty:
        handles = handles.drop_duplicates("handle_id")
        by_id = pd.Series(handles["handle"].to_numpy(), index=handles["handle_id"].to_numpy(), dtype="str")
        raw["handle"] = pd.to_numeric(raw["handle_id"], errors="coerce").map(by_id).astype("str")
    else:
        raw["handle"] = pd.Series(pd.NA, index=raw.index, dtype="str")
    chat_of = pd.Series(dtype="str")
    if {"chat", "chat_message_join"} <= tables:
        joins = _optional(
            con,
            "SELECT cmj.message_id AS message_id, c.guid AS chat_guid FROM chat_message_join cmj "
            "JOIN chat c ON c.ROWID = cmj.chat_id ORDER BY cmj.chat_id",
            "chat tables",
            report,
        )
        if joins is not None:
            joins = joins.drop_duplicates("message_id")
            chat_of = pd.Series(joins["chat_guid"].to_numpy(), index=joins["message_id"].to_numpy(), dtype="str")
    att_count = pd.Series(dtype="int64")
    if "message_attachment_join" in tables:
        att = _optional(
            con,
            "SELECT message_id, COUNT(*) AS n FROM message_attachment_join GROUP BY message_id",
            "attachment table",
            report,
        )
        if att is not None:
            att_count = pd.Series(att["n"].to_numpy(), index=att["message_id"].to_numpy())
    return raw, chat_of, att_count


def _message_text(text: pd.Series, body: pd.Series, report: ParseReport) -> pd.Series:
    """``message.text``, or the ``attributedBody`` string where that is the better copy.

    The blob is decoded where ``text`` is NULL or empty (newer macOS writes ``""`` as well as
    NULL), and preferred where both exist and differ only by U+FFFC attachment marks (the blob
    keeps the mark an older client dropped, so the message is still seen to carry media).
    """
    has_body = body.notna().to_numpy()
    if not has_body.any():
        return text
    decoded = body[has_body].map(decode_attributed_body).astype("str")
    plain = text[has_body]
    empty = (plain.isna() | (plain.str.len() == 0)).to_numpy()
    same = (
        (
            plain.notna()
            & decoded.notna()
            & (plain != decoded)
            & (plain.str.replace(_OBJ, "", regex=False) == decoded.str.replace(_OBJ, "", regex=False))
        )
        .fillna(False)
        .to_numpy(dtype=bool)
    )
    use = (empty & decoded.notna().to_numpy()) | same
    if use.any():
        idx = plain.index[use]
        text = text.copy()
        text.loc[idx] = decoded[use].to_numpy()
    report.decisions["attributed_body_decoded"] = int(use.sum())
    if (empty & decoded.isna().to_numpy()).any():
        report.notice(
            f"{int((empty & decoded.isna().to_numpy()).sum())} messages have an empty text and an "
            "attributedBody blob that holds no readable string"
        )
    return text


def _chat_db_frame(raw, chat_of, att_count, report, options, me, contacts) -> pd.DataFrame:
    tz = options.tz or "UTC"
    report.total = len(raw)
    if raw.empty:
        from ..schema import empty_frame

        return empty_frame(tz, optional=["reply_to", "is_from_me", "edited"])
    date = pd.to_numeric(raw["date"], errors="coerce")
    bad = date.isna()
    for idx in np.flatnonzero(bad.to_numpy()):
        report.add_problem(int(raw["ROWID"].iloc[idx]), "message without a date", str(raw["guid"].iloc[idx]))
    raw = raw[~bad.to_numpy()].reset_index(drop=True)
    date = date[~bad].reset_index(drop=True).astype("int64")
    # seconds (old databases) or nanoseconds (values above 1e11) since 2001-01-01 UTC
    us = np.where(date.abs() > 1e11, date // 1000, date * 1_000_000) + _APPLE_EPOCH_S * 1_000_000
    ts = pd.Series(us.astype("int64").astype("datetime64[us]")).dt.tz_localize("UTC").dt.tz_convert(tz)

    text = _message_text(raw["text"].astype("str"), raw["attributedBody"], report)
    has_obj = text.str.contains(_OBJ, regex=False).fillna(False).astype(bool)
    text = text.str.replace(_OBJ, "", regex=False).str.strip()
    text = text.where(text.str.len() > 0)

    rowid = raw["ROWID"].astype("int64")
    n_att = rowid.map(att_count).fillna(0).astype("int64")
    has_att = (n_att > 0) | has_obj | raw["cache_has_attachments"].fillna(0).astype(bool)
    assoc = pd.to_numeric(raw["associated_message_type"], errors="coerce").fillna(0)
    tapback = ((assoc >= 2000) & (assoc < 4000)).to_numpy()
    item = pd.to_numeric(raw["item_type"], errors="coerce").fillna(0)
    system = (item != 0).to_numpy()
    media = has_att.to_numpy() & text.isna().to_numpy()
    unsent = pd.to_numeric(raw["date_retracted"], errors="coerce").fillna(0).to_numpy() > 0
    kind = np.select([tapback, system, unsent, media], ["reaction", "system", "deleted", "media"], default="text")
    kind = np.where((kind == "text") & text.isna().to_numpy(), "other", kind)

    target = raw["associated_message_guid"].astype("str").str.replace(r"^(?:p:\d+/|bp:)", "", regex=True)
    reply_to = target.where(tapback, raw["thread_originator_guid"].astype("str"))

    from_me = raw["is_from_me"].fillna(0).astype(bool)
    handle = raw["handle"].astype("str")
    sender = handle.map(contacts).astype("str").fillna(handle) if contacts else handle
    sender = sender.where(~from_me, me)
    system_rows = kind == "system"
    sender = sender.where(sender.notna() | system_rows, "unknown")
    if (handle.isna() & ~from_me & ~pd.Series(system_rows)).any():
        report.notice("some received messages have no handle; their sender is 'unknown'")

    conv = rowid.map(chat_of).astype("str")
    orphaned = int(conv.isna().sum())
    if orphaned:
        report.notice(f"{orphaned} messages belong to no chat; conversation_id 'orphaned'")
    conv = conv.fillna("orphaned")
    edited = pd.to_numeric(raw["date_edited"], errors="coerce").fillna(0).to_numpy() > 0
    report.messages = len(raw)
    report.decisions["attachments"] = int(n_att.sum())
    frame = pd.DataFrame(
        {
            "conversation_id": conv,
            "message_id": raw["guid"].astype("str").fillna("rowid:" + rowid.astype("str")),
            "timestamp": ts,
            "sender": sender,
            "text": text,
            "kind": kind,
            "platform": _PLATFORM,
            "reply_to": reply_to,
            "is_from_me": from_me.astype("boolean"),
            "edited": edited,
        }
    )
    return frame.sort_values(["conversation_id", "timestamp"], kind="stable", ignore_index=True)


# -- imessage-exporter TXT --------------------------------------------------------------

_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_DATE_RE = re.compile(
    rf"^(?P<indent> *)(?P<date>(?:{_MONTHS}) \d{{1,2}}, \d{{4}} {{1,2}}\d{{1,2}}:\d{{2}}:\d{{2}} [AP]M)"
    r"(?: \((?:Read|Delivered)[^)\n]{0,200}\))?$"
)
_RENAME_RE = re.compile(
    rf"^(?P<date>(?:{_MONTHS}) \d{{1,2}}, \d{{4}} {{1,2}}\d{{1,2}}:\d{{2}}:\d{{2}} [AP]M) "
    r"(?P<rest>[^\n]{1,200}? renamed the conversation to [^\n]{0,300})$"
)
# lines under "Reactions:": "Loved by Sam", "Emoji(...) by Sam", "Sticker from Sam: path"
_REACTION_LINE_RE = re.compile(r"^ *(?:\S[^\n]{0,300} by [^\n]{1,200}|Sticker from [^\n]{1,500})$")
_ATTACHMENT_RE = re.compile(r"^(?:/|~/|[A-Za-z]:\\).{0,500}\.[A-Za-z0-9]{2,5}$|^Attachment missing!$")
_REPLY_NOTE = "This message responded to an earlier message."


def read_imessage_txt(source: Source, options: ReadOptions) -> tuple[pd.DataFrame, list[ParseReport]]:
    """Read a TXT file written by imessage-exporter (see the module docstring).

    Usually called through ``rs.read_chat(path, tz=...)``; format option: ``me=``.

    Parameters
    ----------
    source : Source
        The input (see :class:`reconnect_signals.io.Source`).
    options : ReadOptions
        ``tz`` converts the instants for display; ``extra`` holds the format options.

    Returns
    -------
    frame : DataFrame
        The message frame (``rs.read_chat`` coerces and validates it).
    reports : list of ParseReport
        What happened to every input unit.

    Examples
    --------
    >>> from reconnect_signals.io import ReadOptions, Source
    >>> txt = b"Mar 01, 2024  6:00:00 PM\\nSam\\nhi\\n\\n"
    >>> frame, [report] = read_imessage_txt(Source(txt), ReadOptions(tz="Europe/London"))
    >>> str(frame["timestamp"].iloc[0]), report.accounted()
    ('2024-03-01 18:00:00+00:00', True)
    """
    report = ParseReport(source=source.name, format="imessage_txt", units="lines")
    text, _ = decode_bytes(source.read_bytes(), report)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    me = options.extra.get("me") or "me"
    report.total = len(lines)
    msgs: list[dict] = []
    reactions = 0
    i, n = 0, len(lines)
    in_reactions = False
    while i < n:
        line = lines[i]
        m = _DATE_RE.match(line)
        if m and i + 1 < n and lines[i + 1].strip():
            indent = len(m.group("indent"))
            msgs.append(
                {
                    "date": m.group("date"),
                    "sender": lines[i + 1].strip(),
                    "body": [],
                    "line": i + 1,
                    "indent": indent,
                    "reply": indent > 0,
                }
            )
            report.messages += 1
            report.continuations += 1  # the sender line
            in_reactions = False
            i += 2
            continue
        rm = _RENAME_RE.match(line)
        if rm:
            msgs.append(
                {
                    "date": rm.group("date"),
                    "sender": None,
                    "body": [rm.group("rest")],
                    "line": i + 1,
                    "indent": 0,
                    "reply": False,
                    "system": True,
                }
            )
            report.messages += 1
            in_reactions = False
            i += 1
            continue
        if not msgs:
            if line.strip():
                report.add_problem(i + 1, "text before the first dated message", line)
            else:
                report.skip("blank line")
            i += 1
            continue
        cur = msgs[-1]
        stripped = line[cur["indent"] :] if line.startswith(" " * cur["indent"]) else line.lstrip()
        if stripped == "Reactions:":
            in_reactions = True
            report.skip("tapback list (no time in TXT)")
        elif in_reactions and _REACTION_LINE_RE.match(line):
            reactions += 1
            report.skip("tapback list (no time in TXT)")
        elif stripped.strip() == _REPLY_NOTE:
            cur["reply"] = True
            report.skip("reply note")
        else:
            in_reactions = False
            cur["body"].append(stripped)
            report.continuations += 1
        i += 1
    report.decisions["reactions"] = reactions
    return _txt_frame(msgs, report, options, me, source.name), [report]


def _txt_frame(msgs, report, options, me, name) -> pd.DataFrame:
    tz = options.tz
    if not msgs:
        from ..schema import empty_frame

        return empty_frame(tz or "UTC", optional=["is_from_me"])
    # trailing blank lines belong to the block separator, not the text
    bodies = []
    for m in msgs:
        body = m["body"]
        while body and not body[-1].strip():
            body.pop()
            report.continuations -= 1
            report.skip("blank line")
        bodies.append("\n".join(body))
    date = pd.Series([m["date"] for m in msgs], dtype="str").str.replace(r" {2,}", " ", regex=True)
    naive = pd.to_datetime(date, format="%b %d, %Y %I:%M:%S %p", errors="coerce")
    if naive.isna().any():  # "Jun 70, 9826 36:30:32 AM" has the shape of a date, not a date
        ok = naive.notna().to_numpy()
        for k in np.flatnonzero(~ok):
            report.messages -= 1
            report.add_problem(msgs[k]["line"], "impossible date", msgs[k]["date"])
        msgs = [m for m, keep in zip(msgs, ok, strict=True) if keep]
        bodies = [b for b, keep in zip(bodies, ok, strict=True) if keep]
        naive = naive[ok].reset_index(drop=True)
        if not msgs:
            from ..schema import empty_frame

            return empty_frame(tz or "UTC", optional=["is_from_me"])
    ts = localize_wall_clock(naive, tz, None, report)
    ts = ts.astype(pd.DatetimeTZDtype("us", tz or "UTC"))
    raw_sender = pd.Series([m["sender"] for m in msgs], dtype="str")
    # "Me" unless the export was made with --custom-name (then pass that name as me=)
    from_me = (raw_sender.eq("Me") | raw_sender.eq(me)).fillna(False).astype(bool)
    system = pd.Series([bool(m.get("system")) for m in msgs])
    sender = raw_sender.where(~from_me, me)
    text = pd.Series(bodies, dtype="str")
    text = text.where(text.str.len() > 0)
    attach = text.str.match(_ATTACHMENT_RE).fillna(False).astype(bool)
    kind = np.select(
        [system.to_numpy(), attach.to_numpy(), text.isna().to_numpy()], ["system", "media", "other"], default="text"
    )
    text = text.where(~attach)
    conv = Path(name).stem if name and not name.startswith("<") else "imessage"
    conv = conv or "imessage"
    seq = pd.Series(np.arange(len(msgs)), dtype="int64").astype("str")
    return pd.DataFrame(
        {
            "conversation_id": conv,
            "message_id": conv + ":" + seq,
            "timestamp": ts,
            "sender": sender,
            "text": text,
            "kind": kind,
            "platform": _PLATFORM,
            "is_from_me": (from_me & ~system).astype("boolean").mask(system.to_numpy()),
            "source_line": pd.array([m["line"] for m in msgs], dtype="Int64"),
        }
    )


# -- sniffing and registration ----------------------------------------------------------


_DB_NAMES = {"chat.db", "sms.db", "3d0d7e5fb2ce288813306e4d4636395e047a3d28"}


def _sniff_db(source: Source) -> float:
    if source.is_dir:
        return 0.9 if (source.on_disk / "chat.db").is_file() and not (source.on_disk / "users.json").exists() else 0.0
    if not source.head(16).startswith(b"SQLite format 3\x00"):
        return 0.0
    # the schema (sqlite_master) sits at the start of the file; large schemas spill over
    head = source.head(1 << 20)
    if b"chat_message_join" in head and b"CREATE TABLE handle" in head:
        return 0.95
    if source.name.lower() in _DB_NAMES:
        return 0.6
    return 0.0


def _sniff_txt(source: Source) -> float:
    if source.is_dir or source.is_zip:
        return 0.0
    head = source.head(4096)
    try:
        text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    except Exception:  # pragma: no cover - decode with replace does not raise
        return 0.0
    lines = [ln for ln in text.split("\n")[:40]]
    for i, line in enumerate(lines[:-1]):
        if line.strip():
            return 0.9 if _DATE_RE.match(line.rstrip("\r")) and lines[i + 1].strip() else 0.0
    return 0.0


register(
    ParserSpec(
        name="imessage",
        platform=_PLATFORM,
        description="Apple Messages database chat.db (Mac) or sms.db (iPhone backup); read from a private copy",
        patterns=("chat.db", "sms.db", "3d0d7e5fb2ce288813306e4d4636395e047a3d28"),
        where=(
            "Mac: ~/Library/Messages/chat.db (give your terminal Full Disk Access, or copy the "
            "folder with Finder). iPhone: an unencrypted Finder/iTunes backup holds it as "
            "3d/3d0d7e5fb2ce288813306e4d4636395e047a3d28. The file is copied, never modified."
        ),
        sniff=_sniff_db,
        read=read_chat_db,
        options=("me", "contacts"),
    )
)

register(
    ParserSpec(
        name="imessage_txt",
        platform=_PLATFORM,
        description="TXT conversation files written by imessage-exporter (-f txt)",
        patterns=("*.txt",),
        where=(
            "Mac: run `imessage-exporter -f txt -o <folder>` (github.com/ReagentX/imessage-exporter); "
            "it writes one .txt per conversation. Pass tz= for the Mac's time zone."
        ),
        sniff=_sniff_txt,
        read=read_imessage_txt,
        options=("me",),
    )
)
