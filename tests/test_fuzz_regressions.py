"""Every crash the fuzzers found, as the smallest input that shows it (issue 21).

Each test writes its own input; none reads third-party data. The contract (SECURITY.md):
any input gives a valid message frame or an error of the library's hierarchy.
"""

from __future__ import annotations

import ast
import json
import re
import sqlite3
import warnings
from pathlib import Path

import pytest

import reconnect_signals as rs
from reconnect_signals.errors import ParseError, ParseWarning
from reconnect_signals.io.imessage import decode_attributed_body

PACKAGE = Path(rs.__file__).parent


def _telegram_with_text(text_json: str) -> bytes:
    head = (
        '{"name": "Sam", "type": "personal_chat", "id": 1, "messages": [{"id": 1, "type": "message", '
        '"date": "2024-01-01T10:00:00", "date_unixtime": "1704103200", "from": "Sam", "from_id": "user1", '
        '"text": '
    )
    return (head + text_json + "}]}").encode()


@pytest.mark.parametrize("fmt", ["auto", "telegram"])
def test_result_json_nested_200000_arrays_deep_is_a_parse_error(tmp_path, fmt):
    # found by hand (issue 21): the table reader's sniffer decoded the first line with json.loads
    path = tmp_path / "result.json"
    path.write_bytes(_telegram_with_text("[" * 200_000 + "]" * 200_000))
    with pytest.raises(ParseError, match="nests too deeply"):
        rs.read_chat(path, format=fmt)


@pytest.mark.parametrize(
    ("fmt", "data"),
    [
        ("table", b'{"timestamp": "2024-01-01T10:00:00Z", "sender": "Sam", "text": ' + b"[" * 100_000 + b"\n"),
        ("signal", b"[" * 100_000),
        ("discord", b'{"guild": {}, "channel": {}, "messages": ' + b"[" * 100_000 + b"}"),
    ],
    ids=["table-jsonl", "signal-json", "discord"],
)
def test_deep_json_never_escapes_as_recursion_error(fmt, data):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ParseWarning)
        try:
            df = rs.read_chat(data, format=fmt)
        except ParseError:
            return
    rs.validate(df)


def test_readers_decode_json_only_through_the_guarded_entry_point():
    """``io/_json.loads`` is the one door to the JSON decoder (RecursionError becomes ParseError)."""
    offenders = []
    for path in sorted((PACKAGE / "io").glob("*.py")):
        if path.name in ("_json.py", "_report.py"):  # _report round-trips its own decisions, never input
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("loads", "load")
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "json"
            ):
                offenders.append(f"{path.name}:{node.lineno}")
            # the pull parsers' door too: a JSONDecoder of their own bypasses io/_json.decode_at
            if isinstance(node, ast.Attribute) and node.attr in ("JSONDecoder", "raw_decode", "scanstring"):
                offenders.append(f"{path.name}:{node.lineno} ({node.attr})")
    assert offenders == []


def _chat_db(tmp_path: Path, script: str) -> Path:
    path = tmp_path / "chat.db"
    con = sqlite3.connect(path)
    con.executescript(script)
    con.commit()
    con.close()
    return path


def test_message_table_of_unexpected_shape_reads_with_its_real_row_key(tmp_path):
    # issue 21: a 'message' table without the ROWID column in PRAGMA table_info was read with
    # NULL row keys and raised a bare TypeError; the implicit ROWID is the key
    path = _chat_db(tmp_path, "CREATE TABLE message (a, b); INSERT INTO message VALUES (1, NULL);")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ParseWarning)
        df = rs.read_chat(path, format="imessage")
    rs.validate(df)
    assert len(df) == 0
    report = rs.parse_report(df)
    assert [p.line for p in report.problems] == [1] and report.accounted()


