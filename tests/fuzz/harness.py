"""Fuzz targets for every reader and for auto-detection, and the contract they enforce.

The contract (SECURITY.md, "Fuzzing contract"): for any input, ``rs.read_chat`` returns a frame
that passes :func:`reconnect_signals.validate`, or raises an error of the library's hierarchy
(:class:`~reconnect_signals.errors.ReconnectSignalsError`), or ``FileNotFoundError`` /
``PermissionError`` for the path itself. Anything else is a violation: ``RecursionError``,
``MemoryError``, another library's exception, a frame that fails ``validate`` or whose Arrow data
fails Arrow's full validation (:func:`invalid_arrow_columns`), or an input that
takes more CPU time than :func:`time_budget` allows. Memory is bounded by running a campaign in
a child process under ``RLIMIT_AS`` (``benchmarks/fuzz.py``), where running out is a
``MemoryError`` and so a violation.

Seeds: every fixture under ``tests/data`` that a reader recognises, exports rendered by the
project's own generators (``tests/test_hostile.py``), and, for campaigns only, the third-party
samples under ``../shared/fixtures`` when present (through ``tests/_shared.py``).
"""

from __future__ import annotations

import contextlib
import hashlib
import random
import signal
import sys
import tempfile
import time
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

import reconnect_signals as rs  # noqa: E402
from reconnect_signals.errors import ReconnectSignalsError  # noqa: E402

from .mutators import mutate  # noqa: E402

__all__ = [
    "TARGETS",
    "Outcome",
    "Stats",
    "check",
    "seeds",
    "time_budget",
    "run_loop",
    "kwargs_for",
    "cpu_alarm",
    "custom_mutate",
    "invalid_arrow_columns",
]

#: every registered format, plus auto-detection
TARGETS: tuple[str, ...] = (*sorted(rs.list_formats()["format"]), "auto")

#: read_chat options a format needs to read its seeds without asking
_KWARGS = {"irc": {"date": "2024-06-01"}, "whatsapp": {"date_order": "DMY"}}

#: largest input a campaign feeds a reader (bigger seeds are skipped, mutants are cut)
MAX_INPUT = 2**20


def kwargs_for(target: str) -> dict:
    return dict(_KWARGS.get(target, {}))


def time_budget(n_bytes: int) -> float:
    """CPU seconds one input may take: linear in its size (2 s + 5 s per MiB)."""
    return 2.0 + 5.0 * n_bytes / 2**20


class Hang(BaseException):
    """Raised by the CPU-time alarm inside a read that went past :func:`time_budget`."""


_ARMED = [False]


def _on_alarm(signum, frame):
    # A signal is handled by Python at the next bytecode boundary, which may come after the timer was
    # disarmed (the alarm went off inside a long C call): raising Hang there would escape the code that
    # waits for it, so a late alarm is ignored.
    if _ARMED[0]:
        _ARMED[0] = False
        raise Hang()


@contextlib.contextmanager
def cpu_alarm(seconds: float):
    """Raise :class:`Hang` inside the block once it has used ``seconds`` of CPU time (no-op without ``setitimer``)."""
    if not hasattr(signal, "setitimer"):
        yield
        return
    previous = signal.signal(signal.SIGVTALRM, _on_alarm)
    _ARMED[0] = True
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        yield
    finally:
        _ARMED[0] = False
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)


@dataclass
class Outcome:
    """What one input did: ``"frame"``, ``"error"`` (documented) or ``"violation"``."""

    result: str
    detail: str = ""
    key: str = ""  # groups violations: exception type and the innermost library frame
    seconds: float = 0.0


def _where(exc: BaseException) -> str:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "reconnect_signals" in f.filename]
    frame = frames[-1] if frames else (traceback.extract_tb(exc.__traceback__) or [None])[-1]
    if frame is None:
        return type(exc).__name__
    return f"{type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno} ({frame.name})"


