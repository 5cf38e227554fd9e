"""Per-message lexical cues: every rule of the cue specification, the hand-labelled chat set,
linear time on adversarial input, and the message-frame contract."""

from __future__ import annotations

import time
from pathlib import Path

import emoji as emoji_pkg
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reconnect_signals as rs
from reconnect_signals.cues import (
    CUE_COLUMNS,
    WORD_PATTERN,
    _emoji,
    _tokens,
    count_tokens,
    count_words,
    list_cues,
    message_cues,
    normalize_text,
    text_cues,
    tokenize,
)
from reconnect_signals.cues._api import _cue_arrays
from reconnect_signals.errors import SchemaError

DATA = Path(__file__).parent / "data" / "cues"


def cue(text: str, column: str):
    """``text_cues`` of ``text`` alone (from the module's one batch when the text is a parametrised case)."""
    row = _SCORED.get(text)
    if row is None:
        row = text_cues(pd.Series([text]), sentiment=False).iloc[0]
    value = row[column]
    return value.item() if hasattr(value, "item") else value


# text_cues has a fixed cost per call (tens of milliseconds: pyarrow compiles its regular expressions on
# every call), and most tests here check one text. The texts of every parametrised case of this module are
# scored in one call up front, each text as a conversation of its own: the cues are a function of the text
# and its language, and the language is decided per conversation (reconnect_signals.cues._api), so each
# row equals text_cues of that text alone (test_one_batch_equals_text_by_text checks it).
_SCORED: dict[str, pd.Series] = {}


def _parametrised_texts() -> list[str]:
    """Every ``text`` of a ``parametrize`` mark of this module's tests."""
    texts = set()
    for fn in list(globals().values()):
        for mark in getattr(fn, "pytestmark", []) if callable(fn) else []:
            if mark.name != "parametrize":
                continue
            names = mark.args[0].split(",") if isinstance(mark.args[0], str) else list(mark.args[0])
            names = [n.strip() for n in names]
            if "text" not in names:
                continue
            for values in mark.args[1]:
                values = getattr(values, "values", values)  # pytest.param(...)
                value = values[names.index("text")] if len(names) > 1 else values
                if isinstance(value, str):
                    texts.add(value)
    return sorted(texts)


def _score_alone(texts: list[str]) -> pd.DataFrame:
    """Each text's cues as if scored alone, in one call."""
    arrays = _cue_arrays(pd.Series(texts, dtype="str"), sentiment=False, conversation=np.arange(len(texts)))
    arrays.pop("language")
    return pd.DataFrame(arrays, index=pd.Index(texts))


@pytest.fixture(scope="module", autouse=True)
def _score_the_parametrised_texts_once():
    texts = _parametrised_texts()
    if texts:
        _SCORED.update(dict(_score_alone(texts).iterrows()))
    yield
    _SCORED.clear()


def test_one_batch_equals_text_by_text():
    texts = _parametrised_texts()
    batch = _score_alone(texts)
    # a spread of cases, each scored alone through the public function (every column, every dtype)
    picked = texts[:: max(len(texts) // 12, 1)]
    assert len(texts) > 100 and len(picked) >= 12
    for text in picked:
        alone = text_cues(pd.Series([text]), sentiment=False)
        pd.testing.assert_frame_equal(batch.loc[[text]].reset_index(drop=True), alone, check_exact=True)


# --- tokens -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("I’m HOME", ["i'm", "home"]),  # curly apostrophe, lower-case
        ("Y‘all ready", ["y'all", "ready"]),
        ("let's go!!", ["let's", "go"]),
        ("'quoted' words'", ["quoted", "words"]),  # apostrophes outside words are dropped
        ("'a'  'b' can''t", ["a", "b", "can", "t"]),  # quote after quote; a doubled apostrophe splits
        ("see https://example.com/a?b=c ok", ["see", "ok"]),
        ("www.example.org/x is down", ["is", "down"]),
        ("go to example.com.", ["go", "to"]),
        ("see bbc.co.uk/news?x=1 now", ["see", "now"]),
        ("I'm home.It was great", ["i'm", "home", "it", "was", "great"]),  # not a domain
        ("mail me: a.b+c@mail.example.co.uk", ["mail", "me"]),
        ("@sam are you in", ["are", "you", "in"]),
        ("hey @\u2068Sam Jones\u2069 look", ["hey", "look"]),  # WhatsApp mention with isolates
        ("naïve café 3pm", ["naïve", "café", "3pm"]),
        ("ok 👍🏽 :) <3 ...", ["ok", "3"]),  # emoji and emoticon punctuation are not words
        ("1️⃣ first", ["first"]),  # keycap emoji is not a number word
        ("", []),
    ],
)
def test_tokenize(text, tokens):
    assert tokenize(pd.Series([text])).iloc[0] == tokens
    assert count_words(pd.Series([text])).iloc[0] == len(tokens)


def test_normalize_text_keeps_index_and_missing():
    s = pd.Series(["Don’t", None, "HTTP://X.ORG now"], index=[10, 20, 10], name="text")
    out = normalize_text(s)
    assert out.index.tolist() == [10, 20, 10]
    assert out.name == "text"
    assert out.iloc[0] == "don't"
    assert pd.isna(out.iloc[1])
    assert out.iloc[2].split() == ["now"]
    assert str(out.dtype) == "str"


