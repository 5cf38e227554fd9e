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

from ._criticism import NEGATIVE_LABELS, NEGATIVE_TRAITS, you_criticism  # noqa: F401 (the lists: ._detect)
from ._pool import pc
from ._tokens import _WORD_CHAR, Prefilter, TokenTable, _count, _has, _stream_arrow

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

# Between the subject and the verb the spec allows at most two words, and only adverbs, negation
# and auxiliaries ("I really", "I don't", "I've been", "I'd really"): a closed list, so that
# "as i said you need" is not an I-statement.
I_FILLERS = (
    # auxiliaries and their negations
    "am", "was", "have", "had", "has", "been", "be", "do", "did", "does", "will", "would", "could",
    "can", "should", "shall", "may", "might", "must", "don't", "dont", "didn't", "didnt", "doesn't",
    "doesnt", "won't", "wont", "wouldn't", "wouldnt", "couldn't", "couldnt", "can't", "cant",
    "cannot", "shouldn't", "shouldnt", "haven't", "havent", "hadn't", "hadnt", "wasn't", "wasnt",
    "ain't", "aint", "gonna", "wanna", "gotta",
    # negation
    "not", "never", "no", "n't",
    # adverbs (closed list of the ones that sit between a subject and its verb)
    "really", "just", "still", "also", "so", "truly", "honestly", "actually", "genuinely", "always",
    "sometimes", "often", "usually", "kinda", "sorta", "totally", "definitely", "seriously",
    "personally", "already", "even", "only", "too", "certainly", "strongly", "deeply", "sincerely",
    "probably", "maybe", "again", "now", "then", "generally", "rarely", "hardly", "barely", "simply",
    "absolutely", "completely", "literally", "obviously", "somehow", "very", "quite", "pretty",
    "rather", "extremely", "super", "almost", "all", "def", "kind", "sort", "of", "a", "bit",
    "little", "ever", "once", "finally", "suddenly", "alone", "myself", "too", "as", "well",
    "fully", "badly", "desperately", "dearly", "terribly", "awfully", "incredibly", "being",
    "getting", "feeling", "becoming", "starting", "beginning", "currently", "slightly", "mostly",
    "frankly", "admittedly", "dunno",
)  # fmt: skip
_FILLER = _any(
    _tok(I_FILLERS + ("realy", "rly", "relly", "reallly", "keep", "kept", "keeps")),
    # "do not", "can not": one negated auxiliary written as two words
    _seq(_tok(["do", "did", "does", "can", "could", "would", "will", "should", "am", "was", "have"]), _tok(["not"])),
)
_FILL = rf"(?:{_FILLER}){{0,2}}"
_FILL1 = rf"(?:{_FILLER})?"
#: Cognition verbs the annotators of the real-message set read as voicing a thought, beyond the
#: spec's list (tuned on the ``dev`` items only): "i guess", "i doubt", "i suppose", "i recall".
EXTRA_COGNITION_VERBS = ("guess", "guessing", "doubt", "suppose", "recall")
#: States after "i'm" / "i am" the annotators read as voicing a thought: "I'm not sure".
EXTRA_STATES = (
    "sure", "unsure", "shocked", "surprised", "annoyed", "irritated", "embarrassed", "relieved",
    "pleased", "thrilled", "devastated", "heartbroken", "stressed", "depressed", "miserable",
    "hopeful", "impressed", "terrified", "puzzled", "amazed", "delighted", "sorrie",
)  # fmt: skip

