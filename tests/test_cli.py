"""End-to-end tests of the ``reconnect-signals`` command line.

Most commands run in this process through :func:`reconnect_signals.cli.main` (the function the
console script and ``python -m reconnect_signals`` call), with the working directory, the
environment and both output streams swapped for the call: a fresh interpreter per command cost
about a second of CPU for the imports alone. The tests marked "subprocess" below still start
``python -m reconnect_signals`` in a fresh interpreter, so the module entry point, its exit codes
and the output encoding stay covered end to end (so do the CLI runs under an audit hook in
``test_hostile.py``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _cli import run

import reconnect_signals as rs
from reconnect_signals.datasets import example_path

SECTIONS = ("summary", "signals", "plots", "parse-report", "time-zone", "definitions", "caveats")

# A small synthetic WhatsApp (Android, day-first, 24 h) export with a second pair of fictional people.
_E2E = (
    "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, "
    "can read or listen to them. Tap to learn more."
)
OTHER_CHAT = f"""\
12/05/2025, 09:00 - {_E2E}
12/05/2025, 09:01 - Robin: morning! are we still on for lunch?
12/05/2025, 09:05 - Kit: yes :) i was thinking the place by the river
12/05/2025, 09:06 - Robin: perfect, see u at 1
second line of the same message
13/05/2025, 20:10 - Kit: thanks for today, I really enjoyed it
13/05/2025, 20:40 - Robin: me too haha we should do it again
"""


def run_subprocess(
    *args: str, cwd: Path, env_extra: dict | None = None, timeout: float = 300
) -> subprocess.CompletedProcess:
    """Run ``python -m reconnect_signals`` in a fresh interpreter."""
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
    res = run_subprocess("--help", cwd=tmp_path)  # subprocess: the module entry point exits 0
    assert res.returncode == 0, res.stderr
    for command in ("report", "parse", "cues", "score", "formats"):
        assert command in res.stdout
    assert "reconnect-signals report" in res.stdout  # the first command a newcomer runs
    for command in ("report", "parse", "cues", "score", "formats"):
        sub = run(command, "--help", cwd=tmp_path)
        assert sub.returncode == 0, sub.stderr
        assert f"usage: reconnect-signals {command}" in sub.stdout


def test_no_command_and_bad_options_are_usage_errors(tmp_path):
    res = run_subprocess(cwd=tmp_path)  # subprocess: the module entry point exits 2
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
    res = run("parse", str(first), str(second), "--tz", "Europe/London", "-o", out.name, "--no-progress", cwd=tmp_path)
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
    res = run_subprocess("parse", "no_such_chat.txt", "-o", "m.csv", cwd=tmp_path)  # subprocess: exits 1
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
    # issue 16: the command line names its own option, not the Python keyword (was "pass format=")
    assert res.returncode == 1 and "pass --format" in res.stderr and "format=" not in res.stderr


# --------------------------------------------------------------------------- cues


def test_cues_weekly_per_sender(exports, tmp_path):
    first, _ = exports
    res = run(
        "cues", str(first), "--tz", "Europe/London", "--by", "sender", "--freq", "W", "-o", "weekly.csv", cwd=tmp_path
    )
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
    res = run(
        "cues", str(second), "--tz", "Europe/London", "--by", "message", "-o", "per_message.parquet", cwd=tmp_path
    )
    assert res.returncode == 0, res.stderr
    got = pd.read_parquet(tmp_path / "per_message.parquet")
    assert len(got) == 6  # one row per message, system row included
    assert got["question"].tolist()[1] is True or bool(got["question"].iloc[1])
    assert {"latency_s", "words", "sentiment"} <= set(got.columns)
    bad = run("cues", str(second), "--by", "weekday", "-o", "x.csv", cwd=tmp_path)
    assert bad.returncode == 1 and "--by 'weekday'" in bad.stderr


# --------------------------------------------------------------------------- report


def test_report_without_export_uses_the_bundled_example(tmp_path):
    res = run_subprocess("report", "--no-progress", cwd=tmp_path)  # subprocess: the whole pipeline, UTF-8 out
    assert res.returncode == 0, res.stderr
    assert "bundled synthetic example" in res.stdout
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    for sid in SECTIONS:
        assert f'<section id="{sid}">' in page
    assert "http://" not in page and "https://" not in page
    assert len(re.findall(r'<svg [^>]*role="img"', page)) == 10  # issue 16: figures are inline SVG (were 9 PNG images)
    assert "Europe/London" in page
    assert "could not be computed" not in page


# text_only: these read text sections; the figures are drawn by the subprocess test above
def test_report_on_an_export_with_me_and_output(exports, tmp_path, text_only):
    _, second = exports
    res = run(
        "report",
        str(second),
        "--me",
        "Kit",
        "--tz",
        "Europe/Berlin",
        "-o",
        "kit.html",
        "--title",
        "Kit & Robin <test>",
        "--no-progress",
        cwd=tmp_path,
    )
    assert res.returncode == 0, res.stderr
    page = (tmp_path / "kit.html").read_text(encoding="utf-8")
    assert "<title>Kit &amp; Robin &lt;test&gt;</title>" in page
    assert "Europe/Berlin" in page
    assert "Written for <strong>Kit</strong>" in page
    bad = run("report", str(second), "--me", "Nobody", "-o", "x.html", cwd=tmp_path)
    assert bad.returncode == 1 and "not a sender of this chat" in bad.stderr and "Kit" in bad.stderr
    assert not (tmp_path / "x.html").exists()


def test_report_without_tz_records_the_utc_assumption(exports, tmp_path, text_only):
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
        "score",
        str(first),
        str(second),
        str(broken),
        "-o",
        "scores.parquet",
        "--tz",
        "Europe/London",
        "--anonymize-key-env",
        "RS_TEST_KEY",
        "--no-progress",
        cwd=tmp_path,
        env_extra={"RS_TEST_KEY": "a-long-synthetic-test-key-0123456789"},
    )
    assert res.returncode == 1, res.stderr  # issue 17: some files failed -> exit code 1
    scores = pd.read_parquet(tmp_path / "scores.parquet")
    assert len(scores) == 4  # two conversations x two senders
    assert not set(scores["sender"]) & {"Alex", "Sam", "Robin", "Kit"}  # pseudonyms only
    assert "1 file(s) failed" in res.stdout
    assert len([line for line in res.stderr.splitlines() if "broken.json" in line]) == 1  # listed once
    raw = (tmp_path / "scores.parquet").read_bytes()
    assert b"a-long-synthetic-test-key" not in raw
    missing = run(
        "score",
        str(first),
        "-o",
        "s.parquet",
        "--anonymize-key-env",
        "RS_UNSET_VARIABLE",
        cwd=tmp_path,
        env_extra={"RS_UNSET_VARIABLE": ""},
    )
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
    res = run(
        "cues",
        str(first),
        str(second),
        "--tz",
        "Europe/London",
        "--by",
        "conversation_id,sender",
        "--freq",
        "MS",
        "-o",
        "monthly.parquet",
        "--no-progress",
        cwd=tmp_path,
    )
    assert res.returncode == 0, res.stderr
    got = pd.read_parquet(tmp_path / "monthly.parquet")
    msgs = rs.read_chats([first, second], tz="Europe/London", progress=False)
    expected = rs.cue_table(msgs, by=["conversation_id", "sender"], freq="MS")
    assert len(got) == len(expected)
    pairs = {frozenset(s) for s in got.groupby("conversation_id")["sender"].unique()}
    assert pairs == {frozenset({"Alex", "Sam"}), frozenset({"Kit", "Robin"})}
    kit_may = got[(got["sender"] == "Kit") & (got["window"].dt.month == 5)]
    assert kit_may["messages"].tolist() == [2]


# --------------------------------------------------------------------------- issue 16: CLI wording and paths

# unpadded d/m/yy with a 24 h clock: locales of both orders write it, and every value is <= 12
AMBIGUOUS = "1/2/24, 10:00 - Alex: hi\n1/2/24, 10:01 - Sam: hey\n2/3/24, 10:02 - Alex: ok\n"
PYTHON_WORDS = (r"\bformat=", r"\bdate_order=", r"\btz=", r"\brs\.", r"\bread_chat", r"\bdf\.attrs")


def _no_python_words(text: str) -> None:
    for word in PYTHON_WORDS:
        assert re.search(word, text) is None, f"{word!r} in {text!r}"


def test_score_takes_date_order_and_fails_when_nothing_was_scored(tmp_path):
    (tmp_path / "amb.txt").write_text(AMBIGUOUS, encoding="utf-8")
    res = run("score", "amb.txt", "-o", "s.csv", "--no-progress", cwd=tmp_path)
    assert res.returncode == 2  # issue 17: nothing scored -> exit code 2
    assert "nothing was scored" in res.stderr and "--date-order DMY" in res.stderr
    assert not (tmp_path / "s.csv").exists()
    _no_python_words(res.stderr)
    ok = run("score", "amb.txt", "-o", "s.csv", "--no-progress", "--date-order", "DMY", "--tz", "UTC", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert "wrote s.csv (2 rows; 1 of 1 file(s) scored, 0 file(s) failed)" in ok.stdout
    assert pd.read_csv(tmp_path / "s.csv")["messages"].tolist() == [2, 1]


def test_ambiguous_dates_name_the_cli_option(tmp_path):
    (tmp_path / "amb.txt").write_text(AMBIGUOUS, encoding="utf-8")
    res = run("parse", "amb.txt", "-o", "m.csv", cwd=tmp_path)
    assert res.returncode == 1
    assert "Pass --date-order DMY (day first: 1 February) or --date-order MDY" in res.stderr
    _no_python_words(res.stderr)


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("chat.txt", b"", "'chat.txt' is an empty file (0 bytes)"),
        ("chat.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n", "'chat.pdf' is a PDF document, not a chat export"),
        ("chat.docx", None, "'chat.docx' is a Word document (.docx), not a chat export"),
    ],
)
def test_files_that_are_not_exports_say_what_they_are(tmp_path, name, content, says):
    path = tmp_path / name
    if content is None:
        import zipfile

        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("[Content_Types].xml", "<Types/>")
            zf.writestr("word/document.xml", "<w:document/>")
    else:
        path.write_bytes(content)
    for command in (("parse", name, "-o", "m.csv"), ("report", name, "-o", "r.html")):
        res = run(*command, cwd=tmp_path)
        assert res.returncode == 1, res.stderr
        assert says in res.stderr and "reconnect-signals formats" in res.stderr
        assert "no reader recognises" not in res.stderr
        _no_python_words(res.stderr)


def test_folders_empty_or_without_exports(tmp_path):
    (tmp_path / "empty").mkdir()
    res = run("parse", "empty", "-o", "m.csv", cwd=tmp_path)
    assert res.returncode == 1 and "folder 'empty' is empty" in res.stderr
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.md").write_text("# not a chat\n", encoding="utf-8")
    res = run("parse", "notes", "-o", "m.csv", cwd=tmp_path)
    assert res.returncode == 1
    assert "In folder(s) 'notes' every file is read" in res.stderr and "--format" in res.stderr
    _no_python_words(res.stderr)


def test_unknown_format_names_cli_options(tmp_path):
    (tmp_path / "chat.txt").write_text("just some words\nwith no dates at all\n", encoding="utf-8")
    res = run("parse", "chat.txt", "-o", "m.csv", cwd=tmp_path)
    assert res.returncode == 1
    assert "pass --format with one of" in res.stderr
    assert "(reconnect-signals formats says what each reads)" in res.stderr
    _no_python_words(res.stderr)


def test_missing_tz_is_noticed_and_counts_are_explained(exports, tmp_path):
    first, _ = exports
    res = run("parse", first.name, "-o", "m.csv", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "no --tz was given, so they were read as UTC" in res.stderr and "--tz Europe/London" in res.stderr
    msgs = rs.read_chat(first, tz="UTC")
    people = int((msgs["sender"].notna() & msgs["kind"].ne("system")).sum())
    assert people < len(msgs)
    assert f"wrote m.csv ({len(msgs):,} messages)" in res.stdout
    assert (
        f"{len(msgs) - people:,} of them are system rows of the export (joins, security notices, ...), which "
        f"the report leaves out: it counts {people:,} messages from people"
    ) in res.stdout
    with_tz = run("parse", first.name, "-o", "m.csv", "--tz", "Europe/London", cwd=tmp_path)
    assert with_tz.returncode == 0 and "no --tz" not in with_tz.stderr
