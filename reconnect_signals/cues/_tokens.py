"""The shared tokeniser: text normalisation and the definition of a word.

Every lexical cue (and language style matching) counts words the same way:

1. Texts longer than :data:`MAX_CHARS` characters are cut to their first ``MAX_CHARS``
   characters (a chat message is rarely longer; the cap bounds the work per message).
2. Lower-case; curly apostrophes (’ ‘ ʼ ´ ＇) become ``'``.
3. URLs (``http(s)://``, ``www.`` and bare ``name.com/...`` style), e-mail addresses and
   @mentions are removed (replaced by a space).
4. A word is a maximal run of Unicode letters, combining marks and digits with internal
   apostrophes (:data:`WORD_PATTERN`), so a contraction is one word (``i'm``, ``let's``,
   ``y'all``). Emoji, emoticons and punctuation are not words.

All patterns are RE2 patterns run by ``pyarrow.compute`` (time linear in the input length,
no backtracking); nothing here loops over messages in Python.

Examples
--------
>>> import pandas as pd
>>> from reconnect_signals.cues import normalize_text, tokenize
>>> s = pd.Series(["I’m HOME 🏠 see https://x.org/a?b=1 @sam", None])
>>> normalize_text(s).tolist()
["i'm home 🏠 see   ", nan]
>>> tokenize(s).tolist()
[["i'm", 'home', 'see'], []]
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache, lru_cache
from importlib import resources
from re import _constants as _sre  # type: ignore[attr-defined]
from re import _parser as _sre_parse  # type: ignore[attr-defined]
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ._pool import POOL, pc

__all__ = [
    "MAX_CHARS",
    "WORD_PATTERN",
    "normalize_text",
    "tokenize",
    "count_words",
    "count_tokens",
]

#: Texts are cut to their first ``MAX_CHARS`` characters before any cue is computed.
MAX_CHARS: int = 10_000

_WORD_CHAR = r"\p{L}\p{M}\p{N}"

#: A word, in RE2 syntax: a run of letters, marks and digits with internal apostrophes. Use it
#: with ``pyarrow.compute`` or the pandas ``str`` methods that run on pyarrow (``count``,
#: ``contains``, ``replace``) on :func:`normalize_text` output; Python's ``re`` has no ``\p{L}``
#: (``str.findall`` uses ``re``): use :func:`tokenize` or :func:`count_tokens` instead.
WORD_PATTERN: str = rf"[{_WORD_CHAR}]+(?:'[{_WORD_CHAR}]+)*"

_NOT_URL = r"[^ \t\n\r\f\v<>\"]"
# top-level domains recognised without a scheme; not "it", "be", "co", "es", "me", which follow
# a missing space after a full stop in chat ("home.It was fun")
_TLDS = "com|org|net|edu|gov|io|uk|de|fr|nl|ly|gl|app|dev|info|au|ca"
# characters that end a mention; ASCII classes keep the patterns cheap to compile (Unicode
# letter classes cost RE2 about 10 ms each per call), and names may hold any other character
_MENTION_CHAR = r"[^ \t\n\r\f\v.,!?;:()\[\]{}<>'\"/@\x{2068}\x{2069}]"
_PATTERNS_REMOVE: tuple[str, ...] = (
    # scheme or www URLs
    rf"(?:https?://|www\.){_NOT_URL}+",
    # e-mail addresses (ASCII, as nearly all are)
    r"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+",
    # WhatsApp mentions wrap the name in isolates: @\u2068Name Surname\u2069
    r"@\x{2068}[^\x{2069}\n]{0,100}\x{2069}",
    # @mentions
    rf"@{_MENTION_CHAR}+(?:\.{_MENTION_CHAR}+)*",
)
# bare domains such as example.com/path; the characters around are kept (groups 1 and 2)
_BARE_DOMAIN = (
    rf"(^|[^a-z0-9@.'/-])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:{_TLDS})"
    rf"(?:/{_NOT_URL}*)?([^a-z0-9.-]|\.[^a-z0-9]|\.?\z)"
)
_APOSTROPHES = r"[\x{2018}\x{2019}\x{02BC}\x{00B4}\x{FF07}]"
# the normalisation's rewrites, in order, and what each needs in the lower-cased text: a curly
# apostrophe, a scheme or "www.", "." and a top-level domain, "@" (e-mails, both kinds of mention)
_NORMALIZE_STEPS: tuple[tuple[str, str], ...] = (
    (_APOSTROPHES, "'"),
    (_PATTERNS_REMOVE[0], " "),
    (_BARE_DOMAIN, r"\1 \2"),
    *((pattern, " ") for pattern in _PATTERNS_REMOVE[1:]),
)
_NORMALIZE_TRIGGER = rf"[\x{{2018}}\x{{2019}}\x{{02BC}}\x{{00B4}}\x{{FF07}}@]|https?://|www\.|\.(?:{_TLDS})"


#: Below this many texts the cue kernels run in the calling thread; above it, the texts are cut
#: into one slice per core and the slices run in threads (pyarrow's kernels and numpy release the
#: GIL). Every cue is a function of one text, so the result does not depend on the slicing.
PARALLEL_MIN_TEXTS: int = 20_000


#: Environment variable: how many threads (``"vader-reference"``: processes) one cue computation may
#: use. Unset: the cores this process may run on (at most 8), or inside a Dask worker the worker's
#: thread count. ``1`` keeps every computation in the calling thread.
THREADS_ENV: str = "RECONNECT_SIGNALS_THREADS"


def _dask_worker_threads() -> int | None:
    """The thread count of the Dask worker running this task, or None outside a worker task."""
    if "distributed" not in sys.modules:  # never import distributed just to ask
        return None
    try:
        from distributed import get_worker

        worker = get_worker()
    except (ImportError, ValueError):
        return None
    state = getattr(worker, "state", worker)
    nthreads = getattr(state, "nthreads", None)
    return int(nthreads) if isinstance(nthreads, int) and nthreads > 0 else None


def cue_threads() -> int:
    """How many threads one cue computation may use (1 to 8).

    In order: the environment variable :data:`THREADS_ENV` (``RECONNECT_SIGNALS_THREADS``) when
    it holds a positive integer; inside a Dask worker task, the worker's thread count (the
    worker already runs that many tasks at once, so a 1-thread worker scores in one thread
    instead of starting one per core of the host); else the cores this process may run on.
    """
    value = os.environ.get(THREADS_ENV, "").strip()
    if value.isdigit() and int(value) > 0:
        return min(int(value), 8)
    in_worker = _dask_worker_threads()
    if in_worker is not None:
        return min(in_worker, 8)
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


def _workers() -> int:
    return cue_threads()


def _concat(parts: list[Any]) -> Any:
    """Join per-slice results: Arrow arrays, numpy arrays (first axis), or tuples/dicts of them."""
    first = parts[0]
    if len(parts) == 1:
        return first
    if isinstance(first, tuple):
        return tuple(_concat([p[i] for p in parts]) for i in range(len(first)))
    if isinstance(first, dict):
        return {k: _concat([p[k] for p in parts]) for k in first}
    if isinstance(first, pa.Array):
        return pa.concat_arrays(parts, memory_pool=POOL)
    return np.concatenate(parts)


def _sizes(arr: pa.Array) -> np.ndarray:
    """Cumulative bytes of the texts of ``arr`` (8 more per text: its offset and the per-text work)."""
    return np.cumsum(pc.binary_length(arr).fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64) + 8)


def _edges(size: np.ndarray, parts: int) -> np.ndarray:
    """Where to cut texts of cumulative bytes ``size`` into ``parts`` slices of about the same bytes."""
    cuts = np.searchsorted(size, size[-1] * np.arange(1, parts) / parts)
    return np.unique(np.concatenate([[0], cuts, [len(size)]]))


def _slice(arrays: Sequence[Any], lo: int, hi: int) -> list[Any]:
    """Texts ``lo`` to ``hi`` of each array (Arrow or numpy; ``None`` stays ``None``)."""
    return [a.slice(lo, hi - lo) if isinstance(a, pa.Array) else None if a is None else a[lo:hi] for a in arrays]


def map_slices(fn: Callable[..., Any], arr: pa.Array, *more: pa.Array, workers: int | None = None) -> Any:
    """``fn(arr, *more)``, computed on one slice per core in threads and joined (``_concat``).

    ``fn`` must treat each text on its own (its result for a text cannot depend on the others);
    ``more`` are arrays (Arrow or numpy) of the same length, sliced alike. Slices hold about the same number of
    bytes of ``arr``.
    """
    n = len(arr)
    workers = _workers() if workers is None else workers
    if workers < 2 or n < PARALLEL_MIN_TEXTS:
        return fn(arr, *more)
    edges = _edges(_sizes(arr), workers)
    jobs = [_slice((arr, *more), lo, hi) for lo, hi in zip(edges[:-1], edges[1:], strict=True)]
    with ThreadPoolExecutor(len(jobs)) as pool:
        return _concat(list(pool.map(lambda args: fn(*args), jobs)))


def map_groups(calls: Sequence[tuple[Callable[..., Any], Sequence[Any]]], workers: int | None = None) -> list[Any]:
    """``[fn(*arrays) for fn, arrays in calls]``, the calls sharing one pool of threads.

    As :func:`map_slices` for each call (``fn`` treats each text on its own; ``arrays[0]`` are
    texts, the others arrays of the same length), but a call is cut only into as many slices as its
    share of all the calls' bytes needs (a call holding a third of the bytes, of two threads: one
    slice), and the slices of every call run in one pool, the largest first. A call whose texts
    fit in one slice then runs in one thread: each of its patterns is compiled once, not once per
    core (``map_slices`` per call would cut every call into one slice per core).
    """
    workers = _workers() if workers is None else workers
    total = sum(len(arrays[0]) for _, arrays in calls)
    if workers < 2 or total < PARALLEL_MIN_TEXTS:
        return [fn(*arrays) for fn, arrays in calls]
    sizes = [_sizes(arrays[0]) if len(arrays[0]) else np.zeros(0, dtype=np.int64) for _, arrays in calls]
    share = sum(int(s[-1]) for s in sizes if len(s)) / workers
    jobs: list[tuple[int, int, int, int]] = []  # (bytes, call, lo, hi)
    for k, size in enumerate(sizes):
        if not len(size):
            jobs.append((0, k, 0, 0))
            continue
        edges = _edges(size, max(1, min(workers, -(-int(size[-1]) // max(1, int(share))))))
        for lo, hi in zip(edges[:-1], edges[1:], strict=True):
            jobs.append((int(size[hi - 1]) - (int(size[lo - 1]) if lo else 0), k, int(lo), int(hi)))
    order = sorted(range(len(jobs)), key=lambda j: -jobs[j][0])

    def run(j: int) -> Any:
        _, k, lo, hi = jobs[j]
        fn, arrays = calls[k]
        return fn(*_slice(arrays, lo, hi))

    with ThreadPoolExecutor(min(workers, len(jobs))) as pool:
        done = dict(zip(order, pool.map(run, order), strict=True))
    return [_concat([done[j] for j in range(len(jobs)) if jobs[j][1] == k]) for k in range(len(calls))]


def _as_arrow(texts: pd.Series) -> pa.Array:
    """A ``large_string`` Arrow array of the texts (missing values become nulls)."""
    if not isinstance(texts, pd.Series):
        texts = pd.Series(texts)
    if not (isinstance(texts.dtype, pd.StringDtype) and texts.dtype.storage == "pyarrow"):
        texts = texts.astype(pd.StringDtype("pyarrow", na_value=np.nan))
    arr = pa.array(texts.array)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return pc.cast(arr, pa.large_string())


def _cap(arr: pa.Array) -> pa.Array:
    """The first :data:`MAX_CHARS` characters of each text."""
    return pc.utf8_slice_codeunits(arr, 0, MAX_CHARS)


def _replace(arr: pa.Array, pattern: str, replacement: str) -> pa.Array:
    """``replace_substring_regex`` run only on the texts ``pattern`` occurs in.

    Finding a pattern is several times cheaper than replacing it (pyarrow copies every string
    it rewrites), and most of these patterns (URLs, mentions, keycaps) occur in few texts.
    """
    found = pc.match_substring_regex(arr, pattern).fill_null(False)
    hits = pc.sum(found).as_py() or 0
    if hits == 0:
        return arr
    if hits * 4 > len(arr):
        return pc.replace_substring_regex(arr, pattern, replacement)
    subset = pc.replace_substring_regex(pc.filter(arr, found), pattern, replacement)
    return pc.replace_with_mask(arr, found, subset)


def _replace_chain(arr: pa.Array, trigger: str, steps: Sequence[tuple[str, str]]) -> pa.Array:
    """``_replace`` of each ``(pattern, replacement)`` of ``steps`` in turn, on the texts ``trigger`` occurs in.

    Each step's pattern must be able to match only a text that holds ``trigger`` (before the chain):
    then a text without it is left unchanged by every step (none matches it, so none rewrites it), and
    one pass of ``trigger`` replaces one test per step over every text (each test costs about as much
    as the pass: RE2's work per text, mostly). Texts that hold it run the steps as before.
    """
    found = pc.match_substring_regex(arr, trigger).fill_null(False)
    hits = pc.sum(found).as_py() or 0
    if hits == 0:
        return arr
    whole = hits * 4 > len(arr)
    sub = arr if whole else pc.filter(arr, found)
    for pattern, replacement in steps:
        sub = _replace(sub, pattern, replacement)
    return sub if whole else pc.replace_with_mask(arr, found, sub)


def _normalize_arrow(arr: pa.Array) -> pa.Array:
    """Cap, lower-case, straighten apostrophes, remove URLs, e-mails and mentions."""
    if len(arr) and (pc.max(pc.binary_length(arr)).as_py() or 0) > MAX_CHARS:
        arr = _cap(arr)  # a text of at most MAX_CHARS bytes has at most MAX_CHARS characters
    arr = pc.utf8_lower(arr)
    return _replace_chain(arr, _NORMALIZE_TRIGGER, _NORMALIZE_STEPS)


def normalize_text(texts: pd.Series) -> pd.Series:
    """Normalise texts the way every cue sees them.

    Cuts each text to its first :data:`MAX_CHARS` characters, lower-cases it, turns curly
    apostrophes into ``'`` and replaces URLs, e-mail addresses and @mentions with a space.
    Emoji and punctuation are kept (they matter for questions and emoji counts).

    Parameters
    ----------
    texts : Series
        Message texts (any string-like dtype; missing values stay missing).

    Returns
    -------
    Series
        ``str`` dtype, same index as ``texts``.

    Examples
    --------
    >>> import pandas as pd
    >>> from reconnect_signals.cues import normalize_text
    >>> normalize_text(pd.Series(["Don’t email ME at a.b@c.com"])).tolist()
    ["don't email me at  "]
    """
    arr = _normalize_arrow(_as_arrow(texts))
    return pd.Series(
        pd.array(pc.cast(arr, pa.large_string()), dtype=pd.StringDtype("pyarrow", na_value=np.nan)),
        index=texts.index,
        name=texts.name,
    )


# --- the token stream -------------------------------------------------------------------
#
# Internally the cues work on a "token stream": every word wrapped in single spaces and
# concatenated, with sentence boundaries as the pseudo-token "|". "I feel sad. You?" becomes
# " i  feel  sad  |  you  | ". A token is then matched by " word " and a phrase by
# " a  b ", which needs no word-boundary assertions (RE2 has no Unicode \b) and counts
# adjacent tokens correctly with non-overlapping matching.

_KEYCAP = r"[0-9#*]\x{FE0F}?\x{20E3}"
# a sentence ends at . ! ? ; : a newline or an emoji/symbol; "..." and "…" are pauses
_BOUNDARY = r"[.!?;:\n\r\x{2028}\x{2029}\p{So}\p{Sk}\p{Cs}\x{FE0F}\x{200D}\x{E0020}-\x{E007F}|]+"
_SEPARATOR = rf"[^{_WORD_CHAR}'|]+"
# the runs of _SEPARATOR other than a single space
_SEPARATOR_NOT_SPACE = rf"[^{_WORD_CHAR}'|]{{2,}}|[^{_WORD_CHAR}'| ]"
_SPACE = pa.scalar(" ", pa.large_string())


def _stream_arrow(normalized: pa.Array) -> pa.Array:
    """The token stream of normalised texts (see the comment above)."""
    # keycaps (U+20E3) and pauses ("..", U+2026): one test for both (a keycap becomes ".", which may make "..")
    arr = _replace_chain(normalized, r"\x{20E3}|\.\.|\x{2026}", ((_KEYCAP, "."), (r"\.\.+|\x{2026}", " ")))
    arr = _replace(arr, _BOUNDARY, " | ")
    # a run of separators becomes one space; a run that is one space already is left alone
    # (the same result as replacing every run, without rewriting between every two words)
    arr = _replace(arr, _SEPARATOR_NOT_SPACE, " ")
    arr = pc.binary_join_element_wise(_SPACE, arr, _SPACE, pa.scalar("", pa.large_string()))
    # apostrophes that are not inside a word: runs of them ("can''t" is two words, as by
    # WORD_PATTERN), then leading, then trailing ones (two passes: one match must not consume the
    # space another needs, as in "'a' 'b'")
    # (one test for the three: each needs an apostrophe, and none makes one)
    arr = _replace_chain(arr, "'", ((r"''+", " "), (r" '+", " "), (r"'+ ", " ")))
    # runs of spaces become one; trimming first gives the same texts (a run at either end is removed
    # either way) and leaves the pass only the inner runs, which are rare
    arr = pc.utf8_trim(arr, " ")
    arr = _replace(arr, r"  +", " ")
    arr = pc.replace_substring(arr, " ", "  ")
    wrapped = pc.binary_join_element_wise(_SPACE, arr, _SPACE, pa.scalar("", pa.large_string()))
    empty = pc.equal(arr, "")
    return pc.if_else(empty, arr, wrapped) if pc.any(empty).as_py() else wrapped


def split_whitespace(arr: pa.Array | pa.ChunkedArray) -> pa.ListArray | pa.ChunkedArray:
    """``pyarrow.compute.utf8_split_whitespace``, without its read past the end of the last string.

    pyarrow (seen with 26.0.1) splits the last string of an array wrongly when that string ends in
    whitespace and the byte after the end of the data buffer is 0x80 or above: the trailing space
    stays in the last token (``"u  | "`` gives ``"| "`` instead of ``"|", ""``). The byte after the
    buffer is whatever memory holds, so the result changed from run to run. Appending a one-letter
    ASCII string keeps every read inside the data; its list is dropped again.
    """
    if isinstance(arr, pa.ChunkedArray):
        return pa.chunked_array([split_whitespace(c) for c in arr.chunks], pa.list_(arr.type))
    if len(arr) == 0:
        return pc.utf8_split_whitespace(arr)
    padded = pa.concat_arrays([arr, pa.array(["x"], arr.type)])
    return pc.utf8_split_whitespace(padded).slice(0, len(arr))


#: Tokens per block of the per-text sums over a token table (``text_blocks``): a block's temporaries
#: are a few MB, reused from one block to the next, where token-sized ones (tens of MB at a million
#: texts) would be fresh memory every call, pages the kernel maps anew (system time).
BLOCK_TOKENS = 1 << 18


def text_blocks(offsets: np.ndarray, size: int | None = None) -> list[tuple[int, int]]:
    """Consecutive ranges ``[a, b)`` of texts covering all of them, about ``size`` tokens each
    (default :data:`BLOCK_TOKENS`).

    ``offsets`` are a token table's (text ``i``'s tokens are ``offsets[i]:offsets[i + 1]``); a block
    starts at the first text at or after each multiple of ``size`` tokens, so a text longer than a
    block is a block of its own and no text is cut.
    """
    n = len(offsets) - 1
    if n <= 0:
        return []
    size = BLOCK_TOKENS if size is None else size
    edges = np.unique(np.searchsorted(offsets[:-1], np.arange(0, max(int(offsets[-1]), 1), size), side="left"))
    edges = np.append(edges[edges < n], n)  # edges[0] is 0: the first multiple is 0
    return list(zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True))


class TokenTable:
    """The tokens of token streams, dictionary-encoded: one split, then look-ups per distinct token.

    ``vocab`` holds the distinct tokens (words, ``"|"`` for a sentence boundary, ``""`` where
    the split meets the stream's outer spaces), ``codes`` each token's index into it and
    ``parents`` each token's text (``offsets``: text ``i``'s tokens are ``codes[offsets[i]:offsets[i + 1]]``).
    A word category is then a boolean per distinct token, and its count per text one ``bincount``
    (instead of a regular-expression pass over the text).
    """

    __slots__ = ("vocab", "codes", "parents", "offsets", "n")

    def __init__(self, stream: pa.Array) -> None:
        # a stream's only whitespace is the ASCII space (every other separator became one), so the
        # ASCII split is the Unicode one; it is also safe from ``utf8_split_whitespace``'s read past
        # the end of the last string (see :func:`split_whitespace`)
        lists = pc.ascii_split_whitespace(stream)
        enc = pc.dictionary_encode(lists.flatten())
        self.vocab: pa.Array = enc.dictionary
        self.codes: np.ndarray = enc.indices.to_numpy(zero_copy_only=False)
        self.parents: np.ndarray = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False)
        # a null stream has no tokens (its offsets repeat); the offsets start where the values do
        offsets = lists.offsets.to_numpy(zero_copy_only=False).astype(np.int64)
        self.offsets: np.ndarray = offsets - offsets[0] if len(offsets) else np.zeros(1, dtype=np.int64)
        self.n: int = len(stream)

    def count(self, in_category: np.ndarray) -> np.ndarray:
        """Tokens per text whose distinct token is flagged in ``in_category`` (int64)."""
        hit = in_category[self.codes]
        return np.bincount(self.parents[hit], minlength=self.n).astype(np.int64)

    def count_words(self, words: Iterable[str]) -> np.ndarray:
        """Tokens per text that are one of ``words`` (what ``_count(stream, _tok(words))`` counts)."""
        member = pc.is_in(self.vocab, value_set=pa.array(sorted(set(words)), self.vocab.type))
        return self.count(member.to_numpy(zero_copy_only=False))

    def words(self) -> np.ndarray:
        """Words per text (``count_stream_words``): tokens other than ``"|"`` and ``""``."""
        other = pc.is_in(self.vocab, value_set=pa.array(["|", ""], self.vocab.type))
        return self.count(pc.invert(other).to_numpy(zero_copy_only=False))


def _count(stream: pa.Array, pattern: str) -> np.ndarray:
    """Non-overlapping match counts as int64 (0 for missing)."""
    out = pc.count_substring_regex(stream, pattern)
    return out.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)


def count_stream_words(stream: pa.Array) -> np.ndarray:
    """Words per token stream: every token carries two spaces; boundaries are ``|``."""
    spaces = pc.count_substring(stream, " ").fill_null(0).to_numpy(zero_copy_only=False)
    bars = pc.count_substring(stream, "|").fill_null(0).to_numpy(zero_copy_only=False)
    return (spaces // 2 - bars).astype(np.int64)


def _has(stream: pa.Array, pattern: str) -> np.ndarray:
    out = pc.match_substring_regex(stream, pattern)
    return out.fill_null(False).to_numpy(zero_copy_only=False).astype(bool)


# --- prefilters: which texts can a stream pattern match at all? --------------------------------
#
# pyarrow compiles a regular expression again at every call (it keeps no RE2 programs), and the
# large alternations of the rules cost more per text than a word look-up. Most patterns need some
# whole token: `` (?:you|u) (?:are|r) (?:stupid|...) `` cannot match a text without "you" or "u".
# ``requirements`` reads those tokens off the pattern (with Python's own parser of regular
# expressions, whose syntax the rules share with RE2), and :class:`Prefilter` runs each pattern only
# on the texts that hold them: a text without them has no match, so every count is unchanged. A
# pattern no text can match is not compiled at all.

_REQ_LIMIT = 20_000  # most literal strings followed through one part of a pattern
_REQ_SIMPLE = (_sre.LITERAL, _sre.IN, _sre.AT, _sre.NOT_LITERAL, _sre.ANY)
_Finite = set[str] | None
_Clauses = list[frozenset[str]]


def _req_python(pattern: str) -> str:
    """An RE2 pattern in Python's syntax, as far as literals go (classes become ``\\w``)."""
    pattern = re.sub(r"\\x\{([0-9A-Fa-f]+)\}", lambda m: f"\\U{int(m.group(1), 16):08x}", pattern)
    pattern = re.sub(r"\\[pP]\{[^}]*\}|\\[pP][A-Z]", r"\\w", pattern)
    return pattern.replace("\\z", "\\Z")


