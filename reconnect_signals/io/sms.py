"""Android "SMS Backup & Restore" XML backups (SMS and MMS).

The app (SyncTech) writes one ``<smses count="N">`` document with an ``<sms>`` element per
text message and an ``<mms>`` element (with ``<parts>`` and ``<addrs>``) per multimedia or
group message. What this reader does with them:

- ``timestamp``: the ``date`` attribute, epoch milliseconds, an absolute instant (shown in
  UTC, or converted to ``tz=`` when given).
- ``is_from_me``: SMS ``type`` 2 (sent), 4 (outbox), 5 (failed) and 6 (queued) are yours,
  1 is received, 3 (draft, never sent) is skipped; MMS ``msg_box`` 2 and 4 are yours,
  1 received, 3 (draft) skipped.
- ``sender``: yours are ``"me"`` (or the name passed as ``me=``). Received SMS are from
  ``contact_name`` unless it is ``"(Unknown)"``, else from the normalised address. Received
  MMS are from the ``addr`` of type 137 (the "from" address), named with ``contact_name``
  when the backup lists the names in the same order as the addresses.
- ``conversation_id``: one conversation per contact address, normalised to digits with the
  leading ``+`` kept (``"+1 (555) 000-0001"`` -> ``"+15550000001"``); a group MMS thread is
  its sorted addresses joined by ``~``. Pass ``region="GB"`` (your phone's country) to write
  numbers in E.164, so national and international spellings of one number are one
  conversation.
- ``text``: the SMS ``body``; the ``text/plain`` parts of an MMS joined by newlines (the
  SMIL layout part is ignored). A message with attachments and no text is a ``media`` row;
  a message with text and attachments is a ``text`` row (the attachments are counted in
  the report's ``decisions["attachments"]``).
- Tapbacks that an iPhone sends over SMS ("Loved “see you at 7”") become
  ``kind="reaction"`` rows with the text kept.
- Calls backups (``<calls>``, a separate file of the same app) are not claimed by
  auto-detection; read with ``format="sms"`` explicitly they become ``kind="call"`` rows.

Character references to UTF-16 surrogate pairs (``&#55357;&#56832;``), which the app
writes for emoji and which XML parsers reject, are rewritten to the real character in a
streaming linear-time pass over the bytes before parsing; lone surrogates and references
to control characters become U+FFFD (reported). Parsing is streamed with
:mod:`defusedxml` (entity declarations are refused), so multi-gigabyte backups are read
with bounded memory; a truncated or malformed file keeps every record before the break and
reports the break as a problem.

Examples
--------
>>> import reconnect_signals as rs
>>> xml = (b'<?xml version="1.0" encoding="UTF-8"?><smses count="2">'
...        b'<sms address="+1 555 0100" date="1700000000000" type="1" body="hi &#55357;&#56832;"'
...        b' contact_name="Sam" />'
...        b'<sms address="+15550100" date="1700000060000" type="2" body="hey" contact_name="Sam" />'
...        b'</smses>')
>>> msgs = rs.read_chat(xml, me="Alex")
>>> msgs[["conversation_id", "sender", "text"]].values.tolist()
[['+15550100', 'Sam', 'hi 😀'], ['+15550100', 'Alex', 'hey']]
"""

from __future__ import annotations

import io
import logging
import re

import numpy as np
import pandas as pd

from ..errors import ParseError
from ._registry import ParserSpec, ReadOptions, register
from ._report import ParseReport
from ._text import Source

__all__ = ["read_sms_xml", "normalize_address"]

logger = logging.getLogger(__name__)

_PLATFORM = "sms"
_SENT_SMS = {"2", "4", "5", "6"}
_SENT_MMS = {"2", "4"}
_DRAFT = "3"
_CALL_TYPES = {
    "1": "incoming call",
    "2": "outgoing call",
    "3": "missed call",
    "4": "voicemail",
    "5": "rejected call",
    "6": "blocked call",
}

