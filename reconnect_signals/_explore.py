"""Exploring a chat the way peers' users expect: top terms, who replies to whom, media by type.

These are descriptive counts, not cues: they say what was written and by whom, not how
anyone feels. Every function takes a message frame and returns a plain DataFrame.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .schema import validate

__all__ = ["top_terms", "reply_matrix", "media_counts", "TERM_KINDS"]

logger = logging.getLogger(__name__)

#: What :func:`top_terms` can count.
TERM_KINDS: tuple[str, ...] = ("words", "emoji", "links", "mentions")

# URLs as the cues see them (scheme or www), RE2 syntax, linear time
_URL = r"(?:https?://|www\.)[^ \t\n\r\f\v<>\"]+"
# @mentions: WhatsApp wraps names in isolates (@\u2068Name Surname\u2069); elsewhere @name
_MENTION_CHAR = r"[^ \t\n\r\f\v.,!?;:()\[\]{}<>'\"/@\x{2068}\x{2069}]"
_MENTION = rf"@\x{{2068}}[^\x{{2069}}\n]{{1,100}}\x{{2069}}|@{_MENTION_CHAR}{{1,100}}"
_TRAILING = ".,!?;:)]}'\""


def _person_text_rows(msgs: pd.DataFrame) -> pd.DataFrame:
    keep = msgs["sender"].notna() & msgs["kind"].astype("str").eq("text").fillna(False) & msgs["text"].notna()
    return msgs.loc[keep.to_numpy(), ["sender", "text"]]


@functools.lru_cache(maxsize=8)
def _stop_words(language: str) -> frozenset[str]:
    try:
        from stop_words import get_stop_words
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise ImportError("top_terms needs the 'stop-words' package: pip install stop-words") from exc
    try:
        words = get_stop_words(language)
    except Exception as exc:  # the package raises its own StopWordError for unknown languages
        from stop_words import AVAILABLE_LANGUAGES

        raise ValueError(
            f"stop_words={language!r} is not a language of the stop-words list; use one of "
            f"{sorted(AVAILABLE_LANGUAGES)}, a list of words, or None"
        ) from exc
    # the list spells contractions with ASCII apostrophes, as the normalised text does
    return frozenset(w.lower() for w in words)


def _matches(texts: pa.Array, pattern: str) -> tuple[np.ndarray, list[str]]:
    """(index of the text, match) for every non-overlapping match of an RE2 ``pattern``."""
    has = pc.match_substring_regex(texts, pattern).fill_null(False).to_numpy(zero_copy_only=False)
    idx = np.flatnonzero(has)
    if not len(idx):
        return idx, []
    subset = pc.take(texts, pa.array(idx))
    # mark every match with \x00 on both sides, then split: odd pieces are the matches
    marked = pc.replace_substring_regex(subset, f"({pattern})", "\x00\\1\x00")
    pieces = pc.split_pattern(marked, "\x00")
    flat = pc.list_flatten(pieces).to_numpy(zero_copy_only=False)
    parents = pc.list_parent_indices(pieces).to_numpy(zero_copy_only=False)
    position = np.arange(len(flat)) - np.searchsorted(parents, parents)  # position within its text
    odd = position % 2 == 1
    return idx[parents[odd]], list(flat[odd])


def _words(texts: pa.Array) -> tuple[np.ndarray, list[str]]:
    from .cues._tokens import _normalize_arrow, _stream_arrow

    stream = _stream_arrow(_normalize_arrow(texts))
    words = pc.utf8_trim(pc.replace_substring_regex(stream, r"[ |]+", " "), " ")
    lists = pc.split_pattern(words, " ")
    flat = pc.list_flatten(lists).to_numpy(zero_copy_only=False)
    parents = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False)
    keep = flat != ""
    return parents[keep], list(flat[keep])


@functools.lru_cache(maxsize=65_536)
def _emoji_of_run(run: str) -> tuple[str, ...]:
    import emoji as emoji_pkg

    from .cues._emoji import _TEXT_STYLE

    return tuple(
        t.chars for t in emoji_pkg.analyze(run, non_emoji=False, join_emoji=True) if t.chars not in _TEXT_STYLE
    )


def _emoji(texts: pa.Array) -> tuple[np.ndarray, list[str]]:
    from .cues._emoji import EMOJI_CHARS
    from .cues._tokens import _cap

    idx, runs = _matches(_cap(texts), f"[{EMOJI_CHARS}]+")
    if not len(idx):
        return idx, []
    codes, uniques = pd.factorize(pd.Series(runs, dtype=object))
    per_run = [_emoji_of_run(r) for r in uniques]
    lengths = np.array([len(p) for p in per_run], dtype=np.int64)[codes]
    flat_per_unique = np.array([e for p in per_run for e in p], dtype=object)
    starts = np.concatenate([[0], np.cumsum([len(p) for p in per_run])])[codes]
    take = np.repeat(starts, lengths) + (np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths))
    return np.repeat(idx, lengths), list(flat_per_unique[take]) if len(take) else []


def _links(texts: pa.Array) -> tuple[np.ndarray, list[str]]:
    from .cues._tokens import _cap

    idx, found = _matches(_cap(texts), _URL)
    return idx, [f.rstrip(_TRAILING) for f in found]


def _mentions(texts: pa.Array) -> tuple[np.ndarray, list[str]]:
    from .cues._tokens import _cap

    idx, found = _matches(_cap(texts), _MENTION)
    return idx, [f.replace("\u2068", "").replace("\u2069", "").rstrip(_TRAILING) for f in found]


_EXTRACT = {"words": _words, "emoji": _emoji, "links": _links, "mentions": _mentions}


def top_terms(
    msgs: pd.DataFrame,
    *,
    kind: str = "words",
    by: str | None = "sender",
    n: int = 10,
    stop_words: str | Iterable[str] | None = "english",
    min_length: int = 2,
) -> pd.DataFrame:
    """The most frequent words, emoji, links or @mentions, per person (or for the whole chat).

    Only text messages count. Words are the words the cues see (lower-cased, web and e-mail
    addresses and @mentions removed, contractions kept whole); stop words ("the", "and",
    "i'm", ...) come from the maintained `stop-words` list for the language (offline, no
    download), or from your own list. Emoji are counted as people see them (a thumbs-up with
    a skin tone is one emoji). Links are whole addresses as written; mentions keep the name
    after the ``@``.

    Parameters
    ----------
    msgs : DataFrame
        A message frame.
    kind : {"words", "emoji", "links", "mentions"}, default "words"
    by : "sender" or None, default "sender"
        One top list per person, or one for the whole chat (None).
    n : int, default 10
        How many terms per person (ties are broken alphabetically).
    stop_words : str, iterable of str or None, default "english"
        Words to leave out (only for ``kind="words"``): a language of the `stop-words`
        package ("english", "german", ...), your own words, or None to keep every word.
    min_length : int, default 2
        Shorter words are left out (only for ``kind="words"``).

    Returns
    -------
    DataFrame
        Columns ``sender`` (when ``by="sender"``), ``rank`` (1 = most frequent), ``term``,
        ``count`` (occurrences) and ``messages`` (messages that contain the term), sorted
        by sender and rank.

    Examples
    --------
    >>> import reconnect_signals as rs
    >>> top = rs.top_terms(rs.load_example(), n=3)
    >>> top.columns.tolist()
    ['sender', 'rank', 'term', 'count', 'messages']
    >>> sorted(top["sender"].unique().tolist()), top.groupby("sender").size().tolist()
    (['Alex', 'Sam'], [3, 3])
    >>> rs.top_terms(rs.load_example(), kind="emoji", by=None, n=1)["count"].iloc[0] > 0
    np.True_
    """
    validate(msgs)
    if kind not in _EXTRACT:
        raise ValueError(f"kind={kind!r} is not one of {list(TERM_KINDS)}")
    if by not in ("sender", None):
        raise ValueError(f"by={by!r}: use by='sender' (one list per person) or by=None (the whole chat)")
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive whole number, got {n!r}")
    rows = _person_text_rows(msgs)
    from .cues._tokens import _as_arrow

    idx, terms = _EXTRACT[kind](_as_arrow(rows["text"].reset_index(drop=True)))
    found = pd.DataFrame({"row": idx, "term": pd.Series(terms, dtype="str")})
    if kind == "words":
        stop: frozenset[str] = frozenset()
        if isinstance(stop_words, str):
            stop = _stop_words(stop_words)
        elif stop_words is not None:
            stop = frozenset(str(w).lower() for w in stop_words)
        keep = ~found["term"].isin(stop) & found["term"].str.len().ge(min_length)
        keep &= ~found["term"].str.fullmatch(r"[0-9]+")  # numbers are not words people choose
        found = found.loc[keep.to_numpy()]
    keys = ["sender"] if by == "sender" else []
    found = found.assign(sender=rows["sender"].to_numpy()[found["row"].to_numpy()]) if keys else found
    columns = [*keys, "rank", "term", "count", "messages"]
    if found.empty:
        return pd.DataFrame(
            {c: pd.Series(dtype="int64" if c in ("rank", "count", "messages") else "str") for c in columns}
        )
    counts = (
        found.groupby([*keys, "term"], sort=False)
        .agg(count=("row", "size"), messages=("row", "nunique"))
        .reset_index()
        .sort_values([*keys, "count", "term"], ascending=[*([True] * len(keys)), False, True], kind="stable")
    )
    counts["rank"] = counts.groupby(keys).cumcount() + 1 if keys else np.arange(1, len(counts) + 1)
    out = counts.loc[counts["rank"].le(n).to_numpy(), columns].reset_index(drop=True)
    return out.astype({"rank": "int64", "count": "int64", "messages": "int64"})


def reply_matrix(msgs: pd.DataFrame, *, gap: str = "6h", normalize: bool = False) -> pd.DataFrame:
    """Who replies to whom: replies counted from each person (rows) to each person (columns).

    A reply is the first message of a turn that answers another person within a session
    (``is_reply`` of ``rs.add_structure``); it is counted as a reply to the person who wrote
    the message just before it. In a group this is the simplest reading of "who answers
    whom" (platform reply links are not used, because most exports do not keep them).

    Parameters
    ----------
    msgs : DataFrame
        A message frame (several conversations are counted together, but replies never
        cross conversations).
    gap : str, default "6h"
        Session gap: a message after a longer silence opens a session and is not a reply.
    normalize : bool, default False
        Each row as a share (0-1) of that person's replies instead of counts.

    Returns
    -------
    DataFrame
        Index ``replier``, columns ``replied_to``, one row and column per person (sorted by
        replies given, then name); the diagonal is 0 (a reply goes to someone else).

    Examples
    --------
    >>> import reconnect_signals as rs
    >>> m = rs.reply_matrix(rs.load_example())
    >>> m.index.name, m.columns.name, m.loc["Alex", "Alex"]
    ('replier', 'replied_to', np.int64(0))
    >>> int(m.to_numpy().sum()) == int(rs.add_structure(rs.load_example())["is_reply"].sum())
    True
    """
    from .structure import EXCLUDED_KINDS, add_structure

    validate(msgs)
    per = add_structure(msgs, gap=gap)
    person = per["sender"].notna() & ~per["kind"].astype("str").isin(list(EXCLUDED_KINDS)).fillna(False)
    rows = per.loc[person.to_numpy(), ["conversation_id", "timestamp", "sender", "is_reply"]]
    # the frame is in time order per conversation (add_structure keeps the input order, which
    # read_chat sorts); the previous person row is the one replied to
    rows = rows.sort_values(["conversation_id", "timestamp"], kind="stable")
    previous = rows.groupby("conversation_id", sort=False)["sender"].shift(1)
    replies = rows.assign(replied_to=previous).loc[rows["is_reply"].fillna(False).astype(bool).to_numpy()]
    replies = replies.loc[replies["replied_to"].notna() & replies["replied_to"].ne(replies["sender"])]
    people = rows["sender"].value_counts()
    given = replies["sender"].value_counts().reindex(people.index, fill_value=0)
    order = sorted(people.index, key=lambda s: (-int(given[s]), str(s)))
    matrix = pd.crosstab(replies["sender"], replies["replied_to"]).reindex(index=order, columns=order, fill_value=0)
    matrix = matrix.astype("int64")
    matrix.index.name, matrix.columns.name = "replier", "replied_to"
    if normalize:
        total = matrix.sum(axis=1)
        matrix = matrix.div(total.where(total > 0), axis=0)
    return matrix


def media_counts(msgs: pd.DataFrame, *, by: str | None = "sender") -> pd.DataFrame:
    """Media messages by type (image, video, audio, sticker, ...) per person.

    Uses the ``media_type`` column when the reader filled it (WhatsApp and others that
    name the attachment); rows without it count as ``"unknown"``.

    Parameters
    ----------
    msgs : DataFrame
        A message frame.
    by : "sender" or None, default "sender"

    Returns
    -------
    DataFrame
        One row per person (or one row, ``"all"``), one column per media type seen, and
        ``total``; counts of ``kind == "media"`` rows. Empty (no rows) when the chat holds
        no media.

    Examples
    --------
    >>> import pandas as pd
    >>> import reconnect_signals as rs
    >>> msgs = rs.coerce(pd.DataFrame({
    ...     "timestamp": ["2025-01-01 10:00", "2025-01-01 10:01", "2025-01-01 10:02"],
    ...     "sender": ["A", "B", "A"], "text": [None, "nice", None],
    ...     "kind": ["media", "text", "media"],
    ... }))
    >>> rs.media_counts(msgs)
    media_type  unknown  total
    sender
    A                 2      2
    """
    validate(msgs)
    if by not in ("sender", None):
        raise ValueError(f"by={by!r}: use by='sender' or by=None")
    media = msgs.loc[msgs["kind"].astype("str").eq("media").fillna(False).to_numpy()]
    if "media_type" in media.columns:
        kinds = media["media_type"].astype("str").fillna("unknown")
    else:
        kinds = pd.Series("unknown", index=media.index, dtype="str")
    who = media["sender"].fillna("(unknown)") if by == "sender" else pd.Series("all", index=media.index)
    table = pd.crosstab(who.rename(by or "chat"), kinds.rename("media_type"))
    order = table.sum().sort_values(ascending=False, kind="stable").index
    table = table[order].astype("int64")
    table["total"] = table.sum(axis=1)
    return table.sort_values("total", ascending=False, kind="stable")
