"""Anonymisation: keyed pseudonyms, roster-based name replacement and PII masking.

:func:`anonymize` turns a message frame into one that can be shared with other
researchers: senders and conversation ids become keyed pseudonyms (HMAC-SHA256), and
message text is scrubbed (participants' names, phone numbers, e-mail addresses, URLs and
long digit runs masked), dropped (only cue and timing columns kept) or kept.

The key is used in memory only; it is never written to ``df.attrs`` or any output. With
the same key, the same person gets the same pseudonym in every chat and every run (so
corpora stay linkable for the key holder); without the key, pseudonyms cannot be linked
back to names (short of guessing both the name *and* the key).

Limits (see ``docs/research.md``): only names in the chat's roster (the senders) and the
names you pass in ``extra_names`` are replaced; a third person mentioned by name, a
nickname you did not list, a name split by a typo, a street, a workplace or a date of
birth stays in the text. Names shorter than three letters are not replaced inside text
(too many false hits). Common words that are also roster names ("Will", "May", "Mum")
are replaced everywhere, on purpose. Timestamps are kept: with outside knowledge they can
identify people. Scrubbed text is safer, not safe: review before sharing, or use
``text="drop"``.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from .schema import validate

__all__ = ["Roster", "anonymize", "handle_variants", "normalize_name", "pseudonym"]

logger = logging.getLogger(__name__)

_TEXT_MODES = ("scrub", "drop", "keep")

#: Placeholders written into scrubbed text.
MASKS = {
    "url": "[url]",
    "email": "[email]",
    "phone": "[phone]",
    "number": "[number]",
    "name": "[name]",
    "iban": "[iban]",
    "ip": "[ip]",
    "address": "[address]",
    "postcode": "[postcode]",
    "plate": "[plate]",
}
_KINDS = ("url", "email", "phone", "number", "name", "iban", "ip", "address", "postcode", "plate")

# Every pattern below is linear time: literal anchors, disjoint character classes and
# possessive quantifiers, and a look-behind so a match can only start where a run starts.
_URL_RE = re.compile(
    r"(?i)(?:(?:https?|ftp)://|\bwww\.)\S++"
    r"|(?<![\w.@-])[a-z0-9][\w-]*+(?:\.[\w-]++)*\."
    r"(?:com|org|net|edu|gov|io|co|uk|de|fr|es|it|nl|eu|us|ca|au|me|ly|app|dev|info|biz|tv|gl|gg|be)"
    r"(?![\w@-])(?:/\S*+)?"
)
_LOCAL = r"[\w.!#$%&'*+/=?^`{|}~-]"  # RFC 5322 atext and dots
_EMAIL_RE = re.compile(rf"(?<!{_LOCAL}){_LOCAL}++@[\w-]++(?:\.[\w-]++)++")
# 7 to 15 digits with at most one separator between digits (a phone number the
# phonenumbers matcher may reject as impossible is still masked)
_PHONE_FALLBACK_RE = re.compile(r"(?<![\w+])\+?\d(?:[ .()/-]?\d){6,14}(?!\d)")
_DIGITS_RE = re.compile(r"\d{5,}")
_SEVEN_DIGITS_RE = r"(?:\d\D{0,3}){7}"  # pre-filter only (pyarrow/RE2 or re, bounded)


def _key_bytes(key: object) -> bytes:
    if isinstance(key, str):
        key = key.encode("utf-8")
    if not isinstance(key, (bytes, bytearray)):
        raise TypeError(
            f"key must be bytes or str, got {type(key).__name__}; pass a secret such as os.environ['RS_ANON_KEY']"
        )
    if not key:
        raise ValueError("key is empty; pass a secret of at least 16 characters (keep it out of your code)")
    if len(key) < 16:
        logger.warning("anonymize: the key is shorter than 16 bytes; a longer random key is safer")
    return bytes(key)


def pseudonym(value: str, key: bytes | str, *, prefix: str = "p_", domain: str = "sender") -> str:
    """The keyed pseudonym of one value: ``prefix + HMAC-SHA256(key, domain + value)[:12]``.

    Parameters
    ----------
    value : str
        The name or id to hide.
    key : bytes or str
        The secret key. The same key gives the same pseudonym every time.
    prefix : str, default "p_"
        Written before the 12 hex digits (``"p_"`` for people, ``"c_"`` for conversations).
    domain : str, default "sender"
        Keeps pseudonyms of different kinds of value apart.

    Examples
    --------
    >>> from reconnect_signals._anonymize import pseudonym
    >>> a = pseudonym("Alex", "a-long-secret-key-for-the-example")
    >>> a == pseudonym("Alex", b"a-long-secret-key-for-the-example"), len(a), a[:2]
    (True, 14, 'p_')
    >>> a == pseudonym("Alex", "another-long-secret-key-entirely")
    False
    """
    digest = hmac.new(_key_bytes(key), f"{domain}\x00{value}".encode(), hashlib.sha256).hexdigest()
    return prefix + digest[:12]


def _map_distinct(series: pd.Series, key: bytes, prefix: str, domain: str) -> tuple[pd.Series, dict]:
    """HMAC once per distinct value, then map (missing stays missing)."""
    distinct = pd.unique(series.dropna())
    mapping = {v: pseudonym(str(v), key, prefix=prefix, domain=domain) for v in distinct}
    return series.map(mapping).astype("str"), mapping


def _name_parts(name: str) -> list[str]:
    """The full name and its parts with at least three letters ("Alex Smith" -> both, and the whole)."""
    parts = []
    full = name.strip()
    if sum(ch.isalpha() for ch in full) >= 3 or (len(full) >= 3 and not full.isalpha()):
        parts.append(full)
    for token in full.split():
        token = token.strip(".,;:!?\"'()[]{}<>-_~*")
        if sum(ch.isalpha() for ch in token) >= 3:
            parts.append(token)
    return parts


def _trie_regex(words: list[str]) -> str:
    """A quantifier-free regex matching exactly ``words``, factored as a trie.

    Matching costs O(longest name) per text position however many names there are (a flat
    alternation costs O(number of names)). Longer words are preferred: at each node the
    continuation is tried before ending, and the pattern has no repetition, so it cannot
    backtrack catastrophically.

    >>> from reconnect_signals._anonymize import _trie_regex
    >>> _trie_regex(["sam", "samantha", "sal"])
    'sa(?:l|m(?:antha)?)'
    """
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            # the word may stop here: the continuation is optional (tried first)
            if len(branches) == 1 and len(body) > 1 and not body.startswith("(?:"):
                body = "(?:" + body + ")"
            return body + "?"
        return body

    return build(trie)


_HANDLE_TOKEN_RE = re.compile(r"(?<![\w.-])\w++(?:[.-]\w++)*+")


def _handle_map(senders: Mapping[str, str], base: Mapping[str, str] | None = None) -> dict[str, str]:
    """Handle -> pseudonym for every full name (a handle two people share becomes ``[name]``)."""
    owners: dict[str, set[str]] = {}
    for word, pseudo in (base or {}).items():
        owners.setdefault(word, set()).add(pseudo)
    for name, pseudo in senders.items():
        for handle in handle_variants(str(name)):
            owners.setdefault(handle, set()).add(pseudo)
    return {k: (next(iter(v)) if len(v) == 1 else MASKS["name"]) for k, v in owners.items()}


def _roster_patterns(
    senders: Mapping[str, str],
    extra_names: Mapping[str, Iterable[str]] | Iterable[str] | None,
    base: Mapping[str, str] | None = None,
) -> tuple[re.Pattern | None, dict[str, str]]:
    """One alternation of the roster's names, handles and nicknames and the replacement of each."""
    owners: dict[str, set[str]] = {}
    for word, pseudo in (base or {}).items():
        owners.setdefault(word, set()).add(pseudo)
    for name, pseudo in senders.items():
        for part in _name_parts(normalize_name(name)):
            owners.setdefault(part.lower(), set()).add(pseudo)
    if extra_names:
        items = extra_names.items() if isinstance(extra_names, Mapping) else [(None, extra_names)]
        for who, names in items:
            nicks = [names] if isinstance(names, str) else names
            owner = senders.get(who) if who is not None else None
            for nick in nicks:
                nick = str(nick).strip()
                if len(nick) >= 2:
                    owners.setdefault(nick.lower(), set()).add(owner or MASKS["name"])
    if not owners:
        return None, {}
    for word in list(owners):  # text written in decomposed Unicode (NFD) too
        nfd = unicodedata.normalize("NFD", word)
        if nfd != word:
            owners.setdefault(nfd, set()).update(owners[word])
    repl = {k: (next(iter(v)) if len(v) == 1 else MASKS["name"]) for k, v in owners.items()}
    alternation = _trie_regex(list(repl))
    # (?<!\w) / (?!\w): word boundaries that also work for names that start or end with a symbol
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE), repl


