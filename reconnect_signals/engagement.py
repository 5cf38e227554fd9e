"""Engagement models that learn from the chat itself: every chat labels its own messages.

Nobody has labels for their own chat, but a chat records what happened after each message:
whether the other person answered, whether the exchange went on, who wrote first next time.
This module turns those into targets, builds features that were known when each message was
sent, and evaluates a classifier honestly: time-ordered cross-validation inside one chat,
grouped cross-validation by conversation across a corpus, always next to the base rate and
the best simple rule, with per-feature associations and their uncertainty.

.. important::

   These are descriptions of timing and wording in one chat, not measures of interest or
   affection. An association ("questions go with faster replies here") is not a cause and
   not advice: people reply late for many reasons the chat does not record.

Targets (:func:`engagement_targets`)
------------------------------------
Only person messages are rows (kinds ``system`` and ``reaction``, rows without a sender or a
time get missing targets). Each target is a nullable boolean; missing means *censored*: the
chat does not show the outcome.

``replied_within``
    Someone else answers the message's sender within ``within`` (default 1 h). In a
    conversation with at most two senders every message of the other person answers; with
    more senders (a group or an IRC channel) only a message that addresses the sender
    (its first word is the sender's name, optionally with ``@`` and followed by ``:`` or
    ``,``) counts; "at most two" counts the senders who have written so far, so a third
    person joining later does not change the rule for earlier messages (``reply="any"`` or
    ``"addressed"`` forces one rule). Known as soon as the answer arrives, or ``within``
    after the message without one; **censored** when the export ends less than ``within``
    after the message, *whether or not an answer came* (keeping the quick answers and
    dropping the open ones would select on the outcome).
``exchange_continues``
    At least ``turns`` (default 2) more turns follow in the message's session (sessions
    split at silences longer than ``gap``, as in :func:`reconnect_signals.add_structure`).
    Known when the ``turns``-th further turn starts, or when the session ends (``gap`` after
    its last message); **censored** in the last session of a conversation (the export may
    have cut it), again whatever the outcome.
``opens_next_session``
    The message's sender writes the first message of the next session. Known when the next
    session starts; **censored** in the last session (there is no next one yet) and when the
    silence before the next session is longer than ``quiet`` (default 30 days): after such a
    quiet period who writes first is a different question (and a gap in an export looks the
    same), so it is not counted either way.

Each target comes with ``<target>_known_at``, the instant the outcome became known; the
time-ordered cross-validation uses it to train only on outcomes known before the test
period starts.

Features (:func:`engagement_features`)
--------------------------------------
Everything in a feature row was known when the message was sent: the message's cues
(:func:`reconnect_signals.cue_table`), time of day and week (wall clock of the frame), the
structure so far (gap since the previous message and since the sender's own, turn and
session position, reply latency of this message), and the recent history of both people
(the sender and the *counterpart*: the person the message addresses by name, else the last
other person who wrote): median reply latency over their last ``history`` replies, share of
the last ``history`` messages, words and sentiment per message, initiation share so far,
and the sender's own past outcomes of each target **counted only once they were known**
before this message (so the current outcome, and any outcome still open, never leaks).
Windows are computed with vectorised cumulative sums and rolling medians per sender.
``tests/test_engagement.py`` proves it: cutting the chat at any message leaves every
earlier feature row unchanged.

Examples
--------
>>> import reconnect_signals as rs
>>> msgs = rs.load_example()
>>> y = rs.engagement_targets(msgs)
>>> round(float(y["replied_within"].mean()), 2)  # share answered within 1 h (censored left out)
0.71

:func:`evaluate_engagement` shows an evaluation (its example is the one that runs it: an
evaluation of the bundled example takes seconds).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from .ml import MESSAGE_FEATURES
from .schema import validate
from .structure import EXCLUDED_KINDS
from .structure import _to_seconds as _seconds

if TYPE_CHECKING:  # pragma: no cover
    from sklearn.pipeline import Pipeline

__all__ = [
    "engagement_targets",
    "engagement_features",
    "engagement_model",
    "evaluate_engagement",
    "EngagementEvaluation",
    "TARGETS",
    "ENGAGEMENT_FEATURES",
    "SIMPLE_RULES",
]

logger = logging.getLogger(__name__)

#: The self-supervised targets of :func:`engagement_targets`.
TARGETS: tuple[str, ...] = ("replied_within", "exchange_continues", "opens_next_session")

_CUES = MESSAGE_FEATURES  # the per-message cues of the classifier toolkit

#: Feature columns of :func:`engagement_features`; columns ending in ``_s`` are seconds
#: (the pipeline takes ``log1p`` of them).
ENGAGEMENT_FEATURES: tuple[str, ...] = (
    # the message
    *_CUES,
    "is_text",
    "is_media",
    # time (wall clock of the frame)
    "hour_sin",
    "hour_cos",
    "weekday_sin",
    "weekday_cos",
    "weekend",
    # structure so far
    "gap_s",
    "own_gap_s",
    "latency_s",
    "is_reply",
    "is_session_start",
    "is_turn_start",
    "is_double_text",
    "message_in_turn",
    "turn_in_session",
    "session_age_s",
    "addresses_someone",
    # recent history of the sender and of the counterpart
    "own_latency_median_s",
    "their_latency_median_s",
    "own_share_recent",
    "own_words_recent",
    "their_words_recent",
    "own_sentiment_recent",
    "their_sentiment_recent",
    "initiation_share",
    "prior_replied_rate",
    "prior_continues_rate",
    "prior_opens_rate",
    "their_prior_replied_rate",
)

#: The simple rules every model is compared with: name -> (feature columns, description).
SIMPLE_RULES: dict[str, dict[str, tuple[tuple[str, ...], str]]] = {
    "replied_within": {
        "their recent reply speed": (
            ("their_latency_median_s",),
            "the counterpart replies as fast as their recent median reply time",
        ),
        "time of day": (("hour_sin", "hour_cos"), "the reply rate at this hour of the day"),
        "gap since the previous message": (("gap_s",), "a lively chat keeps answering"),
        "past replies to the sender": (
            ("prior_replied_rate",),
            "the sender's recent messages got answered (outcomes known before this message)",
        ),
    },
    "exchange_continues": {
        "turns so far": (("turn_in_session",), "a long exchange goes on"),
        "time of day": (("hour_sin", "hour_cos"), "the rate at this hour of the day"),
        "gap since the previous message": (("gap_s",), "a lively chat keeps going"),
        "past exchanges": (("prior_continues_rate",), "the sender's recent exchanges went on"),
    },
    "opens_next_session": {
        "initiation so far": (("initiation_share",), "whoever usually starts, starts again"),
        "recent openings": (("prior_opens_rate",), "who opened the recent sessions"),
        "time of day": (("hour_sin", "hour_cos"), "the rate at this hour of the day"),
    },
}

# permutation importance: feature groups shuffled together (one name each)
_GROUPS: dict[str, tuple[str, ...]] = {
    "time of day": ("hour_sin", "hour_cos"),
    "day of week": ("weekday_sin", "weekday_cos", "weekend"),
    "message kind": ("is_text", "is_media"),
}


# --- preparation ---------------------------------------------------------------------------------


@dataclass
class _Chat:
    """Person rows of a cue table in (conversation, time, input) order, as numpy arrays."""

    per: pd.DataFrame  # the cue table (row-preserving, input order)
    rows: np.ndarray  # positions in ``per`` of the person rows, in sorted order
    conv: np.ndarray
    who: np.ndarray
    t: np.ndarray  # seconds (UTC instants)
    sid: np.ndarray
    tid: np.ndarray
    n_senders: np.ndarray  # senders of the row's conversation so far
    addressee: np.ndarray  # sender code the message addresses by name (a prior sender), else -1
    gap: float


def _prepare(msgs: pd.DataFrame, gap) -> _Chat:
    from .table import cue_table

    validate(msgs)
    gap_s = _seconds(gap, "gap")
    per = cue_table(msgs, gap=gap)
    n = len(per)
    kind = per["kind"].astype("str")
    person = (~kind.isin(EXCLUDED_KINDS) & per["sender"].notna() & per["timestamp"].notna()).to_numpy()
    conv_all = pd.factorize(per["conversation_id"], use_na_sentinel=False)[0]
    ts = per["timestamp"].dt.tz_convert("UTC").astype("datetime64[us, UTC]")
    t_all = np.where(person, ts.to_numpy(dtype="datetime64[us]").astype("int64"), 0)
    order = np.lexsort((np.arange(n), t_all, conv_all))
    rows = order[person[order]]
    conv = conv_all[rows]
    sender = per["sender"].to_numpy(dtype=object)[rows]
    who, names = pd.factorize(pd.Series(sender, dtype="str"))
    t = t_all[rows].astype("float64") / 1e6
    sid = per["session_id"].to_numpy()[rows]
    tid = per["turn_id"].to_numpy()[rows]
    # senders seen so far in the conversation (up to and including this message)
    pairs = pd.DataFrame({"c": conv, "w": who})
    first_time = ~pairs.duplicated(["c", "w"]).to_numpy()
    n_senders = pd.Series(first_time.astype(np.int64)).groupby(conv).cumsum().to_numpy()
    addressee = _addressees(per["text"].to_numpy(dtype=object)[rows], conv, who, names)
    return _Chat(per, rows, conv, who, t, sid, tid, n_senders, addressee, gap_s)


def _addressees(text: np.ndarray, conv: np.ndarray, who: np.ndarray, names) -> np.ndarray:
    """The sender a message names in its first word ("nick: ...", "@nick,"), if they wrote before."""
    m = len(text)
    out = np.full(m, -1, dtype=np.int64)
    if not m:
        return out
    first = (
        pd.Series(text, dtype="str")
        .str.slice(0, 80)
        .str.extract(r"^\s*@?([^\s:,]{1,40})[:,]", expand=False)
        .str.casefold()
    )
    lookup = pd.Series(np.arange(len(names)), index=pd.Index(names, dtype="str").str.casefold())
    lookup = lookup[~lookup.index.duplicated()]
    code = first.map(lookup).to_numpy(dtype="float64")
    has = ~np.isnan(code)
    code = np.where(has, code, -1).astype(np.int64)
    # only a person who already wrote in this conversation (known at the time), never oneself
    pos = np.arange(m)
    first_pos = pd.DataFrame({"c": conv, "w": who, "p": pos}).groupby(["c", "w"])["p"].min()
    key = pd.MultiIndex.from_arrays([conv, code])
    seen = first_pos.reindex(key).to_numpy(dtype="float64")
    ok = has & (seen < pos) & (code != who)
    out[ok] = code[ok]
    return out


def _group_search(
    g_ev: np.ndarray, v_ev: np.ndarray, g_q: np.ndarray, v_q: np.ndarray, side: Literal["left", "right"]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each query, the number of events of its group with value < (``left``) or <= (``right``)
    the query's value, and where the group starts, in the events sorted by (group, value).

    Returns ``(order, idx, start)``: ``order`` sorts the events; ``idx`` and ``start`` index
    into the sorted events.
    """
    order = np.lexsort((v_ev, g_ev))
    gs, vs = g_ev[order], v_ev[order]
    # ranks of values across events and queries make one integer key per (group, value)
    allv = np.concatenate([vs, v_q])
    _, inv = np.unique(allv, return_inverse=True)
    r_ev, r_q = inv[: len(vs)], inv[len(vs) :]
    width = np.int64(len(allv) + 1)
    k_ev = gs.astype(np.int64) * width + r_ev
    k_q = g_q.astype(np.int64) * width + r_q
    idx = np.searchsorted(k_ev, k_q, side=side)
    start = np.searchsorted(k_ev, g_q.astype(np.int64) * width, side="left")
    return order, idx, start


