"""Per-message lexical cues (work in progress: the shared tokeniser first)."""

from __future__ import annotations

from ._tokens import MAX_CHARS, WORD_PATTERN, count_tokens, count_words, normalize_text, tokenize

__all__ = ["MAX_CHARS", "WORD_PATTERN", "normalize_text", "tokenize", "count_words", "count_tokens"]
