"""Readers B: SMS Backup & Restore XML, iMessage (chat.db, imessage-exporter TXT), Slack,
Google Chat and Hangouts.

Golden-file pattern: ONE synthetic conversation (8 messages between Alex and Sam) is
rendered into every format here, and every parse must equal the same target frame.
"""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import reconnect_signals as rs
from reconnect_signals.errors import ParseError, ParseWarning, UnknownFormat
from reconnect_signals.io import Source
from reconnect_signals.io._registry import ReadOptions, specs
from reconnect_signals.io._report import get_report

from _builders import (
    APPLE,
    CONVERSATION,
    T0,
    _typedstream,
    build_chat_db,
    comparable,
    render_google_chat,
    render_hangouts,
    render_imessage_txt,
    render_slack,
    render_sms,
    target,
)
from _builders import readers_b_inputs as _inputs
from _shared import (
    SLACK_ARCHIVE,
    SMS_DEVADVANCE_E2E,
    SMS_DEVADVANCE_LIB,
    SMS_SHRUGGIETECH,
    shared_path,
)

# third-party samples, read from ../shared through tests/_shared.py (skipped when absent)
SMS_SAMPLES = {
    "devadvance_sms_small.xml": (*SMS_DEVADVANCE_LIB, "sms_small.xml"),
    "devadvance_sms_and_mms_truncated.xml": (*SMS_DEVADVANCE_LIB, "sms_and_mms.xml"),
    **{
        f"devadvance_{n}.xml": (*SMS_DEVADVANCE_E2E, f"{n}.xml")
        for n in ("sample_small", "sample_mms", "corrupt_attachments", "empty")
    },
    **{
        f"shruggietech_{n}.xml": (*SMS_SHRUGGIETECH, f"{n}.xml")
        for n in ("minimal_sms", "minimal_mms", "mixed", "edge_cases", "malformed", "minimal_calls")
    },
}


def sms_sample(name: str) -> Path:
    """A third-party SMS Backup & Restore file by its short name, or skip (no ../shared)."""
    return shared_path(*SMS_SAMPLES[name])


def slack_archive() -> Path:
    """hfaran/slack-export-viewer's test archive, or skip (no ../shared)."""
    return shared_path(*SLACK_ARCHIVE)


# -- the one conversation: rendered into every format by tests/_builders.py --------------


# -- golden: every rendering parses to the same target ---------------------------------


def _read_all_renderings(tmp_path: Path) -> dict[str, pd.DataFrame]:
    db = tmp_path / "chat.db"
    build_chat_db(db)
    txt = tmp_path / "Sam.txt"
    txt.write_bytes(render_imessage_txt())
    return {
        "sms": rs.read_chat(render_sms(), me="Alex"),
        "imessage": rs.read_chat(db, me="Alex", contacts={"+447700900123": "Sam"}),
        "imessage_txt": rs.read_chat(txt, tz="America/New_York", me="Alex"),
        "slack": rs.read_chat(render_slack()),
        "google_chat": rs.read_chat(render_google_chat()),
        "hangouts": rs.read_chat(render_hangouts()),
    }


TIMED_REACTIONS = {"sms", "imessage"}


def test_golden_every_format_parses_to_the_target(tmp_path):
    parsed = _read_all_renderings(tmp_path)
    for name, msgs in parsed.items():
        rs.validate(msgs)
        assert rs.parse_report(msgs).accounted(), name
        assert msgs.attrs["reconnect_signals"]["format"] == name
        want = target(with_reaction=name in TIMED_REACTIONS)
        pd.testing.assert_frame_equal(comparable(msgs), want, check_dtype=False, obj=name)


def test_golden_reactions_without_time_are_counted(tmp_path):
    parsed = _read_all_renderings(tmp_path)
    for name in ("slack", "google_chat", "imessage_txt"):
        assert rs.parse_report(parsed[name]).decisions["reactions"] == 1, name


def test_golden_platform_details(tmp_path):
    parsed = _read_all_renderings(tmp_path)
    sms = parsed["sms"]
    assert sms["conversation_id"].unique().tolist() == ["+447700900123"]
    assert sms["is_from_me"].tolist() == [s == "Alex" for s in target()["sender"]]
    assert sms["platform"].unique().tolist() == ["sms"]
    im = parsed["imessage"]
    assert im["conversation_id"].unique().tolist() == ["iMessage;-;+447700900123"]
    assert im.loc[im["kind"] == "reaction", "reply_to"].tolist() == ["GUID-0003"]
    assert im.loc[im["kind"] == "reaction", "reply_to"].iloc[0] in set(im["message_id"])
    assert rs.parse_report(im).decisions["attributed_body_decoded"] == 1
    assert rs.parse_report(im).decisions["attachments"] == 1
    slack = parsed["slack"]
    assert slack["conversation_id"].unique().tolist() == ["D0DM1"]
    assert slack["message_id"].iloc[0] == f"{int(T0.timestamp())}.000000"
    hang = parsed["hangouts"]
    assert hang["conversation_id"].unique().tolist() == ["UgwCONV"]
    assert hang["message_id"].tolist()[:2] == ["E0", "E1"]