def _last_k_mean(values: np.ndarray, order, idx, start, k: int) -> np.ndarray:
    """Mean of the last ``k`` non-NaN event values before ``idx`` in the group (NaN if none)."""
    v = values[order]
    ok = ~np.isnan(v)
    cs_v = np.concatenate([[0.0], np.cumsum(np.where(ok, v, 0.0))])
    cs_n = np.concatenate([[0], np.cumsum(ok)])
    # the last k events of the group before idx (events, not only non-NaN ones)
    lo = np.maximum(start, idx - k)
    n = cs_n[idx] - cs_n[lo]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, (cs_v[idx] - cs_v[lo]) / np.maximum(n, 1), np.nan)


# --- targets ---------------------------------------------------------------------------------------


def _targets(c: _Chat, *, within: float, turns: int, quiet: float, reply: str) -> dict[str, np.ndarray]:
    m = len(c.t)
    pos = np.arange(m)
    inf = np.inf
    conv_end = pd.Series(c.t).groupby(c.conv).transform("max").to_numpy() if m else np.zeros(0)
    same_conv_next = np.r_[c.conv[1:] == c.conv[:-1], False] if m else np.zeros(0, bool)
    t_next_any = np.where(same_conv_next, np.r_[c.t[1:], inf] if m else c.t, inf)

    # replied_within: the first later message by someone else (that addresses the sender)
    if reply not in ("auto", "any", "addressed"):
        raise ValueError(f"reply must be 'auto', 'any' or 'addressed', got {reply!r}")
    any_mode = (c.n_senders <= 2) if reply == "auto" else np.full(m, reply == "any")
    # next message by another sender: start of the next run of one sender in the conversation
    change = np.r_[True, (c.who[1:] != c.who[:-1]) | (c.conv[1:] != c.conv[:-1])] if m else np.zeros(0, bool)
    run_start_pos = np.where(change, pos, 0)
    next_change = np.full(m, m)
    if m:
        cand = np.where(change, pos, m)
        next_change = np.minimum.accumulate(cand[::-1])[::-1]  # first change at or after p
        next_change = np.r_[next_change[1:], m]  # strictly after p
    ok = next_change < m
    ok[ok] &= c.conv[next_change[ok]] == c.conv[ok]
    t_reply_any = np.full(m, inf)
    t_reply_any[ok] = c.t[next_change[ok]]
    # addressed: first later message whose addressee is the sender
    t_reply_addr = np.full(m, inf)
    ev = c.addressee >= 0
    if ev.any():
        s = int(c.who.max()) + 1
        g_ev = c.conv[ev].astype(np.int64) * s + c.addressee[ev]
        g_q = c.conv.astype(np.int64) * s + c.who
        order, idx, start = _group_search(g_ev, pos[ev].astype(float), g_q, pos.astype(float), "right")
        end = np.searchsorted(g_ev[order], g_q, side="right")
        has = idx < end
        t_reply_addr[has] = c.t[ev][order][idx[has]]
    t_reply = np.where(any_mode, t_reply_any, t_reply_addr)
    replied = t_reply - c.t <= within
    no_reply_known = (c.t + within <= conv_end) & ~((t_next_any - c.t > quiet) & (within > quiet))
    y_rep = np.where(replied, 1.0, np.where(no_reply_known, 0.0, np.nan))
    k_rep = np.where(replied, t_reply, np.where(no_reply_known, c.t + within, np.nan))

    # sessions: first/last time, first sender, next session's start and opener
    sess = pd.DataFrame({"c": c.conv, "s": c.sid, "t": c.t, "w": c.who, "tid": c.tid})
    g = sess.groupby(["c", "s"], sort=False)
    last_t = g["t"].transform("max").to_numpy()
    last_turn = g["tid"].transform("max").to_numpy()
    # the session start of each session, in order
    starts = np.r_[True, (c.sid[1:] != c.sid[:-1]) | (c.conv[1:] != c.conv[:-1])] if m else np.zeros(0, bool)
    sp = pos[starts]
    nxt = np.r_[sp[1:], m] if m else np.zeros(0, np.int64)  # position of the next session's start
    nxt_ok = nxt < m
    nxt_ok[nxt_ok] &= c.conv[np.minimum(nxt[nxt_ok], m - 1)] == c.conv[sp[nxt_ok]]
    sess_index = np.cumsum(starts) - 1 if m else np.zeros(0, np.int64)
    n_pos = nxt[sess_index]
    n_ok = nxt_ok[sess_index]
    n_pos_safe = np.minimum(n_pos, max(m - 1, 0))
    next_t = np.where(n_ok, c.t[n_pos_safe], np.nan)
    next_who = np.where(n_ok, c.who[n_pos_safe], -1)

    # exchange_continues: the turns-th further turn in this session
    goal_turn = c.tid + turns
    cont = last_turn >= goal_turn
    turn_start = np.r_[True, (c.tid[1:] != c.tid[:-1]) | (c.conv[1:] != c.conv[:-1])] if m else np.zeros(0, bool)
    ts_g = c.conv[turn_start].astype(np.int64)
    ts_tid = c.tid[turn_start]
    ts_t = c.t[turn_start]
    # the start time of turn goal_turn in the same conversation
    key_ev = pd.MultiIndex.from_arrays([ts_g, ts_tid])
    lookup = pd.Series(ts_t, index=key_ev)
    lookup = lookup[~lookup.index.duplicated()]
    goal_t = lookup.reindex(pd.MultiIndex.from_arrays([c.conv.astype(np.int64), goal_turn])).to_numpy(dtype="float64")
    closed = n_ok  # a next session exists, so this one ended
    y_cont = np.where(cont, 1.0, np.where(closed, 0.0, np.nan))
    k_cont = np.where(cont, goal_t, np.where(closed, last_t + c.gap, np.nan))

    # opens_next_session
    quiet_before = (next_t - last_t) > quiet
    known_open = n_ok & ~quiet_before
    y_open = np.where(known_open, (next_who == c.who).astype(float), np.nan)
    k_open = np.where(known_open, next_t, np.nan)
    del run_start_pos
    # The targets keep an outcome only when its whole window was observed, whatever the outcome:
    # keeping an early "yes" near the end of the export while its "no" is still open would
    # select on the outcome (near the end only quick answers would remain). The history
    # features use every outcome as soon as it was known (``hist_*``).
    window_seen = c.t + within <= conv_end
    return {
        "replied_within": np.where(window_seen, y_rep, np.nan),
        "replied_within_known_at": np.where(window_seen, k_rep, np.nan),
        "exchange_continues": np.where(closed, y_cont, np.nan),
        "exchange_continues_known_at": np.where(closed, k_cont, np.nan),
        "opens_next_session": y_open,
        "opens_next_session_known_at": k_open,
        "hist_replied_within": y_rep,
        "hist_replied_within_known_at": k_rep,
        "hist_exchange_continues": y_cont,
        "hist_exchange_continues_known_at": k_cont,
        "hist_opens_next_session": y_open,
        "hist_opens_next_session_known_at": k_open,
    }


