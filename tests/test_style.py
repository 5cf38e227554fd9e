"""Language style matching: the published references and hand-computed values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import reconnect_signals as rs
from reconnect_signals.cues import tokenize
from reconnect_signals.errors import SchemaError
from reconnect_signals.style import CATEGORIES, FUNCTION_WORDS, lsm, rlsm, style_matching

# LIWC2015 genre means (Pennebaker et al. 2015), order ppron ipron article auxverb adverb
# prep conj negate quant -- see CUES.md
SPEECH = [13.37, 7.53, 4.34, 12.03, 7.67, 10.29, 6.21, 2.24, 1.93]
TWITTER = [9.02, 4.60, 5.58, 8.27, 5.13, 11.88, 4.19, 1.74, 1.85]


def term(p1: float, p2: float) -> float:
    return 1 - abs(p1 - p2) / (p1 + p2 + 0.0001)


def frame(rows, tz="UTC", start="2024-05-01 09:00", step="10min", **extra):
    """rows: (sender, text) or (sender, text, kind); timestamps every ``step``."""
    senders = [r[0] for r in rows]
    texts = [r[1] for r in rows]
    kinds = [r[2] if len(r) > 2 else "text" for r in rows]
    raw = pd.DataFrame(
        {
            "timestamp": pd.date_range(start, periods=len(rows), freq=step),
            "sender": senders,
            "text": texts,
            "kind": kinds,
            **extra,
        }
    )
    return rs.coerce(raw, tz=tz)


# --- the arithmetic -----------------------------------------------------------------------


def test_lsm_reference_speech_vs_twitter():
    assert round(lsm(SPEECH, TWITTER), 4) == 0.8492
    assert lsm(SPEECH, TWITTER) == pytest.approx(np.mean([term(a, b) for a, b in zip(SPEECH, TWITTER, strict=True)]))


def test_lsm_is_symmetric_and_one_for_identical_profiles():
    assert lsm(TWITTER, SPEECH) == lsm(SPEECH, TWITTER)
    assert lsm(SPEECH, SPEECH) == pytest.approx(1.0, abs=1e-5)
    assert lsm([0, 0], [0, 0]) == 1.0
    assert lsm([10, 0], [0, 0]) == pytest.approx(0.5, abs=1e-5)


def test_lsm_two_dimensional_gives_one_score_per_row():
    out = lsm([SPEECH, SPEECH], [TWITTER, SPEECH])
    assert out.shape == (2,)
    assert out.round(4).tolist() == [0.8492, 1.0]


def test_lsm_rejects_bad_input():
    with pytest.raises(ValueError, match="same shape"):
        lsm([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="negative"):
        lsm([-1, 2], [1, 2])


def test_rlsm_reference_romeo_benvolio():
    # function words as % of each turn: 60, 25, 46.67 (7/15), 42.86 (3/7), 75
    result = rlsm([60, 25, 100 * 7 / 15, 100 * 3 / 7, 75])
    assert result.pairs.round(4).tolist() == [0.5882, 0.6977, 0.9574, 0.7273]
    assert round(result.score, 4) == 0.7427
    # Romeo answers with turns 3 and 5, Benvolio with turns 2 and 4
    assert round(result.speakers[0], 4) == round((0.697674 + 0.727273) / 2, 4)
    assert round(result.speakers[1], 4) == round((0.588235 + 0.957447) / 2, 4)


def test_rlsm_with_the_rounded_published_percentages_is_within_rounding():
    result = rlsm([60, 25, 46.67, 42.86, 75])
    np.testing.assert_allclose(result.pairs, [0.5882, 0.6977, 0.9574, 0.7273], atol=1e-4)
    assert round(result.score, 4) == 0.7427


def test_rlsm_previous_zero_percent_gives_no_value_for_that_category():
    result = rlsm([[10, 0, 20], [10, 30, 0], [5, 0, 0]])
    # pair 1: category 2 missing (prev 0); categories 1 and 3 -> 1 and 0
    # pair 2: categories 1 and 2 -> term(10, 5), term(30, 0) = 0; category 3 missing
    assert result.pairs[0] == pytest.approx((1 + 0) / 2, abs=1e-5)
    assert result.pairs[1] == pytest.approx((term(10, 5) + term(30, 0)) / 2, abs=1e-12)
    assert result.pairs[1] == pytest.approx((term(10, 5) + 0) / 2, abs=1e-5)
    only_zero_before = rlsm([[0, 0], [5, 5]])
    assert np.isnan(only_zero_before.pairs[0]) and np.isnan(only_zero_before.score)


def test_rlsm_unequal_number_of_answers_averages_speakers_first():
    result = rlsm([10, 10, 20])  # pairs: B answers A (1.0), A answers B (term(10, 20))
    assert result.speakers == pytest.approx((term(10, 20), 1.0))
    assert result.score == pytest.approx((term(10, 20) + 1.0) / 2)
    assert len(rlsm([10]).pairs) == 0 and np.isnan(rlsm([10]).score)


def test_rlsm_unequal_turn_counts_follow_the_paper_aggregation():
    """Müller-Frommeyer, Frommeyer & Kauffeld (2019), equations 12-14: per category, a speaker's
    value is the mean over the turns they answered with; the dyad's is the mean of the two
    speakers'; the score is the mean over categories. Speakers answer unequally often here (B
    twice, A once) and a category is missing in one pair, so the three plausible ways of
    averaging give three different numbers, and only the paper's is accepted."""
    turns = [[10, 0], [10, 5], [10, 10], [5, 40]]  # A, B, A, B
    # pair 1, B answers A: (1, missing: A used none of category 2)
    # pair 2, A answers B: (1, term(5, 10));  pair 3, B answers A: (term(10, 5), term(10, 40))
    b = np.array([(1 + term(10, 5)) / 2, term(10, 40)])  # B per category, over its 2 turns
    a = np.array([1.0, term(5, 10)])
    paper = ((a + b) / 2).mean()
    result = rlsm(turns)
    assert result.score == pytest.approx(paper, abs=1e-12)
    assert result.speakers == pytest.approx((a.mean(), b.mean()), abs=1e-12)
    # what it must not be:
    pair_means = np.array([1.0, (1 + term(5, 10)) / 2, (term(10, 5) + term(10, 40)) / 2])
    pooled = pair_means.mean()  # every pair counts once: B's two turns outweigh A's one
    pair_first = (pair_means[1] + pair_means[[0, 2]].mean()) / 2  # categories averaged per pair
    assert len({round(paper, 4), round(pooled, 4), round(pair_first, 4)}) == 3
    assert round(result.score, 3) == 0.725


