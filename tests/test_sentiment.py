"""VADER sentiment: equal to vaderSentiment, reproduces the published reference, once per distinct text."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

import reconnect_signals as rs
from reconnect_signals.cues import _sentiment, _vader, text_cues
from reconnect_signals.cues._tokens import MAX_CHARS

from _shared import shared_available, shared_path

TRICKY = Path(__file__).parent / "data" / "sentiment" / "tricky_texts.json"
_REFERENCE = SentimentIntensityAnalyzer()


# vaderSentiment's compound of every text this module has scored: the package is deterministic, and the
# IRC sample (test_equal_on_irc_sample) is a subset of the whole corpus (test_equal_on_irc_corpus), so each
# distinct text goes through the package once per process
_REFERENCE_SCORES: dict[str, float] = {}


def reference(texts: list[str]) -> np.ndarray:
    scores = _REFERENCE_SCORES
    for t in texts:
        if t not in scores:
            scores[t] = _REFERENCE.polarity_scores(t)["compound"]
    return np.array([scores[t] for t in texts], dtype=np.float64)


def assert_equal_to_package(texts: list[str], *, min_share: float = 1.0) -> None:
    """Vectorised compound == vaderSentiment's to 1e-9 (for at least ``min_share`` of texts)."""
    got = _vader.compound_scores(pa.array(texts, pa.large_string()))
    want = reference(texts)
    bad = np.flatnonzero(~(np.abs(got - want) <= 1e-9))
    listed = "\n".join(f"{texts[i][:120]!r}: got {got[i]}, vaderSentiment {want[i]}" for i in bad[:20])
    assert len(bad) <= (1.0 - min_share) * len(texts), f"{len(bad)} of {len(texts)} differ:\n{listed}"


def tweets_frame() -> pd.DataFrame:
    path = shared_path("data", "vader", "tweets_GroundTruth.txt")
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
    return pd.DataFrame(
        {
            "rating": np.array([float(r[1]) for r in rows]),
            "text": pd.Series([r[2] for r in rows], dtype="str"),
        }
    )


@pytest.fixture(scope="module")
def tweets() -> pd.DataFrame:
    return tweets_frame()


def test_vader_reference_correlation(tweets):
    assert len(tweets) == 4200
    # the paper scored every tweet (2 are Dutch and Spanish)
    compound = text_cues(tweets["text"], language="en")["sentiment"]
    assert compound.notna().all()
    r = float(np.corrcoef(compound.to_numpy(), tweets["rating"].to_numpy())[0, 1])
    print(f"Pearson r(VADER compound, mean human rating) on 4,200 tweets = {r:.4f} (reference 0.872)")
    assert abs(r - 0.872) < 0.005
    assert r >= 0.86


# -- equality with vaderSentiment ----------------------------------------------------------------


def tricky_texts() -> list[str]:
    return json.loads(TRICKY.read_text(encoding="utf-8"))["texts"]


def test_equal_on_bundled_tricky_texts():
    texts = tricky_texts()
    assert len(texts) >= 500
    assert_equal_to_package(texts)


def test_equal_on_vader_tweets(tweets):
    assert_equal_to_package(tweets["text"].tolist())


def test_equal_on_bundled_example():
    texts = rs.load_example()["text"].dropna().tolist()
    assert len(texts) > 1000
    assert_equal_to_package(texts)


def irc_texts() -> list[str]:
    return list(_irc_texts(shared_path("data", "irc")))


@cache
def _irc_texts(root: Path) -> tuple[str, ...]:
    line = re.compile(r"^\[\d\d:\d\d\] <[^>]*> (.*)$")
    texts = []
    for path in sorted(root.glob("*/*.raw.txt")):
        for raw in path.read_text(encoding="utf-8").split("\n"):
            m = line.match(raw)
            if m:
                texts.append(m.group(1))
    return tuple(texts)


@pytest.mark.slow
def test_equal_on_irc_corpus():
    texts = list(dict.fromkeys(irc_texts()))  # 202,637 distinct messages of 221,597
    assert len(texts) > 200_000
    assert_equal_to_package(texts, min_share=0.999)


def test_equal_on_irc_sample():
    if not shared_available("data", "irc"):
        pytest.skip("IRC corpus not available in ../shared")
    texts = irc_texts()
    assert_equal_to_package(texts[::97])


_WORDS = [
    "good",
    "bad",
    "GOOD",
    "Bad",
    "very",
    "VERY",
    "kinda",
    "kind",
    "of",
    "sort",
    "just",
    "enough",
    "not",
    "isn't",
    "never",
    "so",
    "this",
    "without",
    "doubt",
    "no",
    "or",
    "nor",
    "least",
    "at",
    "but",
    "BUT",
    "the",
    "shit",
    "bomb",
    "yeah",
    "right",
    "kiss",
    "death",
    "to",
    "die",
    "for",
    "love",
    "ok",
    "affection",
    "xoxo",
    "thx",
    "gg",
    ":)",
    ":(",
    ":D",
    "lol",
    "😀",
    "😡",
    "👍🏽",
    "!",
    "?",
    "!!",
    "??",
    "good!",
    "'sad'",
    "it",
    "I",
    "x",
    "(:",
    "--",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_WORDS), max_size=14).map(" ".join), min_size=1, max_size=8))
def test_equal_on_random_rule_word_texts(texts):
    assert_equal_to_package(texts)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=40), min_size=1, max_size=5))
def test_equal_on_arbitrary_unicode(texts):
    assert_equal_to_package(texts)


