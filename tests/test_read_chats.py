"""read_chats: many exports, mixed formats and zones, one valid frame."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import reconnect_signals as rs
from reconnect_signals.errors import UnknownFormat

GOLD = Path(__file__).parent / "data" / "readers_a"  # synthetic fixtures this project wrote

# an Android WhatsApp export (day-first: 13/03 cannot be month-first) and an SMS Backup & Restore
# file, both written here; wall clock vs instants is what the zone tests below need
WHATSAPP = (
    "13/03/2024, 09:00 - Alex: morning\n"
    "13/03/2024, 09:05 - Sam: hi there\n"
    "14/03/2024, 21:06 - Alex: coffee later?\nstill on?\n"
)
SMS = """<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
<smses count="2">
  <sms protocol="0" address="+15550000001" date="1710320400000" type="1" subject="null"
       body="hi from the sms backup" read="1" status="-1" contact_name="Sam" />
  <sms protocol="0" address="+15550000001" date="1710320700000" type="2" subject="null"
       body="hello back" read="1" status="-1" contact_name="Sam" />
</smses>
"""


@pytest.fixture(scope="module")
def MIXED(tmp_path_factory) -> list[Path]:  # named like the module constant it replaced
    """Telegram, Instagram, WhatsApp and SMS exports, all written for this project."""
    folder = tmp_path_factory.mktemp("mixed")
    whatsapp = folder / "WhatsApp Chat with Sam.txt"
    whatsapp.write_text(WHATSAPP, encoding="utf-8")
    sms = folder / "sms-20240314.xml"
    sms.write_text(SMS, encoding="utf-8")
    return [
        GOLD / "telegram_single" / "result.json",
        GOLD / "instagram/your_instagram_activity/messages/inbox/sam_98765/message_1.json",
        whatsapp,
        sms,
    ]


def test_mixed_formats_give_one_valid_frame(MIXED):
    msgs = rs.read_chats(MIXED, tz="Europe/Berlin")
    rs.validate(msgs)
    assert set(msgs["platform"]) == {"telegram", "instagram", "whatsapp", "sms"}
    assert len(rs.parse_report(msgs)) == 4
    assert msgs["edited"].dtype == bool
    per_file = [len(rs.read_chat(p, tz="Europe/Berlin")) for p in MIXED]
    assert len(msgs) == sum(per_file)


def test_folder_and_glob(tmp_path, MIXED):
    for i, p in enumerate(MIXED[:3]):  # distinct names: two of the JSON files are result.json-like
        shutil.copy(p, tmp_path / f"{i}_{p.name}")
    from_folder = rs.read_chats(tmp_path)
    from_glob = rs.read_chats([str(tmp_path / "*.json"), tmp_path / f"2_{MIXED[2].name}"])
    assert from_folder["conversation_id"].nunique() == 3
    assert from_glob is None or len(from_glob) == len(from_folder)


def test_mixed_zones_are_shown_in_utc_not_mixed(MIXED):
    a = rs.read_chat(MIXED[2], tz="America/New_York")
    msgs = rs.read_chats([MIXED[0], MIXED[2]], tz="America/New_York")
    assert str(msgs["timestamp"].dt.tz) == "America/New_York"
    assert msgs.loc[msgs["platform"] == "whatsapp", "timestamp"].tolist() == a["timestamp"].tolist()


def test_a_bad_file_raises_or_is_skipped_and_listed(tmp_path, MIXED):
    bad = tmp_path / "notes.txt"
    bad.write_text("just some notes\n")
    with pytest.raises(UnknownFormat):
        rs.read_chats([MIXED[2], bad])
    msgs = rs.read_chats([MIXED[2], bad], on_error="skip")
    assert len(msgs) == 3  # the three WhatsApp messages
    failed = msgs.attrs["reconnect_signals"]["failed"]
    assert failed[0]["source"].endswith("notes.txt") and "UnknownFormat" in failed[0]["error"]