# Character references that need fixing before an XML parser sees them: UTF-16 surrogates
# (decimal 55000-57999 is matched and checked, hex D800-DFFF) and the C0 control characters
# XML 1.0 forbids. A surrogate reference directly followed by another is matched as a pair.
# Every alternative has bounded repetition, so matching is linear in the input length.
_SUR = rb"(?:5[5-7][0-9]{3}|[xX][dD][89a-fA-F][0-9a-fA-F]{2})"
_CTRL = rb"(?:[0-9]{1,2}|[xX][0-9a-fA-F]{1,2})"
_REF_RE = re.compile(rb"&#(" + _SUR + rb");&#(" + _SUR + rb");|&#(" + _SUR + rb"|" + _CTRL + rb");")
_SUR_END_RE = re.compile(rb"&#" + _SUR + rb";$")
_WINDOW = 64  # bytes kept back at a chunk end so no reference (or pair) is split


def _ref_value(digits: bytes) -> int:
    return int(digits[1:], 16) if digits[:1] in (b"x", b"X") else int(digits)


class _RefFixer(io.RawIOBase):
    """A file wrapper that rewrites surrogate-pair and control-character references on the fly."""

    def __init__(self, raw, counts: dict):
        self._raw = raw
        self._tail = b""
        self._buf = b""
        self._pos = 0
        self._eof = False
        self.counts = counts
        self._cache: dict[bytes, tuple[bytes, tuple]] = {}

    def readable(self) -> bool:
        return True

    def _one(self, code: int, original: bytes) -> bytes:
        if code in (9, 10, 13) or (code >= 0x20 and not 0xD800 <= code <= 0xDFFF):
            return original
        self.counts["replaced"] = self.counts.get("replaced", 0) + 1
        return b"&#xFFFD;"

    def _fix(self, m: re.Match) -> bytes:
        key = m.group(0)
        hit = self._cache.get(key)
        if hit is not None:
            for name, k in hit[1]:
                self.counts[name] = self.counts.get(name, 0) + k
            return hit[0]
        before = dict(self.counts)
        out = self._fix_new(m)
        delta = tuple((k, v - before.get(k, 0)) for k, v in self.counts.items() if v != before.get(k, 0))
        if len(self._cache) < 100_000:
            self._cache[key] = (out, delta)
        return out

    def _fix_new(self, m: re.Match) -> bytes:
        if m.group(3) is not None:
            return self._one(_ref_value(m.group(3)), m.group(0))
        first, second = _ref_value(m.group(1)), _ref_value(m.group(2))
        if 0xD800 <= first <= 0xDBFF and 0xDC00 <= second <= 0xDFFF:
            self.counts["pairs"] = self.counts.get("pairs", 0) + 1
            return b"&#x%X;" % (0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
        split = m.group(0).index(b"&#", 2)
        return self._one(first, m.group(0)[:split]) + self._one(second, m.group(0)[split:])

    def _fill(self) -> None:
        """Make the next processed chunk the buffer (called when the buffer is used up)."""
        self._buf, self._pos = b"", 0
        while not self._buf and not self._eof:
            chunk = self._raw.read(1 << 20)
            if not chunk:
                self._eof = True
                data, self._tail = self._tail, b""
            else:
                data = self._tail + chunk
                cut = data.find(b"&", max(0, len(data) - _WINDOW))
                if cut == -1:
                    self._tail = b""
                else:
                    # never separate a high surrogate from the low one after it
                    before = _SUR_END_RE.search(data, max(0, cut - 12), cut)
                    if before is not None and 0xD800 <= _ref_value(before.group(0)[2:-1]) <= 0xDBFF:
                        cut = before.start()
                    data, self._tail = data[:cut], data[cut:]
            if b"&#" in data:
                data = _REF_RE.sub(self._fix, data)
            self._buf = data

    def read(self, n: int = -1) -> bytes:
        if self._pos >= len(self._buf):
            self._fill()
        if n is None or n < 0:
            n = len(self._buf) - self._pos
        out = self._buf[self._pos : self._pos + n]
        self._pos += len(out)
        return out

    def readinto(self, b) -> int:  # pragma: no cover - iterparse uses read()
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)


