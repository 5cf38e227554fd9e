"""Facebook Messenger and Instagram "Download your information" exports in **HTML** format.

Meta's HTML pages (``messages/inbox/<thread>/message_1.html``; HTML is the default format of the
download) hold one block per message, newest first. The CSS class names are generated and change
between generations of the export; the three seen in real downloads are all recognised:

=========================== ============================ ================= ===================
message block               sender                       content           time
=========================== ============================ ================= ===================
``_2lej`` (2019-2021)       ``_2lek``                    ``_2let``         ``_2lem``
``_a6-g`` (2022-2023)       ``_a6-h`` (``h2`` or div)    ``_a6-p``         ``_a6-o``
``_a6-g`` in ``_a706``      ``_a6-h``                    ``_a6-p``         ``_a6-o`` > ``_a72d``
=========================== ============================ ================= ===================

Inside the content, reactions are a list (``ul._a6-q`` or ``ul._tqp``) of ``<emoji><name>`` items;
images, videos, audio and file links are media. Times are written in the account's language and
time zone, to the second or the minute (``Jun 01, 2024 10:00:00 am``, ``Jun 1, 2024, 10:00 AM``,
``1. Juni 2024, 10:00``): they are a wall clock, localised with ``tz``.
"""

from __future__ import annotations

import re

import pandas as pd

from ._html import ClassWalker

__all__ = ["parse_meta_html", "is_meta_html"]

_BLOCK = frozenset({"_a6-g", "_2lej"})
_SENDER = frozenset({"_a6-h", "_2lek"})
_CONTENT = frozenset({"_a6-p", "_2let"})
_TIME = frozenset({"_a6-o", "_2lem"})
_REACTIONS = frozenset({"_a6-q", "_tqp"})
_MEDIA_TAGS = frozenset({"img", "video", "audio"})
# call notes as the English pages word them (JSON marks calls with call_duration instead)
_CALL = re.compile(
    r"^(?:[^\n]{1,200} called you\.|You called [^\n]{1,200}\.|[^\n]{1,200} started a (?:video )?call\."
    r"|The (?:video )?(?:call|chat) ended\.|You missed a (?:video )?call from [^\n]{1,200}\.)$"
)


def is_meta_html(head: bytes) -> bool:
    """True when ``head`` starts a Messenger/Instagram HTML message page."""
    h = head[:65536]
    return (
        b"<html" in h.lower()
        and (b"_a6-g" in h or b"_2lej" in h)
        and (b"_a6-o" in h or b"_2lem" in h or b"_a6-p" in h or b"_2let" in h)
    )


class _Meta(ClassWalker):
    def __init__(self):
        super().__init__()
        self.records: list[dict] = []
        self.cur: dict | None = None
        self.title: str | None = None

    def open(self, tag, classes, attrs):
        if tag == "title":
            self.capture()
            return ("title",)
        if classes & _BLOCK and self.cur is None:
            self.cur = {
                "sender": None,
                "text": None,
                "stamp": None,
                "media": 0,
                "reactions": [],
                "line": self.getpos()[0],
            }
            return ("block",)
        cur = self.cur
        if cur is None:
            return None
        if classes & _SENDER or (tag == "h2" and cur["sender"] is None):
            self.capture()
            return ("sender",)
        if classes & _TIME:
            self.capture()
            return ("time",)
        if classes & _REACTIONS:
            return None
        if tag == "li" and (self.inside("_a6-q") or self.inside("_tqp")):
            self.capture()
            return ("reaction",)
        if classes & _CONTENT:
            self.capture()
            return ("content",)
        if self.inside("_a6-p") or self.inside("_2let"):
            href = attrs.get("href", "")
            if tag in _MEDIA_TAGS or (tag == "a" and re.search(r"/(?:photos|videos|audio|files|gifs)/", href)):
                cur["media"] += 1
        return None

    def leave(self, token, text):
        role = token[0]
        if role == "title":
            self.title = " ".join((text or "").split()) or None
            return
        cur = self.cur
        if cur is None:
            return
        if role == "block":
            self.records.append(cur)
            self.cur = None
        elif role == "sender":
            cur["sender"] = " ".join((text or "").split()) or None
        elif role == "time":
            cur["stamp"] = " ".join((text or "").split()) or None
        elif role == "reaction":
            cur["reactions"].append(" ".join((text or "").split()))
        elif role == "content":
            cur["text"] = text

    def _add(self, text):
        # reaction items are not part of the message text: inside the list, only the item collects
        if self.inside("_a6-q") or self.inside("_tqp"):
            if self._tags_open.get("li") and self._captures:  # the open item, not the text around the list
                self._captures[-1].append(text)
            return
        super()._add(text)


def _split_reaction(item: str) -> tuple[str | None, str | None]:
    """``"❤Alex"`` -> ``("❤", "Alex")``: the emoji is the leading run of non-letters."""
    i = 0
    while i < len(item) and not item[i].isalnum():
        i += 1
    emoji, name = item[:i].strip(), item[i:].strip()
    return (emoji or None), (name or None)


def parse_meta_html(text: str) -> tuple[list[dict], str | None]:
    """Message records (newest first, as written) and the page title of one HTML page.

    >>> page = ('<html><head><title>Sam</title></head><body><div class="pam _3-95 _2ph- _a6-g uiBoxWhite noborder">'
    ...         '<h2 class="_2ph_ _a6-h _a6-i">Sam</h2><div class="_2ph_ _a6-p"><div><div></div><div>Coffee?</div>'
    ...         '<div></div><div><ul class="_a6-q"><li><span>❤Alex</span></li></ul></div></div></div>'
    ...         '<div class="_3-94 _a6-o">Jun 01, 2024 10:05:00 am</div></div></body></html>')
    >>> recs, title = parse_meta_html(page)
    >>> [(r["sender"], r["text"], r["stamp"], r["reactions"]) for r in recs], title
    ([('Sam', 'Coffee?', 'Jun 01, 2024 10:05:00 am', [('❤', 'Alex')])], 'Sam')
    """
    walker = _Meta()
    walker.feed(text)
    walker.finish()
    out = []
    for r in walker.records:
        body = (r["text"] or "").strip()
        out.append({**r, "text": body or None, "reactions": [_split_reaction(x) for x in r["reactions"] if x]})
    return out, walker.title


def records_as_json(recs: list[dict], naive_to_ms) -> list[dict]:
    """The records in the shape of Meta's JSON messages (``sender_name``, ``timestamp_ms``, ...)."""
    stamps = pd.Series([r["stamp"] for r in recs], dtype="str")
    ms = naive_to_ms(stamps)
    out = []
    for r, t in zip(recs, ms, strict=True):
        m = {"sender_name": r["sender"], "timestamp_ms": None if pd.isna(t) else int(t), "_stamp": r["stamp"]}
        if r["text"]:
            m["content"] = r["text"]
        if r["media"]:
            m["photos"] = [{"uri": "(html)"}] * r["media"]
        if r["text"] and _CALL.match(r["text"]):
            m["call_duration"] = 0  # HTML gives no duration
        if r["reactions"]:
            m["reactions"] = [{"reaction": e, "actor": a} for e, a in r["reactions"] if a]
        out.append(m)
    return out
