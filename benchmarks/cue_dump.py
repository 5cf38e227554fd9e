"""Dump the full per-message cue table of fixed inputs, and compare two dumps (the speed contract).

Usage::

    python benchmarks/cue_dump.py dump baseline        # writes benchmarks/_work/cues_baseline/*.parquet
    python benchmarks/cue_dump.py dump current
    python benchmarks/cue_dump.py compare baseline current

Inputs: the bundled example chat (``message_cues``, language detected); every message text of the
Ubuntu IRC corpus in ``../shared/data/irc`` and the VADER rated tweets in ``../shared/data/vader``
(``text_cues``, detected and English); the project's language fixtures ``tests/data/cues/lang``
(``text_cues`` per given language and detected, and the seven-language parallel conversation through
``message_cues``); and the 100k synthetic WhatsApp export of ``benchmarks/generate.py`` when present.
Third-party inputs are skipped (with a message) when ``../shared`` is absent.

``compare`` reports, per input and column, how many values differ (floats: more than 1e-12, NaN equal
to NaN) and prints up to five examples of each. Exit status 1 when anything differs.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "_work"
sys.path.insert(0, str(ROOT / "tests"))


def _inputs() -> dict[str, tuple[str, pd.DataFrame | pd.Series, dict]]:
    """name -> (function, input, keyword arguments)."""
    import reconnect_signals as rs

    from _shared import SHARED

    out: dict[str, tuple[str, pd.DataFrame | pd.Series, dict]] = {}
    out["example"] = ("message_cues", rs.load_example(), {})
    out["example_vader_ref"] = ("message_cues", rs.load_example(), {"sentiment": "vader-reference"})
    irc = SHARED / "data" / "irc"
    if irc.exists():
        from _cue_eval import irc_corpus_texts

        texts = irc_corpus_texts()
        out["irc"] = ("text_cues", texts, {})
        out["irc_en"] = ("text_cues", texts, {"language": "en"})
    else:
        print(f"skipped: {irc} absent", file=sys.stderr)
    vader = SHARED / "data" / "vader" / "tweets_GroundTruth.txt"
    if vader.exists():
        lines = vader.read_bytes().decode("utf-8", errors="replace").splitlines()
        tweets = pd.Series([ln.split("\t")[2] for ln in lines if ln.count("\t") >= 2], dtype="str")
        out["vader_tweets"] = ("text_cues", tweets, {})
    else:
        print(f"skipped: {vader} absent", file=sys.stderr)
    lang_dir = ROOT / "tests" / "data" / "cues" / "lang"
    every = []
    for code in ("de", "es", "fr", "pt", "it", "nl"):
        t = pd.read_json(lang_dir / f"{code}_messages.jsonl", lines=True, dtype={"item": "str"})["text"]
        t = t.astype("str")
        every.append(t)
        out[f"lang_{code}"] = ("text_cues", t, {"language": code})
        out[f"lang_{code}_en_rules"] = ("text_cues", t, {"language": "en"})
    out["lang_all_detected"] = ("text_cues", pd.concat(every, ignore_index=True), {})
    par = pd.read_csv(lang_dir / "parallel_conversation.csv", keep_default_na=False, dtype="str")
    frames = []
    for code in ("en", "de", "es", "fr", "pt", "it", "nl"):
        frames.append(
            pd.DataFrame(
                {
                    "conversation_id": code,
                    "timestamp": par["timestamp"],
                    "sender": par["sender"],
                    "text": par[code],
                    "kind": "text",
                }
            )
        )
    out["parallel"] = ("message_cues", rs.coerce(pd.concat(frames, ignore_index=True)), {})
    synth = WORK / "data" / "whatsapp_android_100k.txt"
    if synth.exists():
        out["synthetic_100k"] = ("message_cues", rs.read_chat(synth, tz="Europe/London"), {})
    return out


def dump(label: str, only: list[str] | None = None) -> None:
    import reconnect_signals as rs
    from reconnect_signals.cues import CUE_COLUMNS

    dest = WORK / f"cues_{label}"
    dest.mkdir(parents=True, exist_ok=True)
    for name, (fn, data, kw) in _inputs().items():
        if only and name not in only:
            continue
        t = time.perf_counter()
        res = getattr(rs, fn)(data, **kw)
        cols = [c for c in (*CUE_COLUMNS, "language") if c in res.columns]
        frame = res[cols].reset_index(drop=True)
        if "language" in frame:
            frame["language"] = frame["language"].astype(object)
        frame.to_parquet(dest / f"{name}.parquet")
        print(f"{name:22s} {len(frame):>8,} rows  {time.perf_counter() - t:6.2f} s")


def compare(a: str, b: str) -> int:
    da, db = WORK / f"cues_{a}", WORK / f"cues_{b}"
    bad = 0
    for pa_ in sorted(da.glob("*.parquet")):
        pb = db / pa_.name
        if not pb.exists():
            print(f"{pa_.stem}: missing in {b}")
            bad += 1
            continue
        x, y = pd.read_parquet(pa_), pd.read_parquet(pb)
        if list(x.columns) != list(y.columns) or len(x) != len(y):
            print(f"{pa_.stem}: columns/rows differ: {list(x.columns)} {len(x)} vs {list(y.columns)} {len(y)}")
            bad += 1
            continue
        diffs = []
        for c in x.columns:
            u, v = x[c].to_numpy(), y[c].to_numpy()
            if u.dtype.kind == "f":
                same = (np.isnan(u) & np.isnan(v)) | (np.abs(u - v) <= 1e-12)
            else:
                same = pd.Series(u).fillna("<NA>").to_numpy() == pd.Series(v).fillna("<NA>").to_numpy()
            where = np.flatnonzero(~same)
            if len(where):
                diffs.append(
                    f"  {c}: {len(where)} differ, e.g. rows {where[:5].tolist()}: "
                    f"{u[where[:5]].tolist()} vs {v[where[:5]].tolist()}"
                )
        status = "identical" if not diffs else "DIFFERENT"
        print(f"{pa_.stem:22s} {len(x):>8,} rows  {status}")
        for d in diffs:
            print(d)
        bad += bool(diffs)
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("label")
    d.add_argument("--only", default="", help="comma-separated input names")
    c = sub.add_parser("compare")
    c.add_argument("a")
    c.add_argument("b")
    args = ap.parse_args(argv)
    if args.cmd == "dump":
        dump(args.label, [s for s in args.only.split(",") if s] or None)
        return 0
    return compare(args.a, args.b)


if __name__ == "__main__":
    sys.exit(main())
