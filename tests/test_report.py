"""Tests of rs.report: a self-contained, escaped HTML file with every section."""

from __future__ import annotations

import base64
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import reconnect_signals as rs
from reconnect_signals._html_report import SECTIONS
from reconnect_signals.errors import SchemaError

HOSTILE = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def example_build(tmp_path_factory) -> tuple[pd.DataFrame, str, int]:
    """The bundled example's whole report (figures drawn) and how many times it computed the per-message cues.

    One build serves every test of the example report, the count included (it was a second full report).
    """
    import reconnect_signals.cues as cues_module

    calls = []
    real = cues_module.message_cues

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cues_module, "message_cues", counting)
        msgs = rs.load_example()
        path = rs.report(msgs, tmp_path_factory.mktemp("report") / "example.html", me="Alex", progress=False)
    return msgs, path.read_text(encoding="utf-8"), len(calls)


@pytest.fixture(scope="module")
def example_report(example_build) -> tuple[pd.DataFrame, str]:
    msgs, page, _ = example_build
    return msgs, page


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
    for ref in (
        "Ireland &amp; Pennebaker 2010",
        "Hutto &amp; Gilbert 2014",
        "Karan 2019",
        "Rogers 2018",
        "Slatcher 2008",
        "Simmons 2005",
        "Huang 2017",
        "Wu 2010",
    ):
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
    assert "<title>Report &lt;script&gt;alert(1)&lt;/script&gt;</title>" in page
    assert "Written for <strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong>" in page
    pd.testing.assert_frame_equal(msgs, before)  # the input is not touched


def test_thin_data_and_missing_parse_report_are_reported(tmp_path, text_only):
    page = rs.report(_tiny("Sam"), tmp_path / "thin.html", progress=False).read_text(encoding="utf-8")
    caveats = _visible_text(_section(page, "caveats"))
    assert "Alex has only 2 text messages" in caveats and "Sam has only 2 text messages" in caveats
    assert "This frame carries no parse report" in _visible_text(_section(page, "parse-report"))
    tz = _visible_text(_section(page, "time-zone"))
    assert "does not record how its times were read" in tz and "UTC" in tz
    for sid, _ in SECTIONS:
        _section(page, sid)
    assert "https://" not in page


def test_assumed_utc_and_parse_problems_are_shown(tmp_path, text_only):
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


def test_many_sources_get_an_overview(tmp_path, text_only):
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


# --------------------------------------------------------------------------- issue 16: groups, short chats, thin data


def _group(people: int = 12, n: int = 3000, days: int = 120, seed: int = 16) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    names = [f"Person {chr(65 + i)}" for i in range(people)]
    weights = np.linspace(3, 1, people)
    start = pd.Timestamp("2025-01-06 08:00")
    offsets = np.sort(rng.uniform(0, days * 86400, n))
    words = np.array(["we", "should", "meet", "I", "miss", "you", "haha", "pizza", "tonight", "?", "love"])
    texts = [" ".join(rng.choice(words, rng.integers(2, 8))) for _ in range(n)]
    return rs.coerce(
        pd.DataFrame(
            {
                "timestamp": [start + pd.Timedelta(seconds=float(s)) for s in offsets],
                "sender": rng.choice(names, n, p=weights / weights.sum()),
                "text": texts,
            }
        ),
        tz="Europe/London",
    )


@pytest.fixture(scope="module")
def group_report(tmp_path_factory):
    msgs = _group()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        path = rs.report(msgs, tmp_path_factory.mktemp("group") / "group.html", top=5, progress=False)
    # issue 16: a group used to give "constrained_layout not applied because axes sizes collapsed to zero"
    assert [str(w.message) for w in caught] == []
    return msgs, path.read_text(encoding="utf-8")


