"""signals(): before/recent values computed by hand on small synthetic conversations."""

from __future__ import annotations

import importlib

import numpy as np
import pandas as pd
import pytest

import reconnect_signals as rs


def _has_message_cues() -> bool:
    try:
        return hasattr(importlib.import_module("reconnect_signals.cues"), "message_cues")
    except ImportError:  # pragma: no cover
        return False


pytestmark = pytest.mark.skipif(
    not _has_message_cues(), reason="reconnect_signals.cues.message_cues not committed yet"
)

from reconnect_signals._signals import SIGNAL_CUES, signals  # noqa: E402

DAY0 = pd.Timestamp("2024-01-01")


def conversation(before_days: int = 20, recent_days: int = 10, tz: str = "Europe/London"):
    """A synthetic Alex/Sam chat with known cue values.

    Before (days 0..before_days-1): Alex opens at 09:00 with "hello there", Sam answers at
    11:00 with "ok fine" (2 h later). Recent (days 31..30+recent_days): Sam opens at 09:00
    with "we should meet up?", Alex answers "sure" at 09:30, Sam "we can go tomorrow" at 09:40.
    """
    rows = []
    for d in range(before_days):
        day = DAY0 + pd.Timedelta(days=d)
        rows.append((day + pd.Timedelta("9h"), "Alex", "hello there"))
        rows.append((day + pd.Timedelta("11h"), "Sam", "ok fine"))
    for d in range(31, 31 + recent_days):
        day = DAY0 + pd.Timedelta(days=d)
        rows.append((day + pd.Timedelta("9h"), "Sam", "we should meet up?"))
        rows.append((day + pd.Timedelta("9h30min"), "Alex", "sure"))
        rows.append((day + pd.Timedelta("9h40min"), "Sam", "we can go tomorrow"))
    raw = pd.DataFrame(rows, columns=["timestamp", "sender", "text"])
    return rs.coerce(raw, tz=tz)


@pytest.fixture(scope="module")
def sam():
    out = signals(conversation(), me="Alex", recent="10D", min_words=10)
    return out.set_index("cue")


def test_shape_and_columns(sam):
    assert sam.index.tolist() == [c.name for c in SIGNAL_CUES]
    assert (sam["sender"] == "Sam").all()
    out = signals(conversation(), me="Alex", recent="10D")
    assert out.columns.tolist() == [
        "sender", "cue", "before", "recent", "change", "n_before", "n_recent",
        "direction", "reading", "caution",
    ]
    assert out["n_before"].dtype == "int64" and out["before"].dtype == "float64"
    assert str(out["reading"].dtype) == "str"


def test_reply_latency_medians_and_reading(sam):
    row = sam.loc["latency_median_s"]
    assert (row["before"], row["recent"], row["change"]) == (7200.0, 600.0, -6600.0)
    assert (row["n_before"], row["n_recent"]) == (20, 10)
    assert row["direction"] == "down"
    assert row["reading"].startswith(
        "Sam replies faster than before: median 10 min in the last 10 days vs median 2 h before;"
    )
    assert pd.isna(row["caution"])


def test_messages_per_day_uses_the_length_of_each_window(sam):
    row = sam.loc["messages_per_day"]
    last = DAY0 + pd.Timedelta(days=40, hours=9, minutes=40)
    before_days = (last - pd.Timedelta("10D") - (DAY0 + pd.Timedelta("9h"))) / pd.Timedelta("1D")
    assert row["before"] == pytest.approx(20 / before_days)
    assert row["recent"] == pytest.approx(20 / 10)
    assert (row["n_before"], row["n_recent"], row["direction"]) == (20, 20, "up")


