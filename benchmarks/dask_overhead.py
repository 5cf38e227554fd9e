"""What a LocalCluster's own diagnostics cost: distributed's defaults against score_corpus's lean settings.

Starts 2 worker processes x 1 thread, runs 20 tasks of 1 CPU-s of pure-Python work (10 CPU-s per
worker), waits 5 s, and prints the CPU seconds the client process (scheduler and nannies live there) and
each worker spent meanwhile::

    python benchmarks/dask_overhead.py default
    python benchmarks/dask_overhead.py lean       # reconnect_signals._corpus._LEAN_CLUSTER
"""

from __future__ import annotations

import resource
import sys
import time


def _cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def _busy(seconds: float) -> int:
    start, n = time.thread_time(), 0
    while time.thread_time() - start < seconds:
        n += 1
    return n


def main() -> None:
    import dask
    from distributed import Client, LocalCluster

    from reconnect_signals._corpus import _LEAN_CLUSTER

    mode = sys.argv[1] if len(sys.argv) > 1 else "lean"
    settings = (
        {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None} if mode == "default" else _LEAN_CLUSTER
    )
    with dask.config.set(settings):
        cluster = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
        )
    client = Client(cluster)
    c0, w0 = _cpu(), client.run(_cpu)
    client.gather(client.map(_busy, [1.0] * 20, pure=False))
    time.sleep(5)
    c1, w1 = _cpu(), client.run(_cpu)
    print(mode, "client CPU s", round(c1 - c0, 2), "worker CPU s", [round(w1[k] - w0[k], 2) for k in w0])
    client.close()
    cluster.close()


if __name__ == "__main__":
    main()