def _fix_references(data: bytes) -> tuple[bytes, dict]:
    """Rewrite surrogate-pair references in ``data``; return the bytes and counts.

    >>> _fix_references(b'body="&#10;&#55357;&#56832; &#xD83D;&#xDE00; &#1; &#55203;"')[0]
    b'body="&#10;&#x1F600; &#x1F600; &#xFFFD; &#55203;"'
    """
    counts: dict = {}
    fixer = _RefFixer(io.BytesIO(data), counts)
    out = []
    while chunk := fixer.read(1 << 20):
        out.append(chunk)
    return b"".join(out), counts


def _norm_str(address: str) -> str:
    a = address.strip()
    if "@" in a:
        return a.lower()
    digits = re.sub(r"[^0-9]", "", a)
    if not digits:
        return a.lower()
    return "+" + digits if a.startswith("+") else digits


def normalize_address(addresses: pd.Series, region: str | None = None) -> pd.Series:
    """Normalise phone addresses: digits only, a leading ``+`` kept; group threads sorted.

    Addresses without digits (short codes written as names) and e-mail style addresses
    (RCS group threads such as ``group_8@rcs.google.com``) are kept lower-cased and
    stripped. Several addresses separated by ``~`` (group MMS) are each normalised, sorted
    and joined by ``~``. With ``region`` (a two-letter country code such as ``"GB"``),
    numbers are written in E.164 with :mod:`phonenumbers`, so a contact saved as
    ``07700 900123`` and as ``+44 7700 900123`` is one conversation.

    Parameters
    ----------
    addresses : Series of str
        The raw ``address`` values.
    region : str, optional
        Two-letter country code for E.164 numbers.

    Returns
    -------
    Series of str
        The normalised addresses, on the same index.

    Examples
    --------
    >>> import pandas as pd
    >>> normalize_address(pd.Series(["+1 (555) 000-0001", "5550002~+1555 0001", "INFO",
    ...                              "group_8@rcs.google.com"])).tolist()
    ['+15550000001', '+15550001~5550002', 'info', 'group_8@rcs.google.com']
    >>> normalize_address(pd.Series(["07700 900123", "+44 7700 900123"]), region="GB").tolist()
    ['+447700900123', '+447700900123']
    """
    s = addresses.astype("str").fillna("")
    multi = s.str.contains("~", regex=False)
    out = _normalize_one(s)
    if multi.any():
        groups = s[multi].map(lambda a: "~".join(sorted({_norm_str(x) for x in a.split("~") if x.strip()})))
        out = out.mask(multi, groups)
    if region:
        out = _to_e164(out, region)
    return out


def _to_e164(values: pd.Series, region: str) -> pd.Series:
    """Rewrite normalised numbers in E.164 (once per distinct value; groups part by part)."""
    import phonenumbers

    def one(number: str) -> str:
        if not re.fullmatch(r"\+?[0-9]{3,20}", number):
            return number
        try:
            parsed = phonenumbers.parse(number, region.upper())
        except phonenumbers.NumberParseException:
            return number
        if not phonenumbers.is_possible_number(parsed):
            return number
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)

    def convert(value: str) -> str:
        if "~" in value:
            return "~".join(sorted({one(v) for v in value.split("~")}))
        return one(value)

    uniques = values.dropna().unique()
    mapping = {u: convert(u) for u in uniques}
    return values.map(mapping).astype("str")


def _normalize_one(s: pd.Series) -> pd.Series:
    s = s.str.strip()
    plus = s.str.startswith("+")
    digits = s.str.replace(r"[^0-9]", "", regex=True)
    normed = digits.where(~plus, "+" + digits)
    keep = digits.str.len().eq(0) | s.str.contains("@", regex=False)
    return normed.where(~keep, s.str.lower())


# iPhone tapbacks relayed over SMS: 'Loved “text”', 'Laughed at “text”', ...
_TAPBACK_RE = r"^(?:Loved|Liked|Disliked|Laughed at|Emphasized|Questioned) [“\"](?s:.*)[”\"]$"


