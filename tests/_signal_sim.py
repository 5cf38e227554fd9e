"""Seeded simulations behind rs.signals' error rates, power and coverage (docs/signals.md).

The tests in tests/test_signals.py call these functions; ``python tests/_signal_sim.py``
prints the full table that docs/signals.md reports (takes a few minutes).

A generated chat is stationary unless ``plant`` says otherwise: two people, A and B,
sessions separated by more than the 6 h session gap plus an exponential pause, a geometric number of
messages per session, turn switches with probability 0.65, reply times drawn from a
log-normal distribution (median 3 min for A, 2 min for B; 30 s within one person's turn),
and texts assembled from a neutral vocabulary plus cue words, each added independently with
a fixed probability per person (``RATES``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import reconnect_signals as rs

TIMING = ("latency_median_s", "messages_per_day", "initiation_share", "double_text_rate")
# content words and words of every function-word category of language style matching
NEUTRAL = np.array(
    "the a it that was is can really just at to in and but not all some movie good tonight work today "
    "ok sounds great dinner late train home weekend plan call later nice".split(),
    dtype=object,
)
# probability that a message of each person carries each cue phrase (the two people differ, so
# their style matching is below 1)
RATES = {
    "A": {
        "we": 0.10,
        "I": 0.40,
        "you": 0.25,
        "I feel": 0.04,
        "sorry": 0.03,
        "haha": 0.15,
        "?": 0.25,
        "emoji": 0.30,
        "you always": 0.01,
    },
    "B": {
        "we": 0.15,
        "I": 0.30,
        "you": 0.30,
        "I feel": 0.06,
        "sorry": 0.05,
        "haha": 0.10,
        "?": 0.20,
        "emoji": 0.20,
        "you always": 0.01,
    },
}
# how often each person picks each neutral word (A leans on articles, 'it' and 'was')
VOCAB_WEIGHTS = {"A": np.where(np.isin(NEUTRAL, ["the", "a", "it", "was"]), 3.0, 1.0), "B": np.ones(len(NEUTRAL))}
REPLY_MEDIAN_S = {"A": 180.0, "B": 120.0}
DAY0 = pd.Timestamp("2024-01-01", tz="Europe/London")


# Every generated frame is kept with its recipe, and every reading of it with its arguments: the
# tests read the same seeded chats more than once (the quick null checks are the first seeds of the
# full ones; the null and coverage runs read the same chats with and without FDR control), and a
# seeded chat, its per-message cue table and a seeded rs.signals call are deterministic, so each is
# computed once per process. ``calls`` passes the kept cue table as ``per_message`` (the same table
# rs.signals computes itself: tests/test_signals.py checks that the result is identical).
_FRAMES: dict[tuple, pd.DataFrame] = {}
_RECIPE: dict[int, tuple] = {}  # id(frame) -> recipe, for the frames kept in _FRAMES
_PER_MESSAGE: dict[tuple, pd.DataFrame] = {}
_ROWS: dict[tuple, pd.DataFrame] = {}


def _kept(recipe: tuple, build) -> pd.DataFrame:
    if recipe not in _FRAMES:
        frame = build()
        _FRAMES[recipe] = frame
        _RECIPE[id(frame)] = recipe
    return _FRAMES[recipe]


def stationary_chat(
    n: int, seed: int, *, span_days: float | None = None, plant: dict | None = None, recent_days: float = 30.0
) -> pd.DataFrame:
    """A generated two-person chat of about ``n`` messages (the same object for the same arguments).

    ``plant`` multiplies B's cue probabilities in the last ``recent_days`` (e.g.
    ``{"we": 0.3, "sorry": 3}``) and B's median reply time (key ``"reply"``).
    """
    recipe = ("stationary", n, seed, span_days, tuple(sorted((plant or {}).items())), recent_days)
    return _kept(recipe, lambda: _stationary_chat(n, seed, span_days=span_days, plant=plant, recent_days=recent_days))


def _stationary_chat(
    n: int, seed: int, *, span_days: float | None = None, plant: dict | None = None, recent_days: float = 30.0
) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    plant = plant or {}
    span = span_days if span_days is not None else max(90.0, n / 10)
    n_sessions = int(np.ceil(n / 6)) + 1
    lengths = rng.geometric(1 / 6, size=n_sessions)
    lengths = lengths[: np.searchsorted(np.cumsum(lengths), n) + 1]
    lengths[-1] -= max(int(lengths.sum()) - n, 0)
    lengths = lengths[lengths > 0]
    session = np.repeat(np.arange(len(lengths)), lengths)
    first = np.r_[True, session[1:] != session[:-1]]
    m = len(session)
    who = np.empty(m, dtype=int)  # 0 = A, 1 = B
    switch = rng.random(m) < 0.65
    opener = rng.random(len(lengths)) < 0.5
    # sender of each message: opener, then flip on each switch (cumulative parity within a session)
    flips = np.where(first, 0, switch.astype(int))
    parity = np.cumsum(flips)
    parity_at_start = parity[first][session]
    who = (opener[session].astype(int) + parity - parity_at_start) % 2
    # sessions follow each other with more than the 6 h session gap in between (so they never
    # overlap), an exponential pause on top, spread to fill about ``span`` days
    pause = max(span * 86400 / len(lengths) - 7 * 3600, 600.0)
    noise = np.exp(rng.normal(0, 1.0, m))
    switch_gap = who[1:] != who[:-1]
    changed = np.r_[False, switch_gap] & ~first
    draft = np.where(changed, 150.0, 30.0) * noise  # durations before the plant, to place sessions
    starts = np.cumsum(
        np.r_[
            0.0,
            (np.bincount(session, np.where(first, 0, draft)) + 6.5 * 3600 + rng.exponential(pause, len(lengths)))[:-1],
        ]
    )
    late = np.repeat(starts, lengths) > starts[-1] - recent_days * 86400
    medians = np.where(who == 1, REPLY_MEDIAN_S["B"], REPLY_MEDIAN_S["A"])
    medians = np.where((who == 1) & late, medians * plant.get("reply", 1.0), medians)
    gaps = np.clip(np.where(changed, medians, 30.0) * noise, 1, 3 * 3600)
    gaps[first] = 0
    within = np.cumsum(gaps) - np.repeat(np.cumsum(gaps)[first], lengths)
    seconds = np.repeat(starts, lengths) + within
    texts = _texts(rng, who, late, plant)
    order = np.argsort(seconds, kind="stable")
    frame = pd.DataFrame(
        {
            "timestamp": DAY0 + pd.to_timedelta(np.round(seconds[order]), unit="s"),
            "sender": np.where(who[order] == 1, "B", "A"),
            "text": texts[order],
        }
    )
    return rs.coerce(frame, tz="Europe/London")


def _texts(rng, who, late, plant) -> np.ndarray:
    m = len(who)
    k = 1 + rng.poisson(3, size=m)
    pa, pb = (VOCAB_WEIGHTS[s] / VOCAB_WEIGHTS[s].sum() for s in ("A", "B"))
    words_b, words_a = rng.choice(NEUTRAL, size=(m, 6), p=pb), rng.choice(NEUTRAL, size=(m, 6), p=pa)
    words = np.where((who == 1)[:, None], words_b, words_a)
    words[np.arange(6)[None, :] >= k[:, None]] = ""
    base = pd.DataFrame(words).agg(" ".join, axis=1).str.strip().to_numpy(dtype=object)
    text = base.copy()
    for phrase in RATES["A"]:
        p = np.where(who == 1, RATES["B"][phrase], RATES["A"][phrase])
        prob = np.where((who == 1) & late, p * plant.get(phrase, 1.0), p)
        on = rng.random(m) < np.minimum(prob, 1.0)
        if phrase == "?":
            text = np.where(on, text + "?", text)
        elif phrase == "emoji":
            text = np.where(on, text + " \U0001f600", text)
        else:
            text = np.where(on, phrase + " " + text, text)
    return text.astype(str)


def shuffled_example(seed: int) -> pd.DataFrame:
    """The bundled example with each sender's texts shuffled among that sender's text messages.

    The same object for the same seed."""
    return _kept(("shuffled_example", seed), lambda: _shuffled_example(seed))


def _shuffled_example(seed: int) -> pd.DataFrame:
    msgs = rs.load_example()
    rng = np.random.default_rng(seed)
    text = msgs["text"].to_numpy(dtype=object).copy()
    for sender in msgs["sender"].dropna().unique():
        idx = np.flatnonzero((msgs["sender"].eq(sender) & msgs["kind"].eq("text")).to_numpy())
        text[idx] = text[rng.permutation(idx)]
    return msgs.assign(text=pd.Series(text, index=msgs.index, dtype="str"))


def calls(frames, **kw) -> pd.DataFrame:
    """Every row of ``rs.signals(frame, me="A")`` over ``frames``, with the frame's number."""
    out = []
    for i, msgs in enumerate(frames):
        out.append(_reading(msgs, kw).assign(run=i))
    return pd.concat(out, ignore_index=True)


