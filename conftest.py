"""Shared test configuration for tests/ and the doctests: headless matplotlib, closed figures.

Sockets are disabled for the whole run by pytest-socket (``--disable-socket`` in pyproject.toml).
Tests run in parallel (pytest-xdist, ``-n auto`` in pyproject.toml). Tests marked ``slow`` are
skipped locally unless ``--runslow`` or ``-m slow`` is given; CI (``CI`` set) runs them all.
"""

from __future__ import annotations

import os

os.environ.setdefault("MPLBACKEND", "Agg")

import pytest
from hypothesis import settings

# each xdist worker gets its share of the cores for BLAS/OpenMP (as scikit-learn's conftest does): two workers
# on two cores each running a 2-thread BLAS made evaluate_engagement cost 2.5-3x the CPU of one thread, with the
# same results. The variables reach the libraries loaded after this point; threadpool_limits the ones loaded before.
_WORKERS = os.environ.get("PYTEST_XDIST_WORKER_COUNT", "")
if _WORKERS.isdigit() and int(_WORKERS) > 1:
    _SHARE = str(max(1, (os.cpu_count() or 1) // int(_WORKERS)))
    for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(_var, _SHARE)
    from threadpoolctl import threadpool_limits

    threadpool_limits(int(_SHARE))

# CI runs the property tests on a fixed sequence of examples (reproducible, never flaky);
# locally they explore new examples on every run.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


# the test modules with the costliest module-scoped fixtures: handed out first (--dist loadfile keeps
# every module on one worker, so each fixture is built once)
_ONE_WORKER = (
    "test_report.py",
    "test_dask.py",
    "test_corpus.py",
    "test_notebooks.py",
    "test_report_browser.py",
    "test_api_docs.py",
)


def pytest_addoption(parser):
    parser.addoption(
        "--runslow",
        action="store_true",
        default=False,
        help="also run the tests marked slow (CI does: they run whenever CI is set)",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # hand out the grouped modules (the largest units of work) first and the single tests after them, so
    # the workers finish together instead of one running a whole group at the end (longest job first);
    # the sort is stable and moves whole modules, so every module's tests stay together and in order
    items.sort(key=lambda item: item.path.name not in _ONE_WORKER)
    if config.getoption("--runslow") or os.environ.get("CI") or config.option.markexpr:
        return
    skip = pytest.mark.skip(reason="slow: run with --runslow or -m slow (CI runs them)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def text_only(monkeypatch):
    """Report figures made but not drawn to SVG (~70 % of a report's time), for tests that read only the text."""
    from reconnect_signals import _report_figures

    monkeypatch.setattr(_report_figures, "to_svg", lambda fig, prefix, label, glyphs=None: "<svg></svg>")


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every matplotlib figure a test opened (seaborn's tests do the same)."""
    yield
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
