"""Corpus throughput of rs.score_corpus: messages per second, pandas engine vs Dask engine.

Writes a seeded synthetic corpus (fictional names; WhatsApp exports and multi-conversation
CSV tables, alternating), scores it with each engine, checks that the tables are equal,
prints messages/s and appends a results section (with a description of this machine) to
benchmarks/RESULTS_corpus.md.

    python benchmarks/corpus_throughput.py                 # 1000 conversations
    python benchmarks/corpus_throughput.py --conversations 300 --no-append

Everything runs offline; the Dask cluster is a LocalCluster bound to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

import reconnect_signals as rs
from reconnect_signals._corpus import _write_synthetic_corpus

RESULTS = Path(__file__).with_name("RESULTS_corpus.md")


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
                break
    except OSError:
        pass
    import dask
    import distributed
    import numpy
    import pyarrow

    return (
        f"{cpu}; {os.cpu_count()} logical CPUs; {mem} RAM; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; pandas {pd.__version__}; numpy {numpy.__version__}; "
        f"pyarrow {pyarrow.__version__}; dask {dask.__version__}; distributed {distributed.__version__}; "
        f"reconnect_signals {rs.__version__}"
    )


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def cpu_timed(fn):
    """(result, wall seconds, CPU seconds of this process)."""
    c0 = os.times()
    out, wall = timed(fn)
    c1 = os.times()
    return out, wall, (c1.user - c0.user) + (c1.system - c0.system)


def contention() -> float:
    """Share of wall time a pure-Python loop got on a CPU (1.0 on an idle machine)."""

    def loop():
        x = 0
        for i in range(3_000_000):
            x += i
        return x

    _, wall, cpu = cpu_timed(loop)
    return cpu / wall if wall else float("nan")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--conversations", type=int, default=1000)
    ap.add_argument("--messages", type=int, nargs=2, default=(20, 200), metavar=("LOW", "HIGH"))
    ap.add_argument("--per-table", type=int, default=10, help="conversations per CSV table file")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--no-append", action="store_true", help="print only; do not append to RESULTS_corpus.md")
    args = ap.parse_args(argv)

    from distributed import Client, LocalCluster

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths, t_gen = timed(
            lambda: _write_synthetic_corpus(
                folder,
                n_conversations=args.conversations,
                messages=tuple(args.messages),
                seed=args.seed,
                mix=("table", "whatsapp"),
                per_table=args.per_table,
            )
        )
        size = sum(p.stat().st_size for p in paths)
        # warm-up (imports, regex compilation) on two files, not timed
        rs.score_corpus(paths[:2], progress=False)

        rows = []
        load_before, share_before = os.getloadavg()[0], contention()
        pandas_table, t, cpu = cpu_timed(lambda: rs.score_corpus(folder, tz="Europe/London", progress=False))
        n_msgs = pandas_table.attrs["reconnect_signals"]["messages"]
        n_failed = len(pandas_table.attrs["reconnect_signals"]["failed"])
        rows.append(("pandas", t, cpu))
        _, t, cpu = cpu_timed(
            lambda: rs.score_corpus(
                folder, tz="Europe/London", progress=False, anonymize_key="benchmark-key-not-secret-0123"
            )
        )
        rows.append(("pandas + anonymize_key", t, cpu))

        (cluster, client), t_start = timed(lambda: _start(LocalCluster, Client, args.workers))
        try:
            rs.score_corpus(paths[:2], engine="dask", scheduler=client, progress=False)  # warm workers
            dask_table, t = timed(
                lambda: rs.score_corpus(folder, tz="Europe/London", engine="dask", scheduler=client, progress=False)
            )
            rows.append((f"dask LocalCluster ({args.workers} processes x 1 thread)", t, None))
        finally:
            client.close()
            cluster.close()
        equal = True
        try:
            pd.testing.assert_frame_equal(pandas_table, dask_table, check_exact=True)
        except AssertionError:
            equal = False
        _, t, cpu = cpu_timed(
            lambda: rs.score_corpus(folder, tz="Europe/London", engine="dask", scheduler="threads", progress=False)
        )
        rows.append(("dask local threads scheduler", t, cpu))
        load_after, share_after = os.getloadavg()[0], contention()

    n_files = len(paths)
    n_conv = pandas_table["conversation_id"].nunique()
    lines = [
        f"## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {machine()}",
        "",
        f"Corpus: {n_conv} conversations, {n_msgs:,} messages in {n_files} files "
        f"({size / 1024**2:.1f} MiB; WhatsApp exports and CSV tables of {args.per_table} conversations, "
        f"alternating; {args.messages[0]}-{args.messages[1]} messages per conversation; seed {args.seed}; "
        f"written in {t_gen:.1f} s). Output: one row per (conversation, sender). "
        f"Engines give identical tables: {'yes' if equal else 'NO'}. Files failed: {n_failed}.",
        "",
        "| engine | wall s | messages/s | files/s | CPU s (this process) | messages per CPU-s |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, t, cpu in rows:
        cpu_s = f"{cpu:.2f}" if cpu is not None else "n/a (in workers)"
        per_cpu = f"{n_msgs / cpu:,.0f}" if cpu else "n/a"
        lines.append(f"| {name} | {t:.2f} | {n_msgs / t:,.0f} | {n_files / t:,.1f} | {cpu_s} | {per_cpu} |")
    lines += [
        "",
        f"Dask LocalCluster start-up (not included above): {t_start:.1f} s. Machine load: 1-min load "
        f"average {load_before:.1f} before and {load_after:.1f} after; a pure-Python loop got "
        f"{share_before:.0%} / {share_after:.0%} of a CPU (100 % on an idle machine), so lower shares "
        "mean the numbers are slowed by other jobs.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_append:
        header = (
            ""
            if RESULTS.exists()
            else (
                "# Corpus throughput (`benchmarks/corpus_throughput.py`)\n\n"
                "Messages per second of `rs.score_corpus` (read + cue tables) with each engine. "
                "Appended by the script; newest last.\n\n"
            )
        )
        with open(RESULTS, "a", encoding="utf-8") as fh:
            fh.write(header + text + "\n")
    return 0 if equal and not n_failed else 1


def _start(LocalCluster, Client, workers):
    cluster = LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    )
    return cluster, Client(cluster)


if __name__ == "__main__":
    sys.exit(main())
