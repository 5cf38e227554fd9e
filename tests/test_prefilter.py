"""The cue engine's prefilters (``_tokens.Prefilter``) and cut alternations (``_languages._pieces``):
both are shortcuts that must not change a single count."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from reconnect_signals.cues import _criticism, _languages, _lexical, text_cues
from reconnect_signals.cues._api import shipped_stream_patterns
from reconnect_signals.cues._tokens import (
    Prefilter,
    TokenTable,
    _as_arrow,
    _count,
    _has,
    _normalize_arrow,
    _shipped_requirements,
    _stream_arrow,
    clause_bits,
    map_groups,
    map_slices,
    one_token_body,
    read_requirements,
    requirement_key,
    requirements,
    token_body_counts,
)

LANG = Path(__file__).parent / "data" / "cues" / "lang"


def _texts(code: str) -> list[str]:
    if code == "en":
        par = pd.read_csv(LANG / "parallel_conversation.csv", keep_default_na=False, dtype="str")
        extra = pd.read_csv(LANG.parent / "labelled_messages.csv", keep_default_na=False, dtype="str")["text"]
        return [*par["en"], *extra]
    out = []
    for path in sorted(LANG.glob(f"{code}_messages*.jsonl")):
        out += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out


def _stream(texts: list[str], lead: bool = False) -> pa.Array:
    stream = _stream_arrow(_normalize_arrow(_as_arrow(pd.Series(texts))))
    return pc.binary_join_element_wise(_languages._LEAD, stream, _languages._EMPTY) if lead else stream


def _english_patterns() -> list[str]:
    found = [v for k, v in vars(_lexical).items() if k.isupper() and isinstance(v, str)]
    found = [p for p in found if p.startswith((" ", "(")) and len(p) > 20]
    assert len(found) > 20
    for counted, excluded in _criticism._patterns():
        found += [counted, *excluded]
    return [*dict.fromkeys([*found, _criticism._candidates()])]


def test_requirements_of_a_phrase():
    pattern = " (?:you|u)  (?:are|r)  (?:stupid|rude) "
    clauses = requirements(pattern)
    assert clauses  # something is known
    for clause in clauses:
        # each clause is a set of alternatives of one position of the phrase
        assert clause <= {"you", "u", "are", "r", "stupid", "rude"}
    # a text holding no word of some clause cannot match; one holding the phrase holds every clause
    assert all(clause & {"you", "are", "rude"} for clause in clauses)


@pytest.mark.parametrize(
    "pattern",
    [
        "(?: (?:very|so) )? (?:sad) ",  # the optional first word is not needed, "sad" is
        "(?:^| \\| ) (?:hi|hello) ",
        " (?:ich|i) (?: [^ |]+ ){0,3} (?:denke|glaube) ",
    ],
)
def test_requirements_only_name_words_every_match_holds(pattern):
    clauses = requirements(pattern)
    assert clauses
    needed = {"sad", "hi", "hello", "ich", "i", "denke", "glaube"}
    for clause in clauses:
        assert clause <= needed


@pytest.mark.parametrize("pattern", ["(?: [^ |]+ )", " (?:so+r+y) ", "(?:a|", "[a-z]+"])
def test_requirements_unknown(pattern):
    assert requirements(pattern) == ()


def test_shipped_requirements_are_what_reading_the_patterns_gives():
    """requirements.json is a cache of ``read_requirements`` over the shipped rules: complete, exact, nothing stale."""
    table = _shipped_requirements()
    patterns = shipped_stream_patterns()
    assert len(patterns) > 150
    fix = "run python tools/build_requirements.py"
    keys = {requirement_key(p): p for p in patterns}
    assert len(keys) == len(patterns)
    missing = [p[:60] for k, p in keys.items() if k not in table]
    assert not missing, f"patterns missing from requirements.json ({fix}): {missing[:5]}"
    stale = set(table) - set(keys)
    assert not stale, f"requirements.json has {len(stale)} entries no shipped pattern has ({fix})"
    for key, pattern in keys.items():
        read = read_requirements(pattern)
        assert tuple(frozenset(c) for c in table[key]) == read, f"stale entry for {pattern[:60]!r} ({fix})"
        assert requirements(pattern) == read


def test_requirements_of_an_unshipped_pattern_are_read():
    pattern = " (?:zzyzx|qwxy)  (?:plugh) "  # in no rule file
    assert requirement_key(pattern) not in _shipped_requirements()
    # a finite pattern: one clause, the longest token of each string it matches
    assert requirements(pattern) == read_requirements(pattern) == (frozenset({"zzyzx", "plugh"}),)


def _local(codes: tuple[str, ...], *slow: str) -> list:
    """``codes`` as parameters, those in ``slow`` marked slow (the same check in every language: locally a
    few languages run it, CI all of them)."""
    return [pytest.param(c, marks=pytest.mark.slow) if c in slow else c for c in codes]


@pytest.mark.parametrize("code", _local(("en", "de", "es", "fr", "pt", "it", "nl"), "es", "fr", "pt", "it"))
def test_prefilter_counts_equal_plain_counts(code):
    """Every stream pattern of a language's rules (English: and you_criticism's), counted through the
    prefilter in batches of 150 texts, equals the plain count on the language's labelled rounds."""
    texts = _texts(code)
    if code == "en":
        patterns = _english_patterns()
        lead = False
    else:
        lex = _languages.lexicons()[code]
        patterns = [p for cue in lex.cues.values() for p in (cue.include, cue.exclude, *cue.include_pieces) if p]
        lead = True
    stream = _stream(texts, lead)
    runs = 0
    for lo in range(0, len(texts), 150):
        part = stream.slice(lo, 150)
        pf = Prefilter(part)
        for pattern in patterns:
            np.testing.assert_array_equal(pf.count(pattern), _count(part, pattern), err_msg=pattern[:200])
            np.testing.assert_array_equal(pf.has(pattern), _has(part, pattern), err_msg=pattern[:200])
            runs += len(pf.candidates(pattern) if pf.candidates(pattern) is not None else np.arange(len(part)))
    # the prefilter does spare work: far fewer (pattern, text) runs than all of them
    assert runs < 0.8 * len(patterns) * len(texts)


