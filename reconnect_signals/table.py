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

import numpy as np
import pandas as pd

from .schema import validate
from .structure import EXCLUDED_KINDS, add_structure

__all__ = ["cue_table", "AGGREGATE_COLUMNS"]

logger = logging.getLogger(__name__)

#: Columns of an aggregated cue table after the group keys (and ``window``), in order.
AGGREGATE_COLUMNS: tuple[str, ...] = (
    "messages",
    "words",
    "words_per_message",
    "i_rate",
    "we_rate",
    "you_rate",
    "i_statement_rate",
    "you_criticism_rate",
    "question_rate",
    "apology_rate",
    "laughter_rate",
    "emoji_per_message",
    "sentiment_mean",
    "latency_median_s",
    "reply_rate",
    "initiation_share",
    "double_text_rate",
    "text_messages",
    "turns",
    "sessions_opened",
)

# percent-of-words rates: output column -> count column
_WORD_RATES = {"i_rate": "i_words", "we_rate": "we_words", "you_rate": "you_words"}
# shares of text messages: output column -> flag column
_FLAG_RATES = {
    "i_statement_rate": "i_statement",
    "you_criticism_rate": "you_criticism",
    "question_rate": "question",
    "apology_rate": "apology",
    "laughter_rate": "laughter",
}
# experimental extras, aggregated when message_cues provides them
_EXTRA_WORD_RATES = {"absolutist_rate": "absolutist"}
_EXTRA_FLAG_RATES = {
    "gratitude_rate": "gratitude",
    "future_we_rate": "future_we",
    "affection_rate": "affection",
}
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