@pytest.mark.parametrize(
    ("script", "match"),
    [
        (
            "CREATE TABLE message (ROWID, date); INSERT INTO message VALUES (NULL, 1);",
            r"column 'ROWID' holds 1 null value\(s\)",
        ),
        (
            "CREATE TABLE message (ROWID, date); INSERT INTO message VALUES ('x', 1);",
            r"column 'ROWID' holds 1 text value\(s\)",
        ),
        (
            "CREATE TABLE message (date, attributedBody); INSERT INTO message VALUES (1, 5);",
            r"column 'attributedBody' holds 1 integer value\(s\) \(first at row 1\)",
        ),
        (
            "CREATE TABLE message (date PRIMARY KEY, text) WITHOUT ROWID; INSERT INTO message VALUES (1, 'hi');",
            "has no ROWID",
        ),
        (
            "CREATE TABLE m2 (ROWID INTEGER PRIMARY KEY, date); CREATE VIEW message AS SELECT * FROM m2;",
            "no 'message' table",
        ),
    ],
    ids=["null-rowid", "text-rowid", "int-attributed-body", "without-rowid", "view-named-message"],
)
def test_message_table_holding_values_of_the_wrong_type_is_a_parse_error_naming_them(tmp_path, script, match):
    with pytest.raises(ParseError, match=match):
        rs.read_chat(_chat_db(tmp_path, script), format="imessage")


def test_attributed_body_stored_as_text_is_decoded_not_a_type_error(tmp_path):
    # issue 21, session-5 campaign (imessage): a chat.db whose attributedBody holds TEXT (the schema
    # check allows it) raised "TypeError: string argument without an encoding" from bytes(str)
    blob = "\x04\x0bstreamtyped\x84\x01@\x84\x84\x84\x08NSString\x01\x94\x84\x01+\x05hello\x86"
    script = (
        "CREATE TABLE message (ROWID INTEGER PRIMARY KEY, guid, text, attributedBody, date, is_from_me);"
        f"INSERT INTO message VALUES (1, 'g1', NULL, '{blob}', 0, 0);"
        "INSERT INTO message VALUES (2, 'g2', '', 'no typedstream here', 60000000000, 1);"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ParseWarning)
        df = rs.read_chat(_chat_db(tmp_path, script), format="imessage")
    rs.validate(df)
    assert df["text"].iloc[0] == "hello" and df["text"].isna().iloc[1], df["text"].tolist()
    assert decode_attributed_body(blob) == "hello" == decode_attributed_body(blob.encode("utf-8"))
    assert rs.parse_report(df).accounted()


@pytest.mark.parametrize(
    "data",
    [
        b"timestamp,sender,text\n2024-01-01 10:00 UTC,a,hi\n2024-01-01 11:00,b,yo\n",
        b'timestamp,sender,text\n2024-01-01T10:00:00Z,a,hi\n"2024-01-01T11:00:00Z ",b,yo\n2024-01-01T12:00:00,a,ok\n',
    ],
    ids=["zone-name-beside-naive", "offset-before-a-space"],
)
def test_table_timestamps_with_a_zone_in_another_form_are_read_not_a_pandas_error(data):
    # issue 21, session-5 campaign (table): a zone that the trailing-offset check does not see made pandas
    # return aware times where naive ones were expected ("Mixed timezones detected" ValueError, or
    # "Already tz-aware" TypeError); they are read as UTC instants and the report says so
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ParseWarning)
        df = rs.read_chat(data, format="table")
    rs.validate(df)
    report = rs.parse_report(df)
    assert report.accounted() and df["timestamp"].notna().all() and len(df) == data.count(b"\n") - 1
    assert any("time zone in a form other than" in n for n in report.notices)


@pytest.mark.parametrize(
    "data",
    [
        b"timestamp,sender,text" + b"," * 5000 + b"\n2024-01-01T10:00:00,a,hi\n",
        json.dumps(
            {"timestamp": "2024-01-01T10:00:00", "sender": "a", "text": "hi", **{f"k{i}": 1 for i in range(2000)}}
        ).encode(),
        (
            json.dumps({"timestamp": "2024-01-01T10:00:00", "sender": "a", "text": "hi"})
            + "\n"
            + "\n".join(json.dumps({f"k{i}": 1}) for i in range(1100))
        ).encode(),
    ],
    ids=["csv-header", "jsonl-record", "jsonl-keys-over-records"],
)
def test_table_with_thousands_of_columns_is_refused_before_pandas_builds_them(data):
    # issue 21, session-5 campaign (table): a 424 KB CSV whose header was 212,251 empty fields took 19 CPU-s
    # (pandas builds one column per field) before failing for want of a timestamp column
    with pytest.raises(ParseError, match=r"columns \(more than 1,000\)"):
        rs.read_chat(data, format="table")


