"""WhatsApp "Export chat" reader (``.txt`` or the ``.zip`` the app writes).

Reads Android and iOS layouts, 12 h and 24 h clocks, with and without seconds, ``/ . -``
date separators, 2- and 4-digit years, year-first dates, square brackets, ``-`` and ``–``
before the sender, localised AM/PM markers (``AM``, ``a. m.``, ``a.m.``), any Unicode space
and direction mark in the header, UTF-8 with or without BOM, UTF-16, LF or CRLF.

How the file is read
--------------------
* Every line is matched against one header pattern (RE2 through pyarrow: linear time, no
  backtracking). The file's *layout* (brackets, separators, year width, seconds, AM/PM,
  dash) is the most common one among matching lines; a line that looks like a header of
  another layout (a pasted message, a line from another chat) is a continuation of the
  message before it, and the report says so.
* The day/month order is decided once per file from all header dates: a first field above 12
  means day-first, a second field above 12 month-first, a four-digit first field year-first.
  When every date fits both orders, chronology decides when it is clear (the order whose
  timestamps run backwards at least two times fewer, and at most a third as often); then the
  header's locale shape (CLDR short patterns: separator, year digits, zero-padding, clock,
  language of WhatsApp's notices) when every locale writing it uses one order; otherwise
  :class:`AmbiguousDateOrder` asks for ``date_order=``. The deciding evidence is recorded in
  the report (``decisions["date_order_evidence"]``). It is never decided per line.
* Layouts of other locales (digits of any script, ``،`` and ``ص``/``م``, 12 h markers before
  the time, Japanese and Buddhist era years, time-first headers, a dot after the time) are
  read on the general path: each header prefix (never the text) is rewritten to a layout the
  header pattern reads, and the report lists the rewrites.
* Multi-line messages keep their newlines; leading and trailing blank lines are trimmed.
* Notices (encryption, group events, number and security-code changes, disappearing
  messages, ...) become ``kind="system"`` with no sender, including iOS notices attributed to
  the chat's name; media placeholders become ``"media"`` (a caption stays as text), deleted
  messages ``"deleted"``, call notices ``"call"``; the "edited" marker is removed from the
  text and flagged in ``edited``; media rows get a ``media_type``. The phrases of 64 languages
  come from WhatsApp's own string tables (:mod:`._whatsapp_vocab`). A row that names a sender
  keeps it: an iOS body behind U+200E that nothing recognises is kind ``other`` with its
  sender, and the report counts these "unrecognised marked line (language not covered?)".
* Speed: a file is read as UTF-8 bytes (never decoded to a Python ``str`` when valid). Once the
  dominant layout is known, a capture-free regex built for that layout finds its header lines
  (only the other lines see the full pattern), header numbers are read with numpy, and each
  message's sender and text are byte ranges of the file. Files with anything unusual (text
  before the first header, two equally common layouts, invalid dates, ...) are read line by
  line through the full pattern instead; both ways give the same frame and report. Per-name
  work (marks, quoted notices, notice heads) runs once per distinct sender; the kinds are
  decided in chunks of 131,072 rows. On a machine with two or more cores, a big file's
  conversation id is hashed and its chunks classified two at a time on threads (Arrow,
  numpy and hashlib release the GIL); the result is the same as on one thread.
* Wall-clock times are localised with ``tz`` (the repeated hour at the end of summer time is
  resolved from file order, nonexistent times are shifted forward, and each decision is
  reported); without ``tz`` they are labelled UTC and the assumption is recorded.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
from collections.abc import Callable
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import AmbiguousDateOrder, ParseError
from ..schema import KIND_DTYPE, MEDIA_TYPE_DTYPE, PLATFORM_DTYPE
from ._registry import ParserSpec, ReadOptions, register
from ._report import ParseReport
from ._text import Source, decode_bytes
from ._time import localize_wall_clock
from ._whatsapp_vocab import (
    LANGS,
    MEDIA_TYPES,
    attachment_patterns,
    edited_pattern,
    fixed_table,
    locale_shapes,
    media_type_of_name,
    normalize,
    notice_heads,
    phrase_languages,
    system_pattern,
    system_pattern_for,
    system_patterns,
)

__all__ = ["header_pattern"]

_log = logging.getLogger(__name__)

_T = pa.large_string()

_MARK_CHARS = ["200E", "200F", "202A", "202B", "202C", "202D", "202E", "2066", "2067", "2068", "2069", "FEFF"]
_SPACE_CHARS = [
    "0020",
    "00A0",
    "1680",
    "2000",
    "2001",
    "2002",
    "2003",
    "2004",
    "2005",
    "2006",
    "2007",
    "2008",
    "2009",
    "200A",
    "202F",
    "205F",
    "3000",
    "0009",
]

_TEMPLATE = (
    r"^{M}(?P<ob>\[?){M}(?P<d1>\d{{1,4}})(?P<s1>[./-]){S}?{M}(?P<d2>\d{{1,2}})(?P<s2>[./-]){S}?{M}"
    r"(?P<d3>\d{{1,4}})\.?,?{S}*{M}(?P<hh>\d{{1,2}})[:.](?P<mi>\d{{2}})(?:[:.](?P<ss>\d{{2}}))?"
    r"(?:{S}*{M}(?P<ap>[AaPp]\.?{S}?[Mm]\.?))?{M}(?P<close>\]{S}?|{S}*[-\u2013]{S}){M}(?P<rest>.*)$"
)


def _cls(chars: list[str], flavour: str) -> str:
    if flavour == "re2":
        return "[" + "".join(rf"\x{{{c}}}" for c in chars) + "]"
    return (
        "["
        + "".join(chr(int(c, 16)) if c not in ("0020", "0009") else (" " if c == "0020" else r"\t") for c in chars)
        + "]"
    )


def header_pattern(flavour: str = "re2") -> str:
    """The header regex, for RE2 (pyarrow) or Python's ``re`` (``flavour="python"``).

    Parameters
    ----------
    flavour : {"re2", "python"}, default "re2"
        The regex dialect.

    Returns
    -------
    str
        The pattern of a message header line.
    """
    marks = _cls(_MARK_CHARS, flavour) + "*"
    space = _cls(_SPACE_CHARS, flavour)
    pat = _TEMPLATE.format(M=marks, S=space)
    if flavour == "re2":
        pat = pat.replace(r"\u2013", r"\x{2013}")
    return pat


@lru_cache(maxsize=1)
def _py_header() -> re.Pattern:
    return re.compile(header_pattern("python"))


_MARKS_RE2 = _cls(_MARK_CHARS, "re2")
_SENDER_TIGHT_RE = r"(?s)^(?P<sender>[^:\n]*?[^:\s]):(?P<body>\S.*)$"
_QUOTES = "[\"\u201c\u201d\u201e\u00ab\u00bb']"


# -- sniffing -----------------------------------------------------------------------


def _sniff(src: Source) -> float:
    head = src.head(65536)
    if src.is_zip:
        try:
            names = [n for n in src.zip_names() if n.lower().endswith(".txt")]
        except ParseError:
            return 0.0
        if not names:
            return 0.0
        head = src.read_member(_pick_member(names))[:65536]
    try:
        text, _ = decode_bytes(head)
    except Exception:  # pragma: no cover - decode never raises with replacement
        return 0.0
    lines = [ln for ln in text.split("\n")[:40] if ln.strip()][:20]
    if not lines:
        return 0.0
    pat = _py_header()
    matches = [m for m in (pat.match(ln[:400]) or pat.match(_canonical_line(ln[:400])) for ln in lines) if m]
    if not matches:
        return 0.0
    score = 0.75 + 0.15 * len(matches) / len(lines)
    iso = all(len(m["d1"]) == 4 and m["s1"] == "-" for m in matches)
    if not iso:
        score += 0.1  # only WhatsApp writes these layouts
    elif all(m["ss"] and "," in m.group(0)[:14] for m in matches):
        score += 0.05  # "[2024-03-09, 08:00:00]": WhatsApp iOS (signal-export has no comma before seconds)
    else:
        score = min(score, 0.8)  # "[2024-03-09, 08:00]" is also old signal-export's header
    if iso and ("  \n\n[" in text or "  \r\n\r\n[" in text):
        return min(score, 0.5)  # markdown line breaks and a blank line between messages: signal-export's chat.md
    if "\u200e" in text or any(_is_phrase(m["rest"]) for m in matches):
        score = max(score, 0.97)
    return min(score, 0.99)


@lru_cache(maxsize=1)
def _phrase_set() -> frozenset[str]:
    return frozenset(fixed_table()[0].to_pylist())


_HINT_TRIM = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff \u00a0\u202f\t\r\n."


def _is_phrase(rest: str) -> bool:
    """True when a header's remainder is a WhatsApp phrase as WhatsApp writes it: the whole body
    (``Name: <Media omitted>``, a notice without sender), never inside other text such as
    signal-export's ``(This message was deleted)``."""
    body = rest.split(": ", 1)[-1]
    return body.strip(_HINT_TRIM).lower() in _phrase_set()


def _pick_member(names: list[str]) -> str:
    for n in names:
        if n.rsplit("/", 1)[-1] == "_chat.txt":
            return n
    chats = [n for n in names if "whatsapp" in n.lower() or "chat" in n.lower()]
    return sorted(chats or names, key=len)[0]


# -- reading ------------------------------------------------------------------------


def _export_bytes(src: Source, report: ParseReport) -> bytes:
    """The raw bytes of the chat: the file, or the chat's ``.txt`` inside the export's zip."""
    if not src.is_zip:
        return src.read_bytes()
    names = [n for n in src.zip_names() if n.lower().endswith(".txt")]
    if not names:
        raise ParseError(
            f"{src.name} is a zip without a .txt chat file; export the chat again from WhatsApp "
            "(More > Export chat) and pass the .zip or the .txt it contains"
        )
    member = _pick_member(names)
    data = src.read_member(member)
    others = len(src.zip_names()) - 1
    report.decisions["zip_member"] = member
    report.notice(f"read {member!r} from the zip; {others} other members (media files) were not read")
    return data


def _load_text(src: Source, report: ParseReport) -> tuple[str, bytes]:
    data = _export_bytes(src, report)
    text, enc = decode_bytes(data, report)
    report.decisions["encoding"] = enc
    return text, data