# ---------------------------------------------------------------------------------------
# names: normalisation, handle variants, a corpus-wide roster
# ---------------------------------------------------------------------------------------
def normalize_name(name: str) -> str:
    """One spelling per name: Unicode NFC, runs of whitespace as one space, no outer spaces.

    ``"Zoe\\u0301  Smith "`` (NFD, two spaces) and ``"Zoé Smith"`` give the same string.
    Case is kept (the pseudonym of a clean name does not change); case variants of one
    name are joined by :class:`Roster` and :func:`anonymize`.

    >>> from reconnect_signals._anonymize import normalize_name
    >>> normalize_name("Zoe\\u0301  Smith ") == normalize_name("Zoé Smith") == "Zoé Smith"
    True
    """
    return " ".join(unicodedata.normalize("NFC", str(name)).split())


def handle_variants(name: str) -> list[str]:
    """Handles and run-together forms derived from a full name (lower case).

    For ``"Sam Jones"``: ``samjones``, ``sam_jones``, ``sam.jones``, ``sam-jones``,
    ``sam_j``, ``samj``, ``s_jones``, ``sjones``, ``jones_sam``, ``jonessam`` (an ``@``
    before any of them is kept, the handle is replaced). Single-word names give none.

    >>> from reconnect_signals._anonymize import handle_variants
    >>> {"samjones", "sam_jones", "sam_j"} <= set(handle_variants("Sam Jones"))
    True
    """
    words = [w.strip(".,;:!?\"'()[]{}<>~*").lower() for w in normalize_name(name).split()]
    words = [w for w in words if sum(ch.isalpha() for ch in w) >= 2]
    if len(words) < 2:
        return []
    first, last = words[0], words[-1]
    out = set()
    for sep in ("", "_", ".", "-"):
        out.add(sep.join(words))
        out.add(f"{first}{sep}{last}")
        out.add(f"{last}{sep}{first}")
        out.add(f"{first}{sep}{last[0]}")
        out.add(f"{first[0]}{sep}{last}")
    return sorted(v for v in out if len(v) >= 4)