def invalid_arrow_columns(df) -> dict[str, str]:
    """Columns whose Arrow data fails Arrow's full validation, with the reason (``{}`` when all are valid).

    ``rs.validate`` checks names and dtypes, not the memory behind them. A reader that builds string arrays
    from raw buffers (``from_buffers``, as the WhatsApp reader does) can make offsets that point outside
    their buffer; Arrow then reads or writes out of bounds, and the process may crash inputs later, far
    from the cause (the WhatsApp "segfault under atheris" of session 3). Checked here, the input that
    made the array is the one reported.
    """
    import pyarrow as pa

    out = {}
    for name in df.columns:
        arr = getattr(df[name].array, "_pa_array", None)
        if arr is None:
            continue
        try:
            arr.validate(full=True)
        except pa.ArrowException as exc:
            out[name] = f"column {name!r} is not a valid Arrow array: {str(exc)[:200]}"
    return out


def check(target: str, data: bytes, *, enforce_time: bool = True) -> Outcome:
    """Read ``data`` with ``format=target`` and judge the outcome against the contract."""
    fmt = "auto" if target == "auto" else target
    alarm = cpu_alarm(time_budget(len(data))) if enforce_time else contextlib.nullcontext()
    start = time.process_time()
    try:
        with alarm, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            df = rs.read_chat(data, format=fmt, errors="ignore", **kwargs_for(target))
            rs.validate(df)
        bad = invalid_arrow_columns(df)
        outcome = Outcome("frame") if not bad else Outcome("violation", "; ".join(bad.values()), key="InvalidArrow")
    except ReconnectSignalsError as exc:
        outcome = Outcome("error", f"{type(exc).__name__}: {str(exc)[:160]}")
    except Hang:
        outcome = Outcome(
            "violation", f"over the time budget of {time_budget(len(data)):.1f} CPU s for {len(data)} bytes", key="Hang"
        )
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # the contract: nothing else may escape
        outcome = Outcome("violation", f"{type(exc).__name__}: {str(exc)[:300]}", key=_where(exc))
    outcome.seconds = time.process_time() - start
    return outcome


# -- the custom mutator of a libFuzzer campaign -----------------------------------------------------


def custom_mutate(
    data: bytes,
    max_size: int,
    seed: int,
    *,
    fallback,
    errors: dict,
    save: Path | None = None,
    name: str = "mutant",
    seconds: float = 5.0,
) -> bytes:
    """Half libFuzzer's mutation (``fallback(data, max_size)``), half :func:`mutate`; never raises.

    atheris calls this from libFuzzer's C++: a Python exception escaping it becomes a C++ exception
    and ``abort()`` (a "deadly signal" that ends the campaign). So a structure-aware mutation that
    raises or runs past ``seconds`` of CPU time falls back to ``fallback``; an exception is a bug of the mutators
    (not of the library), counted in ``errors`` (key -> ``{"count", "detail", "input"}``) with its
    input saved under ``save``.
    """
    rng = random.Random(seed)
    if rng.random() < 0.5:
        return fallback(data, max_size)
    out = None
    try:
        with cpu_alarm(seconds):  # a mutator that runs away must not stall the campaign
            out = mutate(data, rng)[:max_size]
    except Hang:
        pass
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # see the docstring
        entry = errors.setdefault(
            _where(exc), {"count": 0, "detail": f"{type(exc).__name__}: {exc}"[:300], "input": None}
        )
        entry["count"] += 1
        if save is not None and entry["input"] is None:
            save.mkdir(parents=True, exist_ok=True)
            path = save / f"mutator-{name}-{hashlib.sha1(data).hexdigest()[:16]}-seed{seed}.bin"
            path.write_bytes(data)
            entry["input"] = str(path)
    return fallback(data, max_size) if out is None else out


# -- seeds -----------------------------------------------------------------------------------------


