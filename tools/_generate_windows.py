"""Generate ``example_windows.csv``: a clearly synthetic labelled window dataset.

``python tools/_generate_windows.py`` (from a source checkout) rewrites
``reconnect_signals/datasets/example_windows.csv``;
the output depends only on the seed. Nothing here comes from a real chat: 16 invented pairs
(``synthetic-01`` ... ``synthetic-16``, senders ``A`` and ``B``), 12 monthly windows of 2025.
For each (sender, month) the generator first draws a label, ``"warm"`` or ``"cool"`` (a
two-state Markov chain per sender, so labels persist for a few months), then samples the
cue-table columns from overlapping distributions that depend on the label:

==================== ===================== ===================== ============
column               warm                  cool                  signal
==================== ===================== ===================== ============
messages             Poisson(140)          Poisson(80)           yes
words_per_message    N(6, 1.5)             N(6, 1.5)             none
i_rate               N(5, 1.2)             N(5, 1.2)             none
we_rate              N(3.0, 1.0)           N(2.2, 1.0)           yes
you_rate             N(4.5, 1.2)           N(4.5, 1.2)           none
i_statement_rate     N(.04, .015)          N(.04, .015)          none
you_criticism_rate   N(.004, .004)         N(.010, .006)         yes
question_rate        N(.21, .05)           N(.16, .05)           yes
apology_rate         N(.02, .01)           N(.02, .01)           none
laughter_rate        N(.17, .06)           N(.13, .06)           yes
emoji_per_message    N(.4, .15)            N(.4, .15)            none
sentiment_mean       N(.20, .09)           N(.12, .09)           yes
latency_median_s     lognormal(240 s, .9)  lognormal(900 s, .9)  yes (3 % NaN)
reply_rate           N(.82, .08)           N(.68, .10)           yes
initiation_share     N(.5, .15)            N(.5, .15)            none
double_text_rate     N(.05, .03)           N(.08, .04)           yes
==================== ===================== ===================== ============

Rates are clipped to their ranges and rounded to four decimals. Licence: CC0 1.0.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from reconnect_signals.table import AGGREGATE_COLUMNS

__all__: list[str] = []

SEED = 20251126
PAIRS = 16
MONTHS = 12
OUT = Path(__file__).resolve().parents[1] / "reconnect_signals" / "datasets" / "example_windows.csv"

# column: (warm mean, warm sd, cool mean, cool sd, low, high)
_NORMAL = {
    "words_per_message": (6.0, 1.5, 6.0, 1.5, 1.0, None),
    "i_rate": (5.0, 1.2, 5.0, 1.2, 0.0, 100.0),
    "we_rate": (3.0, 1.0, 2.2, 1.0, 0.0, 100.0),
    "you_rate": (4.5, 1.2, 4.5, 1.2, 0.0, 100.0),
    "i_statement_rate": (0.04, 0.015, 0.04, 0.015, 0.0, 1.0),
    "you_criticism_rate": (0.004, 0.004, 0.010, 0.006, 0.0, 1.0),
    "question_rate": (0.21, 0.05, 0.16, 0.05, 0.0, 1.0),
    "apology_rate": (0.02, 0.01, 0.02, 0.01, 0.0, 1.0),
    "laughter_rate": (0.17, 0.06, 0.13, 0.06, 0.0, 1.0),
    "emoji_per_message": (0.4, 0.15, 0.4, 0.15, 0.0, None),
    "sentiment_mean": (0.20, 0.09, 0.12, 0.09, -1.0, 1.0),
    "reply_rate": (0.82, 0.08, 0.68, 0.10, 0.0, 1.0),
    "initiation_share": (0.5, 0.15, 0.5, 0.15, 0.0, 1.0),
    "double_text_rate": (0.05, 0.03, 0.08, 0.04, 0.0, 1.0),
}
COLUMNS = (
    "conversation_id",
    "sender",
    "window",
    *AGGREGATE_COLUMNS[: AGGREGATE_COLUMNS.index("double_text_rate") + 1],
    "label",
)


def generate(seed: int = SEED) -> pd.DataFrame:
    """The synthetic window table (what the CSV holds, ``window`` as ISO text)."""
    rng = np.random.default_rng(seed)
    n_series = PAIRS * 2
    warm = np.empty((n_series, MONTHS), dtype=bool)
    warm[:, 0] = rng.random(n_series) < 0.55
    for k in range(1, MONTHS):
        stay = rng.random(n_series) < 0.75
        warm[:, k] = np.where(stay, warm[:, k - 1], ~warm[:, k - 1])
    w = warm.ravel()
    n = len(w)
    conv = np.repeat([f"synthetic-{i + 1:02d}" for i in range(PAIRS)], 2 * MONTHS)
    sender = np.tile(np.repeat(["A", "B"], MONTHS), PAIRS)
    months = pd.date_range("2025-01-01", periods=MONTHS, freq="MS", tz="UTC")
    window = np.tile(months.strftime("%Y-%m-%dT%H:%M:%SZ").to_numpy(), n_series)
    out: dict[str, np.ndarray] = {"conversation_id": conv, "sender": sender, "window": window}
    out["messages"] = rng.poisson(np.where(w, 140, 80)).astype("int64")
    for col, (wm, ws, cm, cs, lo, hi) in _NORMAL.items():
        v = rng.normal(np.where(w, wm, cm), np.where(w, ws, cs))
        out[col] = np.clip(v, lo, hi).round(4)
    latency = np.exp(rng.normal(np.log(np.where(w, 240.0, 900.0)), 0.9)).round(0)
    latency[rng.random(n) < 0.03] = np.nan
    out["latency_median_s"] = latency
    out["words"] = np.round(out["messages"] * out["words_per_message"]).astype("int64")
    out["label"] = np.where(w, "warm", "cool")
    return pd.DataFrame(out)[list(COLUMNS)]


def main() -> int:
    frame = generate()
    frame.to_csv(OUT, index=False, lineterminator="\n")
    sys.stdout.write(f"wrote {OUT} ({len(frame)} rows, {OUT.stat().st_size} bytes)\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
