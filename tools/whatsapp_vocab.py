"""Derive the WhatsApp reader's vocabulary from WhatsApp's own UI string tables.

Reads ``../shared/whatsapp-strings/`` (Android ``values-*/strings.xml`` + ``plurals.xml``, iOS
``*.strings`` JSON with obfuscated keys; see its README) and writes the compact table
``reconnect_signals/io/whatsapp_vocab.json``: per language, per *slot* (what the phrase means in
an export, e.g. ``media.image``, ``deleted.theirs``, ``system.added``), the phrases WhatsApp
writes, with direction marks removed and every format slot (``%1$s``, ``%s``, ``%@``, ``%1$@``,
``%u``, ``%ld``, ``%d``) written as ``{}``.

iOS keys are obfuscated but the same in every language, so a key is chosen by its English value
in ``EN.strings`` (rules below); Android strings are chosen by resource name.

Usage (from the repository root)::

    python tools/whatsapp_vocab.py            # rewrite the table
    python tools/whatsapp_vocab.py --check    # exit 1 when the committed table is out of date

``tests/test_whatsapp_i18n.py`` runs the ``--check`` comparison (skipping when the string tables
are absent).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT.parent / "shared" / "whatsapp-strings"
TARGET = ROOT / "reconnect_signals" / "io" / "whatsapp_vocab.json"

_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SLOT = re.compile(r"%(?:\d+\$)?(?:@|l?[sdu]|lu|ld)")

# -- which strings an export contains -------------------------------------------------------

#: iOS: slot -> exact English values (direction marks removed) of the keys to take
IOS_EXACT: dict[str, list[str]] = {
    "media.image": ["image omitted", "product image omitted"],
    "media.video": ["video omitted"],
    "media.audio": ["audio omitted"],
    "media.sticker": ["sticker omitted"],
    "media.gif": ["GIF omitted"],
    "media.document": ["document omitted"],
    "media.contact": ["Contact card omitted"],
    "media.attached": ["<attached: %@>"],
    "label.location": ["Location"],
    "deleted.theirs": [
        "This message was deleted.",
        "This message was deleted",
        "This message was deleted by an admin.",
    ],
    "deleted.yours": ["You deleted this message.", "You deleted this message", "You deleted this message as admin"],
    "call.missed_voice": [
        "Missed voice call",
        "Missed Voice Call",
        "Missed group voice call",
        "Missed Group Voice Call",
    ],
    "call.missed_video": [
        "Missed video call",
        "Missed Video Call",
        "Missed group video call",
        "Missed Group Video Call",
    ],
}

#: iOS: system notices, chosen by their English value: a subject ...
_IOS_SUBJECT = re.compile(
    r"^(?:\{\}|You|A participant|Group creator|Community creator|This group|Disappearing messages were|"
    r"Messages and calls are (?:now )?end-to-end|Messages to this (?:chat|group)|Messages to yourself|"
    r"Messages are end-to-end|Your security code with)(?=[\s’']|$)"
)
# ... doing something that happens in a chat ...
_IOS_VERB = re.compile(
    r"\b(?:created|added|removed|left|joined|changed|deleted|turned (?:on|off)|now an admin|no longer an admin|"
    r"blocked|unblocked|reset|deactivated|end-to-end encrypted|secured with end-to-end)\b"
)
# ... and not a button, dialog or error text
_IOS_NOT = re.compile(
    r"(?i)\b(?:tap|click|can't|cannot|couldn|unable|error|will|would|won't|please|try|limit|maximum|learn|"
    r"need|needs|must|backup|iCloud|status|list|haven't|yet|received|successfully|temporarily|someone|"
    r"favorite|bank)\b|\?|<a |\{\}[dhm] left|(?:attempts?|days?|hours?|minutes?|seconds?) left"
)

#: Android: slot -> resource names (strings.xml and plurals.xml)
ANDROID_EXACT: dict[str, list[str]] = {
    "media.omitted": ["email_media_omitted"],
    "media.file_attached": ["email_file_attached"],
    "media.location": ["email_location_message"],
    "media.live_location": ["email_live_location_message"],
    "deleted.theirs": ["revoked_msg_incoming", "revoked_msg_incoming_for_everyone"],
    "deleted.yours": ["revoked_msg_outgoing", "revoked_msg_outgoing_for_everyone"],
    "call.missed_voice": ["missed_voice_call"],
    "call.missed_video": ["missed_video_call"],
}
_ANDROID_SYSTEM = re.compile(
    r"^(?:group_created_by_(?:name|you)|group_participant_(?:added|left|removed|joined_by_link|changed_number|"
    r"promoted|demoted)_\w+|group_participants_\w+|group_subject_changed_by_\w+|group_description_(?:changed|deleted)"
    r"_by_\w+|photo_(?:changed|removed)_by(?:_you)?|chat_changed_number(?:_unknown_name)?|identity_changed_name|"
    r"(?:chat|group|broadcast)_encryption_state_change|invite_link_revoked_(?:name|you))$"
)

#: notice family of a system slot (kept short; the reader only needs "system")
_FAMILY = [
    ("encryption", r"encrypt|secured"),
    ("security_code", r"security code"),
    ("created", r"created"),
    ("joined", r"joined"),
    ("added", r"added|were added"),
    ("removed", r"removed"),
    ("left", r"\bleft\b"),
    ("subject", r"subject|community name|community’s name"),
    ("icon", r"icon|photo"),
    ("description", r"description"),
    ("number", r"number"),
    ("disappearing", r"disappearing"),
    ("admin", r"admin"),
    ("blocked", r"blocked"),
    ("invite_link", r"invite link"),
    ("community", r"community"),
]


def _family(english: str) -> str:
    for name, pat in _FAMILY:
        if re.search(pat, english, re.I):
            return "system." + name
    return "system.other"


# -- reading the tables ----------------------------------------------------------------------


def clean(value: str) -> str:
    """Remove direction marks, turn every format slot into ``{}`` and collapse spaces."""
    value = _MARKS.sub("", value).replace("{", "(").replace("}", ")")
    value = _SLOT.sub("{}", value)
    return re.sub(r"[ \t]+", " ", value).strip()


def _android_value(elem: ET.Element) -> str:
    raw = "".join(elem.itertext())
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        raw = raw[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), raw)


def read_android(folder: Path) -> dict[str, list[str]]:
    """Resource name -> values (a plural gives one value per quantity) of one ``values-*`` folder."""
    out: dict[str, list[str]] = {}
    strings = folder / "strings.xml"
    if strings.exists():
        for el in ET.parse(strings).getroot().iter("string"):
            out.setdefault(el.get("name", ""), []).append(_android_value(el))
    plurals = folder / "plurals.xml"
    if plurals.exists():
        for pl in ET.parse(plurals).getroot().iter("plurals"):
            out.setdefault(pl.get("name", ""), []).extend(_android_value(it) for it in pl.iter("item"))
    return out


def android_lang(folder: str) -> str | None:
    """``values-pt-rBR`` -> ``pt-BR``; ``values-b+sr+Latn`` -> ``sr-Latn``; old codes renamed."""
    if folder == "values":
        return "en"
    code = folder[len("values-") :]
    if code.startswith("b+"):
        return "-".join(code[2:].split("+"))
    parts = code.split("-")
    if any(p.startswith("v") and p[1:].isdigit() for p in parts[1:]):
        return None  # API-level qualifier (values-hi-v16): a copy of values-hi
    lang = {"in": "id", "iw": "he"}.get(parts[0], parts[0])
    region = [p[1:] for p in parts[1:] if p.startswith("r")]
    return lang + ("-" + region[0] if region else "")


IOS_LANG = {
    "ES-SP": "es",
    "GR-EL": "el-GR",
    "PT-BR": "pt-BR",
    "PT-PT": "pt-PT",
    "UKR": "uk",
    "ZH-HK": "zh-HK",
    "ZH-Hans": "zh-CN",
    "ZH-Hant": "zh-TW",
}


def ios_lang(stem: str) -> str:
    return IOS_LANG.get(stem, stem.lower())


def ios_slots(en: dict[str, str]) -> dict[str, str]:
    """iOS key -> slot, chosen by the English value."""
    wanted = {clean(v): slot for slot, values in IOS_EXACT.items() for v in values}
    out = {}
    for key, value in en.items():
        text = clean(value)
        if text in wanted:
            out[key] = wanted[text]
        elif "\n" not in text and _IOS_SUBJECT.search(text) and _IOS_VERB.search(text) and not _IOS_NOT.search(text):
            out[key] = _family(text)
    return out


def android_slots(names) -> dict[str, str]:
    out = {name: slot for slot, names_ in ANDROID_EXACT.items() for name in names_}
    for name in names:
        if name not in out and _ANDROID_SYSTEM.match(name):
            out[name] = "system." + (
                "encryption"
                if "encryption" in name
                else name.split("_")[1]
                if name.startswith("group_")
                else name.split("_")[0]
            )
    return out


def build(source: Path = SOURCE) -> dict:
    """The table: ``{"languages": {lang: {slot: [phrase, ...]}}}`` (sorted, deduplicated)."""
    langs: dict[str, dict[str, list[str]]] = {}

    def add(lang: str, slot: str, value: str) -> None:
        text = clean(value)
        if not text or len(text) > 240:
            return
        bucket = langs.setdefault(lang, {}).setdefault(slot, [])
        if text not in bucket:
            bucket.append(text)

    en_android = read_android(source / "android" / "values")
    wanted = android_slots(en_android)
    for folder in sorted((source / "android").iterdir()):
        lang = android_lang(folder.name)
        if lang is None or not folder.is_dir():
            continue
        table = read_android(folder)
        for name, slot in sorted(wanted.items()):
            for value in table.get(name, []):
                add(lang, slot, value)
    en = json.loads((source / "ios" / "EN.strings").read_text("utf-8"))
    keys = ios_slots(en)
    for path in sorted((source / "ios").glob("*.strings")):
        lang = ios_lang(path.stem)
        table = json.loads(path.read_text("utf-8"))
        for key, slot in sorted(keys.items()):
            if key in table and isinstance(table[key], str):
                add(lang, slot, table[key])
    for lang in langs.values():
        for slot in lang:
            lang[slot].sort()
    return {
        "about": "Derived by tools/whatsapp_vocab.py from WhatsApp's own UI strings (Android strings.xml/"
        "plurals.xml, iOS .strings); {} marks a slot. Do not edit by hand: edit the script and rerun it.",
        "languages": {k: dict(sorted(v.items())) for k, v in sorted(langs.items())},
    }


def dumps(table: dict) -> str:
    """The committed form: one language per line (short diffs), UTF-8."""
    lines = ["{", f'"about": {json.dumps(table["about"], ensure_ascii=False)},', '"languages": {']
    items = list(table["languages"].items())
    for i, (lang, slots) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        lines.append(f"{json.dumps(lang)}: {json.dumps(slots, ensure_ascii=False, separators=(',', ':'))}{comma}")
    lines += ["}", "}", ""]
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source", type=Path, default=SOURCE)
    ap.add_argument("--check", action="store_true", help="compare with the committed table instead of writing")
    args = ap.parse_args(argv)
    text = dumps(build(args.source))
    if args.check:
        same = TARGET.exists() and TARGET.read_text("utf-8") == text
        print("whatsapp_vocab.json is " + ("up to date" if same else "OUT OF DATE: run tools/whatsapp_vocab.py"))
        return 0 if same else 1
    TARGET.write_text(text, "utf-8")
    table = json.loads(text)
    print(f"wrote {TARGET} ({len(text) // 1024} KiB, {len(table['languages'])} languages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
