"""Train the shipped session-start model on the Ubuntu IRC disentanglement data.

Reproducible: ``python tools/_train_session_model.py [TRAIN_DIR]`` from a source checkout, where
``TRAIN_DIR`` holds the corpus's ``*.raw.txt`` / ``*.annotation.txt`` train files
(Kummerfeld et al. 2019, ACL; data CC BY 4.0; https://github.com/jkkummerfeld/irc-disentanglement,
folder ``data/train``). The dev split (threshold choice) and the test split (the reported
numbers) default to ``../shared/data/irc/{dev,test}`` beside a source checkout (or
``$RECONNECT_SIGNALS_SHARED/data/irc``); the corpus is not copied into the repository. Pass
``--dev`` and ``--test`` otherwise. The script writes ``reconnect_signals/datasets/session_model.skops`` (or to
``--out``) and prints the test-split comparison with fixed-gap rules.

Task: for every annotated person message (lines from 1,000 on, as in the corpus), does it
**start a new gold conversation** (it is the first message of its connected component of
reply links) or continue one? Features: :func:`reconnect_signals.ml.session_features`.
Model: standardisation and a logistic regression; the decision threshold that maximises
the F1 of the "starts new" class on dev is folded into the intercept, so ``predict`` uses it.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd

__all__: list[str] = []

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
SHARED_IRC = Path(os.environ.get("RECONNECT_SIGNALS_SHARED", HERE.parents[1] / "shared")) / "data" / "irc"
FIXED_GAPS = {"fixed gap 30 min": 1800.0, "fixed gap 2 h": 7200.0, "fixed gap 6 h": 21600.0}


def labelled_messages(folder: str | Path) -> pd.DataFrame:
    """Every annotated person message of a split with its features, label and gap.

    Columns: ``file``, ``source_line``, ``gap_s`` (seconds since the previous person
    message, NaN for the first), the :data:`~reconnect_signals.ml.SESSION_FEATURES` and
    ``starts_new`` (bool).
    """
    import reconnect_signals as rs
    from reconnect_signals.io.irc import read_irc_annotations
    from reconnect_signals.ml import SESSION_FEATURES, session_features

    parts = []
    annotations = sorted(Path(folder).glob("*.annotation.txt"))
    if not annotations:
        raise FileNotFoundError(
            f"no *.annotation.txt files in {folder}; pass the corpus folder that holds the "
            "*.raw.txt and *.annotation.txt files of one split (e.g. data/train)"
        )
    for ann in annotations:
        raw = ann.with_name(ann.name.replace(".annotation.", ".raw."))
        msgs = rs.read_chat(raw, format="irc")
        feats = session_features(msgs)
        gold = read_irc_annotations(ann)
        part = pd.concat([msgs[["source_line"]], feats], axis=1)
        part["gap_s"] = _gap_to_previous(msgs)
        part = part.merge(gold, on="source_line", how="inner", validate="1:1")
        keep = (part["source_line"] >= 1000) & part[SESSION_FEATURES[0]].notna()
        part = part[keep.to_numpy()]
        part = part.assign(
            file=ann.name.replace(".annotation.txt", ""),
            starts_new=(part["gold_conversation"] == part["source_line"]).to_numpy(),
        )
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    return out[["file", "source_line", "gap_s", *SESSION_FEATURES, "starts_new"]]


def _gap_to_previous(msgs: pd.DataFrame) -> np.ndarray:
    """Seconds since the previous person message (the quantity a fixed-gap rule thresholds)."""
    from reconnect_signals._session_model import _person_order

    p, conv, t = _person_order(msgs)
    gap = np.full(len(msgs), np.nan)
    d = np.full(len(p), np.nan)
    if len(p) > 1:
        d[1:] = np.where(conv[1:] == conv[:-1], t[1:] - t[:-1], np.nan)
    gap[p] = d
    return gap


def scores(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    """Accuracy, precision, recall and F1 of the "starts new" class."""
    from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score

    return {
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "precision": float(precision_score(y_true, y_pred, zero_division=0)),
        "recall": float(recall_score(y_true, y_pred, zero_division=0)),
        "f1": float(f1_score(y_true, y_pred, zero_division=0)),
    }


def comparison(model, data: pd.DataFrame, *, tuned_gap_s: float | None = None) -> pd.DataFrame:
    """The evaluation table: the model against fixed-gap rules on one split."""
    from reconnect_signals.ml import SESSION_FEATURES

    y = data["starts_new"].to_numpy()
    rows = {"session model": scores(y, model.predict(data[list(SESSION_FEATURES)]))}
    gaps = dict(FIXED_GAPS)
    if tuned_gap_s is not None:
        gaps[f"fixed gap {tuned_gap_s / 60:g} min (best on dev)"] = tuned_gap_s
    for name, seconds in gaps.items():
        rows[name] = scores(y, data["gap_s"].to_numpy() > seconds)
    table = pd.DataFrame(rows).T
    table.index.name = "rule"
    return table


def train(train_dir: str | Path, dev_dir: str | Path, *, C: float = 1.0):
    """Fit on train, fold the dev-optimal threshold into the intercept; return (model, threshold)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    from reconnect_signals.ml import SESSION_FEATURES

    cols = list(SESSION_FEATURES)
    tr = labelled_messages(train_dir)
    dev = labelled_messages(dev_dir)
    model = Pipeline([("scale", StandardScaler()), ("logreg", LogisticRegression(C=C, max_iter=2000))])
    model.fit(tr[cols], tr["starts_new"].to_numpy())
    proba = model.predict_proba(dev[cols])[:, 1]
    grid = np.round(np.arange(0.10, 0.71, 0.01), 2)
    f1s = [f1_score(dev["starts_new"], proba >= th) for th in grid]
    threshold = float(grid[int(np.argmax(f1s))])
    # predict() compares the decision function with 0: shift it by logit(threshold)
    model.named_steps["logreg"].intercept_ = model.named_steps["logreg"].intercept_ - np.log(
        threshold / (1 - threshold)
    )
    return model, threshold, tr, dev