def test_table_first_record_with_more_fields_than_the_header_keeps_the_columns():
    # issue 21, session-5 campaign (auto): pandas made the extra leading fields an index, shifting every
    # column (a 5.6 KB file: a 2,500-level MultiIndex, 3 CPU-s, and no message read)
    data = b"timestamp,sender,text\n2024-01-01T10:00:00,a,hi,,\n2024-01-01T11:00:00,b,yo\n"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ParseWarning)
        df = rs.read_chat(data, format="table")
    assert df[["sender", "text"]].values.tolist() == [["a", "hi"], ["b", "yo"]]
    report = rs.parse_report(df)
    assert report.accounted() and any("more fields than the header" in n for n in report.notices)


def test_json_too_deep_has_the_decode_error_fields_readers_report():
    from reconnect_signals.io._json import TooDeep, loads

    with pytest.raises(TooDeep) as info:
        loads("[" * 100_000)
    assert info.value.msg == "nested too deeply" and isinstance(info.value, ParseError)
    assert loads(json.dumps({"a": [1]})) == {"a": [1]}


# -- found by the fuzz campaigns (tests/fuzz, benchmarks/fuzz.py) ------------------------------------

import test_hostile as _h  # noqa: E402  (the project's own export generators; tests/ is on sys.path)


def _read(fmt, data, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ParseWarning)
        df = rs.read_chat(data, format=fmt, errors="ignore", **kwargs)
    rs.validate(df)
    return df


@pytest.mark.parametrize(
    "name", ["telegram", "messenger", "instagram", "hangouts", "discord_json", "google_chat", "signal_json"]
)
def test_lone_surrogate_escape_in_json_text_becomes_a_replacement_character(name):
    # found: "\udfff" in a JSON string reached pyarrow as an unencodable str (UnicodeEncodeError)
    data = _h.RENDER[name][1](["hi LONE there", "ok PAIR"])
    data = data.replace(b"LONE", b"\\udfff").replace(b"PAIR", b"\\ud83d\\ude00")
    df = _read(_h.fmt_of(name), data)
    assert "hi \ufffd there" in df["text"].tolist() and "ok \U0001f600" in df["text"].tolist()


def test_json_integer_of_5000_digits_is_a_parse_error():
    # found: int() conversion limit raised a bare ValueError out of json.loads (discord reader)
    data = b'{"guild": {}, "channel": {}, "messages": [{"id": ' + b"9" * 5000 + b"}]}"
    with pytest.raises(ParseError, match="number too long"):
        rs.read_chat(data, format="discord")


def test_imessage_txt_date_of_the_right_shape_but_impossible_is_a_reported_problem():
    # found: "Jun 70, 9826 36:30:32 AM" matched the header pattern and pd.to_datetime raised ValueError
    good = _h.imessage_txt(["first", "second"])
    first = re.search(rb"[A-Z][a-z]{2} \d{1,2}, \d{4} +\d{1,2}:\d{2}:\d{2} [AP]M", good).group(0)
    bad = good.replace(first, b"Jun 70, 9826 36:30:32 AM", 1)
    df = _read("imessage_txt", bad)
    assert df["text"].tolist() == ["second"]
    report = rs.parse_report(df)
    assert [p.reason for p in report.problems] == ["impossible date"] and report.accounted()


@pytest.mark.parametrize("encoding", [b"UTF-13", b"UTF-7"])
def test_sms_xml_declaring_an_encoding_expat_cannot_read_is_a_parse_error(encoding):
    # found: encoding="UTF-13" raised LookupError, encoding="UTF-7" ValueError, from the XML parser
    body = _h.sms(["hi"])
    body = body[body.index(b"?>") + 2 :] if body.startswith(b"<?xml") else body
    data = b"<?xml version='1.0' encoding='" + encoding + b"' standalone='yes' ?>" + body
    with pytest.raises(ParseError, match="XML encoding that cannot be read"):
        rs.read_chat(data, format="sms")


