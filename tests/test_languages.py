"""Cues in German, Spanish, French, Portuguese, Italian and Dutch (issue 19).

Data: ``tests/data/cues/lang/`` — labelled messages in rounds (``DATASHEET.md``): round 1,
150 messages per language written by the lexicon author and labelled by annotators who never saw
the code (``<lang>_messages.jsonl`` + ``<lang>_labels.jsonl``); round 2, 150 more per language
written by an independent writer and labelled by another annotator, neither of whom saw the code
(``<lang>_messages_2.jsonl`` + ``<lang>_labels_2.jsonl``); round 3 (``_3``), a third writer and
annotator, scored once on the lexicons frozen after round 2 and then corrected on; round 4 (``_4``), written
and labelled blind, scored once on the lexicons frozen after round 3 (its one-time scores are in the datasheet)
and then corrected on by category; round 5 (``_5``), written and labelled blind by three further writers and
annotators, scored once on the lexicons frozen after round 4 (its one-time scores are in the datasheet) and then
corrected on by category of wording; round 6 (``_6``), written and labelled blind by three more writers and
annotators, scored once on the lexicons frozen after round 5 (its one-time scores are in the datasheet) and then
corrected on by category of wording (session 6, branch lang7); round 7 (``_7``), written and labelled blind by three
more writers and annotators, scored once on the lexicons frozen after round 6 (its one-time scores are in the
datasheet) and then corrected on by category of wording (session 7, branch lang8); round 8 (``_8``), written and
labelled blind by three more writers and annotators, scored once on the lexicons frozen after round 7 (its one-time
scores are in the datasheet) and then corrected on by category of wording (session 7, branch lang9); round 9 (``_9``),
written and labelled blind by three more writers and annotators, scored once by the lead (session 7) on the lexicons
frozen after round 8 (its one-time scores are in the datasheet) and then corrected on by category of wording
(session 8, branch lang10); round 10 (``_10``), written and labelled blind by three more writers and annotators, scored
once by the lead (session 8) on the lexicons frozen after round 9 (its one-time scores are in the datasheet) and then
corrected on by category of wording (session 8, branch lang11); round 11 (``_11``), written and labelled blind by three
more writers and annotators, scored once by the lead (session 8) on the lexicons frozen after round 10 (its one-time
scores are in the datasheet) and then corrected on by category of wording (session 8, branch lang12). All eleven rounds
are **development** data: the rules were corrected after their labels were seen. Round 12 (``_12``, held out, labelled
with the borderline forms of ``GUIDE.md``) is written and labelled by others while this is written; the lead adds and
scores it once, and its tests below skip until then. Plus one 200-message conversation
written natively in all seven languages (``parallel_conversation.csv``).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

import reconnect_signals as rs
from reconnect_signals.cues import message_cues, text_cues
from reconnect_signals.cues._detect import language_codes, language_scores
from reconnect_signals.cues._languages import LANGUAGE_CUES, LexiconError, lexicons, parse_lexicon
from reconnect_signals.cues._tokens import _as_arrow, _normalize_arrow, _stream_arrow, count_stream_words
from reconnect_signals.style import CATEGORIES

DATA = Path(__file__).parent / "data" / "cues" / "lang"
LANGS = ("de", "es", "fr", "pt", "it", "nl")
ALL = ("en", *LANGS)


#: Development rounds of labelled messages (the rules were corrected after seeing these labels).
DEV_ROUNDS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
#: The held-out round: written and labelled by others and scored once against frozen lexicons.
HELD_OUT_ROUND = 12


def _suffix(rnd: int) -> str:
    return "" if rnd == 1 else f"_{rnd}"


def _labelled(lang: str, rnd: int = 1) -> pd.DataFrame:
    texts = pd.read_json(DATA / f"{lang}_messages{_suffix(rnd)}.jsonl", lines=True, dtype={"item": "str"})
    labels = pd.read_json(DATA / f"{lang}_labels{_suffix(rnd)}.jsonl", lines=True, dtype={"item": "str"})
    assert len(texts) == len(labels) == 150
    out = texts.merge(labels, on="item", validate="one_to_one")
    assert len(out) == 150
    return out


def _parallel() -> pd.DataFrame:
    return pd.read_csv(DATA / "parallel_conversation.csv", keep_default_na=False, dtype="str")


def _frame(lang: str, df: pd.DataFrame) -> pd.DataFrame:
    return rs.coerce(
        pd.DataFrame(
            {
                "conversation_id": lang,
                "timestamp": df["timestamp"],
                "sender": df["sender"],
                "text": df[lang],
                "kind": "text",
            }
        )
    )


def _scores(texts: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    stream = _stream_arrow(_normalize_arrow(_as_arrow(texts)))
    return language_scores(stream), count_stream_words(stream)


# --- the data files -------------------------------------------------------------------------


def test_every_language_file_defines_every_cue_and_the_lsm_categories():
    lex = lexicons()
    assert set(LANGS) <= set(lex)
    for code in LANGS:
        assert set(lex[code].cues) == set(LANGUAGE_CUES), code
        assert {f"lsm_{c}" for c in CATEGORIES} == set(lex[code].function_words), code
        assert lex[code].sources and lex[code].notes, code
        assert all(w == w.lower() for ws in lex[code].function_words.values() for w in ws)


def test_the_phrase_language_reports_mistakes():
    base = {"code": "xx", "name": "X", "lists": {"a": ["b"]}}
    with pytest.raises(LexiconError, match="unknown word list @nope"):
        parse_lexicon({**base, "cues": {"apology": {"include": ["@nope"]}}})
    with pytest.raises(LexiconError, match="unknown cue"):
        parse_lexicon({**base, "cues": {"sorryness": {"include": ["b"]}}})
    with pytest.raises(LexiconError, match="unknown keys"):
        parse_lexicon({**base, "cues": {"apology": {"includes": ["b"]}}})
    with pytest.raises(LexiconError, match="includes itself"):
        parse_lexicon({**base, "lists": {"a": ["@a"]}, "cues": {}})
    with pytest.raises(LexiconError, match="lacks 'cues'"):
        parse_lexicon(base)
    # a raw RE2 body without its "~" would be matched as literal text, i.e. never (pt.toml had one, found in session 6)
    with pytest.raises(LexiconError, match=r"looks like a regular expression.*'~'"):
        parse_lexicon({**base, "cues": {"question": {"include": ["^ t[áa] \\p{L}+ndo"]}}})
    with pytest.raises(LexiconError, match="looks like a regular expression"):
        parse_lexicon({**base, "lists": {"a": ["(b)"]}, "cues": {"apology": {"include": ["@a"]}}})


def test_a_phrase_matches_whole_words_in_one_sentence_only():
    lex = parse_lexicon(
        {
            "code": "xx",
            "name": "X",
            "lists": {"sorry": ["perdon", "~perdo+n"], "fill": ["muy"]},
            "cues": {"apology": {"include": ["@sorry", "lo @fill{0,1} siento"], "exclude": ["siento por"]}},
        }
    )
    from reconnect_signals.cues._languages import language_lexical_arrays

    texts = pd.Series(["perdoooon", "lo muy siento", "lo siento. por", "lo siento por ti", "perdonar", "lo. siento"])
    norm = _normalize_arrow(_as_arrow(texts))
    got = language_lexical_arrays(norm, _stream_arrow(norm), lex)["apology"]
    assert got.tolist() == [True, True, True, False, False, False]


# --- labelled real-style messages -------------------------------------------------------------


@cache
def _given_cues(lang: str, rnd: int) -> pd.DataFrame:
    """``text_cues`` of a labelled round with its language given: computed once, read by every cue's test."""
    return text_cues(_labelled(lang, rnd)["text"], language=lang, sentiment=False)


