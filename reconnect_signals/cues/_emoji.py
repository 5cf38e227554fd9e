"""Emoji counts (grapheme clusters, as users see them), computed once per distinct text."""

from __future__ import annotations

import emoji as _emoji_pkg
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__: list[str] = []  # private module

# symbols the emoji data lists but that display as text unless followed by U+FE0F
_TEXT_STYLE = frozenset({"\u00a9", "\u00ae", "\u2122"})


def _count_one(text: str) -> int:
    n = 0
    for token in _emoji_pkg.analyze(text, non_emoji=False, join_emoji=True):
        if token.chars not in _TEXT_STYLE:
            n += 1
    return n


def emoji_counts(normalized: pa.Array) -> np.ndarray:
    """Number of emoji per text (int64; 0 for missing or ASCII-only texts).

    Only texts with a non-ASCII character are looked at, each distinct text once.
    """
    out = np.zeros(len(normalized), dtype=np.int64)
    if len(normalized) == 0:
        return out
    non_ascii = pc.invert(pc.string_is_ascii(normalized)).fill_null(False)
    idx = np.flatnonzero(non_ascii.to_numpy(zero_copy_only=False))
    if len(idx) == 0:
        return out
    encoded = pc.dictionary_encode(pc.take(normalized, pa.array(idx)))
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    uniques = encoded.dictionary.to_pylist()
    counts = np.fromiter((_count_one(t) for t in uniques), dtype=np.int64, count=len(uniques))
    out[idx] = counts[codes]
    return out