def test_long_texts_are_capped():
    text = "i " * 20_000  # 40,000 characters
    assert count_words(pd.Series([text])).iloc[0] == _tokens.MAX_CHARS // 2
    assert cue(text, "i_words") == _tokens.MAX_CHARS // 2


def test_word_pattern_is_the_word_definition():
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(["i'm y'all we're 3pm café", "''x''"])
    assert pc.count_substring_regex(arr, WORD_PATTERN).to_pylist() == [5, 1]


def test_word_pattern_with_pandas_str_methods():
    s = normalize_text(pd.Series(["Naïve café, it’s 3pm", None]))
    assert s.str.count(WORD_PATTERN).tolist()[0] == 4
    assert s.str.contains(WORD_PATTERN).tolist()[0]


def test_count_tokens():
    s = pd.Series(["The cat and the DOG", "an apple a day", None])
    assert count_tokens(s, ["the", "a", "an"]).tolist() == [2, 2, 0]
    assert count_tokens(s, []).tolist() == [0, 0, 0]


# --- pronoun families ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "i", "we", "you"),
    [
        ("I me my mine myself i'm i've i'll i'd im ive", 11, 0, 0),
        ("we us our ours ourselves let's lets we're we've we'll we'd", 0, 11, 0),
        ("you your yours yourself yourselves you're you've you'll you'd youre u ur y'all yall", 0, 0, 14),
        ("I’m sure YOU’RE right about US", 1, 1, 1),
        ("it is in the item mine sweeper", 1, 0, 0),  # "it", "in", "item" are not; "mine" is
        ("you you you", 0, 0, 3),  # adjacent tokens all count
        ("usual youth umbrella", 0, 0, 0),  # no substring matches
        ("i.i,i!i", 4, 0, 0),
    ],
)
def test_pronoun_counts(text, i, we, you):
    out = text_cues(pd.Series([text]), sentiment=False).iloc[0]
    assert (out["i_words"], out["we_words"], out["you_words"]) == (i, we, you)


# --- I-statements -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I really feel ignored", True),
        ("I've been so sad", True),
        ("i'd really like to talk", True),
        ("i would like that", True),
        ("i really would like that", True),
        ("I don't think so", True),  # negation in between
        ("i miss you", True),
        ("I missed you so much", True),  # inflections of the feeling verbs
        ("i knew it", True),
        ("I realise now", True),
        ("I need a break", True),
        ("i prefer tea", True),
        ("I apologise", True),
        ("i was wrong", True),
        ("I made a mistake", True),
        ("i made mistakes", True),
        ("I should have called", True),
        ("i should've called", True),
        ("I shouldn't have said it", True),
        ("I'm working on it", True),
        ("i am working on it", True),
        ("I take responsibility", True),
        ("I'm sorry", True),
        ("im so so upset", True),
        ("I am really grateful", True),
        ("I was scared", True),
        ("i've been feeling lonely", True),
        ("ive been anxious", True),
        ("i have been worried", True),
        ("I’m happy for you", True),  # curly apostrophe
        ("I'll miss this", True),
        ("Hope you're well", False),  # no I-subject
        ("I went home", False),
        ("I'm at work", False),
        ("I'm so tired", False),  # not an emotion word from the list
        ("i went home to feel better", False),  # three words between subject and verb
        ("you feel sad", False),
        ("I. Feel. Sad.", False),  # not across sentence boundaries
        ("we think so", False),
        # only adverbs, negation and auxiliaries may stand between: "outside" is none of them (and
        # "happy now?" is a taunt). Was True under the old "any two words" rule, which the issue
        # (#14) showed wrong ("as i said you need").
        ("I'm outside, happy now?", False),
        ("as i said you need to reboot", False),
        ("i think you said it", True),
        ("i cant help but feel left out", True),
        ("I really am sorry", True),
        ("i'm getting frustrated", True),
        ("i've always wanted that", True),
        ("i still don't understand", True),
        ("i'm a bit worried", True),
        ("I'm, like, happy", False),  # "like" is not an adverb here: three words is too many anyway
        ("I'm happy, really", True),
        ("because of you i missed the train", False),  # "missed the train" is no feeling
        ("i miss the old days", True),
        ("I owe you an apology", True),
        # issue #14, third round: a want asked about or supposed is not voiced
        ("do i need to reboot?", False),
        ("which driver do I need for this card", False),  # wh-question without "?"
        ("would i need another cable", False),
        ("if i want to install it, where do i start?", False),
        ("whatever i want to do, it crashes", False),
        ("so the kernel i need is the generic one?", False),  # inside a clause ending with "?"
        ("i need help, can anyone look at this?", True),  # the want opens its clause: voiced
        ("hi, i want to extend a partition, how?", True),
        ("I need help. do i need to reboot?", True),  # one voiced, one asked
        ("the file name.txt is the one i need?", False),  # a dot inside a word ends no clause
        ("if i recall correctly it was 2.6", True),  # a hedge that voices the thought
        ("not sure", False),  # no first-person subject (CUES.md)
        ("dunno", False),
    ],
)
def test_i_statement(text, expected):
    assert cue(text, "i_statement") is expected


