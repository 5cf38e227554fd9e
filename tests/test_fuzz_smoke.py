"""CI smoke pass of the fuzz harnesses (issue 21): a fixed number of seeded mutants per reader.

Deterministic (mutant ``i`` of a target always comes from the same ``random.Random`` seed and the
seeds are the project's own fixtures), so it cannot be flaky. Long campaigns:
``python benchmarks/fuzz.py`` (see SECURITY.md, "Fuzzing").
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from fuzz import harness
from fuzz.mutators import MUTATORS, kind_of, mutate

import reconnect_signals as rs

#: mutants per target: 15 targets x 30 take about 4 CPU-seconds (budget: 60 s of wall time on 2 loaded cores)
EXECUTIONS = 30


@pytest.mark.parametrize("target", harness.TARGETS)
def test_fuzz_smoke_no_contract_violation(target):
    stats = harness.run_loop(target, executions=EXECUTIONS, seed=0)
    assert (
        stats.executions
        == EXECUTIONS
        == stats.frames + stats.errors + sum(v["count"] for v in stats.violations.values())
    )
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


def test_a_frame_over_invalid_arrow_memory_is_a_violation(monkeypatch):
    """A frame that passes rs.validate but whose string column's Arrow data is invalid (offsets out of
    order, as the WhatsApp fast path once built them) is reported at the input that made it."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    good = harness.seeds("whatsapp")[0]
    frame = rs.read_chat(good, format="whatsapp", **harness.kwargs_for("whatsapp"))
    assert harness.invalid_arrow_columns(frame) == {}
    m = len(frame)
    # every offset inside the buffer (nothing is read out of bounds here), but the second string ends before
    # it starts; Arrow's cheap validation (first and last offsets, run by from_buffers) does not see it
    assert m >= 2
    offsets = np.r_[0, 2, 1, np.full(m - 2, 2)].astype(np.int64)
    bad = pa.LargeStringArray.from_buffers(m, pa.py_buffer(offsets), pa.py_buffer(b"ab"))
    broken = frame.assign(text=pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([bad])), index=frame.index))
    rs.validate(broken)  # the schema check alone does not see it
    assert set(harness.invalid_arrow_columns(broken)) == {"text"}
    monkeypatch.setattr(rs, "read_chat", lambda *a, **k: broken)
    outcome = harness.check("whatsapp", good)
    assert outcome.result == "violation" and outcome.key == "InvalidArrow" and "'text'" in outcome.detail


def test_documented_errors_and_frames_are_not_violations():
    assert harness.check("telegram", b"not json").result == "error"
    assert harness.check("whatsapp", harness.seeds("whatsapp")[0]).result == "frame"


@pytest.mark.parametrize("kind", sorted(MUTATORS))
def test_mutators_are_deterministic_and_keep_to_their_kind(kind):
    seed = (
        next(s for t in harness.TARGETS for s in harness.seeds(t) if kind_of(s) == kind)
        if kind != "xml"
        else harness.seeds("sms")[0]
    )
    first = [mutate(seed, random.Random(i)) for i in range(6)]
    assert first == [mutate(seed, random.Random(i)) for i in range(6)]
    assert any(m != seed for m in first)


def _fallback(data: bytes, max_size: int) -> bytes:
    return b"fallback:" + data[: max_size - 9]


def test_custom_mutator_never_lets_an_exception_reach_libfuzzer(monkeypatch, tmp_path):
    # an exception escaping the custom mutator becomes a C++ exception and abort() inside libFuzzer:
    # a WhatsApp campaign died that way ("deadly signal"); it is now counted, its input saved
    def broken(data, rng, depth=0):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(harness, "mutate", broken)
    errors: dict = {}
    outs = [
        harness.custom_mutate(b"seed", 100, seed, fallback=_fallback, errors=errors, save=tmp_path)
        for seed in range(20)
    ]
    assert outs == [b"fallback:seed"] * 20  # half libFuzzer's own mutation, half the broken one's fallback
    [(key, entry)] = errors.items()
    assert key.startswith("RecursionError") and 0 < entry["count"] < 20
    assert Path(entry["input"]).read_bytes() == b"seed"


def test_custom_mutator_that_runs_away_falls_back_after_its_cpu_budget(monkeypatch):
    def endless(data, rng, depth=0):
        while True:
            pass

    monkeypatch.setattr(harness, "mutate", endless)
    seed = next(s for s in range(20) if random.Random(s).random() >= 0.5)  # the structure-aware half
    errors: dict = {}
    assert harness.custom_mutate(b"x", 100, seed, fallback=_fallback, errors=errors, seconds=0.2) == b"fallback:x"
    assert errors == {}


def test_a_late_cpu_alarm_is_ignored_outside_its_block():
    # the alarm can be handled by Python after its block ended (it went off inside a C call): it must
    # not raise Hang into whatever runs next (the next read, or libFuzzer's C++)
    with harness.cpu_alarm(60.0):
        pass
    harness._on_alarm(None, None)  # no Hang
    with pytest.raises(harness.Hang), harness.cpu_alarm(0.1):
        while True:
            pass


def test_json_mutator_never_raises_recursion_error_on_documents_near_the_limit():
    # found by a stress run of the mutators: a graft of a deep node into a deep place nests the document
    # past the recursion limit within one call, and walking or writing it raised RecursionError, which
    # escaped into libFuzzer; the limit is lowered here so that a 120-deep document is "near" it
    import inspect
    import sys

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack(0)) + 200)
    try:
        data = ("[" * 120 + "1" + "]" * 120).encode()
        outs = [mutate(data, random.Random(seed)) for seed in range(30, 50)]  # 38 raised
    finally:
        sys.setrecursionlimit(limit)
    assert len(set(outs)) > 1


def _malformed_schema_not_utf8(tmp_path) -> bytes:
    """A SQLite file whose schema is malformed and names a table in bytes that are not UTF-8."""
    import sqlite3

    path = tmp_path / "x.db"
    con = sqlite3.connect(path)
    con.execute('CREATE TABLE "zz\u00e9zz" (a, bb)')
    con.commit()
    con.close()
    return path.read_bytes().replace("\u00e9".encode(), b"\x9d\x9d").replace(b"(a, bb)", b"(a,, b)")


def test_sqlite_mutator_on_a_malformed_schema_that_is_not_utf8_does_not_raise(tmp_path):
    # found by a stress run of the mutators: sqlite's error message ("malformed database schema (zz\x9d...")
    # is not UTF-8, so Python raised UnicodeDecodeError instead of sqlite3.Error
    data = _malformed_schema_not_utf8(tmp_path)
    assert kind_of(data) == "sqlite"
    outs = [mutate(data, random.Random(seed)) for seed in range(3)]
    assert all(isinstance(o, bytes) for o in outs)
