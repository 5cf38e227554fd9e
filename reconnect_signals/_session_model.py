"""The session-start model: does a message start a new conversation or continue one?

Features (:func:`session_features`) and the shipped model (:func:`load_session_model`), trained on
the Ubuntu IRC disentanglement corpus (Kummerfeld et al. 2019, ACL; CC BY 4.0) by
``tools/_train_session_model.py``. :func:`~reconnect_signals.add_structure` uses it with
``gap="model"``; it sits beside :mod:`reconnect_signals.structure` and imports neither
``structure`` nor ``table`` (so no import loop). Re-exported by :mod:`reconnect_signals.ml`.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ._persistence import load_model
from .cues import MAX_CHARS
from .schema import validate

__all__ = ["SESSION_FEATURES", "session_features", "load_session_model", "predict_session_starts"]

#: Columns of :func:`session_features`, in the order the shipped session model takes them.
SESSION_FEATURES: tuple[str, ...] = (
    "log_gap",
    "log_gap_sender",
    "sender_new",
    "same_sender_as_prev",
    "mentions_recent_nick",
    "addresses_recent_nick",
    "was_addressed",
    "log_gap_addressed",
    "question",
    "log_words",
    "has_url",
    "greeting",
    "anyone",
    "thanks",
)

_SESSION_MODEL = "session_model.skops"
_GAP_CAP_S = 7 * 86400.0  # a first message (no previous one) counts as a week's silence
_RECENT_S = 3600.0  # a nick is "recent" when its owner wrote within the last hour
_EXCLUDED_KINDS = ("system", "reaction")  # as in reconnect_signals.structure
# linear-time patterns: character classes and fixed alternations only
_SEPARATORS = r"[\s,:;!?\"'()<>]+"
_URL = r"https?://|www\."
_GREETING = r"^\W*(?:hi|hello|hey|hiya|yo|howdy|morning|evening|good (?:morning|evening|afternoon))\b"
_ANYONE = r"\b(?:any ?one|anybody|someone|somebody|help)\b"
_THANKS = r"\b(?:thanks|thank you|thx|ty|cheers)\b"


def _person_order(msgs: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Positions of person rows sorted by (conversation, instant), their conversation codes and seconds."""
    n = len(msgs)
    ts = msgs["timestamp"].dt.tz_convert("UTC")
    has_time = ts.notna().to_numpy()
    person = ~msgs["kind"].astype("str").isin(_EXCLUDED_KINDS).to_numpy() & msgs["sender"].notna().to_numpy() & has_time
    conv_codes = pd.factorize(msgs["conversation_id"], use_na_sentinel=False)[0]
    t_us = ts.astype("datetime64[us, UTC]").to_numpy(dtype="datetime64[us]").astype("int64")
    t_sort = np.where(has_time, t_us, np.iinfo(np.int64).max)
    order = np.lexsort((np.arange(n), t_sort, conv_codes))
    p = order[person[order]]
    return p, conv_codes[p], t_us[p].astype("float64") / 1e6


