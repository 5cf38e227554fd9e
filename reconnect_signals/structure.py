"""Conversation structure: sessions, turns, reply latency, double texts, unanswered turns.

Every function here is row-preserving: it returns a new frame with the input's rows in the
input's order and a few more columns. Structure is computed per ``conversation_id`` on
instants (timestamps are converted to UTC before differencing, so a daylight-saving change
can never produce a negative or a one-hour-too-long gap), after a stable sort by
``(conversation_id, timestamp)``; input that is out of time order is therefore handled.

Units (see the library's cue specification):

session
    Messages of one conversation separated by gaps no longer than ``gap`` (default
    ``"6h"``). There is no canonical gap: chat inter-message times are bimodal, bursts inside
    a conversation and long silences between (Wu et al. 2010, PNAS 107:18803). Report how a
    result changes with ``gap`` where it matters.
turn
    A maximal run of consecutive messages by one sender inside one session (a new session
    always starts a new turn).
latency
    Seconds since the previous message of the conversation when that message is from a
    different sender (a turn change); missing otherwise. Latencies are heavy-tailed:
    summarise them with medians, not means.
double text
    A message sent at least ``double_text_gap`` (default 30 minutes) after the same sender's
    previous message, with no message from anyone else in between (also across sessions:
    "hi?" the next day after an unanswered "hi" is a double text).
unanswered
    On the last message of a turn that got no reply within its session (the last turn of
    the export counts as unanswered: the reply may simply not have come yet).
unanswered streak
    On a session start: the number of consecutive sessions, up to and including this one,
    that were opened by the same sender and in which nobody else wrote (0 when someone
    replied within this session).

Only person rows take part: rows with ``kind`` ``"system"`` or ``"reaction"``, rows without a
sender and rows without a timestamp are excluded. They do not break turns or sessions, get
missing latency and ``False`` flags, and carry the ``session_id``/``turn_id`` in effect at
their position in time (the previous person message's, or the next one's at the start of a
conversation; ``-1`` in a conversation without person rows).

These are descriptions of timing, not measures of interest or affection: people reply late
for many reasons.

Examples
--------
>>> import pandas as pd
>>> import reconnect_signals as rs
>>> msgs = rs.coerce(pd.DataFrame({
...     "timestamp": ["2024-03-01 09:00", "2024-03-01 09:05", "2024-03-01 09:06",
...                   "2024-03-01 20:00", "2024-03-01 21:00"],
...     "sender": ["Alex", "Sam", "Sam", "Alex", "Alex"],
...     "text": ["morning", "hey!", "how are you?", "hello?", "still there?"],
... }), tz="Europe/London")
>>> out = rs.add_structure(msgs)
>>> out[["session_id", "turn_id", "latency_s", "is_double_text", "unanswered"]]
   session_id  turn_id  latency_s  is_double_text  unanswered
0           0        0        NaN           False       False
1           0        1      300.0           False       False
2           0        1        NaN           False        True
3           1        2    39240.0           False       False
4           1        2        NaN            True        True
>>> out.loc[out["is_session_start"], "unanswered_streak"].tolist()
[0, 1]
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

from .schema import validate

__all__ = [
    "add_structure",
    "STRUCTURE_COLUMNS",
    "EXCLUDED_KINDS",
    "Sessions",
    "Turns",
    "ReplyLatency",
    "DoubleTexts",
    "UnansweredTurns",
    "MEASURES",
    "get_measure",
]

logger = logging.getLogger(__name__)

#: Columns :func:`add_structure` adds, with their dtypes.
STRUCTURE_COLUMNS: dict[str, str] = {
    "session_id": "int64",
    "is_session_start": "bool",
    "turn_id": "int64",
    "is_turn_start": "bool",
    "latency_s": "float64",
    "is_reply": "bool",
    "is_double_text": "bool",
    "unanswered": "bool",
    "unanswered_streak": "Int64",
}

#: Kinds that are not a person's message and take no part in structure.
EXCLUDED_KINDS: tuple[str, ...] = ("system", "reaction")


def _to_seconds(value: str | float | pd.Timedelta | timedelta | np.timedelta64, name: str) -> float:
    try:
        seconds = pd.Timedelta(value).total_seconds()
    except (ValueError, TypeError):
        raise ValueError(f"{name} must be a duration such as '6h' or '30min', got {value!r}") from None
    if not seconds > 0:
        raise ValueError(f"{name} must be a positive duration such as '6h', got {value!r}")
    return seconds


def add_structure(
    msgs: pd.DataFrame, *, gap: str | pd.Timedelta = "6h", double_text_gap: str | pd.Timedelta = "30min"
) -> pd.DataFrame:
    """Add sessions, turns, reply latency, double texts and unanswered turns to a message frame.

    Parameters
    ----------
    msgs : DataFrame
        A message frame (see :mod:`reconnect_signals.schema`); it is not modified.
    gap : str or Timedelta, default "6h"
        A silence longer than this starts a new session. ``"model"`` lets the shipped
        session-start model decide instead (:func:`reconnect_signals.ml.predict_session_starts`:
        timing and wording, trained on the Ubuntu IRC disentanglement corpus; see
        ``docs/classifier.md`` for its accuracy and its limits on two-person chats);
        ``msgs`` then needs a ``text`` column.
    double_text_gap : str or Timedelta, default "30min"
        A message at least this long after the same sender's previous message, with no
        message from anyone else in between, is a double text.

    Returns
    -------
    DataFrame
        A new frame: the input's columns (in the input's row order and index) plus

        - ``session_id`` (int64): 0-based session number within the conversation;
        - ``is_session_start`` (bool): first person message of a session;
        - ``turn_id`` (int64): 0-based turn number within the conversation;
        - ``is_turn_start`` (bool): first message of a turn;
        - ``latency_s`` (float64): seconds since the previous message when the sender
          changed, NaN otherwise (also NaN on excluded rows);
        - ``is_reply`` (bool): latency defined and inside the session;
        - ``is_double_text`` (bool);
        - ``unanswered`` (bool): last message of a turn with no reply within its session;
        - ``unanswered_streak`` (Int64): on session starts, consecutive sessions opened
          by this sender without a reply, counting this one; missing on other rows.

        Existing columns of these names are replaced.

    See Also
    --------
    reconnect_signals.cue_table : aggregates (reply rate, initiation share, median latency).

    Notes
    -----
    Gaps and latencies are differences of instants (UTC), so they are right across
    daylight-saving changes. A gap of exactly ``gap`` stays in the session. The module
    docstring defines every unit and which rows are excluded.

    Examples
    --------
    >>> import pandas as pd
    >>> import reconnect_signals as rs
    >>> msgs = rs.coerce(pd.DataFrame({
    ...     "timestamp": ["2024-01-01 10:00", "2024-01-01 10:02", "2024-01-01 10:03"],
    ...     "sender": ["A", "B", "A"], "text": ["hi", "hey", "how are you?"]}))
    >>> rs.add_structure(msgs)[["turn_id", "latency_s", "is_reply"]].values.tolist()
    [[0, nan, False], [1, 120.0, True], [2, 60.0, True]]
    """
    validate(msgs, columns=["conversation_id", "timestamp", "sender", "kind"])
    use_model = isinstance(gap, str) and gap == "model"
    gap_s = np.inf if use_model else _to_seconds(gap, "gap")
    double_s = _to_seconds(double_text_gap, "double_text_gap")
    n = len(msgs)
    conv_codes = pd.factorize(msgs["conversation_id"], use_na_sentinel=False)[0]
    ts = msgs["timestamp"].dt.tz_convert("UTC")
    t_us = ts.astype("datetime64[us, UTC]").to_numpy(dtype="datetime64[us]").astype("int64")
    has_time = ts.notna().to_numpy()
    person = (
        ~msgs["kind"].isin(EXCLUDED_KINDS).to_numpy(dtype=bool, na_value=False)
        & msgs["sender"].notna().to_numpy()
        & has_time
    )
    sender_codes = pd.factorize(msgs["sender"])[0]

    # stable order by conversation, then instant (rows without a time go last)
    t_sort = np.where(has_time, t_us, np.iinfo(np.int64).max)
    order = np.lexsort((np.arange(n), t_sort, conv_codes))

    # --- person rows only, in time order ------------------------------------------
    p_order = order[person[order]]
    conv = conv_codes[p_order]
    t = t_us[p_order].astype("float64") / 1e6
    who = sender_codes[p_order]
    m = len(p_order)
    first = np.ones(m, dtype=bool)
    first[1:] = conv[1:] != conv[:-1]
    last = np.ones(m, dtype=bool)
    last[:-1] = conv[1:] != conv[:-1]
    dt = np.full(m, np.nan)
    dt[1:] = t[1:] - t[:-1]
    dt[first] = np.nan
    same_prev = np.zeros(m, dtype=bool)
    same_prev[1:] = who[1:] == who[:-1]
    same_prev &= ~first
    session_start = first | (dt > gap_s)
    if use_model:
        from ._session_model import predict_session_starts

        session_start = first | predict_session_starts(msgs).to_numpy()[p_order]
    turn_start = session_start | ~same_prev
    # per-conversation 0-based counters from global cumulative sums
    session_id = _count_within(session_start, first)
    turn_id = _count_within(turn_start, first)
    latency = np.where(~first & ~same_prev, dt, np.nan)
    is_reply = ~np.isnan(latency) & ~session_start
    double = same_prev & (dt >= double_s)
    next_new_session = np.ones(m, dtype=bool)
    next_new_session[:-1] = session_start[1:]
    turn_end = np.ones(m, dtype=bool)
    turn_end[:-1] = turn_start[1:]
    unanswered = turn_end & (next_new_session | last)
    streak = _unanswered_streak(session_start, turn_start, first, who)

    # --- back to every row, input order ---------------------------------------------
    out_cols: dict[str, np.ndarray] = {}
    pos_session = np.full(n, -1, dtype="int64")
    pos_turn = np.full(n, -1, dtype="int64")
    pos_session[p_order] = session_id
    pos_turn[p_order] = turn_id
    # excluded rows take the ids in effect at their place in time: the previous person row of
    # the conversation (in time order), else the next one, else -1
    keys = conv_codes[order]
    person_o = person[order]
    pos = np.arange(n)
    if n:
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        group_start = np.repeat(starts, np.diff(np.r_[starts, n]))
        group_end = np.repeat(np.r_[starts[1:], n], np.diff(np.r_[starts, n]))
        before = np.maximum.accumulate(np.where(person_o, pos, -1))
        after = np.minimum.accumulate(np.where(person_o, pos, n)[::-1])[::-1]
        src = np.where(before >= group_start, before, np.where(after < group_end, after, -1))
    for name, values in (("session_id", pos_session), ("turn_id", pos_turn)):
        arr = np.empty(n, dtype="int64")
        if n:
            in_order = values[order]
            arr[order] = np.where(src >= 0, in_order[np.maximum(src, 0)], -1)
        out_cols[name] = arr
    for name, values, fill in (
        ("is_session_start", session_start, False),
        ("is_turn_start", turn_start, False),
        ("latency_s", latency, np.nan),
        ("is_reply", is_reply, False),
        ("is_double_text", double, False),
        ("unanswered", unanswered, False),
    ):
        arr = np.full(n, fill, dtype="float64" if name == "latency_s" else bool)
        arr[p_order] = values
        out_cols[name] = arr
    streak_full = np.full(n, -1, dtype="int64")
    streak_full[p_order] = np.where(session_start, streak, -1)

    out = msgs.drop(columns=[c for c in STRUCTURE_COLUMNS if c in msgs.columns])
    new = pd.DataFrame(
        {
            "session_id": out_cols["session_id"],
            "is_session_start": out_cols["is_session_start"],
            "turn_id": out_cols["turn_id"],
            "is_turn_start": out_cols["is_turn_start"],
            "latency_s": out_cols["latency_s"],
            "is_reply": out_cols["is_reply"],
            "is_double_text": out_cols["is_double_text"],
            "unanswered": out_cols["unanswered"],
            "unanswered_streak": pd.array(np.where(streak_full >= 0, streak_full, 0), dtype="Int64"),
        },
        index=msgs.index,
    )
    new["unanswered_streak"] = new["unanswered_streak"].mask(streak_full < 0)
    logger.debug("structure: %d rows, %d person rows, %d sessions", n, m, int(session_start.sum()))
    return pd.concat([out, new], axis=1)


def _count_within(start: np.ndarray, first: np.ndarray) -> np.ndarray:
    """0-based running count of ``start`` flags, restarting where ``first`` is set."""
    c = np.cumsum(start)
    base = np.maximum.accumulate(np.where(first, c, 0))
    return (c - base).astype("int64")


def _unanswered_streak(
    session_start: np.ndarray, turn_start: np.ndarray, first: np.ndarray, who: np.ndarray
) -> np.ndarray:
    """Per person row: the streak value of its session (meaningful on session starts)."""
    m = len(session_start)
    if m == 0:
        return np.zeros(0, dtype="int64")
    sess = np.cumsum(session_start) - 1  # global session number
    # a session is answered when a second turn starts inside it
    answered = np.zeros(sess[-1] + 1, dtype=bool)
    np.logical_or.at(answered, sess, turn_start & ~session_start)
    starts = np.flatnonzero(session_start)
    opener = who[starts]
    conv_first = first[starts]
    k = len(starts)
    brk = np.ones(k, dtype=bool)
    brk[1:] = (opener[1:] != opener[:-1]) | answered[:-1] | conv_first[1:]
    run = np.cumsum(brk) - 1
    run_start = np.flatnonzero(brk)
    count = np.arange(k) - run_start[run] + 1
    per_session = np.where(answered, 0, count)
    return per_session[sess].astype("int64")


# --- parameters now, data later: one frozen dataclass per structure measure -----------------


@dataclass(frozen=True)
class Sessions:
    """``Sessions(gap="6h")(msgs)``: the ``session_id`` of every row (see :func:`add_structure`).

    Examples
    --------
    >>> import pandas as pd
    >>> import reconnect_signals as rs
    >>> from reconnect_signals.structure import Sessions
    >>> msgs = rs.coerce(pd.DataFrame({"timestamp": ["2024-01-01 10:00", "2024-01-01 12:00"],
    ...                                "sender": ["A", "B"], "text": ["hi", "hey"]}))
    >>> Sessions(gap="1h")(msgs).tolist()
    [0, 1]
    """

    gap: str = "6h"
    name = "session_id"

    def __call__(self, msgs: pd.DataFrame) -> pd.Series:
        return add_structure(msgs, gap=self.gap)["session_id"].rename(self.name)


@dataclass(frozen=True)
class Turns:
    """``Turns(gap="6h")(msgs)``: the ``turn_id`` of every row (a new session starts a new turn)."""

    gap: str = "6h"
    name = "turn_id"

    def __call__(self, msgs: pd.DataFrame) -> pd.Series:
        return add_structure(msgs, gap=self.gap)["turn_id"].rename(self.name)


@dataclass(frozen=True)
class ReplyLatency:
    """``ReplyLatency(gap="6h", cap=None)(msgs)``: seconds to reply, on replies only.

    The latency of each message that answers another sender within its session (NaN on
    every other row); latencies longer than ``cap`` (for example ``"24h"``) become NaN too.

    Examples
    --------
    >>> import pandas as pd
    >>> import reconnect_signals as rs
    >>> from reconnect_signals.structure import ReplyLatency
    >>> msgs = rs.coerce(pd.DataFrame({
    ...     "timestamp": ["2024-01-01 10:00", "2024-01-01 10:01", "2024-01-01 13:01"],
    ...     "sender": ["A", "B", "A"], "text": ["hi", "hey", "sorry, busy"]}))
    >>> ReplyLatency()(msgs).tolist()
    [nan, 60.0, 10800.0]
    >>> ReplyLatency(cap="1h")(msgs).tolist()
    [nan, 60.0, nan]
    """

    gap: str = "6h"
    cap: str | None = None
    name = "reply_latency_s"

    def __call__(self, msgs: pd.DataFrame) -> pd.Series:
        out = add_structure(msgs, gap=self.gap)
        lat = out["latency_s"].where(out["is_reply"])
        if self.cap is not None:
            lat = lat.where(lat <= _to_seconds(self.cap, "cap"))
        return lat.rename(self.name)


@dataclass(frozen=True)
class DoubleTexts:
    """``DoubleTexts(double_text_gap="30min")(msgs)``: the ``is_double_text`` flag of every row."""

    double_text_gap: str = "30min"
    name = "is_double_text"

    def __call__(self, msgs: pd.DataFrame) -> pd.Series:
        out = add_structure(msgs, double_text_gap=self.double_text_gap)
        return out["is_double_text"].rename(self.name)


@dataclass(frozen=True)
class UnansweredTurns:
    """``UnansweredTurns(gap="6h")(msgs)``: the ``unanswered`` flag of every row."""

    gap: str = "6h"
    name = "unanswered"

    def __call__(self, msgs: pd.DataFrame) -> pd.Series:
        return add_structure(msgs, gap=self.gap)["unanswered"].rename(self.name)


#: Any structure measure (a callable ``measure(msgs) -> Series``).
Measure: TypeAlias = Sessions | Turns | ReplyLatency | DoubleTexts | UnansweredTurns

#: Structure measures by name: ``get_measure("reply_latency")`` and ``ReplyLatency()`` are
#: interchangeable.
MEASURES: dict[str, type] = {
    "sessions": Sessions,
    "turns": Turns,
    "reply_latency": ReplyLatency,
    "double_texts": DoubleTexts,
    "unanswered": UnansweredTurns,
}


def get_measure(spec: str | Measure, **params: Any) -> Measure:
    """A structure measure from its name (with ``params``) or the measure itself.

    Parameters
    ----------
    spec : str or measure
        A key of :data:`MEASURES` or a measure instance (returned as is).
    **params
        Parameters of the measure (only with a name).

    Returns
    -------
    measure
        The measure (a :class:`Sessions`, :class:`ReplyLatency`, ... instance).

    Examples
    --------
    >>> from reconnect_signals.structure import ReplyLatency, get_measure
    >>> get_measure("reply_latency", cap="24h") == ReplyLatency(cap="24h")
    True
    >>> get_measure("speed")
    Traceback (most recent call last):
    ...
    ValueError: unknown structure measure 'speed'; choose one of ['double_texts', ...]
    """
    if not isinstance(spec, str):
        if not isinstance(spec, tuple(MEASURES.values())):
            raise ValueError(f"unknown structure measure {spec!r}; choose one of {sorted(MEASURES)}")
        if params:
            raise TypeError("pass parameters to the measure itself, not alongside an instance")
        return spec
    try:
        return MEASURES[spec](**params)
    except KeyError:
        raise ValueError(f"unknown structure measure {spec!r}; choose one of {sorted(MEASURES)}") from None