def best_gap_on_dev(dev: pd.DataFrame) -> float:
    """The fixed gap (whole minutes, 1 min to 6 h) with the best dev F1, for an honest baseline."""
    from sklearn.metrics import f1_score

    cands = np.arange(1, 361) * 60.0
    y = dev["starts_new"].to_numpy()
    gap = dev["gap_s"].to_numpy()
    f1s = [f1_score(y, gap > c, zero_division=0) for c in cands]
    return float(cands[int(np.argmax(f1s))])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "train",
        nargs="?",
        default=str(SHARED_IRC / "train"),
        help="folder with the IRC train split (*.raw.txt, *.annotation.txt); default ../shared/data/irc/train",
    )
    parser.add_argument("--dev", default=str(SHARED_IRC / "dev"))
    parser.add_argument("--test", default=str(SHARED_IRC / "test"))
    parser.add_argument("--out", default=str(HERE.parent / "reconnect_signals" / "datasets" / "session_model.skops"))
    args = parser.parse_args(argv)

    from reconnect_signals.ml import SESSION_FEATURES, load_session_model, save_model

    model, threshold, tr, dev = train(args.train, args.dev)
    save_model(model, args.out)
    model = load_session_model(args.out)
    test = labelled_messages(args.test)
    tuned = best_gap_on_dev(dev)
    coefs = pd.Series(model.named_steps["logreg"].coef_[0], index=list(SESSION_FEATURES))
    out = sys.stdout
    out.write(
        f"train: {len(tr)} messages ({tr['starts_new'].mean():.1%} start a conversation), "
        f"dev: {len(dev)}, test: {len(test)} ({test['starts_new'].mean():.1%})\n"
        f"threshold (dev F1-optimal): {threshold:.2f}; best fixed gap on dev: {tuned / 60:g} min\n\n"
    )
    out.write("test split, 'starts a new conversation' class:\n")
    out.write(comparison(model, test, tuned_gap_s=tuned).round(3).to_string() + "\n\n")
    out.write("standardised coefficients (log-odds per SD):\n")
    out.write(coefs.sort_values().round(2).to_string() + "\n")
    out.write(f"\nwrote {args.out} ({Path(args.out).stat().st_size} bytes)\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