def _keys(by, columns) -> list[str]:
    keys = [by] if isinstance(by, str) else list(by)
    if not keys or not all(isinstance(k, str) for k in keys):
        raise ValueError(
            "by must be a column name or a list of names such as "
            f"['conversation_id', 'sender'], got {by!r}"
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
        raise ValueError(
            f"freq must be a pandas frequency such as 'W', 'MS' or 'D', got {freq!r}"
        ) from None
    code = offset.rule_code
    period = _PERIOD_ALIASES.get(code, code)
    if offset.n != 1:
        period = f"{offset.n}{period}"
    try:
        return ts.dt.tz_localize(None).dt.to_period(period)
    except (ValueError, TypeError):
        raise ValueError(
            f"freq={freq!r} has no calendar period; use 'D', 'W', 'MS', 'QS' or 'YS'"
        ) from None


def _period_start(periods: pd.Series, tz) -> pd.Series:
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
    periods = None
    if freq is not None:
        periods = _windows(per["timestamp"], freq)
        if by is None:
            return per.assign(window=_period_start(periods, per["timestamp"].dt.tz))
    if keys is None:
        return per
    return _aggregate(per, keys, periods)


def _aggregate(per: pd.DataFrame, keys: list[str], periods) -> pd.DataFrame:
    tz = per["timestamp"].dt.tz
    person = (
        ~per["kind"].astype("str").isin(EXCLUDED_KINDS) & per["sender"].notna() & per["timestamp"].notna()
    ).to_numpy()
    text = person & per["kind"].eq("text").to_numpy()
    word_rates = dict(_WORD_RATES)
    flag_rates = dict(_FLAG_RATES)
    word_rates.update({k: v for k, v in _EXTRA_WORD_RATES.items() if v in per.columns})
    flag_rates.update({k: v for k, v in _EXTRA_FLAG_RATES.items() if v in per.columns})

    def on_text(col: str) -> np.ndarray:
        return np.where(text, per[col].fillna(0).to_numpy(dtype="float64"), 0.0)

    sentiment = per["sentiment"].to_numpy(dtype="float64")
    sent_ok = text & ~np.isnan(sentiment)
    latency = per["latency_s"].to_numpy(dtype="float64")
    parts: dict[str, object] = {k: per[k] for k in keys}
    group_cols = list(keys)
    if periods is not None:
        parts["window"] = periods
        group_cols.append("window")
    counts = {
        "messages": person.astype("int64"),
        "text_messages": text.astype("int64"),
        "words": on_text("words"),
        "emoji": on_text("emoji"),
        "sentiment_sum": np.where(sent_ok, sentiment, 0.0),
        "sentiment_n": sent_ok.astype("int64"),
        "turns": (person & per["is_turn_start"].to_numpy()).astype("int64"),
        "unanswered": (person & per["unanswered"].to_numpy()).astype("int64"),
        "sessions_opened": (person & per["is_session_start"].to_numpy()).astype("int64"),
        "double": (person & per["is_double_text"].to_numpy()).astype("int64"),
    }
    for col in {**word_rates, **flag_rates}.values():
        counts[col] = on_text(col)
    reply_latency = np.where(per["is_reply"].to_numpy(), latency, np.nan)
    work = pd.DataFrame({**parts, **counts, "reply_latency": reply_latency})
    work = work[person]
    grouped = work.groupby(group_cols, observed=True, sort=True, dropna=False)
    sums = grouped[list(counts)].sum()
    sums["latency_median_s"] = grouped["reply_latency"].median()
    if periods is not None:
        sums = _complete_windows(sums, keys, periods)
    out = sums.reset_index()
    scope = [k for k in group_cols if k != "sender"]  # sessions are shared out within this
    if scope:
        total = out.groupby(scope, sort=False, dropna=False)["sessions_opened"].transform("sum")
    else:
        total = pd.Series(out["sessions_opened"].sum(), index=out.index)
    n_text = out["text_messages"].astype("float64")
    words = out["words"].astype("float64")
    res = {k: out[k] for k in keys}
    if periods is not None:
        res["window"] = _period_start(out["window"], tz)
    res["messages"] = out["messages"].astype("int64")
    res["words"] = out["words"].round().astype("int64")
    res["words_per_message"] = words / n_text.where(n_text > 0)
    for name, col in _WORD_RATES.items():
        res[name] = 100 * out[col] / words.where(words > 0)
    for name, col in _FLAG_RATES.items():
        res[name] = out[col] / n_text.where(n_text > 0)
    res["emoji_per_message"] = out["emoji"] / n_text.where(n_text > 0)
    res["sentiment_mean"] = out["sentiment_sum"] / out["sentiment_n"].where(out["sentiment_n"] > 0)
    res["latency_median_s"] = out["latency_median_s"].astype("float64")
    turns = out["turns"].astype("float64")
    res["reply_rate"] = 1 - out["unanswered"] / turns.where(turns > 0)
    res["initiation_share"] = out["sessions_opened"] / total.where(total > 0).astype("float64")
    msgs_n = out["messages"].astype("float64")
    res["double_text_rate"] = out["double"] / msgs_n.where(msgs_n > 0)
    res["text_messages"] = out["text_messages"].astype("int64")
    res["turns"] = out["turns"].astype("int64")
    res["sessions_opened"] = out["sessions_opened"].astype("int64")
    for name, col in word_rates.items():
        if name not in res:
            res[name] = 100 * out[col] / words.where(words > 0)
    for name, col in flag_rates.items():
        if name not in res:
            res[name] = out[col] / n_text.where(n_text > 0)
    table = pd.DataFrame(res)
    for k in keys:
        if k in per.columns and str(per[k].dtype) in ("str", "category"):
            table[k] = table[k].astype(per[k].dtype)
    return table


def _complete_windows(sums: pd.DataFrame, keys: list[str], periods) -> pd.DataFrame:
    """Every window between the first and the last message, for every group."""
    present = periods.dropna()
    if not len(present):
        return sums
    span = pd.period_range(present.min(), present.max(), freq=present.dt.freq)
    groups = sums.index.droplevel("window").unique()
    if not isinstance(groups, pd.MultiIndex):
        groups = pd.MultiIndex.from_arrays([groups], names=keys)
    if not len(groups):
        return sums
    g = np.repeat(np.arange(len(groups)), len(span))
    w = np.tile(np.arange(len(span)), len(groups))
    arrays = [groups.get_level_values(i)[g] for i in range(groups.nlevels)] + [span[w]]
    full = pd.MultiIndex.from_arrays(arrays, names=[*keys, "window"])
    out = sums.reindex(full)
    count_cols = [c for c in out.columns if c != "latency_median_s"]
    out[count_cols] = out[count_cols].fillna(0)
    return out
