"""Validity of the lexical cues on real chat: labels by annotators who never saw the code.

Set v1 (``tests/data/cues/real_eval/``, see its DATASHEET.md) holds ids and labels of 1,117 Ubuntu
IRC messages drawn in strata; the texts come from ``../shared/data/irc`` through
``tests/_shared.py`` (the tests that need them skip, naming the path, when it is absent).
Precision and recall are weighted by stratum (population / drawn) with 95 % stratified-bootstrap
intervals (``tests/_cue_eval.py``).

**v1 is development data.** Its ``dev`` quarter was used to tune the first rules; since issue #14's
second round every v1 label and every miss has been read and the rules tuned on all of it, so the
v1 numbers below (all 1,117 items) are development numbers: optimistic by construction, not an
estimate of accuracy on new text. The held-out estimate comes from set v2
(``tests/data/cues/real_eval_v2/``: fresh messages, a new stratified net, independent annotators,
evaluated once on the frozen rules with the same estimator).
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
    assert ev.drawn_columns() == ["drawn_test", "drawn_dev"]
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
    frame = pd.DataFrame(
        {
            "stratum": ["a", "a", "b", "b"],
            "weight": [50.0, 50.0, 0.5, 0.5],
            "apology": [True, False, True, True],
            "i_statement": [False] * 4,
            "you_criticism": [False] * 4,
            "question": [False] * 4,
        }
    )
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


def _scores(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    out = ev.weighted_scores(frame, text_cues(frame["text"], sentiment=False))
    print(f"\n{name}:\n{out.round(3).to_string()}")
    return out


def _assert_docs_table(heading: str, numbers: dict[str, tuple[float, float]]) -> None:
    """The first table after ``heading`` in docs/cues.md carries ``numbers`` (two decimals)."""
    text = (ev.REAL_EVAL.parents[3] / "docs" / "cues.md").read_text(encoding="utf-8")
    table = text[text.index(heading) :]
    for cue, (p, r) in numbers.items():
        row = next(line for line in table.splitlines() if line.startswith(f"| `{cue}` |"))
        assert f"{p:.2f}" in row and f"{r:.2f}" in row, (cue, row)


def _assert_notes_quote_no_message(frame: pd.DataFrame) -> None:
    """No note holds six consecutive words of its message."""
    for text, note in zip(frame["text"], frame["note"], strict=True):
        words = text.lower().split()
        grams = {" ".join(words[i : i + 6]) for i in range(len(words) - 5)}
        assert not any(g in note.lower() for g in grams), note


def _assert_drawn_once_and_disjoint(root, n: int, earlier_roots) -> None:
    """Every drawn item labelled once, strata as drawn, no line of an earlier set, enough positives."""
    sample, labels, strata = ev.sample(root), ev.labels(root), ev.strata(root)
    assert labels["item"].is_unique and set(labels["item"]) == set(sample["item"])
    assert len(sample) == n and labels["annotator"].str.len().gt(0).all()
    drawn = strata[ev.drawn_columns(root)].sum(axis=1)
    assert sample.groupby("stratum").size().to_dict() == drawn[drawn > 0].to_dict()
    earlier = pd.concat([ev.sample(r) for r in earlier_roots])
    keys = set(zip(earlier["file"], earlier["line"], strict=True))
    assert not any(k in keys for k in zip(sample["file"], sample["line"], strict=True))
    positives = labels[list(ev.CUES)].sum()
    assert positives["you_criticism"] >= 30 and positives["apology"] >= 40 and positives["i_statement"] >= 40


def test_committed_notes_do_not_carry_the_messages(frame):
    """The labels hold no corpus text: notes quote a few words (the guide asked for at most three;
    some quote four or five), never six consecutive words of their message."""
    _assert_notes_quote_no_message(frame)


def test_weights_of_all_items_stand_for_each_stratum_once(frame):
    """With every v1 item, a stratum's weights add up to its population (the census weighs 1)."""
    strata = ev.strata()
    total = frame.groupby("stratum")["weight"].sum()
    np.testing.assert_allclose(total.loc[strata.index].to_numpy(), strata["population"].to_numpy())
    assert frame.loc[frame["stratum"] == "crit_insult", "weight"].eq(1.0).all()


#: The v1 DEVELOPMENT numbers published in docs/cues.md (all 1,117 items, stratum-weighted):
#: precision, recall. The rules were tuned on these items (every label and miss was read), so
#: these show what the rules do on the data they were fitted to, not how they generalise.
DEVELOPMENT_V1 = {
    "i_statement": (0.9751, 0.706),
    "you_criticism": (0.996, 0.888),
    "apology": (0.989, 1.000),
    "question": (0.957, 0.928),
}


