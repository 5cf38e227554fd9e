"""Discord channels and DMs exported with DiscordChatExporter (JSON, CSV, HTML or plain text).

Discord has no chat export of its own (its "Request all of my data" package holds only your own
messages). DiscordChatExporter (https://github.com/Tyrrrz/DiscordChatExporter) exports a
channel or DM to JSON or CSV; choose **JSON** (it keeps ids, replies, edits, system messages
and reactions). Each file is one channel. It works with a token; Discord's terms forbid
automating a user account (a "self-bot"), which its documentation explains.

What is read
------------
- JSON: ``guild``, ``channel`` and ``messages[]`` with ``id``, ``type``, ``timestamp`` (ISO with an
  offset: an instant), ``timestampEdited`` (→ ``edited``), ``author`` (``nickname``, falling
  back to ``name``, is the sender), ``content``, ``attachments``/``stickers`` (→ ``kind="media"``,
  text kept), ``reference.messageId`` (→ ``reply_to``) and ``reactions``. ``conversation_id`` is
  the channel id; ``message_id`` the Discord message id.
- Message types: ``Default``/``Reply`` (and slash-command replies) are messages; ``Call`` is
  ``kind="call"``; every other type (``RecipientAdd``, ``ChannelPinnedMessage``,
  ``GuildMemberJoin``, ``ChannelNameChange``, ...) is ``kind="system"`` with the author as sender.
- Reactions that list their users (newer exports) become one ``kind="reaction"`` row per user
  (timestamp = the message's); reactions given only as counts are counted in
  ``report.decisions["reactions_without_users"]``.
- CSV (``AuthorID,Author,Date,Content,Attachments,Reactions``): the date is written in the
  exporting computer's culture and time zone (``"g"`` format, e.g. ``06/01/2024 10:00 AM`` or
  ``01/06/2024 10:00``): it is localised with ``tz`` (or labelled UTC) and the day/month order is
  decided once from all rows (pass ``date_order=`` when every date fits both). CSV has no ids,
  replies, edits or message types: ``conversation_id`` is the ``[id]`` in the file name (or a
  hash of the name), rows with attachments are media, DiscordChatExporter's stand-in texts
  (``Started a call that lasted 1 minutes.``, ``Pinned a message.``, ``Added X to the group.``, ...)
  are ``kind="call"``/``"system"``, empty rows are ``kind="other"``.
- HTML (DiscordChatExporter's default): see :mod:`reconnect_signals.io._discord_html`. Its dates are
  the exporting computer's wall clock to the minute, localised with ``tz`` (or labelled UTC);
  ids, replies, edits, attachments and system notifications are kept; reactions are counts only.
- TXT (plain text): ``[date] Author`` blocks, read by ``_read_txt`` (dates like the CSV's).

Examples
--------
>>> import reconnect_signals as rs
>>> data = b'''{"guild": {"id": "0", "name": "Direct Messages"},
...  "channel": {"id": "99", "type": "DirectTextChat", "name": "Sam"},
...  "messages": [
...   {"id": "1", "type": "Default", "timestamp": "2024-06-01T10:00:00+01:00", "timestampEdited": null,
...    "content": "hi", "author": {"id": "5", "name": "alex", "nickname": "Alex"}, "attachments": [], "reactions": []},
...   {"id": "2", "type": "Reply", "timestamp": "2024-06-01T10:01:00+01:00",
...    "timestampEdited": "2024-06-01T10:02:00+01:00",
...    "content": "hey", "author": {"id": "6", "name": "sam", "nickname": "Sam"}, "attachments": [],
...    "reference": {"messageId": "1", "channelId": "99"}}]}'''
>>> msgs = rs.read_chat(data)
>>> msgs[["message_id", "sender", "text", "reply_to", "edited"]].values.tolist()
[['1', 'Alex', 'hi', nan, False], ['2', 'Sam', 'hey', '1', True]]
>>> str(msgs["timestamp"].iloc[0])
'2024-06-01 09:00:00+00:00'
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import re
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import AmbiguousDateOrder, ParseError
from ..schema import coerce
from ._discord_html import dce_kinds, is_dce_html, parse_dce_html
from ._json import no_gc, parse_json
from ._registry import ParserSpec, ReadOptions, register
from ._report import ParseReport
from ._text import Source, decode_bytes
from .signal_export import _localize
from .telegram import _records

if TYPE_CHECKING:  # pragma: no cover
    from ._api import ChatSource

__all__ = ["read_discord", "sniff_discord"]

logger = logging.getLogger(__name__)

_CSV_HEADER = ["AuthorID", "Author", "Date", "Content", "Attachments", "Reactions"]
_MESSAGE_TYPES = frozenset(
    {"Default", "Reply", "ApplicationCommand", "ContextMenuCommand", "ThreadStarterMessage", "ChatInputCommand"}
)
# DiscordChatExporter's stand-in texts for system messages (the only way to spot them in CSV)
_DCE_CALL = r"Started a call(?: that lasted [\d.,]+ minutes?)?\.?"
_DCE_SYSTEM = (
    r"Pinned a message\.|Added .+ to the group\.|Removed .+ from the group\.|Left the group\."
    r"|Changed the channel name: .*|Changed the channel icon\.|Started a thread\.|Joined the server\."
    r"|Added a recipient\.|Removed a recipient\."
)
_USED_KEYS = (
    "id",
    "type",
    "timestamp",
    "timestampEdited",
    "content",
    "author",
    "attachments",
    "stickers",
    "reference",
    "reactions",
)
#: JSON exports larger than this many bytes are parsed message by message (bounded memory)
_STREAM_ABOVE = 128 * 1024**2
_ID_IN_NAME = re.compile(r"\[(\d{5,})\]")
# numeric culture dates: d/m/y or m/d/y (or y-m-d), then h:mm[:ss] [AM/PM]; anchored, linear
_NUM_DATE = (
    r"^\s*(?P<a>\d{1,4})[./-](?P<b>\d{1,2})[./-](?P<c>\d{1,4})[ ,T]+"
    r"(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?:[:.](?P<s>\d{2}))?\s*(?P<ampm>[AaPp]\.? ?[Mm]\.?)?\s*$"
)


# -- sniffing -----------------------------------------------------------------------------


def _csv_score(head: str) -> float:
    """The header test on *decoded* text (Excel's 'Unicode text' is UTF-16)."""
    first = head.lstrip("\ufeff").split("\n", 1)[0].strip().replace('"', "")
    return 0.95 if first == ",".join(_CSV_HEADER) else 0.0


def _json_score(head: str) -> float:
    h = head.lstrip("\ufeff \t\r\n")
    if not h.startswith("{"):
        return 0.0
    if '"guild"' in h and '"channel"' in h and '"messages"' in h:
        return 0.95
    return 0.0


_TXT_RULE = "=" * 62
_TXT_HEADER = r"^\[(?P<date>[^\]\n]{6,60})\] (?P<author>[^\n]{1,200}?)(?P<pinned> \(pinned\))?$"
_TXT_SECTIONS = ("{Attachments}", "{Embed}", "{Stickers}", "{Reactions}")


def _txt_score(head: str) -> float:
    lines = head.lstrip("\ufeff").split("\n", 4)
    if (
        len(lines) >= 3
        and lines[0].rstrip("\r") == _TXT_RULE
        and lines[1].startswith("Guild: ")
        and lines[2].startswith("Channel: ")
    ):
        return 0.95
    return 0.0


def _html_score(head: str) -> float:
    return 0.95 if is_dce_html(head) else 0.0


def sniff_discord(source: Source) -> float:
    """How sure we are that ``source`` is a DiscordChatExporter JSON or CSV file (0 to 1).

    Examples
    --------
    >>> from reconnect_signals.io import Source
    >>> sniff_discord(Source(b"AuthorID,Author,Date,Content,Attachments,Reactions\\n"))
    0.95
    >>> sniff_discord(Source(b"sender,text\\n"))
    0.0
    """
    if source.is_dir or source.is_zip:
        return 0.0
    head, _ = decode_bytes(source.head())  # decide on text, not bytes: UTF-16 and BOMs are common
    return max(_csv_score(head), _json_score(head), _html_score(head), _txt_score(head))


# -- JSON -----------------------------------------------------------------------------------


def _who(user: dict | None) -> str | None:
    if not isinstance(user, dict):
        return None
    name = user.get("nickname") or user.get("name")
    return None if name is None else str(name)


def _read_json(src: Source, tz: str | None, text: str, report: ParseReport) -> tuple[pd.DataFrame, ParseReport]:
    report.units = "messages"
    data = parse_json(text, src.name, "export the channel again with DiscordChatExporter (format JSON)")
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        raise ParseError(f"{src.name} has no 'messages' list; it is not a DiscordChatExporter JSON file")
    del text
    ch = data.get("channel")
    channel = ch if isinstance(ch, dict) else {}
    parts = [_json_batch(data["messages"], 0, report)]
    return _json_finish(parts, channel, src, tz, report), report


def _read_json_streamed(src: Source, tz: str | None, report: ParseReport) -> tuple[pd.DataFrame, ParseReport]:
    """The JSON export parsed message by message in batches (bounded memory), as Telegram's reader does."""
    from .telegram import _BATCH, _JsonStream

    report.units = "messages"
    report.decisions["streamed"] = True
    s = _JsonStream(_open_text(src))
    meta: dict = {}
    parts: list[pd.DataFrame] = []
    found = False
    with no_gc():
        for key in s.members():
            if key == "messages" and s.peek() == "[":
                found = True
                batch, start = [], 0
                for _ in s.items():
                    batch.append(s.value())
                    if len(batch) >= _BATCH:
                        parts.append(_json_batch(batch, start, report))
                        start, batch = start + len(batch), []
                parts.append(_json_batch(batch, start, report))
            else:
                meta[key] = s.value()
    if s.peek():
        raise ParseError(f"{src.name} has data after the end of the JSON; re-export it")
    if not found:
        raise ParseError(f"{src.name} has no 'messages' list; it is not a DiscordChatExporter JSON file")
    ch = meta.get("channel")
    channel = ch if isinstance(ch, dict) else {}
    return _json_finish(parts, channel, src, tz, report), report


def _open_text(src: Source):
    """``read(n) -> str`` over the file's bytes, decoded incrementally (UTF-8, BOM dropped)."""
    import codecs

    fh = open(src.path, "rb") if src.path is not None else io.BytesIO(src.read_bytes())  # noqa: SIM115
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")

    def read(n: int) -> str:
        while True:
            raw = fh.read(n)
            text = decoder.decode(raw, final=not raw)
            if not raw:
                fh.close()
                return text
            if text:
                return text

    return read


def _json_batch(messages: list, start: int, report: ParseReport) -> pd.DataFrame:
    """Rows of messages ``start`` .. of the export (reaction rows after their message, ``pos`` ordered)."""
    report.total += len(messages)
    ok = np.asarray([isinstance(m, dict) and bool(m.get("timestamp")) for m in messages], dtype=bool)
    for i in np.flatnonzero(~ok):
        m = messages[i]
        report.add_problem(
            start + int(i), "message has no timestamp", json.dumps(m)[:80] if isinstance(m, dict) else repr(m)
        )
    keep = np.flatnonzero(ok)
    if not len(keep):
        return pd.DataFrame(columns=_ROW_COLS)
    df = _records(messages, list(keep), _USED_KEYS)

    def column(name: str) -> pd.Series:
        return df[name] if name in df.columns else pd.Series(None, index=df.index, dtype=object)

    mtype = column("type").fillna("Default").astype("str")
    content = column("content")
    content = content.where(content.notna() & content.astype("str").ne(""))
    sender = pd.Series([_who(a) for a in column("author")], index=df.index, dtype=object)
    media = pd.Series(False, index=df.index)
    for key in ("attachments", "stickers"):
        if key in df.columns:
            media |= df[key].map(lambda v: bool(v) if isinstance(v, (list, dict)) else False).astype(bool)
    is_call = mtype.eq("Call")
    is_msg = mtype.isin(list(_MESSAGE_TYPES))
    kind = pd.Series(
        np.select(
            [is_call, is_msg & media, is_msg & content.notna(), is_msg], ["call", "media", "text", "other"], "system"
        ),
        index=df.index,
    )
    system = kind.eq("system")
    spelled = mtype.map({t: re.sub(r"(?<!^)(?=[A-Z])", " ", t).lower() for t in mtype.unique()})
    content = content.where(~system | content.notna(), spelled)
    anonymous = sender.isna() & ~system
    for i in df.index[anonymous]:
        report.add_problem(start + int(i), "message has no author", json.dumps(messages[i])[:80])
    named = ~anonymous
    df, kind, content, sender, system = df[named], kind[named], content[named], sender[named], system[named]
    refs = column("reference")
    reply = pd.Series(
        [r.get("messageId") if isinstance(r, dict) else None for r in refs], index=df.index, dtype=object
    ).where(~system)
    raw_ids = column("id")
    ids = raw_ids.astype("str").where(raw_ids.notna(), None)
    rows = pd.DataFrame(
        {
            "message_id": ids,
            "timestamp": pd.to_datetime(column("timestamp").astype("str"), format="ISO8601", utc=True, errors="coerce"),
            "sender": sender,
            "text": content,
            "kind": kind,
            "reply_to": reply,
            "edited": column("timestampEdited").notna() & column("timestampEdited").astype("str").ne(""),
            "pos": df.index.to_numpy(dtype="float64") + start,
        },
        index=df.index,
    )
    for i in rows.index[rows["timestamp"].isna()]:
        report.add_problem(start + int(i), "timestamp not understood", str(column("timestamp").get(i)))
    good = rows["timestamp"].notna()
    rows, df = rows[good], df[good]
    report.messages += len(rows)
    no_users, extra = 0, []
    if "reactions" in df.columns:
        for mid, stamp, pos, rs_ in zip(
            rows["message_id"], rows["timestamp"], rows["pos"], df["reactions"].tolist(), strict=True
        ):
            if not isinstance(rs_, list) or not rs_:
                continue
            for r in rs_:
                if not isinstance(r, dict):
                    continue
                emoji = r.get("emoji", {}).get("name") if isinstance(r.get("emoji"), dict) else r.get("emoji")
                users = r.get("users")
                if not isinstance(users, list):
                    count = r.get("count")  # a count of another JSON type says nothing
                    no_users += count if isinstance(count, int) and not isinstance(count, bool) else 0
                    continue
                for k, u in enumerate(users):
                    name = _who(u)
                    if name is not None:
                        extra.append((f"{mid}:r{emoji}:{k}", stamp, name, emoji, "reaction", mid, False, pos + 0.5))
    report.decisions["reactions_without_users"] = report.decisions.get("reactions_without_users", 0) + no_users
    if extra:
        rows = pd.concat([rows, pd.DataFrame(extra, columns=list(rows.columns))], ignore_index=True)
    # compact columns: arrow-backed strings instead of Python objects while the next batch is read
    return rows.astype({"message_id": "str", "sender": "str", "text": "str", "kind": "str", "reply_to": "str"})


_ROW_COLS = ["message_id", "timestamp", "sender", "text", "kind", "reply_to", "edited", "pos"]


def _json_finish(
    parts: list[pd.DataFrame], channel: dict, src: Source, tz: str | None, report: ParseReport
) -> pd.DataFrame:
    cid = str(channel.get("id") or _hash(src.name))
    report.decisions.update(channel=channel.get("name"), channel_type=channel.get("type"))
    parts = [p for p in parts if len(p)]
    rows = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=_ROW_COLS)
    rows = rows.sort_values("pos", kind="stable").reset_index(drop=True)
    missing = rows["message_id"].isna()
    if missing.any():
        rows.loc[missing, "message_id"] = cid + ":" + rows.loc[missing, "pos"].astype("int64").astype("str")
    if len(rows):
        rows["timestamp"] = rows["timestamp"].astype("datetime64[us, UTC]")
    rows = rows.assign(conversation_id=cid).drop(columns=["pos"])
    return coerce(rows, tz=tz, platform="discord")


