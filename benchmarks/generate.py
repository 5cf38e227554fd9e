"""Seeded, clearly synthetic chat exports for the benchmarks (WhatsApp Android / iOS, Telegram JSON).

Usage::

    python benchmarks/generate.py --sizes 10k,100k,1M --out benchmarks/_work/data

writes, for each size ``N``::

    whatsapp_android_N.txt   Android layout, "31/12/2024, 21:05 - Name: text"
    whatsapp_ios_N.txt       iOS layout, "[31/12/2024, 21:05:09] Name: text"
    telegram_N.json          Telegram Desktop single-chat export (result.json)

The chat is a busy group of twelve invented people over several years (time zone
Europe/London, so both DST changes of every year are crossed): mostly text messages built
from a word list with pronouns, questions, laughter, apologies and emoji (some with skin
tones and ZWJ sequences), multi-line messages, media placeholders and captions, deleted and
edited messages, missed calls and group notices. Everything is invented; the same seed
gives the same bytes. Only ``numpy.random.Generator`` draws are used.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from reconnect_signals.io._whatsapp_render import LAYOUTS, render_whatsapp

__all__ = ["SEED", "SIZES", "PEOPLE", "generate_frame", "render_telegram", "write_all", "main"]

log = logging.getLogger(__name__)

SEED = 20260509
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
TZ = "Europe/London"
ANDROID, IOS = "android_dmy_24h_en", "ios_dmy_ss_en"

PEOPLE = [
    "Alex Morgan",
    "Sam",
    "Priya Natarajan",
    "José Álvarez",
    "Kim",
    "Tomasz W",
    "Aoife",
    "Jordan Lee",
    "Mei",
    "Femi Adeyemi",
    "Ruth",
    "Noah B",
]

_WORDS = (
    "the a to and of in it is that for on with this was have be at just so not but are all my can "
    "what out if up about get like one do time go now when know day think how see been really some "
    "good back want there more got need come then well today tonight tomorrow later week weekend "
    "dinner lunch coffee train bus work meeting home party game film book music walk run pizza "
    "beach park shop town place room car kids dog cat mum dad sister brother friend everyone "
    "great nice sure yes yeah no nope maybe ok okay right cool fun lovely tired busy late early "
    "soon again still already never always sometimes maybe probably definitely honestly literally "
    "thanks thank please sorry love miss feel hope wish guess mean said told asked heard saw made "
    "take make going coming leaving staying sending bringing booked cancelled moved changed "
    "monday tuesday wednesday thursday friday saturday sunday morning evening night"
).split()
_OPENERS = [
    "i",
    "i think",
    "we",
    "we should",
    "you",
    "you always",
    "did you",
    "can we",
    "i feel",
    "i'm",
    "we're",
    "are you",
    "haha",
    "lol",
    "omg",
    "wait",
    "ok so",
    "sorry",
    "thanks",
    "does anyone",
    "who is",
    "i miss",
    "let's",
    "you never",
    "honestly",
]
_EMOJI = [
    "😂",
    "❤️",
    "👍",
    "🙏",
    "😭",
    "🎉",
    "🔥",
    "😅",
    "👋🏻",
    "🤣",
    "🙌🏽",
    "😍",
    "👨‍👩‍👧",
    "🤦‍♀️",
    "✨",
    "🥲",
    "😬",
    "🍕",
]
_SHORT = [
    "ok",
    "haha",
    "yes",
    "no",
    "lol",
    "😂",
    "👍",
    "thanks!",
    "omg",
    "same",
    "true",
    "nice",
    "hahaha",
    "yep",
    "sure",
    "?",
    "good night",
    "on my way",
    "🙏",
    "love it",
]
_NOTICES = [
    "{a} added {b}",
    "{a} left",
    '{a} changed the subject to "Weekend plans"',
    "{a} changed this group's icon",
    "{a} removed {b}",
    "{a} joined using this group's invite link",
]


def _pick(rng: np.random.Generator, seq, n: int) -> np.ndarray:
    return np.asarray(seq, dtype=object)[rng.integers(0, len(seq), n)]


def generate_frame(n: int, seed: int = SEED) -> pd.DataFrame:
    """A message frame of ``n`` synthetic group messages (seeded; same seed, same frame).

    Examples
    --------
    >>> f = generate_frame(200, seed=1)
    >>> len(f), f["sender"].nunique() > 5, f["timestamp"].is_monotonic_increasing
    (200, True, True)
    """
    rng = np.random.default_rng(seed)
    # -- time: conversations (bursts of seconds to minutes) separated by hours ----------------
    long_gap = rng.random(n) < 0.06
    gaps = np.where(long_gap, rng.exponential(4 * 3600, n), rng.exponential(45, n)) + 2
    t0 = pd.Timestamp("2021-01-04 08:00", tz=TZ)
    wall = t0 + pd.to_timedelta(np.cumsum(gaps).astype(np.int64), unit="s")
    # render the wall clock: the reader localises it back, so keep it as the local time
    ts = pd.Series(wall).dt.tz_convert(TZ)
    # -- who: a few talkative members, replies mostly from someone else ----------------------
    weights = np.array([20, 18, 14, 12, 9, 7, 6, 5, 4, 2, 1.5, 1.5])
    sender = np.asarray(PEOPLE, dtype=object)[rng.choice(len(PEOPLE), n, p=weights / weights.sum())]
    # -- kinds ------------------------------------------------------------------------------
    u = rng.random(n)
    kind = np.full(n, "text", dtype=object)
    kind[u < 0.045] = "media"
    kind[(u >= 0.045) & (u < 0.052)] = "deleted"
    kind[(u >= 0.052) & (u < 0.056)] = "call"
    kind[(u >= 0.056) & (u < 0.062)] = "system"
    kind[0] = "system"
    # -- texts ------------------------------------------------------------------------------
    nwords = np.minimum(rng.geometric(1 / 9, n), 60)
    words = _pick(rng, _WORDS, int(nwords.sum()))
    cuts = np.cumsum(nwords)[:-1]
    bodies = [" ".join(w) for w in np.split(words, cuts)]
    opener = _pick(rng, _OPENERS, n)
    use_opener = rng.random(n) < 0.45
    question = rng.random(n) < 0.18
    emoji_n = np.where(rng.random(n) < 0.22, rng.integers(1, 4, n), 0)
    emoji = _pick(rng, _EMOJI, n * 3).reshape(n, 3)
    short = rng.random(n) < 0.25
    short_text = _pick(rng, _SHORT, n)
    multiline = rng.random(n) < 0.04
    caption = rng.random(n) < 0.3
    edited = (rng.random(n) < 0.01) & (kind == "text")
    other = _pick(rng, PEOPLE, n)
    notice = _pick(rng, _NOTICES, n)
    texts = []
    for i in range(n):
        if kind[i] == "system":
            texts.append(
                "Messages and calls are end-to-end encrypted. No one outside of this chat, not even "
                "WhatsApp, can read or listen to them. Tap to learn more."
                if i == 0
                else notice[i].format(a=sender[i], b=other[i])
            )
            continue
        if short[i]:
            t = short_text[i]
        else:
            t = (opener[i] + " " + bodies[i]) if use_opener[i] else bodies[i]
            if question[i]:
                t += "?"
            if multiline[i]:
                t += "\n" + bodies[(i * 7919) % n] + "\n" + bodies[(i * 104729) % n]
        if emoji_n[i]:
            t += " " + "".join(emoji[i, : emoji_n[i]])
        texts.append(t)
    text = pd.Series(texts, dtype="str")
    text = text.where(~np.isin(kind, ["deleted", "call"]), None)
    text = text.where((kind != "media") | caption, None)
    sender_s = pd.Series(sender, dtype="str").where(kind != "system", None)
    return pd.DataFrame(
        {
            "timestamp": ts,
            "sender": sender_s,
            "text": text,
            "kind": pd.Series(kind, dtype="str"),
            "edited": edited,
        }
    )


def render_telegram(frame: pd.DataFrame, *, name: str = "Weekend crew") -> bytes:
    """A Telegram Desktop single-chat ``result.json`` for ``frame`` (media, service, entities).

    Examples
    --------
    >>> import json
    >>> chat = json.loads(render_telegram(generate_frame(50, seed=2)))
    >>> chat["type"], len(chat["messages"])
    ('private_group', 50)
    """
    ids = {p: f"user{1000 + i}" for i, p in enumerate(PEOPLE)}
    ts = frame["timestamp"]
    unix = (ts.dt.tz_convert("UTC").astype("datetime64[s, UTC]").astype("int64")).to_numpy()
    local = ts.dt.strftime("%Y-%m-%dT%H:%M:%S").to_numpy()
    kinds, senders = frame["kind"].to_numpy(), frame["sender"].to_numpy()
    texts, edited = frame["text"].to_numpy(), frame["edited"].to_numpy()
    out = []
    for i in range(len(frame)):
        k, s, t = kinds[i], senders[i], texts[i]
        m = {"id": i + 1, "type": "message", "date": local[i], "date_unixtime": str(unix[i])}
        if k == "system":
            actor = PEOPLE[i % len(PEOPLE)]
            m.update(
                type="service",
                actor=actor,
                actor_id=ids[actor],
                action="invite_members",
                members=[PEOPLE[(i + 3) % len(PEOPLE)]],
                text="",
                text_entities=[],
            )
        elif k == "call":
            m.update(
                type="service",
                actor=s,
                actor_id=ids[s],
                action="phone_call",
                discard_reason="missed",
                text="",
                text_entities=[],
            )
        else:
            m.update({"from": s, "from_id": ids[s]})
            if k == "deleted":
                t = ""
            if k == "media":
                m.update(
                    photo="(File not included. Change data exporting settings to download.)", width=1280, height=960
                )
            t = "" if t is None or t != t else t
            if t and i % 10 == 3:  # some texts carry entities (a link), as Telegram writes them
                m["text"] = [t + " ", {"type": "link", "text": "https://example.org"}]
                m["text_entities"] = [
                    {"type": "plain", "text": t + " "},
                    {"type": "link", "text": "https://example.org"},
                ]
            else:
                m["text"] = t
                m["text_entities"] = [{"type": "plain", "text": t}] if t else []
            if edited[i]:
                m["edited"] = local[i]
                m["edited_unixtime"] = str(unix[i] + 60)
        out.append(json.dumps(m, ensure_ascii=False))
    head = json.dumps({"name": name, "type": "private_group", "id": 4200042}, ensure_ascii=False)[:-1]
    return (head + ', "messages": [\n ' + ",\n ".join(out) + "\n]}\n").encode("utf-8")


def write_all(sizes: list[str], out: Path, seed: int = SEED) -> list[Path]:
    """Write every benchmark file for ``sizes`` (keys of :data:`SIZES`) into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for key in sizes:
        n = SIZES[key]
        frame = generate_frame(n, seed)
        for tag, layout in (("android", ANDROID), ("ios", IOS)):
            path = out / f"whatsapp_{tag}_{key}.txt"
            path.write_bytes(render_whatsapp(frame, LAYOUTS[layout], chat_name="Weekend crew"))
            written.append(path)
        path = out / f"telegram_{key}.json"
        path.write_bytes(render_telegram(frame))
        written.append(path)
        log.info("wrote %s messages x 3 files", key)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10k,100k,1M", help="comma-separated, from " + ", ".join(SIZES))
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "_work" / "data")
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    for p in write_all(sizes, args.out, args.seed):
        log.info("%s  %.1f MB", p, p.stat().st_size / 1e6)
    return 0


if __name__ == "__main__":
    sys.exit(main())