@pytest.mark.parametrize("count", ["{}", "[1]", '"many"', "true"])
def test_discord_reaction_count_of_another_json_type_is_ignored(count):
    # found: int(r.get("count")) raised TypeError for a reaction whose "count" was an object
    data = (
        '{"guild": {"id": "1"}, "channel": {"id": "2"}, "messages": [{"id": "3", '
        '"timestamp": "2024-01-01T10:00:00+00:00", "author": {"id": "4", "name": "Sam"}, "content": "hi", '
        '"reactions": [{"emoji": {"name": "x"}, "count": ' + count + "}]}]}"
    ).encode()
    df = _read("discord", data)
    assert df["text"].tolist() == ["hi"]
    assert rs.parse_report(df).decisions["reactions_without_users"] == 0


def test_damaged_lzma_zip_member_is_a_parse_error():
    # found: a zip member compressed with LZMA whose stream is damaged raised lzma.LZMAError
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_LZMA) as zf:
        zf.writestr("_chat.txt", _h.whatsapp(["hello there"] * 40))
    data = bytearray(buf.getvalue())
    start = 30 + len("_chat.txt") + 9  # local header, name, then LZMA properties; damage the stream
    data[start : start + 40] = b"\xff" * 40
    with pytest.raises(ParseError, match="cannot be read"):
        rs.read_chat(bytes(data), format="whatsapp", date_order="DMY")


@pytest.mark.parametrize("fmt", ["messenger", "instagram"])
def test_meta_timestamp_beyond_float_range_is_a_reported_problem(fmt):
    # found: "timestamp_ms": 10**400 raised OverflowError in pd.to_numeric
    data = _h.messenger(["first", "second"])
    stamps = re.findall(rb'"timestamp_ms": ?(\d+)', data)
    assert stamps
    data = data.replace(stamps[0], b"1" + b"0" * 400, 1)
    df = _read(fmt, data)
    assert len(df) == 1
    report = rs.parse_report(df)
    assert len(report.problems) == 1 and report.accounted()


@pytest.mark.parametrize("count", ["[1]", '"service"', "{}"])
def test_telegram_reaction_count_of_another_json_type_is_ignored(count):
    # found: int(r.get("count")) raised TypeError / ValueError for a reaction "count" of another type
    data = _telegram_with_text('"hi", "reactions": [{"type": "emoji", "emoji": "x", "count": ' + count + "}]")
    df = _read("telegram", data)
    assert df["text"].tolist() == ["hi"]


# -- the Telegram streaming reader (exports over 256 MB) decodes through io/_json.decode_at ----------


def _streamed(monkeypatch, chunk: int = 7):
    from reconnect_signals.io import telegram

    monkeypatch.setattr(telegram, "_STREAM_ABOVE", -1)  # stream every input
    monkeypatch.setattr(telegram, "_CHUNK", chunk)  # values cut across chunk boundaries


@pytest.mark.parametrize("chunk", [7, 1 << 20])
def test_telegram_streaming_integer_of_5000_digits_is_a_parse_error(monkeypatch, chunk):
    # issue 21 / SECURITY.md: the streaming decoder called json.JSONDecoder.raw_decode itself, so a
    # 5,000-digit integer raised a bare ValueError there while the in-memory path said ParseError
    _streamed(monkeypatch, chunk)
    data = _telegram_with_text('"hi", "reply_to_message_id": ' + "9" * 5_000)
    with pytest.raises(ParseError, match="number too long"):
        rs.read_chat(data, format="telegram")


def test_telegram_streaming_deep_nesting_is_a_parse_error(monkeypatch):
    _streamed(monkeypatch, 1 << 20)
    with pytest.raises(ParseError, match="nests too deeply"):
        rs.read_chat(_telegram_with_text("[" * 200_000 + "]" * 200_000), format="telegram")


def test_telegram_streaming_lone_surrogate_becomes_a_replacement_character_as_in_memory(monkeypatch):
    data = _telegram_with_text(
        '"hi \\udfff there"}, {"id": 2, "type": "message", "date_unixtime": '
        '"1704103260", "from": "Sam", "from_id": "user1", "text": "ok \\ud83d\\ude00"'
    )
    whole = _read("telegram", data)
    _streamed(monkeypatch)
    streamed = _read("telegram", data)
    assert streamed["text"].tolist() == whole["text"].tolist() == ["hi \ufffd there", "ok \U0001f600"]


