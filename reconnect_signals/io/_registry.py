"""The parser registry: every reader registers a :class:`ParserSpec` at import.

Parser modules are the public (non-underscore) modules of ``reconnect_signals.io``;
:func:`load_parsers` imports them all once, so a new format plugs in by adding a module,
without touching :func:`read_chat`, the CLI or the tests.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from ..errors import UnknownFormat
from ..schema import register_platform
from ._text import Limits, Source

__all__ = ["ParserSpec", "ReadOptions", "register", "get_parser", "load_parsers", "specs"]


@dataclass(frozen=True)
class ReadOptions:
    """Options every reader receives (format-specific ones are in ``extra``)."""

    tz: str | None = None
    date_order: str | None = None
    errors: str = "warn"
    conversation_id: str | None = None
    limits: Limits | None = None
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ParserSpec:
    """A registered reader.

    Attributes
    ----------
    name : str
        The ``format=`` name (``"whatsapp"``).
    platform : str
        The ``platform`` category its rows get.
    description : str
        What is read, one line.
    patterns : tuple of str
        File name patterns of the export (``"*.txt"``, ``"result.json"``).
    where : str
        Where a person finds the export on their phone or computer.
    sniff : callable
        ``sniff(source) -> float`` in [0, 1]: how sure the reader is that it can read
        ``source``. Must only look at ``source.head()``, names and folder listings.
    read : callable
        ``read(source, options) -> (frame, [ParseReport, ...])``.
    options : tuple of str
        Format-specific keyword options ``read_chat`` passes through in ``options.extra``.
    """

    name: str
    platform: str
    description: str
    patterns: tuple[str, ...]
    where: str
    sniff: Callable[[Source], float]
    read: Callable[[Source, ReadOptions], tuple[pd.DataFrame, list]]
    options: tuple[str, ...] = ()


_SPECS: dict[str, ParserSpec] = {}
_LOADED = False


def register(spec: ParserSpec) -> ParserSpec:
    """Add a reader to the registry (called by each parser module at import).

    The reader's ``platform`` becomes a category of :data:`reconnect_signals.schema.PLATFORMS`.

    Parameters
    ----------
    spec : ParserSpec
        The reader: name, platform, patterns, ``sniff`` and ``read``.

    Returns
    -------
    ParserSpec
        ``spec``, unchanged.
    """
    register_platform(spec.platform)
    _SPECS[spec.name] = spec
    return spec


def load_parsers() -> None:
    """Import every parser module of ``reconnect_signals.io`` (once)."""
    global _LOADED
    if _LOADED:
        return
    from .. import io as package

    for mod in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if not mod.name.startswith("_"):
            importlib.import_module(f"{package.__name__}.{mod.name}")
    _LOADED = True


def specs() -> dict[str, ParserSpec]:
    """All registered readers by name."""
    load_parsers()
    return dict(sorted(_SPECS.items()))


def get_parser(name: str) -> ParserSpec:
    """The reader called ``name``; raises :class:`UnknownFormat` naming the choices."""
    all_specs = specs()
    try:
        return all_specs[name]
    except KeyError:
        raise UnknownFormat(
            f"unknown format {name!r}; choose one of {sorted(all_specs)} (see rs.list_formats())"
        ) from None