# -- CSV ------------------------------------------------------------------------------------


def _hash(name: str) -> str:
    return hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]


def _parse_culture_dates(
    values: pd.Series, date_order: str | None, src: Source
) -> tuple[pd.Series, tuple[pd.Series | None, str | None]]:
    """Naive datetimes from DiscordChatExporter's culture-formatted dates (NaT where unreadable)."""
    iso = values.str.match(r"^\s*\d{4}-\d{2}-\d{2}", na=False)
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us]")
    if iso.any():
        offset = r"(?:[+-]\d{2}:?\d{2}|Z)\s*$"
        if iso.all() and values.str.contains(offset, na=False).all():
            return out, (pd.to_datetime(values, format="ISO8601", errors="coerce", utc=True), None)
        bare = values[iso].str.replace(offset, "", regex=True)
        out[iso] = pd.to_datetime(bare, format="ISO8601", errors="coerce")
    rest = ~iso
    parts = values[rest].str.extract(_NUM_DATE)
    num = parts["a"].notna()
    used_order = None
    if num.any():
        p = parts[num]
        a, b, c = (p[k].astype("int64") for k in ("a", "b", "c"))
        if (a > 31).any():  # year first: y/m/d
            year, month, day = a, b, c
            used_order = "YMD"
        else:
            order = date_order
            if order is None:
                if (a > 12).any() and not (b > 12).any():
                    order = "DMY"
                elif (b > 12).any() and not (a > 12).any():
                    order = "MDY"
                elif (a > 12).any() and (b > 12).any():
                    order = "DMY"  # inconsistent file: rows that do not fit become problems
                else:
                    raise AmbiguousDateOrder(
                        f"every date in {src.name} fits both day-first and month-first readings "
                        f"(e.g. {values[rest][num].iloc[0]!r}); pass date_order='DMY' or date_order='MDY'"
                    )
            day, month = (a, b) if order == "DMY" else (b, a)
            year = c.where(c >= 100, c + 2000)
            used_order = order
        hour = p["h"].astype("int64")
        ampm = p["ampm"].fillna("").str.upper().str.replace(r"[.\s]", "", regex=True)
        hour = hour.where(ampm.eq(""), hour % 12 + np.where(ampm.eq("PM"), 12, 0))
        second = p["s"].fillna("0").astype("int64")
        frame = pd.DataFrame(
            {
                "year": year,
                "month": month,
                "day": day,
                "hour": hour,
                "minute": p["mi"].astype("int64"),
                "second": second,
            }
        )
        out[p.index] = pd.to_datetime(frame, errors="coerce")
    leftover = rest & out.isna()
    if leftover.any():  # old default "dd-MMM-yy hh:mm tt" and other spelled-out months
        out[leftover] = pd.to_datetime(values[leftover], format="%d-%b-%y %I:%M %p", errors="coerce")
    return out, (None, used_order)


