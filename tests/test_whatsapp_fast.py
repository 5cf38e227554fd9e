"""The WhatsApp fast path (numpy on bytes) gives exactly what the full-regex path gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reconnect_signals as rs
from reconnect_signals.io import whatsapp as wa
from reconnect_signals.io._registry import ReadOptions
from reconnect_signals.io._report import ParseReport
from reconnect_signals.io._text import Source
from reconnect_signals.io._whatsapp_render import LAYOUTS, render_whatsapp
from reconnect_signals.io._whatsapp_vocab import VOCAB


def both(data: bytes, **opts):
    """(fast result or None, general result) for the same input."""
    src, options = Source(data, name="chat.txt"), ReadOptions(**opts)
    r1 = ParseReport(source=src.name, format="whatsapp", units="lines")
    utf8, raw = wa._load_utf8(src, r1)
    conv = wa._conversation(options, raw)
    parts = wa._read_fast(src, options, r1, [utf8], conv)
    fast = None if parts is None else wa._assemble(src, options, r1, conv, parts)
    r2 = ParseReport(source=src.name, format="whatsapp", units="lines")
    text, raw = wa._load_text(src, r2)
    general = wa._read_general(src, options, r2, text, raw)
    return fast, general


def assert_same(fast, general):
    pd.testing.assert_frame_equal(fast[0], general[0])
    assert vars(fast[1][0]) == vars(general[1][0])


def group_chat(tz="Europe/London"):
    rows = [
        ("2024-03-09 08:00:00", None, VOCAB["en"]["encryption"], "system", False),
        ("2024-03-09 08:01:00", "Alex", "morning ☀️ did you sleep ok?", "text", False),
        ("2024-03-09 08:03:00", "Sam Taylor", "not really\nkept thinking about yesterday", "text", False),
        ("2024-03-09 08:03:00", "Sam Taylor", None, "media", False),
        ("2024-03-09 08:04:00", "Sam Taylor", "caption line", "media", False),
        ("2024-03-13 19:45:00", "Alex", "I feel bad. we should talk: properly", "text", True),
        ("2024-03-13 21:02:00", "Sam Taylor", None, "deleted", False),
        ("2024-03-13 21:05:00", "Sam Taylor", None, "call", False),
        ("2024-03-13 22:00:00", None, "Alex added Kim", "system", False),
        ("2024-03-13 22:01:00", None, 'Sam Taylor changed the subject to "a: b"', "system", False),
        ("2024-03-13 23:59:00", "Alex", "ok 👍🏽\n\n12/03/2024 was a weird day\n\n", "text", False),
        ("2024-03-14 00:00:00", "Kim", "\n\nhaha yes. [later] 10:30 works", "text", False),
        ("2024-03-14 12:30:00", "+44 7700 900123", "who's this? 😂", "text", False),
        ("2024-03-31 00:59:00", "Alex", "before the change", "text", False),
        ("2024-03-31 03:30:00", "Alex", "after it", "text", False),
        ("2024-10-27 00:30:00", "Kim", "late", "text", False),
    ]
    raw = pd.DataFrame(rows, columns=["timestamp", "sender", "text", "kind", "edited"])
    return rs.coerce(raw, tz=tz)


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_fast_path_taken_and_identical_for_every_layout(layout):
    data = render_whatsapp(group_chat(), layout)
    fast, general = both(data, tz="Europe/London")
    if LAYOUTS[layout].rewritten:  # other scripts' digits, eras, markers before the time: the general path
        assert fast is None
        assert general[0]["kind"].astype(str).tolist()[:4] == ["system", "text", "text", "media"]
        assert len(general[0]) == len(group_chat()) and general[1][0].decisions["header_rewrites"]
        return
    assert fast is not None, "the fast path should handle every layout WhatsApp writes"
    assert_same(fast, general)
    assert len(fast[0]) == len(group_chat())
    assert fast[0]["kind"].astype(str).tolist()[:4] == ["system", "text", "text", "media"]


@pytest.mark.parametrize("layout", ["android_dmy_24h_en", "ios_mdy_12h_en"])
def test_identical_without_tz_and_with_given_date_order(layout):
    data = render_whatsapp(group_chat(), layout)
    for opts in ({}, {"tz": "Europe/Paris", "date_order": "MDY" if "mdy" in layout else "DMY"}):
        fast, general = both(data, **opts)
        assert fast is not None
        assert_same(fast, general)


EDGE_CASES = {
    "colon_end_and_tight_sender": (
        "01/02/2024, 10:00 - Alex: hi\n01/02/2024, 10:01 - Sam:\nbody on next line\n"
        "01/02/2024, 10:02 - Alex:tight text\n01/02/2024, 10:03 - Nobody:tight unknown\n"
        "13/02/2024, 10:04 - Sam: ok"
    ),
    "pasted_header_of_other_layout": (
        "13/02/2024, 10:00 - Alex: look\n[13/02/2024, 10:00:05] Sam: pasted\n13/02/2024, 10:01 - Sam: yes"
    ),
    "marks_and_unicode_spaces": (
        "\u200e13/02/2024,\u00a010:00\u202f-\u00a0\u200e\u200fAlex: x\n13/02/2024, 10:01 - \u200eSam: \u200ey"
    ),
    "crlf_and_bom": "\ufeff13/02/2024, 10:00 - Alex: a\r\nsecond\r\n13/02/2024, 10:01 - Sam: b\r\n",
    "notice_lines_without_sender": (
        '13/02/2024, 10:00 - Alex created group "x"\n13/02/2024, 10:01 - Alex: hi\n13/02/2024, 10:02 - Alex left'
    ),
    "empty_bodies_and_trailing_blank_lines": ("13/02/2024, 10:00 - Alex: \n\n\n13/02/2024, 10:01 - Sam: b\n\n\n\n"),
}


@pytest.mark.parametrize("name", sorted(EDGE_CASES))
def test_edge_cases_identical(name):
    data = EDGE_CASES[name].encode("utf-8")
    fast, general = both(data, tz="Europe/London")
    assert fast is not None
    assert_same(fast, general)


def test_edge_case_values_are_right():
    fast, _ = both(EDGE_CASES["colon_end_and_tight_sender"].encode(), tz="UTC")
    df = fast[0]
    assert df["sender"].fillna("<none>").tolist() == ["Alex", "Sam", "Alex", "<none>", "Sam"]
    assert df["text"].tolist() == ["hi", "body on next line", "tight text", "Nobody:tight unknown", "ok"]
    fast, _ = both(EDGE_CASES["crlf_and_bom"].encode(), tz="UTC")
    assert fast[0]["text"].tolist() == ["a\nsecond", "b"]


FALLBACKS = {
    "text_before_first_header": "hello\n13/02/2024, 10:00 - Alex: a\n13/02/2024, 10:01 - Sam: b",
    "invalid_date": "13/02/2024, 10:00 - Alex: a\n31/02/2024, 10:01 - Sam: b\n14/02/2024, 10:01 - Sam: c",
    "year_glued_to_hour": "13/02/2024, 10:00 - Alex: a\n13/02/2410:01 - Sam: b\n14/02/2024, 10:01 - Sam: c",
    "two_layouts_tied": "13/02/2024, 10:00 - Alex: a\n[13/02/2024, 10:01:00] Sam: b",
    "utf16": None,
    "invalid_utf8": None,
}


@pytest.mark.parametrize("name", sorted(FALLBACKS))
def test_unusual_files_read_the_same_through_read_chat(name):
    text = FALLBACKS[name]
    if name == "utf16":
        data = "13/02/2024, 10:00 - Alex: a\n13/02/2024, 10:01 - Sam: b".encode("utf-16")
    elif name == "invalid_utf8":
        data = b"13/02/2024, 10:00 - Alex: a\xff\xfe\n13/02/2024, 10:01 - Sam: b"
    else:
        data = text.encode("utf-8")
    fast, general = both(data, tz="UTC")
    if fast is not None:  # encodings are handled by the fast path too
        assert_same(fast, general)
    df = rs.read_chat(Source(data, name="chat.txt"), format="whatsapp", tz="UTC", errors="ignore")
    cols = list(general[0].columns)
    pd.testing.assert_frame_equal(df[cols].reset_index(drop=True), general[0].reset_index(drop=True))


def test_encodings_take_the_fast_path():
    for data in (
        "13/02/2024, 10:00 - Alex: a\n13/02/2024, 10:01 - Sam: b".encode("utf-16"),
        b"13/02/2024, 10:00 - Alex: a\xff\n13/02/2024, 10:01 - Sam: b",
    ):
        fast, general = both(data, tz="UTC")
        assert fast is not None
        assert_same(fast, general)


def test_long_header_with_many_marks_is_exact():
    marks = "\u200e" * 10
    data = f"13/02/2024, 10:00 - {marks}Alex: a\n13/02/2024, 10:01 - Sam: b".encode()
    fast, general = both(data, tz="UTC")
    assert fast is not None  # the 64-byte window still holds it
    assert_same(fast, general)
    data = f"13/02/2024, 10:00 - {marks * 4}Alex: a\n13/02/2024, 10:01 - Sam: b".encode()
    fast, general = both(data, tz="UTC")
    assert fast is None  # longer headers go to the general path
    assert general[0]["sender"].tolist() == ["Alex", "Sam"]


LINE = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"), max_size=30)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    bodies=st.lists(LINE, min_size=2, max_size=10),
    layout=st.sampled_from(sorted(LAYOUTS)),
    senders=st.lists(st.sampled_from(["Alex", "Sam Taylor", "Kim: x", "", "José"]), min_size=10, max_size=10),
)
def test_random_bodies_identical(bodies, layout, senders):
    """Whatever the bodies hold (headers, colons, marks, blank lines), both paths agree."""
    n = len(bodies)
    stamps = pd.Timestamp("2023-01-13 08:00", tz="UTC") + pd.to_timedelta(np.arange(n) * 3600, unit="s")
    msgs = rs.coerce(pd.DataFrame({"timestamp": stamps, "sender": senders[:n], "text": bodies}), tz="UTC")
    data = render_whatsapp(msgs, layout)
    try:
        fast, general = both(data, tz="UTC", date_order="MDY" if "mdy" in layout else "DMY")
    except rs.errors.ParseError:
        return
    if fast is not None:
        assert_same(fast, general)


def test_short_last_message_and_mixed_padding_are_exact():
    data = b"13/02/2024, 10:00 - Alex: a\n3/2/2024, 9:01 - Sam: b\n13/02/2024, 10:02 - Sam: c\n13/02/2024, 10:03 - Sam:"
    fast, general = both(data, tz="UTC")
    assert fast is not None
    assert_same(fast, general)
    assert fast[0]["timestamp"].dt.hour.tolist() == [10, 9, 10, 10]
    assert fast[0]["text"].fillna("").tolist() == ["a", "b", "c", ""]


@pytest.mark.parametrize("layout", ["android_dmy_24h_en", "ios_dmy_ss_en"])
def test_chunked_classification_on_two_threads_is_identical(layout, monkeypatch):
    """Big files are classified in chunks, two at a time on threads; tiny chunks give the one-chunk result."""
    from functools import partial

    frame = group_chat()
    data = render_whatsapp(pd.concat([frame] * 7, ignore_index=True), LAYOUTS[layout])
    whole = rs.read_chat(data, tz="Europe/London", date_order="DMY")
    calls = []
    orig_map = wa._map_chunks

    def spy(fn, starts):
        calls.append(len(starts))
        return orig_map(fn, starts)

    monkeypatch.setattr(wa, "_classify", partial(wa._classify, chunk=5))
    monkeypatch.setattr(wa, "_map_chunks", spy)
    monkeypatch.setattr(wa.os, "cpu_count", lambda: 2)
    chunked = rs.read_chat(data, tz="Europe/London", date_order="DMY")
    assert calls and calls[0] > 2
    pd.testing.assert_frame_equal(chunked, whole)
    assert vars(rs.parse_report(chunked)) == vars(rs.parse_report(whole))


def test_message_ending_in_one_blank_line_at_end_of_file():
    """'Alex: ' then one blank line as the file's last bytes: the text is empty, never a negative range
    (trimming that newline from both ends at once once gave an invalid string and a crash)."""
    data = b"[1/13/23, 8:00 AM] Sam: a\n[1/13/23, 12:00 PM] Alex: \n\n"
    fast, general = both(data, tz="UTC", date_order="MDY")
    assert fast is not None
    assert_same(fast, general)
    fast[0]["text"].array._pa_array.validate(full=True)
    assert fast[0]["text"].tolist()[1] in ("", None) or pd.isna(fast[0]["text"].tolist()[1])


def test_one_core_reads_the_same_without_threads(monkeypatch):
    """With one core nothing runs on a thread (work is done in place, in order); the frame is the same."""
    data = render_whatsapp(pd.concat([group_chat()] * 3, ignore_index=True), LAYOUTS["ios_dmy_ss_en"])
    threaded = rs.read_chat(data, tz="Europe/London", date_order="DMY")
    monkeypatch.setattr(wa.os, "cpu_count", lambda: 1)
    started = []
    monkeypatch.setattr(wa.threading.Thread, "start", lambda self: started.append(self))
    single = rs.read_chat(data, tz="Europe/London", date_order="DMY")
    assert not started
    pd.testing.assert_frame_equal(single, threaded)