def _text_of_parts(parts) -> tuple[str | None, int]:
    texts, media = [], 0
    for part in parts:
        ct = (part.get("ct") or "").lower()
        if ct == "application/smil":
            continue
        if ct == "text/plain":
            t = part.get("text")
            if t and t != "null":
                texts.append(t)
        elif ct:
            media += 1
    return ("\n".join(texts) if texts else None), media


def _attr(elem, name: str) -> str | None:
    v = elem.get(name)
    return None if v in (None, "null", "") else v


def read_sms_xml(source: Source, options: ReadOptions) -> tuple[pd.DataFrame, list[ParseReport]]:
    """Read an SMS Backup & Restore XML file (see the module docstring for the mapping).

    Usually called through ``rs.read_chat(path)``; format options: ``me=`` (your name,
    default ``"me"``) and ``region=`` (two-letter country code for E.164 numbers).

    Parameters
    ----------
    source : Source
        The input (see :class:`reconnect_signals.io.Source`).
    options : ReadOptions
        ``tz`` converts the instants for display; ``extra`` holds the format options.

    Returns
    -------
    frame : DataFrame
        The message frame (``rs.read_chat`` coerces and validates it).
    reports : list of ParseReport
        What happened to every input unit.

    Examples
    --------
    >>> from reconnect_signals.io import ReadOptions, Source
    >>> xml = b'<smses count="1"><sms address="5550100" date="1700000000000" type="2" body="hi" /></smses>'
    >>> frame, [report] = read_sms_xml(Source(xml), ReadOptions(extra={"me": "Alex"}))
    >>> frame["sender"].tolist(), report.accounted()
    (['Alex'], True)
    """
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    me = options.extra.get("me") or "me"
    report = ParseReport(source=source.name, format="sms", units="records")
    rows: dict[str, list] = {k: [] for k in ("address", "date", "sender", "text", "kind", "from_me")}
    counts: dict = {}
    declared = None
    root_tag = None
    attachments = 0
    if source.is_dir:
        raise ParseError(f"{source.name} is a folder; pass the SMS Backup & Restore .xml file inside it")
    raw = io.BytesIO(source._data) if source._data is not None else open(source.on_disk, "rb")  # noqa: SIM115
    size = source.size
    if size > source.limits.max_bytes:
        raw.close()
        from ..errors import LimitExceeded

        raise LimitExceeded(
            f"{source.name} is {size} bytes, over the {source.limits.max_bytes}-byte limit; "
            "pass limits=rs.io.Limits(max_bytes=...) if you trust it"
        )
    fixer = _RefFixer(raw, counts)
    record_index = 0
    root = None
    try:
        depth = 0
        for event, elem in iterparse(fixer, events=("start", "end")):
            if event == "start":
                depth += 1
                if root is None:
                    root = elem
                    root_tag = elem.tag
                    declared = elem.get("count")
                    if root_tag not in ("smses", "calls"):
                        raise ParseError(
                            f"{source.name} is XML but not an SMS Backup & Restore file (root "
                            f"<{root_tag}>, expected <smses>); pass the right format= "
                            "(see rs.list_formats())"
                        )
                continue
            depth -= 1
            if depth != 1:  # records are the direct children of the root
                continue
            tag = elem.tag
            report.total += 1
            if tag == "sms":
                _read_sms(elem, rows, report, record_index, me)
            elif tag == "mms":
                attachments += _read_mms(elem, rows, report, record_index, me)
            elif tag == "call":
                _read_call(elem, rows, report, record_index, me)
            else:
                report.skip(f"<{tag}> element (not a message)")
            record_index += 1
            assert root is not None  # set at the first start event, before any record
            root.clear()
    except DefusedXmlException as exc:
        raise ParseError(
            f"{source.name} declares XML entities or a DTD ({type(exc).__name__}), which SMS "
            "Backup & Restore never writes; refusing it (it may be an entity-expansion bomb). "
            "Re-export the backup from the app."
        ) from exc
    except (LookupError, ValueError) as exc:  # <?xml encoding="UTF-13"?>, or a multi-byte one expat cannot read
        if isinstance(exc, ParseError) or (not isinstance(exc, LookupError) and "encoding" not in str(exc)):
            raise
        raise ParseError(f"{source.name} declares an XML encoding that cannot be read ({exc}); re-export it") from exc
    except SyntaxError as exc:  # xml.etree.ElementTree.ParseError
        if root is None and record_index == 0 and not rows["date"]:
            if b"<smses" not in source.head(4096) and b"<calls" not in source.head(4096):
                raise ParseError(
                    f"{source.name} is not well-formed XML ({exc}); it is not an SMS Backup & "
                    "Restore backup or it is damaged — re-export it"
                ) from exc
        line = getattr(exc, "position", (None, None))[0]
        report.total += 1
        report.add_problem(
            record_index,
            f"XML breaks here ({exc}); the file is truncated or damaged. Every record before "
            "this point was read; re-export the backup to get the rest",
            location=f"line {line}" if line else None,
        )
    finally:
        raw.close()
    if counts.get("pairs"):
        report.notice(f"{counts['pairs']} surrogate-pair character references decoded (emoji)")
    if counts.get("replaced"):
        report.notice(f"{counts['replaced']} references to lone surrogates or control characters replaced by U+FFFD")
    if declared is not None:
        report.decisions["declared_count"] = declared
        try:
            if int(declared) != report.messages + report.skipped and not report.unplaced:
                report.notice(
                    f"the file declares count={declared} but holds {report.messages + report.skipped} records"
                )
        except ValueError:
            pass
    report.decisions["attachments"] = attachments
    return _frame(rows, options, me), [report]