def _read_csv(src: Source, options: ReadOptions, text: str, report: ParseReport) -> tuple[pd.DataFrame, ParseReport]:
    report.units = "records"
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, [])
        if [h.strip() for h in header] != _CSV_HEADER:
            raise ParseError(f"{src.name} does not start with the DiscordChatExporter header {','.join(_CSV_HEADER)}")
        records = [r for r in reader if r]
    except csv.Error as exc:  # e.g. a quote never closed: a field past csv's 128 KiB limit (found by fuzzing)
        raise ParseError(
            f"{src.name} is not a readable CSV at line {reader.line_num} ({exc}); "
            "export it again with DiscordChatExporter"
        ) from None
    report.total = len(records)
    good = [r for r in records if len(r) == 6]
    for i, r in enumerate(records):
        if len(r) != 6:
            report.add_problem(i, f"row has {len(r)} fields instead of 6", ",".join(r))
    df = pd.DataFrame(good, columns=_CSV_HEADER, dtype="str")
    index = [i for i, r in enumerate(records) if len(r) == 6]
    naive, (aware, order) = _parse_culture_dates(df["Date"], options.date_order, src)
    if aware is not None:
        ts = aware
    else:
        ts = _localize(naive, options.tz, report)
    bad = ts.isna().to_numpy()
    for j in np.flatnonzero(bad).tolist():
        report.add_problem(index[j], "date not understood", df["Date"].iat[j])
    if order:
        report.decisions["date_order"] = order
    df, ts = df[~bad], ts[~bad]
    report.messages = len(df)
    m = _ID_IN_NAME.search(src.name)
    cid = m.group(1) if m else _hash(src.name)
    content = df["Content"].where(df["Content"].str.len() > 0)
    media = df["Attachments"].str.len() > 0
    call = content.str.fullmatch(_DCE_CALL, na=False)
    system = content.str.fullmatch(_DCE_SYSTEM, na=False)
    kind = np.select([media, call, system, content.notna()], ["media", "call", "system", "text"], default="other")
    report.decisions["system_rows_by_text"] = int(system.sum() + call.sum())
    reactions = int((df["Reactions"].str.len() > 0).sum())
    report.decisions["messages_with_reactions"] = reactions
    out = pd.DataFrame(
        {
            "conversation_id": cid,
            "message_id": cid + ":" + pd.Series(np.arange(len(df)), index=df.index).astype("str"),
            "timestamp": ts,
            "sender": df["Author"],
            "text": content,
            "kind": kind,
        },
        index=df.index,
    ).reset_index(drop=True)
    return coerce(out, tz=options.tz, platform="discord"), report


