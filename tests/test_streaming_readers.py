"""Messenger and Discord JSON parsed message by message (bounded memory) read exactly as parsed whole."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import reconnect_signals as rs
from reconnect_signals.io import discord, messenger, telegram

GOLD = Path(__file__).parent / "data" / "readers_a"
CASES = {
    "messenger_thread": (GOLD / "messenger" / "inbox" / "sam_1234567", "messenger"),
    "messenger_inbox": (GOLD / "messenger" / "inbox", "messenger"),
    "instagram": (GOLD / "instagram/your_instagram_activity/messages/inbox/sam_98765/message_1.json", "instagram"),
    "discord": (GOLD / "discord" / "Direct Messages - Sam [555].json", "discord"),
}


def _stream_everything(monkeypatch, batch: int = 2) -> None:
    monkeypatch.setattr(messenger, "_STREAM_ABOVE", 0)
    monkeypatch.setattr(discord, "_STREAM_ABOVE", 0)
    monkeypatch.setattr(telegram, "_BATCH", batch)


@pytest.mark.parametrize("case", sorted(CASES))
def test_streamed_equals_whole(case, monkeypatch):
    path, fmt = CASES[case]
    whole = rs.read_chat(path, format=fmt, tz="Europe/London")
    _stream_everything(monkeypatch)
    streamed = rs.read_chat(path, format=fmt, tz="Europe/London")
    pd.testing.assert_frame_equal(streamed, whole)
    reports = rs.parse_report(streamed)
    for r in reports if isinstance(reports, list) else [reports]:
        assert r.decisions.get("streamed") and r.accounted()


def test_streamed_zip_member_and_equal_timestamps(monkeypatch, tmp_path):
    # three messages at the same instant keep their export order when streamed in batches of one
    msgs = [
        {"sender_name": n, "timestamp_ms": 1717232400000, "content": c}
        for n, c in (("Sam", "third"), ("Alex", "second"), ("Sam", "first"))
    ]
    doc = {"participants": [{"name": "Alex"}, {"name": "Sam"}], "messages": msgs, "thread_path": "inbox/sam_1"}
    z = tmp_path / "facebook.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("messages/inbox/sam_1/message_1.json", json.dumps(doc))
    whole = rs.read_chat(z, format="messenger")
    _stream_everything(monkeypatch, batch=1)
    streamed = rs.read_chat(z, format="messenger")
    assert streamed["text"].tolist() == ["first", "second", "third"]
    pd.testing.assert_frame_equal(streamed, whole)


@pytest.mark.parametrize(
    "fmt,data",
    [
        ("discord", b'{"guild": {}, "channel": {"id": "1"}, "messages": [{"id": "1", "timestamp": '),
        ("messenger", b'{"participants": [], "messages": [{"sender_name": "A", "timestamp_ms": 1}'),
        ("discord", b'{"guild": {}, "channel": {"id": "1"}}'),
    ],
)
def test_streamed_broken_json_is_a_parse_error(fmt, data, monkeypatch):
    _stream_everything(monkeypatch)
    with pytest.raises(rs.ParseError):
        rs.read_chat(data, format=fmt)