def test_v1_development_precision_recall(frame):
    """Development numbers (v1, all items). A change of the rules that moves them must update the
    docs. you_criticism's weighted recall rests on one 'rest'-stratum item standing for 681
    messages, which a rule written after reading it now matches; unweighted recall is 58/74."""
    out = _scores(frame, "v1, all items (development)")
    for cue, (p, r) in DEVELOPMENT_V1.items():
        assert out.loc[cue, "precision"] == pytest.approx(p, abs=0.0005), cue
        assert out.loc[cue, "recall"] == pytest.approx(r, abs=0.0005), cue
    assert out.loc["you_criticism", "tp"] >= 58 and out.loc["you_criticism", "predicted"] <= 61
    assert out.loc["apology", "precision"] >= 0.93 and out.loc["apology", "recall"] >= 0.90
    assert out.loc["i_statement", "precision"] >= 0.90
    assert out.loc["question", "precision"] >= 0.90 and out.loc["question", "recall"] >= 0.90


def test_docs_publish_the_development_numbers():
    """docs/cues.md's v1 development table carries DEVELOPMENT_V1 (two decimals), without the corpus."""
    _assert_docs_table("**Development numbers on v1**", DEVELOPMENT_V1)


@pytest.mark.skipif(
    not (ev.REAL_EVAL_V2 / "labels.csv").exists(),
    reason=f"the held-out set v2 is not in this checkout ({ev.REAL_EVAL_V2})",
)
def test_v2_held_out_precision_recall():
    """Set v2 (held out until the third round of issue #14; development data since): every item is
    labelled once and the strata match the sample; prints the scores."""
    sample, labels, strata = ev.sample(ev.REAL_EVAL_V2), ev.labels(ev.REAL_EVAL_V2), ev.strata(ev.REAL_EVAL_V2)
    assert labels["item"].is_unique and set(labels["item"]) == set(sample["item"])
    drawn = strata[ev.drawn_columns(ev.REAL_EVAL_V2)].sum(axis=1)
    assert sample.groupby("stratum").size().to_dict() == drawn[drawn > 0].to_dict()
    frame = ev.evaluation_frame(ev.REAL_EVAL_V2)
    out = _scores(frame, "v2 (held out)")
    assert out["n"].eq(len(sample)).all()


#: Held-out numbers of set v2 published in docs/cues.md (precision, recall; stratum-weighted).
#: Computed once on the rules frozen before v2 was seen (commit 0bd6848 gives them). Issue #14's
#: targets: apology met; you_criticism precision met, recall (>= 0.70) MISSED; i_statement
#: precision (>= 0.90) MISSED. They stay as the historical held-out result: the rules have since
#: been tuned on v2 (issue #14, third round), which made v2 development data (DEVELOPMENT_V2).
PUBLISHED_V2 = {
    "i_statement": (0.845, 0.625),
    "you_criticism": (0.961, 0.240),
    "apology": (0.973, 1.000),
    "question": (0.981, 0.938),
}


def test_docs_keep_the_published_v2_numbers():
    """docs/cues.md keeps v2's held-out table (PUBLISHED_V2, two decimals): the historical result."""
    _assert_docs_table("**Held-out numbers (v2)**", PUBLISHED_V2)


#: The v2 DEVELOPMENT numbers of the current rules (all 1,260 items, stratum-weighted), published
#: in docs/cues.md. The third round of issue #14 read v2's misses and false alarms and generalised
#: them by kind of wording (imperatives, insults addressed by nick, wants asked about), and the
#: fourth round (crit4) read them again with v1's and v3's, so these are optimistic: the held-out
#: estimate of the current rules is the lead's fresh set v4.
DEVELOPMENT_V2 = {
    "i_statement": (0.981, 0.624),
    "you_criticism": (0.985, 0.942),
    "apology": (0.973, 1.000),
    "question": (0.981, 0.938),
}


