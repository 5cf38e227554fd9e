"""Google Chat and legacy Google Hangouts exports from Google Takeout.

**Google Chat** (format ``"google_chat"``): Takeout writes
``Google Chat/Groups/<DM id | Space id>/messages.json`` (plus ``group_info.json``) holding
``{"messages": [{"creator": {"name", "email"}, "created_date", "text", "attached_files",
"message_state", ...}]}``. Pass the Takeout ``.zip``, the extracted folder, its ``Google Chat``
or ``Groups`` folder, one ``DM …``/``Space …`` group folder, or one ``messages.json``.

- ``conversation_id``: the group folder name (``"DM 3b1R0EAAAAE"``, ``"Space AAAA1234"``);
  for a lone ``messages.json`` read from bytes, ``"google_chat"``.
- ``message_id``: the message's ``message_id`` (``"group/topic/message"``) when present,
  else ``"{conversation_id}:{seq}"``; ``reply_to``: for a reply inside a Space thread (its
  message part differs from its topic), the thread's first message ``"group/topic/topic"``.
- ``timestamp``: ``created_date`` is localised English with a zone,
  ``"Monday, January 2, 2023 at 3:04:05 PM UTC"``; the zone abbreviation (``UTC``, ``GMT``,
  ``PST``, ``CEST``, ``GMT+05:30``, ...) gives the instant. An unknown abbreviation is read
  in ``tz=`` (or UTC) and reported. ISO 8601 values are read as instants too. Accounts in
  other languages get ``"Montag, 2. Januar 2023 um 15:04:05 UTC"``, ``"2023年1月2日月曜日 15:04:05 UTC"``
  and the like: month names of 32 CLDR languages are recognised (``_month_names``; names that mean
  different months in different languages are not guessed but reported), counted in
  ``decisions["localized_dates"]``.
- ``sender``: ``creator.name`` (else the e-mail address).
- ``kind``: ``deleted`` when ``message_state`` is ``"DELETED"`` or ``deletion_metadata`` is
  present; ``media`` for attachments without text; ``text`` otherwise. Emoji reactions carry
  no time and are counted in ``decisions["reactions"]``.

**Hangouts** (format ``"hangouts"``): ``Hangouts.json`` from Takeout (the older
``conversation_state`` layout and the newer ``conversations`` one). ``timestamp`` is epoch
microseconds; the sender's ``gaia_id`` is named from the conversation's
``participant_data``; text is the concatenated ``segment`` texts (``LINE_BREAK`` segments
become newlines); photos and other attachments make ``media`` rows; membership, rename and
call events are ``system`` / ``call`` rows.

Examples
--------
>>> import json
>>> import reconnect_signals as rs
>>> doc = {"messages": [{"creator": {"name": "Sam", "email": "sam@example.com"},
...                      "created_date": "Friday, March 1, 2024 at 6:00:00 PM UTC", "text": "hi"}]}
>>> msgs = rs.read_chat(json.dumps(doc).encode())
>>> msgs[["sender", "text"]].values.tolist(), str(msgs["timestamp"].iloc[0])
([['Sam', 'hi']], '2024-03-01 18:00:00+00:00')
"""

from __future__ import annotations

import functools
import logging
import os
import re
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import pandas as pd

from ..errors import LimitExceeded, ParseError
from ._json import WrongType as _WrongType
from ._json import json_type as _json_type
from ._json import loads as _loads
from ._json import typed as _typed
from ._registry import ParserSpec, ReadOptions, register
from ._report import ParseReport
from ._text import Source

__all__ = ["read_google_chat", "read_hangouts", "parse_created_date"]

logger = logging.getLogger(__name__)

#: Zone abbreviations Google writes in ``created_date`` and their UTC offsets in minutes.
ZONE_OFFSETS: dict[str, int] = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "WET": 0,
    "WEST": 60,
    "BST": 60,
    "IST": 330,
    "CET": 60,
    "CEST": 120,
    "EET": 120,
    "EEST": 180,
    "MSK": 180,
    "EST": -300,
    "EDT": -240,
    "CST": -360,
    "CDT": -300,
    "MST": -420,
    "MDT": -360,
    "PST": -480,
    "PDT": -420,
    "AKST": -540,
    "AKDT": -480,
    "HST": -600,
    "AEST": 600,
    "AEDT": 660,
    "ACST": 570,
    "ACDT": 630,
    "AWST": 480,
    "NZST": 720,
    "NZDT": 780,
    "JST": 540,
    "KST": 540,
    "HKT": 480,
    "SGT": 480,
    "WIB": 420,
    "PHT": 480,
    "SAST": 120,
    "WAT": 60,
    "EAT": 180,
    "ART": -180,
    "BRT": -180,
}

