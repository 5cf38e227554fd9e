"""Shared input hygiene: bounded reads, safe in-memory zip access and text decoding.

Chat exports are hostile input. Nothing here writes to disk: zip members are read into
memory with limits on size, compression ratio and member count, and member names that
try to escape (``../``, absolute paths) are refused.
"""

from __future__ import annotations

import codecs
import contextvars
import io
import lzma
import os
import stat
import weakref
import zipfile
import zlib
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from ..errors import LimitExceeded, ParseError

if TYPE_CHECKING:  # pragma: no cover
    from ._api import ChatSource

__all__ = ["Limits", "DEFAULT_LIMITS", "Source", "decode_bytes", "INVISIBLE_MARKS"]

#: Direction marks and BOMs WhatsApp and others sprinkle into generated text.
INVISIBLE_MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"


@dataclass(frozen=True)
class Limits:
    """Safety limits for reading one input. Raise one when you trust a larger file.

    Attributes
    ----------
    max_bytes : int
        Largest file (or zip member, decompressed) read into memory.
    max_ratio : float
        Largest decompressed/compressed size ratio of a zip member (zip bombs).
    max_members : int
        Most members a zip archive may list.
    max_total_bytes : int
        Most bytes decompressed from one archive in all.
    """

    max_bytes: int = 4 * 1024**3
    max_ratio: float = 200.0
    max_members: int = 200_000
    max_total_bytes: int = 8 * 1024**3

    def with_(self, **changes: int) -> Limits:
        """A copy with ``changes`` applied (``limits.with_(max_bytes=2**30)``)."""
        return replace(self, **changes)


DEFAULT_LIMITS = Limits()

_ZIP_MAGIC = b"PK\x03\x04"
# what a damaged, encrypted or exotic archive raises inside zipfile/zlib
#: The largest LZMA dictionary a zip member may ask for (xz's preset 9 uses 64 MiB). The decompressor
#: allocates the dictionary its header declares before reading a byte, so a forged header is a memory
#: bomb of 4 GiB in a few bytes (found by fuzzing the Slack reader).
_MAX_LZMA_DICTIONARY = 64 << 20


def _lzma_dictionary_size(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> int | None:
    """The dictionary size in an LZMA zip member's properties header (None when it cannot be read).

    Layout (APPNOTE 5.8.8): the local file header (30 bytes + name + extra), then the member's data,
    which for LZMA starts with a 2-byte version, a 2-byte properties size and 5 properties bytes
    (lc/lp/pb, then the little-endian 32-bit dictionary size).
    """
    fp = zf.fp
    if fp is None or info.header_offset < 0:  # a damaged central directory: zf.open says what is wrong
        return None
    here = fp.tell()
    try:
        fp.seek(info.header_offset)
        head = fp.read(30)
        if len(head) < 30 or head[:4] != b"PK\x03\x04":
            return None
        skip = int.from_bytes(head[26:28], "little") + int.from_bytes(head[28:30], "little")
        fp.seek(info.header_offset + 30 + skip)
        props = fp.read(9)
        if len(props) < 9:
            return None
        return int.from_bytes(props[5:9], "little")
    finally:
        fp.seek(here)


_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    NotImplementedError,
    RuntimeError,
    EOFError,
    ValueError,
    OSError,
    lzma.LZMAError,
)  # a damaged LZMA member raises LZMAError (found by fuzzing)
_EMPTY_ZIP_MAGIC = b"PK\x05\x06"


def _safe_member_name(name: str) -> bool:
    if not name or "\x00" in name:
        return False
    p = PurePosixPath(name.replace("\\", "/"))
    if p.is_absolute() or (len(name) > 1 and name[1] == ":"):
        return False
    return ".." not in p.parts