def _req_cat(a: set[str], b: set[str]) -> _Finite:
    return None if len(a) * len(b) > _REQ_LIMIT else {x + y for x in a for y in b}


def _req_clause(strings: Iterable[str]) -> frozenset[str] | None:
    """One whole token (between two spaces) of each string: its longest; None if one has none."""
    out = set()
    for s in strings:
        tokens = [t for t in s.split(" ")[1:-1] if t and t != "|"]
        if not tokens:
            return None
        out.add(max(tokens, key=lambda t: (len(t), t)))
    return frozenset(out)


def _req_space(strings: set[str]) -> str:
    """The end all ``strings`` share, from its last space on ("" without one): the start of a word."""
    common = os.path.commonprefix([t[::-1] for t in strings])[::-1]
    cut = common.rfind(" ")
    return common[cut:] if cut >= 0 else ""


def _req_best(fin: _Finite, clauses: _Clauses, ctx: str) -> frozenset[str] | None:
    found = list(clauses)
    if fin is not None:
        clause = _req_clause({ctx + x for x in fin})
        if clause is not None:
            found.append(clause)
    return min(found, key=len) if found else None


def _req_merged(items: Iterable[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """The items with each run of literal characters as one ``(None, string)`` item."""
    out: list[tuple[Any, Any]] = []
    chars: list[str] = []
    for op, av in items:
        if op is _sre.LITERAL:
            chars.append(chr(av))
            continue
        if chars:
            out.append((None, "".join(chars)))
            chars = []
        out.append((op, av))
    if chars:
        out.append((None, "".join(chars)))
    return out


def _req_seq(items: Iterable[tuple[Any, Any]], ctx: str = "") -> tuple[_Finite, _Clauses]:
    """A sequence: (the literal strings it can match, when few; the token clauses every match meets).

    ``ctx``: what precedes the sequence in every match, from a space on (so its first word is whole)."""
    clauses: _Clauses = []
    run: set[str] = {ctx}
    whole = True
    for op, av in _req_merged(items):
        fin: _Finite
        found: _Clauses
        if op is None:  # a literal string
            fin, found = {av}, []
        else:
            fin, found = _req_node(op, av, "" if op in _REQ_SIMPLE else _req_space(run))
        clauses += found
        nxt = _req_cat(run, fin) if fin is not None else None
        if nxt is None:
            clause = _req_clause(run) if run != {""} else None
            if clause is not None:
                clauses.append(clause)
            whole = False
            # the run ends; what follows still knows whether a space precedes it
            nxt = _req_cat({_req_space(run)}, fin) if fin is not None else None
            run = nxt if nxt is not None else {""}
            continue
        run = nxt
    if whole:
        return {x[len(ctx) :] for x in run}, clauses
    if run != {""}:
        clause = _req_clause(run)
        if clause is not None:
            clauses.append(clause)
    return None, clauses


def _req_node(op: Any, av: Any, ctx: str) -> tuple[_Finite, _Clauses]:
    if op is _sre.LITERAL:
        return {chr(av)}, []
    if op is _sre.AT:  # an anchor matches no character
        return {""}, []
    if op is _sre.SUBPATTERN:
        _group, add_flags, _del_flags, items = av
        return (None, []) if add_flags & _sre.SRE_FLAG_IGNORECASE else _req_seq(items, ctx)
    if op is _sre.BRANCH:
        results = [_req_seq(b, ctx) for b in av[1]]
        if all(fin is not None for fin, _ in results):
            union = set().union(*(fin for fin, _ in results if fin is not None))
            if len(union) <= _REQ_LIMIT:
                return union, []
        clause: set[str] = set()
        for fin, found in results:
            best = _req_best(fin, found, ctx)
            if best is None:
                return None, []
            clause |= best
        return None, [frozenset(clause)]
    if op is _sre.IN:
        if len(av) <= 16 and all(o is _sre.LITERAL for o, _ in av):
            return {chr(v) for _, v in av}, []
        return None, []
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
        lo, hi, body = av
        if lo == 0:
            return None, []
        fin, found = _req_seq(body, ctx)
        if fin is not None and lo == hi:
            out: _Finite = {""}
            for _ in range(lo):
                out = _req_cat(out, fin) if out is not None else None
            if out is not None:
                return out, found
        best = _req_best(fin, found, ctx)
        return None, [best] if best is not None else []
    return None, []  # classes, lookarounds, back-references: nothing known


#: The :func:`requirements` of the shipped rules' patterns (English, you-criticism and the language files),
#: written by ``tools/build_requirements.py`` and checked against :func:`read_requirements` by
#: tests/test_prefilter.py: reading all of them costs ~2-4 CPU-s, a cost every process paid once.
REQUIREMENTS_FILE = "requirements.json"


def requirement_key(pattern: str) -> str:
    """The key of ``pattern`` in :data:`REQUIREMENTS_FILE` (a 128-bit BLAKE2b digest of its UTF-8 bytes)."""
    return hashlib.blake2b(pattern.encode("utf-8"), digest_size=16).hexdigest()


@cache
def _shipped_requirements() -> dict[str, list[list[str]]]:
    """The table of :data:`REQUIREMENTS_FILE` (empty when the file is missing: every pattern is read)."""
    ref = resources.files(__package__).joinpath(REQUIREMENTS_FILE)
    try:
        table = json.loads(ref.read_text("utf-8"))
    except FileNotFoundError:
        return {}
    return dict(table["requirements"])


@lru_cache(maxsize=4096)
def requirements(pattern: str) -> tuple[frozenset[str], ...]:
    """Sets of words of which every match of the stream ``pattern`` holds one whole token each.

    The shipped rules' patterns are looked up in :data:`REQUIREMENTS_FILE`; any other pattern (a
    language file added by a user, a rule being edited) is read with :func:`read_requirements`. The
    result is the same either way (a test checks every shipped pattern).
    """
    known = _shipped_requirements().get(requirement_key(pattern))
    if known is not None:
        return tuple(frozenset(clause) for clause in known)
    return read_requirements(pattern)


def read_requirements(pattern: str) -> tuple[frozenset[str], ...]:
    """:func:`requirements`, read off the pattern itself.

    Read with CPython's ``re._parser``, a private module of the standard library that exists from
    Python 3.11 on (all the rules' patterns together: ~2-4 CPU-s).

    A match of `` (?:a|b) (?:c|d) `` holds token ``a`` or ``b`` and token ``c`` or ``d``: the result
    is ``({"a", "b"}, {"c", "d"})``. Empty when nothing is known (a pattern Python cannot read, an
    optional first word, a character class). Words are tokens of the stream, so a text holds one
    exactly when its token table lists it.
    """
    # POSIX classes and "{,n}" mean other things in Python; "[[", "--", "&&", "||", "~~" make it warn
    if any(s in pattern for s in ("[:", "{,", "[[", "--", "&&", "||", "~~")):
        return ()
    try:
        tree = _sre_parse.parse(_req_python(pattern))
    except (re.error, ValueError, OverflowError, RecursionError):
        return ()
    if tree.state.flags & _sre.SRE_FLAG_IGNORECASE:
        return ()
    fin, clauses = _req_seq(list(tree))
    if fin is not None:
        clause = _req_clause(fin)
        if clause is not None:
            clauses.append(clause)
    return tuple(dict.fromkeys(clauses))


def _one_token_items(items: Iterable[tuple[Any, Any]]) -> bool:
    """Whether the parsed items can match neither a space nor ``|`` (nor anything not known to be safe)."""
    for op, av in items:
        if op is _sre.LITERAL:
            if chr(av) in " |":
                return False
        elif op is _sre.IN:
            for o, a in av:
                if o is _sre.LITERAL:
                    if chr(a) in " |":
                        return False
                elif o is _sre.RANGE:
                    if any(a[0] <= ord(c) <= a[1] for c in " |"):
                        return False
                elif o is not _sre.CATEGORY or a not in (_sre.CATEGORY_DIGIT, _sre.CATEGORY_WORD):
                    return False  # a negated set, another class: could hold a space
        elif op is _sre.BRANCH:
            if not all(_one_token_items(branch) for branch in av[1]):
                return False
        elif op is _sre.SUBPATTERN:
            if av[1] or av[2] or not _one_token_items(av[3]):  # no inline flags
                return False
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            if not _one_token_items(av[2]):
                return False
        else:  # any character, anchors, word boundaries, groups referenced again, ...: not known to be safe
            return False
    return True


@lru_cache(maxsize=1024)
def one_token_body(body: str) -> bool:
    """Whether every match of the RE2 ``body`` is a non-empty string without a space or ``|``.

    Then `` (?:body) `` matches in a token stream exactly the tokens whose whole text ``body``
    matches (every token carries its own two spaces, so non-overlapping matches are tokens), and a
    count of it is a look-up in the token table (:func:`token_body_counts`). Conservative: a body
    using anything but literals, sets of literals, ranges and ``\\w``/``\\d``, groups, alternations and
    repeats (read with CPython's ``re._parser``, as :func:`requirements`) is not one.

    >>> one_token_body("ich|mich|k"), one_token_body("ja(?:ja)+"), one_token_body("[a-z]+")
    (True, True, True)
    >>> one_token_body("a b"), one_token_body("x?"), one_token_body("[^x]+"), one_token_body("a.b")
    (False, False, False, False)
    """
    if any(s in body for s in ("[:", "{,", "[[", "--", "&&", "||", "~~", "\\p", "\\P", "\\Q", "\\C")):
        return False
    try:
        tree = _sre_parse.parse(_req_python(body))
    except (re.error, ValueError, OverflowError, RecursionError):
        return False
    if tree.state.flags & ~(_sre.SRE_FLAG_UNICODE):
        return False
    return tree.getwidth()[0] > 0 and _one_token_items(list(tree))


def token_body_counts(table: TokenTable, bodies: Sequence[str]) -> np.ndarray:
    """Per text of ``table`` and per body of ``bodies`` (each :func:`one_token_body`), the tokens it matches
    whole: equal to counting `` (?:body) `` in the token stream. int32, one column per body.

    One RE2 pass per body over the distinct tokens, then one sparse product (texts x distinct tokens,
    a 1 per token, times distinct tokens x bodies) for all of them (not per block of texts, as
    :func:`clause_bits`: a sparse-sparse product per block cost more user time than it saved); a
    table of at most :data:`BLOCK_TOKENS` tokens counts each body with a ``bincount`` instead.
    """
    out = np.zeros((table.n, len(bodies)), dtype=np.int32)
    if not bodies or table.n == 0 or len(table.codes) == 0:
        return out
    member = [
        np.flatnonzero(
            pc.match_substring_regex(table.vocab, f"^(?:{body})$").fill_null(False).to_numpy(zero_copy_only=False)
        )
        for body in bodies
    ]
    rows = np.concatenate(member)
    if not len(rows):
        return out
    if len(table.codes) <= BLOCK_TOKENS:
        # one block: a bincount per body (integers: the same counts), without importing scipy.sparse
        # (~0.15 s, once per process: a small call's cost)
        for j, words in enumerate(member):
            if len(words):
                flag = np.zeros(len(table.vocab), dtype=bool)
                flag[words] = True
                out[:, j] = table.count(flag)
        return out
    from scipy.sparse import csr_matrix  # a dependency of scikit-learn; imported when first needed

    cols = np.repeat(np.arange(len(bodies), dtype=np.int32), [len(m) for m in member])
    word_slot = csr_matrix(
        (np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(len(table.vocab), len(bodies)), dtype=np.int32
    )
    offsets = table.offsets.astype(np.int32) if len(table.codes) < 2**31 else table.offsets
    tokens = csr_matrix(
        (np.ones(len(table.codes), dtype=np.int32), table.codes, offsets), shape=(table.n, len(table.vocab)), copy=False
    )
    (tokens @ word_slot).toarray(out=out)
    return out


def clause_bits(table: TokenTable, clauses: Sequence[frozenset[str]]) -> np.ndarray:
    """Per text of ``table``, which ``clauses`` (sets of words) it holds a word of: bit ``k % 64`` of
    column ``k // 64`` (uint64, one column per 64 clauses) is set when the text holds a word of clause ``k``.

    One look-up per distinct token, then an OR over each text's tokens that are words of a clause
    (per block of texts, ``text_blocks``).
    """
    blocks = max(1, -(-len(clauses) // 64))
    out = np.zeros((table.n, blocks), dtype=np.uint64)
    words = sorted(set().union(*clauses)) if clauses else []
    if not words or len(table.codes) == 0:
        return out
    word_bits = np.zeros((len(words) + 1, blocks), dtype=np.uint64)  # last row: not a clause word
    where = {w: i for i, w in enumerate(words)}
    for k, clause in enumerate(clauses):
        for w in clause:
            word_bits[where[w], k // 64] |= np.uint64(1 << (k % 64))
    idx = pc.index_in(table.vocab, value_set=pa.array(words, table.vocab.type)).fill_null(-1)
    idx = idx.to_numpy(zero_copy_only=False)
    # per block of texts (``text_blocks``: no text is cut, so a text's OR is within one block)
    for a, z in text_blocks(table.offsets):
        lo, hi = int(table.offsets[a]), int(table.offsets[z])
        per_token = idx[table.codes[lo:hi]]
        hit = np.flatnonzero(per_token >= 0)
        if len(hit) == 0:
            continue
        parents = table.parents[lo:hi][hit]
        # the tokens are in text order: one OR per run of the same text
        starts = np.flatnonzero(np.concatenate(([True], parents[1:] != parents[:-1])))
        for b in range(blocks):
            out[parents[starts], b] = np.bitwise_or.reduceat(word_bits[per_token[hit], b], starts)
    return out


class Prefilter:
    """Runs stream patterns only on the texts that hold the words they need (``requirements``).

    Up to :attr:`SMALL` texts (a call's fixed cost is then the compilation of each pattern), the
    texts' token table tells exactly which texts hold a needed word of every clause, and a pattern
    no text can match is skipped without compiling it. Above, a pattern runs on every text unless
    the caller passed ``holding``: the texts' :func:`clause_bits` of a list of clauses (computed once
    from the token table every call already has; the cue table does so above :attr:`CLAUSE_BITS` texts). A
    pattern all of whose clauses are in that list then runs only on the texts holding them, when they are at
    most :attr:`MAX_SHARE` of the texts
    (above, picking them out costs more than the pass it saves). Without ``holding``, a pass of
    RE2's automaton costs about what finding the candidates would (measured: a word alternation as a
    first pass, or a token table per call, made the 1M-message cue table slower). Counts and matches
    are those of the whole array.
    """

    SMALL = 2_000
    #: Distinct texts above which a cue call computes the clause bits of the rule files' patterns. Until session 9
    #: reading the patterns' clauses cost ~0.9-1.4 CPU-s once per process, which calls under this many texts did not
    #: win back (session 8: first call of a process with / without the bits, seven languages mixed: 10k texts
    #: 1.70 / 1.14 CPU-s, 50k 2.38 / 1.25, 200k 5.08 / 3.86). The clauses are tabulated now
    #: (``REQUIREMENTS_FILE``), and the bits pay about what they save below this size (session 9, one thread,
    #: load ~4, first / second call with and without: 10k 1.37 / 0.96 and 1.07 / 0.96, 50k 1.77 / 1.33 and
    #: 1.72 / 1.39, 200k 3.90 / 3.04 and 3.87 / 3.09 CPU-s); on ~830k texts of the six languages their rules cost
    #: ~1.4 CPU-s less with them (benchmarks/RESULTS.md, session 7, branch rx8).
    CLAUSE_BITS = 250_000
    MAX_SHARE = 0.75

    __slots__ = ("stream", "n", "_table", "_index", "_cache", "_holding_bits", "_clause_index")

    def __init__(self, stream: pa.Array, holding: tuple[Sequence[frozenset[str]], np.ndarray] | None = None) -> None:
        self.stream = stream
        self.n = len(stream)
        self._table: TokenTable | None = None
        self._index: dict[str, int] = {}
        self._cache: dict[str, np.ndarray | None] = {}
        self._clause_index: dict[frozenset[str], int] = {}
        self._holding_bits: np.ndarray | None = None
        if holding is not None:
            clauses, bits = holding
            if bits.shape[0] != self.n:
                raise ValueError(f"clause bits for {bits.shape[0]} texts, stream of {self.n}")
            self._clause_index = {c: k for k, c in enumerate(clauses)}
            self._holding_bits = bits

    def _tokens(self) -> TokenTable:
        if self._table is None:
            self._table = TokenTable(self.stream)
            self._index = {w: i for i, w in enumerate(self._table.vocab.to_pylist())}
        return self._table

    def _holding(self, clause: Iterable[str]) -> np.ndarray:
        """Per text of the token table, whether it holds one of the words."""
        table = self._tokens()
        member = np.zeros(len(self._index), dtype=bool)
        member[[self._index[w] for w in clause if w in self._index]] = True
        return table.count(member) > 0

    def _from_bits(self, pattern: str) -> np.ndarray | None:
        """:meth:`candidates` of a large call, from the clause bits (None: every text)."""
        bits = self._holding_bits
        if bits is None:  # no clause bits: the pattern is not even read
            return None
        clauses = requirements(pattern)
        if not clauses or any(c not in self._clause_index for c in clauses):
            return None
        need = np.zeros(bits.shape[1], dtype=np.uint64)
        for clause in clauses:
            k = self._clause_index[clause]
            need[k // 64] |= np.uint64(1 << (k % 64))
        mask = np.ones(self.n, dtype=bool)
        for b in np.flatnonzero(need):
            mask &= (bits[:, b] & need[b]) == need[b]
        found = np.flatnonzero(mask)
        return None if len(found) > self.MAX_SHARE * self.n else found

    def candidates(self, pattern: str) -> np.ndarray | None:
        """Indices of the texts ``pattern`` may match (None: all of them)."""
        if pattern in self._cache:
            return self._cache[pattern]
        found: np.ndarray | None = None
        if self.n > self.SMALL:  # no token table made (and no pattern read without clause bits)
            found = self._from_bits(pattern)
        else:
            clauses = requirements(pattern)
            if clauses:
                mask = np.ones(self.n, dtype=bool)
                for clause in clauses:
                    mask &= self._holding(clause)
                found = np.flatnonzero(mask)
        self._cache[pattern] = found
        return found

    def _run(self, kernel: Callable[[pa.Array, str], np.ndarray], pattern: str, dtype: Any) -> np.ndarray:
        """``kernel(stream, pattern)``, run on the candidate texts only (zero/False elsewhere)."""
        where = self.candidates(pattern)
        if where is None:
            return kernel(self.stream, pattern)
        out = np.zeros(self.n, dtype=dtype)
        if len(where):
            out[where] = kernel(pc.take(self.stream, pa.array(where, pa.int64())), pattern)
        return out

    def count(self, pattern: str) -> np.ndarray:
        """``_count(stream, pattern)``."""
        return self._run(_count, pattern, np.int64)

    def count_at(self, pattern: str, rows: np.ndarray) -> np.ndarray:
        """``_count(stream, pattern)[rows]``."""
        return _count(pc.take(self.stream, pa.array(rows, pa.int64())), pattern)

    def rows_worth_picking(self, mask: np.ndarray) -> np.ndarray | None:
        """The texts of ``mask`` (bool per text) when running a pattern on them alone pays: a large call
        (above :attr:`SMALL` texts) and at most :attr:`MAX_SHARE` of them. None: run on every text."""
        if self.n <= self.SMALL:
            return None
        rows = np.flatnonzero(mask)
        return None if len(rows) > self.MAX_SHARE * self.n else rows

    def count_in(self, pattern: str, rows: np.ndarray | None) -> np.ndarray:
        """``count(pattern)`` at ``rows`` (all texts when None), 0 at every other text: for a caller whose
        result does not depend on the count elsewhere (an exclusion where the cue's own count is 0)."""
        if rows is None:
            return self.count(pattern)
        where = self.candidates(pattern)
        if where is not None:
            rows = np.intersect1d(rows, where, assume_unique=True)
        out = np.zeros(self.n, dtype=np.int64)
        if len(rows):
            out[rows] = self.count_at(pattern, rows)
        return out

    def has(self, pattern: str) -> np.ndarray:
        """``_has(stream, pattern)``."""
        return self._run(_has, pattern, bool)


def _token_alternation(words: Iterable[str]) -> str:
    """`` (?:a|b|c) `` matching one whole token from ``words``."""
    body = "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))
    return f" (?:{body}) "


def tokenize(texts: pd.Series) -> pd.Series:
    """Split texts into lists of words (after :func:`normalize_text`).

    Parameters
    ----------
    texts : Series
        Message texts; a missing text gives an empty list.

    Returns
    -------
    Series
        One ``list[str]`` per text, same index.

    Examples
    --------
    >>> import pandas as pd
    >>> from reconnect_signals.cues import tokenize
    >>> tokenize(pd.Series(["Y’all said 'hi'... 👋 ok?"])).tolist()
    [["y'all", 'said', 'hi', 'ok']]
    """
    stream = _stream_arrow(_normalize_arrow(_as_arrow(texts)))
    words = pc.utf8_trim(pc.replace_substring_regex(stream, r"[ |]+", " "), " ")
    words = pc.if_else(pc.equal(words, ""), pa.scalar(None, pa.large_string()), words)
    lists = pc.split_pattern(words, " ").to_pylist()
    return pd.Series([w if w is not None else [] for w in lists], index=texts.index, dtype=object)


def count_words(texts: pd.Series) -> pd.Series:
    """Number of words per text (0 for missing).

    Parameters
    ----------
    texts : Series of str
        Message texts (missing values allowed).

    Returns
    -------
    Series of int64
        Words per text, on the index of ``texts``.

    Examples
    --------
    >>> import pandas as pd
    >>> from reconnect_signals.cues import count_words
    >>> count_words(pd.Series(["I'm so happy :) see www.example.com", None])).tolist()
    [4, 0]
    """
    stream = _stream_arrow(_normalize_arrow(_as_arrow(texts)))
    return pd.Series(count_stream_words(stream), index=texts.index, dtype="int64")


def count_tokens(texts: pd.Series, vocabulary: Iterable[str]) -> pd.Series:
    """Number of words per text that belong to ``vocabulary`` (lower-case words).

    Useful for word-category counts such as function-word classes.

    Parameters
    ----------
    texts : Series of str
        Message texts (missing values allowed).
    vocabulary : iterable of str
        The lower-case words to count.

    Returns
    -------
    Series of int64
        Words of ``vocabulary`` per text, on the index of ``texts``.

    Examples
    --------
    >>> import pandas as pd
    >>> from reconnect_signals.cues import count_tokens
    >>> count_tokens(pd.Series(["The cat and THE dog", None]), ["the", "a", "an"]).tolist()
    [2, 0]
    """
    vocab = [w.lower().replace("\u2019", "'") for w in vocabulary]
    stream = _stream_arrow(_normalize_arrow(_as_arrow(texts)))
    if not vocab:
        return pd.Series(np.zeros(len(texts), dtype=np.int64), index=texts.index)
    return pd.Series(_count(stream, _token_alternation(vocab)), index=texts.index, dtype="int64")