def _positive_int(value, name: str, example: int) -> int:
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a positive integer such as {example}, got {value!r}")
    return int(value)


def _compute(msgs, *, within, turns, gap, quiet, reply) -> tuple[_Chat, dict[str, np.ndarray]]:
    turns = _positive_int(turns, "turns", 2)
    c = _prepare(msgs, gap)
    raw = _targets(c, within=_seconds(within, "within"), turns=turns, quiet=_seconds(quiet, "quiet"), reply=reply)
    return c, raw


def _scatter(c: _Chat, values: np.ndarray, dtype: str = "float64") -> np.ndarray:
    out = np.full(len(c.per), np.nan)
    out[c.rows] = values
    return out


def _targets_frame(c: _Chat, raw: dict[str, np.ndarray]) -> pd.DataFrame:
    tz = c.per["timestamp"].dt.tz
    cols: dict[str, Any] = {}
    for name in TARGETS:
        y = _scatter(c, raw[name])
        flag = np.where(np.isnan(y), None, y == 1.0)
        cols[name] = pd.array(flag, dtype="boolean")  # type: ignore[call-overload]  # stubs: no object ndarray
        known_us = np.round(_scatter(c, raw[f"{name}_known_at"]) * 1e6)
        us = pd.array(known_us, dtype="Int64")  # type: ignore[call-overload]  # stubs: no float ndarray to Int64
        known = pd.to_datetime(pd.Series(us, dtype="Int64"), unit="us", utc=True)
        cols[f"{name}_known_at"] = known.dt.tz_convert(tz).astype(pd.DatetimeTZDtype("us", tz)).array
    return pd.DataFrame(cols, index=c.per.index)


def engagement_targets(
    msgs: pd.DataFrame,
    *,
    within: str | pd.Timedelta = "1h",
    turns: int = 2,
    gap: str | pd.Timedelta = "6h",
    quiet: str | pd.Timedelta = "30D",
    reply: str = "auto",
) -> pd.DataFrame:
    """Self-supervised engagement targets of every message, with censoring.

    Parameters
    ----------
    msgs : DataFrame
        A message frame; it is not modified.
    within : str or Timedelta, default "1h"
        ``replied_within``: the answer must come within this time.
    turns : int, default 2
        ``exchange_continues``: at least this many further turns in the session.
    gap : str or Timedelta, default "6h"
        Sessions split at silences longer than this (:func:`reconnect_signals.add_structure`).
    quiet : str or Timedelta, default "30D"
        ``opens_next_session`` is censored (missing) when the silence before the next session
        is longer than this; ``replied_within`` when ``within`` is longer than this and the
        message is followed by such a silence.
    reply : {"auto", "any", "addressed"}, default "auto"
        What counts as an answer: any message by someone else (``"any"``), one that names
        the sender in its first word (``"addressed"``), or ``"any"`` in conversations with
        at most two senders and ``"addressed"`` in larger ones (``"auto"``).

    Returns
    -------
    DataFrame
        Same index as ``msgs``: for each of :data:`TARGETS` a nullable boolean column
        (missing: censored or not a person message) and ``<target>_known_at``, the instant
        the outcome became known (missing with it). The module docstring defines each.

    Examples
    --------
    >>> import pandas as pd
    >>> import reconnect_signals as rs
    >>> msgs = rs.coerce(pd.DataFrame({
    ...     "timestamp": ["2024-03-01 09:00", "2024-03-01 09:05", "2024-03-01 12:00",
    ...                   "2024-03-02 10:00", "2024-03-02 10:01"],
    ...     "sender": ["Alex", "Sam", "Sam", "Alex", "Sam"],
    ...     "text": ["up?", "yes!", "lunch?", "sorry, missed this", "np"]}))
    >>> y = rs.engagement_targets(msgs)
    >>> y["replied_within"].tolist()  # the export ends within the hour after the last two
    [True, False, False, <NA>, <NA>]
    >>> y["opens_next_session"].tolist()  # Alex opens the next day's session; the last is open
    [True, False, False, <NA>, <NA>]
    """
    c, raw = _compute(msgs, within=within, turns=turns, gap=gap, quiet=quiet, reply=reply)
    return _targets_frame(c, raw)


