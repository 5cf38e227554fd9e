"""Research at scale (issue 17): client memory with by=None, and Dask vs pandas throughput on a split table.

One command runs both measurements (about an hour on an idle 2-core machine; inputs are
generated once and cached under ``benchmarks/_work/scale/``, which is git-ignored)::

    python benchmarks/scale.py                      # (a) 1M by=None + (b) 10M-message table
    python benchmarks/scale.py --only table --table-messages 2000000   # (b) at 2M only
    python benchmarks/scale.py --only rundir        # (a) only
    python benchmarks/scale.py --only 10m           # (b) at 10M only: pandas, dask, pandas, dask
                                                    # (--repeat 1: one pair), then the ratio

(a) ``rundir``: 1M messages in 2,000 synthetic WhatsApp exports (500 messages each),
    ``rs.score_corpus(corpus, by=None, out_dir=RUN, collect=False)`` with the pandas engine and
    with Dask (``LocalCluster``, 2 worker processes x 1 thread). Target: peak RSS of the client
    process <= 400 MiB with both engines.
(b) ``table``: N messages (default 10M) stored as one Parquet table of 10 files (row groups of
    100,000 rows; conversations of 90 messages, some running over a file boundary), scored
    per (conversation, sender) into a run directory with both engines. Target: bounded memory
    (peak RSS of the client and of each worker stated) and Dask (2 workers) >= 1.5x the pandas
    engine's messages per second.

Every measurement runs in a fresh subprocess. Reported per run: wall seconds, CPU seconds of
the client and of each worker (``getrusage`` in that process: user + system, all threads),
peak RSS (``ru_maxrss``) of the client and of each worker, rows written, and the machine load
(1-minute load average sampled every 5 s during the run: mean and max). Results are appended
to ``benchmarks/_work/scale/results.jsonl`` and printed as Markdown rows.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

WORK = Path(__file__).resolve().parent / "_work" / "scale"


def _usage() -> dict:
    """CPU seconds and peak RSS (MiB) of the calling process (a worker or the client)."""
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return {"cpu_s": ru.ru_utime + ru.ru_stime, "peak_mib": ru.ru_maxrss / 1024}


def _child(args) -> None:
    """One measurement (in a fresh process): score the corpus, print one JSON line."""
    import reconnect_signals as rs

    kw: dict = {
        "by": None if args.by_none else ("conversation_id", "sender"),
        "progress": False,
        "engine": args.engine,
        "out_dir": args.run,
        "collect": False,
    }
    cluster = client = None
    if args.engine == "dask":
        from distributed import Client

        from reconnect_signals._corpus import _local_cluster

        cluster = _local_cluster(args.workers)  # the LocalCluster score_corpus starts by default
        client = Client(cluster)
        kw["scheduler"] = client
    before = _usage()
    t0 = time.perf_counter()
    out = rs.score_corpus(args.corpus, **kw)
    seconds = time.perf_counter() - t0
    info = out.attrs["reconnect_signals"]
    result = {
        "engine": args.engine,
        "workers": args.workers if args.engine == "dask" else 0,
        "by": "None" if args.by_none else "conversation_id, sender",
        "messages": info["messages"],
        "rows": info["rows"],
        "files": len(info["files"]),
        "failed": len(info["failed"]),
        "seconds": round(seconds, 2),
        "client_cpu_s": round(_usage()["cpu_s"] - before["cpu_s"], 1),
        "client_peak_mib": round(_usage()["peak_mib"]),
    }
    if client is not None:
        workers = client.run(_usage)  # worker processes: their CPU since start, their peak RSS
        result["worker_cpu_s"] = [round(w["cpu_s"], 1) for w in workers.values()]
        result["worker_peak_mib"] = [round(w["peak_mib"]) for w in workers.values()]
        client.close()
        cluster.close()
    print(json.dumps(result), flush=True)


class _Load:
    """Samples the 1-minute load average every few seconds while a measurement runs."""

    def __init__(self, every: float = 5.0):
        self.samples: list[float] = [os.getloadavg()[0]]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(every,), daemon=True)

    def _run(self, every: float) -> None:
        while not self._stop.wait(every):
            self.samples.append(os.getloadavg()[0])

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.samples.append(os.getloadavg()[0])

    def summary(self) -> dict:
        return {"load_mean": round(sum(self.samples) / len(self.samples), 1), "load_max": round(max(self.samples), 1)}


def _measure(corpus: Path, engine: str, *, by_none: bool, workers: int, label: str) -> dict:
    run = WORK / f"run-{label}-{engine}"
    shutil.rmtree(run, ignore_errors=True)
    cmd = [
        sys.executable,
        __file__,
        "--child",
        "--engine",
        engine,
        "--corpus",
        str(corpus),
        "--run",
        str(run),
        "--workers",
        str(workers),
    ] + (["--by-none"] if by_none else [])
    with _Load() as load:
        proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-4000:])
        raise SystemExit(f"measurement failed: {' '.join(cmd)}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result.update(load.summary(), label=label, when=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
    shutil.rmtree(run, ignore_errors=True)
    WORK.mkdir(parents=True, exist_ok=True)
    with open(WORK / "results.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps(result) + "\n")
    _row(result)
    return result


def _row(r: dict) -> None:
    cpu = r["client_cpu_s"] + sum(r.get("worker_cpu_s", []))
    engine = "pandas" if r["engine"] == "pandas" else f"dask LocalCluster {r['workers']}x1"
    workers = ", ".join(map(str, r.get("worker_peak_mib", []))) or "-"
    print(
        f"| {r['label']} | {engine} | {r['messages']:,} | {r['rows']:,} | {r['seconds']:.1f} | "
        f"{r['messages'] / r['seconds']:,.0f} | {r['client_cpu_s']:.1f} | "
        f"{', '.join(map(str, r.get('worker_cpu_s', []))) or '-'} | {r['messages'] / max(cpu, 1e-9):,.0f} | "
        f"{r['client_peak_mib']} | {workers} | {r['load_mean']} / {r['load_max']} |",
        flush=True,
    )


def _whatsapp_corpus(messages: int) -> Path:
    from reconnect_signals._corpus import _write_synthetic_corpus

    per = 500
    folder = WORK / f"whatsapp-{messages}"
    done = folder / ".complete"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        t0 = time.perf_counter()
        _write_synthetic_corpus(folder, n_conversations=messages // per, messages=per, seed=17)
        done.write_text(f"{time.perf_counter() - t0:.0f} s\n")
    return folder


def _table_corpus(messages: int, files: int) -> Path:
    from reconnect_signals._corpus import _write_synthetic_table

    folder = WORK / f"table-{messages}-{files}"
    done = folder / ".complete"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        t0 = time.perf_counter()
        # 100,000-row row groups; conversations of 90 messages, so some run over a file boundary
        _write_synthetic_table(folder, messages, files=files, per_conversation=90, row_group_size=100_000, seed=17)
        done.write_text(f"{time.perf_counter() - t0:.0f} s\n")
    return folder


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument(
        "--only",
        choices=["rundir", "table", "10m"],
        help="run one of the two measurements; 10m: the 10M-message table only, engines alternating --repeat times",
    )
    ap.add_argument("--repeat", type=int, default=None, help="pairs of runs, engines alternating (10m: 2)")
    ap.add_argument("--rundir-messages", type=int, default=1_000_000)
    ap.add_argument("--table-messages", type=int, default=10_000_000)
    ap.add_argument("--table-files", type=int, default=10)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--engines", default="pandas,dask")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--engine", default="pandas", help=argparse.SUPPRESS)
    ap.add_argument("--corpus", help=argparse.SUPPRESS)
    ap.add_argument("--run", help=argparse.SUPPRESS)
    ap.add_argument("--by-none", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return _child(args)
    if args.only == "10m":
        args.only, args.table_messages, args.table_files = "table", 10_000_000, 10
        args.repeat = 2 if args.repeat is None else args.repeat
    repeat = max(1, args.repeat or 1)
    import reconnect_signals as rs

    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs; Python "
        f"{platform.python_version()}; reconnect_signals {rs.__version__}; load {os.getloadavg()}",
        flush=True,
    )
    print(
        "| run | engine | messages | rows out | wall s | messages/s | client CPU s | worker CPU s | "
        "messages per CPU-s | client peak MiB | worker peak MiB | load mean / max |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|", flush=True)
    engines = args.engines.split(",")
    results: dict[tuple[str, str], list[dict]] = {}
    if args.only in (None, "rundir"):
        corpus = _whatsapp_corpus(args.rundir_messages)
        for _ in range(repeat):
            for engine in engines:
                results.setdefault(("rundir", engine), []).append(
                    _measure(
                        corpus,
                        engine,
                        by_none=True,
                        workers=args.workers,
                        label=f"by=None {args.rundir_messages:,} (WhatsApp files)",
                    )
                )
    if args.only in (None, "table"):
        corpus = _table_corpus(args.table_messages, args.table_files)
        for _ in range(repeat):  # engines alternate, so a change of the machine's load hits both
            for engine in engines:
                results.setdefault(("table", engine), []).append(
                    _measure(
                        corpus,
                        engine,
                        by_none=False,
                        workers=args.workers,
                        label=f"table {args.table_messages:,} ({args.table_files} files)",
                    )
                )
    for what in ("rundir", "table"):
        if (what, "pandas") in results and (what, "dask") in results:
            _ratio(what, results[(what, "pandas")], results[(what, "dask")])


def _ratio(what: str, pandas_runs: list[dict], dask_runs: list[dict]) -> None:
    """Print the Dask/pandas throughput ratio (wall), and what the CPU seconds allow on an idle machine."""

    def cpu(r: dict) -> float:
        return r["client_cpu_s"] + sum(r.get("worker_cpu_s", []))

    def median(xs: list[float]) -> float:
        xs = sorted(xs)
        return (xs[(len(xs) - 1) // 2] + xs[len(xs) // 2]) / 2

    p_wall, d_wall = median([r["seconds"] for r in pandas_runs]), median([r["seconds"] for r in dask_runs])
    p_cpu, d_cpu = median([cpu(r) for r in pandas_runs]), median([cpu(r) for r in dask_runs])
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    loads = [r["load_mean"] for r in pandas_runs + dask_runs]
    print(
        f"{what}: dask/pandas throughput {p_wall / d_wall:.2f}x (median wall s: pandas {p_wall:.1f}, dask "
        f"{d_wall:.1f}; {len(pandas_runs)} + {len(dask_runs)} runs, load {min(loads)}-{max(loads)})",
        flush=True,
    )
    print(
        f"{what}: CPU s (median): pandas {p_cpu:.1f}, dask {d_cpu:.1f} (client + workers); idle-machine bounds: "
        f"dask wall >= {d_cpu / cores:.1f} s on {cores} cores, pandas wall <= {p_cpu:.1f} s, so the ratio needs "
        f"pandas wall >= {1.5 * d_cpu / cores:.1f} s for 1.5x; client peak MiB pandas "
        f"{pandas_runs[-1]['client_peak_mib']}, dask {dask_runs[-1]['client_peak_mib']}",
        flush=True,
    )


if __name__ == "__main__":
    main()