# -- Telegram account exports of many small chats ------------------------------------------------


def _account(chats: list) -> bytes:
    return json.dumps({"personal_information": {"user_id": 1}, "chats": {"list": chats}}).encode()


def _tg(mid: int, text: str, **extra) -> dict:
    return {
        "id": mid,
        "type": "message",
        "date_unixtime": str(1704103200 + mid),
        "from": "Sam",
        "from_id": "user2",
        "text": text,
        **extra,
    }


@pytest.mark.parametrize("stream", [False, True])
def test_telegram_account_of_thousands_of_tiny_chats_reads_in_linear_time(monkeypatch, stream):
    # found by fuzzing telegram (the open "63 KB hang" of session 2): each chat was turned into rows by
    # its own round of pandas calls (~7 ms), so 2,000 empty chats (36 KB) took 14 CPU s, far past the
    # contract's 2 s + 5 s/MiB; chats are now batched into one round
    import time

    from fuzz.harness import time_budget

    if stream:
        _streamed(monkeypatch, 1 << 16)
    data = _account([{"messages": []}] * 2_000 + [{"id": 7, "messages": [_tg(1, "hi")]}] * 2_000)
    start = time.process_time()
    df = _read("telegram", data)
    took = time.process_time() - start
    assert len(df) == 2_000 and set(df["text"]) == {"hi"}
    assert took < time_budget(len(data)) / 2, f"{took:.1f} CPU s for {len(data)} bytes"


@pytest.mark.parametrize("stream", [False, True])
def test_telegram_chats_read_together_keep_their_own_ids_and_record_numbers(monkeypatch, stream):
    if stream:
        _streamed(monkeypatch)
    chats = [
        {"name": "A", "id": 10, "type": "personal_chat", "messages": [_tg(1, "a1"), "junk", _tg(3, "a3")]},
        {"name": "Empty", "id": 11, "type": "personal_chat", "messages": []},
        {
            "name": "B",
            "id": 12,
            "type": "personal_chat",
            "messages": [
                ["junk"],
                {"id": 2, "type": "message", "from": "Sam", "text": "no date"},
                _tg(30, "b3"),
                {"type": "message", "date_unixtime": "1704103300", "from": "Sam", "text": "no id"},
            ],
        },
    ]
    df = _read("telegram", _account(chats))
    assert df[["conversation_id", "message_id", "text"]].values.tolist() == [
        ["10", "10:1", "a1"],
        ["10", "10:3", "a3"],
        ["12", "12:30", "b3"],
        ["12", "12:#3", "no id"],
    ]
    report = rs.parse_report(df)
    assert [(p.location, p.line) for p in report.problems] == [("10", 1), ("12", 0), ("12", 1)]
    assert report.decisions["chats"] == ["10", "11", "12"] and report.accounted()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-be"])
def test_discord_csv_with_a_field_past_the_csv_module_limit_is_a_parse_error(encoding):
    # found by fuzzing discord (lead's campaign fuzzA, 2 December): a quote never closed made one field
    # of the rest of the file; past 131,072 characters csv raised _csv.Error
    data = (
        'AuthorID,Author,Date,Content,Attachments,Reactions\r\n"1","Sam","2024-06-01T10:00:00+00:00","'
        + "x" * 140_000
        + "\r\n"
    ).encode(encoding)
    with pytest.raises(ParseError, match="not a readable CSV at line"):
        rs.read_chat(data, format="discord")


@pytest.mark.parametrize("recent", ["1.5", "7", "true", '"abc"', '{"from": "Al"}'])
def test_telegram_reaction_recent_of_another_json_type_is_ignored(recent):
    # found by fuzzing telegram (fuzzC, 2 December): "recent": 1.5 raised TypeError ('float' object is
    # not iterable) when the reactors were listed
    data = _telegram_with_text(
        '"hi", "reactions": [{"type": "emoji", "emoji": "x", "count": 1, "recent": ' + recent + "}]"
    )
    df = _read("telegram", data)
    assert df["text"].tolist() == ["hi"]


