"""Copy the annotators' JSON-lines labels into the repository's label tables (dev tool).

Reads ``/work/annotation/labels/irc_batch_*.jsonl`` (one object per item: ``item``,
``i_statement``, ``you_criticism``, ``apology``, ``question``, ``note``) and writes
``tests/data/cues/real_eval/labels.csv`` (the labels used for evaluation, one row per item, with the
batch file each came from as ``annotator``); ``irc_overlap_*.jsonl`` (items labelled a second time by
another annotator, for agreement) go to ``labels_overlap.csv``; ``synthetic_batch.jsonl`` (the
independent relabelling of ``tests/data/cues/labelled_messages.csv``, items ``syn000`` ... in file
order) to ``tests/data/cues/labelled_messages_independent.csv``. No message text is copied (notes
quote at most three words of a message, by the annotation guide).

Run: ``python tools/import_cue_labels.py [--labels /work/annotation/labels]``; for a held-out set
(``tests/data/cues/real_eval_v3/``, ``real_eval_v4/``): ``python tools/import_cue_labels.py --v3 /work/annotation/v3``
or ``--v4 /work/annotation/v4/labels`` (files ``vN_labels_K.jsonl`` and ``vN_overlap_labels_K.jsonl``).
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "cues"
CUES = ("i_statement", "you_criticism", "apology", "question")


def read(path: Path) -> list[dict]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            rows.append(
                {
                    "item": d["item"],
                    **{c: int(d[c]) for c in CUES},
                    "note": " ".join(str(d.get("note", "")).split()),
                    "annotator": path.stem,
                }
            )
    return rows


def write(rows: list[dict], path: Path) -> None:
    items = [r["item"] for r in rows]
    if len(set(items)) != len(items):
        raise SystemExit(f"duplicate items for {path}")
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, ["item", *CUES, "note", "annotator"])
        w.writeheader()
        w.writerows(sorted(rows, key=lambda r: r["item"]))
    print(path.relative_to(ROOT), len(rows), {c: sum(r[c] for r in rows) for c in CUES})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--labels", type=Path, default=Path("/work/annotation/labels"))
    ap.add_argument("--v3", type=Path, default=None, help="folder of the v3 labels (v3_labels_K.jsonl)")
    ap.add_argument("--v4", type=Path, default=None, help="folder of the v4 labels (v4_labels_K.jsonl)")
    args = ap.parse_args()
    for name, folder in (("v3", args.v3), ("v4", args.v4)):
        if folder:  # held-out set: vN_labels_K.jsonl (batch K) and vN_overlap_labels_K.jsonl (batch K+1 read again)
            first = [r for p in sorted(folder.glob(f"{name}_labels_*.jsonl")) for r in read(p)]
            write(first, OUT / f"real_eval_{name}" / "labels.csv")
            overlap = [r for p in sorted(folder.glob(f"{name}_overlap_labels_*.jsonl")) for r in read(p)]
            write(overlap, OUT / f"real_eval_{name}" / "labels_overlap.csv")
    if args.v3 or args.v4:
        return
    write([r for p in sorted(args.labels.glob("irc_batch_*.jsonl")) for r in read(p)], OUT / "real_eval" / "labels.csv")
    overlap = sorted(args.labels.glob("irc_overlap_*.jsonl"))
    if overlap:
        write([r for p in overlap for r in read(p)], OUT / "real_eval" / "labels_overlap.csv")
    synthetic = args.labels / "synthetic_batch.jsonl"
    if synthetic.exists():
        write(read(synthetic), OUT / "labelled_messages_independent.csv")


if __name__ == "__main__":
    main()
