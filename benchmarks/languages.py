"""Cost of language detection and per-language rules in the cue table (issue 19).

Builds N messages from the project's parallel conversation (``tests/data/cues/lang``): 200-message
conversations, two senders each, as many copies as needed, either all English (``--mix en``) or
cycling through the seven languages (``--mix all``). Then times, in the same process and run:

- ``english-only``: ``message_cues(msgs, language="en")`` — the English rules, no detection
  (what the library did before issue 19);
- ``detected``: ``message_cues(msgs)`` — language per conversation and sender, each language's rules
  over its own messages.

Sentiment is left out by default (``--sentiment`` adds it): VADER dominates the cue table's time and
would hide the cost measured here; with sentiment, non-English messages skip VADER.

**Distinct texts** (``--distinct``). The default data is 1,400 distinct texts repeated, and every cue
but the language is computed once per distinct text, so it hides the rule kernels. With
``--distinct`` each language's pool is its labelled rounds (``<code>_messages*.jsonl``; English:
``tests/data/cues/labelled_messages.csv``) and its column of the parallel conversation, and the k-th
use of a pool text changes the case of its ASCII letters after the bits of k (``"ich hab"``,
``"Ich hab"``, ``"iCh hab"``, ...). Every cue reads the lower-cased text and emoji are not cased, so
each variant has exactly the cues of its base text (``--check`` verifies it on the result), while the
library sees a distinct text each time and runs every kernel on it. A text with too few letters for
another variant (``"ok"`` has four) repeats, as short texts do in real chats; the distinct share is
printed. Conversations are 200 messages of one language, two senders, the languages in turn.

Timing: ``--repeat R`` runs english-only and detected alternately R times in one process (after a
warm-up) and prints the minimum CPU (``time.process_time``: every thread of the process) and wall
time of each, and their ratios; then the ratio of each pair (the i-th detected run over the i-th
english-only run, which ran just before it): its median and spread (lowest-highest) say how stable
the ratio is. It prints the thread count the cue table uses (``RECONNECT_SIGNALS_THREADS``, else
the cores) and ``os.getloadavg()`` before and after (the machine is shared: a load above the
threads means other work ran beside).

**Fresh processes** (``--fresh``). In one process, the English-only run reuses memory the runs before it
freed, while the detected run needs more than that and touches fresh pages; on a VM that backs memory lazily the
kernel's zeroing of fresh pages (system time) then decides the ratio. With ``--fresh`` every measured run is a
process of its own (the two kinds alternating; each builds the messages and warms up before its clock starts),
as a user's one call or one CLI run is; it also prints user and system time apart.

Run: ``python benchmarks/languages.py --n 1000000 --mix all --distinct --repeat 5`` (add ``--fresh``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

import reconnect_signals as rs
from reconnect_signals.cues import CUE_COLUMNS, message_cues
from reconnect_signals.cues._tokens import cue_threads

CUES_DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "cues"
DATA = CUES_DATA / "lang" / "parallel_conversation.csv"
LANGS = ("en", "de", "es", "fr", "pt", "it", "nl")
CONVERSATION = 200


def build(n: int, mix: str) -> pd.DataFrame:
    par = pd.read_csv(DATA, keep_default_na=False, dtype="str")
    copies = -(-n // len(par))
    langs = LANGS if mix == "all" else ("en",)
    conv = np.repeat(np.arange(copies), len(par))[:n]
    lang = np.asarray(langs, dtype=object)[conv % len(langs)]
    row = np.tile(np.arange(len(par)), copies)[:n]
    texts = np.empty(n, dtype=object)
    for code in langs:
        sel = lang == code
        texts[sel] = par[code].to_numpy(dtype=object)[row[sel]]
    start = pd.Timestamp("2025-01-01")
    return rs.coerce(
        pd.DataFrame(
            {
                "conversation_id": pd.Series(conv).astype("str"),
                "timestamp": start + pd.to_timedelta(np.arange(n), unit="min"),
                "sender": par["sender"].to_numpy(dtype=object)[row],
                "text": texts,
                "kind": "text",
            }
        )
    )


def pool(code: str) -> list[str]:
    """The project's own texts of one language: labelled rounds and the parallel conversation."""
    par = pd.read_csv(DATA, keep_default_na=False, dtype="str")
    texts = [t for t in par[code] if t]
    if code == "en":
        texts += pd.read_csv(CUES_DATA / "labelled_messages.csv", keep_default_na=False, dtype="str")["text"].tolist()
    else:
        for path in sorted((CUES_DATA / "lang").glob(f"{code}_messages*.jsonl")):
            with path.open(encoding="utf-8") as fh:
                texts += [json.loads(line)["text"] for line in fh if line.strip()]
    return list(dict.fromkeys(t for t in texts if t))


