"""Shortcuts of the cue table's hot path (session 8, branch rx10) that must not change a single value:
the rewrites run behind one trigger test (``_replace_chain``), the exclusions counted only where their
cue's own count is positive (``Prefilter.count_in``), and the kernels' memory pool (``_pool``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from reconnect_signals.cues import _criticism, _languages, _lexical, _pool
from reconnect_signals.cues import _tokens as T

CUES = Path(__file__).parent / "data" / "cues"

# every rewrite's trigger, on its own and together, at the start, the end and inside a text
_PIECES = [
    "I’m",
    "it‘s",
    "ʼok",
    "x´y",
    "ａ＇b",
    "see https://x.org/a?b=1",
    "HTTP://EXAMPLE.COM",
    "www.site.net/p",
    "example.com/path",
    "home.It was",
    "go.de.",
    "mail me a.b@c.com",
    "@\u2068Sam Smith\u2069 hi",
    "@sam:",
    "@",
    "1\ufe0f\u20e3 first",
    "#\u20e3.",
    "wait...",
    "so…",
    "..",
    "'a' 'b'",
    "can''t",
    "' x '",
    "rock 'n' roll'",
    "  two  spaces  ",
    "end. ",
    " ",
    "",
    "...",
    "🙂",
    "Ok!",
    "fine",
    "you are so lazy",
]


def _mixed(n: int, seed: int, rare: float) -> pa.Array:
    """``n`` texts joined from the pieces; a share ``rare`` of them holds a trigger at all."""
    rng = np.random.default_rng(seed)
    plain = [p for p in _PIECES if not any(c in p for c in "’‘ʼ´＇@/\u20e3.…'") and "www" not in p]
    out: list[str | None] = []
    for i in range(n):
        pool = _PIECES if rng.random() < rare else plain
        out.append(" ".join(rng.choice(pool, size=rng.integers(1, 4))) if i % 97 else None)
    return pa.array(out, pa.large_string())


def _normalize_reference(arr: pa.Array) -> pa.Array:
    """The normalisation as it was before the trigger test: every rewrite over every text."""
    arr = pc.utf8_lower(arr)
    for pattern, replacement in T._NORMALIZE_STEPS:
        arr = pc.replace_substring_regex(arr, pattern, replacement)
    return arr


def _stream_reference(normalized: pa.Array) -> pa.Array:
    """The token stream as it was built before (each pass over every text, the collapse before the trim)."""
    arr = pc.replace_substring_regex(normalized, T._KEYCAP, ".")
    arr = pc.replace_substring_regex(arr, r"\.\.+|\x{2026}", " ")
    arr = pc.replace_substring_regex(arr, T._BOUNDARY, " | ")
    arr = pc.replace_substring_regex(arr, T._SEPARATOR_NOT_SPACE, " ")
    arr = pc.binary_join_element_wise(T._SPACE, arr, T._SPACE, pa.scalar("", pa.large_string()))
    for pattern in (r"''+", r" '+", r"'+ ", r"  +"):
        arr = pc.replace_substring_regex(arr, pattern, " ")
    arr = pc.utf8_trim(arr, " ")
    arr = pc.replace_substring(arr, " ", "  ")
    wrapped = pc.binary_join_element_wise(T._SPACE, arr, T._SPACE, pa.scalar("", pa.large_string()))
    return pc.if_else(pc.equal(arr, ""), arr, wrapped)


@pytest.mark.parametrize("rare", [0.0, 0.05, 0.5, 1.0])
def test_rewrite_chains_equal_every_pass_over_every_text(rare: float) -> None:
    # shares of texts with a trigger below and above the quarter at which the chain runs on all texts
    arr = _mixed(3000, seed=int(rare * 100), rare=rare)
    normalized = T._normalize_arrow(arr)
    assert normalized.equals(_normalize_reference(arr))
    stream = T._stream_arrow(normalized)
    assert stream.equals(_stream_reference(normalized))
    if rare > 0:
        assert pc.any(pc.not_equal(normalized, pc.utf8_lower(arr))).as_py()  # rewrites did happen


def test_replace_chain_leaves_texts_without_the_trigger_alone() -> None:
    arr = pa.array(["a..b", "ab", None, "a…", "x"], pa.large_string())
    out = T._replace_chain(arr, r"\.\.|\x{2026}", ((r"\.\.+|\x{2026}", " "),))
    assert out.to_pylist() == ["a b", "ab", None, "a ", "x"]
    assert T._replace_chain(arr, "@", (("a", "b"),)) is arr  # no text holds "@": not rewritten


def _english_texts() -> list[str]:
    labelled = pd.read_csv(CUES / "labelled_messages.csv", keep_default_na=False, dtype="str")["text"].tolist()
    par = pd.read_csv(CUES / "lang" / "parallel_conversation.csv", keep_default_na=False, dtype="str")["en"].tolist()
    return labelled + par


#: texts a cue's raw ``text`` pattern matches (its include not) and an exclusion cancels: the
#: exclusions must be counted where include plus text is positive, not where the include alone is
TEXT_ONLY = {"it": ["spiace per il ritardo, come?", "mi dispiace per il ritardo, come?"]}


def _language_texts(code: str) -> list[str]:
    """A language's labelled rounds, its column of the parallel conversation and its ``TEXT_ONLY``."""
    par = pd.read_csv(CUES / "lang" / "parallel_conversation.csv", keep_default_na=False, dtype="str")[code].tolist()
    texts = [t for t in par if t]
    for path in sorted((CUES / "lang").glob(f"{code}_messages*.jsonl")):
        texts += pd.read_json(path, lines=True)["text"].tolist()
    return texts + TEXT_ONLY.get(code, [])


