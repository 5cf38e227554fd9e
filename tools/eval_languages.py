"""Score the language lexicons on the labelled sets (development tool, issue 19).

Usage: ``python tools/eval_languages.py [rounds] [langs] [cues-to-list]``, e.g.
``python tools/eval_languages.py 1,2 de,fr i_statement,apology`` prints precision / recall per
round and language (language given, not detected), the parallel-conversation totals, and with the
third argument every disagreement with the annotator's note.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from reconnect_signals.cues import text_cues

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "cues" / "lang"
CUES = ("i_statement", "apology", "question", "you_criticism")


def labelled(lang: str, rnd: str) -> pd.DataFrame:
    suffix = "" if rnd == "1" else f"_{rnd}"
    t = pd.read_json(DATA / f"{lang}_messages{suffix}.jsonl", lines=True, dtype={"item": "str"})
    lab = pd.read_json(DATA / f"{lang}_labels{suffix}.jsonl", lines=True, dtype={"item": "str"})
    return t.merge(lab, on="item", validate="one_to_one")


def main() -> None:
    rounds = (sys.argv[1] if len(sys.argv) > 1 else "1,2,3").split(",")
    langs = (sys.argv[2] if len(sys.argv) > 2 else "de,fr,nl,es,pt,it").split(",")
    show = sys.argv[3].split(",") if len(sys.argv) > 3 else []
    for rnd in rounds:
        for lang in langs:
            df = labelled(lang, rnd)
            pred = text_cues(df["text"], language=lang, sentiment=False)
            row = [f"r{rnd} {lang}"]
            for cue in CUES:
                p = pred[cue].to_numpy(bool)
                g = df[cue].astype(bool).to_numpy()
                tp = (p & g).sum()
                row.append(f"{cue[:5]} {tp / max(p.sum(), 1):.2f}/{tp / max(g.sum(), 1):.2f}")
            print(" | ".join(row))
            for cue in show:
                p = pred[cue].to_numpy(bool)
                g = df[cue].astype(bool).to_numpy()
                for i in np.where(p != g)[0]:
                    print(f"   {cue} {'FP' if p[i] else 'FN'} {df.item[i]}: {df.text[i]!r}  // {df.note[i]}")
    par = pd.read_csv(DATA / "parallel_conversation.csv", keep_default_na=False, dtype="str")
    rows = {}
    for lang in ("en", *langs):
        out = text_cues(par[lang], language=lang, sentiment=False)
        rows[lang] = {c: int(out[c].sum()) for c in ("i_statement", "apology", "question", "you_criticism")}
    print(pd.DataFrame(rows).T.to_string())


if __name__ == "__main__":
    main()