class Roster:
    """Every person of a corpus, built once and reused: the same pseudonyms in every call.

    A roster holds names (normalised: NFC, spaces; case variants of a name are one person)
    and each person's pseudonym, nicknames and derived handles. Pass it to
    :func:`anonymize` (``roster=``) or :func:`reconnect_signals.score_corpus` so that a
    file is scrubbed of the names of people who only appear in *other* files. Save it with
    :meth:`save` (encrypted and authenticated with the key: the file is useless without it)
    and :meth:`load` it in the next run.

    Examples
    --------
    >>> import pandas as pd, tempfile, os
    >>> import reconnect_signals as rs
    >>> key = "a-long-secret-key-for-the-example"
    >>> roster = rs.Roster(key).add(["Sam Jones", "alex smith"]).add(["Alex Smith"])
    >>> len(roster), roster.pseudonym("ALEX  SMITH") == roster.pseudonym("alex smith")
    (2, True)
    >>> msgs = rs.coerce(pd.DataFrame({"timestamp": ["2024-05-01 09:00"], "sender": ["Alex Smith"],
    ...                                "text": ["ping @Sam_Jones or samj"]}))
    >>> rs.anonymize(msgs, key=key, roster=roster)["text"].iloc[0] == (
    ...     f"ping @{roster.pseudonym('Sam Jones')} or {roster.pseudonym('Sam Jones')}")
    True
    >>> path = os.path.join(tempfile.mkdtemp(), "roster.bin")
    >>> rs.Roster.load(roster.save(path), key).pseudonym("Sam Jones") == roster.pseudonym("Sam Jones")
    True
    """

    _MAGIC = b"RSROSTER1"

    def __init__(self, key: bytes | str) -> None:
        self._key = _key_bytes(key)
        self._people: dict[str, str] = {}  # casefolded normal form -> the spelling that names the person
        self._nicknames: dict[str, set[str]] = {}

    def __len__(self) -> int:
        return len(self._people)

    def __repr__(self) -> str:  # never the names
        return f"<Roster of {len(self)} people>"

    def _canonical(self, name: str) -> str:
        norm = normalize_name(name)
        return self._people.setdefault(norm.casefold(), norm)

    def add(self, names: Iterable[str], *, nicknames: Mapping[str, Iterable[str]] | None = None) -> Roster:
        """Add people (and their nicknames: ``{"Sam Jones": ["Sammy"]}``); returns the roster."""
        for name in sorted({normalize_name(n) for n in names if isinstance(n, str) and n.strip()}):
            self._canonical(name)
        for who, nicks in (nicknames or {}).items():
            canon = self._canonical(who)
            self._nicknames.setdefault(canon, set()).update(normalize_name(n) for n in nicks if str(n).strip())
        return self

    def update(self, msgs: pd.DataFrame) -> Roster:
        """Add the senders of a message frame; returns the roster."""
        return self.add(pd.unique(msgs["sender"].dropna()).tolist())

    @classmethod
    def build(cls, sources: Any, key: bytes | str, **read_kwargs: Any) -> Roster:
        """A roster of every sender of ``sources`` (exports, folders, globs or message frames)."""
        from .io import expand_sources, read_chat

        roster = cls(key)
        items = sources if isinstance(sources, (list, tuple)) else [sources]
        for item in items:
            if isinstance(item, pd.DataFrame):
                roster.update(item)
                continue
            for src in expand_sources(item):
                try:
                    roster.update(read_chat(src, errors="ignore", **read_kwargs))
                except Exception as exc:  # a bad file adds nobody; score_corpus reports it
                    logger.info("Roster.build: cannot read %s: %s", src, type(exc).__name__)
        return roster

    def pseudonym(self, name: str) -> str:
        """The person's pseudonym (the same for every spelling variant of the name)."""
        return pseudonym(self._canonical(name), self._key)

    def replacements(self) -> dict[str, str]:
        """Name, name part, nickname and handle (lower case) -> pseudonym, for scrubbing text."""
        owners: dict[str, set[str]] = {}
        for canon in self._people.values():
            pseudo = pseudonym(canon, self._key)
            for part in [*_name_parts(canon), *self._nicknames.get(canon, ())]:
                if len(part) >= 2:
                    owners.setdefault(part.lower(), set()).add(pseudo)
        return {k: (next(iter(v)) if len(v) == 1 else MASKS["name"]) for k, v in owners.items()}

    def handles(self) -> dict[str, str]:
        """Handle (lower case, see :func:`handle_variants`) -> pseudonym."""
        return _handle_map({canon: pseudonym(canon, self._key) for canon in self._people.values()})

    def mapping(self, senders: Iterable) -> dict:
        """Each sender value -> its pseudonym (added to the roster if new)."""
        return {s: self.pseudonym(str(s)) for s in senders}

    # -- keyed storage ------------------------------------------------------------------
    def _stream(self, nonce: bytes, n: int) -> bytes:
        enc = hmac.new(self._key, b"roster-encryption", hashlib.sha256).digest()
        blocks = (hmac.new(enc, nonce + i.to_bytes(8, "big"), hashlib.sha256).digest() for i in range(n // 32 + 1))
        return b"".join(blocks)[:n]

    def _tag(self, data: bytes) -> bytes:
        mac = hmac.new(self._key, b"roster-authentication", hashlib.sha256).digest()
        return hmac.new(mac, data, hashlib.sha256).digest()

    def save(self, path: str | os.PathLike) -> str:
        """Write the roster encrypted and authenticated with the key (HMAC-SHA256 stream + tag)."""
        import json

        plain = json.dumps(
            {
                "people": sorted(self._people.values()),
                "nicknames": {k: sorted(v) for k, v in sorted(self._nicknames.items())},
            }
        ).encode()
        nonce = os.urandom(16)
        body = self._MAGIC + nonce + bytes(a ^ b for a, b in zip(plain, self._stream(nonce, len(plain)), strict=True))
        path = os.fspath(path)
        with open(path, "wb") as fh:
            fh.write(body + self._tag(body))
        return path

    @classmethod
    def load(cls, path: str | os.PathLike, key: bytes | str) -> Roster:
        """Read a roster :meth:`save` wrote; a wrong key or a changed file raises ``ValueError``."""
        import json

        roster = cls(key)
        with open(path, "rb") as fh:
            data = fh.read(64 * 1024**2)
        body, tag = data[:-32], data[-32:]
        if not body.startswith(cls._MAGIC) or not hmac.compare_digest(roster._tag(body), tag):
            raise ValueError("not a roster saved with this key (wrong key, or the file was changed)")
        nonce, ct = body[len(cls._MAGIC) : len(cls._MAGIC) + 16], body[len(cls._MAGIC) + 16 :]
        state = json.loads(bytes(a ^ b for a, b in zip(ct, roster._stream(nonce, len(ct)), strict=True)))
        roster.add(state["people"], nicknames=state["nicknames"])
        return roster


# ---------------------------------------------------------------------------------------
# more PII: IBANs, postcodes, street addresses, number plates; dates and IPs are not phones
# ---------------------------------------------------------------------------------------
_IBAN_RE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9])")
_POSTCODE_RE = re.compile(
    r"(?<![\w-])(?:"
    r"(?i:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2})"  # UK (SW1A 1AA, M1 1AE)
    r"|(?i:[A-Z]\d[A-Z]\s?\d[A-Z]\d)"  # Canada (K1A 0B1)
    r"|\d{5}-\d{4}"  # US ZIP+4
    r"|[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2}"  # Netherlands (1012 AB)
    r")(?![\w-])"
)
_STREET_WORDS = (
    r"Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Close|Court|Ct|Place|Pl|"
    r"Terrace|Crescent|Square|Sq|Gardens|Grove|Hill|Row|Walk|Mews"
)
_ADDRESS_RE = re.compile(
    rf"(?<![\w-])\d{{1,5}}[A-Za-z]?,?[ \t]++(?:[A-Z][a-z']++[ \t]++){{0,3}}(?:{_STREET_WORDS})\b\.?"
    r"|(?<![\w-])[A-ZÄÖÜ][a-zäöüß]{1,30}(?:straße|strasse|str\.|weg|gasse|platz|allee|ring|damm|straat|laan|gracht)"
    r"[ \t]*+\d{1,4}[a-z]?(?!\w)"
)
_PLATE_RE = re.compile(
    r"(?<![\w-])(?:[A-Z]{2}\d{2}[ ]?[A-Z]{3}"  # UK (AB12 CDE)
    r"|[A-ZÄÖÜ]{1,3}-[A-Z]{1,2}[ ]?\d{1,4}[EH]?)(?![\w-])"  # Germany (B-MW 1234)
)
_DATE_RE = re.compile(
    r"(?<![\d.:/-])(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./](?:\d{4}|\d{2}))(?![\d.:/-]?\d)"
)
_IP_RE = re.compile(
    r"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d.]?\d)"
)
_PROTECT = "\ue000"


