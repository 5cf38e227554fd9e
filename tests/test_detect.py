"""Format detection across every reader: each sniffer claims its own fixtures and no other's.

The cases come from every reader's fixtures (committed files and the renderings the reader
tests build), so a new reader or fixture joins the confusion matrix by itself.
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

import test_readers_a as ra  # noqa: E402  (tests/ is on sys.path under pytest)
import test_readers_b as rb  # noqa: E402
from test_whatsapp import conversation  # noqa: E402

DATA = Path(__file__).parent / "data"


def _cases(tmp_path: Path) -> dict[str, tuple[object, str]]:
    cases: dict[str, tuple[object, str]] = {}
    for name, (path, owner) in ra.SNIFF_CASES.items():
        cases[f"a:{name}"] = (path, owner)
    for owner, data in rb._inputs(tmp_path).items():
        cases[f"b:{owner}"] = (data, owner)
    for path in sorted((DATA / "sms").glob("*.xml")):
        if "calls" not in path.name and "malformed" not in path.name and "empty" not in path.name:
            cases[f"sms:{path.name}"] = (path, "sms")
    cases["slack:zip"] = (DATA / "slack" / "hfaran_testarchive.zip", "slack")
    for path in sorted((DATA / "whatsapp").glob("*.txt")):
        if "not-a" not in path.name and "empty" not in path.name:
            cases[f"whatsapp:{path.name}"] = (path, "whatsapp")
    for layout in LAYOUTS:
        cases[f"whatsapp:{layout}"] = (render_whatsapp(conversation(), layout), "whatsapp")
    for path in sorted((DATA / "irc" / "dev").glob("*.raw.txt"))[:3]:
        cases[f"irc:{path.name}"] = (path, "irc")
    msgs = conversation()
    csv = tmp_path / "messages.csv"
    msgs.to_csv(csv, index=False)
    parquet = tmp_path / "messages.parquet"
    msgs.to_parquet(parquet)
    jsonl = tmp_path / "messages.jsonl"
    msgs.assign(timestamp=msgs["timestamp"].astype(str)).to_json(jsonl, orient="records", lines=True)
    cases.update({"table:csv": (csv, "table"), "table:parquet": (parquet, "table"), "table:jsonl": (jsonl, "table")})
    return cases


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    return _cases(tmp_path_factory.mktemp("detect"))


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
    assert len(table) >= 60


def test_detect_format_agrees_and_read_chat_auto_reads_each(cases):
    for case, (data, owner) in sorted(cases.items()):
        source = io.BytesIO(data) if isinstance(data, bytes) else data
        assert rs.detect_format(data) == owner, case
        if owner == "imessage" or not isinstance(data, bytes):
            continue
        msgs = rs.read_chat(source, errors="ignore")
        assert len(msgs) > 0, case


@pytest.mark.parametrize("name", ["whatsapp/pustur_not-a-whatsapp-chat.txt", "whatsapp/pustur_empty.txt",
                                  "sms/shruggietech_minimal_calls.xml", "vader/LICENSE.txt",
                                  "cues/labelled_messages.csv"])
def test_files_that_are_no_chat_are_claimed_by_nobody(name):
    with pytest.raises(UnknownFormat, match="format="):
        rs.detect_format(DATA / name)
