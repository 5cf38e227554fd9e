"""Generic table reader: CSV, JSON lines, Parquet, column mapping, offsets, report."""

from __future__ import annotations

import io

import pandas as pd
import pytest

import reconnect_signals as rs
from reconnect_signals.errors import ParseError, ParseWarning


def test_csv_offsets_multiline_and_mapping():
    csv = (
        b"chat,when,who,body\n"
        b'c1,2024-03-14T10:00:00+01:00,Ana,"hi\nthere, you"\n'
        b'c1,2024-03-14T09:30:00Z,Bo,"she said ""ok"""\n'
        b"c2,2024-03-14T12:00:00-05:00,Ana,x\n"
    )
    df = rs.read_chat(
        io.BytesIO(csv),
        format="table",
        kind="csv",
        columns={"chat": "conversation_id", "when": "timestamp", "who": "sender", "body": "text"},
    )
    assert df["text"].tolist() == ["hi\nthere, you", 'she said "ok"', "x"]
    utc = df["timestamp"].dt.tz_convert("UTC").dt.tz_localize(None).tolist()
    assert utc == [pd.Timestamp("2024-03-14 09:00"), pd.Timestamp("2024-03-14 09:30"), pd.Timestamp("2024-03-14 17:00")]
    assert df["conversation_id"].tolist() == ["c1", "c1", "c2"]
    assert df["source_line"].tolist() == [2, 3, 4]  # header is line 1; record rows follow
    rs.validate(df)
    assert rs.parse_report(df).accounted()


def test_naive_timestamps_localised_or_labelled_utc():
    csv = b"timestamp,sender,text\n2024-10-27 02:30,Ana,a\n2024-07-01 12:00,Bo,b\n"
    utc = rs.read_chat(csv, format="table")
    assert utc.attrs["reconnect_signals"]["tz_assumed"] == "UTC"
    berlin = rs.read_chat(csv, format="table", tz="Europe/Berlin")
    assert str(berlin["timestamp"].dt.tz) == "Europe/Berlin"
    assert berlin["timestamp"].iloc[1].utcoffset() == pd.Timedelta(hours=2)


def test_epoch_numbers_by_magnitude():
    csv = b"timestamp,sender,text\n1710406800000,Ana,a\n1710406860000,Bo,b\n"
    df = rs.read_chat(csv, format="table")
    assert df["timestamp"].iloc[0] == pd.Timestamp("2024-03-14 09:00", tz="UTC")
    assert rs.parse_report(df).decisions["timestamp_unit"] == "ms"


def test_bad_rows_reported_with_row_numbers():
    csv = b"timestamp,sender,text\n2024-03-14T10:00:00Z,Ana,ok\nnot a time,Bo,lost?\n2024-03-14T10:05:00Z,,who\n"
    with pytest.warns(ParseWarning, match="2 input records"):
        df = rs.read_chat(csv, format="table")
    assert df["text"].tolist() == ["ok"]
    report = rs.parse_report(df)
    assert [(p.line, p.reason) for p in report.problems] == [(3, "unreadable or missing timestamp"), (4, "no sender")]
    assert report.accounted()
    with pytest.raises(ParseError):
        rs.read_chat(csv, format="table", errors="raise")


def test_jsonl_with_a_broken_record():
    data = (
        b'{"timestamp": "2024-03-14T10:00:00Z", "sender": "Ana", "text": "a"}\n'
        b'{"timestamp": "2024-03-14T10:01:00Z", "sender": "Bo", "text": \n'
        b"\n"
        b'{"timestamp": "2024-03-14T10:02:00Z", "sender": "Bo", "text": "c", "kind": "media"}\n'
    )
    with pytest.warns(ParseWarning):
        df = rs.read_chat(data, format="table")
    assert df["text"].tolist() == ["a", "c"] and df["kind"].tolist() == ["text", "media"]
    report = rs.parse_report(df)
    assert report.problems[0].line == 2 and report.accounted()
    assert rs.detect_format(data) == "table"


def test_parquet_round_trip_of_a_message_frame(tmp_path):
    msgs = rs.read_chat(b"14/03/2024, 10:00 - Ana: hi\n14/03/2024, 10:01 - Bo: yo\nsecond line\n", tz="Europe/Berlin")
    path = tmp_path / "messages.parquet"
    msgs.to_parquet(path)
    back = rs.read_chat(path, tz="Europe/Berlin")
    assert rs.detect_format(path) == "table"
    cols = ["conversation_id", "message_id", "timestamp", "sender", "text", "kind", "platform"]
    pd.testing.assert_frame_equal(back[cols], msgs[cols])


def test_missing_columns_name_the_fix():
    with pytest.raises(ParseError, match=r"columns=\{"):
        rs.read_chat(b"ts,who,msg\n1,2,3\n", format="table", kind="csv")


def test_parquet_row_groups_keep_row_numbers_and_truncation_is_a_parse_error(tmp_path):
    frame = pd.DataFrame(
        {
            "conversation_id": "c",
            "sender": ["Ana", "Bo"] * 5,
            "timestamp": ["2024-03-14T10:00:00Z"] * 9 + ["not a time"],
            "text": list("abcdefghij"),
        }
    )
    path = tmp_path / "t.parquet"
    frame.to_parquet(path, row_group_size=4, index=False)
    whole = rs.read_chat(path, format="table", errors="ignore")
    last = rs.read_chat(path, format="table", errors="ignore", rows=(5, 10))
    assert last["text"].tolist() == list("fghi") and whole["text"].tolist() == list("abcdefghi")
    assert [p.line for p in rs.parse_report(last).problems] == [p.line for p in rs.parse_report(whole).problems] == [9]
    assert last["message_id"].tolist() == whole["message_id"].tolist()[5:] == ["c:5", "c:6", "c:7", "c:8"]
    assert rs.read_chat(path, format="table", rows=(3, 3)).empty
    assert rs.read_chat(path, format="table", rows=(10, 20)).empty
    with pytest.raises(ValueError, match="rows"):
        rs.read_chat(path, format="table", rows=(4, 2))
    with pytest.raises(ValueError, match="Parquet"):
        rs.read_chat(b"timestamp,sender,text\n", format="table", rows=(0, 1))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ParseError, match="not a readable Parquet file"):
        rs.read_chat(path, format="table")
    with pytest.raises(ParseError, match="truncated"):
        rs.read_chat(data[: len(data) // 2], format="table", kind="parquet")