_CREATED_RE = (
    r"^(?:[A-Za-z]+,\s)?(?P<month>[A-Za-z]+)\s(?P<day>\d{1,2}),\s(?P<year>\d{4})\s(?:at\s)?"
    r"(?P<hms>\d{1,2}:\d{2}(?::\d{2})?)[\s\u202f\u00a0]*(?P<ampm>[AaPp]\.?[Mm]\.?)?[\s\u202f\u00a0]*"
    r"(?P<zone>[A-Z]{1,5}(?:[+-]\d{1,2}(?::?\d{2})?)?)?$"
)
_OFFSET_RE = r"^(?:UTC|GMT)(?P<sign>[+-])(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?$"


def parse_created_date(values: pd.Series, tz: str | None = None, report: ParseReport | None = None) -> pd.Series:
    """Parse Google Chat ``created_date`` strings into UTC instants (vectorised).

    Parameters
    ----------
    values : Series of str
        ``created_date`` strings.
    tz : str, optional
        Time zone of values that carry none.
    report : ParseReport, optional
        Where unparseable values are reported.

    Returns
    -------
    Series of datetime64[us, UTC]
        The instants (NaT where a value cannot be parsed).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series(["Monday, January 2, 2023 at 3:04:05 PM UTC",
    ...                "Monday, January 2, 2023 at 7:04:05\\u202fAM PST",
    ...                "Monday, January 2, 2023 at 20:34:05 GMT+05:30",
    ...                "2023-01-02T15:04:05.250Z"])
    >>> [t.isoformat() for t in parse_created_date(s)]  # doctest: +NORMALIZE_WHITESPACE
    ['2023-01-02T15:04:05+00:00', '2023-01-02T15:04:05+00:00', '2023-01-02T15:04:05+00:00',
     '2023-01-02T15:04:05.250000+00:00']
    """
    s = values.astype("str").str.strip()
    out = pd.Series(pd.NaT, index=s.index, dtype=pd.DatetimeTZDtype("us", "UTC"))
    iso = s.str.match(r"^\d{4}-\d{2}-\d{2}[T ]\d").fillna(False).astype(bool)
    if iso.any():
        parsed = pd.to_datetime(s[iso], utc=True, format="ISO8601", errors="coerce")
        out = out.mask(iso, parsed.astype(out.dtype))
    rest = ~iso & s.notna()
    if not rest.any():
        return out
    parts = s[rest].str.extract(_CREATED_RE)
    ampm = parts["ampm"].str.replace(".", "", regex=False).str.upper()
    hms = parts["hms"].where(parts["hms"].str.count(":") == 2, parts["hms"] + ":00")
    stamp = parts["year"] + " " + parts["month"] + " " + parts["day"] + " " + hms
    twelve = ampm.notna()
    naive = pd.Series(pd.NaT, index=parts.index, dtype="datetime64[us]")
    if twelve.any():
        naive = naive.mask(
            twelve,
            pd.to_datetime(stamp[twelve] + " " + ampm[twelve], format="%Y %B %d %I:%M:%S %p", errors="coerce"),
        )
    if (~twelve).any():
        naive = naive.mask(~twelve, pd.to_datetime(stamp[~twelve], format="%Y %B %d %H:%M:%S", errors="coerce"))
    zone = parts["zone"]
    other = naive.isna()
    if other.any():  # the account's language was not English: "Montag, 2. Januar 2023 um 15:04:05 UTC"
        loc_naive, loc_zone = _localized_dates(s[rest][other])
        naive = naive.mask(other, loc_naive)
        zone = zone.mask(other, loc_zone)
        if report is not None and loc_naive.notna().any():
            report.decisions["localized_dates"] = int(loc_naive.notna().sum())
    minutes: pd.Series = zone.map(ZONE_OFFSETS)
    off = zone.str.extract(_OFFSET_RE)
    signed = (off["h"].astype("float") * 60 + off["m"].fillna("0").astype("float")) * off["sign"].map(
        {"+": 1.0, "-": -1.0}
    )
    minutes = minutes.astype("float").fillna(signed)
    known = minutes.notna()
    utc = (naive - pd.to_timedelta(minutes.fillna(0), unit="min")).dt.tz_localize("UTC")
    if (~known & naive.notna()).any():
        local = (
            naive[~known & naive.notna()]
            .dt.tz_localize(tz or "UTC", ambiguous=True, nonexistent="shift_forward")
            .dt.tz_convert("UTC")
        )
        utc = utc.mask(~known & naive.notna(), local)
        if report is not None:
            unknown = sorted(set(zone[~known & naive.notna()].fillna("(none)")))
            report.notice(
                f"time zone abbreviations {unknown[:5]} are not known; those times were read in "
                f"{tz or 'UTC'} (pass tz=)"
            )
            if tz is None:
                report.decisions["tz_assumed"] = True
    out = out.mask(rest, utc.astype(out.dtype))
    return out


