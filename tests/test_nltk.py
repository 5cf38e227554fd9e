"""nltk as the reference: its TweetTokenizer against the project's tokenizer on the IRC corpus,
and NPS Chat read through ``nltk.corpus`` from the user's ``nltk_data`` (never downloaded)."""

from __future__ import annotations

import functools
import re
from collections import Counter

import _cue_eval as ev
import pandas as pd
import pytest
from _nps import nps_xml

from reconnect_signals.cues import normalize_text, tokenize
from reconnect_signals.ml import read_nps_chat

# A run of letters and digits that holds a digit: a number, version, device or nickname
# ("amd64", "eth0", "3pm", "bob2"), not a word; removed before the comparison (see below).
_DIGIT_RUN = r"[\p{L}\p{M}\p{N}]*\p{N}[\p{L}\p{M}\p{N}]*(?:'[\p{L}\p{M}\p{N}]+)*"
# the CUES.md word, applied inside each TweetTokenizer token ("apt-get" -> apt, get), as Python re
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


@functools.cache
def _tweet_tokenizer():
    """nltk's TweetTokenizer, made on first use (importing nltk costs ~0.3-1.5 CPU-s: not while collecting)."""
    from nltk.tokenize import TweetTokenizer

    return TweetTokenizer(preserve_case=False, reduce_len=False, strip_handles=False)


def tweet_words(normalized: pd.Series) -> list[list[str]]:
    """TweetTokenizer's tokens, each reduced to its words by the CUES.md definition."""
    tweet = _tweet_tokenizer()
    return [[w for tok in tweet.tokenize(s) for w in _WORD.findall(tok)] for s in normalized]


def word_agreement(texts: pd.Series) -> tuple[float, Counter]:
    """Share of word tokens both tokenizers produce (multiset overlap per message / the longer
    list), after the same normalisation; and the differing tokens (ours-only, theirs-only)."""
    same = normalize_text(normalize_text(texts).str.replace(_DIGIT_RUN, " ", regex=True))
    # both tokenizers are functions of the text: each distinct normalised text is tokenised once and
    # counts as often as it occurs (the same sums as message by message)
    counts = same.value_counts(sort=False, dropna=False)
    distinct = pd.Series(counts.index, dtype=same.dtype)
    ours = tokenize(distinct)
    theirs = tweet_words(distinct)
    agree = total = 0
    differences: Counter = Counter()
    for a, b, n in zip(ours, theirs, counts.to_numpy(), strict=True):
        ca, cb = Counter(a), Counter(b)
        agree += n * sum((ca & cb).values())
        total += n * max(len(a), len(b))
        if ca != cb:
            differences[(tuple(sorted((ca - cb).elements())), tuple(sorted((cb - ca).elements())))] += int(n)
    return agree / total, differences


@pytest.mark.parametrize(
    ("text", "ours", "theirs"),
    [
        # same words: contractions, hyphens and paths split into words the same way
        ("I'm sure y'all can't apt-get it from /etc/apt", None, None),
        ("#ubuntu is <b>nice</b> :)", None, None),
        # the differences, each on purpose:
        # 1. an emoticon that swallows a letter: TweetTokenizer reads ":d" in ":download"
        (":download it", ["download", "it"], ["d", "ownload", "it"]),
        # quotes around words, doubled apostrophes
        ("all i see is 'applications'  'places' and can''t", None, None),
    ],
)
def test_tweet_tokenizer_differences(text, ours, theirs):
    norm = normalize_text(pd.Series([text]))
    got_ours = tokenize(norm).iloc[0]
    got_theirs = tweet_words(norm)[0]
    if ours is None:
        assert got_ours == got_theirs
    else:
        assert (got_ours, got_theirs) == (ours, theirs)


def test_letters_and_digits_stay_one_word():
    """CUES.md: a word is a maximal run of letters and digits; TweetTokenizer splits letters from
    digits ("amd64", but not "3pm"). Such runs are numbers, versions, devices and nicknames, so the corpus comparison
    leaves them out (3.3 % of the IRC corpus's tokens)."""
    norm = normalize_text(pd.Series(["amd64 eth0 3pm bob2"]))
    assert tokenize(norm).iloc[0] == ["amd64", "eth0", "3pm", "bob2"]
    assert tweet_words(norm)[0] == ["amd", "64", "eth", "0", "3pm", "bob", "2"]


@pytest.mark.slow
def test_tokenizer_agrees_with_tweet_tokenizer_on_the_irc_corpus():
    """>= 99 % of word tokens agree over all 221,595 messages of the Ubuntu IRC corpus."""
    texts = ev.irc_corpus_texts()
    assert len(texts) > 200_000
    share, differences = word_agreement(texts)
    print(f"word agreement {share:.5f}; most common differences: {differences.most_common(10)}")
    assert share >= 0.99


# --- NPS Chat through nltk.corpus ---------------------------------------------------------------


def test_nps_chat_is_read_from_nltk_data(tmp_path, monkeypatch):
    corpus = tmp_path / "corpora" / "nps_chat"
    corpus.mkdir(parents=True)
    (corpus / "11-08-20s_2posts.xml").write_text(
        nps_xml([("Bye", "11-08-20sUser1", "bye all"), ("Emotion", "11-08-20sUser2", ":)")])
    )
    (corpus / "10-19-20s_1posts.xml").write_text(nps_xml([("ynQuestion", "10-19-20sUser2", "u there?")]))
    monkeypatch.setattr("nltk.data.path", [str(tmp_path)])
    via_nltk = read_nps_chat()
    pd.testing.assert_frame_equal(via_nltk, read_nps_chat(corpus))
    assert via_nltk["message_id"].tolist() == ["10-19-20s_1posts:0", "11-08-20s_2posts:0", "11-08-20s_2posts:1"]
    assert via_nltk["label"].tolist() == ["ynQuestion", "Bye", "Emotion"]


def test_nps_chat_missing_from_nltk_data_names_the_download(tmp_path, monkeypatch):
    monkeypatch.setattr("nltk.data.path", [str(tmp_path)])
    with pytest.raises(FileNotFoundError, match=re.escape('nltk.download("nps_chat")')):
        read_nps_chat()
