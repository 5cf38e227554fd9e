"""rs.score_corpus (pandas engine), file discovery, error isolation, output files; rs.to_convokit."""

from __future__ import annotations

import json
import shutil
import zipfile

import numpy as np
import pandas as pd
import pytest
from _cli import run

import reconnect_signals as rs
import reconnect_signals._corpus as corpus_mod
from reconnect_signals._anonymize import pseudonym
from reconnect_signals._corpus import _write_synthetic_corpus

pytestmark = pytest.mark.filterwarnings("ignore::reconnect_signals.errors.ParseWarning")

KEY = "corpus-test-key-0123456789"
BY = ["conversation_id", "sender"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """12 WhatsApp chats, a CSV table with two conversations, and four bad files."""
    root = tmp_path_factory.mktemp("corpus")
    _write_synthetic_corpus(root, n_conversations=12, messages=(15, 60), seed=11)
    table = pd.DataFrame(
        {
            "conversation_id": ["t1"] * 4 + ["t2"] * 3,
            "timestamp": pd.date_range("2024-02-01 10:00", periods=7, freq="7min").astype(str),
            "sender": ["Quinn", "Rowan", "Quinn", "Rowan", "Emerson", "Finley", "Emerson"],
            "text": ["we should talk", "ok, when?", "tonight? I miss you", "sure", "hi", "hey you", "lol"],
        }
    )
    table.to_csv(root / "table_export.csv", index=False)
    (root / "notes.bin").write_bytes(b"\x00\x01 definitely not a chat")
    (root / "empty.txt").write_bytes(b"")
    with zipfile.ZipFile(root / "broken.zip", "w") as zf:
        zf.writestr("readme.md", "no chat in here")
    (root / "truncated.json").write_bytes(b'{"name": "x", "messages": [{"id": 1, "typ')
    return root


@pytest.fixture(scope="module")
def scores(folder):
    return rs.score_corpus(folder, tz="Europe/London", progress=False)


def _direct(path, **kw):
    msgs = rs.read_chat(path, tz="Europe/London", errors="ignore")
    msgs = msgs[["conversation_id", "message_id", "timestamp", "sender", "text", "kind", "platform"]]
    return rs.cue_table(msgs, **kw)


def test_bad_files_are_reported_not_fatal(folder, scores):
    failed = {f["source"].rsplit("/", 1)[-1]: f["error"] for f in scores.attrs["reconnect_signals"]["failed"]}
    assert set(failed) == {"notes.bin", "empty.txt", "broken.zip", "truncated.json"}
    assert failed["notes.bin"].startswith("UnknownFormat")
    files = scores.attrs["reconnect_signals"]["files"]
    assert len(files) == 17
    good = [f for f in files if "error" not in f]
    assert sorted({f["format"] for f in good}) == ["table", "whatsapp"]
    assert scores.attrs["reconnect_signals"]["messages"] == sum(f["messages"] for f in good)


def test_equals_cue_table_file_by_file(folder, scores):
    expected = pd.concat(
        [_direct(p, by=BY) for p in sorted(folder.glob("chat_*.txt")) + [folder / "table_export.csv"]],
        ignore_index=True,
    )
    got = scores.sort_values(BY, kind="stable").reset_index(drop=True)
    expected = expected.sort_values(BY, kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected)
    assert scores["conversation_id"].nunique() == 14
    assert (scores.loc[scores["conversation_id"] == "t1", "messages"].tolist()) == [2, 2]


def test_windows_are_per_file(folder):
    weekly = rs.score_corpus(sorted(folder.glob("chat_0000[0-3].txt")), freq="W", tz="Europe/London", progress=False)
    expected = pd.concat(
        [_direct(p, by=BY, freq="W") for p in sorted(folder.glob("chat_0000[0-3].txt"))], ignore_index=True
    )
    pd.testing.assert_frame_equal(weekly, expected)
    assert "window" in weekly.columns and str(weekly["window"].dt.tz) == "Europe/London"


def test_message_level(folder):
    paths = sorted(folder.glob("chat_0000[0-2].txt"))
    rows = rs.score_corpus(paths, by=None, tz="Europe/London", progress=False)
    expected = pd.concat([_direct(p, by=None) for p in paths], ignore_index=True)
    pd.testing.assert_frame_equal(rows, expected)
    assert len(rows) == rows.attrs["reconnect_signals"]["messages"]


def test_glob_and_list_sources(folder):
    by_glob = rs.score_corpus(str(folder / "chat_0000*.txt"), progress=False)
    assert len(by_glob.attrs["reconnect_signals"]["files"]) == 10
    assert by_glob.attrs["reconnect_signals"]["failed"] == []
    by_list = rs.score_corpus([folder / "chat_00000.txt", folder / "notes.bin"], progress=False)
    assert by_list["conversation_id"].nunique() == 1
    assert len(by_list.attrs["reconnect_signals"]["failed"]) == 1


def test_same_chat_twice_stays_two_conversations(folder, tmp_path):
    shutil.copy(folder / "chat_00001.txt", tmp_path / "a.txt")
    shutil.copy(folder / "chat_00001.txt", tmp_path / "b.txt")
    out = rs.score_corpus(tmp_path, progress=False)
    one = _direct(folder / "chat_00001.txt", by=BY)
    assert len(out) == 2 * len(one)
    pd.testing.assert_frame_equal(out.iloc[: len(one)].reset_index(drop=True), one)
    pd.testing.assert_frame_equal(out.iloc[len(one) :].reset_index(drop=True), one)


def test_scoring_error_isolated_to_its_file(folder, monkeypatch):
    bad_conv = rs.read_chat(folder / "chat_00002.txt")["conversation_id"].iloc[0]
    real = corpus_mod._table

    def flaky(msgs, job):
        if msgs["conversation_id"].str.endswith(bad_conv).any():
            raise RuntimeError("boom in scoring")
        return real(msgs, job)

    monkeypatch.setattr(corpus_mod, "_table", flaky)
    paths = sorted(folder.glob("chat_0000[0-4].txt"))
    out = rs.score_corpus(paths, progress=False)
    failed = out.attrs["reconnect_signals"]["failed"]
    assert [f["source"].rsplit("/", 1)[-1] for f in failed] == ["chat_00002.txt"]
    assert failed[0]["error"] == "RuntimeError: boom in scoring"
    assert out["conversation_id"].nunique() == 4 and bad_conv not in set(out["conversation_id"])


def test_anonymized_scores_and_files(folder, scores, tmp_path):
    out_pq, out_csv = tmp_path / "s.parquet", tmp_path / "s.csv"
    anon = rs.score_corpus(folder, tz="Europe/London", anonymize_key=KEY, output=out_pq, progress=False)
    rs.score_corpus(folder, tz="Europe/London", anonymize_key=KEY, output=out_csv, progress=False)
    expected = scores.assign(
        conversation_id=scores["conversation_id"].map(lambda v: pseudonym(v, KEY, prefix="c_", domain="conversation")),
        sender=scores["sender"].map(lambda v: pseudonym(v, KEY)),
    )
    pd.testing.assert_frame_equal(anon, expected, check_dtype=False)
    assert anon["sender"].str.fullmatch(r"p_[0-9a-f]{12}").all()
    names = set(scores["sender"])
    for path in (out_pq, out_csv):
        data = path.read_bytes()
        assert KEY.encode() not in data
        for name in names:
            assert name.encode() not in data
    back = pd.read_parquet(out_pq)
    pd.testing.assert_frame_equal(back, anon, check_dtype=False)
    assert len(pd.read_csv(out_csv)) == len(anon)
    assert KEY not in json.dumps(anon.attrs, default=str)


def test_anonymized_message_level_scrubs_text(folder):
    rows = rs.score_corpus([folder / "chat_00000.txt"], by=None, anonymize_key=KEY, progress=False)
    original = rs.read_chat(folder / "chat_00000.txt")
    for name in original["sender"].unique():
        for part in name.split():
            assert not rows["text"].str.contains(part, case=False, regex=False).any()
    assert rows["sender"].str.startswith("p_").all()


def test_output_formats(folder, tmp_path):
    paths = sorted(folder.glob("chat_0000[0-1].txt"))
    out = rs.score_corpus(paths, output=tmp_path / "deep" / "s.csv.gz", progress=False)
    back = pd.read_csv(tmp_path / "deep" / "s.csv.gz")
    assert back["messages"].tolist() == out["messages"].tolist()
    with pytest.raises(ValueError, match=r"\.parquet or \.csv"):
        rs.score_corpus(paths, output=tmp_path / "s.xlsx", progress=False)
    assert not (tmp_path / "s.xlsx").exists()


def test_argument_errors(folder, tmp_path):
    with pytest.raises(ValueError, match="include 'conversation_id'"):
        rs.score_corpus(folder, by="sender")
    with pytest.raises(ValueError, match="engine must be"):
        rs.score_corpus(folder, engine="spark")
    with pytest.raises(ValueError, match="engine='dask'"):
        rs.score_corpus(folder, scheduler="threads")
    with pytest.raises(ValueError, match="empty"):
        rs.score_corpus(folder, anonymize_key="")
    with pytest.raises(FileNotFoundError, match="no exports"):
        rs.score_corpus(str(tmp_path / "nothing*.txt"))
    with pytest.raises(ValueError, match="time zone"):
        rs.score_corpus(folder, tz="Mars/Olympus")
    with pytest.raises(TypeError, match=r"unknown read options \['date_ordr'\]"):
        rs.score_corpus(folder, date_ordr="DMY")
    with pytest.raises(TypeError, match="chat"):
        rs.score_corpus(folder, format="whatsapp", chat="x")  # a Telegram option


def test_progress_bar_goes_to_stderr(folder, capsys):
    rs.score_corpus(sorted(folder.glob("chat_0000[0-1].txt")), progress=True)
    captured = capsys.readouterr()
    assert "scoring" in captured.err and "2/2" in captured.err
    assert captured.out == ""


def test_batches_bound_partitions(tmp_path):
    paths = _write_synthetic_corpus(tmp_path, n_conversations=5, messages=10, seed=2)
    batches = corpus_mod._batches(paths, max_bytes=10**9, max_files=2)
    assert [[i for i, _ in b] for b in batches] == [[0, 1], [2, 3], [4]]
    one_each = corpus_mod._batches(paths, max_bytes=1)
    assert len(one_each) == 5


# ---------------------------------------------------------------------------------------
# ConvoKit
# ---------------------------------------------------------------------------------------
@pytest.fixture
def two_chats():
    return rs.coerce(
        pd.DataFrame(
            {
                "conversation_id": ["a", "a", "a", "b", "b"],
                "message_id": ["1", "2", "3", "1", "2"],
                "timestamp": [
                    "2024-01-01 10:02",
                    "2024-01-01 10:00",
                    "2024-01-01 10:05",
                    "2024-01-02 09:00",
                    "2024-01-02 09:01",
                ],
                "sender": ["p_x", "p_y", None, "p_z", "p_x"],
                "text": ["second", "first", "p_y left", None, "ok"],
                "kind": ["text", "text", "system", "media", "text"],
                "reply_to": [None, None, None, None, "1"],
            }
        ),
        tz="UTC",
    )


def _load(folder):
    utts = [json.loads(line) for line in (folder / "utterances.jsonl").read_text().splitlines()]
    names = ("speakers", "conversations", "corpus", "index")
    other = {n: json.loads((folder / f"{n}.json").read_text()) for n in names}
    return utts, other


def test_convokit_layout_and_mapping(two_chats, tmp_path):
    folder = rs.to_convokit(two_chats, tmp_path / "ck", name="demo")
    utts, other = _load(folder)
    assert [u["id"] for u in utts] == ["a/2", "a/1", "a/3", "b/1", "b/2"]  # ids repeat: prefixed; time order
    ids = {u["id"] for u in utts}
    for u in utts:
        assert set(u) >= {"id", "speaker", "conversation_id", "reply_to", "timestamp", "text", "meta"}
        assert u["conversation_id"] in ids
        assert u["reply_to"] is None or u["reply_to"] in ids
    roots = [u for u in utts if u["id"] == u["conversation_id"]]
    assert [r["reply_to"] for r in roots] == [None, None]
    assert [u["reply_to"] for u in utts] == [None, "a/2", "a/1", None, "b/1"]
    assert utts[0]["timestamp"] == int(pd.Timestamp("2024-01-01 10:00", tz="UTC").timestamp())
    assert utts[2]["speaker"] == "[system]" and utts[3]["text"] == ""
    assert utts[3]["meta"] == {"source_conversation_id": "b", "kind": "media", "platform": "table"}
    assert set(other["speakers"]) == {"p_x", "p_y", "p_z", "[system]"}
    assert other["conversations"] == {
        "a/2": {"meta": {"source_conversation_id": "a", "messages": 3, "platform": "table"}, "vectors": []},
        "b/1": {"meta": {"source_conversation_id": "b", "messages": 2, "platform": "table"}, "vectors": []},
    }
    assert other["corpus"]["name"] == "demo"
    assert set(other["index"]) >= {
        "utterances-index",
        "speakers-index",
        "conversations-index",
        "overall-index",
        "version",
    }
    assert other["index"]["utterances-index"]["kind"] == ["<class 'str'>"]


def test_convokit_carries_cue_columns_as_meta(tmp_path):
    msgs = rs.coerce(
        pd.DataFrame(
            {
                "timestamp": ["2024-01-01 10:00", "2024-01-01 10:02", "2024-01-01 10:03"],
                "sender": ["p_1", "p_2", "p_1"],
                "text": ["I miss you", "why?", "lol sorry"],
            }
        ),
        conversation_id="c",
    )
    table = rs.cue_table(msgs)
    folder = rs.to_convokit(table, tmp_path)
    utts, other = _load(folder)
    assert [u["meta"]["question"] for u in utts] == table["question"].tolist()
    assert [u["meta"]["words"] for u in utts] == table["words"].tolist()
    assert utts[0]["meta"]["latency_s"] is None  # NaN -> null, valid JSON
    assert other["index"]["utterances-index"]["words"] == ["<class 'int'>"]
    assert other["index"]["utterances-index"]["question"] == ["<class 'bool'>"]
    assert [u["id"] for u in utts] == table["message_id"].tolist()  # unique ids kept as they are
    np.testing.assert_allclose([u["meta"]["sentiment"] for u in utts], table["sentiment"].to_numpy())


def test_failed_files_warn_once(folder):
    with pytest.warns(rs.ParseWarning, match=r"score_corpus: 1 of 2 files could not be scored") as rec:
        rs.score_corpus([folder / "chat_00000.txt", folder / "notes.bin"], progress=False)
    assert len([w for w in rec if issubclass(w.category, rs.ParseWarning)]) == 1


def test_result_does_not_depend_on_batching(folder, monkeypatch):
    paths = sorted(folder.glob("chat_*.txt")) + [folder / "table_export.csv"]
    together = rs.score_corpus(paths, freq="W", progress=False)
    real = corpus_mod._batches
    monkeypatch.setattr(corpus_mod, "_batches", lambda items, **kw: real(items, max_files=1))
    alone = rs.score_corpus(paths, freq="W", progress=False)
    pd.testing.assert_frame_equal(together, alone)


def test_in_memory_sources_are_named_not_dumped(folder):
    raw = (folder / "chat_00000.txt").read_bytes()
    out = rs.score_corpus([raw, b"\x00garbage"], progress=False)
    files = out.attrs["reconnect_signals"]["files"]
    assert [f["source"] for f in files] == ["<bytes #0>", "<bytes #1>"]
    assert files[0]["messages"] == len(rs.read_chat(raw)) and "error" in files[1]
    single = rs.score_corpus(raw, progress=False)
    pd.testing.assert_frame_equal(single, out)


def test_unplaced_lines_are_counted_not_fatal(tmp_path):
    good = b"2024-03-01, 09:00 - Ann: hi\n2024-03-01, 09:01 - Bob: hey\n"
    (tmp_path / "x.txt").write_bytes(b"garbage line one\nanother junk line\n" + good)
    out = rs.score_corpus(tmp_path, progress=False)
    assert out.attrs["reconnect_signals"]["files"] == [
        {"source": str(tmp_path / "x.txt"), "format": "whatsapp", "messages": 2, "unplaced": 2}
    ]
    assert out["messages"].tolist() == [1, 1]
    with pytest.warns(rs.ParseWarning, match="1 of 1 files"):
        strict = rs.score_corpus(tmp_path, progress=False, errors="raise")
    assert strict.attrs["reconnect_signals"]["failed"][0]["error"].startswith("ParseError")


# ---------------------------------------------------------------------------------------
# conversations are the unit (issue 17)
# ---------------------------------------------------------------------------------------
def _long_table(n=90, seed=3):
    rng = np.random.default_rng(seed)
    ts = pd.Timestamp("2024-01-01 08:00", tz="UTC") + pd.to_timedelta(
        np.cumsum(rng.choice([30, 600, 7200, 30 * 3600], size=n)), unit="s"
    )
    conv = np.where(rng.random(n) < 0.6, "c1", "c2")
    return pd.DataFrame(
        {
            "conversation_id": conv,
            "timestamp": ts.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "sender": np.where(rng.random(n) < 0.5, "Quinn", "Rowan"),
            "text": np.asarray(["I miss you", "ok", "are you free?", "sorry, my bad", "lol"])[rng.integers(0, 5, n)],
        }
    )


@pytest.mark.parametrize("kind", ["parquet", "csv"])
def test_conversation_split_over_three_files_equals_one_file(tmp_path, kind):
    frame = _long_table()
    whole, parts = tmp_path / "whole", tmp_path / "parts"
    whole.mkdir()
    parts.mkdir()
    write = (
        (lambda f, p: f.to_parquet(p, index=False)) if kind == "parquet" else (lambda f, p: f.to_csv(p, index=False))
    )
    write(frame, whole / f"all.{kind}")
    for k, piece in enumerate(np.array_split(np.arange(len(frame)), 3)):  # monthly-dump style slices
        write(frame.iloc[piece], parts / f"part-{k}.{kind}")
    one = rs.score_corpus(whole, progress=False)
    three = rs.score_corpus(parts, progress=False)
    assert len(three) == 4 and not three.duplicated(BY).any()  # two conversations x two senders
    pd.testing.assert_frame_equal(three, one)
    # with windows too, and with every file in its own batch the unit still holds
    pd.testing.assert_frame_equal(
        rs.score_corpus(parts, freq="W", batch_files=1, progress=False),
        rs.score_corpus(whole, freq="W", progress=False),
    )
    assert three.attrs["reconnect_signals"]["duplicate_conversations"] == []
    assert [f["messages"] for f in three.attrs["reconnect_signals"]["files"]] == [30, 30, 30]


def test_part_files_are_one_batch_and_unrelated_tables_stay_apart(tmp_path):
    frame = _long_table()
    for k, piece in enumerate(np.array_split(np.arange(len(frame)), 3)):
        frame.iloc[piece].to_parquet(tmp_path / f"part-{k}.parquet", index=False)
    other = frame.assign(conversation_id="other")
    other.to_parquet(tmp_path / "zz_other.parquet", index=False)
    items = sorted(tmp_path.iterdir())
    units = corpus_mod._plan_units(items, corpus_mod._Job())
    assert units == {1: 0, 2: 0}
    batches = corpus_mod._batches(items, max_files=1, units=units)
    assert [[i for i, _ in b] for b in batches] == [[0, 1, 2], [3]]


def test_same_id_in_two_chat_exports_is_reported_not_merged(folder, tmp_path):
    shutil.copy(folder / "chat_00001.txt", tmp_path / "a.txt")
    shutil.copy(folder / "chat_00001.txt", tmp_path / "b.txt")
    with pytest.warns(rs.ParseWarning, match=r"1 conversation id\(s\) appear in more than one export"):
        out = rs.score_corpus(tmp_path, progress=False)
    dup = out.attrs["reconnect_signals"]["duplicate_conversations"]
    assert len(dup) == 1 and [s.rsplit("/", 1)[-1] for s in dup[0]["sources"]] == ["a.txt", "b.txt"]
    assert dup[0]["conversation_id"] == out["conversation_id"].iloc[0]
    anon = rs.score_corpus(tmp_path, anonymize_key=KEY, progress=False)
    assert (
        anon.attrs["reconnect_signals"]["duplicate_conversations"][0]["conversation_id"]
        == anon["conversation_id"].iloc[0]
    )  # the pseudonym, never the raw id


# ---------------------------------------------------------------------------------------
# run directory, resume, exit codes (issue 17)
# ---------------------------------------------------------------------------------------
def _cli(*args, cwd, env_extra=None):
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env_extra or {})}
    env.pop(corpus_mod.KILL_HOOK, None) if not env_extra else None
    return subprocess.run(
        [sys.executable, "-m", "reconnect_signals", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )


def _run(*args, cwd):
    """The command line in this process (see tests/_cli.py)."""
    return run(*map(str, args), cwd=cwd)


def test_run_directory_layout_and_manifest(folder, tmp_path):
    run = tmp_path / "run"
    out = rs.score_corpus(folder, tz="Europe/London", out_dir=run, batch_files=4, progress=False)
    parts = sorted((run / "parts").glob("part-*.parquet"))
    assert len(parts) == 5  # 17 files in batches of at most 4
    back = pd.read_parquet(run / "parts")
    assert len(back) == len(out) and set(back["conversation_id"]) == set(out["conversation_id"])
    manifest = pd.read_csv(run / "manifest.csv")
    assert len(manifest) == 17 and manifest["sha256"].str.len().eq(64).all()
    failed = manifest[manifest["status"] == "failed"]
    assert sorted(failed["source"].str.rsplit("/", n=1).str[-1]) == [
        "broken.zip",
        "empty.txt",
        "notes.bin",
        "truncated.json",
    ]
    assert failed["reason"].str.len().gt(0).all() and set(manifest["status"]) == {"done", "failed"}
    reports = pd.read_csv(run / "reports.csv")
    assert {"source", "format", "lines", "messages", "problems", "unplaced", "error"} <= set(reports.columns)
    assert oct((run / "manifest.csv").stat().st_mode & 0o777) == "0o644"
    # the same table as without a run directory
    pd.testing.assert_frame_equal(out, rs.score_corpus(folder, tz="Europe/London", batch_files=4, progress=False))
    with pytest.raises(FileExistsError, match="resume"):
        rs.score_corpus(folder, tz="Europe/London", out_dir=run, progress=False)
    flat = rs.score_corpus(
        folder, tz="Europe/London", out_dir=tmp_path / "flat", batch_files=4, collect=False, progress=False
    )  # no rows kept in memory: they are only in the run directory
    assert len(flat) == 0 and list(flat.columns) == list(out.columns)
    assert flat.attrs["reconnect_signals"]["rows"] == len(out)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "flat" / "parts"), pd.read_parquet(run / "parts"))
    with pytest.raises(ValueError, match="collect=False"):
        rs.score_corpus(folder, collect=False)
    keyed = tmp_path / "keyed"
    rs.score_corpus([folder / "chat_00000.txt"], out_dir=keyed, anonymize_key=KEY, progress=False)
    assert KEY not in (keyed / "run.json").read_text()
    with pytest.raises(ValueError, match="key_check"):  # another key would mix pseudonyms
        rs.score_corpus([folder / "chat_00000.txt"], out_dir=keyed, anonymize_key=KEY + "x", resume=True)
    with pytest.raises(ValueError, match="other options.*freq"):
        rs.score_corpus(folder, tz="Europe/London", out_dir=run, batch_files=4, freq="W", resume=True)


