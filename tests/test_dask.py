"""engine="dask": the same tables as the pandas engine on a generated corpus of 200+ conversations.

The Dask tests need loopback sockets (pytest runs with --disable-socket): the module is
marked enable_socket and every cluster binds to 127.0.0.1 without a dashboard.
"""

from __future__ import annotations

import pandas as pd
import pytest
from _cli import run

import reconnect_signals as rs
from reconnect_signals import _corpus as corpus_mod
from reconnect_signals._corpus import _dask_frame, _Job, _write_synthetic_corpus

pytestmark = [
    pytest.mark.enable_socket,
    pytest.mark.filterwarnings("ignore::reconnect_signals.errors.ParseWarning"),
]

KEY = "dask-test-key-0123456789abc"
N_CONVERSATIONS = 220


@pytest.fixture(scope="module", autouse=True)
def distributed():
    """dask.dataframe and distributed, imported by the tests that run (not while collecting: ~1 CPU-s per process)."""
    pytest.importorskip("dask.dataframe")
    return pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("dask_corpus")
    paths = _write_synthetic_corpus(
        root, n_conversations=N_CONVERSATIONS, messages=(10, 90), seed=7, mix=("table", "whatsapp"), per_table=9
    )
    (root / "zz_broken.bin").write_bytes(b"\x00\x01\x02 not a chat")
    return root, paths


@pytest.fixture(scope="module")
def cluster(distributed):
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cl:
        yield cl


@pytest.fixture(scope="module")
def client(cluster, distributed):
    with distributed.Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def pandas_scores(corpus):
    root, _ = corpus
    return rs.score_corpus(root, tz="Europe/London", progress=False)


def _same_report(a: pd.DataFrame, b: pd.DataFrame) -> None:
    ra, rb = a.attrs["reconnect_signals"], b.attrs["reconnect_signals"]
    assert ra["files"] == rb["files"]
    assert ra["failed"] == rb["failed"]
    assert ra["messages"] == rb["messages"]


def test_corpus_is_big_enough(pandas_scores):
    assert pandas_scores["conversation_id"].nunique() == N_CONVERSATIONS
    assert len(pandas_scores.attrs["reconnect_signals"]["failed"]) == 1
    assert pandas_scores.attrs["reconnect_signals"]["messages"] > 200 * 10


@pytest.mark.slow  # a local cluster of processes
def test_dask_on_a_client_equals_pandas(corpus, pandas_scores, client):
    root, _ = corpus
    scores = rs.score_corpus(root, tz="Europe/London", engine="dask", scheduler=client, progress=False)
    pd.testing.assert_frame_equal(scores, pandas_scores, check_exact=True)
    _same_report(scores, pandas_scores)
    assert scores.attrs["reconnect_signals"]["engine"] == "dask"


@pytest.mark.slow  # a local cluster of processes
def test_dask_by_scheduler_address_weekly_and_anonymised(corpus, cluster):
    root, paths = corpus
    some = paths[:12]
    kw = dict(freq="W", tz="Europe/London", anonymize_key=KEY, progress=False)
    expected = rs.score_corpus(some, **kw)
    got = rs.score_corpus(some, engine="dask", scheduler=cluster.scheduler_address, **kw)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert got["sender"].str.startswith("p_").all() and "window" in got.columns


@pytest.mark.slow  # starts a local cluster of processes (~15 s)
@pytest.mark.filterwarnings("ignore:Port 8787 is already in use")
def test_dask_default_local_cluster_message_level(corpus):
    _, paths = corpus
    some = paths[:15]
    expected = rs.score_corpus(some, by=None, progress=False)
    got = rs.score_corpus(some, by=None, engine="dask", progress=False)  # own LocalCluster on 127.0.0.1
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert len(got) == got.attrs["reconnect_signals"]["messages"]


def test_dask_local_threads_scheduler(corpus, pandas_scores):
    root, _ = corpus
    got = rs.score_corpus(root, tz="Europe/London", engine="dask", scheduler="threads", progress=False)
    pd.testing.assert_frame_equal(got, pandas_scores, check_exact=True)
    _same_report(got, pandas_scores)


