"""engine="dask": the same tables as the pandas engine on a generated corpus of 200+ conversations.

The Dask tests need loopback sockets (pytest runs with --disable-socket): the module is
marked enable_socket and every cluster binds to 127.0.0.1 without a dashboard.
"""

from __future__ import annotations

import pandas as pd
import pytest

import reconnect_signals as rs
from reconnect_signals._corpus import _dask_frame, _Job, _write_synthetic_corpus

pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

pytestmark = [
    pytest.mark.enable_socket,
    pytest.mark.filterwarnings("ignore::reconnect_signals.errors.ParseWarning"),
]

KEY = "dask-test-key-0123456789abc"
N_CONVERSATIONS = 220


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("dask_corpus")
    paths = _write_synthetic_corpus(root, n_conversations=N_CONVERSATIONS, messages=(10, 90), seed=7,
                                    mix=("table", "whatsapp"), per_table=9)
    (root / "zz_broken.bin").write_bytes(b"\x00\x01\x02 not a chat")
    return root, paths


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cl:
        yield cl


@pytest.fixture(scope="module")
def client(cluster):
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


def test_dask_on_a_client_equals_pandas(corpus, pandas_scores, client):
    root, _ = corpus
    scores = rs.score_corpus(root, tz="Europe/London", engine="dask", scheduler=client, progress=False)
    pd.testing.assert_frame_equal(scores, pandas_scores, check_exact=True)
    _same_report(scores, pandas_scores)
    assert scores.attrs["reconnect_signals"]["engine"] == "dask"


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