def _precision_recall(lang: str, rnd: int, cue: str) -> tuple[float, float, int]:
    df = _labelled(lang, rnd)
    pred = _given_cues(lang, rnd)[cue].to_numpy()
    gold = df[cue].astype(bool).to_numpy()
    tp = int((pred & gold).sum())
    return tp / max(int(pred.sum()), 1), tp / gold.sum(), int(gold.sum())


@pytest.mark.parametrize("rnd", DEV_ROUNDS)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("cue", ["i_statement", "apology", "question"])
def test_precision_and_recall_on_the_development_sets(rnd, lang, cue):
    # development numbers: the rules were corrected after these labels were seen
    precision, recall, positives = _precision_recall(lang, rnd, cue)
    assert positives >= 15
    assert precision >= 0.85 and recall >= 0.85, (rnd, lang, cue, round(precision, 3), round(recall, 3))


#: Round 4's (precision, recall) after the category fixes of branches lang5, lang6, lang7, lang9, lang10, lang11 and
#: lang12, language given: development numbers (the rules were corrected after reading round 4's misses by category,
#: then round 5's), pinned so that a change is seen. Its one-time held-out scores (French i_statement recall 0.80 the
#: one cell below 0.85) are in DATASHEET.md; the moves of branches lang6 to lang12 are listed there.
ROUND_4_RESULTS = {
    "de": {"i_statement": (0.951, 0.951), "apology": (0.905, 0.950), "question": (1.000, 0.953)},
    "es": {"i_statement": (0.976, 0.976), "apology": (0.909, 1.000), "question": (0.907, 0.929)},
    "fr": {"i_statement": (1.000, 0.950), "apology": (0.900, 1.000), "question": (0.925, 0.974)},
    "pt": {"i_statement": (0.914, 0.941), "apology": (0.947, 1.000), "question": (0.975, 0.975)},
    "it": {"i_statement": (0.976, 1.000), "apology": (1.000, 1.000), "question": (0.929, 0.975)},
    "nl": {"i_statement": (0.974, 0.925), "apology": (0.958, 0.958), "question": (0.907, 0.907)},
}


