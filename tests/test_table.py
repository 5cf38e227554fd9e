"""cue_table: per-message rows, aggregates per sender / conversation, windows."""

from __future__ import annotations

import pandas as pd
import pytest

import reconnect_signals as rs
from reconnect_signals.cues import text_cues
from reconnect_signals.structure import STRUCTURE_COLUMNS
from reconnect_signals.table import AGGREGATE_COLUMNS, cue_table


def make(rows, tz="UTC"):
    data = pd.DataFrame(rows, columns=["timestamp", "sender", "text", "kind", "conversation_id"])
    data["timestamp"] = pd.to_datetime(data["timestamp"]).dt.tz_localize(tz)
    return rs.coerce(data)


@pytest.fixture
def chat():
    return make(
        [
            ("2024-05-06 10:00", "A", "I miss you", "text", "c"),  # A opens session 0
            ("2024-05-06 10:02", "B", "are you ok?", "text", "c"),  # reply 120 s
            ("2024-05-06 10:03", "B", "haha", "text", "c"),
            ("2024-05-06 10:05", None, "B changed the subject", "system", "c"),
            ("2024-05-06 10:06", "A", "we should talk", "text", "c"),  # reply 180 s
            ("2024-05-06 11:00", "A", None, "media", "c"),  # double text (54 min), unanswered
            ("2024-05-07 09:00", "B", "sorry, my bad", "text", "c"),  # B opens session 1
            ("2024-05-07 09:10", "A", "ok", "text", "c"),  # reply 600 s
        ]
    )


def test_per_message_is_frame_plus_cues_plus_structure(chat):
    per = cue_table(chat)
    assert len(per) == len(chat)
    assert list(per.columns[: len(chat.columns)]) == list(chat.columns)
    assert set(STRUCTURE_COLUMNS) <= set(per.columns)
    for col in ("words", "i_words", "question", "sentiment"):
        assert col in per.columns
    assert per["words"].tolist() == [3, 3, 1, 0, 3, 0, 3, 1]
    assert "window" not in per.columns
    weekly = cue_table(chat, freq="W")
    assert weekly["window"].dt.strftime("%Y-%m-%d").tolist() == ["2024-05-06"] * 8
    assert str(weekly["window"].dtype) == "datetime64[us, UTC]"


def test_by_sender_values(chat):
    t = cue_table(chat, by="sender")
    assert t["sender"].tolist() == ["A", "B"]
    assert list(t.columns[1 : 1 + len(AGGREGATE_COLUMNS)]) == list(AGGREGATE_COLUMNS)
    a, b = (t.set_index("sender").loc[s] for s in ("A", "B"))
    assert (a["messages"], a["text_messages"], a["words"]) == (4, 3, 7)
    assert (b["messages"], b["text_messages"], b["words"]) == (3, 3, 7)
    assert a["words_per_message"] == pytest.approx(7 / 3)
    assert a["i_rate"] == pytest.approx(100 / 7)
    assert a["we_rate"] == pytest.approx(100 / 7)
    assert a["you_rate"] == pytest.approx(100 / 7)
    assert b["you_rate"] == pytest.approx(100 / 7)
    assert a["i_statement_rate"] == pytest.approx(1 / 3)
    assert b["question_rate"] == pytest.approx(1 / 3)
    assert b["laughter_rate"] == pytest.approx(1 / 3)
    assert b["apology_rate"] == pytest.approx(1 / 3)
    assert a["apology_rate"] == 0.0
    a_texts = pd.Series(["I miss you", "we should talk", "ok"])
    assert a["sentiment_mean"] == pytest.approx(text_cues(a_texts)["sentiment"].mean())
    assert a["sentiment_mean"] != b["sentiment_mean"]
    assert a["future_we_rate"] == pytest.approx(1 / 3)  # "we should talk"
    assert b["i_rate"] == pytest.approx(100 / 7)  # "my bad"
    # A replies after 180 s and 600 s; B after 120 s
    assert a["latency_median_s"] == pytest.approx(390.0)
    assert b["latency_median_s"] == pytest.approx(120.0)
    # A: turns [I miss you], [we should talk, media], [ok] -> the 2nd and 3rd end their sessions
    assert a["turns"] == 3 and a["reply_rate"] == pytest.approx(1 / 3)
    # B: turns [are you ok?, haha], [sorry, my bad] -> both answered
    assert b["turns"] == 2 and b["reply_rate"] == 1.0
    assert a["initiation_share"] == 0.5 and b["initiation_share"] == 0.5
    assert a["double_text_rate"] == pytest.approx(1 / 4)
    assert b["double_text_rate"] == 0.0
    assert t["messages"].dtype == "int64" and t["i_rate"].dtype == "float64"
    assert str(t["sender"].dtype) == "str"


