"""``text_cues``, ``message_cues`` and the cue registry."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..schema import validate
from ._emoji import emoji_counts
from ._lexical import EMOTION_WORDS, lexical_arrays
from ._sentiment import sentiment_scores
from ._tokens import _as_arrow, _cap, _normalize_arrow, _stream_arrow

__all__ = ["Cue", "CUES", "CUE_COLUMNS", "list_cues", "text_cues", "message_cues"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Cue:
    """One per-message cue: its column, dtype, exact definition and where it comes from."""

    name: str
    dtype: str
    definition: str
    reference: str
    experimental: bool = False


_REGISTRY: dict[str, Cue] = {}


def _register(cue: Cue) -> Cue:
    _REGISTRY[cue.name] = cue
    return cue


for _cue in (
    Cue(
        "words", "int64",
        "Number of words: runs of letters/digits with internal apostrophes, after lower-casing and "
        "removing URLs, e-mail addresses and @mentions; emoji and punctuation are not words.",
        "LIWC word count (Pennebaker et al. 2015, LIWC2015 manual).",
    ),
    Cue(
        "i_words", "int64",
        "Count of i, me, my, mine, myself, i'm, i've, i'll, i'd, im, ive.",
        "LIWC 'i' (Pennebaker et al. 2015); Simmons, Gordon & Chambless 2005, Psychological Science.",
    ),
    Cue(
        "we_words", "int64",
        "Count of we, us, our, ours, ourselves, let's, lets, we're, we've, we'll, we'd.",
        "LIWC 'we'; Seider et al. 2009, Psychology and Aging; Karan, Rosenthal & Robbins 2019, JSPR.",
    ),
    Cue(
        "you_words", "int64",
        "Count of you, your, yours, yourself, yourselves, you're, you've, you'll, you'd, youre, u, ur, "
        "y'all, yall.",
        "LIWC 'you' (Pennebaker et al. 2015); Slatcher, Vazire & Pennebaker 2008, Personal Relationships.",
    ),
    Cue(
        "i_statement", "bool",
        "A first-person singular subject (i, i'm, i've, i'd, i'll, im, ive) followed, with at most two "
        "adverbs, negations or auxiliaries between ('I really', 'I don't', 'I've been'; not any word: "
        "'as i said you need' is not one), by a feeling verb (feel, love, miss, hate, appreciate, care, "
        "hope, wish, regret), a cognition verb (think, believe, know, realise, understand), a want/need "
        "(want, need, would like, 'd like, prefer) or ownership (apologise, was wrong, made a mistake, "
        "should have, 'm working on, take responsibility), also after 'can't help but'; or i'm / i am / "
        "i was / i've been (an adverb may precede: 'I really am') followed, with at most two such words "
        f"between, by an emotion word ({', '.join(EMOTION_WORDS)}). Verbs include their inflections "
        "(miss/missed/missing). Not across sentence ends (. ! ? ; : newline, emoji).",
        "Gordon's I-messages; Rogers, Howieson & Neame 2018, PeerJ 6:e4831.",
    ),
    Cue(
        "you_criticism", "bool",
        "Criticism or blame of the addressee (Gottman's criticism), a phrase proxy: a negative trait or "
        "label after you're / you are / ur / u r / you sound / you come across as ('you're so selfish', "
        "'ur annoying', 'you idiot', 'you suck', 'are you stupid'); global blame (your fault, because of "
        "you, you made me + a bad outcome, you ruined, you don't even care/listen/try/ask); an "
        "absolutist complaint (you always/never or you're always/never + a negative or uncaring act: "
        "'you never listen', 'you always cancel', 'you're never there'; why do you always/never); or "
        "a reproach (you should/could have + told, called, asked, known better, been there ...). Not "
        "idioms ('you never know'), advice ('you should have a look'), absolutist praise ('you always "
        "make me laugh'), negations ('not your fault') or generic you ('if you never open it').",
        "Gottman's Four Horsemen (criticism), Gottman 1994; absolutist words, Al-Mosaiwi & Johnstone 2018.",
    ),
    Cue(
        "question", "bool",
        "Contains '?'; or a sentence starts with a wh-word (what, why, how, when, where, who, which, "
        "whose, what's, how's, ...) not followed by a subject pronoun or an exclamative ('what a', "
        "'how nice'); or a sentence starts with an auxiliary (do, does, did, are, is, was, were, can, "
        "could, would, will, should, have, has, their negations, texting 'r') followed by a subject "
        "(i, you, u, we, they, he, she, it, that, this, there).",
        "Huang et al. 2017, JPSP 113(3) ('It doesn't hurt to ask').",
    ),
    Cue(
        "apology", "bool",
        "sorry (and chat spellings: soz, sry, srry, sowwy, sorryyy), apologise/apologize, apologies, "
        "my bad, my fault, forgive me, excuse me / pardon me / excuse my ...; not sympathy ('sorry to "
        "hear', 'sorry for your loss', 'sorry man, that sucks', 'I feel sorry for'), not negated ('not "
        "my fault', 'don't be sorry', 'no need to apologise', 'you should be sorry'), and not a repair "
        "request ('sorry?', 'excuse me?', also when more follows: 'sorry? what was that').",
        "Cohen & Olshtain 1981 (IFIDs); Danescu-Niculescu-Mizil et al. 2013 politeness 'Apologizing'.",
    ),
    Cue(
        "laughter", "bool",
        "A laughter token (haha, ahah, hehe and elongations, lol, lmao, lmfao, rofl) or 😂 / 🤣.",
        "Tagliamonte & Denis 2008, American Speech 83(1) (lol and haha in instant messaging).",
    ),
    Cue(
        "emoji", "int64",
        "Number of emoji as users see them (grapheme clusters: 👍🏽, ❤️, 👨‍👩‍👧 and flags count 1), "
        "found with the emoji package; ASCII emoticons (':)', '<3') and ©/®/™ are not counted.",
        "Unicode UTS #51 emoji sequences.",
    ),
    Cue(
        "sentiment", "float64",
        "VADER compound score in [-1, 1] of the original-case text, cut to its first 1,000 "
        "characters (vaderSentiment package); NaN for rows without text. VADER already scores "
        "emoji and 'lol'.",
        "Hutto & Gilbert 2014, ICWSM (r = 0.872 with mean human rating on 4,200 tweets).",
    ),
    Cue(
        "absolutist", "int64",
        "Count of the 19 absolutist words: absolutely, all, always, complete, completely, constant, "
        "constantly, definitely, entire, ever, every, everyone, everything, full, must, never, nothing, "
        "totally, whole.",
        "Al-Mosaiwi & Johnstone 2018, Clinical Psychological Science 6(4):529-542.",
    ),
    Cue(
        "gratitude", "bool",
        "thank(s), thank you, thx, ty, tysm, grateful, thankful, appreciate(d).",
        "Algoe 2012, Social and Personality Psychology Compass (find-remind-and-bind); "
        "Gordon et al. 2012, JPSP 103(2).",
    ),
    Cue(
        "future_we", "bool",
        "A joint plan: we (optionally 'really', 'definitely', ...) should/could/will/can/shall/gotta, "
        "we'll, let's, or a sentence starting with 'lets'.",
        "Seider et al. 2009 (we-talk); Agnew et al. 1998, JPSP 74(4) (cognitive interdependence).",
    ),
    Cue(
        "affection", "bool",
        "Experimental: love you / love u / luv u, miss you / miss u, ily, xo/xoxo/xx, a closing 'x', "
        "or a heart/kiss emoji (❤, 💕, 😘, 😍, 🥰, ...; not 💔).",
        "Experimental, not validated; Gesselman, Ta & Garcia 2019, PLoS ONE 14(8):e0221297 (emoji as "
        "affective signals).",
        experimental=True,
    ),
):  # fmt: skip
    _register(_cue)

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


def _cue_arrays(texts: pd.Series, *, sentiment: bool) -> dict[str, np.ndarray]:
    arr = _as_arrow(texts)
    normalized = _normalize_arrow(arr)
    stream = _stream_arrow(normalized)
    out = lexical_arrays(normalized, stream)
    # emoji are counted on the original characters: lower-casing changes some (Ⓜ -> ⓜ)
    out["emoji"] = emoji_counts(_cap(arr))
    if sentiment:
        out["sentiment"] = sentiment_scores(arr)
    return {name: out[name] for name in CUE_COLUMNS if name in out}


def text_cues(texts: pd.Series, *, sentiment: bool = True) -> pd.DataFrame:
    """Per-text cues for bare text (no message frame needed).

    Parameters
    ----------
    texts : Series
        Texts (any string-like dtype). Missing texts get 0 / False / NaN.
    sentiment : bool, default True
        Compute the VADER ``sentiment`` column (the slowest cue). With ``False`` the column is
        left out.

    Returns
    -------
    DataFrame
        One row per text, same index, one column per cue (see :func:`list_cues`): ``words``,
        ``i_words``, ``we_words``, ``you_words`` (int64), ``i_statement``, ``you_criticism``,
        ``question``, ``apology``, ``laughter`` (bool), ``emoji`` (int64), ``sentiment``
        (float64), ``absolutist`` (int64), ``gratitude``, ``future_we``, ``affection`` (bool).

    Notes
    -----
    Texts are cut to their first 10,000 characters (``MAX_CHARS``) before any cue is computed,
    and VADER sees only the first 1,000 (its rules take time quadratic in the number of words).
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
    arrays = _cue_arrays(texts, sentiment=sentiment)
    return pd.DataFrame(arrays, index=texts.index)