def test_resume_rescores_changed_and_failed_only(folder, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for p in sorted(folder.glob("chat_0000[0-5].txt")):
        shutil.copy(p, src / p.name)
    run = tmp_path / "run"
    first = rs.score_corpus(src, out_dir=run, batch_files=2, progress=False)
    (src / "chat_00003.txt").write_bytes((folder / "chat_00009.txt").read_bytes())  # content changed
    again = rs.score_corpus(src, out_dir=run, batch_files=2, resume=True, progress=False)
    status = {m["source"].rsplit("/", 1)[-1]: m["status"] for m in again.attrs["reconnect_signals"]["manifest"]}
    assert status == {
        "chat_00000.txt": "skipped",
        "chat_00001.txt": "skipped",
        "chat_00002.txt": "done",
        "chat_00003.txt": "done",
        "chat_00004.txt": "skipped",
        "chat_00005.txt": "skipped",
    }
    assert len(list((run / "parts").iterdir())) == 3  # the stale part of the old content is gone
    assert not again.equals(first)
    pd.testing.assert_frame_equal(again, rs.score_corpus(src, batch_files=2, progress=False))


@pytest.mark.slow  # a fresh interpreter killed midway; test_resume_rescores_changed_and_failed_only covers resuming
def test_cli_killed_midway_then_resumed_equals_uninterrupted(folder, tmp_path):
    src = tmp_path / "people"
    for k, p in enumerate(sorted(folder.glob("chat_*.txt"))):  # one sub-folder per person
        (src / f"person{k % 3}").mkdir(parents=True, exist_ok=True)
        shutil.copy(p, src / f"person{k % 3}" / p.name)
    full = _run(
        "score",
        src,
        "--out",
        tmp_path / "full",
        "-o",
        tmp_path / "full.parquet",
        "--batch-files",
        2,
        "--no-progress",
        cwd=tmp_path,
    )
    assert full.returncode == 0, full.stderr
    assert "12 of 12 file(s) scored" in full.stdout
    killed = _cli(
        "score",
        src,
        "--out",
        tmp_path / "run",
        "--batch-files",
        2,
        "--no-progress",
        cwd=tmp_path,
        env_extra={corpus_mod.KILL_HOOK: "6"},
    )  # the test hook: SIGKILL itself after 6 files (a fresh interpreter; the other runs are in this process)
    assert killed.returncode == -9, (killed.returncode, killed.stderr)
    assert len(list((tmp_path / "run" / "parts").glob("part-*.parquet"))) == 3
    assert not (tmp_path / "run" / "manifest.csv").exists()
    done_before = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "run" / "parts").iterdir()}
    resumed = _run(
        "score",
        src,
        "--out",
        tmp_path / "run",
        "--resume",
        "-o",
        tmp_path / "resumed.parquet",
        "--batch-files",
        2,
        "--no-progress",
        cwd=tmp_path,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert "6 already done in an earlier run" in resumed.stdout
    assert f"({len(pd.read_parquet(tmp_path / 'full.parquet')):,} rows;" in resumed.stdout
    manifest = pd.read_csv(tmp_path / "run" / "manifest.csv")
    assert manifest["status"].value_counts().to_dict() == {"skipped": 6, "done": 6}
    assert {
        p.name: p.stat().st_mtime_ns for p in (tmp_path / "run" / "parts").iterdir() if p.name in done_before
    } == done_before  # not rewritten
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "resumed.parquet"), pd.read_parquet(tmp_path / "full.parquet")
    )
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "run" / "parts"), pd.read_parquet(tmp_path / "full" / "parts")
    )


