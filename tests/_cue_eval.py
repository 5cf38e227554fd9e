"""Stratum-weighted precision and recall of the lexical cues on the real-message evaluation set.

The set (``tests/data/cues/real_eval/``) holds message ids and labels only; the texts are read from
the Ubuntu IRC disentanglement corpus (Kummerfeld et al. 2019, CC BY 4.0) in ``../shared/data/irc``
through :mod:`tests._shared`, so the test skips, naming the path, when the corpus is absent.

Estimator. The sample is stratified (``strata.csv``: population ``N_h`` and the number drawn into
each evaluation set ``n_h``); every item of stratum ``h`` stands for ``w_h = N_h / n_h`` messages of
the corpus. Precision and recall are ratio estimators over the weighted items:

    precision = sum(w * pred * truth) / sum(w * pred),   recall = sum(w * pred * truth) / sum(w * truth)

95 % intervals: a stratified bootstrap (items resampled with replacement within each stratum,
``n_h`` per stratum, 2,000 replicates, percentile interval). A stratum taken whole (the
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
CUES = ("i_statement", "you_criticism", "apology", "question")
_LINE = re.compile(r"^\[(\d\d):(\d\d)\] <([^>]{1,40})> (.+)$")


def sample() -> pd.DataFrame:
    """The drawn items: ``item``, ``split``, ``file``, ``line``, ``stratum``, ``set``."""
    return pd.read_csv(REAL_EVAL / "sample.csv", dtype={"item": "str", "line": "int64"})


def strata() -> pd.DataFrame:
    return pd.read_csv(REAL_EVAL / "strata.csv").set_index("stratum")


def labels() -> pd.DataFrame:
    """The annotators' labels (one row per item; booleans)."""
    df = pd.read_csv(REAL_EVAL / "labels.csv", dtype={"item": "str", "note": "str", "annotator": "str"},
                     keep_default_na=False)
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


def evaluation_frame() -> pd.DataFrame:
    """Sample, labels, texts and weights joined (``set``-specific weights ``N_h / n_h``)."""
    s = sample().merge(labels(), on="item", how="inner", validate="one_to_one")
    s["text"] = texts(s)
    st = strata()
    drawn = np.where(s["set"] == "test", st.loc[s["stratum"], "drawn_test"], st.loc[s["stratum"], "drawn_dev"])
    s["weight"] = st.loc[s["stratum"], "population"].to_numpy() / drawn
    return s


def _ratio(w: np.ndarray, pred: np.ndarray, truth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted precision and recall along the last axis (NaN when undefined)."""
    tp = (w * (pred & truth)).sum(-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return tp / (w * pred).sum(-1), tp / (w * truth).sum(-1)


def weighted_scores(frame: pd.DataFrame, predicted: pd.DataFrame, *, reps: int = 2000,
                    seed: int = 0) -> pd.DataFrame:
    """Per cue: positives, weighted precision and recall with 95 % stratified-bootstrap intervals."""
    rng = np.random.default_rng(seed)
    w = frame["weight"].to_numpy()
    # one resampling of item positions per replicate, within each stratum
    idx = np.empty((reps, len(frame)), dtype=np.int64)
    col = 0
    for _, pos in frame.groupby("stratum").indices.items():
        idx[:, col:col + len(pos)] = rng.choice(pos, size=(reps, len(pos)), replace=True)
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
        rows.append({
            "cue": cue, "n": len(frame), "positives": int(truth.sum()), "predicted": int(pred.sum()),
            "tp": int((pred & truth).sum()),
            "precision": p, "precision_lo": lo_hi["precision"][0], "precision_hi": lo_hi["precision"][1],
            "recall": r, "recall_lo": lo_hi["recall"][0], "recall_hi": lo_hi["recall"][1],
        })
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