# --- you-criticism ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("you always do this", True),
        ("You never listen", True),
        ("u never text back", True),
        ("you're always late", True),
        ("youre never home", True),
        ("you are always on your phone", True),
        ("you don't even care", True),
        ("you dont even try", True),
        ("you should have told me", True),
        ("you should've asked", True),
        ("it's your fault", True),
        ("ur fault", True),
        ("all because of you", True),
        ("you made me cry", True),
        ("what's wrong with you", True),
        ("whats wrong with u", True),
        ("why do you always", True),
        ("why can't you even say it", True),
        # was False ("ever" was not in the pattern); the independent annotator labelled "why don't
        # you ever" criticism: a reproach (issue #14)
        ("why won't you ever", True),
        ("how could you", True),
        ("I really feel like you don't listen", True),
        ("you don't care about me", True),
        ("why would you never", True),
        # traits and labels (CUES.md, rewritten for issue #14)
        ("you're so stupid", True),
        ("ur annoying", True),
        ("u r such an idiot", True),
        ("you are being really selfish", True),
        ("you come across as rude", True),
        ("you sound so arrogant", True),
        ("you idiot", True),
        ("you suck", True),
        ("are you stupid?", True),
        ("your so lazy", True),  # misspelt "you're"
        ("you're a joke", True),
        ("you're the worst", True),
        ("stop being so rude", True),
        ("you're not stupid", False),
        ("you're so helpful", False),
        ("ur shit is on the desk", False),  # "ur" = "your"
        ("what a stupid bug", False),  # no addressed "you"
        # global blame
        ("it's not your fault", False),
        ("isn't your fault", False),
        ("you ruined everything", True),
        ("you made me feel stupid", True),
        ("you made me laugh", False),
        ("you don't even listen", True),
        ("you don't even need to reboot", False),
        # absolutist complaints need a negative or uncaring act
        ("you never know", False),
        ("you never fail to make me laugh", False),
        ("you always make me laugh", False),
        ("you always know what to say", False),
        ("you always can", False),
        ("you're always welcome here", False),
        ("you're never wrong", False),
        ("you're never there for me", True),
        ("you're always so quick to judge", True),
        ("you always make it about you", True),
        ("you never even asked how i was", True),
        ("if you never open the cover, the fan stays dusty", False),  # generic "you"
        ("if you never listen you won't learn", False),
        ("when you always cancel, it hurts", False),  # generic form (a wh-clause)
        ("you never listen, and when you do you forget", True),
        # reproach for something owed to the speaker; not advice
        ("you should have an install.sh", False),
        ("you should have a look at the logs", False),
        ("you should have seen it", False),
        ("you could have told me", True),
        ("you should've known better", True),
        ("you should have let me know", True),
        ("thank you for always being there", False),
        ("you should come", False),
        ("you don't have to", False),
        ("my fault", False),
        ("you. always", False),  # not across sentence boundaries
        ("did you make me a tea", False),
        # issue #14, second round: the kinds real chat uses (tuned on the v1 IRC set)
        ("you guys are useless", True),  # the addressee as a group
        ("you are either insane or a troll", True),
        ("you're so greedy", True),  # a negative word from the VADER lexicon, not from our lists
        ("y'all are so cynical", True),
        ("you must be gullible", True),
        ("are you here to troll?", True),  # trolling accusations
        ("please go troll somewhere else", True),
        ("stop trolling", True),
        ("get a life", True),  # dismissals
        ("nick: grow up", True),
        ("fuck off", True),
        ("that's a stupid question", True),  # the listener's output insulted
        ("your advice is useless", True),
        ("did you even read what i wrote?", True),  # reproaches
        ("you're not listening", True),
        ("clearly you don't know what you're doing", True),
        ("you are driving me crazy", True),
        ("you're full of crap", True),  # fixed phrases of contempt
        ("nobody asked you", True),
        ("shame on you", True),
        ("you're acting like a child", True),
        ("you are full of surprises", False),
        ("it makes me sick", False),
        ("no need to be rude", True),
        ("you are stuck", False),  # states, not character
        ("you're missing a package", False),
        ("you are low on disk space", False),
        ("you're not wrong", False),
        ("if you are paranoid, make a backup", False),  # generic
        ("everyone calls you stupid", False),  # reported
        ("what are you afraid of?", False),  # a real question
        ("i'll go away now", False),  # the speaker, not the listener
        ("he's just trolling", False),  # a third person
        ("you're entitled to your opinion", False),
        ("is this a stupid question?", False),
        ("shut up", False),  # a rude command without an evaluation (as the annotators read it)
        ('he said "you idiot" and left', False),  # quoted speech
        ("you crazy bastard :D", False),  # a grin marks banter
        # issue #14, third round: the listener addressed by an imperative or by name
        ("then stop whining", True),  # an order to stop the listener's behaviour
        ("quit your constant nonsense please", True),
        ("we should then stop whining about it", False),  # a plan of the speakers'
        ("please don't troll", True),
        ("go find somewhere else to troll", True),
        ("drop the attitude", True),
        ("no need to get rude", True),
        ("i don't appreciate your attitude", True),
        ("nobody asked for your opinion", True),
        ("nobody is going to spoon feed you", True),
        ("trolling won't get you anywhere", True),
        ("you're making this way more complicated", True),
        ("you guys should be nicer to newcomers", True),
        ("you could have explained that", True),  # owed to the speaker
        ("i get lost in the menus", False),  # "get lost" said of oneself
        ("bob: rude!", True),  # an insult addressed by nick
        ("bob, troll. (read the rules)", True),
        ("alice: dude, so rude", True),
        ("rude", False),  # no one addressed
        ("idiots", False),
        ("idiot: try sudo mount -a", False),  # a label before ":" may be a nick
        ("stupid, use the other cd", True),  # a person's trait opening the reply
        ("that's just lazy, search first", True),
        ("that's lazy loading in the kernel", False),
        ("you guys are real snobs", True),  # a plural label
        ("i hope you all die", True),
        # issue #14, fourth round (kinds read from the v1-v3 misses)
        ("please stop being silly", True),  # an order to stop a trait
        ("stop being stoic and insulting", True),
        ("donte be rude man", True),  # chat spellings of "don't"
        ("please don't be difficult", True),
        ("stop channel hopping and trolling", True),
        ("stop raving", True),
        ("don't be silly, it's no trouble", False),  # a reassurance
        ("don't be afraid to ask", False),
        ("the point was to stop being paranoid", False),  # not an order to the listener
        ("stop running nautilus with sudo as you were told", True),  # reproach for not listening
        ("i already told you it failed", True),
        ("we told you several times to upgrade", True),
        ("please don't make me say it again!", True),
        ("how many times do i have to tell you", True),
        ("bob: for the third time, you need multiverse", True),
        ("for the third time i reinstalled it today", False),  # the speaker's own repetition
        ("i told you i was a noob", False),
        ("you already said you did", False),
        ("you insist on ignoring polite requests", True),
        ("have you even attempted to google your problem", True),
        ("why are you even trying to get ssh working?", False),  # the purpose questioned
        ("you never specified it was a live cd", True),
        ("you never said you wanted the sdk", True),
        ("well you never said that", False),  # a denial
        ("i think your lying", True),  # accusations of lying
        ("you lied", True),
        ("liar :)", True),
        ("your usb adapter is lying", False),
        ("metalsand, fool!!", True),  # a label after a nick
        ("bob, noob :)", True),
        ("bob, noob :D", False),  # a grin marks banter
        ("noob question: how do i mount", False),
        ("i dont speak english fucking troll", True),  # a label hurled with an intensifier
        ("i'm a fucking moron", False),
        ("what a bunch of fucking idiots", False),
        ("kid with your fellow noobs next time", True),  # the listener counted among them
        ("oh get over it already", True),  # a dismissal
        ("they'll get over it", False),
        ("bob: learn how to spell", True),  # a put-down presuming incompetence
        ("use your brain", True),
        ("people just have to learn to google stuff", False),
    ],
)
def test_you_criticism(text, expected):
    assert cue(text, "you_criticism") is expected


