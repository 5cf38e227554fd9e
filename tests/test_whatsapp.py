"""WhatsApp reader: real third-party exports, golden renderings, round trips, time zones, limits."""

from __future__ import annotations

import io
import json
import time
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import reconnect_signals as rs
from reconnect_signals.errors import LimitExceeded, ParseError, ParseWarning
from reconnect_signals.io import Limits
from reconnect_signals.io._whatsapp_render import LAYOUTS, render_whatsapp
from reconnect_signals.io._whatsapp_vocab import VOCAB

from _builders import whatsapp_conversation as conversation
from _shared import CHAT_MINER as CHAT_MINER_DIR
from _shared import CHATISTICS, PUSTUR, shared_path

# third-party WhatsApp exports, read from ../shared (tests/_shared.py skips when it is absent)
SAMPLES = {
    **{
        name: (*CHAT_MINER_DIR, "whatsapp", name)
        for name in (
            "test_[mmddyy]_24hrs.txt",
            "test_ddmmyy_24hrs.txt",
            "test_mmddyy_24hrs.txt",
            "test_mmddyyyy_12hrs.txt",
            "test_yyyymmdd_24hrs.txt",
            "target.json",
        )
    },
    "chatistics__chat.txt": (*CHATISTICS, "_chat.txt"),
    **{f"chatistics__chat_{i}.txt": (*CHATISTICS, f"_chat {i}.txt") for i in (2, 3, 4)},
    **{f"pustur_{n}.txt": (*PUSTUR, f"{n}.txt") for n in ("short-chat", "empty", "not-a-whatsapp-chat")},
}


class _Samples:
    """``DATA / "chatistics__chat.txt"``: a third-party sample by its short name (see SAMPLES).

    The path comes from tests/_shared.py, which skips the test, with the reason, when ../shared
    is absent. (The samples used to be copied under tests/data/whatsapp; they no longer are.)
    """

    def __truediv__(self, name: str) -> Path:
        return shared_path(*SAMPLES[name])


DATA = _Samples()
CHAT_MINER = [
    "test_[mmddyy]_24hrs.txt",
    "test_ddmmyy_24hrs.txt",
    "test_mmddyy_24hrs.txt",
    "test_mmddyyyy_12hrs.txt",
    "test_yyyymmdd_24hrs.txt",
]