def test_imessage_txt_without_tz_is_labelled_utc(tmp_path):
    txt = tmp_path / "Sam.txt"
    txt.write_bytes(render_imessage_txt(tz="UTC"))
    msgs = rs.read_chat(txt, me="Alex")
    assert msgs.attrs["reconnect_signals"]["tz_assumed"] == "UTC"
    pd.testing.assert_frame_equal(comparable(msgs), target(with_reaction=False), check_dtype=False)


def test_tz_converts_instants_for_display():
    msgs = rs.read_chat(render_sms(), me="Alex", tz="Asia/Tokyo")
    assert str(msgs["timestamp"].dt.tz) == "Asia/Tokyo"
    assert msgs["timestamp"].iloc[0] == T0


# -- SMS: third-party fixtures ------------------------------------------------------------

# counts from the fixtures MANIFEST of the source projects (the count attribute of each file)
SMS_COUNTS = {
    "devadvance_sms_small.xml": 12,
    "devadvance_sample_small.xml": 7,
    "devadvance_sample_mms.xml": 4,
    "devadvance_corrupt_attachments.xml": 2,
    "devadvance_empty.xml": 0,
    "shruggietech_minimal_sms.xml": 1,
    "shruggietech_minimal_mms.xml": 1,
    "shruggietech_edge_cases.xml": 4,
}


@pytest.mark.parametrize("name, count", sorted(SMS_COUNTS.items()))
def test_sms_fixture_counts_match_manifest(name, count):
    msgs = rs.read_chat(sms_sample(name), errors="raise")
    report = rs.parse_report(msgs)
    assert report.accounted()
    assert len(msgs) == count
    assert report.total == count
    assert rs.detect_format(sms_sample(name)) == "sms"


def test_sms_mixed_skips_the_draft():
    msgs = rs.read_chat(sms_sample("shruggietech_mixed.xml"), errors="raise")
    report = rs.parse_report(msgs)
    assert report.total == 4 and len(msgs) == 3
    assert report.skipped_reasons == {"draft (never sent)": 1}
    assert msgs["sender"].tolist() == ["Alice Smith", "Alice Smith", "me"]
    assert msgs["is_from_me"].tolist() == [False, False, True]


def test_sms_small_values():
    msgs = rs.read_chat(sms_sample("devadvance_sms_small.xml"))
    assert msgs["conversation_id"].value_counts().to_dict() == {"+15550000004": 7, "+15550000001": 4, "+15550000003": 1}
    multi = msgs.loc[msgs["text"].str.contains("\n"), "text"].tolist()
    assert multi == ["Body text 10\nBody text 11\nBody text 12"]
    assert msgs["timestamp"].iloc[0] == pd.Timestamp(1512226167463, unit="ms", tz="UTC")
    assert msgs.loc[msgs["is_from_me"].astype(bool), "sender"].unique().tolist() == ["me"]
    assert set(msgs.loc[~msgs["is_from_me"].astype(bool), "sender"]) == {"Contact A", "Contact B", "Contact C"}


def test_sms_edge_cases():
    msgs = rs.read_chat(sms_sample("shruggietech_edge_cases.xml"))
    # no contact_name -> the normalised address; hex references decoded
    assert msgs["sender"].tolist() == ["+15551112222", "me", "Dana Empty", "Eve NoParts"]
    assert msgs["text"].iloc[1] == "Hello \U0001f30d \u2014 this has \u00abspecial\u00bb chars & symbols < > \" '"
    assert msgs["kind"].astype(str).tolist() == ["text", "text", "other", "other"]


def test_sms_mms_parts_and_from_address():
    msgs = rs.read_chat(sms_sample("devadvance_sample_mms.xml"))
    assert msgs["text"].tolist() == [
        "Here is an image attachment",
        "Here is a video attachment",
        "Here is an audio attachment",
        "Here is a PDF attachment",
    ]
    assert rs.parse_report(msgs).decisions["attachments"] == 4
    assert set(msgs["sender"]) == {"Contact C"}
    mms = rs.read_chat(sms_sample("shruggietech_minimal_mms.xml"))
    assert mms["text"].tolist() == ["Hello from MMS!"]


def test_sms_truncated_file_keeps_records_before_the_cut():
    with pytest.warns(ParseWarning, match="could not be placed"):
        msgs = rs.read_chat(sms_sample("devadvance_sms_and_mms_truncated.xml"))
    report = rs.parse_report(msgs)
    assert report.accounted()
    assert len(msgs) == 49  # 44 sms + 5 complete mms precede the cut (the file declares 58)
    assert report.unplaced == 1
    assert "truncated" in report.problems[0].reason
    assert msgs["text"].iloc[-1] == "Body text 55"
    # a group RCS thread keeps its address as conversation id; senders from the 137 address
    group = msgs[msgs["conversation_id"] == "group_8@rcs.google.com"]
    assert group["sender"].tolist() == ["+15550000009", "me", "+15550000010"]
    with pytest.raises(ParseError, match="could not be placed"):
        rs.read_chat(sms_sample("devadvance_sms_and_mms_truncated.xml"), errors="raise")