def test_exclusions_on_their_cue_texts_equal_every_text(monkeypatch: pytest.MonkeyPatch) -> None:
    base = _english_texts()
    # more than Prefilter.SMALL distinct texts, so the large-call shortcuts run
    texts = pa.array([f"{t} {k}" for k in range(12) for t in base], pa.large_string())
    assert len(texts) > T.Prefilter.SMALL
    normalized = T._normalize_arrow(texts)
    stream = T._stream_arrow(normalized)
    fast = _lexical.lexical_arrays(normalized, stream)
    # every exclusion over every text: no row is picked out
    monkeypatch.setattr(T.Prefilter, "rows_worth_picking", lambda self, mask: None)
    monkeypatch.setattr(
        _criticism, "_where_has", lambda texts, pattern, mask: np.flatnonzero(mask & T._has(texts, pattern))
    )
    slow = _lexical.lexical_arrays(normalized, stream)
    assert fast.keys() == slow.keys()
    for name in fast:
        np.testing.assert_array_equal(fast[name], slow[name], err_msg=name)
    assert fast["apology"].any() and fast["i_statement"].any() and fast["you_criticism"].any()


@pytest.mark.parametrize("code", sorted(_languages.lexicons()))
def test_language_exclusions_on_their_cue_texts_equal_every_text(code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A language's exclusions, counted only where include plus text is positive (every such set of
    texts picked: ``MAX_SHARE`` forced to 1), give the cues of every exclusion over every text."""
    lex = _languages.lexicons()[code]
    base = _language_texts(code)
    texts = pa.array([f"{t} {k}" for k in range(T.Prefilter.SMALL // len(base) + 1) for t in base], pa.large_string())
    assert len(texts) > T.Prefilter.SMALL
    normalized = T._normalize_arrow(texts)
    stream = T._stream_arrow(normalized)
    picked: list[int] = []
    found: list[int] = []
    real = T.Prefilter.count_in

    def spy(self: T.Prefilter, pattern: str, rows: np.ndarray | None) -> np.ndarray:
        picked.append(-1 if rows is None else len(rows))
        out = real(self, pattern, rows)
        found.append(int(out.sum()))
        return out

    with monkeypatch.context() as m:
        m.setattr(T.Prefilter, "MAX_SHARE", 1.0)
        m.setattr(T.Prefilter, "count_in", spy)
        fast = _languages.language_lexical_arrays(normalized, stream, lex)
    # the shortcut ran, on fewer texts than all, for every exclusion
    assert picked and all(0 <= k < len(texts) for k in picked)
    monkeypatch.setattr(T.Prefilter, "rows_worth_picking", lambda self, mask: None)
    slow = _languages.language_lexical_arrays(normalized, stream, lex)
    assert fast.keys() == slow.keys()
    for name in fast:
        np.testing.assert_array_equal(fast[name], slow[name], err_msg=f"{code} {name}")
    # some exclusion matched (the comparison above is not between cues no exclusion touched)
    assert sum(found) > 0


def test_count_in_counts_only_its_rows() -> None:
    stream = T._stream_arrow(T._normalize_arrow(pa.array(["sorry sorry", "sorry", "no"] * 1000, pa.large_string())))
    pf = T.Prefilter(stream)
    rows = pf.rows_worth_picking(np.arange(3000) % 3 == 0)
    assert rows is not None and len(rows) == 1000
    out = pf.count_in(" sorry ", rows)
    assert out[rows].tolist() == [2] * 1000 and out.sum() == 2000
    assert pf.rows_worth_picking(np.ones(3000, dtype=bool)) is None  # most texts: every text
    assert T.Prefilter(stream[:10]).rows_worth_picking(np.ones(10, dtype=bool)) is None  # a small call


def test_kernels_allocate_from_the_cue_pool_and_leave_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    default = pa.default_memory_pool()
    arr = pa.array(["Some Text"] * 100_000, pa.large_string())
    if _pool.POOL is not None:
        before = _pool.POOL.bytes_allocated()
        lowered = _pool.pc.utf8_lower(arr)
        assert _pool.POOL.bytes_allocated() > before
        assert lowered.equals(pc.utf8_lower(arr))
    assert pa.default_memory_pool().backend_name == default.backend_name  # nothing global changed
    monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", "system")
    assert _pool._choose_pool() is None  # the user's choice of pool is kept
    assert _pool.pc.MatchSubstringOptions is pc.MatchSubstringOptions  # not a kernel: as it is
