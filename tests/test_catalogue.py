"""The cue catalogue is the one place a cue is described; every consumer derives from it."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import reconnect_signals as rs
from reconnect_signals.cues import CATALOGUE, CUE_COLUMNS, CUES, list_cues
from reconnect_signals.cues._catalogue import RULES, SIGNAL_ORDER, UNITS, signal_specs


@pytest.fixture(scope="module")
def per_message():
    return rs.cue_table(rs.load_example())


def test_every_cue_column_has_exactly_one_entry(per_message):
    table = rs.aggregate_cues(per_message, by="sender")
    columns = [c for c in table.columns if c != "sender"]
    assert len(columns) == len(set(columns))
    assert set(columns) <= set(CATALOGUE)
    # every table entry is a column of the table (signal-only entries are read by signals())
    assert {c for c, s in CATALOGUE.items() if s.kind != "signal"} == set(columns)
    # every per-message cue column is introduced by exactly one entry, and read by at least one
    introduced = [s.message.name for s in CATALOGUE.values() if s.message is not None]
    assert sorted(introduced) == sorted(CUE_COLUMNS) and len(introduced) == len(set(introduced))
    read = {c for s in CATALOGUE.values() for c in s.source}
    assert set(CUE_COLUMNS) <= read
    # every source column exists in the per-message table
    assert read <= set(per_message.columns)


def test_every_cue_appears_in_the_report_definitions(tmp_path):
    import html as html_lib

    from reconnect_signals._html_report import _REFERENCES, _definitions_section

    html = _definitions_section()
    for column, spec in CATALOGUE.items():
        assert html.count(f"<code>{column}</code>") == 1, column
        assert html_lib.escape(spec.label[1:]) in html
    # every [Key] a definition cites is in the reference list
    keys = {k for k, _ in _REFERENCES}
    for spec in CATALOGUE.values():
        for group in re.findall(r"\[([^\]]+)\]", spec.definition):
            for key in group.split("; "):
                assert key in keys, (spec.column, key)


def test_consumers_derive_from_the_catalogue():
    from reconnect_signals import ml, plotting
    from reconnect_signals.table import AGGREGATE_COLUMNS

    assert AGGREGATE_COLUMNS == tuple(c for c, s in CATALOGUE.items() if s.kind in ("cue", "count"))
    assert plotting._CUES == {c: (s.label, s.unit) for c, s in CATALOGUE.items()}
    assert ml.WINDOW_FEATURES == tuple(c for c, s in CATALOGUE.items() if s.kind == "cue")
    assert ml.MESSAGE_FEATURES == CUE_COLUMNS
    assert list_cues()["cue"].tolist() == list(CUES) == list(CUE_COLUMNS)


def test_records_are_complete():
    for column, spec in CATALOGUE.items():
        assert spec.rule in RULES and spec.unit in UNITS, column
        assert spec.label and len(spec.definition) > 40, column
        assert spec.warmer in (-1, 0, 1)
        if spec.kind in ("cue", "extra"):
            assert spec.reference or spec.rule in ("share_turns_answered", "share_sessions_opened", "share_messages"), (
                column
            )
        if spec.signal is not None:
            w = spec.signal
            assert w.up != w.down != w.flat and w.basis in ("text", "messages", "replies", "sessions", "words")
            assert w.rel_tol > 0 or w.abs_tol > 0, column  # a practical tolerance, never zero
            assert isinstance(w.fmt(0.5), str)
        for value in (spec.precision, spec.recall):
            assert value is None or 0 <= value <= 1
    # signals reads the cues in SIGNAL_ORDER, then any other cue with wording
    assert [s.column for s in signal_specs()][: len(SIGNAL_ORDER)] == list(SIGNAL_ORDER)


def test_what_signals_needs_per_cue():
    # the signals rewrite reads column, label, statistic kind, tolerance (relative or absolute)
    # and the warmer direction from here
    latency, we = CATALOGUE["latency_median_s"], CATALOGUE["we_rate"]
    assert (latency.stat, latency.signal.relative, latency.signal.tolerance, latency.warmer_direction) == (
        "median",
        True,
        0.25,
        "down",
    )
    assert (we.stat, we.signal.relative, we.signal.tolerance, we.warmer_direction) == ("words", False, 0.1, "up")
    assert CATALOGUE["initiation_share"].stat == "messages" and CATALOGUE["lsm"].stat == "lsm"
    assert {s.stat for s in signal_specs()} <= {"words", "messages", "mean", "median", "lsm", "per_day"}


def test_warmer_directions_that_research_supports():
    assert CATALOGUE["we_rate"].warmer == 1
    assert CATALOGUE["latency_median_s"].warmer == -1
    assert CATALOGUE["you_criticism_rate"].warmer == -1
    assert CATALOGUE["apology_rate"].warmer == 0  # an apology may repair or mark a conflict


def test_aggregation_rules_on_a_hand_computed_chat():
    msgs = rs.coerce(
        pd.DataFrame(
            {
                "timestamp": ["2024-03-01 09:00", "2024-03-01 09:05", "2024-03-01 09:06", "2024-03-01 20:00"],
                "sender": ["Alex", "Sam", "Alex", "Alex"],
                "text": ["we should talk?", "sorry, my bad", "ok", "I miss you"],
            }
        )
    )
    t = rs.aggregate_cues(rs.cue_table(msgs), by="sender").set_index("sender")
    assert t.loc["Alex", "messages"] == 3 and t.loc["Alex", "words"] == 7
    assert t.loc["Alex", "we_rate"] == pytest.approx(100 / 7)  # share of words, in percent
    assert t.loc["Alex", "question_rate"] == pytest.approx(1 / 3)  # share of text messages
    assert t.loc["Sam", "apology_rate"] == 1.0
    assert t.loc["Alex", "latency_median_s"] == 60.0  # median over replies
    assert t.loc["Alex", "initiation_share"] == 1.0  # both sessions (6 h gap) opened by Alex
    overall = rs.aggregate_cues(rs.cue_table(msgs), by=None)
    assert len(overall) == 1 and overall["messages"].iloc[0] == 4
    assert list(overall.columns[:2]) == ["messages", "words"]  # no key columns


def test_aggregate_cues_over_everything_per_window():
    per = rs.cue_table(rs.load_example())
    weekly = rs.aggregate_cues(per, by=None, freq="W")
    by_sender = rs.aggregate_cues(per, by="sender", freq="W")
    assert weekly["window"].is_unique and weekly["window"].is_monotonic_increasing
    assert len(weekly) == by_sender["window"].nunique()  # silent weeks kept, with zero counts
    assert weekly["messages"].sum() == by_sender["messages"].sum()
    merged = by_sender.groupby("window")["messages"].sum().reset_index(drop=True)
    assert weekly["messages"].tolist() == merged.tolist()


def test_aggregate_cues_names_what_is_missing():
    msgs = rs.load_example()
    with pytest.raises(ValueError, match=r"rs\.cue_table\(msgs\)"):
        rs.aggregate_cues(msgs)


def test_signals_reads_its_cue_table_from_the_catalogue(per_message):
    from reconnect_signals._signals import _WORDING, SIGNAL_CUES, _block_quantities
    from reconnect_signals.cues._catalogue import FORMATS

    assert [c.column for c in SIGNAL_CUES] == [s.column for s in signal_specs()]
    for cue in SIGNAL_CUES:
        spec = CATALOGUE[cue.column]
        assert (cue.label, cue.unit, cue.stat, (cue.num, cue.den)) == (
            spec.signal.label,
            spec.signal.value_format,
            spec.stat,
            spec.totals,
        )
        assert (cue.tolerance, cue.relative, cue.warmer) == (
            spec.signal.tolerance,
            spec.signal.relative,
            spec.warmer_direction,
        )
        assert _WORDING[cue.column] is spec.signal
        assert cue.unit in FORMATS
    # every block total a ratio reads is built (names ending in _all are summed over senders)
    person = per_message["sender"].notna().to_numpy()
    text = person & (per_message["kind"].astype("str") == "text").to_numpy()
    built = _block_quantities(per_message, person, text)
    for cue in SIGNAL_CUES:
        if cue.stat in ("words", "messages", "mean"):
            assert cue.num in built and (cue.den in built or cue.den.endswith("_all")), cue
    # a cue measured as a share of text messages sums its flag over text messages only
    assert built["question"].sum() == per_message.loc[text, "question"].sum()


def test_value_formats():
    from reconnect_signals.cues._catalogue import FORMATS

    assert FORMATS["share"].long(0.042) == "4.2 % of messages" and FORMATS["share"].short(0.25) == "25 %"
    assert FORMATS["duration"].long(5400) == "median 1.5 h" and FORMATS["duration"].scale is None
    assert CATALOGUE["we_rate"].signal.fmt(1.25) == "1.2 % of words"
    assert (FORMATS["pct_words"].suffix, FORMATS["vader"].decimals) == (" pp", 2)