def test_cli_exit_codes_and_failures_listed_once(folder, tmp_path):
    good = folder / "chat_00000.txt"
    ok = _run("score", good, "-o", "a.csv.gz", "--progress", cwd=tmp_path)  # stderr is a pipe here
    assert ok.returncode == 0 and (tmp_path / "a.csv.gz").exists(), ok.stderr
    assert "scoring" in ok.stderr and "1/1" in ok.stderr  # --progress forces the bar into a log
    plain = tmp_path / "plain.txt"
    plain.write_text("x")  # score writes with the same mode as any file the user creates (not 0600)
    assert (tmp_path / "a.csv.gz").stat().st_mode & 0o777 == plain.stat().st_mode & 0o777
    some = _run("score", good, folder / "notes.bin", "--out", "run", "--no-progress", cwd=tmp_path)
    assert some.returncode == 1
    lines = [line for line in some.stderr.splitlines() if "notes.bin" in line]
    assert len(lines) == 1 and lines[0].startswith("failed: ") and "UnknownFormat" in lines[0]
    assert "1 of 2 file(s) scored, 1 file(s) failed" in some.stdout
    none = _run("score", folder / "notes.bin", folder / "empty.txt", "-o", "n.pq", "--no-progress", cwd=tmp_path)
    assert none.returncode == 2 and "nothing was scored: every file failed" in none.stderr
    assert not (tmp_path / "n.pq").exists()  # no empty table that looks like a result
    neither = _run("score", good, "--no-progress", cwd=tmp_path)
    assert neither.returncode == 1 and "-o FILE" in neither.stderr
    bad_suffix = _run("score", good, "-o", "x.xlsx", cwd=tmp_path)
    assert bad_suffix.returncode == 1 and bad_suffix.stderr.count("\n") == 1


