"""The IRC reader and the Ubuntu IRC disentanglement references (Kummerfeld et al. 2019)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import reconnect_signals as rs
from reconnect_signals.errors import ParseError, ParseWarning
from reconnect_signals.io.irc import read_irc_annotations

from _shared import IRC, shared_files, shared_path


def test_lines_senders_kinds_and_midnight_roll():
    log = (
        b"=== early has joined #ubuntu\n"
        b"[23:58] <ann> anyone around?\n"
        b"[23:59]  * ann waves\n"
        b"=== bob [~b@host] has joined #ubuntu\n"
        b"[00:01] <bob> ann: yes\n"
        b"[00:01] <ann> great <3\n"
    )
    msgs = rs.read_chat(log, format="irc", date="2004-11-15", errors="raise")
    rs.validate(msgs)
    assert msgs["sender"].fillna("<NA>").tolist() == ["<NA>", "ann", "ann", "<NA>", "bob", "ann"]
    assert msgs["kind"].tolist() == ["system", "text", "text", "system", "text", "text"]
    assert msgs["text"].tolist() == [
        "early has joined #ubuntu",
        "anyone around?",
        "waves",
        "bob [~b@host] has joined #ubuntu",
        "ann: yes",
        "great <3",
    ]
    assert msgs["source_line"].tolist() == [0, 1, 2, 3, 4, 5]
    assert msgs["timestamp"].dt.strftime("%Y-%m-%d %H:%M").tolist() == [
        "2004-11-15 23:58",  # system line at the top takes the first time
        "2004-11-15 23:58",
        "2004-11-15 23:59",
        "2004-11-15 23:59",  # system line inherits the previous time
        "2004-11-16 00:01",  # the clock went backwards: next day
        "2004-11-16 00:01",
    ]
    assert str(msgs["timestamp"].dt.tz) == "UTC"
    assert msgs["platform"].eq("irc").all()


def test_control_characters_do_not_split_lines():
    log = b"[10:00] <a> one\x1ctwo\x1dthree\x1e\n[10:01] <b> next\n"
    msgs = rs.read_chat(log, format="irc", date="2010-01-01")
    assert len(msgs) == 2
    assert msgs["text"].iloc[0] == "one\x1ctwo\x1dthree\x1e"
    assert msgs["source_line"].tolist() == [0, 1]


def test_date_from_file_name_and_tz(tmp_path):
    p = tmp_path / "2005-02-06.train-c.raw.txt"
    p.write_bytes(b"[12:00] <a> hi\n")
    msgs = rs.read_chat(p, tz="Europe/Berlin")
    assert msgs["conversation_id"].iloc[0] == "2005-02-06.train-c"
    assert msgs["timestamp"].iloc[0] == pd.Timestamp("2005-02-06 13:00", tz="Europe/Berlin")
    assert rs.detect_format(p) == "irc"


def test_missing_date_names_the_fix():
    with pytest.raises(ParseError, match="date='YYYY-MM-DD'"):
        rs.read_chat(b"[12:00] <a> hi\n", format="irc")


def test_bad_lines_are_reported_and_blank_lines_skipped():
    log = b"[12:00] <a> hi\n\nthis is not irc\n[12:01] <b> ho\n"
    with pytest.warns(ParseWarning, match="could not be placed"):
        msgs = rs.read_chat(log, format="irc", date="2010-01-01")
    report = rs.parse_report(msgs)
    assert report.accounted()
    assert (report.total, report.messages, report.skipped, report.unplaced) == (4, 2, 1, 1)
    assert report.problems[0].line == 3
    assert msgs["source_line"].tolist() == [0, 3]


@pytest.mark.parametrize("split", ["dev", "test"])
def test_corpus_files_parse_completely(split):
    for raw in shared_files(*IRC, split, pattern="*.raw.txt"):
        msgs = rs.read_chat(raw, errors="raise")
        n_lines = raw.read_bytes().decode("utf-8").count("\n")
        assert len(msgs) == n_lines == rs.parse_report(msgs).total
        assert msgs["timestamp"].is_monotonic_increasing
        assert rs.parse_report(msgs).accounted()


def test_annotations_components():
    gold = read_irc_annotations(shared_path(*IRC, "dev", "2004-11-15_03.annotation.txt"))
    assert gold["source_line"].is_monotonic_increasing
    assert gold["source_line"].max() == 1249
    # "1002 1003 -", "1010 1011 -", "1011 1013 -" from the file's head
    conv = gold.set_index("source_line")["gold_conversation"]
    assert conv[1003] == conv[1002]
    assert conv[1010] == conv[1011] == conv[1013]
    assert (gold["gold_conversation"] <= gold["source_line"]).all()


def test_annotation_links_and_components_by_hand(tmp_path):
    p = tmp_path / "x.annotation.txt"
    # 5 <- 3 <- 1 chain, 2 alone, 7 starts a conversation that 8 joins; blank and junk lines ignored
    p.write_text("1 1 -\n3 1 -\n5 3 -\n2 2 -\n\n7 7 -\n8 7 -\nnot a link\n")
    gold = read_irc_annotations(p)
    assert gold["source_line"].tolist() == [1, 2, 3, 5, 7, 8]
    assert gold["gold_conversation"].tolist() == [1, 2, 1, 1, 7, 7]
    assert gold["links"].tolist() == [2, 1, 2, 1, 2, 1]
    assert str(gold["source_line"].dtype) == "Int64"


def _pairs(split: str) -> pd.DataFrame:
    """Consecutive messages within one gold conversation (all-system conversations skipped)."""
    out = []
    for ann in shared_files(*IRC, split, pattern="*.annotation.txt"):
        msgs = rs.read_chat(ann.with_name(ann.name.replace(".annotation.", ".raw.")), errors="raise")
        gold = read_irc_annotations(ann)
        m = gold.merge(msgs[["source_line", "timestamp", "kind"]], on="source_line", validate="1:1")
        m = m.sort_values("source_line")
        m["has_text"] = m["kind"].ne("system").groupby(m["gold_conversation"]).transform("any")
        m = m[m["has_text"]]
        g = m.groupby("gold_conversation")
        out.append(
            pd.DataFrame(
                {
                    "seconds": g["timestamp"].diff().dt.total_seconds(),
                    "distance": g["source_line"].diff(),
                }
            ).dropna()
        )
    return pd.concat(out, ignore_index=True)


@pytest.mark.slow  # reads the annotated IRC corpus
@pytest.mark.parametrize(
    ("split", "n", "within_2min", "within_8", "within_100"),
    [("dev", 2039, 93.3, 90.5, 99.0), ("test", 4081, 92.2, 90.8, 99.6)],
)
def test_reference_gaps_within_gold_conversations(split, n, within_2min, within_8, within_100):
    pairs = _pairs(split)
    assert len(pairs) == n
    assert round(100 * float((pairs["seconds"] <= 120).mean()), 1) == within_2min
    assert round(100 * float((pairs["distance"] <= 8).mean()), 1) == within_8
    assert round(100 * float((pairs["distance"] <= 100).mean()), 1) == within_100
    assert np.all(pairs["seconds"].to_numpy() >= 0)


def test_notices_are_other_rows_with_sender():
    log = b"[05:12] -spammer:#ubuntu- buy now\n[01:09] (soundray/#ubuntu) thomas: see the forum\n"
    msgs = rs.read_chat(log, format="irc", date="2006-12-20", errors="raise")
    assert msgs["kind"].tolist() == ["other", "other"]
    assert msgs["sender"].tolist() == ["spammer", "soundray"]
    assert msgs["text"].tolist() == ["buy now", "thomas: see the forum"]


def test_nick_with_space_is_stripped():
    msgs = rs.read_chat(b"[02:07] <[noobuntu] > hello\n", format="irc", date="2005-01-01", errors="raise")
    assert msgs["sender"].tolist() == ["[noobuntu]"]
    assert msgs["text"].tolist() == ["hello"]


def test_sniffer_does_not_claim_other_formats(tmp_path):
    from reconnect_signals.datasets import example_path
    from reconnect_signals.io import Source
    from reconnect_signals.io.irc import sniff_irc

    assert sniff_irc(Source(example_path())) == 0.0
    assert sniff_irc(Source(b'{"name": "x", "messages": []}')) == 0.0
    log = tmp_path / "2024-06-01_09.raw.txt"
    log.write_text("=== ann [~a@host] has joined #chat\n[09:00] <ann> anyone around?\n[09:01] <bob> ann: yes\n")
    assert sniff_irc(Source(log)) == 0.9


def test_sniffer_claims_the_ubuntu_corpus():
    from reconnect_signals.io import Source
    from reconnect_signals.io.irc import sniff_irc

    assert sniff_irc(Source(shared_path(*IRC, "dev", "2004-11-15_03.raw.txt"))) == 0.9
