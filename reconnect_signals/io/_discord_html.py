"""DiscordChatExporter's HTML export (its default format), read with the standard library.

The layout is the one of DiscordChatExporter's ``MessageGroupTemplate.cshtml``: messages are
``div.chatlog__message-container`` elements (``data-message-id``) inside
``div.chatlog__message-group``; the first message of a group names the author
(``span.chatlog__author``) and carries ``span.chatlog__timestamp``, the others a
``div.chatlog__short-timestamp``; both hold the full local date in their ``title`` ("f" format of
the export's culture, e.g. ``Saturday, June 1, 2024 10:00 AM``: minutes only). Text is in
``span.chatlog__markdown-preserve`` inside ``div.chatlog__content`` (emoji images give their alt
text); ``span.chatlog__edited-timestamp`` marks edits; ``div.chatlog__attachment`` and
``div.chatlog__sticker`` media; ``span.chatlog__reply-link`` the replied-to message id;
``div.chatlog__reaction`` counts (no users); system notifications
(``span.chatlog__system-notification-author`` / ``-content``) are system rows (calls: ``call``).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..errors import ParseError
from ._html import ClassWalker
from ._report import ParseReport

__all__ = ["parse_dce_html", "is_dce_html"]

_REPLY_ID = re.compile(r"scrollToMessage\(event, *'(\d{1,30})'\)")


def is_dce_html(head: str) -> bool:
    """True when ``head`` (decoded text) starts a DiscordChatExporter HTML export."""
    h = head[:65536]
    return "<html" in h.lower() and "chatlog__" in h and ("preamble__" in h or "chatlog__message-group" in h)


class _Dce(ClassWalker):
    def __init__(self):
        super().__init__()
        self.records: list[dict] = []
        self.group_author = None
        self.cur: dict | None = None
        self.guild: list[str] = []

    def open(self, tag, classes, attrs):
        if "chatlog__message-group" in classes:
            self.group_author = None
            return None
        if "chatlog__message-container" in classes:
            self.cur = {
                "id": attrs.get("data-message-id") or None,
                "author": None,
                "stamp": None,
                "text": None,
                "system": None,
                "media": 0,
                "reactions": 0,
                "edited": False,
                "reply": None,
                "line": self.getpos()[0],
            }
            return ("message",)
        if "preamble__entry" in classes:
            self.capture()
            return ("preamble",)
        cur = self.cur
        if cur is None:
            return None
        if self.inside("chatlog__reply") or self.inside("chatlog__embed"):
            if "chatlog__reply-link" in classes:
                m = _REPLY_ID.search(attrs.get("onclick", ""))
                cur["reply"] = m.group(1) if m else None
            return None
        if classes & {"chatlog__author", "chatlog__system-notification-author"}:
            self.capture()
            return ("author",)
        if classes & {"chatlog__timestamp", "chatlog__short-timestamp", "chatlog__system-notification-timestamp"}:
            cur["stamp"] = cur["stamp"] or attrs.get("title")
            return None
        if "chatlog__markdown-preserve" in classes and self.inside("chatlog__content"):
            self.capture()
            return ("text",)
        if "chatlog__system-notification-content" in classes:
            self.capture()
            return ("system",)
        if "chatlog__edited-timestamp" in classes:
            cur["edited"] = True
        elif classes & {"chatlog__attachment", "chatlog__sticker"}:
            cur["media"] += 1
        elif "chatlog__reaction-count" in classes:
            self.capture()
            return ("reaction",)
        return None

    def leave(self, token, text):
        role = token[0]
        if role == "preamble":
            self.guild.append(" ".join((text or "").split()))
            return
        cur = self.cur
        if cur is None:
            return
        if role == "message":
            if cur["author"] is None:
                cur["author"] = self.group_author
            self.records.append(cur)
            self.cur = None
        elif role == "author":
            name = " ".join((text or "").split()) or None
            cur["author"] = name
            if "system" not in token:
                self.group_author = name
        elif role == "text":
            cur["text"] = (cur["text"] or "") + (text or "")
        elif role == "system":
            cur["system"] = " ".join((text or "").split())
        elif role == "reaction":
            digits = re.sub(r"\D", "", text or "")[:9]
            cur["reactions"] += int(digits) if digits else 1


def parse_dce_html(text: str, report: ParseReport) -> tuple[pd.DataFrame, list[str]]:
    """The messages of one DiscordChatExporter HTML page as raw columns, and its preamble lines.

    >>> page = ('<html><body><div class="preamble__entry">Direct Messages</div>'
    ...         '<div class="chatlog__message-group"><div class="chatlog__message-container" data-message-id="1">'
    ...         '<span class="chatlog__author" title="alex">Alex</span>'
    ...         '<span class="chatlog__timestamp" title="Saturday, June 1, 2024 10:00 AM"><a>6/1/2024</a></span>'
    ...         '<div class="chatlog__content chatlog__markdown"><span class="chatlog__markdown-preserve">hi '
    ...         '<img class="chatlog__emoji" alt="👋"></span></div></div></div></body></html>')
    >>> rows, pre = parse_dce_html(page, ParseReport("x", "discord"))
    >>> rows[["id", "author", "stamp", "text"]].values.tolist(), pre
    ([['1', 'Alex', 'Saturday, June 1, 2024 10:00 AM', 'hi 👋']], ['Direct Messages'])
    """
    walker = _Dce()
    try:
        walker.feed(text)
        walker.finish()
    except RecursionError:  # pragma: no cover - the walker is iterative
        raise ParseError("the HTML nests too deeply to be a chat export; refusing it") from None
    rows = pd.DataFrame(
        walker.records,
        columns=["id", "author", "stamp", "text", "system", "media", "reactions", "edited", "reply", "line"],
    )
    report.total = len(rows)
    report.decisions["reactions_without_users"] = int(rows["reactions"].sum()) if len(rows) else 0
    return rows, walker.guild


def dce_kinds(rows: pd.DataFrame) -> tuple[np.ndarray, pd.Series]:
    """Kind and text of every parsed HTML message."""
    text = rows["text"].astype("str").str.strip()
    text = text.where(text.str.len() > 0)
    system = rows["system"].astype("str")
    is_sys = system.notna().to_numpy()
    call = system.str.startswith("started a call").fillna(False).to_numpy()
    media = rows["media"].to_numpy() > 0
    kind = np.select(
        [is_sys & call, is_sys, media, text.notna().to_numpy()], ["call", "system", "media", "text"], default="other"
    )
    return kind, text.where(~pd.Series(is_sys, index=text.index), system)