def test_group_shows_the_top_people_and_pools_the_rest(group_report):
    from reconnect_signals._report_figures import choose_people
    from reconnect_signals.plotting import OTHERS_COLOUR

    msgs, page = group_report
    people = choose_people(msgs, top=5)
    counts = msgs["sender"].value_counts()
    assert list(people.order[:5]) == counts.index[:5].tolist() and people.order[5] == "others (7 people)"
    assert people.palette["others (7 people)"] == OTHERS_COLOUR
    assert len(set(people.palette.values())) == 6  # one colour per shown person, none shared
    summary = _visible_text(_section(page, "summary"))
    assert "the other 7 are pooled as others (7 people)" in summary
    assert f"others (7 people) {int(counts.iloc[5:].sum()):,}" in summary  # their messages summed
    table = re.search(r"<table>.*?</table>", _section(page, "summary"), flags=re.S).group(0)
    assert table.count("<tr>") == 1 + 6
    # the figures: per-person small multiples (6 panels), legends in the SVG, the same colour per person
    pronouns = re.search(r'<svg [^>]*aria-label="Pronoun rates".*?</svg>', page, flags=re.S).group(0)
    assert len(re.findall(r'id="f0-axes\d+"', pronouns)) == 6
    assert 'id="f0-figlegend0"' in pronouns
    for name in people.order[:5]:
        colour = people.palette[name].lower()
        svgs_with_colour = [s for s in re.findall(r"<svg .*?</svg>", page, flags=re.S) if colour in s.lower()]
        assert len(svgs_with_colour) >= 4, name


def test_group_words_replies_and_media(group_report):
    msgs, page = group_report
    explore = _visible_text(_section(page, "explore"))
    assert "Top words, emoji, links and mentions" in explore and "Who replies to whom" in explore
    assert "pizza (" in explore and "others (7 people)" in explore


def test_hover_titles_give_value_and_n(example_report):
    _, page = example_report
    titles = re.findall(r"<title>([^<]*)</title>", page)[1:]  # the first is the page title
    assert len(titles) > 200
    assert any(
        re.fullmatch(r"Alex, week of \d\d \w{3} 2025: 'I' words [\d.]+ % of words \(n = \d+ messages\)", t)
        for t in titles
    )
    assert any(t.endswith("- thin data") for t in titles)
    assert any(re.fullmatch(r"\w{3} \d\d \w{3} 2025: \d+ messages", t) for t in titles)  # calendar days


def test_short_chat_day_axes_no_nan_and_one_thin_list(tmp_path):
    msgs = _tiny("Sam")
    page = rs.report(msgs, tmp_path / "short.html", progress=False).read_text(encoding="utf-8")
    text = _visible_text(page)
    assert "(2 days)" in _visible_text(_section(page, "summary"))
    assert re.search(r"\bnan\b", text, flags=re.I) is None
    assert re.search(r"<title>[^<]*\bnan\b", page, flags=re.I) is None
    assert page.count('id="thin-data"') == 1 and text.count("Thin data and other warnings") == 1
    assert "per day" in page  # day-level windows for a chat of days
    caveats = _visible_text(_section(page, "caveats"))
    assert caveats.count("Alex has only 2 text messages") == 1


def test_one_day_is_said_in_the_singular(tmp_path):
    msgs = _tiny("Sam").iloc[:4]
    msgs = msgs.loc[msgs["timestamp"] < msgs["timestamp"].min() + pd.Timedelta(hours=2)]
    page = rs.report(msgs, tmp_path / "day.html", progress=False).read_text(encoding="utf-8")
    assert "(less than a day)" in _visible_text(_section(page, "summary")) and "1 days" not in page


def test_thin_windows_are_listed_once_per_person(tmp_path, text_only):
    rows = []
    for week in range(8):
        n = 2 if week == 3 else 12  # one thin week each
        for i in range(n):
            t = pd.Timestamp("2025-01-06 09:00") + pd.Timedelta(weeks=week, minutes=7 * i)
            rows.append((t, "Alex" if i % 2 else "Sam", "we should meet for pizza?"))
    msgs = rs.coerce(pd.DataFrame(rows, columns=["timestamp", "sender", "text"]), tz="Europe/London")
    page = rs.report(msgs, tmp_path / "thin.html", freq="W", progress=False).read_text(encoding="utf-8")
    caveats = _visible_text(_section(page, "caveats"))
    assert (
        caveats.count(
            "1 of 8 weeks with messages have fewer than 5 (drawn as hollow points; treat them as anecdotes) (Alex; Sam)"
        )
        == 1
    )
    assert "No thin-data warnings" not in caveats