# --- questions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("you ok?", True),
        ("sorry?", True),
        ("what time works", True),
        ("why not", True),
        ("how's it going", True),
        ("hows work", True),
        ("when's good", True),
        ("who", True),
        ("ok. where are we meeting", True),  # wh-word at the start of the second sentence
        ("are you free", True),
        ("did u eat", True),
        ("can we talk", True),
        ("is that ok", True),
        ("is there time", True),
        ("have you seen it", True),
        ("r u ok", True),
        ("don't you think", True),
        ("hey! how are you", True),
        ("when you cancel plans, I feel hurt", False),  # wh + subject pronoun
        ("when we met", False),
        ("where i grew up", False),
        ("what a day", False),  # exclamative
        ("how nice", False),
        ("what an idiot", False),
        ("Will do", False),
        ("Have a good night", False),
        ("It is what it is", False),  # wh-word not at a sentence start
        ("do whatever you want", False),
        ("I know what you mean", False),
        ("check https://x.com/?q=1 later", False),  # "?" inside a removed URL
        ("what a day. why did you go", True),  # one excluded and one real wh-sentence
        ("fine？", True),  # full-width question mark
        # independent relabelling of the synthetic set (issue #14): questions a reader asks
        ("how you doing", True),
        ("anyway how was the date", True),
        ("is everything ok between us", True),
        ("sorry to bother you but do you have her number", True),
        ("so do i", False),
        ("do the dishes", False),
    ],
)
def test_question(text, expected):
    assert cue(text, "question") is expected


