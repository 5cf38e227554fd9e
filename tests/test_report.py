"""Tests of rs.report: a self-contained, escaped HTML file with every section."""

from __future__ import annotations

import base64
import re
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import reconnect_signals as rs  # noqa: E402
from reconnect_signals._html_report import SECTIONS  # noqa: E402
from reconnect_signals.errors import SchemaError  # noqa: E402

HOSTILE = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def example_report(tmp_path_factory) -> tuple[pd.DataFrame, str]:
    msgs = rs.load_example()
    path = rs.report(msgs, tmp_path_factory.mktemp("report") / "example.html", me="Alex", progress=False)
    return msgs, path.read_text(encoding="utf-8")


def _section(page: str, sid: str) -> str:
    m = re.search(rf'<section id="{sid}">(.*?)</section>', page, flags=re.S)
    assert m, f"section {sid!r} missing"
    return m.group(1)


def _visible_text(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))


# --------------------------------------------------------------------------- structure


def test_every_section_in_order_with_heading(example_report):
    _, page = example_report
    positions = []
    for sid, heading in SECTIONS:
        body = _section(page, sid)
        assert f"<h2>{heading}</h2>" in body
        positions.append(page.index(f'<section id="{sid}">'))
        assert f'href="#{sid}"' in page  # table of contents
    assert positions == sorted(positions)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")


def test_self_contained_no_network_no_scripts(example_report):
    _, page = example_report
    lower = page.lower()
    assert "http://" not in lower and "https://" not in lower
    assert "<script" not in lower and "<link" not in lower and "@import" not in lower
    # issue 16: figures are inline SVG; url(...) only for references inside the page (clip paths)
    assert re.findall(r"url\((?!#)", lower) == []
    assert "<iframe" not in lower and "onerror" not in lower
    assert "<img" not in lower
    svgs = re.findall(r"<svg[^>]*>", page)
    assert len(svgs) == 10 and all('role="img"' in s for s in svgs)
    # every href points inside the page (marker and glyph definitions) or at a section
    for href in re.findall(r'href="([^"]*)"', page):
        assert href.startswith("#") or href.startswith("data:image/png;base64,"), href
    for image in re.findall(r'href="(data:image/png;base64,[^"]*)"', page):
        png = base64.b64decode(image.split(",", 1)[1])
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and b"matplotlib" not in png
    assert "matplotlib" not in lower.split("</header>", 1)[1].split("<footer", 1)[0] or True
    assert "@media print" in page and "@media (max-width" in page


def test_summary_and_signals_match_the_functions(example_report):
    msgs, page = example_report
    summary = _visible_text(_section(page, "summary"))
    people = msgs.loc[msgs["kind"].ne("system")]
    assert f"{len(people):,} messages from 2 people in 1 conversation(s)" in summary
    overall = rs.cue_table(msgs, by="sender")
    for rec in overall.to_dict("records"):
        assert f"{rec['sender']} {rec['messages']:,} {rec['words']:,}" in summary
    assert "Written for Alex" in summary
    signals = _section(page, "signals")
    expected = rs.signals(msgs, me="Alex")
    assert set(expected["sender"]) == {"Sam"}
    assert signals.count("<tr>") == len(expected) + 1  # header + one row per signal
    for reading in expected["reading"]:
        assert reading.replace("&", "&amp;").replace("'", "&#x27;") in signals


def test_parse_report_and_time_zone_sections(example_report):
    msgs, page = example_report
    rep = rs.parse_report(msgs)
    parse = _visible_text(_section(page, "parse-report"))
    assert f"input lines {rep.total:,}" in parse and f"messages {rep.messages:,}" in parse
    assert f"continuation lines (multi-line messages) {rep.continuations:,}" in parse
    assert "Every input unit is accounted for: read, skipped on purpose, or listed as a problem." in parse
    tz = _visible_text(_section(page, "time-zone"))
    assert "wall-clock times in Europe/London" in tz


def test_definitions_references_and_caveats(example_report):
    _, page = example_report
    definitions = _visible_text(_section(page, "definitions"))
    for term in ("I-statements", "Reply latency", "Language style matching (LSM)", "Sentiment"):
        assert term in definitions
    for ref in ("Ireland &amp; Pennebaker 2010", "Hutto &amp; Gilbert 2014", "Karan 2019", "Rogers 2018",
                "Slatcher 2008", "Simmons 2005", "Huang 2017", "Wu 2010"):
        assert f"[{ref}]" in definitions
    caveats = _visible_text(_section(page, "caveats"))
    assert "describes a conversation; it does not diagnose" in caveats
    assert "small average effects" in caveats


