"""VADER's compound score, vectorised over all texts at once and equal to ``vaderSentiment``.

This module re-implements ``SentimentIntensityAnalyzer().polarity_scores(text)["compound"]``
of vaderSentiment 3.3.2 (Hutto & Gilbert 2014) with numpy and pyarrow kernels. The lexicon,
the emoji descriptions and the rule word lists (``BOOSTER_DICT``, ``NEGATE``,
``SPECIAL_CASES``) and constants (``B_INCR``, ``C_INCR``, ``N_SCALAR``) are read from the
installed ``vaderSentiment`` package at run time; nothing is copied here. The words that the
package's methods hard-code ("no", "or", "nor", "never", "so", "this", "without", "doubt",
"least", "at", "very", "kind", "of", "but") are named below.

How it runs, for a batch of distinct texts:

1. **Tokens.** ``str.split()``: pyarrow splits every text at ASCII whitespace and the tokens
   are dictionary-encoded. The few distinct tokens that still hold a Python whitespace
   character (``str.isspace``: U+001C-U+001F, U+0085, U+00A0, U+2003, ...) or an emoji-table
   character are rewritten once each, as code point arrays: every emoji becomes a space and
   its description (vaderSentiment adds the space only when the previous character is not a
   space; an extra space changes no token and no "!"/"?" count), then the token is split again,
   and the token stream is expanded where those tokens occur.
2. **Punctuation.** Each token loses its leading and trailing ASCII punctuation unless what is
   left has two characters or fewer (then it is kept whole: emoticons such as ":)" survive).
3. **Vocabulary.** Tokens are dictionary-encoded; the lower-casing (``str.lower``),
   ``str.isupper``, lexicon, booster and negation look-ups are computed once per distinct token
   (pyarrow ASCII kernels; Python's own ``str.lower``/``str.isupper`` for the few distinct
   non-ASCII tokens, so Unicode casing is exactly Python's).
4. **Rules** as array operations over the positions of lexicon words (those with no rule
   word or known phrase nearby and no capitals keep their lexicon value directly), with a
   loop over the three preceding offsets only: "no" (zeroes itself before a lexicon word, negates the next
   three), ALL-CAPS emphasis when the text mixes case, boosters/dampeners in the three
   preceding tokens (scaled by 1, 0.95, 0.9; their own capitals add emphasis), negation
   (``NEGATE`` or any word containing "n't"), "never so/this" (x1.25), "without doubt",
   the special-case idioms and the "kind of"/"sort of"/"just enough" dampeners, "least"
   (unless "at least"/"very least"), the "but" weights (x0.5 before the first "but", x1.5
   after), the "!" (0.292 each, at most 4) and "?" (0.18 each for 2-3, 0.96 for more)
   amplification, ``x / sqrt(x² + 15)`` and ``round(x, 4)``.

Each text's token sum is added left to right, as Python's ``sum`` does, so every float
operation happens in the same order as in vaderSentiment and the scores are equal bit for bit
(including the final ``round``; the rare values within 1e-6 of a rounding tie are rounded by
Python's ``round`` itself). All rules are linear in the number of tokens.

Quirks of vaderSentiment reproduced on purpose (bug-compatibility):

- Booster words ("very", "so", "more", "incredible", "fucking", ...) never score themselves,
  even when the lexicon rates them; "kind" followed by "of" scores 0 although "kind" is rated 2.4.
- Lexicon entries with capitals (":D", ":P", "O_o", ...) or with spaces ("can't stand",
  "fed up") never match: tokens are lower-cased and split on whitespace before the look-up.
- Emoji are replaced code point by code point: only single-code-point keys of the emoji table
  ever match (skin tones and ZWJ parts are described separately, flags not at all).
- A rule looking back ``d`` tokens (boosters, negation, idioms) is skipped entirely when the
  token ``d`` back is itself a lexicon word ("not very good": "not" is outside the lexicon,
  so it negates; "no good" is handled by the "no" rule instead).
- At the third preceding token the "never so/this" test is ``(never and so/this) or so/this``
  (operator precedence): "so" or "this" right before the word multiplies it by 1.25.
- The special-case idioms ("the shit", "yeah right", "kiss of death", ...) are only looked at
  for a word with at least three tokens before it, and only when the third one back is not a
  lexicon word; they replace the valence computed so far (negation included).
- ALL-CAPS emphasis of a lexicon word whose valence is exactly 0 (a "no" before another
  lexicon word) subtracts 0.733: "NO good" in a mixed-case text.
- A second "no" right after a "no" gets ``lexicon["no"] * -0.74`` (the negation of "no"
  overrides the zeroing).
- The "but" rule looks each value up with ``list.index`` (the first equal value in the list),
  so when an earlier value already equals a later one after its own x0.5/x1.5, the earlier
  slot is re-weighted instead of the later one. Texts where this can happen are detected
  (two values of one text in a ratio of 0.5 or 1.5) and replayed step by step, vectorised
  across those texts.
- The amplification counts every "!" and "?" in the text, also inside words and URLs and in
  the emoji descriptions ("ON! arrow", "UP! button").
"""

