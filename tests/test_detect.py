"""Format detection across every reader: each sniffer claims its own fixtures and no other's.

The cases come from every reader's fixtures (committed files and the renderings of
``tests/_builders.py``, which the reader tests use too), so a new reader or fixture joins the
confusion matrix by itself. This module imports no other test module.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

import reconnect_signals as rs
from reconnect_signals.errors import UnknownFormat
from reconnect_signals.io import Source
from reconnect_signals.io._registry import specs
from reconnect_signals.io._whatsapp_render import LAYOUTS, render_whatsapp

from _builders import GOLD, GOLDEN, readers_b_inputs
from _builders import whatsapp_conversation as conversation
from _shared import (
    CHAT_MINER,
    CHAT_MINER_SNIFF_CASES,
    CHATISTICS,
    IRC,
    PUSTUR,
    SLACK_ARCHIVE,
    SMS_DEVADVANCE_E2E,
    SMS_DEVADVANCE_LIB,
    SMS_SHRUGGIETECH,
    VADER,
    shared_files,
    shared_path,
)

DATA = Path(__file__).parent / "data"


def _cases(tmp_path: Path) -> dict[str, tuple[object, str]]:
    cases: dict[str, tuple[object, str]] = {}
    for name, (rel, _kwargs, owner, _cannot, _lacks) in GOLDEN.items():
        cases[f"a:{name}"] = (GOLD / rel, owner)
    for owner, data in readers_b_inputs(tmp_path).items():
        cases[f"b:{owner}"] = (data, owner)
    for layout in LAYOUTS:
        cases[f"whatsapp:{layout}"] = (render_whatsapp(conversation(), layout), "whatsapp")
    # a small IRC log written here (the Ubuntu corpus files join with ../shared)
    irc = tmp_path / "2024-06-01_09.raw.txt"  # the reader takes the date from the name
    irc.write_bytes(IRC_LOG)
    cases["irc:written"] = (irc, "irc")
    cases.update(_own_table_cases(tmp_path))
    return cases


IRC_LOG = (
    b"=== alex [~a@host] has joined #chat\n"
    b"[09:00] <alex> morning, anyone around?\n"
    b"[09:01] <sam> alex: yes, here\n"
    b"[09:01]  * alex waves\n"
    b"[09:03] <sam> shall we start?\n"
)


def _third_party_cases() -> dict[str, tuple[object, str]]:
    """Other projects' samples in ../shared (tests/_shared.py skips when it is absent)."""
    cases: dict[str, tuple[object, str]] = {}
    for name, (parts, owner) in CHAT_MINER_SNIFF_CASES.items():
        cases[f"a:{name}"] = (shared_path(*CHAT_MINER, *parts), owner)
    sms = (SMS_DEVADVANCE_LIB, SMS_DEVADVANCE_E2E, SMS_SHRUGGIETECH)
    for path in [p for parts in sms for p in shared_files(*parts, pattern="*.xml")]:
        if "calls" not in path.name and "malformed" not in path.name and "empty" not in path.name:
            cases[f"sms:{path.parent.parent.name}/{path.name}"] = (path, "sms")
    cases["slack:zip"] = (shared_path(*SLACK_ARCHIVE), "slack")
    for path in shared_files(*CHATISTICS, pattern="*.txt") + shared_files(*PUSTUR, pattern="*.txt"):
        if "not-a" not in path.name and "empty" not in path.name:
            cases[f"whatsapp:{path.name}"] = (path, "whatsapp")
    for path in shared_files(*CHAT_MINER, "whatsapp", pattern="*.txt"):
        cases[f"whatsapp:{path.name}"] = (path, "whatsapp")
    for path in shared_files(*IRC, "dev", pattern="*.raw.txt")[:3]:
        cases[f"irc:{path.name}"] = (path, "irc")
    return cases


def _own_table_cases(tmp_path: Path) -> dict[str, tuple[object, str]]:
    cases: dict[str, tuple[object, str]] = {}
    msgs = conversation()
    csv = tmp_path / "messages.csv"
    msgs.to_csv(csv, index=False)
    parquet = tmp_path / "messages.parquet"
    msgs.to_parquet(parquet)
    jsonl = tmp_path / "messages.jsonl"
    msgs.assign(timestamp=msgs["timestamp"].astype(str)).to_json(jsonl, orient="records", lines=True)
    cases.update({"table:csv": (csv, "table"), "table:parquet": (parquet, "table"), "table:jsonl": (jsonl, "table")})
    return cases


@pytest.fixture(scope="module", params=["committed", "with_third_party"])
def cases(request, tmp_path_factory):
    """The committed fixtures and renderings; then the same plus ../shared (skipped when absent)."""
    own = _cases(tmp_path_factory.mktemp("detect"))
    if request.param == "committed":
        return own
    return {**own, **_third_party_cases()}


def _scores(data) -> dict[str, float]:
    src = Source(data) if not isinstance(data, bytes) else Source(data)
    with src:
        return {name: float(spec.sniff(src)) for name, spec in specs().items()}


def test_confusion_matrix_is_diagonal(cases):
    formats = sorted(specs())
    rows = []
    for case, (data, owner) in sorted(cases.items()):
        scores = _scores(data)
        winner = max(scores, key=scores.get)
        rows.append({"case": case, "owner": owner, "detected": winner if scores[winner] > 0 else None})
    table = pd.DataFrame(rows)
    wrong = table[table["owner"] != table["detected"]]
    matrix = pd.crosstab(table["owner"], table["detected"].fillna("(none)"))
    assert wrong.empty, f"misdetected:\n{wrong.to_string()}\n\nconfusion matrix:\n{matrix.to_string()}"
    # every registered format has at least one fixture in the matrix
    assert set(table["owner"]) == set(formats)
    assert len(table) >= (60 if any(k.startswith(("sms:", "slack:", "irc:2")) for k in cases) else 25)


def test_detect_format_agrees_and_read_chat_auto_reads_each(cases):
    for case, (data, owner) in sorted(cases.items()):
        source = io.BytesIO(data) if isinstance(data, bytes) else data
        assert rs.detect_format(data) == owner, case
        if owner == "imessage" or not isinstance(data, bytes):
            continue
        msgs = rs.read_chat(source, errors="ignore")
        assert len(msgs) > 0, case


@pytest.mark.parametrize(
    "name",
    [
        (*PUSTUR, "not-a-whatsapp-chat.txt"),
        (*PUSTUR, "empty.txt"),
        (*SMS_SHRUGGIETECH, "minimal_calls.xml"),
        (*VADER, "LICENSE.txt"),
        "cues/labelled_messages.csv",
    ],
    ids=lambda n: n if isinstance(n, str) else n[-1],
)
def test_files_that_are_no_chat_are_claimed_by_nobody(name):
    path = DATA / name if isinstance(name, str) else shared_path(*name)
    with pytest.raises(UnknownFormat, match="format="):
        rs.detect_format(path)