def read(path, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("error", ParseWarning)
        return rs.read_chat(path, **kw)


def wall(df):
    """Wall-clock timestamps as naive values (for comparing with naive references)."""
    return df["timestamp"].dt.tz_localize(None)


# -- real exports from other projects -----------------------------------------------------


@pytest.mark.parametrize("name", CHAT_MINER)
def test_chat_miner_fixtures_match_their_target(name):
    df = read(DATA / name)
    assert rs.parse_report(df).accounted()
    target = pd.DataFrame(json.loads((DATA / "target.json").read_text("utf-8")))[::-1].reset_index(drop=True)
    people = df[df["kind"] != "system"].reset_index(drop=True)
    # Deliberate differences from chat-miner's target: we keep the two system lines as
    # kind="system" (9 rows in all) and keep "John Doe:." as a one-character message ".",
    # which chat-miner drops; we keep newlines where chat-miner joins lines with spaces.
    assert len(df) == 9 and (df["kind"] == "system").sum() == 2
    assert people.loc[1, "text"] == "." and people.loc[1, "sender"] == "John Doe"
    ours = people.drop(index=1).reset_index(drop=True)
    assert len(ours) == len(target) == 6
    assert ours["sender"].tolist() == target["author"].tolist()
    assert ours["text"].str.replace("\n", " ").tolist() == target["message"].tolist()
    assert wall(ours).tolist() == pd.to_datetime(target["timestamp"]).tolist()
    assert "\n" in ours.loc[1, "text"]  # the multi-line message keeps its newline


CHATISTICS_1_TEXT = [
    "This is a test message",
    "This message is from Alice Placeholder",
    "This is a test answer from John Doe",
    'This message should have "outgoing = True", as John Doe is the person exporting their logs in this test scenario',
    'This message should have "outgoing = False"',
    "The following messages will test some corner cases",
]
CHATISTICS_1_SENDERS = [
    "Alice Placeholder",
    "Alice Placeholder",
    "John Doe",
    "John Doe",
    "Alice Placeholder",
    "John Doe",
    "John Doe",
    "John Doe",
    "Alice Placeholder",
    "John Doe",
    "Alice Placeholder",
    "Alice Placeholder",
    "Alice Placeholder",
    "Alice Placeholder",
    "Alice Placeholder",
    "John Doe",
    "John Doe",
    "John Doe",
    "John Doe",
    "Alice Placeholder",
]


def test_chatistics_chat1_unicode_stress_and_embedded_header():
    df = read(DATA / "chatistics__chat.txt")
    report = rs.parse_report(df)
    assert report.accounted() and report.unplaced == 0
    assert report.decisions["date_order"] == "DMY"
    # the "info entry" without an author is a system row; Chatistics' ground truth lists the other 20
    assert df.loc[2, "kind"] == "system" and pd.isna(df.loc[2, "sender"])
    people = df[df["kind"] != "system"].reset_index(drop=True)
    assert len(people) == 20
    assert people["sender"].tolist() == CHATISTICS_1_SENDERS
    assert people["text"].head(6).tolist() == CHATISTICS_1_TEXT
    assert people.loc[7, "text"].startswith("בְּרֵאשִׁית")
    assert people.loc[12, "text"] == "田中さんにあげて下さい"
    # the U+200E before a header does not stop it being a header
    assert people.loc[2, "text"] == "This is a test answer from John Doe"
    # a line that looks like a header of another layout stays inside the message (Chatistics agrees)
    assert people.loc[16, "text"].endswith("\n[1.2.2019, 00:00:00] John Doe: this line is not a message on its own")
    other_chat = "2/11/19, 14:48 Alice Placeholder: this is a message from another chat!"
    assert people.loc[18, "text"] == "What is that?\n" + other_chat
    # Chatistics strips the C1 control characters of that message; we keep the text as written
    assert people.loc[16, "text"].startswith("\u0080\u0081")


def test_chatistics_chat2_mixed_padding_and_fake_header():
    df = read(DATA / "chatistics__chat_2.txt")
    assert wall(df).tolist() == [
        pd.Timestamp(2019, 9, 17, 16, 37, 47),
        pd.Timestamp(2019, 9, 17, 16, 38, 6),
        pd.Timestamp(2019, 9, 17, 16, 38, 59),
        pd.Timestamp(2019, 9, 17, 16, 39, 52),
    ]
    assert df.loc[0, "text"] == (
        "This is a message from Peter Doe\n[1.9.19, 00:00:00] Peter Doe: this is the second line of the first message"
    )


def test_chatistics_chat3_order_from_its_layout_and_keeps_blank_lines():
    # every date fits both orders; only month-first locales write 'M/d/yy' with a 24 h clock and English
    # notices (issue 12: the layout decides, so this no longer raises AmbiguousDateOrder)
    auto = rs.read_chat(DATA / "chatistics__chat_3.txt")
    decisions = rs.parse_report(auto).decisions
    assert decisions["date_order"] == "MDY" and decisions["date_order_evidence"].startswith("layout")
    df = read(DATA / "chatistics__chat_3.txt", date_order="MDY")
    pd.testing.assert_frame_equal(auto[["timestamp", "sender", "text"]], df[["timestamp", "sender", "text"]])
    people = df[df["kind"] != "system"]
    assert wall(people).tolist() == [pd.Timestamp(2019, 2, 11, 14, m) for m in (18, 21, 21, 21, 22)] + [
        pd.Timestamp(2019, 10, 11, 14, 25)
    ] + [pd.Timestamp(2019, 2, 11, 14, m) for m in (33, 48, 51)]
    assert (df["kind"] == "system").sum() == 2
    assert people["sender"].tolist()[:4] == [
        "n",
        "Very long username",
        "Even longer username with emoticons! 🙈 🙈",
        "The final test",
    ]
    assert people.iloc[7]["text"] == "👍👍👍👍👍👍!"  # "John Doe:" then blank lines then the text
    assert people.iloc[8]["text"] == (
        "this is a message which contains some dates and colons\n\n\n2/11/19: Arrival\n12/12/19: Departure"
    )
    report = rs.parse_report(df)
    assert report.decisions["out_of_order_lines"] == [7, 9]


def test_chatistics_chat4_en_dash_and_12h():
    df = read(DATA / "chatistics__chat_4.txt")
    assert wall(df).tolist() == [
        pd.Timestamp(2019, 9, 17, 8, 30, 52),
        pd.Timestamp(2019, 9, 17, 16, 30, 10),
        pd.Timestamp(2019, 9, 18, 16, 50, 32),
    ]
    assert df["text"].tolist() == ["US datetime format"] * 3 and df["sender"].tolist() == ["John Doe"] * 3


def test_pustur_short_chat():
    # 'dd/MM/yyyy' with English notices: only day-first locales write it (issue 12: no longer ambiguous)
    auto = rs.read_chat(DATA / "pustur_short-chat.txt")
    assert rs.parse_report(auto).decisions["date_order"] == "DMY"
    df = read(DATA / "pustur_short-chat.txt", date_order="DMY")
    assert auto["timestamp"].tolist() == df["timestamp"].tolist()
    assert df["kind"].tolist() == ["system", "system", "text", "text", "text"]
    assert df["sender"].tolist()[2:] == ["Sample User", "TestBot", "+410123456789"]
    assert df["text"].iloc[-1] == "How are you?\n\nIs everything alright?"
    assert wall(df).iloc[3] == pd.Timestamp(2017, 5, 8, 1, 48)


def test_pustur_negative_samples():
    empty = read(DATA / "pustur_empty.txt", format="whatsapp")
    assert len(empty) == 0 and rs.parse_report(empty).accounted()
    rs.validate(empty)
    with pytest.raises(ParseError, match="no WhatsApp message header"):
        rs.read_chat(DATA / "pustur_not-a-whatsapp-chat.txt", format="whatsapp")
    assert rs.detect_format(DATA / "pustur_short-chat.txt") == "whatsapp"


@pytest.mark.parametrize("name", sorted(n for n in SAMPLES if n.endswith(".txt") and "not-a" not in n))
def test_every_line_is_accounted_for(name):
    path = DATA / name
    order = "MDY" if "chat_3" in name else "DMY" if "pustur" in name else None
    df = rs.read_chat(path, format="whatsapp", date_order=order)
    report = rs.parse_report(df)
    text = path.read_bytes().decode("utf-8-sig")
    n_lines = len(text.split("\n")) - (1 if text.endswith("\n") else 0) if text else 0
    assert report.total == n_lines
    assert report.accounted()
    assert report.messages == len(df)
    rs.validate(df)


# -- golden renderings: one conversation, every layout, one frame -----------------------


def expected_for(layout):
    conv = conversation()
    if "ss" not in LAYOUTS[layout].time:
        conv = conv.assign(timestamp=conv["timestamp"].dt.floor("min"))
    return conv


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_golden_every_layout_parses_to_the_same_frame(layout):
    assert len(LAYOUTS) >= 20
    data = render_whatsapp(conversation(), layout)
    df = read(io.BytesIO(data), tz="Europe/London")
    assert rs.detect_format(data) == "whatsapp"
    want = expected_for(layout)
    cols = ["timestamp", "sender", "text", "kind", "edited"]
    pd.testing.assert_frame_equal(df[cols].reset_index(drop=True), want[cols].reset_index(drop=True))
    report = rs.parse_report(df)
    assert report.accounted() and report.unplaced == 0 and report.continuations == 3


def test_golden_zip_export_is_read_in_memory(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("_chat.txt", render_whatsapp(conversation(), "ios_dmy_ss_en"))
        zf.writestr("00000012-PHOTO-2024-03-09-08-03-00.jpg", b"\xff\xd8 not really a jpeg")
    path = tmp_path / "WhatsApp Chat - Sam Taylor.zip"
    path.write_bytes(buf.getvalue())
    before = sorted(p.name for p in tmp_path.iterdir())
    df = read(path, tz="Europe/London")
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing extracted
    assert rs.detect_format(path) == "whatsapp"
    assert df["text"].tolist() == conversation()["text"].tolist()
    assert rs.parse_report(df).decisions["zip_member"] == "_chat.txt"


def test_zip_with_traversal_names_or_bomb_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("../../evil.txt", "x")
    with pytest.raises(ParseError, match="unsafe member names"):
        rs.read_chat(buf.getvalue(), format="whatsapp")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("_chat.txt", b"01/01/2024, 10:00 - A: " + b"a" * (8 << 20))
    with pytest.raises(LimitExceeded, match="zip bomb"):
        rs.read_chat(bomb.getvalue(), format="whatsapp", limits=Limits(max_ratio=50))


# -- localisation: system, media, deleted and call rows in seven languages ------------------


@pytest.mark.parametrize("lang", sorted(VOCAB))
@pytest.mark.parametrize("ios", [False, True])
def test_generated_rows_in_every_language(lang, ios):
    v = VOCAB[lang]
    mark = "\u200e" if ios else ""
    head = "[14/03/2024, 10:0{}:00] " if ios else "14/03/2024, 10:0{} - "
    notice = f"Chat: {mark}{v['encryption']}" if ios else v["encryption"]
    media = v["media_ios"]["image"] if ios else v["media"]
    lines = [
        head.format(0) + notice,
        head.format(1) + f"Ana: {mark}{media}",
        head.format(2) + f"Ana: {mark}{v['deleted']}",
        head.format(3) + f"Ana: {mark}{v['missed_voice']}",
        head.format(4) + f"Ana: hola {v['edited']}",
        head.format(5) + "Ana: " + mark + v["attached"].format(name="00000012-PHOTO-2024-03-14.jpg"),
        head.format(6) + "Ana: just text",
    ]
    df = read(("\n".join(lines) + "\n").encode())
    assert df["kind"].tolist() == ["system", "media", "deleted", "call", "text", "media", "text"]
    assert pd.isna(df["sender"].iloc[0]) and df["sender"].iloc[1:].eq("Ana").all()
    assert df["text"].iloc[4] == "hola" and df["edited"].tolist() == [False] * 4 + [True, False, False]
    assert df["text"].isna().tolist() == [False, True, True, False, False, True, False]


def test_group_events_without_sender_are_system_even_with_colons():
    data = (
        b'14/03/2024, 10:00 - Ana created group "Trip: Rome"\n'
        b'14/03/2024, 10:01 - Ana changed the subject from "Trip: Rome" to "Trip: Paris"\n'
        b"14/03/2024, 10:02 - Ana: ok: see you\n"
    )
    df = read(data)
    assert df["kind"].tolist() == ["system", "system", "text"]
    assert df["text"].iloc[1] == 'Ana changed the subject from "Trip: Rome" to "Trip: Paris"'
    assert df["text"].iloc[2] == "ok: see you"


# -- parse report and errors= ---------------------------------------------------------------

BROKEN = (
    b"garbage before the chat\n\n"
    b"14/03/2024, 10:00 - Ana: hi\n"
    b"31/02/2024, 10:01 - Ana: impossible date\n"
    b"  its continuation\n"
    b"15/03/2024, 10:02 - Bo: hey\n"
)


def test_errors_warn_keeps_good_rows_and_reports_every_line():
    with pytest.warns(ParseWarning, match="3 input lines could not be placed"):
        df = rs.read_chat(BROKEN)
    assert df["text"].tolist() == ["hi", "hey"]
    report = rs.parse_report(df)
    assert report.accounted() and report.total == 6
    assert [(p.line, p.reason.split(" (")[0]) for p in report.problems] == [
        (1, "text before the first message header"),
        (4, "invalid date or time in a header"),
    ]
    assert report.skipped_reasons == {"blank line before the first message": 1}
    assert "line" in report.to_frame().columns


def test_errors_raise_names_the_lines_and_the_fix():
    with pytest.raises(ParseError, match=r"(?s)1: text before the first message header.*errors='warn'") as exc:
        rs.read_chat(BROKEN, errors="raise")
    assert len(exc.value.problems) == 2


def test_errors_ignore_is_silent_but_keeps_the_report():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        df = rs.read_chat(BROKEN, errors="ignore")
    assert rs.parse_report(df).unplaced == 3


def test_bad_arguments_name_the_fix():
    with pytest.raises(ValueError, match="IANA"):
        rs.read_chat(BROKEN, tz="Mars/Olympus")
    with pytest.raises(ValueError, match="date_order"):
        rs.read_chat(BROKEN, date_order="DDM")
    with pytest.raises(TypeError, match="does not take"):
        rs.read_chat(BROKEN, format="whatsapp", chat="x")


def test_undecodable_bytes_are_reported_with_offsets():
    data = b"14/03/2024, 10:00 - Ana: caf\xe9\n14/03/2024, 10:01 - Bo: ok\n"
    df = read(data)
    assert df["text"].iloc[0] == "caf\ufffd"
    report = rs.parse_report(df)
    assert report.decisions["undecodable_offsets"] == [len(b"14/03/2024, 10:00 - Ana: caf")]


# -- date order -------------------------------------------------------------------------------


def test_date_order_decided_by_chronology_when_clear():
    # all fields <= 12; read month-first the dates run backwards at every month change
    stamps = pd.date_range("2024-01-01 09:00", periods=12 * 5, freq="36h")
    stamps = stamps[stamps.day <= 12]
    lines = [f"{t.day:02d}/{t.month:02d}/{t.year}, {t:%H:%M} - Ana: hi {i}" for i, t in enumerate(stamps)]
    df = read(("\n".join(lines) + "\n").encode())
    report = rs.parse_report(df)
    assert report.decisions["date_order"] == "DMY"
    back = report.decisions["date_order_backward_steps"]
    assert back["DMY"] == 0 and back["MDY"] >= 2
    assert wall(df).tolist() == list(stamps)


def test_date_order_never_decided_per_line():
    # one line with a day > 12 decides the whole file, including lines that would fit either way
    data = b"05/04/2024, 10:00 - Ana: a\n13/04/2024, 10:00 - Ana: b\n"
    df = read(data)
    assert wall(df).dt.month.tolist() == [4, 4]
    df = read(data, date_order="MDY", errors="ignore") if False else None
    with pytest.warns(ParseWarning):
        forced = rs.read_chat(data, date_order="MDY")
    assert wall(forced).tolist() == [pd.Timestamp(2024, 5, 4, 10)]  # 13/04 is impossible month-first


# -- time zones ---------------------------------------------------------------------------------


def test_without_tz_the_wall_clock_is_labelled_utc_and_recorded():
    df = read(b"14/03/2024, 10:00 - Ana: hi\n")
    assert str(df["timestamp"].dt.tz) == "UTC"
    assert df.attrs["reconnect_signals"]["tz_assumed"] == "UTC"
    assert rs.parse_report(df).decisions["tz_assumed"] is True


def test_dst_repeated_hour_resolved_from_file_order_and_gap_shifted():
    data = (
        b"27/10/2024, 02:10 - Ana: first pass\n"
        b"27/10/2024, 02:50 - Bo: still summer time\n"
        b"27/10/2024, 02:05 - Ana: clock went back\n"
        b"27/10/2024, 02:40 - Bo: winter time\n"
        b"31/03/2024, 02:30 - Ana: this hour does not exist\n"
    )
    with pytest.warns(ParseWarning) if False else warnings.catch_warnings():
        df = rs.read_chat(data, tz="Europe/Berlin")
    utc = df["timestamp"].dt.tz_convert("UTC").dt.tz_localize(None).tolist()
    assert utc[:4] == [
        pd.Timestamp("2024-10-27 00:10"),
        pd.Timestamp("2024-10-27 00:50"),
        pd.Timestamp("2024-10-27 01:05"),
        pd.Timestamp("2024-10-27 01:40"),
    ]
    assert utc[4] == pd.Timestamp("2024-03-31 01:00")  # shifted to 03:00 CEST
    notes = " ".join(rs.parse_report(df).notices)
    assert "repeated hour" in notes and "2 in the second pass" in notes and "shifted forward" in notes
    assert df["timestamp"].iloc[:4].is_monotonic_increasing


# -- hypothesis round trip ------------------------------------------------------------------------

NAME = (
    st.text(
        st.characters(
            blacklist_categories=("Cs", "Cc", "Zl", "Zp"),
            blacklist_characters=":\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff",
        ),
        min_size=1,
        max_size=20,
    )
    .map(str.strip)
    .filter(bool)
)
LINE = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"), max_size=40)
BODY = (
    st.lists(LINE, min_size=1, max_size=4).map("\n".join).map(lambda s: s.strip("\n")).filter(lambda s: s.strip() != "")
)
ORDERS = {"DD": "DMY", "D/": "DMY", "D.": "DMY", "MM": "MDY", "M/": "MDY", "YY": "YMD"}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    names=st.lists(NAME, min_size=1, max_size=3, unique=True),
    bodies=st.lists(BODY, min_size=1, max_size=8),
    layout=st.sampled_from(sorted(LAYOUTS)),
    gaps=st.lists(st.integers(60, 10 * 86400), min_size=8, max_size=8),
)
def test_roundtrip_random_messages(names, bodies, layout, gaps):
    import re

    from reconnect_signals.io._whatsapp_vocab import (
        call_pattern,
        deleted_pattern,
        edited_pattern,
        media_pattern,
        system_pattern,
    )
    from reconnect_signals.io.whatsapp import header_pattern

    header = re.compile(header_pattern("python"))
    # the reader matches phrases case-insensitively ("NULL" is the view-once placeholder "null")
    generated = [
        re.compile(p.replace(r"\x{", r"\x{"), re.IGNORECASE)
        for p in (media_pattern(), deleted_pattern(), call_pattern(), system_pattern(), edited_pattern())
    ]
    for b in bodies:
        for ln in b.split("\n"):
            assume(not header.match(ln))  # a body line that is a header is a header in WhatsApp too
        first = b.split("\n")[0]
        assume(not any(p.search(first) or p.search(b) for p in generated))
        assume(not first.endswith(":"))
    n = len(bodies)
    start = pd.Timestamp("2023-01-13 08:00", tz="Europe/Paris")
    stamps = start + pd.to_timedelta(np.cumsum([0] + gaps)[:n], unit="s")
    lay = LAYOUTS[layout]
    if "ss" not in lay.time:
        stamps = stamps.floor("min")
    msgs = rs.coerce(
        pd.DataFrame({"timestamp": stamps, "sender": [names[i % len(names)] for i in range(n)], "text": bodies}),
        tz="Europe/Paris",
    )
    order = ORDERS[lay.date[:2]]
    df = rs.read_chat(
        render_whatsapp(msgs, lay), tz="Europe/Paris", date_order=order if order != "YMD" else None, errors="raise"
    )
    assert df["sender"].tolist() == msgs["sender"].tolist()
    assert df["text"].tolist() == msgs["text"].tolist()
    assert df["timestamp"].tolist() == msgs["timestamp"].tolist()
    assert (df["kind"] == "text").all()


# -- linear time on adversarial lines -----------------------------------------------------------------


def _best_time(data, runs=3):
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        rs.read_chat(data, format="whatsapp", date_order="DMY", errors="ignore")
        best = min(best, time.perf_counter() - t0)
    return best


@pytest.mark.parametrize(
    "piece",
    [
        "01/02/2024, 10:00 - ",  # header after header
        "1/1/1 ",  # date-like runs
        "[ \u202f\u200e",  # brackets, spaces and marks
        "a: ",  # sender separators
        "\u200e<attached: x",  # unterminated placeholder
        "12:00 p. m. – ",  # times and dashes
    ],
)
def test_header_like_lines_parse_in_linear_time(piece):
    def file_with(line_len):
        line = (piece * (line_len // len(piece) + 1))[:line_len]
        return (
            "14/03/2024, 10:00 - Ana: start\n"
            + "\n".join(f"14/03/2024, 10:0{i % 10} - Ana: {line}" if i % 2 else line for i in range(40))
            + "\n"
        ).encode()

    small, large = file_with(10_000), file_with(100_000)
    ratio = _best_time(large) / max(_best_time(small), 1e-4)
    assert ratio < 25, f"100 kB lines took {ratio:.1f}x the 10 kB lines (linear is ~10x)"


def test_ios_notices_behind_a_direction_mark_are_system_in_any_language():
    data = (
        "[17/03/2024, 21:05:00] Trip: \u200eAna added Bo\n"
        "[17/03/2024, 21:06:00] Trip: \u200eBo left\n"
        "[17/03/2024, 21:06:30] Trip: \u200eAna hat Bo entfernt\n"
        "[17/03/2024, 21:07:00] Sam: \u200eimage omitted\n"
        "[17/03/2024, 21:08:00] Sam: Ana added Bo, lol\n"
    ).encode()
    df = read(data)
    assert df["kind"].tolist() == ["system", "system", "system", "media", "text"]
    assert df["sender"].isna().tolist() == [True, True, True, False, False]
    assert df["text"].tolist()[:3] == ["Ana added Bo", "Bo left", "Ana hat Bo entfernt"]