def test_partitions_hold_whole_files_and_meta_is_explicit(corpus):
    _, paths = corpus
    job = _Job(tz="Europe/London")
    frame = _dask_frame(paths[:10], job)
    assert frame.npartitions == 1  # ten small files: one batch (files are never split)
    assert _dask_frame(paths, job).npartitions == 3  # 44 files in batches of 16
    assert "_rs_info" in frame._meta.columns
    part = frame.partitions[0].compute(scheduler="synchronous")
    assert list(part.columns) == list(frame._meta.columns)
    assert [str(t) for t in part.dtypes] == [str(t) for t in frame._meta.dtypes]


@pytest.mark.slow  # a local cluster of processes
def test_distributed_runs_one_plain_task_per_batch(corpus, pandas_scores, client, monkeypatch, tmp_path, distributed):
    root, _ = corpus
    job = _Job(tz="Europe/London")
    pieces, _, ids = corpus_mod._split_large(corpus_mod._expand_sources(root), job)
    batches = corpus_mod._batches(pieces, units=corpus_mod._plan_units(pieces, job, known=ids))
    # no dataframe graph on the client: each batch is one task, and only its result comes back
    monkeypatch.setattr(corpus_mod, "_dask_frame", lambda *a, **k: pytest.fail("dataframe graph built"))
    for out_dir in (None, tmp_path / "run"):
        with distributed.get_task_stream(client) as stream:
            got = rs.score_corpus(
                root, tz="Europe/London", engine="dask", scheduler=client, out_dir=out_dir, progress=False
            )
        pd.testing.assert_frame_equal(got, pandas_scores, check_exact=True)
        _same_report(got, pandas_scores)
        keys = [t["key"] for t in stream.data]
        assert len(keys) == len(set(keys)) == len(batches) >= 2
        assert all(str(k).startswith("rs-batch-") for k in keys)


@pytest.mark.slow  # a local cluster of processes
def test_cue_threads_follow_the_dask_worker(client, monkeypatch, distributed):
    import os
    import threading

    import pyarrow as pa

    from reconnect_signals.cues import _tokens

    monkeypatch.delenv(_tokens.THREADS_ENV, raising=False)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    assert _tokens.cue_threads() == max(1, min(cores, 8))  # outside a worker: the cores
    assert client.submit(_tokens.cue_threads, pure=False).result() == 1  # a 1-thread worker process
    monkeypatch.setattr(_tokens, "PARALLEL_MIN_TEXTS", 1)  # the in-process workers below see it
    texts = pa.array(["some text"] * 60, pa.large_string())

    def task():
        seen: set[int] = set()

        def where(arr):
            seen.add(threading.get_ident())
            return pa.array([len(arr)])

        return threading.get_ident(), _tokens.map_slices(where, texts).to_pylist(), seen

    with distributed.Client(processes=False, n_workers=1, threads_per_worker=1, dashboard_address=None) as one:
        ident, counts, seen = one.submit(task, pure=False).result()
        assert counts == [60] and seen == {ident}  # one slice, in the task's own thread
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=3, dashboard_address=None) as three:
        assert three.submit(_tokens.cue_threads, pure=False).result() == 3
        ident, counts, seen = three.submit(task, pure=False).result()
        assert len(counts) == 3 and sum(counts) == 60 and ident not in seen  # three slices in a pool
        monkeypatch.setenv(_tokens.THREADS_ENV, "2")  # the variable wins, in a worker too
        assert three.submit(_tokens.cue_threads, pure=False).result() == 2
    assert _tokens.cue_threads() == 2
    monkeypatch.setenv(_tokens.THREADS_ENV, "1")
    assert _tokens.cue_threads() == 1


@pytest.mark.slow  # starts a local cluster of processes
@pytest.mark.filterwarnings("ignore:Port 8787 is already in use")
def test_own_local_cluster_has_no_profiler_glibc_malloc_and_no_http_routes(monkeypatch, distributed):
    import urllib.error
    import urllib.request

    from reconnect_signals._corpus import _local_cluster

    # distributed's Nanny writes its pre-spawn variables into this process's os.environ, so a
    # cluster started earlier with the defaults (the module's fixture) leaves 65536 behind
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)

    def settings(dask_worker):
        import os

        return "profile" in dask_worker.periodic_callbacks, os.environ.get("MALLOC_TRIM_THRESHOLD_")

    def http_ports(dask_worker):
        return [sock.getsockname()[:2] for sock in dask_worker.http_server._sockets.values()]

    with _local_cluster(1) as cluster, distributed.Client(cluster) as c:
        assert list(c.run(settings).values()) == [(False, None)]
        # no dashboard, and distributed's HTTP servers (scheduler and workers, 127.0.0.1 only) serve no routes
        addresses = http_ports(cluster.scheduler) + [a for ports in c.run(http_ports).values() for a in ports]
        assert len(addresses) >= 2 and {host for host, _ in addresses} == {"127.0.0.1"}
        for host, port in addresses:
            for path in ("/health", "/metrics", "/info/main/workers.html", "/json/identity.json"):
                with pytest.raises(urllib.error.HTTPError) as answer:
                    urllib.request.urlopen(f"http://{host}:{port}{path}", timeout=5)
                assert answer.value.code == 404, (port, path)