# --- apologies ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sorry", True),
        ("Sorry I'm late", True),
        ("sooorry", True),
        ("sorryyy", True),
        ("soz", True),
        ("sry was driving", True),
        ("I apologize", True),
        ("i apologise", True),
        ("apologies for that", True),
        ("my bad", True),
        ("my fault", True),
        ("please forgive me", True),
        ("sorry to bother you", True),
        ("sorry to hear that", False),
        ("so sorry for your loss", False),
        ("sorry about your loss", False),
        ("sorry?", False),  # a repair request
        ("Sorry??", False),
        ("sorry to hear that. sorry I wasn't there", True),  # one real apology remains
        ("sorry, what did you say?", True),  # not a bare "sorry?"
        ("sorry? what was that", False),  # a repair request, even when not bare (issue #14)
        ("I'm sorry?", False),
        ("excuse me?", False),
        ("isn't my fault", False),  # negated
        ("not my fault", False),
        ("don't be sorry", False),
        ("no need to apologise", False),
        ("nothing to be sorry about", False),
        ("you should be sorry", False),
        ("no, sorry, my mistake", True),
        ("sorry man, that sucks", False),  # sympathy
        ("sorry tohear that", False),
        ("i feel sorry for him", False),
        ("sorry about that", True),
        ("sowwy", True),
        ("sory, typo", True),
        ("srry", True),
        ("excuse me, wrong window", True),
        # "excuse me" opening a request for attention is not an apology (issue #14)
        ("excuse me, is it true that ubuntu is free?", False),
        ("excuse me how do i change my default group", False),
        ("excuse me for the interruption", True),
        ("oh excuse me, i meant hda", True),
        ("unfortunately not, sorry if i seemed rude", True),  # the comma ends the negation
        ("pardon me", True),
        ("pardon my french", True),
        ("excuse my ignorance", True),
        ("my apologies", True),
        ("forgive and forget", False),
        # was False ("apology" is not in the spec's list); the independent annotator labelled it an
        # apology, as a reader would (issue #14)
        ("I owe you an apology", True),
        ("no apology needed", False),
        ("I'm sorry you had to deal with that", False),  # sympathy
        ("sorry you had to wait, my fault", True),
        ("your bad", False),
    ],
)
def test_apology(text, expected):
    assert cue(text, "apology") is expected


# --- laughter -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("haha", True),
        ("HAHAHA", True),
        ("hahah", True),
        ("haaahaha", True),
        ("ahah", True),
        ("ahahahah", True),
        ("hehe", True),
        ("lol", True),
        ("lolol", True),
        ("LMAO", True),
        ("lmaooo", True),
        ("lmfao", True),
        ("rofl", True),
        ("ha ha", True),
        ("😂", True),
        ("🤣🤣", True),
        ("ha", False),
        ("aha", False),
        ("hello", False),
        ("lollipop", False),
        ("the shah", False),
        ("😊", False),
    ],
)
def test_laughter(text, expected):
    assert cue(text, "laughter") is expected


# --- emoji --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("👍🏽", 1),  # skin tone
        ("❤️", 1),  # variation selector
        ("❤", 1),
        ("👨‍👩‍👧", 1),  # ZWJ family
        ("🏳️‍🌈", 1),
        ("🇬🇧", 1),  # flag
        ("🇬🇧🇫🇷", 2),
        ("1️⃣", 1),  # keycap
        ("#️⃣ tag", 1),
        (":)", 0),
        ("<3", 0),
        (":-D ;)", 0),
        ("© 2024 ™", 0),  # text-style symbols
        ("©️", 1),
        ("hi 😂😂 ok 👋🏻", 3),
        ("naïve", 0),
        ("", 0),
    ],
)
def test_emoji_count(text, count):
    assert cue(text, "emoji") == count


def test_every_emoji_in_the_emoji_data_counts_once():
    keys = [k for k in emoji_pkg.EMOJI_DATA if k not in _emoji._TEXT_STYLE]
    counts = text_cues(pd.Series(keys), sentiment=False)["emoji"]
    assert (counts == 1).all(), [k for k, c in zip(keys, counts, strict=True) if c != 1][:10]
    # and each one separated by words
    joined = " and ".join(keys[:300])
    assert cue(joined, "emoji") == 300


# --- extras -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "column", "expected"),
    [
        ("you ALWAYS say that, it's never enough, absolutely nothing", "absolutist", 4),
        ("all of it, every time, completely", "absolutist", 3),
        ("allow everyday", "absolutist", 0),
        ("thank you", "gratitude", True),
        ("thx!", "gratitude", True),
        ("ty ❤️", "gratitude", True),
        ("I appreciate it", "gratitude", True),
        ("so grateful", "gratitude", True),
        ("thinking", "gratitude", False),
        ("we should go", "future_we", True),
        ("we could try", "future_we", True),
        ("we'll see", "future_we", True),
        ("we really should talk", "future_we", True),
        ("let's do it", "future_we", True),
        ("ok. lets go", "future_we", True),
        ("we can't", "future_we", False),
        ("we went there", "future_we", False),
        ("it lets you in", "future_we", False),
        ("love you", "affection", True),
        ("i love u", "affection", True),
        ("miss you already", "affection", True),
        ("ily", "affection", True),
        ("night xx", "affection", True),
        ("see you tomorrow x", "affection", True),
        ("xoxo", "affection", True),
        ("❤️", "affection", True),
        ("😘", "affection", True),
        ("💔", "affection", False),
        ("i love pizza", "affection", False),
        ("x marks the spot", "affection", False),
    ],
)
def test_extras(text, column, expected):
    assert cue(text, column) == expected


