"""Validity of the lexical cues on real chat: labels by annotators who never saw the code.

The evaluation set (``tests/data/cues/real_eval/``, see its DATASHEET.md) holds ids and labels of
1,117 Ubuntu IRC messages drawn in strata; the texts come from ``../shared/data/irc`` through
``tests/_shared.py`` (the tests that need them skip, naming the path, when it is absent).
Precision and recall are weighted by stratum (population / drawn) with 95 % stratified-bootstrap
intervals (``tests/_cue_eval.py``). The rules were tuned on the ``dev`` items only; ``test`` items
give the reported numbers (``docs/cues.md``).
"""

from __future__ import annotations

import _cue_eval as ev
import numpy as np
import pandas as pd
import pytest

from reconnect_signals.cues import text_cues

# --- the committed set, without the corpus ----------------------------------------------------


def test_every_drawn_item_is_labelled_once():
    sample, labels = ev.sample(), ev.labels()
    assert labels["item"].is_unique
    assert set(labels["item"]) == set(sample["item"])
    assert len(sample) >= 600
    assert labels["annotator"].str.len().gt(0).all()
    raw = pd.read_csv(ev.REAL_EVAL / "labels.csv")
    for cue in ev.CUES:
        assert set(raw[cue].unique()) <= {0, 1}, cue


def test_strata_table_matches_the_sample():
    sample, strata = ev.sample(), ev.strata()
    counts = sample.groupby(["stratum", "set"]).size().unstack(fill_value=0)
    assert counts["test"].to_dict() == strata["drawn_test"].to_dict()
    assert counts["dev"].to_dict() == strata["drawn_dev"].to_dict()
    assert (strata["population"] >= strata["drawn_test"] + strata["drawn_dev"]).all()
    assert set(sample["set"]) == {"dev", "test"}


def test_enough_positives_for_the_done_when_targets():
    """Issue #14: >= 30 you_criticism and >= 40 apology and i_statement positives."""
    labels = ev.labels()
    positives = labels[list(ev.CUES)].sum()
    print(positives.to_dict())
    assert positives["you_criticism"] >= 30
    assert positives["apology"] >= 40
    assert positives["i_statement"] >= 40


def test_second_annotator_agrees():
    """120 items labelled again by a third annotator: Cohen's kappa per cue."""
    labels = ev.labels().set_index("item")
    overlap = pd.read_csv(ev.REAL_EVAL / "labels_overlap.csv", dtype={"item": "str"}).set_index("item")
    both = labels[list(ev.CUES)].join(overlap[list(ev.CUES)].add_suffix("_2"), how="inner")
    assert len(both) == len(overlap) >= 100
    kappas = {}
    for cue in ev.CUES:
        a, b = both[cue].astype(int).to_numpy(), both[f"{cue}_2"].to_numpy()
        po = float((a == b).mean())
        pe = float(a.mean() * b.mean() + (1 - a.mean()) * (1 - b.mean()))
        kappas[cue] = (po - pe) / (1 - pe)
    print({k: round(v, 3) for k, v in kappas.items()})
    assert min(kappas.values()) > 0.6


# --- the estimator --------------------------------------------------------------------------------


def test_weighted_scores_weight_each_stratum_by_its_population():
    # stratum a: 2 items standing for 100 messages each; b: 2 items standing for 1 each
    frame = pd.DataFrame({
        "stratum": ["a", "a", "b", "b"],
        "weight": [50.0, 50.0, 0.5, 0.5],
        "apology": [True, False, True, True], "i_statement": [False] * 4,
        "you_criticism": [False] * 4, "question": [False] * 4,
    })
    pred = frame[list(ev.CUES)].copy()
    pred["apology"] = [True, True, True, False]
    out = ev.weighted_scores(frame, pred, reps=200)
    # tp weight 50 + 0.5; predicted 50 + 50 + 0.5; true 50 + 0.5 + 0.5
    assert out.loc["apology", "precision"] == pytest.approx(50.5 / 100.5)
    assert out.loc["apology", "recall"] == pytest.approx(50.5 / 51)
    assert out.loc["apology", "precision_lo"] <= out.loc["apology", "precision"] <= out.loc["apology", "precision_hi"]
    # nothing predicted or nothing true: undefined, not 0 or 1
    assert np.isnan(out.loc["question", "precision"]) and np.isnan(out.loc["question", "recall"])


# --- measured on the real texts -------------------------------------------------------------------


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return ev.evaluation_frame()


def _scores(frame: pd.DataFrame, which: str) -> pd.DataFrame:
    part = frame[frame["set"] == which].reset_index(drop=True)
    out = ev.weighted_scores(part, text_cues(part["text"], sentiment=False))
    print(f"\n{which}:\n{out.round(3).to_string()}")
    return out


def test_committed_notes_do_not_carry_the_messages(frame):
    """The labels hold no corpus text: notes quote a few words (the guide asked for at most three;
    some quote four or five), never six consecutive words of their message."""
    for text, note in zip(frame["text"], frame["note"], strict=True):
        words = text.lower().split()
        grams = {" ".join(words[i:i + 6]) for i in range(len(words) - 5)}
        assert not any(g in note.lower() for g in grams), note


def test_dev_precision_recall(frame):
    out = _scores(frame, "dev")
    assert out.loc["you_criticism", "precision"] >= 0.80
    assert out.loc["apology", "precision"] >= 0.93 and out.loc["apology", "recall"] >= 0.90
    assert out.loc["i_statement", "precision"] >= 0.90
    assert out.loc["question", "precision"] >= 0.90 and out.loc["question", "recall"] >= 0.90


#: The held-out (``test``) numbers published in docs/cues.md: precision, recall (stratum-weighted).
PUBLISHED_TEST = {
    "i_statement": (0.944, 0.700),
    "you_criticism": (0.760, 0.026),
    "apology": (0.968, 0.993),
    "question": (0.963, 0.904),
}


def test_held_out_precision_recall(frame):
    """The numbers in docs/cues.md; computed once, after the rules were frozen on dev. A change of
    the rules that moves them must update the docs. Issue #14's targets: you_criticism P >= 0.80
    and R >= 0.70 are MISSED (P 0.76; weighted R 0.03, unweighted 19/50, the weighted value resting
    on one 'rest'-stratum item that stands for 924 messages); apology and i_statement are met."""
    out = _scores(frame, "test")
    for cue, (p, r) in PUBLISHED_TEST.items():
        assert out.loc[cue, "precision"] == pytest.approx(p, abs=0.0005), cue
        assert out.loc[cue, "recall"] == pytest.approx(r, abs=0.0005), cue
    assert out.loc["apology", "precision"] >= 0.93 and out.loc["apology", "recall"] >= 0.90
    assert out.loc["i_statement", "precision"] >= 0.90
    assert out.loc["question", "precision"] >= 0.90
    assert out.loc["you_criticism", "precision"] >= 0.70  # target 0.80 not met


def test_docs_publish_the_held_out_numbers():
    """docs/cues.md's results table carries PUBLISHED_TEST (two decimals), without the corpus."""
    text = (ev.REAL_EVAL.parents[3] / "docs" / "cues.md").read_text(encoding="utf-8")
    for cue, (p, r) in PUBLISHED_TEST.items():
        row = next(line for line in text.splitlines() if line.startswith(f"| `{cue}` |"))
        assert f"{p:.2f}" in row and f"{r:.2f}" in row, (cue, row)
