"""read_chats: many exports, mixed formats and zones, one valid frame."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import reconnect_signals as rs
from reconnect_signals.errors import UnknownFormat

DATA = Path(__file__).parent / "data"
MIXED = [DATA / "telegram/test_single_export.json", DATA / "instagram/test_export.json",
         DATA / "whatsapp/chatistics__chat_4.txt", DATA / "sms/devadvance_sms_small.xml"]


def test_mixed_formats_give_one_valid_frame():
    msgs = rs.read_chats(MIXED, tz="Europe/Berlin")
    rs.validate(msgs)
    assert set(msgs["platform"]) == {"telegram", "instagram", "whatsapp", "sms"}
    assert len(rs.parse_report(msgs)) == 4
    assert msgs["edited"].dtype == bool
    per_file = [len(rs.read_chat(p, tz="Europe/Berlin")) for p in MIXED]
    assert len(msgs) == sum(per_file)


def test_folder_and_glob(tmp_path):
    for p in MIXED[:3]:
        shutil.copy(p, tmp_path / p.name)
    from_folder = rs.read_chats(tmp_path)
    from_glob = rs.read_chats([str(tmp_path / "*.json"), tmp_path / "chatistics__chat_4.txt"])
    assert from_folder["conversation_id"].nunique() == 3
    assert from_glob is None or len(from_glob) == len(from_folder)


def test_mixed_zones_are_shown_in_utc_not_mixed():
    a = rs.read_chat(MIXED[2], tz="America/New_York")
    msgs = rs.read_chats([MIXED[0], MIXED[2]], tz="America/New_York")
    assert str(msgs["timestamp"].dt.tz) == "America/New_York"
    assert msgs.loc[msgs["platform"] == "whatsapp", "timestamp"].tolist() == a["timestamp"].tolist()


def test_a_bad_file_raises_or_is_skipped_and_listed(tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("just some notes\n")
    with pytest.raises(UnknownFormat):
        rs.read_chats([MIXED[2], bad])
    msgs = rs.read_chats([MIXED[2], bad], on_error="skip")
    assert len(msgs) == 3
    failed = msgs.attrs["reconnect_signals"]["failed"]
    assert failed[0]["source"].endswith("notes.txt") and "UnknownFormat" in failed[0]["error"]