# --- the hand-labelled set ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def labelled() -> pd.DataFrame:
    df = pd.read_csv(DATA / "labelled_messages.csv", dtype={"text": "str"}, keep_default_na=False)
    for col in ("i_statement", "you_criticism", "question", "apology"):
        df[col] = df[col].astype(str).str.lower().map({"true": True, "false": False}).astype(bool)
    return df


def test_labelled_set_is_large_enough(labelled):
    assert len(labelled) >= 150
    for col in ("i_statement", "you_criticism", "question", "apology"):
        assert labelled[col].sum() >= 30, col
        assert (~labelled[col]).sum() >= 30, col


@pytest.mark.parametrize("column", ["i_statement", "you_criticism", "question", "apology"])
def test_labelled_precision_recall(labelled, column):
    predicted = text_cues(labelled["text"], sentiment=False)[column].to_numpy()
    truth = labelled[column].to_numpy()
    tp = int((predicted & truth).sum())
    precision = tp / max(int(predicted.sum()), 1)
    recall = tp / int(truth.sum())
    print(f"{column}: precision {precision:.3f}, recall {recall:.3f} (n={len(truth)}, positives={truth.sum()})")
    assert precision >= 0.9
    assert recall >= 0.9


@pytest.mark.parametrize("column", ["i_words", "we_words", "you_words", "emoji"])
def test_labelled_counts(labelled, column):
    predicted = text_cues(labelled["text"], sentiment=False)[column].to_numpy()
    exact = float((predicted == labelled[column].to_numpy()).mean())
    print(f"{column}: exact on {exact:.1%} of {len(labelled)} messages")
    assert exact >= 0.98


# --- linear time --------------------------------------------------------------------------------

FRAGMENTS = [
    "i i i ",
    "you you always ",
    "?????",
    "hahahaha",
    ":):):)",
    "i'm so so so ",
    "sorry sorry to ",
    "what what a ",
    "😂😂👍🏽❤️",
    "a'b'c'",
    "@a@b.",
    "http://x.co/",
    "a.co.",
    "x.com/",
    "... ",
    "lol lol lo",
    "why do you why ",
    "we we should ",
    "x x x ",
    "you're so so so ",
    "you always always ",
    "not not sorry ",
    "sorry? ",
    "i really really ",
    "you never even even ",
    "stop being stop being silly ",
    "for the third time for the ",
    "told you told you ",
    "liar liar :) ",
    "fucking fucking troll ",
    "don't be don't be rude ",
    "how many times how many ",
]