# ---------------------------------------------------------------------------------------
# a cluster that never hangs (issue 17)
# ---------------------------------------------------------------------------------------
@pytest.mark.slow  # a local cluster of processes
def test_worker_without_the_library_fails_fast_naming_it(corpus, tmp_path, distributed):
    import os
    import subprocess
    import sys
    import time

    from reconnect_signals._corpus import DaskPreflightError

    shadow = tmp_path / "shadow" / "reconnect_signals"
    shadow.mkdir(parents=True)  # this worker "lacks" the library: importing it fails
    (shadow / "__init__.py").write_text("raise ImportError('No module named reconnect_signals (test)')\n")
    root, paths = corpus
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
        ) as cl,
        distributed.Client(cl) as c,
    ):
        env = {**os.environ, "PYTHONPATH": str(shadow.parent)}
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "distributed.cli.dask_worker",
                cl.scheduler_address,
                "--nthreads",
                "1",
                "--no-dashboard",
                "--host",
                "127.0.0.1",
                "--name",
                "lacks-library",
            ],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # cwd: `python -m` puts it first on sys.path, and the worktree holds the library
        try:
            c.wait_for_workers(2, timeout=60)
            start = time.monotonic()
            with pytest.raises(DaskPreflightError, match=r"(?s)lacks-library|tcp://.*cannot import"):
                rs.score_corpus(paths[:4], engine="dask", scheduler=c, progress=False)
            assert time.monotonic() - start < 30
        finally:
            worker.kill()  # the worker this test started, by its own handle
            worker.wait()


def _free_port() -> int:
    import socket

    with socket.socket() as s:  # a free port nobody listens on
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_scheduler_is_one_clear_error(corpus, monkeypatch):
    import time

    _, paths = corpus
    port = _free_port()
    monkeypatch.setattr(corpus_mod, "CONNECT_TIMEOUT", 1.0)  # the default waits 10 s
    start = time.monotonic()
    where = f"tcp://127.0.0.1:{port}"
    with pytest.raises(ConnectionError, match=f"cannot reach the Dask scheduler at '{where}' within 1 s"):
        rs.score_corpus(paths[:2], engine="dask", scheduler=f"tcp://127.0.0.1:{port}", progress=False)
    assert time.monotonic() - start < 15


@pytest.mark.slow  # a local cluster of processes
def test_retries_and_timeout_are_passed(corpus, pandas_scores, client):
    root, _ = corpus
    got = rs.score_corpus(
        root, tz="Europe/London", engine="dask", scheduler=client, retries=2, timeout=300, progress=False
    )
    pd.testing.assert_frame_equal(got, pandas_scores, check_exact=True)


def test_cli_unreachable_scheduler_one_line(corpus, tmp_path, monkeypatch):
    _, paths = corpus
    port = _free_port()
    monkeypatch.setattr(corpus_mod, "CONNECT_TIMEOUT", 1.0)
    args = ("score", str(paths[0]), "-o", "x.parquet", "--engine", "dask", "--scheduler", f"tcp://127.0.0.1:{port}")
    res = run(*args, "--no-progress", cwd=tmp_path)
    assert res.returncode == 1
    assert res.stderr.strip().count("\n") == 0 and "cannot reach the Dask scheduler" in res.stderr


