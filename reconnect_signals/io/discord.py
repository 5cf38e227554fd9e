"""Discord channels and DMs exported with DiscordChatExporter (JSON or CSV).

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

Examples
--------
>>> import reconnect_signals as rs
>>> data = b'''{"guild": {"id": "0", "name": "Direct Messages"}, "channel": {"id": "99", "type": "DirectTextChat", "name": "Sam"},
...  "messages": [
...   {"id": "1", "type": "Default", "timestamp": "2024-06-01T10:00:00+01:00", "timestampEdited": null,
...    "content": "hi", "author": {"id": "5", "name": "alex", "nickname": "Alex"}, "attachments": [], "reactions": []},
...   {"id": "2", "type": "Reply", "timestamp": "2024-06-01T10:01:00+01:00", "timestampEdited": "2024-06-01T10:02:00+01:00",
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

import numpy as np
import pandas as pd

from ..errors import AmbiguousDateOrder, ParseError
from ..schema import coerce
from ._registry import ParserSpec, ReadOptions, register
from ._report import ParseReport
from ._json import parse_json
from ._text import Source, decode_bytes
from .telegram import _records
from .signal_export import _localize

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
_USED_KEYS = ("id", "type", "timestamp", "timestampEdited", "content", "author", "attachments", "stickers",
              "reference", "reactions")
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
    return max(_csv_score(head), _json_score(head))


# -- JSON -----------------------------------------------------------------------------------


def _who(user: dict | None) -> str | None:
    if not isinstance(user, dict):
        return None
    name = user.get("nickname") or user.get("name")
    return None if name is None else str(name)


def _read_json(
    src: Source, tz: str | None, text: str, report: ParseReport
) -> tuple[pd.DataFrame, ParseReport]:
    report.units = "messages"
    data = parse_json(text, src.name, "export the channel again with DiscordChatExporter (format JSON)")
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        raise ParseError(f"{src.name} has no 'messages' list; it is not a DiscordChatExporter JSON file")
    channel = data.get("channel") if isinstance(data.get("channel"), dict) else {}
    cid = str(channel.get("id") or _hash(src.name))
    report.decisions.update(channel=channel.get("name"), channel_type=channel.get("type"))
    messages = data["messages"]
    report.total = len(messages)
    ok = np.asarray([isinstance(m, dict) and bool(m.get("timestamp")) for m in messages], dtype=bool)
    for i in np.flatnonzero(~ok):
        m = messages[i]
        report.add_problem(int(i), "message has no timestamp", json.dumps(m)[:80] if isinstance(m, dict) else repr(m))
    keep = np.flatnonzero(ok)
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
        np.select([is_call, is_msg & media, is_msg & content.notna(), is_msg], ["call", "media", "text", "other"],
                  "system"),
        index=df.index,
    )
    system = kind.eq("system")
    spelled = mtype.map({t: re.sub(r"(?<!^)(?=[A-Z])", " ", t).lower() for t in mtype.unique()})
    content = content.where(~system | content.notna(), spelled)
    anonymous = sender.isna() & ~system
    for i in df.index[anonymous]:
        report.add_problem(int(i), "message has no author", json.dumps(messages[i])[:80])
    df, kind, content, sender, system = (x[~anonymous] for x in (df, kind, content, sender, system))
    refs = column("reference")
    reply = pd.Series(
        [r.get("messageId") if isinstance(r, dict) else None for r in refs], index=df.index, dtype=object
    ).where(~system)
    ids = column("id").astype("str").where(column("id").notna(), cid + ":" + pd.Series(df.index, index=df.index).astype("str"))
    rows = pd.DataFrame(
        {
            "message_id": ids,
            "stamp": column("timestamp"),
            "sender": sender,
            "text": content,
            "kind": kind,
            "reply_to": reply.astype("str"),
            "edited": column("timestampEdited").notna() & column("timestampEdited").astype("str").ne(""),
            "pos": df.index.to_numpy(dtype="float64"),
        },
        index=df.index,
    )
    rows["stamp"] = rows["stamp"].astype("str")
    parsed = pd.to_datetime(rows["stamp"], format="ISO8601", utc=True, errors="coerce")
    for i in rows.index[parsed.isna()]:
        report.add_problem(int(i), "timestamp not understood", str(rows.at[i, "stamp"]))
    rows, df = rows[parsed.notna()], df[parsed.notna()]
    report.messages += len(rows)
    no_users, extra = 0, []
    if "reactions" in df.columns:
        for (i, mid, stamp), rs_ in zip(rows[["message_id", "stamp"]].itertuples(), df["reactions"].tolist()):
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
                        extra.append((f"{mid}:r{emoji}:{k}", stamp, name, emoji, "reaction", mid, False, i + 0.5))
    report.decisions["reactions_without_users"] = no_users
    if extra:
        rows = pd.concat([rows, pd.DataFrame(extra, columns=list(rows.columns))], ignore_index=True)
    ts = pd.to_datetime(rows["stamp"], format="ISO8601", utc=True) if len(rows) else pd.Series([], dtype="datetime64[us, UTC]")
    rows = rows.assign(timestamp=ts, conversation_id=cid).sort_values("pos", kind="stable")
    rows = rows.drop(columns=["stamp", "pos"]).reset_index(drop=True)
    return coerce(rows, tz=tz, platform="discord"), report


# -- CSV ------------------------------------------------------------------------------------


def _hash(name: str) -> str:
    return hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]


def _parse_culture_dates(values: pd.Series, date_order: str | None, src: Source) -> tuple[pd.Series, str | None]:
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
        frame = pd.DataFrame({"year": year, "month": month, "day": day, "hour": hour,
                              "minute": p["mi"].astype("int64"), "second": second})
        out[p.index] = pd.to_datetime(frame, errors="coerce")
    leftover = rest & out.isna()
    if leftover.any():  # old default "dd-MMM-yy hh:mm tt" and other spelled-out months
        out[leftover] = pd.to_datetime(values[leftover], format="%d-%b-%y %I:%M %p", errors="coerce")
    return out, (None, used_order)


def _read_csv(
    src: Source, options: ReadOptions, text: str, report: ParseReport
) -> tuple[pd.DataFrame, ParseReport]:
    report.units = "records"
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        header = []
    if [h.strip() for h in header] != _CSV_HEADER:
        raise ParseError(f"{src.name} does not start with the DiscordChatExporter header {','.join(_CSV_HEADER)}")
    records = [r for r in reader if r]
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
    for j in np.flatnonzero(bad):
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


def read_discord(source, options: ReadOptions | None = None) -> tuple[pd.DataFrame, list[ParseReport]]:
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
    text, _ = decode_bytes(src.read_bytes(), report)
    # CSV or JSON is decided on the decoded text: a UTF-16 CSV is not broken JSON
    if _csv_score(text[:65536]):
        frame, report = _read_csv(src, options, text, report)
    else:
        frame, report = _read_json(src, options.tz, text, report)
    logger.debug("%s", report.summary())
    return frame, [report]


register(
    ParserSpec(
        name="discord",
        platform="discord",
        description="Discord channel or DM exported with DiscordChatExporter (JSON or CSV)",
        patterns=("*.json", "*.csv"),
        where="Discord has no chat export: run DiscordChatExporter (github.com/Tyrrrz/DiscordChatExporter), "
        "pick the DM or channel, format JSON (or CSV). It needs a token: Discord's terms forbid "
        "automating a user account, so read its guide first",
        sniff=sniff_discord,
        read=read_discord,
    )
)
