"""Render ONE synthetic conversation in every format of readers A (golden files).

Run from the repository root: ``python tests/data/readers_a/make_readers_a_fixtures.py``. The outputs are
committed; the tests read them and compare every parse with ``target.json``.

The conversation is invented (two people, "Alex" and "Sam", one morning); all times are whole
minutes so that formats with minute precision (Discord CSV) can render it exactly. Wall-clock
renderings (Signal, Discord CSV, Telegram ``date``) use Europe/London, which is UTC+1 on
1 June 2024.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).parent
LONDON = timezone(timedelta(hours=1))  # BST on the day

# seq, minute offset from 09:00 UTC, sender, kind, text, edited, reply_to(seq)
CONVO = [
    (1, 0, "Alex", "text", "Morning! Did you sleep ok?", False, None),
    (2, 2, "Sam", "text", "Not really 😴\nThe neighbours were loud again", False, None),
    (3, 3, "Alex", "text", "Oh no, sorry to hear that", True, None),
    (4, 5, "Sam", "text", "Coffee later?", False, 3),
    (5, 6, "Alex", "media", None, False, None),
    (6, 7, "Sam", "text", "Haha love it ❤️", False, None),
    (7, 30, "Alex", "call", None, False, None),
    (8, 31, "Sam", "system", None, False, None),
]
REACTION = ("Alex", "❤️", 6, 8)  # who, emoji, on message seq, minute


def utc(minute: int) -> datetime:
    return datetime(2024, 6, 1, 9, 0, tzinfo=UTC) + timedelta(minutes=minute)


def local(minute: int) -> datetime:
    return utc(minute).astimezone(LONDON).replace(tzinfo=None)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="")


# -- target ----------------------------------------------------------------------------------


def target() -> list[dict]:
    return [
        {
            "seq": seq,
            "timestamp": utc(minute).isoformat(),
            "sender": sender,
            "kind": kind,
            "text": text,
            "edited": edited,
            "reply_to_seq": reply,
        }
        for seq, minute, sender, kind, text, edited, reply in CONVO
    ]


# -- Telegram --------------------------------------------------------------------------------


def telegram_chat(chat_id: int = 4242) -> dict:
    users = {"Alex": "user1001", "Sam": "user2002"}
    messages = []
    for seq, minute, sender, kind, text, edited, reply in CONVO:
        base = {
            "id": seq,
            "date": local(minute).isoformat(),
            "date_unixtime": str(int(utc(minute).timestamp())),
        }
        if kind == "call":
            base.update(
                type="service",
                actor=sender,
                actor_id=users[sender],
                action="phone_call",
                duration_seconds=60,
                discard_reason="hangup",
                text="",
                text_entities=[],
            )
        elif kind == "system":
            base.update(
                type="service",
                actor=sender,
                actor_id=users[sender],
                action="pin_message",
                message_id=6,
                text="",
                text_entities=[],
            )
        else:
            base.update(type="message", **{"from": sender, "from_id": users[sender]})
            if edited:
                e = utc(minute + 1)
                base.update(
                    edited=e.astimezone(LONDON).replace(tzinfo=None).isoformat(),
                    edited_unixtime=str(int(e.timestamp())),
                )
            if reply is not None:
                base["reply_to_message_id"] = reply
            if kind == "media":
                base.update(photo="photos/photo_1@01-06-2024_10-06-00.jpg", width=1280, height=960, text="")
            elif seq == 6:  # text as a list of strings and entities
                base["text"] = ["Haha ", {"type": "bold", "text": "love"}, " it ❤️"]
                who, emoji, _, rminute = REACTION
                base["reactions"] = [
                    {
                        "type": "emoji",
                        "count": 1,
                        "emoji": emoji,
                        "recent": [{"from": who, "from_id": users[who], "date": local(rminute).isoformat()}],
                    }
                ]
            else:
                base["text"] = text
            base.setdefault("text_entities", [])
        messages.append(base)
    return {"name": "Sam", "type": "personal_chat", "id": chat_id, "messages": messages}


def telegram_account() -> dict:
    other = {
        "name": "Book club",
        "type": "private_group",
        "id": 777,
        "messages": [
            {
                "id": 1,
                "type": "service",
                "date": "2024-05-01T18:00:00",
                "date_unixtime": "1714582800",
                "actor": "Alex",
                "actor_id": "user1001",
                "action": "create_group",
                "title": "Book club",
                "members": ["Alex", "Robin"],
                "text": "",
                "text_entities": [],
            },
            {
                "id": 2,
                "type": "message",
                "date": "2024-05-01T18:01:00",
                "date_unixtime": "1714582860",
                "from": "Robin",
                "from_id": "user3003",
                "text": "Chapter 3 by Friday?",
                "text_entities": [],
                "forwarded_from": "Some Channel",
            },
        ],
    }
    return {
        "about": "Here is the data you requested.",
        "personal_information": {"user_id": 1001, "first_name": "Alex", "last_name": "", "about": ""},
        "contacts": {"about": "Contacts list.", "list": []},
        "chats": {"about": "Chats list.", "list": [telegram_chat(), other]},
        "left_chats": {"about": "Left chats.", "list": []},
    }


# -- Messenger / Instagram -----------------------------------------------------------------------


def mangle(s: str) -> str:
    """What Meta does to non-ASCII text: UTF-8 bytes written as Latin-1 characters."""
    return s.encode("utf-8").decode("latin-1")


def meta_messages() -> list[dict]:
    out = []
    for seq, minute, sender, kind, text, _edited, _reply in CONVO:
        if kind == "system":
            continue  # Messenger/Instagram have no pin notices
        m = {"sender_name": mangle(sender), "timestamp_ms": int(utc(minute).timestamp() * 1000)}
        if kind == "text":
            m["content"] = mangle(text)
        elif kind == "media":
            m["photos"] = [
                {"uri": "messages/inbox/sam_1234567/photos/1.jpg", "creation_timestamp": int(utc(minute).timestamp())}
            ]
        elif kind == "call":
            m["content"] = mangle(f"{sender} called you.")
            m["call_duration"] = 60
        if seq == REACTION[2]:
            m["reactions"] = [{"reaction": mangle(REACTION[1]), "actor": mangle(REACTION[0])}]
        m["is_geoblocked_for_viewer"] = False
        out.append(m)
    return out[::-1]  # newest first, as Meta writes them


def meta_thread(thread: str, part: list[dict]) -> str:
    data = {
        "participants": [{"name": "Sam"}, {"name": "Alex"}],
        "messages": part,
        "title": "Sam",
        "is_still_participant": True,
        "thread_path": f"inbox/{thread}",
        "magic_words": [],
    }
    return json.dumps(data, indent=2, ensure_ascii=True)


# -- Signal --------------------------------------------------------------------------------------


def signal_md() -> str:
    out = []
    text_of = {seq: text for seq, _, _, _, text, _, _ in CONVO}
    for seq, minute, sender, kind, text, _edited, reply in CONVO:
        if kind == "system":
            continue
        stamp = local(minute).strftime("%Y-%m-%d %H:%M:%S")
        quote = f"\n\n> {text_of[reply]}\n\n" if reply else ""
        if kind == "call":
            body = "Outgoing voice call (accepted, 1m 0s)  "
        else:
            body = (text or "") + "  "
        if seq == REACTION[2]:
            body += f"\n(- {REACTION[0]}: {REACTION[1]} -)"
        if kind == "media":
            body += "![IMG_0001.jpg](./media/2024-06-01T10-06-00.000_00_IMG_0001.jpg)  "
        out.append(f"[{stamp}] {sender}: {quote}{body}\n\n")
    return "".join(out)


def signal_json() -> str:
    lines = []
    text_of = {seq: text for seq, _, _, _, text, _, _ in CONVO}
    for seq, minute, sender, kind, text, edited, reply in CONVO:
        if kind == "system":
            continue
        rec = {
            "date": local(minute).isoformat(),
            "sender": sender,
            "body": ("Outgoing voice call (accepted, 1m 0s)" if kind == "call" else (text or "")) + "  ",
            "quote": f"\n\n> {text_of[reply]}\n\n" if reply else "",
            "sticker": "",
            "reactions": [[REACTION[0], REACTION[1]]] if seq == REACTION[2] else [],
            "attachments": [{"name": "IMG_0001.jpg", "path": "media/2024-06-01T10-06-00.000_00_IMG_0001.jpg"}]
            if kind == "media"
            else [],
            "deleted": False,
            "call": kind == "call",
            "missed": False,
        }
        if edited:
            rec["edits"] = [{"date": local(minute).isoformat(), "body": "Oh no, sorry"}]
        lines.append(json.dumps(rec, ensure_ascii=False))
    return "\n".join(lines) + "\n"


# -- Discord -------------------------------------------------------------------------------------


def discord_messages() -> list[dict]:
    users = {
        "Alex": {"id": "111", "name": "alex_p", "discriminator": "0000", "nickname": "Alex"},
        "Sam": {"id": "222", "name": "sam.k", "discriminator": "0000", "nickname": "Sam"},
    }
    out = []
    for seq, minute, sender, kind, text, edited, reply in CONVO:
        m = {
            "id": str(1000 + seq),
            "type": {"call": "Call", "system": "ChannelPinnedMessage"}.get(kind, "Reply" if reply else "Default"),
            "timestamp": local(minute).isoformat() + ".000+01:00",
            "timestampEdited": (local(minute + 1).isoformat() + ".000+01:00") if edited else None,
            "callEndedTimestamp": (local(minute + 1).isoformat() + ".000+01:00") if kind == "call" else None,
            "isPinned": seq == 6,
            "content": {
                "call": "Started a call that lasted 1 minutes.",
                "system": "Pinned a message.",
                "media": "",
            }.get(kind, text or ""),
            "author": {**users[sender], "color": None, "isBot": False, "avatarUrl": "https://cdn.example/a.png"},
            "attachments": [
                {
                    "id": "9",
                    "url": "https://cdn.example/IMG_0001.jpg",
                    "fileName": "IMG_0001.jpg",
                    "fileSizeBytes": 1234,
                }
            ]
            if kind == "media"
            else [],
            "embeds": [],
            "stickers": [],
            "reactions": [],
            "mentions": [],
        }
        if seq == REACTION[2]:
            m["reactions"] = [
                {
                    "emoji": {
                        "id": "",
                        "name": REACTION[1],
                        "code": "heart",
                        "isAnimated": False,
                        "imageUrl": "https://cdn.example/heart.svg",
                    },
                    "count": 1,
                    "users": [{**users[REACTION[0]], "isBot": False}],
                }
            ]
        if reply:
            m["reference"] = {"messageId": str(1000 + reply), "channelId": "555", "guildId": None}
        if kind == "system":
            m["reference"] = {"messageId": "1006", "channelId": "555", "guildId": None}
        out.append(m)
    return out


def discord_json() -> str:
    data = {
        "guild": {"id": "0", "name": "Direct Messages", "iconUrl": "https://cdn.example/dm.png"},
        "channel": {
            "id": "555",
            "type": "DirectTextChat",
            "categoryId": "0",
            "category": "Private",
            "name": "Sam",
            "topic": None,
        },
        "dateRange": {"after": None, "before": None},
        "exportedAt": "2024-06-02T12:00:00+01:00",
        "messages": discord_messages(),
        "messageCount": len(CONVO),
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


def discord_csv() -> str:
    buf = io.StringIO()
    buf.write("AuthorID,Author,Date,Content,Attachments,Reactions\n")
    w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n")
    for m, (_seq, minute, *_rest) in zip(discord_messages(), CONVO, strict=True):
        w.writerow(
            [
                m["author"]["id"],
                m["author"]["nickname"],
                local(minute).strftime("%d/%m/%Y %H:%M"),  # en-GB "g" format
                m["content"],
                ",".join(a["url"] for a in m["attachments"]),
                ",".join(f"{r['emoji']['name']} ({r['count']})" for r in m["reactions"]),
            ]
        )
    return buf.getvalue()


def main() -> None:
    write(HERE / "target.json", json.dumps(target(), indent=2, ensure_ascii=False) + "\n")
    write(HERE / "telegram_single" / "result.json", json.dumps(telegram_chat(), indent=1, ensure_ascii=False))
    write(HERE / "telegram_account" / "result.json", json.dumps(telegram_account(), indent=1, ensure_ascii=False))
    msgs = meta_messages()  # newest first; split into two parts, message_1 is the newest
    write(HERE / "messenger" / "inbox" / "sam_1234567" / "message_1.json", meta_thread("sam_1234567", msgs[:3]))
    write(HERE / "messenger" / "inbox" / "sam_1234567" / "message_2.json", meta_thread("sam_1234567", msgs[3:]))
    write(
        HERE / "instagram" / "your_instagram_activity" / "messages" / "inbox" / "sam_98765" / "message_1.json",
        meta_thread("sam_98765", msgs),
    )
    write(HERE / "signal" / "Sam" / "chat.md", signal_md())
    write(HERE / "signal_json" / "Sam" / "data.json", signal_json())
    write(HERE / "discord" / "Direct Messages - Sam [555].json", discord_json())
    write(HERE / "discord" / "Direct Messages - Sam [555].csv", discord_csv())


if __name__ == "__main__":
    main()
