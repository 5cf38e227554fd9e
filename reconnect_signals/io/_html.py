"""A small, bounded HTML walker for chat exports (standard library ``html.parser`` only).

Exports written as HTML (DiscordChatExporter, Facebook/Instagram "Download your information")
are read with :class:`ClassWalker`: a subclass names the CSS classes it cares about; the walker
keeps the stack of open elements (with their classes), drops void elements, closes unclosed
ones when an ancestor closes, and refuses documents nested deeper than ``max_depth`` (hostile
input). Text is collected per open "capture" so nested markup (links, emoji images, line breaks)
contributes its text: ``<img alt>`` gives its alt text and ``<br>`` a newline.
"""

from __future__ import annotations

from html.parser import HTMLParser

from ..errors import ParseError

__all__ = ["ClassWalker"]

_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)


class ClassWalker(HTMLParser):
    """Walk an HTML document calling :meth:`open` / :meth:`leave` for every element.

    Subclasses override :meth:`open` (``tag``, ``classes``, ``attrs``) and return a token
    (anything but None) to be handed back to :meth:`leave` with the captured text when the
    element ends; :meth:`capture` starts collecting text for the element being opened.
    """

    def __init__(self, max_depth: int = 2000):
        super().__init__(convert_charrefs=True)
        self.max_depth = max_depth
        self._stack: list[tuple[str, object, int | None]] = []  # (tag, token, capture index)
        self._captures: list[list[str]] = []  # text buffers of the open capturing elements, innermost last
        self._capture_next = False
        self.classes_open: dict[str, int] = {}
        self._tags_open: dict[str, int] = {}

    # -- subclass API ------------------------------------------------------------------------
    def open(self, tag: str, classes: frozenset[str], attrs: dict[str, str]) -> object | None:  # pragma: no cover
        return None

    def leave(self, token: object, text: str | None) -> None:  # pragma: no cover
        pass

    def capture(self) -> None:
        """Collect the text of the element being opened (call from :meth:`open`)."""
        self._capture_next = True

    def inside(self, cls: str) -> bool:
        """True while an element with CSS class ``cls`` is open."""
        return self.classes_open.get(cls, 0) > 0

    # -- HTMLParser hooks -------------------------------------------------------------------
    def handle_starttag(self, tag, attrs):
        amap = {k: (v or "") for k, v in attrs}
        classes = frozenset(amap.get("class", "").split())
        if tag in _VOID:
            if tag == "img" and amap.get("alt"):
                self._add(amap["alt"])
            elif tag == "br":
                self._add("\n")
            token = self.open(tag, classes, amap)
            if token is not None:
                self.leave(token, None)
            return
        if len(self._stack) >= self.max_depth:
            raise ParseError(f"the HTML nests deeper than {self.max_depth} elements; refusing it")
        self._capture_next = False
        token = self.open(tag, classes, amap)
        cap = None
        if self._capture_next:
            self._captures.append([])
            cap = len(self._captures)  # its depth among the captures (they nest like the elements)
            self._capture_next = False
        for c in classes:
            self.classes_open[c] = self.classes_open.get(c, 0) + 1
        self._stack.append((tag, token, cap, classes))
        self._tags_open[tag] = self._tags_open.get(tag, 0) + 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if not self._tags_open.get(tag):
            return  # a stray end tag
        while self._stack:
            t, token, cap, classes = self._stack.pop()
            self._tags_open[t] -= 1
            for c in classes:
                self.classes_open[c] -= 1
            text = None
            if cap is not None:
                parts = self._captures.pop() if len(self._captures) == cap else []
                text = "".join(parts)
            if token is not None:
                self.leave(token, text)
            if t == tag:
                break

    def handle_data(self, data):
        self._add(data)

    def _add(self, text: str) -> None:
        for parts in self._captures:
            parts.append(text)

    def finish(self) -> None:
        """Close the document (elements still open are closed in order)."""
        super().close()
        while self._stack:
            self.handle_endtag(self._stack[-1][0])