def test_sms_malformed_is_reported_not_crashed():
    with pytest.warns(ParseWarning):
        msgs = rs.read_chat(sms_sample("shruggietech_malformed.xml"), format="sms")
    assert len(msgs) == 0
    report = rs.parse_report(msgs)
    assert report.accounted() and report.unplaced == 1


def test_sms_calls_backup_not_claimed_but_readable_as_calls():
    with pytest.raises(UnknownFormat):
        rs.detect_format(sms_sample("shruggietech_minimal_calls.xml"))
    calls = rs.read_chat(sms_sample("shruggietech_minimal_calls.xml"), format="sms")
    assert calls["kind"].astype(str).tolist() == ["call"]
    assert calls["sender"].tolist() == ["Alice Smith"]
    assert calls["text"].tolist() == ["incoming call, 125 s"]
    assert rs.parse_report(calls).accounted()


def test_sms_surrogate_pairs_and_bad_references():
    xml = (
        b'<?xml version="1.0" encoding="UTF-8"?><smses count="3">'
        b'<sms address="1" date="1700000000000" type="1" body="&#55357;&#56832;&#10;&#xD83D;&#xDC4B;" />'
        b'<sms address="1" date="1700000001000" type="1" body="lone &#55357; ctrl &#1; ok &#55203;" />'
        b'<sms address="1" date="1700000002000" type="1" body="&#10;&#55357;&#56832;x" />'
        b"</smses>"
    )
    msgs = rs.read_chat(xml)
    assert msgs["text"].tolist() == ["\U0001f600\n\U0001f44b", "lone \ufffd ctrl \ufffd ok \ud7a3", "\n\U0001f600x"]
    notes = " ".join(rs.parse_report(msgs).notices)
    assert "3 surrogate-pair" in notes and "2 references" in notes


def test_sms_reference_pass_across_chunk_boundaries():
    # many emoji so that pairs straddle the 1 MiB read boundary somewhere
    body = "&#55357;&#56832;" * 140_000
    xml = f'<smses count="1"><sms address="1" date="1" type="1" body="{body}" /></smses>'.encode()
    msgs = rs.read_chat(xml)
    assert msgs["text"].iloc[0] == "\U0001f600" * 140_000


def test_sms_entity_bomb_refused():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE smses [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        b'<smses count="1"><sms address="1" date="1" type="1" body="&b;" /></smses>'
    )
    with pytest.raises(ParseError, match="entity"):
        rs.read_chat(bomb, format="sms")


def test_sms_tapback_text_is_a_reaction_and_me_name():
    msgs = rs.read_chat(render_sms(), me="Alex")
    assert msgs.loc[3, "kind"] == "reaction"
    default = rs.read_chat(render_sms())
    assert set(default["sender"]) == {"me", "Sam"}


# -- iMessage -----------------------------------------------------------------------------


def _hashes(paths):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths if p.exists()}


def test_chat_db_untouched_and_wal_rows_read(tmp_path):
    db = tmp_path / "chat.db"
    writer = build_chat_db(db, wal_rows=3)
    try:
        wal = Path(str(db) + "-wal")
        assert wal.stat().st_size > 0  # rows are still in the write-ahead log
        files = [db, wal, Path(str(db) + "-shm")]
        before = _hashes(files)
        # the main file alone lacks the last three messages
        plain = sqlite3.connect(f"file:{db}?mode=ro&immutable=1", uri=True)
        try:
            assert plain.execute("SELECT COUNT(*) FROM message").fetchone()[0] == len(CONVERSATION) - 3
        finally:
            plain.close()
        listing_before = sorted(p.name for p in tmp_path.iterdir())
        msgs = rs.read_chat(db, me="Alex", contacts={"+447700900123": "Sam"})
        assert _hashes(files) == before
        assert sorted(p.name for p in tmp_path.iterdir()) == listing_before
        pd.testing.assert_frame_equal(comparable(msgs), target(), check_dtype=False)
    finally:
        writer.close()


def test_chat_db_read_from_bytes_and_sniffed(tmp_path):
    db = tmp_path / "chat.db"
    build_chat_db(db)
    assert rs.detect_format(db) == "imessage"
    msgs = rs.read_chat(db.read_bytes(), format="imessage", contacts={"+447700900123": "Samantha"})
    assert set(msgs["sender"]) == {"me", "Samantha"}
    assert msgs["is_from_me"].tolist() == [s == "Alex" for s in target()["sender"]]


def test_chat_db_rejects_other_sqlite(tmp_path):
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(UnknownFormat):
        rs.detect_format(other)
    with pytest.raises(ParseError, match="not a Messages chat.db"):
        rs.read_chat(other, format="imessage")


def test_attributed_body_long_length():
    from reconnect_signals.io.imessage import decode_attributed_body

    text = "x" * 300 + " \u00e9\U0001f600"
    assert decode_attributed_body(_typedstream(text)) == text
    assert decode_attributed_body(b"no marker here") is None
    assert decode_attributed_body(b"NSString\x01+\x50short") is None  # length past the end


