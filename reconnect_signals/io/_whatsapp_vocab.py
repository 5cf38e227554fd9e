"""What WhatsApp writes into exports by itself, in every language its string tables have.

The phrases come from ``whatsapp_vocab.json`` beside this module, a table derived from
WhatsApp's own Android and iOS UI strings by ``tools/whatsapp_vocab.py`` (per language, per
*slot*: ``media.image``, ``deleted.theirs``, ``call.missed_voice``, ``system.added``, ...; ``{}``
marks a name or number WhatsApp fills in). :data:`HAND` adds, clearly apart, what those tables
lack (the "edited" marker, Android's view-once ``null``, poll headers, call summaries, and the
phrases collected by hand from public exports before the table existed).

One vocabulary serves the reader (to classify rows) and the renderer used by the tests, the
bundled example and the benchmarks (to write them), so the two can never drift apart.

Matching is case-insensitive and ignores direction marks: a body is *normalised* (marks,
spaces and dots trimmed at both ends, lower-cased with Arrow's Unicode rules) and looked up
in a hash table of the normalised fixed phrases; phrases with slots become small RE2 patterns
(one per language, ``{}`` -> ``.+``: linear time, no backtracking), tried only on the few rows
that can be notices.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib import resources
from typing import Any, overload

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..schema import MEDIA_TYPES
from ._json import loads as _json_loads

__all__ = [
    "LANGS",
    "HAND",
    "VOCAB",
    "LANGUAGES",
    "MEDIA_TYPES",
    "normalize",
    "fixed_table",
    "system_patterns",
    "system_pattern_for",
    "media_pattern",
    "deleted_pattern",
    "call_pattern",
    "system_pattern",
    "edited_pattern",
    "phrase",
    "media_type_of_name",
]


#: Hand additions (not in WhatsApp's string tables, or older wordings seen in real exports).
#: Same shape as the derived table: language -> slot -> phrases.
HAND: dict[str, dict[str, list[str]]] = {
    "en": {
        "edited": ["<This message was edited>"],
        "media.view_once": ["null"],
        "media.poll": ["POLL:"],
        "media.live_location": ["Live location shared"],
        "media.attached": ["<attached: {}>"],
        "call.voice": ["Voice call", "Video call", "Group voice call", "Group video call"],
        "call.missed_voice": ["Missed voice call"],
        "deleted.theirs": ["This message was deleted"],
        "deleted.yours": ["You deleted this message"],
        "system.encryption": [
            "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can "
            "read or listen to them. Tap to learn more.",
            "Messages to this chat and calls are now secured with end-to-end encryption. Tap for more info.",
            "Messages to this group are now secured with end-to-end encryption.",
        ],
        "system.other": [
            "{} created group {}",
            "{} changed the group name to {}",
            "Your security code with {} changed",
            "{} changed to {}",
            "This chat is with a business account. Tap for more info.",
            "{} pinned a message",
            "{} changed the settings {}",
            "Waiting for this message. {}",
            "{} started a call",
            "You're now an admin",
            "{} security code changed. {}",
        ],
    },
    "de": {
        "edited": ["<Diese Nachricht wurde bearbeitet>"],
        "media.omitted": ["<Medien ausgeschlossen>"],
        "media.image": ["Bild weggelassen"],
        "media.video": ["Video weggelassen"],
        "media.audio": ["Audio weggelassen"],
        "media.sticker": ["Sticker weggelassen"],
        "media.gif": ["GIF weggelassen"],
        "media.document": ["Dokument weggelassen"],
        "media.contact": ["Kontaktkarte ausgelassen"],
        "media.attached": ["<Anhang: {}>"],
        "media.file_attached": ["{} (Datei angehängt)"],
        "label.location": ["Standort"],
        "deleted.theirs": ["Diese Nachricht wurde gelöscht"],
        "deleted.yours": ["Du hast diese Nachricht gelöscht"],
        "call.missed_voice": ["Verpasster Sprachanruf"],
        "call.missed_video": ["Verpasster Videoanruf"],
        "call.voice": ["Sprachanruf", "Videoanruf"],
        "system.encryption": [
            "Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt. Niemand außerhalb dieses Chats kann sie lesen "
            "oder anhören, nicht einmal WhatsApp.",
            "Nachrichten in diesem Chat sowie Anrufe sind jetzt mit Ende-zu-Ende-Verschlüsselung geschützt.",
        ],
    },
    "es": {
        "edited": ["<Se editó este mensaje.>"],
        "media.omitted": ["<Multimedia omitido>"],
        "media.image": ["imagen omitida"],
        "media.video": ["video omitido"],
        "media.audio": ["audio omitido"],
        "media.sticker": ["sticker omitido"],
        "media.gif": ["GIF omitido"],
        "media.document": ["documento omitido"],
        "media.contact": ["tarjeta de contacto omitida"],
        "media.attached": ["<adjunto: {}>"],
        "media.file_attached": ["{} (archivo adjunto)"],
        "label.location": ["ubicación"],
        "deleted.theirs": ["Se eliminó este mensaje"],
        "deleted.yours": ["Eliminaste este mensaje"],
        "call.missed_voice": ["Llamada perdida"],
        "call.missed_video": ["Videollamada perdida"],
        "call.voice": ["Llamada de voz", "Videollamada"],
        "system.encryption": [
            "Los mensajes y las llamadas están cifrados de extremo a extremo. Nadie fuera de este chat, ni siquiera "
            "WhatsApp, puede leerlos ni escucharlos.",
            "Los mensajes y las llamadas en este chat ahora están protegidos con cifrado de extremo a extremo.",
        ],
    },
    "fr": {
        "edited": ["<Ce message a été modifié>"],
        "media.omitted": ["<Médias omis>"],
        "media.image": ["image absente"],
        "media.video": ["vidéo absente"],
        "media.audio": ["audio omis"],
        "media.sticker": ["sticker omis"],
        "media.gif": ["GIF retiré"],
        "media.document": ["document omis"],
        "media.contact": ["fiche contact omise"],
        "media.attached": ["<pièce jointe : {}>"],
        "media.file_attached": ["{} (fichier joint)"],
        "label.location": ["localisation"],
        "deleted.theirs": ["Ce message a été supprimé"],
        "deleted.yours": ["Vous avez supprimé ce message"],
        "call.missed_voice": ["Appel vocal manqué"],
        "call.missed_video": ["Appel vidéo manqué"],
        "call.voice": ["Appel vocal", "Appel vidéo"],
        "system.encryption": [
            "Les messages et les appels sont chiffrés de bout en bout. Aucun tiers, pas même WhatsApp, ne peut les "
            "lire ou les écouter.",
            "Les messages envoyés dans cette discussion et les appels sont désormais protégés avec le chiffrement "
            "de bout en bout.",
        ],
    },
    "pt": {
        "edited": ["<Mensagem editada>"],
        "media.omitted": ["<Mídia oculta>"],
        "media.image": ["imagem ocultada"],
        "media.video": ["vídeo omitido"],
        "media.audio": ["áudio ocultado"],
        "media.sticker": ["figurinha omitida"],
        "media.gif": ["GIF omitido"],
        "media.document": ["documento omitido"],
        "media.contact": ["cartão de contato omitido"],
        "media.attached": ["<anexado: {}>"],
        "media.file_attached": ["{} (arquivo anexado)"],
        "label.location": ["localização"],
        "deleted.theirs": ["Mensagem apagada"],
        "deleted.yours": ["Você apagou esta mensagem"],
        "call.missed_voice": ["Chamada de voz perdida"],
        "call.missed_video": ["Chamada de vídeo perdida"],
        "call.voice": ["Chamada de voz", "Chamada de vídeo"],
        "system.encryption": [
            "As mensagens e as chamadas são protegidas com a criptografia de ponta a ponta e ficam somente entre "
            "você e os participantes desta conversa.",
            "As mensagens e chamadas desta conversa estão agora protegidas com criptografia de ponta-a-ponta.",
        ],
    },
    "it": {
        "edited": ["<Questo messaggio è stato modificato>"],
        "media.omitted": ["<Media omessi>"],
        "media.image": ["immagine omessa"],
        "media.video": ["video omesso"],
        "media.audio": ["audio omesso"],
        "media.sticker": ["sticker omesso"],
        "media.gif": ["GIF omessa"],
        "media.document": ["documento omesso"],
        "media.contact": ["scheda contatto omessa"],
        "media.attached": ["<allegato: {}>"],
        "media.file_attached": ["{} (file allegato)"],
        "label.location": ["posizione"],
        "deleted.theirs": ["Questo messaggio è stato eliminato"],
        "deleted.yours": ["Hai eliminato questo messaggio"],
        "call.missed_voice": ["Chiamata vocale persa"],
        "call.missed_video": ["Videochiamata persa"],
        "call.voice": ["Chiamata vocale", "Videochiamata"],
        "system.encryption": [
            "I messaggi e le chiamate sono crittografati end-to-end. Nessuno al di fuori di questa chat, nemmeno "
            "WhatsApp, può leggerli o ascoltarli.",
            "I messaggi inviati a questa chat e le chiamate sono ora protetti con la crittografia end-to-end.",
        ],
    },
    # newer Android wordings seen in public exports (the string tables hold an older app version)
    "ru": {"media.omitted": ["<Без медиафайлов>"]},
    "tr": {"media.omitted": ["<Medya dahil edilmedi>"]},
    "nl": {
        "edited": ["<Dit bericht is bewerkt>"],
        "media.omitted": ["<Media weggelaten>"],
        "media.image": ["afbeelding weggelaten"],
        "media.video": ["video weggelaten"],
        "media.audio": ["audio weggelaten"],
        "media.sticker": ["sticker weggelaten"],
        "media.gif": ["GIF weggelaten"],
        "media.document": ["document weggelaten"],
        "media.contact": ["contactkaart weggelaten"],
        "media.attached": ["<bijgevoegd: {}>"],
        "media.file_attached": ["{} (bestand bijgevoegd)"],
        "label.location": ["locatie"],
        "deleted.theirs": ["Dit bericht is verwijderd"],
        "deleted.yours": ["Je hebt dit bericht verwijderd"],
        "call.missed_voice": ["Gemiste spraakoproep"],
        "call.missed_video": ["Gemiste video-oproep"],
        "call.voice": ["Spraakoproep", "Video-oproep"],
        "system.encryption": [
            "Berichten en gesprekken worden end-to-end versleuteld. Niemand buiten deze chat, zelfs WhatsApp niet, "
            "kan ze lezen of beluisteren.",
            "Berichten die naar deze chat worden gestuurd en gesprekken zijn nu beveiligd met end-to-end "
            "versleuteling.",
        ],
    },
}


def _load_table() -> dict[str, dict[str, list[str]]]:
    text = resources.files(__package__).joinpath("whatsapp_vocab.json").read_text("utf-8")
    return _json_loads(text)["languages"]


def _merge() -> dict[str, dict[str, list[str]]]:
    out = {lang: {slot: list(v) for slot, v in slots.items()} for lang, slots in _load_table().items()}
    for lang, slots in HAND.items():
        mine = out.setdefault(lang, {})
        for slot, values in slots.items():
            # hand wordings first: what exports show (the renderer writes the first phrase)
            mine[slot] = list(values) + [v for v in mine.get(slot, []) if v not in values]
    return out


#: language -> slot -> phrases (derived table + :data:`HAND`)
LANGS: dict[str, dict[str, list[str]]] = _merge()


@overload
def phrase(lang: str, slot: str, default: str) -> str: ...
@overload
def phrase(lang: str, slot: str, default: str | None = None) -> str | None: ...
def phrase(lang: str, slot: str, default: str | None = None) -> str | None:
    """The first phrase of ``slot`` in ``lang`` (falling back to the base language, then ``default``)."""
    for code in (lang, lang.split("-")[0]):
        values = LANGS.get(code, {}).get(slot)
        if values:
            return values[0]
    return default


# -- the seven-language view kept for callers of the old table ---------------------------------


def _compat(lang: str) -> dict[str, Any]:
    def p(slot):
        return phrase(lang, slot)

    enc = LANGS[lang]["system.encryption"]
    return {
        "media": p("media.omitted"),
        "media_ios": {k: p("media." + k) for k in ("image", "video", "audio", "sticker", "gif", "document", "contact")},
        "attached": p("media.attached").replace("{}", "{name}"),
        "file_attached": p("media.file_attached").replace("{}", "{name}"),
        "deleted": p("deleted.theirs"),
        "deleted_self": p("deleted.yours"),
        "edited": p("edited"),
        "view_once": "null",
        "missed_voice": p("call.missed_voice"),
        "missed_video": p("call.missed_video"),
        "encryption": enc[0],
        "encryption_old": enc[1],
        "system": [s for slot, v in LANGS[lang].items() if slot.startswith("system.") for s in v if "{}" not in s],
    }


#: the hand-collected languages in the old table's shape (tests and the renderer's defaults)
VOCAB: dict[str, dict[str, Any]] = {lang: _compat(lang) for lang in ("en", "de", "es", "fr", "pt", "it", "nl")}
LANGUAGES = tuple(LANGS)

# counted repetitions ({1,300}) are avoided on purpose: they blow up RE2's DFA
_MARK_SET = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
_MARKS = f"[{_MARK_SET}]*"
_TRIM = _MARK_SET + " \u00a0\u202f\t\n\r."


def normalize(arr: pa.Array) -> pa.Array:
    """What matching compares: marks, spaces and dots trimmed at both ends, lower-cased."""
    return pc.utf8_lower(pc.utf8_trim(arr, _TRIM))


@lru_cache(maxsize=1)
def _normalized() -> dict[str, str]:
    """Every phrase of :data:`LANGS`, normalised in one Arrow call (as bodies are)."""
    raw = sorted({v for slots in LANGS.values() for values in slots.values() for v in values})
    return dict(zip(raw, normalize(pa.array(raw, pa.large_string())).to_pylist(), strict=True))


def _norm1(text: str) -> str:
    got = _normalized().get(text)
    return got if got is not None else normalize(pa.array([text], pa.large_string()))[0].as_py()


_KIND_OF_PREFIX = {"media": "media", "deleted": "deleted", "call": "call", "system": "system"}


@lru_cache(maxsize=1)
def fixed_table() -> tuple[pa.Array, np.ndarray, np.ndarray, np.ndarray, tuple[str, ...]]:
    """Normalised slot-free phrases with their kind, media type (-1: none) and language index.

    Kinds are names of :data:`~reconnect_signals.schema.KINDS`; a phrase in several slots keeps
    the first (media before deleted before call before system).
    """
    keys, kinds, mtypes, langs = [], [], [], []
    seen = set()
    order = ("media", "deleted", "call", "system")
    langs_list = tuple(LANGS)
    for prefix in order:
        for li, lang in enumerate(langs_list):
            for slot, values in LANGS[lang].items():
                if slot.split(".")[0] != prefix:
                    continue
                for v in values:
                    if "{}" in v:
                        continue
                    k = _norm1(v)
                    if not k or k in seen:
                        continue
                    seen.add(k)
                    keys.append(k)
                    kinds.append(prefix)
                    mt = slot.split(".", 1)[1] if prefix == "media" else ""
                    mt = {"omitted": "other", "poll": "poll"}.get(mt, mt)
                    mtypes.append(MEDIA_TYPES.index(mt) if mt in MEDIA_TYPES else -1)
                    langs.append(li)
    return (
        pa.array(keys, pa.large_string()),
        np.array(kinds, object),
        np.array(mtypes, np.int8),
        np.array(langs, np.int16),
        langs_list,
    )


@lru_cache(maxsize=1)
def phrase_languages() -> tuple[pa.Array, list[tuple[str, ...]]]:
    """Normalised slot-free phrases and, for each, the base languages (``pt`` for ``pt-BR``) that use it."""
    where: dict[str, set[str]] = {}
    for lang, slots in LANGS.items():
        for slot, values in slots.items():
            if slot.split(".")[0] in ("media", "deleted", "call", "system"):
                for v in values:
                    if "{}" not in v:
                        where.setdefault(_norm1(v), set()).add(lang.split("-")[0])
    keys = sorted(k for k in where if k)
    return pa.array(keys, pa.large_string()), [tuple(sorted(where[k])) for k in keys]


@lru_cache(maxsize=1)
def locale_shapes() -> list[dict]:
    """CLDR short-date shapes (``whatsapp_locales.json``, derived by ``tools/whatsapp_locales.py``)."""
    text = resources.files(__package__).joinpath("whatsapp_locales.json").read_text("utf-8")
    return _json_loads(text)["shapes"]


_QUOTE_CLASS = "[\"'\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u00ab\u00bb\u300c\u300d\u300e\u300f\u2039\u203a]"


def _template_re(template: str) -> str:
    """A normalised template as an RE2 pattern: ``{}`` -> ``.+``, any quote matches any quote."""
    out = []
    for piece in re.split(r"(\{\})", template):
        if piece == "{}":
            out.append(".+")
            continue
        for ch in piece:
            out.append(_QUOTE_CLASS if re.fullmatch(_QUOTE_CLASS, ch) else re.escape(ch))
    return "".join(out)


@cache
def system_pattern_for(lang: str) -> str | None:
    """RE2 pattern matching a normalised body that is one of ``lang``'s notices with slots (built on first use)."""
    alts = sorted(
        {
            _template_re(_norm1(v))
            for slot, values in LANGS[lang].items()
            if slot.startswith("system.")
            for v in values
            if "{}" in v
        }
    )
    return "^(?:" + "|".join(alts) + ")$" if alts else None