def test_synthetic_conversations_have_two_different_people(tmp_path):
    _write_synthetic_corpus(tmp_path, n_conversations=300, messages=60, seed=5, mix=("table",), per_table=50)
    msgs = pd.concat([pd.read_csv(p) for p in sorted(tmp_path.glob("*.csv"))])
    assert msgs.groupby("conversation_id")["sender"].nunique().eq(2).all()


# ---------------------------------------------------------------------------------------
# large Parquet files: pieces of row groups, conversations kept whole
# ---------------------------------------------------------------------------------------
def _sorted(table: pd.DataFrame) -> pd.DataFrame:
    return table.sort_values(BY, kind="stable").reset_index(drop=True)


@pytest.fixture(scope="module")
def big_table(tmp_path_factory):
    """3,000 messages in 3 Parquet files of 250-row row groups; conversations of 70 straddle both."""
    root = tmp_path_factory.mktemp("big_table")
    corpus_mod._write_synthetic_table(root / "parts", 3000, files=3, per_conversation=70, row_group_size=250, seed=5)
    corpus_mod._write_synthetic_table(root / "whole", 3000, files=1, per_conversation=70, row_group_size=3000, seed=5)
    return root


def test_synthetic_table_split_does_not_change_the_table(big_table):
    parts = pd.concat([pd.read_parquet(p) for p in sorted((big_table / "parts").iterdir())], ignore_index=True)
    whole = pd.read_parquet(big_table / "whole" / "part-00000.parquet")
    pd.testing.assert_frame_equal(parts, whole)
    assert (parts.groupby("conversation_id")["sender"].nunique() == 2).all()
    assert parts.groupby("conversation_id")["timestamp"].is_monotonic_increasing.all()


