"""Draw the held-out real-message cue evaluation set v3 from the Ubuntu IRC corpus (issue #14).

Dev tool (not shipped). v1 and v2 (``tests/data/cues/real_eval{,_v2}/``) were read while the rules
were tuned in sessions 3 and 4, so they are development data; v3 is drawn from messages in neither
(not the same line, not the same text), labelled by annotators who never see the code, and scored once
with the rules frozen before its labels were read.

Strata (first match wins; the nets are written from the spec's categories, independently of the cue code):

- ``crit_hi``: v2's insult/dismissal/blame net, plus imperative disapproval ("stop/quit + -ing",
  "don't be", "shut up", "grow up", "get lost", "go away"), "nobody/no one ... you", bare one-word
  insult replies;
- ``crit_lo``: v2's: a second-person word within 30 characters of a word VADER rates <= -1.5, "you
  always/never", "you should/could have", "why do/would/don't you";
- ``crit_weak``, ``apology``, ``i_statement``, ``question``, ``rest``: the v1 nets.

Sizes are larger than v2's in the big strata so that a rare positive there weighs less (v2 had one
criticism in ``i_statement`` carrying half of the cue's weighted positives). A simple random sample of fixed
size per stratum (seed 20261204); weights are population / drawn. Writes
``tests/data/cues/real_eval_v3/{sample,strata}.csv`` (ids only, no text) and, with ``--batches DIR``,
annotation batches with two lines of context, outside the repository, each batch also carrying
``--overlap`` items of the next batch for a second reading (agreement).

Run: ``python tools/sample_cue_eval_v3.py [--shared ../shared] [--batches DIR]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
from pathlib import Path

import sample_cue_eval as v1
import sample_cue_eval_v2 as v2

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "cues" / "real_eval_v3"
PRIOR = [ROOT / "tests" / "data" / "cues" / d / "sample.csv" for d in ("real_eval", "real_eval_v2")]
SEED = 20261204

CRIT_EXTRA = re.compile(
    r"\b(?:stop|quit)\s+(?:\w+ing|being|acting|spamming|trolling|whining|crying)\b|\bdon'?t\s+be\s+(?:a|an|so|such)\b|"
    r"\b(?:grow\s+up|get\s+lost|go\s+away|get\s+over\s+it|calm\s+down|stop\s+it|cut\s+it\s+out|knock\s+it\s+off)\b|"
    r"\b(?:nobody|no\s+one|noone)\b.{0,40}\b(?:you|your|u)\b|"
    r"^\W*(?:idiot|moron|troll|rude|liar|loser|jerk|noob|n00b|lamer|retard|dumbass|fool|clown|wow|seriously|ugh)\W*$",
    re.I,
)

#: (stratum, draws)
DRAWS = (
    ("crit_hi", 420),
    ("crit_lo", 220),
    ("crit_weak", 110),
    ("apology", 110),
    ("i_statement", 260),
    ("question", 100),
    ("rest", 180),
)


def main(
    *,
    out: Path = OUT,
    prior: list[Path] = PRIOR,
    seed: int = SEED,
    draws: tuple[tuple[str, int], ...] = DRAWS,
    prefix: str = "v3",
    description: str | None = None,
) -> None:
    """Draw the set (v3 by default; later held-out sets pass their own folder, priors, seed and sizes)."""
    ap = argparse.ArgumentParser(description=description or __doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--batches", type=Path, default=None)
    ap.add_argument("--batch-size", type=int, default=470)
    ap.add_argument("--overlap", type=int, default=40)
    args = ap.parse_args()
    neg_you = v2._negative_words()
    has_you = re.compile(v2._YOU, re.I)
    taken = set()
    for path in prior:
        with open(path, newline="") as fh:
            taken |= {(row["file"], int(row["line"])) for row in csv.DictReader(fh)}
    msgs = list(v1.messages(args.shared / "data" / "irc"))
    prior_texts = {m["text"].lower() for m in msgs if (m["file"], m["line"]) in taken}
    pool: dict[str, list[dict]] = {name: [] for name, _ in draws}
    for msg in msgs:
        if (msg["file"], msg["line"]) in taken or msg["text"].lower() in prior_texts:
            continue
        text = msg["text"]
        if v2.CRIT_HI.search(text) or CRIT_EXTRA.search(text):
            name = "crit_hi"
        elif (
            v2.CRIT_LO_FIXED.search(text)
            or (has_you.search(text) and neg_you.search(text))  # the cheap test first: same outcome
            or v1.CRIT_STRONG.search(text)
        ):
            name = "crit_lo"
        else:
            name = v1.first_phase_stratum(text)
        pool.setdefault(name, []).append(msg)
    print({k: len(v) for k, v in pool.items()})
    rng = random.Random(seed)
    drawn = []
    for name, n in draws:
        drawn += [{**m, "stratum": name} for m in rng.sample(pool[name], min(n, len(pool[name])))]
    rng.shuffle(drawn)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "strata.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["stratum", "population", "drawn"])
        for name, _ in draws:
            w.writerow([name, len(pool[name]), sum(m["stratum"] == name for m in drawn)])
    with open(out / "sample.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["item", "split", "file", "line", "stratum"])
        for k, msg in enumerate(drawn):
            msg["item"] = f"{prefix}_{k:04d}"
            w.writerow([msg["item"], msg["split"], msg["file"], msg["line"], msg["stratum"]])
    if args.batches:
        args.batches.mkdir(parents=True, exist_ok=True)
        batches = [drawn[b : b + args.batch_size] for b in range(0, len(drawn), args.batch_size)]
        for k, batch in enumerate(batches):
            second = batches[(k + 1) % len(batches)][: args.overlap]  # read again by this batch's annotator
            with open(args.batches / f"{prefix}_batch_{k + 1}.jsonl", "w") as fh:
                for msg in batch:
                    fh.write(json.dumps({"item": msg["item"], "context": msg["context"], "text": msg["text"]}) + "\n")
            with open(args.batches / f"{prefix}_overlap_{k + 1}.jsonl", "w") as fh:
                for msg in second:
                    fh.write(json.dumps({"item": msg["item"], "context": msg["context"], "text": msg["text"]}) + "\n")
    print(len(drawn))


if __name__ == "__main__":
    main()