def test_imessage_txt_replies_renames_and_report():
    txt = (
        b"Jan 04, 2023  6:48:12 PM\nSam\nfirst line\n\nsecond paragraph\n"
        b"    Jan 04, 2023  6:50:00 PM\n    Me\n    a threaded reply\n"
        b"This message responded to an earlier message.\n\n"
        b"Jan 04, 2023  7:01:02 PM You renamed the conversation to Weekend\n\n"
        b"Jan 05, 2023 10:00:00 AM\nSam\nAttachment missing!\n\n"
    )
    msgs = rs.read_chat(txt, format="imessage_txt", tz="Europe/London", me="Alex")
    assert msgs["text"].tolist()[:2] == ["first line\n\nsecond paragraph", "a threaded reply"]
    assert msgs["sender"].tolist()[:2] == ["Sam", "Alex"]
    assert msgs["kind"].astype(str).tolist() == ["text", "text", "system", "media"]
    assert msgs["source_line"].tolist() == [1, 6, 11, 13]
    report = rs.parse_report(msgs)
    assert report.accounted() and report.unplaced == 0


# -- Slack ------------------------------------------------------------------------------


def test_slack_fixture_counts_and_kinds(tmp_path):
    msgs = rs.read_chat(slack_archive(), errors="raise")
    report = rs.parse_report(msgs)
    assert report.accounted()
    assert report.total == 158 and len(msgs) == 158  # MANIFEST: 158 message objects
    assert msgs["conversation_id"].value_counts().to_dict() == {"C0JGLMMNX": 102, "C0JL6CGQ2": 56}
    kinds = msgs["kind"].astype(str).value_counts().to_dict()
    assert kinds == {"system": 105, "text": 50, "media": 3}  # 94 bot_message + 8 joins + 3 bot_add
    assert msgs["edited"].sum() == 1
    assert report.decisions["reactions"] == 1
    people = set(msgs.loc[msgs["kind"] != "system", "sender"])
    # heroeshannibal is a user whose real_name is the user name
    assert people == {"Hamza Faran", "Harry Potter", "Hermione Granger", "heroeshannibal"}
    bot = msgs["subtype"].eq("bot_message") if "subtype" in msgs else msgs["kind"].eq("system")
    bots = set(msgs.loc[bot, "sender"])
    assert "B0JL6RASU" in bots
    # mentions resolved to names, links to their labels
    assert not msgs["text"].str.contains("<@U", regex=False).any()
    for _, conv in msgs.groupby("conversation_id"):
        assert conv["timestamp"].is_monotonic_increasing


def test_slack_folder_equals_zip(tmp_path):
    with zipfile.ZipFile(slack_archive()) as zf:
        for info in zf.infolist():
            if not info.is_dir():
                dest = tmp_path / "export" / info.filename
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(zf.read(info))
    folder = tmp_path / "export"
    assert rs.detect_format(folder) == "slack"
    a = rs.read_chat(folder)
    b = rs.read_chat(slack_archive())
    pd.testing.assert_frame_equal(a, b)


def test_slack_threads_and_bad_records():
    users = [{"id": "U1", "name": "a", "real_name": "Ann"}]
    msgs = [
        {"type": "message", "user": "U1", "text": "root", "ts": "1700000000.000100", "thread_ts": "1700000000.000100"},
        {
            "type": "message",
            "user": "U1",
            "text": "reply <https://x.org|x> &lt;3",
            "ts": "1700000005.000200",
            "thread_ts": "1700000000.000100",
            "edited": {"user": "U1", "ts": "1700000006.0"},
        },
        {"type": "message", "subtype": "channel_topic", "user": "U1", "text": "set topic", "ts": "1700000007.000000"},
        {"type": "message", "text": "no ts"},
    ]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("users.json", json.dumps(users))
        zf.writestr("channels.json", json.dumps([{"id": "C9", "name": "general"}]))
        zf.writestr("general/2023-11-14.json", json.dumps(msgs))
        zf.writestr("general/2023-11-15.json", "{not json")
    with pytest.warns(ParseWarning):
        out = rs.read_chat(buf.getvalue())
    assert out["reply_to"].isna().iloc[0]
    assert out["reply_to"].iloc[1] == "1700000000.000100"
    assert out["text"].iloc[1] == "reply x <3"
    # the micro-second fraction of ts is kept exactly (no float rounding)
    assert out["timestamp"].dt.microsecond.tolist() == [100, 200, 0]
    assert out["edited"].tolist() == [False, True, False]
    assert out["kind"].astype(str).tolist() == ["text", "text", "system"]
    report = rs.parse_report(out)
    assert report.accounted() and report.unplaced == 2


# -- Google Chat / Hangouts --------------------------------------------------------------