#: Round 5's (precision, recall) after the category fixes of session 5 (branch lang6), session 6 (lang7), session 7
#: (lang8) and session 8 (lang10), language given: development numbers (the rules were corrected after reading round 5's
#: misses by category of wording), pinned so that a change is seen. Its one-time held-out scores (8 of 18 cells at 0.85)
#: are in DATASHEET.md and docs/languages.md ("Held-out when scored: round 5").
ROUND_5_RESULTS = {
    "de": {"i_statement": (0.943, 0.980), "apology": (1.000, 1.000), "question": (0.971, 0.971)},
    "es": {"i_statement": (0.947, 1.000), "apology": (1.000, 1.000), "question": (0.972, 0.972)},
    "fr": {"i_statement": (0.932, 0.953), "apology": (1.000, 1.000), "question": (0.932, 1.000)},
    "pt": {"i_statement": (0.981, 1.000), "apology": (1.000, 1.000), "question": (0.923, 1.000)},
    "it": {"i_statement": (0.964, 0.964), "apology": (0.962, 1.000), "question": (1.000, 0.974)},
    "nl": {"i_statement": (1.000, 0.977), "apology": (1.000, 1.000), "question": (1.000, 1.000)},
}


#: Round 6's (precision, recall) after the category fixes of sessions 6 (branch lang7), 7 (lang8) and 8 (lang10,
#: lang11, lang12), language given: development numbers (the rules were corrected after reading round 6's misses and
#: false alarms by category of wording), pinned so that a change is seen. Its one-time held-out scores (11 of 18 cells
#: at 0.85) are in DATASHEET.md and docs/languages.md ("Held-out when scored: round 6").
ROUND_6_RESULTS = {
    "de": {"i_statement": (0.982, 0.982), "apology": (1.000, 1.000), "question": (1.000, 0.946)},
    "es": {"i_statement": (0.982, 0.982), "apology": (0.926, 1.000), "question": (0.971, 0.917)},
    "fr": {"i_statement": (0.951, 1.000), "apology": (0.931, 0.964), "question": (0.944, 0.971)},
    "pt": {"i_statement": (0.981, 0.930), "apology": (0.929, 1.000), "question": (0.976, 0.952)},
    "it": {"i_statement": (0.941, 1.000), "apology": (0.960, 1.000), "question": (0.972, 0.972)},
    "nl": {"i_statement": (0.960, 0.960), "apology": (1.000, 1.000), "question": (1.000, 0.971)},
}


#: Round 7's (precision, recall) after the category fixes of sessions 7 (branches lang8, lang9) and 8 (lang10), language
#: given: development numbers (the rules were corrected after reading round 7's misses and false alarms by category of
#: wording), pinned so that a change is seen. Its one-time held-out scores (15 of 18 cells at 0.85; i_statement recall
#: de 0.830, it 0.821, nl 0.809 below) are in DATASHEET.md and docs/languages.md ("Held-out when scored: round 7").
ROUND_7_RESULTS = {
    "de": {"i_statement": (0.962, 0.962), "apology": (0.962, 1.000), "question": (0.953, 0.976)},
    "es": {"i_statement": (0.966, 0.966), "apology": (0.962, 0.962), "question": (0.946, 0.972)},
    "fr": {"i_statement": (0.932, 1.000), "apology": (0.893, 0.962), "question": (0.953, 0.976)},
    "pt": {"i_statement": (0.962, 0.981), "apology": (0.963, 1.000), "question": (1.000, 0.978)},
    "it": {"i_statement": (0.981, 0.946), "apology": (0.926, 1.000), "question": (1.000, 1.000)},
    "nl": {"i_statement": (1.000, 0.979), "apology": (0.920, 1.000), "question": (0.930, 1.000)},
}


#: Round 8's (precision, recall) after the category fixes of session 7 (branch lang9), with session 8's moves (branch
#: lang10: pt i_statement recall 0.964 -> 0.982; branch lang11: it i_statement recall 0.923 -> 0.942, fr question
#: precision 0.949 -> 0.974, nl question precision 0.929 -> 0.951; branch lang12: nl i_statement 0.959/0.922 ->
#: 0.960/0.941), language given: development numbers (the rules were
#: corrected after reading round 8's misses and false alarms by category of wording), pinned so that a change is seen.
#: Its one-time held-out scores (16 of 18 cells at 0.85; nl i_statement recall 0.824 and nl apology recall 0.833
#: below) are in DATASHEET.md and docs/languages.md ("Held-out when scored: round 8").
ROUND_8_RESULTS = {
    "de": {"i_statement": (0.959, 0.959), "apology": (1.000, 1.000), "question": (1.000, 0.974)},
    "es": {"i_statement": (0.907, 0.942), "apology": (0.963, 0.963), "question": (0.973, 0.947)},
    "fr": {"i_statement": (0.946, 0.930), "apology": (0.926, 1.000), "question": (0.974, 0.974)},
    "pt": {"i_statement": (0.964, 0.982), "apology": (0.929, 1.000), "question": (0.978, 1.000)},
    "it": {"i_statement": (0.961, 0.942), "apology": (0.964, 1.000), "question": (1.000, 0.972)},
    "nl": {"i_statement": (0.960, 0.941), "apology": (1.000, 1.000), "question": (0.951, 1.000)},
}