def session_features(msgs: pd.DataFrame) -> pd.DataFrame:
    """Timing and lexical features that tell a message starting a conversation from one continuing it.

    Computed per ``conversation_id`` on person rows in time order (rows of kind ``system`` or
    ``reaction``, without sender or without time get NaN), vectorised.

    Parameters
    ----------
    msgs : DataFrame
        A message frame (not modified).

    Returns
    -------
    DataFrame
        Same index as ``msgs``, float64 columns :data:`SESSION_FEATURES`:

        - ``log_gap``: ``log1p`` of the seconds since the previous person message (a week
          for the first message);
        - ``log_gap_sender``: ``log1p`` of the seconds since the same sender's previous
          message (a week when there is none); ``sender_new`` (0/1) when there is none;
        - ``same_sender_as_prev`` (0/1);
        - ``mentions_recent_nick``: a word of the text is the (case-insensitive) name of
          someone else who wrote in the last hour; ``addresses_recent_nick``: that word is
          the first one ("bob: try this");
        - ``was_addressed``: someone else named this sender in the last hour;
          ``log_gap_addressed``: ``log1p`` of the seconds since then (a week when never);
        - in a conversation with at most two senders every message is addressed to the other
          person, so there the other person's last message counts as naming this sender (and
          this message as naming them, when they wrote within the hour);
        - lexical: ``question`` (a ``?``), ``log_words``, ``has_url``, ``greeting`` (opens
          with hi/hello/hey/...), ``anyone`` (anyone/anybody/someone/help), ``thanks``.

    Examples
    --------
    >>> import pandas as pd
    >>> import reconnect_signals as rs
    >>> from reconnect_signals.ml import session_features
    >>> msgs = rs.coerce(pd.DataFrame({
    ...     "timestamp": ["2024-01-01 10:00", "2024-01-01 10:01", "2024-01-01 12:00"],
    ...     "sender": ["ann", "bob", "cat"],
    ...     "text": ["anyone know grub?", "ann: reinstall it", "hi all"]}))
    >>> f = session_features(msgs)
    >>> f[["addresses_recent_nick", "was_addressed", "greeting", "sender_new"]].values.tolist()
    [[0.0, 0.0, 0.0, 1.0], [1.0, 0.0, 0.0, 1.0], [0.0, 0.0, 1.0, 1.0]]
    >>> f["log_gap"].round(2).tolist()
    [13.31, 4.11, 8.86]
    """
    validate(msgs, columns=["conversation_id", "timestamp", "sender", "text", "kind"])
    n = len(msgs)
    p, conv, t = _person_order(msgs)
    m = len(p)
    if m == 0:
        return pd.DataFrame(np.nan, index=msgs.index, columns=list(SESSION_FEATURES))
    who = msgs["sender"].astype("str").str.lower().to_numpy(dtype=object)[p]
    pos = np.arange(m)
    first = np.ones(m, dtype=bool)
    first[1:] = conv[1:] != conv[:-1]
    gap = np.full(m, np.nan)
    gap[1:] = t[1:] - t[:-1]
    gap[first] = np.nan
    same_prev = np.zeros(m, dtype=bool)
    same_prev[1:] = who[1:] == who[:-1]
    same_prev &= ~first

    rows = pd.DataFrame({"conv": conv, "who": pd.Series(who, dtype="str"), "pos": pos, "t": t})
    by_sender = rows.groupby(["conv", "who"], sort=False)
    prev_pos = by_sender["pos"].shift().to_numpy(dtype="float64")
    prev_t = by_sender["t"].shift().to_numpy(dtype="float64")

    # words of the text that name someone who wrote in this conversation within the last hour;
    # bounded work per message (the first MAX_CHARS characters, as for the cues), RE2 kernels
    text = pa.array(msgs["text"].to_numpy(dtype=object)[p], type=pa.large_string(), from_pandas=True)
    text = pc.utf8_lower(pc.utf8_slice_codeunits(pc.fill_null(text, ""), 0, MAX_CHARS))
    parts = pc.split_pattern_regex(text, _SEPARATORS)
    token = pc.utf8_rtrim(pc.list_flatten(parts), characters=".")
    parent = pc.list_parent_indices(parts).to_numpy(zero_copy_only=False).astype("int64")
    length = pc.utf8_length(token).to_numpy(zero_copy_only=False)
    nonempty = length > 0
    first_token = np.zeros(len(parent), dtype=bool)
    idx = np.flatnonzero(nonempty)
    first_token[idx] = ~pd.Series(parent[idx]).duplicated().to_numpy()
    keep = length >= 2
    tok = pd.DataFrame(
        {
            "pos": parent[keep],
            "token": pd.Series(token.filter(pa.array(keep)).to_numpy(zero_copy_only=False), dtype="str"),
            "first_token": first_token[keep],
        }
    )
    tok["conv"] = conv[tok["pos"].to_numpy()]
    spoke = rows.rename(columns={"who": "token", "pos": "spoke_pos", "t": "spoke_t"})
    hit = pd.merge_asof(
        tok.sort_values("pos", kind="stable"),
        spoke,
        left_on="pos",
        right_on="spoke_pos",
        by=["conv", "token"],
        allow_exact_matches=False,
        direction="backward",
    )
    hit_pos = hit["pos"].to_numpy(dtype="int64")
    recent = (
        hit["spoke_pos"].notna().to_numpy()
        & (t[hit_pos] - hit["spoke_t"].to_numpy(dtype="float64") <= _RECENT_S)
        & (hit["token"].to_numpy(dtype=object) != who[hit_pos])
    )
    mentions = np.zeros(m, dtype=bool)
    mentions[hit_pos[recent]] = True
    addresses = np.zeros(m, dtype=bool)
    addresses[hit_pos[recent & hit["first_token"].to_numpy(dtype=bool)]] = True

    # the last time someone else named this sender
    named = pd.DataFrame(
        {
            "named_pos": hit_pos[recent],
            "conv": conv[hit_pos[recent]],
            "who": pd.Series(hit["token"].to_numpy(dtype=object)[recent], dtype="str"),
        }
    ).drop_duplicates()
    back = pd.merge_asof(
        rows[["pos", "conv", "who"]],
        named.sort_values("named_pos", kind="stable"),
        left_on="pos",
        right_on="named_pos",
        by=["conv", "who"],
        allow_exact_matches=False,
        direction="backward",
    )
    named_pos = back["named_pos"].to_numpy(dtype="float64")
    named_t = np.where(np.isnan(named_pos), np.nan, t[np.nan_to_num(named_pos).astype("int64")])

    # two people: every message is addressed to the other one, named or not
    senders = rows.groupby("conv")["who"].transform("nunique").to_numpy()
    dyad = senders <= 2
    other_t = _last_other_time(conv, who, t, first)
    with np.errstate(invalid="ignore"):
        other_recent = dyad & ((t - other_t) <= _RECENT_S)
        mentions |= other_recent
        addresses |= other_recent
        named_t = np.where(dyad, np.fmax(named_t, other_t), named_t)
        was_addressed = (t - named_t) <= _RECENT_S

    def matches(pattern: str) -> np.ndarray:
        return pc.match_substring_regex(text, pattern).to_numpy(zero_copy_only=False).astype(bool)

    words = pc.count_substring_regex(text, r"\S+").to_numpy(zero_copy_only=False).astype("float64")
    feats = {
        "log_gap": np.log1p(np.nan_to_num(gap, nan=_GAP_CAP_S).clip(0, _GAP_CAP_S)),
        "log_gap_sender": np.log1p(np.nan_to_num(t - prev_t, nan=_GAP_CAP_S).clip(0, _GAP_CAP_S)),
        "sender_new": np.isnan(prev_pos),
        "same_sender_as_prev": same_prev,
        "mentions_recent_nick": mentions,
        "addresses_recent_nick": addresses,
        "was_addressed": was_addressed,
        "log_gap_addressed": np.log1p(np.nan_to_num(t - named_t, nan=_GAP_CAP_S).clip(0, _GAP_CAP_S)),
        "question": pc.match_substring(text, "?").to_numpy(zero_copy_only=False).astype(bool),
        "log_words": np.log1p(words),
        "has_url": matches(_URL),
        "greeting": matches(_GREETING),
        "anyone": matches(_ANYONE),
        "thanks": matches(_THANKS),
    }
    full = np.full((n, len(SESSION_FEATURES)), np.nan)
    full[p] = np.column_stack([np.asarray(feats[c], dtype="float64") for c in SESSION_FEATURES])
    return pd.DataFrame(full, index=msgs.index, columns=list(SESSION_FEATURES))