def test_google_chat_takeout_zip_and_deleted():
    doc = json.loads(render_google_chat())
    doc["messages"].append(
        {
            "creator": {"name": "Sam", "email": "sam@example.com"},
            "created_date": "Friday, March 1, 2024 at 7:00:00 PM GMT",
            "message_state": "DELETED",
            "text": "",
        }
    )
    doc["messages"].append({"creator": {"name": "Sam"}, "created_date": "sometime last week", "text": "?"})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("Takeout/Google Chat/Groups/DM abc123/messages.json", json.dumps(doc))
        zf.writestr("Takeout/Google Chat/Groups/DM abc123/group_info.json", json.dumps({"members": []}))
        zf.writestr("Takeout/Google Chat/Users/User 1/user_info.json", json.dumps({"user": {}}))
    assert rs.detect_format(buf.getvalue()) == "google_chat"
    with pytest.warns(ParseWarning, match="could not be placed"):
        msgs = rs.read_chat(buf.getvalue())
    assert msgs["conversation_id"].unique().tolist() == ["DM abc123"]
    assert msgs["kind"].astype(str).iloc[-1] == "deleted"
    assert pd.isna(msgs["text"].iloc[-1])
    report = rs.parse_report(msgs)
    assert report.accounted() and report.unplaced == 1 and report.total == 9


def test_google_chat_zone_abbreviations():
    from reconnect_signals.io.google_chat import parse_created_date

    s = pd.Series(
        [
            "Tuesday, July 4, 2023 at 11:00:00 AM PDT",
            "July 4, 2023 at 20:00:00 CEST",
            "Tuesday, July 4, 2023 at 6:00:00 PM XYZ",
        ]
    )
    report = rs.io.ParseReport(source="x", format="google_chat")
    out = parse_created_date(s, "Europe/London", report)
    assert out.tolist()[:2] == [pd.Timestamp("2023-07-04 18:00", tz="UTC")] * 2
    assert out.iloc[2] == pd.Timestamp("2023-07-04 17:00", tz="UTC")  # read in Europe/London (BST)
    assert "XYZ" in report.notices[0]


def test_hangouts_old_layout_and_events():
    doc = {
        "conversation_state": [
            {
                "conversation_id": {"id": "C1"},
                "conversation_state": {
                    "conversation": {
                        "id": {"id": "C1"},
                        "participant_data": [
                            {"id": {"gaia_id": "1"}, "fallback_name": "Ann"},
                            {"id": {"gaia_id": "2"}},
                        ],
                    },
                    "event": [
                        {
                            "sender_id": {"gaia_id": "1"},
                            "timestamp": "1400000000000000",
                            "event_id": "a",
                            "chat_message": {"message_content": {"segment": [{"type": "TEXT", "text": "hello"}]}},
                        },
                        {
                            "sender_id": {"gaia_id": "2"},
                            "timestamp": "1400000060000000",
                            "event_id": "b",
                            "hangout_event": {"event_type": "END_HANGOUT"},
                        },
                        {
                            "sender_id": {"gaia_id": "1"},
                            "timestamp": "1400000090000000",
                            "event_id": "c",
                            "membership_change": {"type": "JOIN"},
                            "event_type": "ADD_USER",
                        },
                        {"sender_id": {"gaia_id": "1"}, "event_id": "d"},
                    ],
                },
            }
        ]
    }
    raw = json.dumps(doc).encode()
    assert rs.detect_format(raw) == "hangouts"
    with pytest.warns(ParseWarning):
        msgs = rs.read_chat(raw)
    assert msgs["sender"].tolist() == ["Ann", "2", "Ann"]
    assert msgs["kind"].astype(str).tolist() == ["text", "call", "system"]
    assert msgs["timestamp"].iloc[0] == pd.Timestamp(1400000000, unit="s", tz="UTC")
    assert rs.parse_report(msgs).accounted()


# -- registry: sniffers claim their own inputs and not the others' -------------------------

MY_FORMATS = {"sms", "imessage", "imessage_txt", "slack", "google_chat", "hangouts"}


def test_registered_with_where_text():
    formats = rs.list_formats().set_index("format")
    for name in MY_FORMATS:
        assert name in formats.index
        assert len(formats.loc[name, "where"]) > 40
    assert formats.loc["imessage", "platform"] == "imessage"
    assert formats.loc["hangouts", "platform"] == "hangouts"


def test_each_sniffer_claims_only_its_own(tmp_path):
    inputs = _inputs(tmp_path)
    for name, data in inputs.items():
        src = Source(data)
        assert rs.detect_format(src) == name
        for other in MY_FORMATS - {name}:
            assert specs()[other].sniff(Source(data)) == 0.0, (other, name)


def test_each_sniffer_claims_only_its_own_on_third_party_samples():
    assert rs.detect_format(slack_archive().read_bytes()) == "slack"
    for f in map(sms_sample, SMS_SAMPLES):
        for other in MY_FORMATS - {"sms"}:
            assert specs()[other].sniff(Source(f)) == 0.0, (other, f.name)


