"""Synthetic NPS Chat XML for the tests (the real corpus is not shipped)."""

from __future__ import annotations

import numpy as np

KINDS = {
    "Greet": ["hi all", "hello room", "hey everyone", "hiya"],
    "whQuestion": ["where are you from?", "what is up?", "who is here?", "how old r u?"],
    "Statement": ["i am at work", "the game was good", "it is raining here", "my cat is asleep"],
    "Bye": ["bye all", "gotta go", "see ya", "night all"],
}


def nps_xml(posts: list[tuple[str, str, str]]) -> str:
    """One NPS Chat session file holding ``(class, user, text)`` posts."""
    body = "".join(f'<Post class="{c}" user="{u}">{t}<terminals/></Post>' for c, u, t in posts)
    return f'<?xml version="1.0"?><Session><Posts>{body}</Posts></Session>'


def synthetic_posts(n: int, seed: int = 0) -> list[tuple[str, str, str]]:
    """``n`` posts of four dialogue acts, four wordings each."""
    rng = np.random.default_rng(seed)
    posts = []
    for i in range(n):
        label = list(KINDS)[int(rng.integers(len(KINDS)))]
        posts.append((label, f"10-19-20sUser{i % 9}", KINDS[label][int(rng.integers(4))]))
    return posts
