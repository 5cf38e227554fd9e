"""``cue_table``: per-message cues and structure, or their aggregates per sender and window.

The cue table is the one place where messages are aggregated: plots, the report and the
classifier read it. Aggregation rules (see the cue specification for each cue):

- ``messages`` counts a sender's person rows (every kind but ``system`` and ``reaction``);
  ``text_messages`` counts the ``kind == "text"`` rows that carry lexical cues.
- ``i_rate``, ``we_rate``, ``you_rate`` are LIWC-style percentages of words:
  ``100 * sum(i_words) / sum(words)``.
- ``*_rate`` of a per-message flag (``question_rate``, ``apology_rate``, ...) is the share
  (0-1) of the sender's text messages with the flag; ``emoji_per_message`` and
  ``words_per_message`` are per text message; ``sentiment_mean`` is the mean VADER
  compound score over text messages.
- ``latency_median_s`` is the median latency of the sender's replies (messages that
  answer another sender within a session); medians, because latencies are heavy-tailed.
- ``reply_rate`` is the share of the sender's turns that got a reply within the session.
- ``initiation_share`` is the share of the sessions (of the same conversation, when
  ``conversation_id`` is a key, and of the same window) that the sender opened.
- ``double_text_rate`` is the share of the sender's messages that are double texts.

A rate whose denominator is zero is missing (NaN), never 0. With ``freq=`` every window
from the first to the last message is present for every group, with zero counts and NaN
rates and medians where nothing was sent, so a trend plot shows silence honestly.

These are descriptions of how people wrote, not diagnoses of what they feel.

Examples
--------
>>> import pandas as pd
>>> import reconnect_signals as rs
>>> msgs = rs.coerce(pd.DataFrame({
...     "timestamp": ["2024-03-01 09:00", "2024-03-01 09:05", "2024-03-01 09:06"],
...     "sender": ["Alex", "Sam", "Alex"],
...     "text": ["are you up?", "yes, I am", "great"],
... }))
>>> table = rs.cue_table(msgs, by="sender")
>>> table[["sender", "messages", "words", "reply_rate", "latency_median_s"]]
  sender  messages  words  reply_rate  latency_median_s
0   Alex         2      4         0.5              60.0
1    Sam         1      3         1.0             300.0
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .cues._catalogue import CATALOGUE
from .schema import validate
from .structure import EXCLUDED_KINDS, add_structure

__all__ = ["cue_table", "aggregate_cues", "AGGREGATE_COLUMNS"]

logger = logging.getLogger(__name__)

# the cues of the table, from the cue catalogue (signal-only entries are computed by signals())
_TABLE_SPECS = tuple(spec for spec in CATALOGUE.values() if spec.kind != "signal")

#: Columns of an aggregated cue table after the group keys (and ``window``), in order: the
#: catalogue's cues and counts. Research-backed extras (``absolutist_rate``, ...) follow when the
#: per-message frame has their source columns.
AGGREGATE_COLUMNS: tuple[str, ...] = tuple(s.column for s in _TABLE_SPECS if s.kind != "extra")

# rules whose intermediate is a median, not a sum (so a silent window stays NaN, not 0)
_MEDIAN_RULES = ("median_replies",)
# rules -> per-message columns they need besides their sources
_NEEDS = {
    "pct_words": ("words",),
    "median_replies": ("is_reply",),
    "share_sessions_opened": ("is_session_start",),
}
_BASE_COLUMNS = ("timestamp", "sender", "kind")

# offset aliases that have a different period alias
_PERIOD_ALIASES = {
    "MS": "M",
    "ME": "M",
    "QS-JAN": "Q",
    "QE-DEC": "Q",
    "Q-DEC": "Q",
    "YS-JAN": "Y",
    "YE-DEC": "Y",
    "Y-DEC": "Y",
}


def _keys(by: str | Sequence[str], columns: pd.Index) -> list[str]:
    keys = [by] if isinstance(by, str) else list(by)
    if not keys or not all(isinstance(k, str) for k in keys):
        raise ValueError(
            f"by must be a column name or a list of names such as ['conversation_id', 'sender'], got {by!r}"
        )
    unknown = [k for k in keys if k not in columns]
    if unknown:
        raise ValueError(
            f"cannot group by {unknown}: not columns of the message frame; use 'sender', "
            "'conversation_id' or another column of msgs"
        )
    if "window" in keys:
        raise ValueError("group by time with freq='W' (or 'MS', 'D', ...), not by='window'")
    return keys


def _windows(ts: pd.Series, freq: str) -> pd.Series:
    """The calendar period (of the frame's wall clock) each timestamp falls in."""
    try:
        offset = pd.tseries.frequencies.to_offset(freq)
    except ValueError:
        raise ValueError(f"freq must be a pandas frequency such as 'W', 'MS' or 'D', got {freq!r}") from None
    code = offset.rule_code
    period = _PERIOD_ALIASES.get(code, code)
    if offset.n != 1:
        period = f"{offset.n}{period}"
    try:
        return ts.dt.tz_localize(None).dt.to_period(period)
    except (ValueError, TypeError):
        raise ValueError(f"freq={freq!r} has no calendar period; use 'D', 'W', 'MS', 'QS' or 'YS'") from None


def _period_start(periods: pd.Series, tz: Any) -> pd.Series:
    """Tz-aware start of each period (midnight that does not exist moves forward)."""
    starts = periods.dt.start_time.dt.tz_localize(tz, ambiguous=True, nonexistent="shift_forward")
    return starts.astype(pd.DatetimeTZDtype("us", tz))


def cue_table(
    msgs: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
    freq: str | None = None,
    gap: str | pd.Timedelta = "6h",
    double_text_gap: str | pd.Timedelta = "30min",
) -> pd.DataFrame:
    """The cue table: one row per message, or aggregates per group (and time window).

    Parameters
    ----------
    msgs : DataFrame
        A message frame; it is not modified.
    by : str or list of str, optional
        ``None`` for one row per message (the message frame plus every cue column of
        :func:`~reconnect_signals.message_cues` and every structure column of
        :func:`~reconnect_signals.add_structure`); ``"sender"`` or
        ``["conversation_id", "sender"]`` (any columns of ``msgs``) for one row per group.
    freq : str, optional
        A pandas frequency (``"D"``, ``"W"``, ``"MS"``, ...): adds a ``window`` column, the
        tz-aware start of the period (weeks start on Monday). With ``by``, every window
        between the first and the last message is present for every group.
    gap, double_text_gap : str or Timedelta
        Passed to :func:`~reconnect_signals.add_structure`.

    Returns
    -------
    DataFrame
        With ``by``: the group keys as ordinary columns, ``window`` when ``freq`` is given,
        then :data:`AGGREGATE_COLUMNS` (plus ``absolutist_rate``, ``gratitude_rate``,
        ``future_we_rate``, ``affection_rate`` when the cues provide them). Counts are
        int64, rates float64. The module docstring defines every column.

    Examples
    --------
    >>> import pandas as pd
    >>> import reconnect_signals as rs
    >>> msgs = rs.coerce(pd.DataFrame({
    ...     "timestamp": ["2024-03-04 09:00", "2024-03-04 09:05", "2024-03-20 09:06"],
    ...     "sender": ["Alex", "Sam", "Alex"], "text": ["we should talk", "ok", "hi"]}),
    ...     tz="Europe/Berlin")
    >>> weekly = rs.cue_table(msgs, by="sender", freq="W")
    >>> weekly[["sender", "window", "messages", "we_rate"]]
      sender                    window  messages  we_rate
    0   Alex 2024-03-04 00:00:00+01:00         1     33.3...
    1   Alex 2024-03-11 00:00:00+01:00         0      NaN
    2   Alex 2024-03-18 00:00:00+01:00         1      0.0
    3    Sam 2024-03-04 00:00:00+01:00         1      0.0
    4    Sam 2024-03-11 00:00:00+01:00         0      NaN
    5    Sam 2024-03-18 00:00:00+01:00         0      NaN
    """
    validate(msgs)
    from .cues import message_cues

    keys = None if by is None else _keys(by, msgs.columns)
    per = add_structure(message_cues(msgs), gap=gap, double_text_gap=double_text_gap)
    if keys is None:
        if freq is None:
            return per
        return per.assign(window=_period_start(_windows(per["timestamp"], freq), per["timestamp"].dt.tz))
    return aggregate_cues(per, by=keys, freq=freq)


def aggregate_cues(
    per_message: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = "sender",
    freq: str | None = None,
) -> pd.DataFrame:
    """Aggregate a per-message cue table per group (and time window).

    Compute the per-message table once with ``rs.cue_table(msgs)`` and aggregate it as often as
    needed (per sender, per conversation, weekly, monthly): the cues are not recomputed. The
    aggregation rule of every column comes from the cue catalogue
    (:data:`reconnect_signals.cues.CATALOGUE`); the :mod:`reconnect_signals.table` module
    documentation defines each column.

    Parameters
    ----------
    per_message : DataFrame
        One row per message with the cue and structure columns: the result of
        ``rs.cue_table(msgs)`` (or ``rs.add_structure(rs.message_cues(msgs))``). Not modified.
    by : str or list of str or None, default "sender"
        Group keys (columns of ``per_message``), e.g. ``["conversation_id", "sender"]``;
        ``None`` for one row over all messages (per window with ``freq``).
    freq : str, optional
        A pandas frequency (``"D"``, ``"W"``, ``"MS"``, ...): one row per group and calendar
        window, every window between the first and the last message present for every group
        (zero counts, NaN rates where nothing was sent).

    Returns
    -------
    DataFrame
        The group keys, ``window`` when ``freq`` is given, then :data:`AGGREGATE_COLUMNS` (and the
        extras whose source columns are present). Counts are int64, rates float64.

    Raises
    ------
    ValueError
        If a column the aggregation needs is missing (the message names it and the fix), or
        ``by``/``freq`` is invalid.

    Examples
    --------
    >>> import reconnect_signals as rs
    >>> per = rs.cue_table(rs.load_example())       # the cues, computed once
    >>> overall = rs.aggregate_cues(per)            # per sender
    >>> monthly = rs.aggregate_cues(per, freq="MS") # per sender and month, same cues
    >>> overall[["sender", "messages", "question_rate"]].round(3)
      sender  messages  question_rate
    0   Alex      1498          0.232
    1    Sam      1445          0.218
    >>> int(monthly["messages"].sum()) == int(overall["messages"].sum())
    True
    """
    if not isinstance(per_message, pd.DataFrame):
        raise TypeError(f"per_message must be a DataFrame from rs.cue_table(msgs), got {type(per_message).__name__}")
    needed = list(_BASE_COLUMNS)
    for spec in _TABLE_SPECS:
        if spec.kind != "extra":
            needed += [*spec.source, *_NEEDS.get(spec.rule, ())]
    missing = [c for c in dict.fromkeys(needed) if c not in per_message.columns]
    if missing:
        raise ValueError(
            f"per_message lacks the columns {missing}; build it with rs.cue_table(msgs) "
            "(the per-message cue and structure table), then aggregate it"
        )
    keys = [] if by is None else _keys(by, per_message.columns)
    periods = None if freq is None else _windows(per_message["timestamp"], freq)
    return _aggregate(per_message, keys, periods)


def _aggregate(per: pd.DataFrame, keys: list[str], periods: pd.Series | None) -> pd.DataFrame:
    """Sum (or take medians of) what each catalogue rule needs per group, then divide."""
    tz = per["timestamp"].dt.tz
    person = (
        ~per["kind"].astype("str").isin(EXCLUDED_KINDS) & per["sender"].notna() & per["timestamp"].notna()
    ).to_numpy()
    text = person & per["kind"].eq("text").to_numpy()
    specs = [s for s in _TABLE_SPECS if s.kind != "extra" or all(c in per.columns for c in s.source)]

    def values(col: str) -> np.ndarray:
        return per[col].to_numpy(dtype="float64", na_value=np.nan)

    def on_text(col: str) -> np.ndarray:
        return np.where(text, np.nan_to_num(values(col), nan=0.0), 0.0)

    def on_person(col: str) -> np.ndarray:
        return (person & per[col].fillna(False).to_numpy(dtype=bool)).astype("int64")

    # the per-message intermediates, summed per group (medians for the median rules)
    inter: dict[str, np.ndarray] = {"n_person": person.astype("int64"), "n_text": text.astype("int64")}
    medians: dict[str, np.ndarray] = {}
    for spec in specs:
        rule, src = spec.rule, spec.source
        if rule in ("sum_text", "per_text_message", "pct_words", "share_text_messages"):
            inter[f"text:{src[0]}"] = on_text(src[0])
            if rule == "pct_words":
                inter["text:words"] = on_text("words")
        elif rule in ("count", "share_messages", "share_sessions_opened"):
            inter[f"person:{src[0]}"] = on_person(src[0])
        elif rule == "share_turns_answered":
            inter[f"person:{src[0]}"] = on_person(src[0])
            inter[f"person:{src[1]}"] = on_person(src[1])
        elif rule == "mean_text":
            v = values(src[0])
            ok = text & ~np.isnan(v)
            inter[f"sum:{src[0]}"] = np.where(ok, v, 0.0)
            inter[f"n:{src[0]}"] = ok.astype("int64")
        elif rule == "median_replies":
            medians[f"median:{src[0]}"] = np.where(per["is_reply"].to_numpy(dtype=bool), values(src[0]), np.nan)
    parts: dict[str, object] = {k: per[k] for k in keys}
    group_cols = list(keys)
    if periods is not None:
        parts["window"] = periods
        group_cols.append("window")
    if not group_cols:  # one row over everything
        parts["_all"] = np.zeros(len(per), dtype="int64")
        group_cols = ["_all"]
    work = pd.DataFrame({**parts, **inter, **medians})
    work = work[person]
    grouped = work.groupby(group_cols, observed=True, sort=True, dropna=False)
    sums = grouped[list(inter)].sum()
    for name in medians:
        sums[name] = grouped[name].median()
    if periods is not None:
        sums = _complete_windows(sums, keys, periods)
    out = sums.reset_index()
    res: dict[str, object] = {k: out[k] for k in keys}
    if periods is not None:
        res["window"] = _period_start(out["window"], tz)

    def ratio(num: str, den: str) -> pd.Series:
        d = out[den].astype("float64")
        return out[num].astype("float64") / d.where(d > 0)

    for spec in specs:
        rule, src, col = spec.rule, spec.source, spec.column
        if rule == "person_messages":
            res[col] = out["n_person"].astype("int64")
        elif rule == "text_messages":
            res[col] = out["n_text"].astype("int64")
        elif rule == "count":
            res[col] = out[f"person:{src[0]}"].astype("int64")
        elif rule == "sum_text":
            res[col] = out[f"text:{src[0]}"].round().astype("int64")
        elif rule in ("per_text_message", "share_text_messages"):
            res[col] = ratio(f"text:{src[0]}", "n_text")
        elif rule == "pct_words":
            res[col] = 100 * ratio(f"text:{src[0]}", "text:words")
        elif rule == "mean_text":
            res[col] = ratio(f"sum:{src[0]}", f"n:{src[0]}")
        elif rule == "median_replies":
            res[col] = out[f"median:{src[0]}"].astype("float64")
        elif rule == "share_turns_answered":
            res[col] = 1 - ratio(f"person:{src[0]}", f"person:{src[1]}")
        elif rule == "share_sessions_opened":
            opened = out[f"person:{src[0]}"].astype("float64")
            scope = [k for k in group_cols if k != "sender"]  # sessions are shared out within this
            if scope:
                total = out.groupby(scope, sort=False, dropna=False)[f"person:{src[0]}"].transform("sum")
            else:
                total = pd.Series(opened.sum(), index=out.index)
            res[col] = opened / total.where(total > 0).astype("float64")
        elif rule == "share_messages":
            res[col] = ratio(f"person:{src[0]}", "n_person")
        else:  # pragma: no cover - the catalogue checks its rules at import
            raise ValueError(f"cue {col!r}: rule {rule!r} is not an aggregation rule of the cue table")
    table = pd.DataFrame(res, index=out.index)
    for k in keys:
        if k in per.columns and str(per[k].dtype) in ("str", "category"):
            table[k] = table[k].astype(per[k].dtype)
    return table


def _complete_windows(sums: pd.DataFrame, keys: list[str], periods: pd.Series) -> pd.DataFrame:
    """Every window between the first and the last message, for every group."""
    present = periods.dropna()
    if not len(present):
        return sums
    span = pd.period_range(present.min(), present.max(), freq=present.dt.freq)
    if not keys:  # one group: every window
        out = sums.reindex(pd.Index(span, name="window"))
        count_cols = [c for c in out.columns if not c.startswith("median:")]
        out[count_cols] = out[count_cols].fillna(0)
        return out
    index: Any = sums.index
    groups = index.droplevel("window").unique()
    if not isinstance(groups, pd.MultiIndex):
        groups = pd.MultiIndex.from_arrays([groups], names=keys)
    if not len(groups):
        return sums
    g = np.repeat(np.arange(len(groups)), len(span))
    w = np.tile(np.arange(len(span)), len(groups))
    arrays = [groups.get_level_values(i)[g] for i in range(groups.nlevels)] + [span[w]]
    full = pd.MultiIndex.from_arrays(arrays, names=[*keys, "window"])
    out = sums.reindex(full)
    count_cols = [c for c in out.columns if not c.startswith("median:")]
    out[count_cols] = out[count_cols].fillna(0)
    return out