def test_but_rule_reproduces_the_list_index_quirk():
    # vaderSentiment re-weights by list.index(value): "affection" (2.4) before "but" becomes 1.2,
    # so the later "ok" (1.2) finds that first slot and halves it again instead of taking x1.5
    quirky = ["affection but ok", "xoxo but thx"]
    got = _vader.compound_scores(pa.array(quirky))
    np.testing.assert_array_equal(got, reference(quirky))
    naive = 1.2 + 1.2 * 1.5  # what the rule says: 0.5 before "but", 1.5 after
    assert got[0] != round(naive / np.sqrt(naive * naive + 15), 4)


@pytest.mark.parametrize(
    "text",
    [
        "I am kind of happy",  # "kind" before "of" scores 0 although the lexicon rates it 2.4
        "very",  # boosters never score themselves
        "NO good but fine",  # ALL-CAPS "no" with valence 0 subtracts 0.733
        "is it so good",  # "so"/"this" right before a word multiplies it at the 3rd look-back
        "he is the shit",  # idioms only with three tokens before the word
        "the shit",
        "⬆️ ON! 🔛",  # "!" inside the emoji descriptions ("ON! arrow") counts
        ":D :P",  # lexicon entries with capitals never match
    ],
)
def test_documented_quirks_match_the_package(text):
    np.testing.assert_array_equal(_vader.compound_scores(pa.array([text])), reference([text]))


def test_nulls_and_empty_texts():
    got = _vader.compound_scores(pa.array([None, "", "  ", "good", None]))
    assert np.isnan(got[0]) and np.isnan(got[4])
    assert got[1] == got[2] == 0.0
    assert got[3] == reference(["good"])[0]


def test_batches_give_the_same_scores(monkeypatch):
    texts = tricky_texts()
    whole = _vader.compound_scores(pa.array(texts))
    monkeypatch.setattr(_vader, "CHUNK_CODEPOINTS", 200)
    np.testing.assert_array_equal(_vader.compound_scores(pa.array(texts)), whole)


# -- the cue ---------------------------------------------------------------------------------


def test_matches_vadersentiment_on_original_case():
    texts = pd.Series(["this is GREAT!!!", "this is great", "I hate this :(", "meh", "lol 😂"])
    got = text_cues(texts)["sentiment"].to_numpy()
    np.testing.assert_allclose(got, reference(texts.tolist()))
    # capitals and "!!!" are intensity cues, so the original case must reach VADER
    assert got[0] > got[1] > 0
    assert got[2] < 0


def test_reference_option_runs_the_package():
    texts = pd.Series(tricky_texts()[:200])
    fast = text_cues(texts)["sentiment"]
    ref = text_cues(texts, sentiment="vader-reference")["sentiment"]
    assert text_cues(texts, sentiment="vader")["sentiment"].equals(fast)
    np.testing.assert_array_equal(fast.to_numpy(), ref.to_numpy())
    with pytest.raises(ValueError, match="vader-reference"):
        text_cues(texts, sentiment="textblob")


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
    out = text_cues(texts, sentiment="vader-reference")["sentiment"]
    assert sorted(calls) == ["bad", "good", "ok"]
    assert out.iloc[0] == out.iloc[2] == real.polarity_scores("good")["compound"]
    assert out.isna().sum() == 200

    seen: list[list[str]] = []
    vectorised = _sentiment.compound_scores

    def counting(arr):
        seen.append(arr.to_pylist())
        return vectorised(arr)

    monkeypatch.setattr(_sentiment, "compound_scores", counting)
    fast = text_cues(texts)["sentiment"]
    assert len(seen) == 1 and sorted(seen[0]) == ["bad", "good", "ok"]
    assert fast.equals(out)


def test_long_texts_are_scored_whole_up_to_max_chars():
    # the rules are linear in the text length: no separate cut for sentiment any more
    # (it used to score the first 1,000 characters only)
    text = "I love it. " * 50 + "I hate it. " * 500
    assert 1_000 < len(text) < MAX_CHARS
    got = text_cues(pd.Series([text]))["sentiment"].iloc[0]
    assert got == reference([text])[0]
    assert got < 0  # the hate that the old 1,000-character cut never saw
    longer = "so good! " * 2_000
    got = text_cues(pd.Series([longer]))["sentiment"].iloc[0]
    assert got == reference([longer[:MAX_CHARS]])[0]


def test_sentiment_can_be_left_out():
    out = text_cues(pd.Series(["great"]), sentiment=False)
    assert "sentiment" not in out.columns
    assert out["words"].tolist() == [1]


def test_parallel_reference_scoring_equals_serial(monkeypatch):
    words = ["great", "awful", "ok", None] * 60
    texts = pa.array([None if w is None else f"this is {w} number {i}" for i, w in enumerate(words)])
    monkeypatch.setattr(_sentiment, "PARALLEL_MIN_TEXTS", 10**9)
    serial = _sentiment.sentiment_scores(texts, "vader-reference")
    monkeypatch.setattr(_sentiment, "PARALLEL_MIN_TEXTS", 50)
    monkeypatch.setenv("RECONNECT_SIGNALS_THREADS", "2")  # two processes, whatever the machine has
    parallel = _sentiment.sentiment_scores(texts, "vader-reference")
    np.testing.assert_array_equal(serial, parallel)
    np.testing.assert_array_equal(serial, _sentiment.sentiment_scores(texts))
    assert np.isnan(serial[3]) and serial[0] > 0 > serial[1]