#: Round 9's (precision, recall) after the category fixes of session 8 (branch lang10), language given: development
#: numbers (the rules were corrected after reading round 9's misses and false alarms by category of wording), pinned so
#: that a change is seen. Its one-time held-out scores (15 of 18 cells at 0.85; i_statement recall de 0.811, pt 0.842,
#: nl 0.792 below) are in DATASHEET.md and docs/languages.md ("Round 9 (held-out when scored; ...)").
ROUND_9_RESULTS = {
    "de": {"i_statement": (0.945, 0.981), "apology": (1.000, 0.963), "question": (0.976, 1.000)},
    "es": {"i_statement": (0.914, 0.981), "apology": (0.962, 1.000), "question": (1.000, 0.889)},
    "fr": {"i_statement": (0.963, 0.981), "apology": (1.000, 0.897), "question": (0.972, 0.921)},
    "pt": {"i_statement": (0.964, 0.947), "apology": (1.000, 0.964), "question": (0.976, 1.000)},
    "it": {"i_statement": (0.943, 0.962), "apology": (0.964, 1.000), "question": (1.000, 0.927)},
    "nl": {"i_statement": (0.978, 0.938), "apology": (0.962, 1.000), "question": (1.000, 1.000)},
}


#: Round 10's (precision, recall) after the category fixes of session 8 (branch lang11; branch lang12 moved nl
#: i_statement 0.975/0.886 -> 0.976/0.909), language given: development
#: numbers (the rules were corrected after reading round 10's misses and false alarms by category of wording), pinned
#: so that a change is seen. Its one-time held-out scores (16 of 18 cells at 0.85; nl i_statement recall 0.818 and it
#: apology precision 0.846 below) are in DATASHEET.md and docs/languages.md ("Round 10 (held-out when scored; ...)").
ROUND_10_RESULTS = {
    "de": {"i_statement": (0.963, 1.000), "apology": (0.929, 1.000), "question": (1.000, 1.000)},
    "es": {"i_statement": (0.929, 0.981), "apology": (0.964, 1.000), "question": (0.971, 0.971)},
    "fr": {"i_statement": (0.941, 1.000), "apology": (1.000, 0.964), "question": (0.944, 0.971)},
    "pt": {"i_statement": (1.000, 0.964), "apology": (1.000, 1.000), "question": (1.000, 0.975)},
    "it": {"i_statement": (0.984, 0.968), "apology": (0.960, 1.000), "question": (0.973, 0.947)},
    "nl": {"i_statement": (0.976, 0.909), "apology": (1.000, 0.926), "question": (0.946, 0.946)},
}


#: Round 11's (precision, recall) after the category fixes of session 8 (branch lang12), language given: development
#: numbers (the rules were corrected after reading round 11's misses and false alarms by category of wording), pinned
#: so that a change is seen. Its one-time held-out scores (14 of 18 cells at 0.85; fr apology precision 0.821, pt
#: apology precision 0.788, nl i_statement recall 0.725 and nl question precision 0.843 below) are in DATASHEET.md and
#: docs/languages.md ("Round 11 (held-out when scored; ...)").
ROUND_11_RESULTS = {
    "de": {"i_statement": (0.964, 1.000), "apology": (0.964, 0.931), "question": (0.974, 0.974)},
    "es": {"i_statement": (0.911, 0.927), "apology": (0.958, 0.885), "question": (1.000, 0.921)},
    "fr": {"i_statement": (0.980, 0.941), "apology": (0.885, 0.958), "question": (0.973, 1.000)},
    "pt": {"i_statement": (0.981, 0.963), "apology": (0.900, 1.000), "question": (0.891, 0.976)},
    "it": {"i_statement": (0.945, 0.945), "apology": (0.917, 0.917), "question": (0.947, 0.923)},
    "nl": {"i_statement": (0.978, 0.882), "apology": (1.000, 0.917), "question": (0.977, 0.977)},
}


#: The development rounds whose numbers are pinned, with their tables.
PINNED_ROUNDS = {
    4: ROUND_4_RESULTS,
    5: ROUND_5_RESULTS,
    6: ROUND_6_RESULTS,
    7: ROUND_7_RESULTS,
    8: ROUND_8_RESULTS,
    9: ROUND_9_RESULTS,
    10: ROUND_10_RESULTS,
    11: ROUND_11_RESULTS,
}


@pytest.mark.parametrize("rnd", PINNED_ROUNDS)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("cue", ["i_statement", "apology", "question"])
def test_development_numbers_are_pinned(rnd, lang, cue):
    precision, recall, _ = _precision_recall(lang, rnd, cue)
    assert (precision, recall) == pytest.approx(PINNED_ROUNDS[rnd][lang][cue], abs=5e-4)


# --- HELD-OUT ROUND 12 (for the lead) ---------------------------------------------------------
# The held-out round is written and labelled by people who never saw the code, and scored ONCE against the
# frozen lexicons. Commit <lang>_messages_12.jsonl and <lang>_labels_12.jsonl (150 messages each,
# items "<lang>12_001" ...) next to the other rounds; the two held-out tests below then run instead of skipping.
# Pin its one-time numbers in HELD_OUT_RESULTS (as round 11's were; they are now kept in the datasheet) and list the
# cells below 0.85 in HELD_OUT_MISSED instead of tuning on them. Do not tune the lexicons on its output: that would
# turn it into a development set.


def _held_out_present(lang: str) -> bool:
    return (DATA / f"{lang}_labels{_suffix(HELD_OUT_ROUND)}.jsonl").exists()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("cue", ["i_statement", "apology", "question"])