def test_rlsm_unequal_turn_counts_average_speakers_not_pairs():
    turns = [10, 10, 20, 20]  # B answers twice (1.0, 1.0), A once (term(10, 20))
    result = rlsm(turns)
    assert result.score == pytest.approx((term(10, 20) + 1.0) / 2)
    assert result.score != pytest.approx((term(10, 20) + 2.0) / 3)


def test_style_matching_rlsm_follows_the_same_aggregation():
    """The frame version (turns from messages) gives the same score as rlsm() on the turns'
    percentages, with unequal turn counts (Ann answers twice, Ben once)."""
    msgs = rs.coerce(
        pd.DataFrame(
            {
                "timestamp": pd.date_range("2024-05-01 09:00", periods=4, freq="10min"),
                "sender": ["Ben", "Ann", "Ben", "Ann"],
                "text": ["the cat sat on the mat", "i saw a dog in it", "we ran to the park", "no, not the cat"],
            }
        )
    )
    from reconnect_signals.style import _category_counts

    counts = _category_counts(msgs["text"])
    pct = 100 * counts[list(CATEGORIES)].to_numpy(dtype="float64") / counts[["words"]].to_numpy(dtype="float64")
    expected = rlsm(pct).score
    assert rs.style_matching(msgs).loc[0, "rlsm"] == pytest.approx(expected, abs=1e-12)


# --- the word lists -----------------------------------------------------------------------


def test_nine_categories_in_ireland_pennebaker_order():
    assert CATEGORIES == (
        "ppron",
        "ipron",
        "article",
        "auxverb",
        "adverb",
        "prep",
        "conj",
        "negate",
        "quant",
    )
    assert tuple(FUNCTION_WORDS) == CATEGORIES
    assert FUNCTION_WORDS["article"] == frozenset({"a", "an", "the"})


def test_every_listed_word_is_one_token_of_the_shared_tokeniser():
    words = sorted(set().union(*FUNCTION_WORDS.values()))
    tokens = tokenize(pd.Series(words, dtype="str"))
    assert tokens.tolist() == [[w] for w in words]


