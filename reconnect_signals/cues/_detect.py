"""Language of each message, decided per conversation and sender.

A message's evidence for a language is the weighted count of that language's frequent
function words (the ``detect`` list of each language file, and :data:`ENGLISH_DETECT`): a word
found in ``k`` of the lists weighs ``1/k``. Everything is one vectorised pass: the token stream
is split, each distinct token is looked up in one vocabulary (a hash lookup in pyarrow) and the
weights are summed per message by one sparse product (messages x distinct tokens). A word in
none of the lists (a content word: "fritadeira", "caminhão", "Wohnung") is weaker evidence
through its spelling: the ``spelling`` patterns of each language file (RE2 on one token: ``ão$``,
``ß``, ``ij``, ``ción$``; English: :data:`ENGLISH_SPELLING`) give it :data:`SPELLING_WEIGHT`,
shared among the languages whose patterns it matches. The patterns run once per distinct token, not per message.

Decision (``message_languages``):

1. each (conversation, sender) gets the language with the largest summed evidence over all
   their messages; a sender without evidence takes the conversation's language, a conversation
   without evidence is ``"und"`` (undetermined);
2. a message keeps its own language instead when its own evidence is clear (at least
   :data:`MIN_OWN` and ahead of the runner-up by :data:`MIN_MARGIN`) and differs — mixed-language
   chats are handled per message;
3. short, emoji-only and media messages inherit the sender's language.

Why not a statistical detector per message: ``lingua-language-detector`` 2.1.1 (a 96 MB wheel)
took about 0.13 ms per short message in its low-accuracy mode restricted to the seven languages
(about 2 minutes at a million messages, more than the whole lexical cue table), and its
per-message accuracy on the project's chat sets was 0.85–0.92; per-sender pooling, which decides
most messages here, needs no such model. ``docs/languages.md`` gives the measurements
(``tools/lingua_compare.py``).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa

from . import _tokens
from ._languages import lexicons
from ._pool import pc
from ._tokens import TokenTable, text_blocks

__all__: list[str] = []  # private; the public names live in reconnect_signals.cues

#: Frequent English function and chat words (the English rules live in code, not in a file).
ENGLISH_DETECT: tuple[str, ...] = (
    "i", "you", "the", "and", "to", "is", "it", "that", "my", "your", "what", "are", "was", "not",
    "have", "be", "do", "so", "just", "but", "with", "for", "this", "love", "know", "don't", "i'm",
    "can", "will", "we", "he", "she", "they", "of", "on", "at", "how", "why", "when", "where", "lol",
    "yeah", "sorry", "please", "thanks", "really", "want", "think", "feel", "miss", "u", "ur", "im",
    "dont", "did", "didn't", "been", "were", "would", "could", "should", "about", "there", "here",
    "now", "today", "tomorrow", "tonight", "again", "always", "never", "all", "one", "get", "got",
    "going", "gonna", "too", "very", "good", "night", "home", "it's", "that's", "can't", "wanna", "if",
    "or", "our", "us", "them", "his", "her", "their", "who", "which", "an", "a", "would", "okay", "yes",
    "no", "hey", "haha", "babe", "need", "see", "come", "go", "time", "back", "ok", "omg", "tho", "em",
)  # fmt: skip
#: Spelling patterns of English words (see the module docstring; the other languages' are in their files).
ENGLISH_SPELLING: tuple[str, ...] = (
    "^th", "^wh", "ght", "[^e]ing$", "'s$", "n't$", "'ll$", "'ve$", "ly$", "ness$", "ful$",
)  # fmt: skip
#: Evidence a word outside every list gets from its spelling (a listed word weighs 1).
SPELLING_WEIGHT: float = 0.5
#: A message overrides its sender's language with at least this much evidence of its own ...
MIN_OWN: float = 2.0
#: ... and this much more than for any other language.
MIN_MARGIN: float = 1.5
#: Evidence English gets for free when a sender's (or conversation's) language is decided: a few
#: ambiguous words ("excuse me", "me", "no") do not turn English text into another language.
ENGLISH_PRIOR: float = 2.0
#: A conversation of at least :data:`MIN_WORDS_UND` words whose words are this rarely any of the
#: languages' frequent words is in none of them (``"und"``): English rules, no language claimed.
MAX_COVERAGE_UND: float = 0.35
MIN_WORDS_UND: int = 20
UNDETERMINED = "und"


@cache
def _vocabulary() -> tuple[tuple[str, ...], pa.Array, np.ndarray]:
    """The language codes, the detection vocabulary and its word-by-language weight matrix."""
    from . import _lexical as en

    english = set(ENGLISH_DETECT)
    for name in (
        "I_WORDS",
        "WE_WORDS",
        "YOU_WORDS",
        "FEELING_VERBS",
        "COGNITION_VERBS",
        "WANT_VERBS",
        "EMOTION_WORDS",
        "I_FILLERS",
        "NEGATIVE_TRAITS",
        "NEGATIVE_LABELS",
        "WH_WORDS",
        "AUXILIARIES",
        "ABSOLUTIST_WORDS",
        "GRATITUDE_WORDS",
    ):
        english.update(getattr(en, name))
    lists: dict[str, set[str]] = {"en": english}
    for code, lex in lexicons().items():
        # every literal word of the language's lists is evidence for it (shared words weigh less)
        words = {w for entries in lex.lists.values() for w in entries if not w.startswith("~")}
        lists[code] = {w for w in words if " " not in w and len(w) > 1 or w in lex.detect}
    codes = tuple(lists)
    vocab = sorted(set().union(*lists.values()))
    index = {w: i for i, w in enumerate(vocab)}
    weights = np.zeros((len(vocab) + 1, len(codes)), dtype=np.float64)  # last row: not a word
    for j, code in enumerate(codes):
        for w in lists[code]:
            weights[index[w], j] = 1.0
    shared = weights[:-1].sum(axis=1, keepdims=True)
    weights[:-1] = np.divide(weights[:-1], shared, out=np.zeros_like(weights[:-1]), where=shared > 0)
    return codes, pa.array(vocab, pa.large_string()), weights


@cache
def _spelling() -> tuple[str, ...]:
    """Per language (:func:`language_codes` order), one RE2 pattern over a token ("" when none)."""
    per_lang = {"en": ENGLISH_SPELLING, **{code: lex.spelling for code, lex in lexicons().items()}}
    return tuple("|".join(f"(?:{p})" for p in per_lang.get(code, ())) for code in language_codes())


def _spelling_weights(table: TokenTable, unknown: np.ndarray) -> np.ndarray:
    """Per distinct token of ``table`` and language, its spelling evidence (0 for ``unknown == False``).

    One regex pass per language over the distinct tokens; a token matching the patterns of ``k``
    languages gives each of them ``SPELLING_WEIGHT / k``.
    """
    patterns = _spelling()
    member = np.zeros((len(table.vocab), len(patterns)), dtype=bool)
    for j, pattern in enumerate(patterns):
        if pattern:
            member[:, j] = pc.match_substring_regex(table.vocab, pattern).to_numpy(zero_copy_only=False)
    member &= unknown[:, None]
    shared = member.sum(axis=1, keepdims=True)
    return np.divide(SPELLING_WEIGHT, shared, out=np.zeros(shared.shape), where=shared > 0) * member


def language_codes() -> tuple[str, ...]:
    """The languages the detector tells apart (ISO 639-1), English first."""
    return _vocabulary()[0]


def language_scores(stream: pa.Array) -> np.ndarray:
    """Evidence per message (rows) and language (columns, :func:`language_codes` order)."""
    return language_scores_of_tokens(TokenTable(stream))


def language_scores_of_tokens(table: TokenTable) -> np.ndarray:
    """:func:`language_scores` of the token streams ``table`` was made of (one look-up per distinct token).

    Each distinct token gets a row of weights per language (its listed weight, and apart its
    spelling weight); a text's evidence is the sum over its tokens, one sparse product (texts x
    distinct tokens, a 1 per token) for both. The products add each text's tokens in their order
    from 0, so the scores are those of summing the weights token by token. The product runs over
    blocks of texts of about 2^18 tokens (``text_blocks``) into one output: a text's sums do not
    depend on the other rows, and the blocks' temporaries (a few MB) are reused where token-sized
    ones would be fresh memory every call (pages the kernel maps anew: system time). A table of one
    block adds with a weighted ``bincount`` per column, in the same order (no scipy import).
    """
    codes, vocab, weights = _vocabulary()
    n, m = table.n, len(codes)
    idx = pc.index_in(table.vocab, value_set=vocab).fill_null(-1).to_numpy(zero_copy_only=False)
    known = idx >= 0
    per_token = np.zeros((len(table.vocab), 2 * m), dtype=np.float64)
    per_token[known, :m] = weights[idx[known]]
    per_token[:, m:] = _spelling_weights(table, ~known)
    out = np.zeros((n, m), dtype=np.float64)
    if n == 0 or len(table.codes) == 0:
        return out
    if len(table.codes) <= _tokens.BLOCK_TOKENS:
        # one block: a weighted bincount per column adds each text's weights token by token from 0, exactly
        # as the product does, without importing scipy.sparse (~0.15 s, once per process: a small call's cost)
        per_occurrence = per_token[table.codes]
        for j in range(m):
            listed = np.bincount(table.parents, weights=per_occurrence[:, j], minlength=n)
            spelled = np.bincount(table.parents, weights=per_occurrence[:, m + j], minlength=n)
            np.add(listed, spelled, out=out[:, j])
        return out
    from scipy.sparse import csr_matrix  # a dependency of scikit-learn; imported when first needed

    offsets = table.offsets
    blocks = text_blocks(offsets)
    ones = np.ones(max(int(offsets[b] - offsets[a]) for a, b in blocks), dtype=np.float64)
    for a, b in blocks:
        lo, hi = int(offsets[a]), int(offsets[b])
        # 32-bit offsets: a block's tokens always fit (scipy would otherwise copy the codes to 64 bits)
        indptr = (offsets[a : b + 1] - lo).astype(np.int32)
        tokens = csr_matrix((ones[: hi - lo], table.codes[lo:hi], indptr), shape=(b - a, len(table.vocab)), copy=False)
        summed = np.asarray(tokens @ per_token)
        # the listed and the spelling evidence are summed apart and then added, as they always were
        np.add(summed[:, :m], summed[:, m:], out=out[a:b])
    return out


def own_language_codes(scores: np.ndarray) -> np.ndarray:
    """Each text's own language (index into :func:`language_codes`) where its evidence is clear, else -1.

    Clear: at least :data:`MIN_OWN` evidence and :data:`MIN_MARGIN` ahead of the runner-up. One
    pass over the languages keeps each text's best (its first largest score: ``argmax``), top and
    runner-up (the second largest, ties counted twice: ``np.partition``'s) in three text-sized
    arrays; maxima and minima are exact, so these are the values a sort would give, without a
    copy of the scores.
    """
    n, m = scores.shape
    if n == 0:
        return np.empty(0, dtype=np.int8)
    best = np.zeros(n, dtype=np.int8)
    top = scores[:, 0].copy()
    second = np.zeros(n) if m == 1 else np.full(n, -np.inf)
    low = np.empty(n)
    for j in range(1, m):
        col = scores[:, j]
        np.minimum(top, col, out=low)
        np.maximum(second, low, out=second)
        best[col > top] = j
        np.maximum(top, col, out=top)
    best[(top < MIN_OWN) | ((top - second) < MIN_MARGIN)] = -1
    return best


def decide_language_codes(
    scores: np.ndarray,
    text: np.ndarray,
    conversation: np.ndarray,
    sender: np.ndarray,
    words: np.ndarray | None = None,
) -> np.ndarray:
    """Per message, the index of its language in :func:`language_codes` (``len(language_codes())``: ``"und"``).

    ``scores`` and ``words`` are per distinct text (:func:`language_scores`, word counts); ``text``
    maps each message to its text, ``conversation`` and ``sender`` are group codes (int arrays,
    one per message). Each (conversation, sender) gets the language of its summed evidence, a
    sender without evidence the conversation's, a message with clear evidence of another language
    its own (see the module docstring). Everything per message is an integer array: no strings,
    and the per-text work (a message's own language) is done once per distinct text.
    """
    n_codes = len(language_codes())
    und = n_codes
    n = len(text)
    if n == 0:
        return np.empty(0, dtype=np.int8)
    conversation = np.asarray(conversation, dtype=np.int64)
    sender = np.asarray(sender, dtype=np.int64)
    key = conversation * (int(sender.max()) + 1) + sender
    pair, pair_keys = pd.factorize(key)
    k = len(pair_keys)
    pair_conv = np.zeros(k, dtype=np.int64)
    pair_conv[pair] = conversation
    conv, conv_keys = pd.factorize(pair_conv)
    c = len(conv_keys)
    per_pair = np.zeros((k, n_codes))
    for j in range(n_codes):
        per_pair[:, j] = np.bincount(pair, weights=scores[:, j][text], minlength=k)
    # a conversation's evidence is the sum of its senders' (per pair, not again per message)
    per_conv = np.zeros((c, n_codes))
    for j in range(n_codes):
        per_conv[:, j] = np.bincount(conv, weights=per_pair[:, j], minlength=c)
    evidence_pair = per_pair.sum(axis=1)
    evidence_conv = per_conv.sum(axis=1)
    per_conv[:, 0] += ENGLISH_PRIOR
    per_pair[:, 0] += ENGLISH_PRIOR
    conv_label = per_conv.argmax(axis=1).astype(np.int8)
    pair_label = per_pair.argmax(axis=1).astype(np.int8)
    # a sender with no evidence of their own takes the conversation's language
    missing = evidence_pair <= 0
    if words is not None:
        words_pair = np.bincount(pair, weights=words[text], minlength=k)
        words_conv = np.bincount(conv, weights=words_pair, minlength=c)
        # a conversation (a sender) whose words are rarely any language's frequent words is in none of them
        conv_label[(words_conv >= MIN_WORDS_UND) & (evidence_conv < MAX_COVERAGE_UND * words_conv)] = und
        none = (words_pair >= MIN_WORDS_UND / 2) & (evidence_pair < MAX_COVERAGE_UND * words_pair)
        pair_label[none] = und
        missing &= ~none
    pair_label[missing] = conv_label[conv[missing]]
    out = pair_label[pair]
    own = own_language_codes(scores)[text]
    differs = (own >= 0) & (own != out)
    out[differs] = own[differs]
    return out


def group_codes(values: pd.Series | None, n: int) -> np.ndarray:
    """Integer group codes of a key column (all one group when ``values`` is None)."""
    if values is None:
        return np.zeros(n, dtype=np.int64)
    codes, _ = pd.factorize(values.astype("str"), use_na_sentinel=False)
    return np.asarray(codes, dtype=np.int64)