def system_patterns() -> list[tuple[str, str]]:
    """(language, RE2 pattern) for every language with notices that have slots."""
    return [(lang, p) for lang in LANGS if (p := system_pattern_for(lang)) is not None]


@lru_cache(maxsize=1)
def notice_heads() -> pa.Array:
    """Normalised text before the first ``:`` of notices whose own wording has one (no slot in it)."""
    heads = set()
    for slots in LANGS.values():
        for slot, values in slots.items():
            if slot.startswith("system."):
                for v in values:
                    head, colon, _ = _norm1(v).partition(":")
                    if colon and head and "{}" not in head:
                        heads.add(head.strip())
    return pa.array(sorted(heads), pa.large_string())


def media_type_of_name(names: pa.Array) -> np.ndarray:
    """``media_type`` codes (indices into :data:`MEDIA_TYPES`) from attachment file names."""
    out = np.full(len(names), MEDIA_TYPES.index("document"), np.int8)
    low = pc.utf8_lower(names)
    rules = [  # later rules win
        ("image", r"\.(?:jpe?g|png|heic|heif|bmp|tiff?)$|photo|^img-"),
        ("video", r"\.(?:mp4|mov|3gp|mkv|avi|webm)$|video|^vid-"),
        ("gif", r"gif"),
        ("audio", r"\.(?:opus|ogg|m4a|mp3|aac|amr|wav|oga)$|audio|^ptt-|^aud-"),
        ("sticker", r"\.webp$|sticker|^stk-"),
        ("contact", r"\.vcf$"),
    ]
    for name, pat in rules:
        hit = pc.fill_null(pc.match_substring_regex(low, pat), False).to_numpy(zero_copy_only=False)
        out[np.asarray(hit, bool)] = MEDIA_TYPES.index(name)
    return out


