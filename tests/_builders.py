"""Builders of the golden test inputs shared by several test modules (no test module imports another).

- readers A (Telegram, Messenger/Instagram, Signal, Discord): the committed golden files under
  ``tests/data/readers_a`` (``GOLD``, ``GOLDEN``), written by ``make_readers_a_fixtures.py``;
- readers B (SMS, iMessage, Slack, Google Chat, Hangouts): one synthetic conversation rendered into
  every format (``render_*``, ``build_chat_db``, ``readers_b_inputs``);
- WhatsApp: the golden conversation (``whatsapp_conversation``) that every layout renders.

Everything here was written for this project; nothing is third-party data.
"""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from pathlib import Path

import pandas as pd

import reconnect_signals as rs
from reconnect_signals.io._whatsapp_vocab import VOCAB

# -- readers A: committed golden files -------------------------------------------------------

GOLD = Path(__file__).parent / "data" / "readers_a"
# name -> (path, read_chat kwargs, expected format, columns it cannot express, target rows it lacks)
GOLDEN = {
    "telegram_single": ("telegram_single/result.json", {}, "telegram", set(), set()),
    "telegram_account": ("telegram_account/result.json", {"chat": "Sam"}, "telegram", set(), set()),
    "telegram_folder": ("telegram_single", {}, "telegram", set(), set()),
    "messenger_thread": ("messenger/inbox/sam_1234567", {}, "messenger", {"edited", "reply"}, {8}),
    "messenger_inbox": ("messenger/inbox", {}, "messenger", {"edited", "reply"}, {8}),
    "instagram": (
        "instagram/your_instagram_activity/messages/inbox/sam_98765/message_1.json",
        {},
        "instagram",
        {"edited", "reply"},
        {8},
    ),
    "signal_md": ("signal/Sam/chat.md", {}, "signal", {"edited"}, {8}),
    "signal_md_folder": ("signal/Sam", {}, "signal", {"edited"}, {8}),
    "signal_json": ("signal_json/Sam/data.json", {}, "signal", set(), {8}),
    "discord_json": ("discord/Direct Messages - Sam [555].json", {}, "discord", set(), set()),
    "discord_csv": (
        "discord/Direct Messages - Sam [555].csv",
        {"date_order": "DMY"},
        "discord",
        {"edited", "reply"},
        set(),
    ),
}


# -- readers B: one conversation, every format ----------------------------------------------


T0 = pd.Timestamp("2024-03-01 18:00:00", tz="UTC")
EMOJI = "\U0001f600"  # 😀
WAVE = "\U0001f44b"  # 👋
CONVERSATION = [
    # seconds after T0, sender, text, kind
    (0, "Alex", "Hey Sam, are you free on Saturday?", "text"),
    (150, "Sam", "I think so!\nWhat did you have in mind?", "text"),
    (300, "Alex", f"Dinner at the new place {EMOJI}", "text"),
    (340, "Sam", f"Loved \u201cDinner at the new place {EMOJI}\u201d", "reaction"),
    (370, "Sam", None, "media"),
    (420, "Sam", "Is 7 ok?", "text"),
    (1800, "Alex", "7 is perfect.\n\nSee you there", "text"),
    (1875, "Sam", f"Great, see you {WAVE}", "text"),
]


def target(with_reaction: bool = True) -> pd.DataFrame:
    rows = [r for r in CONVERSATION if with_reaction or r[3] != "reaction"]
    return pd.DataFrame(
        {
            "timestamp": pd.Series([T0 + pd.Timedelta(seconds=r[0]) for r in rows]).astype("datetime64[us, UTC]"),
            "sender": pd.Series([r[1] for r in rows], dtype="str"),
            "text": pd.Series([r[2] for r in rows], dtype="str"),
            "kind": pd.Series([r[3] for r in rows], dtype="str"),
        }
    )


def comparable(msgs: pd.DataFrame) -> pd.DataFrame:
    out = msgs[["timestamp", "sender", "text", "kind"]].reset_index(drop=True)
    return out.assign(
        timestamp=out["timestamp"].dt.tz_convert("UTC").astype("datetime64[us, UTC]"),
        kind=out["kind"].astype("str"),
    )


