"""``signals``: has anything changed lately? A before/recent reading of each cue, with intervals.

For each person (every sender but ``me``), each cue is measured twice: in the ``recent``
window that ends at the last message of the frame, and over everything before it. The
result is one row per (sender, cue) with both values, the change, an interval for the
change, the counts behind the values, a direction that is only ``"up"`` or ``"down"`` when
the evidence says so, and one plain-language sentence.

How the intervals are made (``docs/signals.md`` has the details and the simulations):

- Messages come in conversations, so they are not independent. The unit of resampling is
  a *day*: every calendar day of each window (silent days included) is one block, and
  every message belongs to the day its session started, so a session is never split. The
  two windows are resampled separately (a stratified block bootstrap); all resamples are
  drawn at once as one matrix of block weights per window, shared by every cue and person.
- Shares of words (``we_rate``, ...), shares of messages (``question_rate``, ...) and means
  per message (``words_per_message``, ``sentiment_mean``, ...) are ratios of block totals,
  re-computed for every resample. The median reply time is the weighted median of the
  replies in the resampled days. Language style matching is biased low when there are few
  words, which a bootstrap misjudges, so its interval comes from a block permutation: whole
  days reassigned at random between the windows give the difference expected when nothing
  changed, bias included. Messages a day are the resampled messages over the
  window's length.
- The change's interval is a percentile interval of the resampled differences. With
  ``fdr=True`` (default) the readings of one call are one family: a reading says
  ``"up"``/``"down"`` only when it is selected by the Benjamini-Hochberg procedure at
  ``q = 1 - level``, and the intervals shown are the Benjamini-Yekutieli (2005)
  false-coverage-rate adjusted intervals, so "up" and "down" happen exactly when the
  interval shown lies wholly above (below) both zero and the cue's practical tolerance.

This is a description of how someone wrote, measured the same way in two periods. It is
not advice, and it does not predict what will happen or say what anyone feels. The research
behind each cue (see the library's cue specification) comes from dating, couples and chat
studies in which the effects are small and hold for group averages; people reply late, write
less or use fewer emoji for many reasons that have nothing to do with the other person.
"""

from __future__ import annotations

import logging
import math
from typing import NamedTuple

import numpy as np
import pandas as pd

from .cues._catalogue import FORMATS, SignalWording, _duration, _trim, signal_specs
from .schema import validate

__all__ = ["signals", "SIGNAL_CUES", "SignalCue"]

logger = logging.getLogger(__name__)


class SignalCue(NamedTuple):
    """How :func:`signals` reads one cue (one record of :data:`SIGNAL_CUES`, made from the cue catalogue)."""

    column: str  # the cue-table column
    label: str
    unit: str  # a key of cues._catalogue.FORMATS: how values and changes are written
    stat: str  # "words", "messages", "mean", "median", "lsm", "per_day": see _STATS
    num: str  # block total in the numerator ("" for median and lsm)
    den: str  # block total in the denominator ("days" for per_day, "" for median and lsm)
    tolerance: float  # practical tolerance of the change (absolute, in the cue's units)
    relative: bool  # True: the tolerance is a fraction of |before| instead
    warmer: str  # the direction research reads as more engaged: "up", "down" or ""


#: The cues :func:`signals` reads, in output order: every catalogue entry with signal wording
#: (:func:`reconnect_signals.cues._catalogue.signal_specs`). ``stat`` is the kind of statistic:
#: a share of words, a share of messages, a mean per message, a median, language style
#: matching, or a count per day. A change counts only when its interval lies beyond both
#: zero and ``tolerance`` (relative to the earlier value when ``relative``).
SIGNAL_CUES: tuple[SignalCue, ...] = tuple(
    SignalCue(
        s.column,
        s.signal.label,
        s.signal.value_format,
        s.stat,
        *s.totals,
        s.signal.tolerance,
        s.signal.relative,
        s.warmer_direction,
    )
    for s in signal_specs()
    if s.signal is not None
)
#: The catalogue's wording of each cue in :data:`SIGNAL_CUES` (sentences, note, basis of the counts).
_WORDING: dict[str, SignalWording] = {s.column: s.signal for s in signal_specs() if s.signal is not None}

#: How each kind of statistic is re-computed on a resample (documented in docs/signals.md).
_STATS = {
    "words": "ratio of block totals: 100 * sum(cue words) / sum(words); Jeffreys Gamma(k + 1/2) / words "
    "below 10 cue words",
    "messages": "ratio of block totals: sum(flagged messages) / sum(messages); Jeffreys Beta(k + 1/2, "
    "n - k + 1/2) below 10 flagged (or unflagged) messages",
    "mean": "ratio of block totals: sum(values) / sum(messages)",
    "median": "weighted median of the replies in the resampled days",
    "lsm": "block permutation of days between the windows (the null distribution of the LSM difference, "
    "small-sample bias included); interval = observed difference minus the permuted ones",
    "per_day": "resampled messages / days in the window",
}

UP, DOWN, UNCLEAR, THIN = "up", "down", "no clear change", "too little data"

_COLUMNS = [
    "sender",
    "cue",
    "before",
    "recent",
    "change",
    "low",
    "high",
    "p_value",
    "n_before",
    "n_recent",
    "direction",
    "summary",
    "reading",
    "caution",
]
_UNITS = {
    "text": "text messages",
    "messages": "messages",
    "replies": "replies",
    "sessions": "conversations started (by anyone)",
    "words": "words",
}
#: A window needs at least this many day blocks (with data, for ratios) for an interval.
MIN_BLOCKS = 5
#: Fewer events (or non-events) than this in a window: Jeffreys posterior instead of the bootstrap.
RARE_EVENTS = 10
_MAX_GATHER = 20_000_000  # cells of one resample-by-reply matrix (weighted medians, in chunks)
_MAX_RESAMPLES = 4000  # automatic raise stops here (a resamples-by-days matrix per window)
#: Catalogue rules whose source is summed over text messages (block totals of text quantities).
_TEXT_RULES = ("pct_words", "share_text_messages", "per_text_message")


# --------------------------------------------------------------------------- formatting