_OWNERSHIP_PHRASES = _any(
    _seq(_tok(["was"]), _tok(["wrong"])),
    _seq(_tok(["made"]), f"(?:{_tok(['a', 'some', 'many', 'big', 'huge'])})?", _tok(["mistake", "mistakes"])),
    _seq(_tok(["should", "shouldn't", "shouldnt"]), _tok(["have"])),
    _seq(_tok(["take"]), _tok(["responsibility"])),
    _seq(_tok(["owe"]), _tok(["you", "u", "ya"]), f"(?:{_tok(['an', 'a', 'big', 'huge'])}){{1,2}}", _tok(["apology"])),
)
_I_STATEMENT = _any(
    # subject, at most two adverbs / negations / auxiliaries, then a feeling / cognition / want /
    # ownership verb
    _seq(
        _tok(I_SUBJECTS),
        _FILL,
        _any(
            _tok(FEELING_VERBS + COGNITION_VERBS + WANT_VERBS + OWNERSHIP_VERBS + EXTRA_COGNITION_VERBS),
            _OWNERSHIP_PHRASES,
        ),
    ),
    # "i can't help but feel": the idiom takes the place of the adverbs
    _seq(
        _tok(I_SUBJECTS),
        _FILL1,
        _tok(["can't", "cant", "cannot", "couldn't", "couldnt"]),
        _tok(["help"]),
        f"(?:{_tok(['but'])})?",
        _tok(FEELING_VERBS + COGNITION_VERBS + WANT_VERBS + ("wonder", "wondering", "wish")),
    ),
    # would like / 'd like
    _seq(_tok(["i'd"]), _FILL, _tok(["like"])),
    _seq(_tok(["i"]), _FILL1, _tok(["would"]), _FILL1, _tok(["like"])),
    # am / 'm working on
    _seq(_any(_tok(["i'm", "im"]), _seq(_tok(["i"]), _FILL1, _tok(["am"]))), _FILL, _tok(["working"]), _tok(["on"])),
    # i'm / i am / i was / i've been (adverbs allowed: "I really am sorry") + at most two words + an
    # emotion word
    _seq(
        _any(
            _tok(["i'm", "im"]),
            _seq(_tok(["i"]), _FILL1, _tok(["am", "was", "wasn't", "wasnt"])),
            _seq(_tok(["i've", "ive"]), _FILL1, _tok(["been"])),
            _seq(_tok(["i"]), _FILL1, _tok(["have", "had"]), _FILL1, _tok(["been"])),
        ),
        _FILL,
        _any(_tok(EMOTION_WORDS + EXTRA_STATES), _tok("so+r+[iy]+e?")),
    ),
)
# No elided subject: "not sure what you mean", "dunno" voice a thought but have no first-person
# subject, which CUES.md requires (v2's annotators did not count them; v1's did).
# A want or need asked about or supposed is not voiced (CUES.md: the speaker *voices* their want):
# "do i need to ...", "which command do I need", "would i need another cord", "if i want to
# install ...", "whatever i want to do". The verbs of the main branch after an inverted auxiliary
# (the subject follows it: a question) or after a conditional or generic conjunction.
_ASKING_AUX = (
    "do", "does", "did", "would", "will", "should", "shall", "can", "could", "must", "might", "may",
    "don't", "dont", "didn't", "didnt", "wouldn't", "wouldnt", "shouldn't", "shouldnt",
)  # fmt: skip
_SUPPOSING = ("if", "whenever", "whatever", "wherever", "whichever", "unless", "once", "until", "till", "incase")
_I_ASKED = _seq(
    _tok(_ASKING_AUX),
    _tok(["i"]),
    _FILL,
    _tok(WANT_VERBS),
)  # fmt: skip
_I_SUPPOSED = _seq(
    _tok(_SUPPOSING),
    _FILL1,
    _tok(I_SUBJECTS),
    _FILL,
    # not the hedge "if i recall (correctly)", which voices the thought
    _any(
        _tok(FEELING_VERBS + COGNITION_VERBS + WANT_VERBS + OWNERSHIP_VERBS + ("guess", "doubt", "suppose")),
        _OWNERSHIP_PHRASES,
    ),
)
#: Stands for "?" in the second token stream of the texts with a question mark (see lexical_arrays).
_QMARK_WORD = "qmarkqzq"
# a want inside a clause that ends with "?", not at its start: "does it mean that I need a full
# filesystem?", "to upgrade i just need to change sources.list?" (but "i need help, anyone?" is voiced)
_I_WANT_IN_QUESTION = _seq(
    " [^ |]+ ",
    _tok(I_SUBJECTS),
    _FILL,
    _tok(WANT_VERBS),
    r"(?: [^ |]+ )*?",
    _tok([_QMARK_WORD]),
)
# the same clauses that _I_ASKED or _I_SUPPOSED already subtract (each is subtracted once)
_I_WANT_IN_QUESTION_COUNTED = _seq(
    _tok(_ASKING_AUX + _SUPPOSING),
    _tok(I_SUBJECTS),
    _FILL,
    _tok(WANT_VERBS),
    r"(?: [^ |]+ )*?",
    _tok([_QMARK_WORD]),
)
# "all i needed to do was connect it": a description of a procedure, not a want
_I_STATEMENT_EXCLUDED = _any(
    _I_ASKED,
    _I_SUPPOSED,
    _seq(_tok(["all"]), _tok(["i"]), _tok(["need", "needed"]), _tok(["to", "2"]), _tok(["do"])),
    # "i missed the train": not the feeling verb
    _seq(
        _tok(I_SUBJECTS), _FILL, _tok(["miss", "missed", "missing"]), f"(?:{_tok(['the', 'a', 'my', 'that', 'this', 'your', 'our', 'an'])})?",
        _tok(["train", "bus", "flight", "plane", "call", "calls", "deadline", "meeting", "point", "class",
              "boat", "message", "messages", "text", "part", "beginning", "start", "shot", "cut", "window",
              "turn", "step", "line", "lecture", "appointment", "exit", "stop"]),
    ),
)  # fmt: skip

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