@pytest.mark.skipif(
    not (ev.REAL_EVAL_V2 / "labels.csv").exists(),
    reason=f"the held-out set v2 is not in this checkout ({ev.REAL_EVAL_V2})",
)
def test_v2_development_precision_recall():
    """The current rules on v2 (development data since the third round). A change of the rules
    that moves them must update DEVELOPMENT_V2 and the docs."""
    out = _scores(ev.evaluation_frame(ev.REAL_EVAL_V2), "v2 (development)")
    for cue, (p, r) in DEVELOPMENT_V2.items():
        assert out.loc[cue, "precision"] == pytest.approx(p, abs=0.0005), cue
        assert out.loc[cue, "recall"] == pytest.approx(r, abs=0.0005), cue
    assert out.loc["you_criticism", "tp"] >= 32 and out.loc["you_criticism", "predicted"] <= 35
    _assert_docs_table("**Development numbers on v2**", DEVELOPMENT_V2)


def test_v2_agreement_of_the_second_reading():
    """120 items of v2 read again by another annotator: Cohen's kappa per cue (docs/cues.md)."""
    first = ev.labels(ev.REAL_EVAL_V2).set_index("item")
    second = pd.read_csv(ev.REAL_EVAL_V2 / "labels_overlap.csv", dtype={"item": "str"}).set_index("item")
    assert len(second) == 120 and second.index.isin(first.index).all()
    kappas = ev.second_reading_kappas(ev.REAL_EVAL_V2)
    assert kappas == pytest.approx(
        {"i_statement": 0.98, "you_criticism": 0.95, "apology": 1.0, "question": 1.0}, abs=0.005
    )


# --- set v3: held out for the third round's rules, development data since crit4 ------------------

#: Held-out numbers of set v3 (precision, recall; stratum-weighted), published in docs/cues.md as the
#: historical result. v3 was drawn (tools/sample_cue_eval_v3.py) and labelled by three annotators who
#: never saw the code while the third round's rules were being written by someone who never saw v3;
#: it was **scored once, before crit4**, on those rules as merged (commit 83b5409 reproduces them).
#: Targets: i_statement precision (>= 0.90) and apology (P >= 0.93, R >= 0.90) held; you_criticism
#: precision held, its recall (>= 0.70) did not (0.690, and 9 of 36 positives unweighted). The fourth
#: round of issue #14 (crit4) then read every v1-v3 miss, so v3 is development data now
#: (DEVELOPMENT_V3); these numbers stay in the docs only, as v2's held-out ones do.
PUBLISHED_V3 = {
    "i_statement": (0.974, 0.684),
    "you_criticism": (0.959, 0.690),
    "apology": (0.972, 0.999),
    "question": (0.981, 0.924),
}

#: The v3 DEVELOPMENT numbers of the current rules (all 1,400 items, stratum-weighted), published in
#: docs/cues.md. Optimistic by construction: crit4 extended the you_criticism rules by kind of wording
#: after reading v3's misses. The other cues' rules did not change (their numbers equal PUBLISHED_V3).
DEVELOPMENT_V3 = {
    "i_statement": (0.974, 0.684),
    "you_criticism": (0.966, 0.829),
    "apology": (0.972, 0.999),
    "question": (0.981, 0.924),
}


def test_v3_is_labelled_once_per_drawn_item_and_disjoint_from_v1_and_v2():
    _assert_drawn_once_and_disjoint(ev.REAL_EVAL_V3, 1400, [ev.REAL_EVAL, ev.REAL_EVAL_V2])


def test_docs_keep_the_published_v3_numbers():
    """docs/cues.md keeps v3's held-out table (PUBLISHED_V3, two decimals): the historical result."""
    _assert_docs_table("**Held-out numbers (v3)**", PUBLISHED_V3)


@pytest.mark.skipif(
    not (ev.REAL_EVAL_V3 / "labels.csv").exists(),
    reason=f"the set v3 is not in this checkout ({ev.REAL_EVAL_V3})",
)
def test_v3_development_precision_recall():
    """The current rules on v3 (development data since crit4). A change of the rules that moves
    them must update DEVELOPMENT_V3 and the docs' development table."""
    out = _scores(ev.evaluation_frame(ev.REAL_EVAL_V3), "v3 (development)")
    for cue, (p, r) in DEVELOPMENT_V3.items():
        assert out.loc[cue, "precision"] == pytest.approx(p, abs=0.0005), cue
        assert out.loc[cue, "recall"] == pytest.approx(r, abs=0.0005), cue
    assert out.loc["you_criticism", "tp"] >= 25 and out.loc["you_criticism", "predicted"] <= 28
    _assert_docs_table("**Development numbers on v3**", DEVELOPMENT_V3)