def _xml_escape(text: str) -> str:
    """Escape the way SMS Backup & Restore does: newlines as &#10;, emoji as surrogate pairs."""
    out = []
    for ch in text:
        cp = ord(ch)
        if ch == "&":
            out.append("&amp;")
        elif ch == '"':
            out.append("&quot;")
        elif ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif ch == "\n":
            out.append("&#10;")
        elif cp > 0xFFFF:
            v = cp - 0x10000
            out.append(f"&#{0xD800 + (v >> 10)};&#{0xDC00 + (v & 0x3FF)};")
        else:
            out.append(ch)
    return "".join(out)


def render_sms() -> bytes:
    parts = [
        "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>",
        f'<smses count="{len(CONVERSATION)}" backup_set="synthetic" type="full">',
    ]
    for sec, sender, text, kind in CONVERSATION:
        ms = int((T0 + pd.Timedelta(seconds=sec)).timestamp() * 1000)
        typ = "2" if sender == "Alex" else "1"
        if kind == "media":
            parts.append(
                f'  <mms date="{ms}" msg_box="1" address="+44 7700 900123" contact_name="Sam" text_only="0">'
                '<parts><part seq="-1" ct="application/smil" text="&lt;smil/&gt;" />'
                '<part seq="0" ct="image/jpeg" name="IMG_0001.jpg" data="AAAA" /></parts>'
                '<addrs><addr address="+447700900123" type="137" /><addr address="+447700900999" type="151" />'
                "</addrs></mms>"
            )
        else:
            parts.append(
                f'  <sms protocol="0" address="+44 7700 900123" date="{ms}" type="{typ}" subject="null" '
                f'body="{_xml_escape(text)}" read="1" contact_name="Sam" />'
            )
    parts.append("</smses>")
    return ("\n".join(parts) + "\n").encode("utf-8")


APPLE = pd.Timestamp("2001-01-01", tz="UTC")


def _typedstream(text: str) -> bytes:
    payload = text.encode("utf-8")
    n = len(payload)
    length = bytes([n]) if n < 0x80 else b"\x81" + n.to_bytes(2, "little")
    return (
        b"\x04\x0bstreamtyped\x81\xe8\x03\x84\x01@\x84\x84\x84\x12NSAttributedString\x00\x84\x84\x08NSObject"
        b"\x00\x85\x92\x84\x84\x84\x08NSString\x01\x94\x84\x01+" + length + payload + b"\x86\x84\x02iI\x01"
    )


SCHEMA = """
CREATE TABLE handle (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, service TEXT);
CREATE TABLE chat (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, chat_identifier TEXT,
                   display_name TEXT, style INTEGER);
CREATE TABLE message (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, text TEXT,
                      attributedBody BLOB, handle_id INTEGER DEFAULT 0, date INTEGER, is_from_me INTEGER DEFAULT 0,
                      associated_message_guid TEXT, associated_message_type INTEGER DEFAULT 0,
                      cache_has_attachments INTEGER DEFAULT 0, item_type INTEGER DEFAULT 0,
                      date_edited INTEGER DEFAULT 0);
CREATE TABLE chat_message_join (chat_id INTEGER, message_id INTEGER, message_date INTEGER DEFAULT 0,
                                PRIMARY KEY (chat_id, message_id));
CREATE TABLE chat_handle_join (chat_id INTEGER, handle_id INTEGER);
CREATE TABLE attachment (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT, filename TEXT, mime_type TEXT,
                         transfer_name TEXT);
CREATE TABLE message_attachment_join (message_id INTEGER, attachment_id INTEGER);
"""


