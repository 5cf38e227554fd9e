"""``text_cues``, ``message_cues`` and the cue registry."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ..schema import validate
from ._catalogue import CATALOGUE, MessageCue
from ._criticism import prefiltered_patterns
from ._detect import UNDETERMINED, decide_language_codes, group_codes, language_codes, language_scores_of_tokens
from ._emoji import emoji_counts
from ._languages import language_lexical_arrays, lexicons, lexicons_clauses, stream_patterns, token_cues
from ._lexical import PREFILTERED_PATTERNS, lexical_arrays, token_counts
from ._pool import pc
from ._sentiment import distinct_texts, score_distinct, sentiment_method
from ._tokens import (
    Prefilter,
    TokenTable,
    _as_arrow,
    _cap,
    _normalize_arrow,
    _stream_arrow,
    clause_bits,
    map_groups,
    map_slices,
    token_body_counts,
)

__all__ = ["Cue", "CUES", "CUE_COLUMNS", "list_cues", "list_languages", "text_cues", "message_cues"]

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


def shipped_stream_patterns() -> tuple[str, ...]:
    """Every stream pattern of the shipped rules that a :class:`~._tokens.Prefilter` reads the ``requirements``
    of: English, you-criticism and every language file (``tools/build_requirements.py`` tabulates them)."""
    languages = (p for lex in lexicons().values() for p in stream_patterns(lex))
    return tuple(dict.fromkeys((*PREFILTERED_PATTERNS, *prefiltered_patterns(), *languages)))


def _languages_of(
    n: int,
    valid: np.ndarray,
    codes: np.ndarray,
    stream_u: pa.ChunkedArray,
    language: str | Sequence[str] | None,
    conversation: np.ndarray | None,
    sender: np.ndarray | None,
    evidence: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, tuple[str, ...]]:
    """The language of each row with a text: given (a code or one per text) or detected (see ``_detect``).

    Returns an integer array (one per row of ``valid``) indexing the returned language names.
    Detection reads each distinct text once (``stream_u``, ``codes`` map rows with a text to it)
    and decides per conversation and sender. ``evidence``: the distinct texts' language scores
    and word counts when already computed.
    """
    if language is not None and not isinstance(language, str):
        given = pd.Series(language).astype("str").to_numpy(dtype=object)
        if len(given) != n:
            raise ValueError(f"language has {len(given)} values for {n} texts")
        idx, names = pd.factorize(given[valid])
        return np.asarray(idx, dtype=np.int64), tuple(names)
    if isinstance(language, str):
        return np.zeros(len(valid), dtype=np.int64), (language,)
    conv = conversation[valid] if conversation is not None else np.zeros(len(valid), dtype=np.int64)
    snd = sender[valid] if sender is not None else np.zeros(len(valid), dtype=np.int64)
    scores, words = evidence if evidence is not None else map_slices(_evidence, stream_u)
    idx = decide_language_codes(scores, codes, conv, snd, words)
    return idx, (*language_codes(), UNDETERMINED)


def _language_labels(n: int, valid: np.ndarray, idx: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
    """Per row, its language name (object array; ``"und"`` for rows without a text)."""
    out = np.full(n, UNDETERMINED, dtype=object)
    out[valid] = np.asarray(names, dtype=object)[idx]
    return out


def _evidence(stream: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Language scores and word counts of token streams (what detection reads)."""
    tokens = TokenTable(stream)
    return language_scores_of_tokens(tokens), tokens.words()


def _detect_languages(texts: pd.Series, conversation: np.ndarray | None, sender: np.ndarray | None) -> np.ndarray:
    """Detected language of each text (decided per conversation and sender; see ``_detect``)."""
    arr = _cap(_as_arrow(texts))
    valid, codes, uniques = distinct_texts(arr)
    stream_u = map_slices(lambda u: _stream_arrow(_normalize_arrow(u)), uniques)
    idx, names = _languages_of(len(arr), valid, codes, stream_u, None, conversation, sender)
    return _language_labels(len(arr), valid, idx, names)