def _zip_declaring_a_huge_result_json(damage: str) -> bytes:
    """A zipped Telegram export whose result.json declares 300 MB (the streaming path) and is damaged."""
    import io
    import struct
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("ChatExport/result.json", _telegram_with_text('"hi"') * 20)
    data = bytearray(buf.getvalue())
    central = data.index(b"PK\x01\x02")
    data[central + 24 : central + 28] = struct.pack("<I", 300 * 2**20)  # declared uncompressed size
    if damage == "header-offset":  # the local header is not where the directory says
        data[central + 42 : central + 46] = struct.pack("<I", 7)
    else:  # the deflate stream is broken
        start = 30 + len("ChatExport/result.json")
        data[start : start + 16] = b"\xff" * 16
    return bytes(data)


@pytest.mark.parametrize("damage", ["header-offset", "deflate-stream"])
def test_telegram_zip_member_declaring_300_mb_and_damaged_is_a_parse_error(damage):
    # found by fuzzing telegram (fuzzC): a forged declared size sends the member to the streaming reader,
    # which opened and read it without Source.read_member's guard: ValueError ("negative seek value")
    with pytest.raises(ParseError, match="cannot be read"):
        rs.read_chat(_zip_declaring_a_huge_result_json(damage), format="telegram")


# --- a zip member whose LZMA header asks for a 2.5 GB dictionary (found by fuzzing Slack) ------------


def _zip_with_forged_lzma_dictionary(path: Path, forged: str, members: dict[str, str]) -> Path:
    """A zip of LZMA members; the properties header of ``forged`` declares a 0xA0000000-byte dictionary."""
    import zipfile

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_LZMA) as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(forged)
    start = info.header_offset
    skip = int.from_bytes(data[start + 26 : start + 28], "little") + int.from_bytes(
        data[start + 28 : start + 30], "little"
    )
    props = start + 30 + skip + 4  # after the 2-byte version and the 2-byte properties size
    data[props + 1 : props + 5] = (0xA0000000).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    return path


def test_a_forged_lzma_dictionary_is_refused_before_it_is_allocated(tmp_path):
    """The LZMA decompressor allocates the dictionary its header declares before reading a byte: 2.5 GB
    from a few bytes (a MemoryError under the fuzzer's 3 GiB limit, a memory bomb without one)."""
    from reconnect_signals.errors import LimitExceeded
    from reconnect_signals.io._text import Source

    path = _zip_with_forged_lzma_dictionary(tmp_path / "x.zip", "a.txt", {"a.txt": "hello", "b.txt": "fine"})
    with Source(path) as src:
        with pytest.raises(LimitExceeded, match="LZMA dictionary"):
            src.read_member("a.txt")
        assert src.read_member("b.txt") == b"fine"  # an honest LZMA member still reads


def test_slack_with_a_forged_lzma_channels_list_keeps_the_messages_and_says_why(tmp_path):
    members = {
        "users.json": json.dumps([{"id": "U1", "name": "ann"}]),
        "channels.json": json.dumps([{"id": "C1", "name": "general"}]),
        "general/2024-01-01.json": json.dumps([{"type": "message", "user": "U1", "text": "hi", "ts": "1704103200.0"}]),
    }
    path = _zip_with_forged_lzma_dictionary(tmp_path / "slack.zip", "channels.json", members)
    msgs = rs.read_chat(path, format="slack")
    assert msgs["text"].tolist() == ["hi"]
    assert any("LZMA dictionary" in n for n in rs.parse_report(msgs).notices)


def test_lzma_member_whose_central_directory_puts_it_before_the_archive_is_a_parse_error(tmp_path):
    # found by fuzzing WhatsApp (campaign dbg1, 54 inputs): the LZMA dictionary check seeked to the member's
    # local header, which a damaged central directory places before the archive (zipfile gives a negative
    # header_offset): ValueError "negative seek value" instead of the archive's own ParseError
    import zipfile

    path = tmp_path / "chat.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_LZMA) as zf:
        zf.writestr("_chat.txt", "[1/13/23, 8:00 AM] Sam: a\n")
    data = bytearray(path.read_bytes())
    eocd = data.rindex(b"PK\x05\x06")
    start = int.from_bytes(data[eocd + 16 : eocd + 20], "little")  # offset of the central directory
    data[eocd + 16 : eocd + 20] = (start + 12).to_bytes(4, "little")  # 12 bytes too far: members move by -12
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as zf:
        assert zf.getinfo("_chat.txt").header_offset == -12  # the input is what the test says
    for source in (path, path.read_bytes()):  # a file (OSError before the fix) and bytes (ValueError)
        with pytest.raises(ParseError, match="cannot be read"):
            rs.read_chat(source, format="whatsapp")


