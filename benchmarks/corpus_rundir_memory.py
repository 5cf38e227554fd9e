"""Peak client memory of rs.score_corpus with by=None: rows kept in memory vs a run directory.

Each measurement runs in a fresh subprocess and reports its peak RSS (ru_maxrss), wall time
and row count; the corpus is the seeded synthetic one (fictional names, WhatsApp exports).

    python benchmarks/corpus_rundir_memory.py --messages 200000            # pandas engine
    python benchmarks/corpus_rundir_memory.py --messages 200000 --engine dask

Modes: ``memory`` (score_corpus returns every row), ``rundir`` (``out_dir=`` with
``collect=False``: the client keeps no rows; parts on disk). Prints one line per mode.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _child(args) -> None:
    import reconnect_signals as rs

    kw = {"by": None, "progress": False, "engine": args.engine}
    if args.engine == "dask":
        from distributed import Client, LocalCluster

        cluster = LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None)
        kw["scheduler"] = Client(cluster)
    t0 = time.perf_counter()
    if args.mode == "rundir":
        out = rs.score_corpus(args.corpus, out_dir=args.run, collect=False, **kw)
        rows = out.attrs["reconnect_signals"]["rows"]
    else:
        rows = len(rs.score_corpus(args.corpus, **kw))
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB (client process only)
    print(
        json.dumps(
            {
                "mode": args.mode,
                "engine": args.engine,
                "rows": rows,
                "seconds": round(seconds, 1),
                "peak_client_mib": round(peak),
            }
        )
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages", type=int, default=200_000)
    ap.add_argument("--engine", default="pandas", choices=["pandas", "dask"])
    ap.add_argument("--mode", choices=["memory", "rundir"])
    ap.add_argument("--corpus")
    ap.add_argument("--run")
    args = ap.parse_args()
    if args.mode:
        return _child(args)
    from reconnect_signals._corpus import _write_synthetic_corpus

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        per_conv = 100
        _write_synthetic_corpus(corpus, n_conversations=args.messages // per_conv, messages=per_conv, seed=3)
        for mode in ("rundir", "memory"):
            cmd = [
                sys.executable,
                __file__,
                "--mode",
                mode,
                "--engine",
                args.engine,
                "--corpus",
                str(corpus),
                "--run",
                str(Path(tmp) / f"run-{mode}"),
            ]
            print(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip(), flush=True)


if __name__ == "__main__":
    main()