def test_large_parquet_files_are_cut_between_conversations(big_table):
    items = sorted((big_table / "parts").iterdir())
    job = corpus_mod._Job()
    pieces, owner, ids = corpus_mod._split_large(items, job, piece_rows=500)
    # file 0 holds rows 0-999; conversations of 70 rows start at 0, 70, ..., 490, 560, ...: cut at 560
    assert [(p.start, p.stop) for p in pieces[:2]] == [(0, 560), (560, 1000)] and owner == [0, 0, 1, 1, 2, 2]
    assert pieces[1].name.endswith("part-00000.parquet [rows 560-999]")
    assert sum(p.stop - p.start for p in pieces) == 3000
    assert ids[0] == [f"conv{i}" for i in range(8)] and ids[1] == [f"conv{i}" for i in range(8, 15)]
    units = corpus_mod._plan_units(pieces, job, known=ids)
    # only a conversation running over a file boundary joins two pieces (conv14: rows 980-1049)
    assert units == {2: 1, 4: 3}
    batches = corpus_mod._batches(pieces, max_files=1, units=units)
    assert [[i for i, _ in b] for b in batches] == [[0], [1, 2], [3, 4], [5]]
    whole = pd.read_parquet(items[0])
    read = pd.concat([rs.read_chat(items[0], format="table", rows=(p.start, p.stop)) for p in pieces[:2]])
    assert read["text"].tolist() == whole["text"].tolist()
    assert read["message_id"].tolist() == rs.read_chat(items[0], format="table")["message_id"].tolist()


