"""Engagement models: evaluation on the bundled example and on an IRC corpus; fit time at 100k.

Usage::

    python benchmarks/engagement.py example                 # the bundled Alex-Sam chat
    python benchmarks/engagement.py irc PATH/TO/data/irc    # Ubuntu IRC corpus (dev + test files)
    python benchmarks/engagement.py irc PATH --splits train,dev,test --files 40
    python benchmarks/engagement.py speed --size 100000     # fit time on a synthetic 100k chat

``example`` and ``irc`` print, for each target, the model against the base rate and the best
simple rule (AUC, Brier, reliability table) under time-ordered cross-validation (one chat)
or cross-validation grouped by conversation (the corpus: one conversation per IRC log file),
and the verdict in words. ``irc`` also runs time-ordered CV inside the largest log file.

``speed`` turns :func:`benchmarks.generate.generate_frame` (a seeded synthetic group chat)
into a two-person chat (each of its twelve invented people is mapped to one of two names)
and times ``rs.engagement_features`` + ``rs.engagement_model`` (features and the final fit),
and the full ``rs.evaluate_engagement`` without the associations. Record ``uptime`` with it:
the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path


def _show(result, out) -> None:
    print(result, file=out)
    if len(result.calibration):
        print("Reliability (out-of-fold):", file=out)
        print(result.calibration.to_string(index=False, float_format=lambda v: f"{v:.3f}"), file=out)
    print(file=out)


def run_example(out=None, *, n_bootstrap: int = 200) -> dict:
    """All three targets on ``rs.load_example()``; returns ``{target: EngagementEvaluation}``."""
    import reconnect_signals as rs

    out = out or sys.stdout
    msgs = rs.load_example()
    results = {}
    from reconnect_signals.engagement import TARGETS

    for target in TARGETS:
        r = rs.evaluate_engagement(msgs, target=target, n_bootstrap=n_bootstrap)
        _show(r, out)
        results[target] = r
    return results


def read_irc_corpus(path: str | os.PathLike, splits=("dev", "test"), files: int | None = None):
    """The ``*.raw.txt`` logs under ``path/<split>/`` as one frame (one conversation per file)."""
    import pandas as pd

    import reconnect_signals as rs

    paths = []
    for split in splits:
        found = sorted(Path(path, split).glob("*.raw.txt"))
        paths.extend(found[:files] if files else found)
    if not paths:
        raise SystemExit(f"no *.raw.txt files under {path}/{{{','.join(splits)}}}")
    frames = [rs.read_chat(p, format="irc", errors="ignore") for p in paths]
    return pd.concat(frames, ignore_index=True)


def run_irc(path, out=None, *, splits=("dev", "test"), files=None, n_bootstrap: int = 200) -> dict:
    """Grouped CV on the corpus and time-ordered CV inside its largest file, per target."""
    import reconnect_signals as rs

    out = out or sys.stdout
    msgs = read_irc_corpus(path, splits, files)
    n_conv = msgs["conversation_id"].nunique()
    print(f"IRC corpus: {len(msgs)} rows in {n_conv} log files ({', '.join(splits)})", file=out)
    results = {}
    from reconnect_signals.engagement import TARGETS

    for target in TARGETS:
        r = rs.evaluate_engagement(msgs, target=target, cv="conversation", n_bootstrap=n_bootstrap)
        print("[corpus, folds grouped by log file]", file=out)
        _show(r, out)
        results[("corpus", target)] = r
    largest = msgs["conversation_id"].value_counts().index[0]
    one = msgs[msgs["conversation_id"] == largest]
    print(f"[one log file, {len(one)} rows, time-ordered folds]", file=out)
    r = rs.evaluate_engagement(one, target="replied_within", cv="time", n_bootstrap=n_bootstrap)
    _show(r, out)
    results[("one file", "replied_within")] = r
    return results


def two_person_chat(n: int):
    """A seeded synthetic chat of ``n`` messages between two invented people."""
    sys.path.insert(0, str(Path(__file__).parent))
    from generate import PEOPLE, generate_frame

    import reconnect_signals as rs

    frame = generate_frame(n)
    index = {p: i for i, p in enumerate(PEOPLE)}
    two = frame["sender"].map(lambda s: None if s is None else ("Alex", "Sam")[index.get(s, 0) % 2])
    frame = frame.assign(sender=two.where(frame["sender"].notna()))
    return rs.coerce(frame)


def run_speed(size: int, out=None) -> dict:
    """Seconds for features + fit and for the evaluation (no associations) at ``size`` messages."""
    import reconnect_signals as rs

    out = out or sys.stdout
    msgs = two_person_chat(size)
    t0 = time.perf_counter()
    rs.engagement_model(msgs, target="replied_within")
    fit = time.perf_counter() - t0
    t0 = time.perf_counter()
    r = rs.evaluate_engagement(msgs, target="replied_within", associations=False, n_bootstrap=100)
    ev = time.perf_counter() - t0
    load = os.getloadavg()
    print(
        f"{len(msgs)} messages: engagement_model (cue table, features, targets, fit) {fit:.1f} s; "
        f"evaluate_engagement (5 time-ordered folds, rules, bootstrap, no associations) {ev:.1f} s; "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {os.cpu_count()} cores",
        file=out,
    )
    print(r, file=out)
    return {"fit_s": fit, "evaluate_s": ev, "load": load}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="what", required=True)
    sub.add_parser("example")
    irc = sub.add_parser("irc")
    irc.add_argument("path", help="the corpus's data folder (with dev/, test/, train/)")
    irc.add_argument("--splits", default="dev,test")
    irc.add_argument("--files", type=int, default=None, help="at most this many files per split")
    speed = sub.add_parser("speed")
    speed.add_argument("--size", type=int, default=100_000)
    args = ap.parse_args(argv)
    if args.what == "example":
        run_example()
    elif args.what == "irc":
        run_irc(args.path, splits=tuple(args.splits.split(",")), files=args.files)
    else:
        run_speed(args.size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
