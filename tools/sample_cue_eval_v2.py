"""Draw the held-out real-message cue evaluation set v2 from the Ubuntu IRC corpus (issue #14).

Dev tool (not shipped). v1 (``tests/data/cues/real_eval/``) was read while the rules were tuned, so it
is development data now; v2 is drawn afterwards from messages that are **not** in v1 (neither the
same line nor the same text), with a broader net for criticism, labelled by annotators who never see
the code, and scored once with the frozen rules.

Strata (first match wins; the nets are written independently of the cue code):

- ``crit_hi``: an insult, dismissal or blame phrase anywhere in the message (no "you" needed:
  "get a life", "stupid question", "stfu", "troll", "rtfm" ...);
- ``crit_lo``: a second-person word within 30 characters of a word that the VADER lexicon rates
  at most -1.5 (read from the installed ``vaderSentiment``), or "you always/never", "you should/could
  have", "why do/would/don't you";
- ``crit_weak``, ``apology``, ``i_statement``, ``question``, ``rest``: the v1 nets (``tools/sample_cue_eval.py``).

A simple random sample of fixed size is drawn from each stratum (seed 20261203); weights are
population / drawn. Writes ``tests/data/cues/real_eval_v2/{sample,strata}.csv`` (ids only, no text)
and, with ``--batches DIR``, annotation batches with two lines of context, outside the repository.

Run: ``python tools/sample_cue_eval_v2.py [--shared ../shared] [--batches /tmp/annotation]``.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
from pathlib import Path

import sample_cue_eval as v1

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "cues" / "real_eval_v2"
V1 = ROOT / "tests" / "data" / "cues" / "real_eval" / "sample.csv"
SEED = 20261203

CRIT_HI = re.compile(
    r"\b(?:idiot\w*|stupid\w*|dumb\w*|moron\w*|retard\w*|troll\w*|useless|pathetic|lame|losers?|jerks?|"
    r"assholes?|jackass\w*|dick(?:head)?s?|clueless|ignorant|arrogant|childish|immature|obnoxious|"
    r"incompetent|noobs?|n00bs?|newbs?|lazy|rude|annoying|whin(?:e|es|ing|y|er)|crybaby|stfu|gtfo|"
    r"shut\s+up|get\s+a\s+life|grow\s+up|go\s+away|piss\s+off|fuck\s+off|rtfm|"
    r"wrong\s+with\s+you|your\s+(?:own\s+)?fault|your\s+problem|because\s+of\s+you|learn\s+to\s+read|"
    r"can'?t\s+you\s+read|are\s+you\s+(?:blind|deaf|serious|kidding)|spoon\s*-?\s*feed\w*|"
    r"waste\s+of\s+(?:time|space)|nobody\s+(?:cares|asked))\b",
    re.I,
)
_YOU = r"\b(?:you|your|you're|youre|ur|u|yourself|you've|you'd|you'll|ya|yall|y'all)\b"
CRIT_LO_FIXED = re.compile(
    rf"{_YOU}\s+(?:always|never)\b|\byou\s+(?:should|could)(?:\s+have|'ve)\b|\bwhy\s+(?:do|would|don'?t|did|are)\s+you\b",
    re.I,
)

#: (stratum, draws)
DRAWS = (
    ("crit_hi", 260),
    ("crit_lo", 150),
    ("crit_weak", 40),
    ("apology", 80),
    ("i_statement", 90),
    ("question", 50),
    ("rest", 90),
)


#: second-phase draws from ``crit_hi``
PHASE2 = 320
#: third-phase draws from ``crit_hi``
PHASE3 = 180


def _negative_words() -> re.Pattern[str]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    lexicon = SentimentIntensityAnalyzer().lexicon
    words = sorted((w for w, v in lexicon.items() if v <= -1.5 and re.fullmatch(r"[a-z']+", w)), key=len, reverse=True)
    alt = "|".join(re.escape(w) for w in words)
    return re.compile(rf"{_YOU}.{{0,30}}\b(?:{alt})\b|\b(?:{alt})\b.{{0,30}}{_YOU}", re.I)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--batches", type=Path, default=None)
    ap.add_argument("--batch-size", type=int, default=180)
    args = ap.parse_args()
    neg_you = _negative_words()
    taken_v1 = set()
    with open(V1, newline="") as fh:
        for row in csv.DictReader(fh):
            taken_v1.add((row["file"], int(row["line"])))
    # texts of v1 items (to exclude repeats of the same text at other lines)
    v1_texts = set()
    pool: dict[str, list[dict]] = {name: [] for name, _ in DRAWS}
    msgs = list(v1.messages(args.shared / "data" / "irc"))
    for msg in msgs:
        if (msg["file"], msg["line"]) in taken_v1:
            v1_texts.add(msg["text"].lower())
    for msg in msgs:
        if (msg["file"], msg["line"]) in taken_v1 or msg["text"].lower() in v1_texts:
            continue
        text = msg["text"]
        if CRIT_HI.search(text):
            name = "crit_hi"
        elif CRIT_LO_FIXED.search(text) or neg_you.search(text):
            name = "crit_lo"
        elif v1.CRIT_STRONG.search(text):
            name = "crit_lo"
        else:
            name = v1.first_phase_stratum(text)  # crit_weak, apology, i_statement, question or rest
        pool.setdefault(name, []).append(msg)
    print({k: len(v) for k, v in pool.items()})
    rng = random.Random(SEED)
    drawn = []
    for name, n in DRAWS:
        picks = rng.sample(pool[name], min(n, len(pool[name])))
        drawn += [{**m, "stratum": name} for m in picks]
    rng.shuffle(drawn)
    # Phase 2 (after the first 360 labels held only 10 criticisms): a further simple random draw
    # from ``crit_hi`` (disjoint from phase 1), so the stratum's sample stays a simple random sample
    # of PHASE2 + its phase-1 size; item ids continue after phase 1.
    taken = {(m["file"], m["line"]) for m in drawn}
    rest_hi = [m for m in pool["crit_hi"] if (m["file"], m["line"]) not in taken]
    extra = random.Random(SEED + 1).sample(rest_hi, min(PHASE2, len(rest_hi)))
    drawn += [{**m, "stratum": "crit_hi"} for m in extra]
    # Phase 3 (phases 1-2 held 28 criticisms, short of the 30 the evaluation needs): one more
    # simple random draw from ``crit_hi``, disjoint from both; ids continue (v2_1080 onwards).
    taken = {(m["file"], m["line"]) for m in drawn}
    rest_hi = [m for m in pool["crit_hi"] if (m["file"], m["line"]) not in taken]
    extra = random.Random(SEED + 2).sample(rest_hi, min(PHASE3, len(rest_hi)))
    drawn += [{**m, "stratum": "crit_hi"} for m in extra]
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "strata.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["stratum", "population", "drawn"])
        for name, _ in DRAWS:
            w.writerow([name, len(pool[name]), sum(m["stratum"] == name for m in drawn)])
    with open(OUT / "sample.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["item", "split", "file", "line", "stratum"])
        for k, msg in enumerate(drawn):
            msg["item"] = f"v2_{k:04d}"  # phase 2 items are v2_0760 onwards
            w.writerow([msg["item"], msg["split"], msg["file"], msg["line"], msg["stratum"]])
    if args.batches:
        v1.write_batches(drawn, args.batches, args.batch_size, "v2_batch")
    print(len(drawn))


if __name__ == "__main__":
    main()