def test_index_pass_reads_only_the_conversation_column(big_table, monkeypatch):
    import pyarrow.parquet as pq

    calls = []
    real = pq.ParquetFile.read_row_group

    def spy(self, i, columns=None, **kw):
        calls.append(columns)
        return real(self, i, columns=columns, **kw)

    monkeypatch.setattr(pq.ParquetFile, "read_row_group", spy)
    monkeypatch.setattr(pq.ParquetFile, "read", lambda *a, **k: pytest.fail("whole file read"))
    items = sorted((big_table / "parts").iterdir())
    ids = corpus_mod._index_file(items[0], corpus_mod._Job())
    assert calls and all(c == ["conversation_id"] for c in calls)
    assert ids == [f"conv{i}" for i in range(0, 15)]  # rows 0-999, 70 per conversation
    # a row group holding one conversation is known from its statistics alone
    calls.clear()
    one = pd.DataFrame(
        {
            "conversation_id": "solo",
            "timestamp": pd.date_range("2024-01-01", periods=10, freq="min", tz="UTC"),
            "sender": ["x", "y"] * 5,
            "text": "hi",
        }
    )
    one.to_parquet(big_table / "solo.parquet", index=False)
    assert corpus_mod._index_file(big_table / "solo.parquet", corpus_mod._Job()) == ["solo"]
    assert calls == []