def test_fsspec_memory_urls_in_and_out_engines_identical(corpus, distributed):
    import fsspec

    root, paths = corpus
    fs = fsspec.filesystem("memory")
    base = "/rs-test-corpus"
    for p in paths[:12] + [root / "zz_broken.bin"]:
        fs.pipe_file(f"{base}/in/sub/{p.name}" if p.suffix == ".csv" else f"{base}/in/{p.name}", p.read_bytes())
    local = rs.score_corpus(paths[:12] + [root / "zz_broken.bin"], tz="Europe/London", progress=False)
    by_pandas = rs.score_corpus(
        f"memory://{base}/in",
        tz="Europe/London",
        out_dir=f"memory://{base}/run_pd",
        output=f"memory://{base}/pd.parquet",
        progress=False,
    )
    assert [f["source"].rsplit("/", 1)[-1] for f in by_pandas.attrs["reconnect_signals"]["failed"]] == ["zz_broken.bin"]
    with distributed.Client(processes=False, n_workers=2, threads_per_worker=1, dashboard_address=None) as c:
        by_dask = rs.score_corpus(
            f"memory://{base}/in",
            tz="Europe/London",
            engine="dask",
            scheduler=c,
            out_dir=f"memory://{base}/run_dask",
            output=f"memory://{base}/dask.parquet",
            progress=False,
        )
    pd.testing.assert_frame_equal(by_dask, by_pandas, check_exact=True)
    with fs.open(f"{base}/pd.parquet", "rb") as a, fs.open(f"{base}/dask.parquet", "rb") as b:
        pd.testing.assert_frame_equal(pd.read_parquet(a), pd.read_parquet(b), check_exact=True)
    assert fs.exists(f"{base}/run_dask/manifest.csv") and len(fs.ls(f"{base}/run_pd/parts")) >= 1
    key = ["conversation_id", "sender"]
    pd.testing.assert_frame_equal(  # the same rows as from local files (file order differs: sub/ last)
        by_pandas.sort_values(key).reset_index(drop=True), local.sort_values(key).reset_index(drop=True)
    )
    fs.rm(base, recursive=True)


def test_lazy_result_is_a_dask_frame_equal_to_the_table(corpus, pandas_scores):
    import dask.dataframe as dd

    root, _ = corpus
    lazy = rs.score_corpus(root, tz="Europe/London", engine="dask", lazy=True)
    assert isinstance(lazy, dd.DataFrame) and lazy.npartitions >= 2
    got = lazy.compute(scheduler="threads").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, pandas_scores, check_exact=True, check_index_type=False)
    with pytest.raises(ValueError, match="lazy=True"):
        rs.score_corpus(root, lazy=True)
    with pytest.raises(ValueError, match="key must not travel"):
        rs.score_corpus(root, engine="dask", lazy=True, anonymize_key=KEY)


@pytest.mark.slow  # a local cluster of processes
def test_split_parquet_parts_are_written_by_the_workers(client, tmp_path, monkeypatch):
    corpus_mod._write_synthetic_table(
        tmp_path / "table", 3000, files=3, per_conversation=70, row_group_size=250, seed=5
    )
    monkeypatch.setattr(corpus_mod, "_PIECE_ROWS", 500)  # the client splits: 6 pieces of 2 row groups
    kw = {"by": None, "progress": False, "collect": False, "batch_files": 2}
    on_pandas = rs.score_corpus(tmp_path / "table", out_dir=tmp_path / "pandas", **kw)
    parts = sorted(p.name for p in (tmp_path / "pandas" / "parts").iterdir())
    # a lazy frame over the same pieces gives the same rows
    lazy = rs.score_corpus(tmp_path / "table", by=None, engine="dask", lazy=True, batch_files=2)
    assert lazy.npartitions == len(parts) >= 2
    got = lazy.compute(scheduler="sync").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, pd.read_parquet(tmp_path / "pandas" / "parts"))
    # the rows never reach the client: it only gets each batch's file reports back
    monkeypatch.setattr(corpus_mod, "_split_part", lambda part: pytest.fail("rows gathered to the client"))
    on_dask = rs.score_corpus(tmp_path / "table", engine="dask", scheduler=client, out_dir=tmp_path / "dask", **kw)
    assert sorted(p.name for p in (tmp_path / "dask" / "parts").iterdir()) == parts
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "dask" / "parts"), pd.read_parquet(tmp_path / "pandas" / "parts")
    )
    assert on_dask.attrs["reconnect_signals"]["rows"] == on_pandas.attrs["reconnect_signals"]["rows"] == 3000
    manifest = pd.read_csv(tmp_path / "dask" / "manifest.csv")
    pd.testing.assert_frame_equal(manifest, pd.read_csv(tmp_path / "pandas" / "manifest.csv"))
    assert manifest["status"].tolist() == ["done"] * 3