def _lexical_by_language(
    normalized_u: pa.ChunkedArray,
    stream_u: pa.ChunkedArray,
    codes: np.ndarray,
    lang: np.ndarray,
    names: tuple[str, ...],
    counts_u: np.ndarray | None = None,
    holding_u: np.ndarray | None = None,
    clauses: tuple[frozenset[str], ...] = (),
    slots_u: np.ndarray | None = None,
    slots: tuple[tuple[str, str, str], ...] = (),
) -> dict[str, np.ndarray]:
    """Each language's rules over its own messages, once per distinct (text, language).

    ``codes`` and ``lang`` are per row with a text (its distinct text; its language, an index
    into ``names``); English rules serve ``en`` and any code without a lexicon of its own.
    ``counts_u``: the distinct texts' English ``token_counts``; ``holding_u``: the distinct texts'
    ``clause_bits`` of ``clauses`` (the rule files' clauses, where computed); ``slots_u``: the distinct
    texts' ``token_body_counts`` of the word-list cues ``slots`` (``token_cues``, where computed). The
    rules fill one value per distinct (text, language) pair, spread back to the rows with one gather per cue.
    """
    if counts_u is None:
        counts_u = map_slices(lambda s: token_counts(TokenTable(s)), stream_u)
    lex = lexicons()
    # the rule set of each language name: its lexicon, or the English rules (None)
    rule_of = [name if name in lex else None for name in names]
    sets = list(dict.fromkeys(rule_of))
    rule_idx = np.asarray([sets.index(r) for r in rule_of], dtype=np.int64)
    if len(sets) == 1 or len(codes) == 0:
        # one rule set for every text: no need to pick them out
        pair_text, pair_rule, inverse = np.arange(len(normalized_u)), np.zeros(len(normalized_u), np.int64), codes
        sets = sets[:1] if len(codes) else [None]  # English rules for an empty input (all columns present)
    else:
        key = np.asarray(codes, dtype=np.int64) * len(sets) + rule_idx[lang]
        # the distinct keys by marking a dense table (keys < distinct texts x rule sets): no hashing
        seen = np.zeros(len(normalized_u) * len(sets), dtype=bool)
        seen[key] = True
        uniq = np.flatnonzero(seen)
        # each key's rank among the marked ones (a cumulative sum of the table cost ~8x more)
        rank = np.empty(len(seen), dtype=np.int32)
        rank[uniq] = np.arange(len(uniq), dtype=np.int32)
        inverse = rank[key]
        pair_text, pair_rule = uniq // len(sets), uniq % len(sets)
    calls: list[tuple[Callable[..., dict[str, np.ndarray]], list[Any]]] = []
    where: list[np.ndarray] = []
    for r, code in enumerate(sets):
        pairs = np.flatnonzero(pair_rule == r)
        if len(pairs) == 0 and len(pair_text) > 0:  # an empty input still gets every column
            continue
        texts = pair_text[pairs]
        holding = holding_u if code is not None and clauses else None
        # the columns of this language's word-list cues among the token counts
        cols = [k for k, slot in enumerate(slots) if slot[0] == code] if slots_u is not None else []
        names_of = tuple(slots[k][1] for k in cols)
        counted = None
        if len(texts) == len(normalized_u):
            norm, stream, counts = normalized_u, stream_u, counts_u
            counted = slots_u[:, cols] if slots_u is not None and cols else None
        else:
            take = pa.array(texts)
            norm, stream, counts = pc.take(normalized_u, take), pc.take(stream_u, take), counts_u[texts]
            holding = holding[texts] if holding is not None else None
            # this language's texts and columns in one gather (not every text's columns, then its texts)
            counted = slots_u[np.ix_(texts, np.asarray(cols, dtype=np.int64))] if slots_u is not None and cols else None

        def rules(
            n_: pa.Array,
            s_: pa.Array,
            c_: np.ndarray,
            h_: np.ndarray | None = None,
            t_: np.ndarray | None = None,
            code: str | None = code,
            names_of: tuple[str, ...] = names_of,
        ) -> dict[str, np.ndarray]:
            if code is None:
                return lexical_arrays(n_, s_, c_)
            return language_lexical_arrays(
                n_,
                s_,
                lex[code],
                h_,
                clauses if h_ is not None else None,
                words=c_[:, 0],
                token_counts=dict(zip(names_of, t_.T, strict=True)) if t_ is not None else None,
            )

        calls.append((rules, [norm, stream, counts, holding, counted]))
        where.append(pairs)
    # every rule set in one pool of threads: a rule set with a small share of the texts runs in one
    # thread, so its patterns are compiled (and RE2's automaton built) once, not once per core
    values: dict[str, np.ndarray] = {}
    for pairs, part in zip(where, map_groups(calls), strict=True):
        for name, v in part.items():
            v = np.asarray(v)
            if name not in values:
                values[name] = np.zeros(len(pair_text), dtype=v.dtype)
            values[name][pairs] = v
    return {name: v[inverse] for name, v in values.items()}