def test_per_message_and_word_rates(sam):
    assert sam.loc["words_per_message", ["before", "recent"]].tolist() == [2.0, 4.0]
    assert sam.loc["we_rate", ["before", "recent"]].tolist() == [0.0, 25.0]
    assert sam.loc["we_rate", "direction"] == "up"
    assert "uses 'we' more: 25.0 % of words in the last 10 days vs 0.0 % of words before" in sam.loc[
        "we_rate", "reading"
    ]
    assert sam.loc["question_rate", ["before", "recent"]].tolist() == [0.0, 0.5]
    # every morning message of Sam's lately follows Sam's own last message of the day before
    # (nobody wrote in between, >= 30 min): 10 double texts of 20 messages
    assert sam.loc["double_text_rate", ["before", "recent", "direction"]].tolist() == [0.0, 0.5, "up"]
    assert (sam.loc["question_rate", "n_before"], sam.loc["question_rate", "n_recent"]) == (20, 20)


def test_initiation_share_counts_sessions_of_everyone(sam):
    row = sam.loc["initiation_share"]
    assert (row["before"], row["recent"]) == (0.0, 1.0)
    assert (row["n_before"], row["n_recent"]) == (20, 10)
    assert "starts a larger share of the conversations: 100 % of conversations" in row["reading"]


def test_style_matching_per_window(sam):
    # before: Alex "hello there" (adverb 50 %), Sam "ok fine" (no function words):
    # one category differs completely -> 8/9. Recent: Sam uses ppron, auxverb and prep
    # (25, 25, 12.5 %), Alex's "sure" none -> 6/9.
    row = sam.loc["lsm"]
    assert row["before"] == pytest.approx(8 / 9, abs=1e-5)
    assert row["recent"] == pytest.approx(6 / 9, abs=1e-5)
    assert row["direction"] == "down"
    assert (row["n_before"], row["n_recent"]) == (40, 80)  # Sam's words
    assert "matches Alex's writing style less closely: LSM 0.67" in row["reading"]


def test_lsm_below_min_words_is_missing_with_caution():
    out = signals(conversation(), me="Alex", recent="10D").set_index("cue")  # min_words=50
    row = out.loc["lsm"]
    assert np.isnan(row["before"]) and np.isnan(row["recent"]) and pd.isna(row["direction"])
    assert row["reading"] == "Sam's style matching cannot be compared: no value before the last 10 days."
    assert "fewer than 50 words from one of you before the last 10 days" in row["caution"]


def test_thin_data_gets_a_caution():
    out = signals(conversation(before_days=20, recent_days=3), me="Alex", recent="10D")
    out = out.set_index("cue")
    assert out.loc["question_rate", "n_recent"] == 6
    assert out.loc["question_rate", "caution"] == "only 6 text messages in the last 10 days (fewer than 20)"
    assert out.loc["latency_median_s", "caution"] == "only 3 replies in the last 10 days (fewer than 5)"
    assert out.loc["latency_median_s", "recent"] == 600.0
    strict = signals(conversation(), me="Alex", recent="10D", min_messages=25).set_index("cue")
    assert "only 20 text messages before the last 10 days (fewer than 25)" in strict.loc["we_rate", "caution"]


def test_short_earlier_period_is_flagged_for_messages_per_day():
    msgs = conversation(before_days=0)
    early = rs.coerce(
        pd.DataFrame({"timestamp": [DAY0 + pd.Timedelta("29D 12h")], "sender": ["Sam"], "text": ["hi"]}),
        tz="Europe/London",
    )
    out = signals(pd.concat([early, msgs], ignore_index=True), me="Alex", recent="10D").set_index("cue")
    row = out.loc["messages_per_day"]
    # earlier period: from Sam's "hi" (day 29 12:00) to the cut (day 30 09:40)
    assert row["before"] == pytest.approx(1 / (21 + 40 / 60) * 24)
    assert "the earlier period covers only 0.9 days" in row["caution"]


def test_nothing_before_the_window():
    out = signals(conversation(before_days=0), me="Alex", recent="30D").set_index("cue")
    assert out["before"].isna().all() and out["direction"].isna().all()
    assert out.loc["we_rate", "reading"] == "Sam's 'we' cannot be compared: no value before the last 30 days."
    assert "no text messages before the last 30 days" in out.loc["we_rate", "caution"]
    assert out.loc["messages_per_day", "n_before"] == 0