def test_development_precision_of_you_criticism_stays_high_on_every_set():
    """crit4's guard: extending recall must keep weighted precision >= 0.90 on v1, v2 and v3."""
    for root in (ev.REAL_EVAL, ev.REAL_EVAL_V2, ev.REAL_EVAL_V3):
        frame = ev.evaluation_frame(root)
        out = ev.weighted_scores(frame, text_cues(frame["text"], sentiment=False), reps=50)
        assert out.loc["you_criticism", "precision"] >= 0.90, root.name


def test_v3_agreement_of_the_second_reading():
    """120 items of v3 read again by the annotator of another batch: Cohen's kappa (docs/cues.md)."""
    first = ev.labels(ev.REAL_EVAL_V3).set_index("item")
    second = pd.read_csv(ev.REAL_EVAL_V3 / "labels_overlap.csv", dtype={"item": "str"}).set_index("item")
    assert len(second) == 120 and second.index.isin(first.index).all()
    assert (first.loc[second.index, "annotator"] != second["annotator"].str.replace("overlap_", "")).all()
    kappas = ev.second_reading_kappas(ev.REAL_EVAL_V3)
    assert kappas == pytest.approx(
        {"i_statement": 0.963, "you_criticism": 0.885, "apology": 1.0, "question": 1.0}, abs=0.0005
    )


# --- v4: the held-out set of the fourth round (session 5) ------------------------------------------


def test_v4_is_labelled_once_per_drawn_item_and_disjoint_from_v1_v2_and_v3():
    _assert_drawn_once_and_disjoint(ev.REAL_EVAL_V4, 1800, [ev.REAL_EVAL, ev.REAL_EVAL_V2, ev.REAL_EVAL_V3])


def test_v4_notes_do_not_carry_the_messages():
    """As for v1: notes quote a few words, never six consecutive words of their message."""
    frame = ev.evaluation_frame(ev.REAL_EVAL_V4)
    _assert_notes_quote_no_message(frame)


def test_v4_agreement_of_the_second_reading():
    """160 items of v4 read again by the annotator of another batch: Cohen's kappa (docs/cues.md)."""
    first = ev.labels(ev.REAL_EVAL_V4).set_index("item")
    second = pd.read_csv(ev.REAL_EVAL_V4 / "labels_overlap.csv", dtype={"item": "str"}).set_index("item")
    assert len(second) == 160 and second.index.isin(first.index).all()
    assert (first.loc[second.index, "annotator"] != second["annotator"].str.replace("overlap_", "")).all()
    kappas = ev.second_reading_kappas(ev.REAL_EVAL_V4)
    assert kappas == pytest.approx(
        {"i_statement": 0.924, "you_criticism": 0.744, "apology": 1.0, "question": 0.975}, abs=0.0005
    )


#: v4 was drawn (tools/sample_cue_eval_v4.py) and labelled by four annotators who never saw the code
#: while the fourth round's rules (crit4) were being written by someone who never saw v4; it was scored
#: once, on those rules as merged (issue #14, session 5). Targets: i_statement precision (>= 0.90) and
#: apology (P >= 0.93, R >= 0.90) hold; you_criticism misses both (P 0.457 weighted, 9/12 unweighted;
#: R 0.178, 9/37). A rule change that moves these numbers makes v4 development data: keep this table as
#: the historical result in the docs and pin a development table, as for v2 and v3.
PUBLISHED_V4 = {
    "i_statement": (0.9751, 0.7384),
    "you_criticism": (0.4574, 0.1783),
    "apology": (0.9728, 0.9923),
    "question": (0.9697, 0.9602),
}


def test_v4_held_out_numbers_are_the_published_ones():
    """The current rules on v4 give the published held-out table (docs/cues.md, two decimals)."""
    frame = ev.evaluation_frame(ev.REAL_EVAL_V4)
    out = _scores(frame, "v4 (held out)")
    for cue, (p, r) in PUBLISHED_V4.items():
        assert out.loc[cue, "precision"] == pytest.approx(p, abs=0.0005), cue
        assert out.loc[cue, "recall"] == pytest.approx(r, abs=0.0005), cue
    _assert_docs_table("**Held-out numbers (v4)**", PUBLISHED_V4)


def test_the_report_quotes_the_v4_held_out_numbers():
    """The catalogue (the report's definitions) carries v4's held-out precision and recall."""
    from reconnect_signals.cues._catalogue import CATALOGUE

    for cue, (p, r) in PUBLISHED_V4.items():
        spec = CATALOGUE[f"{cue}_rate"]
        assert (spec.precision, spec.recall) == (round(p, 2), round(r, 2)), cue