def test_read_options_are_validated():
    with pytest.raises(TypeError, match="does not take"):
        rs.read_chat(render_slack(), me="Alex")
    df, reports = specs()["sms"].read(Source(render_sms()), ReadOptions(extra={"me": "Alex"}))
    assert len(reports) == 1 and reports[0].messages == len(CONVERSATION)
    assert np.array_equal(df["is_from_me"].to_numpy(dtype=bool), target()["sender"].eq("Alex").to_numpy())


def test_sms_region_merges_national_and_international_numbers():
    xml = (
        b'<smses count="3">'
        b'<sms address="07700 900123" date="1700000000000" type="1" body="a" contact_name="(Unknown)" />'
        b'<sms address="+44 7700 900123" date="1700000001000" type="2" body="b" />'
        b'<mms date="1700000002000" msg_box="1" address="07700900123~07700900456"><parts>'
        b'<part ct="text/plain" text="c" /></parts><addrs><addr address="07700 900456" type="137" /></addrs></mms>'
        b"</smses>"
    )
    plain = rs.read_chat(xml)
    assert plain["conversation_id"].nunique() == 3
    msgs = rs.read_chat(xml, region="GB")
    assert msgs["conversation_id"].tolist() == ["+447700900123", "+447700900123", "+447700900123~+447700900456"]
    assert msgs["sender"].tolist() == ["+447700900123", "me", "+447700900456"]
    assert msgs["message_id"].tolist() == ["+447700900123:0", "+447700900123:1", "+447700900123~+447700900456:0"]


def test_hostile_inputs_give_clear_errors(tmp_path):
    from reconnect_signals.errors import LimitExceeded
    from reconnect_signals.io import Limits

    with pytest.raises(LimitExceeded, match="max_bytes"):
        rs.read_chat(render_sms(), format="sms", limits=Limits(max_bytes=100))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("users.json", "[]")
        zf.writestr("channels.json", "[]")
        zf.writestr("../evil/2024-01-01.json", "[]")
    with pytest.raises(ParseError, match="unsafe member names"):
        rs.read_chat(buf.getvalue(), format="slack")
    broken = tmp_path / "chat.db"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    with pytest.raises(ParseError):
        rs.read_chat(broken, format="imessage")
    with pytest.raises(ParseError, match="not an SMS Backup"):
        rs.read_chat(b"<?xml version='1.0'?><html><body/></html>", format="sms")


def test_imessage_txt_custom_name_is_me():
    txt = b"Jan 04, 2023  6:48:12 PM\nAlex\nhello\n\n"
    msgs = rs.read_chat(txt, format="imessage_txt", me="Alex")
    assert msgs["is_from_me"].tolist() == [True]


def test_out_of_range_times_are_problems_not_crashes():
    xml = (
        b'<smses count="2"><sms address="1" date="99999999999999999999" type="1" body="far" />'
        b'<sms address="1" date="1700000000000" type="1" body="ok" /></smses>'
    )
    with pytest.warns(ParseWarning):
        msgs = rs.read_chat(xml)
    assert msgs["text"].tolist() == ["ok"]
    assert rs.parse_report(msgs).accounted()


def test_chat_db_replies_unsent_and_system_rows(tmp_path):
    db = tmp_path / "chat.db"
    build_chat_db(db)
    con = sqlite3.connect(db)
    con.execute("ALTER TABLE message ADD COLUMN date_retracted INTEGER DEFAULT 0")
    con.execute("ALTER TABLE message ADD COLUMN thread_originator_guid TEXT")
    base = int((T0 + pd.Timedelta(hours=1) - APPLE).total_seconds())
    rows = [
        ("R1", "inline reply", 1, base, 0, 0, 0, "GUID-0001"),
        ("R2", None, 0, base + 1, 1, 0, base + 5, None),  # unsent by me
        ("R3", None, 1, base + 2, 0, 2, 0, None),  # group renamed
    ]
    for guid, text, handle, date, me, item, retracted, origin in rows:
        con.execute(
            "INSERT INTO message (guid, text, handle_id, date, is_from_me, item_type, date_retracted, "
            "thread_originator_guid) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (guid, text, handle, date, me, item, retracted, origin),
        )
        rowid = con.execute("SELECT last_insert_rowid()").fetchone()[0]
        con.execute("INSERT INTO chat_message_join (chat_id, message_id) VALUES (1, ?)", (rowid,))
    con.commit()
    con.close()
    msgs = rs.read_chat(db).set_index("message_id")
    assert msgs.loc["R1", "reply_to"] == "GUID-0001"
    assert msgs.loc["R2", "kind"] == "deleted"
    assert msgs.loc["R3", "kind"] == "system"
    assert msgs.loc["GUID-0004", "reply_to"] == "GUID-0003"


def test_slack_connect_guest_named_from_user_profile_and_calls():
    msgs = [
        {
            "type": "message",
            "user": "U9EXT",
            "text": "hello from outside",
            "ts": "1700000000.000001",
            "user_profile": {"real_name": "Guest Person", "display_name": "guest"},
        },
        {"type": "message", "subtype": "sh_room_created", "user": "U9EXT", "text": "", "ts": "1700000001.000001"},
    ]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("users.json", "[]")
        zf.writestr("channels.json", json.dumps([{"id": "C1", "name": "shared"}]))
        zf.writestr("shared/2023-11-14.json", json.dumps(msgs))
    out = rs.read_chat(buf.getvalue())
    assert out["sender"].tolist() == ["Guest Person", "Guest Person"]
    assert out["kind"].astype(str).tolist() == ["text", "call"]