def test_me_none_reads_everyone_and_unknown_me_names_the_fix():
    msgs = conversation()
    out = signals(msgs, recent="10D", min_words=10)
    assert out["sender"].unique().tolist() == ["Alex", "Sam"]
    alex = out[out["sender"].eq("Alex")].set_index("cue")
    # Alex's replies: none before (Alex opened every session), "sure" 30 min after Sam lately
    assert np.isnan(alex.loc["latency_median_s", "before"])
    assert alex.loc["latency_median_s", "recent"] == 1800.0
    assert alex.loc["initiation_share", ["before", "recent"]].tolist() == [1.0, 0.0]
    with pytest.raises(ValueError, match=r"me='Kim' is not a sender of msgs; pass one of \['Alex', 'Sam'\]"):
        signals(msgs, me="Kim")


def test_flat_within_tolerance():
    out = signals(conversation(), me="Alex", recent="10D").set_index("cue")
    assert out.loc["you_criticism_rate", "direction"] == "flat"  # 0 and 0
    assert out.loc["you_criticism_rate", "reading"].startswith(
        "Sam uses about as much 'you always/never'-style criticism: 0 % of messages"
    )


def test_three_people_have_no_lsm_row_and_input_is_untouched():
    msgs = conversation()
    extra = rs.coerce(
        pd.DataFrame(
            {"timestamp": [DAY0 + pd.Timedelta("1D 12h")], "sender": ["Kim"], "text": ["hi all"]}
        ),
        tz="Europe/London",
    )
    both = pd.concat([msgs, extra], ignore_index=True)
    before = both.copy()
    out = signals(both, me="Alex", recent="10D")
    pd.testing.assert_frame_equal(both, before)
    assert set(out["sender"]) == {"Sam", "Kim"}
    assert "lsm" not in set(out["cue"])


def test_readings_describe_and_never_advise():
    out = signals(rs.load_example(), me="Alex")
    text = " ".join(out["reading"]).lower()
    for word in ("should", "will ", "likely", "means", "wants", "try ", "loves"):
        assert word not in text
    assert out["reading"].str.startswith("Sam ").all() or out["reading"].str.startswith("Sam's ").all()


def test_bad_arguments():
    msgs = conversation()
    with pytest.raises(ValueError, match="recent must be a duration"):
        signals(msgs, recent="lately")
    with pytest.raises(ValueError, match="positive duration"):
        signals(msgs, recent="0D")
    with pytest.raises(ValueError, match="min_messages"):
        signals(msgs, min_messages=-1)


def test_top_level_name():
    assert rs.signals is signals


def test_silence_lately_reads_as_fewer_messages_not_as_missing():
    msgs = conversation()
    quiet = msgs[~(msgs["sender"].eq("Sam") & (msgs["timestamp"] > msgs["timestamp"].min() + pd.Timedelta("25D")))]
    out = signals(quiet, me="Alex", recent="10D").set_index("cue")
    row = out.loc["messages_per_day"]
    assert (row["recent"], row["n_recent"], row["direction"]) == (0.0, 0, "down")
    assert row["reading"].startswith("Sam writes less often than before: 0.0 messages a day in the last 10 days")
    assert "no messages in the last 10 days" in row["caution"]
    # Alex opened every recent session, so Sam's share is 0 of 10, not missing
    assert out.loc["initiation_share", ["recent", "n_recent"]].tolist() == [0.0, 10]
    assert np.isnan(out.loc["we_rate", "recent"]) and pd.isna(out.loc["we_rate", "direction"])


def test_recent_accepts_a_timedelta():
    a = signals(conversation(), me="Alex", recent=pd.Timedelta(days=10))
    b = signals(conversation(), me="Alex", recent="10D")
    pd.testing.assert_frame_equal(a, b)


def test_duplicate_index_gives_the_same_reading():
    msgs = conversation()
    dup = msgs.set_axis(np.zeros(len(msgs), dtype=int))
    a = signals(msgs, me="Alex", recent="10D", min_words=10)
    b = signals(dup, me="Alex", recent="10D", min_words=10)
    pd.testing.assert_frame_equal(a, b)