from __future__ import annotations

import functools
import string
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from ._pool import pc
from ._tokens import split_whitespace

__all__: list[str] = []  # private module

#: Texts are scored in batches of about this many code points (bounds the working memory).
CHUNK_CODEPOINTS: int = 16_000_000

_WS_MAX = 0x3000  # every character with str.isspace() is at or below U+3000
_HARD_CODED_WORDS = (
    "no",
    "or",
    "nor",
    "never",
    "so",
    "this",
    "without",
    "doubt",
    "least",
    "at",
    "very",
    "kind",
    "of",
    "but",
)


@dataclass(frozen=True)
class _Tables:
    lex_keys: pa.Array
    lex_vals: np.ndarray
    boost_keys: pa.Array
    boost_vals: np.ndarray
    negate: pa.Array
    negate_set: frozenset
    emoji_lut: np.ndarray  # code point -> index of its description, or -1
    desc_cp: np.ndarray  # all descriptions' code points, concatenated
    desc_off: np.ndarray  # start of each description in desc_cp
    desc_len: np.ndarray
    ws_pattern: str  # RE2 class of the characters with str.isspace()
    ws_lut: np.ndarray  # code point <= U+3000 -> str.isspace()
    special: tuple  # ((words, value), ...) from SPECIAL_CASES
    booster_ngrams: tuple  # ((words, value), ...) multi-word BOOSTER_DICT keys
    n_scalar: float
    c_incr: float


@functools.cache
def _tables() -> _Tables:
    """Read the lexicon, emoji table and rule constants from the installed vaderSentiment."""
    from vaderSentiment import vaderSentiment as vs

    analyzer = vs.SentimentIntensityAnalyzer()  # parses the package's own lexicon files
    lex_keys = list(analyzer.lexicon)
    # polarity_scores() looks the text up character by character: only 1-character keys match
    emojis = [(k, d) for k, d in analyzer.emojis.items() if len(k) == 1]
    lut = np.full(0x110000, -1, dtype=np.int32)
    lut[np.array([ord(k) for k, _ in emojis], dtype=np.int64)] = np.arange(len(emojis))
    desc_len = np.array([len(d) for _, d in emojis], dtype=np.int64)
    desc_cp = np.frombuffer("".join(d for _, d in emojis).encode("utf-32-le"), dtype=np.uint32)
    ws = "".join(f"\\x{{{c:04X}}}" for c in range(_WS_MAX + 1) if chr(c).isspace())
    booster = dict(vs.BOOSTER_DICT)
    single = {k: v for k, v in booster.items() if " " not in k}
    return _Tables(
        lex_keys=pa.array(lex_keys, pa.large_string()),
        lex_vals=np.array([analyzer.lexicon[k] for k in lex_keys], dtype=np.float64),
        boost_keys=pa.array(list(single), pa.large_string()),
        boost_vals=np.array(list(single.values()), dtype=np.float64),
        negate=pa.array(list(vs.NEGATE), pa.large_string()),
        negate_set=frozenset(vs.NEGATE),
        emoji_lut=lut,
        desc_cp=desc_cp,
        desc_off=np.cumsum(desc_len) - desc_len,
        desc_len=desc_len,
        ws_pattern=f"[{ws}]",
        ws_lut=np.array([chr(c).isspace() for c in range(_WS_MAX + 1)], dtype=bool),
        special=tuple((tuple(k.split(" ")), v) for k, v in vs.SPECIAL_CASES.items()),
        booster_ngrams=tuple((tuple(k.split(" ")), v) for k, v in booster.items() if " " in k),
        n_scalar=float(vs.N_SCALAR),
        c_incr=float(vs.C_INCR),
    )


# --------------------------------------------------------------------------------------------
# characters and tokens


def _ragged_arange(lengths: np.ndarray) -> np.ndarray:
    """0..len-1 for each length, concatenated."""
    total = int(lengths.sum())
    starts = np.cumsum(lengths) - lengths
    return np.arange(total, dtype=np.int64) - np.repeat(starts, lengths)


@dataclass
class _Tokens:
    off: np.ndarray  # first token of each text, plus the end (n_texts + 1)
    wid: np.ndarray  # per token: index into ``vocab``
    vocab: pa.Array  # the distinct whitespace-separated tokens, before punctuation stripping
    dead: np.ndarray | None = None  # vocab entries no token refers to any more (emoji rewritten)