# a discourse marker may come first: "anyway how was the date", "sorry to bother you but do you"
_MARKER = f"(?:{_tok(['but', 'and', 'anyway', 'anyways', 'also', 'ok', 'okay', 'well', 'oh', 'hey', 'btw', 'lol', 'then', 'hmm', 'um', 'so'])})?"
_Q_START = _seq(_START, _MARKER)
_WH_START = _seq(_Q_START, _tok(WH_WORDS))
_WH_START_EXCLUDED = _seq(_Q_START, _tok(WH_WORDS), _tok(SUBJECT_PRONOUNS + EXCLAMATIVE_HEADS))
# "how you doing", "how u been": a question although a subject pronoun follows the wh-word
_HOW_YOU = _seq(
    _Q_START,
    _tok(["how", "hows", "how's"]),
    _tok(["you", "u", "ya", "yall", "y'all"]),
    _tok(["doing", "doin", "been", "feeling", "holding"]),
)
_AUX_QUESTION = _any(
    # "so do i" is no question: no marker before do/does/did/have/has
    _seq(_START, _tok(AUXILIARIES), _tok(AUX_SUBJECTS)),
    _seq(_START, _tok(["but", "and", "anyway", "also", "ok", "okay", "well", "oh", "hey", "btw"]), _tok(AUXILIARIES), _tok(AUX_SUBJECTS)),
    # in mid-sentence after "but" / "and": "sorry to bother you but do you have ..."
    _seq(_tok(["but", "and"]), _tok(["do", "does", "did", "are", "can", "could", "would", "will", "have"]), _tok(["you", "u", "ya"])),
    # "is everything ok", "are the kids asleep" (be-verbs and modals only: "do the dishes" is an order)
    _seq(
        _Q_START,
        _tok(["is", "are", "isn't", "isnt", "can", "could", "would", "will", "should", "does", "did"]),
        _tok(["everything", "anything", "something", "everyone", "anyone", "someone", "somebody",
              "anybody", "everybody", "the", "your", "ur", "my", "his", "her", "their", "our"]),
    ),
)  # fmt: skip
_QUESTION_MARK = "[?\uff1f]"