def _iban_valid(candidate: str) -> bool:
    """ISO 13616 check digits (mod 97 == 1)."""
    s = candidate.replace(" ", "")
    if not 15 <= len(s) <= 34:
        return False
    moved = s[4:] + s[:4]
    digits = "".join(str(int(ch, 36)) for ch in moved)
    return int(digits) % 97 == 1


def _mask_iban(text: str, counts: dict) -> str:
    def repl(m: re.Match) -> str:
        if _iban_valid(m.group(0)):
            counts["iban"] += 1
            return MASKS["iban"]
        return m.group(0)

    return _IBAN_RE.sub(repl, text)


def _protect_dates(text: str, kept: list[str]) -> str:
    """Dates out of the way of the phone matcher (put back by :func:`_restore`)."""

    def repl(m: re.Match) -> str:
        kept.append(m.group(0))
        return _PROTECT + chr(0xE100 + len(kept) - 1) + _PROTECT

    return _DATE_RE.sub(repl, text) if len(kept) < 0x1000 else text


def _restore(text: str, kept: list[str]) -> str:
    for i, value in enumerate(kept):
        text = text.replace(_PROTECT + chr(0xE100 + i) + _PROTECT, value)
    return text


def _phone_spans(text: str, region: str) -> list[tuple[int, int]]:
    import phonenumbers

    spans = []
    try:
        for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE):
            spans.append((match.start, match.end))
    except Exception:  # pragma: no cover - phonenumbers is defensive already
        logger.debug("phonenumbers failed on one text; the fallback pattern still applies")
    return spans


