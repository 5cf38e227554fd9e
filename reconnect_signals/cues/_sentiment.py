"""VADER compound sentiment, once per distinct text.

Two implementations of the same score:

- ``"vader"`` (the default): :mod:`._vader`, vaderSentiment's rules re-implemented as array
  operations over all texts at once (linear in the text length), equal to the package's
  ``compound`` score;
- ``"vader-reference"``: the ``vaderSentiment`` package itself, one text at a time (pure
  Python), kept to check the first against.

Both see the same text: the original case (capitals and punctuation are VADER intensity cues),
cut to the first ``MAX_CHARS`` characters like every other cue.
"""

from __future__ import annotations

import functools

import numpy as np
import pyarrow as pa

from ._pool import pc
from ._tokens import _cap, cue_threads
from ._vader import compound_scores

__all__: list[str] = []  # private module

#: Accepted values of the ``sentiment=`` option besides ``True`` / ``False``.
SENTIMENT_METHODS: tuple[str, ...] = ("vader", "vader-reference")


def sentiment_method(sentiment: bool | str) -> str | None:
    """The implementation a ``sentiment=`` option asks for (``None``: no sentiment column)."""
    if sentiment is True:
        return "vader"
    if sentiment is False or sentiment is None:
        return None
    if isinstance(sentiment, str) and sentiment in SENTIMENT_METHODS:
        return sentiment
    raise ValueError(
        f"sentiment must be True, False or one of {', '.join(map(repr, SENTIMENT_METHODS))}; got {sentiment!r}"
    )


@functools.cache
def _analyzer():
    # vaderSentiment ships its lexicon in the package (no download, unlike NLTK's VADER)
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def distinct_texts(texts: pa.Array) -> tuple[np.ndarray, np.ndarray, pa.Array]:
    """Rows with a text, the index of each such row's text among the distinct texts, and those."""
    encoded = pc.dictionary_encode(texts)
    valid = np.flatnonzero(pc.is_valid(encoded.indices).to_numpy(zero_copy_only=False))
    codes = encoded.indices.fill_null(0).to_numpy(zero_copy_only=False)[valid]
    return valid, codes, encoded.dictionary


def score_distinct(uniques: pa.Array, method: str = "vader") -> np.ndarray:
    """Compound score of each (distinct) text, by ``method``."""
    if method == "vader":
        return compound_scores(uniques)
    if method == "vader-reference":
        return _score_distinct(uniques.to_pylist())
    raise ValueError(f"unknown sentiment method {method!r}")


def sentiment_scores(texts: pa.Array, method: str = "vader") -> np.ndarray:
    """VADER compound score per text (float64; NaN for missing texts).

    ``texts`` are the original-case texts; each is cut to ``MAX_CHARS`` characters and every
    distinct text is scored once, by ``method`` (``"vader"`` or ``"vader-reference"``).
    """
    out = np.full(len(texts), np.nan, dtype=np.float64)
    if len(texts) == 0:
        return out
    valid, codes, uniques = distinct_texts(_cap(texts))
    if len(valid):
        out[valid] = score_distinct(uniques, method)[codes]
    return out


#: ``"vader-reference"``: below this many distinct texts scoring stays in this process; above
#: it, the texts are shared out over the machine's cores (the package is pure Python).
PARALLEL_MIN_TEXTS: int = 50_000


def _score_many(texts: list[str]) -> np.ndarray:
    scorer = _analyzer().polarity_scores
    return np.fromiter((scorer(t)["compound"] for t in texts), dtype=np.float64, count=len(texts))


def _score_distinct(uniques: list[str]) -> np.ndarray:
    workers = cue_threads()
    if len(uniques) < PARALLEL_MIN_TEXTS or workers < 2:
        return _score_many(uniques)
    from joblib import Parallel, delayed  # ships with scikit-learn

    size = -(-len(uniques) // (workers * 4))
    chunks = [uniques[i : i + size] for i in range(0, len(uniques), size)]
    try:
        parts = Parallel(n_jobs=workers)(delayed(_score_many)(c) for c in chunks)
    except (OSError, RuntimeError):  # no subprocesses allowed here: score in this process
        return _score_many(uniques)
    return np.concatenate(parts)
