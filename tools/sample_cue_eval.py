"""Draw the real-message cue evaluation sample from the Ubuntu IRC disentanglement corpus.

Dev tool (not shipped): reads ``../shared/data/irc`` (CC BY 4.0, Kummerfeld et al. 2019) and writes

- ``tests/data/cues/real_eval/sample.csv``: the drawn message ids (split, file, line), their stratum
  and their evaluation set (``dev`` for rule development, ``test`` for the reported numbers) —
  ids only, never the corpus text;
- ``tests/data/cues/real_eval/strata.csv``: the population size of every stratum, so estimates can
  be weighted back to the whole corpus;
- with ``--batches DIR``: annotation batches (JSON lines with the text and two lines of context)
  for the annotators, outside the repository.

Sampling: every ``[HH:MM] <nick> text`` line of train, dev and test is a candidate (system lines,
actions and empty texts excluded, duplicate texts kept once). A broad keyword net, written to
over-collect candidates for the rare cues, assigns each message to the first stratum it falls in:
``crit_insult`` (second phase, see below), ``crit_strong``, ``crit_weak``, ``apology``, ``i_statement``,
``question``, else ``rest``. A fixed
number is drawn from each stratum at random (seed 20261202). The first annotated batches held only 5
criticisms in 480 messages, so a second phase added the ``crit_insult`` net (insults and blame near an
addressed "you") and took every message in it. The net only decides how often a
message is drawn; labels come from annotators who see the cue specification and never the code.

Run: ``python tools/sample_cue_eval.py [--shared ../shared] [--batches /tmp/annotation]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "cues" / "real_eval"
SEED = 20261202

LINE = re.compile(r"^\[(\d\d):(\d\d)\] <([^>]{1,40})> (.+)$")
YOU = r"(?:you|your|you're|youre|ur|u|yourself|you've|you'd|you'll)"
NEG = (
    r"stupid|idiot|idiotic|dumb|lazy|rude|annoying|useless|pathetic|selfish|liar|jerk|moron|clueless|"
    r"ignorant|arrogant|ridiculous|retarded|troll|noob|n00b|newb|wrong|fault|problem|suck|sucks|crap|"
    r"bs|bullshit|stfu|shut up|childish|immature|impatient|annoyance|joke|waste|pest|spam|spamming|"
    r"lying|whine|whining|whiny|complain|complaining|obnoxious|insulting|offensive|hostile|ass|"
    r"asshole|dick|fool|foolish|silly|crazy|insane|blind|lame|incompetent|disrespectful|mean"
)
INSULT = (
    r"idiot|idiots|idiotic|stupid|dumb|moron|morons|retard|retarded|jerk|lazy|rude|annoying|useless|pathetic|"
    r"selfish|liar|clueless|ignorant|arrogant|troll|trolling|noob|n00b|loser|fool|dick|asshole|ass|jackass|"
    r"childish|immature|obnoxious|incompetent|hostile|insulting|offensive|crazy|insane|spammer|spamming|whiny|"
    r"whining|lame|pest|joke"
)
#: Second phase (added after the first annotators found 5 criticisms in 480 messages): insults and
#: blame near an addressed "you" — taken whole (a census), since the channel has few.
CRIT_INSULT = re.compile(
    rf"\b(?:you|u|ur|you're|youre|your|yourself)\b[^.?!]{{0,25}}\b(?:{INSULT})\b"
    rf"|\b(?:{INSULT})\b[^.?!]{{0,10}}\b(?:you|u)\b|\bstfu\b|\bshut up\b|\bwrong with you\b"
    rf"|\byour fault\b|\bbecause of you\b|\bgrow up\b|\bget a life\b",
    re.I,
)
CRIT_STRONG = re.compile(
    rf"\b(?:{YOU}\s+(?:are|r|re|'re)?\s*(?:so|such an?|really|just|always|being|a|an|the|totally|very)?\s*(?:{NEG})\b"
    rf"|your fault|because of you|wrong with you|your problem|you made me|you ruined|you don'?t even"
    rf"|{YOU}\s+(?:always|never)\b|why do you (?:always|never)|you should(?: have|'ve)|you could have)",
    re.I,
)
CRIT_WEAK = re.compile(rf"\b{YOU}\b.*\b(?:{NEG}|always|never|should|again|stop|ignore|ignoring|listen|read)\b", re.I)
APOLOGY = re.compile(
    r"sorr|apolog|my bad|my fault|forgive|\bsry\b|\bsoz\b|sowwy|\bsrry\b|excuse me|pardon|oops|whoops|\bmy mistake\b",
    re.I,
)
I_STMT = re.compile(
    r"\b(?:i|i'm|im|i've|ive|i'd|i'll|id)\b.{0,40}\b(?:feel|felt|love|miss|hate|appreciat|care|hope|wish|"
    r"regret|think|thought|believe|know|knew|reali[sz]|understand|understood|want|need|like|prefer|"
    r"apolog|wrong|mistake|should|sorry|sad|hurt|happy|glad|grateful|thank|proud|scared|afraid|angry|"
    r"mad|upset|frustrat|lonely|worried|anxious|nervous|confus|excited|ashamed|disappoint|jealous|guess|"
    r"suppose|wonder|doubt|bet)",
    re.I,
)
QUESTION = re.compile(
    r"\?|^\s*(?:\w+[:,]\s*)?"
    r"(?:what|why|how|when|where|who|which|whose|do|does|did|is|are|can|could|would|will|should|has|have)\b",
    re.I,
)

#: (stratum, test draws, dev draws)
DRAWS = (
    ("crit_strong", 190, 60),
    ("crit_weak", 90, 30),
    ("apology", 120, 40),
    ("i_statement", 120, 40),
    ("question", 60, 20),
    ("rest", 140, 50),
)


def first_phase_stratum(text: str) -> str:
    if CRIT_STRONG.search(text):
        return "crit_strong"
    if CRIT_WEAK.search(text):
        return "crit_weak"
    if APOLOGY.search(text):
        return "apology"
    if I_STMT.search(text):
        return "i_statement"
    if QUESTION.search(text):
        return "question"
    return "rest"


def stratum(text: str) -> str:
    """The stratum a message belongs to in the final (two-phase) design."""
    return "crit_insult" if CRIT_INSULT.search(text) else first_phase_stratum(text)


def messages(irc: Path):
    seen: set[str] = set()
    for split in ("train", "dev", "test"):
        for path in sorted((irc / split).glob("*.raw.txt")):
            lines = path.read_bytes().decode("utf-8", errors="replace").split("\n")
            for i, line in enumerate(lines):
                m = LINE.match(line)
                if not m:
                    continue
                text = m.group(4).strip()
                key = text.lower()
                if not text or key in seen:
                    continue
                seen.add(key)
                context = [c for c in lines[max(0, i - 2) : i] if c]
                yield {"split": split, "file": path.name, "line": i, "text": text, "context": context}


def write_batches(drawn: list[dict], folder: Path, size: int, prefix: str) -> None:
    """Annotation batches ``<prefix>_<n>.jsonl`` of ``size`` items: item, two lines of context, text."""
    folder.mkdir(parents=True, exist_ok=True)
    for b in range(0, len(drawn), size):
        with open(folder / f"{prefix}_{b // size + 1}.jsonl", "w") as fh:
            for msg in drawn[b : b + size]:
                record = {"item": msg["item"], "context": msg["context"], "text": msg["text"]}
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--batches", type=Path, default=None)
    ap.add_argument("--batch-size", type=int, default=240)
    args = ap.parse_args()
    # Phase 1: simple random samples from the first-phase strata (kept exactly as first drawn).
    pool: dict[str, list[dict]] = {name: [] for name, _, _ in DRAWS}
    population: dict[str, int] = {}
    insults = []
    for msg in messages(args.shared / "data" / "irc"):
        pool[first_phase_stratum(msg["text"])].append(msg)
        final = stratum(msg["text"])
        population[final] = population.get(final, 0) + 1
        if final == "crit_insult":
            insults.append(msg)
    rng = random.Random(SEED)
    drawn = []
    for name, n_test, n_dev in DRAWS:
        picks = rng.sample(pool[name], n_test + n_dev)
        for k, msg in enumerate(picks):
            drawn.append({**msg, "stratum": name, "set": "test" if k < n_test else "dev"})
    rng.shuffle(drawn)  # annotators see strata mixed, in random order
    # Phase 2: every crit_insult message (a census). A phase-1 draw that falls in crit_insult moves
    # to that stratum; the rest of each phase-1 sample stays a simple random sample of its stratum
    # minus crit_insult, so weights are population / drawn per final stratum.
    taken = {(m["file"], m["line"]) for m in drawn}
    extra = [m for m in insults if (m["file"], m["line"]) not in taken]
    rng2 = random.Random(SEED + 1)
    rng2.shuffle(extra)
    for k, msg in enumerate(extra):
        drawn.append({**msg, "stratum": "crit_insult", "set": "dev" if k % 3 == 0 else "test"})
    for msg in drawn:
        msg["stratum"] = stratum(msg["text"])
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "strata.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["stratum", "population", "drawn_test", "drawn_dev"])
        for name in ["crit_insult", *(d[0] for d in DRAWS)]:
            n_test = sum(m["stratum"] == name and m["set"] == "test" for m in drawn)
            n_dev = sum(m["stratum"] == name and m["set"] == "dev" for m in drawn)
            w.writerow([name, population.get(name, 0), n_test, n_dev])
    with open(OUT / "sample.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["item", "split", "file", "line", "stratum", "set"])
        for k, msg in enumerate(drawn):
            msg["item"] = f"irc{k:04d}"
            w.writerow([msg["item"], msg["split"], msg["file"], msg["line"], msg["stratum"], msg["set"]])
    if args.batches:
        write_batches(drawn, args.batches, args.batch_size, "irc_batch")
    print({name: len(p) for name, p in pool.items()}, len(drawn))


if __name__ == "__main__":
    main()
