"""``text_cues``, ``message_cues`` and the cue registry."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from ..schema import validate
from ._catalogue import CATALOGUE, MessageCue
from ._emoji import emoji_counts
from ._lexical import lexical_arrays
from ._sentiment import distinct_texts, score_distinct, sentiment_method
from ._tokens import _as_arrow, _cap, _normalize_arrow, _stream_arrow

__all__ = ["Cue", "CUES", "CUE_COLUMNS", "list_cues", "text_cues", "message_cues"]

logger = logging.getLogger(__name__)


#: One per-message cue: its column, dtype, exact definition and where it comes from.
Cue = MessageCue

# the per-message cues are the ones the cue catalogue introduces, in catalogue order
_REGISTRY: dict[str, Cue] = {spec.message.name: spec.message for spec in CATALOGUE.values() if spec.message}

#: The registered cues, by column name.
CUES: dict[str, Cue] = _REGISTRY

#: The cue columns ``message_cues`` adds, in order.
CUE_COLUMNS: tuple[str, ...] = tuple(_REGISTRY)

_INT_COLUMNS = [n for n, c in _REGISTRY.items() if c.dtype == "int64"]
_BOOL_COLUMNS = [n for n, c in _REGISTRY.items() if c.dtype == "bool"]


def list_cues() -> pd.DataFrame:
    """The per-message cues with dtype, exact definition, reference and status.

    Returns
    -------
    DataFrame
        Columns ``cue``, ``dtype``, ``definition``, ``reference``, ``experimental``.

    Examples
    --------
    >>> from reconnect_signals.cues import list_cues
    >>> list_cues()["cue"].tolist()[:5]
    ['words', 'i_words', 'we_words', 'you_words', 'i_statement']
    """
    return pd.DataFrame(
        {
            "cue": pd.Series([c.name for c in CUES.values()], dtype="str"),
            "dtype": pd.Series([c.dtype for c in CUES.values()], dtype="str"),
            "definition": pd.Series([c.definition for c in CUES.values()], dtype="str"),
            "reference": pd.Series([c.reference for c in CUES.values()], dtype="str"),
            "experimental": np.array([c.experimental for c in CUES.values()], dtype=bool),
        }
    )


def _cue_arrays(texts: pd.Series, *, sentiment: bool | str) -> dict[str, np.ndarray]:
    method = sentiment_method(sentiment)
    arr = _cap(_as_arrow(texts))
    # every cue is a function of the text alone: compute it once per distinct (original-case)
    # text and spread it back; rows without text get 0 / False / NaN
    valid, codes, uniques = distinct_texts(arr)
    normalized = _normalize_arrow(uniques)
    per_text = lexical_arrays(normalized, _stream_arrow(normalized))
    # emoji are counted on the original characters: lower-casing changes some (Ⓜ -> ⓜ)
    per_text["emoji"] = emoji_counts(uniques)
    if method is not None:
        per_text["sentiment"] = score_distinct(uniques, method)
    out: dict[str, np.ndarray] = {}
    for name in CUE_COLUMNS:
        if name not in per_text:
            continue
        values = np.asarray(per_text[name])
        if name == "sentiment":
            full = np.full(len(arr), np.nan, dtype=np.float64)
        else:
            full = np.zeros(len(arr), dtype=values.dtype)
        full[valid] = values[codes]
        out[name] = full
    return out


def text_cues(texts: pd.Series, *, sentiment: bool | str = True) -> pd.DataFrame:
    """Per-text cues for bare text (no message frame needed).

    Parameters
    ----------
    texts : Series
        Texts (any string-like dtype). Missing texts get 0 / False / NaN.
    sentiment : bool or {"vader", "vader-reference"}, default True
        Compute the VADER ``sentiment`` column. ``True`` or ``"vader"``: the vectorised
        re-implementation; ``"vader-reference"``: the ``vaderSentiment`` package itself, one
        text at a time (same scores, much slower; for checking). ``False``: the column is left
        out.

    Returns
    -------
    DataFrame
        One row per text, same index, one column per cue (see :func:`list_cues`): ``words``,
        ``i_words``, ``we_words``, ``you_words`` (int64), ``i_statement``, ``you_criticism``,
        ``question``, ``apology``, ``laughter`` (bool), ``emoji`` (int64), ``sentiment``
        (float64), ``absolutist`` (int64), ``gratitude``, ``future_we``, ``affection`` (bool).

    Notes
    -----
    Texts are cut to their first 10,000 characters (``MAX_CHARS``) before any cue is computed.
    Cues describe wording; they do not diagnose feelings. Exact definitions and references:

    {cue_notes}

    Examples
    --------
    >>> import pandas as pd
    >>> from reconnect_signals.cues import text_cues
    >>> cues = text_cues(pd.Series(["I really miss you 😢", "you never listen!!", "how are u?"]))
    >>> cues[["words", "i_words", "you_words", "i_statement", "you_criticism", "question"]]
       words  i_words  you_words  i_statement  you_criticism  question
    0      4        1          1         True          False     False
    1      3        0          1        False           True     False
    2      3        0          1        False          False      True
    >>> cues["emoji"].tolist()
    [1, 0, 0]
    """
    if not isinstance(texts, pd.Series):
        texts = pd.Series(texts)
    arrays = _cue_arrays(texts, sentiment=sentiment)
    return pd.DataFrame(arrays, index=texts.index)


def message_cues(msgs: pd.DataFrame, *, sentiment: bool | str = True) -> pd.DataFrame:
    """Add one column per per-message cue to a message frame.

    Only rows with ``kind == "text"`` carry lexical cues; other rows (media, system, deleted,
    reactions, ...) and text rows without text get 0 / False and NaN ``sentiment``.

    Parameters
    ----------
    msgs : DataFrame
        A message frame (needs the ``text`` and ``kind`` columns).
    sentiment : bool or {"vader", "vader-reference"}, default True
        Compute the VADER ``sentiment`` column. ``True`` or ``"vader"``: the vectorised
        re-implementation; ``"vader-reference"``: the ``vaderSentiment`` package itself, one
        text at a time (same scores, much slower; for checking). ``False``: the column is left
        out.

    Returns
    -------
    DataFrame
        A new frame: the input's columns (existing cue columns are replaced) plus the cue
        columns of :func:`text_cues`, same index and order. The input is not modified.

    Raises
    ------
    SchemaError
        If ``text`` or ``kind`` is missing or mistyped.

    Notes
    -----
    Each cue's exact definition and reference is in :func:`list_cues` (and the module
    documentation). Texts are cut to their first 10,000 characters. All lexical patterns are
    RE2 regular expressions run by pyarrow over all messages at once (linear time); VADER's
    rules are array operations over all tokens at once (linear time); emoji and sentiment are
    computed once per distinct text. These cues describe wording; they are not
    evidence of anyone's feelings. Exact definitions and references:

    {cue_notes}

    Examples
    --------
    >>> import pandas as pd
    >>> import reconnect_signals as rs
    >>> msgs = rs.coerce(pd.DataFrame({
    ...     "timestamp": ["2024-05-01 20:00", "2024-05-01 20:05", "2024-05-01 20:06"],
    ...     "sender": ["Alex", "Sam", "Sam"],
    ...     "text": ["Sorry, I was wrong. Can we talk?", None, "sure haha"],
    ...     "kind": ["text", "media", "text"],
    ... }))
    >>> out = rs.message_cues(msgs)
    >>> out[["sender", "words", "i_statement", "apology", "question", "laughter"]]
      sender  words  i_statement  apology  question  laughter
    0   Alex      7         True     True      True     False
    1    Sam      0        False    False     False     False
    2    Sam      2        False    False     False      True
    >>> out["sentiment"].isna().tolist()
    [False, True, False]
    """
    validate(msgs, columns=["text", "kind"])
    n = len(msgs)
    is_text = (msgs["kind"] == "text").to_numpy(dtype=bool, na_value=False)
    mask = is_text & msgs["text"].notna().to_numpy(dtype=bool)
    idx = np.flatnonzero(mask)
    texts = msgs["text"].iloc[idx]
    arrays = _cue_arrays(texts, sentiment=sentiment)
    columns: dict[str, np.ndarray] = {}
    for name, values in arrays.items():
        if name == "sentiment":
            full = np.full(n, np.nan, dtype=np.float64)
        elif name in _BOOL_COLUMNS:
            full = np.zeros(n, dtype=bool)
        else:
            full = np.zeros(n, dtype=np.int64)
        full[idx] = values
        columns[name] = full
    replaced = [c for c in columns if c in msgs.columns]
    if replaced:
        logger.debug("message_cues: replacing existing columns %s", replaced)
    base = msgs.drop(columns=replaced) if replaced else msgs
    return base.assign(**columns)


def _cue_notes(indent: str = "    ") -> str:
    lines = []
    for c in CUES.values():
        status = ", experimental" if c.experimental else ""
        lines.append(f"- ``{c.name}`` ({c.dtype}{status}): {c.definition} Reference: {c.reference}")
    return ("\n" + indent).join(lines)


# one source of truth: the Notes sections list every registered cue's definition and paper
for _fn in (text_cues, message_cues):
    if _fn.__doc__:
        _fn.__doc__ = _fn.__doc__.replace("{cue_notes}", _cue_notes())