class Source:
    """One input: a file, a folder, raw bytes or a binary file object.

    Parameters
    ----------
    source : str, os.PathLike, bytes or binary file object
    name : str, optional
        Display name (defaults to the file name, or ``"<bytes>"``).
    limits : Limits, optional
    """

    def __init__(self, source: ChatSource, *, name: str | None = None, limits: Limits | None = None) -> None:
        self.limits = limits or DEFAULT_LIMITS
        self.path: Path | None = None
        self._data: bytes | None = None
        if isinstance(source, Source):
            self.path, self._data, self.limits = source.path, source._data, limits or source.limits
            name = name or source.name
        elif isinstance(source, (str, os.PathLike)):
            self.path = Path(source).expanduser()
            if not self.path.exists():
                raise FileNotFoundError(f"no such file or folder: {str(self.path)!r}; check the path (or pass bytes)")
        elif isinstance(source, (bytes, bytearray, memoryview)):
            self._data = bytes(source)
        elif hasattr(source, "read"):
            self._data = self._read_stream(source)
            name = name or getattr(source, "name", None)
        else:
            raise TypeError(f"cannot read a {type(source).__name__}; pass a path, bytes or a binary file object")
        if name is None:
            name = self.path.name if self.path is not None else "<bytes>"
        self.name: str = str(name)

    # -- basic facts ---------------------------------------------------------------
    def _read_stream(self, stream) -> bytes:
        data = stream.read(self.limits.max_bytes + 1)
        if isinstance(data, str):
            data = data.encode("utf-8")
        if len(data) > self.limits.max_bytes:
            raise LimitExceeded(
                f"input is larger than {self.limits.max_bytes} bytes; pass "
                "limits=rs.io.Limits(max_bytes=...) if you trust it"
            )
        return data

    @property
    def is_dir(self) -> bool:
        """True when the source is a folder on disk."""
        return self.path is not None and self.path.is_dir()

    @property
    def on_disk(self) -> Path:
        """The file or folder on disk (:attr:`path`); a ValueError for a source held in memory."""
        if self.path is None:
            raise ValueError(f"{self.name} is held in memory, not a file or folder on disk")
        return self.path

    @property
    def suffix(self) -> str:
        """The lower-case file suffix of the source's name (``".txt"``), or ``""``."""
        return Path(self.name).suffix.lower()

    @property
    def size(self) -> int:
        """Size in bytes (of the file, the in-memory data, or 0 for a folder)."""
        if self._data is not None:
            return len(self._data)
        if self.path is not None and self.path.is_file():
            return self.path.stat().st_size
        return 0

    def head(self, n: int = 65536) -> bytes:
        """The first ``n`` bytes (empty for folders)."""
        if self._data is not None:
            return self._data[:n]
        if self.path is None or not self.path.is_file():
            return b""
        with open(self.path, "rb") as fh:
            return fh.read(n)

    def read_bytes(self) -> bytes:
        """The whole file, refusing files over ``limits.max_bytes``."""
        if self._data is not None:
            return self._data
        if self.path is None or self.is_dir:
            raise ParseError(f"{self.name} is a folder; pass one of the files inside it")
        st = self.path.stat()
        if not stat.S_ISREG(st.st_mode):
            raise ParseError(f"{self.name} is not a regular file")
        if st.st_size > self.limits.max_bytes:
            raise LimitExceeded(
                f"{self.name} is {st.st_size} bytes, over the {self.limits.max_bytes}-byte limit; "
                "pass limits=rs.io.Limits(max_bytes=...) if you trust it"
            )
        with open(self.path, "rb") as fh:  # sized read: no limit-sized buffer for a small file
            data = fh.read(st.st_size + 1)
            if len(data) > st.st_size:  # the file grew since stat()
                data += fh.read(self.limits.max_bytes + 1 - len(data))
            return data

    # -- zip archives -----------------------------------------------------------------
    @property
    def is_zip(self) -> bool:
        """True when the source starts like a zip archive."""
        return self.head(4) in (_ZIP_MAGIC, _EMPTY_ZIP_MAGIC)

    @cached_property
    def _zip(self) -> zipfile.ZipFile:
        fileobj = io.BytesIO(self._data) if self._data is not None else open(self.on_disk, "rb")  # noqa: SIM115
        try:
            zf = zipfile.ZipFile(fileobj)
        except _ZIP_ERRORS as exc:
            fileobj.close()
            raise ParseError(f"{self.name} is not a readable zip archive ({exc}); re-export it") from exc
        weakref.finalize(self, fileobj.close)  # the file is closed when the Source goes away
        infos = zf.infolist()
        if len(infos) > self.limits.max_members:
            raise LimitExceeded(f"{self.name} lists {len(infos)} members, over the limit of {self.limits.max_members}")
        bad = [i.filename for i in infos if not _safe_member_name(i.filename)]
        if bad:
            raise ParseError(
                f"{self.name} contains unsafe member names (path traversal or absolute paths), "
                f"e.g. {bad[0]!r}; refusing the archive. Re-export it from the app."
            )
        self._zip_total = 0
        return zf

    def close(self) -> None:
        """Close the archive, if one was opened (also done when the Source is garbage-collected)."""
        zf = self.__dict__.pop("_zip", None)
        if zf is not None:
            fp = zf.fp
            zf.close()
            if fp is not None:
                fp.close()

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def zip_names(self) -> list[str]:
        """Member names of a zip archive (folders excluded)."""
        return [i.filename for i in self._zip.infolist() if not i.is_dir()]

    def read_member(self, name: str) -> bytes:
        """Decompress one member into memory, enforcing size, ratio and total limits.

        The declared sizes in the archive are not trusted: the member is inflated in
        chunks and reading stops as soon as a limit is passed.
        """
        zf = self._zip
        info = zf.getinfo(name)
        lim = self.limits
        budget = min(lim.max_bytes, lim.max_total_bytes - self._zip_total)
        ratio_cap = max(lim.max_ratio * max(info.compress_size, 1), 1 << 20)
        cap = min(budget, ratio_cap)
        if info.file_size > cap:
            raise LimitExceeded(self._limit_message(name, info.file_size))
        if info.compress_type == zipfile.ZIP_LZMA:
            window = _lzma_dictionary_size(zf, info)
            if window is not None and window > _MAX_LZMA_DICTIONARY:
                raise LimitExceeded(
                    f"zip member {name!r} of {self.name} asks for a {window:,}-byte LZMA dictionary to be "
                    f"decompressed (more than {_MAX_LZMA_DICTIONARY:,}, the largest any xz preset uses): the archive "
                    "is damaged or crafted; export the chat again"
                )
        chunks, got = [], 0
        try:
            with zf.open(info) as fh:
                while True:
                    chunk = fh.read(1 << 20)
                    if not chunk:
                        break
                    got += len(chunk)
                    if got > cap:
                        raise LimitExceeded(self._limit_message(name, got))
                    chunks.append(chunk)
        except _ZIP_ERRORS as exc:
            raise ParseError(
                f"zip member {name!r} of {self.name} cannot be read ({type(exc).__name__}: {exc}): the archive "
                "is damaged, encrypted or uses an unsupported compression; export the chat again"
            ) from None
        self._zip_total += got
        return b"".join(chunks)

    def _limit_message(self, name: str, size: int) -> str:
        return (
            f"zip member {name!r} of {self.name} inflates to more than its allowed size "
            f"({size} bytes seen; limits: ratio {self.limits.max_ratio:g}, "
            f"{self.limits.max_bytes} bytes): it looks like a zip bomb. If you trust the file, "
            "pass limits=rs.io.Limits(max_ratio=..., max_bytes=...)"
        )

    def __repr__(self) -> str:
        return f"Source({self.name!r})"


