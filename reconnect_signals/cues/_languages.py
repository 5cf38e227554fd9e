"""Cue lexicons for languages other than English, read from one data file per language.

Each file ``reconnect_signals/cues/lang/<code>.toml`` holds word lists and, per cue, phrases in
a small pattern language compiled to RE2 over the token stream of :mod:`._tokens` (the English
rules stay in :mod:`._lexical`). ``docs/languages.md`` documents the format; in short, a phrase
is a space-separated sequence of elements:

- ``word`` or ``a|b|c``: one token, literally (case is already folded);
- ``@name``: one token from the word list ``name`` (``[lists]``; an entry starting with ``~`` is a
  raw RE2 token body, an entry starting with ``@`` includes another list);
- ``~body``: one token matching the RE2 ``body`` (e.g. ``~ja(?:ja)+``);
- a ``?`` suffix makes an element optional, ``{m,n}`` repeats it (``@filler{0,2}``);
- ``^``: the start of a sentence; ``$``: the end of the message; ``*N``: up to N arbitrary words
  of the same sentence.

A cue's value is the number of non-overlapping matches of its ``include`` phrases (plus its
``text`` patterns, raw RE2 on the normalised text) minus the matches of its ``exclude`` phrases
(and ``text_exclude``): a count cue is that difference (at least 0), a flag cue is true when it
is positive — the same arithmetic as the English rules. A flag cue is also true when one of its
``any`` patterns (raw RE2 on the normalised text, e.g. ``[?¿]`` for questions) matches, whatever
the exclusions.

``\\p{L}`` in a file means a letter of the Latin, Greek or Cyrillic scripts (:data:`LETTER`): RE2
builds the full Unicode letter class into an automaton of thousands of states at every use (about
0.7 ms each, compiled again at every call), which made compiling a language's rules cost more
than running them on a few thousand messages.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

import numpy as np
import pyarrow as pa

from ._pool import pc
from ._tokens import Prefilter, _count, count_stream_words, one_token_body, requirements

__all__: list[str] = []  # private; the public names live in reconnect_signals.cues

#: The per-message cues a language file defines, and whether each is a count or a flag.
LANGUAGE_CUES: dict[str, str] = {
    "i_words": "count",
    "we_words": "count",
    "you_words": "count",
    "i_statement": "flag",
    "you_criticism": "flag",
    "question": "flag",
    "apology": "flag",
    "laughter": "flag",
    "absolutist": "count",
    "gratitude": "flag",
    "future_we": "flag",
    "affection": "flag",
}
# language-independent parts: laughing emoji and heart/kiss emoji (as in the English rules)
_LAUGH_EMOJI = "[\U0001f602\U0001f923]"
_AFFECTION_EMOJI = (
    "[\u2764\u2665\U0001f495\U0001f496\U0001f497\U0001f493\U0001f49e\U0001f498\U0001f49d"
    "\U0001f499\U0001f49a\U0001f49b\U0001f49c\U0001f9e1\U0001f90d\U0001f90e\U0001f618\U0001f60d"
    "\U0001f970\U0001f63b\U0001f48b\U0001faf6\U0001f48f\U0001f491]"
)
# The language patterns run on the stream with a leading " | ", so a sentence start is always a
# literal boundary: pyarrow counts matches by searching again from the end of the previous one,
# where "^" would match anew.
_START = r" \| "
_END = r"(?: \| )*\z"
_LEAD = pa.scalar(" | ", pa.large_string())
_EMPTY = pa.scalar("", pa.large_string())
#: What ``\p{L}`` stands for in the language files: letters of the Latin, Greek and Cyrillic scripts.
LETTER = r"a-zA-Z\x{AA}\x{B5}\x{BA}\x{C0}-\x{D6}\x{D8}-\x{F6}\x{F8}-\x{2FF}\x{370}-\x{52F}\x{1E00}-\x{1FFF}"
_ELEMENT = re.compile(r"^(?P<body>.+?)(?P<quant>\?|\{\d+,\d+\})?$")


class LexiconError(ValueError):
    """A language data file is malformed (unknown list, cue or element)."""


@dataclass(frozen=True)
class CuePatterns:
    """The compiled RE2 patterns of one cue in one language (``None``: no pattern)."""

    include: str | None
    exclude: str | None
    text: str | None
    text_exclude: str | None
    any: str | None = None
    #: ``include`` cut into alternations RE2 runs as a fast automaton (``_pieces``; empty: not cut)
    include_pieces: tuple[str, ...] = ()
    #: when every ``include`` phrase is one token (a word list): the RE2 body of that token, whose
    #: count is a look-up in the token table (``_tokens.one_token_body``; ``None``: not such a list)
    include_token: str | None = None


@dataclass(frozen=True)
class Lexicon:
    """One language's cue lexicon: metadata, word lists and compiled cue patterns."""

    code: str
    name: str
    cues: dict[str, CuePatterns]
    lists: dict[str, tuple[str, ...]]
    function_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    detect: tuple[str, ...] = ()
    spelling: tuple[str, ...] = ()
    sentiment: str | None = None
    notes: str = ""
    sources: tuple[str, ...] = ()