def _html_dates(values: pd.Series) -> pd.Series:
    """Naive datetimes from the ``title`` dates of the HTML export (the culture's "f" format)."""
    from .google_chat import _localized_dates

    values = values.astype("str")
    naive, _ = _localized_dates(values)  # "Saturday, June 1, 2024 10:00 AM", "Samstag, 1. Juni 2024 10:00", ...
    rest = naive.isna() & values.notna()
    if rest.any():  # the old default "dd-MMM-yy hh:mm tt"
        naive = naive.mask(rest, pd.to_datetime(values[rest], format="%d-%b-%y %I:%M %p", errors="coerce"))
    rest = naive.isna() & values.str.match(r"^\s*\d{4}-\d{2}-\d{2}", na=False)
    if rest.any():
        naive = naive.mask(rest, pd.to_datetime(values[rest], format="ISO8601", errors="coerce"))
    return naive.astype("datetime64[us]")


def _read_html(src: Source, options: ReadOptions, text: str, report: ParseReport) -> tuple[pd.DataFrame, ParseReport]:
    report.units = "messages"
    rows, preamble = parse_dce_html(text, report)
    report.decisions["channel"] = preamble[1] if len(preamble) > 1 else (preamble[0] if preamble else None)
    m = _ID_IN_NAME.search(src.name)
    cid = m.group(1) if m else _hash(src.name)
    if rows.empty:
        return _empty(options), report
    naive = _html_dates(rows["stamp"])
    bad = naive.isna().to_numpy() | rows["author"].isna().to_numpy()
    for i in np.flatnonzero(bad).tolist():
        why = "message has no author" if rows["author"].iat[i] is None else "date not understood"
        report.add_problem(int(i), why, str(rows["stamp"].iat[i] or rows["id"].iat[i]))
    rows, naive = rows[~bad].reset_index(drop=True), naive[~bad].reset_index(drop=True)
    ts = _localize(naive, options.tz, report)
    kind, body = dce_kinds(rows)
    report.messages = len(rows)
    ids = rows["id"].astype("str").fillna(cid + ":" + pd.Series(np.arange(len(rows))).astype("str"))
    out = pd.DataFrame(
        {
            "conversation_id": cid,
            "message_id": ids,
            "timestamp": ts,
            "sender": rows["author"].astype("str"),
            "text": body,
            "kind": kind,
            "reply_to": rows["reply"].astype("str"),
            "edited": rows["edited"].astype(bool),
        }
    )
    return coerce(out, tz=options.tz, platform="discord"), report


