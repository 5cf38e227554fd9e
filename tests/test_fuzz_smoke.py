"""CI smoke pass of the fuzz harnesses (issue 21): a fixed number of seeded mutants per reader.

Deterministic (mutant ``i`` of a target always comes from the same ``random.Random`` seed and the
seeds are the project's own fixtures), so it cannot be flaky. Long campaigns:
``python benchmarks/fuzz.py`` (see SECURITY.md, "Fuzzing").
"""

from __future__ import annotations

import random

import pytest
from fuzz import harness
from fuzz.mutators import MUTATORS, kind_of, mutate

import reconnect_signals as rs

#: mutants per target: 15 targets x 30 take about 4 CPU-seconds (budget: 60 s of wall time on 2 loaded cores)
EXECUTIONS = 30


@pytest.mark.parametrize("target", harness.TARGETS)
def test_fuzz_smoke_no_contract_violation(target):
    stats = harness.run_loop(target, executions=EXECUTIONS, seed=0)
    assert stats.executions == EXECUTIONS == stats.frames + stats.errors + sum(
        v["count"] for v in stats.violations.values())
    assert stats.violations == {}


def test_every_registered_reader_has_a_target_and_seeds():
    assert set(harness.TARGETS) == {*rs.list_formats()["format"], "auto"}
    for target in harness.TARGETS:
        assert harness.seeds(target), target


def test_the_harness_reports_what_breaks_the_contract(monkeypatch):
    def boom(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(rs, "read_chat", boom)
    outcome = harness.check("telegram", b"{}")
    assert outcome.result == "violation" and outcome.key.startswith("RecursionError")

    def slow(*args, **kwargs):
        while True:
            pass

    monkeypatch.setattr(harness, "time_budget", lambda n: 0.2)
    monkeypatch.setattr(rs, "read_chat", slow)
    assert harness.check("telegram", b"{}").key == "Hang"


def test_documented_errors_and_frames_are_not_violations():
    assert harness.check("telegram", b"not json").result == "error"
    assert harness.check("whatsapp", harness.seeds("whatsapp")[0]).result == "frame"


@pytest.mark.parametrize("kind", sorted(MUTATORS))
def test_mutators_are_deterministic_and_keep_to_their_kind(kind):
    seed = next(s for t in harness.TARGETS for s in harness.seeds(t) if kind_of(s) == kind) \
        if kind != "xml" else harness.seeds("sms")[0]
    first = [mutate(seed, random.Random(i)) for i in range(6)]
    assert first == [mutate(seed, random.Random(i)) for i in range(6)]
    assert any(m != seed for m in first)
