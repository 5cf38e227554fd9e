"""Write a message frame as a WhatsApp "Export chat" text file, in many layouts.

Not a user feature: it renders the golden test conversations, the bundled example and the
benchmark corpora, so they exercise the reader on every header variant. The wall clock of
each ``timestamp`` (in its own time zone) is what gets written, as WhatsApp does.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ._whatsapp_vocab import phrase

__all__ = ["WhatsAppLayout", "LAYOUTS", "render_whatsapp"]


@dataclass(frozen=True)
class WhatsAppLayout:
    """One way WhatsApp writes its headers.

    ``date`` uses tokens ``DD``/``D`` (day, padded or not), ``MM``/``M``, ``YYYY``/``YY``;
    ``time`` uses ``HH``/``H`` (24 h), ``hh``/``h`` (12 h), ``mm``, ``ss`` and ``a`` (the
    AM/PM marker, written as ``ampm[0]``/``ampm[1]`` after ``ampm_space``; a leading ``a``
    puts it before the time, as Korean, Chinese and Japanese phones do). ``digits`` is the
    zero of the script the header's digits are written in (``"\u0660"``: Arabic-Indic),
    ``era`` ``"buddhist"`` (year + 543) or ``"japanese"`` (``R6`` for 2024), ``time_first``
    writes ``[14:56:01, 3/18/22]`` and ``time_suffix`` follows the time (``"."``).
    """

    name: str
    ios: bool
    date: str
    time: str
    date_time_sep: str = ", "
    ampm: tuple[str, str] = ("AM", "PM")
    ampm_space: str = " "
    dash: str = "-"
    lang: str = "en"
    newline: str = "\n"
    encoding: str = "utf-8"
    lrm_header: bool = False
    digits: str = ""
    era: str = ""
    time_first: bool = False
    time_suffix: str = ""

    @property
    def rewritten(self) -> bool:
        """True when the reader reads this layout through its header rewrite (the general path)."""
        return bool(self.digits or self.era or self.time_first or self.time_suffix or self.time.startswith("a"))

    def with_(self, **kw) -> WhatsAppLayout:
        return replace(self, **kw)


_A = WhatsAppLayout
_NNBSP, _NBSP = "\u202f", "\u00a0"
LAYOUTS: dict[str, WhatsAppLayout] = {
    lay.name: lay
    for lay in [
        _A("android_dmy_24h_en", False, "DD/MM/YYYY", "HH:mm"),
        _A("android_dmy_yy_24h_en", False, "DD/MM/YY", "HH:mm"),
        _A("android_mdy_12h_en", False, "M/D/YY", "h:mm a", ampm_space=_NNBSP),
        _A("android_mdy_24h_en", False, "M/D/YY", "HH:mm"),
        _A("android_mdy_12h_endash", False, "MM/DD/YY", "h:mm:ss a", dash="\u2013"),
        _A("android_dmy_dot_de", False, "DD.MM.YY", "HH:mm", lang="de"),
        _A("android_ymd_slash", False, "YYYY/MM/DD", "HH:mm"),
        _A("android_ymd_dash", False, "YYYY-MM-DD", "HH:mm"),
        _A(
            "android_es_ampm", False, "D/M/YY", "h:mm a", ampm=("a.\u00a0m.", "p.\u00a0m."), ampm_space=_NBSP, lang="es"
        ),
        _A("android_ampm_dots", False, "DD/MM/YYYY", "hh:mm a", ampm=("a.m.", "p.m."), lang="en"),
        _A("android_nl_dash_date", False, "DD-MM-YYYY", "HH:mm", date_time_sep=" ", lang="nl"),
        _A("android_pt_nocomma", False, "DD/MM/YYYY", "HH:mm", date_time_sep=" ", lang="pt"),
        _A("android_it_lowercase_ampm", False, "DD/MM/YY", "h:mm a", ampm=("am", "pm"), lang="it"),
        _A("ios_dmy_ss_en", True, "DD/MM/YYYY", "HH:mm:ss"),
        _A("ios_mdy_12h_en", True, "M/D/YY", "h:mm:ss a", ampm_space=_NNBSP),
        _A("ios_mdy_12h_noss_en", True, "M/D/YY", "h:mm a"),
        _A("ios_dmy_dot_de", True, "DD.MM.YY", "HH:mm:ss", lang="de"),
        _A("ios_ymd_en", True, "YYYY-MM-DD", "HH:mm:ss"),
        _A("ios_lrm_en", True, "DD/MM/YYYY", "HH:mm:ss", lrm_header=True),
        _A("ios_fr_nocomma", True, "DD/MM/YYYY", "HH:mm:ss", date_time_sep=" ", lang="fr"),
        _A("ios_it_yy", True, "DD/MM/YY", "HH:mm:ss", lang="it"),
        _A("ios_mdy_24h_noss", True, "MM/DD/YY", "HH:mm"),
        _A("android_dmy_crlf_utf16", False, "DD/MM/YYYY", "HH:mm", newline="\r\n", encoding="utf-16"),
        _A("ios_dmy_bom_crlf", True, "DD.MM.YYYY", "HH:mm:ss", newline="\r\n", encoding="utf-8-sig", lang="de"),
        # layouts of other locales (read through the general path's header rewrite)
        _A(
            "android_ar_digits",
            False,
            "DD/MM/YYYY",
            "h:mm a",
            date_time_sep="\u060c ",
            ampm=("\u0635", "\u0645"),
            digits="\u0660",
        ),
        _A("ios_fa_digits", True, "YYYY/MM/DD", "HH:mm:ss", date_time_sep="\u060c ", digits="\u06f0"),
        _A("android_hi_digits", False, "D/M/YY", "h:mm a", ampm=("am", "pm"), digits="\u0966"),
        _A("android_ko_marker_first", False, "YYYY. M. D.", "a h:mm", date_time_sep=" ", ampm=("오전", "오후")),
        _A(
            "android_zh_marker_first",
            False,
            "YYYY/M/D",
            "a h:mm",
            date_time_sep=" ",
            ampm=("上午", "下午"),
            ampm_space="",
        ),
        _A(
            "ios_ja_marker_first",
            True,
            "YYYY/MM/DD",
            "a h:mm:ss",
            date_time_sep=" ",
            ampm=("午前", "午後"),
            ampm_space="",
        ),
        _A("ios_ja_era", True, "YYYY/MM/DD", "HH:mm:ss", date_time_sep=" ", era="japanese"),
        _A("ios_th_buddhist", True, "D/M/YYYY", "HH:mm:ss", date_time_sep=" ", era="buddhist"),
        _A("android_th_buddhist", False, "DD/MM/YYYY", "HH:mm", era="buddhist"),
        _A("ios_time_first", True, "M/D/YY", "HH:mm:ss", time_first=True),
        _A("ios_dot_after_time", True, "DD.MM.YY", "HH:mm:ss", time_suffix="."),
        _A("android_dot_after_time", False, "DD.MM.YY", "HH:mm", time_suffix=".", date_time_sep=" "),
    ]
}


def _pad(values: np.ndarray, width: int) -> pd.Series:
    return pd.Series(values).astype("str").str.zfill(width)


def _fmt(spec: str, parts: dict[str, pd.Series]) -> pd.Series:
    out: pd.Series | str | None = None
    i = 0
    tokens = ["YYYY", "YY", "DD", "MM", "HH", "hh", "mm", "ss", "D", "M", "H", "h", "a"]
    while i < len(spec):
        for tok in tokens:
            if spec.startswith(tok, i):
                piece: pd.Series | str = parts[tok]
                i += len(tok)
                break
        else:
            piece = spec[i]
            i += 1
        out = piece if out is None else out + piece
    if not isinstance(out, pd.Series):  # a spec without one date/time token
        raise ValueError(f"date format {spec!r} has no date or time field")
    return out


def render_whatsapp(
    msgs: pd.DataFrame,
    layout: WhatsAppLayout | str = "android_dmy_24h_en",
    *,
    chat_name: str = "Chat",
    encode: bool = True,
    with_media: bool = False,
) -> bytes | str:
    """Render ``msgs`` (a message frame) as a WhatsApp export in ``layout``.

    ``kind="system"`` rows are written as notices (iOS attributes them to ``chat_name``
    behind a U+200E mark, as WhatsApp does), ``media`` rows as the language's placeholder
    for their optional ``media_type`` (plus the text as caption lines when present; with
    ``with_media=True`` as the attached file's name, as an export "with media" writes it),
    ``deleted`` rows as the deleted notice, ``call`` rows as a missed-call notice, and rows
    whose optional ``edited`` column is True get the "edited" marker (in languages that have
    one). Multi-line texts are written as continuation lines. Phrases come from the derived
    vocabulary (:mod:`._whatsapp_vocab`), so ``layout.lang`` may be any of its languages.

    Parameters
    ----------
    msgs : DataFrame
        A message frame.
    layout : WhatsAppLayout or str, default "android_dmy_24h_en"
        The export layout (platform, date order, clock, language) or its name.
    chat_name : str, default "Chat"
        The group name system notices are attributed to on iOS.
    encode : bool, default True
        Return UTF-8 bytes (as the exported file holds them) instead of a string.
    with_media : bool, default False
        Write media rows as an export with media attached does.

    Returns
    -------
    bytes or str
        The export's text.

    Examples
    --------
    >>> import pandas as pd
    >>> import reconnect_signals as rs
    >>> from reconnect_signals.io._whatsapp_render import render_whatsapp
    >>> msgs = rs.coerce(pd.DataFrame({"timestamp": ["2024-03-17 21:05"], "sender": ["Sam"],
    ...                               "text": ["hey"]}), tz="Europe/London")
    >>> render_whatsapp(msgs, "android_dmy_24h_en", encode=False)
    '17/03/2024, 21:05 - Sam: hey\\n'
    >>> render_whatsapp(msgs, "ios_mdy_12h_en", encode=False)
    '[3/17/24, 9:05:00\\u202fPM] Sam: hey\\n'
    """
    lay = LAYOUTS[layout] if isinstance(layout, str) else layout
    ts = msgs["timestamp"]
    year, month, day = ts.dt.year.to_numpy(), ts.dt.month.to_numpy(), ts.dt.day.to_numpy()
    hour, minute, second = ts.dt.hour.to_numpy(), ts.dt.minute.to_numpy(), ts.dt.second.to_numpy()
    h12 = np.where(hour % 12 == 0, 12, hour % 12)
    parts = {
        "YYYY": _pad(year, 4),
        "YY": _pad(year % 100, 2),
        "DD": _pad(day, 2),
        "D": _pad(day, 1),
        "MM": _pad(month, 2),
        "M": _pad(month, 1),
        "HH": _pad(hour, 2),
        "H": _pad(hour, 1),
        "hh": _pad(h12, 2),
        "h": _pad(h12, 1),
        "mm": _pad(minute, 2),
        "ss": _pad(second, 2),
        "a": pd.Series(np.where(hour < 12, lay.ampm[0], lay.ampm[1])),
    }
    if lay.era == "buddhist":
        parts["YYYY"] = _pad(year + 543, 4)
    elif lay.era == "japanese":
        parts["YYYY"] = "R" + _pad(year - 2018, 1)
    parts_t = dict(parts)
    if lay.time.startswith("a"):  # the marker before the time
        time_s = parts["a"] + lay.ampm_space + _fmt(lay.time[1:].lstrip(), parts)
    else:
        parts_t["a"] = lay.ampm_space + parts["a"]
        time_s = _fmt(lay.time.replace(" a", "a"), parts_t)
    time_s = time_s + lay.time_suffix
    date_s = _fmt(lay.date, parts)
    stamp = (time_s + lay.date_time_sep + date_s) if lay.time_first else (date_s + lay.date_time_sep + time_s)
    if lay.digits:
        table = str.maketrans("0123456789", "".join(chr(ord(lay.digits) + k) for k in range(10)))
        stamp = stamp.map(lambda v: v.translate(table))
    if lay.ios:
        head = "[" + stamp + "] "
    else:
        head = stamp + f" {lay.dash} "
    if lay.lrm_header:
        head = "\u200e" + head
    kind = msgs["kind"].astype("str").to_numpy()
    sender = msgs["sender"].fillna(chat_name).astype("str").to_numpy()
    text = msgs["text"].fillna("").astype("str").to_numpy()
    edited = msgs["edited"].to_numpy() if "edited" in msgs.columns else np.zeros(len(msgs), bool)
    mtype = (
        msgs["media_type"].astype("str").fillna("image").to_numpy()
        if "media_type" in msgs.columns
        else np.full(len(msgs), "image", object)
    )
    mark = "\u200e" if lay.ios else ""
    edit_mark = phrase(lay.lang, "edited")
    lines = []
    for i, (h, k, s, t, e) in enumerate(zip(head.to_numpy(), kind, sender, text, edited, strict=True)):
        if k == "system":
            body = f"{chat_name}: {mark}{t}" if lay.ios else t
        elif k == "media":
            placeholder = _placeholder(lay, mtype[i], with_media, ts.iloc[i], i)
            body = f"{s}: {mark}{placeholder}" + (f"\n{t}" if t else "")
        elif k == "deleted":
            body = f"{s}: {mark}{phrase(lay.lang, 'deleted.theirs')}"
        elif k == "call":
            body = f"{s}: {mark}{phrase(lay.lang, 'call.missed_voice')}"
        else:
            body = f"{s}: {t}" + (f" {edit_mark}" if e and edit_mark else "")
        lines.append(h + body)
    out = lay.newline.join(lines) + lay.newline if lines else ""
    if lay.newline != "\n":
        out = out.replace("\r\n", "\n").replace("\n", lay.newline)
    return out.encode(lay.encoding) if encode else out


_EXT = {
    "image": ("PHOTO", "IMG", "jpg"),
    "video": ("VIDEO", "VID", "mp4"),
    "audio": ("AUDIO", "PTT", "opus"),
    "sticker": ("STICKER", "STK", "webp"),
    "gif": ("GIF", "VID", "gif"),
    "document": ("DOCUMENT", "DOC", "pdf"),
    "contact": ("CONTACT", "VCF", "vcf"),
}


def _placeholder(lay: WhatsAppLayout, media_type: str, with_media: bool, when: pd.Timestamp, i: int) -> str | None:
    """What WhatsApp writes for a media message of ``media_type`` in ``lay``'s language.

    None where the vocabulary has no placeholder for the language (20 of the 64 lack ``media.image``
    for iOS); the renderer then writes ``None``, which the property tests rely on.
    """
    lang = lay.lang
    if media_type in ("location", "live_location"):
        url = "https://maps.google.com/?q=48.8584,2.2945"
        if media_type == "live_location":
            return phrase(lang, "media.live_location", phrase("en", "media.live_location"))
        if lay.ios:
            return f"{phrase(lang, 'label.location', 'Location')}: {url}"
        return phrase(lang, "media.location", "location: {}").replace("{}", url)
    if media_type == "poll":
        return "POLL:\nLunch?\nOPTION: yes (2 votes)"
    if media_type == "view_once":
        return "null"
    if with_media and media_type in _EXT:
        ios_word, android_word, ext = _EXT[media_type]
        stamp = when.strftime("%Y-%m-%d-%H-%M-%S")
        if lay.ios:
            return phrase(lang, "media.attached", "<attached: {}>").replace("{}", f"{i:08d}-{ios_word}-{stamp}.{ext}")
        name = f"{android_word}-{when.strftime('%Y%m%d')}-WA{i:04d}.{ext}"
        return phrase(lang, "media.file_attached", "{} (file attached)").replace("{}", name)
    if lay.ios:
        return phrase(lang, f"media.{media_type}") or phrase(lang, "media.image")
    return phrase(lang, "media.omitted", phrase("en", "media.omitted"))