def _signed(value: float, decimals: int) -> str:
    text = f"{value:+.{decimals}f}"
    if float(text) == 0:
        text = f"{0:.{decimals}f}"
    return text.replace("-", "\u2212")


def _change_text(unit: str, change: float, low: float, high: float) -> str:
    """``change -0.6 pp [-1.5, +0.3]`` in the cue's units (one time unit for a duration)."""
    fmt = FORMATS[unit]
    scale, decimals, suffix = fmt.scale, fmt.decimals, fmt.suffix
    if scale is None:  # seconds: one unit for the change and both bounds
        biggest = np.nanmax(np.abs([change, low, high]))
        div, suffix = (
            (1, " s")
            if biggest < 90
            else (60, " min")
            if biggest < 5400
            else (3600, " h")
            if biggest < 172800
            else (86400, " days")
        )
        scale = 1 / div
        decimals = 0 if div == 1 else 1
    text = f"change {_signed(change * scale, decimals)}{suffix}"
    if not (np.isnan(low) or np.isnan(high)):
        text += f" [{_signed(low * scale, decimals)}, {_signed(high * scale, decimals)}]"
    return text


# --------------------------------------------------------------------------- the function


def signals(
    msgs: pd.DataFrame,
    *,
    me: str | None = None,
    recent: str | pd.Timedelta = "30D",
    gap: str | pd.Timedelta = "6h",
    per_message: pd.DataFrame | None = None,
    level: float = 0.90,
    fdr: bool = True,
    n_resamples: int = 1000,
    random_state: int | np.random.Generator | None = 0,
    trend: bool = False,
    trend_freq: str = "W",
    min_messages: int = 20,
    min_replies: int = 5,
    min_words: int = 50,
) -> pd.DataFrame:
    """How each cue of the other person changed lately, with an interval and one sentence per cue.

    Parameters
    ----------
    msgs : DataFrame
        A message frame (it is not modified).
    me : str, optional
        Your sender name: the reading covers every *other* sender. ``None`` reads every
        sender.
    recent : str or Timedelta, default "30D"
        Length of the recent window, which ends at the last message of the frame; it is
        compared with everything before it.
    gap : str or Timedelta, default "6h"
        Session gap, passed to :func:`~reconnect_signals.cue_table` (sessions decide reply
        times, conversation starts and the day each message is resampled with).
    per_message : DataFrame, optional
        The per-message cue table of ``msgs``, exactly ``rs.cue_table(msgs, gap=gap)``, when
        it is already computed (the report computes it once); the cues are then not
        computed again.
    level : float, default 0.90
        Nominal level of the intervals. 90 %: a direction is a one-sided claim, and a
        two-sided 90 % interval leaves 5 % on each side.
    fdr : bool, default True
        Treat the readings of this call (cues x people) as one family: directions from the
        Benjamini-Hochberg procedure at ``q = 1 - level`` and intervals adjusted for the
        false-coverage rate (Benjamini & Yekutieli 2005). ``False`` gives each row its own
        marginal ``level`` interval and direction (no multiplicity control).
    n_resamples : int, default 1000
        Bootstrap resamples (raised automatically when a large family needs more to reach
        the adjusted level).
    random_state : int, Generator or None, default 0
        Seed of the resampling; the default makes the output reproducible.
    trend : bool, default False
        Also read the whole timeline: adds ``trend`` (``"rising"``, ``"falling"``, ``"no
        clear trend"`` or ``"too little data"``), ``trend_slope`` (Sen's slope per
        ``trend_freq`` period, in the cue's units) with its interval ``trend_low`` and
        ``trend_high``, ``trend_p`` (Mann-Kendall p-value, variance corrected for
        autocorrelation) and ``changed_at`` (start of the first period after the most likely
        change in level, Pettitt's test; only for a clear trend). See
        :func:`~reconnect_signals.plot_trend`.
    trend_freq : str, default "W"
        Period of the values the trend is read on (``"W"``, ``"MS"``, ...).
    min_messages : int, default 20
        Fewer messages than this in either window makes a per-message cue ``"too little
        data"``.
    min_replies : int, default 5
        Fewer replies (for reply time) or conversations started (for initiation) than this in
        either window makes the cue ``"too little data"``.
    min_words : int, default 50
        Language style matching needs this many words from each side in a window
        (:func:`~reconnect_signals.style_matching`).

    Returns
    -------
    DataFrame
        One row per (sender, cue) with ``sender``, ``cue`` (the cue-table column:
        ``latency_median_s``, ``messages_per_day``, ``words_per_message``,
        ``initiation_share``, ``double_text_rate``, ``question_rate``, ``we_rate``,
        ``i_rate``, ``you_rate``, ``i_statement_rate``, ``you_criticism_rate``,
        ``apology_rate``, ``sentiment_mean``, ``laughter_rate``, ``emoji_per_message`` and,
        when exactly two people write, ``lsm``), ``before``, ``recent``, ``change``
        (``recent - before``), ``low`` and ``high`` (the interval of the change; missing
        when there is too little data), ``p_value`` (bootstrap p-value of "the change lies
        within the tolerance"), ``n_before``, ``n_recent`` (the count behind each value:
        replies, messages, text messages, conversations started or words, as the
        ``caution`` and the sentence say), ``direction`` (``"up"``, ``"down"``, ``"no clear
        change"`` or ``"too little data"``; never missing; ``"up"`` for reply time means
        slower), ``summary`` (``"3.6 % vs 4.2 %, change -0.6 pp [-1.5, +0.3]"``: recent vs
        before), ``reading`` (one sentence) and ``caution`` (why to be careful, or
        missing). ``out.attrs["reconnect_signals"]["signals"]`` records the method, the
        interval level actually shown, the multiplicity control and the resamples.

    Notes
    -----
    Values are those of :func:`~reconnect_signals.cue_table` grouped by sender and window
    (reply times and sessions measured on the whole conversation), ``messages_per_day``
    (messages divided by the window's length in days) and ``lsm`` (Ireland & Pennebaker
    2010, on each window's pooled text).

    Intervals come from a block bootstrap that resamples whole days (each message belongs to
    the day its session started; silent days count) separately in each window; each kind of
    statistic is re-computed on every resample (ratios of totals for shares of words, shares
    of messages and means; a weighted median for reply time; for LSM a permutation of days
    between the windows).
    ``"up"``/``"down"`` needs the interval to exclude zero *and* the cue's practical
    tolerance (:data:`SIGNAL_CUES`); with ``fdr=True`` the interval is the false-coverage
    adjusted one, so the cues x people read at once keep a false discovery rate of at most
    ``1 - level`` (Benjamini & Hochberg 1995; positive dependence assumed).

    Measured on seeded simulations (``tests/_signal_sim.py``; ``docs/signals.md`` has the
    tables): with nothing changing, the share of readings saying "up" or "down" was 0 % for
    text cues on the bundled example with each person's texts shuffled (240 readings), and
    at most 1.3 % for text cues and 0 % for timing cues on generated stationary chats of 200,
    1,000 and 5,000 messages (the old tolerance-only rule: 31 %). Planted changes (we-talk
    -70 %, median reply time x2, apologies x3) were read in the right direction in 100 %,
    85 % and 80 % of seeds with ~155 recent messages of the person, and 100 %, 90 %, 90 %
    with ~200. Marginal 90 % intervals (``fdr=False``) covered the true change in 89.4 % of
    960 stationary readings and 88.8 % of 80 planted ones.

    This function describes; it does not advise or predict. The research behind each cue
    (Ireland et al. 2011; Huang et al. 2017; Karan et al. 2019; Slatcher et al. 2008) finds
    small effects in group averages, and none of these cues is validated as a sign of one
    person's feelings: a change can come from work, health, a new phone or nothing at all.

    Examples
    --------
    >>> import reconnect_signals as rs
    >>> msgs = rs.load_example()
    >>> out = rs.signals(msgs, me="Alex")
    >>> out["sender"].unique().tolist()
    ['Sam']
    >>> out.columns.tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['sender', 'cue', 'before', 'recent', 'change', 'low', 'high', 'p_value', 'n_before',
     'n_recent', 'direction', 'summary', 'reading', 'caution']
    >>> set(out["direction"]) <= {"up", "down", "no clear change", "too little data"}
    True
    >>> row = out.set_index("cue").loc["words_per_message"]
    >>> row["reading"].startswith("Sam")
    True
    >>> out.attrs["reconnect_signals"]["signals"]["multiplicity"][:18]
    'Benjamini-Hochberg'
    """
    validate(msgs)
    window = _check(recent, level, n_resamples, min_messages, min_replies, min_words)
    per, person, senders = _people(msgs, me, gap, per_message)
    rng = random_state if isinstance(random_state, np.random.Generator) else np.random.default_rng(random_state)
    targets = [s for s in senders if s != me]
    if not targets:
        return _finish(_empty(), {})

    data = _Data.build(per, person, senders, window, min_words)
    data.limits = (min_messages, min_replies, min_words)
    if fdr:  # enough resamples for the most extreme adjusted level this family can need (capped)
        needed = math.ceil(4 * len(targets) * len(SIGNAL_CUES) / (1 - level))
        if needed > _MAX_RESAMPLES:
            logger.info(
                "signals: %d readings need %d resamples; using %d",
                len(targets) * len(SIGNAL_CUES),
                needed,
                _MAX_RESAMPLES,
            )
        n_resamples = max(n_resamples, min(needed, _MAX_RESAMPLES))
    rows, draws = [], []
    for sender in targets:
        for cue in SIGNAL_CUES:
            if cue.stat == "lsm" and data.lsm is None:
                continue
            row, boot = _measure(data, sender, cue, rng, n_resamples, (min_messages, min_replies, min_words))
            rows.append(row)
            draws.append(boot)
    meta = _decide(rows, draws, level, fdr)
    for row in rows:
        _words(row, data)
    out = _finish(pd.DataFrame(rows, columns=_COLUMNS), meta)
    if trend:
        trends = _trend(per, person, targets, senders, trend_freq, level, fdr)
        out = out.merge(trends, on=["sender", "cue"], how="left", validate="one_to_one")
        out["trend"] = out["trend"].fillna(THIN).astype("str")
        out.attrs["reconnect_signals"] = {
            "signals": meta
            | {
                "trend": (
                    f"Mann-Kendall test on {trend_freq} values (Hamed-Rao variance for autocorrelation), Sen's slope "
                    f"with its {100 * level:.0f} % interval, "
                    + ("Benjamini-Hochberg" if fdr else "no")
                    + f" multiplicity control; at least {MIN_PERIODS} periods; "
                    "change point: Pettitt's test"
                )
            }
        }
    logger.debug("signals: %d rows for %s, recent=%s", len(out), targets, recent)
    return out


