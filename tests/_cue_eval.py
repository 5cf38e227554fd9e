"""Stratum-weighted precision and recall of the lexical cues on a real-message evaluation set.

A set is a folder such as ``tests/data/cues/real_eval/`` (v1) or ``tests/data/cues/real_eval_v2/``
holding message ids and labels only: ``sample.csv`` (``item``, ``split``, ``file``, ``line``,
``stratum`` and, optionally, ``set``), ``labels.csv`` (``item`` and a 0/1 column per cue) and
``strata.csv`` (``stratum``, ``population`` and the number drawn: one ``drawn`` column, or one
``drawn_<set>`` column per value of ``set``). The texts are read from the Ubuntu IRC disentanglement
corpus (Kummerfeld et al. 2019, CC BY 4.0) in ``../shared/data/irc`` through :mod:`tests._shared`,
so the tests skip, naming the path, when the corpus is absent. Every function takes the folder
(``root``), so a new set is evaluated with the same estimator.

Estimator. The sample is stratified (``strata.csv``: population ``N_h`` and the number drawn
``n_h``); every item of stratum ``h`` stands for ``w_h = N_h / n_h`` messages of the corpus. With
all items together, ``n_h`` is the sum of the ``drawn*`` columns; for one ``set`` only, its own
``drawn_<set>``. Precision and recall are ratio estimators over the weighted items:

    precision = sum(w * pred * truth) / sum(w * pred),   recall = sum(w * pred * truth) / sum(w * truth)

95 % intervals: a stratified bootstrap (items resampled with replacement within each stratum,
``n_h`` per stratum, 2,000 replicates, percentile interval). A stratum taken whole (the v1
``crit_insult`` census) is resampled too, which overstates its variance (no finite-population
correction): the intervals are conservative there.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from _shared import shared_path

REAL_EVAL = Path(__file__).parent / "data" / "cues" / "real_eval"
#: Where the held-out set v2 goes (same layout; built and labelled independently of the rules).
REAL_EVAL_V2 = Path(__file__).parent / "data" / "cues" / "real_eval_v2"
#: The held-out set v3 (session 4): drawn after the third round's rules were written, scored once.
REAL_EVAL_V3 = Path(__file__).parent / "data" / "cues" / "real_eval_v3"
#: The held-out set v4 (session 5): drawn after v1-v3 all became development data, scored once.
REAL_EVAL_V4 = Path(__file__).parent / "data" / "cues" / "real_eval_v4"
CUES = ("i_statement", "you_criticism", "apology", "question")
_LINE = re.compile(r"^\[(\d\d):(\d\d)\] <([^>]{1,40})> (.+)$")


def sample(root: Path = REAL_EVAL) -> pd.DataFrame:
    """The drawn items: ``item``, ``split``, ``file``, ``line``, ``stratum`` (and ``set`` if any)."""
    return pd.read_csv(root / "sample.csv", dtype={"item": "str", "line": "int64"})


def strata(root: Path = REAL_EVAL) -> pd.DataFrame:
    return pd.read_csv(root / "strata.csv").set_index("stratum")


def drawn_columns(root: Path = REAL_EVAL) -> list[str]:
    """The ``drawn`` column(s) of ``strata.csv``: ``["drawn"]`` or one ``drawn_<set>`` per set."""
    return [c for c in strata(root).columns if c == "drawn" or c.startswith("drawn_")]


def labels(root: Path = REAL_EVAL) -> pd.DataFrame:
    """The annotators' labels (one row per item; booleans)."""
    df = pd.read_csv(
        root / "labels.csv", dtype={"item": "str", "note": "str", "annotator": "str"}, keep_default_na=False
    )
    for cue in CUES:
        df[cue] = df[cue].astype(bool)
    return df


@cache
def _irc_lines(split: str, name: str) -> tuple[str, ...]:
    path = shared_path("data", "irc", split, name)
    return tuple(path.read_bytes().decode("utf-8", errors="replace").split("\n"))


def texts(items: pd.DataFrame) -> pd.Series:
    """The message text of each item, read from ``../shared/data/irc`` (skips when absent)."""
    shared_path("data", "irc")
    out = []
    for split, name, line in zip(items["split"], items["file"], items["line"], strict=True):
        m = _LINE.match(_irc_lines(split, name)[line])
        if m is None:
            raise ValueError(f"{split}/{name}:{line} is not a message line: the corpus differs from the sample")
        out.append(m.group(4).strip())
    return pd.Series(out, index=items.index, dtype="str")


