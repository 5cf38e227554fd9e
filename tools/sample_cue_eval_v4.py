"""Draw the held-out real-message cue evaluation set v4 from the Ubuntu IRC corpus (issue #14).

Dev tool (not shipped). v1, v2 and v3 (``tests/data/cues/real_eval{,_v2,_v3}/``) have all been read
while the rules were tuned, so they are development data; v4 is drawn from messages in none of them
(not the same line, not the same text) with v3's strata and nets (``tools/sample_cue_eval_v3.py``),
labelled by annotators who never see the code, and scored once with the rules frozen before its
labels are read.

What changes from v3 is the sizes: v3's weighted ``you_criticism`` recall rested on one message of the
``question`` stratum (weight 456), so v4 draws 3x more from ``question`` and ~2x more from ``rest`` and
``i_statement`` (weights ~150, ~370, ~60), 1,800 items in four batches of 450. Seed 20261203.

Run: ``python tools/sample_cue_eval_v4.py [--shared ../shared] [--batches DIR --batch-size 450]``.
"""

from __future__ import annotations

import sample_cue_eval_v3 as v3

OUT = v3.ROOT / "tests" / "data" / "cues" / "real_eval_v4"
PRIOR = [v3.ROOT / "tests" / "data" / "cues" / d / "sample.csv" for d in ("real_eval", "real_eval_v2", "real_eval_v3")]
SEED = 20261203

#: (stratum, draws)
DRAWS = (
    ("crit_hi", 420),
    ("crit_lo", 220),
    ("crit_weak", 110),
    ("apology", 110),
    ("i_statement", 300),
    ("question", 300),
    ("rest", 340),
)

if __name__ == "__main__":
    v3.main(out=OUT, prior=PRIOR, seed=SEED, draws=DRAWS, prefix="v4", description=__doc__.splitlines()[0])