def _mask_phones(texts: pd.Series, region: str, counts: dict) -> pd.Series:
    """Mask phone numbers with the ``phonenumbers`` matcher, once per distinct candidate text."""
    cand = texts.notna() & texts.str.contains(_SEVEN_DIGITS_RE, regex=True)
    if not cand.any():
        return texts
    distinct = pd.unique(texts[cand])
    replaced: dict[str, str] = {}
    found: dict[str, int] = {}
    for original in distinct:  # once per distinct candidate text (few: texts with 7+ digits)
        kept: list[str] = []
        text = _protect_dates(original, kept)  # a date is not a phone number
        spans = _phone_spans(text, region)
        pieces, last = [], 0
        for start, end in spans:
            pieces.append(text[last:start])
            pieces.append(MASKS["phone"])
            last = end
        pieces.append(text[last:])
        new, k = _PHONE_FALLBACK_RE.subn(MASKS["phone"], "".join(pieces))
        text = original
        replaced[text] = _restore(new, kept)
        found[text] = len(spans) + k
    counts["phone"] += int(texts[cand].map(found).sum())
    out = texts.copy()
    out[cand] = texts[cand].map(replaced)
    return out


def _sub_counted(
    texts: pd.Series,
    pattern: re.Pattern,
    repl: str | Callable[[re.Match[str]], str],
    counts: dict,
    what: str,
    pre: pd.Series,
) -> pd.Series:
    """``texts.str.replace(pattern)`` on the rows the vectorised pre-filter ``pre`` marks, counting."""
    if not pre.any():
        return texts
    hits = [0]

    def _count(m: re.Match) -> str:
        hits[0] += 1
        return repl(m) if callable(repl) else repl

    out = texts.copy()
    out[pre] = texts[pre].str.replace(pattern, _count, regex=True)
    counts[what] += hits[0]
    return out