_SPACES = "[\u00a0\u202f\u2009\u200e\u200f]"
# "<date words> [at|um|à|às|om|alle ore|kl.|,] H:MM[:SS] [AM|p. m.] [ZONE]": the time is the last
# clock in the string; everything before it is the date
_LOCAL_TIME_RE = (
    r"^(?P<date>.{1,120}?)\D(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?:[:.](?P<s>\d{2}))?"
    r"\s{0,3}(?P<ampm>(?i:[ap]\.?\s?m\.?))?\s{0,3}\(?(?P<zone>(?:UTC|GMT)(?:[+-]\d{1,2}(?::?\d{2})?)?"
    r"|[A-Z]{2,5}(?:[+-]\d{1,2}(?::?\d{2})?)?)?\)?$"
)
_CJK_DATE_RE = r"(?P<y>\d{4})\s?[年년]\s?(?P<m>\d{1,2})\s?[月월]\s?(?P<d>\d{1,2})\s?[日일]"


@functools.lru_cache(maxsize=1)
def _month_re() -> str:
    from ._month_names import MONTHS

    names = sorted(MONTHS, key=len, reverse=True)  # longest first: "janvier" before "jan"
    return r"(?<![^\W\d_])(" + "|".join(re.escape(n) for n in names) + r")(?![^\W\d_])"