# --- the WhatsApp "segfault under atheris" of session 3 (fuzzC, fuzzF) ------------------------------------


@pytest.mark.parametrize(
    "tail",
    [b"\n", b"\n\n", b"\n\n\n", b"\n" * 17, b"\n\n[1/13/23, 12:01 PM] Sam: b\n", b"\r\n\r\n", b"\n \n\n"],
    ids=["one", "two", "three", "seventeen", "mid-file", "crlf", "space-line"],
)
def test_whatsapp_message_of_blank_lines_gives_valid_arrow_strings(tail):
    # The cause of the segfaults: the fast path trimmed a text that is one "\n" at both ends at once, so its
    # byte range ended before it started; Arrow's take() over that range wrote outside its buffer and the
    # process died at a later allocation (in mimalloc), often inputs later and in another reader step, which
    # is why the input being read when the fuzz child died read cleanly on its own. Fixed by fddc6ce (lead,
    # then trail) before the fuzz2 branch merged it; _ranges refuses such ranges since 0b956d2.
    data = b"[1/13/23, 8:00 AM] Sam: a\n[1/13/23, 12:00 PM] Alex: " + tail
    from fuzz import harness
    from test_whatsapp_fast import assert_same, both

    fast, general = both(data, tz="UTC", date_order="MDY")
    assert fast is not None  # the fast path (the one that built the bad range) is exercised
    assert_same(fast, general)
    assert harness.invalid_arrow_columns(fast[0]) == {}


def test_whatsapp_byte_ranges_out_of_order_are_refused_before_arrow_sees_them():
    """``_ranges`` is the one door to zero-copy string arrays: a range that ends before it starts or
    leaves the buffer is a ParseError, never an array Arrow would read or copy out of bounds."""
    import numpy as np
    import pyarrow as pa

    from reconnect_signals.io.whatsapp import _ranges

    buf = pa.py_buffer(b"0123456789")
    assert _ranges(buf, np.array([0, 4]), np.array([2, 7])).to_pylist() == ["01", "456"]
    for lo, hi in [([0, 5], [2, 4]), ([3], [2]), ([0, 4], [5, 6]), ([0], [11]), ([-1], [2])]:
        with pytest.raises(ParseError, match="byte ranges out of order"):
            _ranges(buf, np.array(lo), np.array(hi))


@pytest.mark.parametrize("tz", [None, "Europe/London"])
def test_signal_stamps_with_and_without_utc_offset_in_one_file_are_all_read(tmp_path, tz):
    """Found by a Signal atheris campaign (session 4): a stamp ending in "+07:00" among naive ones made
    pandas raise ``ValueError: Mixed timezones detected``. Stamps with an offset are instants; the
    others are wall-clock times in ``tz``, and the report says the file mixes them."""
    rows = [
        {"date": "2024-06-01T10:00:00+02:00", "sender": "Alex", "body": "morning"},
        {"date": "2024-06-01T10:05:00", "sender": "Sam", "body": "hi"},
        {"date": "2024-06-01T10+07:00", "sender": "Alex", "body": "odd stamp"},
    ]
    path = tmp_path / "chat.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    df = rs.read_chat(path, format="signal", tz=tz)
    rs.validate(df)
    assert len(df) == 3
    stamps = df["timestamp"].dt.tz_convert("UTC").dt.strftime("%H:%M").tolist()
    assert stamps[0] == "08:00" and stamps[2] == "03:00"  # instants, whatever tz says
    assert stamps[1] == ("09:05" if tz else "10:05")  # a wall-clock time in tz (BST in June)
    assert "2 timestamps carry a UTC offset and 1 do not" in rs.parse_report(df).summary()