def _best_time(fn, repeat: int = 5) -> float:
    """Best CPU time of this process over ``repeat`` calls.

    CPU time, not wall time: on a loaded machine (parallel test workers, other jobs) the wall time of
    the small input can be stretched far less than that of the large one, which made the ratio flaky
    (25.6 once under load, 8.4 alone). CPU time counts every thread of this process, so pyarrow's
    threads are included on both sides.
    """
    best = float("inf")
    for _ in range(repeat):
        _emoji._count_run.cache_clear()
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def _text(fragment: str, size: int) -> str:
    return (fragment * (size // len(fragment) + 1))[:size]


@pytest.mark.slow
@pytest.mark.parametrize("fragment", FRAGMENTS)
def test_patterns_take_linear_time(fragment, monkeypatch):
    """With the cap lifted, 10x more text must cost well under 25x the time."""
    monkeypatch.setattr(_tokens, "MAX_CHARS", 1_000_000)
    small = pd.Series([_text(fragment, 10_000)] * 10)
    large = pd.Series([_text(fragment, 100_000)] * 10)
    text_cues(small, sentiment=False)  # warm up
    t_small = _best_time(lambda: text_cues(small, sentiment=False))
    t_large = _best_time(lambda: text_cues(large, sentiment=False), repeat=3)
    ratio = t_large / t_small
    print(f"{fragment!r}: {t_small * 1e3:.1f} ms -> {t_large * 1e3:.1f} ms, ratio {ratio:.1f}")
    assert ratio < 25


@pytest.mark.slow
@pytest.mark.parametrize("fragment", ["not good but great ", "i i i ", "😂😂👍🏽❤️", "hahahaha"])
def test_default_pipeline_is_bounded_on_long_messages(fragment):
    """Caps keep the whole pipeline (with VADER, which is quadratic) bounded."""
    small = pd.Series([_text(fragment, 10_000) + str(i) for i in range(5)])
    large = pd.Series([_text(fragment, 100_000) + str(i) for i in range(5)])
    text_cues(small)
    t_small = _best_time(lambda: text_cues(small), repeat=3)
    t_large = _best_time(lambda: text_cues(large), repeat=3)
    assert t_large / t_small < 25


# --- the message frame --------------------------------------------------------------------------


@pytest.fixture
def msgs() -> pd.DataFrame:
    return rs.coerce(
        pd.DataFrame(
            {
                "timestamp": pd.date_range("2024-03-01 09:00", periods=6, freq="7min"),
                "sender": ["Alex", "Sam", "Alex", None, "Sam", "Alex"],
                "text": [
                    "I miss you. Can we talk?",
                    "you never listen haha 😂",
                    None,
                    "Sam changed the group name",
                    "sorry, my bad",
                    "IMG-0001.jpg",
                ],
                "kind": ["text", "text", "deleted", "system", "text", "media"],
            }
        ),
        tz="Europe/London",
    )


def test_message_cues_columns_and_dtypes(msgs):
    out = message_cues(msgs)
    assert list(out.columns) == list(msgs.columns) + list(CUE_COLUMNS) + ["language"]  # issue 19: language column
    for name in CUE_COLUMNS:
        dtype = list_cues().set_index("cue").loc[name, "dtype"]
        want = {"int64": np.int64, "bool": np.bool_, "float64": np.float64}[dtype]
        assert out[name].dtype == want, name
    assert out.index.equals(msgs.index)
    pd.testing.assert_frame_equal(out[list(msgs.columns)], msgs)


def test_message_cues_values(msgs):
    out = message_cues(msgs)
    assert out["words"].tolist() == [6, 4, 0, 0, 3, 0]
    assert out["i_words"].tolist() == [1, 0, 0, 0, 1, 0]
    assert out["we_words"].tolist() == [1, 0, 0, 0, 0, 0]
    assert out["you_words"].tolist() == [1, 1, 0, 0, 0, 0]
    assert out["i_statement"].tolist() == [True, False, False, False, False, False]
    assert out["you_criticism"].tolist() == [False, True, False, False, False, False]
    assert out["question"].tolist() == [True, False, False, False, False, False]
    assert out["apology"].tolist() == [False, False, False, False, True, False]
    assert out["laughter"].tolist() == [False, True, False, False, False, False]
    assert out["emoji"].tolist() == [0, 1, 0, 0, 0, 0]
    assert out["affection"].tolist() == [True, False, False, False, False, False]
    assert out["sentiment"].isna().tolist() == [False, False, True, True, False, True]


def test_message_cues_does_not_mutate_input(msgs):
    before = msgs.copy(deep=True)
    message_cues(msgs)
    pd.testing.assert_frame_equal(msgs, before)


def test_message_cues_replaces_existing_cue_columns(msgs):
    once = message_cues(msgs)
    twice = message_cues(once)
    pd.testing.assert_frame_equal(once, twice)
    stale = msgs.assign(words=99)
    assert message_cues(stale)["words"].tolist() == [6, 4, 0, 0, 3, 0]


def test_message_cues_duplicate_and_custom_index(msgs):
    odd = msgs.set_axis([5, 5, "a", 3, 3, 0])
    out = message_cues(odd)
    assert out.index.tolist() == [5, 5, "a", 3, 3, 0]
    assert out["words"].tolist() == [6, 4, 0, 0, 3, 0]


def test_message_cues_without_sentiment(msgs):
    out = message_cues(msgs, sentiment=False)
    assert "sentiment" not in out.columns
    assert out["apology"].tolist() == [False, False, False, False, True, False]


def test_message_cues_empty_frame():
    out = message_cues(rs.schema.empty_frame())
    assert len(out) == 0
    assert set(CUE_COLUMNS) <= set(out.columns)
    assert out["words"].dtype == np.int64


def test_message_cues_object_text_column(msgs):
    obj = msgs.assign(text=msgs["text"].astype(object))
    pd.testing.assert_frame_equal(message_cues(obj)[list(CUE_COLUMNS)], message_cues(msgs)[list(CUE_COLUMNS)])


def test_message_cues_schema_error_names_the_fix():
    with pytest.raises(SchemaError, match="kind"):
        message_cues(pd.DataFrame({"text": ["hi"]}))


def test_public_exports():
    assert rs.message_cues is message_cues
    import reconnect_signals.cues as cues_module

    for name in cues_module.__all__:
        assert hasattr(cues_module, name)


def test_list_cues_documents_every_column():
    table = list_cues()
    assert table["cue"].tolist() == list(CUE_COLUMNS)
    assert table["definition"].str.len().gt(20).all()
    assert table["reference"].str.len().gt(10).all()
    assert table.loc[table["experimental"], "cue"].tolist() == ["affection"]


def test_load_example_cues():
    msgs = rs.load_example()
    out = message_cues(msgs)
    text = out["kind"] == "text"
    assert out.loc[~text, "words"].eq(0).all()
    assert out.loc[text, "words"].gt(0).mean() > 0.9
    assert out.loc[text, "sentiment"].notna().all()


# --- properties ---------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=60), min_size=1, max_size=8))
def test_any_text_is_handled(texts):
    s = pd.Series(texts, dtype="str")
    out = text_cues(s, sentiment=False)
    assert len(out) == len(texts)
    assert (out[["words", "i_words", "we_words", "you_words", "emoji", "absolutist"]] >= 0).all().all()
    assert (out["i_words"] + out["we_words"] + out["you_words"] <= out["words"]).all()
    assert out["words"].tolist() == [len(t) for t in tokenize(s)]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(["i", "you", "we", "always", "sorry", "?", ".", "what", "😂", "haha", "’m", ",", " "]),
        max_size=30,
    )
)
def test_cues_of_joined_words_are_consistent(parts):
    text = " ".join(parts)
    out = text_cues(pd.Series([text]), sentiment=False).iloc[0]
    words = tokenize(pd.Series([text])).iloc[0]
    assert out["we_words"] == words.count("we")
    assert out["you_words"] == words.count("you")
    assert out["question"] >= ("?" in text)
    assert out["laughter"] == ("haha" in words or "😂" in text)