def test_prefilter_on_the_irc_like_english_set_and_large_batches():
    texts = _texts("en") * 20  # above Prefilter.SMALL: every text is run, counts unchanged
    stream = _stream(texts)
    pf = Prefilter(stream)
    assert pf.n > Prefilter.SMALL
    assert pf.candidates(_lexical._I_STATEMENT) is None
    np.testing.assert_array_equal(pf.count(_lexical._I_STATEMENT), _count(stream, _lexical._I_STATEMENT))


def test_clause_bits_say_which_clauses_a_text_holds():
    clauses = [frozenset({"ich", "i"}), frozenset({"denke"}), *[frozenset({f"w{k}"}) for k in range(70)]]
    texts = ["Ich denke", "i w69", "nichts", "", "w0 w63 w64 w0", "denke denke"]
    table = TokenTable(_stream(texts))
    bits = clause_bits(table, clauses)
    assert bits.shape == (len(texts), 2) and bits.dtype == np.uint64  # 72 clauses: two words of 64 bits
    for t, text in enumerate(texts):
        words = set(text.lower().split())
        for k, clause in enumerate(clauses):
            held = bool(int(bits[t, k // 64]) >> (k % 64) & 1)
            assert held == bool(words & clause), (text, sorted(clause))


@pytest.mark.parametrize("code", _local(("de", "es", "fr", "pt", "it", "nl"), "es", "fr", "pt", "it"))
def test_large_call_with_clause_bits_equals_plain_counts(code):
    """Above Prefilter.SMALL texts, a language's rules given the texts' clause bits run patterns on
    fewer texts and give every cue of every text exactly as without them (all seven languages' rounds
    and the parallel conversation, so most texts are in another language than the rules)."""
    texts = [t for c in ("en", "de", "es", "fr", "pt", "it", "nl") for t in _texts(c)]
    texts = texts + [f"{a} {b}" for a, b in zip(texts, texts[1:] + texts[:1], strict=True)]
    assert len(texts) > Prefilter.SMALL
    norm = _normalize_arrow(_as_arrow(pd.Series(texts)))
    stream = _stream_arrow(norm)
    lex = _languages.lexicons()[code]
    holding = clause_bits(TokenTable(stream), _languages.lexicon_clauses(lex))
    plain = _languages.language_lexical_arrays(norm, stream, lex)
    fast = _languages.language_lexical_arrays(norm, stream, lex, holding)
    # as message_cues calls it: the bits of every rule file's clauses, from one look-up pass
    union = _languages.lexicons_clauses(_languages.lexicons().values())
    shared = _languages.language_lexical_arrays(norm, stream, lex, clause_bits(TokenTable(stream), union), union)
    assert plain.keys() == fast.keys() == shared.keys()
    for name in plain:
        np.testing.assert_array_equal(fast[name], plain[name], err_msg=name)
        np.testing.assert_array_equal(shared[name], plain[name], err_msg=name)
    # the bits do spare work: some pattern runs on at most MAX_SHARE of the texts
    pf = Prefilter(_stream(texts, lead=True), holding=(_languages.lexicon_clauses(lex), holding))
    assert any(pf.candidates(p) is not None for p in _languages.stream_patterns(lex))


def test_cue_table_with_and_without_clause_bits_is_the_same(monkeypatch):
    """The cue table computes the clause bits above Prefilter.CLAUSE_BITS distinct texts (250k): lowered here,
    a detected call on every language's texts (each text with a neighbour's, so most are distinct) gives every
    cue of every row as the same call without them, and the bits are really computed and used."""
    import reconnect_signals as rs
    from reconnect_signals.cues import _api, message_cues

    texts = [t for c in ("en", "de", "es", "fr", "pt", "it", "nl") for t in _texts(c)]
    texts = texts + [f"{a} {b}" for a, b in zip(texts, texts[1:] + texts[:1], strict=True)]
    msgs = rs.coerce(
        pd.DataFrame(
            {
                "conversation_id": [f"c{i // 150}" for i in range(len(texts))],
                "sender": ["a", "b"] * (len(texts) // 2) + ["a"] * (len(texts) % 2),
                "text": texts,
                "kind": "text",
                "timestamp": pd.date_range("2025-01-01", periods=len(texts), freq="min"),
            }
        ),
        tz="UTC",
    )
    plain = message_cues(msgs, sentiment=False)
    assert len(set(texts)) > Prefilter.SMALL
    seen = []
    real = _api.lexicons_clauses
    monkeypatch.setattr(_api, "lexicons_clauses", lambda lexes: seen.append(1) or real(lexes))
    monkeypatch.setattr(Prefilter, "CLAUSE_BITS", Prefilter.SMALL)
    with_bits = message_cues(msgs, sentiment=False)
    assert seen  # the bits were computed
    pd.testing.assert_frame_equal(with_bits, plain)


def test_one_token_bodies():
    """A body whose matches can hold a space, ``|`` or nothing is never counted from the token table."""
    for body in ("ich|mich|mir", "ja(?:ja)+", "[a-z]+", "k+|q[0-9]{1,3}", r"z\.b\.", r"\w+"):
        assert one_token_body(body), body
    for body in (
        "a b",
        "a|b c",
        "x?",
        "x*",
        "[^x]+",
        "a.b",
        "[ a]",
        "[!-~]",
        r"\S+",
        r"\W",
        "(?i)ich",
        "^ich",
        r"ich\b",
    ):
        assert not one_token_body(body), body


def test_word_list_cues_from_the_token_table_equal_their_patterns():
    """Every word-list cue of every language file (``include_token``), counted in the token table,
    gives the include alternation's count on every text of the seven languages; and a language's
    rules given those counts (and the word counts) give every cue as without them."""
    texts = [t for c in ("en", "de", "es", "fr", "pt", "it", "nl") for t in _texts(c)]
    texts = [*texts, "", " | ", "ich ich ich", "nous nous-mêmes", "'k ben 'k"]
    norm = _normalize_arrow(_as_arrow(pd.Series(texts)))
    stream = _stream_arrow(norm)
    led = pc.binary_join_element_wise(_languages._LEAD, stream, _languages._EMPTY)
    table = TokenTable(stream)
    slots = _languages.token_cues(_languages.lexicons().values())
    assert {code for code, _, _ in slots} == set(_languages.lexicons())  # every language has word lists
    counted = token_body_counts(table, [body for _, _, body in slots])
    for k, (code, name, _) in enumerate(slots):
        include = _languages.lexicons()[code].cues[name].include
        np.testing.assert_array_equal(counted[:, k], _count(led, include), err_msg=f"{code} {name}")
    for code, lex in _languages.lexicons().items():
        own = {name: counted[:, k] for k, (c, name, _) in enumerate(slots) if c == code}
        plain = _languages.language_lexical_arrays(norm, stream, lex)
        fast = _languages.language_lexical_arrays(norm, stream, lex, words=table.words(), token_counts=own)
        for name in plain:
            np.testing.assert_array_equal(fast[name], plain[name], err_msg=f"{code} {name}")


def test_map_groups_equals_each_call_alone():
    """Several calls in one pool (cut by their share of the bytes) give each call's own result."""
    texts = pa.array([f"text {k} " * (k % 7 + 1) for k in range(50_000)], pa.large_string())
    calls = [
        (lambda a: pc.binary_length(a).to_numpy(), [texts.slice(0, 40_000)]),
        (lambda a, b: pc.binary_length(a).to_numpy() + b, [texts.slice(40_000), np.arange(10_000)]),
        (lambda a: pc.binary_length(a).to_numpy(), [texts.slice(0, 0)]),
    ]
    for workers in (1, 2, 3):
        got = map_groups(calls, workers=workers)
        for (fn, arrays), part in zip(calls, got, strict=True):
            np.testing.assert_array_equal(part, fn(*arrays))
            np.testing.assert_array_equal(part, map_slices(fn, *arrays, workers=workers))


@pytest.mark.parametrize(
    "code", [c for c, lex in _languages.lexicons().items() if any(p.include_pieces for p in lex.cues.values())]
)
def test_cut_alternation_counts_equal_the_whole(code):
    """Counted in pieces, an include alternation gives the whole's count per text (count cues), and
    the whole's flag where the cue is a flag, on the labelled rounds and on texts built to match
    several pieces at once (each text twice over, joined)."""
    texts = _texts(code)
    texts = texts + [f"{a} {b}" for a, b in zip(texts, texts[1:] + texts[:1], strict=True)]
    texts = texts * (Prefilter.SMALL // len(texts) + 1)  # pieces are used above Prefilter.SMALL texts
    stream = _stream(texts, lead=True)
    pf = Prefilter(stream)
    for name, pats in _languages.lexicons()[code].cues.items():
        if not pats.include_pieces:
            continue
        whole = _count(stream, pats.include)
        total, several = _languages._pieces(pf, pats)
        assert several is not None and len(several)  # texts where the pieces disagree with the whole
        # positive exactly where the whole is, and the whole's count once the several are counted again
        np.testing.assert_array_equal(total > 0, whole > 0, err_msg=name)
        total[several] = _count(stream, pats.include)[several]
        np.testing.assert_array_equal(total, whole, err_msg=name)
        bare = dataclasses.replace(pats, text=None, exclude=None, text_exclude=None)
        np.testing.assert_array_equal(_languages._value(pa.array(texts), pf, bare, flag=False), whole, err_msg=name)
        np.testing.assert_array_equal(_languages._value(pa.array(texts), pf, bare, flag=True) > 0, whole > 0)


def test_patterns_no_text_can_match_are_not_compiled(monkeypatch):
    """A call on texts without an addressee or a negative word never runs (so never compiles)
    you_criticism's large alternations: the fixed cost of a small call."""
    seen: list[str] = []
    real = pc.count_substring_regex

    def spy(strings, pattern, *args, **kwargs):
        seen.append(pattern)
        return real(strings, pattern, *args, **kwargs)

    monkeypatch.setattr(pc, "count_substring_regex", spy)
    out = text_cues(pd.Series(["ok see you then", "the weather is nice"]), sentiment=False, language="en")
    kinds = [counted for counted, _ in _criticism._patterns()]
    ran = [p for p in seen if p in kinds]
    assert len(ran) < len(kinds) // 2
    assert not out["you_criticism"].any()
