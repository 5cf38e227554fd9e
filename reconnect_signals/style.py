"""Language style matching: how alike two people are in their use of function words.

Function words (pronouns, articles, prepositions, ...) carry *how* something is said rather
than *what*. People who are engaged with each other tend to converge in their use of them.

Two measures are provided:

* **LSM** (Ireland & Pennebaker 2010, *JPSP* 99:549; Ireland et al. 2011, *Psychological
  Science* 22:39). For each of nine function-word categories ``c`` with ``p1``, ``p2`` the
  percentages of each person's words that fall in ``c``::

      LSM_c = 1 - |p1 - p2| / (p1 + p2 + 0.0001)

  and LSM is the mean of ``LSM_c`` over the nine categories. It is computed on each
  person's *aggregated* text (overall or per time window) and left missing when either side
  has fewer than ``min_words`` words (50 by default), because percentages of a handful of
  words are mostly noise. Typical values are .75-.95 (mean about .84).
* **rLSM**, reciprocal LSM (Müller-Frommeyer, Frommeyer & Kauffeld 2019, *Behavior Research
  Methods* 51:1343). The same per-category formula, applied turn by turn: each turn is
  compared with the turn it answers. A category the previous turn did not use (0 %) gives no
  value for that pair (missing), since there was nothing to match. As in the paper's
  equations 12-14, each person's value per category is the mean over the turns they answered
  with (a person with more turns does not weigh more), the dyad's value per category is the
  mean of the two persons', and the dyad's rLSM is the mean over the categories.

The nine category word lists in :data:`FUNCTION_WORDS` were written for this library from
closed-class English function words (they are not LIWC's proprietary dictionary, so absolute
percentages differ from LIWC's; LSM compares two people measured the same way). A word can
belong to more than one category, as in LIWC: ``don't`` is an auxiliary verb and a negation,
``i'm`` a personal pronoun and an auxiliary verb.

LSM is a descriptive similarity score. In 86 couples' instant messages, pairs above the
median LSM were more often still dating three months later (76.7 % vs 53.5 %), but such
effects are small and come from group averages; one conversation's LSM says nothing certain
about one relationship.

Examples
--------
>>> from reconnect_signals.style import lsm, rlsm
>>> speech = [13.37, 7.53, 4.34, 12.03, 7.67, 10.29, 6.21, 2.24, 1.93]
>>> twitter = [9.02, 4.60, 5.58, 8.27, 5.13, 11.88, 4.19, 1.74, 1.85]
>>> round(lsm(speech, twitter), 4)
0.8492
>>> round(rlsm([60, 25, 100 * 7 / 15, 100 * 3 / 7, 75]).score, 4)
0.7427
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import tzinfo
from functools import cache
from types import MappingProxyType
from typing import NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from .schema import validate

__all__ = ["FUNCTION_WORDS", "CATEGORIES", "lsm", "rlsm", "RLSMResult", "style_matching"]

logger = logging.getLogger(__name__)

#: Added to the denominator of every per-category score (Ireland & Pennebaker 2010) so that
#: two zero percentages give 1 rather than a division by zero.
EPSILON = 0.0001

_N_NEGATED = (
    "don't doesn't didn't isn't aren't wasn't weren't haven't hasn't hadn't won't wouldn't "
    "shan't shouldn't can't cannot couldn't mustn't mightn't needn't ain't "
    "dont doesnt didnt isnt arent wasnt werent havent hasnt hadnt wont wouldnt shouldnt "
    "cant couldnt mustnt neednt aint"
)
_PRONOUN_AUX = (
    "i'm i've i'll i'd im ive you're you've you'll you'd youre we're we've we'll we'd "
    "they're they've they'll they'd he's he'll he'd she's she'll she'd"
)
_IMPERSONAL_AUX = "it's it'll it'd that's that'll that'd there's what's who's whats thats"

_LISTS: dict[str, str] = {
    # personal pronouns: first, second and third person, with contractions and chat spellings
    "ppron": (
        "i me my mine myself we us our ours ourselves let's lets you your yours yourself "
        "yourselves u ur y'all yall he him his himself she her hers herself they them their "
        "theirs themselves themself " + _PRONOUN_AUX
    ),
    # impersonal pronouns: it, demonstratives, indefinites, wh-pronouns
    "ipron": (
        "it its itself this that these those something anything everything nothing someone "
        "anyone everyone somebody anybody everybody nobody what whatever which whichever who "
        "whom whose whoever " + _IMPERSONAL_AUX
    ),
    "article": "a an the",
    # auxiliary and modal verbs, including every contraction that contains one
    "auxverb": (
        "am is are was were be been being have has had having do does did will would shall "
        "should can could may might must ought gonna " + _PRONOUN_AUX + " " + _IMPERSONAL_AUX + " " + _N_NEGATED
    ),
    # common function adverbs (degree, frequency, time, place, stance, wh-adverbs)
    "adverb": (
        "very really so too just also only even still already again always often sometimes "
        "usually ever quite rather almost maybe perhaps probably actually basically literally "
        "totally definitely here there now then soon later how when where why instead anyway "
        "anyways somehow else once indeed"
    ),
    "prep": (
        "about above across after against along among around as at before behind below "
        "beneath beside besides between beyond by despite down during except for from in "
        "inside into near of off on onto out outside over past per since through throughout "
        "till to toward towards under underneath until unto up upon via with within without"
    ),
    "conj": (
        "and but or because cause cuz coz bc although though while whereas if unless whether "
        "yet plus either than however therefore thus otherwise"
    ),
    "negate": "no not never none nor neither nothing nobody nowhere nope nah " + _N_NEGATED,
    "quant": (
        "all any some many much more most few fewer less least lot lots several each every "
        "both enough half whole plenty bit loads"
    ),
}

#: The nine function-word categories, in the order of Ireland & Pennebaker (2010): personal
#: pronouns, impersonal pronouns, articles, auxiliary verbs, adverbs, prepositions,
#: conjunctions, negations, quantifiers. Each maps to a frozenset of lower-case tokens
#: (curly apostrophes already normalised to ``'``).
FUNCTION_WORDS: Mapping[str, frozenset[str]] = MappingProxyType(
    {name: frozenset(words.split()) for name, words in _LISTS.items()}
)

#: Category names in order (the columns ``lsm_<category>`` of :func:`style_matching`).
CATEGORIES: tuple[str, ...] = tuple(FUNCTION_WORDS)

# token -> row of a membership matrix (last row: not a function word)
_VOCAB = pd.Index(sorted(set().union(*FUNCTION_WORDS.values())))
_MEMBERSHIP = np.zeros((len(_VOCAB) + 1, len(CATEGORIES)), dtype=np.int64)
for _j, _name in enumerate(CATEGORIES):
    _MEMBERSHIP[_VOCAB.get_indexer(sorted(FUNCTION_WORDS[_name])), _j] = 1  # type: ignore[arg-type]  # stubs: Index only
del _j, _name


def _category_scores(p1: np.ndarray, p2: np.ndarray) -> np.ndarray:
    """``1 - |p1 - p2| / (p1 + p2 + 0.0001)`` elementwise (NaN in, NaN out)."""
    return 1.0 - np.abs(p1 - p2) / (p1 + p2 + EPSILON)


def _as_percentages(values: ArrayLike, name: str) -> np.ndarray:
    arr = np.asarray(values, dtype="float64")
    if arr.ndim == 0 or arr.shape[-1] == 0:
        raise ValueError(f"{name} must hold one percentage per category, got {values!r}")
    if np.any(arr < 0):
        raise ValueError(f"{name} holds negative values; pass percentages of words (0-100)")
    return arr


def lsm(p1: ArrayLike, p2: ArrayLike) -> float | np.ndarray:
    """Language style matching of two category-percentage profiles.

    Parameters
    ----------
    p1, p2 : array-like of float
        Percentages of words in each function-word category (the same categories in the same
        order; usually the nine of :data:`CATEGORIES`). 2-D input is read as one profile per
        row and gives one score per row.

    Returns
    -------
    float or ndarray
        The mean over categories of ``1 - |p1 - p2| / (p1 + p2 + 0.0001)``, between 0 and 1
        (1 = identical use). Missing percentages give a missing score.

    Notes
    -----
    Ireland & Pennebaker (2010), *Journal of Personality and Social Psychology* 99(3):549-571;
    Ireland et al. (2011), *Psychological Science* 22(1):39-44.

    Examples
    --------
    LIWC2015 genre means for natural speech and Twitter (Pennebaker et al. 2015):

    >>> from reconnect_signals.style import lsm
    >>> speech = [13.37, 7.53, 4.34, 12.03, 7.67, 10.29, 6.21, 2.24, 1.93]
    >>> twitter = [9.02, 4.60, 5.58, 8.27, 5.13, 11.88, 4.19, 1.74, 1.85]
    >>> round(lsm(speech, twitter), 4)
    0.8492
    >>> lsm([10, 0], [10, 0])
    1.0
    """
    a = _as_percentages(p1, "p1")
    b = _as_percentages(p2, "p2")
    if a.shape != b.shape:
        raise ValueError(f"p1 and p2 need the same shape (one value per category), got {a.shape} and {b.shape}")
    out = _category_scores(a, b).mean(axis=-1)
    return float(out) if np.ndim(out) == 0 else out


class RLSMResult(NamedTuple):
    """What :func:`rlsm` returns.

    Attributes
    ----------
    pairs : ndarray
        One value per turn after the first: that turn's match with the turn before it
        (mean over the categories with a value; NaN when none has one). For display: the
        aggregation below works per category.
    score : float
        The dyad's rLSM: per category, the mean of the two speakers' category values; then
        the mean over categories.
    speakers : tuple of float
        ``(first, second)``: per category, the mean over the turns each speaker answered with,
        then the mean over categories (the first speaker is the one who spoke the first turn).
    """

    pairs: np.ndarray
    score: float
    speakers: tuple[float, float]


def _nanmean_rows(values: np.ndarray) -> np.ndarray:
    """Row means over non-missing values, NaN for an all-missing row (no warning)."""
    ok = ~np.isnan(values)
    n = ok.sum(axis=-1)
    total = np.where(ok, values, 0.0).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, total / np.maximum(n, 1), np.nan)


def _pair_scores(prev: np.ndarray, cur: np.ndarray) -> np.ndarray:
    """Turn-pair rLSM per category, NaN where the previous turn has 0 %."""
    scores = _category_scores(prev, cur)
    return np.where(prev == 0, np.nan, scores)


def rlsm(turns: Sequence) -> RLSMResult:
    """Reciprocal language style matching over a sequence of alternating turns.

    Parameters
    ----------
    turns : array-like
        Per-turn percentages of words, in conversation order, the speakers alternating
        (A, B, A, B, ...). 1-D: one category (or all function words pooled) per turn;
        2-D: one row per turn and one column per category.

    Returns
    -------
    RLSMResult
        ``pairs`` (one value per answering turn), ``score`` (the dyad's rLSM) and
        ``speakers`` (each speaker's rLSM).

    Notes
    -----
    Müller-Frommeyer, Frommeyer & Kauffeld (2019), "Introducing rLSM: An integrated metric
    assessing temporal reciprocity in language style matching", *Behavior Research Methods*
    51:1343-1359. For turn ``t`` answering turn ``t-1`` and each category,
    ``1 - |p[t-1] - p[t]| / (p[t-1] + p[t] + 0.0001)``; missing when ``p[t-1] == 0`` (nothing
    to match). Aggregation follows the paper's equations 12-14: per category, each speaker's
    value is the mean over the turns they answered with, so a speaker with more turns does not
    count more; the dyad's value per category is the mean of the two speakers' values; the
    dyad score is the mean over categories. Missing values are skipped at every step.

    Examples
    --------
    The paper's Romeo and Benvolio example (function words as % of each turn's words:
    60, 25, 46.67, 42.86 and 75, where 46.67 is 7 of 15 words and 42.86 is 3 of 7):

    >>> from reconnect_signals.style import rlsm
    >>> result = rlsm([60, 25, 100 * 7 / 15, 100 * 3 / 7, 75])
    >>> result.pairs.round(4).tolist()
    [0.5882, 0.6977, 0.9574, 0.7273]
    >>> round(result.score, 4)
    0.7427
    >>> rlsm([[10, 0], [10, 5]]).pairs   # the 2nd category is missing: previous turn had 0 %
    array([1.])
    """
    arr = np.asarray(turns, dtype="float64")
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise ValueError("turns must be 1-D (one value per turn) or 2-D (turns x categories)")
    if np.any(arr < 0):
        raise ValueError("turns hold negative values; pass percentages of words (0-100)")
    scores = _pair_scores(arr[:-1], arr[1:]) if len(arr) > 1 else np.empty((0, arr.shape[1]))
    pairs = _nanmean_rows(scores)
    # scores[k] is turn k+1 answering turn k: odd turns are the second speaker's
    first = _nanmean_rows(scores[1::2].T)  # per category
    second = _nanmean_rows(scores[0::2].T)
    speakers = (_mean_or_nan(first), _mean_or_nan(second))
    score = _mean_or_nan(_nanmean_rows(np.vstack([first, second]).T))
    return RLSMResult(pairs=pairs, score=score, speakers=speakers)


def _mean_or_nan(values: np.ndarray) -> float:
    values = np.asarray(values, dtype="float64")
    values = values[~np.isnan(values)]
    return float(values.mean()) if len(values) else float("nan")


# ---------------------------------------------------------------------------
# counting function words in messages


@cache
def _language_membership(code: str) -> tuple[pd.Index, np.ndarray] | None:
    """The token index and membership matrix of a language file's ``lsm_*`` lists (None: none)."""
    from .cues._languages import lexicons

    lex = lexicons().get(code)
    if lex is None or not lex.function_words:
        return None
    lists = {c: set(lex.function_words.get(f"lsm_{c}", ())) for c in CATEGORIES}
    vocab = pd.Index(sorted(set().union(*lists.values())))
    member = np.zeros((len(vocab) + 1, len(CATEGORIES)), dtype=np.int64)
    for j, name in enumerate(CATEGORIES):
        member[vocab.get_indexer(sorted(lists[name])), j] = 1  # type: ignore[arg-type]  # stubs: Index only
    return vocab, member


def _category_counts(texts: pd.Series, languages: np.ndarray | None = None) -> pd.DataFrame:
    """Per text, ``words`` and the category counts; with ``languages`` (one ISO code per text),
    each text's categories come from its language's file (English for ``en`` and unknown codes).
    """
    if languages is None:
        return _category_counts_with(texts, _VOCAB, _MEMBERSHIP)
    languages = np.asarray(languages, dtype=object)
    out = _category_counts_with(texts, _VOCAB, _MEMBERSHIP)
    for code in pd.unique(languages):
        found = _language_membership(str(code)) if code is not None else None
        if found is None:
            continue
        sel = languages == code
        out.loc[sel] = _category_counts_with(texts[sel], *found).to_numpy()
    return out


def _category_counts_with(texts: pd.Series, vocab_index: pd.Index, membership: np.ndarray) -> pd.DataFrame:
    """``words`` and one count column per category for each text (same index, int64).

    Words come from the library's one tokeniser, :func:`reconnect_signals.cues.tokenize`
    (CUES.md "Tokens and words"), so ``words`` equals the cues' word count. Each distinct
    text is tokenised once; the exploded tokens are looked up in a token-by-category
    membership matrix and summed per text with one ``np.bincount`` per category (no Python
    loop over messages).
    """
    from .cues import tokenize

    # chats repeat themselves ("ok", "haha", "night x"): tokenise each distinct text once
    codes, uniques = pd.factorize(texts, use_na_sentinel=True)
    m = len(uniques)
    tokens = tokenize(pd.Series(uniques, dtype="str")).reset_index(drop=True)
    flat = tokens.explode().dropna()
    rows = flat.index.to_numpy(dtype="int64")
    hits = membership[vocab_index.get_indexer(flat.to_numpy(dtype=object))]  # type: ignore[arg-type]  # stubs: Index only
    table = np.zeros((m + 1, len(CATEGORIES) + 1), dtype="int64")  # last row: missing text
    table[:m, 0] = np.bincount(rows, minlength=m)
    for j in range(len(CATEGORIES)):
        table[:m, j + 1] = np.bincount(rows, weights=hits[:, j], minlength=m).astype("int64")
    per_text = table[np.where(codes < 0, m, codes)]
    return pd.DataFrame(per_text, index=texts.index, columns=["words", *CATEGORIES])


def _text_languages(msgs: pd.DataFrame, is_text: np.ndarray, text: pd.DataFrame) -> np.ndarray:
    """Each text row's language: the frame's ``language`` column, else detected per sender."""
    if "language" in msgs.columns:
        given = msgs["language"].to_numpy(dtype=object)[is_text]
        order = text["_pos"].to_numpy()
        return given[order]
    from .cues._api import _detect_languages
    from .cues._detect import group_codes

    n = len(text)
    return _detect_languages(text["text"], group_codes(text["conversation_id"], n), group_codes(text["sender"], n))


def _period_freq(freq: str) -> str:
    """A pandas *period* alias for an offset alias (``"MS"`` -> ``"M"``, ``"W"`` -> ``"W-SUN"``)."""
    from pandas.tseries import offsets
    from pandas.tseries.frequencies import to_offset

    try:
        off = to_offset(freq)
    except ValueError as exc:
        raise ValueError(f"freq={freq!r} is not a pandas frequency; use e.g. 'D', 'W', 'MS'") from exc
    if off.n != 1:
        raise ValueError(f"freq={freq!r}: windows must be one calendar unit; use 'D', 'W', 'MS', 'QS' or 'YS'")
    if isinstance(off, offsets.MonthBegin | offsets.MonthEnd):
        return "M"
    if isinstance(off, offsets.QuarterBegin | offsets.QuarterEnd):
        return "Q"
    if isinstance(off, offsets.YearBegin | offsets.YearEnd):
        return "Y"
    try:
        pd.Period("2020-01-01", freq=off.rule_code)
    except ValueError as exc:
        raise ValueError(f"freq={freq!r} cannot label calendar windows; use 'D', 'W', 'MS', 'QS' or 'YS'") from exc
    return off.rule_code


def _periods(ts: pd.Series, pfreq: str) -> pd.Series:
    """Local-calendar periods of tz-aware timestamps (a week is Monday-Sunday in local time)."""
    return ts.dt.tz_localize(None).dt.to_period(pfreq)


def _period_start(periods: pd.Series, tz: str | tzinfo) -> pd.Series:
    """The tz-aware start instant of each period (local midnight, DST-safe)."""
    start = periods.dt.start_time.dt.tz_localize(tz, ambiguous=True, nonexistent="shift_forward")
    return start.astype(pd.DatetimeTZDtype("us", tz))


def _main_senders(text: pd.DataFrame, words: pd.Series) -> pd.DataFrame:
    """Per conversation the two senders with most words: columns conversation_id, sender, role."""
    totals = (
        words.groupby([text["conversation_id"], text["sender"]], sort=False)
        .sum()
        .rename("words")
        .reset_index()
        .sort_values(["conversation_id", "words", "sender"], ascending=[True, False, True])
    )
    totals["rank"] = totals.groupby("conversation_id").cumcount()
    top = totals[totals["rank"] < 2]
    return top.assign(role=np.where(top["rank"].eq(0), "a", "b"))[["conversation_id", "sender", "role"]]


def _result_columns(with_window: bool) -> list[str]:
    keys = ["conversation_id", "window"] if with_window else ["conversation_id"]
    return [
        *keys,
        "sender_a",
        "sender_b",
        "words_a",
        "words_b",
        "lsm",
        *(f"lsm_{c}" for c in CATEGORIES),
        "rlsm",
    ]


def style_matching(msgs: pd.DataFrame, *, freq: str | None = None, min_words: int = 50) -> pd.DataFrame:
    """Language style matching (LSM and rLSM) between the two main senders of each conversation.

    Parameters
    ----------
    msgs : DataFrame
        A message frame (see :mod:`reconnect_signals.schema`). Only ``kind == "text"`` rows
        count.
    freq : str, optional
        A calendar window (``"D"``, ``"W"``, ``"MS"``, ``"QS"``, ``"YS"``): one row per
        conversation and window, every window from the conversation's first to its last
        text message present (empty ones with 0 words and missing scores). Windows follow
        the local calendar of the timestamps' time zone (weeks start on Monday). ``None``:
        one row per conversation.
    min_words : int, default 50
        LSM is missing when either sender has fewer words than this in the row's text
        (Ireland & Pennebaker's threshold; short samples give unstable percentages).

    Returns
    -------
    DataFrame
        Columns ``conversation_id``, [``window`` (tz-aware start of the window)],
        ``sender_a``, ``sender_b`` (the two senders with most words in the conversation
        overall, most first, ties by name; ``sender_b`` is missing for a one-person
        conversation), ``words_a``, ``words_b``, ``lsm``, one ``lsm_<category>`` per
        category of :data:`CATEGORIES`, and ``rlsm``.

    Notes
    -----
    *LSM* (Ireland & Pennebaker 2010, *JPSP* 99:549; Ireland et al. 2011, *Psychological
    Science* 22:39): each sender's text in the row is pooled, each category's share of their
    words is taken as a percentage ``p``, ``lsm_<c> = 1 - |p_a - p_b| / (p_a + p_b + 0.0001)``
    and ``lsm`` is the mean over the nine categories.

    *rLSM* (Müller-Frommeyer, Frommeyer & Kauffeld 2019, *Behavior Research Methods*
    51:1343): the two senders' text messages in time order form turns (a turn is a maximal
    run of consecutive messages by one of them; other senders' messages are left out). Each
    turn is scored against the turn it follows as in :func:`rlsm` (a category the previous
    turn did not use gives no value). Per category, each sender's value is the mean over the
    turns they answered with and the dyad's is the mean of the two senders'; ``rlsm`` is the
    mean over categories (the paper's equations 12-14). With ``freq``, a turn pair belongs to
    the window in which the answering turn starts. No word minimum applies. Chat turns are
    short (a few words), so most categories are 0 % or a large share in any one turn and
    turn-level scores are far more often near 0 or 1 than in the transcribed speech the
    metric was built on: expect ``rlsm`` well below ``lsm`` in chats, and compare it across
    windows or conversations rather than with published values.

    Both are descriptive similarity scores: research links higher LSM with interest and
    relationship stability in group averages, with small effects (see CUES.md).

    Examples
    --------
    >>> import pandas as pd
    >>> import reconnect_signals as rs
    >>> msgs = rs.coerce(pd.DataFrame({
    ...     "timestamp": pd.date_range("2024-05-01 09:00", periods=4, freq="10min"),
    ...     "sender": ["Ann", "Ben", "Ann", "Ben"],
    ...     "text": ["I think the cat is on the mat", "the dog is in the garden",
    ...              "it is not a cat", "and it is a dog"],
    ... }))
    >>> out = rs.style_matching(msgs, min_words=5)
    >>> out[["sender_a", "sender_b", "words_a", "words_b"]].values.tolist()
    [['Ann', 'Ben', 13, 11]]
    >>> round(float(out.loc[0, "lsm_article"]), 4)   # 3 of 13 words vs 3 of 11 words
    0.9167
    >>> bool(rs.style_matching(msgs)["lsm"].isna().all())   # fewer than 50 words each
    True

    Month by month on the bundled example chat:

    >>> monthly = rs.style_matching(rs.load_example(), freq="MS")
    >>> monthly.columns[:7].tolist()
    ['conversation_id', 'window', 'sender_a', 'sender_b', 'words_a', 'words_b', 'lsm']
    >>> sorted(set(monthly["sender_a"]) | set(monthly["sender_b"]))
    ['Alex', 'Sam']
    """
    validate(msgs, columns=["conversation_id", "timestamp", "sender", "text", "kind"])
    if isinstance(min_words, bool) or not isinstance(min_words, int | np.integer) or min_words < 0:
        raise ValueError(f"min_words must be a non-negative integer, got {min_words!r}")
    pfreq = _period_freq(freq) if freq is not None else None
    tz = msgs["timestamp"].dt.tz
    keys = ["conversation_id", "window"] if pfreq else ["conversation_id"]
    cols = ["words", *CATEGORIES]

    is_text = msgs["kind"].eq("text").to_numpy(dtype=bool) & msgs["sender"].notna().to_numpy()
    text = (
        msgs.loc[is_text, ["conversation_id", "timestamp", "sender", "text"]]
        .assign(_pos=np.arange(int(is_text.sum())))
        .sort_values(["conversation_id", "timestamp", "_pos"], kind="mergesort")
        .reset_index(drop=True)
    )
    counts = _category_counts(text["text"], _text_languages(msgs, is_text, text))
    roles = _main_senders(text, counts["words"])
    work = (
        pd.concat([text[["conversation_id", "timestamp", "sender", "_pos"]], counts], axis=1)
        .merge(roles, on=["conversation_id", "sender"], how="inner")
        .sort_values(["conversation_id", "timestamp", "_pos"], kind="mergesort")
        .reset_index(drop=True)
    )
    if pfreq:
        work["window"] = _periods(work["timestamp"], pfreq)

    # the rows of the result: every conversation, or every window of every conversation
    conversations = pd.Index(sorted(msgs["conversation_id"].dropna().unique()), dtype="str")
    if pfreq:
        span = work.groupby("conversation_id", sort=True)["window"].agg(["min", "max"])
        ranges = [pd.period_range(lo, hi, freq=pfreq) for lo, hi in zip(span["min"], span["max"], strict=True)]
        index = pd.MultiIndex.from_arrays(
            [
                pd.Index(np.repeat(span.index.to_numpy(), [len(r) for r in ranges]), dtype="str"),
                pd.PeriodIndex.from_ordinals(  # type: ignore[attr-defined]  # public since pandas 2.2, not in the stubs
                    np.concatenate([r.asi8 for r in ranges]) if ranges else [], freq=pfreq
                ),
            ],
            names=keys,
        )
    else:
        index = pd.Index(conversations, name="conversation_id")

    # LSM on pooled text per row and sender
    sums = work.groupby([*keys, "role"], sort=False)[cols].sum()
    out = pd.DataFrame(index=index)
    present = set(sums.index.get_level_values("role"))
    for role in ("a", "b"):
        part = sums.xs(role, level="role").reindex(index) if role in present else None
        for col in cols:
            values = part[col] if part is not None else pd.Series(0, index=index)
            out[f"{col}_{role}"] = values.fillna(0).astype("int64")
    words_a = out["words_a"].to_numpy(dtype="float64")
    words_b = out["words_b"].to_numpy(dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        pct_a = 100 * out[[f"{c}_a" for c in CATEGORIES]].to_numpy(dtype="float64") / words_a[:, None]
        pct_b = 100 * out[[f"{c}_b" for c in CATEGORIES]].to_numpy(dtype="float64") / words_b[:, None]
    terms = _category_scores(pct_a, pct_b)
    thin = (words_a < max(min_words, 1)) | (words_b < max(min_words, 1))
    terms[thin] = np.nan
    out["lsm"] = terms.mean(axis=1)
    for j, name in enumerate(CATEGORIES):
        out[f"lsm_{name}"] = terms[:, j]

    # rLSM turn by turn
    conv = work["conversation_id"]
    new_turn = work["sender"].ne(work["sender"].shift()) | conv.ne(conv.shift())
    turn = new_turn.cumsum().to_numpy()
    tsum = work.groupby(turn, sort=True)[cols].sum()
    tfirst = work.groupby(turn, sort=True)[[*keys, "role"]].first()
    with np.errstate(invalid="ignore", divide="ignore"):
        pct = 100 * tsum[list(CATEGORIES)].to_numpy(dtype="float64") / tsum[["words"]].to_numpy(dtype="float64")
    prev = np.vstack([np.full((1, len(CATEGORIES)), np.nan), pct[:-1]]) if len(pct) else pct
    answering = tfirst["conversation_id"].eq(tfirst["conversation_id"].shift()).to_numpy()
    scores = pd.DataFrame(_pair_scores(prev, pct), columns=list(CATEGORIES), index=tfirst.index)
    pairs = pd.concat([tfirst, scores], axis=1)[answering]
    # per sender and category, then per dyad and category (NaN skipped), then over categories
    per_sender = pairs.groupby([*keys, "role"], sort=False)[list(CATEGORIES)].mean()
    dyad = per_sender.groupby(level=list(range(len(keys))), sort=False).mean()
    dyad_score = pd.Series(_nanmean_rows(dyad.to_numpy(dtype="float64")), index=dyad.index)
    out["rlsm"] = dyad_score.reindex(index).astype("float64") if len(dyad) else np.nan

    result = out.reset_index()
    names = roles.pivot(index="conversation_id", columns="role", values="sender")
    for role in ("a", "b"):
        mapping = names[role] if role in names.columns else pd.Series(dtype="str")
        result[f"sender_{role}"] = result["conversation_id"].map(mapping).astype("str")
    result["conversation_id"] = result["conversation_id"].astype("str")
    if pfreq:
        result["window"] = _period_start(result["window"], tz)
    result = result[_result_columns(bool(pfreq))]
    logger.debug("style_matching: %d rows, freq=%s, min_words=%d", len(result), freq, min_words)
    return result
