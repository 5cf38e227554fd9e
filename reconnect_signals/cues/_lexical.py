"""Word lists and RE2 patterns of the lexical cues, run on the token stream.

The token stream (see :mod:`._tokens`) writes every word as `` word `` (a space on each side)
and sentence boundaries as `` | ``, so a word is matched by `` word `` and a phrase by
`` a  b ``. All patterns are RE2 (linear time, no backtracking) and run with
``pyarrow.compute`` over all messages at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ._tokens import _count, _has, count_stream_words

__all__: list[str] = []  # private module; the public names live in reconnect_signals.cues


def _tok(words: Iterable[str] | str) -> str:
    """One whole token from ``words`` (literal words or, for a str, a raw RE2 token body)."""
    if isinstance(words, str):
        return f" (?:{words}) "
    body = "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))
    return f" (?:{body}) "


def _seq(*parts: str) -> str:
    """Consecutive tokens: each part is a ``_tok`` pattern (or an optional/gap group)."""
    return "".join(parts)


def _gap(n: int) -> str:
    """Up to ``n`` arbitrary words inside one sentence."""
    return f"(?: [^ |]+ ){{0,{n}}}"


def _any(*patterns: str) -> str:
    return "(?:" + "|".join(patterns) + ")"


_START = r"(?:^| \| )"  # start of a sentence (start of text or after a boundary)
_NOT_SPACE_BAR = "[^ |]"

# --- pronoun families (CUES.md) -------------------------------------------------------------
I_WORDS = ("i", "me", "my", "mine", "myself", "i'm", "i've", "i'll", "i'd", "im", "ive")
WE_WORDS = ("we", "us", "our", "ours", "ourselves", "let's", "lets", "we're", "we've", "we'll", "we'd")
YOU_WORDS = (
    "you", "your", "yours", "yourself", "yourselves", "you're", "you've", "you'll", "you'd",
    "youre", "u", "ur", "y'all", "yall",
)  # fmt: skip

# --- I-statements ---------------------------------------------------------------------------
I_SUBJECTS = ("i", "i'm", "i've", "i'd", "i'll", "im", "ive")
FEELING_VERBS = (
    "feel", "feels", "felt", "feeling",
    "love", "loves", "loved", "loving",
    "miss", "misses", "missed", "missing",
    "hate", "hates", "hated", "hating",
    "appreciate", "appreciates", "appreciated", "appreciating",
    "care", "cares", "cared", "caring",
    "hope", "hopes", "hoped", "hoping",
    "wish", "wishes", "wished", "wishing",
    "regret", "regrets", "regretted", "regretting",
)  # fmt: skip
COGNITION_VERBS = (
    "think", "thinks", "thinking", "thought",
    "believe", "believes", "believed", "believing",
    "know", "knows", "knew", "knowing",
    "realize", "realizes", "realized", "realizing", "realise", "realises", "realised", "realising",
    "understand", "understands", "understood", "understanding",
)  # fmt: skip
WANT_VERBS = (
    "want", "wants", "wanted", "wanting",
    "need", "needs", "needed", "needing",
    "prefer", "prefers", "preferred",
)  # fmt: skip
OWNERSHIP_VERBS = (
    "apologize", "apologizes", "apologized", "apologizing",
    "apologise", "apologises", "apologised", "apologising",
    "should've", "shouldve", "shouldn't've",
)  # fmt: skip
EMOTION_WORDS = (
    "sorry", "sad", "hurt", "happy", "glad", "grateful", "thankful", "proud", "scared", "afraid",
    "angry", "mad", "upset", "frustrated", "lonely", "worried", "anxious", "nervous", "confused",
    "excited", "ashamed", "disappointed", "jealous",
)  # fmt: skip

_OWNERSHIP_PHRASES = _any(
    _seq(_tok(["was"]), _tok(["wrong"])),
    _seq(_tok(["made"]), f"(?:{_tok(['a'])})?", _tok(["mistake", "mistakes"])),
    _seq(_tok(["should", "shouldn't", "shouldnt"]), _tok(["have"])),
    _seq(_tok(["take"]), _tok(["responsibility"])),
)
_I_STATEMENT = _any(
    # subject, at most two words, then a feeling / cognition / want / ownership verb
    _seq(
        _tok(I_SUBJECTS),
        _gap(2),
        _any(_tok(FEELING_VERBS + COGNITION_VERBS + WANT_VERBS + OWNERSHIP_VERBS), _OWNERSHIP_PHRASES),
    ),
    # would like / 'd like
    _seq(_tok(["i'd"]), _gap(2), _tok(["like"])),
    _seq(_tok(["i"]), _gap(1), _tok(["would"]), _gap(1), _tok(["like"])),
    # am / 'm working on
    _seq(_any(_tok(["i'm", "im"]), _seq(_tok(["i"]), _tok(["am"]))), _gap(2), _tok(["working"]), _tok(["on"])),
    # i'm / i am / i was / i've been + (at most two words) + an emotion word
    _seq(
        _any(
            _tok(["i'm", "im"]),
            _seq(_tok(["i"]), _tok(["am", "was"])),
            _seq(_tok(["i've", "ive"]), _tok(["been"])),
            _seq(_tok(["i"]), _tok(["have"]), _tok(["been"])),
        ),
        _gap(2),
        _tok(EMOTION_WORDS),
    ),
)

# --- you-criticism (Gottman criticism proxy) --------------------------------------------------
_YOU = _tok(["you", "u"])
_YOU_ARE = _any(_tok(["you're", "youre", "ur", "u're"]), _seq(_YOU, _tok(["are"])))
_ALWAYS_NEVER = _tok(["always", "never"])
_YOU_CRITICISM = _any(
    _seq(_YOU, _ALWAYS_NEVER),
    _seq(_YOU_ARE, _ALWAYS_NEVER),
    _seq(_YOU, _any(_tok(["don't", "dont"]), _seq(_tok(["do"]), _tok(["not"]))), _tok(["even"])),
    _seq(_YOU, _any(_seq(_tok(["should"]), _tok(["have"])), _tok(["should've", "shouldve"]))),
    _seq(_tok(["your", "ur"]), _tok(["fault"])),
    _seq(_tok(["because", "bc", "cuz", "coz"]), _tok(["of"]), _YOU),
    _seq(_YOU, _tok(["made"]), _tok(["me"])),
    _seq(_any(_tok(["what's", "whats"]), _seq(_tok(["what"]), _tok(["is"]))), _tok(["wrong"]), _tok(["with"]), _YOU),
    _seq(
        _tok(["why"]),
        _tok(["do", "don't", "dont", "can't", "cant", "won't", "wont", "would"]),
        _YOU,
        _tok(["always", "never", "even"]),
    ),
)

# --- questions --------------------------------------------------------------------------------
WH_WORDS = (
    "what", "why", "how", "when", "where", "who", "which", "whose", "whom",
    "what's", "whats", "how's", "hows", "when's", "whens", "where's", "wheres", "who's", "whos",
    "why's", "what're", "where'd", "how'd", "who'd", "what'd", "what'll", "who'll",
)  # fmt: skip
SUBJECT_PRONOUNS = (
    "i", "you", "u", "we", "they", "he", "she",
    "i'm", "im", "i've", "ive", "i'd", "i'll", "you're", "youre", "ur", "you've", "you'll", "you'd",
    "we're", "we've", "we'll", "we'd", "they're", "theyre", "they've", "they'll", "they'd",
    "he's", "hes", "he'd", "he'll", "she's", "shes", "she'd", "she'll",
)  # fmt: skip
# "what a day", "how nice": exclamatives, not questions
EXCLAMATIVE_HEADS = (
    "a", "an", "nice", "lovely", "sweet", "cute", "cool", "fun", "funny", "weird", "sad", "awful",
    "lucky", "kind", "rude", "annoying", "amazing", "beautiful", "exciting", "strange", "terrible",
    "embarrassing", "random", "adorable", "awkward", "brilliant", "gorgeous", "horrible", "thoughtful",
)  # fmt: skip
AUXILIARIES = (
    "do", "does", "did", "are", "is", "was", "were", "can", "could", "would", "will", "should",
    "have", "has", "am", "r",
    "don't", "dont", "doesn't", "doesnt", "didn't", "didnt", "aren't", "arent", "isn't", "isnt",
    "wasn't", "wasnt", "weren't", "werent", "can't", "cant", "couldn't", "couldnt", "wouldn't",
    "wouldnt", "won't", "shouldn't", "shouldnt", "haven't", "havent", "hasn't", "hasnt",
)  # fmt: skip
AUX_SUBJECTS = (
    "i", "you", "u", "we", "they", "he", "she", "it", "that", "this", "there", "y'all", "yall", "ya",
)  # fmt: skip

_WH_START = _seq(_START, _tok(WH_WORDS))
_WH_START_EXCLUDED = _seq(_START, _tok(WH_WORDS), _tok(SUBJECT_PRONOUNS + EXCLAMATIVE_HEADS))
_AUX_QUESTION = _seq(_START, _tok(AUXILIARIES), _tok(AUX_SUBJECTS))
_QUESTION_MARK = "[?\uff1f]"

# --- apologies ----------------------------------------------------------------------------------
_SORRY = "so+r+y+|sry|srry|soz+|sowwy"
_APOLOGY = _any(
    _tok(_SORRY),
    _tok(
        [
            "apologize", "apologizes", "apologized", "apologizing", "apologise", "apologises",
            "apologised", "apologising", "apologies",
        ]
    ),
    _seq(_tok(["my"]), _tok(["bad", "fault"])),
    _seq(_tok(["forgive"]), _tok(["me"])),
)  # fmt: skip
_APOLOGY_EXCLUDED = _any(
    _seq(_tok(_SORRY), _tok(["to", "2"]), _tok(["hear"])),
    _seq(_tok(_SORRY), _tok(["for", "about"]), _tok(["your", "ur", "the"]), _tok(["loss"])),
)
_BARE_SORRY_STREAM = f"^{_tok(_SORRY)}(?: \\| )*\\z"

# --- laughter -----------------------------------------------------------------------------------
_LAUGH_TOKEN = _tok(
    "a?(?:h+a+){2,}h*|a+h+a+h+(?:a+h*)*|(?:h+e+){2,}h*|lo+l+(?:o+l+)*z?|lmf?a+o+|ro+fl+"
)
_LAUGHTER = _any(_LAUGH_TOKEN, _seq(_tok(["ha"]), _tok(["ha"])))
_LAUGH_EMOJI = "[\U0001f602\U0001f923]"

# --- research-backed extras ---------------------------------------------------------------------
#: Al-Mosaiwi & Johnstone (2018), Clinical Psychological Science 6(4), 529-542: absolutist index.
ABSOLUTIST_WORDS = (
    "absolutely", "all", "always", "complete", "completely", "constant", "constantly", "definitely",
    "entire", "ever", "every", "everyone", "everything", "full", "must", "never", "nothing",
    "totally", "whole",
)  # fmt: skip
GRATITUDE_WORDS = (
    "thank", "thanks", "thankyou", "thanku", "thx", "thnx", "thnks", "ty", "tysm", "tyvm",
    "grateful", "thankful", "appreciate", "appreciated", "appreciates", "appreciating",
)  # fmt: skip
_FUTURE_WE = _any(
    _seq(
        _tok(["we"]),
        f"(?:{_tok(['really', 'definitely', 'def', 'totally', 'still', 'just', 'also', 'so'])})?",
        _tok(["should", "could", "will", "can", "shall", "gotta"]),
    ),
    _tok(["we'll", "let's"]),
    _seq(_START, _tok(["lets"])),
)
_AFFECTION = _any(
    _seq(_tok(["love", "luv", "lov", "loves", "wuv"]), _tok(["you", "u", "ya", "yaa", "youu", "uu"])),
    _seq(_tok(["miss", "missing"]), _tok(["you", "u", "ya", "youu", "uu"])),
    _tok("ily+|ilysm|ilu|xo+|xoxo+|x{2,}|(?:xo){2,}x?"),
    # a lone "x" signing off the message
    r" x (?: \| )*\z",
)
_AFFECTION_EMOJI = (
    "[\u2764\u2665\U0001f495\U0001f496\U0001f497\U0001f493\U0001f49e\U0001f498\U0001f49d"
    "\U0001f499\U0001f49a\U0001f49b\U0001f49c\U0001f9e1\U0001f90d\U0001f90e\U0001f618\U0001f60d"
    "\U0001f970\U0001f63b\U0001f48b\U0001faf6\U0001f48f\U0001f491]"
)


def lexical_arrays(normalized: pa.Array, stream: pa.Array) -> dict[str, np.ndarray]:
    """Compute every lexical cue for all texts at once (``normalized`` and its token stream)."""
    out: dict[str, np.ndarray] = {}
    out["words"] = count_stream_words(stream)
    out["i_words"] = _count(stream, _tok(I_WORDS))
    out["we_words"] = _count(stream, _tok(WE_WORDS))
    out["you_words"] = _count(stream, _tok(YOU_WORDS))
    out["i_statement"] = _has(stream, _I_STATEMENT)
    out["you_criticism"] = _has(stream, _YOU_CRITICISM)
    wh = _count(stream, _WH_START) - _count(stream, _WH_START_EXCLUDED)
    out["question"] = _has(normalized, _QUESTION_MARK) | (wh > 0) | _has(stream, _AUX_QUESTION)
    has_mark = pc.match_substring(normalized, "?").fill_null(False).to_numpy(zero_copy_only=False)
    bare_sorry = _has(stream, _BARE_SORRY_STREAM) & has_mark
    out["apology"] = (_count(stream, _APOLOGY) > _count(stream, _APOLOGY_EXCLUDED)) & ~bare_sorry
    out["laughter"] = _has(stream, _LAUGHTER) | _has(normalized, _LAUGH_EMOJI)
    out["absolutist"] = _count(stream, _tok(ABSOLUTIST_WORDS))
    out["gratitude"] = _has(stream, _tok(GRATITUDE_WORDS))
    out["future_we"] = _has(stream, _FUTURE_WE)
    out["affection"] = _has(stream, _AFFECTION) | _has(normalized, _AFFECTION_EMOJI)
    return out
