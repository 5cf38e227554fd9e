"""Fuzz every reader (and auto-detection) for a chosen time each; write a summary (issue 21).

    pip install -e ".[fuzz]"                       # atheris (coverage-guided, libFuzzer)
    nice python benchmarks/fuzz.py --seconds 600   # >= 10 CPU-minutes per reader, one at a time
    nice python benchmarks/fuzz.py --seconds 60 --targets imessage,telegram --shared

Each target runs in its own child process under ``RLIMIT_AS`` (``--mem-mb``, default 3072), so
running out of memory is a ``MemoryError`` inside the harness: a contract violation, like any
exception outside the library's hierarchy, an invalid frame, or an input that takes more CPU
time than the linear budget of ``tests/fuzz/harness.time_budget``. Violations never stop a
campaign: each distinct one (exception type and innermost library frame) is counted and its first
input saved under ``--out``/crashes.

Engines: ``atheris`` (default when installed) instruments the library's bytecode and mutates with
libFuzzer's own mutations mixed half and half with the structure-aware ones of
``tests/fuzz/mutators.py``; it reports coverage as libFuzzer's ``cov`` (edges) and ``ft``
(features). ``loop`` (no extra dependency) applies the structure-aware mutations to the seeds
without coverage feedback and reports executions only. Time is CPU time of the child, so the
numbers mean the same on a loaded machine. The summary goes to ``--out``/summary.json and is
printed as a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"


def _limit_memory(mb: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (mb * 2**20, mb * 2**20))


def _child(args: argparse.Namespace) -> None:
    """Fuzz one target in this process; write ``out/<target>.json`` as it goes."""
    _limit_memory(args.mem_mb)
    sys.path.insert(0, str(TESTS))
    out = Path(args.out)
    state_path = out / f"{args.child}.json"
    engine = args.engine
    if engine == "atheris":
        import atheris

        with atheris.instrument_imports(include=["reconnect_signals"]):
            import reconnect_signals as rs

            rs.list_formats()  # imports every reader under instrumentation
            import reconnect_signals.io._json
            import reconnect_signals.io._sqlite  # noqa: F401
    from fuzz import harness

    stats = harness.Stats(args.child)
    mutator_errors: dict = {}  # bugs of tests/fuzz/mutators.py (not of the library): key -> count, input
    crashes = out / "crashes"
    started = 0.0  # CPU seconds are counted from the child's start: imports and seeding included

    def cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    def save_state(extra: dict | None = None) -> None:
        state = {
            "target": args.child,
            "engine": engine,
            "executions": stats.executions,
            "frames": stats.frames,
            "errors": stats.errors,
            "violations": stats.violations,
            "mutator_errors": mutator_errors,
            "cpu_seconds": round(cpu() - started, 1),
            **(extra or {}),
        }
        tmp = state_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, indent=1))
        os.replace(tmp, state_path)  # readers (--report) never see half a file

    if engine == "loop":
        stats = harness.run_loop(args.child, seconds=args.seconds, seed=args.seed, shared=args.shared, save=crashes)
        save_state()
        return

    corpus = out / "corpus" / args.child
    corpus.mkdir(parents=True, exist_ok=True)
    crashes.mkdir(parents=True, exist_ok=True)
    for i, seed in enumerate(harness.seeds(args.child, shared=args.shared)):
        (corpus / f"seed-{i:03d}").write_bytes(seed)

    # the last RECENT inputs, on disk (input i in slot i % RECENT): a crash below Python (faulthandler's
    # stack, no libFuzzer artifact) leaves them behind. The input being read when the process died is often
    # not the cause: memory corrupted by an earlier input crashes a later allocation (the WhatsApp segfaults
    # of session 3), so replay them oldest first in one process (``--replay``). A child that ends normally
    # removes them.
    recent = [crashes / f"recent-{args.child}-{os.getpid()}-{k:02d}.bin" for k in range(RECENT)]

    def one_input(data: bytes) -> None:
        recent[stats.executions % RECENT].write_bytes(data)
        stats.record(harness.check(args.child, data), data, crashes)
        if stats.executions % 50 == 0 or stats.violations and stats.executions % 5 == 0:
            save_state()
        if cpu() - started >= args.seconds:  # CPU time, not libFuzzer's wall clock
            save_state({"stopped": "cpu budget"})
            for path in recent:
                path.unlink(missing_ok=True)
            sys.stderr.flush()
            os._exit(0)

    def custom_mutator(data: bytes, max_size: int, seed: int) -> bytes:
        # called from libFuzzer's C++: harness.custom_mutate never lets a Python exception escape
        # (one did, and abort() killed a WhatsApp campaign with a "deadly signal")
        before = sum(e["count"] for e in mutator_errors.values())
        out = harness.custom_mutate(
            data, max_size, seed, fallback=atheris.Mutate, errors=mutator_errors, save=crashes, name=args.child
        )
        if sum(e["count"] for e in mutator_errors.values()) != before:
            save_state()
        return out

    import faulthandler

    faulthandler.enable(all_threads=True)  # a crash below Python prints every thread's Python stack
    atheris.Setup(
        [
            sys.argv[0],
            f"-max_total_time={args.seconds * 30}",
            "-timeout=900",
            "-rss_limit_mb=0",
            "-malloc_limit_mb=0",
            f"-max_len={harness.MAX_INPUT}",
            "-print_final_stats=1",
            f"-seed={args.seed + 1}",
            f"-artifact_prefix={crashes}/",
            str(corpus),
        ],
        one_input,
        custom_mutator=custom_mutator,
    )
    import atexit

    atexit.register(save_state)
    atheris.Fuzz()


#: how many of the last inputs a child keeps on disk (see ``one_input``)
RECENT = 32


def replay(paths: list[Path], target: str) -> int:
    """Read ``paths`` in order in this process (no atheris), as a dead child read them; print each outcome.

    ``recent-*`` files are ordered by modification time (oldest first), so the replay repeats the
    sequence that led to a crash below Python; run it under ``gdb -batch -ex run -ex bt --args`` for the
    native stack. Returns the number of contract violations.
    """
    sys.path.insert(0, str(TESTS))
    from fuzz import harness

    violations = 0
    for path in sorted(paths, key=lambda p: p.stat().st_mtime_ns):
        outcome = harness.check(target, path.read_bytes())
        violations += outcome.result == "violation"
        print(f"{path.name}: {outcome.result} {outcome.key} {outcome.detail[:120]}", flush=True)
    return violations


_DONE = re.compile(r"Done (\d+) runs in (\d+) second")
_COV = re.compile(r"cov: (\d+) ft: (\d+) corp: (\d+)")


#: a child that dies of a signal is restarted (from its corpus) this many times at most
MAX_RESTARTS = 10


def _run_target(target: str, args: argparse.Namespace) -> dict:
    """Fuzz ``target`` in child processes until ``args.seconds`` of their CPU time are spent.

    A child that dies of a signal (libFuzzer's "deadly signal": a crash below Python, where the
    harness cannot catch it) is recorded under ``child_deaths`` with the end of its output
    (``faulthandler`` prints the Python stack of every thread) and restarted from the corpus it
    built, like libFuzzer's ``-fork`` mode, so one crash does not end the campaign.
    """
    out = Path(args.out)
    state_path = out / f"{target}.json"
    wall = time.time()
    total: dict = {
        "target": target,
        "engine": args.engine,
        "executions": 0,
        "frames": 0,
        "errors": 0,
        "violations": {},
        "mutator_errors": {},
        "child_deaths": [],
        "child_cpu_seconds": 0.0,
    }
    logs = []
    for run in range(MAX_RESTARTS + 1):
        left = args.seconds - total["child_cpu_seconds"]
        if left < 5:
            break
        cmd = [
            sys.executable,
            __file__,
            "--child",
            target,
            "--seconds",
            str(round(left)),
            "--engine",
            args.engine,
            "--out",
            str(out),
            "--mem-mb",
            str(args.mem_mb),
            "--seed",
            str(args.seed + run),
        ]
        if args.shared:
            cmd.append("--shared")
        state_path.unlink(missing_ok=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        proc = subprocess.run(
            cmd, capture_output=True, text=True, errors="replace", timeout=args.seconds * 20 + 600, check=False
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        logs.append(f"===== run {run}: exit code {proc.returncode}\n{proc.stdout}{proc.stderr}")
        (out / f"{target}.log").write_text("\n".join(logs))
        state = json.loads(state_path.read_text()) if state_path.exists() else {}
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        total["child_cpu_seconds"] = round(total["child_cpu_seconds"] + cpu, 1)
        for key in ("executions", "frames", "errors"):
            total[key] += state.get(key, 0)
        for key in ("violations", "mutator_errors"):
            for name, entry in (state.get(key) or {}).items():
                merged = total[key].setdefault(name, {"count": 0, "detail": entry["detail"], "input": entry["input"]})
                merged["count"] += entry["count"]
        cov = _COV.findall(proc.stderr)
        if cov:
            total["cov"], total["ft"], total["corpus"] = map(int, cov[-1])
        done = _DONE.findall(proc.stderr)
        total["libfuzzer_runs"] = total.get("libfuzzer_runs", 0) + (int(done[-1][0]) if done else 0)
        total["peak_rss_mb"] = round(after.ru_maxrss / 1024)  # the largest child so far
        total["exit_code"] = proc.returncode
        if proc.returncode == 0:
            break
        artifact = re.findall(r"Test unit written to (\S+)", proc.stderr)
        total["child_deaths"].append(
            {
                "exit_code": proc.returncode,
                "after_executions": state.get("executions", 0),
                "cpu_seconds": round(cpu, 1),
                "artifact": artifact[-1] if artifact else None,
                "stderr_tail": proc.stderr[-3000:],
            }
        )
    total["wall_seconds"] = round(time.time() - wall, 1)
    state_path.write_text(json.dumps(total, indent=1))
    return total


def _table(rows: list[dict]) -> str:
    lines = [
        "| target | engine | CPU s | executions | exec/s | cov | ft | frames | errors | violations | mutator errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in rows:
        cpu = r.get("child_cpu_seconds") or r.get("cpu_seconds") or 0
        viol = "; ".join(f"{k} x{v['count']}" for k, v in (r.get("violations") or {}).items()) or "0"
        mut = "; ".join(f"{k} x{v['count']}" for k, v in (r.get("mutator_errors") or {}).items()) or "0"
        if r.get("child_deaths"):
            viol += f"; child died x{len(r['child_deaths'])} (exit {r['child_deaths'][0]['exit_code']})"
        lines.append(
            f"| {r['target']} | {r.get('engine', '')} | {cpu} | {r.get('executions', 0)} | "
            f"{r.get('executions', 0) / cpu if cpu else 0:.0f} | {r.get('cov', '-')} | {r.get('ft', '-')} | "
            f"{r.get('frames', 0)} | {r.get('errors', 0)} | {viol} | {mut} |"
        )
    return "\n".join(lines)


def _collect(folder: Path) -> list[dict]:
    """The per-target states of a campaign folder, finished or not (cov/ft from a finished child's log)."""
    rows = []
    for path in sorted(folder.glob("*.json")):
        if path.name == "summary.json":
            continue
        try:
            state = json.loads(path.read_text())
        except ValueError:  # written by a child of an older version of this script, not atomically
            time.sleep(0.5)
            state = json.loads(path.read_text())
        log = folder / f"{state['target']}.log"
        state["campaign"] = folder.name
        state["finished"] = log.exists()
        if log.exists():
            text = log.read_text(errors="replace")
            cov = _COV.findall(text)
            if cov:
                state["cov"], state["ft"], state["corpus"] = map(int, cov[-1])
        rows.append(state)
    return rows


def report(folders: list[Path]) -> str:
    """One Markdown table over several campaign folders (``--report a,b``), running ones included."""
    lines = [
        "| target | campaign | state | CPU s | executions | cov | ft | violations | mutator errors |",
        "|---|---|---|---:|---:|---:|---:|---|---|",
    ]
    for folder in folders:
        for r in _collect(folder):
            viol = "; ".join(f"{k} x{v['count']}" for k, v in (r.get("violations") or {}).items()) or "0"
            mut = "; ".join(f"{k} x{v['count']}" for k, v in (r.get("mutator_errors") or {}).items()) or "0"
            if r.get("child_deaths"):
                viol += f"; child died x{len(r['child_deaths'])} (exit {r['child_deaths'][0]['exit_code']})"
            lines.append(
                f"| {r['target']} | {r['campaign']} | {'finished' if r['finished'] else 'running'} | "
                f"{r.get('child_cpu_seconds') or r.get('cpu_seconds', 0)} | {r.get('executions', 0)} | "
                f"{r.get('cov', '-')} | "
                f"{r.get('ft', '-')} | {viol} | {mut} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=600, help="CPU seconds per target (default 600)")
    parser.add_argument("--targets", default="", help="comma-separated formats (default: every reader and auto)")
    try:
        import atheris  # noqa: F401

        default_engine = "atheris"
    except ImportError:
        default_engine = "loop"
    parser.add_argument("--engine", choices=["atheris", "loop"], default=default_engine)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "_work" / "fuzz"))
    parser.add_argument("--mem-mb", type=int, default=3072, help="RLIMIT_AS of each child (MiB)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--shared", action="store_true", help="add ../shared/fixtures to the seeds")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--report", help="print one table over these campaign folders (comma-separated) and exit")
    parser.add_argument(
        "--replay", nargs="+", type=Path, help="read these inputs (a dead child's recent-* files) in order and exit"
    )
    args = parser.parse_args(argv)
    if args.replay:
        return 1 if replay(args.replay, args.targets.split(",")[0] or "auto") else 0
    if args.report:
        print(report([Path(f) for f in args.report.split(",")]))
        return 0
    Path(args.out).mkdir(parents=True, exist_ok=True)
    if args.child:
        _child(args)
        return 0
    sys.path.insert(0, str(TESTS))
    from fuzz.harness import TARGETS

    targets = [t for t in args.targets.split(",") if t] or list(TARGETS)
    rows = []
    for target in targets:
        row = _run_target(target, args)
        rows.append(row)
        print(_table([row]).split("\n")[-1], flush=True)
    uptime = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    summary = {
        "uptime": uptime,
        "seconds_per_target": args.seconds,
        "engine": args.engine,
        "mem_mb": args.mem_mb,
        "targets": rows,
    }
    (Path(args.out) / "summary.json").write_text(json.dumps(summary, indent=1))
    print(f"\n{uptime}\n\n{_table(rows)}")
    return 1 if any(r.get("violations") or r.get("child_deaths") for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