# --- speed work (issue 15): the fast paths give the slow paths' answers ------------------------

_MIXED = [
    "I really miss you 😢",
    "you never listen!!",
    "how are u?",
    None,
    "Sorry, my bad. Thank you x",
    "Wir sollten reden, ich vermisse dich",
    "lol what what are you doing",
    "",
    "we'll always win | ok",
    "Ⓜ️ I’m HOME 🏠 see https://x.org/a?b=1 @sam",
    "¿Qué tal? Estoy bien, gracias",
    "haha... 😂😂 ty",
]


def test_token_table_counts_equal_the_token_regex_counts():
    from reconnect_signals.cues._lexical import (
        ABSOLUTIST_WORDS,
        GRATITUDE_WORDS,
        I_WORDS,
        TOKEN_COUNT_CUES,
        WE_WORDS,
        YOU_WORDS,
        _tok,
        token_counts,
    )  # fmt: skip

    stream = _tokens._stream_arrow(_tokens._normalize_arrow(_tokens._as_arrow(pd.Series(_MIXED * 3))))
    got = token_counts(_tokens.TokenTable(stream))
    assert got.shape == (len(stream), len(TOKEN_COUNT_CUES))
    assert got[:, 0].tolist() == _tokens.count_stream_words(stream).tolist()
    for col, words in enumerate((I_WORDS, WE_WORDS, YOU_WORDS, ABSOLUTIST_WORDS, GRATITUDE_WORDS), start=1):
        assert got[:, col].tolist() == _tokens._count(stream, _tok(words)).tolist(), TOKEN_COUNT_CUES[col]


def _with_bytes_after_the_end(strings: list[str], after: bytes):
    """A large_string array of ``strings`` whose data buffer goes on with ``after`` past the last string."""
    import pyarrow as pa

    data = b"".join(s.encode() for s in strings)
    offsets = np.cumsum([0] + [len(s.encode()) for s in strings]).astype(np.int64)
    buffers = [None, pa.py_buffer(offsets.tobytes()), pa.py_buffer(data + after)]
    return pa.Array.from_buffers(pa.large_string(), len(strings), buffers)


@pytest.mark.parametrize("after", [b"", b" " * 8, b"\x80" * 8, b"\xc3\xa9" * 4, b"\xe2\x80\x83" * 3])
def test_tokens_do_not_depend_on_the_bytes_after_the_last_text(after):
    # pyarrow 26's utf8_split_whitespace kept a trailing space in the last token of an array when the
    # byte after its data buffer was >= 0x80 (whatever memory held): "how are u?" had 4 words, now and then
    stream = _tokens._stream_arrow(_tokens._normalize_arrow(_tokens._as_arrow(pd.Series(["ça va?", "how are u?"]))))
    assert stream.to_pylist() == [" ça  va  | ", " how  are  u  | "]  # the last text ends in a space
    odd = _with_bytes_after_the_end(stream.to_pylist(), after)
    table = _tokens.TokenTable(odd)
    assert table.words().tolist() == [2, 3]
    assert table.words().tolist() == _tokens.count_stream_words(odd).tolist()
    texts = ["x \u00a0", "a\u2003b ", "ok  "]
    got = _tokens.split_whitespace(_with_bytes_after_the_end(texts, after)).to_pylist()
    assert [[w for w in words if w] for words in got] == [t.split() for t in texts]


def test_cues_on_slices_in_threads_equal_one_pass(monkeypatch):
    texts = pd.Series(_MIXED * 40, dtype="str")
    one = text_cues(texts)
    monkeypatch.setattr(_tokens, "PARALLEL_MIN_TEXTS", 1)
    monkeypatch.setattr(_tokens, "_workers", lambda: 3)
    sliced = text_cues(texts)
    pd.testing.assert_frame_equal(one, sliced)
    msgs = rs.load_example()
    monkeypatch.setattr(_tokens, "_workers", lambda: 1)
    a = rs.message_cues(msgs)
    monkeypatch.setattr(_tokens, "_workers", lambda: 2)
    pd.testing.assert_frame_equal(a, rs.message_cues(msgs))


def test_replace_only_where_found_equals_replacing_everywhere():
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(["a  b", "x", None, "c   d e", ""] * 50 + ["  "], pa.large_string())
    for pattern in ("  +", r"[^a-z ]", "e$"):
        assert _tokens._replace(arr, pattern, "_").equals(pc.replace_substring_regex(arr, pattern, "_"))
    few = pa.array(["a  b"] + ["x"] * 30, pa.large_string())
    assert _tokens._replace(few, "  +", " ").equals(pc.replace_substring_regex(few, "  +", " "))