def _generated() -> dict[str, list[bytes]]:
    """Exports written by the project's own generators (tests/test_hostile.py), by format."""
    import test_hostile as h

    out: dict[str, list[bytes]] = {}
    for name in h.ALL_RENDERINGS:
        if name == "imessage":
            with tempfile.TemporaryDirectory() as tmp:
                data = h.chat_db(h.TEXTS, Path(tmp) / "chat.db").read_bytes()
        else:
            data = h.RENDER[name][1](h.single_line(name, h.TEXTS))
        out.setdefault(h.fmt_of(name), []).append(data)
    for fmt, blobs in list(out.items()):
        if fmt in h.ZIPPED:
            zipped = h.zipped(fmt, h.TEXTS)
            out[fmt] = [*blobs, h._zip(zipped)] if len(zipped) > 1 or fmt != "slack" else blobs
    return out


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.stat().st_size <= MAX_INPUT)


def _detected(paths: list[Path]) -> dict[str, list[bytes]]:
    out: dict[str, list[bytes]] = {}
    for p in paths:
        try:
            fmt = rs.detect_format(p)
        except (ReconnectSignalsError, OSError):
            continue
        out.setdefault(fmt, []).append(p.read_bytes())
    return out


_CACHE: dict[bool, dict[str, list[bytes]]] = {}


def seeds(target: str, *, shared: bool = False) -> list[bytes]:
    """Seed inputs for ``target`` (for ``"auto"``: every seed of every format), deduplicated, sorted.

    ``shared=True`` adds the third-party samples under ``../shared/fixtures`` when present.
    """
    if shared not in _CACHE:
        found = _generated()
        paths = _files(TESTS / "data")
        if shared:
            from _shared import shared_available, shared_path

            if shared_available("fixtures"):
                paths += _files(shared_path("fixtures"))
        for fmt, blobs in _detected(paths).items():
            found.setdefault(fmt, []).extend(blobs)
        _CACHE[shared] = found
    found = _CACHE[shared]
    blobs = [b for bs in found.values() for b in bs] if target == "auto" else found.get(target, [])
    unique = {hashlib.sha1(b).hexdigest(): b for b in blobs}
    return [unique[k] for k in sorted(unique)]


# -- a deterministic loop (CI smoke pass; campaigns without atheris) -------------------------------


@dataclass
class Stats:
    target: str
    executions: int = 0
    frames: int = 0
    errors: int = 0
    violations: dict = field(default_factory=dict)  # key -> {"count", "detail", "input"}
    cpu_seconds: float = 0.0

    def record(self, outcome: Outcome, data: bytes, save: Path | None = None) -> None:
        self.executions += 1
        self.cpu_seconds += outcome.seconds
        if outcome.result == "frame":
            self.frames += 1
        elif outcome.result == "error":
            self.errors += 1
        else:
            entry = self.violations.setdefault(outcome.key, {"count": 0, "detail": outcome.detail, "input": None})
            entry["count"] += 1
            if save is not None and entry["input"] is None:
                save.mkdir(parents=True, exist_ok=True)
                path = save / f"{self.target}-{hashlib.sha1(data).hexdigest()[:16]}.bin"
                path.write_bytes(data)
                entry["input"] = str(path)


def run_loop(
    target: str,
    *,
    executions: int | None = None,
    seconds: float | None = None,
    seed: int = 0,
    shared: bool = False,
    save: Path | None = None,
    enforce_time: bool = True,
) -> Stats:
    """Mutate seeds with :func:`mutate` and :func:`check` each mutant, for a count or CPU seconds.

    Deterministic for a given ``seed`` (mutant ``i`` comes from ``random.Random(seed * 1_000_003 + i)``).
    """
    pool = seeds(target, shared=shared)
    stats = Stats(target)
    start = time.process_time()
    i = 0
    while True:
        if executions is not None and i >= executions:
            break
        if seconds is not None and time.process_time() - start >= seconds:
            break
        rng = random.Random(seed * 1_000_003 + i)
        data = mutate(pool[rng.randrange(len(pool))], rng)[:MAX_INPUT]
        stats.record(check(target, data, enforce_time=enforce_time), data, save)
        i += 1
    return stats