@functools.cache
def _arrow_splits_like_python() -> bool:
    """pyarrow's Unicode whitespace is Python's ``str.isspace`` (checked on the candidates)."""
    import unicodedata

    cands = [c for c in range(0x3001) if chr(c).isspace() or unicodedata.category(chr(c))[0] in "ZC"]
    cands += [0x180E, 0x200B, 0xFEFF, 0x3000]
    arr = pa.array([f"a{chr(c)}b" for c in cands], pa.large_string())
    n = pc.list_value_length(pc.utf8_split_whitespace(arr)).to_numpy(zero_copy_only=False)
    return bool(np.array_equal(n == 2, np.array([chr(c).isspace() for c in cands])))


def _tokens(arr: pa.Array, tab: _Tables) -> _Tokens:
    """``text.split()`` of vaderSentiment's ``SentiText``, dictionary-encoded."""
    if not _arrow_splits_like_python():  # pragma: no cover - depends on the pyarrow build
        arr = pc.replace_substring_regex(arr, tab.ws_pattern, " ")
    # split at ASCII whitespace here (faster); the few distinct tokens that still hold a
    # Python whitespace character (U+001C-U+001F, U+00A0, U+2003, ...) are split further below
    lists = pc.ascii_split_whitespace(arr) if _arrow_ascii_ws_ok() else split_whitespace(arr)
    off = np.asarray(lists.offsets, dtype=np.int64)
    off = off - off[0]
    enc = pc.dictionary_encode(lists.flatten())
    wid = enc.indices.to_numpy(zero_copy_only=False)
    vocab = enc.dictionary
    # pyarrow yields "" for leading/trailing whitespace; str.split() does not
    wid = wid.astype(np.int32, copy=False)
    empty = pc.index(vocab, "").as_py()
    if empty >= 0:
        drop = wid == empty
        gone = np.flatnonzero(drop)
        off = off - np.searchsorted(gone, off)  # tokens dropped before each text's start
        wid = wid[~drop]
    return _expand_emoji(_Tokens(off=off, wid=wid, vocab=vocab), tab)


@functools.cache
def _arrow_ascii_ws_ok() -> bool:
    """pyarrow's ASCII whitespace is exactly \t \n \v \f \r and space."""
    arr = pa.array([f"a{chr(c)}b" for c in range(128)], pa.large_string())
    n = pc.list_value_length(pc.ascii_split_whitespace(arr)).to_numpy(zero_copy_only=False)
    return set(np.flatnonzero(n == 2).tolist()) == {9, 10, 11, 12, 13, 32}


def _expand_emoji(tok: _Tokens, tab: _Tables) -> _Tokens:
    """Replace emoji by their descriptions and finish the whitespace split, per distinct token.

    vaderSentiment replaces each emoji-table character of the text by its description
    (preceded by a space unless one is there) and then splits on whitespace. The descriptions
    contain no whitespace but " ", so splitting first, then replacing inside each token and
    splitting that token again gives the same tokens: only the distinct tokens that hold an
    emoji or a non-ASCII (or U+001C-U+001F) whitespace character are rewritten (as code point
    arrays), and the token stream is expanded accordingly.
    """
    vocab = pc.cast(tok.vocab, pa.large_string())
    odd = pc.invert(pc.string_is_ascii(vocab))
    odd = pc.or_(odd, pc.match_substring_regex(vocab, r"[\x1c-\x1f]"))
    cand = np.flatnonzero(odd.to_numpy(zero_copy_only=False))
    if len(cand) == 0:
        return tok
    cp, cpoff = _codepoints(pc.take(vocab, pa.array(cand)))
    eid = tab.emoji_lut[cp]
    hit = (eid >= 0) | ((cp <= _WS_MAX) & tab.ws_lut[np.minimum(cp, _WS_MAX)])
    if not hit.any():
        return tok
    has = np.zeros(len(cand), dtype=bool)
    has[np.searchsorted(cpoff, np.flatnonzero(hit), side="right") - 1] = True
    new = _decode(*_replace_emoji(cp, cpoff, eid, tab))
    lists = split_whitespace(pc.filter(new, pa.array(has)))
    words = lists.flatten()
    owner = np.repeat(np.arange(len(lists)), pc.list_value_length(lists).to_numpy(zero_copy_only=False))
    keep = pc.greater(pc.binary_length(words), 0)
    words = pc.filter(words, keep)
    owner = owner[keep.to_numpy(zero_copy_only=False)]
    sel = cand[has]
    counts = np.bincount(owner, minlength=len(sel)).astype(np.int64)
    dead = np.zeros(len(vocab), dtype=bool)
    dead[sel] = True
    first = np.zeros(len(vocab), dtype=np.int64)
    first[sel] = len(vocab) + np.cumsum(counts) - counts
    reps = np.ones(len(vocab), dtype=np.int64)
    reps[sel] = counts
    # the tokens that grow (a rewritten entry), and where each lands in the longer stream
    grown = np.flatnonzero(dead[tok.wid])
    rg = reps[tok.wid[grown]]
    extra = np.zeros(len(grown) + 1, dtype=np.int64)
    np.cumsum(rg - 1, out=extra[1:])
    r = np.ones(len(tok.wid), dtype=np.int64)
    r[grown] = rg
    wid = np.repeat(tok.wid, r)
    step = _ragged_arange(rg)
    wid[np.repeat(grown + extra[:-1], rg) + step] = np.repeat(first[tok.wid[grown]], rg) + step
    off = tok.off + extra[np.searchsorted(grown, tok.off)]
    vocab = pa.concat_arrays([vocab, pc.cast(words, pa.large_string())])
    dead = np.append(dead, np.zeros(len(words), dtype=bool))
    return _Tokens(off=off, wid=wid, vocab=vocab, dead=dead)


