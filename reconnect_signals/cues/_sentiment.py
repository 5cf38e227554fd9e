"""VADER compound sentiment via the ``vaderSentiment`` package, once per distinct text."""

from __future__ import annotations

import functools
import os

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__: list[str] = []  # private module

#: VADER sees the first ``SENTIMENT_MAX_CHARS`` characters of a text: vaderSentiment's rules
#: ("but", idioms) take time quadratic in the number of words, so longer inputs are cut.
SENTIMENT_MAX_CHARS: int = 1_000


@functools.cache
def _analyzer():
    # vaderSentiment ships its lexicon in the package (no download, unlike NLTK's VADER)
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def sentiment_scores(texts: pa.Array) -> np.ndarray:
    """VADER compound score per text (float64; NaN for missing texts).

    ``texts`` are the original-case texts (VADER uses capitals and punctuation as intensity
    cues, so it does not see the lower-cased text); each is cut to ``SENTIMENT_MAX_CHARS``.
    """
    capped = pc.utf8_slice_codeunits(texts, 0, SENTIMENT_MAX_CHARS)
    out = np.full(len(capped), np.nan, dtype=np.float64)
    if len(capped) == 0:
        return out
    valid = np.flatnonzero(pc.is_valid(capped).to_numpy(zero_copy_only=False))
    if len(valid) == 0:
        return out
    encoded = pc.dictionary_encode(pc.take(capped, pa.array(valid)))
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    uniques = encoded.dictionary.to_pylist()
    out[valid] = _score_distinct(uniques)[codes]
    return out


#: Below this many distinct texts scoring stays in this process; above it, the texts are
#: shared out over the machine's cores (VADER is pure Python: ~50 µs a text, so a million
#: distinct texts take ~50 s on one core).
PARALLEL_MIN_TEXTS: int = 50_000


def _score_many(texts: list[str]) -> np.ndarray:
    scorer = _analyzer().polarity_scores
    return np.fromiter((scorer(t)["compound"] for t in texts), dtype=np.float64, count=len(texts))


def _score_distinct(uniques: list[str]) -> np.ndarray:
    workers = min(os.cpu_count() or 1, 8)
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