def test_precision_and_recall_on_the_held_out_round(lang, cue):
    """Round 12, scored ONCE on the lexicons frozen after round 11 (tests/data/cues/lang/DATASHEET.md)."""
    if not _held_out_present(lang):
        pytest.skip(f"held-out round {HELD_OUT_ROUND} for {lang} not committed yet (the lead adds and scores it)")
    items = _labelled(lang, HELD_OUT_ROUND)["item"].tolist()
    assert items == [f"{lang}{HELD_OUT_ROUND}_{i:03d}" for i in range(1, 151)]
    precision, recall, positives = _precision_recall(lang, HELD_OUT_ROUND, cue)
    assert positives >= 15
    if lang not in HELD_OUT_RESULTS:
        pytest.fail(
            f"round {HELD_OUT_ROUND} {lang} {cue}: precision {precision:.3f}, recall {recall:.3f} -- pin this "
            "one-time score in HELD_OUT_RESULTS (and a cell below 0.85 in HELD_OUT_MISSED)"
        )
    assert (precision, recall) == pytest.approx(HELD_OUT_RESULTS[lang][cue], abs=5e-4)
    if (lang, cue) not in HELD_OUT_MISSED:
        assert precision >= 0.85 and recall >= 0.85, (lang, cue, round(precision, 3), round(recall, 3))
    else:
        assert min(precision, recall) < 0.85


#: Round 12's one-time scores (precision, recall; language given), scored ONCE by the lead in session 8 on the
#: lexicons merged from branch lang12, the first round labelled with GUIDE.md's borderline forms: 16 of 18 cells at
#: 0.85. Round 11's one-time table (14 of 18 cells) is kept in DATASHEET.md and docs/languages.md.
HELD_OUT_RESULTS: dict[str, dict[str, tuple[float, float]]] = {
    "de": {"i_statement": (0.889, 0.816), "apology": (0.958, 0.885), "question": (0.947, 0.973)},
    "es": {"i_statement": (0.981, 0.944), "apology": (0.913, 0.875), "question": (0.935, 0.935)},
    "fr": {"i_statement": (0.920, 0.958), "apology": (0.963, 1.000), "question": (1.000, 1.000)},
    "pt": {"i_statement": (0.979, 0.939), "apology": (0.857, 0.960), "question": (0.935, 1.000)},
    "it": {"i_statement": (0.960, 0.980), "apology": (0.870, 0.833), "question": (0.974, 1.000)},
    "nl": {"i_statement": (0.932, 0.911), "apology": (0.958, 0.958), "question": (0.949, 0.881)},
}

#: Cells below issue 19's 0.85 on the held-out round 12 (the one-time scoring above).
HELD_OUT_MISSED: set[tuple[str, str]] = {
    ("de", "i_statement"),
    ("it", "apology"),
}


def test_detection_on_the_held_out_round():
    """The held-out round (never seen by the detector's author): >= 0.95 per message of >= 5 words (own evidence)
    and every set decided as one conversation in its language. Round 12 measured de 0.986, es 0.978, fr 1.000,
    pt 0.993, it 0.986, nl 1.000. Round 11, held out when it was scored, measured
    de 0.985, es 0.993, fr 0.993, pt 1.000, it 0.993, nl 1.000; round 10 measured
    de 1.000, es 0.992, fr 1.000, pt 0.992, it 0.993, nl 0.993; round 9
    de 0.985, es 0.971, fr 1.000, pt 0.992, it 0.993, nl 1.000; round 8
    de 0.970, es 0.985, fr 1.000, pt 0.985, it 0.970, nl 0.993; round 7
    de 1.000, es 0.993, fr 1.000, pt 0.971, it 0.978, nl 1.000; round 6 de 0.992, es 1.000, fr 1.000, pt 0.993,
    it 0.956, nl 1.000; round 5 de 0.993, es 0.993, fr 1.000, pt 0.965, it 0.986, nl 0.986; all seven are now in
    the development detection tests."""
    missing = [lang for lang in LANGS if not _held_out_present(lang)]
    if missing:
        pytest.skip(f"held-out round {HELD_OUT_ROUND} not committed yet for {', '.join(missing)}")
    frames = []
    for lang in LANGS:
        df = _labelled(lang, HELD_OUT_ROUND)
        scores, words = _scores(df["text"])
        own = np.asarray(language_codes(), dtype=object)[scores.argmax(axis=1)]
        long = words >= 5
        assert long.sum() >= 100 and (own[long] == lang).mean() >= 0.95, (lang, (own[long] == lang).mean())
        frames.append(
            rs.coerce(
                pd.DataFrame(
                    {
                        "conversation_id": f"r{HELD_OUT_ROUND}-{lang}",
                        "sender": "x",
                        "text": df["text"],
                        "kind": "text",
                        "timestamp": pd.date_range("2025-01-01", periods=150, freq="min"),
                    }
                )
            )
        )
    out = message_cues(pd.concat(frames, ignore_index=True), sentiment=False)
    decided = out.groupby("conversation_id")["language"].agg(lambda s: s.mode().iloc[0])
    assert decided.to_dict() == {f"r{HELD_OUT_ROUND}-{lang}": lang for lang in LANGS}


