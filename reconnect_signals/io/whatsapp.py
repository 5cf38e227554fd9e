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
  When every date fits both orders, chronology decides only when it is clear: the order
  whose timestamps run backwards in file order at least two times fewer, and at most a
  third as often, as the other's wins; otherwise :class:`AmbiguousDateOrder` is raised
  asking for ``date_order=``. It is never decided per line.
* Multi-line messages keep their newlines; leading and trailing blank lines are trimmed.
* Notices (encryption, group events, number and security-code changes, disappearing
  messages, ...) become ``kind="system"`` with no sender, including iOS notices attributed to
  the chat's name; media placeholders become ``"media"`` (a caption stays as text), deleted
  messages ``"deleted"``, call notices ``"call"``; the "edited" marker is removed from the
  text and flagged in ``edited``. Seven languages are recognised (en, de, es, fr, pt, it, nl).
* Wall-clock times are localised with ``tz`` (the repeated hour at the end of summer time is
  resolved from file order, nonexistent times are shifted forward, and each decision is
  reported); without ``tz`` they are labelled UTC and the assumption is recorded.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import AmbiguousDateOrder, ParseError
from ..schema import KIND_DTYPE, PLATFORM_DTYPE
from ._registry import ParserSpec, ReadOptions, register
from ._report import ParseReport
from ._text import Source, decode_bytes
from ._time import localize_wall_clock
from ._whatsapp_vocab import VOCAB, call_pattern, deleted_pattern, edited_pattern, media_pattern, system_pattern

__all__ = ["header_pattern"]

_T = pa.large_string()

_MARK_CHARS = ["200E", "200F", "202A", "202B", "202C", "202D", "202E", "2066", "2067", "2068", "2069", "FEFF"]
_SPACE_CHARS = ["0020", "00A0", "1680", "2000", "2001", "2002", "2003", "2004", "2005", "2006", "2007",
                "2008", "2009", "200A", "202F", "205F", "3000", "0009"]

_TEMPLATE = (
    r"^{M}(?P<ob>\[?){M}(?P<d1>\d{{1,4}})(?P<s1>[./-]){S}?{M}(?P<d2>\d{{1,2}})(?P<s2>[./-]){S}?{M}"
    r"(?P<d3>\d{{1,4}})\.?,?{S}*{M}(?P<hh>\d{{1,2}})[:.](?P<mi>\d{{2}})(?:[:.](?P<ss>\d{{2}}))?"
    r"(?:{S}*{M}(?P<ap>[AaPp]\.?{S}?[Mm]\.?))?{M}(?P<close>\]{S}?|{S}*[-\u2013]{S}){M}(?P<rest>.*)$"
)


def _cls(chars: list[str], flavour: str) -> str:
    if flavour == "re2":
        return "[" + "".join(rf"\x{{{c}}}" for c in chars) + "]"
    return "[" + "".join(chr(int(c, 16)) if c not in ("0020", "0009") else (" " if c == "0020" else r"\t")
                         for c in chars) + "]"


def header_pattern(flavour: str = "re2") -> str:
    """The header regex, for RE2 (pyarrow) or Python's ``re`` (``flavour="python"``)."""
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
    matches = [m for m in (pat.match(ln[:400]) for ln in lines) if m]
    if not matches:
        return 0.0
    score = 0.6 + 0.25 * len(matches) / len(lines)
    iso = all(len(m["d1"]) == 4 and m["s1"] == "-" for m in matches)
    if not iso:
        score += 0.1  # only WhatsApp writes these layouts
    elif any(m["ss"] for m in matches):
        score += 0.05  # ISO dates with seconds: WhatsApp iOS (signal-export writes minutes)
    if "\u200e" in text or _VOCAB_HINT.search(text):
        score = max(score, 0.97)
    return min(score, 0.99)


_VOCAB_HINT = re.compile("|".join(re.escape(str(v[k])) for v in VOCAB.values()
                                  for k in ("media", "encryption", "encryption_old", "deleted")))


def _pick_member(names: list[str]) -> str:
    for n in names:
        if n.rsplit("/", 1)[-1] == "_chat.txt":
            return n
    chats = [n for n in names if "whatsapp" in n.lower() or "chat" in n.lower()]
    return sorted(chats or names, key=len)[0]