# -- decoding -------------------------------------------------------------------------

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def _guess_bomless_utf16(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nul > 0.3 * half and even_nul < 0.05 * half:
        return "utf-16-le"
    if even_nul > 0.3 * half and odd_nul < 0.05 * half:
        return "utf-16-be"
    return None


_BAD_OFFSETS: contextvars.ContextVar[list[int]] = contextvars.ContextVar("rs_bad_offsets")


def _collect_bad_bytes(exc: UnicodeDecodeError) -> tuple[str, int]:
    _BAD_OFFSETS.get([]).append(exc.start)
    return "\ufffd", exc.end


# typeshed types every handler for UnicodeError; this one is only used for decoding
codecs.register_error("reconnect_signals_collect", _collect_bad_bytes)  # type: ignore[arg-type]


def decode_bytes(data: bytes, report=None) -> tuple[str, str]:
    """Decode an export to text; return ``(text, encoding)``.

    UTF-8 (with or without BOM), UTF-16 and UTF-32 with a BOM, and BOM-less UTF-16 are
    recognised. Undecodable bytes are replaced by U+FFFD and each is reported (with its
    byte offset) as a notice on ``report``. CRLF becomes LF.
    """
    encoding = None
    for bom, enc in _BOMS:
        if data.startswith(bom):
            data, encoding = data[len(bom) :], enc
            break
    if encoding is None:
        encoding = _guess_bomless_utf16(data) or "utf-8"
    bad: list[int] = []
    token = _BAD_OFFSETS.set(bad)
    try:
        text = data.decode(encoding, errors="reconnect_signals_collect")
    finally:
        _BAD_OFFSETS.reset(token)
    if bad and report is not None:
        shown = ", ".join(str(b) for b in bad[:10])
        more = f" (+{len(bad) - 10} more)" if len(bad) > 10 else ""
        report.notice(
            f"{len(bad)} undecodable byte sequences in {encoding} replaced by U+FFFD at byte offsets {shown}{more}"
        )
        report.decisions["undecodable_offsets"] = bad[:1000]
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    return text, encoding