# --- features --------------------------------------------------------------------------------------


def _features(c: _Chat, raw: dict[str, np.ndarray], history: int) -> dict[str, np.ndarray]:
    per = c.per
    rows = c.rows
    m = len(rows)
    pos = np.arange(m)
    f: dict[str, np.ndarray] = {}
    for col in _CUES:
        v = per[col].to_numpy(dtype="float64", na_value=np.nan)[rows]
        f[col] = np.log1p(v) if col in ("words", "emoji") else v
    kind = per["kind"].astype("str").to_numpy()[rows]
    f["is_text"] = (kind == "text").astype(float)
    f["is_media"] = (kind == "media").astype(float)
    wall = per["timestamp"].iloc[rows]
    hour = (wall.dt.hour + wall.dt.minute / 60).to_numpy(dtype="float64")
    day = wall.dt.day_of_week.to_numpy(dtype="float64")
    f["hour_sin"], f["hour_cos"] = np.sin(2 * np.pi * hour / 24), np.cos(2 * np.pi * hour / 24)
    f["weekday_sin"], f["weekday_cos"] = np.sin(2 * np.pi * day / 7), np.cos(2 * np.pi * day / 7)
    f["weekend"] = (day >= 5).astype(float)

    same_prev = np.r_[False, c.conv[1:] == c.conv[:-1]] if m else np.zeros(0, bool)
    f["gap_s"] = np.where(same_prev, c.t - np.r_[np.nan, c.t[:-1]] if m else c.t, np.nan)
    sender_g = c.conv.astype(np.int64) * (int(c.who.max()) + 1 if m else 1) + c.who
    prev_own = pd.Series(c.t).groupby(sender_g).shift(1).to_numpy(dtype="float64")
    f["own_gap_s"] = c.t - prev_own
    lat = per["latency_s"].to_numpy(dtype="float64")[rows]
    is_reply = per["is_reply"].to_numpy()[rows]
    f["latency_s"] = np.where(is_reply, lat, np.nan)
    f["is_reply"] = is_reply.astype(float)
    f["is_session_start"] = per["is_session_start"].to_numpy()[rows].astype(float)
    f["is_turn_start"] = per["is_turn_start"].to_numpy()[rows].astype(float)
    f["is_double_text"] = per["is_double_text"].to_numpy()[rows].astype(float)
    turn_key = c.conv.astype(np.int64) * (int(c.tid.max()) + 1 if m else 1) + c.tid
    f["message_in_turn"] = pd.Series(pos).groupby(turn_key).cumcount().to_numpy(dtype="float64") + 1
    sess_key = c.conv.astype(np.int64) * (int(c.sid.max()) + 1 if m else 1) + c.sid
    sess = pd.DataFrame({"k": sess_key, "tid": c.tid, "t": c.t}).groupby("k")
    f["turn_in_session"] = (c.tid - sess["tid"].transform("min").to_numpy()).astype(float) + 1
    f["session_age_s"] = c.t - sess["t"].transform("min").to_numpy()
    f["addresses_someone"] = (c.addressee >= 0).astype(float)

    # the counterpart: whom the message names, else the last other person who wrote
    change = np.r_[True, (c.who[1:] != c.who[:-1]) | (c.conv[1:] != c.conv[:-1])] if m else np.zeros(0, bool)
    run_start = np.maximum.accumulate(np.where(change, pos, 0)) if m else pos
    before = run_start - 1
    prev_ok = before >= 0
    prev_ok[prev_ok] &= c.conv[before[prev_ok]] == c.conv[prev_ok]
    last_other = np.where(prev_ok, c.who[np.maximum(before, 0)], -1)
    their = np.where(c.addressee >= 0, c.addressee, last_other)
    s = int(c.who.max()) + 1 if m else 1
    their_g = np.where(their >= 0, c.conv.astype(np.int64) * s + their, -1)
    k = int(history)

    # per-person series over their own messages: the state after their latest message up to p
    def person_state(values: np.ndarray, query_g: np.ndarray, median: bool = False) -> np.ndarray:
        """Mean (or median) of ``values`` over the group's last k non-missing values up to p."""
        ev = ~np.isnan(values)
        out = np.full(m, np.nan)
        if not ev.any():
            return out
        order, idx, start = _group_search(sender_g[ev], pos[ev].astype(float), query_g, pos.astype(float), "right")
        if not median:
            out = _last_k_mean(values[ev], order, idx, start, k)
        else:
            v = pd.Series(values[ev][order])
            gk = sender_g[ev][order]
            med = v.groupby(gk, sort=False).rolling(k, min_periods=1).median().to_numpy()
            last = idx - 1
            okq = last >= start
            out[okq] = med[last[okq]]
        return np.where(query_g >= 0, out, np.nan)

    reply_lat = f["latency_s"]
    f["own_latency_median_s"] = person_state(reply_lat, sender_g, median=True)
    f["their_latency_median_s"] = person_state(reply_lat, their_g, median=True)
    words = per["words"].to_numpy(dtype="float64", na_value=np.nan)[rows]
    words = np.where(kind == "text", words, np.nan)
    f["own_words_recent"] = np.log1p(person_state(words, sender_g))
    f["their_words_recent"] = np.log1p(person_state(words, their_g))
    sent = np.where(kind == "text", per["sentiment"].to_numpy(dtype="float64", na_value=np.nan)[rows], np.nan)
    f["own_sentiment_recent"] = person_state(sent, sender_g)
    f["their_sentiment_recent"] = person_state(sent, their_g)
    # share of the last k messages of the conversation (up to this one) by the sender
    order, idx, start = _group_search(sender_g, pos.astype(float), sender_g, pos.astype(float), "right")
    _, idx_lo, _ = _group_search(sender_g, pos.astype(float), sender_g, (pos - k).astype(float), "right")
    conv_start = pd.Series(pos).groupby(c.conv).transform("min").to_numpy()
    window = np.minimum(pos - conv_start + 1, k)
    f["own_share_recent"] = (idx - np.maximum(idx_lo, start)) / window
    # initiation share so far: sessions the sender opened / sessions so far
    opened = pd.Series(f["is_session_start"]).groupby(sender_g).cumsum().to_numpy()
    sessions = (c.sid - pd.Series(c.sid).groupby(c.conv).transform("min").to_numpy() + 1).astype(float)
    f["initiation_share"] = opened / sessions

    # past outcomes, counted only once known (strictly before this message's time)
    for name, col in (
        ("replied_within", "prior_replied_rate"),
        ("exchange_continues", "prior_continues_rate"),
        ("opens_next_session", "prior_opens_rate"),
    ):
        y, known = raw[f"hist_{name}"], raw[f"hist_{name}_known_at"]
        ev = ~np.isnan(y)
        for qg, out_col in ((sender_g, col), (their_g, "their_prior_replied_rate")):
            if out_col == "their_prior_replied_rate" and name != "replied_within":
                continue
            if not ev.any():
                f[out_col] = np.full(m, np.nan)
                continue
            order, idx, start = _group_search(sender_g[ev], known[ev], qg, c.t, "left")
            f[out_col] = np.where(qg >= 0, _last_k_mean(y[ev], order, idx, start, k), np.nan)
    return f