def _check(recent, level, n_resamples, min_messages, min_replies, min_words) -> pd.Timedelta:
    try:
        window = pd.Timedelta(recent)
    except (ValueError, TypeError):
        raise ValueError(f"recent must be a duration such as '30D' or '2W', got {recent!r}") from None
    if window <= pd.Timedelta(0):
        raise ValueError(f"recent must be a positive duration such as '30D', got {recent!r}")
    limits = {
        "min_messages": min_messages,
        "min_replies": min_replies,
        "min_words": min_words,
        "n_resamples": n_resamples,
    }
    for name, value in limits.items():
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
            raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    if n_resamples < 100:
        raise ValueError(f"n_resamples must be at least 100 for a usable interval, got {n_resamples}")
    if isinstance(level, bool) or not isinstance(level, float | int) or not 0.5 <= level < 1:
        raise ValueError(f"level must be a number in [0.5, 1) such as 0.90, got {level!r}")
    return window


def _people(msgs, me, gap, per_message) -> tuple[pd.DataFrame, np.ndarray, list]:
    """The per-message cue table (given or computed), its person rows and the sorted senders."""
    from .structure import EXCLUDED_KINDS

    if per_message is None:
        from .table import cue_table

        per = cue_table(msgs, gap=gap)
    else:
        per = _check_per_message(per_message, msgs)
    person = (
        ~per["kind"].astype("str").isin(EXCLUDED_KINDS) & per["sender"].notna() & per["timestamp"].notna()
    ).to_numpy()
    senders = sorted(per.loc[person, "sender"].unique().tolist())
    if me is not None and me not in senders:
        raise ValueError(f"me={me!r} is not a sender of msgs; pass one of {senders} (or me=None)")
    return per, person, senders