def _read_txt(src: Source, options: ReadOptions, text: str, report: ParseReport) -> tuple[pd.DataFrame, ParseReport]:
    """DiscordChatExporter's plain-text export (``PlainTextMessageWriter``).

    A preamble between two rules of 62 ``=`` (``Guild:``, ``Channel:``, ``Topic:``, ``After:``,
    ``Before:``), then per message ``[date] Author`` (`` (pinned)``), its content, a blank line and
    optional ``{Attachments}``, ``{Embed}``, ``{Stickers}`` and ``{Reactions}`` sections, and a
    postamble ``Exported N message(s)`` between rules. The date is the culture's ``g`` format (read
    like the CSV's); the author is the account name (``FullName``), not the server nickname.
    """
    report.units = "lines"
    lines = pd.Series(text.split("\n"), dtype="str").str.rstrip("\r")
    if len(lines) and lines.iloc[-1] == "":
        lines = lines.iloc[:-1]
    report.total = len(lines)
    rule = lines.eq(_TXT_RULE).to_numpy()
    rules = np.flatnonzero(rule)
    pre_end = rules[1] if len(rules) >= 2 else -1  # the preamble ends at its second rule
    post_start = rules[-2] if len(rules) >= 4 else len(lines)  # the postamble's first rule
    head = lines.str.extract(_TXT_HEADER)
    pos = np.arange(len(lines))
    inside = (pos > pre_end) & (pos < post_start)
    is_head = head["date"].notna().to_numpy() & inside
    naive, (aware, order) = _parse_culture_dates(
        head["date"].where(pd.Series(is_head)).dropna(), options.date_order, src
    )
    stamps = aware if aware is not None else naive
    dated = pd.Series(False, index=lines.index)
    dated[stamps.index[stamps.notna()]] = True
    is_head &= dated.to_numpy()  # a content line that only looks like a header stays content
    if order:
        report.decisions["date_order"] = order
    msg = np.cumsum(is_head) - 1  # the message each line belongs to
    body_line = inside & ~is_head & (msg >= 0)
    blank = lines.str.strip().eq("").to_numpy()
    # sections: a marker line after a blank line; everything from there to the next header
    marker = lines.isin(list(_TXT_SECTIONS)).to_numpy() & np.r_[False, blank[:-1]] & body_line
    in_section = pd.Series(np.where(marker, 1.0, np.where(is_head, 0.0, np.nan))).ffill().fillna(0).to_numpy() > 0
    content = body_line & ~in_section
    media_marker = marker & lines.isin(["{Attachments}", "{Stickers}"]).to_numpy()
    stray = inside & (msg < 0) & ~blank
    for i in np.flatnonzero(stray).tolist():
        report.add_problem(int(i) + 1, "text before the first [date] Author line", lines.iat[i])
    n = int(is_head.sum())
    cont = pd.DataFrame({"msg": msg[content], "line": lines[content].to_numpy()})
    bodies = (
        cont.groupby("msg", sort=True)["line"].agg("\n".join).str.strip("\n") if len(cont) else pd.Series(dtype="str")
    )
    body = pd.Series(bodies, index=range(n), dtype="str").reindex(range(n))
    body = body.where(body.str.len() > 0)
    has_media = np.zeros(n, dtype=bool)
    has_media[np.unique(msg[media_marker])] = True
    reactions = lines[marker & lines.eq("{Reactions}").to_numpy()]
    report.decisions["messages_with_reactions"] = len(reactions)
    # accounting: headers are messages, every other line inside a message a continuation
    report.messages = n
    report.continuations = int((body_line & ~blank).sum())
    report.skipped = 0
    report.skipped_reasons = {}
    report.skip("preamble and postamble", int((~inside & ~is_head).sum()))
    report.skip("blank line", int((inside & blank & (msg >= 0)).sum()))
    report.skip("blank line before the first message", int((inside & blank & (msg < 0)).sum()))
    ts_all = stamps[stamps.notna()]
    ts = ts_all if aware is not None else _localize(ts_all.reset_index(drop=True), options.tz, report)
    call = body.str.fullmatch(_DCE_CALL, na=False).to_numpy()
    system = body.str.fullmatch(_DCE_SYSTEM, na=False).to_numpy()
    kind = np.select([call, system, has_media, body.notna().to_numpy()], ["call", "system", "media", "text"], "other")
    report.decisions["system_rows_by_text"] = int(call.sum() + system.sum())
    m = _ID_IN_NAME.search(src.name)
    cid = m.group(1) if m else _hash(src.name)
    out = pd.DataFrame(
        {
            "conversation_id": cid,
            "message_id": cid + ":" + pd.Series(np.arange(n)).astype("str"),
            "timestamp": pd.Series(ts.to_numpy()),
            "sender": pd.Series(head["author"][is_head].to_numpy(), dtype="str"),
            "text": body.reset_index(drop=True),
            "kind": kind,
        }
    )
    return coerce(out, tz=options.tz, platform="discord"), report


