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
    "engagement_features": (".engagement", [{}]),
    # issue 16: every public function that takes a message frame
    "top_terms": ("._explore", [{}, {"kind": "emoji", "by": None, "n": 3}]),
    "reply_matrix": ("._explore", [{}, {"normalize": True}]),
    "media_counts": ("._explore", [{}]),
    "anonymize": ("._anonymize", [{"key": "a-long-secret-key-for-the-parity-test"}]),
}

# functions whose result is a figure, a file or a raw-frame conversion: compared below
OTHER_CASES = {
    "coerce": ".schema",
    "to_convokit": "._corpus",
    "report": "._html_report",
    "plot_cue_timeline": ".plotting",
    "plot_latency": ".plotting",
    "plot_latency_trend": ".plotting",
    "plot_activity_heatmap": ".plotting",
    "plot_initiation": ".plotting",
    "plot_balance": ".plotting",
    "plot_style_matching": ".plotting",
    "plot_calendar": ".plotting",
    "plot_trend": ".plotting",
    "plot_dashboard": ".plotting",
    # fitting and evaluating models: the delegation is checked (the fits are tested with their module)
    "engagement_model": ".engagement",
    "evaluate_engagement": ".engagement",
}


def _function(name):
    try:
        module = importlib.import_module(CASES[name][0] if name in CASES else OTHER_CASES[name], "reconnect_signals")
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
    covered = set(CASES) | set(OTHER_CASES)
    assert methods >= covered
    assert methods - covered == set(), f"add parity cases for {sorted(methods - covered)}"


def _takes_a_frame(func) -> bool:
    params = list(inspect.signature(func).parameters.values())
    return bool(params) and "DataFrame" in str(params[0].annotation)


def test_every_public_function_taking_a_message_frame_has_a_method():
    """Parity of the surface: enumerated from rs.__all__, so a new function cannot be forgotten."""
    methods = {n for n, _ in inspect.getmembers(ChatAccessor, inspect.isfunction) if not n.startswith("_")}
    takers = {n for n in rs.__all__ if inspect.isfunction(getattr(rs, n, None)) and _takes_a_frame(getattr(rs, n))}
    assert {"cue_table", "report", "plot_calendar", "top_terms", "anonymize"} <= takers
    assert takers - methods == set(), f"df.chat lacks {sorted(takers - methods)}"
    for name in takers:  # each method says which function it is
        assert f"rs.{name}(df" in (getattr(ChatAccessor, name).__doc__ or ""), name


def _artists(ax):
    import numpy as np

    out = [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
    out += [
        (
            ln.get_label(),
            np.asarray(ln.get_xdata(), dtype="datetime64[us]").astype("int64").tolist()
            if np.asarray(ln.get_xdata()).dtype.kind == "M"
            else list(map(float, ln.get_xdata())),
            [round(float(v), 9) for v in ln.get_ydata()],
        )
        for ln in ax.lines
    ]
    out += [
        (p.get_label(), np.round(p.get_patch_transform().transform(p.get_path().vertices), 6).tolist())
        for p in ax.patches
    ]
    out += [np.asarray(im.get_array()).tolist() for im in ax.images]
    out += [
        np.asarray(c.get_array()).tolist() if c.get_array() is not None else len(c.get_offsets())
        for c in ax.collections
    ]
    return repr(out)


@pytest.fixture(scope="module")
def small():
    return rs.coerce(
        pd.DataFrame(
            {
                "timestamp": [
                    "2025-03-01 10:00",
                    "2025-03-01 10:04",
                    "2025-03-02 19:30",
                    "2025-03-09 08:00",
                    "2025-03-09 08:02",
                ],
                "sender": ["Alex", "Sam", "Alex", "Sam", "Alex"],
                "text": ["are we still on?", "yes! I miss you", "see you at 8", "morning 😊", "we should talk"],
            }
        ),
        tz="Europe/London",
    )


@pytest.mark.parametrize("name", sorted(n for n in OTHER_CASES if n.startswith("plot_")))
def test_plot_parity(msgs, name):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    func = _function(name)
    try:
        if name == "plot_dashboard":
            a, b = plt.figure(), plt.figure()
            func(msgs, fig=a)
            getattr(msgs.chat, name)(fig=b)
            assert [_artists(x) for x in a.axes] == [_artists(x) for x in b.axes]
            assert len(a.axes) >= 9
            return
        fig, (left, right) = plt.subplots(1, 2)
        got = getattr(msgs.chat, name)(ax=right)
        expected = func(msgs, ax=left)
        assert got is right and expected is left
        assert _artists(left) == _artists(right)
        assert left.lines or left.patches or left.images or left.collections
    finally:
        plt.close("all")


def test_report_coerce_and_convokit_parity(small, tmp_path):
    a = rs.report(small, tmp_path / "a.html", progress=False, me="Alex")
    b = small.chat.report(tmp_path / "b.html", progress=False, me="Alex")
    assert b == tmp_path / "b.html"
    assert a.read_text(encoding="utf-8") == b.read_text(encoding="utf-8")
    raw = pd.DataFrame({"timestamp": ["2025-03-01 10:00"], "sender": ["A"], "text": ["hi"]})
    pd.testing.assert_frame_equal(raw.chat.coerce(tz="UTC"), rs.coerce(raw, tz="UTC"))
    try:
        first = rs.to_convokit(small, tmp_path / "c1")
    except ImportError as exc:
        pytest.skip(f"to_convokit needs something not installed: {exc}")
    second = small.chat.to_convokit(tmp_path / "c2")
    assert sorted(p.name for p in first.iterdir()) == sorted(p.name for p in second.iterdir())


def test_parse_report_of_combined_frames_reads_like_one(tmp_path):
    """issue 16: rs.parse_report(msgs).summary() works after read_chats of several files."""
    from reconnect_signals.datasets import example_path

    one = tmp_path / "one.txt"
    two = tmp_path / "two.txt"
    text = example_path().read_text(encoding="utf-8")
    one.write_text(text, encoding="utf-8")
    two.write_text("\n".join(text.splitlines()[:40]) + "\n", encoding="utf-8")
    both = rs.read_chats([one, two], tz="Europe/London", date_order="DMY")
    rep = rs.parse_report(both)
    assert len(rep) == 2 and rep[0].source != rep[1].source  # still a list of the per-file reports
    summary = rep.summary()
    assert summary.splitlines()[0] == f"2 sources -> {rep[0].messages + rep[1].messages} messages."
    assert rep[0].summary() in summary and rep[1].summary() in summary
    assert rep.accounted()
    assert list(rep.to_frame().columns) == ["source", "line", "reason", "excerpt", "location"]
    assert both.chat.parse_report().summary() == summary


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


@pytest.mark.parametrize("name", ["engagement_model", "evaluate_engagement"])
def test_model_methods_delegate(msgs, name, monkeypatch):
    module = importlib.import_module(OTHER_CASES[name], "reconnect_signals")
    seen = []
    monkeypatch.setattr(module, name, lambda df, **kw: seen.append((df, kw)) or "result")
    assert getattr(msgs.chat, name)(target="replied_within", me="Alex") == "result"
    assert seen[0][0] is msgs and seen[0][1] == {"target": "replied_within", "me": "Alex"}