def _ms(value: str | None) -> int | None:
    """Epoch milliseconds, or None when missing, unreadable or beyond the year 5000."""
    if value is None:
        return None
    try:
        ms = int(value)
    except ValueError:
        try:
            ms = int(float(value))
        except (ValueError, OverflowError):
            return None
    return ms if -(10**14) < ms < 10**14 else None


def _read_sms(elem, rows, report, idx, me) -> None:
    typ = elem.get("type")
    date = _ms(elem.get("date"))
    if typ == _DRAFT:
        report.skip("draft (never sent)")
        return
    if date is None:
        report.add_problem(idx, "sms without a readable date attribute", str(elem.get("date")))
        return
    from_me = typ in _SENT_SMS
    body = elem.get("body")
    address = elem.get("address") or ""
    name = _attr(elem, "contact_name")
    rows["address"].append(address)
    rows["date"].append(date)
    rows["sender"].append(None if from_me else (name if name and name != "(Unknown)" else None))
    rows["text"].append(body if body not in (None, "", "null") else None)
    rows["kind"].append("text" if body not in (None, "", "null") else "other")
    rows["from_me"].append(from_me)
    report.messages += 1


def _read_mms(elem, rows, report, idx, me) -> int:
    box = elem.get("msg_box")
    date = _ms(elem.get("date"))
    if box == _DRAFT:
        report.skip("draft (never sent)")
        return 0
    if date is None:
        report.add_problem(idx, "mms without a readable date attribute", str(elem.get("date")))
        return 0
    if date < 100_000_000_000:  # some backups store MMS dates in seconds
        date *= 1000
    from_me = box in _SENT_MMS
    parts = elem.find("parts")
    text, media = _text_of_parts(parts if parts is not None else [])
    address = elem.get("address") or ""
    sender = None
    if not from_me:
        frm = [a.get("address") for a in elem.iter("addr") if a.get("type") == "137" and a.get("address")]
        names = _attr(elem, "contact_name")
        known = names if names and names != "(Unknown)" else None
        if "~" not in address and "@" not in address:  # one-to-one thread: the contact sent it
            sender = known or (_norm_str(frm[0]) if frm else None)
        elif frm:  # group thread: the "from" address, named when names follow address order
            sender = _norm_str(frm[0])
            addrs = [_norm_str(a) for a in address.split("~") if a]
            listed = [x.strip() for x in known.split(",")] if known else []
            if len(addrs) == len(listed) and sender in addrs:
                sender = listed[addrs.index(sender)]
    rows["address"].append(address)
    rows["date"].append(date)
    rows["sender"].append(sender)
    rows["text"].append(text)
    rows["kind"].append("text" if text else ("media" if media else "other"))
    rows["from_me"].append(from_me)
    report.messages += 1
    return media