def _prepare(
    uniques: pa.Array, detect: bool, clauses: tuple[frozenset[str], ...] = (), bodies: tuple[str, ...] = ()
) -> tuple:
    """Per distinct text: normalised text, token stream, emoji count, the English single-token
    counts (``token_counts``), which of ``clauses`` each holds a word of (``clause_bits``), the
    tokens each of ``bodies`` matches (``token_body_counts``) and (``detect``) the language scores."""
    normalized = _normalize_arrow(uniques)
    stream = _stream_arrow(normalized)
    # emoji are counted on the original characters: lower-casing changes some (Ⓜ -> ⓜ)
    emoji = emoji_counts(uniques)
    tokens = TokenTable(stream)
    counts = token_counts(tokens)
    # one look-up pass for every rule file's clauses (no clauses: an empty column block)
    holding = clause_bits(tokens, clauses) if clauses else np.zeros((len(uniques), 0), dtype=np.uint64)
    slots = token_body_counts(tokens, bodies)
    if detect:
        return normalized, stream, emoji, counts, holding, slots, language_scores_of_tokens(tokens)
    return normalized, stream, emoji, counts, holding, slots


def _cue_arrays(
    texts: pd.Series,
    *,
    sentiment: bool | str,
    language: str | Sequence[str] | None = None,
    conversation: np.ndarray | None = None,
    sender: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    method = sentiment_method(sentiment)
    arr = _cap(_as_arrow(texts))
    n = len(arr)
    # every cue but the language is a function of the text (and its language) alone: it is
    # computed once per distinct (original-case) text and spread back; rows without text get
    # 0 / False / NaN. The distinct texts are cut into one slice per core (``map_slices``).
    valid, codes, uniques = distinct_texts(arr)
    detect = language is None
    # the languages with rules of their own that may run: their patterns' word clauses are looked up
    # in the token table made here, so that a large call runs each pattern on fewer texts
    lex = lexicons()
    if detect:
        clause_langs = tuple(lex)
    else:
        given = [language] if isinstance(language, str) else pd.unique(pd.Series(language).astype("str")).tolist()
        clause_langs = tuple(code for code in lex if code in given)
    # a small call's prefilter reads its own token table; a very large one looks up its patterns' clauses
    # (below CLAUSE_BITS texts the look-up pass costs about what the passes it saves do: see Prefilter)
    large = len(uniques) > Prefilter.SMALL
    clauses = lexicons_clauses(lex[c] for c in clause_langs) if len(uniques) > Prefilter.CLAUSE_BITS else ()
    # and the word-list cues of those languages are counted in that token table (a small call runs them)
    slots = token_cues(lex[c] for c in clause_langs) if large else ()
    bodies = tuple(body for _, _, body in slots)
    prepared = map_slices(lambda u: _prepare(u, detect, clauses, bodies), uniques)
    normalized_u, stream_u, emoji_u, counts_u, holding_u, slots_u = prepared[:6]
    evidence = (prepared[6], counts_u[:, 0]) if detect else None
    lang, names = _languages_of(n, valid, codes, stream_u, language, conversation, sender, evidence)
    per_row = _lexical_by_language(
        normalized_u, stream_u, codes, lang, names, counts_u, holding_u, clauses, slots_u if slots else None, slots
    )
    per_row["emoji"] = emoji_u[codes]
    if method is not None:
        # VADER is English: the six other languages get NaN, never English scores; undetermined
        # text (no evidence for any language: emoji, "ok", another language) keeps VADER
        scores = np.full(len(codes), np.nan, dtype=np.float64)
        vader = np.asarray([name in ("en", UNDETERMINED) for name in names], dtype=bool)
        english = np.flatnonzero(vader[lang]) if not vader.all() else np.arange(len(codes))
        if len(english):
            # the reference package is pure Python (threads would not help; it has its own processes)
            workers = None if method == "vader" else 1
            if len(english) == len(codes):  # every text: no need to pick them out
                scores = map_slices(lambda u: score_distinct(u, method), uniques, workers=workers)[codes]
            else:
                texts_en, inverse = np.unique(codes[english], return_inverse=True)
                part = pc.take(uniques, pa.array(texts_en))
                scores[english] = map_slices(lambda u: score_distinct(u, method), part, workers=workers)[inverse]
        per_row["sentiment"] = scores
    out: dict[str, np.ndarray] = {}
    for name in CUE_COLUMNS:
        if name not in per_row:
            continue
        values = np.asarray(per_row[name])
        if name == "sentiment":
            full = np.full(n, np.nan, dtype=np.float64)
        else:
            full = np.zeros(n, dtype=values.dtype)
        full[valid] = values
        out[name] = full
    out["language"] = _language_labels(n, valid, lang, names)
    return out


def text_cues(
    texts: pd.Series, *, sentiment: bool | str = True, language: str | Sequence[str] | None = None
) -> pd.DataFrame:
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
    language : str, sequence of str or None, default None
        The texts' language (``"en"``, ``"de"``, ``"es"``, ``"fr"``, ``"pt"``, ``"it"``, ``"nl"``;
        one code or one per text). ``None`` detects it: the texts are read as one sender's
        messages (see :func:`message_cues`).

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
    arrays = _cue_arrays(texts, sentiment=sentiment, language=language)
    arrays.pop("language")
    return pd.DataFrame(arrays, index=texts.index)