def _reading(msgs: pd.DataFrame, kw: dict) -> pd.DataFrame:
    """``rs.signals(msgs, me=...)``, once per kept frame and arguments."""
    me = "Alex" if "Alex" in set(msgs["sender"]) else "A"
    recipe = _RECIPE.get(id(msgs))
    if recipe is None or _FRAMES.get(recipe) is not msgs:  # not a kept frame: read it as it is
        return rs.signals(msgs, me=me, **kw)
    key = (recipe, tuple(sorted(kw.items())))
    if key not in _ROWS:
        gap = kw.get("gap", "6h")
        if (recipe, gap) not in _PER_MESSAGE:
            _PER_MESSAGE[recipe, gap] = rs.cue_table(msgs, gap=gap)
        _ROWS[key] = rs.signals(msgs, me=me, per_message=_PER_MESSAGE[recipe, gap], **kw)
    return _ROWS[key].copy()


def call_rate(rows: pd.DataFrame, cues) -> tuple[float, int]:
    """Share of the readable rows of ``cues`` that say up or down, and how many rows."""
    sel = rows[rows["cue"].isin(cues) & rows["direction"].ne("too little data")]
    return float(sel["direction"].isin(["up", "down"]).mean()) if len(sel) else 0.0, len(sel)


def text_cues(rows) -> list[str]:
    return [c for c in rows["cue"].unique() if c not in TIMING]