def test_words_match_the_cues_word_count_and_category_counts_are_exact():
    from reconnect_signals.cues import count_tokens, count_words
    from reconnect_signals.style import _category_counts

    texts = pd.Series(
        ["I’m not sure, the cat's out!", "we can't go to the zoo?? 😂", None, "ok ok ok", "ok ok ok", ""],
        index=[5, 5, 7, 1, 2, 3],
        dtype="str",
    )
    counts = _category_counts(texts)
    assert counts.index.tolist() == texts.index.tolist()
    assert counts["words"].tolist() == count_words(texts).tolist() == [6, 6, 0, 3, 3, 0]
    for name in CATEGORIES:
        assert counts[name].tolist() == count_tokens(texts, FUNCTION_WORDS[name]).tolist(), name
    assert counts.loc[:, "negate"].tolist() == [1, 1, 0, 0, 0, 0]  # not; can't
    assert counts["auxverb"].tolist() == [1, 1, 0, 0, 0, 0]  # i'm; can't


def test_overlapping_membership_like_liwc():
    assert "don't" in FUNCTION_WORDS["auxverb"] and "don't" in FUNCTION_WORDS["negate"]
    assert "i'm" in FUNCTION_WORDS["ppron"] and "i'm" in FUNCTION_WORDS["auxverb"]
    assert "cat" not in set().union(*FUNCTION_WORDS.values())


# --- style_matching on messages -----------------------------------------------------------

ANN_BEN = [
    ("Ann", "I think the cat is on the mat"),
    ("Ben", "the dog is in the garden"),
    ("Ann", "it is not a cat"),
    ("Ben", "and it is a dog"),
]
# counts per category (ppron ipron article auxverb adverb prep conj negate quant), words
ANN_COUNTS = np.array([1, 1, 3, 2, 0, 1, 0, 1, 0]), 13
BEN_COUNTS = np.array([0, 1, 3, 2, 0, 1, 1, 0, 0]), 11


def test_style_matching_hand_computed_lsm():
    out = style_matching(frame(ANN_BEN), min_words=5)
    assert out.columns.tolist() == [
        "conversation_id",
        "sender_a",
        "sender_b",
        "words_a",
        "words_b",
        "lsm",
        *(f"lsm_{c}" for c in CATEGORIES),
        "rlsm",
    ]
    row = out.iloc[0]
    assert (row["sender_a"], row["sender_b"], row["words_a"], row["words_b"]) == ("Ann", "Ben", 13, 11)
    pa = 100 * ANN_COUNTS[0] / ANN_COUNTS[1]
    pb = 100 * BEN_COUNTS[0] / BEN_COUNTS[1]
    expected = [term(a, b) for a, b in zip(pa, pb, strict=True)]
    got = [row[f"lsm_{c}"] for c in CATEGORIES]
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert row["lsm"] == pytest.approx(np.mean(expected))
    assert row["lsm_article"] == pytest.approx(0.916667, abs=1e-6)
    assert row["lsm_adverb"] == 1.0  # neither used an adverb


def test_style_matching_hand_computed_rlsm():
    out = style_matching(frame(ANN_BEN), min_words=5)
    # turn by turn (see CUES.md): Ben1 answers Ann1, Ann2 answers Ben1, Ben2 answers Ann2.
    # Category values (missing where the previous turn used none of the category):
    #   Ben1 | Ann1: ppron 0, article term(25, 33.3), auxverb term(12.5, 16.7), prep term(12.5, 16.7)
    #   Ann2 | Ben1: article term(33.3, 20), auxverb term(16.7, 20), prep 0
    #   Ben2 | Ann2: ipron 1, article 1, auxverb 1, negate 0
    # per speaker and category (Ben has two turns), per dyad and category, then over categories
    # (Müller-Frommeyer et al. 2019, eqs. 12-14); the earlier pair-first average gave 0.6247
    ben = {
        "ppron": term(12.5, 0),
        "ipron": term(20, 20),
        "negate": term(20, 0),
        "prep": term(12.5, 100 / 6),
        "article": (term(25, 100 / 3) + term(20, 20)) / 2,
        "auxverb": (term(12.5, 100 / 6) + term(20, 20)) / 2,
    }
    ann = {"article": term(100 / 3, 20), "auxverb": term(100 / 6, 20), "prep": term(100 / 6, 0)}
    dyad = [np.mean([v for v in (ben.get(c), ann.get(c)) if v is not None]) for c in ben]
    expected = np.mean(dyad)
    assert out.loc[0, "rlsm"] == pytest.approx(expected, abs=1e-12)
    assert round(out.loc[0, "rlsm"], 4) == 0.5311


