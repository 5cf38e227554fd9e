"""CPU cost of the language rules: a git revision's lexicons against the working tree's.

Usage: ``python tools/lexicon_cost.py [revision]`` (default ``e89d76f``, the round-1 lexicons):
times ``language_lexical_arrays`` on the parallel conversation repeated to 20,000 messages per
language, best of two CPU-time runs each. Only the per-language rule passes are timed (not
tokenising or detection); ``benchmarks/languages.py`` times the whole cue table.
"""

import subprocess
import sys
import time
import tomllib

import pandas as pd

from reconnect_signals.cues._languages import language_lexical_arrays, lexicons, parse_lexicon
from reconnect_signals.cues._tokens import _as_arrow, _normalize_arrow, _stream_arrow

REV = sys.argv[1] if len(sys.argv) > 1 else "e89d76f"
par = pd.read_csv("tests/data/cues/lang/parallel_conversation.csv", keep_default_na=False, dtype="str")
for lang in ("de", "es", "fr", "pt", "it", "nl"):
    toml = subprocess.check_output(["git", "show", f"{REV}:reconnect_signals/cues/lang/{lang}.toml"], text=True)
    old = parse_lexicon(tomllib.loads(toml))
    new = lexicons()[lang]
    texts = pd.concat([par[lang]] * 100, ignore_index=True)  # 20,000 messages
    norm = _normalize_arrow(_as_arrow(texts))
    stream = _stream_arrow(norm)
    res = {}
    for name, lex in (("old", old), ("new", new), ("old2", old), ("new2", new)):
        c, w = time.process_time(), time.perf_counter()
        language_lexical_arrays(norm, stream, lex)
        res[name] = (time.process_time() - c, time.perf_counter() - w)
    o = min(res["old"][0], res["old2"][0])
    n = min(res["new"][0], res["new2"][0])
    print(f"{lang}: cpu old {o:.2f}s new {n:.2f}s ratio {n / o:.2f} (20k msgs)")