def variant(text: str, k: int) -> str | None:
    """``text`` with the case of its ASCII letters flipped after the bits of ``k`` (None: too few letters)."""
    where = [i for i, c in enumerate(text) if c.isascii() and c.isalpha()]
    if k >> len(where):
        return None
    chars = list(text)
    for bit, i in enumerate(where):
        if (k >> bit) & 1:
            chars[i] = chars[i].swapcase()
    return "".join(chars)


def build_distinct(n: int, mix: str) -> tuple[pd.DataFrame, np.ndarray]:
    """N messages of (nearly) distinct texts (see the module docstring) and each one's base text id."""
    langs = LANGS if mix == "all" else ("en",)
    pools = {code: pool(code) for code in langs}
    offset = dict(zip(langs, np.cumsum([0, *(len(pools[c]) for c in langs)])[:-1].tolist(), strict=True))
    conv = np.arange(n) // CONVERSATION
    texts = np.empty(n, dtype=object)
    base = np.empty(n, dtype=np.int64)
    used = {code: 0 for code in langs}
    for c in range(int(conv[-1]) + 1 if n else 0):
        code = langs[c % len(langs)]
        texts_c, size = pools[code], len(pools[code])
        lo, hi = c * CONVERSATION, min(n, (c + 1) * CONVERSATION)
        for i in range(lo, hi):
            j = used[code]
            used[code] += 1
            b = j % size
            text = variant(texts_c[b], j // size)
            texts[i] = texts_c[b] if text is None else text
            base[i] = offset[code] + b
    start = pd.Timestamp("2025-01-01")
    msgs = rs.coerce(
        pd.DataFrame(
            {
                "conversation_id": pd.Series(conv).astype("str"),
                "timestamp": start + pd.to_timedelta(np.arange(n), unit="min"),
                "sender": np.where(np.arange(n) % 2 == 0, "Alex", "Sam"),
                "text": texts,
                "kind": "text",
            }
        )
    )
    return msgs, base


def check(out: pd.DataFrame, base: np.ndarray) -> None:
    """Every variant of a base text, read in the same language, has the same cues."""
    cols = [c for c in out.columns if c in CUE_COLUMNS]
    frame = out[cols].copy()
    frame["_key"] = base.astype(str) + "/" + out["language"].astype(str).to_numpy()
    spread = frame.groupby("_key")[cols].nunique(dropna=False)
    bad = spread[(spread > 1).any(axis=1)]
    if len(bad):
        raise SystemExit(f"variants of {len(bad)} base texts differ in their cues: {bad.head().to_dict()}")
    print(f"check: every variant has its base text's cues ({frame['_key'].nunique():,} base texts x language)")


RUNS: dict[str, dict[str, str]] = {"english-only": {"language": "en"}, "detected": {}}


def fresh(args: argparse.Namespace) -> None:
    """``--fresh``: each run a child process of this script (``--one``), alternating; minima and per-pair ratios."""
    flags = [f"--n={args.n}", f"--mix={args.mix}"]
    flags += [f for f, on in (("--distinct", args.distinct), ("--sentiment", args.sentiment)) if on]
    print(f"fresh processes; threads: {cue_threads()}; load (1/5/15 min) before: {_load()}", flush=True)
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in RUNS}
    for _ in range(args.repeat):
        for name in RUNS:
            child = subprocess.run(
                [sys.executable, __file__, *flags, f"--one={name}"], capture_output=True, text=True, check=True
            )
            runs[name].append(json.loads(child.stdout.strip().splitlines()[-1]))
            r = runs[name][-1]
            print(
                f"{name:13s} n={args.n:,} mix={args.mix} distinct={args.distinct} sentiment={args.sentiment}: "
                f"{r['wall']:.2f} s wall, {r['cpu']:.2f} s CPU (user {r['user']:.2f}, system {r['sys']:.2f})",
                flush=True,
            )
    for unit in ("cpu", "wall", "user", "sys"):
        det = np.array([r[unit] for r in runs["detected"]])
        eng = np.array([r[unit] for r in runs["english-only"]])
        pairs = det / eng
        print(
            f"{unit:4s}: english-only min {eng.min():.2f} s, detected min {det.min():.2f} s, ratio of minima "
            f"{det.min() / eng.min():.2f}; per-pair ratio median {np.median(pairs):.2f}, spread "
            f"{pairs.min():.2f}-{pairs.max():.2f} ({', '.join(f'{p:.2f}' for p in pairs)})"
        )
    print(f"threads: {cue_threads()}; load (1/5/15 min) after: {_load()}", flush=True)