def test_takeout_folder_with_chat_and_hangouts(tmp_path):
    root = tmp_path / "Takeout"
    group = root / "Google Chat" / "Groups" / "DM abc123"
    group.mkdir(parents=True)
    (group / "messages.json").write_bytes(render_google_chat())
    (root / "Hangouts").mkdir()
    (root / "Hangouts" / "Hangouts.json").write_bytes(render_hangouts())
    assert rs.detect_format(root) == "google_chat"  # the newer product wins; ask for the other
    chat = rs.read_chat(root)
    assert chat["conversation_id"].unique().tolist() == ["DM abc123"]
    pd.testing.assert_frame_equal(comparable(chat), target(with_reaction=False), check_dtype=False)
    hang = rs.read_chat(root, format="hangouts")
    pd.testing.assert_frame_equal(comparable(hang), target(with_reaction=False), check_dtype=False)
    single = rs.read_chat(group / "messages.json")
    assert single["conversation_id"].unique().tolist() == ["DM abc123"]


def test_google_chat_thread_replies():
    mk = lambda mid, text, minute: {  # noqa: E731
        "creator": {"name": "Ann", "email": "ann@example.com"},
        "text": text,
        "message_id": mid,
        "created_date": f"Monday, April 27, 2015 at 8:{minute:02d}:01 PM UTC",
        "topic_id": mid.split("/")[1],
    }
    doc = {"messages": [mk("G1/T1/T1", "thread start", 1), mk("G1/T1/M2", "in thread", 2), mk("G1/T3/T3", "new", 3)]}
    msgs = rs.read_chat(json.dumps(doc).encode())
    assert msgs["message_id"].tolist() == ["G1/T1/T1", "G1/T1/M2", "G1/T3/T3"]
    assert msgs["reply_to"].tolist()[1] == "G1/T1/T1"
    assert msgs["reply_to"].isna().tolist() == [True, False, True]


def test_imessage_txt_conversation_id_from_file_name(tmp_path):
    txt = render_imessage_txt()
    assert rs.read_chat(txt, format="imessage_txt")["conversation_id"].unique().tolist() == ["imessage"]
    path = tmp_path / "+447700900123.txt"
    path.write_bytes(txt)
    msgs = rs.read_chat(path)
    assert msgs["conversation_id"].unique().tolist() == ["+447700900123"]
    assert msgs["message_id"].tolist()[:2] == ["+447700900123:0", "+447700900123:1"]


# -- wrong-typed fields become reported problems (regressions from tests/test_hostile.py) -------------


def _read_reported(data: bytes, fmt: str):
    with pytest.warns(ParseWarning, match="could not be placed"):
        out = rs.read_chat(data, format=fmt)
    reports = get_report(out)
    assert all(r.accounted() for r in reports)
    return out, reports


def test_google_chat_wrong_typed_creator_and_reactions_are_reported():
    def mk(text, minute, **extra):
        return {
            "creator": {"name": "Ann"},
            "text": text,
            "created_date": f"Monday, April 27, 2015 at 8:{minute:02d}:01 PM UTC",
        } | extra

    doc = {
        "messages": [
            mk("one", 1, creator=-1),
            mk("two", 2, reactions=7),
            mk("three", 3, creator={"name": ["x"]}),
            mk("four", 4) | {"text": {"k": None}},
            mk("five", 5, reactions=[{"emoji": {"unicode": "x"}, "reactor_emails": ["a@b", "c@d"]}]),
        ]
    }
    out, [report] = _read_reported(json.dumps(doc).encode(), "google_chat")
    assert out["text"].tolist() == ["two", "five"]
    assert (report.total, report.messages, report.unplaced) == (5, 2, 3)
    reasons = [p.reason for p in report.problems]
    assert reasons[0].startswith("'creator' is a number, expected an object")
    assert reasons[1].startswith("'creator.name' is a list, expected a string")
    assert reasons[2].startswith("'text' is an object, expected a string")
    assert [p.line for p in report.problems] == [0, 2, 3]
    assert report.decisions["reactions"] == 2
    assert any("malformed 'reactions'" in n for n in report.notices)