def build_chat_db(path: Path, *, wal_rows: int = 0) -> sqlite3.Connection | None:
    """Write the conversation into a chat.db at ``path``.

    With ``wal_rows`` > 0 the database is in WAL mode and the last ``wal_rows`` messages are
    committed but NOT checkpointed: the returned open connection keeps them in ``-wal``.
    """
    con = sqlite3.connect(path)
    con.executescript(SCHEMA)
    con.execute("INSERT INTO handle (id, service) VALUES ('+447700900123', 'iMessage')")
    con.execute(
        "INSERT INTO chat (guid, chat_identifier, style) VALUES ('iMessage;-;+447700900123', '+447700900123', 45)"
    )
    con.execute("INSERT INTO chat_handle_join VALUES (1, 1)")
    con.commit()
    if wal_rows:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA wal_autocheckpoint=0")
        con.commit()
    guids = {}
    for i, (sec, sender, text, kind) in enumerate(CONVERSATION):
        if wal_rows and i == len(CONVERSATION) - wal_rows:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        when = T0 + pd.Timedelta(seconds=sec)
        ns = int((when - APPLE).total_seconds()) * 1_000_000_000
        date = ns if i % 2 == 0 else ns // 1_000_000_000  # old databases store seconds
        guid = f"GUID-{i + 1:04d}"
        guids[i] = guid
        from_me = int(sender == "Alex")
        handle = 0 if from_me else 1
        body, blob, assoc_guid, assoc_type, has_att = text, None, None, 0, 0
        if i == 1:  # newer macOS: text only in attributedBody
            body, blob = None, _typedstream(text)
        if kind == "reaction":
            assoc_guid, assoc_type = f"p:0/{guids[2]}", 2000
        if kind == "media":
            body, has_att = "\ufffc", 1
        con.execute(
            "INSERT INTO message (guid, text, attributedBody, handle_id, date, is_from_me, associated_message_guid, "
            "associated_message_type, cache_has_attachments) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (guid, body, blob, handle, date, from_me, assoc_guid, assoc_type, has_att),
        )
        rowid = con.execute("SELECT last_insert_rowid()").fetchone()[0]
        con.execute("INSERT INTO chat_message_join (chat_id, message_id) VALUES (1, ?)", (rowid,))
        if kind == "media":
            con.execute(
                "INSERT INTO attachment (guid, filename, mime_type, transfer_name) VALUES "
                "('ATT-1', '~/Library/Messages/Attachments/IMG_0001.jpeg', 'image/jpeg', 'IMG_0001.jpeg')"
            )
            con.execute("INSERT INTO message_attachment_join VALUES (?, 1)", (rowid,))
        con.commit()
    if wal_rows:
        return con
    con.close()
    return None


def render_imessage_txt(tz: str = "America/New_York") -> bytes:
    blocks = []
    for sec, sender, text, kind in CONVERSATION:
        if kind == "reaction":
            continue
        local = (T0 + pd.Timedelta(seconds=sec)).tz_convert(tz)
        hour = local.strftime("%I").lstrip("0").rjust(2)
        stamp = local.strftime(f"%b %d, %Y {hour}:%M:%S %p")
        body = "/Users/alex/Library/Messages/Attachments/0a/10/IMG_0001.jpeg" if kind == "media" else text
        block = f"{stamp}\n{'Me' if sender == 'Alex' else sender}\n{body}\n"
        if sec == 300:  # the tapback is listed under its message, without a time
            block += "Reactions:\nLoved by Sam\n"
        if sec == 1800:
            block = block.replace(stamp, stamp + " (Read by them after 1 minute)")
        blocks.append(block + "\n")
    return "".join(blocks).encode("utf-8")


def render_slack() -> bytes:
    users = [
        {"id": "U01ALEX", "name": "alex", "real_name": "Alex", "profile": {"display_name": "alex"}},
        {"id": "U02SAM", "name": "sam", "real_name": "Sam", "profile": {"display_name": "sam"}},
    ]
    dms = [{"id": "D0DM1", "members": ["U01ALEX", "U02SAM"], "created": 1709000000}]
    ids = {"Alex": "U01ALEX", "Sam": "U02SAM"}
    msgs = []
    for sec, sender, text, kind in CONVERSATION:
        if kind == "reaction":
            msgs[-1]["reactions"] = [{"name": "heart", "users": ["U02SAM"], "count": 1}]
            continue
        ts = f"{int((T0 + pd.Timedelta(seconds=sec)).timestamp())}.000000"
        m = {"type": "message", "user": ids[sender], "text": text or "", "ts": ts}
        if kind == "media":
            m.update(subtype="file_share", files=[{"id": "F1", "name": "IMG_0001.jpg", "mimetype": "image/jpeg"}])
        msgs.append(m)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("users.json", json.dumps(users))
        zf.writestr("channels.json", "[]")
        zf.writestr("dms.json", json.dumps(dms))
        zf.writestr("D0DM1/2024-03-01.json", json.dumps(msgs, ensure_ascii=False))
    return buf.getvalue()


def _google_date(ts: pd.Timestamp) -> str:
    hour = ts.strftime("%I").lstrip("0")
    return ts.strftime(f"%A, %B {ts.day}, %Y at {hour}:%M:%S\u202f%p UTC")


