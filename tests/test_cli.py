"""End-to-end tests of the ``reconnect-signals`` command line, each in a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import reconnect_signals as rs
from reconnect_signals.datasets import example_path

SECTIONS = ("summary", "signals", "plots", "parse-report", "time-zone", "definitions", "caveats")

# A small synthetic WhatsApp (Android, day-first, 24 h) export with a second pair of fictional people.
OTHER_CHAT = """\
12/05/2025, 09:00 - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.
12/05/2025, 09:01 - Robin: morning! are we still on for lunch?
12/05/2025, 09:05 - Kit: yes :) i was thinking the place by the river
12/05/2025, 09:06 - Robin: perfect, see u at 1
second line of the same message
13/05/2025, 20:10 - Kit: thanks for today, I really enjoyed it
13/05/2025, 20:40 - Robin: me too haha we should do it again
"""


def run(*args: str, cwd: Path, env_extra: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONIOENCODING": "utf-8", **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "reconnect_signals", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )


@pytest.fixture
def exports(tmp_path: Path) -> tuple[Path, Path]:
    first = tmp_path / "example_chat.txt"
    shutil.copyfile(example_path(), first)
    second = tmp_path / "other_chat.txt"
    second.write_text(OTHER_CHAT, encoding="utf-8")
    return first, second


# --------------------------------------------------------------------------- help and formats


def test_help_names_every_command(tmp_path):
    res = run("--help", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    for command in ("report", "parse", "cues", "score", "formats"):
        assert command in res.stdout
    assert "reconnect-signals report" in res.stdout  # the first command a newcomer runs
    for command in ("report", "parse", "cues", "score", "formats"):
        sub = run(command, "--help", cwd=tmp_path)
        assert sub.returncode == 0, sub.stderr
        assert f"usage: reconnect-signals {command}" in sub.stdout


def test_no_command_and_bad_options_are_usage_errors(tmp_path):
    res = run(cwd=tmp_path)
    assert res.returncode == 2
    assert "usage:" in res.stderr
    bad = run("parse", "x.txt", "-o", "m.csv", "--format", "no-such-format", cwd=tmp_path)
    assert bad.returncode == 2
    assert "invalid choice" in bad.stderr and "whatsapp" in bad.stderr
    missing = run("parse", "x.txt", cwd=tmp_path)  # -o is required
    assert missing.returncode == 2 and "-o/--output" in missing.stderr


def test_formats_lists_the_registry(tmp_path):
    res = run("formats", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    formats = rs.list_formats()
    for rec in formats.to_dict("records"):
        assert f"{rec['format']}  ({rec['platform']};" in res.stdout
    names = run("formats", "--names", cwd=tmp_path)
    assert names.stdout.split() == formats["format"].tolist()


# --------------------------------------------------------------------------- parse


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_parse_writes_the_message_table(exports, tmp_path, suffix):
    first, second = exports
    out = tmp_path / f"messages{suffix}"
    res = run("parse", str(first), str(second), "--tz", "Europe/London", "-o", out.name, "--no-progress",
              cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert out.exists()
    expected = rs.read_chats([first, second], tz="Europe/London", progress=False)
    got = pd.read_parquet(out) if suffix == ".parquet" else pd.read_csv(out)
    assert len(got) == len(expected) == len(rs.read_chat(first, tz="Europe/London")) + 6
    assert list(got.columns[:7]) == list(rs.schema.REQUIRED_COLUMNS)
    assert set(got["sender"].dropna()) == {"Alex", "Sam", "Robin", "Kit"}
    assert got["text"].tolist()[-3] == "perfect, see u at 1\nsecond line of the same message"
    if suffix == ".parquet":
        pd.testing.assert_series_equal(got["timestamp"], expected["timestamp"].reset_index(drop=True))
    assert f"wrote {out.name} ({len(expected):,} messages)" in res.stdout
    assert "other_chat.txt (whatsapp)" in res.stdout  # the parse report summary


def test_parse_errors_exit_1_with_a_fix(exports, tmp_path):
    first, _ = exports
    res = run("parse", "no_such_chat.txt", "-o", "m.csv", cwd=tmp_path)
    assert res.returncode == 1
    assert "no such file or folder: 'no_such_chat.txt'" in res.stderr
    assert "Traceback" not in res.stderr
    res = run("parse", str(first), "-o", "m.xlsx", cwd=tmp_path)
    assert res.returncode == 1 and "must end in .parquet or .csv" in res.stderr
    res = run("parse", str(first), "-o", "m.csv", "--tz", "Mars/Olympus", cwd=tmp_path)
    assert res.returncode == 1 and "unknown time zone 'Mars/Olympus'" in res.stderr
    res = run("parse", str(first), "-o", "nowhere/m.csv", cwd=tmp_path)
    assert res.returncode == 1 and "does not exist" in res.stderr
    garbage = tmp_path / "notes.bin"
    garbage.write_bytes(bytes(range(256)) * 4)
    res = run("parse", str(garbage), "-o", "m.csv", cwd=tmp_path)
    assert res.returncode == 1 and "pass format=" in res.stderr


# --------------------------------------------------------------------------- cues


def test_cues_weekly_per_sender(exports, tmp_path):
    first, _ = exports
    res = run("cues", str(first), "--tz", "Europe/London", "--by", "sender", "--freq", "W", "-o", "weekly.csv",
              cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    got = pd.read_csv(tmp_path / "weekly.csv")
    msgs = rs.read_chat(first, tz="Europe/London")
    expected = rs.cue_table(msgs, by="sender", freq="W")
    assert len(got) == len(expected)
    assert {"sender", "window", "we_rate", "i_rate", "latency_median_s", "initiation_share"} <= set(got.columns)
    assert set(got["sender"]) == {"Alex", "Sam"}
    np.testing.assert_allclose(got["words"].to_numpy(), expected["words"].to_numpy())
    np.testing.assert_allclose(got["we_rate"].to_numpy(), expected["we_rate"].to_numpy(), rtol=1e-9)
    assert f"wrote weekly.csv ({len(expected):,} rows" in res.stdout


def test_cues_per_message_parquet_and_bad_by(exports, tmp_path):
    first, second = exports
    res = run("cues", str(second), "--tz", "Europe/London", "--by", "message", "-o", "per_message.parquet",
              cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    got = pd.read_parquet(tmp_path / "per_message.parquet")
    assert len(got) == 6  # one row per message, system row included
    assert got["question"].tolist()[1] is True or bool(got["question"].iloc[1])
    assert {"latency_s", "words", "sentiment"} <= set(got.columns)
    bad = run("cues", str(second), "--by", "weekday", "-o", "x.csv", cwd=tmp_path)
    assert bad.returncode == 1 and "--by 'weekday'" in bad.stderr


# --------------------------------------------------------------------------- report


def test_report_without_export_uses_the_bundled_example(tmp_path):
    res = run("report", "--no-progress", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "bundled synthetic example" in res.stdout
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    for sid in SECTIONS:
        assert f'<section id="{sid}">' in page
    assert "http://" not in page and "https://" not in page
    assert page.count("data:image/png;base64,") == 9
    assert "Europe/London" in page
    assert "could not be computed" not in page


def test_report_on_an_export_with_me_and_output(exports, tmp_path):
    _, second = exports
    res = run("report", str(second), "--me", "Kit", "--tz", "Europe/Berlin", "-o", "kit.html", "--title",
              "Kit & Robin <test>", "--no-progress", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    page = (tmp_path / "kit.html").read_text(encoding="utf-8")
    assert "<title>Kit &amp; Robin &lt;test&gt;</title>" in page
    assert "Europe/Berlin" in page
    assert "Written for <strong>Kit</strong>" in page
    bad = run("report", str(second), "--me", "Nobody", "-o", "x.html", cwd=tmp_path)
    assert bad.returncode == 1 and "not a sender of this chat" in bad.stderr and "Kit" in bad.stderr
    assert not (tmp_path / "x.html").exists()


def test_report_without_tz_records_the_utc_assumption(exports, tmp_path):
    _, second = exports
    res = run("report", str(second), "-o", "utc.html", "--no-progress", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    page = (tmp_path / "utc.html").read_text(encoding="utf-8")
    assert "No time zone was given" in page and "--tz Europe/London" in page


# --------------------------------------------------------------------------- score


def test_score_a_small_corpus(exports, tmp_path):
    first, second = exports
    broken = tmp_path / "broken.json"
    broken.write_text("{ this is not an export", encoding="utf-8")
    res = run(
        "score", str(first), str(second), str(broken), "-o", "scores.parquet", "--tz", "Europe/London",
        "--anonymize-key-env", "RS_TEST_KEY", "--no-progress",
        cwd=tmp_path, env_extra={"RS_TEST_KEY": "a-long-synthetic-test-key-0123456789"},
    )
    assert res.returncode == 1, res.stderr  # issue 17: some files failed -> exit code 1
    scores = pd.read_parquet(tmp_path / "scores.parquet")
    assert len(scores) == 4  # two conversations x two senders
    assert not set(scores["sender"]) & {"Alex", "Sam", "Robin", "Kit"}  # pseudonyms only
    assert "1 file(s) failed" in res.stdout
    assert len([line for line in res.stderr.splitlines() if "broken.json" in line]) == 1  # listed once
    raw = (tmp_path / "scores.parquet").read_bytes()
    assert b"a-long-synthetic-test-key" not in raw
    missing = run("score", str(first), "-o", "s.parquet", "--anonymize-key-env", "RS_UNSET_VARIABLE",
                  cwd=tmp_path, env_extra={"RS_UNSET_VARIABLE": ""})
    assert missing.returncode == 1 and "RS_UNSET_VARIABLE" in missing.stderr


def test_main_returns_codes_in_process(capsys):
    from reconnect_signals.cli import main

    assert main(["--version"]) == 0
    assert rs.__version__ in capsys.readouterr().out
    assert main(["formats", "--names"]) == 0
    assert "whatsapp" in capsys.readouterr().out.split()
    assert main([]) == 2


def test_cues_per_conversation_and_month(exports, tmp_path):
    first, second = exports
    res = run("cues", str(first), str(second), "--tz", "Europe/London", "--by", "conversation_id,sender",
              "--freq", "MS", "-o", "monthly.parquet", "--no-progress", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    got = pd.read_parquet(tmp_path / "monthly.parquet")
    msgs = rs.read_chats([first, second], tz="Europe/London", progress=False)
    expected = rs.cue_table(msgs, by=["conversation_id", "sender"], freq="MS")
    assert len(got) == len(expected)
    pairs = {frozenset(s) for s in got.groupby("conversation_id")["sender"].unique()}
    assert pairs == {frozenset({"Alex", "Sam"}), frozenset({"Kit", "Robin"})}
    kit_may = got[(got["sender"] == "Kit") & (got["window"].dt.month == 5)]
    assert kit_may["messages"].tolist() == [2]