@lru_cache(maxsize=1)
def attachment_patterns() -> tuple[str, str, str]:
    """(``<attached: name>``, ``name (file attached)``, ``Location: URL``) patterns on normalised bodies.

    Each captures the file name (``name``) or the URL; built from every language's phrases.
    """
    att, filed, loc = set(), set(), set()
    for slots in LANGS.values():
        for v in slots.get("media.attached", []):
            pre, _, post = _norm1(v).partition("{}")
            if pre.strip() and post.strip():
                att.add((re.escape(pre), re.escape(post)))
        for v in slots.get("media.file_attached", []):
            _, _, post = _norm1(v).partition("{}")
            if len(post.strip()) >= 3:
                filed.add(re.escape(post))
        for v in slots.get("media.location", []):
            pre, _, _ = _norm1(v).partition("{}")
            if pre.strip():
                loc.add(re.escape(pre.rstrip()))
        for v in slots.get("label.location", []):
            loc.add(re.escape(_norm1(v)) + "[:\uff1a]")
    attached = "^(?:" + "|".join(sorted(f"{a}[^\n]+?{b}" for a, b in att)) + ")$"
    file_attached = r"^[^\n]+?(?:" + "|".join(sorted(filed)) + ")$"
    location = "^(?:" + "|".join(sorted(loc)) + r") ?https?://\S+$"
    return attached, file_attached, location