def _load_utf8(src: Source, report: ParseReport) -> tuple[bytes, bytes]:
    """The export as UTF-8 bytes with LF newlines (what :func:`decode_bytes` gives, encoded).

    Valid UTF-8 (with or without BOM) is never decoded to a Python ``str``: Arrow checks it
    in place. Other encodings and invalid bytes go through :func:`decode_bytes` (which
    reports them) and are encoded back.
    """
    raw = _export_bytes(src, report)
    data = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    plain = not raw.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")) and _is_utf8(data)
    if plain and not _guess_utf16(data):
        if b"\r" in data:
            data = data.replace(b"\r\n", b"\n")
        report.decisions["encoding"] = "utf-8"
        return data, raw
    text, enc = decode_bytes(raw, report)
    report.decisions["encoding"] = enc
    return text.encode("utf-8"), raw


def _guess_utf16(data: bytes) -> bool:
    from ._text import _guess_bomless_utf16

    return _guess_bomless_utf16(data) is not None


def _is_utf8(data: bytes) -> bool:
    arr = pa.LargeStringArray.from_buffers(1, pa.py_buffer(np.array([0, len(data)], np.int64)), pa.py_buffer(data))
    try:
        arr.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _ranges(data: pa.Buffer, lo: np.ndarray, hi: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """Strings ``data[lo[i]:hi[i]]`` (byte ranges, ``hi[i] <= lo[i + 1]``) as one compact array."""
    m = len(lo)
    if m == 0:
        return pa.array([], _T)
    off = np.empty(2 * m, np.int64)
    off[0::2], off[1::2] = lo, hi
    # from_buffers does not check offsets: a range out of order or past the data would read outside the
    # buffer (a crash, not an exception), so the invariant is checked here (one pass, cheap at 1M)
    if off[0] < 0 or off[-1] > data.size or (np.diff(off) < 0).any():
        raise ParseError("could not cut the file into messages (byte ranges out of order): please report the layout")
    spans = pa.LargeStringArray.from_buffers(2 * m - 1, pa.py_buffer(off), data)
    out = spans.take(pa.array(np.arange(0, 2 * m - 1, 2)))
    if valid is not None and not valid.all():
        out = pc.if_else(pa.array(valid), out, pa.scalar(None, _T))
    return out


def _spans(arr: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Byte starts, byte ends and the data bytes (uint8) of a string array, without copying."""
    n = len(arr)
    _, ob, db = arr.buffers()[:3]
    wide = pa.types.is_large_string(arr.type) or pa.types.is_large_binary(arr.type)
    off = np.frombuffer(ob, np.int64 if wide else np.int32)[arr.offset : arr.offset + n + 1]
    data = np.frombuffer(db, np.uint8) if db is not None and db.size else np.zeros(1, np.uint8)
    return off[:-1], off[1:], data


def _starts_with_mark(arr: pa.Array) -> np.ndarray:
    """Rows whose first character is a direction mark or BOM (as ``^`` + ``_MARKS_RE2``; nulls are False)."""
    lo, hi, data = _spans(arr)
    if not len(lo):
        return np.zeros(0, bool)
    at = np.minimum(lo, max(len(data) - 3, 0))
    ok = (hi - lo) >= 3
    out = ok & _is_mark(data[at], data[at + 1], data[at + 2]) if len(data) >= 3 else np.zeros(len(lo), bool)
    if arr.null_count:
        out &= np.asarray(arr.is_valid().to_numpy(zero_copy_only=False), bool)
    return out


def _last_byte_in(arr: pa.Array, allowed: np.ndarray) -> np.ndarray:
    """Rows whose last byte is one of ``allowed`` (a 256-entry boolean table; empty rows and nulls are False)."""
    lo, hi, data = _spans(arr)
    out = (hi > lo) & allowed[data[np.maximum(hi - 1, 0)]]
    if arr.null_count:
        out &= np.asarray(arr.is_valid().to_numpy(zero_copy_only=False), bool)
    return out


def _nocap(pattern: str) -> str:
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


@lru_cache(maxsize=1)
def _prefix_patterns() -> tuple[str, str, str]:
    """(header prefix with groups, the same without groups, the 'year run glued to the hour' probe)."""
    full = header_pattern("re2")
    prefix = full.replace("{M}(?P<rest>.*)$".replace("{M}", _MARKS_RE2 + "*"), "")
    assert prefix != full
    marks, space = _MARKS_RE2 + "*", _cls(_SPACE_CHARS, "re2")
    contig = (
        rf"^{marks}\[?{marks}\d{{1,4}}[./-]{space}?{marks}\d{{1,2}}[./-]{space}?{marks}"
        rf"\d{{2,6}}[:.]\d{{2}}"
    )
    return prefix, _nocap(prefix), contig


def _layout_pattern(sig: str) -> tuple[str, dict] | None:
    """A group-free regex matching exactly the header lines whose signature is ``sig``."""
    parts = sig.split("|")
    if len(parts) != 8:
        return None
    ob, s1, s2, yf, k, ss, ap, close = parts
    if close not in ("]", "-", "\u2013") or (ob == "[") != (close == "]") or not (k.isdigit() or k == "d"):
        return None
    M, S = _MARKS_RE2 + "*", _cls(_SPACE_CHARS, "re2")
    d1 = r"\d{4}" if yf == "true" else r"\d{1,3}"
    glue = rf"(?:\.,?{S}*{M}|,{S}*{M}|{S}+{M}|{_MARKS_RE2}+)"  # non-empty: d3 is its whole digit run
    pat = (
        rf"^{M}{re.escape(ob)}{M}{d1}{re.escape(s1)}{S}?{M}\d{{1,2}}{re.escape(s2)}{S}?{M}"
        + (r"\d{1,2}" if k == "d" else rf"\d{{{int(k)}}}")
        + rf"{glue}\d{{1,2}}[:.]\d{{2}}"
        + (r"[:.]\d{2}" if ss == "true" else "")
        + (rf"{S}*{M}[AaPp]\.?{S}?[Mm]\.?" if ap == "true" else "")
        + M
        + (r"\]" if close == "]" else rf"{S}*" + (r"-" if close == "-" else r"\x{2013}") + S)
    )
    return pat, {"fields": 6 if ss == "true" else 5, "ap": ap == "true", "close": close}


def _d3_sig(f: dict) -> pa.Array:
    """The third date field's part of a header signature: its width, or ``d`` for a year-first day."""
    width = pc.utf8_length(f["d3"])
    day = pc.and_(pc.equal(pc.utf8_length(f["d1"]), 4), pc.less_equal(width, 2))
    return pc.if_else(day, pa.scalar("d", _T), pc.cast(width, _T))


def _signatures(ex: pa.StructArray) -> pa.Array:
    f = {name: pc.struct_field(ex, name) for name in ("ob", "s1", "s2", "d1", "d3", "ss", "ap", "close")}
    sig = pc.binary_join_element_wise(
        f["ob"],
        f["s1"],
        f["s2"],
        pc.cast(pc.equal(pc.utf8_length(f["d1"]), 4), _T),
        _d3_sig(f),
        pc.cast(pc.greater(pc.utf8_length(f["ss"]), 0), _T),
        pc.cast(pc.greater(pc.utf8_length(f["ap"]), 0), _T),
        pc.utf8_trim_whitespace(f["close"]),
        pa.scalar("|", _T),
    )
    bracket_ok = pc.equal(pc.equal(f["ob"], "["), pc.starts_with(f["close"], "]"))
    return pc.if_else(pc.and_kleene(ex.is_valid(), bracket_ok), sig, pa.scalar(None, _T))


def _is_space(b0, b1, b2) -> np.ndarray:
    """Byte width (0-3) of a header space character starting with bytes ``b0 b1 b2``."""
    three = (
        ((b0 == 0xE2) & (b1 == 0x80) & (((b2 >= 0x80) & (b2 <= 0x8A)) | (b2 == 0xAF)))
        | ((b0 == 0xE1) & (b1 == 0x9A) & (b2 == 0x80))
        | ((b0 == 0xE2) & (b1 == 0x81) & (b2 == 0x9F))
        | ((b0 == 0xE3) & (b1 == 0x80) & (b2 == 0x80))
    )
    return np.where((b0 == 0x20) | (b0 == 0x09), 1, np.where((b0 == 0xC2) & (b1 == 0xA0), 2, np.where(three, 3, 0)))


def _is_mark(b0, b1, b2) -> np.ndarray:
    return (
        ((b0 == 0xE2) & (b1 == 0x80) & ((b2 == 0x8E) | (b2 == 0x8F) | ((b2 >= 0xAA) & (b2 <= 0xAE))))
        | ((b0 == 0xE2) & (b1 == 0x81) & (b2 >= 0xA6) & (b2 <= 0xA9))
        | ((b0 == 0xEF) & (b1 == 0xBB) & (b2 == 0xBF))
    )


def _header_fields(buf: np.ndarray, hs: np.ndarray, he: np.ndarray, lay: dict, chunk: int = 1 << 16):
    """Numbers, AM/PM and header length of lines known to match one layout (numpy, no regex).

    Works on the first ``_WIN`` bytes of each line; returns None when a header is longer.
    """
    fixed = _header_fields_fixed(buf, hs, he, lay)
    if fixed is not None:
        return fixed
    for width in (32, 64):
        out = _header_fields_w(buf, hs, he, lay, width, chunk)
        if out is not None:
            return out
    return None


def _header_fields_fixed(buf, hs, he, lay, chunk: int = 1 << 18):
    """The same for the lines whose header has the first header's exact shape (padded layouts).

    The first header, parsed by :func:`_header_fields_w`, is the template: a line whose bytes
    equal it everywhere except digits at its digit positions (and the AM/PM letter) has the
    same fields at the same offsets. Other lines go through the general numpy parse.
    """
    first = _header_fields_w(buf, hs[:1], he[:1], lay, 64, 1)
    if first is None:
        return None
    L = int(first[3][0])
    tpl = buf[hs[0] : hs[0] + L]
    if len(tpl) < L or len(buf) < L + 3:
        return None
    is_dig = (tpl >= 48) & (tpl <= 57)
    runs = np.flatnonzero(np.diff(np.r_[0, is_dig.view(np.int8), 0]))  # start, end, start, end, ...
    spans = list(zip(runs[0::2], runs[1::2], strict=True))[: lay["fields"]]
    if len(spans) < lay["fields"]:
        return None
    ap_at = None
    if lay["ap"]:
        after = np.flatnonzero(np.isin(tpl[spans[-1][1] :], np.frombuffer(b"AaPp", np.uint8)))
        if not len(after):
            return None
        ap_at = spans[-1][1] + int(after[0])
    fixed_cols = [j for j in range(L) if not is_dig[j] and j != ap_at]
    ends_close = tpl[L - 1] == ord("]")
    m = len(hs)
    ok = np.zeros(m, bool)
    vals = np.zeros((lay["fields"], m), np.int32)
    pm, am = np.zeros(m, bool), np.zeros(m, bool)
    view = np.lib.stride_tricks.sliding_window_view(buf, L + 3)
    for a in range(0, m, chunk):
        b = min(a + chunk, m)
        h = hs[a:b]
        near_end = h > len(buf) - (L + 3)  # those few take the general numpy parse
        win = view[np.where(near_end, 0, h)]
        good = ((he[a:b] - h) >= L) & ~near_end
        good &= (win[:, fixed_cols] == tpl[fixed_cols]).all(axis=1)
        digits = win[:, np.flatnonzero(is_dig)]
        good &= ((digits >= 48) & (digits <= 57)).all(axis=1)
        tail = (win[:, L], win[:, L + 1], win[:, L + 2])
        good &= ~_is_mark(*tail)  # the header does not go on
        if ends_close:
            good &= _is_space(*tail) == 0
        if ap_at is not None:
            c = win[:, ap_at]
            pm[a:b], am[a:b] = (c == ord("P")) | (c == ord("p")), (c == ord("A")) | (c == ord("a"))
            good &= pm[a:b] | am[a:b]
        for r, (s0, s1) in enumerate(spans):
            v = np.zeros(b - a, np.int32)
            for j in range(s0, s1):
                v = v * 10 + (win[:, j].astype(np.int32) - 48)
            vals[r, a:b] = v
        ok[a:b] = good
    hlen = np.full(m, L, np.int64)
    bad = np.flatnonzero(~ok)
    if len(bad):
        rest = None
        for width in (32, 64):
            rest = _header_fields_w(buf, hs[bad], he[bad], lay, width, 1 << 16)
            if rest is not None:
                break
        if rest is None:
            return None
        vals[:, bad], pm[bad], am[bad], hlen[bad] = rest
    return vals, pm, am, hlen
    return None


def _header_fields_w(buf, hs, he, lay, _WIN, chunk):
    m, k = len(hs), lay["fields"]
    vals = np.empty((k, m), np.int32)
    pm, am = np.zeros(m, bool), np.zeros(m, bool)
    hlen = np.zeros(m, np.int64)
    cols = np.arange(_WIN)
    # windows over the file; the last few lines get theirs from a small zero-padded tail copy
    tail_at = max(len(buf) - 2 * _WIN, 0)
    tail = np.lib.stride_tricks.sliding_window_view(np.r_[buf[tail_at:], np.zeros(_WIN, np.uint8)], _WIN)
    view = np.lib.stride_tricks.sliding_window_view(buf, _WIN) if len(buf) >= _WIN else tail
    for a in range(0, m, chunk):
        b = min(a + chunk, m)
        h = hs[a:b]
        late = h > len(buf) - _WIN
        win = view[np.where(late, 0, h)] if view is not tail else tail[h - tail_at]
        if late.any() and view is not tail:
            win[late] = tail[h[late] - tail_at]
        win[cols >= (he[a:b] - hs[a:b])[:, None]] = 0
        rows = np.arange(b - a)
        dig = (win >= 48) & (win <= 57)
        st = dig.copy()
        st[:, 1:] &= ~dig[:, :-1]
        rs_ = np.flatnonzero(st)  # digit run starts and ends, row-major over (rows, _WIN)
        st = dig
        st[:, :-1] &= ~dig[:, 1:]
        re_ = np.flatnonzero(st) + 1
        del st, dig
        row_of = rs_ // _WIN
        first = np.searchsorted(row_of, rows)
        pos = first[:, None] + np.arange(k)
        if (pos >= len(rs_)).any():
            return None
        if (row_of[pos] != rows[:, None]).any():
            return None
        col = rs_[pos] - row_of[pos] * _WIN
        length = re_[pos] - rs_[pos]
        if (length > 4).any():
            return None
        v = np.zeros((b - a, k), np.int64)
        for t in range(4):
            d = win[rows[:, None], np.minimum(col + t, _WIN - 1)].astype(np.int64) - 48
            v = np.where(t < length, v * 10 + d, v)
        vals[:k, a:b] = v.T
        tend = col[:, -1] + length[:, -1]
        after = cols >= tend[:, None]
        if lay["ap"]:
            letter = after & np.isin(win, np.frombuffer(b"AaPp", np.uint8))
            c = win[rows, letter.argmax(axis=1)]
            pm[a:b], am[a:b] = (c == ord("P")) | (c == ord("p")), (c == ord("A")) | (c == ord("a"))
        close = lay["close"]
        if close == "\u2013":
            nxt = np.zeros_like(win)
            nxt[:, :-2] = (win[:, :-2] == 0xE2) & (win[:, 1:-1] == 0x80) & (win[:, 2:] == 0x93)
            hit, width = after & nxt.astype(bool), 3
        else:
            hit, width = after & (win == ord(close)), 1
        if not hit.any(axis=1).all():
            return None
        p = hit.argmax(axis=1) + width

        def at3(p, win=win, rows=rows):  # binds this chunk's arrays
            q = np.minimum(p, _WIN - 3)
            return win[rows, q], win[rows, q + 1], win[rows, q + 2]

        p = p + _is_space(*at3(p))  # "] " (optional) or "- " (required) before the sender
        for _ in range(_WIN // 3):
            mk = _is_mark(*at3(p))
            if not mk.any():
                break
            p = p + 3 * mk
        if (p > _WIN - 3).any():
            return None
        hlen[a:b] = p
    return vals[:k], pm, am, hlen


def _fallback(reason: str) -> None:
    _log.debug("WhatsApp fast path not taken (%s); reading with the full header regex", reason)
    return None


def _read_fast(src: Source, opts: ReadOptions, report: ParseReport, holder: list[bytes], conv: Callable[[], str]):
    """The common case without per-line regex captures; None hands the file to :func:`_read_general`.

    Lines of the file's dominant layout are found with one group-free RE2 pass built from
    that layout (which matches exactly the lines the full header regex gives that layout's
    signature); their numbers and the header length are read from the bytes with numpy; the
    message texts are byte ranges of the file, cut with Arrow ``take``. Anything unusual
    (text before the first header, a date run glued to the hour, a header of another layout
    as common as the dominant one, invalid dates, headers longer than 64 bytes) returns None.
    """
    data = holder.pop()  # the only reference: freed once the messages are cut out
    size = len(data) - 1 if data.endswith(b"\n") else len(data)
    if size <= 0:
        return _fallback("empty file")
    buf = np.frombuffer(data, np.uint8, count=size)
    pdata = pa.py_buffer(data)
    step = 1 << 24  # newline search in 16 MiB slices: no file-sized temporary
    nl = np.concatenate([np.flatnonzero(buf[a : a + step] == 10) + a for a in range(0, size, step)])
    starts = np.r_[0, nl + 1].astype(np.int64)
    ends = np.r_[nl, size].astype(np.int64)
    del nl
    n = len(starts)
    lines = pa.LargeStringArray.from_buffers(n, pa.py_buffer(np.r_[starts, size].astype(np.int64)), pdata)
    # each line's first ": " (the sender separator of header lines), found on a second thread meanwhile
    colon_at = _soon(_find_colon_space, lines)
    prefix, prefix_nocap, contig = _prefix_patterns()
    # the dominant layout, guessed from the first lines, then checked against every other header
    ex_sample = pc.extract_regex(lines.slice(0, 4096), prefix)
    sample = _signatures(ex_sample)
    counts = pc.value_counts(pc.drop_null(sample))
    if not len(counts):
        return _fallback("no well-formed header in the first lines")
    dominant = counts.field("values")[pc.index(counts.field("counts"), pc.max(counts.field("counts"))).as_py()]
    built = _layout_pattern(dominant.as_py())
    if built is None:
        return _fallback("unexpected header signature")
    pattern, lay = built
    is_head = pc.match_substring_regex(lines, pattern).to_numpy(zero_copy_only=False)
    head_idx = np.flatnonzero(is_head)
    if not len(head_idx) or head_idx[0] != 0:
        return _fallback("text before the first header, or a first header of another layout")
    # the layout pattern only matches header lines, so only the other lines need the full pattern
    not_head = np.flatnonzero(~is_head)
    rest = lines.take(pa.array(not_head))
    if pc.any(pc.match_substring_regex(rest, contig)).as_py():
        return _fallback("a year glued to the hour")
    rest_idx = not_head[np.asarray(pc.match_substring_regex(rest, prefix_nocap).to_numpy(zero_copy_only=False), bool)]
    del rest, not_head
    other = 0
    if len(rest_idx):
        sigs = pc.drop_null(_signatures(pc.extract_regex(lines.take(pa.array(rest_idx)), prefix)))
        other = len(sigs)
        if other and pc.max(pc.value_counts(sigs).field("counts")).as_py() >= len(head_idx):
            return _fallback("another layout is as common as the first lines' one")
    del is_head
    report.total = n
    report.decisions["layout"] = dominant.as_py()
    if other:
        report.notice(f"{other} lines look like headers of another layout and were kept as continuation text")
    line_no = head_idx + 1
    hs, le = starts[head_idx], ends[head_idx]
    parsed = _header_fields(buf, hs, le, lay)
    if parsed is None:
        return _fallback("a header longer than 64 bytes")
    vals, pm, am, hlen = parsed
    del parsed
    d1, d2, d3, hh, mi = vals[:5].astype(np.int64)
    ss = vals[5].astype(np.int64) if len(vals) > 5 else np.zeros(len(hs), np.int64)
    # -- dates and times (as in _read_general) -------------------------------------------
    time_ok, hm = _clock(hh, mi, ss, pm, am, line_no, report)
    if dominant.as_py().split("|")[3] == "true":
        order = "YMD"
        report.decisions["date_order"] = "YMD"
        year, month, day = d1, d2, d3
    else:
        head_sample = pc.fill_null(pc.equal(sample, dominant), False)
        rest_sample = pc.replace_substring_regex(lines.slice(0, 4096), prefix_nocap, "", max_replacements=1)
        evidence = lru_cache(maxsize=1)(
            lambda: _shape_evidence(dominant.as_py(), ex_sample.filter(head_sample), rest_sample.filter(head_sample))
        )
        order, year, month, day = _dates(d1, d2, d3, hm, line_no, report, opts, evidence)
    days, date_ok = _civil(year, month, day)
    if not (date_ok & time_ok).all():
        return _fallback("invalid dates or times")
    wall = (days * 86400 + hm * 60 + ss).astype("datetime64[s]")
    del d1, d2, d3, hh, mi, ss, vals, days, year, month, day, hm, pm, am, time_ok, date_ok
    # -- messages: byte ranges of the file ------------------------------------------------
    sizes = np.diff(np.r_[head_idx, n])
    report.messages = len(head_idx)
    report.continuations = int(sizes.sum()) - len(head_idx)
    rs = hs + hlen
    me = ends[np.r_[head_idx[1:] - 1, n - 1]]
    fh = colon_at()[head_idx]
    del colon_at  # (its thread's result: one number per line)
    del lines, starts, ends
    two = fh >= 0
    cabs = hs + fh
    if (two & (cabs < rs)).any():
        return _fallback("a sender separator inside a header")
    sender_hi = np.where(two, cabs, rs)
    body_lo = np.where(two, cabs + 2, rs)
    has_sender = two.copy()
    nt = np.flatnonzero(~two)
    if len(nt):
        rest = _ranges(pdata, rs[nt], le[nt])
        colon_end = pc.ends_with(rest, ":").to_numpy(zero_copy_only=False)
        ce = nt[colon_end]
        sender_hi[ce], body_lo[ce], has_sender[ce] = le[ce] - 1, le[ce], True
        tight = ~colon_end & pc.match_substring(rest, ":").to_numpy(zero_copy_only=False)
        if tight.any():
            roster = pc.unique(_ranges(pdata, rs[has_sender], sender_hi[has_sender]))
            sub = pc.filter(rest, pa.array(tight))
            ex = pc.extract_regex(sub, _SENDER_TIGHT_RE)
            known = pc.fill_null(pc.is_in(pc.struct_field(ex, "sender"), roster), False).to_numpy(zero_copy_only=False)
            ti = nt[tight][known]
            colon = pc.find_substring(pc.filter(sub, pa.array(known)), ":").to_numpy(zero_copy_only=False)
            sender_hi[ti], body_lo[ti], has_sender[ti] = rs[ti] + colon, rs[ti] + colon + 1, True
    sender = pc.dictionary_encode(_ranges(pdata, rs, sender_hi, has_sender))  # a few names, many rows
    quoted = _quoted_notice(sender)
    if quoted.any():
        has_sender &= ~quoted
        body_lo = np.where(quoted, rs, body_lo)
        sender = _without(sender, quoted)
    body0 = le - body_lo  # a message's first body line is the first body0 bytes of its text (see _prefixes)
    lo, hi = body_lo, me
    # the per-header positions are done with: freed before the texts are cut out (the peak)
    del hs, le, rs, fh, two, cabs, sender_hi, has_sender, head_idx, quoted, body_lo, me
    for _ in range(16):  # trim blank lines around the text, as utf8_trim(..., "\n") does
        lead = (lo < hi) & (buf[np.minimum(lo, size - 1)] == 10)
        lo = lo + lead
        # after the lead step: a text that is one "\n" must not lose it at both ends (hi < lo)
        trail = (hi > lo) & (buf[np.maximum(hi - 1, 0)] == 10)
        hi = hi - trail
        if not (lead.any() or trail.any()):
            break
    joined = _ranges(pdata, lo, hi)
    if (lo < hi).any() and _ == 15:
        joined = pc.utf8_trim(joined, "\n")
    return {"joined": joined, "sender": sender, "body0": body0, "wall": wall, "line_no": line_no, "sizes": sizes}


def _clock(hh, mi, ss, pm, am, line_no, report: ParseReport) -> tuple[np.ndarray, np.ndarray]:
    """Validity and minutes after midnight of header times (12 h markers applied).

    An impossible 12 h time with one possible meaning (``13:00``-``23:59`` with PM, ``00:xx``
    with AM: hand-edited files contain them) is read as that 24 h time, and the report says so.
    """
    salvage = (pm & (hh >= 13) & (hh <= 23)) | (am & (hh == 0))
    time_ok = (mi <= 59) & (ss <= 59) & np.where(pm | am, ((hh >= 0) & (hh <= 12)) | salvage, hh <= 23)
    hour = np.where(pm & (hh < 12), hh + 12, np.where(am & (hh == 12), 0, hh))
    n = int((salvage & time_ok).sum())
    if n:
        first = int(line_no[np.flatnonzero(salvage & time_ok)[0]])
        report.notice(
            f"{n} impossible 12-hour times (such as '23:59 PM' or '00:04 AM') were read as the 24-hour "
            f"time they can only mean (first on line {first})"
        )
        report.decisions["salvaged_12h_times"] = n
    return time_ok, hour * 60 + mi


def _to_int(arr: pa.Array) -> np.ndarray:
    return pc.cast(pc.if_else(pc.equal(arr, ""), "0", arr), pa.int64()).to_numpy(zero_copy_only=False)


def _civil(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Days since the epoch and a validity mask (month 1-12, day within the month)."""
    ok = (month >= 1) & (month <= 12) & (day >= 1) & (day <= 31) & (year >= 1970) & (year <= 2200)
    first, length = _month_table()
    ym = np.where(ok, (year - 1970) * 12 + (month - 1), 0)
    days = np.where(ok, first[ym] + (day - 1), 0)
    ok &= day <= length[ym]  # day beyond the month's end
    return days, ok


@lru_cache(maxsize=1)
def _month_table() -> tuple[np.ndarray, np.ndarray]:
    """Days since the epoch of the first day, and the length, of every month from 1970 to 2200."""
    months = np.arange((2201 - 1970) * 12 + 1).astype("datetime64[M]")
    first = months.astype("datetime64[D]").astype(np.int64)
    return first[:-1], np.diff(first)


def _shape_evidence(sig: str, ex: pa.StructArray, rest: pa.Array) -> dict:
    """What the header layout and the notices' language say about the phone's locale.

    ``ex`` holds the header fields and ``rest`` the rest of the dominant layout's lines among
    the file's first 4096 (the same lines on both reading paths).
    """
    parts = sig.split("|")
    ev: dict[str, object] = {
        "sep": parts[1],
        "ydigits": int(parts[4]) if parts[4].isdigit() else None,
        "clock": 12 if parts[6] == "true" else 24,
    }
    for k, name in ((1, "d1"), (2, "d2")):
        s = pc.struct_field(ex, name)
        small = pc.less(pc.cast(s, pa.int64()), 10)
        width = pc.utf8_length(pc.filter(s, small))
        padded, plain = pc.any(pc.equal(width, 2)).as_py(), pc.any(pc.equal(width, 1)).as_py()
        ev[f"pad{k}"] = True if padded and not plain else False if plain and not padded else None
    body = pc.replace_substring_regex(rest, "^.*?: ", "", max_replacements=1)
    keys = normalize(body)
    langs = phrase_languages()
    hit = pc.drop_null(pc.index_in(keys, langs[0])).to_numpy(zero_copy_only=False)
    counts: dict[str, int] = {}
    for i in np.unique(hit)[:200]:
        for lang in langs[1][int(i)]:
            counts[lang] = counts.get(lang, 0) + int((hit == i).sum())
    if counts:
        top = max(counts.values())
        ev["languages"] = sorted(k for k, v in counts.items() if v == top)
    return ev


def _dates(d1, d2, d3, hm, line_no, report: ParseReport, opts: ReadOptions, evidence):
    """(order, year, month, day) of headers whose first field is not a four-digit year."""
    if not opts.date_order and _yy_first(d1, d2, d3, evidence, report):
        return "YMD", 2000 + d1, d2, d3
    year = np.where(d3 < 100, 2000 + d3, d3)
    order = opts.date_order or _decide_order(d1, d2, year, hm, line_no, report, evidence)
    if opts.date_order:
        report.decisions["date_order"] = f"{order} (given)"
    month, day = (d2, d1) if order == "DMY" else (d1, d2)
    return order, year, month, day


def _yy_first(d1, d2, d3, evidence, report: ParseReport) -> bool:
    """Two-digit year first (``yy. M. d.``, Korean and a few others): only when the notices' language
    writes that shape and no other order with that separator, and every date fits it."""
    if not len(d1) or not (
        (d1 <= 99).all() and (d3 >= 1).all() and (d3 <= 31).all() and (d2 >= 1).all() and (d2 <= 12).all()
    ):
        return False
    ev = evidence()
    langs = set(ev.get("languages") or ())
    if not langs or ev["ydigits"] != 2:
        return False
    fits = {
        r["order"]
        for r in locale_shapes()
        if r["ydigits"] == 2 and r["sep"] == ev["sep"] and langs & set(r["languages"])
    }
    if fits != {"YMD"}:
        return False
    report.decisions["date_order"] = "YMD"
    report.decisions["date_order_evidence"] = (
        f"layout: separator {ev['sep']!r}, 2-digit year first, language " + "/".join(sorted(langs))
    )
    report.notice(
        f"date order YMD with a two-digit year first: only that order writes headers of this shape in "
        f"{'/'.join(sorted(langs))}"
    )
    return True


def _shape_orders(ev: dict) -> tuple[set[str], list[str]]:
    """The orders of the CLDR locale shapes that fit every observed feature, and the features used."""
    fits = []
    for row in locale_shapes():
        if row["order"] not in ("DMY", "MDY") or row["sep"] != ev["sep"] or row["ydigits"] != ev["ydigits"]:
            continue
        day, month = ("pad1", "pad2") if row["order"] == "DMY" else ("pad2", "pad1")
        if ev[day] is not None and ev[day] != row["dpad"]:
            continue
        if ev[month] is not None and ev[month] != row["mpad"]:
            continue
        fits.append(row)
    used = [
        f"separator {ev['sep']!r}",
        f"{ev['ydigits']}-digit year",
        "padding " + "/".join({True: "0d", False: "d", None: "?"}[ev[k]] for k in ("pad1", "pad2")),
    ]
    for feature in ("clock", "languages"):  # soft: used only when some locale still fits
        if ev.get(feature) is None:
            continue
        keep = [
            r
            for r in fits
            if (r["clock"] == ev["clock"] if feature == "clock" else set(r["languages"]) & set(ev["languages"]))
        ]
        if keep:
            fits = keep
            used.append(f"{ev['clock']} h clock" if feature == "clock" else "language " + "/".join(ev["languages"]))
    return {r["order"] for r in fits}, used


def _decide_order(
    a: np.ndarray, b: np.ndarray, y: np.ndarray, hm: np.ndarray, lines: np.ndarray, report: ParseReport, evidence=None
) -> str:
    """Decide DMY vs MDY once for the file from all header dates (see module docstring).

    Evidence, strongest first: a field above 12; the order in which the messages run
    (chronology, when clear); the locale shape of the header (separator, year digits,
    zero-padding, clock, language of WhatsApp's notices: ``evidence()`` computes it). The
    evidence that decided is in ``report.decisions["date_order_evidence"]``.
    """
    day_first = np.flatnonzero(a > 12)
    month_first = np.flatnonzero(b > 12)
    if len(day_first) and not len(month_first):
        report.decisions["date_order"] = "DMY"
        report.decisions["date_order_evidence"] = "values > 12"
        report.notice(f"date order DMY: first field {a[day_first[0]]} > 12 on line {lines[day_first[0]]}")
        return "DMY"
    if len(month_first) and not len(day_first):
        report.decisions["date_order"] = "MDY"
        report.decisions["date_order_evidence"] = "values > 12"
        report.notice(f"date order MDY: second field {b[month_first[0]]} > 12 on line {lines[month_first[0]]}")
        return "MDY"
    if len(day_first) and len(month_first):
        order = "DMY" if len(day_first) >= len(month_first) else "MDY"
        report.decisions["date_order"] = order
        report.decisions["date_order_evidence"] = "values > 12 (majority)"
        report.notice(
            f"dates fit neither order everywhere ({len(day_first)} day-first, {len(month_first)} month-first "
            f"lines); using {order}; the other lines are reported as invalid dates"
        )
        return order
    if (a == b).all():
        report.decisions["date_order"] = "DMY"
        report.decisions["date_order_evidence"] = "day equals month everywhere"
        return "DMY"
    back: dict[str, int] = {}
    for order, (mm, dd) in {"DMY": (b, a), "MDY": (a, b)}.items():
        days, ok = _civil(y, mm, dd)
        t = days * 1440 + hm
        back[order] = int((np.diff(t[ok]) < 0).sum())
    report.decisions["date_order_backward_steps"] = back
    lo, hi = sorted(back.values())
    if hi - lo >= 2 and lo * 3 <= hi:
        order = min(back, key=back.__getitem__)
        report.decisions["date_order"] = order
        report.decisions["date_order_evidence"] = "chronology"
        report.notice(
            f"date order {order}: every date fits both orders, but read as DMY the messages run backwards "
            f"{back['DMY']} times and as MDY {back['MDY']} times"
        )
        return order
    orders, used = _shape_orders(evidence()) if evidence is not None else (set(), [])
    if len(orders) == 1:
        order = orders.pop()
        report.decisions["date_order"] = order
        report.decisions["date_order_evidence"] = "layout: " + ", ".join(used)
        report.notice(
            f"date order {order}: every date fits both orders and chronology does not settle it, but "
            f"only {order} locales write headers of this shape ({', '.join(used)})"
        )
        return order
    ex = int(np.flatnonzero(a != b)[0])
    why = f"; locales writing headers of this shape ({', '.join(used)}) use both orders" if orders else ""
    raise AmbiguousDateOrder(
        f"every date in {report.source} fits both day-first and month-first order, and the order of the "
        f"messages does not settle it (line {lines[ex]}: {a[ex]:02d}/{b[ex]:02d}){why}. Pass date_order='DMY' "
        f"(day first: {a[ex]} {_MONTHS[b[ex] - 1]}) or date_order='MDY' (month first: {b[ex]} "
        f"{_MONTHS[a[ex] - 1]}) to read_chat."
    )


_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _read(src: Source, opts: ReadOptions) -> tuple[pd.DataFrame, list[ParseReport]]:
    report = ParseReport(source=src.name, format="whatsapp", units="lines")
    data, raw = _load_utf8(src, report)
    conv = _conversation_soon(opts, raw)
    holder = [data]
    del data, raw
    parts = _read_fast(src, opts, report, holder, conv)
    if parts is not None:
        return _assemble(src, opts, report, conv, parts)
    report = ParseReport(source=src.name, format="whatsapp", units="lines")
    text, raw = _load_text(src, report)
    return _read_general(src, opts, report, text, raw)


# -- header layouts the main pattern does not read directly (rewritten to a layout it reads) --------

_AM_WORDS = {"오전": "AM", "上午": "AM", "午前": "AM", "ص": "AM", "오후": "PM", "下午": "PM", "午後": "PM", "م": "PM"}
_ERAS = {"R": 2018, "H": 1988, "S": 1925}  # Reiwa 1 = 2019, Heisei 1 = 1989, Showa 1 = 1926
_MK = "[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]*"
_SP = "[ \u00a0\u202f\u2009]"
# a header-like prefix: up to 64 characters ending in "]" or in a dash between spaces
_LOOSE = re.compile(rf"^(?P<head>{_MK}\[[^\]\n]{{6,64}}?\]|[^\n]{{6,64}}?{_SP}+[-\u2013]{_SP})")
_TRIGGER = re.compile(
    r"(?m)^[^\n]{0,40}?(?:[\u0660-\u0669\u06f0-\u06f9\u0966-\u096f\u09e6-\u09ef\u0e50-\u0e59\u1040-\u1049"
    r"\uff10-\uff19]|\u060c|오전|오후|上午|下午|午前|午後|:[0-9]{2}\.(?:\]|\s[-\u2013]))"
    r"|^\W{0,3}[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?:\s?[APap]\.?\s?[Mm]\.?)?,|^\W{0,3}[RHS][0-9]{1,2}[/.-]|^[^\n]{0,12}?\b2[4-7][0-9]{2}\b"
)
_TIME = r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?"


@lru_cache(maxsize=1)
def _digit_table() -> dict[int, str]:
    import sys
    import unicodedata

    return {
        cp: str(unicodedata.digit(chr(cp)))
        for cp in range(0x80, sys.maxunicode + 1)
        if unicodedata.category(chr(cp)) == "Nd"
    }


def _canonical_head(head: str, seen: set[str]) -> str:
    """One header prefix rewritten to a layout the header pattern reads (or returned unchanged)."""
    new = head.translate(_digit_table())
    if new != head:
        seen.add("digits in a non-Latin script read as 0-9")
    h = new.replace("\u060c", ",")
    if h != new:
        seen.add("Arabic comma")
    # 12 h markers before the time ("오후 2:56", "下午2:56") or as Arabic letters after it ("10:30 م")
    h2 = re.sub(
        rf"(오전|오후|上午|下午|午前|午後|AM|PM|am|pm){_SP}*({_TIME})",
        lambda m: f"{m[2]} {_AM_WORDS.get(m[1], m[1])}",
        h,
    )
    h2 = re.sub(rf"({_TIME}){_SP}*{_MK}([صم])(?=$|[\s\]\u200e\u200f])", lambda m: f"{m[1]} {_AM_WORDS[m[2]]}", h2)
    if h2 != h:
        seen.add("localised AM/PM marker")
    # time first: "[14:56:01, 3/18/22]"
    date = rf"\d{{1,4}}[./-]{_SP}?\d{{1,2}}[./-]{_SP}?\d{{1,4}}\.?"
    h3 = re.sub(rf"^({_MK}\[?{_MK})({_TIME}(?:{_SP}?[AP]M)?),?{_SP}*({date})", r"\1\3, \2", h2)
    if h3 != h2:
        seen.add("time before the date")
    # a dot after the time ("14:56:01.]")
    h4 = re.sub(rf"({_TIME}(?:{_SP}?[AP]M)?)\.(?={_MK}(?:\]|{_SP}*[-\u2013]))", r"\1", h3)
    if h4 != h3:
        seen.add("dot after the time")
    # era years: Japanese "R4/3/18", Thai Buddhist-era "18/3/2565"
    h5 = re.sub(r"^(\W{0,3})([RHS])(\d{1,2})(?=[/.-])", lambda m: f"{m[1]}{_ERAS[m[2]] + int(m[3])}", h4)
    if h5 != h4:
        seen.add("Japanese era year")
    h6 = re.sub(r"(?<![\d:])(2[4-7]\d\d)(?=[/.\-,\s\]])", lambda m: str(int(m[1]) - 543), h5, count=1)
    if h6 != h5:
        seen.add("Buddhist-era year (minus 543)")
    return h6


def _canonical_line(line: str) -> str:
    m = _LOOSE.match(line)
    return line if m is None else _canonical_head(m["head"], set()) + line[m.end("head") :]


def _canonical_headers(text: str, report: ParseReport) -> str:
    """Rewrite header prefixes in layouts the header pattern does not read (the general path only).

    Digits of any script become 0-9, ``،`` a comma, localised AM/PM markers (before or after
    the time) ``AM``/``PM`` after it, time-first headers date-first, a dot after the time is
    dropped, and era years become Gregorian. Only the header prefix of a line changes; the
    message text is never touched. The report lists what was rewritten.
    """
    if not _TRIGGER.search(text):
        return text
    seen: set[str] = set()
    lines = text.split("\n")
    changed = 0
    for i, line in enumerate(lines):
        m = _LOOSE.match(line)
        if m is None:
            continue
        head = m["head"]
        new = _canonical_head(head, seen)
        if new != head and _py_header().match(new + "x"):
            lines[i] = new + line[m.end("head") :]
            changed += 1
    if not changed:
        return text
    report.decisions["header_rewrites"] = sorted(seen)
    report.notice(f"{changed} header lines were read through a layout rewrite ({', '.join(sorted(seen))})")
    return "\n".join(lines)


def _read_general(
    src: Source, opts: ReadOptions, report: ParseReport, text: str, raw: bytes
) -> tuple[pd.DataFrame, list[ParseReport]]:
    """The reference path: every line through the full header regex (any file, any oddity)."""
    text = _canonical_headers(text, report)
    if text.endswith("\n"):
        text = text[:-1]
    if not text:
        return _frame_empty(), [report]
    lines = pc.list_flatten(pc.split_pattern(pa.array([text], pa.large_string()), "\n"))
    n = len(lines)
    report.total = n
    ex = pc.extract_regex(lines, header_pattern("re2"))
    f = {
        name: pc.struct_field(ex, name)
        for name in ("ob", "d1", "s1", "d2", "s2", "d3", "hh", "mi", "ss", "ap", "close", "rest")
    }
    # -- the file's layout: the most common header signature -------------------------
    sig = _signatures(ex)  # the fast path's signatures (one definition of a layout)
    counts = pc.value_counts(pc.drop_null(sig))
    if len(counts) == 0:
        if pc.any(pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(lines)), 0)).as_py():
            raise ParseError(
                f"{src.name}: no WhatsApp message header found (lines like '31/12/2024, 21:05 - Name: text' "
                "or '[31/12/24, 21:05:09] Name: text'); is this a WhatsApp export? Pass format= to choose "
                "another reader (rs.list_formats())."
            )
        report.skip("blank line", n)
        return _frame_empty(), [report]
    dominant = counts.field("values")[pc.index(counts.field("counts"), pc.max(counts.field("counts"))).as_py()]
    is_head = pc.fill_null(pc.equal(sig, dominant), False)
    head_idx = np.flatnonzero(is_head.to_numpy(zero_copy_only=False))
    other = pc.sum(pc.and_(pc.is_valid(sig), pc.invert(is_head))).as_py() or 0
    report.decisions["layout"] = dominant.as_py()
    if other:
        report.notice(f"{other} lines look like headers of another layout and were kept as continuation text")
    line_no = head_idx + 1
    hf = {k: pc.take(v, pa.array(head_idx)) for k, v in f.items()}
    # -- dates and times ------------------------------------------------------------
    d1, d2, d3 = _to_int(hf["d1"]), _to_int(hf["d2"]), _to_int(hf["d3"])
    hh, mi, ss = _to_int(hf["hh"]), _to_int(hf["mi"]), _to_int(hf["ss"])
    ap = pc.utf8_lower(pc.replace_substring_regex(hf["ap"], r"[^AaPp]", "")).to_numpy(zero_copy_only=False)
    pm, am = ap == "p", ap == "a"
    time_ok, hm = _clock(hh, mi, ss, pm, am, line_no, report)
    year_first = pc.utf8_length(hf["d1"]).to_numpy(zero_copy_only=False) == 4
    if year_first.all():
        order = "YMD"
        report.decisions["date_order"] = "YMD"
        year, month, day = d1, d2, d3
    else:
        head_sample = is_head.slice(0, 4096)
        evidence = lru_cache(maxsize=1)(
            lambda: _shape_evidence(
                dominant.as_py(), ex.slice(0, 4096).filter(head_sample), f["rest"].slice(0, 4096).filter(head_sample)
            )
        )
        order, year, month, day = _dates(d1, d2, d3, hm, line_no, report, opts, evidence)
    days, date_ok = _civil(year, month, day)
    ok = date_ok & time_ok
    wall = (days * 86400 + hm * 60 + ss).astype("datetime64[s]")
    # -- segment lines into messages ------------------------------------------------
    first = head_idx[0]
    lead = lines.slice(0, first)
    if first:
        blank = pc.equal(pc.utf8_trim_whitespace(lead), "").to_numpy(zero_copy_only=False)
        report.skip("blank line before the first message", int(blank.sum()))
        bad_lead = np.flatnonzero(~blank)
        for i in bad_lead[:1000]:
            report.add_problem(int(i) + 1, "text before the first message header", lead[int(i)].as_py())
        report.unplaced += max(0, len(bad_lead) - 1000)
    sender, body0 = _split_sender(hf["rest"])
    content = pc.replace_with_mask(lines, is_head, body0)
    offsets = pa.array(np.r_[head_idx, n] - first, pa.int64())
    grouped = pa.LargeListArray.from_arrays(offsets, content.slice(first))
    joined = pc.utf8_trim(pc.binary_join(grouped, pa.scalar("\n", _T)), "\n")
    sizes = np.diff(np.r_[head_idx, n])
    report.messages = len(head_idx)
    report.continuations = int(sizes.sum()) - len(head_idx)
    # -- drop messages whose header has an impossible date or time --------------------
    if not ok.all():
        bad = np.flatnonzero(~ok)
        for i in bad[:1000]:
            report.add_problem(
                int(line_no[i]),
                f"invalid date or time in a header (read as {order})",
                lines[int(head_idx[i])].as_py(),
                count=int(sizes[i]),
            )
        report.unplaced += int(sizes[bad[1000:]].sum())
        report.messages -= len(bad)
        report.continuations -= int(sizes[bad].sum()) - len(bad)
        keep = pa.array(ok)
        joined, sender, body0 = pc.filter(joined, keep), pc.filter(sender, keep), pc.filter(body0, keep)
        wall, line_no, sizes = wall[ok], line_no[ok], sizes[ok]
    parts = {"joined": joined, "sender": sender, "body0": body0, "wall": wall, "line_no": line_no, "sizes": sizes}
    del joined, sender, body0, lines, content, grouped
    return _assemble(src, opts, report, _conversation(opts, raw), parts)


def _scatter(base: pa.Array, mask, values) -> pa.Array:
    return pc.replace_with_mask(base, mask, values) if len(values) else base


def _split_sender(rest: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Split each header remainder into (sender, first body line); sender is null for notices.

    A literal split at the first ": " (fast); "Name:" alone (text on the next lines) and
    "Name:text" (only for names that are senders elsewhere in the file) are handled too.
    """
    m = len(rest)
    parts = pc.split_pattern(rest, ": ", max_splits=1)
    two = pc.equal(pc.list_value_length(parts), 2)
    both = pc.filter(parts, two)
    sender = _scatter(pa.nulls(m, _T), two, pc.list_element(both, 0))
    body0 = _scatter(rest, two, pc.list_element(both, 1))
    colon_end = pc.and_(pc.invert(two), pc.ends_with(rest, ":"))
    if pc.any(colon_end).as_py():
        sender = _scatter(sender, colon_end, pc.utf8_slice_codeunits(pc.filter(rest, colon_end), 0, -1))
        body0 = _scatter(body0, colon_end, pa.array([""] * pc.sum(colon_end).as_py(), _T))
    tight = pc.and_(pc.is_null(sender), pc.match_substring(rest, ":"))
    if pc.any(tight).as_py():
        ex = pc.extract_regex(pc.filter(rest, tight), _SENDER_TIGHT_RE)
        roster = pc.unique(pc.drop_null(sender))
        known = pc.fill_null(pc.is_in(pc.struct_field(ex, "sender"), roster), False)
        idx = np.flatnonzero(tight.to_numpy(zero_copy_only=False))[known.to_numpy(zero_copy_only=False)]
        if len(idx):
            mask = np.zeros(m, bool)
            mask[idx] = True
            sender = _scatter(sender, pa.array(mask), pc.filter(pc.struct_field(ex, "sender"), known))
            body0 = _scatter(body0, pa.array(mask), pc.filter(pc.struct_field(ex, "body"), known))
    # a notice quoting a group name with a colon ('X changed the subject to "a: b"') has no sender
    quoted_notice = pa.array(_quoted_notice(sender))
    if pc.any(quoted_notice).as_py():
        sender = pc.if_else(quoted_notice, pa.scalar(None, _T), sender)
        body0 = pc.if_else(quoted_notice, rest, body0)
    return sender, body0


def _codes(sender: pa.DictionaryArray) -> np.ndarray:
    """Dictionary indices as int64, -1 for null."""
    return np.array(pc.fill_null(sender.indices, -1).to_numpy(zero_copy_only=False), np.int64)


def _per_row(sender: pa.DictionaryArray, per_value: np.ndarray) -> np.ndarray:
    """A boolean per dictionary value, spread to the rows (null rows: False)."""
    idx = _codes(sender)
    if not len(per_value):
        return np.zeros(len(idx), bool)
    return (idx >= 0) & per_value[np.maximum(idx, 0)]


def _without(sender: pa.DictionaryArray, rows: np.ndarray) -> pa.DictionaryArray:
    """``sender`` with ``rows`` set to null."""
    idx = _codes(sender)
    idx[rows] = -1
    return pa.DictionaryArray.from_arrays(pa.array(idx, mask=idx < 0), sender.dictionary)


def _quoted_notice(sender: pa.Array) -> np.ndarray:
    """Rows whose "sender" is a notice quoting a name with a colon (the notice regex only on quoted rows)."""
    if pa.types.is_dictionary(sender.type):
        return _per_row(sender, _quoted_notice(sender.dictionary))
    out = np.asarray(
        pc.fill_null(pc.match_substring_regex(sender, _QUOTES), False).to_numpy(zero_copy_only=False), bool
    )
    if out.any():
        _match_into(out, sender, system_pattern().replace("^", "", 1), out.copy())
    return out


def _conversation(opts: ReadOptions, raw: bytes) -> str:
    return opts.conversation_id or hashlib.blake2b(raw, digest_size=6).hexdigest()


def _conversation_soon(opts: ReadOptions, raw: bytes) -> Callable[[], str]:
    """:func:`_conversation`, computed on a second thread while the file is parsed (hashlib releases
    the GIL on large inputs); the returned function waits for it. Small files are hashed at once."""
    if opts.conversation_id or len(raw) < (1 << 22):
        conv = _conversation(opts, raw)
        return lambda: conv
    return _soon(_conversation, opts, raw)


def _find_colon_space(lines: pa.Array) -> np.ndarray:
    return pc.find_substring(lines, ": ").to_numpy(zero_copy_only=False)


def _now(fn: Callable, *args) -> Callable:
    value = fn(*args)
    return lambda: value


def _soon(fn: Callable, *args) -> Callable:
    """``fn(*args)`` started on a second thread (work that releases the GIL: Arrow kernels, hashlib);
    the returned function waits for the result, or re-raises the thread's exception. With one core, or
    when no thread can be started, ``fn`` runs here and now (deferring it would keep ``args``, such as
    the file's bytes, alive meanwhile). The thread holds ``args`` only while it runs.
    """
    if (os.cpu_count() or 1) < 2:
        return _now(fn, *args)
    out: list = []

    def run(*a):
        try:
            out.append((True, fn(*a)))
        except BaseException as exc:  # handed to the caller
            out.append((False, exc))

    worker = threading.Thread(target=run, args=args, daemon=True, name="rs-whatsapp")
    try:
        worker.start()
    except RuntimeError:  # no thread available
        return _now(fn, *args)

    def result():
        worker.join()
        ok, value = out[0]
        if not ok:
            raise value
        return value

    return result


def _assemble(src, opts, report, conv, parts: dict):
    """The message frame from the split messages (``parts`` is emptied: its arrays are freed early).

    ``parts["body0"]`` is each message's first body line (kinds are decided on it), or, from
    the fast path, a numpy array of their byte lengths: each first line is the start of its
    message's text (an empty first line has length 0).
    """
    joined, sender, body0 = parts.pop("joined"), parts.pop("sender"), parts.pop("body0")
    wall, line_no, sizes = parts.pop("wall"), parts.pop("line_no"), parts.pop("sizes")
    m = len(joined)
    null = pa.scalar(None, _T)
    if not pa.types.is_dictionary(sender.type):
        sender = pc.dictionary_encode(sender)  # per-name work on the few distinct names, not on every row
    has_sender = np.asarray(pc.is_valid(sender).to_numpy(zero_copy_only=False), bool)
    single = sizes == 1

    # -- kinds (decided on the first body line) ---------------------------------------
    fl = (joined, body0) if isinstance(body0, np.ndarray) else body0
    del body0
    ios = str(report.decisions.get("layout", "")).startswith("[")
    if not ios and has_sender.any():
        # an Android notice with a colon in its own wording ("Opuściłeś(-aś): „Trip”") is not a sender
        notice = _colon_notices(sender, fl)
        if notice.any():
            if isinstance(fl, tuple):
                fl = _first_lines(fl, np.arange(m))
            nm = pa.array(notice)
            full = pc.cast(sender, _T)
            fl = pc.if_else(nm, pc.binary_join_element_wise(full, fl, pa.scalar(": ", _T)), fl)
            joined = pc.if_else(nm, pc.binary_join_element_wise(full, joined, pa.scalar(": ", _T)), joined)
            del full
            sender = _without(sender, notice)
            has_sender &= ~notice
    codes, mtype, other = _classify(fl, has_sender, single, ios=ios, line_no=line_no, report=report)
    del fl
    cats = list(KIND_DTYPE.categories)
    is_kind = {name: codes == cats.index(name) for name in ("media", "deleted", "system", "call", "other")}
    # -- text: every change computed on the rows it touches, then one scatter -------------
    edited = np.zeros(m, bool)
    _match_into(edited, joined, edited_pattern(), _last_byte_in(joined, _edited_last_bytes()))
    notice_rows = is_kind["system"] | is_kind["call"] | is_kind["other"]
    changed = edited | is_kind["media"] | is_kind["deleted"] | notice_rows
    text = joined
    if changed.any():
        t = pc.filter(joined, pa.array(changed))
        if edited.any():
            t = pc.replace_substring_regex(t, edited_pattern(), "")
        media = is_kind["media"][changed]
        if media.any():  # the placeholder line goes; a caption stays
            caption = pc.utf8_trim(
                pc.replace_substring_regex(pc.filter(t, pa.array(media)), r"^[^\n]*\n?", "", max_replacements=1), "\n"
            )
            t = _scatter(t, pa.array(media), pc.if_else(pc.equal(caption, ""), null, caption))
        t = pc.if_else(pa.array(is_kind["deleted"][changed]), null, t)
        notices = notice_rows[changed]
        if notices.any():
            t = _scatter(
                t,
                pa.array(notices),
                pc.replace_substring_regex(pc.filter(t, pa.array(notices)), "^" + _MARKS_RE2 + "+", ""),
            )
        text = pc.replace_with_mask(joined, pa.array(changed), t)
        del t
    del joined
    names = sender.dictionary  # marks and spaces cleaned once per name, then spread to the rows
    if pc.any(pc.match_substring_regex(names, _MARKS_RE2)).as_py():
        names = pc.replace_substring_regex(names, _MARKS_RE2, "")
    idx = _codes(sender)
    idx[is_kind["system"]] = -1
    sender = pc.utf8_trim_whitespace(names).take(pa.array(idx, mask=idx < 0))
    del names, idx
    # -- time -------------------------------------------------------------------------------
    ts = localize_wall_clock(wall, opts.tz, line_no, report)
    inst = ts.to_numpy(dtype="datetime64[us]") if len(ts) else np.array([], "datetime64[us]")
    back = np.flatnonzero(np.diff(inst) < np.timedelta64(0)) + 1
    if len(back):
        shown = ", ".join(str(int(line_no[i])) for i in back[:10])
        report.notice(
            f"{len(back)} messages are earlier than the message before them (lines {shown}"
            f"{', ...' if len(back) > 10 else ''}); file order was kept"
        )
        report.decisions["out_of_order_lines"] = [int(line_no[i]) for i in back[:1000]]
    conv = conv() if callable(conv) else conv
    message_id = _numbered(conv + ":", m)
    frame = pd.DataFrame(
        {
            "conversation_id": _repeat(conv, m),
            "message_id": _str(message_id),
            "timestamp": ts,
            "sender": _str(sender),
            "text": _str(text),
            "kind": pd.Categorical.from_codes(codes, dtype=KIND_DTYPE),
            "media_type": pd.Categorical.from_codes(mtype, dtype=MEDIA_TYPE_DTYPE),
            "platform": pd.Categorical.from_codes(np.zeros(m, np.int8), dtype=PLATFORM_DTYPE),
            "edited": edited,
            "source": _repeat(src.name, m),
            "source_line": pd.array(line_no, dtype="Int64"),
        },
        copy=False,
    )
    return frame, [report]


def _first_lines(fl, idx: np.ndarray) -> pa.Array:
    """First body lines of rows ``idx`` from an array or ``(joined, first_line_bytes)``."""
    if not isinstance(fl, tuple):
        return fl.take(pa.array(idx))
    joined, nbytes = fl
    return _prefixes(joined.take(pa.array(idx)), nbytes[idx])


def _prefixes(arr: pa.Array, nbytes: np.ndarray) -> pa.Array:
    """The first ``nbytes[i]`` bytes of each string (a UTF-8 boundary: the end of its first line)."""
    lo, _, _ = _spans(arr)
    data = arr.buffers()[2]
    return _ranges(data if data is not None else pa.py_buffer(b""), lo, lo + nbytes)


def _colon_notices(sender: pa.DictionaryArray, fl) -> np.ndarray:
    """Rows whose "sender" is the head of a notice that has ``: `` in its wording (cheap hash test first)."""
    heads = notice_heads()
    names = sender.dictionary
    cand = np.asarray(pc.fill_null(pc.is_in(normalize(names), heads), False).to_numpy(zero_copy_only=False), bool)
    if not cand.any():
        return np.zeros(len(sender), bool)
    idx = np.flatnonzero(_per_row(sender, cand))
    key = normalize(
        pc.binary_join_element_wise(
            names.take(pa.array(_codes(sender)[idx])), _first_lines(fl, idx), pa.scalar(": ", _T)
        )
    )
    left = np.ones(len(idx), bool)
    for _, pat in system_patterns():
        got = np.zeros(len(idx), bool)
        _match_into(got, key, pat, left)
        left &= ~got
    out = np.zeros(len(sender), bool)
    out[idx[~left]] = True
    return out


_SLOT_CANDIDATE = "[,\u060c\u3001\uff0c]|://|[>)]$"
_SHORT = 1024  # bytes: every phrase WhatsApp writes by itself is shorter (longer first lines are texts)


def _classify(
    fl,
    has_sender: np.ndarray,
    single: np.ndarray,
    *,
    ios: bool,
    line_no: np.ndarray,
    report: ParseReport,
    chunk: int = 1 << 17,
) -> tuple[np.ndarray, np.ndarray, int]:
    """Kind codes, ``media_type`` codes (-1: none) and the number of unrecognised marked rows.

    ``fl`` holds each message's first body line: an array, or ``(joined, first_line_bytes)`` (the
    whole texts and the byte length of each one's first line). Fixed phrases (every language)
    are looked up in a hash table after :func:`normalize`; phrases with slots (attachments,
    locations, notices) are small RE2 patterns tried on the few candidate rows. Rows are
    handled in chunks, so the normalised copy never holds the whole file. A row that names a
    sender keeps it unless the vocabulary identifies it as a notice; an iOS row behind a
    direction mark that nothing recognises stays with its sender as kind ``other``.
    """
    if isinstance(fl, tuple):
        joined, nbytes = fl
        m = len(joined)

        def lines(a, b):
            return _prefixes(joined.slice(a, b - a), nbytes[a:b])
    else:
        m = len(fl)

        def lines(a, b):
            return fl.slice(a, b - a)

    cats = list(KIND_DTYPE.categories)
    names = {name: cats.index(name) for name in ("text", "media", "deleted", "call", "system")}
    keys, kinds, mtypes, langs, lang_names = fixed_table()
    kcode = _kind_codes()
    lang_hits = np.zeros(len(lang_names), np.int64)
    codes = np.zeros(m, np.int8)
    mtype = np.full(m, -1, np.int8)
    marked_all = np.zeros(m, bool)
    attached, file_attached, location = attachment_patterns()

    def one(a: int) -> tuple[np.ndarray, np.ndarray]:
        """Classify rows ``a`` to ``a + chunk`` (writes their slices of codes, mtype and marked_all)."""
        b = min(a + chunk, m)
        part = lines(a, b)
        marked = _starts_with_mark(part)
        marked_all[a:b] = marked
        plo, phi, _ = _spans(part)
        short = (phi - plo) <= _SHORT
        if part.null_count:
            short &= np.asarray(part.is_valid().to_numpy(zero_copy_only=False), bool)
        key = normalize(part)
        del part
        idx = np.where(short, pc.fill_null(pc.index_in(key, keys), -1).to_numpy(zero_copy_only=False), -1)
        hit = idx >= 0
        code = np.zeros(b - a, np.int8)
        code[hit] = kcode[idx[hit]]
        # a slot-free notice phrase is a notice only where a participant could not have typed it:
        # rows without a sender, rows behind a mark, and long phrases (the encryption notices)
        doubt = np.flatnonzero((code == names["system"]) & ~(marked | ~has_sender[a:b]))
        if len(doubt):
            klen = pc.utf8_length(key.take(pa.array(doubt))).to_numpy(zero_copy_only=False)
            code[doubt[klen < 40]] = 0
        code[(code == names["deleted"]) & ~single[a:b]] = 0  # a deletion notice is the whole message
        rec = code != 0
        hits = np.bincount(langs[idx[rec]], minlength=len(lang_names))
        mt = np.where(hit & (code == names["media"]), mtypes[np.maximum(idx, 0)], -1).astype(np.int8)
        todo = ~rec & short
        # one pass finds the rows any phrase with a slot could be: a comma (calls with a tail), '://'
        # (locations), or a last character '>' or ')' (attachments); each test then runs on those rows
        cand = todo & np.asarray(
            pc.fill_null(pc.match_substring_regex(key, _SLOT_CANDIDATE), False).to_numpy(zero_copy_only=False), bool
        )
        cidx = np.flatnonzero(cand)
        csub = key.take(pa.array(cidx))
        # calls with a tail: "Missed voice call, Tap to call back", "Voice call, 12 min"
        ci = cidx[
            (pc.utf8_length(csub).to_numpy(zero_copy_only=False) <= 64)
            & np.asarray(
                pc.fill_null(pc.match_substring_regex(csub, "[,\u060c\u3001\uff0c]"), False).to_numpy(
                    zero_copy_only=False
                ),
                bool,
            )
        ]
        if len(ci):
            head = normalize(
                pc.list_element(
                    pc.split_pattern_regex(key.take(pa.array(ci)), "[,\u060c\u3001\uff0c]", max_splits=1), 0
                )
            )
            j = pc.fill_null(pc.index_in(head, keys), -1).to_numpy(zero_copy_only=False)
            call = (j >= 0) & (kcode[np.maximum(j, 0)] == names["call"])
            code[ci[call]] = names["call"]
            todo[ci[call]] = False
        # attachments and locations: '<attached: NAME>', 'NAME (file attached)', 'Location: URL'
        shape_c = todo[cidx] & np.asarray(
            pc.fill_null(
                pc.or_(pc.or_(pc.ends_with(csub, ">"), pc.ends_with(csub, ")")), pc.match_substring(csub, "://")), False
            ).to_numpy(zero_copy_only=False),
            bool,
        )
        if shape_c.any():
            si = cidx[shape_c]
            sub = csub.filter(pa.array(shape_c))
            for pat, strip in (
                (attached, "^[^:\uff1a]*[:\uff1a]\\s*|>$"),
                (file_attached, r" \([^()]*\)$"),
                (location, None),
            ):
                got = (
                    np.asarray(
                        pc.fill_null(pc.match_substring_regex(sub, pat), False).to_numpy(zero_copy_only=False), bool
                    )
                    & todo[si]
                )
                if not got.any():
                    continue
                gi = si[got]
                code[gi] = names["media"]
                todo[gi] = False
                if strip is None:
                    mt[gi] = MEDIA_TYPES.index("location")
                else:
                    mt[gi] = media_type_of_name(pc.replace_substring_regex(sub.filter(pa.array(got)), strip, ""))
        slot_rows = a + np.flatnonzero(todo & marked & has_sender[a:b])
        codes[a:b] = code
        mtype[a:b] = np.where(code == names["media"], mt, -1)
        del key
        return hits, slot_rows

    # chunks are independent and their Arrow and numpy work releases the GIL: two threads on big files
    done = _map_chunks(one, range(0, m, chunk))
    for hits, _ in done:
        lang_hits += hits
    cand_rows = [rows for _, rows in done]
    # notices with slots ("Ana added Bo"), only on rows behind a mark that name a sender (iOS
    # writes notices as the chat's own messages); the file's languages are tried first
    ci = np.concatenate(cand_rows) if cand_rows else np.zeros(0, np.int64)
    if len(ci):
        order = np.argsort(-lang_hits, kind="stable")
        sub = normalize(_first_lines(fl, ci))
        left = np.ones(len(ci), bool)
        for li in order:
            pat = system_pattern_for(lang_names[li])
            if pat is None:
                continue
            got = np.zeros(len(ci), bool)
            _match_into(got, sub, pat, left)
            if got.any():
                lang_hits[li] += int(got.sum())
                left &= ~got
                if not left.any():
                    break
        codes[ci[~left]] = names["system"]
    # never lose a sender: an iOS row behind a mark that nothing recognised keeps its sender
    unknown = marked_all & has_sender & (codes == cats.index("text")) if ios else np.zeros(m, bool)
    n_other = int(unknown.sum())
    if n_other:
        codes[unknown] = cats.index("other")
        first = int(line_no[np.flatnonzero(unknown)[0]])
        report.notice(
            f"{n_other} rows: unrecognised marked line (language not covered?); kept with their sender "
            f"as kind 'other' (first on line {first})"
        )
        report.decisions["unrecognised_marked_lines"] = n_other
    codes[~has_sender] = cats.index("system")
    mtype[~has_sender] = -1
    if lang_hits.any():
        report.decisions["language"] = lang_names[int(np.argmax(lang_hits))]
    return codes, mtype, n_other


@lru_cache(maxsize=1)
def _edited_last_bytes() -> np.ndarray:
    """The bytes an "edited" marker can end with (a text ending otherwise cannot match the pattern)."""
    table = np.zeros(256, bool)
    for slots in LANGS.values():
        for marker in slots.get("edited", []):
            if marker:
                table[marker.encode("utf-8")[-1]] = True
    return table


@lru_cache(maxsize=1)
def _kind_codes() -> np.ndarray:
    """The kind code of every row of :func:`fixed_table`."""
    cats = list(KIND_DTYPE.categories)
    code = {k: cats.index(k) for k in ("media", "deleted", "call", "system")}
    kinds = fixed_table()[1]
    return np.array([code[k] for k in kinds], np.int8) if len(kinds) else np.zeros(0, np.int8)


def _map_chunks(fn: Callable, starts: range) -> list:
    """``[fn(a) for a in starts]``, on two threads when there are several chunks and cores (same results)."""
    if len(starts) < 2 or (os.cpu_count() or 1) < 2:
        return [fn(a) for a in starts]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="rs-whatsapp") as pool:
        return list(pool.map(fn, starts))


def _match_into(out: np.ndarray, arr: pa.Array, pattern: str, rows: np.ndarray | None) -> None:
    """``out[rows] = arr[rows] matches pattern`` (nulls are False); all rows when ``rows`` is None."""
    if rows is None:
        out[:] = np.asarray(
            pc.fill_null(pc.match_substring_regex(arr, pattern), False).to_numpy(zero_copy_only=False), bool
        )
    elif rows.any():
        sub = pc.match_substring_regex(pc.filter(arr, pa.array(rows)), pattern)
        out[rows] = np.asarray(pc.fill_null(sub, False).to_numpy(zero_copy_only=False), bool)


def _repeat(value: str, m: int) -> pd.Series:
    return _str(_numbered(value, m, digits=False))


def _numbered(prefix: str, m: int, digits: bool = True) -> pa.Array:
    """``prefix + str(i)`` for ``i`` in ``range(m)`` (``prefix`` alone when not ``digits``), built in numpy.

    Rows with the same number of digits are one ``(rows, width)`` block of the data buffer, filled a
    column at a time.
    """
    head = np.frombuffer(prefix.encode("utf-8"), np.uint8)
    p = len(head)
    if not digits:
        bounds = [(0, m, 0)]
    else:
        bounds, lo, k = [], 0, 1
        while lo < m:
            hi = min(m, 10**k)
            bounds.append((lo, hi, k))
            lo, k = hi, k + 1
    width = np.zeros(m, np.int64)
    for lo, hi, k in bounds:
        width[lo:hi] = p + k
    offsets = np.zeros(m + 1, np.int64)
    np.cumsum(width, out=offsets[1:])
    data = np.empty(max(int(offsets[-1]), 1), np.uint8)
    for lo, hi, k in bounds:
        if hi <= lo:
            continue
        block = data[offsets[lo] : offsets[hi]].reshape(hi - lo, p + k)
        block[:, :p] = head
        num = np.arange(lo, hi, dtype=np.int64)
        for j in range(k - 1, -1, -1):
            num, digit = np.divmod(num, 10)
            block[:, p + j] = digit + 48
    return pa.LargeStringArray.from_buffers(m, pa.py_buffer(offsets), pa.py_buffer(data))


def _str(arr) -> pd.Series:
    return pd.Series(pd.array(arr, dtype="str") if not isinstance(arr, pa.ChunkedArray) else arr, dtype="str")


def _frame_empty() -> pd.DataFrame:
    from ..schema import empty_frame

    return empty_frame(optional=["media_type", "edited", "source", "source_line"])


register(
    ParserSpec(
        name="whatsapp",
        platform="whatsapp",
        description="WhatsApp 'Export chat' text (Android and iOS, every locale layout), or its .zip",
        patterns=("WhatsApp Chat*.txt", "_chat.txt", "*.txt", "*.zip"),
        where=(
            "Phone: open the chat > ⋮ / contact name > More > Export chat > Without media (or With media: "
            "a .zip); save or mail the file to yourself."
        ),
        sniff=_sniff,
        read=_read,
    )
)