@pytest.mark.parametrize("by", [BY, None])
def test_split_parquet_scores_equal_whole_file(big_table, monkeypatch, by, tmp_path):
    # per conversation: as from one file; per message: as from the same files unsplit (message ids
    # of a table without them number the records of each file)
    whole = rs.score_corpus(big_table / ("whole" if by else "parts"), by=by, progress=False)
    assert len(corpus_mod._split_large(sorted((big_table / "parts").iterdir()), corpus_mod._Job())[0]) == 3
    monkeypatch.setattr(corpus_mod, "_PIECE_ROWS", 500)
    split = rs.score_corpus(big_table / "parts", by=by, progress=False, batch_files=1)
    key = BY if by else ["conversation_id", "timestamp", "sender"]
    a = whole.sort_values(key, kind="stable").reset_index(drop=True)
    b = split.sort_values(key, kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(b, a, check_exact=False, rtol=1e-12)
    info = split.attrs["reconnect_signals"]
    assert [f["messages"] for f in info["files"]] == [1000, 1000, 1000]  # one report per input file
    assert [f["pieces"] for f in info["files"]] == [2, 2, 2] and info["failed"] == []
    assert info["duplicate_conversations"] == []
    if by is None:
        return
    run = rs.score_corpus(big_table / "parts", progress=False, out_dir=tmp_path / "run", collect=False)
    manifest = pd.read_csv(tmp_path / "run" / "manifest.csv")
    assert manifest["status"].tolist() == ["done"] * 3 and manifest["messages"].tolist() == [1000] * 3
    assert run.attrs["reconnect_signals"]["rows"] == len(split)


def test_interleaved_conversations_in_a_split_file_stay_whole(big_table, monkeypatch, tmp_path):
    frame = pd.read_parquet(big_table / "whole" / "part-00000.parquet")
    shuffled = frame.sample(frac=1.0, random_state=3).reset_index(drop=True)
    shuffled.to_parquet(tmp_path / "shuffled.parquet", row_group_size=300, index=False)
    whole = rs.score_corpus(tmp_path / "shuffled.parquet", progress=False)
    monkeypatch.setattr(corpus_mod, "_PIECE_ROWS", 300)
    pieces, _, ids = corpus_mod._split_large([tmp_path / "shuffled.parquet"], corpus_mod._Job())
    assert [(p.start, p.stop) for p in pieces] == [(k, k + 300) for k in range(0, 3000, 300)]
    assert set(corpus_mod._plan_units(pieces, corpus_mod._Job(), known=ids).values()) == {0}  # one unit
    split = rs.score_corpus(tmp_path / "shuffled.parquet", progress=False, batch_files=1)
    pd.testing.assert_frame_equal(_sorted(split), _sorted(whole), check_exact=False, rtol=1e-12)
    assert not split.duplicated(BY).any()


def test_a_damaged_piece_fails_its_file_with_the_rows_named(big_table, monkeypatch):
    monkeypatch.setattr(corpus_mod, "_PIECE_ROWS", 500)
    real = corpus_mod._read_file

    def flaky(index, item, job, unit=None):
        if isinstance(item, corpus_mod._Piece) and item.start > 0 and "00001" in str(item.source):
            item = corpus_mod._Piece(item.source, item.stop, item.start, item.nbytes)  # stop before start
        return real(index, item, job, unit)

    monkeypatch.setattr(corpus_mod, "_read_file", flaky)
    out = rs.score_corpus(big_table / "parts", progress=False)
    failed = out.attrs["reconnect_signals"]["failed"]
    assert len(failed) == 1 and failed[0]["source"].endswith("part-00001.parquet")
    assert "part-00001.parquet [rows 1000-539]" in failed[0]["error"] and "rows must be" in failed[0]["error"]
    files = out.attrs["reconnect_signals"]["files"]
    assert [f["messages"] for f in files] == [1000, 540, 1000]  # the file's other piece is scored