# --- apologies ----------------------------------------------------------------------------------
# sorry and its chat spellings: sorry, sooorry, sorryyy, sory, sorri, sry, srry, soz, sowwy, sowy
_SORRY = "so+r+[iy]+e?|sry+|srry+|soz+|sow+[iy]+|sowwie|sorz"
_APOLOGISE = (
    "apologize", "apologizes", "apologized", "apologizing", "apologise", "apologises", "apologised",
    "apologising", "apologies", "appologize", "appologise", "apologize", "apologyze",
    "appologies", "apolgize", "apolgise", "apolgies",
)  # fmt: skip
_APOLOGY = _any(
    _tok(_SORRY),
    _tok(_APOLOGISE),
    _seq(_tok(["my"]), _tok(["bad", "fault", "mistake", "apologies", "apology"])),
    _seq(_tok(["forgive"]), _tok(["me"])),
    _seq(_tok(["please", "pls", "plz"]), _tok(["forgive", "excuse"])),
    _seq(_tok(["owe"]), _tok(["you", "u", "ya"]), f"(?:{_tok(['an', 'a', 'big', 'huge'])}){{1,2}}", _tok(["apology"])),
    # run together: "ohsorry", "oopssorry"
    _tok(f"(?:oh|oops|ah|ok|okay|whoops|oups|k)(?:{_SORRY})"),
    # "excuse me" / "pardon me" / "excuse my ignorance" / "pardon the interruption" as apologies
    _seq(_tok(["excuse", "pardon", "scuse", "'scuse"]), _tok(["me", "my", "the", "our"])),
)
_NEGATION = _any(
    _tok(["not", "isn't", "isnt", "wasn't", "wasnt", "aint", "ain't", "never", "don't", "dont",
          "nothing", "nobody's", "noone's", "needn't"]),
    # "no need to be sorry", but "no, sorry, my mistake" is an apology
    _seq(_tok(["no"]), _tok(["need", "reason", "point"])),
)  # fmt: skip
_APOLOGY_EXCLUDED = _any(
    # sympathy: "sorry to hear", "sorry tohear", "sorry for your loss", "sorry man, that sucks"
    _seq(_tok(_SORRY), _tok(["to", "2"]), _tok(["hear", "read", "see", "learn", "say"])),
    _seq(_tok(_SORRY), _tok(["tohear", "2hear"])),
    _seq(_tok(_SORRY), _tok(["for", "about", "abt"]), _tok(["your", "ur", "the", "his", "her", "their"]), _tok(["loss", "losses"])),
    _seq(
        _tok(_SORRY),
        f"(?:{_tok(['man', 'dude', 'mate', 'bro', 'buddy', 'pal', 'guys', 'friend', 'though'])})?",
        "(?: \\| )?",
        _any(_tok(["that's", "thats", "it's", "its", "that", "this"]), _seq(_tok(["that", "it", "this"]), _tok(["is"]))),
        f"(?:{_tok(['really', 'totally', 'so', 'kinda', 'just', 'must'])})?",
        f"(?:{_tok(['be'])})?",
        _tok(["sucks", "sux", "blows", "stinks", "rough", "harsh", "tough", "unfortunate", "crap", "shit",
              "bad", "terrible", "awful", "hard", "happened", "happening"]),
    ),
    _seq(_tok(["feel", "feels", "felt", "feeling"]), f"(?:{_tok(['so', 'really', 'very', 'kinda', 'a', 'bit'])}){{0,2}}", _tok(_SORRY)),
    # "sorry you had to deal with that", "sorry you feel that way"
    _seq(
        _tok(_SORRY), f"(?:{_tok(['that'])})?", _tok(["you", "u", "you're", "youre", "ur"]),
        f"(?:{_tok(['had', 'have', 'are', 're', 'were', 'to', 'still', 'always'])}){{0,2}}",
        _tok(["deal", "dealing", "going", "went", "go", "feel", "feeling", "felt", "sick", "ill", "sad", "upset", "hurt"]),
    ),
    # negated: "not my fault", "isn't my fault", "don't be sorry", "no need to apologise",
    # "not sorry", "nothing to be sorry about", "you should be sorry", "are you sorry"
    _seq(_NEGATION, f"(?:{_tok(['really', 'entirely', 'even', 'all', 'totally', 'completely'])})?", _tok(["my"]), _tok(["fault", "bad"])),
    _seq(_NEGATION, f"(?:{_tok(['need', 'needs', 'reason', 'to', 'be', 'have', 'so', 'ever', 'feel'])}){{0,3}}", _tok(_SORRY)),
    _seq(_NEGATION, f"(?:{_tok(['need', 'needs', 'reason', 'to', 'have', 'ever'])}){{0,3}}", _tok(_APOLOGISE)),
    _seq(_tok(["you", "u", "he", "she", "they", "you'll", "youll"]), f"(?:{_tok(['should', 'will', 'better', 'gonna', 'would', 'must', 'ought', 'to', 'be'])}){{1,3}}", _tok(_SORRY)),
    _seq(_tok(["are", "r", "were"]), _tok(["you", "u"]), f"(?:{_tok(['really', 'even'])})?", _tok(_SORRY)),
)  # fmt: skip
# "excuse me" opening a message or sentence (after a nick at most) to ask for attention:
# "excuse me, is it true that ...", "excuse me how do i ...", "excuse me nootic"; still an apology
# when what follows owns a slip ("excuse me for ...", "excuse me if ...", "excuse me, wrong window")
_EXCUSE = _seq(_tok(["excuse", "pardon", "scuse", "'scuse"]), _tok(["me"]))
_EXCUSE_AT_START = _seq(_START, "(?: [^ |]+ )?", _EXCUSE, " [^ |]+ ")
_EXCUSE_OWNING = _seq(
    _START,
    "(?: [^ |]+ )?",
    _EXCUSE,
    _any(
        _tok(["for", "if", "while", "wrong", "typo", "meant", "mistake", "oops", "sorry", "again"]),
        _seq(_tok(["my"]), _tok(["mistake", "bad", "fault", "error", "typo"])),
    ),
)
_EXCUSE_INTERJECTED = _seq(
    _START, _tok(["oh", "oops", "whoops", "ah", "ahh", "well", "sorry", "ops", "o"]), _EXCUSE, " [^ |]+ "
)
# "not, sorry": a comma between a negation and "sorry" ends the negation ("unfortunately not, sorry
# if i seemed rude"); found on the normalised text, as the stream drops commas
_NEGATION_COMMA_SORRY = (
    rf"(?:^|[^{_WORD_CHAR}'])(?:not|never|nothing|no one|nobody|don't|dont|isn't|isnt)[ \t]*[,;][ \t]*(?:{_SORRY})"
    rf"(?:$|[^{_WORD_CHAR}'])"
)
# a repair request: "sorry?" or "pardon?" with the "?" right after it ("sorry? what was that"),
# found on the normalised text (the stream drops the difference between "?" and ".")
_REPAIR = (
    rf"(?:^|[^{_WORD_CHAR}'])(?:i'm |im |i am )?(?:{_SORRY}|excuse me|pardon me)"
    r"[ \t]*[?\x{FF1F}]"
)

