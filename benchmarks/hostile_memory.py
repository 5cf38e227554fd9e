"""Huge-input check at full size: a generated WhatsApp export parsed under an address-space limit.

The CI test (tests/test_hostile.py::test_a_huge_export_parses_under_a_memory_limit) runs the
same check at 300 MiB under 3.5 GiB; this script runs it at any size and limit and prints time,
peak resident memory and peak address space, so the limit in the test can be re-derived::

    python benchmarks/hostile_memory.py                # 300 MiB, limit 4 GiB
    python benchmarks/hostile_memory.py --mb 128 --limit-gb 2.5

Nothing is downloaded; the export is synthetic (senders "Alex" and "Sam") and is written to a
temporary folder that is removed afterwards.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

RUNNER = r"""
import resource, sys, time
limit = int(float(sys.argv[2]) * 2**30)
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
import reconnect_signals as rs
t0 = time.perf_counter()
df = rs.read_chat(sys.argv[1], format="whatsapp", tz="Europe/London", date_order="DMY", errors="raise")
seconds = time.perf_counter() - t0
report = rs.parse_report(df)
status = {
        k: v.split()[0] for k, v in (ln.split(":", 1) for ln in open("/proc/self/status")) if k in ("VmPeak", "VmHWM")
    }
print(f"messages={len(df)} lines={report.total} accounted={report.accounted()} seconds={seconds:.1f} "
      f"peak_rss_mib={int(status['VmHWM']) / 1024:.0f} peak_vm_mib={int(status['VmPeak']) / 1024:.0f}")
"""


def write_export(path: Path, megabytes: int) -> int:
    """Repeat one rendered block of 2,000 messages (every 7th with a second line) to ``megabytes`` MiB."""
    lines = []
    for i in range(2000):
        body = f"message {i} with some words in it, {'and a second line' if i % 7 == 0 else 'ok'}"
        if i % 7 == 0:
            body += "\nsecond line"
        lines.append(f"01/06/2024, {10 + i // 600:02d}:{i // 10 % 60:02d} - {('Alex', 'Sam')[i % 2]}: {body}")
    block = ("\n".join(lines) + "\n").encode("utf-8")
    reps = megabytes * 2**20 // len(block) + 1
    with open(path, "wb") as fh:
        for _ in range(reps):
            fh.write(block)
    return reps * 2000


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=int, default=300, help="export size in MiB (default 300)")
    ap.add_argument("--limit-gb", type=float, default=4.0, help="RLIMIT_AS in GiB (default 4)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="rs-hostile-") as tmp:
        path = Path(tmp) / "WhatsApp Chat - huge.txt"
        n = write_export(path, args.mb)
        runner = Path(tmp) / "runner.py"
        runner.write_text(RUNNER, encoding="utf-8")
        env = dict(os.environ, OMP_NUM_THREADS="2", MALLOC_ARENA_MAX="2")
        proc = subprocess.run(
            [sys.executable, str(runner), str(path), str(args.limit_gb)], capture_output=True, text=True, env=env
        )
        size = path.stat().st_size / 2**20
    if proc.returncode:
        sys.stderr.write(proc.stderr[-3000:])
        print(f"FAILED: {size:.0f} MiB export ({n} messages) under RLIMIT_AS={args.limit_gb} GiB")
        return 1
    print(f"{size:.0f} MiB export, {n} messages, RLIMIT_AS={args.limit_gb} GiB: {proc.stdout.strip()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
