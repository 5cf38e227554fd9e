"""The cue catalogue: one record per cue, the single place a cue is described.

Every consumer derives from :data:`CATALOGUE`: the per-message cue registry
(:data:`reconnect_signals.cues.CUES`), the aggregate columns and aggregation rules of
:func:`reconnect_signals.aggregate_cues` / :func:`reconnect_signals.cue_table`, the plot labels and
units, the report's definitions, the classifier's feature lists and the wording of
:func:`reconnect_signals.signals`. Adding a cue is one pattern in ``cues/_lexical.py`` (the
per-message column) plus one :class:`CueSpec` here (see CONTRIBUTING.md).

A record describes the aggregate column a person sees (``we_rate``) and, when the cue introduces a
per-message column (``we_words``), that column too (:class:`MessageCue`). Rules
(:data:`RULES`) say how per-message values become a group's value:

``person_messages``
    number of person rows (every kind but ``system`` and ``reaction``).
``text_messages``
    number of ``kind == "text"`` person rows (the rows that carry lexical cues).
``count``
    number of person rows where the (boolean) source is true (turns, sessions opened).
``sum_text``
    sum of the source over text messages (``words``).
``per_text_message``
    sum of the source over text messages / text messages (``words_per_message``).
``pct_words``
    ``100 * sum(source) / sum(words)`` over text messages: a LIWC-style percentage of words.
``share_text_messages``
    share (0-1) of text messages whose flag is true.
``mean_text``
    mean of the source over text messages where it is defined (``sentiment_mean``).
``median_replies``
    median of the source over replies (``is_reply``); medians because latencies are heavy-tailed.
``share_turns_answered``
    1 - unanswered turns / turns.
``share_sessions_opened``
    sessions the sender opened / all sessions of the same scope (conversation, window).
``share_messages``
    share (0-1) of person messages whose flag is true (double texts).
``per_day``, ``lsm``
    computed by :func:`~reconnect_signals.signals` itself (messages a day, language style
    matching); not columns of the cue table.

These cues describe wording and timing; none is validated as evidence of what a person feels.

Examples
--------
>>> from reconnect_signals.cues import CATALOGUE
>>> spec = CATALOGUE["we_rate"]
>>> spec.source, spec.rule, spec.unit, spec.warmer
(('we_words',), 'pct_words', 'pct_words', 1)
>>> spec.signal.up
"uses 'we' more"
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ._lexical import EMOTION_WORDS

__all__ = [
    "CueSpec",
    "MessageCue",
    "SignalWording",
    "ValueFormat",
    "CATALOGUE",
    "FORMATS",
    "RULES",
    "UNITS",
    "SIGNAL_ORDER",
    "signal_specs",
]

#: How per-message values become a group's value (see the module documentation).
RULES: tuple[str, ...] = (
    "person_messages",
    "text_messages",
    "count",
    "sum_text",
    "per_text_message",
    "pct_words",
    "share_text_messages",
    "mean_text",
    "median_replies",
    "share_turns_answered",
    "share_sessions_opened",
    "share_messages",
    "per_day",
    "lsm",
)

# rule -> kind of statistic (how a resampling method re-computes it)
_STAT_OF_RULE = {
    "person_messages": "count",
    "text_messages": "count",
    "count": "count",
    "sum_text": "count",
    "per_text_message": "mean",
    "pct_words": "words",
    "share_text_messages": "messages",
    "mean_text": "mean",
    "median_replies": "median",
    "share_turns_answered": "messages",
    "share_sessions_opened": "messages",
    "share_messages": "messages",
    "per_day": "per_day",
    "lsm": "lsm",
}

#: unit -> (scale for display, axis label). A share of 0.25 is shown as 25 %.
UNITS: dict[str, tuple[float, str]] = {
    "pct_words": (1.0, "% of words"),
    "share": (100.0, "% of messages"),
    "sentiment": (1.0, "mean VADER compound (-1 to 1)"),
    "per_message": (1.0, "per message"),
    "count": (1.0, "count"),
    "seconds": (1.0, "seconds"),
    "per_day": (1.0, "messages a day"),
    "lsm": (1.0, "LSM (0 to 1)"),
}


@dataclass(frozen=True)
class MessageCue:
    """A per-message cue column (added by :func:`~reconnect_signals.message_cues`)."""

    name: str
    dtype: str  # "int64", "bool" or "float64"
    definition: str
    reference: str
    experimental: bool = False


@dataclass(frozen=True)
class SignalWording:
    """How :func:`~reconnect_signals.signals` reads a change in the cue, in words.

    ``up`` and ``down`` are the sentences of a clear rise or fall (``{other}`` is replaced by
    the other person's name), ``flat`` says the value barely moved, ``note`` is the research
    note that ends each reading. ``value_format`` names how values and changes are written
    (a key of :data:`FORMATS`). ``basis`` names the count behind a value (``n_before``,
    ``n_recent``): text messages, messages, replies, sessions or words. A change counts only
    when its interval lies beyond ``max(rel_tol * |before|, abs_tol)`` as well as zero (the
    practical tolerance: a smaller change is not worth a sentence).
    """

    label: str
    up: str
    down: str
    flat: str
    value_format: str
    note: str
    basis: str  # the count behind the value: "text", "messages", "replies", "sessions", "words"
    rel_tol: float = 0.10
    abs_tol: float = 0.0

    @property
    def fmt(self) -> Callable[[float], str]:
        """A value as written in a sentence (``FORMATS[value_format].long``)."""
        return FORMATS[self.value_format].long

    @property
    def relative(self) -> bool:
        """True when the practical tolerance is a fraction of the earlier value (``rel_tol``)."""
        return self.abs_tol == 0.0

    @property
    def tolerance(self) -> float:
        """The practical tolerance: ``rel_tol`` when :attr:`relative`, else ``abs_tol`` (cue units)."""
        return self.rel_tol if self.relative else self.abs_tol


@dataclass(frozen=True)
class CueSpec:
    """One cue: where it comes from, how it is aggregated, named, defined and read.

    Attributes
    ----------
    column : str
        The aggregate column (of ``cue_table(msgs, by=...)``, or of ``signals`` for the rules
        ``per_day`` and ``lsm``).
    source : tuple of str
        The per-message columns (cues or structure) the rule reads.
    rule : str
        One of :data:`RULES`.
    label : str
        Short lower-case label for plots, tables and the report.
    unit : str
        One of :data:`UNITS`.
    definition : str
        Plain-language definition for the report, with ``[Key]`` references.
    reference : str
        The research the cue comes from (short citations).
    kind : str
        ``"cue"`` (a cue column of the table), ``"count"`` (a count behind the cues), ``"extra"``
        (research-backed extras, aggregated when present) or ``"signal"`` (read by ``signals`` only).
    warmer : int
        +1 when a higher value reads warmer, -1 when lower reads warmer, 0 when neither can be said.
    message : MessageCue, optional
        The per-message column this cue introduces.
    signal : SignalWording, optional
        How ``signals`` reads a change (None: ``signals`` does not read this cue).
    precision, recall : float, optional
        Measured validity of the per-message rule on hand-labelled messages, where known.
    """

    column: str
    source: tuple[str, ...]
    rule: str
    label: str
    unit: str
    definition: str
    reference: str = ""
    kind: str = "cue"
    warmer: int = 0
    message: MessageCue | None = None
    signal: SignalWording | None = None
    precision: float | None = None
    recall: float | None = None

    @property
    def stat(self) -> str:
        """The kind of statistic.

        ``"words"`` (share of words), ``"messages"`` (share of messages or sessions), ``"mean"``
        (per text message), ``"median"``, ``"lsm"``, ``"per_day"`` or ``"count"``.
        """
        return _STAT_OF_RULE[self.rule]

    @property
    def totals(self) -> tuple[str, str]:
        """The block totals whose ratio is the value (numerator, denominator), for re-computing it
        on a resample of days; ``("", "")`` for a median or LSM.

        Names are per-message sources (summed over the rows the rule reads) or ``"messages"``,
        ``"text"`` (person and text messages), ``"words"``, ``"days"`` (the window's length),
        ``"<source>_n"`` (text messages where the source is defined) and ``"<source>_all"``
        (the source summed over every sender: sessions anyone opened).
        """
        src = self.source[0] if self.source else ""
        return {
            "pct_words": (src, "words"),
            "share_text_messages": (src, "text"),
            "per_text_message": (src, "text"),
            "mean_text": (src, f"{src}_n"),
            "share_messages": (src, "messages"),
            "share_sessions_opened": (src, f"{src}_all"),
            "per_day": ("messages", "days"),
        }.get(self.rule, ("", ""))

    @property
    def warmer_direction(self) -> str:
        """``"up"``, ``"down"`` or ``""``: :attr:`warmer` as the direction of a change."""
        return {1: "up", -1: "down", 0: ""}[self.warmer]

    @property
    def experimental(self) -> bool:
        """True when the per-message rule is marked experimental."""
        return self.message is not None and self.message.experimental


# --- value formats for the signal sentences --------------------------------------------------


def _trim(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _duration(seconds: float) -> str:
    """A duration in the unit that reads best: ``45 s``, ``12 min``, ``3.5 h``, ``2 days``."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    if seconds < 48 * 3600:
        return f"{_trim(seconds / 3600)} h"
    return f"{_trim(seconds / 86400)} days"


def _percent(value: float) -> str:
    pct = 100 * value
    return f"{pct:.1f}" if 0 < abs(pct) < 10 else f"{pct:.0f}"


@dataclass(frozen=True)
class ValueFormat:
    """How :func:`~reconnect_signals.signals` writes a cue's values and changes (one of :data:`FORMATS`).

    Attributes
    ----------
    long : callable
        A value in a sentence (``"4.2 % of messages"``).
    short : callable
        A value in the summary (``"4.2 %"``).
    scale : float or None
        Factor from the cue's units to the change shown (100 for shares: percentage points);
        None for a duration, whose change is written in one time unit chosen by its size.
    decimals : int
        Decimals of the change and its interval.
    suffix : str
        Unit written after the change (``" pp"``), or ``""``.
    """

    long: Callable[[float], str]
    short: Callable[[float], str]
    scale: float | None
    decimals: int
    suffix: str = ""


def _share(unit: str) -> ValueFormat:
    return ValueFormat(lambda v: f"{_percent(v)} % of {unit}", lambda v: f"{_percent(v)} %", 100.0, 1, " pp")


#: Value formats of the signal sentences, by the key :attr:`SignalWording.value_format` names.
FORMATS: dict[str, ValueFormat] = {
    "duration": ValueFormat(lambda v: f"median {_duration(v)}", _duration, None, 1),
    "per_day": ValueFormat(lambda v: f"{v:.1f} messages a day", lambda v: f"{v:.1f} a day", 1.0, 1),
    "words": ValueFormat(lambda v: f"{v:.1f} words per message", lambda v: f"{v:.1f} words", 1.0, 1),
    "share_sessions": _share("conversations"),
    "share": _share("messages"),
    "pct_words": ValueFormat(lambda v: f"{v:.1f} % of words", lambda v: f"{v:.1f} %", 1.0, 1, " pp"),
    "vader": ValueFormat(lambda v: f"VADER {v:+.2f}", lambda v: f"{v:+.2f}", 1.0, 2),
    "emoji": ValueFormat(lambda v: f"{v:.2f} emoji per message", lambda v: f"{v:.2f} emoji", 1.0, 2),
    "lsm": ValueFormat(lambda v: f"LSM {v:.2f}", lambda v: f"{v:.2f}", 1.0, 2),
}


def _pronoun(word: str, note: str) -> SignalWording:
    return SignalWording(
        f"'{word}'",
        f"uses '{word}' more",
        f"uses '{word}' less",
        f"uses '{word}' about as much",
        "pct_words",
        note,
        "text",
        abs_tol=0.1,
    )


_SPECS: tuple[CueSpec, ...] = (
    CueSpec(
        "messages", (), "person_messages", "messages", "count",
        "Messages a person sent: every row but system and reaction rows (text, media, deleted "
        "messages and calls count).",
        kind="count",
    ),
    CueSpec(
        "words", ("words",), "sum_text", "words", "count",
        "Text is lower-cased and web addresses, e-mail addresses and @mentions are removed; a word is a "
        "run of letters, digits and inner apostrophes, so a contraction such as i'm counts once. Emoji "
        "and punctuation are not words [Pennebaker 2015].",
        "LIWC word count (Pennebaker et al. 2015, LIWC2015 manual).",
        kind="count",
        message=MessageCue(
            "words", "int64",
            "Number of words: runs of letters/digits with internal apostrophes, after lower-casing and "
            "removing URLs, e-mail addresses and @mentions; emoji and punctuation are not words.",
            "LIWC word count (Pennebaker et al. 2015, LIWC2015 manual).",
        ),
    ),
    CueSpec(
        "words_per_message", ("words",), "per_text_message", "words per message", "per_message",
        "Words per text message of a person: a common engagement measure in chat research.",
        "Message length as engagement measure in chat studies.",
        warmer=1,
        signal=SignalWording(
            "message length", "writes longer messages than before", "writes shorter messages than before",
            "writes messages of about the same length", "words",
            "message length is a common engagement measure in chat research", "text", rel_tol=0.15,
        ),
    ),
    CueSpec(
        "i_rate", ("i_words",), "pct_words", "'I' words", "pct_words",
        "The share of all words that are 'I' words (i, me, my, mine, myself, i'm, ...), in percent, as "
        "in LIWC [Pennebaker 2015]. In couples' instant messages 'I' is far more frequent than 'we' "
        "[Slatcher 2008].",
        "LIWC 'i' (Pennebaker et al. 2015); Simmons, Gordon & Chambless 2005, Psychological Science.",
        message=MessageCue(
            "i_words", "int64",
            "Count of i, me, my, mine, myself, i'm, i've, i'll, i'd, im, ive.",
            "LIWC 'i' (Pennebaker et al. 2015); Simmons, Gordon & Chambless 2005, Psychological Science.",
        ),
        signal=_pronoun("I", "'I' is the most frequent pronoun in couples' messages (Slatcher et al. 2008)"),
    ),
    CueSpec(
        "we_rate", ("we_words",), "pct_words", "'we' words", "pct_words",
        "The share of all words that are 'we' words (we, us, our, let's, ...), in percent. Talk of 'we' "
        "has been linked to better relationship functioning [Seider 2009; Karan 2019].",
        "LIWC 'we'; Seider et al. 2009, Psychology and Aging; Karan, Rosenthal & Robbins 2019, JSPR.",
        warmer=1,
        message=MessageCue(
            "we_words", "int64",
            "Count of we, us, our, ours, ourselves, let's, lets, we're, we've, we'll, we'd.",
            "LIWC 'we'; Seider et al. 2009, Psychology and Aging; Karan, Rosenthal & Robbins 2019, JSPR.",
        ),
        signal=_pronoun(
            "we", "we-talk goes with closeness and satisfaction in couples research, with small "
            "effects (Karan et al. 2019)",
        ),
    ),
    CueSpec(
        "you_rate", ("you_words",), "pct_words", "'you' words", "pct_words",
        "The share of all words that are 'you' words (you, your, u, ur, y'all, ...), in percent. Heavy "
        "'you' use during conflict has been linked to worse relationship functioning [Simmons 2005].",
        "LIWC 'you' (Pennebaker et al. 2015); Slatcher, Vazire & Pennebaker 2008, Personal Relationships.",
        message=MessageCue(
            "you_words", "int64",
            "Count of you, your, yours, yourself, yourselves, you're, you've, you'll, you'd, youre, u, ur, "
            "y'all, yall.",
            "LIWC 'you' (Pennebaker et al. 2015); Slatcher, Vazire & Pennebaker 2008, Personal "
            "Relationships.",
        ),
        signal=_pronoun(
            "you", "you-talk during conflict goes with criticism in couples studies (Simmons et al. 2005)"
        ),
    ),
    CueSpec(
        "i_statement_rate", ("i_statement",), "share_text_messages", "I-statements", "share",
        "A message where the writer speaks about their own feeling, thought, wish or responsibility: 'I' "
        "followed within two words by a verb such as feel, miss, think, want, need or apologise, or "
        "'I'm' / 'I was' followed by an emotion word such as sorry, sad or glad. 'I went home' and 'I'm "
        "at work' do not count. The rate is the share of a person's text messages. I-language tends to "
        "make the listener less defensive [Rogers 2018].",
        "Gordon's I-messages; Rogers, Howieson & Neame 2018, PeerJ 6:e4831.",
        warmer=1,
        message=MessageCue(
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
        signal=SignalWording(
            "I-statements", "uses more I-statements", "uses fewer I-statements",
            "uses about as many I-statements", "share",
            "I-statements voice one's own feelings and meet less defensiveness (Rogers et al. 2018)",
            "text", abs_tol=0.02,
        ),
        precision=0.98, recall=0.74,  # held-out set v4 (docs/cues.md)
    ),
    CueSpec(
        "you_criticism_rate", ("you_criticism",), "share_text_messages", "criticism of the other person",
        "share",
        "A rough proxy for criticism in the sense of Gottman's 'Four Horsemen' [Gottman 1994]: a negative "
        "evaluation or insult aimed at the person addressed ('you're so selfish', 'you guys are useless', "
        "'you idiot'), a trolling accusation or dismissal ('are you here to troll?', 'get a life'), global "
        "blame ('your fault', 'you ruined'), an absolutist complaint ('you never listen') or a reproach "
        "('you should have told me', 'did you even read it?', 'I already told you'), an order to stop a "
        "trait ('stop being silly') or an accusation of lying ('you lied'); not idioms, advice, praise, "
        "quotes or banter. Absolutist words (always, never) mark black-and-white thinking [Al-Mosaiwi "
        "2018]. A phrase match, not a judgement of tone: it misses sarcasm and much criticism worded in "
        "other ways. The rate is the share of a person's text messages.",
        "Gottman's Four Horsemen (criticism), Gottman 1994; absolutist words, Al-Mosaiwi & Johnstone 2018.",
        warmer=-1,
        message=MessageCue(
            "you_criticism", "bool",
            "Criticism or blame of the addressee (Gottman's criticism), a phrase proxy: a negative word "
            "(the project's lists and VADER's negative words, minus states such as 'stuck') after you're / "
            "you are / ur / you guys are / you sound / you come across as ('you're so selfish', 'you guys "
            "are useless'); an insult ('you idiot', 'that's a stupid question', 'your advice is useless'); "
            "a trolling accusation ('are you here to troll?', 'stop trolling'); a dismissal ('get a life', "
            "'grow up', 'fuck off'); global blame (your fault, because of you, you made me + a bad "
            "outcome, you ruined, you're driving me crazy); an absolutist complaint (you always/never + a "
            "negative or uncaring act: 'you never listen'); or a reproach (you should/could have + told, "
            "called, asked ...; 'did you even read', 'you're not listening', 'I already told you', 'for "
            "the third time'); an order to stop a trait ('stop being silly', 'don't be rude'); or an "
            "accusation of lying ('you lied', 'liar'). Not idioms ('you never "
            "know'), advice ('you should have a look'), absolutist praise ('you always make me laugh'), "
            "negations ('not your fault'), generic you ('if you are paranoid'), reported or quoted "
            "insults ('everyone calls you stupid'), or banter marked by a wink or grin (';)', ':D').",
            "Gottman's Four Horsemen (criticism), Gottman 1994; absolutist words, Al-Mosaiwi & Johnstone "
            "2018.",
        ),
        signal=SignalWording(
            "you-criticism", "uses more phrases that criticise the other person",
            "uses fewer phrases that criticise the other person",
            "uses about as many phrases that criticise the other person", "share",
            "a word-pattern proxy for criticism in Gottman's sense, not a judgement of the messages",
            "text", abs_tol=0.01,
        ),
        # issue #14: held-out numbers of the fourth round's rules on set v4 (docs/cues.md; v1-v3 are
        # development data)
        precision=0.46, recall=0.18,
    ),
    CueSpec(
        "question_rate", ("question",), "share_text_messages", "questions", "share",
        "A message that contains a question mark or a sentence that opens like a question (a question "
        "word not followed by a subject, or an auxiliary followed by a subject: 'do you...', 'are "
        "we...'); the rate is the share of a person's text messages. Asking follow-up questions "
        "increases liking [Huang 2017].",
        "Huang et al. 2017, JPSP 113(3) ('It doesn't hurt to ask').",
        warmer=1,
        message=MessageCue(
            "question", "bool",
            "Contains '?'; or a sentence starts with a wh-word (what, why, how, when, where, who, which, "
            "whose, what's, how's, ...) not followed by a subject pronoun or an exclamative ('what a', "
            "'how nice'); or a sentence starts with an auxiliary (do, does, did, are, is, was, were, can, "
            "could, would, will, should, have, has, their negations, texting 'r') followed by a subject "
            "(i, you, u, we, they, he, she, it, that, this, there).",
            "Huang et al. 2017, JPSP 113(3) ('It doesn't hurt to ask').",
        ),
        signal=SignalWording(
            "questions", "asks more questions than before", "asks fewer questions than before",
            "asks about as many questions as before", "share",
            "asking questions, follow-up questions especially, goes with being liked (Huang et al. 2017)",
            "text", abs_tol=0.02,
        ),
        precision=0.97, recall=0.96,  # held-out set v4 (docs/cues.md)
    ),
    CueSpec(
        "apology_rate", ("apology",), "share_text_messages", "apologies", "share",
        "Sorry (also sry, soz), apologise, apologies, my bad, my fault, forgive me, excuse me, except "
        "sympathy ('sorry to hear', 'sorry for your loss'), negations ('not my fault') and 'sorry?' asking "
        "someone to repeat [Cohen & Olshtain 1981]; the rate is the share of a person's text messages.",
        "Cohen & Olshtain 1981 (IFIDs); Danescu-Niculescu-Mizil et al. 2013 politeness 'Apologizing'.",
        message=MessageCue(
            "apology", "bool",
            "sorry (and chat spellings: soz, sry, srry, sowwy, sorryyy), apologise/apologize, apologies, "
            "my bad, my fault, forgive me, excuse me / pardon me / excuse my ...; not sympathy ('sorry to "
            "hear', 'sorry for your loss', 'sorry man, that sucks', 'I feel sorry for'), not negated ('not "
            "my fault', 'don't be sorry', 'no need to apologise', 'you should be sorry'), and not a repair "
            "request ('sorry?', 'excuse me?', also when more follows: 'sorry? what was that').",
            "Cohen & Olshtain 1981 (IFIDs); Danescu-Niculescu-Mizil et al. 2013 politeness 'Apologizing'.",
        ),
        signal=SignalWording(
            "apologies", "apologises more than before", "apologises less than before",
            "apologises about as often as before", "share",
            "counts explicit apologies such as 'sorry' and 'my bad' (Cohen & Olshtain's IFIDs)",
            "text", abs_tol=0.01,
        ),
        precision=0.97, recall=0.99,  # held-out set v4 (docs/cues.md)
    ),
    CueSpec(
        "laughter_rate", ("laughter",), "share_text_messages", "laughter", "share",
        "Written laughter: haha, hehe, lol, lmao and the laughing emoji; the rate is the share of a "
        "person's text messages.",
        "Tagliamonte & Denis 2008, American Speech 83(1) (lol and haha in instant messaging).",
        warmer=1,
        message=MessageCue(
            "laughter", "bool",
            "A laughter token (haha, ahah, hehe and elongations, lol, lmao, lmfao, rofl) or 😂 / 🤣.",
            "Tagliamonte & Denis 2008, American Speech 83(1) (lol and haha in instant messaging).",
        ),
        signal=SignalWording(
            "laughter", "laughs more in writing (haha, lol)", "laughs less in writing (haha, lol)",
            "laughs in writing about as much", "share",
            "written laughter marks a light tone", "text", abs_tol=0.02,
        ),
    ),
    CueSpec(
        "emoji_per_message", ("emoji",), "per_text_message", "emoji per message", "per_message",
        "Emoji per text message, counted as people see them: a thumbs-up with a skin tone or a family "
        "emoji counts once. Text emoticons such as :) are not emoji.",
        "Unicode UTS #51 emoji sequences.",
        warmer=1,
        message=MessageCue(
            "emoji", "int64",
            "Number of emoji as users see them (grapheme clusters: 👍🏽, ❤️, 👨‍👩‍👧 and flags count 1), "
            "found with the emoji package; ASCII emoticons (':)', '<3') and ©/®/™ are not counted.",
            "Unicode UTS #51 emoji sequences.",
        ),
        signal=SignalWording(
            "emoji", "uses more emoji", "uses fewer emoji", "uses about as many emoji", "emoji",
            "emoji habits vary a lot between people and apps", "text", abs_tol=0.05,
        ),
    ),
    CueSpec(
        "sentiment_mean", ("sentiment",), "mean_text", "sentiment", "sentiment",
        "The VADER compound score of each message, from -1 (most negative) to +1 (most positive), "
        "averaged over a sender's messages [Hutto & Gilbert 2014]. VADER already scores emoji and 'lol', "
        "so sentiment and emoji are not two independent signs of warmth.",
        "Hutto & Gilbert 2014, ICWSM (r = 0.872 with mean human rating on 4,200 tweets).",
        warmer=1,
        message=MessageCue(
            "sentiment", "float64",
            "VADER compound score in [-1, 1] of the original-case text (vaderSentiment 3.3.2's rules, "
            "lexicon and emoji table, computed as array operations over all texts and equal to the "
            "package's score); NaN for rows without text and for messages in German, Spanish, French, "
            "Portuguese, Italian or Dutch (VADER is English). VADER already scores emoji and 'lol'.",
            "Hutto & Gilbert 2014, ICWSM (r = 0.872 with mean human rating on 4,200 tweets).",
        ),
        signal=SignalWording(
            "tone", "writes in a more positive tone", "writes in a less positive tone",
            "writes in about the same tone", "vader",
            "VADER scores wording from -1 to +1 and already counts emoji and 'lol' (Hutto & Gilbert 2014)",
            "text", abs_tol=0.05,
        ),
    ),
    CueSpec(
        "latency_median_s", ("latency_s", "is_reply"), "median_replies", "reply latency", "seconds",
        "On the first message of a turn, the time since the other person's last message; the table "
        "shows each person's median over their replies. Latencies are heavy-tailed, so the report shows "
        "medians and log scales. Exports that keep only minutes (WhatsApp) give 0 s for replies within "
        "the same minute. Chat timing is bursty: quick exchanges separated by long silences [Wu 2010].",
        "Wu et al. 2010, PNAS 107(44) (bimodal inter-message times).",
        warmer=-1,
        signal=SignalWording(
            "reply time", "replies more slowly than before", "replies faster than before",
            "replies about as fast as before", "duration",
            "reply speed is a timing cue texting studies relate to engagement, and it also follows "
            "schedules and habits", "replies", rel_tol=0.25,
        ),
    ),
    CueSpec(
        "reply_rate", ("unanswered", "is_turn_start"), "share_turns_answered", "turns answered", "share",
        "The share of a person's turns that got an answer within the same session.",
        warmer=1,
    ),
    CueSpec(
        "initiation_share", ("is_session_start",), "share_sessions_opened", "sessions opened", "share",
        "Initiation share is the share of the sessions (of the same conversation and window) that a "
        "person opened: who starts conversations is a common measure of investment.",
        warmer=1,
        signal=SignalWording(
            "share of conversations started", "starts a larger share of the conversations",
            "starts a smaller share of the conversations",
            "starts about the same share of the conversations", "share_sessions",
            "who starts conversations is a common measure of investment in relationship research",
            "sessions", abs_tol=0.05,
        ),
    ),
    CueSpec(
        "double_text_rate", ("is_double_text",), "share_messages", "double texts", "share",
        "A double text is a message sent at least 30 minutes after one's own previous message with no "
        "reply in between; the rate is the share of a person's messages.",
        signal=SignalWording(
            "double texts", "double-texts more than before", "double-texts less than before",
            "double-texts about as much as before", "share",
            "a double text is a message sent again after 30 minutes or more without a reply",
            "messages", abs_tol=0.02,
        ),
    ),
    CueSpec(
        "text_messages", (), "text_messages", "text messages", "count",
        "Text messages a person sent: the messages that carry word cues (the denominator of the "
        "message shares).",
        kind="count",
    ),
    CueSpec(
        "turns", ("is_turn_start",), "count", "turns", "count",
        "Turns a person took: a turn is an unbroken run of messages by one person.",
        kind="count",
    ),
    CueSpec(
        "sessions_opened", ("is_session_start",), "count", "sessions opened (count)", "count",
        "Sessions a person opened: a session is a stretch of messages with no pause longer than the "
        "session gap (6 hours by default).",
        kind="count",
    ),
    # --- research-backed extras: aggregated when message_cues provides them ----------------
    CueSpec(
        "absolutist_rate", ("absolutist",), "pct_words", "absolutist words", "pct_words",
        "The share of all words that are one of 19 absolutist words (always, never, nothing, "
        "completely, ...), in percent [Al-Mosaiwi 2018].",
        "Al-Mosaiwi & Johnstone 2018, Clinical Psychological Science 6(4):529-542.",
        kind="extra",
        message=MessageCue(
            "absolutist", "int64",
            "Count of the 19 absolutist words: absolutely, all, always, complete, completely, constant, "
            "constantly, definitely, entire, ever, every, everyone, everything, full, must, never, nothing, "
            "totally, whole.",
            "Al-Mosaiwi & Johnstone 2018, Clinical Psychological Science 6(4):529-542.",
        ),
    ),
    CueSpec(
        "gratitude_rate", ("gratitude",), "share_text_messages", "thanks", "share",
        "The share of text messages that thank (thanks, thank you, thx, grateful, appreciate).",
        "Algoe 2012, Social and Personality Psychology Compass; Gordon et al. 2012, JPSP 103(2).",
        kind="extra",
        warmer=1,
        message=MessageCue(
            "gratitude", "bool",
            "thank(s), thank you, thx, ty, tysm, grateful, thankful, appreciate(d).",
            "Algoe 2012, Social and Personality Psychology Compass (find-remind-and-bind); "
            "Gordon et al. 2012, JPSP 103(2).",
        ),
    ),
    CueSpec(
        "future_we_rate", ("future_we",), "share_text_messages", "joint plans", "share",
        "The share of text messages that make a joint plan ('we should', 'we could', 'let's').",
        "Seider et al. 2009 (we-talk); Agnew et al. 1998, JPSP 74(4) (cognitive interdependence).",
        kind="extra",
        warmer=1,
        message=MessageCue(
            "future_we", "bool",
            "A joint plan: we (optionally 'really', 'definitely', ...) should/could/will/can/shall/gotta, "
            "we'll, let's, or a sentence starting with 'lets'.",
            "Seider et al. 2009 (we-talk); Agnew et al. 1998, JPSP 74(4) (cognitive interdependence).",
        ),
    ),
    CueSpec(
        "affection_rate", ("affection",), "share_text_messages", "affection (experimental)", "share",
        "Experimental, not validated: the share of text messages with 'love you', 'miss you', 'xo', a "
        "closing 'x' or a heart or kiss emoji.",
        "Experimental, not validated; Gesselman, Ta & Garcia 2019, PLoS ONE 14(8):e0221297.",
        kind="extra",
        warmer=1,
        message=MessageCue(
            "affection", "bool",
            "Experimental: love you / love u / luv u, miss you / miss u, ily, xo/xoxo/xx, a closing 'x', "
            "or a heart/kiss emoji (❤, 💕, 😘, 😍, 🥰, ...; not 💔).",
            "Experimental, not validated; Gesselman, Ta & Garcia 2019, PLoS ONE 14(8):e0221297 (emoji as "
            "affective signals).",
            experimental=True,
        ),
    ),
    # --- read by signals() only -------------------------------------------------------------
    CueSpec(
        "messages_per_day", (), "per_day", "messages a day", "per_day",
        "Messages a person sent per day of the period (the recent window, or everything before it).",
        kind="signal",
        warmer=1,
        signal=SignalWording(
            "messages a day", "writes more often than before", "writes less often than before",
            "writes about as often as before", "per_day",
            "volume reflects engagement and circumstance alike", "messages", rel_tol=0.15,
        ),
    ),
    CueSpec(
        "lsm", (), "lsm", "language style matching (LSM)", "lsm",
        "How similarly two people use nine classes of function words (personal and impersonal pronouns, "
        "articles, auxiliary verbs, adverbs, prepositions, conjunctions, negations, quantifiers). For each "
        "class, 1 - |p1 - p2| / (p1 + p2 + 0.0001) with p the percentage of words; LSM is the mean over the "
        "classes, computed per window, and left empty when a side wrote fewer than 50 words "
        "[Ireland & Pennebaker 2010]. Typical values lie between .75 and .95; in couples' instant messages "
        "higher LSM went with still dating three months later [Ireland 2011]. The turn-by-turn variant "
        "(rLSM) follows [Muller-Frommeyer 2019]. The word lists are this library's own, not LIWC's.",
        "Ireland & Pennebaker 2010, JPSP; Ireland et al. 2011, Psychological Science.",
        kind="signal",
        warmer=1,
        signal=SignalWording(
            "style matching", "matches {other}'s writing style more closely",
            "matches {other}'s writing style less closely",
            "matches {other}'s writing style about as closely", "lsm",
            "language style matching is higher in engaged pairs (Ireland et al. 2011); typical values "
            "are .75-.95", "words", abs_tol=0.02,
        ),
    ),
)  # fmt: skip

#: Every cue by aggregate column, in table order (counts, cues, extras, then signal-only).
CATALOGUE: dict[str, CueSpec] = {s.column: s for s in _SPECS}

#: The order in which :func:`~reconnect_signals.signals` reports the cues it reads (a cue with
#: signal wording that is not listed here comes after these, see :func:`signal_specs`).
SIGNAL_ORDER: tuple[str, ...] = (
    "latency_median_s",
    "messages_per_day",
    "words_per_message",
    "initiation_share",
    "double_text_rate",
    "question_rate",
    "we_rate",
    "i_rate",
    "you_rate",
    "i_statement_rate",
    "you_criticism_rate",
    "apology_rate",
    "sentiment_mean",
    "laughter_rate",
    "emoji_per_message",
    "lsm",
)


def _check() -> None:
    """Catalogue invariants (run at import: a malformed entry fails at once, with its name)."""
    if len(CATALOGUE) != len(_SPECS):
        raise ValueError("cue catalogue: duplicate aggregate column")
    messages = [s.message.name for s in _SPECS if s.message is not None]
    if len(set(messages)) != len(messages):
        raise ValueError("cue catalogue: a per-message column is introduced twice")
    for s in _SPECS:
        if s.rule not in RULES or s.unit not in UNITS or s.kind not in ("cue", "count", "extra", "signal"):
            raise ValueError(f"cue catalogue: {s.column!r} has an unknown rule, unit or kind")
        if s.warmer not in (-1, 0, 1):
            raise ValueError(f"cue catalogue: {s.column!r} warmer must be -1, 0 or 1")
        if s.signal is not None and s.signal.value_format not in FORMATS:
            raise ValueError(f"cue catalogue: {s.column!r} has an unknown value format")
    if not set(SIGNAL_ORDER) <= {s.column for s in _SPECS if s.signal is not None}:
        raise ValueError("cue catalogue: SIGNAL_ORDER may only list cues with signal wording")


_check()


def signal_specs() -> tuple[CueSpec, ...]:
    """The cues :func:`~reconnect_signals.signals` reads: :data:`SIGNAL_ORDER` first, then any
    other entry with signal wording in catalogue order (so a new cue needs no second edit).

    Examples
    --------
    >>> from reconnect_signals.cues._catalogue import signal_specs
    >>> [s.column for s in signal_specs()][:3]
    ['latency_median_s', 'messages_per_day', 'words_per_message']
    """
    ordered = [CATALOGUE[c] for c in SIGNAL_ORDER]
    rest = [s for s in _SPECS if s.signal is not None and s.column not in SIGNAL_ORDER]
    return tuple(ordered + rest)