_NEEDED = tuple(
    dict.fromkeys(
        (
            "sender",
            "kind",
            "timestamp",
            "text",
            "conversation_id",
            "session_id",
            "is_session_start",
            "latency_s",
            "is_reply",
            "words",
            *(src for s in signal_specs() for src in s.source),
        )
    )
)


def _check_per_message(per: pd.DataFrame, msgs: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(per, pd.DataFrame):
        raise TypeError(f"per_message must be the DataFrame of rs.cue_table(msgs), got {type(per).__name__}")
    missing = [c for c in _NEEDED if c not in per.columns]
    if missing or len(per) != len(msgs):
        raise ValueError(
            "per_message must be rs.cue_table(msgs, gap=gap) of the same msgs (one row per message, "
            f"every cue and structure column); it has {len(per)} rows for {len(msgs)} messages"
            + (f" and lacks {missing}" if missing else "")
        )
    return per


def _empty() -> pd.DataFrame:
    out = pd.DataFrame({c: pd.Series([], dtype="str") for c in _COLUMNS})
    return out


def _finish(out: pd.DataFrame, meta: dict) -> pd.DataFrame:
    for c in ("sender", "cue", "direction", "summary", "reading", "caution"):
        out[c] = out[c].astype("str")
    for c in ("before", "recent", "change", "low", "high", "p_value"):
        out[c] = out[c].astype("float64")
    for c in ("n_before", "n_recent"):
        out[c] = out[c].astype("int64")
    out.attrs["reconnect_signals"] = {"signals": meta}
    return out


# --------------------------------------------------------------------------- block totals


class _Data:
    """Block totals of one frame: what every row of one :func:`signals` call reads."""

    label: str  # "30 days"
    days: dict  # period -> length in days
    blocks: dict  # period -> number of day blocks
    senders: list
    totals: dict  # (period, quantity) -> array (n_senders, n_blocks)
    replies: dict  # (period, sender index) -> (sorted latencies, their blocks)
    lsm: dict | None  # period -> (counts array (2, n_blocks, 1 + categories)) or None
    lsm_words: dict  # (sender, period) -> words
    limits: tuple  # (min_messages, min_replies, min_words)
    _weights: dict  # period -> block weights, drawn on first use

    def weights(self, period: str, rng, n_resamples: int) -> np.ndarray | None:
        """The block weights of ``period``: drawn once per call, shared by every cue and person."""
        if period not in self._weights:
            nb = self.blocks[period]
            self._weights[period] = _weights(rng, nb, n_resamples) if nb else None
        return self._weights[period]

    @classmethod
    def build(cls, per, person, senders, window, min_words) -> _Data:
        self = cls()
        self._weights = {}
        ts = per["timestamp"]
        last, first = ts[person].max(), ts[person].min()
        cut = last - window
        self.label = _span_label(window)
        self.days = {"before": max((cut - first) / pd.Timedelta("1D"), 0.0), "recent": window / pd.Timedelta("1D")}
        self.senders = senders
        recent = (ts > cut).to_numpy() & person
        before = ~recent & person
        # the day each message is resampled with: the local day its session started
        start = ts.where(per["is_session_start"].to_numpy() & person)
        keys = [per["conversation_id"].to_numpy(), per["session_id"].to_numpy()]
        session_start = start.groupby(keys, dropna=False).transform("min").fillna(ts)
        day = _local_day(session_start)
        bounds = {
            "before": (_local_day(pd.Series([first]))[0], _local_day(pd.Series([cut]))[0]),
            "recent": (_local_day(pd.Series([cut]))[0], _local_day(pd.Series([last]))[0]),
        }
        sender_code = pd.Categorical(per["sender"], categories=senders).codes.astype("int64")
        kind = per["kind"].astype("str").to_numpy()
        text = person & (kind == "text")
        per_row = _block_quantities(per, person, text)
        latency = per["latency_s"].to_numpy(dtype="float64")
        is_reply = person & per["is_reply"].to_numpy(dtype=bool) & ~np.isnan(latency)
        ns = len(senders)
        self.totals, self.blocks, self.replies, block_of = {}, {}, {}, {}
        for p, mask in (("before", before), ("recent", recent)):
            lo, hi = bounds[p]
            nb = max(int(hi - lo) + 1, 1)
            self.blocks[p] = nb if mask.any() else 0
            b = np.clip(day - lo, 0, nb - 1)
            block_of[p] = b
            idx = (sender_code * nb + b)[mask]
            for q, values in per_row.items():
                self.totals[p, q] = np.bincount(idx, weights=values[mask], minlength=ns * nb).reshape(ns, nb)
            for cue in SIGNAL_CUES:  # "<source>_all": the source summed over every sender
                if cue.den.endswith("_all"):
                    everyone = self.totals[p, cue.num].sum(axis=0, keepdims=True)
                    self.totals[p, cue.den] = np.repeat(everyone, ns, axis=0)
            for s in range(ns):
                sel = mask & is_reply & (sender_code == s)
                order = np.argsort(latency[sel], kind="stable")
                self.replies[p, s] = (latency[sel][order], b[sel][order])
        self.lsm, self.lsm_words = None, {}
        if ns == 2:
            self._style(per, sender_code, kind, {"before": before, "recent": recent}, block_of, min_words)
        return self

    def _style(self, per, sender_code, kind, masks, block_of, min_words):
        from .style import _category_counts

        text = (kind == "text") & per["sender"].notna().to_numpy()
        counts = _category_counts(per.loc[text, "text"]).to_numpy(dtype="float64")
        self.lsm = {}
        for p, mask in masks.items():
            nb = max(self.blocks[p], 1)
            keep = mask[text]
            arr = np.zeros((2, nb, counts.shape[1]))
            np.add.at(arr, (sender_code[text][keep], block_of[p][text][keep]), counts[keep])
            self.lsm[p] = arr
            for s, name in enumerate(self.senders):
                self.lsm_words[name, p] = int(arr[s, :, 0].sum())


def _block_quantities(per: pd.DataFrame, person: np.ndarray, text: np.ndarray) -> dict[str, np.ndarray]:
    """Per-row values of every block total a :data:`SIGNAL_CUES` ratio reads (zero outside its rows).

    Which rows a source is summed over follows the cue's catalogue rule: text messages for word
    counts, flags and per-message sums; text messages with a value for a mean (``<source>_n``
    counts them); person messages for message flags and sessions opened.
    """
    out = {
        "messages": person.astype("float64"),
        "text": text.astype("float64"),
        "words": np.where(text, per["words"].fillna(0).to_numpy(dtype="float64"), 0.0),
    }
    for spec in signal_specs():
        rule, src = spec.rule, spec.source[0] if spec.source else ""
        if rule in _TEXT_RULES:
            out[src] = np.where(text, per[src].fillna(0).to_numpy(dtype="float64"), 0.0)
        elif rule == "mean_text":
            values = per[src].to_numpy(dtype="float64")
            ok = text & ~np.isnan(values)
            out[src] = np.where(ok, values, 0.0)
            out[f"{src}_n"] = ok.astype("float64")
        elif rule in ("share_messages", "share_sessions_opened"):
            out[src] = (person & per[src].to_numpy(dtype=bool)).astype("float64")
    return out


def _local_day(ts: pd.Series) -> np.ndarray:
    """Days since 1970 of each timestamp's own wall clock (its time zone's calendar day)."""
    naive = ts.dt.tz_localize(None) if ts.dt.tz is not None else ts
    return naive.to_numpy(dtype="datetime64[D]").astype("int64")


def _span_label(td: pd.Timedelta) -> str:
    days = td / pd.Timedelta("1D")
    if days >= 1 and float(days).is_integer():
        return f"{int(days)} days" if days != 1 else "1 day"
    return _duration(td.total_seconds())


def _weights(rng, n_blocks: int, n_resamples: int, draws: int | None = None) -> np.ndarray:
    """All resamples at once: how often each block is drawn (``draws`` times, default all), one row
    per resample."""
    draws = n_blocks if draws is None else draws
    picks = rng.integers(0, n_blocks, size=(n_resamples, draws))
    picks += n_blocks * np.arange(n_resamples)[:, None]
    return np.bincount(picks.ravel(), minlength=n_resamples * n_blocks).reshape(n_resamples, n_blocks).astype("float64")


# --------------------------------------------------------------------------- one row


def _measure(data: _Data, sender: str, cue: SignalCue, rng, n_resamples: int, limits) -> tuple[dict, np.ndarray | None]:
    """Values, counts and the resampled differences (or ``None``) of one (sender, cue)."""
    min_messages, min_replies, min_words = limits
    s = data.senders.index(sender)
    values, counts, boots, thin = {}, {}, {}, []
    for p in ("before", "recent"):
        nb = data.blocks[p]
        w = data.weights(p, rng, n_resamples)
        if cue.stat == "median":
            lat, blk = data.replies[p, s]
            counts[p] = n = len(lat)
            values[p] = float(np.median(lat)) if n else math.nan
            boots[p] = _weighted_medians(lat, blk, w) if n and w is not None else None
            active = len(np.unique(blk))
            if n < max(min_replies, 1) or active < MIN_BLOCKS:
                thin.append(p)
        elif cue.stat == "lsm":
            counts[p] = data.lsm_words.get((sender, p), 0)
            assert data.lsm is not None  # build() counts LSM words whenever an lsm cue is asked for
            arr = data.lsm[p]
            fewest = arr[:, :, 0].sum(axis=1).min()
            ok = fewest >= max(min_words, 1)
            values[p] = _lsm(arr.sum(axis=1)[None])[0] if ok else math.nan
            active = int((arr[:, :, 0].sum(axis=0) > 0).sum())
            boots[p] = None  # a permutation between the windows below, once both are known
            if not ok or active < MIN_BLOCKS:
                thin.append(p)
        else:
            num = data.totals[p, cue.num][s]
            if cue.den == "days":
                counts[p] = int(round(num.sum()))
                d = data.days[p]
                values[p] = num.sum() / d if d > 0 else math.nan
                boots[p] = (w @ num) / d if d > 0 and w is not None else None
                if nb < MIN_BLOCKS or not d > 0:
                    thin.append(p)
            else:
                den = data.totals[p, cue.den][s]
                basis = _WORDING[cue.column].basis
                n_key = "text" if basis == "text" else cue.den
                counts[p] = int(round(data.totals[p, n_key][s].sum()))
                total = den.sum()
                scale = 100.0 if cue.stat == "words" else 1.0
                values[p] = scale * num.sum() / total if total > 0 else math.nan
                if total > 0 and w is not None:
                    with np.errstate(invalid="ignore", divide="ignore"):
                        boot = scale * (w @ num) / (w @ den)
                    boots[p] = _rare(cue.stat, num.sum(), total, scale, boot, rng)
                else:
                    boots[p] = None
                need = min_replies if basis == "sessions" else min_messages
                if counts[p] < max(need, 1) or int((den > 0).sum()) < MIN_BLOCKS:
                    thin.append(p)
    if cue.stat == "lsm" and not thin:
        assert data.lsm is not None  # as above
        boots = _lsm_permuted(data.lsm, values, rng, n_resamples)
    change = values["recent"] - values["before"]
    tol = cue.tolerance * abs(values["before"]) if cue.relative else cue.tolerance
    boot = None
    if not thin and boots["before"] is not None and boots["recent"] is not None and not math.isnan(change):
        boot = boots["recent"] - boots["before"]
        boot = boot[~np.isnan(boot)]  # a resample without any denominator has no value
        if len(boot) < 0.95 * n_resamples:
            boot = None
    row = {
        "sender": sender,
        "cue": cue.column,
        "before": values["before"],
        "recent": values["recent"],
        "change": change,
        "low": math.nan,
        "high": math.nan,
        "p_value": math.nan,
        "n_before": counts["before"],
        "n_recent": counts["recent"],
        "direction": THIN,
        "_spec": cue,
        "_tol": tol,
        "_thin": thin,
    }
    if boot is not None:
        below = np.count_nonzero(boot <= tol)
        above = np.count_nonzero(boot >= -tol)
        row["p_value"] = min(1.0, 2 * (1 + min(below, above)) / (len(boot) + 1))
    return row, boot


def _lsm_permuted(arrays: dict, values: dict, rng, n_resamples: int) -> dict:
    """LSM resamples from a block permutation between the windows (the recent days drawn at random).

    LSM falls with fewer words (chance differences in sparse function-word counts), so a
    bootstrap, which adds the same noise a second time, misjudges that bias. Reassigning
    whole days at random between the windows (as many days to "recent" as it has) gives
    the distribution of the difference when nothing changed, bias included; the observed
    difference minus those differences is the interval's distribution (exact as a test of
    "no change", a location-shift approximation for the interval).
    """
    both = np.concatenate([arrays["before"], arrays["recent"]], axis=1)  # (2, days, 1 + categories)
    n_recent, n_all = arrays["recent"].shape[1], both.shape[1]
    keys = rng.random((n_resamples, n_all))
    rank = keys.argsort(axis=1).argsort(axis=1)
    pick = (rank < n_recent).astype("float64")  # one row per permutation: 1 = day counted as recent
    recent = np.einsum("bk,skc->bsc", pick, both)
    before = both.sum(axis=1)[None] - recent
    null = _lsm(recent) - _lsm(before)
    observed = values["recent"] - values["before"]
    return {"recent": observed - null, "before": np.zeros(n_resamples)}


def _rare(stat: str, k: float, n: float, scale: float, boot: np.ndarray, rng) -> np.ndarray:
    """Resampled values of a window with few events (or few non-events): the Jeffreys posterior.

    A bootstrap of a handful of events is degenerate (no event at all gives a zero-width
    interval), so such a window's values are drawn from the Jeffreys posterior instead:
    ``Beta(k + 1/2, n - k + 1/2)`` for a share of messages, ``Gamma(k + 1/2) / words`` for
    a share of words (Brown, Cai & DasGupta 2001).
    """
    if stat == "messages" and min(k, n - k) < RARE_EVENTS:
        return scale * rng.beta(k + 0.5, n - k + 0.5, size=len(boot))
    if stat == "words" and k < RARE_EVENTS:
        return scale * rng.gamma(k + 0.5, size=len(boot)) / n
    return boot


def _weighted_medians(values: np.ndarray, blocks: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The median of ``values`` in every resample (``values`` sorted; ``w`` block weights).

    Exact. Resample medians lie near the sample median, so the running counts are taken only
    over a band of ranks around it (the count below the band is one matrix product); the few
    resamples whose median falls outside the band are redone over all values.
    """
    n, nb = len(values), w.shape[1]
    total = w @ np.bincount(blocks, minlength=nb).astype("float64")
    half = max(200, int(10 * math.sqrt(n)))
    lo, hi = max(0, n // 2 - half), min(n, n // 2 + half + 1)
    below = w @ np.bincount(blocks[:lo], minlength=nb).astype("float64")
    out, inside = _medians_between(values, blocks, w, lo, hi, below, total)
    redo = ~inside & (total > 0)
    if redo.any():
        out[redo] = _medians_between(values, blocks, w[redo], 0, n, np.zeros(int(redo.sum())), total[redo])[0]
    return out


def _medians_between(values, blocks, w, lo, hi, below, total) -> tuple[np.ndarray, np.ndarray]:
    """Resample medians found among the sorted values ``lo:hi`` (and whether they lie there)."""
    n_res = w.shape[0]
    out = np.full(n_res, np.nan)
    inside = np.zeros(n_res, dtype=bool)
    k1, k2 = (total - 1) // 2, total // 2
    step = max(1, _MAX_GATHER // max(hi - lo, 1))
    for start in range(0, n_res, step):  # a few chunks of whole-matrix work, not a loop per resample
        rows = slice(start, start + step)
        cum = below[rows, None] + np.cumsum(w[rows][:, blocks[lo:hi]], axis=1)
        a, b = k1[rows], k2[rows]
        ok = (a >= below[rows]) & (b < cum[:, -1]) & (total[rows] > 0)
        i1 = lo + (cum > a[:, None]).argmax(axis=1)
        i2 = lo + (cum > b[:, None]).argmax(axis=1)
        out[rows] = np.where(ok, (values[i1] + values[i2]) / 2, np.nan)
        inside[rows] = ok
    return out, inside


def _lsm(counts: np.ndarray) -> np.ndarray:
    """LSM of (resamples, 2 people, words + categories) counts, one value per resample."""
    from .style import lsm

    words = counts[:, :, :1]
    with np.errstate(invalid="ignore", divide="ignore"):
        pct = 100 * counts[:, :, 1:] / np.where(words > 0, words, np.nan)
    return np.asarray(lsm(pct[:, 0], pct[:, 1]), dtype="float64")


# --------------------------------------------------------------------------- decisions


def _decide(rows: list[dict], draws: list, level: float, fdr: bool) -> dict:
    """Intervals and directions for the family of readings; returns what was done."""
    alpha = 1 - level
    readable = [i for i, boot in enumerate(draws) if boot is not None]
    m = len(readable)
    selected = 0
    if fdr and m:
        p = np.array([rows[i]["p_value"] for i in readable])
        ranked = np.sort(p)
        passing = np.nonzero(ranked <= alpha * np.arange(1, m + 1) / m)[0]
        selected = int(passing[-1] + 1) if len(passing) else 0
        a = max(selected, 1) * alpha / m
    else:
        a = alpha
    shown = 1 - a
    for i in readable:
        boot, row = np.sort(draws[i]), rows[i]
        b = len(boot)
        k = math.floor(a / 2 * (b + 1))  # the k-th smallest and k-th largest resample
        low, high = (boot[k - 1], boot[b - k]) if k >= 1 else (-math.inf, math.inf)
        tol = row["_tol"]
        row["low"], row["high"] = float(low), float(high)
        row["direction"] = UP if low > tol and low > 0 else DOWN if high < -tol and high < 0 else UNCLEAR
    return {
        "level": level,
        "interval_level": shown,
        "method": "stratified block bootstrap, day blocks (sessions kept whole), percentile intervals",
        "statistics": dict(_STATS),
        "multiplicity": (
            f"Benjamini-Hochberg selection at q = {alpha:.2f} over {m} readings; Benjamini-Yekutieli "
            f"false-coverage-rate adjusted intervals at {100 * shown:.2f} %"
            if fdr
            else f"none: marginal {100 * level:.0f} % intervals"
        ),
        "family": m,
        "selected": selected,
        "resamples": int(max((len(d) for d in draws if d is not None), default=0)),
        "min_blocks": MIN_BLOCKS,
    }


def _words(row: dict, data: _Data) -> None:
    """The summary, the sentence and the cautions of one row (in place)."""
    cue: SignalCue = row.pop("_spec")
    thin = row.pop("_thin")
    row.pop("_tol")
    label, sender = data.label, row["sender"]
    long_fmt, short_fmt = FORMATS[cue.unit].long, FORMATS[cue.unit].short
    before, recent = row["before"], row["recent"]
    wording = _WORDING[cue.column]
    more, less, note = wording.up, wording.down, wording.note
    other = next((s for s in data.senders if s != sender), "")
    tail = f"; {note}." if note else "."
    if math.isnan(before) or math.isnan(recent):
        missing = "before" if math.isnan(before) else "recent"
        when = f"before the last {label}" if missing == "before" else f"in the last {label}"
        row["reading"] = f"{sender}'s {cue.label} cannot be compared: no value {when}."
        if math.isnan(before) and math.isnan(recent):
            row["summary"] = "no values"
        elif missing == "before":
            row["summary"] = f"{short_fmt(recent)} vs no value before"
        else:
            row["summary"] = f"no value lately vs {short_fmt(before)}"
    else:
        values = f"{long_fmt(recent)} in the last {label} vs {long_fmt(before)} before"
        row["summary"] = (
            f"{short_fmt(recent)} vs {short_fmt(before)}, "
            f"{_change_text(cue.unit, row['change'], row['low'], row['high'])}"
        )
        if row["direction"] in (UP, DOWN):
            phrase = (more if row["direction"] == UP else less).format(other=other)
            row["reading"] = f"{sender} {phrase}: {values}{tail}"
        elif row["direction"] == UNCLEAR:
            row["reading"] = f"{sender}'s {cue.label}: no clear change ({values}){tail}"
        else:
            row["reading"] = f"{sender}'s {cue.label}: too little data for a reading ({values})."
            row["summary"] += " (too little data for an interval)"
    row["caution"] = _cautions(row, cue, data, thin)


def _cautions(row: dict, cue: SignalCue, data: _Data, thin: list) -> str | None:
    label, days = data.label, data.days
    min_messages, min_replies, min_words = data.limits
    basis = _WORDING[cue.column].basis
    threshold = {"replies": min_replies, "sessions": min_replies, "words": max(min_words, 1)}.get(basis, min_messages)
    cautions = []
    for p, where in (("before", "before the last " + label), ("recent", "in the last " + label)):
        n = row[f"n_{p}"]
        if cue.den == "days":
            if p == "before" and 0 < days["before"] < days["recent"]:
                cautions.append(f"the earlier period covers only {_trim(days['before'])} days")
            if n == 0:
                cautions.append(f"no {_UNITS[basis]} {where}")
            if p in thin:
                cautions.append(f"fewer than {MIN_BLOCKS} days {where}")
            continue
        if basis == "words":
            fewest = min((data.lsm_words.get((s, p), 0) for s in data.senders), default=0)
            if fewest < threshold:
                cautions.append(f"fewer than {min_words} words from one of you {where}")
            elif p in thin:
                cautions.append(f"words on fewer than {MIN_BLOCKS} days {where}")
        elif n == 0:
            cautions.append(f"no {_UNITS[basis]} {where}")
        elif n < threshold:
            cautions.append(f"only {n} {_UNITS[basis]} {where} (fewer than {threshold})")
        elif p in thin:
            cautions.append(f"{_UNITS[basis]} on fewer than {MIN_BLOCKS} days {where}")
    return "; ".join(dict.fromkeys(cautions)) if cautions else None


# --------------------------------------------------------------------------- trend over the whole timeline

RISING, FALLING, NO_TREND = "rising", "falling", "no clear trend"
#: A trend reading needs at least this many periods (weeks) with a value.
MIN_PERIODS = 10
_TREND_COLUMNS = ["trend", "trend_slope", "trend_low", "trend_high", "trend_p", "changed_at"]


def _weekly(per: pd.DataFrame, person: np.ndarray, senders: list, freq: str) -> pd.DataFrame:
    """Each sender's value of every signal cue per period: columns sender, window, days, <cues>."""
    from .table import _aggregate, _period_start, _windows

    periods = _windows(per["timestamp"], freq)
    table = _aggregate(per, ["sender"], periods)
    start = table["window"]
    span = periods.dropna()
    length = (span.dt.end_time - span.dt.start_time).dt.total_seconds().iloc[0] / 86400 if len(span) else 7.0
    table["messages_per_day"] = table["messages"] / (length if length > 0 else 1.0)
    if len(senders) == 2:
        from .style import _category_counts

        text = person & (per["kind"].astype("str").to_numpy() == "text")
        counts = _category_counts(per.loc[text, "text"]).reset_index(drop=True)
        win = _period_start(periods[text].reset_index(drop=True), per["timestamp"].dt.tz)
        sums = counts.groupby([per["sender"].to_numpy()[text], win.to_numpy()]).sum()
        a, b = (sums.xs(s, level=0) if s in sums.index.get_level_values(0) else None for s in senders)
        lsm = pd.Series(np.nan, index=pd.Index(start.unique()))
        if a is not None and b is not None:
            both = a.index.intersection(b.index)
            wa, wb = a.loc[both, "words"].to_numpy(float), b.loc[both, "words"].to_numpy(float)
            ca, cb = a.loc[both].to_numpy(float)[:, 1:], b.loc[both].to_numpy(float)[:, 1:]
            with np.errstate(invalid="ignore", divide="ignore"):
                vals = _lsm(np.stack([np.c_[wa, ca], np.c_[wb, cb]], axis=1))
            vals[(wa < 1) | (wb < 1)] = np.nan
            lsm.loc[both] = vals
        table["lsm"] = start.map(lsm).to_numpy(dtype="float64")
    return table


def _mann_kendall(t: np.ndarray, x: np.ndarray, level: float) -> tuple[float, float, float, float]:
    """Sen's slope with its interval and the Mann-Kendall p-value, variance corrected for
    autocorrelation (Hamed & Rao 1998). ``t`` in periods."""
    n = len(x)
    i, j = np.triu_indices(n, 1)
    diff = x[j] - x[i]
    s = float(np.sign(diff).sum())
    _, ties = np.unique(x, return_counts=True)
    var = (n * (n - 1) * (2 * n + 5) - (ties * (ties - 1) * (2 * ties + 5)).sum()) / 18
    slopes = np.sort(diff / (t[j] - t[i]))
    slope = float(np.median(slopes))
    # Hamed & Rao: autocorrelation of the ranks of the detrended series, significant lags only
    resid = x - slope * t
    r = pd.Series(resid).rank().to_numpy() - (n + 1) / 2
    denom = (r * r).sum()
    if denom > 0:
        acf = np.array([(r[:-k] * r[k:]).sum() / denom for k in range(1, n - 1)])
        k = np.arange(1, n - 1)
        sig = np.abs(acf) > 1.96 / math.sqrt(n)
        factor = 1 + 2 / (n * (n - 1) * (n - 2)) * ((n - k) * (n - k - 1) * (n - k - 2) * acf * sig).sum()
        var *= max(factor, 1.0)
    if var <= 0:
        return slope, slope, slope, 1.0
    z = (s - np.sign(s)) / math.sqrt(var)
    p = math.erfc(abs(z) / math.sqrt(2))
    c = _z(1 - (1 - level) / 2) * math.sqrt(var)
    m = len(slopes)
    lo = int(np.clip(math.floor((m - c) / 2), 0, m - 1))
    hi = int(np.clip(math.ceil((m + c) / 2), 0, m - 1))
    return slope, float(slopes[lo]), float(slopes[hi]), p


def _pettitt(x: np.ndarray) -> tuple[int, float]:
    """Index of the last period before the most likely change in level, and Pettitt's p-value.

    Pettitt's statistic ``U_t`` (a Mann-Whitney count of the split after period ``t``) gives the
    p-value from its maximum; the location is the split with the largest *standardised*
    ``U_t / sqrt(t (n - t))``, because the raw maximum drifts towards the middle of the series.
    """
    n = len(x)
    u = np.cumsum(np.sign(x[:, None] - x[None, :]).sum(axis=1))[:-1]
    t = np.arange(1, n)
    k = int((np.abs(u) / np.sqrt(t * (n - t))).argmax())
    big = float(np.abs(u).max())
    return k, min(1.0, 2 * math.exp(-6 * big**2 / (n**3 + n**2)))


def _z(q: float) -> float:
    """The standard normal quantile."""
    from statistics import NormalDist

    return NormalDist().inv_cdf(q)


def _trend_frames(msgs, *, me, freq, gap, per_message, level, fdr) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-period values and trend readings of every person but ``me`` (for plot_trend)."""
    validate(msgs)
    per, person, senders = _people(msgs, me, gap, per_message)
    weekly = _weekly(per, person, senders, freq)
    return weekly, _trend(per, person, [s for s in senders if s != me], senders, freq, level, fdr, weekly)


def _trend(per, person, targets, senders, freq: str, level: float, fdr: bool, weekly=None) -> pd.DataFrame:
    """One trend reading per (sender, cue): Mann-Kendall and Sen's slope on per-period values."""
    if weekly is None:
        weekly = _weekly(per, person, senders, freq)
    rows = []
    for sender in targets:
        mine = weekly[weekly["sender"].eq(sender)].sort_values("window")
        for cue in SIGNAL_CUES:
            if cue.column not in mine.columns:
                continue
            values = mine[cue.column].to_numpy(dtype="float64")
            t = np.arange(len(values), dtype="float64")
            ok = ~np.isnan(values)
            row = {
                "sender": sender,
                "cue": cue.column,
                "trend": THIN,
                "trend_slope": math.nan,
                "trend_low": math.nan,
                "trend_high": math.nan,
                "trend_p": math.nan,
                "changed_at": pd.NaT,
            }
            if ok.sum() >= MIN_PERIODS:
                x, tt = values[ok], t[ok]
                slope, lo, hi, p = _mann_kendall(tt, x, level)
                where, p_cp = _pettitt(x)
                row.update(
                    trend=NO_TREND,
                    trend_slope=slope,
                    trend_low=lo,
                    trend_high=hi,
                    trend_p=p,
                    _cp=(mine["window"].iloc[np.flatnonzero(ok)[where + 1]], p_cp),
                    _tol=(cue.tolerance * abs(float(np.median(x))) if cue.relative else cue.tolerance),
                    _n=len(x),
                )
            rows.append(row)
    readable = [r for r in rows if r["trend"] != THIN]
    alpha = 1 - level
    if readable:
        ps = np.sort([r["trend_p"] for r in readable])
        m = len(ps)
        passing = np.nonzero(ps <= alpha * np.arange(1, m + 1) / m)[0] if fdr else np.nonzero(ps <= alpha)[0]
        cutoff = ps[passing[-1]] if len(passing) else -1.0
        for r in readable:
            total_low = r["trend_low"] * (r["_n"] - 1)  # change over the timeline at the interval's bounds
            total_high = r["trend_high"] * (r["_n"] - 1)
            if r["trend_p"] <= cutoff and total_low > r["_tol"] and r["trend_low"] > 0:
                r["trend"] = RISING
            elif r["trend_p"] <= cutoff and total_high < -r["_tol"] and r["trend_high"] < 0:
                r["trend"] = FALLING
            when, p_cp = r.pop("_cp")
            if r["trend"] in (RISING, FALLING) and p_cp <= alpha:
                r["changed_at"] = when
            r.pop("_tol"), r.pop("_n")
    changed = pd.Series([r.pop("changed_at") for r in rows], dtype=weekly["window"].dtype)
    out = pd.DataFrame(rows, columns=["sender", "cue", *_TREND_COLUMNS[:-1]])
    out["changed_at"] = changed
    return out