def test_style_matching_needs_min_words_per_side():
    out = style_matching(frame(ANN_BEN))  # default 50
    assert out["lsm"].isna().all()
    assert out[[f"lsm_{c}" for c in CATEGORIES]].isna().all(axis=None)
    assert out.loc[0, "words_a"] == 13
    assert out.loc[0, "rlsm"] == pytest.approx(0.5311, abs=1e-4)  # no word minimum for rLSM
    assert style_matching(frame(ANN_BEN), min_words=12)["lsm"].isna().all()  # Ben has 11
    assert style_matching(frame(ANN_BEN), min_words=11)["lsm"].notna().all()


def test_identical_style_gives_lsm_one():
    text = "I am not sure that the plan is good but we can do it with some help"
    out = style_matching(frame([("A", text), ("B", text)]), min_words=10)
    assert out.loc[0, "lsm"] == pytest.approx(1.0, abs=1e-5)
    assert out.loc[0, "rlsm"] == pytest.approx(1.0, abs=1e-5)


def test_main_senders_are_the_two_with_most_words_and_others_are_left_out():
    rows = [
        ("Cy", "the"),
        ("Ann", "I think the cat is on the mat"),
        ("Ben", "the dog is in the garden"),
        ("Cy", "a"),
        ("Ann", "it is not a cat"),
        ("Ben", "and it is a dog"),
        ("Ben", None, "media"),
        (None, "Ann added Cy", "system"),
    ]
    out = style_matching(frame(rows), min_words=5)
    base = style_matching(frame(ANN_BEN), min_words=5)
    assert out[["sender_a", "sender_b", "words_a", "words_b"]].values.tolist() == [["Ann", "Ben", 13, 11]]
    pd.testing.assert_series_equal(out.iloc[0, 1:], base.iloc[0, 1:], check_names=False)


def test_tied_word_counts_order_senders_by_name():
    out = style_matching(frame([("Zed", "the cat"), ("Amy", "a dog")]), min_words=1)
    assert out[["sender_a", "sender_b"]].values.tolist() == [["Amy", "Zed"]]
    assert out.loc[0, "lsm_article"] == pytest.approx(1.0, abs=1e-5)


def test_conversations_are_separate_and_turns_do_not_cross_them():
    one = frame(ANN_BEN, conversation_id="c1")
    two = frame([("Ann", "the the the"), ("Ben", "a cat")], conversation_id="c2", start="2024-05-01 09:05")
    msgs = pd.concat([one, two], ignore_index=True)
    out = style_matching(msgs, min_words=1)
    assert out["conversation_id"].tolist() == ["c1", "c2"]
    c1 = style_matching(one, min_words=1).iloc[0]
    assert out.iloc[0]["rlsm"] == pytest.approx(c1["rlsm"])
    assert out.iloc[0]["lsm"] == pytest.approx(c1["lsm"])
    # c2: a single answer (Ben to Ann), articles 100 % vs 50 %; nothing else used before
    assert out.iloc[1]["rlsm"] == pytest.approx(term(100, 50))


def test_one_person_conversation_has_no_partner():
    out = style_matching(frame([("Ann", "I think the cat is on the mat")]), min_words=1)
    assert out.loc[0, "sender_a"] == "Ann" and pd.isna(out.loc[0, "sender_b"])
    assert out.loc[0, "words_b"] == 0
    assert np.isnan(out.loc[0, "lsm"]) and np.isnan(out.loc[0, "rlsm"])