@pytest.mark.parametrize("rnd", DEV_ROUNDS)
@pytest.mark.parametrize("lang", LANGS)
def test_detected_language_gives_the_same_cues_as_the_given_one(lang, rnd):
    df = _labelled(lang, rnd)
    msgs = rs.coerce(
        pd.DataFrame(
            {
                "conversation_id": "c",
                "sender": "x",
                "text": df["text"],
                "kind": "text",
                "timestamp": pd.date_range("2025-01-01", periods=150, freq="min"),
            }
        )
    )
    out = message_cues(msgs, sentiment=False)
    assert (out["language"] == lang).all()
    given = _given_cues(lang, rnd)
    for cue in ("i_statement", "apology", "question", "i_words"):
        assert out[cue].tolist() == given[cue].tolist()


# --- language detection -----------------------------------------------------------------------


def test_detection_accuracy_per_message_of_five_words_or_more():
    texts, truth = [], []
    for lang in LANGS:
        for rnd in DEV_ROUNDS:
            df = _labelled(lang, rnd)
            texts += df["text"].tolist()
            truth += [lang] * len(df)
    par = _parallel()
    for lang in ALL:
        texts += par[lang].tolist()
        truth += [lang] * len(par)
    scores, words = _scores(pd.Series(texts))
    own = np.asarray(language_codes(), dtype=object)[scores.argmax(axis=1)]
    truth = np.asarray(truth, dtype=object)
    long = words >= 5
    for lang in ALL:
        sel = long & (truth == lang)
        accuracy = (own[sel] == lang).mean()
        assert sel.sum() >= 40 and accuracy >= 0.95, (lang, int(sel.sum()), accuracy)


def test_token_table_sums_are_the_same_in_any_block_size(monkeypatch):
    """The language scores are each text's weights added token by token from 0 (listed and spelling
    apart, then added), bit for bit, however the texts are cut into blocks (so are the clause bits and
    word-list counts of the token table); the own language of a text is
    the argmax where the top score is clear of the runner-up (``np.partition``'s second largest)."""
    from reconnect_signals.cues import _detect, _tokens
    from reconnect_signals.cues._languages import lexicons_clauses, token_cues
    from reconnect_signals.cues._tokens import TokenTable, clause_bits, token_body_counts

    par = _parallel()
    texts = [t for lang in ALL for t in par[lang]]
    texts += [t for lang in LANGS for t in _labelled(lang, 1)["text"].iloc[:40]]
    texts += ["", "ok", "ação coração informação", "the the the the the", "straße ß ij ción"]
    table = TokenTable(_stream_arrow(_normalize_arrow(_as_arrow(pd.Series(texts)))))
    _, vocab, weights = _detect._vocabulary()
    idx = pc.index_in(table.vocab, value_set=vocab).fill_null(-1).to_numpy(zero_copy_only=False)
    listed = np.where((idx >= 0)[:, None], weights[idx], 0.0)
    spelling = _detect._spelling_weights(table, idx < 0)
    assert (spelling > 0).any() and (listed % 1 > 0).any()  # both parts, and weights that round (1/3, 1/6)
    # np.bincount adds each bin's weights in their order from 0: the sums token by token
    parts = (listed, spelling)
    sums = [np.bincount(table.parents, weights=w[table.codes, j], minlength=table.n) for w in parts for j in range(7)]
    expected = np.stack(sums, axis=1)
    expected = expected[:, :7] + expected[:, 7:]
    # the token table's other per-text sums, per block too: equal to one block's (integers)
    lex = lexicons()
    clauses = lexicons_clauses(lex[c] for c in lex)
    bodies = tuple(body for _, _, body in token_cues(lex[c] for c in lex))
    bits, counts = clause_bits(table, clauses), token_body_counts(table, bodies)
    assert len(texts) > 1000 and bits.any() and counts.any() and _tokens.BLOCK_TOKENS > len(table.codes)
    for block in (1, 7, 100, 1 << 18):
        monkeypatch.setattr(_tokens, "BLOCK_TOKENS", block)
        assert len(_tokens.text_blocks(table.offsets)) > 1 or block > len(table.codes)
        scores = _detect.language_scores_of_tokens(table)
        assert scores.dtype == np.float64 and np.array_equal(scores, expected), block
        assert np.array_equal(clause_bits(table, clauses), bits) and np.array_equal(
            token_body_counts(table, bodies), counts
        )
    best = expected.argmax(axis=1)
    second = np.partition(expected, 5, axis=1)[:, -2]
    top = expected.max(axis=1)
    own = np.where((top >= _detect.MIN_OWN) & (top - second >= _detect.MIN_MARGIN), best, -1)
    assert (own >= 0).sum() > 100 and np.array_equal(_detect.own_language_codes(expected), own)


def test_detection_per_conversation_and_sender():
    par = _parallel()
    frames = [_frame(lang, par) for lang in ALL]
    for lang in LANGS:  # the labelled sets as one-sender conversations too
        for rnd in DEV_ROUNDS:
            df = _labelled(lang, rnd)
            frames.append(
                rs.coerce(
                    pd.DataFrame(
                        {
                            "conversation_id": f"set{rnd}-{lang}",
                            "sender": "x",
                            "text": df["text"],
                            "kind": "text",
                            "timestamp": pd.date_range("2025-01-01", periods=150, freq="min"),
                        }
                    )
                )
            )
    out = message_cues(pd.concat(frames, ignore_index=True), sentiment=False)
    conv = out["conversation_id"].str.replace(r"^set\d+-", "", regex=True)
    # every sender of every conversation gets the conversation's language ...
    per_sender = out.groupby(["conversation_id", "sender"])["language"].agg(lambda s: s.mode().iloc[0])
    expected = per_sender.index.get_level_values(0).str.replace(r"^set\d+-", "", regex=True)
    assert (expected == per_sender.to_numpy()).all()
    # ... and (nearly) every message, short ones included: they inherit
    assert (out["language"] == conv).mean() >= 0.99