def _features_frame(c: _Chat, f: dict[str, np.ndarray]) -> pd.DataFrame:
    return pd.DataFrame({name: _scatter(c, f[name]) for name in ENGAGEMENT_FEATURES}, index=c.per.index)


def engagement_features(
    msgs: pd.DataFrame,
    *,
    within: str | pd.Timedelta = "1h",
    turns: int = 2,
    gap: str | pd.Timedelta = "6h",
    quiet: str | pd.Timedelta = "30D",
    reply: str = "auto",
    history: int = 20,
) -> pd.DataFrame:
    """Features of every message that were known when it was sent (no look-ahead).

    Parameters
    ----------
    msgs : DataFrame
        A message frame; it is not modified.
    within, turns, gap, quiet, reply
        As in :func:`engagement_targets` (the ``prior_*_rate`` features count past outcomes
        of these targets, once known).
    history : int, default 20
        The recent history is the last ``history`` messages (or replies, or known outcomes)
        of each person.

    Returns
    -------
    DataFrame
        Same index as ``msgs``, columns :data:`ENGAGEMENT_FEATURES` (float64); NaN on rows
        that are not person messages and where a history is still empty. Columns ending in
        ``_s`` are seconds. The module docstring describes them.

    Examples
    --------
    >>> import reconnect_signals as rs
    >>> from reconnect_signals.engagement import ENGAGEMENT_FEATURES
    >>> X = rs.engagement_features(rs.load_example())
    >>> X.shape[1] == len(ENGAGEMENT_FEATURES)
    True
    >>> X.loc[:3, ["gap_s", "is_reply", "their_latency_median_s"]]  # row 0 is a system row
       gap_s  is_reply  their_latency_median_s
    0    NaN       NaN                     NaN
    1    NaN       0.0                     NaN
    2   60.0       1.0                     NaN
    3   60.0       1.0                    60.0
    """
    history = _positive_int(history, "history", 20)
    c, raw = _compute(msgs, within=within, turns=turns, gap=gap, quiet=quiet, reply=reply)
    return _features_frame(c, _features(c, raw, history))


# --- models and evaluation -------------------------------------------------------------------------


def _pipeline(columns: tuple[str, ...], calibrated: bool = True):
    """``make_classifier("window")`` on ``columns``: log1p of seconds, median imputation,
    standardisation, logistic regression (with sigmoid calibration for the model; a rule's
    one- or two-column logistic regression needs none)."""
    from .ml import make_classifier

    return make_classifier("window", columns=list(columns), calibration="sigmoid" if calibrated else None)


def _rule_columns(target: str, available: set[str]) -> dict[str, tuple[tuple[str, ...], str]]:
    return {name: spec for name, spec in SIMPLE_RULES[target].items() if set(spec[0]) <= available}


def _check_target(target: str) -> None:
    if target not in TARGETS:
        raise ValueError(f"target must be one of {list(TARGETS)}, got {target!r}")