def test_repeated_cautions_are_merged():
    from reconnect_signals._html_report import _merge_repeats

    items = [
        "Sam, we_rate: too few messages to compare",
        "Sam, i_rate: too few messages to compare",
        "nan",
        "",
        "times assumed to be UTC",
        "Alex, lsm: too few words",
    ]
    assert _merge_repeats(items) == [
        "Too few messages to compare (Sam, we_rate; Sam, i_rate)",
        "times assumed to be UTC",
        "Alex, lsm: too few words",
    ]


# --------------------------------------------------------------------------- compute once


def test_report_computes_the_message_cues_exactly_once(example_build):
    """The report computes the per-message cue table once and aggregates it (issue 15).

    Needs ``signals(..., gap=, per_message=)`` (the signals rewrite): before that lands, the
    signals section fails, which the second assertion reports. The calls are counted while the
    module's example report is built (the same chat and arguments).
    """
    _, page, calls = example_build
    assert calls == 1
    assert "could not be computed" not in page, re.findall(r"[^.>]*could not be computed[^<]*", page)


def _weekly() -> pd.DataFrame:
    windows = pd.to_datetime(["2025-03-24", "2025-03-31", "2025-04-07"]).tz_localize("Europe/London")
    return pd.DataFrame(
        {
            "sender": ["Sam"] * 3 + ["Alex"] * 3,
            "window": list(windows) * 2,
            "messages": [10, 2, 30, 30, 0, 10],
            "i_rate": [4.0, 1.0, 2.0, 1.0, np.nan, 3.0],
            "we_rate": [0.5, 1.0, 1.5, 0.0, np.nan, 1.0],
        }
    )


def _figure(kind: str):
    from reconnect_signals import _report_figures as rf

    weekly = _weekly()
    palette = rs.plotting.sender_palette(weekly["sender"])
    cues = ("i_rate", "we_rate")
    if kind == "single with a legend":
        return rf.single(lambda ax: rs.plot_cue_timeline(weekly, cues=cues, palette=palette, freq="W", ax=ax))()
    if kind == "panels with a figure legend":

        def one(ax, person):
            rows = weekly.loc[weekly["sender"].eq(person).to_numpy()]
            rs.plot_cue_timeline(rows, cues=cues, palette=palette, freq="W", legend=False, ax=ax)

        legend = [("I", {"color": "#444444"}), ("we", {"linestyle": "--", "color": "#444444"})]
        return rf.small_multiples(sorted(palette), palette, one, legend=legend)()
    msgs = rs.coerce(
        pd.DataFrame(
            {
                "timestamp": ["2025-03-01 10:00", "2025-03-01 22:04", "2025-03-04 19:30"],
                "sender": ["Alex", "Sam", "Alex"],
                "text": ["hi", "hello", "bye"],
            }
        ),
        tz="Europe/London",
    )
    return rf.single(lambda ax: rs.plot_activity_heatmap(msgs, ax=ax), height=3.0)()  # with a colour bar


def _same_clip_ids(svg: str) -> str:
    """Clip-path ids numbered in order of appearance: matplotlib names a clip rectangle by a hash of
    its coordinates at full precision, which the layout may move by 1e-13 pt (the SVG writes 6 decimals)."""
    ids: dict[str, str] = {}
    return re.sub(r"\bp[0-9a-f]{10}\b", lambda m: ids.setdefault(m.group(0), f"clip{len(ids)}"), svg)


