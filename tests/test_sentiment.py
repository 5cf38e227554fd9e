"""VADER sentiment: reproduces the published reference and is computed once per distinct text."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

import reconnect_signals as rs
from reconnect_signals.cues import _sentiment, text_cues

DATA = Path(__file__).parent / "data" / "vader"


@pytest.fixture(scope="module")
def tweets() -> pd.DataFrame:
    rows = [
        line.rstrip("\n").split("\t")
        for line in (DATA / "tweets_GroundTruth.txt").read_text(encoding="utf-8").split("\n")
        if line.strip()
    ]
    return pd.DataFrame(
        {
            "rating": np.array([float(r[1]) for r in rows]),
            "text": pd.Series([r[2] for r in rows], dtype="str"),
        }
    )


def test_vader_reference_correlation(tweets):
    assert len(tweets) == 4200
    compound = text_cues(tweets["text"], language="en")["sentiment"]  # the paper scored every tweet (2 are Dutch and Spanish)
    assert compound.notna().all()
    r = float(np.corrcoef(compound.to_numpy(), tweets["rating"].to_numpy())[0, 1])
    print(f"Pearson r(VADER compound, mean human rating) on 4,200 tweets = {r:.4f} (reference 0.872)")
    assert abs(r - 0.872) < 0.005
    assert r >= 0.86


def test_matches_vadersentiment_on_original_case():
    vader = SentimentIntensityAnalyzer()
    texts = pd.Series(["this is GREAT!!!", "this is great", "I hate this :(", "meh", "lol 😂"])
    got = text_cues(texts)["sentiment"].to_numpy()
    want = np.array([vader.polarity_scores(t)["compound"] for t in texts])
    np.testing.assert_allclose(got, want)
    # capitals and "!!!" are intensity cues, so the original case must reach VADER
    assert got[0] > got[1] > 0
    assert got[2] < 0


def test_missing_and_non_text_rows_are_nan():
    msgs = rs.coerce(
        pd.DataFrame(
            {
                "timestamp": pd.date_range("2024-01-01", periods=4, freq="min"),
                "sender": ["A", "B", "A", "B"],
                "text": ["love this", None, "photo caption", ""],
                "kind": ["text", "text", "media", "text"],
            }
        )
    )
    out = rs.message_cues(msgs)
    assert out["sentiment"].dtype == np.float64
    assert out["sentiment"].iloc[0] > 0.5
    assert np.isnan(out["sentiment"].iloc[1])  # text row without text
    assert np.isnan(out["sentiment"].iloc[2])  # media row carries no cues
    assert out["sentiment"].iloc[3] == 0.0  # empty text is neutral, not missing


def test_scored_once_per_distinct_text(monkeypatch):
    calls: list[str] = []
    real = SentimentIntensityAnalyzer()

    class Counting:
        def polarity_scores(self, text):
            calls.append(text)
            return real.polarity_scores(text)

    monkeypatch.setattr(_sentiment, "_analyzer", lambda: Counting())
    texts = pd.Series(["good", "bad", "good", None, "ok"] * 200)
    out = text_cues(texts)["sentiment"]
    assert sorted(calls) == ["bad", "good", "ok"]
    assert out.iloc[0] == out.iloc[2] == real.polarity_scores("good")["compound"]
    assert out.isna().sum() == 200


def test_long_texts_scored_on_their_start():
    vader = SentimentIntensityAnalyzer()
    text = "I love it. " * 50 + "I hate it. " * 500
    got = text_cues(pd.Series([text]))["sentiment"].iloc[0]
    want = vader.polarity_scores(text[: _sentiment.SENTIMENT_MAX_CHARS])["compound"]
    assert got == want
    assert -1.0 <= got <= 1.0


def test_sentiment_can_be_left_out():
    out = text_cues(pd.Series(["great"]), sentiment=False)
    assert "sentiment" not in out.columns
    assert out["words"].tolist() == [1]


def test_parallel_scoring_equals_serial(monkeypatch):
    import numpy as np
    import pyarrow as pa

    from reconnect_signals.cues import _sentiment

    words = ["great", "awful", "ok", None] * 60
    texts = pa.array([None if w is None else f"this is {w} number {i}" for i, w in enumerate(words)])
    monkeypatch.setattr(_sentiment, "PARALLEL_MIN_TEXTS", 10**9)
    serial = _sentiment.sentiment_scores(texts)
    monkeypatch.setattr(_sentiment, "PARALLEL_MIN_TEXTS", 50)
    monkeypatch.setattr(_sentiment.os, "cpu_count", lambda: 2)
    parallel = _sentiment.sentiment_scores(texts)
    np.testing.assert_array_equal(serial, parallel)
    assert np.isnan(serial[3]) and serial[0] > 0 > serial[1]