def letters(pattern: str) -> str:
    """``pattern`` with ``\\p{L}`` (alone, in ``[...]`` or in ``[^...]``) as the :data:`LETTER` ranges."""
    pattern = pattern.replace("[^\\p{L}]", f"[^{LETTER}]").replace("[\\p{L}]", f"[{LETTER}]")
    return pattern.replace("\\p{L}", f"[{LETTER}]")


#: Characters no word of a chat lexicon contains but every regular expression does: a word entry holding one
#: is a raw body written without its "~" (it would be matched as that literal text, i.e. never).
_REGEX_IN_WORD = re.compile(r"[\\\[\](){}]")


def _token_body(entries: list[str]) -> str:
    for e in entries:
        if not e.startswith("~") and _REGEX_IN_WORD.search(e):
            raise LexiconError(f"word {e!r} looks like a regular expression: start a raw RE2 token body with '~'")
    raw = [e[1:] for e in entries if e.startswith("~")]
    words = sorted({e for e in entries if not e.startswith("~")}, key=lambda w: (-len(w), w))
    return "|".join([*(re.escape(w) for w in words), *raw])


def _expand(name: str, lists: dict[str, list[str]], seen: tuple[str, ...] = ()) -> list[str]:
    if name not in lists:
        raise LexiconError(f"unknown word list @{name}")
    if name in seen:
        raise LexiconError(f"word list @{name} includes itself")
    out: list[str] = []
    for entry in lists[name]:
        if entry.startswith("@"):
            out.extend(_expand(entry[1:], lists, (*seen, name)))
        else:
            out.append(entry if entry.startswith("~") else entry.lower())
    return out


def _element(spec: str, lists: dict[str, list[str]]) -> str:
    if spec == "^":
        return _START
    if spec == "$":
        return _END
    if re.fullmatch(r"\*\d+", spec):
        return f"(?: [^ |]+ ){{0,{int(spec[1:])}}}"
    m = _ELEMENT.match(spec)
    if m is None:  # pragma: no cover - the pattern matches any non-empty string
        raise LexiconError(f"cannot read element {spec!r}")
    return f"(?: (?:{_token(m.group('body'), lists)}) ){m.group('quant') or ''}"


def _token(body: str, lists: dict[str, list[str]]) -> str:
    """The RE2 body of one token element (without its quantifier)."""
    if body.startswith("~"):  # a raw RE2 token body may itself contain "|"
        return body[1:]
    entries: list[str] = []
    for part in body.split("|"):
        literal = part if part.startswith("~") else part.lower()
        entries.extend(_expand(part[1:], lists) if part.startswith("@") else [literal])
    return _token_body(entries)


def _one_token(phrases: list[str], lists: dict[str, list[str]]) -> str | None:
    """The token body of the phrases' alternation when each phrase is one token element, else None.

    `` (?:a) |(?: b) `` counts one match per token whose whole text ``a|b`` matches, provided no match
    can hold a space or ``|`` (``one_token_body``): such an include is counted from the token table.
    """
    bodies = []
    for phrase in phrases:
        parts = phrase.split()
        if len(parts) != 1 or parts[0] in ("^", "$") or re.fullmatch(r"\*\d+", parts[0]):
            return None
        m = _ELEMENT.match(parts[0])
        if m is None or m.group("quant"):
            return None
        bodies.append(_token(m.group("body"), lists))
    body = letters("|".join(f"(?:{b})" for b in bodies)) if bodies else None
    return body if body is not None and one_token_body(body) else None