@pytest.mark.parametrize("kind", ["single with a legend", "panels with a figure legend", "heatmap"])
def test_each_figure_is_drawn_once_and_its_svg_is_unchanged(kind, monkeypatch):
    """issue 15: ``savefig(bbox_inches="tight")`` on a constrained layout drew every figure twice
    (a measuring draw, then the SVG); ``_draw_once`` runs the layout and measures the crop
    without a draw of their own, and must write the very same SVG."""
    import io

    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    from reconnect_signals import _report_figures as rf

    buf = io.StringIO()
    reference = _figure(kind)  # made outside the SVG settings, as the report makes its figures
    with matplotlib.rc_context(rf._RC):
        reference.savefig(
            buf,
            format="svg",
            bbox_inches="tight",
            pad_inches=rf._PAD,
            metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
        )
    draws = []
    real = Figure.draw

    def counting(self, renderer):
        draws.append(1)
        return real(self, renderer)

    monkeypatch.setattr(Figure, "draw", counting)
    fig = _figure(kind)
    svg = rf._draw_once(fig)
    assert len(draws) == 1
    assert _same_clip_ids(svg) == _same_clip_ids(buf.getvalue())
    assert isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine)  # the caller's figure keeps its layout


def test_direction_colour_is_warmer_or_cooler_with_neutral_words():
    """issue 16: 'down' was always orange, even for faster replies or less criticism."""
    from reconnect_signals._html_report import _direction_style

    assert _direction_style("latency_median_s", "down") == "warmer"  # faster replies
    assert _direction_style("you_criticism_rate", "down") == "warmer"
    assert _direction_style("we_rate", "down") == "cooler"
    assert _direction_style("we_rate", "up") == "warmer"
    assert _direction_style("i_rate", "up") == "flat"  # neither warmer nor cooler
    assert _direction_style("we_rate", "no clear change") == "muted"


def test_signals_table_uses_warmer_and_cooler_classes(example_report):
    _, page = example_report
    signals = _section(page, "signals")
    assert 'class="up"' not in signals and 'class="down"' not in signals
    classes = set(re.findall(r'<td class="(warmer|cooler|flat|muted)">', signals))
    assert classes and classes <= {"warmer", "cooler", "flat", "muted"}
    for cell in re.findall(r'<td class="(?:warmer|cooler)">([^<]*)</td>', signals):
        assert cell in ("&#8593; up", "&#8595; down")  # the words stay neutral


# --- languages (issue 19: the report states the languages and which cues they have) -----------


def _parallel_chat(*langs: str) -> pd.DataFrame:
    """The project's parallel conversation, one conversation per language given."""
    par = pd.read_csv(
        Path(__file__).parent / "data" / "cues" / "lang" / "parallel_conversation.csv",
        keep_default_na=False,
        dtype="str",
    )
    frames = [
        pd.DataFrame(
            {
                "conversation_id": lang,
                "timestamp": par["timestamp"],
                "sender": par["sender"],
                "text": par[lang],
                "kind": "text",
            }
        )
        for lang in langs
    ]
    return rs.coerce(pd.concat(frames, ignore_index=True), tz="UTC")


def test_the_report_states_the_language_and_that_sentiment_is_english_only(tmp_path, text_only):
    page = rs.report(_parallel_chat("de"), tmp_path / "r.html", progress=False).read_text(encoding="utf-8")
    summary = _visible_text(_section(page, "summary"))
    assert "Language of the 200 text messages: German 100" in summary
    assert "Sentiment (VADER) exists for English only: it is not computed for the German messages" in summary
    assert "rest on 0% of the text messages" in summary.replace(" %", "%")
    caveats = _visible_text(_section(page, "caveats"))
    assert "sentiment is English-only: 200 text messages in German have none" in caveats


def test_the_report_lists_every_language_of_a_mixed_corpus(tmp_path, text_only):
    page = rs.report(_parallel_chat("en", "es", "fr"), tmp_path / "r.html", progress=False).read_text(encoding="utf-8")
    summary = _visible_text(_section(page, "summary"))
    assert "Languages of the 600 text messages:" in summary
    for name in ("English", "Spanish", "French"):
        assert name in summary
    assert (
        "not computed for the Spanish and French messages" in summary
        or "not computed for the French and Spanish messages" in summary
    )


def test_an_english_chat_has_no_sentiment_warning(example_report):
    _, page = example_report
    summary = _visible_text(_section(page, "summary"))
    assert "Language of the" in summary and "English 100" in summary
    assert "exists for English only" not in summary