def _read_call(elem, rows, report, idx, me) -> None:
    date = _ms(elem.get("date"))
    if date is None:
        report.add_problem(idx, "call without a readable date attribute", str(elem.get("date")))
        return
    typ = elem.get("type") or ""
    what = _CALL_TYPES.get(typ, "call")
    duration = elem.get("duration") or "0"
    name = _attr(elem, "contact_name")
    rows["address"].append(elem.get("number") or "")
    rows["date"].append(date)
    rows["sender"].append(None if typ == "2" else (name if name and name != "(Unknown)" else None))
    rows["text"].append(f"{what}, {duration} s")
    rows["kind"].append("call")
    rows["from_me"].append(typ == "2")
    report.messages += 1


def _frame(rows: dict, options: ReadOptions, me: str) -> pd.DataFrame:
    n = len(rows["date"])
    if n == 0:
        from ..schema import empty_frame

        return empty_frame(options.tz or "UTC", optional=["is_from_me"])
    region = options.extra.get("region")
    conv = normalize_address(pd.Series(rows["address"], dtype="str"), region=region)
    sender = pd.Series(rows["sender"], dtype="str")
    from_me = pd.Series(rows["from_me"], dtype=bool)
    sender = sender.where(~from_me, me)
    sender = sender.fillna(conv)
    if region:
        numeric = sender.str.fullmatch(r"\+?[0-9]{3,20}").fillna(False).astype(bool) & ~from_me
        if numeric.any():
            sender = sender.mask(numeric, _to_e164(sender[numeric], region))
    text = pd.Series(rows["text"], dtype="str")
    kind = pd.Series(rows["kind"], dtype="str")
    tapback = kind.eq("text") & text.str.match(_TAPBACK_RE).fillna(False).astype(bool)
    kind = kind.where(~tapback, "reaction")
    ts = pd.Series(np.asarray(rows["date"], dtype="int64").astype("datetime64[ms]")).dt.tz_localize("UTC")
    ts = ts.astype("datetime64[us, UTC]").dt.tz_convert(options.tz or "UTC")
    seq = conv.groupby(conv, sort=False).cumcount().astype("str")
    frame = pd.DataFrame(
        {
            "conversation_id": conv,
            "message_id": conv + ":" + seq,
            "timestamp": ts,
            "sender": sender,
            "text": text,
            "kind": kind,
            "platform": _PLATFORM,
            "is_from_me": from_me.astype("boolean"),
        }
    )
    return frame


def _sniff(source: Source) -> float:
    if source.is_dir:
        return 0.0
    head = source.head(4096)
    if b"<smses" in head and (b"<sms " in head or b"<mms " in head or b"count=" in head):
        # the root element, after the prolog (BOM, XML declaration, comments, stylesheet): a
        # chat in another format that merely quotes "<smses" is not a backup
        return 0.95 if _root_is_smses(head) else 0.0
    return 0.0


def _root_is_smses(head: bytes) -> bool:
    rest = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    for _ in range(20):
        closer = next((c for o, c in ((b"<?", b"?>"), (b"<!--", b"-->"), (b"<!", b">")) if rest.startswith(o)), None)
        if closer is None:
            break
        end = rest.find(closer)
        if end < 0:
            return False
        rest = rest[end + len(closer) :].lstrip(b" \t\r\n")
    return rest.startswith(b"<smses")


register(
    ParserSpec(
        name="sms",
        platform=_PLATFORM,
        description="Android SMS/MMS backup XML written by the app SMS Backup & Restore",
        patterns=("sms-*.xml", "*.xml"),
        where=(
            "Android: install SMS Backup & Restore (SyncTech), tap Back up, choose Messages; it "
            "writes sms-<date>.xml to the phone, Google Drive or Dropbox. Copy that .xml file."
        ),
        sniff=_sniff,
        read=read_sms_xml,
        options=("me", "region"),
    )
)