def test_weekly_windows_are_local_complete_and_tz_aware():
    # Sunday 23:30 and Monday 00:30 in London (BST) are both Sunday in UTC: weeks are local
    msgs = frame(
        [("A", "the cat"), ("B", "a dog"), ("A", "the end"), ("B", "a start")],
        tz="Europe/London",
        start="2024-06-16 23:30",
        step="1h",
    )
    late = frame([("A", "so the cat"), ("B", "so a dog")], tz="Europe/London", start="2024-07-03 12:00")
    out = style_matching(pd.concat([msgs, late], ignore_index=True), freq="W", min_words=1)
    assert str(out["window"].dtype) == "datetime64[us, Europe/London]"
    starts = out["window"].dt.strftime("%Y-%m-%d %H:%M").tolist()
    assert starts == ["2024-06-10 00:00", "2024-06-17 00:00", "2024-06-24 00:00", "2024-07-01 00:00"]
    assert out["words_a"].tolist() == [2, 2, 0, 3]
    assert out["words_b"].tolist() == [0, 4, 0, 3]
    assert out["lsm"].isna().tolist() == [True, False, True, False]
    assert out.loc[3, "lsm_adverb"] == pytest.approx(1.0, abs=1e-5)
    # the first answering turn (B, Monday) falls in the second week
    assert np.isnan(out.loc[0, "rlsm"]) and out.loc[1, "rlsm"] == pytest.approx(1.0, abs=1e-4)


def test_monthly_windows():
    msgs = frame([("A", "the cat"), ("B", "a dog"), ("A", "the hat")], start="2024-01-31 23:00", step="1h")
    out = style_matching(msgs, freq="MS", min_words=1)
    assert out["window"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-01", "2024-02-01"]
    assert out["words_a"].tolist() == [2, 2] and out["words_b"].tolist() == [0, 2]


def test_input_is_not_mutated_and_duplicate_index_is_fine():
    msgs = frame(ANN_BEN)
    msgs.index = [0, 0, 1, 1]
    before = msgs.copy()
    out = style_matching(msgs, min_words=5)
    pd.testing.assert_frame_equal(msgs, before)
    assert out.loc[0, "words_a"] == 13


def test_tokenisation_follows_the_cues_spec():
    # curly apostrophe, URL and @mention: "I’m" is one word (ppron + auxverb); the URL is not words
    msgs = frame([("A", "I’m at https://the.example.com/the @the"), ("B", "i'm at home")])
    out = style_matching(msgs, min_words=1)
    assert out.loc[0, "sender_a"] == "B"  # more words
    assert out.loc[0, "words_a"] == 3 and out.loc[0, "words_b"] == 2
    assert out.loc[0, "lsm_ppron"] == pytest.approx(term(50, 100 / 3))
    assert out.loc[0, "lsm_article"] == 1.0  # no "the" counted from the URL or the mention


def test_empty_and_text_free_frames():
    from reconnect_signals.schema import empty_frame

    out = style_matching(empty_frame())
    assert len(out) == 0 and "rlsm" in out.columns
    media = frame([("A", None, "media"), ("B", None, "media")])
    out = style_matching(media)
    assert out["conversation_id"].tolist() == ["0"] and out["sender_a"].isna().all()
    assert len(style_matching(media, freq="W")) == 0


def test_bad_arguments_name_the_fix():
    with pytest.raises(ValueError, match="'D', 'W', 'MS'"):
        style_matching(frame(ANN_BEN), freq="2W")
    with pytest.raises(ValueError, match="not a pandas frequency"):
        style_matching(frame(ANN_BEN), freq="fortnight")
    with pytest.raises(ValueError, match="min_words"):
        style_matching(frame(ANN_BEN), min_words=-1)
    with pytest.raises(SchemaError, match="rs.coerce"):
        style_matching(pd.DataFrame({"text": ["hi"]}))


def test_top_level_name():
    assert rs.style_matching is style_matching


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_pcts = st.lists(st.floats(0, 100, allow_nan=False), min_size=9, max_size=9)


@settings(max_examples=200, deadline=None)
@given(_pcts, _pcts)
def test_lsm_properties(p1, p2):
    value = lsm(p1, p2)
    assert 0.0 <= value <= 1.0
    assert value == pytest.approx(lsm(p2, p1))
    assert lsm(p1, p1) == pytest.approx(1.0, abs=1e-5)


@settings(max_examples=200, deadline=None)
@given(st.lists(_pcts, min_size=2, max_size=12))
def test_rlsm_properties(turns):
    result = rlsm(turns)
    assert len(result.pairs) == len(turns) - 1
    finite = result.pairs[~np.isnan(result.pairs)]
    assert ((finite >= 0) & (finite <= 1)).all()
    prev_all_zero = np.array([all(v == 0 for v in t) for t in turns[:-1]])
    assert (np.isnan(result.pairs) == prev_all_zero).all()
