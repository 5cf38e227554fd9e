"""The session-start model against untrained rules on the Ubuntu IRC test split.

``python benchmarks/session_baselines.py [IRC_DATA_DIR]`` (default ``../shared/data/irc``: the
Ubuntu IRC disentanglement corpus, Kummerfeld et al. 2019, ACL; CC BY 4.0, with ``dev`` and
``test`` folders). Task as in ``tools/_train_session_model.py``: does an
annotated message start a new gold conversation?

Rules (no model is fitted; each rule's one threshold is the whole minute from 1 to 360 with the
best "starts" F1 on the dev split, the test split gives the reported numbers):

- ``fixed gap``: a start when the channel was silent for more than the threshold;
- ``per-sender silence``: a start when the *sender* has not written for more than the threshold
  (or never wrote before);
- ``no addressee``: a start when the message names no one who wrote in the last hour and no one
  named the sender in the last hour;
- ``per-sender silence + no addressee``: both.

All use the features of :func:`reconnect_signals.ml.session_features` only, so each rule is a
one-line function of the same inputs the model sees.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
MINUTES = np.arange(1, 361) * 60.0


def _sender_gap(d: pd.DataFrame) -> np.ndarray:
    return np.expm1(d["log_gap_sender"].to_numpy())


def _no_addressee(d: pd.DataFrame) -> np.ndarray:
    return (d["mentions_recent_nick"].to_numpy() == 0) & (d["was_addressed"].to_numpy() == 0)


#: rule name -> (score(data, threshold_seconds) -> bool array, uses a threshold)
RULES = {
    "fixed gap": (lambda d, s: d["gap_s"].to_numpy() > s, True),
    "per-sender silence": (lambda d, s: (_sender_gap(d) > s) | (d["sender_new"].to_numpy() == 1), True),
    "no addressee": (lambda d, s: _no_addressee(d), False),
    "per-sender silence + no addressee": (
        lambda d, s: ((_sender_gap(d) > s) | (d["sender_new"].to_numpy() == 1)) & _no_addressee(d),
        True,
    ),
}


def _best_threshold(rule, dev: pd.DataFrame) -> float:
    from sklearn.metrics import f1_score

    y = dev["starts_new"].to_numpy()
    f1s = [f1_score(y, rule(dev, s), zero_division=0) for s in MINUTES]
    return float(MINUTES[int(np.argmax(f1s))])


def run(irc: str | os.PathLike, out=sys.stdout) -> pd.DataFrame:
    """Print and return the test-split table (rows: rules and the model)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo root, for tools/
    from reconnect_signals.ml import SESSION_FEATURES, load_session_model

    from tools._train_session_model import labelled_messages, scores

    irc = Path(irc)
    dev, test = labelled_messages(irc / "dev"), labelled_messages(irc / "test")
    y = test["starts_new"].to_numpy()
    rows = {"session model (trained)": scores(y, load_session_model().predict(test[list(SESSION_FEATURES)]))}
    for seconds in (1800.0, 7200.0, 21600.0):
        rows[f"fixed gap {seconds / 60:g} min"] = scores(y, test["gap_s"].to_numpy() > seconds)
    for name, (rule, tuned) in RULES.items():
        if tuned:
            s = _best_threshold(rule, dev)
            rows[f"{name} > {s / 60:g} min (best on dev)"] = scores(y, rule(test, s))
        else:
            rows[name] = scores(y, rule(test, 0.0))
    table = pd.DataFrame(rows).T
    table.index.name = "rule"
    out.write(
        f"Ubuntu IRC test split: {len(test)} messages, {int(y.sum())} start a conversation; "
        f"dev: {len(dev)}\n{table.round(3).to_string()}\n"
    )
    return table


if __name__ == "__main__":  # pragma: no cover
    run(sys.argv[1] if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "irc")