def compile_phrase(phrase: str, lists: dict[str, list[str]]) -> str:
    """One phrase of the pattern language as an RE2 pattern over the token stream."""
    return _Compiler(lists).phrase(phrase)


#: An include alternation longer than this (characters of RE2) is also cut into pieces of at most
#: :data:`PIECE_CHARS`. RE2 gives each program a memory budget; the four largest ``i_statement``
#: alternations (German, Spanish, French, Dutch: 19,000-30,000 characters, with word gaps) outgrow
#: its automaton and run 10-15 times slower per text than pieces of up to ~7,000 characters
#: (measured on 43,000 distinct texts per language; the Italian and Portuguese ones, 14,000-16,000
#: characters, still run fast whole). The pieces change no count: see ``_pieces``.
SPLIT_CHARS = 18_000
PIECE_CHARS = 7_000


class _Compiler:
    """Compiles one language file's phrases, each element and phrase once (a file repeats its word lists
    in hundreds of phrases, and the pieces of a cut alternation reuse the whole's phrases)."""

    def __init__(self, lists: dict[str, list[str]]) -> None:
        self.lists = lists
        self._elements: dict[str, str] = {}
        self._phrases: dict[str, str] = {}

    def phrase(self, phrase: str) -> str:
        """``phrase`` as RE2, ``\\p{L}`` not yet expanded (:func:`letters` of an alternation is the alternation
        of its phrases' :func:`letters`: no expansion spans two phrases)."""
        got = self._phrases.get(phrase)
        if got is None:
            parts = phrase.split()
            if not parts:
                raise LexiconError("empty phrase")
            elements = []
            for spec in parts:
                element = self._elements.get(spec)
                if element is None:
                    element = self._elements[spec] = _element(spec, self.lists)
                elements.append(element)
            got = self._phrases[phrase] = "".join(elements)
        return got

    def alternation(self, phrases: list[str]) -> str | None:
        if not phrases:
            return None
        return letters("(?:" + "|".join(self.phrase(p) for p in phrases) + ")")

    def pieces(self, phrases: list[str]) -> tuple[str, ...]:
        """The phrases' alternation cut into consecutive groups of at most PIECE_CHARS (when over SPLIT_CHARS)."""
        whole = self.alternation(phrases)
        if whole is None or len(whole) <= SPLIT_CHARS:
            return ()
        # pyarrow counts by searching again where the last match ended: an anchor or word boundary could
        # match anew there for one piece and not for the whole (or the other way), so such a pattern stays whole
        if re.search(r"\^|\\[bBA]", whole.replace("[^", "")):
            return ()
        # a group's alternation "(?:a|b|...)" is 3 + its phrases' lengths + one "|" between each two + 1
        groups: list[list[str]] = []
        size = 0
        for phrase in phrases:
            n = len(letters(self.phrase(phrase)))
            if groups and size + n + len(groups[-1]) + 4 <= PIECE_CHARS:
                groups[-1].append(phrase)
                size += n
            else:
                groups.append([phrase])
                size = n
        return tuple(p for p in (self.alternation(group) for group in groups) if p is not None)


def _raw(patterns: list[str]) -> str | None:
    return letters("(?:" + "|".join(patterns) + ")") if patterns else None