def _last_other_time(conv: np.ndarray, who: np.ndarray, t: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Time of the latest earlier message by someone else in the conversation (NaN if none)."""
    m = len(t)
    change = np.zeros(m, dtype=bool)
    change[1:] = (who[1:] != who[:-1]) & ~first[1:]
    # the previous message's time where the sender changed; carried forward through a turn
    marks = np.full(m, np.nan)
    marks[1:] = np.where(change[1:], t[:-1], np.nan)
    marks[first] = -np.inf  # reset at each conversation
    filled = pd.Series(marks).ffill().to_numpy()
    return np.where(np.isneginf(filled), np.nan, filled)


def load_session_model(path: str | os.PathLike | None = None) -> Any:
    """The shipped session-start model (or one retrained with the training script).

    A ``Pipeline(StandardScaler, LogisticRegression)`` over :data:`SESSION_FEATURES`, trained on
    the Ubuntu IRC disentanglement train split (Kummerfeld et al. 2019, ACL; data CC BY 4.0) to
    tell a message that starts a new conversation (class ``True``) from one that continues
    one. ``predict`` uses the threshold that maximised F1 on the dev split (folded into the
    intercept), so ``predict_proba`` is a score, not a calibrated probability. Test-split
    numbers against fixed gaps are in ``docs/classifier.md``; retrain with
    ``python tools/_train_session_model.py TRAIN_DIR`` (in a source checkout).

    Parameters
    ----------
    path : str or path, optional
        A model file; default: the one shipped in ``reconnect_signals/datasets``.

    Returns
    -------
    sklearn.pipeline.Pipeline
        The fitted session-start classifier.

    Examples
    --------
    >>> from reconnect_signals.ml import SESSION_FEATURES, load_session_model
    >>> model = load_session_model()
    >>> list(model.feature_names_in_) == list(SESSION_FEATURES)
    True
    >>> model.classes_.tolist()
    [False, True]
    """
    if path is None:
        return _shipped_session_model()
    return load_model(path)


@functools.lru_cache(maxsize=1)
def _shipped_session_model():
    from importlib import resources

    ref = resources.files("reconnect_signals.datasets").joinpath(_SESSION_MODEL)
    path = Path(str(ref))
    if not path.is_file():
        raise FileNotFoundError(
            f"the shipped {_SESSION_MODEL} is missing from {path.parent}; reinstall "
            "reconnect-signals or retrain it with python "
            "tools/_train_session_model.py TRAIN_DIR (in a source checkout)"
        )
    return load_model(path)


def predict_session_starts(msgs: pd.DataFrame, *, model: Any = None) -> pd.Series:
    """Which messages start a new conversation, according to the session model.

    Parameters
    ----------
    msgs : DataFrame
        A message frame.
    model : estimator, optional
        Default: :func:`load_session_model`.

    Returns
    -------
    Series of bool
        Same index as ``msgs``; ``True`` on predicted starts (always on the first person
        message of a conversation), ``False`` on other rows and on excluded rows (system,
        reactions, no sender or no time).

    Examples
    --------
    >>> import pandas as pd
    >>> import reconnect_signals as rs
    >>> from reconnect_signals.ml import predict_session_starts
    >>> msgs = rs.coerce(pd.DataFrame({
    ...     "timestamp": ["2024-01-01 10:00", "2024-01-01 10:01", "2024-01-02 18:00"],
    ...     "sender": ["A", "B", "A"], "text": ["hey", "A: hi!", "hi, free tonight?"]}))
    >>> predict_session_starts(msgs).tolist()
    [True, False, True]
    """
    model = load_session_model() if model is None else model
    feats = session_features(msgs)
    person = feats[SESSION_FEATURES[0]].notna().to_numpy()
    out = np.zeros(len(msgs), dtype=bool)
    if person.any():
        out[person] = np.asarray(model.predict(feats.loc[person, list(SESSION_FEATURES)]), dtype=bool)
        p, conv, _ = _person_order(msgs)
        first = np.ones(len(p), dtype=bool)
        first[1:] = conv[1:] != conv[:-1]
        out[p[first]] = True
    return pd.Series(out, index=msgs.index, name="is_session_start")