def _codepoints(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The strings' code points, concatenated, and each string's start (length n + 1)."""
    arr = pc.cast(arr, pa.large_string())
    n = len(arr)
    bufs = arr.buffers()
    off = np.frombuffer(bufs[1], dtype=np.int64)[arr.offset : arr.offset + n + 1]
    lengths = pc.utf8_length(arr).to_numpy(zero_copy_only=False).astype(np.int64)
    cpoff = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=cpoff[1:])
    if bufs[2] is None or off[-1] == off[0]:
        return np.zeros(0, dtype=np.uint32), cpoff
    text = bytes(memoryview(bufs[2])[off[0] : off[-1]]).decode("utf-8")
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32), cpoff


def _decode(cp: np.ndarray, cpoff: np.ndarray) -> pa.Array:
    """Strings from concatenated code points and their starts."""
    nbytes = 1 + (cp >= 0x80).astype(np.int64) + (cp >= 0x800) + (cp >= 0x10000)
    cum = np.zeros(len(cp) + 1, dtype=np.int64)
    np.cumsum(nbytes, out=cum[1:])
    data = cp.tobytes().decode("utf-32-le").encode("utf-8")
    return pa.LargeStringArray.from_buffers(len(cpoff) - 1, pa.py_buffer(cum[cpoff]), pa.py_buffer(data))


def _replace_emoji(cp: np.ndarray, cpoff: np.ndarray, eid: np.ndarray, tab: _Tables) -> tuple[np.ndarray, np.ndarray]:
    """Each emoji-table code point (``eid >= 0``) becomes " " + its description."""
    where = np.flatnonzero(eid >= 0)
    ids = eid[where]
    dlen = tab.desc_len[ids]
    grow = np.zeros(len(cp) + 1, dtype=np.int64)
    grow[where + 1] = dlen  # the emoji's slot becomes the space; the description follows
    np.cumsum(grow, out=grow)
    newpos = np.arange(len(cp) + 1, dtype=np.int64) + grow  # start of each old character
    out = np.empty(int(newpos[-1]), dtype=np.uint32)
    out[newpos[:-1]] = cp
    out[newpos[where]] = 32
    r = _ragged_arange(dlen)
    out[np.repeat(newpos[where] + 1, dlen) + r] = tab.desc_cp[np.repeat(tab.desc_off[ids], dlen) + r]
    return out, newpos[cpoff]


# --------------------------------------------------------------------------------------------
# vocabulary


@dataclass
class _Vocab:
    w2l: np.ndarray  # per distinct token: id of its stripped, lower-cased form
    upper: np.ndarray  # per distinct token: str.isupper() of its stripped form
    excl: np.ndarray  # per distinct token: number of "!" (and "?" below)
    ques: np.ndarray
    inlex: np.ndarray  # per lower form (+ one sentinel entry at the end: "no token")
    lexval: np.ndarray
    isboost: np.ndarray
    boost: np.ndarray
    neg: np.ndarray
    modifier: np.ndarray  # per lower form: a booster, a negation, "no", "this", "least", "kind"
    ids: dict  # lower-cased word -> id (-1 when absent)


def _vocab(raw: pa.Array, tab: _Tables, dead: np.ndarray | None = None) -> _Vocab:
    # _strip_punc_if_word: strip string.punctuation unless two characters or fewer remain
    trimmed = pc.utf8_trim(raw, string.punctuation)
    vocab = pc.if_else(pc.less_equal(pc.utf8_length(trimmed), 2), raw, trimmed)
    ascii_ = pc.string_is_ascii(vocab).to_numpy(zero_copy_only=False)
    lower = pc.ascii_lower(vocab)
    upper = pc.match_substring_regex(vocab, "[A-Z]").to_numpy(zero_copy_only=False) & ~pc.match_substring_regex(
        vocab, "[a-z]"
    ).to_numpy(zero_copy_only=False)
    other = np.flatnonzero(~ascii_ if dead is None else ~ascii_ & ~dead)
    if len(other):  # Python's own Unicode casing for the non-ASCII distinct tokens
        py = pc.take(vocab, pa.array(other)).to_pylist()
        mask = np.zeros(len(vocab), dtype=bool)
        mask[other] = True
        lower = pc.replace_with_mask(lower, pa.array(mask), pa.array([s.lower() for s in py], pa.large_string()))
        upper[other] = [s.isupper() for s in py]
    lenc = pc.dictionary_encode(lower)
    w2l = lenc.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    low = lenc.dictionary
    nl = len(low)

    def with_sentinel(values: np.ndarray, fill) -> np.ndarray:
        return np.append(values, np.array([fill], dtype=values.dtype))

    li = pc.index_in(low, value_set=tab.lex_keys)
    inlex = li.is_valid().to_numpy(zero_copy_only=False)
    lexval = np.zeros(nl, dtype=np.float64)
    lexval[inlex] = tab.lex_vals[li.drop_null().to_numpy(zero_copy_only=False)]
    bi = pc.index_in(low, value_set=tab.boost_keys)
    isboost = bi.is_valid().to_numpy(zero_copy_only=False)
    boost = np.zeros(nl, dtype=np.float64)
    boost[isboost] = tab.boost_vals[bi.drop_null().to_numpy(zero_copy_only=False)]
    # vaderSentiment's negated() lower-cases the (already lower-cased) word once more
    neg = pc.is_in(low, value_set=tab.negate).to_numpy(zero_copy_only=False) | pc.match_substring(low, "n't").to_numpy(
        zero_copy_only=False
    )
    lother = np.flatnonzero(~pc.string_is_ascii(low).to_numpy(zero_copy_only=False))
    if len(lother):
        twice = [s.lower() for s in pc.take(low, pa.array(lother)).to_pylist()]
        neg[lother] = [s in tab.negate_set or "n't" in s for s in twice]
    words = set(_HARD_CODED_WORDS)
    for key, _ in tab.special + tab.booster_ngrams:
        words.update(key)
    found = pc.index_in(pa.array(sorted(words), pa.large_string()), value_set=low).to_pylist()
    ids = {w: (-1 if i is None else i) for w, i in zip(sorted(words), found, strict=True)}
    # a word any rule looks at, besides the lexicon word itself
    # the words whose presence near a lexicon word can change its valence, other than the
    # idioms and multi-word boosters (those are found as phrases): boosters ("so" too),
    # negations ("never", "without" too), "no" (and its "or"/"nor"), "this" (x1.25), "least"
    # (and its "at"/"very"), "kind" (before "of")
    modifier = isboost | neg
    modifier[[ids[w] for w in ("no", "this", "least", "kind") if ids[w] >= 0]] = True
    return _Vocab(
        w2l=w2l,
        upper=upper,
        excl=pc.count_substring(raw, "!").to_numpy(zero_copy_only=False).astype(np.int64),
        ques=pc.count_substring(raw, "?").to_numpy(zero_copy_only=False).astype(np.int64),
        inlex=with_sentinel(inlex, False),
        lexval=with_sentinel(lexval, 0.0),
        isboost=with_sentinel(isboost, False),
        boost=with_sentinel(boost, 0.0),
        neg=with_sentinel(neg, False),
        modifier=modifier,
        ids=ids,
    )


def _per_text(per_token: np.ndarray, off: np.ndarray) -> np.ndarray:
    """Sum of a per-token count over each text's tokens."""
    cum = np.zeros(len(per_token) + 1, dtype=np.int64)
    np.cumsum(per_token, out=cum[1:])
    return cum[off[1:]] - cum[off[:-1]]


# --------------------------------------------------------------------------------------------
# rules


def _valences(
    tok: _Tokens, voc: _Vocab, tab: _Tables, capdiff_t: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Token index, text and valence of every token with a non-zero sentiment.

    ``capdiff_t``: per text, whether some but not all of its tokens are ALL CAPS.
    """
    wid = tok.wid
    off = tok.off
    lid = voc.w2l[wid]
    # tokens that score: lexicon words that are not boosters (and not "kind" before "of", below)
    k = np.flatnonzero((voc.inlex[:-1] & ~voc.isboost[:-1])[lid])
    t = np.searchsorted(off, k, side="right") - 1
    # most of them have no rule word within two tokens after or three before, and no
    # capitals to stress: their valence is the lexicon's (shifts across texts only add work)
    mod = voc.modifier[lid]
    near = mod.copy()
    for d in (1, 2, 3):
        near[d:] |= mod[:-d]
        if d < 3:
            near[:-d] |= mod[d:]
    phrase = _near_phrases(lid, voc, tab)
    plain = ~near[k] & ~phrase[k] & ~(voc.upper[wid[k]] & capdiff_t[t])
    v_all = voc.lexval[lid[k]]
    rows = np.flatnonzero(~plain)
    if len(rows):
        v_all[rows] = _rule_valences(k[rows], t[rows], lid, wid, off, voc, tab, capdiff_t, phrase[k[rows]])
    nz = v_all != 0
    return k[nz], t[nz], v_all[nz]


def _near_phrases(lid: np.ndarray, voc: _Vocab, tab: _Tables) -> np.ndarray:
    """Tokens within reach of a special-case idiom or multi-word booster ("yeah right", "kind of").

    ``_special_idioms_check`` looks at the phrases ending at the word or one or two tokens
    before it (up to three tokens back) and starting at the word; a phrase at tokens
    ``s .. e`` can only matter to the words ``s - 2 .. e + 3``.
    """
    out = np.zeros(len(lid), dtype=bool)
    for key, _ in tab.special + tab.booster_ngrams:
        ids = [voc.ids.get(w, -1) for w in key]
        if min(ids) < 0:
            continue
        s = np.flatnonzero(lid[: max(len(lid) - len(key) + 1, 0)] == ids[0])
        for j, i in enumerate(ids[1:], 1):
            s = s[lid[s + j] == i]
        for d in range(-2, len(key) + 3):
            out[np.clip(s + d, 0, len(lid) - 1)] = True
    return out


def _rule_valences(
    k: np.ndarray,
    t: np.ndarray,
    lid: np.ndarray,
    wid: np.ndarray,
    off: np.ndarray,
    voc: _Vocab,
    tab: _Tables,
    capdiff_t: np.ndarray,
    phrase: np.ndarray,
) -> np.ndarray:
    """``sentiment_valence`` (and the "kind of" skip) for lexicon tokens ``k`` of texts ``t``."""
    n_tok = len(lid)
    sentinel = len(voc.inlex) - 1
    ids = voc.ids
    p = k - off[t]
    n_t = off[t + 1] - off[t]

    def shifted(d: int) -> tuple[np.ndarray, np.ndarray]:
        """Lower-form id and upper flag of the token ``d`` away (sentinel outside the text)."""
        ok = (p + d >= 0) & (p + d < n_t)
        j = np.clip(k + d, 0, max(n_tok - 1, 0))
        return np.where(ok, lid[j], sentinel), np.where(ok, voc.upper[wid[j]], False)

    l0 = lid[k]
    p1, _ = shifted(1)
    kind_of = (l0 == ids["kind"]) & (p1 == ids["of"])
    m1, u1 = shifted(-1)
    m2, u2 = shifted(-2)
    m3, u3 = shifted(-3)
    p2, _ = shifted(2)
    N = tab.n_scalar
    C = tab.c_incr
    lex0 = voc.lexval[l0]
    v = lex0.copy()
    v = np.where((l0 == ids["no"]) & voc.inlex[p1], 0.0, v)
    no_before = (m1 == ids["no"]) | (m2 == ids["no"]) | ((m3 == ids["no"]) & ((m1 == ids["or"]) | (m1 == ids["nor"])))
    v = np.where(no_before, lex0 * N, v)
    caps = voc.upper[wid[k]] & capdiff_t[t]
    v = np.where(caps, np.where(v > 0, v + C, v - C), v)
    so_this1 = (m1 == ids["so"]) | (m1 == ids["this"])
    so_this2 = (m2 == ids["so"]) | (m2 == ids["this"])
    for s, (mj, uj) in enumerate(((m1, u1), (m2, u2), (m3, u3))):
        active = (p > s) & ~voc.inlex[mj]
        isb = voc.isboost[mj]
        sc = np.where(isb, voc.boost[mj], 0.0)
        sc = np.where(isb & (v < 0), sc * -1, sc)
        capb = isb & uj & capdiff_t[t]
        sc = np.where(capb, np.where(v > 0, sc + C, sc - C), sc)
        if s == 1:
            sc = np.where(sc != 0, sc * 0.95, sc)
        elif s == 2:
            sc = np.where(sc != 0, sc * 0.9, sc)
        v = np.where(active, v + sc, v)
        if s == 0:
            v = np.where(active & voc.neg[m1], v * N, v)
        elif s == 1:
            never = (m2 == ids["never"]) & so_this1
            wd = (m2 == ids["without"]) & (m1 == ids["doubt"])
            v = np.where(active & never, v * 1.25, np.where(active & ~never & ~wd & voc.neg[m2], v * N, v))
        else:
            never = ((m3 == ids["never"]) & so_this2) | so_this1  # vaderSentiment's precedence
            wd = (m3 == ids["without"]) & ((m2 == ids["doubt"]) | (m1 == ids["doubt"]))
            v = np.where(active & never, v * 1.25, np.where(active & ~never & ~wd & voc.neg[m3], v * N, v))
            at = np.flatnonzero(active & phrase)  # only words within reach of a phrase
            if len(at):
                window = tuple(c[at] for c in (m3, m2, m1, l0, p1, p2))
                v[at] = _idioms(v[at], window, ids, tab)
    least = ids["least"]
    first = (p > 1) & ~voc.inlex[m1] & (m1 == least)
    v = np.where(first & (m2 != ids["at"]) & (m2 != ids["very"]), v * N, v)
    v = np.where((p == 1) & ~voc.inlex[m1] & (m1 == least), v * N, v)
    return np.where(kind_of, 0.0, v)


def _idioms(v: np.ndarray, window: tuple, ids: dict, tab: _Tables) -> np.ndarray:
    """``_special_idioms_check`` for every row (the caller keeps it where it applies)."""
    m3, m2, m1, l0, p1, p2 = window

    def match(cols: tuple, key: tuple) -> np.ndarray:
        if len(cols) != len(key) or any(ids.get(w, -1) < 0 for w in key):
            return np.zeros(len(v), dtype=bool)
        out = np.ones(len(v), dtype=bool)
        for c, w in zip(cols, key, strict=True):
            out &= c == ids[w]
        return out

    out = v.copy()
    done = np.zeros(len(v), dtype=bool)
    for cols in ((m1, l0), (m2, m1, l0), (m2, m1), (m3, m2, m1), (m3, m2)):
        for key, value in tab.special:
            hit = match(cols, key) & ~done
            out = np.where(hit, value, out)
            done |= hit
    for cols in ((l0, p1), (l0, p1, p2)):
        for key, value in tab.special:
            out = np.where(match(cols, key), value, out)
    for cols in ((m3, m2, m1), (m3, m2), (m2, m1)):
        for key, value in tab.booster_ngrams:
            hit = match(cols, key)
            out = np.where(hit, out + value, out)
    return out


def _but_weights(k: np.ndarray, t: np.ndarray, v: np.ndarray, tok: _Tokens, voc: _Vocab) -> np.ndarray:
    """The valences after vaderSentiment's ``_but_check`` (same order as ``k``)."""
    but_id = voc.ids["but"]
    if but_id < 0 or len(k) == 0:
        return v
    buts = np.flatnonzero((voc.w2l == but_id)[tok.wid])
    texts, first = np.unique(np.searchsorted(tok.off, buts, side="right") - 1, return_index=True)
    bi = np.full(len(tok.off) - 1, -1, dtype=np.int64)
    bi[texts] = buts[first]  # token index of each text's first "but"
    b = bi[t]
    has = b >= 0
    factor = np.where(~has, 1.0, np.where(k < b, 0.5, np.where(k > b, 1.5, 1.0)))
    out = np.where(has & (factor != 1.0), v * factor, v)
    # list.index quirk: replay the texts where an earlier re-weighted value can equal a later one
    sel = np.flatnonzero(has)
    if len(sel) == 0:
        return out
    values = np.unique(v[sel])
    probe_t = np.concatenate([t[sel], t[sel]])
    probe_v = np.concatenate([v[sel] * 0.5, v[sel] * 1.5])
    slot = np.minimum(np.searchsorted(values, probe_v), len(values) - 1)
    found = values[slot] == probe_v  # the halved/1.5x value is some value of a "but" text ...
    base = t[sel] * len(values) + np.searchsorted(values, v[sel])
    hits = np.zeros(len(probe_t), dtype=bool)
    hits[found] = np.isin(probe_t[found] * len(values) + slot[found], base)  # ... of the same text
    risky = np.unique(np.concatenate([probe_t[hits], t[sel][factor[sel] == 1.0]]))
    if len(risky) == 0:
        return out
    rows = np.flatnonzero(np.isin(t, risky))
    rt = t[rows]
    _, start, count = np.unique(rt, return_index=True, return_counts=True)
    width = int(count.max())
    group = np.repeat(np.arange(len(count)), count)
    col = np.arange(len(rows)) - np.repeat(start, count)
    vals = np.full((len(count), width), np.nan)
    fac = np.ones((len(count), width))
    vals[group, col] = v[rows]
    fac[group, col] = factor[rows]
    r_all = np.arange(len(count))
    for j in range(width):  # step j of `for sentiment in sentiments`, all risky texts at once
        live = r_all[count > j]
        cur = vals[live, j]
        si = np.argmax(vals[live, : j + 1] == cur[:, None], axis=1)
        f = fac[live, si]
        change = f != 1.0  # si == bi: vaderSentiment leaves the list as it is
        vals[live[change], si[change]] = cur[change] * f[change]
    out[rows] = vals[group, col]
    return out


def _sequential_sums(t: np.ndarray, v: np.ndarray, n_texts: int) -> np.ndarray:
    """Per-text sums added left to right (as Python's ``sum``), ``t`` sorted ascending."""
    out = np.zeros(n_texts, dtype=np.float64)
    if len(t) == 0:
        return out
    count = np.bincount(t, minlength=n_texts)
    start = np.cumsum(count) - count
    order = np.argsort(-count, kind="stable")
    # active[j]: how many texts have more than j values (they come first in ``order``)
    active = np.searchsorted(-count[order], -np.arange(int(count.max())), side="left")
    for j in range(len(active)):  # j-th non-zero value of every text that has one
        rows = order[: active[j]]
        out[rows] += v[start[rows] + j]
    return out


def _round4(x: np.ndarray) -> np.ndarray:
    """Python's ``round(x, 4)`` (correctly rounded), vectorised."""
    y = x * 1e4
    out = np.rint(y) / 1e4
    tie = np.flatnonzero(np.abs(y - np.floor(y) - 0.5) < 1e-6)
    if len(tie):
        out[tie] = [round(float(a), 4) for a in x[tie]]
    return out


def _score_chunk(arr: pa.Array, tab: _Tables) -> np.ndarray:
    tok = _tokens(arr, tab)
    n_texts = len(tok.off) - 1
    if len(tok.wid) == 0:
        return np.zeros(n_texts, dtype=np.float64)
    voc = _vocab(tok.vocab, tab, tok.dead)
    # one pass for three per-text counts: ALL-CAPS tokens, "!" and "?" (21 bits each; a text
    # has at most MAX_CHARS characters)
    field = (1 << 21) - 1
    if (pc.max(pc.binary_length(arr)).as_py() or 0) < field // 2:
        packed = voc.upper.astype(np.int64) | (voc.excl << 21) | (voc.ques << 42)
        sums = _per_text(packed[tok.wid], tok.off)
        allcap, excl, ques = sums & field, (sums >> 21) & field, sums >> 42
    else:  # texts of a million bytes or more: count separately
        allcap, excl, ques = (_per_text(x[tok.wid], tok.off) for x in (voc.upper, voc.excl, voc.ques))
    capdiff_t = (allcap > 0) & (allcap < np.diff(tok.off))
    k, t, v = _valences(tok, voc, tab, capdiff_t)
    v = _but_weights(k, t, v, tok, voc)
    total = _sequential_sums(t, v, n_texts)
    ep = np.minimum(excl, 4) * 0.292
    qm = np.where(ques > 1, np.where(ques <= 3, ques * 0.18, 0.96), 0.0)
    amp = ep + qm
    total = np.where(total > 0, total + amp, np.where(total < 0, total - amp, total))
    compound = np.clip(total / np.sqrt(total * total + 15), -1.0, 1.0)
    return _round4(compound)


def compound_scores(texts: pa.Array) -> np.ndarray:
    """vaderSentiment's compound score of each text (float64; NaN for nulls).

    Examples
    --------
    >>> import pyarrow as pa
    >>> compound_scores(pa.array(["VADER is VERY SMART, handsome, and FUNNY!!!", "meh", None])).tolist()
    [0.9342, -0.0772, nan]
    """
    tab = _tables()
    out = np.full(len(texts), np.nan, dtype=np.float64)
    valid: slice | np.ndarray
    if texts.null_count == 0:  # no copy needed (distinct texts have no nulls)
        valid = slice(None)
        arr = pc.cast(texts, pa.large_string())
    else:
        valid = np.flatnonzero(pc.is_valid(texts).to_numpy(zero_copy_only=False))
        if len(valid) == 0:
            return out
        arr = pc.take(texts, pa.array(valid)).cast(pa.large_string())
    # chunks of about CHUNK_CODEPOINTS bytes (at least as many as code points): the score of a
    # text does not depend on its chunk
    lengths = pc.binary_length(arr).to_numpy(zero_copy_only=False).astype(np.int64)
    batch = (np.cumsum(lengths) - lengths) // CHUNK_CODEPOINTS
    edges = np.concatenate([[0], np.flatnonzero(np.diff(batch)) + 1, [len(arr)]])
    parts = [_score_chunk(arr.slice(a, b - a), tab) for a, b in zip(edges[:-1], edges[1:], strict=True)]
    out[valid] = np.concatenate(parts) if parts else np.zeros(0)
    return out