def message_cues(msgs: pd.DataFrame, *, sentiment: bool | str = True, language: str | None = None) -> pd.DataFrame:
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
    language : str or None, default None
        One language code for every message; ``None`` detects the language per conversation
        and sender (below).

    Returns
    -------
    DataFrame
        A new frame: the input's columns (existing cue columns are replaced) plus the cue
        columns of :func:`text_cues`, same index and order, and a ``language`` column (str:
        ISO 639-1 code, ``"und"`` when no language could be told; missing for rows without
        text). The input is not modified.

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
    evidence of anyone's feelings.

    **Languages.** English, German, Spanish, French, Portuguese, Italian and Dutch have their own
    rules (one data file per language; ``docs/languages.md``). Each sender's language in each
    conversation is decided from all their messages (weighted function-word counts); a message
    with clear evidence of another language keeps its own (mixed chats); short or emoji-only
    messages inherit the sender's. ``sentiment`` is VADER, which is English: it is NaN for the
    other six languages. Exact definitions and references:

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
    conv = group_codes(msgs["conversation_id"], n)[idx] if "conversation_id" in msgs.columns else None
    snd = group_codes(msgs["sender"], n)[idx] if "sender" in msgs.columns else None
    arrays = _cue_arrays(texts, sentiment=sentiment, language=language, conversation=conv, sender=snd)
    lang = np.full(n, None, dtype=object)
    lang[idx] = arrays.pop("language")
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
    columns["language"] = pd.array(lang, dtype="str")  # type: ignore[assignment]  # an ExtensionArray, not ndarray
    replaced = [c for c in columns if c in msgs.columns]
    if replaced:
        logger.debug("message_cues: replacing existing columns %s", replaced)
    base = msgs.drop(columns=replaced) if replaced else msgs
    return base.assign(**columns)


def list_languages() -> pd.DataFrame:
    """The languages the cues understand and which cues each one has.

    Every language has every lexical cue (its own rules: English in code, the others in one data
    file each, ``reconnect_signals/cues/lang/<code>.toml``); ``emoji`` is language-independent;
    ``sentiment`` is VADER, which is English only: NaN elsewhere. ``"und"`` (undetermined:
    no evidence for any of them, e.g. another language) is read with the English rules.

    Returns
    -------
    DataFrame
        Columns ``language`` (ISO 639-1), ``name``, ``lexical_cues`` (bool), ``sentiment``
        (bool), ``notes`` (how pronouns are counted there, what is not counted).

    Examples
    --------
    >>> from reconnect_signals.cues import list_languages
    >>> langs = list_languages()
    >>> langs["language"].tolist()
    ['en', 'de', 'es', 'fr', 'it', 'nl', 'pt']
    >>> langs.set_index("language").loc[["en", "de"], "sentiment"].tolist()
    [True, False]
    """
    lex = lexicons()
    codes = ["en", *lex]
    return pd.DataFrame(
        {
            "language": pd.Series(codes, dtype="str"),
            "name": pd.Series(["English", *(lex[c].name for c in lex)], dtype="str"),
            "lexical_cues": np.ones(len(codes), dtype=bool),
            "sentiment": np.array([c == "en" for c in codes], dtype=bool),
            "notes": pd.Series(
                ["The rules of docs/cues.md (cues/_lexical.py).", *(" ".join(lex[c].notes.split()) for c in lex)],
                dtype="str",
            ),
        }
    )


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