def test_by_conversation_and_sender_initiation_per_conversation():
    msgs = make(
        [
            ("2024-05-06 10:00", "A", "hi", "text", "x"),
            ("2024-05-06 10:01", "B", "hi", "text", "x"),
            ("2024-05-07 10:00", "A", "hi", "text", "x"),
            ("2024-05-06 10:00", "B", "yo", "text", "y"),
            ("2024-05-06 10:01", "C", "yo", "text", "y"),
        ]
    )
    t = cue_table(msgs, by=["conversation_id", "sender"])
    assert t[["conversation_id", "sender"]].values.tolist() == [["x", "A"], ["x", "B"], ["y", "B"], ["y", "C"]]
    assert t["initiation_share"].tolist() == [1.0, 0.0, 1.0, 0.0]
    assert t["sessions_opened"].tolist() == [2, 0, 1, 0]
    overall = cue_table(msgs, by="sender")
    assert overall["initiation_share"].tolist() == [pytest.approx(2 / 3), pytest.approx(1 / 3), 0.0]


def test_weekly_windows_are_complete_with_zero_counts_and_nan_rates():
    msgs = make(
        [
            ("2024-03-04 09:00", "A", "I miss you", "text", "c"),
            ("2024-03-04 09:05", "B", "ok", "text", "c"),
            ("2024-03-20 09:00", "A", "hi", "text", "c"),
        ],
        tz="Europe/Berlin",
    )
    t = cue_table(msgs, by="sender", freq="W")
    assert len(t) == 6
    assert t["window"].dt.strftime("%Y-%m-%d").tolist() == ["2024-03-04", "2024-03-11", "2024-03-18"] * 2
    assert str(t["window"].dtype) == "datetime64[us, Europe/Berlin]"
    assert t["messages"].tolist() == [1, 0, 1, 1, 0, 0]
    assert t["words"].tolist() == [3, 0, 1, 1, 0, 0]
    empty = t[t["messages"].eq(0)]
    assert empty[["i_rate", "question_rate", "latency_median_s", "reply_rate", "sentiment_mean"]].isna().all().all()
    assert t["i_rate"].iloc[0] == pytest.approx(100 / 3)
    assert t["messages"].dtype == "int64"


def test_monthly_windows_cross_dst():
    msgs = make(
        [
            ("2024-02-10 12:00", "A", "x", "text", "c"),
            ("2024-04-10 12:00", "A", "y", "text", "c"),
        ],
        tz="Europe/Berlin",
    )
    t = cue_table(msgs, by="sender", freq="MS")
    assert [str(w) for w in t["window"]] == [
        "2024-02-01 00:00:00+01:00",
        "2024-03-01 00:00:00+01:00",
        "2024-04-01 00:00:00+02:00",
    ]
    assert t["messages"].tolist() == [1, 0, 1]


def test_errors_name_the_fix(chat):
    with pytest.raises(ValueError, match="'sender'"):
        cue_table(chat, by="nobody")
    with pytest.raises(ValueError, match="'W'"):
        cue_table(chat, by="sender", freq="fortnightly")


def test_input_not_mutated(chat):
    before = chat.copy()
    cue_table(chat, by="sender", freq="D")
    pd.testing.assert_frame_equal(chat, before)


def test_gap_is_passed_through(chat):
    t = cue_table(chat, by="sender", gap="30min")
    # with 30 min sessions A's media message (54 min later) opens a session of its own
    assert t.set_index("sender")["sessions_opened"].to_dict() == {"A": 2, "B": 1}
    assert rs.cue_table is cue_table


@pytest.mark.parametrize(
    ("freq", "starts"),
    [
        ("D", ["2024-02-10", "2024-02-11", "2024-02-12"]),
        ("QS", ["2024-01-01"]),
        ("YS", ["2024-01-01"]),
        ("ME", ["2024-02-01"]),
    ],
)
def test_window_frequencies(freq, starts):
    msgs = make(
        [
            ("2024-02-10 12:00", "A", "x", "text", "c"),
            ("2024-02-12 12:00", "B", "y", "text", "c"),
        ],
        tz="Europe/Berlin",
    )
    t = cue_table(msgs, by="sender", freq=freq)
    assert t["window"].dt.strftime("%Y-%m-%d").tolist() == starts * 2
    assert int(t["messages"].sum()) == 2


def test_empty_and_system_only_frames():
    from reconnect_signals.schema import empty_frame

    empty = empty_frame("Europe/Berlin")
    assert len(cue_table(empty)) == 0
    t = cue_table(empty, by="sender", freq="W")
    assert len(t) == 0
    assert list(t.columns[:3]) == ["sender", "window", "messages"]
    assert str(t["window"].dtype) == "datetime64[us, Europe/Berlin]"
    system = make([("2024-01-01 10:00", None, "x joined", "system", "c")])
    assert len(cue_table(system, by="sender")) == 0
    assert cue_table(system)["session_id"].tolist() == [-1]