# -- reading ------------------------------------------------------------------------

def _load_text(src: Source, report: ParseReport) -> tuple[str, bytes]:
    if src.is_zip:
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
    else:
        data = src.read_bytes()
    text, enc = decode_bytes(data, report)
    report.decisions["encoding"] = enc
    return text, data


def _to_int(arr: pa.Array) -> np.ndarray:
    return pc.cast(pc.if_else(pc.equal(arr, ""), "0", arr), pa.int64()).to_numpy(zero_copy_only=False)


def _civil(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Days since the epoch and a validity mask (month 1-12, day within the month)."""
    ok = (month >= 1) & (month <= 12) & (day >= 1) & (day <= 31) & (year >= 1970) & (year <= 2200)
    y = np.where(ok, year, 1970)
    m = np.where(ok, month, 1)
    d = np.where(ok, day, 1)
    months = ((y - 1970) * 12 + (m - 1)).astype("datetime64[M]")
    days = months.astype("datetime64[D]") + (d - 1).astype("timedelta64[D]")
    ok &= days.astype("datetime64[M]") == months  # day beyond the month's end
    return days.astype(np.int64), ok


def _decide_order(a: np.ndarray, b: np.ndarray, y: np.ndarray, hm: np.ndarray, lines: np.ndarray,
                  report: ParseReport) -> str:
    """Decide DMY vs MDY once for the file from all header dates (see module docstring)."""
    day_first = np.flatnonzero(a > 12)
    month_first = np.flatnonzero(b > 12)
    if len(day_first) and not len(month_first):
        report.decisions["date_order"] = "DMY"
        report.notice(f"date order DMY: first field {a[day_first[0]]} > 12 on line {lines[day_first[0]]}")
        return "DMY"
    if len(month_first) and not len(day_first):
        report.decisions["date_order"] = "MDY"
        report.notice(f"date order MDY: second field {b[month_first[0]]} > 12 on line {lines[month_first[0]]}")
        return "MDY"
    if len(day_first) and len(month_first):
        order = "DMY" if len(day_first) >= len(month_first) else "MDY"
        report.decisions["date_order"] = order
        report.notice(
            f"dates fit neither order everywhere ({len(day_first)} day-first, {len(month_first)} month-first "
            f"lines); using {order}; the other lines are reported as invalid dates"
        )
        return order
    if (a == b).all():
        report.decisions["date_order"] = "DMY"
        return "DMY"
    back = {}
    for order, (mm, dd) in {"DMY": (b, a), "MDY": (a, b)}.items():
        days, ok = _civil(y, mm, dd)
        t = days * 1440 + hm
        back[order] = int((np.diff(t[ok]) < 0).sum())
    report.decisions["date_order_backward_steps"] = back
    lo, hi = sorted(back.values())
    if hi - lo >= 2 and lo * 3 <= hi:
        order = min(back, key=back.get)
        report.decisions["date_order"] = order
        report.notice(
            f"date order {order}: every date fits both orders, but read as DMY the messages run backwards "
            f"{back['DMY']} times and as MDY {back['MDY']} times"
        )
        return order
    ex = int(np.flatnonzero(a != b)[0])
    raise AmbiguousDateOrder(
        f"every date in {report.source} fits both day-first and month-first order, and the order of the "
        f"messages does not settle it (line {lines[ex]}: {a[ex]:02d}/{b[ex]:02d}). Pass date_order='DMY' "
        f"(day first: {a[ex]} {_MONTHS[b[ex] - 1]}) or date_order='MDY' (month first: {b[ex]} "
        f"{_MONTHS[a[ex] - 1]}) to read_chat."
    )


_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]


def _read(src: Source, opts: ReadOptions) -> tuple[pd.DataFrame, list[ParseReport]]:
    report = ParseReport(source=src.name, format="whatsapp", units="lines")
    text, raw = _load_text(src, report)
    if text.endswith("\n"):
        text = text[:-1]
    if not text:
        return _frame_empty(), [report]
    lines = pc.list_flatten(pc.split_pattern(pa.array([text], pa.large_string()), "\n"))
    n = len(lines)
    report.total = n
    ex = pc.extract_regex(lines, header_pattern("re2"))
    valid = ex.is_valid()
    f = {name: pc.struct_field(ex, name) for name in
         ("ob", "d1", "s1", "d2", "s2", "d3", "hh", "mi", "ss", "ap", "close", "rest")}
    # -- the file's layout: the most common header signature -------------------------
    sig = pc.binary_join_element_wise(
        f["ob"], f["s1"], f["s2"], pc.cast(pc.equal(pc.utf8_length(f["d1"]), 4), _T),
        pc.cast(pc.utf8_length(f["d3"]), _T), pc.cast(pc.greater(pc.utf8_length(f["ss"]), 0), _T),
        pc.cast(pc.greater(pc.utf8_length(f["ap"]), 0), _T), pc.utf8_trim_whitespace(f["close"]), pa.scalar("|", _T),
    )
    bracket_ok = pc.equal(pc.equal(f["ob"], "["), pc.starts_with(f["close"], "]"))
    sig = pc.if_else(pc.and_kleene(valid, bracket_ok), sig, pa.scalar(None, _T))
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
    time_ok = (mi <= 59) & (ss <= 59) & np.where(pm | am, (hh >= 0) & (hh <= 12), hh <= 23)
    hour = np.where(pm & (hh < 12), hh + 12, np.where(am & (hh == 12), 0, hh))
    hm = hour * 60 + mi
    year_first = pc.utf8_length(hf["d1"]).to_numpy(zero_copy_only=False) == 4
    if year_first.all():
        order = "YMD"
        report.decisions["date_order"] = "YMD"
        year, month, day = d1, d2, d3
    else:
        year = np.where(d3 < 100, 2000 + d3, d3)
        order = opts.date_order or _decide_order(d1, d2, year, hm, line_no, report)
        if opts.date_order:
            report.decisions["date_order"] = f"{order} (given)"
        month, day = (d2, d1) if order == "DMY" else (d1, d2)
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
            report.add_problem(int(line_no[i]), f"invalid date or time in a header (read as {order})",
                               lines[int(head_idx[i])].as_py(), count=int(sizes[i]))
        report.unplaced += int(sizes[bad[1000:]].sum())
        report.messages -= len(bad)
        report.continuations -= int(sizes[bad].sum()) - len(bad)
        keep = pa.array(ok)
        joined, sender, body0 = pc.filter(joined, keep), pc.filter(sender, keep), pc.filter(body0, keep)
        wall, line_no, sizes = wall[ok], line_no[ok], sizes[ok]
    return _assemble(src, opts, report, raw, joined, sender, body0, wall, line_no, sizes)


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
    quoted_notice = pc.fill_null(pc.and_(
        pc.match_substring_regex(sender, _QUOTES),
        pc.match_substring_regex(sender, system_pattern().replace("^", "", 1)),
    ), False)
    if pc.any(quoted_notice).as_py():
        sender = pc.if_else(quoted_notice, pa.scalar(None, _T), sender)
        body0 = pc.if_else(quoted_notice, rest, body0)
    return sender, body0


def _assemble(src, opts, report, raw, joined, sender, body0, wall, line_no, sizes):
    m = len(joined)
    null = pa.scalar(None, _T)
    has_sender = pc.is_valid(sender)
    # -- kinds (decided on the first body line) ---------------------------------------
    marked = pc.match_substring_regex(body0, "^" + _MARKS_RE2)
    notice = pc.and_(pc.match_substring_regex(body0, system_pattern()),
                     pc.or_(marked, pc.match_substring_regex(body0, r"(?i)encrypt")))
    single = pa.array(sizes == 1)
    masks = {
        "call": pc.match_substring_regex(body0, call_pattern()),
        "deleted": pc.and_(single, pc.match_substring_regex(body0, deleted_pattern())),
        "media": pc.match_substring_regex(body0, media_pattern()),
        "system": notice,
    }
    kind = np.full(m, "text", dtype=object)
    for name, mask in masks.items():
        kind[np.asarray(pc.fill_null(mask, False).to_numpy(zero_copy_only=False), bool)] = name
    kind[~np.asarray(has_sender.to_numpy(zero_copy_only=False), bool)] = "system"
    kind_arr = pa.array(kind, _T)
    # -- text ---------------------------------------------------------------------------
    edited = pc.fill_null(pc.match_substring_regex(joined, edited_pattern()), False)
    text = joined
    if pc.any(edited).as_py():
        text = pc.replace_substring_regex(joined, edited_pattern(), "")
    is_media = pc.equal(kind_arr, "media")
    if pc.any(is_media).as_py():  # the placeholder line goes; a caption stays
        caption = pc.utf8_trim(pc.replace_substring_regex(pc.filter(text, is_media), r"^[^\n]*\n?", "",
                                                          max_replacements=1), "\n")
        text = _scatter(text, is_media, pc.if_else(pc.equal(caption, ""), null, caption))
    text = pc.if_else(pc.equal(kind_arr, "deleted"), null, text)
    notice_rows = pc.is_in(kind_arr, pa.array(["system", "call"], _T))
    if pc.any(notice_rows).as_py():
        text = _scatter(text, notice_rows,
                        pc.replace_substring_regex(pc.filter(text, notice_rows), "^" + _MARKS_RE2 + "+", ""))
    sender = pc.if_else(pc.equal(kind_arr, "system"), null, sender)
    if pc.any(pc.match_substring_regex(sender, _MARKS_RE2)).as_py():
        sender = pc.replace_substring_regex(sender, _MARKS_RE2, "")
    sender = pc.utf8_trim_whitespace(sender)
    # -- time -------------------------------------------------------------------------------
    ts = localize_wall_clock(wall, opts.tz, line_no, report)
    inst = ts.to_numpy(dtype="datetime64[us]") if len(ts) else np.array([], "datetime64[us]")
    back = np.flatnonzero(np.diff(inst) < np.timedelta64(0)) + 1
    if len(back):
        shown = ", ".join(str(int(line_no[i])) for i in back[:10])
        report.notice(f"{len(back)} messages are earlier than the message before them (lines {shown}"
                      f"{', ...' if len(back) > 10 else ''}); file order was kept")
        report.decisions["out_of_order_lines"] = [int(line_no[i]) for i in back[:1000]]
    conv = opts.conversation_id or hashlib.blake2b(raw, digest_size=6).hexdigest()
    seq = pa.array(np.arange(m), pa.int64())
    message_id = pc.binary_join_element_wise(pa.scalar(conv, _T), pc.cast(seq, _T), pa.scalar(":", _T))
    frame = pd.DataFrame({
        "conversation_id": _repeat(conv, m),
        "message_id": _str(message_id),
        "timestamp": ts,
        "sender": _str(sender),
        "text": _str(text),
        "kind": pd.Categorical.from_codes(pd.Categorical(kind, categories=KIND_DTYPE.categories).codes,
                                          dtype=KIND_DTYPE),
        "platform": pd.Categorical.from_codes(np.zeros(m, np.int8), dtype=PLATFORM_DTYPE),
        "edited": edited.to_numpy(zero_copy_only=False).astype(bool),
        "source": _repeat(src.name, m),
        "source_line": pd.array(line_no, dtype="Int64"),
    })
    return frame, [report]


def _repeat(value: str, m: int) -> pd.Series:
    return _str(pa.array([value], _T).take(pa.array(np.zeros(m, np.int64))))


def _str(arr) -> pd.Series:
    return pd.Series(pd.array(arr, dtype="str") if not isinstance(arr, pa.ChunkedArray) else arr, dtype="str")


def _frame_empty() -> pd.DataFrame:
    from ..schema import empty_frame

    return empty_frame(optional=["edited", "source", "source_line"])


register(ParserSpec(
    name="whatsapp",
    platform="whatsapp",
    description="WhatsApp 'Export chat' text (Android and iOS, every locale layout), or its .zip",
    patterns=("WhatsApp Chat*.txt", "_chat.txt", "*.txt", "*.zip"),
    where=("Phone: open the chat > ⋮ / contact name > More > Export chat > Without media (or With media: "
           "a .zip); save or mail the file to yourself."),
    sniff=_sniff,
    read=_read,
))
