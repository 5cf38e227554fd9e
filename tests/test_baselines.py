"""Fair baselines (issue #14): the session-start model against untrained rules on the Ubuntu IRC
test split, and the NPS Chat ablation (cues only / text only / both, calibration)."""

from __future__ import annotations

import io
import runpy
from pathlib import Path

import pytest
from _nps import nps_xml, synthetic_posts

from _shared import shared_path

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def session_table():
    irc = shared_path("data", "irc")
    run = runpy.run_path(str(ROOT / "benchmarks" / "session_baselines.py"))["run"]
    return run(irc, out=io.StringIO())


@pytest.mark.slow  # trains and scores the session model on the IRC corpus
def test_session_model_against_untrained_rules(session_table):
    t = session_table.round(3)
    model = t.loc["session model (trained)"]
    assert (model["accuracy"], model["f1"]) == (0.948, 0.772)
    # the strawman: whole-channel fixed gaps
    assert t.loc["fixed gap 30 min", "f1"] == 0.004
    assert t.loc["fixed gap > 1 min (best on dev)", "f1"] == 0.229
    # fair rules, one threshold each chosen on dev
    assert t.loc["per-sender silence > 36 min (best on dev)", "f1"] == 0.698
    assert t.loc["no addressee", "f1"] == 0.600
    # silence and addressing together, untrained, match the model (slightly better F1 on test)
    both = t.loc["per-sender silence + no addressee > 61 min (best on dev)"]
    assert (both["accuracy"], both["precision"], both["recall"], both["f1"]) == (0.954, 0.858, 0.728, 0.788)
    assert abs(both["f1"] - model["f1"]) < 0.02


@pytest.mark.slow  # the NPS benchmark end to end
def test_nps_benchmark_prints_the_ablation_from_nltk_data(tmp_path, monkeypatch):
    posts = synthetic_posts(300)
    corpus = tmp_path / "corpora" / "nps_chat"
    corpus.mkdir(parents=True)
    (corpus / "10-19-20s_300posts.xml").write_text(nps_xml(posts))
    monkeypatch.setattr("nltk.data.path", [str(tmp_path)])
    out = io.StringIO()
    rows = runpy.run_path(str(ROOT / "benchmarks" / "nps_chat.py"))["run"](None, out=out)
    text = out.getvalue()
    assert "300 posts, first 30 as test" in text
    for name in (
        "make_classifier('message')",
        "same, uncalibrated",
        "same, text only (no cue features)",
        "same, cues only (text=False)",
    ):
        assert name in text and 0 <= rows[name]["accuracy"] <= 1
    assert rows["same, text only (no cue features)"]["accuracy"] == 1.0  # the words decide here
    assert rows["same, cues only (text=False)"]["accuracy"] < 1.0  # greetings and byes look alike


def test_nps_benchmark_without_the_corpus_names_the_download(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("nltk.data.path", [str(tmp_path)])
    monkeypatch.delenv("RS_NPS_CHAT", raising=False)
    main = runpy.run_path(str(ROOT / "benchmarks" / "nps_chat.py"))["main"]
    with pytest.raises(SystemExit):
        main([])
    assert 'nltk.download("nps_chat")' in capsys.readouterr().err