def parse_lexicon(data: dict) -> Lexicon:
    """Build a :class:`Lexicon` from a parsed language file (raises :class:`LexiconError`)."""
    for key in ("code", "name", "lists", "cues"):
        if key not in data:
            raise LexiconError(f"language file lacks {key!r}")
    lists = {k: [str(w) for w in v] for k, v in data["lists"].items()}
    compiler = _Compiler(lists)
    cues: dict[str, CuePatterns] = {}
    for name, spec in data["cues"].items():
        if name not in LANGUAGE_CUES:
            raise LexiconError(f"unknown cue {name!r} (known: {', '.join(LANGUAGE_CUES)})")
        unknown = set(spec) - {"include", "exclude", "text", "text_exclude", "any"}
        if unknown:
            raise LexiconError(f"cue {name!r}: unknown keys {sorted(unknown)}")
        cues[name] = CuePatterns(
            include=compiler.alternation(list(spec.get("include", []))),
            exclude=compiler.alternation(list(spec.get("exclude", []))),
            text=_raw(list(spec.get("text", []))),
            text_exclude=_raw(list(spec.get("text_exclude", []))),
            any=_raw(list(spec.get("any", []))),
            include_pieces=compiler.pieces(list(spec.get("include", []))),
            include_token=_one_token(list(spec.get("include", [])), lists),
        )
    function_words = {k: tuple(_expand(k, lists)) for k in lists if k.startswith("lsm_")}
    detect = tuple(_expand("detect", lists)) if "detect" in lists else ()
    return Lexicon(
        code=str(data["code"]),
        name=str(data["name"]),
        cues=cues,
        lists={k: tuple(_expand(k, lists)) for k in lists},
        function_words=function_words,
        detect=detect,
        spelling=tuple(letters(str(p)) for p in data.get("spelling", ())),
        sentiment=data.get("sentiment"),
        notes=str(data.get("notes", "")),
        sources=tuple(data.get("sources", ())),
    )


@cache
def lexicons() -> dict[str, Lexicon]:
    """Every bundled language lexicon, by ISO 639-1 code (read once)."""
    out: dict[str, Lexicon] = {}
    folder = resources.files("reconnect_signals.cues") / "lang"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            lex = parse_lexicon(tomllib.loads(entry.read_text(encoding="utf-8")))
            out[lex.code] = lex
    return out


def _pieces(stream: Prefilter, pats: CuePatterns) -> tuple[np.ndarray, np.ndarray | None]:
    """Matches of ``pats.include`` per text and the texts where that count is not yet exact.

    With pieces (``include_pieces``), each piece is counted: where at most one piece matches, the
    whole alternation's matches are that piece's (the other alternatives match nowhere in the text,
    so the whole finds exactly the same matches). Where several do, the sum of the pieces is not
    the whole's count, but it is positive exactly where the whole's is (a piece's match is a match
    of the whole): those texts are returned for :func:`_value` to count the whole again. Without
    pieces (or for a few texts) the count is exact (None).
    """
    if not pats.include_pieces or stream.n <= Prefilter.SMALL:
        # a few texts: compiling the pieces (and the whole where several match) costs more than it saves
        exact = stream.count(pats.include) if pats.include is not None else np.zeros(stream.n, dtype=np.int64)
        return exact, None
    counts = [stream.count(piece) for piece in pats.include_pieces]
    return np.sum(counts, axis=0), np.flatnonzero(np.sum([c > 0 for c in counts], axis=0) > 1)


def _count_rows(normalized: pa.Array, pattern: str, rows: np.ndarray | None) -> np.ndarray:
    """``_count(normalized, pattern)`` at ``rows`` (all texts when None), 0 at every other text."""
    if rows is None:
        return _count(normalized, pattern)
    out = np.zeros(len(normalized), dtype=np.int64)
    if len(rows):
        out[rows] = _count(pc.take(normalized, pa.array(rows, pa.int64())), pattern)
    return out


def _value(
    normalized: pa.Array, stream: Prefilter, pats: CuePatterns, flag: bool, included: np.ndarray | None = None
) -> np.ndarray:
    """Include plus text minus the exclusions (``included``: the include's counts when already known).

    The cue is ``max(value, 0)`` (count) or ``value > 0`` (flag), every count >= 0: where include
    plus text is 0 it is 0 / False whatever the exclusions hold, so a large call counts ``exclude``
    and ``text_exclude`` only on the texts where include plus text is positive
    (:meth:`Prefilter.rows_worth_picking`); the value is exact on those texts, and at most 0
    (its cue 0 / False) on the others. The include's positivity is known before the exclusions
    (:func:`_pieces`); where several pieces match, the whole is counted again after them, a flag
    cue skipping the texts where one match already decides it (``1 + rest > 0``).
    """
    rest = np.zeros(stream.n, dtype=np.int64)
    if pats.text is not None:
        rest += _count(normalized, pats.text)
    several = None
    if included is not None:
        include = included
    else:
        include, several = _pieces(stream, pats)
    rows = None
    if pats.exclude is not None or pats.text_exclude is not None:
        rows = stream.rows_worth_picking(include + rest > 0)
    if pats.exclude is not None:
        rest -= stream.count_in(pats.exclude, rows)
    if pats.text_exclude is not None:
        rest -= _count_rows(normalized, pats.text_exclude, rows)
    if several is not None:
        if flag:
            several = several[1 + rest[several] <= 0]
        if len(several):
            assert pats.include is not None
            include = include.copy()
            include[several] = stream.count_at(pats.include, several)
    return include + rest