def coverage(rows: pd.DataFrame, truth: dict) -> tuple[float, int]:
    """Share of rows with an interval whose interval holds the true change ``truth[cue]``."""
    sel = rows[rows["cue"].isin(list(truth)) & rows["low"].notna()]
    true = sel["cue"].map(truth).astype("float64")
    return float(((sel["low"] <= true) & (true <= sel["high"])).mean()), len(sel)


PLANT = {"we": 0.3, "sorry": 3.0, "reply": 2.0}


def power(seeds, n_recent_b: int = 150, **kw) -> dict:
    """Share of seeds reading each planted change in the right direction."""
    # B writes about half the messages: ~2 * n_recent_b messages in the last 30 days
    per_day = 2 * n_recent_b / 30
    span = 300.0
    frames = [stationary_chat(int(per_day * span), seed, span_days=span, plant=PLANT) for seed in seeds]
    rows = calls(frames, **kw)
    rows = rows[rows["sender"].eq("B")].set_index("cue")
    want = {"we_rate": "down", "apology_rate": "up", "latency_median_s": "up"}
    n_recent = float(rows.loc["question_rate", "n_recent"].mean())
    return {cue: float((rows.loc[cue, "direction"] == d).mean()) for cue, d in want.items()} | {"n_recent": n_recent}


def main() -> None:  # pragma: no cover - prints the tables of docs/signals.md
    seeds = range(20)
    rows = calls([shuffled_example(s) for s in seeds])
    print("example, texts shuffled within sender: text cues", call_rate(rows, text_cues(rows)))
    for n in (200, 1000, 5000):
        rows = calls([stationary_chat(n, s) for s in seeds], trend=True)
        print(f"stationary n={n}: text", call_rate(rows, text_cues(rows)), "timing", call_rate(rows, TIMING))
        readable = rows[rows["trend"].ne("too little data")]
        print(
            "  trend: share rising/falling",
            float(readable["trend"].isin(["rising", "falling"]).mean()) if len(readable) else None,
            len(readable),
        )
        marg = calls([stationary_chat(n, s) for s in seeds], fdr=False)
        truth = {c: 0.0 for c in marg["cue"].unique()}
        print("  marginal 90 % coverage of 0 (all cues)", coverage(marg, truth))
        for cue in marg["cue"].unique():
            print("    ", cue, coverage(marg, {cue: 0.0}))
    for nb in (150, 200, 300, 600):
        print(f"power, ~{nb} recent messages of B", power(range(20), nb))
        print("  without FDR control", power(range(20), nb, fdr=False))
        marg = calls(
            [stationary_chat(int(2 * nb / 30 * 300), s, span_days=300.0, plant=PLANT) for s in range(20)], fdr=False
        )
        marg = marg[marg["sender"].eq("B")]
        print(
            "  marginal 90 % coverage, planted apology_rate (+0.10) and reply time (+120 s)",
            coverage(marg, {"apology_rate": 2 * RATES["B"]["sorry"], "latency_median_s": 120.0}),
        )


if __name__ == "__main__":  # pragma: no cover
    main()