def scrub_text(
    texts: pd.Series,
    *,
    names: Mapping[str, str] | None = None,
    extra_names: Mapping[str, Iterable[str]] | Iterable[str] | None = None,
    phone_region: str = "US",
    roster: Roster | None = None,
) -> tuple[pd.Series, dict[str, int]]:
    """Mask URLs, e-mail addresses, IBANs, IP addresses, street addresses, postcodes, number
    plates, phone numbers, digit runs and roster names (with handles) in ``texts``.

    Returns the scrubbed texts (same index) and the number of replacements per kind.
    ``names`` maps each roster name to its replacement (a pseudonym).

    Examples
    --------
    >>> import pandas as pd
    >>> from reconnect_signals._anonymize import scrub_text
    >>> texts = pd.Series(["Sam, mail me at sam.doe@example.org or call +44 7700 900123"])
    >>> out, counts = scrub_text(texts, names={"Sam Doe": "p_0"}, phone_region="GB")
    >>> out.iloc[0]
    'p_0, mail me at [email] or call [phone]'
    >>> counts["email"], counts["phone"], counts["name"]
    (1, 1, 1)
    >>> scrub_text(pd.Series(["on 2024-03-01 from 192.168.1.20, IBAN GB82 WEST 1234 5698 7654 32, "
    ...                       "10 Downing Street, SW1A 2AA"]))[0].iloc[0]
    'on 2024-03-01 from [ip], IBAN [iban], [address], [postcode]'
    """
    counts = dict.fromkeys(_KINDS, 0)
    texts = texts.astype("str")
    present = texts.notna()
    # order matters: URLs and e-mails first (they contain names and digits), names last
    # (pseudonyms contain hex digits that must not be masked as numbers)
    pre = present & (
        texts.str.contains("://", regex=False)
        | texts.str.contains("www.", regex=False, case=False)
        | texts.str.contains(".", regex=False)
    )
    texts = _sub_counted(texts, _URL_RE, MASKS["url"], counts, "url", pre)
    pre = present & texts.str.contains("@", regex=False)
    texts = _sub_counted(texts, _EMAIL_RE, MASKS["email"], counts, "email", pre)
    pre = present & texts.str.contains(r"[A-Z]{2}[0-9]{2}", regex=True)
    if pre.any():
        out = texts.copy()
        out[pre] = texts[pre].map(lambda t: _mask_iban(t, counts)).astype("str")
        texts = out
    pre = present & texts.str.contains(r"[0-9]\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]", regex=True)
    texts = _sub_counted(texts, _IP_RE, MASKS["ip"], counts, "ip", pre)
    has_digit = present & texts.str.contains(r"[0-9]", regex=True)
    texts = _sub_counted(texts, _ADDRESS_RE, MASKS["address"], counts, "address", has_digit)
    texts = _sub_counted(texts, _POSTCODE_RE, MASKS["postcode"], counts, "postcode", has_digit)
    texts = _sub_counted(texts, _PLATE_RE, MASKS["plate"], counts, "plate", has_digit)
    texts = _mask_phones(texts, phone_region, counts)
    pre = present & texts.str.contains(r"\d{5}", regex=True)
    texts = _sub_counted(texts, _DIGITS_RE, MASKS["number"], counts, "number", pre)
    pattern, repl = _roster_patterns(
        dict(names or {}), extra_names, roster.replacements() if roster is not None else None
    )
    handles = _handle_map(dict(names or {}), roster.handles() if roster is not None else None)
    if pattern is not None and handles:
        # handles ("@Sam_Jones", "sam_j", "SamJones") contain a name part: only rows holding one
        # are tokenised, and each token is looked up (a dict, not a giant alternation)
        try:
            pre = present & texts.str.lower().str.contains(_trie_regex(list(repl)), regex=True)
        except Exception:  # RE2 refused the pattern: look everywhere
            pre = present

        def _handle(m: re.Match) -> str:
            found = handles.get(m.group(0).lower())
            if found is None:
                return m.group(0)
            counts["name"] += 1
            return found

        if pre.any():
            out = texts.copy()
            out[pre] = texts[pre].str.replace(_HANDLE_TOKEN_RE, _handle, regex=True)
            texts = out
    if pattern is not None:
        # vectorised pre-filter (pyarrow, linear-time RE2): rows containing any roster name
        # (the trie pattern on lower-cased text: RE2 handles it far faster than a case-insensitive
        # flat alternation of thousands of names)
        try:
            pre = present & texts.str.lower().str.contains(_trie_regex(list(repl)), regex=True)
        except Exception:  # RE2 refused the pattern (size, an escape): let Python's re look everywhere
            logger.debug("roster pre-filter unavailable; scanning every text")
            pre = present
        texts = _sub_counted(texts, pattern, lambda m: repl.get(m.group(0).lower(), MASKS["name"]), counts, "name", pre)
    return texts, counts


