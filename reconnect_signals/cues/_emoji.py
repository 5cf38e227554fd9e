"""Emoji counts (grapheme clusters, as users see them).

Vectorised: pyarrow cuts each text into runs of emoji-capable characters (symbols, modifiers,
joiners, variation selectors, tags); the ``emoji`` package then counts the emoji of each
*distinct* run once (runs such as "😂😂" repeat across a chat), and the counts are summed back
per text.
"""

from __future__ import annotations

import functools

import emoji as _emoji_pkg
import numpy as np
import pyarrow as pa

from ._pool import pc

__all__: list[str] = []  # private module

# symbols the emoji data lists but that display as text unless followed by U+FE0F
_TEXT_STYLE = frozenset({"\u00a9", "\u00ae", "\u2122"})

# every character an emoji sequence can contain, except the ASCII bases of keycaps
# (those are rewritten first); everything else separates runs
EMOJI_CHARS = (
    r"\p{So}\p{Sk}\x{2000}-\x{2BFF}\x{3030}\x{303D}\x{3297}\x{3299}\x{200D}\x{FE0E}\x{FE0F}"
    r"\x{20E3}\x{E0020}-\x{E007F}\x{1F000}-\x{1FAFF}\x{00A9}\x{00AE}"
)
_KEYCAP = r"[0-9#*]\x{FE0F}?\x{20E3}"
_KEYCAP_STANDIN = "\U0001f522"  # 🔢, one emoji


@functools.lru_cache(maxsize=65_536)
def _count_run(run: str) -> int:
    n = 0
    for token in _emoji_pkg.analyze(run, non_emoji=False, join_emoji=True):
        if token.chars not in _TEXT_STYLE:
            n += 1
    return n


def emoji_counts(texts: pa.Array) -> np.ndarray:
    """Number of emoji per text (int64; 0 for missing or ASCII-only texts)."""
    out = np.zeros(len(texts), dtype=np.int64)
    if len(texts) == 0:
        return out
    non_ascii = pc.invert(pc.string_is_ascii(texts)).fill_null(False)
    idx = np.flatnonzero(non_ascii.to_numpy(zero_copy_only=False))
    if len(idx) == 0:
        return out
    subset = pc.take(texts, pa.array(idx))
    subset = pc.replace_substring_regex(subset, _KEYCAP, _KEYCAP_STANDIN)
    runs = pc.replace_substring_regex(subset, f"[^{EMOJI_CHARS}]+", " ")
    runs = pc.utf8_trim(runs, " ")
    lists = pc.split_pattern(runs, " ")
    flat = pc.list_flatten(lists)
    parents = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False)
    encoded = pc.dictionary_encode(flat)
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    per_run = np.fromiter((_count_run(r) if r else 0 for r in encoded.dictionary.to_pylist()), dtype=np.int64)
    out[idx] = np.bincount(parents, weights=per_run[codes], minlength=len(idx)).astype(np.int64)
    return out