def message_cues(msgs: pd.DataFrame, *, sentiment: bool = True) -> pd.DataFrame:
    """Add one column per per-message cue to a message frame.

    Only rows with ``kind == "text"`` carry lexical cues; other rows (media, system, deleted,
    reactions, ...) and text rows without text get 0 / False and NaN ``sentiment``.

    Parameters
    ----------
    msgs : DataFrame
        A message frame (needs the ``text`` and ``kind`` columns).
    sentiment : bool, default True
        Compute the VADER ``sentiment`` column (the slowest cue). With ``False`` the column is
        left out.

    Returns
    -------
    DataFrame
        A new frame: the input's columns (existing cue columns are replaced) plus the cue
        columns of :func:`text_cues`, same index and order. The input is not modified.

    Raises
    ------
    SchemaError
        If ``text`` or ``kind`` is missing or mistyped.

    Notes
    -----
    Each cue's exact definition and reference is in :func:`list_cues` (and the module
    documentation). Texts are cut to their first 10,000 characters (VADER sees the first 1,000:
    its rules take time quadratic in the number of words). All lexical patterns are
    RE2 regular expressions run by pyarrow over all messages at once (linear time); emoji and
    sentiment are computed once per distinct text. These cues describe wording; they are not
    evidence of anyone's feelings. Exact definitions and references:

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
    is_text = (msgs["kind"].astype("str") == "text").to_numpy(dtype=bool, na_value=False)
    mask = is_text & msgs["text"].notna().to_numpy(dtype=bool)
    idx = np.flatnonzero(mask)
    texts = msgs["text"].iloc[idx]
    arrays = _cue_arrays(texts, sentiment=sentiment)
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
    replaced = [c for c in columns if c in msgs.columns]
    if replaced:
        logger.debug("message_cues: replacing existing columns %s", replaced)
    base = msgs.drop(columns=replaced) if replaced else msgs
    return base.assign(**columns)


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