def evaluation_frame(root: Path = REAL_EVAL, *, which: str | None = None) -> pd.DataFrame:
    """Sample, labels, texts and weights ``N_h / n_h`` joined.

    ``which=None``: every item, ``n_h`` the number drawn into the stratum in all (the v1 development
    numbers, or a set without ``set`` column). ``which="test"`` (say): the items of that ``set``
    only, weighted by its own ``drawn_test``.
    """
    s = sample(root).merge(labels(root), on="item", how="inner", validate="one_to_one")
    st = strata(root)
    if which is None:
        drawn = st[drawn_columns(root)].sum(axis=1)
    else:
        s = s[s["set"] == which].reset_index(drop=True)
        drawn = st[f"drawn_{which}"]
    s["text"] = texts(s)
    s["weight"] = st.loc[s["stratum"], "population"].to_numpy() / drawn.loc[s["stratum"]].to_numpy()
    return s


def second_reading_kappas(root: Path) -> dict[str, float]:
    """Cohen's kappa per cue between ``labels.csv`` and ``labels_overlap.csv`` (the items read twice)."""
    first = labels(root).set_index("item")
    second = pd.read_csv(root / "labels_overlap.csv", dtype={"item": "str"}).set_index("item")
    kappas = {}
    for cue in CUES:
        a, b = first.loc[second.index, cue].astype(bool).to_numpy(), second[cue].astype(bool).to_numpy()
        po = (a == b).mean()
        pe = a.mean() * b.mean() + (1 - a.mean()) * (1 - b.mean())
        kappas[cue] = (po - pe) / (1 - pe)
    return kappas


def _ratio(w: np.ndarray, pred: np.ndarray, truth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted precision and recall along the last axis (NaN when undefined)."""
    tp = (w * (pred & truth)).sum(-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return tp / (w * pred).sum(-1), tp / (w * truth).sum(-1)


def weighted_scores(frame: pd.DataFrame, predicted: pd.DataFrame, *, reps: int = 2000, seed: int = 0) -> pd.DataFrame:
    """Per cue: positives, weighted precision and recall with 95 % stratified-bootstrap intervals."""
    rng = np.random.default_rng(seed)
    w = frame["weight"].to_numpy()
    # one resampling of item positions per replicate, within each stratum
    idx = np.empty((reps, len(frame)), dtype=np.int64)
    col = 0
    for _, pos in frame.groupby("stratum").indices.items():
        idx[:, col : col + len(pos)] = rng.choice(pos, size=(reps, len(pos)), replace=True)
        col += len(pos)
    rows = []
    for cue in CUES:
        truth = frame[cue].to_numpy(bool)
        pred = predicted[cue].to_numpy(bool)
        p, r = _ratio(w, pred, truth)
        bp, br = _ratio(w[idx], pred[idx], truth[idx])
        lo_hi = {}
        for name, boot in (("precision", bp), ("recall", br)):
            boot = boot[~np.isnan(boot)]
            lo_hi[name] = np.percentile(boot, [2.5, 97.5]) if len(boot) else (np.nan, np.nan)
        rows.append(
            {
                "cue": cue,
                "n": len(frame),
                "positives": int(truth.sum()),
                "predicted": int(pred.sum()),
                "tp": int((pred & truth).sum()),
                "precision": p,
                "precision_lo": lo_hi["precision"][0],
                "precision_hi": lo_hi["precision"][1],
                "recall": r,
                "recall_lo": lo_hi["recall"][0],
                "recall_hi": lo_hi["recall"][1],
            }
        )
    return pd.DataFrame(rows).set_index("cue")


def irc_corpus_texts(*splits: str) -> pd.Series:
    """Every message text (``[HH:MM] <nick> text`` lines) of the IRC corpus splits (skips when absent)."""
    root = shared_path("data", "irc")
    out = []
    for split in splits or ("train", "dev", "test"):
        for path in sorted((root / split).glob("*.raw.txt")):
            for line in path.read_bytes().decode("utf-8", errors="replace").split("\n"):
                m = _LINE.match(line)
                if m is not None:
                    out.append(m.group(4))
    return pd.Series(out, dtype="str")