def _design(
    msgs: pd.DataFrame, *, target: str, me, within, turns, gap, quiet, reply, history
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Feature rows, labels, times, known-at times, conversations and session clusters of the
    person messages whose outcome is known (optionally only ``me``'s), in time order."""
    _check_target(target)
    history = _positive_int(history, "history", 20)
    c, raw = _compute(msgs, within=within, turns=turns, gap=gap, quiet=quiet, reply=reply)
    f = _features(c, raw, history)
    keep = ~np.isnan(raw[target])
    if me is not None:
        senders = c.per["sender"].to_numpy(dtype=object)[c.rows]
        if not (senders == me).any():
            known = sorted(pd.unique(c.per["sender"].dropna()).tolist())[:10]
            raise ValueError(f"me={me!r} wrote no message in this chat; senders are {known}")
        keep &= senders == me
    X = pd.DataFrame({name: f[name][keep] for name in ENGAGEMENT_FEATURES})
    X.index = c.per.index[c.rows[keep]]
    y = raw[target][keep].astype(int)
    t = c.t[keep]
    known_at = raw[f"{target}_known_at"][keep]
    conv = c.conv[keep]
    cluster = pd.factorize(pd.MultiIndex.from_arrays([c.conv[keep], c.sid[keep]]))[0]
    order = np.argsort(t, kind="stable")
    return (X.iloc[order], y[order], t[order], known_at[order], conv[order], cluster[order])


def _time_splits(t: np.ndarray, known_at: np.ndarray, n_splits: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Forward chaining on rows in time order: n_splits + 1 blocks; fold k tests block k and
    trains on earlier rows whose outcome was known before the test block's first message."""
    n = len(t)
    bounds = np.linspace(0, n, n_splits + 2).round().astype(int)
    splits = []
    for k in range(1, n_splits + 1):
        test = np.arange(bounds[k], bounds[k + 1])
        if not len(test):
            continue
        t0 = t[test[0]]
        train = np.flatnonzero((np.arange(n) < bounds[k]) & (known_at < t0))
        splits.append((train, test))
    return splits


def _group_splits(groups: np.ndarray, n_splits: int) -> list[tuple[np.ndarray, np.ndarray]]:
    from sklearn.model_selection import GroupKFold

    k = min(n_splits, len(np.unique(groups)))
    return [(tr, te) for tr, te in GroupKFold(n_splits=k).split(np.zeros(len(groups)), groups=groups)]


def _weighted_auc(y: np.ndarray, score: np.ndarray, w: np.ndarray) -> np.ndarray:
    """AUC (ties count one half) of ``score`` for each row of weights ``w`` (B x n)."""
    order = np.argsort(score, kind="stable")
    s = score[order]
    pos = y[order] == 1
    starts = np.flatnonzero(np.r_[True, s[1:] != s[:-1]])
    out = np.empty(w.shape[0])
    step = max(1, 4_000_000 // max(len(s), 1))  # bounded memory: a few million weights at a time
    for a in range(0, w.shape[0], step):
        ws = w[a : a + step][:, order]
        gp = np.add.reduceat(np.where(pos, ws, 0.0), starts, axis=1)
        gn = np.add.reduceat(np.where(~pos, ws, 0.0), starts, axis=1)
        below = np.cumsum(gn, axis=1) - gn
        num = (gp * (below + 0.5 * gn)).sum(axis=1)
        den = gp.sum(axis=1) * gn.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[a : a + step] = num / den
    return out


def _weighted_brier(y: np.ndarray, p: np.ndarray, w: np.ndarray) -> np.ndarray:
    return (w * (p - y) ** 2).sum(axis=1) / w.sum(axis=1)


def _bootstrap_weights(cluster: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Row weights of a cluster (session) bootstrap: B x n, each row sums to about n."""
    codes, cl = np.unique(cluster, return_inverse=True)
    draws = rng.integers(0, len(codes), size=(n_boot, len(codes)))
    counts = np.zeros((n_boot, len(codes)), dtype=np.float32)
    np.add.at(counts, (np.repeat(np.arange(n_boot), len(codes)), draws.ravel()), 1.0)
    return counts[:, cl]


def _reliability(y: np.ndarray, p: np.ndarray, bins: int = 10) -> pd.DataFrame:
    edges = np.linspace(0, 1, bins + 1)
    b = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    df = pd.DataFrame({"bin": b, "p": p, "y": y})
    g = df.groupby("bin")
    out = pd.DataFrame(
        {
            "bin": [f"{edges[i]:.1f}-{edges[i + 1]:.1f}" for i in g.size().index],
            "messages": g.size().to_numpy(),
            "predicted": g["p"].mean().to_numpy(),
            "observed": g["y"].mean().to_numpy(),
        }
    )
    return out


@dataclass(frozen=True)
class EngagementEvaluation:
    """What :func:`evaluate_engagement` found; ``print(result)`` gives a readable account.

    Attributes
    ----------
    target : str
    cv : str
        ``"time"`` (forward chaining inside the chat) or ``"conversation"`` (grouped by
        conversation).
    scores : DataFrame
        One row per predictor (``model``, ``base rate``, each simple rule) with ``auc`` (the
        mean over the test folds; the base rate's is 0.5), ``auc_fold_sd`` (its spread),
        ``brier`` (pooled over the test messages) and ``messages``.
    best_rule : str
        The simple rule with the highest pooled AUC (chosen after seeing the test folds,
        which favours the rule: a conservative comparison for the model).
    comparison : dict
        Model minus best rule: ``auc_diff``, ``brier_diff`` and their 95 % session-bootstrap
        intervals (``*_ci``); ``brier_vs_base_ci``: the interval of the model's Brier score
        minus the base rate's.
    verdict : str
        In words: whether the model beats the base rate and the best simple rule.
    calibration : DataFrame
        Reliability table of the model's and the best rule's out-of-fold probabilities
        (``predictor``, ``bin``, ``messages``, ``predicted``, ``observed``).
    associations : DataFrame
        Per feature (or feature group): the drop in AUC when it is shuffled in the test
        folds (``auc_drop`` with a 95 % session-bootstrap interval), the direction of the
        rank correlation with the outcome, and a sentence. Associations, not causes.
    predictions : DataFrame
        Out-of-fold probabilities (``model``, ``rule``), label and fold per test message,
        indexed like the message frame.
    model : Pipeline
        The model refitted on every known outcome (for :meth:`predict_proba` on new rows of
        :func:`engagement_features`).
    n_messages, base_rate, folds : int, float, int
    notes : list of str
        Anything that limited the evaluation (skipped folds, a one-class target).
    """

    target: str
    cv: str
    scores: pd.DataFrame
    best_rule: str | None
    comparison: dict
    verdict: str
    calibration: pd.DataFrame
    associations: pd.DataFrame
    predictions: pd.DataFrame
    model: Any
    n_messages: int
    base_rate: float
    folds: int
    notes: list = field(default_factory=list)

    def __str__(self) -> str:
        lines = [
            f"Engagement model: {self.target} ({self.n_messages} messages with a known outcome, "
            f"base rate {self.base_rate:.3f}; {self.folds} "
            + ("time-ordered folds" if self.cv == "time" else "folds grouped by conversation")
            + ")"
        ]
        if len(self.scores):
            lines.append(
                self.scores.to_string(
                    index=False, float_format=lambda v: f"{v:.3f}", columns=["predictor", "auc", "brier", "auc_fold_sd"]
                )
            )
        lines.append(self.verdict)
        if len(self.associations):
            lines.append("Associations (AUC drop when the feature is shuffled; association, not cause):")
            top = self.associations.head(8)
            for _, r in top.iterrows():
                lines.append(f"  {r['sentence']}")
        lines.extend(f"Note: {n}" for n in self.notes)
        return "\n".join(lines)

    __repr__ = __str__


def _verdict(scores: pd.DataFrame, best: str | None, comp: dict) -> str:
    s = scores.set_index("predictor")
    model, base = s.loc["model"], s.loc["base rate"]
    lo_b, hi_b = comp["brier_vs_base_ci"]
    if hi_b < 0:
        first = (
            f"The model's probabilities beat the base rate (Brier {model['brier']:.3f} vs {base['brier']:.3f}, "
            f"difference {model['brier'] - base['brier']:+.4f}, 95 % interval {lo_b:+.4f} to {hi_b:+.4f})."
        )
    else:
        first = (
            f"The model does NOT beat the base rate: its Brier score {model['brier']:.3f} is not clearly lower than "
            f"{base['brier']:.3f} from always predicting the base rate "
            f"(difference {model['brier'] - base['brier']:+.4f}, "
            f"95 % interval {lo_b:+.4f} to {hi_b:+.4f})."
        )
    if best is None:
        return first
    rule = s.loc[best]
    lo, hi = comp["auc_diff_ci"]
    d = comp["auc_diff"]
    numbers = f"AUC {model['auc']:.3f} vs {rule['auc']:.3f} (difference {d:+.3f}, 95 % interval {lo:+.3f} to {hi:+.3f})"
    if lo > 0 and d >= 0.02:
        second = f"It beats the best simple rule ('{best}'): {numbers}."
    elif lo > 0:
        second = (
            f"It ranks messages only slightly better than the best simple rule ('{best}'): {numbers}; "
            "too small a difference to matter in practice."
        )
    else:
        second = (
            f"The model does NOT beat the best simple rule ('{best}'): {numbers}. "
            "The model adds nothing you could rely on here."
        )
        if rule["auc"] < 0.55 or rule["brier"] >= base["brier"]:
            second += (
                f" The best simple rule is weak too (AUC {rule['auc']:.3f}; Brier {rule['brier']:.3f} against "
                f"{base['brier']:.3f} for the base rate): here the outcome is barely predictable from what was "
                "known at the time."
            )
        else:
            second += " Use the rule."
    return f"{first} {second}"


def _association_sentence(name: str, drop: float, lo: float, hi: float, direction: str, target: str) -> str:
    what = {
        "replied_within": "a reply in time",
        "exchange_continues": "the exchange going on",
        "opens_next_session": "the sender opening the next session",
    }[target]
    if lo > 0:
        dir_txt = {"+": f"higher values go with {what}", "-": f"higher values go with less of {what}"}.get(
            direction, f"it goes with {what}"
        )
        return (
            f"{name}: AUC drop {drop:.3f} (95 % {lo:.3f} to {hi:.3f}); {dir_txt} in these data (association, not cause)"
        )
    return f"{name}: AUC drop {drop:.3f} (95 % {lo:.3f} to {hi:.3f}); no clear association"


def evaluate_engagement(
    msgs: pd.DataFrame,
    *,
    target: str = "replied_within",
    me: str | None = None,
    cv: str = "auto",
    n_splits: int = 5,
    within: str | pd.Timedelta = "1h",
    turns: int = 2,
    gap: str | pd.Timedelta = "6h",
    quiet: str | pd.Timedelta = "30D",
    reply: str = "auto",
    history: int = 20,
    n_bootstrap: int = 200,
    associations: bool = True,
    random_state: int = 0,
) -> EngagementEvaluation:
    """Evaluate an engagement model honestly: model vs base rate vs the best simple rule.

    Parameters
    ----------
    msgs : DataFrame
        A message frame: one chat, or a corpus of many conversations.
    target : {"replied_within", "exchange_continues", "opens_next_session"}
        The self-supervised target (:func:`engagement_targets`).
    me : str, optional
        Only the messages ``me`` sent are predicted ("do they answer me within an hour?");
        features still use everyone's history.
    cv : {"auto", "time", "conversation"}, default "auto"
        ``"time"``: forward chaining in time order (``n_splits + 1`` blocks; each fold tests
        one block and trains on the earlier messages whose outcome was known before the
        block's first message, so no outcome from the test period leaks into training).
        ``"conversation"``: ``GroupKFold`` by ``conversation_id`` (a corpus, pooled).
        ``"auto"``: ``"time"`` for one conversation, ``"conversation"`` for several.
    n_splits : int, default 5
    within, turns, gap, quiet, reply, history
        As in :func:`engagement_targets` and :func:`engagement_features`.
    n_bootstrap : int, default 200
        Session-bootstrap replicates for the intervals (messages of one session are
        resampled together: they are not independent).
    associations : bool, default True
        Compute the permutation associations (one shuffle per feature and fold).
    random_state : int, default 0

    Returns
    -------
    EngagementEvaluation
        ``print(result)`` gives the table, the verdict in words and the associations.

    Notes
    -----
    The model is :func:`reconnect_signals.ml.make_classifier` at window level on
    :data:`ENGAGEMENT_FEATURES` (``log1p`` of seconds, median imputation, standardisation,
    logistic regression with sigmoid calibration). Each simple rule of :data:`SIMPLE_RULES`
    is a logistic regression on its one or two columns, fitted on the same training folds, so
    it has probabilities (and a Brier score) too. The base rate is the training folds' share.
    AUC is computed inside each test fold and averaged (pooling folds would let differences
    between folds' base rates pass for ranking skill); the Brier score is pooled over every
    test message. A target with fewer than 20 known "yes" or "no" is not evaluated.

    Examples
    --------
    >>> import reconnect_signals as rs
    >>> r = rs.evaluate_engagement(rs.load_example(), target="exchange_continues", n_bootstrap=20)
    >>> r.scores["predictor"].tolist()[:2]
    ['model', 'base rate']
    >>> "best simple rule" in r.verdict
    True
    >>> print(r)  # doctest: +ELLIPSIS
    Engagement model: exchange_continues ...
    """
    from sklearn.metrics import brier_score_loss, roc_auc_score

    if cv not in ("auto", "time", "conversation"):
        raise ValueError(f"cv must be 'auto', 'time' or 'conversation', got {cv!r}")
    if not isinstance(n_splits, (int, np.integer)) or n_splits < 2:
        raise ValueError(f"n_splits must be an integer >= 2, got {n_splits!r}")
    X, y, t, known_at, conv, cluster = _design(
        msgs, target=target, me=me, within=within, turns=turns, gap=gap, quiet=quiet, reply=reply, history=history
    )
    n_conv = len(np.unique(conv))
    mode = ("time" if n_conv <= 1 else "conversation") if cv == "auto" else cv
    notes: list[str] = []
    empty = EngagementEvaluation(
        target,
        mode,
        pd.DataFrame(columns=["predictor", "auc", "brier", "auc_fold_sd", "messages"]),
        None,
        {},
        "",
        pd.DataFrame(),
        pd.DataFrame(),
        pd.DataFrame(),
        None,
        len(y),
        float(y.mean()) if len(y) else math.nan,
        0,
        notes,
    )
    n_yes = int(y.sum())
    if min(n_yes, len(y) - n_yes) < 20:
        verdict = (
            f"Nothing to learn: {len(y)} messages with a known outcome, {n_yes} yes and {len(y) - n_yes} no "
            "(fewer than 20 of one kind); no model was fitted."
        )
        return EngagementEvaluation(**{**empty.__dict__, "verdict": verdict})
    if mode == "time":
        splits = _time_splits(t, known_at, n_splits)
    else:
        if n_conv < 2:
            raise ValueError("cv='conversation' needs at least two conversations; use cv='time' for one chat")
        splits = _group_splits(conv, n_splits)
    rules = _rule_columns(target, set(X.columns))
    rng = np.random.default_rng(random_state)
    oof = {name: np.full(len(y), np.nan) for name in ["model", "base rate", *rules]}
    fold_of = np.full(len(y), -1)
    fold_auc: dict[str, list[float]] = {name: [] for name in oof}
    fitted = []
    for k, (tr, te) in enumerate(splits):
        if len(tr) < 10 or y[tr].min() == y[tr].max():
            notes.append(
                f"fold {k + 1} skipped: {len(tr)} training messages whose outcome was known before the test block "
                "began, of one class or fewer than 10"
            )
            continue
        model = _pipeline(ENGAGEMENT_FEATURES).fit(X.iloc[tr], y[tr])
        fitted.append((model, te))
        oof["model"][te] = model.predict_proba(X.iloc[te])[:, 1]
        oof["base rate"][te] = y[tr].mean()
        for name, (cols, _) in rules.items():
            rule = _pipeline(cols, calibrated=False).fit(X.iloc[tr], y[tr])
            oof[name][te] = rule.predict_proba(X.iloc[te])[:, 1]
        fold_of[te] = k
        if y[te].min() != y[te].max():
            for name in oof:
                fold_auc[name].append(roc_auc_score(y[te], oof[name][te]))
    tested = fold_of >= 0
    if not tested.any():
        return EngagementEvaluation(**{**empty.__dict__, "verdict": "No fold could be fitted; see the notes."})
    yt = y[tested]
    f_t = fold_of[tested]
    masks = [f_t == k for k in np.unique(f_t) if 0 < yt[f_t == k].sum() < (f_t == k).sum()]
    if not masks:
        return EngagementEvaluation(
            **{**empty.__dict__, "verdict": "No test fold has both outcomes; AUC is undefined. See the notes."}
        )

    def auc_boot(score: np.ndarray, w: np.ndarray) -> np.ndarray:
        """Mean over folds of the weighted AUC (one value per bootstrap row)."""
        return np.nanmean(np.vstack([_weighted_auc(yt[m], score[m], w[:, m]) for m in masks]), axis=0)

    rows = []
    for name in oof:
        p = oof[name][tested]
        rows.append(
            {
                "predictor": name,
                "auc": float(np.mean(fold_auc[name])),
                "brier": brier_score_loss(yt, p),
                "auc_fold_sd": float(np.std(fold_auc[name])) if fold_auc[name] else math.nan,
                "messages": int(tested.sum()),
            }
        )
    scores = pd.DataFrame(rows)
    rule_scores = scores[scores["predictor"].isin(list(rules))]
    best = None if rule_scores.empty else str(rule_scores.sort_values("auc", ascending=False)["predictor"].iloc[0])
    boot_units = cluster[tested]
    if len(np.unique(boot_units)) < 20:
        # too few sessions to resample (an IRC channel is one long session): resample 50
        # contiguous blocks of test messages in time order instead
        order_t = np.argsort(t[tested], kind="stable")
        boot_units = np.empty(len(order_t), dtype=np.int64)
        boot_units[order_t] = np.arange(len(order_t)) * 50 // len(order_t)
        notes.append(
            f"{len(np.unique(cluster[tested]))} session(s) only: intervals resample 50 blocks of "
            "consecutive messages instead of sessions"
        )
    w = _bootstrap_weights(boot_units, n_bootstrap, rng)
    p_base = oof["base rate"][tested]
    d_base = _weighted_brier(yt, oof["model"][tested], w) - _weighted_brier(yt, p_base, w)
    comp: dict = {"brier_vs_base_ci": tuple(float(v) for v in np.nanpercentile(d_base, [2.5, 97.5]))}
    if best is not None:
        auc_m = auc_boot(oof["model"][tested], w)
        auc_r = auc_boot(oof[best][tested], w)
        d = auc_m - auc_r
        bm = _weighted_brier(yt, oof["model"][tested], w)
        br = _weighted_brier(yt, oof[best][tested], w)
        by_name = scores.set_index("predictor")
        auc, brier = by_name["auc"].astype(float), by_name["brier"].astype(float)
        comp |= {
            "auc_diff": float(auc["model"] - auc[best]),
            "auc_diff_ci": tuple(float(v) for v in np.nanpercentile(d, [2.5, 97.5])),
            "brier_diff": float(brier["model"] - brier[best]),
            "brier_diff_ci": tuple(float(v) for v in np.nanpercentile(bm - br, [2.5, 97.5])),
        }
    verdict = _verdict(scores, best, comp)
    cal = [_reliability(yt, oof["model"][tested]).assign(predictor="model")]
    if best is not None:
        cal.append(_reliability(yt, oof[best][tested]).assign(predictor=best))
    calibration = pd.concat(cal, ignore_index=True)[["predictor", "bin", "messages", "predicted", "observed"]]
    assoc = (
        _associations(X, y, fitted, tested, oof["model"], w, target, rng, auc_boot) if associations else pd.DataFrame()
    )
    final = _pipeline(ENGAGEMENT_FEATURES).fit(X, y)
    predictions = pd.DataFrame(
        {"model": oof["model"], "rule": oof[best] if best else np.nan, "label": y, "fold": fold_of}, index=X.index
    )[tested]
    return EngagementEvaluation(
        target=target,
        cv=mode,
        scores=scores,
        best_rule=best,
        comparison=comp,
        verdict=verdict,
        calibration=calibration,
        associations=assoc,
        predictions=predictions,
        model=final,
        n_messages=len(y),
        base_rate=float(y.mean()),
        folds=len(fitted),
        notes=notes,
    )


_BATCH_ROWS = 200_000  # shuffled rows per predict_proba call in _associations (~64 MB of features)


def _associations(X, y, fitted, tested, p_model, w, target, rng, auc_boot) -> pd.DataFrame:
    """Permutation association: AUC drop when a feature (group) is shuffled inside each test fold."""
    grouped = {col for cols in _GROUPS.values() for col in cols}
    units = {**_GROUPS, **{c: (c,) for c in ENGAGEMENT_FEATURES if c not in grouped}}
    base = auc_boot(p_model[tested], w)
    # the feature step works column by column (log1p, imputation, scaling), so shuffling a
    # transformed column is shuffling the raw one: transform each test fold once
    col_index = {c: i for i, c in enumerate(ENGAGEMENT_FEATURES)}
    folds = []
    for model, te in fitted:
        Z = np.asarray(model.named_steps["features"].transform(X.iloc[te]), dtype="float64")
        if Z.shape[1] != len(ENGAGEMENT_FEATURES):  # pragma: no cover - the featurizer keeps every column
            raise RuntimeError("the feature step dropped columns; cannot shuffle by name")
        folds.append((model.named_steps["classifier"], te, Z))
    # each fold's classifier predicts the shuffled copies of a chunk of units in one call (sklearn's
    # checks of each call cost more than the arithmetic; a row's probability does not depend on the
    # other rows of the call); the chunks keep a call to about _BATCH_ROWS rows, and the shuffles
    # are drawn unit by unit, fold by fold, in the order of one loop over both
    names = list(units)
    step = max(1, _BATCH_ROWS // max((len(te) for _, te, _ in folds), default=1))
    rows = []
    for first in range(0, len(names), step):
        chunk = names[first : first + step]
        perms = [[rng.permutation(len(te)) for _, te, _ in folds] for _ in chunk]
        p_perm = np.full((len(chunk), len(y)), np.nan)
        for f, (clf, te, Z) in enumerate(folds):
            stack = np.tile(Z, (len(chunk), 1))  # copy j of the fold's rows: rows j*n to (j+1)*n
            for j, name in enumerate(chunk):
                idx = [col_index[c] for c in units[name]]
                stack[j * len(te) : (j + 1) * len(te), idx] = Z[perms[j][f]][:, idx]
            p_perm[:, te] = clf.predict_proba(stack)[:, 1].reshape(len(chunk), len(te))
        for j, name in enumerate(chunk):
            rows.append(_association_row(name, units[name], base - auc_boot(p_perm[j][tested], w), X, y, target))
    return pd.DataFrame(rows).sort_values("auc_drop", ascending=False, ignore_index=True)


def _association_row(name: str, cols, drops: np.ndarray, X, y, target: str) -> dict:
    """One row of the associations: the AUC drops of a unit summarised, its direction, a sentence."""
    drop = float(np.nanmean(drops))
    lo, hi = (float(v) for v in np.nanpercentile(drops, [2.5, 97.5]))
    direction = ""
    if len(cols) == 1:  # the sign of the rank correlation (Spearman) with the outcome
        x = X[cols[0]].to_numpy()
        ok = ~np.isnan(x)
        rx = pd.Series(x[ok]).rank().to_numpy()
        ry = pd.Series(y[ok]).rank().to_numpy()
        if len(rx) > 2 and rx.std() > 0 and ry.std() > 0:
            rho = np.corrcoef(rx, ry)[0, 1]
            direction = "+" if rho > 0 else "-" if rho < 0 else ""
    return {
        "feature": name,
        "auc_drop": drop,
        "ci_low": lo,
        "ci_high": hi,
        "direction": direction,
        "sentence": _association_sentence(name, drop, lo, hi, direction, target),
    }


def engagement_model(
    msgs: pd.DataFrame,
    *,
    target: str = "replied_within",
    me: str | None = None,
    within: str | pd.Timedelta = "1h",
    turns: int = 2,
    gap: str | pd.Timedelta = "6h",
    quiet: str | pd.Timedelta = "30D",
    reply: str = "auto",
    history: int = 20,
) -> Pipeline:
    """Fit the engagement model on every message with a known outcome.

    Fitting alone says nothing about how good the model is: run :func:`evaluate_engagement`
    for that, and read its verdict before trusting a probability.

    Parameters
    ----------
    msgs : DataFrame
        A message frame: one chat, or a corpus of many conversations.
    target, me
        As in :func:`evaluate_engagement`.
    within, turns, gap, quiet, reply, history
        As in :func:`engagement_targets` and :func:`engagement_features`.

    Returns
    -------
    sklearn.pipeline.Pipeline
        Fitted on the rows of :func:`engagement_features` (columns
        :data:`ENGAGEMENT_FEATURES`); ``predict_proba(X)[:, 1]`` is the probability of the
        target.

    Examples
    --------
    >>> import reconnect_signals as rs
    >>> msgs = rs.load_example()
    >>> model = rs.engagement_model(msgs, target="replied_within", me="Alex")
    >>> X = rs.engagement_features(msgs)
    >>> p = model.predict_proba(X.iloc[-5:])[:, 1]
    >>> bool(((p > 0) & (p < 1)).all())
    True
    """
    X, y, *_ = _design(
        msgs, target=target, me=me, within=within, turns=turns, gap=gap, quiet=quiet, reply=reply, history=history
    )
    if len(y) < 2 or y.min() == y.max():
        raise ValueError(
            f"cannot fit {target!r}: {len(y)} messages with a known outcome and only one class; "
            "try a longer chat, another target or another within="
        )
    return _pipeline(ENGAGEMENT_FEATURES).fit(X, y)