# --- laughter -----------------------------------------------------------------------------------
_LAUGH_TOKEN = _tok("a?(?:h+a+){2,}h*|a+h+a+h+(?:a+h*)*|(?:h+e+){2,}h*|lo+l+(?:o+l+)*z?|lmf?a+o+|ro+fl+")
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


#: The cues that are counts of single tokens, in the column order of ``token_counts``.
TOKEN_COUNT_CUES: tuple[str, ...] = ("words", "i_words", "we_words", "you_words", "absolutist", "gratitude")


def token_counts(tokens: TokenTable) -> np.ndarray:
    """The :data:`TOKEN_COUNT_CUES` per text (int64 columns), by look-up in the token table.

    Equal to counting `` (?:word|...) `` in the token stream: every token carries its own two
    spaces, so non-overlapping matches are exactly the tokens of the list.
    """
    return (
        np.column_stack(
            [
                tokens.words(),
                tokens.count_words(I_WORDS),
                tokens.count_words(WE_WORDS),
                tokens.count_words(YOU_WORDS),
                tokens.count_words(ABSOLUTIST_WORDS),
                tokens.count_words(GRATITUDE_WORDS),
            ]
        )
        if tokens.n
        else np.zeros((0, len(TOKEN_COUNT_CUES)), dtype=np.int64)
    )


#: Every pattern :func:`lexical_arrays` runs through a :class:`Prefilter` (their ``requirements`` ship in a table)
PREFILTERED_PATTERNS = (
    _I_STATEMENT,
    _I_STATEMENT_EXCLUDED,
    _I_WANT_IN_QUESTION,
    _I_WANT_IN_QUESTION_COUNTED,
    _WH_START,
    _WH_START_EXCLUDED,
    _AUX_QUESTION,
    _HOW_YOU,
    _APOLOGY,
    _EXCUSE_AT_START,
    _EXCUSE_OWNING,
    _EXCUSE_INTERJECTED,
    _APOLOGY_EXCLUDED,
    _LAUGHTER,
    _FUTURE_WE,
    _AFFECTION,
)