def test_a_mixed_chat_is_handled_per_message():
    msgs = rs.coerce(
        pd.DataFrame(
            {
                "conversation_id": "mixed",
                "timestamp": pd.date_range("2025-01-01", periods=8, freq="min"),
                "sender": ["Ana", "Ben", "Ana", "Ben", "Ana", "Ben", "Ana", "Ana"],
                "text": [
                    "Hola, ¿cómo estás? Te echo de menos, ¿sabes? No sé qué hacer sin ti",
                    "I'm good, I miss you too",
                    "jajaja",
                    "sorry I was late yesterday",
                    "Lo siento, no quería hacerte daño",
                    "haha",
                    "I think we should talk about it tomorrow, ok?",
                    "👍",
                ],
                "kind": "text",
            }
        )
    )
    out = message_cues(msgs)
    assert out["language"].tolist() == ["es", "en", "es", "en", "es", "en", "en", "es"]
    assert out["apology"].tolist() == [False, False, False, True, True, False, False, False]
    assert out["i_statement"].tolist() == [True, True, False, False, True, False, True, False]
    assert out["laughter"].tolist() == [False, False, True, False, False, True, False, False]
    # VADER only where the language is English
    assert out["sentiment"].isna().tolist() == [True, False, True, False, True, False, False, True]


def test_the_same_text_gets_the_rules_of_each_language_it_is_written_in():
    # "ni idea" is an I-statement under the Spanish rules, not under the English ones
    es = ["Hola, ¿qué tal estás hoy?", "Mañana vamos a la playa con los niños", "ni idea"]
    en = ["Hey, how are you doing today?", "Tomorrow we are going to the beach with the kids", "ni idea"]
    msgs = rs.coerce(
        pd.DataFrame(
            {
                "conversation_id": ["es"] * 3 + ["en"] * 3,
                "sender": "a",
                "text": es + en,
                "kind": "text",
                "timestamp": pd.date_range("2025-01-01", periods=6, freq="min"),
            }
        )
    )
    out = message_cues(msgs, sentiment=False)
    assert out["language"].tolist() == ["es"] * 3 + ["en"] * 3
    assert out["i_statement"].tolist() == [False, False, True, False, False, False]


def test_words_outside_every_list_are_weak_evidence_by_their_spelling():
    from reconnect_signals.cues._detect import SPELLING_WEIGHT

    codes = language_codes()
    scores, _ = _scores(pd.Series(["caminhões", "Straße", "brightness", "qwrtp", "feijão"]))
    for row, code in enumerate(("pt", "de", "en")):
        assert scores[row, codes.index(code)] == pytest.approx(SPELLING_WEIGHT) == scores[row].sum(), code
    assert scores[3].sum() == 0
    # a spelling two languages share ("ij": Dutch; "ão": Portuguese) is shared evidence
    assert scores[4, codes.index("pt")] == scores[4, codes.index("nl")] == pytest.approx(SPELLING_WEIGHT / 2)


def test_letter_classes_compile_to_script_ranges_with_the_same_matches():
    from reconnect_signals.cues._languages import letters

    pattern = letters(r"(?:^|[^\p{L}])j'\p{L}+ [\p{L}]-x")
    assert "p{L}" not in pattern
    texts = pa.array(["j'écoute é-x", "¿j'ÿ ж-x", "1j'a a-x", "aj'a a-x", "j' a-x", "j'😀 a-x"], pa.large_string())
    got = pc.match_substring_regex(texts, pattern).to_pylist()
    assert got == pc.match_substring_regex(texts, r"(?:^|[^\p{L}])j'\p{L}+ [\p{L}]-x").to_pylist()
    assert got == [True, True, True, False, False, False]


def test_a_conversation_in_another_language_is_undetermined_and_keeps_english_rules():
    polish = [
        "Cześć, co u ciebie słychać dzisiaj?",
        "Wszystko dobrze, dziękuję bardzo za pytanie",
        "Jutro jedziemy do babci na obiad",
        "Kocham cię bardzo mocno i tęsknię",
    ] * 3
    msgs = rs.coerce(
        pd.DataFrame(
            {
                "conversation_id": "pl",
                "sender": ["a", "b"] * 6,
                "text": polish,
                "kind": "text",
                "timestamp": pd.date_range("2025-01-01", periods=12, freq="min"),
            }
        )
    )
    out = message_cues(msgs)
    assert (out["language"] == "und").all()


def test_short_texts_default_to_english():
    # a lone ambiguous text is English unless a language is given
    out = text_cues(pd.Series(["excuse me", "no", "me too"]))
    assert out["apology"].tolist() == [True, False, False]
    assert text_cues(pd.Series(["excuse me"]), language="fr")["apology"].tolist() == [True]


