"""The ``you_criticism`` cue: criticism or blame of the person spoken to (Gottman's criticism).

One vectorised entry point, :func:`you_criticism`, takes the normalised texts (see
:func:`reconnect_signals.cues.normalize_text`) as an Arrow or pandas string array and returns a
boolean numpy array. The patterns run on the token stream of :mod:`._tokens` (every word written as
`` word ``, sentence boundaries as `` | ``); all are RE2 (linear time, no backtracking) and run with
``pyarrow.compute`` over all messages at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa

from ._tokens import _as_arrow, _count, _stream_arrow

__all__: list[str] = []  # private module; the cue is computed by reconnect_signals.cues.text_cues


def _tok(words: Iterable[str] | str) -> str:
    """One whole token from ``words`` (literal words or, for a str, a raw RE2 token body)."""
    if isinstance(words, str):
        return f" (?:{words}) "
    body = "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))
    return f" (?:{body}) "


def _seq(*parts: str) -> str:
    """Consecutive tokens: each part is a ``_tok`` pattern (or an optional/gap group)."""
    return "".join(parts)


def _any(*patterns: str) -> str:
    return "(?:" + "|".join(patterns) + ")"

# --- you-criticism (Gottman's criticism: character, global blame, absolutist complaint, reproach) --
_YOU = _tok(["you", "u", "ya"])
_YOU_ARE_FULL = _any(
    _tok(["you're", "youre", "u're"]),
    _seq(_tok(["you", "u"]), _tok(["are", "r", "were"])),
)
# "ur" is also "your" ("ur shit" is the listener's stuff): it takes the adjectives only
_YOU_ARE = _any(_YOU_ARE_FULL, _tok(["ur"]))
#: Negative evaluative words for a person (traits and labels).
NEGATIVE_TRAITS = (
    "stupid", "dumb", "idiotic", "lazy", "rude", "annoying", "useless", "pathetic", "selfish", "mean",
    "cruel", "arrogant", "ignorant", "clueless", "ridiculous", "retarded", "incompetent",
    "obnoxious", "childish", "immature", "inconsiderate", "disrespectful", "insensitive",
    "irresponsible", "unreliable", "toxic", "manipulative", "fake", "dishonest", "hopeless",
    "worthless", "insane", "delusional", "hypocritical", "condescending", "patronising",
    "patronizing", "nasty", "horrible", "awful", "terrible", "disgusting", "boring", "lame",
    "creepy", "stubborn", "controlling", "needy", "clingy", "spoiled", "spoilt", "entitled",
    "careless", "thoughtless", "heartless", "petty", "dense", "thick", "impossible", "unbearable",
    "insufferable", "foolish", "uneducated", "illiterate", "hostile", "abusive", "offensive",
    "insulting", "impatient", "unfair", "cheap", "crap", "crappy", "shit", "shitty", "lousy",
    "pitiful", "ungrateful", "unhelpful", "two-faced", "rubbish", "brainless", "braindead",
    "moronic", "imbecilic", "paranoid", "lying", "whiny", "whining", "complaining", "trolling",
)  # fmt: skip
# the traits that may follow "you" without a verb ("u dumb"); not "mean", "fake", "lying" ...,
# which are verbs after "you" ("you mean ...")
_BARE_TRAITS = (
    "stupid", "dumb", "idiotic", "lazy", "rude", "annoying", "useless", "pathetic", "selfish",
    "arrogant", "ignorant", "clueless", "ridiculous", "retarded", "incompetent", "obnoxious",
    "childish", "immature", "moronic", "brainless",
)  # fmt: skip
# what the listener says or does, insulted: "your stupid comment"
_THEIR_OUTPUT = (
    "comment", "comments", "question", "questions", "attitude", "idea", "ideas", "answer", "answers",
    "remark", "remarks", "behaviour", "behavior", "post", "posts", "advice", "logic", "argument",
    "arguments", "excuse", "excuses", "suggestion", "suggestions", "reply", "replies", "response",
    "joke", "jokes", "opinion", "opinions", "ego", "mouth", "tone", "whining", "rant", "rants",
    "nonsense", "lies", "trolling", "spam",
)  # fmt: skip
# negated praise: "you aren't helpful", "you're not very smart"
_PRAISE = ("helpful", "smart", "clever", "bright", "funny", "nice", "useful", "intelligent", "welcome")
_NOUN_LIKE_TRAITS = ("crap", "shit", "shitty", "crappy", "cheap", "rubbish", "lousy")
#: Negative labels for a person (nouns).
NEGATIVE_LABELS = (
    "idiot", "moron", "imbecile", "fool", "jerk", "liar", "loser", "asshole", "ass", "arse",
    "arsehole", "dick", "douche", "douchebag", "bastard", "bitch", "prick", "twat", "cunt",
    "dumbass", "jackass", "retard", "troll", "clown", "hypocrite", "brat", "pest", "nuisance",
    "disgrace", "disappointment", "failure", "creep", "coward", "cheater", "slob", "snob",
    "narcissist", "psycho", "lunatic", "noob", "n00b", "lamer", "wanker", "tosser", "muppet",
    "numpty", "nutcase", "nutjob", "dimwit", "halfwit", "nitwit", "dolt", "idiots", "morons",
    "fools", "jerks", "liars", "losers", "trolls",
)  # fmt: skip
#: Labels that are negative only after an article ("you're a joke", "you're the worst").
ARTICLE_LABELS = (
    "joke", "pain", "waste", "disgrace", "disappointment", "failure", "nuisance", "worst", "menace",
    "embarrassment", "mess",
)  # fmt: skip
#: Words allowed between "you're" and the evaluative word ("you're such a", "you're being so").
_INTENSIFIERS = (
    "so", "such", "a", "an", "the", "really", "just", "always", "being", "very", "totally",
    "completely", "total", "complete", "absolute", "absolutely", "utter", "utterly", "fucking",
    "fuckin", "fking", "freaking", "frickin", "friggin", "damn", "damned", "bloody", "effing",
    "pretty", "quite", "too", "kinda", "seriously", "truly", "extremely", "incredibly", "super",
    "most", "biggest", "real", "little", "big", "acting", "sounding", "still", "also", "kind", "of",
    "regular", "typical", "plain", "simply", "clearly", "obviously", "certainly",
    "sort", "like", "one", "huge", "complete", "major", "stupid", "dumb", "lazy", "such",
)  # fmt: skip
_INT = rf"(?:{_tok(_INTENSIFIERS)}){{0,3}}"
_TRAIT = _any(
    _tok(NEGATIVE_TRAITS + NEGATIVE_LABELS),
    _seq(_tok(["a", "an", "the", "such"]), _INT, _tok(ARTICLE_LABELS)),
)
_TRAIT_UR = _tok(tuple(t for t in NEGATIVE_TRAITS if t not in _NOUN_LIKE_TRAITS))
_APPEAR = _any(
    _tok(["sound", "sounds", "seem", "seems", "look", "act", "acting", "behave", "behaving"]),
    _seq(_tok(["come", "coming", "came"]), _tok(["across", "off"]), _tok(["as"])),
)
_ALWAYS_ACTS = (
    # bare verbs, after "you always"
    "blame", "complain", "whine", "moan", "cancel", "forget", "ignore", "interrupt", "lie", "leave",
    "assume", "criticize", "criticise", "judge", "nag", "argue", "yell", "shout", "swear", "ruin",
    "mess", "screw", "twist", "exaggerate", "overreact", "flake", "bail", "ghost", "disappear",
    "ditch", "avoid", "dodge", "pick", "start", "take", "get", "act", "think", "turn", "change",
    "bring", "repeat", "spam", "ask", "make", "say", "do", "have", "run", "walk", "hang", "brush",
    "ignored", "forgot", "cancelled", "canceled", "blamed",
)  # fmt: skip
# the object or particle that makes the act a complaint ("you always do this", "you always get mad")
_ALWAYS_OBJECT = {
    "take": ("forever", "ages", "her", "his", "their", "it", "everything"),
    "get": ("mad", "angry", "defensive", "upset", "annoyed", "so", "like", "drunk", "jealous"),
    "act": ("like", "so", "as"),
    "think": ("you're", "youre", "ur", "you", "u", "everyone", "everybody", "i'm", "im", "it's", "i"),
    "turn": ("it", "everything", "this", "that", "things"),
    "change": ("the", "your", "ur"),
    "bring": ("it", "this", "that", "up"),
    "repeat": ("yourself", "the", "same"),
    "spam": (),
    "ask": ("the", "same", "stupid", "dumb"),
    "make": ("excuses", "everything", "fun", "drama", "things"),
    "say": ("that", "this", "stuff", "stupid", "mean", "no"),
    "do": ("this", "that", "it", "stupid", "dumb"),
    "have": ("an", "excuses", "something"),
    "run": ("away", "off"),
    "walk": ("away", "out", "off"),
    "hang": ("up",),
    "brush": ("me", "it", "off"),
    "pick": ("on", "fights", "fight"),
    "start": ("fights", "arguments", "drama", "shit"),
}
_ALWAYS_PLAIN = tuple(a for a in _ALWAYS_ACTS if a not in _ALWAYS_OBJECT)
_ALWAYS_ACT = _any(
    _tok(_ALWAYS_PLAIN),
    _seq(_tok(["make", "turn"]), _tok(["it", "this", "that", "everything", "things"]), _tok(["about"])),
    _seq(_tok(["run", "running"]), f"(?:{_tok(['this', 'so'])})?", _tok(["late"])),
    *(_seq(_tok([verb]), _tok(objects)) for verb, objects in _ALWAYS_OBJECT.items() if objects),
    _tok(["spam"]),
)
_NEVER_ACTS = (
    "listen", "text", "call", "reply", "answer", "respond", "help", "care", "ask", "read", "thank",
    "apologize", "apologise", "admit", "try", "bother", "remember", "notice", "visit", "share",
    "support", "consider", "compliment", "understand", "learn", "wait", "stop", "message",
    "write", "appreciate", "acknowledge", "include", "invite", "check", "follow", "show", "make",
    "come", "say", "tell", "let", "give", "think", "pay", "spend",
    "listened", "texted", "called", "replied", "answered", "responded", "helped", "cared",
    "thanked", "apologized", "apologised", "admitted", "bothered", "remembered", "noticed",
    "visited", "messaged", "wrote", "invited", "included", "acknowledged", "appreciated", "asked",
)  # fmt: skip
_NEVER_OBJECT = {
    "show": ("up", "any", "me", "that", "interest"),
    "make": ("time", "an", "the", "any", "plans", "effort"),
    "come": ("over", "back", "home", "visit", "see"),
    "say": ("sorry", "thank", "thanks", "please", "anything", "you're", "youre", "it", "what", "so"),
    "tell": ("me", "us", "anyone", "the"),
    "let": ("me", "us", "anyone", "go"),
    "give": ("me", "us", "a", "an", "any"),
    "think": ("about", "of", "before", "twice"),
    "pay": ("attention", "me", "back"),
    "spend": ("time", "any"),
    "check": ("on", "in", "your", "ur", "the", "first"),
    "follow": ("through", "up", "the", "instructions", "advice"),
    "stop": ("talking", "complaining", "whining", "it"),
}
_NEVER_PLAIN = tuple(a for a in _NEVER_ACTS if a not in _NEVER_OBJECT)
_NEVER_ACT = _any(
    _tok(_NEVER_PLAIN),
    *(_seq(_tok([verb]), _tok(objects)) for verb, objects in _NEVER_OBJECT.items()),
)
# "you're always late", "you're never there"
_YOURE_ALWAYS = _any(
    _seq(f"(?:{_tok(['so', 'too'])})?", _tok(["quick", "fast"]), _tok(["to"]),
         _tok(["judge", "blame", "criticize", "criticise", "assume", "complain", "jump", "anger"])),
    _tok(
        [
            "late", "busy", "wrong", "complaining", "whining", "moaning", "lying", "ignoring",
            "interrupting", "nagging", "criticizing", "criticising", "judging", "arguing", "yelling",
            "shouting", "cancelling", "canceling", "blaming", "forgetting", "leaving", "trolling",
            "spamming", "mad", "angry", "upset", "drunk", "on", "out", "picking", "starting",
        ]
    ),
    _TRAIT,
)
_YOURE_NEVER = _any(
    _seq(_tok(["gonna", "going"]), f"(?:{_tok(['to'])})?", _tok(["change", "grow", "learn", "listen"])),
    _tok([

        "there", "here", "around", "home", "available", "ready", "satisfied", "happy", "grateful",
        "right", "listening", "honest", "serious", "free", "on", "interested", "nice", "thankful",
    ]),
)
# "you made me cry", "you made me feel stupid"
_MADE_ME = _any(
    _tok(
        [
            "cry", "wait", "lose", "late", "angry", "mad", "sad", "upset", "hate", "waste", "sick",
            "worry", "miserable", "suffer", "reinstall", "regret", "doubt", "lie", "miss", "break",
            "delete", "lost",
        ]
    ),
    _seq(
        _tok(["feel", "look", "sound", "seem"]),
        f"(?:{_tok(['so', 'really', 'like', 'a', 'an', 'very', 'totally', 'such'])}){{0,2}}",
        _any(
            _tok(["bad", "stupid", "terrible", "awful", "worse", "dumb", "horrible", "guilty", "small",
                  "crap", "shit", "useless", "ugly", "worthless", "sad", "unwanted", "unloved",
                  "ignored", "invisible", "foolish", "silly", "embarrassed", "ashamed"]),
            _TRAIT,
        ),
    ),
)  # fmt: skip
# reproach: something owed to the speaker ("you should have told me", "you could've called")
_OWED = _any(
    _tok(
        [
            "told", "called", "asked", "said", "texted", "messaged", "mentioned", "warned", "informed",
            "replied", "answered", "responded", "listened", "waited", "apologized", "apologised",
            "thanked", "invited", "included", "helped", "cared", "bothered", "thought", "warn",
            "tell", "call", "ask", "text",
        ]
    ),
    _seq(_tok(["known", "know"]), _tok(["better"])),
    _seq(_tok(["been", "be"]), _tok(["there", "here", "honest"])),
    _seq(_tok(["let"]), _tok(["me", "us"])),
    _seq(_tok(["shown", "showed", "show"]), _tok(["up"])),
)
_SHOULD_HAVE = _any(
    _seq(_tok(["should", "could"]), _tok(["have", "of"])),
    _tok(["should've", "shouldve", "could've", "couldve", "shoulda", "coulda"]),
)
_YOU_NEVER_ALWAYS = _any(
    _seq(_YOU, _tok(["always", "constantly"]), f"(?:{_tok(['just', 'have', 'gotta', 'got', 'seem', 'to'])}){{0,2}}", _ALWAYS_ACT),
    _seq(_YOU, f"(?:{_tok(['just', 'really', 'literally', 'seriously', 'even'])})?", _tok(["never"]), f"(?:{_tok(['even', 'really', 'ever', 'once', 'actually', 'bother', 'to'])}){{0,2}}", _NEVER_ACT),
    _seq(_YOU_ARE, _tok(["always", "constantly", "forever"]), _YOURE_ALWAYS),
    _seq(_YOU_ARE, _tok(["never"]), _YOURE_NEVER),
)  # fmt: skip
# the addressed-you branches (the generic "if you never open the cover" is excluded below)
_YOU_BRANCHES = _any(
    # a negative trait or label: "you're so selfish", "ur annoying", "you're being a jerk"
    _seq(_YOU_ARE_FULL, _INT, _TRAIT),
    _seq(_tok(["ur"]), _INT, _TRAIT_UR),
    # "you sound so arrogant", "you come across as rude"
    _seq(_YOU, f"(?:{_tok(['really', 'just', 'always', 'sometimes', 'kinda'])})?", _APPEAR, _INT, _TRAIT),
    # a plain insult: "you idiot", "you stupid fool", "you suck"
    _seq(_YOU, f"(?:{_tok(_INTENSIFIERS + NEGATIVE_TRAITS)}){{0,2}}", _tok(NEGATIVE_LABELS)),
    _seq(_YOU, f"(?:{_tok(['really', 'just', 'so', 'totally', 'fucking', 'seriously'])})?", _tok(["suck", "stink", "suk"])),
    _seq(_tok(["you", "u"]), f"(?:{_tok(['so', 'really', 'r', 'such', 'are', 'a', 'too'])})?", _tok(_BARE_TRAITS)),
    _seq(
        _any(_tok(["you're", "youre", "ur", "you", "u"]), _seq(_tok(["you", "u"]), _tok(["are", "r"]))),
        _tok(["not", "aren't", "arent", "arnt", "aint", "ain't", "never", "weren't", "werent"]),
        f"(?:{_tok(['very', 'really', 'so', 'being', 'exactly', 'the', 'most', 'even', 'remotely', 'at', 'all', 'a', 'bit'])}){{0,2}}",
        _tok(_PRAISE[:-1]),
    ),
    # absolutist complaints
    _YOU_NEVER_ALWAYS,
    # global blame
    _seq(_YOU, f"(?:{_tok(['have', 'just', 'totally', 'completely', 'really'])})?", _tok(["made"]), _tok(["me"]), _MADE_ME),
    _seq(_any(_YOU, _tok(["you've", "youve"])), f"(?:{_tok(['have', 'just', 'totally', 'completely', 'really', 'always'])})?", _tok(["ruined", "ruin", "ruins", "wrecked", "destroyed"])),
    # "you don't listen", "you don't care": not caring, stated as a fact about the listener
    _seq(
        _YOU,
        _any(_tok(["don't", "dont", "didn't", "didnt"]), _seq(_tok(["do", "did"]), _tok(["not"]))),
        f"(?:{_tok(['really', 'even', 'ever'])})?",
        _tok(["listen", "care", "bother", "listened", "cared", "bothered"]),
    ),
    _seq(
        _YOU,
        _any(_tok(["don't", "dont", "didn't", "didnt"]), _seq(_tok(["do", "did"]), _tok(["not"]))),
        _tok(["even"]),
        _tok(["care", "listen", "try", "ask", "read", "bother", "notice", "remember", "know", "understand",
              "look", "think", "cared", "listened", "tried", "asked", "read", "bothered", "noticed",
              "remembered", "knew", "understood", "looked", "thought"]),
    ),
    # reproach for something owed to the speaker
    _seq(_YOU, _SHOULD_HAVE, f"(?:{_tok(['just', 'at', 'least', 'at', 'really', 'also', 'at'])}){{0,2}}", _OWED),
)  # fmt: skip
# "if you never open the cover", "when you always have to": generic "you"
_GENERIC = _tok(["if", "when", "whenever", "unless", "once", "until", "till", "til", "hope", "sure"])
_YOU_CRITICISM = _any(
    _YOU_BRANCHES,
    # a negative label in a question: "are you stupid?", "are you an idiot"
    _seq(_tok(["are", "r"]), _tok(["you", "u"]), _INT, _TRAIT),
    # misspelt "you're": "your so annoying", "your an idiot"
    _seq(_tok(["your", "ur"]), _tok(["so", "such", "a", "an", "being", "just", "really", "such"]), _INT, _TRAIT),
    # global blame
    _seq(_tok(["your", "ur", "yer"]), f"(?:{_tok(['own', 'fucking', 'damn'])})?", _tok(["fault"])),
    _seq(_tok(["because", "bc", "cuz", "coz", "cos"]), _tok(["of"]), _tok(["you", "u"])),
    _seq(
        _any(_tok(["what's", "whats"]), _seq(_tok(["what"]), f"(?:{_tok(['the'])}{_tok(['hell', 'fuck', 'heck', 'f'])})?", _tok(["is", "'s"]))),
        _tok(["wrong"]), _tok(["with"]), _tok(["you", "u", "ya"]),
    ),
    _seq(
        _tok(["why"]),
        _tok(["do", "don't", "dont", "can't", "cant", "won't", "wont", "would", "does", "must", "are", "r"]),
        _tok(["you", "u"]),
        _tok(["always", "never", "even", "constantly"]),
    ),
    # "how could you", "how could you do that"
    _seq(_tok(["how"]), _tok(["could", "can", "dare"]), _tok(["you", "u"]),
         _any(r"(?: \| )*\z", _tok(["do", "say", "not", "be", "ever", "even", "forget", "leave", "lie"]))),
    # "why don't you ever", "why won't you ever listen"
    _seq(_tok(["why"]), _tok(["don't", "dont", "won't", "wont", "can't", "cant", "didn't", "didnt"]),
         _tok(["you", "u"]), _tok(["ever"])),
    # "stop being so rude", "don't be such an idiot", "stop trolling"
    _seq(_any(_tok(["stop", "quit"]), _seq(_tok(["don't", "dont"]), _tok(["be"]))), f"(?:{_tok(['being', 'acting', 'such', 'so', 'a', 'an', 'like', 'an'])}){{0,3}}", _TRAIT),
    # "that was stupid of you"
    _seq(_tok(_BARE_TRAITS + ("mean", "nasty", "cruel", "low", "unfair", "immature")), _tok(["of"]), _tok(["you", "u", "ya"])),
    # "your stupid comment", "ur dumb questions"
    _seq(_tok(["your", "ur", "yer"]), f"(?:{_tok(['so', 'really', 'totally', 'fucking', 'damn', 'bloody', 'own'])})?", _tok(_BARE_TRAITS + ("lame", "crap", "crappy", "shitty", "worthless", "pointless", "constant", "endless", "silly", "dumbass")), _tok(_THEIR_OUTPUT)),
)  # fmt: skip
# negated or generic forms, subtracted from the count of matches
_YOU_CRITICISM_EXCLUDED = _any(
    _seq(_GENERIC, _YOU_BRANCHES),
    _seq(_tok(["not", "isn't", "isnt", "wasn't", "wasnt", "aint", "ain't", "never", "no"]),
         f"(?:{_tok(['really', 'entirely', 'all', 'even', 'totally', 'completely'])})?",
         _tok(["your", "ur", "yer"]), f"(?:{_tok(['own', 'fucking', 'damn'])})?", _tok(["fault"])),
)  # fmt: skip


def you_criticism(normalized: pa.Array | pd.Series, stream: pa.Array | None = None) -> np.ndarray:
    """Whether each message criticises or blames the person spoken to.

    Parameters
    ----------
    normalized : pyarrow.Array or pandas.Series
        Texts after :func:`reconnect_signals.cues.normalize_text` (missing values allowed).
    stream : pyarrow.Array, optional
        Their token stream, when the caller has it already (computed from ``normalized`` otherwise).

    Returns
    -------
    numpy.ndarray
        ``bool``, one value per text (``False`` for a missing text).
    """
    if not isinstance(normalized, pa.Array | pa.ChunkedArray):
        normalized = _as_arrow(pd.Series(normalized))
    if stream is None:
        stream = _stream_arrow(normalized)
    return _count(stream, _YOU_CRITICISM) > _count(stream, _YOU_CRITICISM_EXCLUDED)