def lexical_arrays(normalized: pa.Array, stream: pa.Array, counts: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Compute every lexical cue for all texts at once (``normalized`` and its token stream).

    ``counts``: the texts' :func:`token_counts`, when already computed.
    """
    if counts is None:
        counts = token_counts(TokenTable(stream))
    out: dict[str, np.ndarray] = {}
    out["words"] = counts[:, 0]
    out["i_words"] = counts[:, 1]
    out["we_words"] = counts[:, 2]
    out["you_words"] = counts[:, 3]
    # each pattern runs only on the texts that hold the words it needs (``Prefilter``)
    pf = Prefilter(stream)
    voiced = pf.count(_I_STATEMENT)
    # an exclusion only matters where its cue's own count is positive (``voiced > unvoiced`` is False
    # where ``voiced`` is 0 whatever ``unvoiced`` holds): a large call counts it on those texts alone
    unvoiced = pf.count_in(_I_STATEMENT_EXCLUDED, pf.rows_worth_picking(voiced > 0))
    question_mark = _has(normalized, _QUESTION_MARK)
    # a want inside a question sentence: the few texts with both are streamed again with "?" as a word
    asked = np.flatnonzero((voiced > unvoiced) & question_mark)
    if len(asked):
        marked = pc.replace_substring_regex(
            pc.take(normalized, pa.array(asked, pa.int64())), _QUESTION_MARK, f" {_QMARK_WORD} ."
        )
        # a dot inside a word ("15.04", "sources.list") ends no clause; a comma or a pause does:
        # "i want to extend that partition, how can i do that?" voices the want
        marked = pc.replace_substring_regex(marked, r"(\w)\.(\w)", r"\1\2")
        marked = pc.replace_substring_regex(marked, r"\.\.+|\x{2026}|,", " . ")
        marked_pf = Prefilter(_stream_arrow(marked))
        unvoiced[asked] += np.maximum(
            marked_pf.count(_I_WANT_IN_QUESTION) - marked_pf.count(_I_WANT_IN_QUESTION_COUNTED), 0
        )
    out["i_statement"] = voiced > unvoiced
    out["you_criticism"] = you_criticism(normalized, stream)
    wh_start = pf.count(_WH_START)
    wh = wh_start - pf.count_in(_WH_START_EXCLUDED, pf.rows_worth_picking(wh_start > 0))
    out["question"] = question_mark | (wh > 0) | pf.has(_AUX_QUESTION) | pf.has(_HOW_YOU)
    apologies = pf.count(_APOLOGY) + _count(normalized, _NEGATION_COMMA_SORRY)
    # what outweighs an apology (each count >= 0) only matters where there is one
    sorry = pf.rows_worth_picking(apologies > 0)
    if sorry is None:
        repairs = _count(normalized, _REPAIR)
    else:
        repairs = np.zeros(len(apologies), dtype=np.int64)
        if len(sorry):
            repairs[sorry] = _count(pc.take(normalized, pa.array(sorry, pa.int64())), _REPAIR)
    excuses = (
        pf.count_in(_EXCUSE_AT_START, sorry)
        - pf.count_in(_EXCUSE_OWNING, sorry)
        - pf.count_in(_EXCUSE_INTERJECTED, sorry)
    )
    attention = np.maximum(excuses, 0)
    out["apology"] = apologies > pf.count_in(_APOLOGY_EXCLUDED, sorry) + repairs + attention
    out["laughter"] = pf.has(_LAUGHTER) | _has(normalized, _LAUGH_EMOJI)
    out["absolutist"] = counts[:, 4]
    out["gratitude"] = counts[:, 5] > 0
    out["future_we"] = pf.has(_FUTURE_WE)
    out["affection"] = pf.has(_AFFECTION) | _has(normalized, _AFFECTION_EMOJI)
    return out
