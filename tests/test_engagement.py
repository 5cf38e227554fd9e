"""Engagement models: targets and censoring, no look-ahead in the features, honest evaluation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

import reconnect_signals as rs
from reconnect_signals.engagement import ENGAGEMENT_FEATURES, SIMPLE_RULES, TARGETS

from _shared import shared_path


def _vals(series):
    return [None if pd.isna(v) else bool(v) for v in series]


def _chat(rows, tz="UTC"):
    ts, sender, text = zip(*rows, strict=True)
    return rs.coerce(pd.DataFrame({"timestamp": list(ts), "sender": list(sender), "text": list(text)}), tz=tz)


@pytest.fixture(scope="module")
def example():
    return rs.load_example()


# --- targets ---------------------------------------------------------------------------------------


def test_targets_and_censoring_by_hand():
    msgs = _chat(
        [
            ("2024-03-01 09:00", "A", "up?"),  # B answers 5 min later
            ("2024-03-01 09:05", "B", "yes"),  # A answers 2 h later: not within 1 h
            ("2024-03-01 11:05", "A", "sorry, lunch?"),  # B 10 min later
            ("2024-03-01 11:15", "B", "sure"),  # no answer; session ends (next msg 2 days later)
            ("2024-03-03 10:00", "A", "hi again"),  # B 1 min later, A 30 min after that,
            ("2024-03-03 10:01", "B", "hey"),  # but the export ends before the hour is over:
            ("2024-03-03 10:31", "A", "?"),  # all three censored, answered or not
        ]
    )
    y = rs.engagement_targets(msgs, within="1h", turns=2)
    assert _vals(y["replied_within"]) == [True, False, True, False, None, None, None]
    known = y["replied_within_known_at"]
    assert known[0] == pd.Timestamp("2024-03-01 09:05", tz="UTC")  # when the answer came
    assert known[1] == pd.Timestamp("2024-03-01 10:05", tz="UTC")  # when the hour ran out
    assert pd.isna(known[6])
    # sessions (6 h gap): [0, 1, 2, 3] and [4, 5, 6]; turns 0..3 and 4..6; the last session may
    # go on after the export, so all of it is censored (also the "yes" of message 4: keeping it
    # while its "no"s are unknown would select on the outcome)
    assert _vals(y["exchange_continues"]) == [True, True, False, False, None, None, None]
    assert y["exchange_continues_known_at"][3] == pd.Timestamp("2024-03-01 17:15", tz="UTC")  # last + gap
    # A opens the second session; nothing follows the second
    assert _vals(y["opens_next_session"]) == [True, False, True, False, None, None, None]
    assert y["opens_next_session_known_at"][1] == pd.Timestamp("2024-03-03 10:00", tz="UTC")
    assert y["replied_within"].dtype == "boolean"
    # a 1-day quiet threshold censors who opens after the 2-day silence
    q = rs.engagement_targets(msgs, quiet="1D")
    assert q["opens_next_session"].isna().all()
    # a longer answer window: B's "yes" now got its answer, "sure" is still unanswered after 3 h
    y3 = rs.engagement_targets(msgs, within="3h")
    assert _vals(y3["replied_within"])[:4] == [True, True, True, False]


def test_non_person_rows_get_no_target_and_input_is_untouched(example):
    before = example.copy()
    y = rs.engagement_targets(example)
    pd.testing.assert_frame_equal(example, before)
    assert y.index.equals(example.index)
    system = example["kind"].eq("system").to_numpy()
    assert y.loc[system, list(TARGETS)].isna().all().all()


def test_group_chat_counts_only_addressed_answers():
    msgs = _chat(
        [
            ("2024-01-01 10:00", "ann", "anyone know grub?"),
            ("2024-01-01 10:01", "bob", "hi all"),
            ("2024-01-01 10:02", "cid", "bob: hello"),  # answers bob, not ann
            ("2024-01-01 10:03", "dan", "ann, try grub-install"),  # answers ann
            ("2024-01-01 12:30", "bob", "@cid: thanks"),
            ("2024-01-01 12:31", "eve", "later"),
        ]
    )
    y = rs.engagement_targets(msgs, within="1h")
    # cid is answered by name only 2.5 h later; nobody names dan
    assert _vals(y["replied_within"])[:4] == [True, True, False, False]
    # auto: ann and bob wrote while at most two people had written, so any answer counts;
    # addressed only: dan's "ann, ..." answers ann
    assert rs.engagement_targets(msgs, reply="addressed")["replied_within"][0]
    anyone = _vals(rs.engagement_targets(msgs, reply="any")["replied_within"])
    assert anyone[:4] == [True, True, True, False]  # dan: the next message comes 2.5 h later
    X = rs.engagement_features(msgs)
    assert X["addresses_someone"].tolist() == [0, 0, 1, 1, 1, 0]


def test_argument_errors(example):
    with pytest.raises(ValueError, match="within must be a duration"):
        rs.engagement_targets(example, within="soon")
    with pytest.raises(ValueError, match="turns must be a positive integer"):
        rs.engagement_targets(example, turns=0)
    with pytest.raises(ValueError, match="reply must be"):
        rs.engagement_targets(example, reply="maybe")
    with pytest.raises(ValueError, match="target must be one of"):
        rs.evaluate_engagement(example, target="love")
    with pytest.raises(ValueError, match="me='Kim' wrote no message"):
        rs.engagement_model(example, me="Kim")
    with pytest.raises(rs.SchemaError):
        rs.engagement_features(example.drop(columns="sender"))


# --- no look-ahead -----------------------------------------------------------------------------------


def _assert_no_lookahead(msgs, cuts, rng):
    msgs = msgs.sort_values("timestamp", kind="stable")
    full = rs.engagement_features(msgs)
    for cut in cuts:
        # 1. the chat cut just after message `cut`: earlier rows' features are unchanged
        part = rs.engagement_features(msgs.iloc[:cut])
        pd.testing.assert_frame_equal(part, full.iloc[:cut], check_exact=False, rtol=1e-12, atol=1e-12)
        # 2. the future rewritten: other senders, texts and times after the cut
        future = msgs.iloc[cut:]
        t0 = msgs["timestamp"].iloc[cut - 1]
        jitter = pd.to_timedelta(np.sort(rng.integers(0, 7 * 86400, len(future))), unit="s")
        perm = rng.permutation(len(future))  # senders move with their kinds (system rows have none)
        altered = future.assign(
            sender=future["sender"].to_numpy()[perm],
            kind=pd.Categorical(future["kind"].iloc[perm], dtype=future["kind"].dtype),
            text=rng.permutation(future["text"].to_numpy()),
            timestamp=(t0 + jitter).astype(future["timestamp"].dtype),
        )
        changed = rs.engagement_features(pd.concat([msgs.iloc[:cut], altered]))
        pd.testing.assert_frame_equal(changed.iloc[:cut], full.iloc[:cut], check_exact=False, rtol=1e-12, atol=1e-12)


def test_features_use_no_future_two_person_chat(example):
    rng = np.random.default_rng(1)
    n = len(example)
    _assert_no_lookahead(example, [2, 50, n // 3, n // 2 + 7, n - 5], rng)


def test_features_use_no_future_group_chat():
    # a busy IRC-like channel with addressing, same-minute messages and people joining late
    rng = np.random.default_rng(7)
    n = 600
    nicks = np.array([f"nick{i}" for i in range(9)])
    who = nicks[np.minimum(rng.geometric(0.25, n) - 1, 8)]
    t = pd.Timestamp("2024-01-01", tz="UTC") + pd.to_timedelta(np.cumsum(rng.integers(0, 120, n)), unit="s")
    t = t.floor("min")  # minute resolution: many ties
    target = nicks[rng.integers(0, 9, n)]
    text = np.where(rng.random(n) < 0.5, np.char.add(target.astype(str), ": ok?"), "hmm maybe")
    msgs = _chat(zip(t.astype(str), who, text, strict=True))
    _assert_no_lookahead(msgs, [3, 100, 301, 598], rng)


def test_features_columns_and_history(example):
    X = rs.engagement_features(example)
    assert list(X.columns) == list(ENGAGEMENT_FEATURES)
    assert X.index.equals(example.index)
    assert (X.dtypes == "float64").all()
    person = ~example["kind"].isin(["system", "reaction"]).to_numpy()
    assert X[~person].isna().all().all()
    # shares and rates are in [0, 1]
    for col in ("own_share_recent", "initiation_share", "prior_replied_rate", "prior_opens_rate"):
        v = X[col].dropna()
        assert v.between(0, 1).all() and len(v) > 0.9 * person.sum()
    # the counterpart's median reply time is the rolling median of their last 20 replies
    per = rs.cue_table(example)
    sam = per[(per["sender"] == "Sam") & per["is_reply"]]
    i = example.index[(example["sender"] == "Alex").to_numpy()][500]
    past = sam.loc[sam.index < i, "latency_s"].tail(20)
    assert X.loc[i, "their_latency_median_s"] == pytest.approx(past.median())


# --- evaluation --------------------------------------------------------------------------------------


def test_time_splits_train_only_on_outcomes_known_before_the_test_block():
    from reconnect_signals.engagement import _time_splits

    rng = np.random.default_rng(0)
    t = np.sort(rng.uniform(0, 1e6, 500))
    known = t + rng.exponential(5e4, 500)
    splits = _time_splits(t, known, 4)
    assert len(splits) == 4
    for train, test in splits:
        assert train.max() < test.min()
        assert (known[train] < t[test[0]]).all()
    tests = np.concatenate([te for _, te in splits])
    assert len(np.unique(tests)) == len(tests) == 500 - 100


def test_weighted_auc_matches_sklearn_with_ties():
    from reconnect_signals.engagement import _weighted_auc

    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 400)
    s = np.round(rng.normal(size=400) + y, 1)  # many ties
    assert _weighted_auc(y, s, np.ones((1, 400)))[0] == pytest.approx(roc_auc_score(y, s))
    w = rng.integers(0, 3, 400).astype(float)
    assert _weighted_auc(y, s, w[None, :])[0] == pytest.approx(roc_auc_score(y, s, sample_weight=w))


def _signal_chat(n=1500, seed=5):
    """Two people; questions get a fast answer, other messages usually none for hours."""
    rng = np.random.default_rng(seed)
    rows, t = [], pd.Timestamp("2024-01-01 08:00", tz="UTC")
    who = "A"
    for _i in range(n):
        q = rng.random() < 0.4
        text = "is it fine?" if q else "it is fine"  # only the question mark differs
        rows.append((t, who, text))
        answered = rng.random() < (0.9 if q else 0.15)
        t = t + pd.Timedelta(minutes=int(rng.integers(1, 20)) if answered else int(rng.integers(90, 600)))
        who = ("B" if who == "A" else "A") if answered else who
    return _chat(rows)


@pytest.mark.slow
def test_model_beats_the_rules_when_there_is_signal_and_says_so():
    r = rs.evaluate_engagement(_signal_chat(), target="replied_within", n_bootstrap=100)
    s = r.scores.set_index("predictor")
    assert r.cv == "time" and r.folds == 5
    assert s.loc["model", "auc"] > 0.8 > s.loc[r.best_rule, "auc"]
    assert s.loc["model", "brier"] < s.loc["base rate", "brier"]
    assert "beats the best simple rule" in r.verdict and "NOT" not in r.verdict
    assert r.comparison["auc_diff_ci"][0] > 0
    top = r.associations.iloc[0]
    assert top["feature"] == "question" and top["ci_low"] > 0 and top["direction"] == "+"
    assert "association, not cause" in top["sentence"]
    # the reliability table follows the outcome
    cal = r.calibration[r.calibration["predictor"] == "model"]
    ece = (cal["messages"] * (cal["predicted"] - cal["observed"]).abs()).sum() / cal["messages"].sum()
    assert ece < 0.08 and cal["messages"].sum() == len(r.predictions)
    assert set(r.predictions.columns) == {"model", "rule", "label", "fold"}
    assert "beats" in str(r)


@pytest.mark.slow
def test_example_chat_model_does_not_beat_the_rule_and_says_so(example):
    r = rs.evaluate_engagement(example, target="replied_within", n_bootstrap=100)
    text = str(r)
    assert "base rate 0.710" in text and "5 time-ordered folds" in text
    assert set(r.scores["predictor"]) == {"model", "base rate", *SIMPLE_RULES["replied_within"]}
    assert "does NOT beat the best simple rule" in r.verdict
    assert "The best simple rule is weak too" in text
    assert r.scores["messages"].nunique() == 1


def test_me_restricts_the_rows(example):
    r = rs.evaluate_engagement(example, target="replied_within", me="Alex", associations=False, n_bootstrap=20)
    alex = example.loc[r.predictions.index, "sender"]
    assert (alex == "Alex").all()
    assert r.n_messages < 1600


def test_one_class_target_is_reported_not_fitted():
    msgs = _chat([(f"2024-01-01 10:{i:02d}", "AB"[i % 2], "hi") for i in range(40)])
    r = rs.evaluate_engagement(msgs, target="replied_within")
    assert r.verdict.startswith("Nothing to learn") and r.model is None
    with pytest.raises(ValueError, match="only one class"):
        rs.engagement_model(msgs)


def test_corpus_grouped_by_conversation():
    parts = [_signal_chat(300, seed=s).assign(conversation_id=f"c{s}") for s in range(6)]
    corpus = pd.concat(parts, ignore_index=True)
    r = rs.evaluate_engagement(corpus, target="replied_within", n_bootstrap=50, associations=False)
    assert r.cv == "conversation"
    conv = corpus.loc[r.predictions.index, "conversation_id"]
    assert conv.groupby(r.predictions["fold"]).nunique().sum() == 6  # each conversation in one fold
    assert conv.groupby(conv).apply(lambda c: r.predictions.loc[c.index, "fold"].nunique()).eq(1).all()
    assert r.scores.set_index("predictor").loc["model", "auc"] > 0.75


def test_engagement_model_predicts_probabilities(example):
    model = rs.engagement_model(example, target="opens_next_session")
    p = model.predict_proba(rs.engagement_features(example).dropna(subset=["gap_s"]))[:, 1]
    assert ((p > 0) & (p < 1)).all()


@pytest.mark.slow
def test_irc_corpus_end_to_end():
    folder = shared_path("data", "irc", "dev")
    files = sorted(folder.glob("*.raw.txt"))[:4]
    corpus = pd.concat([rs.read_chat(p, format="irc", errors="ignore") for p in files], ignore_index=True)
    r = rs.evaluate_engagement(corpus, target="replied_within", n_bootstrap=50, associations=False)
    assert r.cv == "conversation" and r.folds == 4
    assert 0.05 < r.base_rate < 0.95
    assert {"model", "base rate"} <= set(r.scores["predictor"])
    assert "best simple rule" in r.verdict


def test_edge_cases_empty_single_and_untimed_rows(example):
    from reconnect_signals.schema import empty_frame

    empty = empty_frame()
    assert rs.engagement_targets(empty).shape == (0, 6)
    assert rs.engagement_features(empty).shape == (0, len(ENGAGEMENT_FEATURES))
    assert rs.evaluate_engagement(empty).verdict.startswith("Nothing to learn: 0 messages")
    one = rs.coerce(pd.DataFrame({"timestamp": ["2024-01-01 10:00"], "sender": ["A"], "text": [None]}))
    assert rs.engagement_targets(one)[list(TARGETS)].isna().all().all()
    assert "Nothing to learn" in str(rs.evaluate_engagement(one))
    # a row without a time is not a person message: no target, no features; the others are unaffected
    part = example.head(60)
    untimed = part.assign(timestamp=part["timestamp"].mask(part.index == 5))
    y, y0 = rs.engagement_targets(untimed), rs.engagement_targets(part.drop(index=5))
    assert y.loc[5, list(TARGETS)].isna().all()
    pd.testing.assert_frame_equal(y.drop(index=5), y0)
    X, X0 = rs.engagement_features(untimed), rs.engagement_features(part.drop(index=5))
    assert X.loc[5].isna().all()
    pd.testing.assert_frame_equal(X.drop(index=5), X0)


@pytest.mark.slow
def test_associations_do_not_depend_on_how_the_shuffles_are_batched(monkeypatch):
    """``_associations`` predicts many shuffled copies of a fold in one call (issue 15, speed): one
    unit per call (the former loop) and several units per call give the very same associations."""
    from reconnect_signals import engagement

    chat = _signal_chat(300)
    batched = rs.evaluate_engagement(chat, target="replied_within", n_splits=2, n_bootstrap=5)
    monkeypatch.setattr(engagement, "_BATCH_ROWS", 1)  # one unit per predict_proba call
    one_by_one = rs.evaluate_engagement(chat, target="replied_within", n_splits=2, n_bootstrap=5)
    assert len(batched.associations) > 10 and batched.associations["auc_drop"].nunique() > 5
    pd.testing.assert_frame_equal(batched.associations, one_by_one.associations, check_exact=True)
