"""iMessage ``chat.db``: text that lives only in ``attributedBody`` (issue 18).

Newer macOS versions write ``message.text`` as NULL *or as an empty string* and keep the
words in the ``attributedBody`` typedstream. Each row below is one way a real database
stores a message; every one must come out with its words and its kind.
"""

from __future__ import annotations

import sqlite3

import pandas as pd
import pytest

import reconnect_signals as rs

from _builders import SCHEMA  # the chat.db tables (tests/ is on sys.path under pytest)

APPLE = pd.Timestamp("2001-01-01", tz="UTC")
T0 = pd.Timestamp("2024-03-01 18:00:00", tz="UTC")
OBJ = "\ufffc"


def typedstream(text: str) -> bytes:
    """An NSAttributedString archived the way Messages writes ``attributedBody``."""
    payload = text.encode("utf-8")
    n = len(payload)
    length = bytes([n]) if n < 0x80 else b"\x81" + n.to_bytes(2, "little")
    return (
        b"\x04\x0bstreamtyped\x81\xe8\x03\x84\x01@\x84\x84\x84\x12NSAttributedString\x00\x84\x84\x08NSObject"
        b"\x00\x85\x92\x84\x84\x84\x08NSString\x01\x94\x84\x01+" + length + payload + b"\x86\x84\x02iI\x01"
    )


# (text column, attributedBody string or None, cache_has_attachments) -> expected (text, kind)
ROWS = [
    ("", "Are you free tonight?", 0, "Are you free tonight?", "text"),  # empty string, words in the blob
    (None, "Yes, after 7", 0, "Yes, after 7", "text"),  # NULL, words in the blob
    ("Photo from today", f"{OBJ}Photo from today", 1, "Photo from today", "text"),  # differ only by U+FFFC
    (OBJ, OBJ, 1, None, "media"),  # attachment only
    ("", f"{OBJ}", 1, None, "media"),  # empty text, blob holds only the attachment mark
    ("Short", "A different long string", 0, "Short", "text"),  # differ by more than U+FFFC: text wins
    ("Plain words", None, 0, "Plain words", "text"),  # no blob at all
    ("", None, 0, None, "other"),  # nothing anywhere: kept, not invented
]


@pytest.fixture
def chat_db(tmp_path):
    path = tmp_path / "chat.db"
    con = sqlite3.connect(path)
    con.executescript(SCHEMA)
    con.execute("INSERT INTO handle (id, service) VALUES ('+447700900123', 'iMessage')")
    con.execute(
        "INSERT INTO chat (guid, chat_identifier, style) VALUES ('iMessage;-;+447700900123', '+447700900123', 45)"
    )
    for i, (text, body, att, _, _) in enumerate(ROWS):
        ns = int((T0 + pd.Timedelta(minutes=i) - APPLE).total_seconds()) * 1_000_000_000
        con.execute(
            "INSERT INTO message (guid, text, attributedBody, handle_id, date, is_from_me, cache_has_attachments)"
            " VALUES (?, ?, ?, 1, ?, 0, ?)",
            (f"G{i}", text, None if body is None else typedstream(body), ns, att),
        )
        con.execute("INSERT INTO chat_message_join (chat_id, message_id) VALUES (1, ?)", (i + 1,))
    con.commit()
    con.close()
    return path


def test_empty_text_reads_attributed_body(chat_db):
    df = rs.read_chat(chat_db)
    assert [t if isinstance(t, str) else None for t in df["text"]] == [r[3] for r in ROWS]
    assert df["kind"].astype(str).tolist() == [r[4] for r in ROWS]
    report = rs.parse_report(df)
    assert report.accounted() and report.messages == len(ROWS)
    # the empty-text row, the NULL row and the U+FFFC-only difference use the blob; the attachment-only
    # rows decode to the bare mark
    assert report.decisions["attributed_body_decoded"] == 4


def test_blob_without_string_is_noticed(tmp_path):
    path = tmp_path / "chat.db"
    con = sqlite3.connect(path)
    con.executescript(SCHEMA)
    ns = int((T0 - APPLE).total_seconds()) * 1_000_000_000
    con.execute("INSERT INTO message (guid, text, attributedBody, date) VALUES ('G', '', X'0102', ?)", (ns,))
    con.commit()
    con.close()
    df = rs.read_chat(path)
    assert df["kind"].astype(str).tolist() == ["other"] and df["text"].isna().all()
    assert any("no readable string" in n for n in rs.parse_report(df).notices)