def render_google_chat() -> bytes:
    emails = {"Alex": "alex@example.com", "Sam": "sam@example.com"}
    msgs = []
    for sec, sender, text, kind in CONVERSATION:
        if kind == "reaction":
            msgs[-1]["reactions"] = [{"emoji": {"unicode": "\u2764\ufe0f"}, "reactor_emails": [emails["Sam"]]}]
            continue
        m = {
            "creator": {"name": sender, "email": emails[sender], "user_type": "Human"},
            "created_date": _google_date(T0 + pd.Timedelta(seconds=sec)),
            "text": text or "",
            "topic_id": "t1",
        }
        if kind == "media":
            m["attached_files"] = [{"original_name": "IMG_0001.jpg", "export_name": "File-IMG_0001.jpg"}]
        msgs.append(m)
    return json.dumps({"messages": msgs}, ensure_ascii=False, indent=2).encode("utf-8")


def render_hangouts() -> bytes:
    gaia = {"Alex": "101", "Sam": "202"}
    events = []
    for i, (sec, sender, text, kind) in enumerate(CONVERSATION):
        if kind == "reaction":
            continue
        us = int((T0 + pd.Timedelta(seconds=sec)).timestamp()) * 1_000_000
        content: dict = {}
        if kind == "media":
            content["attachment"] = [{"embed_item": {"type": ["PLUS_PHOTO"]}, "id": "a1"}]
        else:
            segs = []
            for j, line in enumerate(text.split("\n")):
                if j:
                    segs.append({"type": "LINE_BREAK", "text": "\n"})
                if line:
                    segs.append({"type": "TEXT", "text": line})
            content["segment"] = segs
        events.append(
            {
                "conversation_id": {"id": "UgwCONV"},
                "sender_id": {"gaia_id": gaia[sender], "chat_id": gaia[sender]},
                "timestamp": str(us),
                "event_id": f"E{i}",
                "event_type": "REGULAR_CHAT_MESSAGE",
                "chat_message": {"message_content": content},
            }
        )
    doc = {
        "conversations": [
            {
                "conversation": {
                    "conversation_id": {"id": "UgwCONV"},
                    "conversation": {
                        "id": {"id": "UgwCONV"},
                        "type": "STICKY_ONE_TO_ONE",
                        "participant_data": [
                            {"id": {"gaia_id": "101", "chat_id": "101"}, "fallback_name": "Alex"},
                            {"id": {"gaia_id": "202", "chat_id": "202"}, "fallback_name": "Sam"},
                        ],
                    },
                },
                "events": events,
            }
        ]
    }
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")


def readers_b_inputs(tmp_path: Path) -> dict[str, object]:
    """One input per format of readers B (files written into ``tmp_path`` where needed)."""
    db = tmp_path / "chat.db"
    build_chat_db(db)
    txt = tmp_path / "Sam.txt"
    txt.write_bytes(render_imessage_txt())
    return {
        "sms": render_sms(),
        "imessage": db,
        "imessage_txt": txt,
        "slack": render_slack(),
        "google_chat": render_google_chat(),
        "hangouts": render_hangouts(),
    }


# -- WhatsApp ----------------------------------------------------------------------------------


def whatsapp_conversation(tz: str = "Europe/London") -> pd.DataFrame:
    """The WhatsApp golden conversation (every layout of tests/test_whatsapp.py renders it)."""
    rows = [
        ("2024-03-09 08:00:00", None, VOCAB["en"]["encryption"], "system", False),
        ("2024-03-09 08:01:00", "Alex", "morning ☀️ did you sleep ok?", "text", False),
        ("2024-03-09 08:03:00", "Sam Taylor", "not really\nkept thinking about yesterday", "text", False),
        ("2024-03-09 08:03:00", "Sam Taylor", None, "media", False),
        ("2024-03-13 19:45:00", "Alex", "I feel bad about how it went. we should talk: properly", "text", True),
        ("2024-03-13 21:02:00", "Sam Taylor", None, "deleted", False),
        ("2024-03-13 23:59:00", "Alex", "ok 👍🏽\n\n12/03/2024 was a weird day", "text", False),
        ("2024-03-14 00:00:00", "Sam Taylor", "haha yes. [later] 10:30 works", "text", False),
        ("2024-03-14 12:30:00", "+44 7700 900123", "who's this? 😂", "text", False),
    ]
    raw = pd.DataFrame(rows, columns=["timestamp", "sender", "text", "kind", "edited"])
    return rs.coerce(raw, tz=tz)