def _fresh_ids(out: pd.DataFrame, conv_map: dict) -> pd.DataFrame:
    """New message ids ``"{conversation pseudonym}:{n}"`` and ``reply_to`` mapped to them."""
    old_conv = out["conversation_id"]
    seq = out.groupby(old_conv, sort=False, dropna=False).cumcount()
    new_conv = old_conv.map(conv_map).astype("str")
    new_ids = (new_conv + ":" + seq.astype("str")).astype("str")
    if "reply_to" in out.columns:
        sep = "\x1f"
        index = pd.Index((old_conv + sep + out["message_id"]).to_numpy())
        pos = index.get_indexer((old_conv + sep + out["reply_to"]).to_numpy())
        mapped = np.where(pos >= 0, new_ids.to_numpy()[np.maximum(pos, 0)], None)
        out["reply_to"] = pd.Series(mapped, index=out.index, dtype="str")
    out["message_id"] = new_ids
    return out


def anonymize(
    msgs: pd.DataFrame,
    *,
    key: bytes | str,
    text: str = "scrub",
    extra_names: Mapping[str, Iterable[str]] | Iterable[str] | None = None,
    phone_region: str = "US",
    roster: Roster | None = None,
) -> pd.DataFrame:
    """Pseudonymise senders and conversations and scrub personal data from the text.

    Parameters
    ----------
    msgs : DataFrame
        A message frame (see :mod:`reconnect_signals.schema`), or any table with
        ``sender`` and/or ``conversation_id`` columns, such as a :func:`~reconnect_signals.cue_table`
        or :func:`~reconnect_signals.score_corpus` result (only those columns change, plus
        ``message_id``/``reply_to``/``text`` when present). It is not modified.
    key : bytes or str
        Secret key of the keyed pseudonyms (HMAC-SHA256). The same key gives the same
        pseudonyms in every run; keep it out of code and outputs (read it from an
        environment variable). It is never stored.
    text : {"scrub", "drop", "keep"}, default "scrub"
        ``"scrub"`` masks URLs (``[url]``), e-mail addresses (``[email]``), phone numbers
        (``[phone]``, found with the ``phonenumbers`` package, lenient matching), digit runs
        of five or more (``[number]``) and replaces roster names with their pseudonym.
        ``"drop"`` computes the per-message cues first (:func:`reconnect_signals.message_cues`)
        and returns only id, timing and cue columns (no ``text``). ``"keep"`` leaves the text
        as it is (only ids change).
    extra_names : mapping or iterable of str, optional
        Nicknames to replace too: ``{"Alex Smith": ["Lex", "Al"]}`` replaces them with that
        sender's pseudonym; a plain list is replaced with ``[name]``.
    phone_region : str, default "US"
        Region (ISO 3166 code) used to read phone numbers written without a country code.
    roster : Roster, optional
        A corpus-wide :class:`Roster` (built with the same key): senders get its pseudonyms
        and the text loses the names, nicknames and handles of everyone in it, including
        people who never write in this frame. This frame's senders are added to it.

    Returns
    -------
    DataFrame
        A new frame: ``conversation_id`` (``c_`` + 12 hex digits), ``sender`` (``p_`` + 12 hex
        digits), ``message_id`` (``"{conversation}:{n}"``, ``reply_to`` remapped), the
        ``source`` column removed, and ``df.attrs["reconnect_signals"]["anonymized"]`` with
        the number of replacements of each kind (no names, no key, no parse reports — those
        quote the original text).

    Notes
    -----
    Names are found with one case-insensitive alternation of the roster (each sender's
    full name and every part of it with at least three letters, plus ``extra_names``),
    bounded by non-word characters. A name part shared by two senders becomes ``[name]``.
    Only names in that roster are replaced: third persons, unlisted nicknames and
    misspellings are not. See ``docs/research.md`` for the limits.

    Examples
    --------
    >>> import pandas as pd
    >>> import reconnect_signals as rs
    >>> msgs = rs.coerce(pd.DataFrame({
    ...     "timestamp": ["2024-05-01 09:00", "2024-05-01 09:05"],
    ...     "sender": ["Alex Smith", "Sam Jones"],
    ...     "text": ["Morning Sam! new number: 07700 900123", "hi Alex, see www.example.com"],
    ... }))
    >>> anon = rs.anonymize(msgs, key="a-long-secret-key-for-the-example", phone_region="GB")
    >>> anon["sender"].str.match(r"p_[0-9a-f]{12}$").all()
    np.True_
    >>> anon["text"].iloc[0] == f"Morning {anon['sender'].iloc[1]}! new number: [phone]"
    True
    >>> anon["text"].iloc[1].endswith(", see [url]")
    True
    >>> anon.attrs["reconnect_signals"]["anonymized"]["names"]
    2
    """
    if text not in _TEXT_MODES:
        raise ValueError(f"text must be one of {_TEXT_MODES}, got {text!r}")
    present = [c for c in ("conversation_id", "message_id", "sender") if c in msgs.columns]
    if "message_id" in present and "conversation_id" not in present:
        present.append("conversation_id")  # ids are renumbered per conversation
    if not {"conversation_id", "sender"} & set(present):
        present = ["conversation_id", "sender"]  # nothing to pseudonymise: let validate say so
    validate(msgs, columns=present)
    kb = _key_bytes(key)
    out = msgs.copy(deep=False)
    out.attrs = {}
    sender_map: dict = {}
    conv_map: dict = {}
    if "sender" in msgs.columns:
        people = roster if roster is not None else Roster(kb)
        distinct = pd.unique(msgs["sender"].dropna())
        people.add(distinct.tolist())  # case and Unicode variants of a name: one person
        sender_map = people.mapping(distinct)
        out["sender"] = msgs["sender"].map(sender_map).astype("str")
    if "conversation_id" in msgs.columns:
        convs, conv_map = _map_distinct(msgs["conversation_id"], kb, "c_", "conversation")
        if "message_id" in msgs.columns:
            out = _fresh_ids(out, conv_map)
        out["conversation_id"] = convs
    if "source" in out.columns:
        out = out.drop(columns="source")
    counts = dict.fromkeys(_KINDS, 0)
    changed = 0
    if text == "scrub" and "text" in out.columns:
        scrubbed, counts = scrub_text(
            msgs["text"], names=sender_map, extra_names=extra_names, phone_region=phone_region, roster=roster
        )
        before = msgs["text"].astype("str")
        changed = int((scrubbed.ne(before) & before.notna()).sum())
        out["text"] = scrubbed
    elif text == "drop":
        from .cues import message_cues

        cues = message_cues(msgs)
        extra = [c for c in cues.columns if c not in msgs.columns]
        out = pd.concat([out, cues[extra]], axis=1)
        out = out.drop(columns=[c for c in ("text",) if c in out.columns])
    report = {
        "text": text,
        "senders": len(sender_map),
        "conversations": len(conv_map),
        "names": counts["name"],
        "phones": counts["phone"],
        "emails": counts["email"],
        "urls": counts["url"],
        "numbers": counts["number"],
        "ibans": counts["iban"],
        "ips": counts["ip"],
        "addresses": counts["address"],
        "postcodes": counts["postcode"],
        "plates": counts["plate"],
        "messages_changed": changed,
    }
    logger.info("anonymize: %s", report)
    out.attrs = {"reconnect_signals": {"anonymized": report}}
    return out
