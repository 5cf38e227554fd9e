"""Sessions, turns, latency, double texts and unanswered turns on hand-built frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reconnect_signals as rs
from reconnect_signals.errors import SchemaError
from reconnect_signals.schema import empty_frame
from reconnect_signals.structure import STRUCTURE_COLUMNS, add_structure


def frame(rows, tz="UTC", conversation_id="c"):
    """rows: (time, sender, kind[, conversation]) with times as UTC strings."""
    data = pd.DataFrame(
        [
            {
                "conversation_id": r[3] if len(r) > 3 else conversation_id,
                "timestamp": pd.Timestamp(r[0], tz="UTC"),
                "sender": r[1],
                "text": "x" if r[2] == "text" else None,
                "kind": r[2],
            }
            for r in rows
        ]
    )
    data["timestamp"] = data["timestamp"].dt.tz_convert(tz)
    return rs.coerce(data)


def test_sessions_turns_latency_known_values():
    msgs = frame(
        [
            ("2024-05-01 10:00", "A", "text"),
            ("2024-05-01 10:01", "A", "text"),
            ("2024-05-01 10:11", "B", "text"),  # reply after 10 min
            ("2024-05-01 10:12", "A", "text"),  # reply after 1 min
            ("2024-05-01 16:12", "A", "text"),  # exactly 6 h: same session, double text
            ("2024-05-01 22:13", "B", "text"),  # 6 h 1 min: new session
        ]
    )
    out = add_structure(msgs)
    assert out["session_id"].tolist() == [0, 0, 0, 0, 0, 1]
    assert out["is_session_start"].tolist() == [True, False, False, False, False, True]
    assert out["turn_id"].tolist() == [0, 0, 1, 2, 2, 3]
    assert out["is_turn_start"].tolist() == [True, False, True, True, False, True]
    np.testing.assert_array_equal(out["latency_s"].to_numpy(), [np.nan, np.nan, 600.0, 60.0, np.nan, 6 * 3600 + 60.0])
    assert out["is_reply"].tolist() == [False, False, True, True, False, False]
    assert out["is_double_text"].tolist() == [False, False, False, False, True, False]
    assert out["unanswered"].tolist() == [False, False, False, False, True, True]
    assert out["unanswered_streak"].tolist()[0] == 0
    assert out["unanswered_streak"].tolist()[5] == 1
    assert out["unanswered_streak"].isna().tolist() == [False, True, True, True, True, False]
    for col, dtype in STRUCTURE_COLUMNS.items():
        assert str(out[col].dtype) == dtype, col
    assert list(out.columns[: len(msgs.columns)]) == list(msgs.columns)


def test_gap_parameter_changes_sessions():
    msgs = frame(
        [
            ("2024-05-01 10:00", "A", "text"),
            ("2024-05-01 11:30", "B", "text"),
            ("2024-05-01 11:31", "A", "text"),
        ]
    )
    assert add_structure(msgs, gap="1h")["session_id"].tolist() == [0, 1, 1]
    assert add_structure(msgs)["session_id"].tolist() == [0, 0, 0]
    assert add_structure(msgs, gap="1h")["is_reply"].tolist() == [False, False, True]
    with pytest.raises(ValueError, match="'6h'"):
        add_structure(msgs, gap="soon")
    with pytest.raises(ValueError, match="positive"):
        add_structure(msgs, double_text_gap="0s")


def test_dst_spring_forward_and_fall_back_in_berlin():
    # 2024-03-31: 02:00 CET -> 03:00 CEST; 2024-10-27: 03:00 CEST -> 02:00 CET
    msgs = frame(
        [
            ("2024-03-31 00:50", "A", "text"),  # 01:50 CET
            ("2024-03-31 01:10", "B", "text"),  # 03:10 CEST: 20 real minutes later
            ("2024-10-27 00:50", "A", "text"),  # 02:50 CEST
            ("2024-10-27 01:10", "B", "text"),  # 02:10 CET: wall clock went back, +20 min
            ("2024-10-27 01:40", "B", "text"),  # 02:40 CET: +30 min, a double text
        ],
        tz="Europe/Berlin",
    )
    wall = msgs["timestamp"].dt.strftime("%H:%M").tolist()
    assert wall == ["01:50", "03:10", "02:50", "02:10", "02:40"]
    out = add_structure(msgs)
    months = (pd.Timestamp("2024-10-27 00:50") - pd.Timestamp("2024-03-31 01:10")).total_seconds()
    np.testing.assert_array_equal(out["latency_s"].to_numpy(), [np.nan, 1200.0, months, 1200.0, np.nan])
    assert out["session_id"].tolist() == [0, 0, 1, 1, 1]
    assert out["is_double_text"].tolist() == [False, False, False, False, True]
    assert (out["latency_s"].dropna() > 0).all()


def test_system_rows_do_not_break_turns():
    msgs = frame(
        [
            ("2024-05-01 10:00", "A", "text"),
            ("2024-05-01 10:01", None, "system"),
            ("2024-05-01 10:02", "A", "media"),
            ("2024-05-01 10:03", "B", "reaction"),
            ("2024-05-01 10:05", "B", "text"),
        ]
    )
    out = add_structure(msgs)
    assert out["turn_id"].tolist() == [0, 0, 0, 0, 1]
    assert out["is_turn_start"].tolist() == [True, False, False, False, True]
    assert out["session_id"].tolist() == [0, 0, 0, 0, 0]
    # latency of B's reply is measured from A's last person message (10:02)
    np.testing.assert_array_equal(out["latency_s"].to_numpy(), [np.nan, np.nan, np.nan, np.nan, 180.0])
    assert out["unanswered"].tolist() == [False, False, False, False, True]
    assert not out.loc[[1, 3], ["is_session_start", "is_reply", "is_double_text"]].to_numpy().any()
    assert out["unanswered_streak"].isna().tolist() == [False, True, True, True, True]


def test_system_rows_before_the_first_message_and_only_system_conversation():
    msgs = frame(
        [
            ("2024-05-01 09:00", None, "system", "c1"),
            ("2024-05-01 10:00", "A", "text", "c1"),
            ("2024-05-01 09:00", None, "system", "c2"),
        ]
    )
    out = add_structure(msgs)
    assert out["session_id"].tolist() == [0, 0, -1]
    assert out["turn_id"].tolist() == [0, 0, -1]
    assert out["is_session_start"].tolist() == [False, True, False]


def test_interleaved_conversations_keep_input_order():
    msgs = frame(
        [
            ("2024-05-01 10:00", "A", "text", "x"),
            ("2024-05-01 10:00", "C", "text", "y"),
            ("2024-05-01 10:05", "B", "text", "x"),
            ("2024-05-01 10:06", "A", "text", "y"),  # A also writes in y
            ("2024-05-01 10:07", "A", "text", "x"),
        ]
    )
    msgs.index = [10, 20, 30, 40, 50]
    out = add_structure(msgs)
    assert out.index.tolist() == [10, 20, 30, 40, 50]
    assert out["conversation_id"].tolist() == ["x", "y", "x", "y", "x"]
    assert out["turn_id"].tolist() == [0, 0, 1, 1, 2]
    np.testing.assert_array_equal(out["latency_s"].to_numpy(), [np.nan, np.nan, 300.0, 360.0, 120.0])
    assert out["is_session_start"].tolist() == [True, True, False, False, False]


def test_out_of_order_rows_are_sorted_for_structure_only():
    rows = [
        ("2024-05-01 10:00", "A", "text"),
        ("2024-05-01 10:05", "B", "text"),
        ("2024-05-01 10:06", "A", "text"),
    ]
    ordered = add_structure(frame(rows))
    shuffled_in = frame([rows[2], rows[0], rows[1]])
    shuffled = add_structure(shuffled_in)
    assert shuffled["sender"].tolist() == ["A", "A", "B"]  # input order kept
    np.testing.assert_array_equal(shuffled["latency_s"].to_numpy(), [60.0, np.nan, 300.0])
    assert shuffled["turn_id"].tolist() == [2, 0, 1]
    assert ordered["turn_id"].tolist() == [0, 1, 2]


def test_double_texts_and_unanswered_streak_across_sessions():
    msgs = frame(
        [
            ("2024-05-01 10:00", "A", "text"),  # session 0, answered
            ("2024-05-01 10:10", "B", "text"),
            ("2024-05-02 10:00", "A", "text"),  # session 1, A alone (B wrote last: no double text)
            ("2024-05-03 10:00", "A", "text"),  # session 2, A alone: double text
            ("2024-05-03 10:20", "A", "text"),  # 20 min later: not a double text
            ("2024-05-04 10:00", "A", "text"),  # session 3, A alone
            ("2024-05-05 10:00", "B", "text"),  # session 4, B opens, A answers
            ("2024-05-05 10:01", "A", "text"),
            ("2024-05-06 10:00", "B", "text"),  # session 5, B alone
        ]
    )
    out = add_structure(msgs)
    assert out["session_id"].tolist() == [0, 0, 1, 2, 2, 3, 4, 4, 5]
    starts = out[out["is_session_start"]]
    assert starts["unanswered_streak"].tolist() == [0, 1, 2, 3, 0, 1]
    assert out["is_double_text"].tolist() == [False, False, False, True, False, True, False, False, False]
    assert out["unanswered"].tolist() == [False, True, True, False, True, True, False, True, True]
    assert out["is_reply"].tolist() == [False, True, False, False, False, False, False, True, False]


def test_input_not_mutated_and_rerun_replaces_columns():
    msgs = frame([("2024-05-01 10:00", "A", "text"), ("2024-05-01 10:01", "B", "text")])
    before = msgs.copy()
    once = add_structure(msgs)
    pd.testing.assert_frame_equal(msgs, before)
    twice = add_structure(once, gap="1min")
    assert list(twice.columns) == list(once.columns)
    pd.testing.assert_frame_equal(twice, add_structure(msgs, gap="1min"))


def test_empty_frame_and_schema_errors():
    out = add_structure(empty_frame())
    assert len(out) == 0
    assert set(STRUCTURE_COLUMNS) <= set(out.columns)
    with pytest.raises(SchemaError, match="timestamp"):
        add_structure(pd.DataFrame({"sender": ["A"]}))


def test_top_level_name():
    assert rs.add_structure is add_structure


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 3 * 24 * 60), st.sampled_from(["A", "B", "C"]), st.sampled_from(["p", "q"])),
        min_size=1,
        max_size=30,
    ),
    st.randoms(use_true_random=False),
)
def test_invariants_and_order_independence(rows, rnd):
    base = pd.Timestamp("2024-03-30 12:00", tz="UTC")
    rows = sorted(rows, key=lambda r: (r[2], r[0]))
    rows = list(dict.fromkeys(rows))  # unique (time, sender, conv): no ties
    rows = list({(r[0], r[2]): r for r in rows}.values())  # unique time per conversation
    data = pd.DataFrame(
        {
            "conversation_id": [r[2] for r in rows],
            "timestamp": [base + pd.Timedelta(minutes=r[0]) for r in rows],
            "sender": [r[1] for r in rows],
            "text": ["x"] * len(rows),
        }
    )
    msgs = rs.coerce(data, tz="Europe/Berlin")
    out = add_structure(msgs)
    perm = list(range(len(msgs)))
    rnd.shuffle(perm)
    shuffled = add_structure(msgs.iloc[perm]).loc[msgs.index]
    pd.testing.assert_frame_equal(shuffled, out)
    lat = out["latency_s"].dropna()
    assert (lat >= 0).all()
    # per conversation: ids start at 0 and step by at most one in time order
    for _, g in out.sort_values("timestamp", kind="stable").groupby("conversation_id"):
        assert g["session_id"].iloc[0] == 0 and g["turn_id"].iloc[0] == 0
        assert set(np.diff(g["session_id"])) <= {0, 1}
        assert set(np.diff(g["turn_id"])) <= {0, 1}
        assert int(g["is_session_start"].sum()) == g["session_id"].max() + 1
        assert int(g["is_turn_start"].sum()) == g["turn_id"].max() + 1
    assert (out["is_reply"] <= out["latency_s"].notna()).all()


def test_measures_match_add_structure_columns():
    from reconnect_signals.structure import (
        MEASURES,
        DoubleTexts,
        ReplyLatency,
        Sessions,
        Turns,
        UnansweredTurns,
        get_measure,
    )

    msgs = frame(
        [
            ("2024-05-01 10:00", "A", "text"),
            ("2024-05-01 10:40", "A", "text"),
            ("2024-05-01 11:00", "B", "text"),
            ("2024-05-02 11:00", "A", "text"),
        ]
    )
    full = add_structure(msgs, gap="2h", double_text_gap="20min")
    assert Sessions(gap="2h")(msgs).tolist() == full["session_id"].tolist() == [0, 0, 0, 1]
    assert Turns(gap="2h")(msgs).tolist() == full["turn_id"].tolist() == [0, 0, 1, 2]
    assert DoubleTexts("20min")(msgs).tolist() == full["is_double_text"].tolist() == [False, True, False, False]
    assert UnansweredTurns(gap="2h")(msgs).tolist() == full["unanswered"].tolist() == [False, False, True, True]
    lat = ReplyLatency(gap="2h")(msgs)
    np.testing.assert_array_equal(lat.to_numpy(), [np.nan, np.nan, 1200.0, np.nan])  # next-day row: new session
    np.testing.assert_array_equal(ReplyLatency(gap="48h", cap="1h")(msgs).to_numpy(), [np.nan, np.nan, 1200.0, np.nan])
    np.testing.assert_array_equal(ReplyLatency(gap="48h")(msgs).to_numpy(), [np.nan, np.nan, 1200.0, 86400.0])
    assert lat.index.equals(msgs.index) and lat.name == "reply_latency_s"
    assert get_measure("sessions", gap="2h") == Sessions(gap="2h")
    assert get_measure(Turns()) == Turns()
    assert set(MEASURES) == {"sessions", "turns", "reply_latency", "double_texts", "unanswered"}
    with pytest.raises(ValueError, match="choose one of"):
        get_measure("speed")
    with pytest.raises(TypeError):
        get_measure(Turns(), gap="1h")


def test_rows_without_time_are_excluded():
    msgs = frame(
        [
            ("2024-05-01 10:00", "A", "text"),
            ("2024-05-01 10:05", "B", "text"),
            ("2024-05-01 10:07", "A", "text"),
        ]
    )
    ts = msgs["timestamp"].copy()
    ts.iloc[1] = pd.NaT
    msgs = msgs.assign(timestamp=ts)
    out = add_structure(msgs)
    np.testing.assert_array_equal(out["latency_s"].to_numpy(), [np.nan, np.nan, np.nan])
    assert out["turn_id"].tolist() == [0, 0, 0]
    assert out["is_turn_start"].tolist() == [True, False, False]
