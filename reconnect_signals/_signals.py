"""``signals``: has anything changed lately? A before/recent reading of each cue, in words.

For each person (every sender but ``me``), each cue is measured twice: in the ``recent``
window that ends at the last message of the frame, and over everything before it. The
result is one row per (sender, cue) with both values, the change, the counts behind them, a
direction and one plain-language sentence.

This is a description of how someone wrote, measured the same way in two periods. It is
not advice, and it does not predict what will happen or say what anyone feels. The research
behind each cue (see the library's cue specification) comes from dating, couples and chat
studies in which the effects are small and hold for group averages; people reply late, write
less or use fewer emoji for many reasons that have nothing to do with the other person.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .schema import validate

__all__ = ["signals", "SIGNAL_CUES"]

logger = logging.getLogger(__name__)

_PERIOD = "_signals_period"


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    if seconds < 48 * 3600:
        return f"{_trim(seconds / 3600)} h"
    return f"{_trim(seconds / 86400)} days"


def _trim(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


@dataclass(frozen=True)
class _Cue:
    """How one cue is read: name, what it counts on, how to phrase and format it."""

    name: str
    label: str
    up: str
    down: str
    flat: str
    fmt: Callable[[float], str]
    note: str
    basis: str  # the count behind the value: "text", "messages", "replies", "sessions", "words"
    rel_tol: float = 0.10
    abs_tol: float = 0.0


def _pct_words(v: float) -> str:
    return f"{v:.1f} % of words"


def _percent(value: float) -> str:
    pct = 100 * value
    return f"{pct:.1f}" if 0 < abs(pct) < 10 else f"{pct:.0f}"


def _share(unit: str) -> Callable[[float], str]:
    return lambda v: f"{_percent(v)} % of {unit}"


#: The cues :func:`signals` reads, in output order. ``flat`` means the change is within
#: ``max(rel_tol * |before|, abs_tol)``.
SIGNAL_CUES: tuple[_Cue, ...] = (
    _Cue(
        "latency_median_s", "reply time", "replies more slowly than before",
        "replies faster than before", "replies about as fast as before",
        lambda v: f"median {_duration(v)}",
        "reply speed is a timing cue texting studies relate to engagement, and it also "
        "follows schedules and habits",
        "replies", rel_tol=0.25,
    ),
    _Cue(
        "messages_per_day", "messages a day", "writes more often than before",
        "writes less often than before", "writes about as often as before",
        lambda v: f"{v:.1f} messages a day",
        "volume reflects engagement and circumstance alike",
        "messages", rel_tol=0.15,
    ),
    _Cue(
        "words_per_message", "message length", "writes longer messages than before",
        "writes shorter messages than before", "writes messages of about the same length",
        lambda v: f"{v:.1f} words per message",
        "message length is a common engagement measure in chat research",
        "text", rel_tol=0.15,
    ),
    _Cue(
        "initiation_share", "share of conversations started",
        "starts a larger share of the conversations", "starts a smaller share of the conversations",
        "starts about the same share of the conversations", _share("conversations"),
        "who starts conversations is a common measure of investment in relationship research",
        "sessions", abs_tol=0.05,
    ),
    _Cue(
        "double_text_rate", "double texts", "double-texts more than before",
        "double-texts less than before", "double-texts about as much as before",
        _share("messages"),
        "a double text is a message sent again after 30 minutes or more without a reply",
        "messages", abs_tol=0.02,
    ),
    _Cue(
        "question_rate", "questions", "asks more questions than before",
        "asks fewer questions than before", "asks about as many questions as before",
        _share("messages"),
        "asking questions, follow-up questions especially, goes with being liked "
        "(Huang et al. 2017)",
        "text", abs_tol=0.02,
    ),
    _Cue(
        "we_rate", "'we'", "uses 'we' more", "uses 'we' less", "uses 'we' about as much",
        _pct_words,
        "we-talk goes with closeness and satisfaction in couples research, with small "
        "effects (Karan et al. 2019)",
        "text", abs_tol=0.1,
    ),
    _Cue(
        "i_rate", "'I'", "uses 'I' more", "uses 'I' less", "uses 'I' about as much",
        _pct_words,
        "'I' is the most frequent pronoun in couples' messages (Slatcher et al. 2008)",
        "text", abs_tol=0.1,
    ),
    _Cue(
        "you_rate", "'you'", "uses 'you' more", "uses 'you' less", "uses 'you' about as much",
        _pct_words,
        "you-talk during conflict goes with criticism in couples studies (Simmons et al. 2005)",
        "text", abs_tol=0.1,
    ),
    _Cue(
        "i_statement_rate", "I-statements", "uses more I-statements",
        "uses fewer I-statements", "uses about as many I-statements",
        _share("messages"),
        "I-statements voice one's own feelings and meet less defensiveness "
        "(Rogers et al. 2018)",
        "text", abs_tol=0.02,
    ),
    _Cue(
        "you_criticism_rate", "you-criticism", "uses more 'you always/never'-style criticism",
        "uses less 'you always/never'-style criticism",
        "uses about as much 'you always/never'-style criticism", _share("messages"),
        "a word-pattern proxy for criticism in Gottman's sense, not a judgement of the messages",
        "text", abs_tol=0.01,
    ),
    _Cue(
        "apology_rate", "apologies", "apologises more than before",
        "apologises less than before", "apologises about as often as before",
        _share("messages"),
        "counts explicit apologies such as 'sorry' and 'my bad' (Cohen & Olshtain's IFIDs)",
        "text", abs_tol=0.01,
    ),
    _Cue(
        "sentiment_mean", "tone", "writes in a more positive tone",
        "writes in a less positive tone", "writes in about the same tone",
        lambda v: f"VADER {v:+.2f}",
        "VADER scores wording from -1 to +1 and already counts emoji and 'lol' "
        "(Hutto & Gilbert 2014)",
        "text", abs_tol=0.05,
    ),
    _Cue(
        "laughter_rate", "laughter", "laughs more in writing (haha, lol)",
        "laughs less in writing (haha, lol)", "laughs in writing about as much",
        _share("messages"),
        "written laughter marks a light tone",
        "text", abs_tol=0.02,
    ),
    _Cue(
        "emoji_per_message", "emoji", "uses more emoji", "uses fewer emoji",
        "uses about as many emoji", lambda v: f"{v:.2f} emoji per message",
        "emoji habits vary a lot between people and apps",
        "text", abs_tol=0.05,
    ),
    _Cue(
        "lsm", "style matching", "matches {other}'s writing style more closely",
        "matches {other}'s writing style less closely",
        "matches {other}'s writing style about as closely",
        lambda v: f"LSM {v:.2f}",
        "language style matching is higher in engaged pairs (Ireland et al. 2011); typical "
        "values are .75-.95",
        "words", abs_tol=0.02,
    ),
)

_COLUMNS = [
    "sender", "cue", "before", "recent", "change", "n_before", "n_recent",
    "direction", "reading", "caution",
]
_UNITS = {
    "text": "text messages",
    "messages": "messages",
    "replies": "replies",
    "sessions": "conversations started (by anyone)",
    "words": "words",
}


@dataclass(frozen=True)
class _Context:
    """What every row of one :func:`signals` call shares."""

    label: str  # "30 days"
    days: dict  # period -> length in days
    senders: list
    lsm_words: dict  # (sender, period) -> words
    min_messages: int
    min_replies: int
    min_words: int


def _empty() -> pd.DataFrame:
    out = pd.DataFrame({c: pd.Series([], dtype="str") for c in _COLUMNS})
    for c in ("before", "recent", "change"):
        out[c] = out[c].astype("float64")
    for c in ("n_before", "n_recent"):
        out[c] = out[c].astype("int64")
    return out


def _span_label(td: pd.Timedelta) -> str:
    days = td / pd.Timedelta("1D")
    if days >= 1 and float(days).is_integer():
        return f"{int(days)} days" if days != 1 else "1 day"
    return _duration(td.total_seconds())


def signals(
    msgs: pd.DataFrame,
    *,
    me: str | None = None,
    recent: str | pd.Timedelta = "30D",
    min_messages: int = 20,
    min_replies: int = 5,
    min_words: int = 50,
) -> pd.DataFrame:
    """How each cue of the other person changed lately, with one plain sentence per cue.

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
    min_messages : int, default 20
        Fewer messages than this in either window adds a ``caution`` (per-message cues).
    min_replies : int, default 5
        Fewer replies (for reply time) or conversations started (for initiation) than this in
        either window adds a ``caution``.
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
        (``recent - before``), ``n_before``, ``n_recent`` (the count behind each value:
        replies, messages, text messages, conversations started or words, as the
        ``caution`` and the sentence say), ``direction`` (``"up"``, ``"down"`` or ``"flat"``
        for the value itself, so ``"up"`` for reply time means slower; missing when one
        value is missing), ``reading`` (one sentence) and ``caution`` (why to be careful,
        or missing).

    Notes
    -----
    Every value comes from :func:`~reconnect_signals.cue_table` (grouped by sender and
    window, so reply times and sessions are measured on the whole conversation) except
    ``messages_per_day`` (messages divided by the window's length in days) and ``lsm``
    (Ireland & Pennebaker 2010, on each window's pooled text). A change counts as ``flat``
    when it is within a tolerance per cue (:data:`SIGNAL_CUES`: 10-25 % of the earlier value,
    or a small absolute amount such as 2 percentage points of messages).

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
    >>> out.columns.tolist()
    ['sender', 'cue', 'before', 'recent', 'change', 'n_before', 'n_recent', 'direction', 'reading', 'caution']
    >>> row = out.set_index("cue").loc["words_per_message"]
    >>> row["reading"].startswith("Sam writes")
    True
    """
    validate(msgs)
    from .structure import EXCLUDED_KINDS, add_structure
    from .table import cue_table

    try:
        window = pd.Timedelta(recent)
    except (ValueError, TypeError):
        raise ValueError(
            f"recent must be a duration such as '30D' or '2W', got {recent!r}"
        ) from None
    if window <= pd.Timedelta(0):
        raise ValueError(f"recent must be a positive duration such as '30D', got {recent!r}")
    limits = {"min_messages": min_messages, "min_replies": min_replies, "min_words": min_words}
    for name, value in limits.items():
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
            raise ValueError(f"{name} must be a non-negative integer, got {value!r}")

    person = (
        ~msgs["kind"].astype("str").isin(EXCLUDED_KINDS)
        & msgs["sender"].notna()
        & msgs["timestamp"].notna()
    ).to_numpy()
    senders = sorted(msgs.loc[person, "sender"].unique().tolist())
    if me is not None and me not in senders:
        raise ValueError(f"me={me!r} is not a sender of msgs; pass one of {senders} (or me=None)")
    targets = [s for s in senders if s != me]
    if not targets:
        return _empty()

    ts = msgs["timestamp"]
    last = ts[person].max()
    first = ts[person].min()
    cut = last - window
    period = pd.Series(np.where(ts > cut, "recent", "before"), index=msgs.index, dtype="str")
    tagged = msgs.assign(**{_PERIOD: period})

    table = cue_table(tagged, by=["sender", _PERIOD]).set_index(["sender", _PERIOD])
    structure = add_structure(msgs)
    replies = (
        pd.Series(structure["is_reply"].to_numpy() & person)
        .groupby([msgs["sender"].to_numpy(), period.to_numpy()])
        .sum()
    )
    sessions = table["sessions_opened"].groupby(level=_PERIOD).sum()
    days = {
        "before": max((cut - first) / pd.Timedelta("1D"), 0.0),
        "recent": window / pd.Timedelta("1D"),
    }
    lsm_values, lsm_words = _lsm_by_period(msgs, period, senders, min_words)

    ctx = _Context(
        label=_span_label(window),
        days=days,
        senders=senders,
        lsm_words=lsm_words,
        min_messages=min_messages,
        min_replies=min_replies,
        min_words=min_words,
    )
    rows = []
    for sender in targets:
        for cue in SIGNAL_CUES:
            if cue.name == "lsm" and lsm_values is None:
                continue
            values: dict[str, float] = {}
            counts: dict[str, int] = {}
            for p in ("before", "recent"):
                key = (sender, p)
                has = key in table.index
                if cue.basis == "replies":
                    n = int(replies.get(key, 0))
                elif cue.basis == "sessions":
                    n = int(sessions.get(p, 0))
                elif cue.basis == "words":
                    n = int(lsm_words.get(key, 0))
                elif cue.basis == "text":
                    n = int(table.at[key, "text_messages"]) if has else 0
                else:
                    n = int(table.at[key, "messages"]) if has else 0
                if cue.name == "messages_per_day":
                    v = n / days[p] if days[p] > 0 else math.nan
                elif cue.name == "lsm":
                    v = lsm_values.get(p, math.nan)
                elif cue.name == "initiation_share":
                    # a sender who opened none of the window's sessions has a share of 0
                    v = (float(table.at[key, cue.name]) if has else 0.0) if n > 0 else math.nan
                else:
                    v = float(table.at[key, cue.name]) if has else math.nan
                values[p] = v
                counts[p] = n
            rows.append(_row(sender, cue, values, counts, ctx))
    out = pd.DataFrame(rows, columns=_COLUMNS)
    for c in ("sender", "cue", "direction", "reading", "caution"):
        out[c] = out[c].astype("str")
    for c in ("before", "recent", "change"):
        out[c] = out[c].astype("float64")
    for c in ("n_before", "n_recent"):
        out[c] = out[c].astype("int64")
    logger.debug("signals: %d rows for %s, recent=%s", len(out), targets, recent)
    return out


def _lsm_by_period(msgs, period, senders, min_words):
    """LSM between the only two senders in each period, and each sender's words per period."""
    if len(senders) != 2:
        return None, {}
    from .style import CATEGORIES, _category_counts, lsm

    text = (msgs["kind"].eq("text") & msgs["sender"].notna()).to_numpy()
    counts = _category_counts(msgs.loc[text, "text"]).reset_index(drop=True)
    sums = counts.groupby([msgs["sender"].to_numpy()[text], period.to_numpy()[text]]).sum()
    words = sums["words"].to_dict()
    values = {}
    for p in ("before", "recent"):
        keys = [(s, p) for s in senders]
        if not all(k in sums.index for k in keys) or min(words[k] for k in keys) < max(min_words, 1):
            values[p] = math.nan
            continue
        pct = [100 * sums.loc[k, list(CATEGORIES)].to_numpy(dtype="float64") / words[k] for k in keys]
        values[p] = float(lsm(pct[0], pct[1]))
    return values, {k: int(v) for k, v in words.items()}


def _row(sender: str, cue: _Cue, values: dict, counts: dict, ctx: _Context) -> dict:
    """One output row: values, change, direction, the sentence and the cautions."""
    label, days, senders, lsm_words = ctx.label, ctx.days, ctx.senders, ctx.lsm_words
    min_messages, min_replies, min_words = ctx.min_messages, ctx.min_replies, ctx.min_words
    before, recent = values["before"], values["recent"]
    change = recent - before
    cautions = []
    unit = _UNITS[cue.basis]
    if cue.basis in ("replies", "sessions"):
        threshold = min_replies
    elif cue.basis == "words":
        threshold = min_words
    else:
        threshold = min_messages
    for p, where in (("before", "before the last " + label), ("recent", "in the last " + label)):
        n = counts[p]
        if cue.name == "messages_per_day" and p == "before" and 0 < days["before"] < days["recent"]:
            cautions.append(f"the earlier period covers only {_trim(days['before'])} days")
        if cue.basis == "words":
            fewest = min((lsm_words.get((s, p), 0) for s in senders), default=0)
            if fewest < max(min_words, 1):
                cautions.append(f"fewer than {min_words} words from one of you {where}")
        elif n == 0:
            cautions.append(f"no {unit} {where}")
        elif n < threshold:
            cautions.append(f"only {n} {unit} {where} (fewer than {threshold})")
    if np.isnan(before) or np.isnan(recent):
        direction = None
        missing = "before" if np.isnan(before) else "recent"
        when = f"before the last {label}" if missing == "before" else f"in the last {label}"
        reading = f"{sender}'s {cue.label} cannot be compared: no value {when}."
    else:
        tol = max(cue.rel_tol * abs(before), cue.abs_tol)
        if abs(change) <= tol:
            direction, phrase = "flat", cue.flat
        elif change > 0:
            direction, phrase = "up", cue.up
        else:
            direction, phrase = "down", cue.down
        other = next((s for s in senders if s != sender), "")
        phrase = phrase.format(other=other)
        reading = (
            f"{sender} {phrase}: {cue.fmt(recent)} in the last {label} vs "
            f"{cue.fmt(before)} before; {cue.note}."
        )
    return {
        "sender": sender,
        "cue": cue.name,
        "before": before,
        "recent": recent,
        "change": change,
        "n_before": counts["before"],
        "n_recent": counts["recent"],
        "direction": direction,
        "reading": reading,
        "caution": "; ".join(cautions) if cautions else None,
    }