def _empty(options: ReadOptions) -> pd.DataFrame:
    from ..schema import empty_frame

    return empty_frame(options.tz or "UTC", optional=["reply_to", "edited"])


def read_discord(source: ChatSource, options: ReadOptions | None = None) -> tuple[pd.DataFrame, list[ParseReport]]:
    """Read one DiscordChatExporter file (JSON or CSV) into a message frame.

    Examples
    --------
    >>> from reconnect_signals.io import ReadOptions
    >>> data = 'AuthorID,Author,Date,Content,Attachments,Reactions\\n"5","Alex","25/12/2024 10:00","hi","",""\\n'
    >>> frame, [report] = read_discord(data.encode(), ReadOptions(tz="Europe/London"))
    >>> str(frame["timestamp"].iloc[0]), report.decisions["date_order"]
    ('2024-12-25 10:00:00+00:00', 'DMY')
    """
    options = options or ReadOptions()
    src = source if isinstance(source, Source) else Source(source, limits=options.limits)
    report = ParseReport(source=src.name, format="discord")
    head, _ = decode_bytes(src.head())
    if _json_score(head) and src.size > _STREAM_ABOVE:
        frame, report = _read_json_streamed(src, options.tz, report)
        logger.debug("%s", report.summary())
        return frame, [report]
    text, _ = decode_bytes(src.read_bytes(), report)
    # CSV or JSON is decided on the decoded text: a UTF-16 CSV is not broken JSON
    if _csv_score(text[:65536]):
        frame, report = _read_csv(src, options, text, report)
    elif _html_score(text[:65536]):
        frame, report = _read_html(src, options, text, report)
    elif _txt_score(text[:65536]):
        frame, report = _read_txt(src, options, text, report)
    else:
        frame, report = _read_json(src, options.tz, text, report)
    logger.debug("%s", report.summary())
    return frame, [report]


register(
    ParserSpec(
        name="discord",
        platform="discord",
        description="Discord channel or DM exported with DiscordChatExporter (JSON, CSV, HTML or TXT)",
        patterns=("*.json", "*.csv", "*.html", "*.txt"),
        where="Discord has no chat export: run DiscordChatExporter (github.com/Tyrrrz/DiscordChatExporter), "
        "pick the DM or channel, format JSON (or CSV). It needs a token: Discord's terms forbid "
        "automating a user account, so read its guide first",
        sniff=sniff_discord,
        read=read_discord,
    )
)
