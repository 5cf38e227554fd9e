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

Run: ``python benchmarks/languages.py --n 1000000 --mix all`` (prints one line per measurement and
the ratio; record ``uptime`` next to it: the machine is shared).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

import reconnect_signals as rs
from reconnect_signals.cues import message_cues

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "cues" / "lang" / "parallel_conversation.csv"
LANGS = ("en", "de", "es", "fr", "pt", "it", "nl")


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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--mix", choices=["en", "all"], default="all")
    ap.add_argument("--sentiment", action="store_true")
    args = ap.parse_args()
    msgs = build(args.n, args.mix)
    # warm up (imports, lexicon files, first regex compilations) so that neither run pays for them
    message_cues(build(2_000, "all"), sentiment=args.sentiment)
    times = {}
    for name, kw in (("english-only", {"language": "en"}), ("detected", {})):
        t0 = time.perf_counter()
        out = message_cues(msgs, sentiment=args.sentiment, **kw)
        times[name] = time.perf_counter() - t0
        print(f"{name:13s} n={args.n:,} mix={args.mix} sentiment={args.sentiment}: {times[name]:.2f} s", flush=True)
    shares = out["language"].value_counts(normalize=True).round(3).to_dict()
    print(f"ratio detected / english-only: {times['detected'] / times['english-only']:.2f}; languages: {shares}")


if __name__ == "__main__":
    main()
