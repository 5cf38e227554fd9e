"""Per-message lexical cues: pronouns, I-statements, criticism, questions, apologies, laughter,
emoji and sentiment.

.. important::

   These cues **describe wording; they do not diagnose**. None of them is validated as proof of
   what an ex-partner (or anyone) feels or intends. The research behind them comes from dating,
   couples and chat studies with small effects, measured on groups, not on one person's messages.
   Read them as descriptions of how a conversation is worded, never as a verdict.

Functions
---------
:func:`message_cues`
    A message frame plus one column per cue (only ``kind == "text"`` rows carry cues).
:func:`text_cues`
    The same cue columns for a bare Series of texts.
:func:`list_cues`
    Each cue's dtype, exact definition, reference and status (the cue registry).
:data:`CATALOGUE`, :class:`CueSpec`
    The cue catalogue: one record per cue (source columns, aggregation rule, label, unit,
    definition, reference, signal wording, warmer direction); everything else derives from it.
:func:`list_languages`
    The languages with their own rules (en, de, es, fr, it, nl, pt) and which cues each has.
:func:`normalize_text`, :func:`tokenize`, :func:`count_words`, :func:`count_tokens`, :data:`WORD_PATTERN`
    The shared tokeniser (also used by language style matching).

Definitions
-----------
Tokens: text is cut to its first 10,000 characters, lower-cased, curly apostrophes become ``'``,
URLs, e-mail addresses and @mentions are removed; a word is a maximal run of letters and digits
with internal apostrophes, so ``i'm``, ``let's`` and ``y'all`` are one word each. Emoji and
punctuation are not words. Rates computed from these counts elsewhere are LIWC-style percentages
of ``words``.

- ``words``, ``i_words``, ``we_words``, ``you_words`` (int64): word counts and the three pronoun
  families (``i``: i, me, my, mine, myself, i'm, i've, i'll, i'd, im, ive; ``we``: we, us, our, ours,
  ourselves, let's, lets, we're, we've, we'll, we'd; ``you``: you, your, yours, yourself,
  yourselves, you're, you've, you'll, you'd, youre, u, ur, y'all, yall). LIWC2015 categories
  (Pennebaker et al. 2015); we-talk (Seider et al. 2009, *Psychology and Aging*; Karan, Rosenthal &
  Robbins 2019, *JSPR*); pronouns in marital interaction (Simmons, Gordon & Chambless 2005,
  *Psychological Science*). In couples' instant messages "I" was about 20 times as frequent as "we"
  (Slatcher, Vazire & Pennebaker 2008).
- ``i_statement`` (bool): a first-person singular subject followed, with at most two adverbs,
  negations or auxiliaries between, by a feeling, cognition, want/need or ownership verb, or
  ``i'm``/``i was``/``i've been`` followed the same way by an emotion word. "Hope you're well",
  "I went home", "I'm at work", "as i said you need" are not I-statements.
  Gordon's I-messages; Rogers, Howieson & Neame 2018, *PeerJ* 6:e4831.
- ``you_criticism`` (bool): criticism or blame of the addressee (Gottman's criticism), a phrase
  **proxy**: a negative trait or label ("you're so selfish", "ur annoying", "you idiot"), global
  blame ("your fault", "you made me cry", "you don't even care"), an absolutist complaint about
  behaviour ("you never listen", "you're always late") or a reproach ("you should have told me");
  not idioms, advice, absolutist praise, negations or generic "you". Its precision and recall on
  real chat are measured and published in ``docs/cues.md``. Gottman's Four Horsemen;
  Al-Mosaiwi & Johnstone 2018.
- ``question`` (bool): a ``?``, a sentence opening with a wh-word that is not followed by a subject
  pronoun or an exclamative ("when you cancel plans, I feel hurt" and "what a day" are not
  questions), or an auxiliary followed by a subject ("are you ...", "r u ..."). Huang et al. 2017,
  *JPSP* ("It doesn't hurt to ask").
- ``apology`` (bool): sorry (and soz, sry, sowwy), apologise, apologies, my bad, my fault, forgive
  me, excuse me / pardon me; not sympathy ("sorry to hear", "sorry man, that sucks"), not negated
  ("not my fault", "don't be sorry") and not a repair request ("sorry?", "sorry? what was that").
  Cohen & Olshtain (IFIDs); ConvoKit politeness ``Apologizing``.
- ``laughter`` (bool): haha, ahah, hehe, lol, lmao, lmfao, rofl (and elongations), 😂, 🤣.
- ``emoji`` (int64): emoji as users see them (👍🏽, ❤️, 👨‍👩‍👧 and each flag count 1); ``:)`` and
  ``<3`` are not emoji.
- ``sentiment`` (float64): VADER compound score (Hutto & Gilbert 2014, *ICWSM*) from the
  ``vaderSentiment`` package's rules and lexicon (offline), computed as array operations over
  all texts and equal to the package's score, on the original-case text; on the paper's 4,200 rated tweets its Pearson r
  with the mean human rating is 0.872. VADER already scores emoji and "lol", so do not add
  ``emoji`` and ``sentiment`` as two independent positive signals.

Research-backed extras (clearly not part of the core specification):

- ``absolutist`` (int64): the 19-word absolutist dictionary of Al-Mosaiwi & Johnstone 2018,
  *Clinical Psychological Science* 6(4):529-542.
- ``gratitude`` (bool): thanks, thank you, thx, ty, grateful, appreciate. Algoe 2012; Gordon et al.
  2012, *JPSP* 103(2).
- ``future_we`` (bool): joint plans ("we should", "we could", "we'll", "let's"). Seider et al. 2009;
  Agnew et al. 1998, *JPSP* 74(4) (cognitive interdependence).
- ``affection`` (bool, **experimental**, not validated): "love you", "miss you", "ily", "xo", a
  closing "x", heart and kiss emoji. Gesselman, Ta & Garcia 2019, *PLoS ONE* 14(8):e0221297.

Examples
--------
>>> import pandas as pd
>>> from reconnect_signals.cues import text_cues
>>> text_cues(pd.Series(["we should get coffee x", "I’m so sorry. my bad"]))[
...     ["we_words", "future_we", "affection", "apology", "i_statement"]]
   we_words  future_we  affection  apology  i_statement
0         1       True       True    False        False
1         0      False      False     True         True
"""

from __future__ import annotations

from ._api import CUE_COLUMNS, CUES, Cue, list_cues, list_languages, message_cues, text_cues
from ._catalogue import CATALOGUE, CueSpec
from ._tokens import MAX_CHARS, WORD_PATTERN, count_tokens, count_words, normalize_text, tokenize

__all__ = [
    "message_cues",
    "text_cues",
    "list_cues",
    "list_languages",
    "Cue",
    "CUES",
    "CUE_COLUMNS",
    "CATALOGUE",
    "CueSpec",
    "MAX_CHARS",
    "WORD_PATTERN",
    "normalize_text",
    "tokenize",
    "count_words",
    "count_tokens",
]