def test_hangouts_wrong_typed_fields_are_reported():
    def event(text, us, **extra):
        return {
            "sender_id": {"gaia_id": "7"},
            "timestamp": str(us),
            "event_id": f"E{us}",
            "chat_message": {"message_content": {"segment": [{"type": "TEXT", "text": text}]}},
            **extra,
        }

    meta = {
        "id": {"id": "C1"},
        "participant_data": [{"id": {"gaia_id": "7"}, "fallback_name": "Sam"}, {"id": {"gaia_id": ["x"]}}],
    }
    bad_text = event("x", 1709316000000002)
    bad_text["chat_message"]["message_content"]["segment"][0]["text"] = -1
    good = {
        "conversation": {"conversation": meta},
        "events": [
            event("hi", 1709316000000000),
            event("y", 1709316000000001, sender_id=-1),
            bad_text,
            {"timestamp": "1709316000000003", "hangout_event": {"event_type": ["END"]}},
        ],
    }
    broken = {"conversation": {"conversation": {"id": {"id": 5}}}, "events": [event("lost", 1), event("lost", 2)]}
    doc = {"conversations": ["a", good, broken]}
    out, [report] = _read_reported(json.dumps(doc).encode(), "hangouts")
    assert out[["conversation_id", "sender", "text"]].values.tolist() == [["C1", "Sam", "hi"]]
    # one unreadable conversation (1 unit), 3 bad events, 2 events of a conversation with a bad id
    assert (report.total, report.messages, report.unplaced) == (7, 1, 6)
    reasons = [p.reason for p in report.problems]
    assert reasons[0].startswith("a conversation is a string, expected an object")
    assert reasons[1].startswith("'sender_id' is a number, expected an object")
    assert reasons[2].startswith("'segment.text' is a number, expected a string")
    assert reasons[3].startswith("'hangout_event.event_type' is a list, expected a string")
    assert reasons[4].startswith("'conversation.id.id' is a number") and "2 event(s)" in reasons[4]
    assert any("participant_data" in n for n in report.notices)
    with pytest.raises(ParseError, match="'conversations' is an object, expected a list"):
        rs.read_chat(json.dumps({"conversations": {"k": None}}).encode(), format="hangouts")


def test_slack_wrong_typed_fields_are_reported():
    users = [{"id": "U1", "real_name": "Ann"}, {"id": ["U2"], "name": "bad"}, {"id": "U3", "profile": 5}]
    msgs = [
        {"type": "message", "user": ["a", 1], "text": "list user", "ts": "1700000000.000100"},
        {
            "type": "message",
            "user": "U1",
            "text": "fine",
            "ts": "1700000001.000100",
            "reactions": [{"name": "+1", "count": 2}],
        },
        {"type": "message", "user": "U1", "text": 42, "ts": "1700000002.000100"},
        {"type": "message", "user": "U1", "text": "odd reactions", "ts": "1700000003.000100", "reactions": -1},
        {"type": "message", "user": "U1", "text": "bot?", "ts": "1700000004.000100", "bot_profile": "x"},
    ]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("users.json", json.dumps(users))
        zf.writestr("channels.json", json.dumps([{"id": "C9", "name": "general"}, {"id": 3, "name": "x"}]))
        zf.writestr("general/2023-11-14.json", json.dumps(msgs))
    out, [report] = _read_reported(buf.getvalue(), "slack")
    assert out[["sender", "text"]].values.tolist() == [["Ann", "fine"], ["Ann", "odd reactions"]]
    assert (report.total, report.messages, report.unplaced) == (5, 2, 3)
    reasons = [p.reason for p in report.problems]
    assert reasons[0].startswith("'user' is a list, expected a string")
    assert reasons[1].startswith("'text' is a number, expected a string")
    assert reasons[2].startswith("'bot_profile' is a string, expected an object")
    assert report.decisions["reactions"] == 2
    notices = " ".join(report.notices)
    assert "2 malformed entries in users.json" in notices and "1 entries of channels.json" in notices
    assert "malformed 'reactions'" in notices


def test_chat_db_invalid_utf8_and_damaged_pages_are_reported(tmp_path):
    db = tmp_path / "chat.db"
    build_chat_db(db)
    con = sqlite3.connect(db)
    con.execute("UPDATE message SET text = CAST(X'6361666580' AS TEXT) WHERE guid = 'GUID-0001'")  # 'cafe' + 0x80
    con.commit()
    con.close()
    msgs = rs.read_chat(db).set_index("message_id")
    assert msgs.loc["GUID-0001", "text"] == "cafe\ufffd"
    assert len(msgs) == len(CONVERSATION)
    report = rs.parse_report(msgs)
    assert report.accounted()
    assert any(n.startswith("1 text values in the database are not valid UTF-8") for n in report.notices)
    # a damaged b-tree page of the chat tables: the messages are kept, the loss is named
    data = bytearray(db.read_bytes())
    con = sqlite3.connect(db)
    page = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'chat'").fetchone()[0]
    size = con.execute("PRAGMA page_size").fetchone()[0]
    con.close()
    data[(page - 1) * size : (page - 1) * size + 100] = b"\xff" * 100
    damaged = rs.read_chat(bytes(data), format="imessage")
    assert damaged["text"].tolist()[1:] == msgs.sort_values("timestamp")["text"].tolist()[1:]
    assert set(damaged["conversation_id"]) == {"orphaned"}
    report = rs.parse_report(damaged)
    assert report.decisions["damaged_tables"] == ["chat tables"]
    assert "malformed" in report.notices[0] and "'orphaned'" in report.notices[0]
    assert any("integrity check" in n and ".recover" in n for n in report.notices)