def test_language_can_be_given():
    out = text_cues(pd.Series(["lo siento", "I'm sorry"]), language=["es", "en"])
    assert out["apology"].tolist() == [True, True]
    assert out["sentiment"].isna().tolist() == [True, False]
    with pytest.raises(ValueError, match="language has 1 values for 2 texts"):
        text_cues(pd.Series(["a", "b"]), language=["es"])


# --- the parallel conversation --------------------------------------------------------------

#: Tolerances against the English version (written before comparing the six others; widened only
#: where a documented grammatical difference makes the count differ): pronoun rates within a
#: factor of 1.35 either way (or 0.5 percentage points), I-statements and questions within 25 %, apologies and laughter
#: within 1 message.
RATE_FACTOR = 1.35
#: ... or within this many percentage points (we-words are rare: 7 of 810 English words).
RATE_POINTS = 0.5
#: Known divergences (docs/languages.md): Brazilian Portuguese addresses with 'você' + a
#: third-person verb (not countable as 'you'); Italian 'ci' is both 'us' and 'there', and '-iamo'
#: verb forms carry 'we' without a pronoun.
DIVERGENT = {("pt", "you_rate"): (0.5, RATE_FACTOR), ("it", "we_rate"): (1 / RATE_FACTOR, 2.5)}


def _parallel_summary() -> pd.DataFrame:
    par = _parallel()
    out = message_cues(pd.concat([_frame(lang, par) for lang in ALL], ignore_index=True), sentiment=False)
    summ = out.groupby("conversation_id")[
        ["words", "i_words", "we_words", "you_words", "i_statement", "apology", "question", "laughter"]
    ].sum()
    for p in ("i", "we", "you"):
        summ[f"{p}_rate"] = 100 * summ[f"{p}_words"] / summ["words"]
    return summ


@pytest.mark.parametrize("lang", LANGS)
def test_parallel_conversation_matches_english_within_tolerance(lang):
    summ = _parallel_summary()
    en, got = summ.loc["en"], summ.loc[lang]
    for rate in ("i_rate", "we_rate", "you_rate"):
        low, high = DIVERGENT.get((lang, rate), (1 / RATE_FACTOR, RATE_FACTOR))
        close = abs(got[rate] - en[rate]) <= RATE_POINTS
        assert close or low <= got[rate] / en[rate] <= high, (lang, rate, got[rate], en[rate])
    for cue in ("i_statement", "question"):
        assert abs(got[cue] - en[cue]) <= 0.25 * en[cue], (lang, cue, got[cue], en[cue])
    for cue in ("apology", "laughter"):
        assert abs(got[cue] - en[cue]) <= 1, (lang, cue, got[cue], en[cue])


def test_the_fixture_files_are_complete():
    par = _parallel()
    assert len(par) == 200 and list(par.columns) == ["turn", "timestamp", "sender", *ALL]
    assert (par[list(ALL)] != "").all().all()
    for lang in LANGS:
        lines = (DATA / f"{lang}_messages.jsonl").read_text(encoding="utf-8").splitlines()
        items = [json.loads(line)["item"] for line in lines]
        assert items == [f"{lang}{i:03d}" for i in range(1, 151)]
        for rnd in DEV_ROUNDS[1:]:
            for kind in ("messages", "labels"):
                path = DATA / f"{lang}_{kind}_{rnd}.jsonl"
                items = [json.loads(line)["item"] for line in path.read_text(encoding="utf-8").splitlines()]
                assert items == [f"{lang}{rnd}_{i:03d}" for i in range(1, 151)], path.name


# --- language style matching ------------------------------------------------------------------


def test_function_word_categories_come_from_each_language_file():
    from reconnect_signals.style import _category_counts

    texts = pd.Series(["der Hund und die Katze", "the dog and the cat", "el perro y la gata"])
    per_lang = _category_counts(texts, np.array(["de", "en", "es"], dtype=object))
    assert per_lang["article"].tolist() == [2, 2, 2]
    assert per_lang["conj"].tolist() == [1, 1, 1]
    english_only = _category_counts(texts)
    assert english_only["article"].tolist() == [0, 2, 0]  # what English lists see in German/Spanish


@pytest.mark.parametrize("lang", LANGS)
def test_style_matching_uses_the_conversation_language(lang):
    par = _parallel()
    out = rs.style_matching(_frame(lang, par))
    english = rs.style_matching(_frame("en", par))
    assert out["lsm"].notna().all()
    # the same conversation in another language matches about as well as in English
    assert abs(float(out["lsm"].iloc[0]) - float(english["lsm"].iloc[0])) < 0.15


@pytest.mark.parametrize("lang", LANGS)
def test_language_rules_take_linear_time_on_hostile_text(lang):
    import time

    words = sorted({w for ws in lexicons()[lang].lists.values() for w in ws if not w.startswith("~")})[:400]
    hostile = pd.Series([" ".join(words * 30)[:10_000], "ja" * 5_000, "? " * 5_000, "a " * 5_000, "k" * 10_000])
    start = time.perf_counter()
    out = text_cues(pd.concat([hostile] * 20, ignore_index=True), language=lang, sentiment=False)
    assert time.perf_counter() - start < 20  # ~1 MB of adversarial text; RE2 is linear
    assert len(out) == 100 and (out["words"] > 0).sum() >= 60
