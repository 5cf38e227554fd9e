"""Fuzzing harnesses for every reader (issue 21): ``harness`` (targets, seeds, the contract) and
``mutators`` (structure-aware mutations). Run campaigns with ``python benchmarks/fuzz.py``;
``tests/test_fuzz_smoke.py`` runs a short deterministic pass in CI."""
