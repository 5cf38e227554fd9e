"""Generate the bundled example chat: a seeded, clearly synthetic two-person WhatsApp export.

Run ``python tools/_generate_example.py`` (from a source checkout) to rewrite
``reconnect_signals/datasets/example_chat.txt`` (byte for byte the same on every run), or
``... --check`` to only verify that the shipped file is what the generator makes.

The story, in four phases (:data:`PHASES`, local dates in Europe/London):

1. ``together`` (2025-01-03 to 2025-05-31): warm. Fast replies, "we"/"us", affection,
   laughter, questions, emoji, balanced initiation.
2. ``strain`` (2025-06-01 to 2025-08-16): slower replies (Sam much slower), "you always /
   you never" criticism, fewer questions, apologies, shorter messages, and Alex double
   texting while Sam does not answer.
3. ``silence`` (2025-08-17 to 2025-10-04): the breakup conversation on 17 August, then a
   few weeks with almost nothing: Alex's unanswered (double) texts, a missed call.
4. ``reconnection`` (2025-10-05 to 2025-12-21): Sam reaches out again; I-statements
   ("i feel...", "i miss..."), apologies, questions; replies get faster and "we" returns.

Texts are composed from templates with slot fillers, in lowercase texting style ("u",
"im", "haha", occasional typos, multi-line messages, emoji with skin tones and ❤️). The
chat also has media rows, one deleted message, one edited message, a missed call and
system notices, and it crosses both 2025 daylight-saving changes of Europe/London (one
late-night conversation runs through the repeated hour of 26 October).

Only ``numpy.random.Generator.random`` is drawn from (uniform doubles, the most stable
stream numpy offers); every other distribution is derived from it here, so the file does
not depend on numpy's implementations of ``choice``, ``normal`` or ``poisson``.

Everything is invented: the two people, their family, places and words. Licence: CC0 1.0.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

__all__ = [
    "SEED",
    "TZ",
    "LAYOUT",
    "FILE_NAME",
    "PEOPLE",
    "PHASES",
    "Phase",
    "phase_of",
    "generate_frame",
    "render",
    "main",
]

#: The seed of the shipped file.
SEED = 20250103
#: Time zone of the wall clock written to the export.
TZ = "Europe/London"
#: WhatsApp layout the file is rendered in (Android, English, day/month/year, 24 h).
LAYOUT = "android_dmy_24h_en"
#: Name of the shipped file inside ``reconnect_signals/datasets``.
FILE_NAME = "example_chat.txt"
#: The two (invented) people. The export is written from Alex's phone.
PEOPLE = ("Alex", "Sam")
_CONVERSATION = "example"


@dataclass(frozen=True)
class Phase:
    """One phase of the story: local dates ``start`` (inclusive) to ``end`` (exclusive)."""

    name: str
    start: date
    end: date
    description: str


PHASES: tuple[Phase, ...] = (
    Phase(
        "together",
        date(2025, 1, 3),
        date(2025, 6, 1),
        "warm: fast replies, we-talk, affection, laughter, questions, emoji, balanced initiation",
    ),
    Phase(
        "strain",
        date(2025, 6, 1),
        date(2025, 8, 17),
        "slower replies, you-always/never criticism, apologies, short messages, Alex double texts",
    ),
    Phase(
        "silence",
        date(2025, 8, 17),
        date(2025, 10, 5),
        "the breakup on 17 August, then almost nothing: Alex's unanswered texts, a missed call",
    ),
    Phase(
        "reconnection",
        date(2025, 10, 5),
        date(2025, 12, 22),
        "Sam reaches out; I-statements, apologies, questions; faster replies, we-talk returns",
    ),
)


def phase_of(timestamps: pd.Series) -> pd.Series:
    """The phase name (:data:`PHASES`) of each timestamp, by its Europe/London date.

    Examples
    --------
    >>> import pandas as pd
    >>> from tools._generate_example import phase_of
    >>> ts = pd.Series(pd.to_datetime(["2025-02-01 12:00", "2025-10-05 20:00"]).tz_localize("UTC"))
    >>> phase_of(ts).tolist()
    ['together', 'reconnection']
    """
    local = pd.Series(timestamps).dt.tz_convert(TZ).dt.tz_localize(None).dt.normalize()
    edges = [pd.Timestamp(p.start) for p in PHASES] + [pd.Timestamp(PHASES[-1].end)]
    labels = [p.name for p in PHASES]
    out = pd.cut(local, bins=edges, labels=labels, right=False)
    return pd.Series(out.astype("str"), index=local.index, dtype="str")


# --------------------------------------------------------------------------- randomness


class _Dice:
    """Every draw comes from ``Generator.random()``; the distributions are derived here."""

    def __init__(self, seed: int):
        self._rng = np.random.default_rng(seed)

    def u(self) -> float:
        return float(self._rng.random())

    def chance(self, p: float) -> bool:
        return self.u() < p

    def pick(self, seq):
        return seq[min(int(self.u() * len(seq)), len(seq) - 1)]

    def weighted(self, weights: dict):
        total = sum(weights.values())
        x = self.u() * total
        acc = 0.0
        last = None
        for key, w in weights.items():
            if w <= 0:
                continue
            acc += w
            last = key
            if x < acc:
                return key
        return last

    def normal(self) -> float:  # Box-Muller
        u1, u2 = self.u(), self.u()
        return math.sqrt(-2.0 * math.log(1.0 - u1)) * math.cos(2.0 * math.pi * u2)

    def lognormal(self, median: float, sigma: float) -> float:
        return median * math.exp(sigma * self.normal())

    def exponential(self, mean: float) -> float:
        return -mean * math.log(1.0 - self.u())

    def poisson(self, lam: float) -> int:  # Knuth; lam is small here
        limit, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= self.u()
            if p <= limit:
                return k
            k += 1

    def geometric(self, mean: float) -> int:
        """Number of failures before a success, with the given mean (>= 0)."""
        if mean <= 0:
            return 0
        q = mean / (1.0 + mean)
        return int(math.log(1.0 - self.u()) / math.log(q))


# --------------------------------------------------------------------------- words

_SLOTS: dict[str, tuple[str, ...]] = {
    "food": (
        "pizza",
        "thai",
        "ramen",
        "tacos",
        "curry",
        "sushi",
        "pasta",
        "dumplings",
        "a takeaway",
        "noodles",
        "burgers",
        "pho",
        "fish and chips",
        "that lasagne",
    ),
    "place": (
        "the park",
        "the market",
        "the cinema",
        "the beach",
        "the pub",
        "the gym",
        "the library",
        "the bakery",
        "the coast",
        "the gallery",
        "the canal",
        "the garden centre",
        "the lido",
    ),
    "activity": (
        "a walk",
        "a film",
        "the quiz",
        "brunch",
        "movie night",
        "climbing",
        "a swim",
        "board games",
        "a bike ride",
        "yoga",
        "pottery class",
        "a long walk",
        "karaoke",
    ),
    "day": (
        "saturday",
        "sunday",
        "friday",
        "tomorrow",
        "tonight",
        "monday",
        "this weekend",
        "next weekend",
        "thursday",
    ),
    "time": ("6", "7", "half 7", "8", "9ish", "like 10", "half 6", "5"),
    "family": (
        "my sister",
        "my mum",
        "my brother",
        "ur mum",
        "my flatmate",
        "the neighbours",
        "my dad",
        "the team",
        "work people",
        "my cousin",
    ),
    "thing": (
        "work",
        "the meeting",
        "the interview",
        "ur day",
        "the dentist",
        "the gym",
        "the call with ur mum",
        "the presentation",
        "the exam",
        "training",
        "the deadline",
    ),
    "item": (
        "milk",
        "bread",
        "oat milk",
        "coffee",
        "eggs",
        "bin bags",
        "washing up liquid",
        "tomatoes",
        "wine",
        "crisps",
        "batteries",
        "loo roll",
        "cheese",
        "biscuits",
    ),
    "show": (
        "that show",
        "the documentary",
        "the new series",
        "bake off",
        "the football",
        "the film u mentioned",
        "the finale",
        "that cooking thing",
    ),
    "chore": ("laundry", "dishes", "hoovering", "bins", "shopping", "recycling", "bathroom"),
    "bad": (
        "cancel last minute",
        "check ur phone when im talking",
        "forget to text back",
        "make plans without asking me",
        "leave the dishes",
        "turn it around on me",
        "say youre fine when ur not",
        "bring up the past",
        "have time for everyone but me",
        "get defensive",
    ),
    "good": (
        "ask how im doing",
        "listen",
        "plan anything",
        "text back",
        "say sorry",
        "make time for me",
        "pick up",
        "help with anything",
    ),
    "emotion": (
        "hurt",
        "lonely",
        "sad",
        "nervous",
        "confused",
        "worried",
        "upset",
        "frustrated",
        "anxious",
        "disappointed",
    ),
    "spot": ("mat", "plant pot", "blue bin", "bike"),
    "bill": ("electric", "internet", "rent", "water bill"),
    "trip": ("the cottage", "flights", "the train to the coast", "tickets", "the festival"),
}
_SLOT_RE = re.compile(r"\{([a-z]+)\}")

_BANKS: dict[str, tuple[str, ...]] = {
    "greet": (
        "@am morning",
        "@am mornin",
        "hey u",
        "hiii",
        "heyyy",
        "@am good morning sleepyhead",
        "hey how's ur day going?",
        "@pm evening x",
        "@am im up",
        "hello you",
        "@pm home yet?",
        "@am morning!! how did u sleep?",
        "hey hey",
        "hi love",
        "@am wakey wakey",
    ),
    "we_plan": (
        "@daypm should we get {food} tonight?",
        "we should go to {place} {day}",
        "lets do {activity} {day}",
        "are we still on for {activity} {day}?",
        "we need to book {trip} soon",
        "@daypm lets just stay in tonight, {food} and {show}?",
        "we could try that new {food} place",
        "our turn to host {day} btw",
        "we said we'd sort the {chore} this weekend",
        "do we have any {item} left?",
        "we should have {family} over for {food}",
        "can we do {activity} {day}? i need it",
        "@daypm lets not cook tonight",
        "@day shall we go to {place} after work?",
        "we make a good team tbh",
        "our {chore} situation is a disaster haha",
        "let's go to {place} {day}, just us",
        "we deserve {food} after this week",
        "we still have to plan our trip!!",
        "i told {family} we'd come {day}",
        "we're out of {item} again",
    ),
    "affection": (
        "love u",
        "love you",
        "miss u already",
        "miss you",
        "cant wait to see u",
        "thinking about u",
        "ur the best",
        "@pm thank you for today, it was perfect",
        "youre the best part of my week",
        "i love us",
        "come home soon",
        "@night sleep well, love u",
        "xx",
        "so lucky to have u",
        "proud of u",
        "love you loads",
        "can't wait for {day} with u",
    ),
    "laugh": (
        "hahaha",
        "haha stop",
        "lol",
        "lmao",
        "hahaha no way",
        "HAHA",
        "im crying",
        "lol ur ridiculous",
        "hahaha thats so u",
        "hehe",
        "ahaha i cant",
        "lol same",
        "omg hahaha",
        "haha ok fair",
        "hahahaha",
        "lol what",
    ),
    "question": (
        "how was {thing}?",
        "@daypm what time are u back?",
        "did u see {show}?",
        "@day what do u fancy for dinner?",
        "how are u feeling?",
        "are u free {day}?",
        "@daypm wanna watch {show} tonight?",
        "what are u up to?",
        "how's {thing} going?",
        "did u eat?",
        "where are u?",
        "can u grab {item} on the way?",
        "do u want me to pick u up?",
        "how did {thing} go?",
        "is it raining there too?",
        "have u spoken to {family}?",
        "what shall we do {day}?",
        "have u seen the price of {item} now lol",
        "@day when do u finish?",
        "do we need anything?",
        "what was the name of that {food} place",
    ),
    "update": (
        "@pm just got home",
        "im on the train",
        "at {place} with {family}",
        "@pm work was long",
        "@pm im so tired today",
        "leaving now",
        "sorry running 10 min late",
        "i made {food}",
        "i just finished {thing}",
        "on the train",
        "@pm im home",
        "i forgot my charger again",
        "@day in a meeting til {time}",
        "back at {time}",
        "the {chore} is done",
        "@daypm gym then home",
        "phone on 5%",
        "stuck in traffic",
        "it was fine",
        "nothing much, just {activity}",
        "{family} says hi",
        "i bought {item}",
        "@pm finally weekend",
        "@night cant sleep",
        "on my way",
        "just landed",
        "walking home now",
        "@day lunch was rubbish",
    ),
    "answer": (
        "yeah",
        "yes!",
        "yeah def",
        "not sure yet",
        "around {time}",
        "sounds good",
        "ok",
        "maybe",
        "yep",
        "no not yet",
        "sure",
        "deal",
        "defo",
        "go on then",
        "hmm maybe {day}",
        "good thanks, long day tho",
        "yes pls",
        "{food}?",
        "fine thanks, u?",
        "not really",
        "about {time}",
    ),
    "logistics": (
        "@day ill be home at {time}",
        "can u grab {item}",
        "dont forget {item}",
        "keys are under the {spot}",
        "booked for {time}",
        "remind me to call {family}",
        "did u pay the {bill}?",
        "ill do the {chore} later",
        "parcel came for u",
    ),
    "banter": (
        "ur so annoying",
        "who ate all the {item}",
        "that pigeon is back on the balcony",
        "i have a theory about {show}",
        "guess what",
        "u will not believe what happened at {place}",
        "the cat next door is on our windowsill again",
        "my boss just replied all by accident",
        "{family} sent the worst meme",
    ),
    "goodnight": (
        "night x",
        "night night",
        "night love u",
        "sleep well",
        "nighty night",
        "gn",
        "night",
        "sweet dreams",
        "night, talk tomorrow",
        "night xx",
    ),
    "emoji_only": ("❤️", "😂", "😘", "🥰", "😂😂😂", "👍🏽", "🙈", "❤️❤️❤️", "😍", "🤣🤣"),
    "curt": (
        "ok",
        "fine",
        "k",
        "sure",
        "whatever",
        "if u say so",
        "cool",
        "right",
        "ok then",
        "noted",
        "yep",
        "ya",
        "mhm",
        "busy",
        "later",
        "ok.",
        "fine.",
    ),
    "criticism": (
        "you always {bad}",
        "you never {good}",
        "why do you always {bad}?",
        "you're always on ur phone",
        "you don't even {good} anymore",
        "you never ask about my day",
        "you should have told me",
        "its your fault we missed it",
        "you made me look stupid in front of {family}",
        "what's wrong with you lately",
        "why don't you ever {good}",
        "you always do this",
        "you never listen",
        "you're never here",
    ),
    "defensive": (
        "thats not fair",
        "@pm i was at work",
        "not this again",
        "can we not",
        "i said i was busy",
        "i literally told u",
        "fine. forget it",
        "i dont want to argue",
        "seriously?",
        "i didnt say that",
        "ur twisting it",
        "whatever makes u happy",
    ),
    "apology_strain": (
        "sorry",
        "sorry, was busy",
        "sorry i missed ur call",
        "sorry im late again",
        "my bad",
        "sorry, work is mad",
        "sorry i snapped",
        "im sorry ok",
        "sorry, phone died",
    ),
    "tired": (
        "so tired",
        "long day",
        "not in the mood tbh",
        "@night going to bed",
        "cant talk now",
        "@day at work",
        "headache",
        "@night need sleep",
        "ill call u later",
        "cant tonight",
        "@pm working late",
    ),
    "nudge": (
        "hello?",
        "??",
        "u there?",
        "did u see my message",
        "guess ur busy",
        "ok well let me know",
        "answer ur phone pls",
        "are we talking about this or not",
        "hello??",
        "just let me know ur ok",
        "?",
    ),
    "tentative": (
        "hey",
        "hope ur ok",
        "how have u been?",
        "is this ok? me texting",
        "no pressure to reply",
        "hi. how's things",
        "hey. saw something that made me think of u",
        "hope work is going ok",
        "no worries if not",
        "how are u doing, really?",
        "hi",
        "hey, u around?",
    ),
    "guarded": (
        "thanks for saying that",
        "i dont know what to say",
        "im ok",
        "its been a weird few months",
        "i need time to think",
        "that means a lot actually",
        "im not sure",
        "maybe",
        "ok",
        "fair enough",
        "i guess",
        "not sure how i feel about it",
        "ok. thank u",
    ),
    "i_statement": (
        "i miss talking to u",
        "i think about {place} a lot",
        "i need to take it slow",
        "im glad ur doing ok",
        "i appreciate u talking to me",
        "i hope we can at least be friends",
        "im proud of u for {thing}",
        "im really happy we talked",
        "i miss u",
        "i felt {emotion} for a long time",
        "i know it takes time",
        "i'd like that",
        "i think i understand it better now",
        "i really miss our {activity}",
    ),
    "i_statement_sam": (
        "i feel bad about how things ended",
        "i think i was scared",
        "i feel like i owe u a proper apology",
        "i want to do this properly this time",
        "i was wrong about a lot of things",
        "i feel nervous even typing this",
        "i realise i never really listened",
        "i should have said something sooner",
        "i've been working on stuff. therapy and that",
        "im grateful u replied",
        "i feel calmer than i did",
        "i hate how i handled it",
    ),
    "i_statement_alex": (
        "i know i wasnt easy to be with",
        "i feel a bit confused honestly",
        "i was so angry for a while",
        "i want to believe it",
        "i need to be careful this time",
        "i think i pushed too hard back then",
        "im not angry anymore",
        "i felt like i wasnt enough",
        "i appreciate u saying that",
    ),
    "apology_reconnect": ("sorry, i know thats a lot", "sorry if this is weird", "sorry for the essay"),
    "apology_reconnect_sam": (
        "im sorry for everything",
        "sorry for going quiet back then",
        "i apologise for what i said in august",
        "im sorry i didnt listen",
        "my fault, not urs",
        "forgive me for being a mess back then",
    ),
    "apology_reconnect_alex": (
        "sorry i was so angry",
        "im sorry too. for the stuff i said",
        "sorry, i pushed a lot back then",
    ),
    "question_reconnect": (
        "how have u been?",
        "how's {family}?",
        "are u still doing {activity}?",
        "would u want to get coffee sometime?",
        "how was {thing}?",
        "what have u been up to?",
        "can i call u later?",
        "do u still go to {place}?",
        "is {day} ok for a walk?",
        "what do u think?",
        "how are u feeling about all this?",
        "did u get home ok?",
        "what are u doing {day}?",
    ),
    "we_return": (
        "we should do {activity} again",
        "lets get {food} {day}?",
        "we were good at this",
        "are we still on for {day}?",
        "i liked us today",
        "we could try {place} again",
        "lets take it slow but yes",
        "our {activity} was the best bit of my week",
        "we should go back to {place}",
        "let's do {day}, just us",
    ),
}

_EMOJI = {
    "warm": ("❤️", "😘", "😂", "🥰", "😊", "👍🏽", "🙌🏽", "😍", "🤣", "✨", "😴", "🙈", "❤️❤️", "😂😂", "👋🏻"),
    "cold": ("🙄", "😒", "👍🏽", "😔", "🙃", "😐"),
    "soft": ("🙂", "😊", "🙏🏼", "😅", "🥺", "❤️", "😂"),
}
_LAUGH_EMOJI = ("😂", "🤣", "😂😂")


_WHEN = {  # template prefix -> local hours it may be sent in
    "@am": frozenset(range(5, 12)),
    "@day": frozenset(range(9, 18)),
    "@daypm": frozenset(range(8, 21)),
    "@pm": frozenset(range(17, 24)),
    "@night": frozenset((21, 22, 23, 0, 1, 2, 3)),
}


def _split_tag(template: str) -> tuple[frozenset | None, str]:
    if template.startswith("@"):
        tag, _, rest = template.partition(" ")
        return _WHEN[tag], rest
    return None, template


_TIMED: dict[str, tuple[tuple[frozenset | None, str], ...]] = {
    name: tuple(_split_tag(x) for x in bank) for name, bank in _BANKS.items()
}


def _pick_template(dice: _Dice, category: str, hour: int) -> str:
    """A template of ``category`` that fits the local ``hour`` ("morning" is not sent at 9 pm)."""
    bank = _TIMED[category]
    for _ in range(8):
        hours, template = dice.pick(bank)
        if hours is None or hour in hours:
            return template
    return dice.pick([x for h, x in bank if h is None] or [x for _, x in bank])


def _fill(dice: _Dice, template: str) -> str:
    return _SLOT_RE.sub(lambda m: dice.pick(_SLOTS[m.group(1)]), template)


def _typo(dice: _Dice, text: str) -> str:
    words = text.split(" ")
    idx = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if not idx:
        return text
    i = dice.pick(idx)
    w = words[i]
    j = 1 + int(dice.u() * (len(w) - 2))
    j = min(j, len(w) - 2)
    words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    return " ".join(words)


# --------------------------------------------------------------------------- phase parameters


def _progress(day: date) -> float:
    """0 at the start of the reconnection phase, 1 at its end."""
    p = PHASES[3]
    return min(1.0, max(0.0, (day - p.start).days / max(1, (p.end - p.start).days - 1)))


def _geo(a: float, b: float, t: float) -> float:
    return math.exp(math.log(a) * (1 - t) + math.log(b) * t)


def _lin(a: float, b: float, t: float) -> float:
    return a * (1 - t) + b * t


def _mix(a: dict, b: dict, t: float) -> dict:
    return {k: _lin(a.get(k, 0.0), b.get(k, 0.0), t) for k in {**a, **b}}


_MIX_TOGETHER = {
    "we_plan": 15,
    "affection": 11,
    "laugh": 11,
    "question": 16,
    "update": 17,
    "logistics": 6,
    "banter": 6,
    "answer": 4,
    "emoji_only": 3,
}
_MIX_STRAIN = {
    "update": 20,
    "curt": 22,
    "criticism": 12,
    "apology_strain": 7,
    "defensive": 9,
    "tired": 13,
    "question": 3,
    "logistics": 5,
    "laugh": 2,
    "we_plan": 2,
    "affection": 2,
}
_MIX_RECON_EARLY = {
    "guarded": 10,
    "i_statement": 24,
    "apology_reconnect": 16,
    "question_reconnect": 17,
    "update": 17,
    "laugh": 3,
}
_MIX_RECON_LATE = {
    "i_statement": 12,
    "question_reconnect": 12,
    "question": 6,
    "we_return": 13,
    "we_plan": 4,
    "laugh": 11,
    "affection": 4,
    "update": 18,
    "banter": 4,
    "answer": 3,
    "apology_reconnect": 4,
    "emoji_only": 2,
}


@dataclass(frozen=True)
class _Params:
    phase: str
    t: float
    sessions_per_day: float
    turns_mean: float
    burst: float
    latency_median: dict
    latency_sigma: float
    no_reply: dict
    sam_initiates: float
    double_text: float
    emoji: dict
    emoji_pool: str
    media: float
    multiline: float


def _params(day: date) -> _Params:
    phase = next(p.name for p in PHASES if p.start <= day < p.end)
    if phase == "together":
        return _Params(
            phase,
            0.0,
            sessions_per_day=1.65,
            turns_mean=3.0,
            burst=0.7,
            latency_median={"Alex": 60.0, "Sam": 80.0},
            latency_sigma=1.2,
            no_reply={"Alex": 0.01, "Sam": 0.01},
            sam_initiates=0.5,
            double_text=0.0,
            emoji={"Alex": 0.30, "Sam": 0.17},
            emoji_pool="warm",
            media=0.012,
            multiline=0.03,
        )
    if phase == "strain":
        return _Params(
            phase,
            0.0,
            sessions_per_day=2.0,
            turns_mean=2.6,
            burst=0.3,
            latency_median={"Alex": 480.0, "Sam": 2400.0},
            latency_sigma=1.3,
            no_reply={"Alex": 0.04, "Sam": 0.14},
            sam_initiates=0.3,
            double_text=0.45,
            emoji={"Alex": 0.06, "Sam": 0.04},
            emoji_pool="cold",
            media=0.01,
            multiline=0.01,
        )
    t = _progress(day)  # the reconnection warms up from t=0 to t=1
    return _Params(
        phase,
        t,
        sessions_per_day=_lin(0.8, 1.5, t),
        turns_mean=_lin(2.4, 3.4, t),
        burst=_lin(0.45, 0.7, t),
        latency_median={"Alex": _geo(7200.0, 80.0, t), "Sam": _geo(1200.0, 60.0, t)},
        latency_sigma=1.1,
        no_reply={"Alex": _lin(0.10, 0.01, t), "Sam": _lin(0.04, 0.01, t)},
        sam_initiates=_lin(0.85, 0.6, t),
        double_text=0.0,
        emoji={"Alex": _lin(0.04, 0.25, t), "Sam": _lin(0.06, 0.18, t)},
        emoji_pool="soft",
        media=_lin(0.0, 0.02, t),
        multiline=_lin(0.06, 0.03, t),
    )


def _mix_for(p: _Params, speaker: str) -> dict:
    if p.phase == "together":
        return _MIX_TOGETHER
    if p.phase == "strain":
        mix = dict(_MIX_STRAIN)
        if speaker == "Alex":  # Alex criticises and asks more; Sam withdraws (tired, curt)
            mix["criticism"] *= 1.6
            mix["question"] *= 1.5
            mix["tired"] *= 0.5
            mix["defensive"] *= 0.4
        else:
            mix["curt"] *= 1.3
            mix["apology_strain"] *= 1.4
            mix["criticism"] *= 0.5
        return mix
    mix = _mix(_MIX_RECON_EARLY, _MIX_RECON_LATE, p.t)
    if speaker == "Alex":  # Alex is guarded at first; Sam carries the apologies
        mix["guarded"] = mix.get("guarded", 0.0) * 2.0
        mix["apology_reconnect"] *= 0.4
    else:
        mix["guarded"] = mix.get("guarded", 0.0) * 0.2
        mix["i_statement"] *= 1.2
    return mix


# --------------------------------------------------------------------------- composing messages

# session start: relative weight of each local hour (evenings busiest)
_HOURS = np.array(
    [
        0.35,
        0.12,
        0.03,
        0.01,
        0.01,
        0.02,
        0.2,
        0.9,
        1.1,
        0.6,
        0.45,
        0.55,
        1.0,
        0.9,
        0.45,
        0.45,
        0.55,
        0.9,
        1.3,
        1.5,
        1.8,
        2.0,
        1.6,
        0.9,
    ]
)


@dataclass
class _Row:
    t: float  # POSIX seconds
    sender: str | None
    text: str | None
    kind: str = "text"
    edited: bool = False


class _Writer:
    def __init__(self, dice: _Dice):
        self.dice = dice
        self.rows: list[_Row] = []
        self.quiet_days = 0

    @property
    def last_t(self) -> float:
        return self.rows[-1].t if self.rows else 0.0

    def add(self, t: float, sender, text, kind="text", edited=False) -> float:
        t = max(t, self.last_t)
        self.rows.append(_Row(t, sender, text, kind, edited))
        return t

    def compose(self, p: _Params, speaker: str, category: str, t: float) -> str:
        d = self.dice
        hour = _hour(t)
        own = f"{category}_{speaker.lower()}"  # some lines only fit one of the two
        if own in _BANKS and d.chance(0.6):
            category = own
        recent = {r.text for r in self.rows[-40:]}
        for _ in range(4):  # nobody repeats a line they just sent
            text = _fill(d, _pick_template(d, category, hour))
            if text not in recent:
                break
        if category == "laugh" and d.chance(0.35):
            text = text + " " + d.pick(_LAUGH_EMOJI)
        if d.chance(p.multiline):
            extra = d.weighted(_mix_for(p, speaker))
            if extra not in ("curt", "answer"):
                text = text + "\n" + _fill(d, _pick_template(d, extra, hour))
        if d.chance(p.emoji[speaker]):
            text = text + d.pick(("", " ", " ")) + d.pick(_EMOJI[p.emoji_pool])
        if d.chance(0.025):
            text = _typo(d, text)
        if d.chance(0.22 if speaker == "Sam" else 0.08):
            text = text[:1].upper() + text[1:]
        return text


_ASLEEP = frozenset(range(2, 7))
_BEDTIME = frozenset((22, 23, 0, 1))


def _hour(t: float) -> int:
    return datetime.fromtimestamp(t, ZoneInfo(TZ)).hour


_NOT_OPENERS = frozenset({"laugh", "answer", "curt", "defensive", "guarded", "emoji_only"})


def _local(day: date, hour: int, minute: int, second: int = 0) -> float:
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=ZoneInfo(TZ)).timestamp()


def _session(w: _Writer, p: _Params, start: float) -> None:
    """One conversation: alternating turns of bursts, with reply latencies between turns."""
    d = w.dice
    first = "Sam" if d.chance(p.sam_initiates) else "Alex"
    other = {"Alex": "Sam", "Sam": "Alex"}
    n_turns = 1 + d.geometric(p.turns_mean)
    t = start
    speaker = first
    prev_question = False
    for k in range(n_turns):
        if k:
            speaker = other[speaker]
            waiting = other[speaker]
            if d.chance(p.no_reply[speaker]):
                return
            latency = min(d.lognormal(p.latency_median[speaker], p.latency_sigma), 4.5 * 3600)
            if waiting == "Alex" and latency > 40 * 60 and d.chance(p.double_text):
                nudge_at = t + max(31 * 60, latency * (0.45 + 0.3 * d.u()))
                if nudge_at < t + latency - 60 and _hour(nudge_at) not in _ASLEEP:
                    w.add(nudge_at, "Alex", w.compose(p, "Alex", "nudge", nudge_at))
            if _hour(t + latency) in _ASLEEP:  # fell asleep: the conversation ends for today
                return
            t = t + latency
        n_msgs = 1 + d.poisson(p.burst)
        for j in range(n_msgs):
            if j:
                t += 3 + d.exponential(25.0)
            if k == 0 and j == 0 and p.phase == "together" and d.chance(0.3):
                cat = "greet"
            elif k == 0 and j == 0 and p.phase == "reconnection" and d.chance(0.25 * (1 - p.t)):
                cat = "tentative"
            elif j == 0 and prev_question and d.chance(0.65):
                cat = "answer" if p.phase != "strain" else d.pick(("answer", "curt", "tired"))
            else:
                mix = _mix_for(p, speaker)
                if k == 0 and j == 0:  # nobody opens a conversation with "lol" or "ok"
                    mix = {c: v for c, v in mix.items() if c not in _NOT_OPENERS}
                cat = d.weighted(mix)
            if d.chance(p.media):
                t = w.add(t, speaker, None, "media")
                continue
            text = w.compose(p, speaker, cat, t)
            t = w.add(t, speaker, text)
        prev_question = "?" in (w.rows[-1].text or "")
    warm = 0.55 if p.phase == "together" else 0.45 * p.t if p.phase == "reconnection" else 0.0
    if _hour(t) in _BEDTIME and d.chance(warm):  # a late conversation ends with good nights
        closer = other[speaker]
        t = w.add(t + 20 + d.exponential(60.0), closer, w.compose(p, closer, "goodnight", t))
        if d.chance(0.6):
            w.add(t + 10 + d.exponential(40.0), speaker, w.compose(p, speaker, "goodnight", t))


def _day(w: _Writer, day: date) -> None:
    p = _params(day)
    d = w.dice
    lam = p.sessions_per_day * (1.15 if day.weekday() >= 5 else 1.0)
    n = d.poisson(lam)
    if n == 0 and w.quiet_days >= 2 and p.phase != "strain":  # a couple in touch: no 3 quiet days
        n = 1
    w.quiet_days = 0 if n else w.quiet_days + 1
    if n == 0:
        return
    weights = {h: float(_HOURS[h]) for h in range(24)}
    starts = sorted(_local(day, d.weighted(weights), int(d.u() * 60), int(d.u() * 60)) for _ in range(n))
    for s in starts:
        s = max(s, w.last_t + 20 * 60 + d.exponential(600.0))
        _session(w, p, s)


# --------------------------------------------------------------------------- scripted events


def _script(w: _Writer, start: float, lines, gap_median: float = 90.0) -> float:
    """Write scripted lines: (sender, text) or (sender, text, seconds_after_previous) or kind rows."""
    t = max(start, w.last_t + 60) if w.rows else start
    d = w.dice
    for i, line in enumerate(lines):
        sender, text = line[0], line[1]
        if i:
            t += line[2] if len(line) > 2 and line[2] is not None else d.lognormal(gap_median, 0.5)
        kind = line[3] if len(line) > 3 else "text"
        edited = bool(line[4]) if len(line) > 4 else False
        t = w.add(t, sender, text, kind, edited)
    return t


_ENCRYPTION = (
    "Messages and calls are end-to-end encrypted. No one outside of this chat, not even "
    "WhatsApp, can read or listen to them. Tap to learn more."
)

_FIRST_DAY = [
    ("Alex", "hey its alex from the quiz 👋🏻"),
    ("Sam", "Hey! i was hoping u would text haha"),
    ("Alex", "we definitely should have won that last round"),
    ("Sam", "the capital of australia question was robbery 😂"),
    ("Alex", "canberra. i will never forget it now"),
    ("Sam", "same time next week?"),
    ("Alex", "yes!! its a date. well. a quiz date"),
    ("Sam", "haha a quiz date ❤️"),
]

_CLOCKS = [
    ("Sam", "wait do the clocks go forward tonight??"),
    ("Alex", "yep we lose an hour 😩"),
    ("Sam", "noooo. we should sleep then"),
    ("Alex", "5 more minutes"),
    ("Sam", "its already 2am apparently haha"),
    ("Alex", "night love u ❤️"),
]

_BREAKUP = [
    ("Sam", "can we talk tonight", None),
    ("Alex", "about what", 140),
    ("Sam", "about us. i dont think this is working anymore", 600),
    ("Alex", "what do u mean", 45),
    (
        "Sam",
        "i've been thinking about it for weeks\nwe argue about everything and i dont feel like "
        "myself anymore\ni think we need to stop",
        420,
    ),
    ("Alex", "are u serious", 60),
    ("Alex", "over text?", 20),
    ("Sam", "im sorry. i didnt want it to be like this", 300),
    ("Alex", "you always do this. you never talk to me until its already decided", 90),
    ("Sam", None, 500, "deleted"),
    ("Sam", "i think its better if we dont talk for a while", 240),
    ("Alex", "fine", 30),
    ("Alex", "i cant believe this", 2700),
]

_SILENCE = [  # (local date, hour, minute, sender, text, kind)
    (date(2025, 8, 19), 9, 14, "Alex", "can i at least come get my stuff", "text"),
    (date(2025, 8, 19), 13, 2, "Alex", "sam?", "text"),
    (date(2025, 8, 21), 18, 40, "Sam", "ill leave ur box with my sister on saturday", "text"),
    (date(2025, 8, 21), 18, 43, "Alex", "ok", "text"),
    (date(2025, 8, 30), 23, 51, "Alex", "i miss u", "text"),
    (date(2025, 8, 31), 0, 37, "Alex", "sorry. ignore that", "text"),
    (date(2025, 9, 12), 8, 30, "Alex", "happy birthday. hope its a good one 🎂", "text"),
    (date(2025, 9, 13), 22, 10, "Sam", "thank you", "text"),
    (date(2025, 9, 20), 21, 5, "Alex", None, "media"),
    (date(2025, 9, 20), 21, 6, "Alex", "sorry wrong chat", "text"),
    (date(2025, 9, 27), 1, 12, "Sam", "Missed voice call", "call"),
]

_REACH_OUT = [
    ("Sam", "hey. i know its been a while and im not sure i should be texting", None),
    ("Sam", "i hope youre ok", 75),
    ("Alex", "hey. wasnt expecting this", 3 * 3600 + 600),
    ("Alex", "im ok. mostly", 40),
    ("Sam", "i feel like i owe u an apology. a proper one", 300),
    ("Sam", "not tonight if u dont want. but whenever ur ready", 50),
    ("Alex", "ok. maybe. i need to think", 1500),
]

_BIG_TALK = [  # Saturday 25 October, from 23:40 BST through the repeated 01:00-02:00 hour
    ("Sam", "are u still up?"),
    ("Alex", "yeah cant sleep"),
    ("Sam", "me neither. can i say the thing i wanted to say"),
    ("Alex", "go on"),
    (
        "Sam",
        "i was a mess this summer. i pulled away and then blamed u for noticing\n"
        "i should have talked to u instead of going quiet\nim really sorry",
    ),
    ("Alex", "thank u for saying that"),
    ("Alex", "i know i wasnt easy either. i was scared of losing u so i kept pushing"),
    ("Sam", "i understand that now"),
    ("Alex", "i felt so lonely in august"),
    ("Sam", "i know. im sorry"),
    ("Sam", "i've been seeing someone. a therapist i mean haha"),
    ("Alex", "haha ok good clarification"),
    ("Alex", "is it helping?"),
    ("Sam", "i think so. i feel calmer"),
    ("Alex", "im glad"),
    ("Sam", "do u miss it? us?"),
    ("Alex", "yeah. i do"),
    ("Sam", "me too"),
    ("Alex", "the clocks go back tonight btw"),
    ("Sam", "so we get an extra hour of this 🙂"),
    ("Alex", "apparently its 1am again"),
    ("Sam", "we should get coffee. if u want"),
    ("Alex", "i'd like that"),
    ("Sam", "sunday after next? the bakery?"),
    ("Alex", "ok. yes"),
    ("Sam", "night alex"),
    ("Alex", "night sam x"),
]

_LATE_EVENTS = [  # (local date, hour, minute, lines)
    (
        date(2025, 11, 9),
        10,
        2,
        [
            ("Sam", "here! got us a table by the window", None),
            ("Alex", "2 min, parking", 60),
            ("Sam", "ok 🙂", 30),
        ],
    ),
    (
        date(2025, 11, 9),
        14,
        31,
        [
            ("Alex", "that was really nice", None),
            ("Sam", "it was. i missed ur face", 240),
            ("Alex", "haha same. we should do it again", 120),
        ],
    ),
    (
        date(2025, 11, 12),
        9,
        5,
        [
            (None, "Your security code with Sam changed. Tap to learn more.", None, "system"),
        ],
    ),
    (
        date(2025, 12, 6),
        18,
        20,
        [
            ("Sam", "see u at 7 at the usual place?", None, "text", True),
            ("Alex", "yes! see u there ❤️", 90),
        ],
    ),
]


def _build(seed: int) -> list[_Row]:
    dice = _Dice(seed)
    w = _Writer(dice)
    first = PHASES[0].start
    w.add(_local(first, 19, 2), None, _ENCRYPTION, "system")
    _script(w, _local(first, 19, 2, 30), _FIRST_DAY, gap_median=70.0)
    clocks_day = date(2025, 3, 29)  # Saturday night into Sunday 30 March (01:00 GMT -> 02:00 BST)
    breakup_day = PHASES[2].start
    reach_out_day = PHASES[3].start
    big_talk_day = date(2025, 10, 25)
    late_days = {ev[0] for ev in _LATE_EVENTS}
    day = first + timedelta(days=1)
    while day < PHASES[-1].end:
        if day == clocks_day:
            _day_before(w, day, 20)
            _script(w, _local(day + timedelta(days=1), 0, 41), _CLOCKS, gap_median=600.0)
        elif day == breakup_day:
            _script(w, _local(day, 20, 9), _BREAKUP)
        elif PHASES[2].start < day < PHASES[2].end:
            for ev_day, hh, mm, sender, text, kind in _SILENCE:
                if ev_day == day:
                    w.add(_local(day, hh, mm, int(dice.u() * 60)), sender, text, kind)
        elif day == reach_out_day:
            _script(w, _local(day, 19, 40), _REACH_OUT)
        elif day == big_talk_day:
            _day_before(w, day, 21)
            _script(w, _local(day, 23, 40), _BIG_TALK, gap_median=330.0)
        elif day in late_days:
            for ev_day, hh, mm, lines in _LATE_EVENTS:
                if ev_day == day:
                    _script(w, max(_local(day, hh, mm), w.last_t + 60), lines)
        else:
            _day(w, day)
        day += timedelta(days=1)
    return w.rows


def _day_before(w: _Writer, day: date, until_hour: int) -> None:
    """An ordinary day whose sessions all start before ``until_hour`` (a scripted night follows)."""
    p = _params(day)
    d = w.dice
    n = d.poisson(p.sessions_per_day)
    weights = {h: float(_HOURS[h]) for h in range(min(until_hour - 3, 24))}
    starts = sorted(_local(day, d.weighted(weights), int(d.u() * 60)) for _ in range(n))
    for s in starts:
        _session(w, p, max(s, w.last_t + 20 * 60))


def generate_frame(seed: int = SEED) -> pd.DataFrame:
    """The example conversation as a message frame (before rendering), deterministic in ``seed``.

    Timestamps are whole minutes (a WhatsApp export has no seconds), tz-aware in
    Europe/London, non-decreasing. Besides the message-frame columns the frame has the
    optional ``edited`` column.

    Examples
    --------
    >>> from tools._generate_example import generate_frame
    >>> msgs = generate_frame()
    >>> sorted(msgs["sender"].dropna().unique())
    ['Alex', 'Sam']
    >>> msgs["timestamp"].is_monotonic_increasing
    True
    """
    from reconnect_signals.schema import coerce

    rows = _build(seed)
    seconds = np.array([r.t for r in rows], dtype=float)
    minutes = np.floor(seconds / 60.0).astype("int64") * 60
    if np.any(np.diff(minutes) < 0):  # pragma: no cover - a bug in the generator
        raise RuntimeError("generator produced out-of-order times; this is a bug")
    ts = pd.to_datetime(minutes, unit="s", utc=True).tz_convert(TZ)
    frame = pd.DataFrame(
        {
            "conversation_id": _CONVERSATION,
            "message_id": [f"{_CONVERSATION}:{i}" for i in range(len(rows))],
            "timestamp": ts,
            "sender": pd.Series([r.sender for r in rows], dtype="str"),
            "text": pd.Series([r.text for r in rows], dtype="str"),
            "kind": [r.kind for r in rows],
            "platform": "whatsapp",
            "edited": np.array([r.edited for r in rows], dtype=bool),
        }
    )
    return coerce(frame)


def render(frame: pd.DataFrame) -> bytes:
    """The frame as the bytes of an Android WhatsApp export (:data:`LAYOUT`)."""
    from reconnect_signals.io import WHATSAPP_LAYOUTS as LAYOUTS
    from reconnect_signals.io import render_whatsapp

    return render_whatsapp(frame, LAYOUTS[LAYOUT], chat_name="Sam", encode=True)


def _default_path() -> Path:
    return Path(__file__).resolve().parents[1] / "reconnect_signals" / "datasets" / FILE_NAME


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` verify) the shipped example file; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="python tools/_generate_example.py",
        description="Regenerate the bundled synthetic WhatsApp example chat.",
    )
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    parser.add_argument("--out", type=Path, default=_default_path(), help="where to write the export")
    parser.add_argument(
        "--check", action="store_true", help="do not write; exit 1 if the file differs from what the generator makes"
    )
    args = parser.parse_args(argv)
    data = render(generate_frame(args.seed))
    if args.check:
        same = args.out.is_file() and args.out.read_bytes() == data
        sys.stdout.write(f"{args.out}: {'up to date' if same else 'DIFFERS from the generator'}\n")
        return 0 if same else 1
    args.out.write_bytes(data)
    sys.stdout.write(f"wrote {args.out} ({len(data):,} bytes)\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