def stream_patterns(lex: Lexicon) -> tuple[str, ...]:
    """Every pattern of ``lex`` that runs on the token stream (includes, their pieces, excludes)."""
    found = [
        p for pats in lex.cues.values() for p in (pats.include, *pats.include_pieces, pats.exclude) if p is not None
    ]
    return tuple(dict.fromkeys(found))


@lru_cache(maxsize=64)
def _clauses_of(patterns: tuple[str, ...]) -> tuple[frozenset[str], ...]:
    return tuple(dict.fromkeys(c for p in patterns for c in requirements(p)))


def lexicon_clauses(lex: Lexicon) -> tuple[frozenset[str], ...]:
    """The word clauses (``requirements``) of all of ``lex``'s stream patterns, each once."""
    return _clauses_of(stream_patterns(lex))


def token_cues(lexes: Iterable[Lexicon]) -> tuple[tuple[str, str, str], ...]:
    """``(code, cue, include_token)`` of every cue of ``lexes`` whose include is one token (a word list)."""
    return tuple(
        (lex.code, name, pats.include_token)
        for lex in lexes
        for name, pats in lex.cues.items()
        if pats.include_token is not None
    )


def lexicons_clauses(lexes: Iterable[Lexicon]) -> tuple[frozenset[str], ...]:
    """The union of :func:`lexicon_clauses` of several lexicons (one look-up pass serves them all)."""
    return _clauses_of(tuple(p for lex in lexes for p in stream_patterns(lex)))


def language_lexical_arrays(
    normalized: pa.Array,
    stream: pa.Array,
    lex: Lexicon,
    holding: np.ndarray | None = None,
    clauses: tuple[frozenset[str], ...] | None = None,
    words: np.ndarray | None = None,
    token_counts: dict[str, np.ndarray] | None = None,
) -> dict[str, np.ndarray]:
    """Every lexical cue of one language for all texts at once (as ``lexical_arrays``).

    ``holding``: the texts' ``clause_bits`` of ``clauses`` (default: :func:`lexicon_clauses`), when
    already computed (results are the same without it; a large call is faster with it). ``words``:
    the texts' word counts (``TokenTable.words``) and ``token_counts``: per cue with an
    ``include_token``, its include's counts (``token_body_counts``), when already computed.
    """
    n = len(stream)
    out: dict[str, np.ndarray] = {"words": count_stream_words(stream) if words is None else words}
    token_counts = token_counts or {}
    # each phrase alternation runs only on the texts that hold the words it needs (``Prefilter``)
    led = Prefilter(
        pc.binary_join_element_wise(_LEAD, stream, _EMPTY),
        holding=(clauses if clauses is not None else lexicon_clauses(lex), holding) if holding is not None else None,
    )
    for name, kind in LANGUAGE_CUES.items():
        pats = lex.cues.get(name)
        if pats is None:
            value = np.zeros(n, dtype=np.int64)
        else:
            value = _value(normalized, led, pats, kind == "flag", token_counts.get(name))
        out[name] = np.maximum(value, 0) if kind == "count" else value > 0
        if pats is not None and pats.any is not None and kind == "flag":
            out[name] = out[name] | (_count(normalized, pats.any) > 0)
    out["laughter"] = out["laughter"] | (_count(normalized, _LAUGH_EMOJI) > 0)
    out["affection"] = out["affection"] | (_count(normalized, _AFFECTION_EMOJI) > 0)
    return out