def _localized_dates(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Wall-clock times and zone names of ``created_date`` strings in any of the CLDR languages.

    The month is the one month name of ``_month_names.MONTHS`` in the date part (or the number
    before 月/월), the year its four-digit number, the day its remaining one- or two-digit number;
    the clock is the last ``H:MM[:SS]`` (``.`` separators too) with an optional AM/PM marker.
    Strings with no month name, or with two, stay unparsed.

    >>> s = pd.Series(["Montag, 2. Januar 2023 um 15:04:05 UTC", "lundi 2 janvier 2023 à 15:04:05 UTC",
    ...                "lunes, 2 de enero de 2023, 3:04:05 p. m. UTC", "2023年1月2日月曜日 15:04:05 UTC"])
    >>> naive, zone = _localized_dates(s)
    >>> [str(t) for t in naive], zone.tolist()
    (['2023-01-02 15:04:05', '2023-01-02 15:04:05', '2023-01-02 15:04:05', '2023-01-02 15:04:05'],
     ['UTC', 'UTC', 'UTC', 'UTC'])
    """
    from ._month_names import MONTHS

    norm = s.str.replace(_SPACES, " ", regex=True).str.strip()
    t = norm.str.extract(_LOCAL_TIME_RE).astype("str")  # all-missing columns stay strings
    date = t["date"].str.lower()
    cjk = date.str.extract(_CJK_DATE_RE).astype("str")
    rx = _month_re()
    one = date.str.count(rx) == 1
    name = date.str.extract(rx)[0].astype("str")
    month = name.map(MONTHS).where(one).astype("float").fillna(cjk["m"].astype("float"))
    year = date.str.extract(r"(?<!\d)(\d{4})(?!\d)")[0].astype("str").astype("float").fillna(cjk["y"].astype("float"))
    day = (
        cjk["d"]
        .astype("float")
        .fillna(
            date.str.replace(r"\d{4}", " ", regex=True)
            .str.extract(r"(?<!\d)(\d{1,2})(?!\d)")[0]
            .astype("str")
            .astype("float")
        )
    )
    hour = t["h"].astype("float")
    ampm = t["ampm"].str.lower().str.replace(r"[.\s]", "", regex=True)
    hour = hour.where(ampm.isna(), (hour % 12) + np.where(ampm == "pm", 12, 0))
    parts = pd.DataFrame(
        {
            "year": year,
            "month": month,
            "day": day,
            "hour": hour,
            "minute": t["mi"].astype("float"),
            "second": t["s"].astype("float").fillna(0),
        }
    )
    ok = parts.notna().all(axis=1)
    naive = pd.Series(pd.NaT, index=s.index, dtype="datetime64[us]")
    if ok.any():
        naive = naive.mask(ok, pd.to_datetime(parts[ok].astype("int64"), errors="coerce").astype("datetime64[us]"))
    return naive, t["zone"].where(ok)


def _count_reactions(value) -> int | None:
    """Reactions on one Google Chat message, or None when the list is malformed."""
    if value is None:
        return 0
    if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
        return None
    emails = [r.get("reactor_emails") for r in value]
    if not all(e is None or isinstance(e, list) for e in emails):
        return None
    return sum(len(e or []) or 1 for e in emails)


class _Tree:
    """A zip, a folder or a single JSON file, listed as relative POSIX names."""

    def __init__(self, source: Source):
        self.source = source
        if source.is_dir:
            root = source.on_disk
            self.names = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.json") if p.is_file())
        elif source.is_zip:
            self.names = sorted(n for n in source.zip_names() if n.lower().endswith(".json"))
        else:
            self.names = [""]

    def read(self, name: str):
        src = self.source
        if name == "":
            data = src.read_bytes()
        elif src.is_dir:
            path = src.on_disk / name
            if path.stat().st_size > src.limits.max_bytes:
                raise LimitExceeded(
                    f"{name} in {src.name} is larger than {src.limits.max_bytes} bytes; pass "
                    "limits=rs.io.Limits(max_bytes=...) if you trust it"
                )
            with open(path, "rb") as fh:
                data = fh.read(src.limits.max_bytes + 1)
        else:
            data = src.read_member(name)
        return _loads(data.decode("utf-8-sig"))


def _chat_files(tree: _Tree) -> list[str]:
    if tree.names == [""]:
        return [""]
    return [n for n in tree.names if PurePosixPath(n).name == "messages.json"]


def _release(source: Source) -> None:
    """Close the archive :class:`Source` opened for a zip file (it keeps it cached)."""
    zf = source.__dict__.pop("_zip", None)
    if zf is not None:
        fp = zf.fp
        zf.close()
        if fp is not None and source.path is not None:
            fp.close()


def read_google_chat(source: Source, options: ReadOptions) -> tuple[pd.DataFrame, list[ParseReport]]:
    """Read Google Chat Takeout ``messages.json`` files (see the module docstring).

    Usually called through ``rs.read_chat(path)``: a Takeout ``.zip``, its folder, or one
    ``messages.json``. One report per ``messages.json``.

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
    >>> import json
    >>> from reconnect_signals.io import ReadOptions, Source
    >>> doc = {"messages": [{"creator": {"name": "Sam"}, "text": "",
    ...         "created_date": "Friday, March 1, 2024 at 6:00:00 PM UTC", "message_state": "DELETED"}]}
    >>> frame, [report] = read_google_chat(Source(json.dumps(doc).encode()), ReadOptions())
    >>> frame["kind"].tolist(), report.accounted()
    (['deleted'], True)
    """
    try:
        return _read_google_chat(source, options)
    finally:
        _release(source)


def _read_google_chat(source: Source, options: ReadOptions) -> tuple[pd.DataFrame, list[ParseReport]]:
    tree = _Tree(source)
    files = _chat_files(tree)
    if not files:
        raise ParseError(
            f"{source.name} holds no 'Google Chat/Groups/*/messages.json'; pass the Takeout archive "
            "with Google Chat selected (or one messages.json)"
        )
    names = ("conv", "mid", "date", "sender", "text", "files", "deleted", "edited", "rep", "idx")
    reports: list[ParseReport] = []
    cols: dict[str, list[Any]] = {k: [] for k in names}
    for name in files:
        report = ParseReport(
            source=f"{source.name}:{name}" if name else source.name, format="google_chat", units="records"
        )
        reports.append(report)
        if name and PurePosixPath(name).parent.name:
            conv = PurePosixPath(name).parent.name
        elif name and source.path is not None:  # one group folder passed: it names the conversation
            conv = source.path.name
        elif source.path is not None and source.path.parent.name:
            conv = source.path.parent.name
        else:
            conv = "google_chat"
        try:
            doc = tree.read(name)
        except (ValueError, UnicodeDecodeError) as exc:
            report.total += 1
            report.add_problem(None, f"not readable JSON ({exc}); re-export from Takeout", location=name or None)
            continue
        items = doc.get("messages") if isinstance(doc, dict) else None
        if not isinstance(items, list):
            report.total += 1
            report.add_problem(None, 'expected {"messages": [...]}', str(doc)[:80], location=name or None)
            continue
        reactions, bad_reactions = 0, 0
        for i, m in enumerate(items):
            report.total += 1
            if not isinstance(m, dict) or not m.get("created_date"):
                report.add_problem(i, "message without created_date", str(m)[:80], location=name or None)
                continue
            try:
                creator = _typed(m, "creator", dict) or {}
                sender = _typed(creator, "name", str, "creator.name") or _typed(creator, "email", str, "creator.email")
                mid = _typed(m, "message_id", str)
                text = _typed(m, "text", str)
            except _WrongType as exc:
                report.add_problem(
                    i,
                    f"{exc}; the message was left out (re-export from Takeout)",
                    str(m)[:80],
                    location=name or None,
                )
                continue
            cols["conv"].append(conv)
            cols["rep"].append(len(reports) - 1)
            cols["idx"].append(i)
            cols["mid"].append(mid)
            cols["date"].append(str(m["created_date"]))
            cols["sender"].append(sender)
            cols["text"].append(text)
            cols["files"].append(bool(m.get("attached_files") or m.get("attached_file")))
            cols["deleted"].append(m.get("message_state") == "DELETED" or bool(m.get("deletion_metadata")))
            cols["edited"].append(bool(m.get("updated_date")) and m.get("updated_date") != m.get("created_date"))
            n = _count_reactions(m.get("reactions"))
            if n is None:
                bad_reactions += 1
            else:
                reactions += n
            report.messages += 1
        report.decisions["reactions"] = reactions
        if bad_reactions:
            report.notice(
                f"{bad_reactions} messages have a malformed 'reactions' list; their reactions were not counted"
            )
    return _chat_frame(cols, reports, options), reports


def _chat_frame(cols, reports, options) -> pd.DataFrame:
    tz = options.tz or "UTC"
    if not cols["date"]:
        from ..schema import empty_frame

        return empty_frame(tz, optional=["reply_to", "edited"])
    ts = parse_created_date(pd.Series(cols["date"], dtype="str"), options.tz, reports[0])
    bad = ts.isna()
    if bad.any():
        for k in np.flatnonzero(bad.to_numpy()):
            rep = reports[cols["rep"][k]]
            rep.add_problem(
                cols["idx"][k],
                "created_date not understood (dates such as 'Monday, January 2, 2023 at 3:04:05 PM UTC' "
                "or 'Montag, 2. Januar 2023 um 15:04:05 UTC' in 32 languages are read; pass the value "
                "to an issue, or set your Google account language to English and export again)",
                cols["date"][k],
            )
            rep.messages -= 1
    conv = pd.Series(cols["conv"], dtype="str")
    text = pd.Series(cols["text"], dtype="str")
    text = text.where(text.str.len() > 0)
    deleted = np.asarray(cols["deleted"], dtype=bool)
    files = np.asarray(cols["files"], dtype=bool)
    kind = np.select(
        [deleted, files & text.isna().to_numpy(), text.isna().to_numpy()], ["deleted", "media", "other"], default="text"
    )
    seq = conv.groupby(conv, sort=False).cumcount().astype("str")
    raw_mid = pd.Series(cols["mid"], dtype="str")
    mid = raw_mid.fillna(conv + ":" + seq)
    # "group/topic/message": a message whose id differs from its topic is a reply in that thread
    parts = raw_mid.str.extract(r"^([^/]+)/([^/]+)/([^/]+)$")
    threaded = parts[2].notna() & parts[1].ne(parts[2])
    reply_to = (parts[0] + "/" + parts[1] + "/" + parts[1]).where(threaded)
    frame = pd.DataFrame(
        {
            "conversation_id": conv,
            "message_id": mid,
            "timestamp": ts.dt.tz_convert(tz).astype(pd.DatetimeTZDtype("us", tz)),
            "sender": pd.Series(cols["sender"], dtype="str").fillna("unknown"),
            "text": text.where(~deleted),
            "kind": kind,
            "platform": "google_chat",
            "reply_to": reply_to.astype("str"),
            "edited": np.asarray(cols["edited"], dtype=bool),
        }
    )
    return frame[~bad.to_numpy()].reset_index(drop=True)


# -- Hangouts ---------------------------------------------------------------------------


def _hangouts_conversations(doc: dict) -> list[tuple[dict, list | None, str | None]]:
    """``[(conversation_meta, events, problem)]`` from either Hangouts.json layout.

    ``problem`` says why a conversation is unreadable (then its events, when they can be
    counted, are reported as problems).
    """
    out: list[tuple[dict, list | None, str | None]] = []
    if isinstance(doc.get("conversations"), list):
        layout, inner, events_key = doc["conversations"], None, "events"
    elif isinstance(doc.get("conversation_state"), list):
        layout, inner, events_key = doc["conversation_state"], "conversation_state", "event"
    else:
        for key in ("conversations", "conversation_state"):
            if doc.get(key) is not None:
                raise ParseError(
                    f"Hangouts.json '{key}' is {_json_type(doc[key])}, expected a list of conversations; "
                    "the file is damaged: download the Takeout archive again"
                )
        return out
    for c in layout:
        events = None
        try:
            if not isinstance(c, dict):
                raise _WrongType(f"a conversation is {_json_type(c)}, expected an object")
            holder = c if inner is None else (_typed(c, inner, dict) or {})
            events = holder.get(events_key)
            events = _typed(holder, events_key, list) or []
            outer = _typed(holder, "conversation", dict) or {}
            if inner is None:  # newer layout: {"conversation": {"conversation": {...}}}
                meta = _typed(outer, "conversation", dict, "conversation.conversation") or outer
            else:
                meta = outer
            out.append((meta, events, None))
        except _WrongType as exc:
            out.append(({}, events if isinstance(events, list) else None, str(exc)))
    return out


def _participant_names(meta: dict) -> tuple[dict[str, str], int]:
    """``({gaia_id: name}, malformed entries)`` from a conversation's ``participant_data``."""
    names: dict[str, str] = {}
    people = meta.get("participant_data")
    if people is None:
        return names, 0
    if not isinstance(people, list):
        return names, 1
    bad = 0
    for p in people:
        try:
            if not isinstance(p, dict):
                raise _WrongType("participant")
            gid = _typed(_typed(p, "id", dict) or {}, "gaia_id", str)
            name = _typed(p, "fallback_name", str)
        except _WrongType:
            bad += 1
            continue
        if gid:
            names[gid] = name or gid
    return names, bad


def _hangouts_event(ev: dict) -> tuple[str | None, str]:
    """``(text, kind)`` of one Hangouts event; raises :class:`_WrongType` for a malformed one."""
    et = ev.get("event_type")
    if "chat_message" in ev:
        message = _typed(ev, "chat_message", dict) or {}
        content = _typed(message, "message_content", dict, "chat_message.message_content") or {}
        pieces = []
        for seg in _typed(content, "segment", list, "message_content.segment") or []:
            if not isinstance(seg, dict):
                raise _WrongType(f"a segment is {_json_type(seg)}, expected an object")
            piece = _typed(seg, "text", str, "segment.text")
            pieces.append(piece or ("\n" if seg.get("type") == "LINE_BREAK" else ""))
        text = "".join(pieces) or None
        return text, "text" if text else ("media" if content.get("attachment") else "other")
    if et == "HANGOUT_EVENT" or "hangout_event" in ev:
        call = _typed(ev, "hangout_event", dict) or {}
        return _typed(call, "event_type", str, "hangout_event.event_type") or None, "call"
    if et in ("ADD_USER", "REMOVE_USER", "RENAME_CONVERSATION", "GROUP_LINK_SHARING_MODIFICATION") or (
        "membership_change" in ev or "conversation_rename" in ev
    ):
        return None, "system"
    return None, "other"


def read_hangouts(source: Source, options: ReadOptions) -> tuple[pd.DataFrame, list[ParseReport]]:
    """Read a Takeout ``Hangouts.json`` (see the module docstring).

    Usually called through ``rs.read_chat(path)``: ``Hangouts.json`` or the Takeout ``.zip``.

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
    >>> import json
    >>> from reconnect_signals.io import ReadOptions, Source
    >>> doc = {"conversations": [{"conversation": {"conversation": {"id": {"id": "C1"},
    ...     "participant_data": [{"id": {"gaia_id": "7"}, "fallback_name": "Sam"}]}},
    ...     "events": [{"sender_id": {"gaia_id": "7"}, "timestamp": "1709316000000000",
    ...                 "chat_message": {"message_content": {"segment": [{"type": "TEXT", "text": "hi"}]}}}]}]}
    >>> frame, [report] = read_hangouts(Source(json.dumps(doc).encode()), ReadOptions())
    >>> frame[["conversation_id", "sender", "text"]].values.tolist()
    [['C1', 'Sam', 'hi']]
    """
    try:
        return _read_hangouts(source, options)
    finally:
        _release(source)


def _read_hangouts(source: Source, options: ReadOptions) -> tuple[pd.DataFrame, list[ParseReport]]:
    tree = _Tree(source)
    name = (
        ""
        if tree.names == [""]
        else next((n for n in tree.names if PurePosixPath(n).name.lower() == "hangouts.json"), None)
    )
    if name is None:
        raise ParseError(f"{source.name} holds no Hangouts.json; pass the Takeout archive with Hangouts selected")
    report = ParseReport(source=source.name, format="hangouts", units="records")
    try:
        doc = tree.read(name)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ParseError(f"{source.name}: Hangouts.json is not readable JSON ({exc}); re-export it") from exc
    if not isinstance(doc, dict):
        raise ParseError(f"{source.name}: Hangouts.json is not a JSON object; re-export it")
    cols: dict[str, list[Any]] = {k: [] for k in ("conv", "mid", "us", "sender", "text", "kind")}
    bad_people = 0
    conversations = _hangouts_conversations(doc)
    if not conversations:
        report.notice("Hangouts.json lists no conversations ('conversations' or 'conversation_state')")
    for k, (meta, events, problem) in enumerate(conversations):
        if problem is None:
            try:
                conv = _typed(_typed(meta, "id", dict, "conversation.id") or {}, "id", str, "conversation.id.id")
            except _WrongType as exc:
                problem = str(exc)
        if problem is not None:
            n = len(events) if events else 1
            report.total += n
            report.add_problem(
                None,
                f"{problem}; its {n} event(s) were left out (re-export from Takeout)",
                location=f"conversation {k}",
                count=n,
            )
            continue
        conv = conv or "hangouts"
        names, bad = _participant_names(meta)
        bad_people += bad
        assert events is not None  # only a conversation with a problem can lack its events
        for i, ev in enumerate(events):
            report.total += 1
            if not isinstance(ev, dict) or not re.fullmatch(r"[0-9]{1,17}", str(ev.get("timestamp", ""))):
                report.add_problem(i, "event without a timestamp", str(ev)[:80], location=conv)
                continue
            try:
                gid = _typed(_typed(ev, "sender_id", dict) or {}, "gaia_id", str, "sender_id.gaia_id")
                event_id = _typed(ev, "event_id", str)
                text, kind = _hangouts_event(ev)
            except _WrongType as exc:
                report.add_problem(
                    i, f"{exc}; the event was left out (re-export from Takeout)", str(ev)[:80], location=conv
                )
                continue
            cols["conv"].append(conv)
            cols["mid"].append(event_id)
            cols["us"].append(int(ev["timestamp"]))
            cols["sender"].append(names.get(gid, gid))
            cols["text"].append(text)
            cols["kind"].append(kind)
            report.messages += 1
    if bad_people:
        report.notice(
            f"{bad_people} malformed participant_data entries were ignored; those senders are shown by gaia_id"
        )
    tz = options.tz or "UTC"
    if not cols["us"]:
        from ..schema import empty_frame

        return empty_frame(tz), [report]
    conv = pd.Series(cols["conv"], dtype="str")
    seq = conv.groupby(conv, sort=False).cumcount().astype("str")
    when = pd.Series(np.asarray(cols["us"], dtype="int64").astype("datetime64[us]")).dt.tz_localize("UTC")
    kinds = pd.Series(cols["kind"], dtype="str")
    sender = pd.Series(cols["sender"], dtype="str")
    sender = sender.where(sender.notna() | kinds.eq("system"), "unknown")
    frame = pd.DataFrame(
        {
            "conversation_id": conv,
            "message_id": pd.Series(cols["mid"], dtype="str").fillna(conv + ":" + seq),
            "timestamp": when.dt.tz_convert(tz),
            "sender": sender,
            "text": pd.Series(cols["text"], dtype="str"),
            "kind": kinds,
            "platform": "hangouts",
        }
    )
    return frame.sort_values(["conversation_id", "timestamp"], kind="stable", ignore_index=True), [report]


# -- sniffing and registration ----------------------------------------------------------


def _listing(source: Source, limit: int = 20000, depth: int = 6) -> list[str]:
    """Relative names under a folder (bounded: at most ``limit`` entries, ``depth`` levels) or in a zip."""
    if source.is_dir:
        root = source.on_disk
        out: list[str] = []
        for here, dirs, files in os.walk(root):
            rel = Path(here).relative_to(root)
            if len(rel.parts) >= depth:
                dirs[:] = []
            out.extend((rel / f).as_posix() for f in files)
            if len(out) >= limit:
                break
        return out[:limit]
    if source.is_zip:
        return source.zip_names()
    return []


_GROUP_NAME = re.compile(r"^(?:DM|Space|Group) \S{1,200}$")


def _is_chat_folder(root: Path, names: list[str]) -> bool:
    """A folder below the Takeout root that holds Google Chat groups (bounded look at listings)."""
    groups = [n for n in names if PurePosixPath(n).name == "messages.json" and len(PurePosixPath(n).parts) <= 3]
    for n in groups[:20]:
        parts = PurePosixPath(n).parts
        group_dir = root.name if len(parts) == 1 else parts[-2]
        # Groups/<DM …>/messages.json (the "Google Chat" folder), <DM …>/messages.json ("Groups"), or one group
        sibling = "/".join((*parts[:-1], "group_info.json"))
        # a localised Takeout may name the folders differently: group_info.json beside it also tells
        if (_GROUP_NAME.match(group_dir) and (len(parts) < 3 or parts[0] == "Groups")) or sibling in names:
            try:
                with open(root / n, "rb") as fh:
                    head = fh.read(4096)
            except OSError:
                continue
            if b'"messages"' in head and (
                b'"created_date"' in head or head.rstrip().endswith(b"[]\n}") or b'"messages": []' in head
            ):
                return True
    return False


def _sniff_chat(source: Source) -> float:
    try:
        names = _listing(source)
    except (OSError, ParseError):
        return 0.0
    if names:
        if any(n.endswith("/messages.json") and "Google Chat/Groups/" in n for n in names):
            return 0.95
        # the "Google Chat" folder itself, its "Groups" folder, or one "DM …"/"Space …" group folder
        if source.is_dir and _is_chat_folder(source.on_disk, names):
            return 0.95
        return 0.0
    head = source.head(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{") and b'"messages"' in head[:200] and b'"created_date"' in head and b'"creator"' in head:
        return 0.9
    return 0.0


def _sniff_hangouts(source: Source) -> float:
    try:
        names = _listing(source)
    except (OSError, ParseError):
        return 0.0
    if names:
        return 0.9 if any(PurePosixPath(n).name.lower() == "hangouts.json" for n in names) else 0.0
    head = source.head(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    if (
        head.startswith(b"{")
        and (b'"conversations"' in head or b'"conversation_state"' in head)
        and (b'"participant_data"' in head or b'"conversation"' in head)
    ):
        return 0.85
    return 0.0


register(
    ParserSpec(
        name="google_chat",
        platform="google_chat",
        description="Google Chat messages from Google Takeout (Google Chat/Groups/*/messages.json)",
        patterns=("takeout-*.zip", "messages.json"),
        where=(
            "takeout.google.com: deselect all, select Google Chat, export; download the .zip. "
            "Pass the .zip, the extracted folder, or one Google Chat/Groups/<DM or Space>/messages.json."
        ),
        sniff=_sniff_chat,
        read=read_google_chat,
    )
)

register(
    ParserSpec(
        name="hangouts",
        platform="hangouts",
        description="Legacy Google Hangouts history from Google Takeout (Hangouts/Hangouts.json)",
        patterns=("Hangouts.json", "takeout-*.zip"),
        where=(
            "takeout.google.com (older archives): the Hangouts folder holds Hangouts.json. Pass "
            "that file or the Takeout .zip."
        ),
        sniff=_sniff_hangouts,
        read=read_hangouts,
    )
)