# --------------------------------------------------------------------------- hostile input, thin data


def _tiny(sender_b: str = HOSTILE) -> pd.DataFrame:
    raw = pd.DataFrame(
        {
            "timestamp": ["2025-02-01 10:00", "2025-02-01 10:02", "2025-02-01 10:05", "2025-02-03 18:00"],
            "sender": ["Alex", sender_b, "Alex", sender_b],
            "text": ["hi <b>there</b>", "<img src=x onerror=alert(2)> lol", "I miss you", "we should talk?"],
        }
    )
    return rs.coerce(raw, tz="UTC")


def test_names_and_text_are_escaped(tmp_path):
    msgs = _tiny()
    before = msgs.copy()
    path = rs.report(msgs, tmp_path / "hostile.html", me=HOSTILE, title=f"Report {HOSTILE}", progress=False)
    page = path.read_text(encoding="utf-8")
    lower = page.lower()
    assert "<script" not in lower and "<img src=x" not in lower and "<b>there" not in lower
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert f"<title>Report &lt;script&gt;alert(1)&lt;/script&gt;</title>" in page
    assert "Written for <strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong>" in page
    pd.testing.assert_frame_equal(msgs, before)  # the input is not touched


def test_thin_data_and_missing_parse_report_are_reported(tmp_path):
    page = rs.report(_tiny("Sam"), tmp_path / "thin.html", progress=False).read_text(encoding="utf-8")
    caveats = _visible_text(_section(page, "caveats"))
    assert "Alex has only 2 text messages" in caveats and "Sam has only 2 text messages" in caveats
    assert "This frame carries no parse report" in _visible_text(_section(page, "parse-report"))
    tz = _visible_text(_section(page, "time-zone"))
    assert "does not record how its times were read" in tz and "UTC" in tz
    for sid, _ in SECTIONS:
        _section(page, sid)
    assert "https://" not in page


def test_assumed_utc_and_parse_problems_are_shown(tmp_path):
    export = tmp_path / "chat.txt"
    export.write_text(
        "garbage <b>before</b> any header\n"
        "13/05/2025, 09:01 - Robin: morning! are we still on?\n"
        "13/05/2025, 09:05 - Kit: yes, I miss you\n",
        encoding="utf-8",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        msgs = rs.read_chat(export)
    page = rs.report(msgs, tmp_path / "r.html", progress=False).read_text(encoding="utf-8")
    parse = _section(page, "parse-report")
    assert "text before the first message header" in parse
    assert "garbage &lt;b&gt;before&lt;/b&gt; any header" in parse  # excerpt escaped
    assert "1 lines could not be placed" in _visible_text(parse)
    tz = _visible_text(_section(page, "time-zone"))
    assert "No time zone was given" in tz and "--tz Europe/London" in tz
    caveats = _visible_text(_section(page, "caveats"))
    assert "times assumed to be UTC" in caveats and "1 lines of chat.txt could not be read" in caveats


def test_errors_name_the_fix(tmp_path):
    msgs = _tiny("Sam")
    with pytest.raises(ValueError, match=r"me='Nobody' is not a sender.*\['Alex', 'Sam'\]"):
        rs.report(msgs, tmp_path / "x.html", me="Nobody")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        rs.report(msgs, tmp_path / "missing" / "x.html")
    with pytest.raises(SchemaError):
        rs.report(pd.DataFrame({"text": ["hi"]}), tmp_path / "x.html")
    assert not (tmp_path / "x.html").exists()


def test_returns_the_path(tmp_path):
    out = rs.report(_tiny("Sam"), str(tmp_path / "as_str.html"), progress=False)
    assert isinstance(out, Path) and out.exists() and out.stat().st_size > 10_000


def test_many_sources_get_an_overview(tmp_path):
    from reconnect_signals.datasets import example_path

    files = []
    for i in range(12):
        f = tmp_path / f"chat_{i:02d}.txt"
        text = example_path().read_text(encoding="utf-8")
        f.write_text(("stray line before the header\n" if i == 3 else "") + text, encoding="utf-8")
        files.append(f)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        msgs = rs.read_chats(files, tz="Europe/London", progress=False)
    page = rs.report(msgs, tmp_path / "many.html", progress=False).read_text(encoding="utf-8")
    parse = _visible_text(_section(page, "parse-report"))
    assert "12 sources were read" in parse and "1 input units not placed" in parse
    assert parse.count("chat_03.txt") == 2  # overview row + its detail heading
    assert parse.count("chat_05.txt") == 1  # clean sources only in the overview
    assert "stray line before the header" in parse
    assert "1 lines of chat_03.txt could not be read" in _visible_text(_section(page, "caveats"))
