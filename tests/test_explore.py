"""Tests of the peer features: rs.top_terms, rs.reply_matrix, rs.media_counts (and plot_calendar in test_plotting)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import reconnect_signals as rs
from reconnect_signals.errors import SchemaError


def _chat(rows, tz="Europe/London", **extra):
    frame = pd.DataFrame(rows, columns=["timestamp", "sender", "text", "kind"])
    for k, v in extra.items():
        frame[k] = v
    return rs.coerce(frame, tz=tz)


@pytest.fixture
def chat():
    return _chat(
        [
            ("2025-01-06 10:00", "Alex", "The pizza was great, pizza again on Friday?", "text"),
            ("2025-01-06 10:01", "Sam", "yes!! pizza 😂😂 👍🏽 see https://example.org/menu.", "text"),
            ("2025-01-06 10:02", "Alex", "@Sam and @\u2068Kim Lee\u2069 come too 👨\u200d👩\u200d👧", "text"),
            ("2025-01-06 10:03", "Kim", "I'm in. Pizza pizza www.pizza.example/x", "text"),
            ("2025-01-06 10:04", None, "Kim joined", "system"),
            ("2025-01-06 10:05", "Sam", None, "media"),
            ("2025-01-06 10:06", "Kim", None, "media"),
            ("2025-01-06 10:07", "Kim", None, "media"),
        ]
    )


def test_top_words_per_person_without_stop_words(chat):
    top = rs.top_terms(chat, n=2)
    assert top.columns.tolist() == ["sender", "rank", "term", "count", "messages"]
    alex = top.loc[top["sender"].eq("Alex")]
    assert alex["term"].tolist() == ["pizza", "friday"]  # 2 x pizza, then alphabetical ties ("again" is a stop word)
    assert alex["count"].tolist() == [2, 1] and alex["messages"].tolist() == [1, 1]
    kim = top.loc[top["sender"].eq("Kim")]
    assert kim.iloc[0].to_dict() == {"sender": "Kim", "rank": 1, "term": "pizza", "count": 2, "messages": 1}
    # stop words ("the", "was", "i'm", "and") are gone, links and mentions are not words
    everything = rs.top_terms(chat, n=100, by=None)
    assert not {"the", "was", "i'm", "and", "on", "https", "example", "sam", "kim"} & set(everything["term"])
    assert everything.set_index("term").loc["pizza", "count"] == 5
    # one's own list, or none at all
    mine = rs.top_terms(chat, n=100, by=None, stop_words=["pizza"])
    assert "pizza" not in set(mine["term"]) and "the" in set(mine["term"])
    assert "the" in set(rs.top_terms(chat, n=100, by=None, stop_words=None)["term"])


def test_top_emoji_links_and_mentions(chat):
    emoji = rs.top_terms(chat, kind="emoji", by=None, n=10)
    counts = dict(zip(emoji["term"], emoji["count"], strict=True))
    # a skin tone and a family (ZWJ sequence) are one emoji each, as people see them
    assert counts == {"😂": 2, "👍🏽": 1, "👨\u200d👩\u200d👧": 1}
    links = rs.top_terms(chat, kind="links", by=None)
    assert sorted(links["term"]) == ["https://example.org/menu", "www.pizza.example/x"]  # trailing '.' dropped
    mentions = rs.top_terms(chat, kind="mentions")
    assert mentions[["sender", "term"]].values.tolist() == [["Alex", "@Kim Lee"], ["Alex", "@Sam"]]


def test_top_terms_errors_name_the_fix(chat):
    with pytest.raises(ValueError, match="kind='hashtags' is not one of"):
        rs.top_terms(chat, kind="hashtags")
    with pytest.raises(ValueError, match="by='window'"):
        rs.top_terms(chat, by="window")
    with pytest.raises(ValueError, match="positive whole number"):
        rs.top_terms(chat, n=0)
    with pytest.raises(ValueError, match="not a language of the stop-words list"):
        rs.top_terms(chat, stop_words="klingon")
    with pytest.raises(SchemaError):
        rs.top_terms(pd.DataFrame({"text": ["hi"]}))
    empty = rs.top_terms(chat, kind="links", by="sender").iloc[:0]
    assert rs.top_terms(chat.iloc[:0], kind="links").columns.tolist() == empty.columns.tolist()


def test_top_terms_on_a_big_chat_is_vectorised():
    msgs = rs.load_example()
    big = pd.concat([msgs] * 10, ignore_index=True)
    import time

    t0 = time.perf_counter()
    top = rs.top_terms(big, n=5)
    elapsed = time.perf_counter() - t0
    small = rs.top_terms(msgs, n=5)
    assert (top["count"].to_numpy() == 10 * small["count"].to_numpy()).all()
    assert elapsed < 30  # ~30k messages; about a second unloaded


def test_reply_matrix_counts_replies_to_the_previous_person():
    msgs = _chat(
        [
            ("2025-01-06 10:00", "A", "hi all", "text"),
            ("2025-01-06 10:01", "B", "hey", "text"),  # B -> A
            ("2025-01-06 10:02", "C", "hello", "text"),  # C -> B
            ("2025-01-06 10:03", "C", "again", "text"),  # same turn: not a reply
            ("2025-01-06 10:04", "A", "so", "text"),  # A -> C
            ("2025-01-06 10:05", None, "B left", "system"),  # system rows are nobody
            ("2025-01-06 10:06", "B", "back", "text"),  # B -> A
            ("2025-01-07 18:00", "C", "new day", "text"),  # after the 6 h gap: opens a session, no reply
        ]
    )
    m = rs.reply_matrix(msgs)
    assert m.index.tolist() == ["B", "A", "C"]  # most replies given first
    assert m.loc["B", "A"] == 2 and m.loc["C", "B"] == 1 and m.loc["A", "C"] == 1
    assert int(m.to_numpy().sum()) == 4 and int(np.trace(m.to_numpy())) == 0
    share = rs.reply_matrix(msgs, normalize=True)
    assert share.loc["B", "A"] == 1.0 and share.sum(axis=1).tolist() == [1.0, 1.0, 1.0]


def test_media_by_type_with_and_without_the_column(chat):
    unknown = rs.media_counts(chat)
    assert unknown.to_dict("index") == {"Kim": {"unknown": 2, "total": 2}, "Sam": {"unknown": 1, "total": 1}}
    from reconnect_signals.schema import MEDIA_TYPE_DTYPE

    types = pd.Series([None, None, None, None, None, "image", "audio", "image"], dtype=MEDIA_TYPE_DTYPE)
    typed = chat.assign(media_type=types.set_axis(chat.index))
    table = rs.media_counts(typed)
    assert table.loc["Kim", "image"] == 1 and table.loc["Kim", "audio"] == 1 and table.loc["Sam", "image"] == 1
    assert table["total"].tolist() == [2, 1]
    whole = rs.media_counts(typed, by=None)
    assert whole.loc["all", "image"] == 2 and whole.loc["all", "total"] == 3
    assert rs.media_counts(chat.loc[chat["kind"].ne("media")]).empty