# -- regexes kept for the renderer's round-trip tests (the seven hand languages) -------------------


def _alt(items) -> str:
    return "|".join(re.escape(s) for s in sorted(set(items), key=len, reverse=True))


def media_pattern() -> str:
    """Regex (RE2-compatible) matching a whole body that is only a media placeholder (hand languages)."""
    fixed = []
    for v in VOCAB.values():
        fixed.append(v["media"])
        fixed.extend(v["media_ios"].values())
        fixed.append(v["view_once"])
    attached = []
    for v in VOCAB.values():
        pre, post = v["attached"].split("{name}")
        attached.append(re.escape(pre) + r"[^\n>]+" + re.escape(post))
        pre, post = v["file_attached"].split("{name}")
        attached.append(r"[^\n]+" + re.escape(post))
    location = r"(?:location|Standort|ubicación|localisation|localização|posizione|locatie): https?://\S+"
    return rf"^{_MARKS}(?:{_alt(fixed)}|{'|'.join(attached)}|{location}|Live location shared)$"


def deleted_pattern() -> str:
    """Regex matching a whole body that says the message was deleted (hand languages)."""
    items = [v["deleted"] for v in VOCAB.values()] + [v["deleted_self"] for v in VOCAB.values()]
    return rf"^{_MARKS}(?:{_alt(items)})\.?$"


def call_pattern() -> str:
    """Regex matching a call notice body (hand languages)."""
    items = [v["missed_voice"] for v in VOCAB.values()] + [v["missed_video"] for v in VOCAB.values()]
    items += [c for lang in HAND for c in LANGS[lang].get("call.voice", [])]
    return rf"^{_MARKS}(?:{_alt(items)})(?:[,.][^\n]*)?$"


def edited_pattern() -> str:
    """Regex matching the 'message was edited' marker at the end of a body (every language that has one)."""
    marks = [v for slots in LANGS.values() for v in slots.get("edited", [])]
    return "[ \u00a0]?" + rf"{_MARKS}(?:{_alt(marks)})$"


def system_pattern() -> str:
    """Regex matching bodies that are WhatsApp notices (hand languages; quoted-subject check)."""
    items = []
    for v in VOCAB.values():
        items.append(v["encryption"])
        items.append(v["encryption_old"])
        items.extend(s.strip() for s in v["system"] if len(s.strip()) >= 12)
    items += [" created group ", " changed the subject ", " changed the group name "]
    return rf"^{_MARKS}[^\n]*(?:{_alt(items)})"
