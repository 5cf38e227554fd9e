"""Parity: ``msgs.chat.f(**kw)`` equals ``rs.f(msgs, **kw)`` for every accessor method."""

from __future__ import annotations

import importlib
import inspect

import pandas as pd
import pytest

import reconnect_signals as rs
from reconnect_signals.accessor import ChatAccessor

# accessor method -> (module defining the function, keyword sets to compare)
CASES = {
    "validate": (".schema", [{}]),
    "add_structure": (".structure", [{}, {"gap": "1h", "double_text_gap": "10min"}]),
    "cue_table": (
        ".table",
        [{}, {"by": "sender"}, {"by": ["conversation_id", "sender"], "freq": "MS"}, {"by": "sender", "freq": "W"}],
    ),
    "message_cues": (".cues", [{}]),
    # called on the per-message cue table (rs.cue_table(msgs)), not on the message frame
    "aggregate_cues": (".table", [{}, {"by": ["conversation_id", "sender"], "freq": "MS"}, {"by": None}]),
    "style_matching": (".style", [{}, {"freq": "MS"}]),
    "signals": ("._signals", [{}, {"me": "Alex"}]),
    "parse_report": (".io", [{}]),
    "engagement_targets": (".engagement", [{}, {"within": "2h", "turns": 3}]),
}


def _function(name):
    try:
        module = importlib.import_module(CASES[name][0], "reconnect_signals")
    except ModuleNotFoundError:
        pytest.skip(f"the module of rs.{name} does not exist yet")
    func = getattr(module, name, None)
    if func is None:
        pytest.skip(f"rs.{name} does not exist yet")
    return func


@pytest.fixture(scope="module")
def msgs():
    return rs.load_example()


def test_every_public_method_is_covered():
    methods = {n for n, _ in inspect.getmembers(ChatAccessor, inspect.isfunction) if not n.startswith("_")}
    assert methods >= set(CASES)
    assert methods - set(CASES) == set(), f"add parity cases for {sorted(methods - set(CASES))}"


def test_accessor_holds_no_state(msgs):
    assert set(vars(msgs.chat)) == {"_df"}


@pytest.mark.parametrize(
    ("name", "kw"), [(name, kw) for name, (_, kws) in CASES.items() for kw in kws], ids=lambda v: str(v)
)
def test_parity(msgs, name, kw):
    func = _function(name)
    if name == "aggregate_cues":
        msgs = rs.cue_table(msgs)
    try:
        expected = func(msgs, **kw)
    except ImportError as exc:  # a function that depends on one not written yet
        pytest.skip(f"rs.{name} needs something not written yet: {exc}")
    got = getattr(msgs.chat, name)(**kw)
    if isinstance(expected, pd.DataFrame):
        pd.testing.assert_frame_equal(got, expected)
        assert len(got) > 0
    elif isinstance(expected, pd.Series):
        pd.testing.assert_series_equal(got, expected)
    elif name == "parse_report":
        assert got.summary() == expected.summary()
        assert got.accounted()
    else:
        assert got == expected


def test_add_structure_through_accessor_has_real_values(msgs):
    out = msgs.chat.add_structure()
    assert len(out) == len(msgs)
    assert out["is_session_start"].sum() > 10
    assert out["latency_s"].median() > 0
    assert set(out.loc[out["is_session_start"], "sender"].dropna()) == {"Alex", "Sam"}