def _load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--mix", choices=["en", "all"], default="all")
    ap.add_argument("--sentiment", action="store_true")
    ap.add_argument("--distinct", action="store_true", help="every message's text distinct (see the docstring)")
    ap.add_argument("--repeat", type=int, default=1, help="alternate the two runs this many times; print the minima")
    ap.add_argument("--check", action="store_true", help="with --distinct: check that variants keep their cues")
    ap.add_argument("--fresh", action="store_true", help="every measured run in a process of its own (docstring)")
    ap.add_argument("--one", choices=list(RUNS), help=argparse.SUPPRESS)  # a --fresh child: one run, one JSON line
    args = ap.parse_args()
    if args.fresh:
        fresh(args)
        return
    if args.distinct:
        msgs, base = build_distinct(args.n, args.mix)
        share = msgs["text"].nunique() / len(msgs)
        print(f"distinct texts: {share:.1%} of {len(msgs):,} messages", flush=True)
    else:
        msgs, base = build(args.n, args.mix), None
    print(f"threads: {cue_threads()}; load (1/5/15 min) before: {_load()}", flush=True)
    # warm up (imports, lexicon files, first regex compilations) so that neither run pays for them
    message_cues(build(2_000, "all"), sentiment=args.sentiment)
    if args.one:
        r0, t0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
        message_cues(msgs, sentiment=args.sentiment, **RUNS[args.one])
        wall_s, r1 = time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF)
        user, system = r1.ru_utime - r0.ru_utime, r1.ru_stime - r0.ru_stime
        print(json.dumps({"wall": wall_s, "cpu": user + system, "user": user, "sys": system}))
        return
    cpu: dict[str, list[float]] = {"english-only": [], "detected": []}
    wall: dict[str, list[float]] = {"english-only": [], "detected": []}
    for _ in range(args.repeat):
        for name, kw in RUNS.items():
            c0, t0 = time.process_time(), time.perf_counter()
            out = message_cues(msgs, sentiment=args.sentiment, **kw)
            wall[name].append(time.perf_counter() - t0)
            cpu[name].append(time.process_time() - c0)
            print(
                f"{name:13s} n={args.n:,} mix={args.mix} distinct={args.distinct} sentiment={args.sentiment}: "
                f"{wall[name][-1]:.2f} s wall, {cpu[name][-1]:.2f} s CPU",
                flush=True,
            )
    shares = out["language"].value_counts(normalize=True).round(3).to_dict()
    w = min(wall["detected"]) / min(wall["english-only"])
    c = min(cpu["detected"]) / min(cpu["english-only"])
    print(
        f"min of {args.repeat}: english-only {min(wall['english-only']):.2f} s wall / {min(cpu['english-only']):.2f} s "
        f"CPU, detected {min(wall['detected']):.2f} s / {min(cpu['detected']):.2f} s; "
        f"ratio detected / english-only: wall {w:.2f}, CPU {c:.2f}; languages: {shares}"
    )
    for unit, times in (("CPU", cpu), ("wall", wall)):
        pairs = np.asarray(times["detected"]) / np.asarray(times["english-only"])
        print(
            f"per-pair ratio {unit}: median {np.median(pairs):.2f}, spread {pairs.min():.2f}-{pairs.max():.2f} "
            f"({', '.join(f'{r:.2f}' for r in pairs)})"
        )
    print(f"threads: {cue_threads()}; load (1/5/15 min) after: {_load()}", flush=True)
    if args.check and base is not None:
        check(out, base)
        check(message_cues(msgs, sentiment=args.sentiment, language="en"), base)


if __name__ == "__main__":
    main()
