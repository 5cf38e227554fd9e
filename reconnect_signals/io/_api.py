"""``read_chat`` and friends: the public entry points of the readers."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import pandas as pd

from ..errors import LimitExceeded, ParseError, UnknownFormat
from ..schema import coerce, empty_frame, validate
from ._registry import ReadOptions, get_parser, specs
from ._report import ParseReport, ParseReports, attach, finish, get_report
from ._text import Limits, Source

__all__ = [
    "read_chat",
    "read_chats",
    "detect_format",
    "list_formats",
    "parse_report",
    "expand_sources",
    "check_tz",
    "read_options",
]

#: What the readers accept as a source: a path (file, folder, zip), the bytes of an export, a
#: binary file object, or a :class:`~reconnect_signals.io.Source`.
ChatSource = str | os.PathLike | bytes | bytearray | memoryview | IO[bytes] | Source

#: Keyword options :func:`read_chat` takes for every format (a reader adds its own).
COMMON_READ_OPTIONS: tuple[str, ...] = ("date_order", "errors", "conversation_id", "limits")

_DATE_ORDERS = {"DMY", "MDY", "YMD", "YDM", None}


def list_formats() -> pd.DataFrame:
    """The registered formats: name, platform, file patterns, what is read and where to find it.

    Returns
    -------
    DataFrame
        One row per registered reader.

    Examples
    --------
    >>> import reconnect_signals as rs
    >>> formats = rs.list_formats()
    >>> list(formats.columns)
    ['format', 'platform', 'patterns', 'description', 'where']
    """
    rows = [
        {
            "format": s.name,
            "platform": s.platform,
            "patterns": ", ".join(s.patterns),
            "description": s.description,
            "where": s.where,
        }
        for s in specs().values()
    ]
    return pd.DataFrame(rows, columns=["format", "platform", "patterns", "description", "where"])


def detect_format(source: ChatSource, *, limits: Limits | None = None) -> str:
    """Name the format of ``source`` by asking every registered reader to sniff it.

    Parameters
    ----------
    source : path, bytes or file object
        The export (a file, a folder or a zip archive).
    limits : Limits, optional
        Size limits of what is opened (default :class:`~reconnect_signals.io.Limits`).

    Returns
    -------
    str
        The ``format=`` name of the reader that claims ``source``.

    Raises
    ------
    UnknownFormat
        When no reader claims the input, or two claim it equally (pass ``format=``).

    Examples
    --------
    >>> import reconnect_signals as rs
    >>> from reconnect_signals.datasets import example_path
    >>> rs.detect_format(example_path())
    'whatsapp'
    """
    src = source if isinstance(source, Source) else Source(source, limits=limits)
    scores = []
    try:
        if src.is_zip:
            src.zip_names()  # an unsafe, oversized or damaged archive is refused with its reason
        for spec in specs().values():
            try:
                score = float(spec.sniff(src))
            except LimitExceeded:
                raise  # a bomb says so, instead of "no reader recognises it"
            except (OSError, ValueError, ParseError):
                score = 0.0
            if score > 0:
                scores.append((score, spec.name))
    finally:
        if src is not source:
            src.close()
    if not scores:
        raise UnknownFormat(
            f"no reader recognises {src.name!r}; pass format= with one of "
            f"{sorted(specs())} (rs.list_formats() says what each reads)"
        )
    scores.sort(reverse=True)
    if len(scores) > 1 and scores[0][0] == scores[1][0]:
        tied = [n for s, n in scores if s == scores[0][0]]
        raise UnknownFormat(f"{src.name!r} could be any of {tied}; pass format= to choose")
    return scores[0][1]


def read_chat(
    source: ChatSource,
    format: str = "auto",
    *,
    tz: str | None = None,
    date_order: str | None = None,
    errors: str = "warn",
    conversation_id: str | None = None,
    limits: Limits | None = None,
    **options: Any,
) -> pd.DataFrame:
    """Read one chat export into a message frame.

    Parameters
    ----------
    source : str, path, bytes or binary file object
        The export: a file (``.txt``, ``.zip``, ``.json``, ``.xml``, ``.db``, ``.csv``, ...) or
        a folder when the format is a folder (Slack, Messenger).
    format : str, default "auto"
        A name from :func:`list_formats`, or ``"auto"`` to sniff the content.
    tz : str, optional
        IANA time zone of wall-clock sources (WhatsApp, CSV without offsets). Without it the
        wall clock is labelled UTC and the assumption recorded in ``df.attrs``. Sources that
        store instants are converted to ``tz`` for display when it is given.
    date_order : {"DMY", "MDY", "YMD"}, optional
        Day/month order for formats that write dates ambiguously; decided once per file
        from all its dates when not given.
    errors : {"warn", "raise", "ignore"}, default "warn"
        What to do with input that cannot be placed: ``"warn"`` keeps every good row, puts
        the report in ``df.attrs`` and emits one :class:`~reconnect_signals.errors.ParseWarning`;
        ``"raise"`` raises :class:`~reconnect_signals.errors.ParseError`; ``"ignore"`` only
        records the report.
    conversation_id : str, optional
        Override the conversation id (default: the platform's id or a hash of the source).
    limits : Limits, optional
        Safety limits (file size, zip ratio); see :class:`reconnect_signals.io.Limits`.
    **options
        Format-specific options (for example ``chat=`` for Telegram account exports or
        ``columns=`` for tables); unknown ones raise ``TypeError``.

    Returns
    -------
    DataFrame
        The message frame (see :mod:`reconnect_signals.schema`); the parse report is in
        ``df.attrs["reconnect_signals"]["reports"]`` and via :func:`parse_report`.

    Examples
    --------
    >>> import reconnect_signals as rs
    >>> from reconnect_signals.datasets import example_path
    >>> msgs = rs.read_chat(example_path(), tz="Europe/London")
    >>> msgs["platform"].iloc[0]
    'whatsapp'
    >>> str(msgs["timestamp"].dt.tz)
    'Europe/London'
    """
    if date_order is not None:
        date_order = str(date_order).upper()
    if date_order not in _DATE_ORDERS:
        raise ValueError(f"date_order must be 'DMY', 'MDY' or 'YMD', got {date_order!r}")
    if errors not in ("warn", "raise", "ignore"):
        raise ValueError(f"errors must be 'warn', 'raise' or 'ignore', got {errors!r}")
    if tz is not None:
        _check_tz(tz)
    src = source if isinstance(source, Source) else Source(source, limits=limits)
    name = detect_format(src) if format == "auto" else format
    spec = get_parser(name)
    unknown = set(options) - set(spec.options)
    if unknown:
        raise TypeError(
            f"format {spec.name!r} does not take {sorted(unknown)}; it takes {list(spec.options) or 'no extra options'}"
        )
    opts = ReadOptions(tz, date_order, errors, conversation_id, limits, dict(options))
    try:
        frame, reports = spec.read(src, opts)
    finally:
        if src is not source:
            src.close()
    frame = coerce(frame) if len(frame) else _empty_like(frame, tz)
    if conversation_id is not None:
        frame["conversation_id"] = conversation_id
    validate(frame)
    finish(reports, errors, stacklevel=3)
    hints: dict[str, str | None] = {"format": spec.name, "source": src.name}
    if tz is None and any(r.decisions.get("tz_assumed") for r in reports):
        hints["tz_assumed"] = "UTC"
    else:
        hints["tz"] = tz
    return attach(frame, reports, **hints)


def _empty_like(frame: pd.DataFrame, tz: str | None) -> pd.DataFrame:
    from ..schema import OPTIONAL_COLUMNS

    return empty_frame(tz or "UTC", optional=[c for c in frame.columns if c in OPTIONAL_COLUMNS])


def _check_tz(tz: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {tz!r}; pass an IANA name such as 'Europe/Berlin' or 'America/New_York'"
        ) from None


def check_tz(tz: str) -> None:
    """Raise ``ValueError`` (naming the fix) unless ``tz`` is a known IANA time zone.

    Parameters
    ----------
    tz : str
        An IANA time zone name such as ``"Europe/Berlin"``.

    Raises
    ------
    ValueError
        When ``tz`` is not a known time zone (the message names a fix).

    Examples
    --------
    >>> from reconnect_signals.io import check_tz
    >>> check_tz("Europe/Berlin") is None
    True
    """
    _check_tz(tz)


def expand_sources(sources: ChatSource | Iterable[ChatSource]) -> list:
    """The sources :func:`read_chats` reads for ``sources``: a file, a folder's entries (unless a
    reader claims the whole folder, as for Slack or Messenger), a glob's matches, or each item
    of a list (in-memory bytes and file objects pass through unchanged).

    Parameters
    ----------
    sources : path, glob, folder, bytes, file object or iterable of them
        What :func:`read_chats` was given.

    Returns
    -------
    list
        The sources to read, one per export.

    Examples
    --------
    >>> from reconnect_signals.datasets import example_path
    >>> from reconnect_signals.io import expand_sources
    >>> expand_sources(example_path()) == [example_path()]
    True
    """
    if isinstance(sources, (bytes, bytearray, memoryview)) or hasattr(sources, "read"):
        return [sources]
    return _expand(sources)


def read_options(format: str = "auto") -> tuple[str, ...]:
    """The keyword options :func:`read_chat` accepts for ``format`` (every reader's for ``"auto"``).

    Parameters
    ----------
    format : str, default "auto"
        A format name of :func:`list_formats`.

    Returns
    -------
    tuple of str
        The option names.

    Examples
    --------
    >>> from reconnect_signals.io import read_options
    >>> "date_order" in read_options("whatsapp")
    True
    """
    allowed = set(COMMON_READ_OPTIONS)
    if format == "auto":
        for spec in specs().values():
            allowed |= set(spec.options)
    else:
        allowed |= set(get_parser(format).options)
    return tuple(sorted(allowed))


def _expand(sources: ChatSource | Iterable[ChatSource]) -> list:
    """Files to read: a file, a folder's entries (unless a reader claims the folder), a glob, or a list."""
    if isinstance(sources, (str, os.PathLike)):
        p = Path(sources)
        if p.is_dir():
            # a folder that one reader claims as a whole (Slack, Messenger) is one source
            try:
                detect_format(p)
                return [p]
            except UnknownFormat:
                pass
            return sorted(c for c in p.iterdir() if not c.name.startswith("."))
        if not p.exists() and any(ch in str(sources) for ch in "*?["):
            return sorted(Path(m) for m in glob.glob(str(p.expanduser())))
        return [p]
    if isinstance(sources, Iterable) and not isinstance(sources, (bytes, bytearray)):
        out: list = []
        for s in sources:
            out.extend(_expand(s) if isinstance(s, (str, os.PathLike)) else [s])
        return out
    return [sources]


def read_chats(
    sources: ChatSource | Iterable[ChatSource],
    format: str = "auto",
    *,
    tz: str | None = None,
    date_order: str | None = None,
    errors: str = "warn",
    on_error: str = "raise",
    progress: bool | None = None,
    limits: Limits | None = None,
    **options: Any,
) -> pd.DataFrame:
    """Read several exports (a list, a glob or a folder) into one message frame.

    Each source keeps its own ``conversation_id`` (sources that hold several
    conversations, such as a Telegram account export, keep theirs).

    Parameters
    ----------
    sources : path, glob, folder or list of them
        The exports to read.
    format : str, default "auto"
        As in :func:`read_chat` (one format for every source, or detected per source).
    tz, date_order, errors, limits
        As in :func:`read_chat`, applied to every source.
    on_error : {"raise", "skip"}, default "raise"
        ``"skip"`` records a file that cannot be read at all (unknown format, broken
        archive) in ``df.attrs["reconnect_signals"]["failed"]`` and goes on.
    progress : bool, optional
        Show a progress bar (default: only on a terminal).
    **options
        Format-specific options, as in :func:`read_chat`.

    Returns
    -------
    DataFrame
        One message frame with the messages of every source.

    Examples
    --------
    >>> import reconnect_signals as rs
    >>> from reconnect_signals.datasets import example_path
    >>> both = rs.read_chats([example_path(), example_path()])
    >>> both["conversation_id"].nunique()
    1
    """
    from tqdm import tqdm  # plain bar: tqdm.auto warns in notebooks without ipywidgets

    items = _expand(sources)
    if not items:
        raise FileNotFoundError(f"no exports found in {sources!r}; check the path or glob")
    frames, reports, failed = [], [], []
    for item in tqdm(items, desc="reading", unit="file", disable=None if progress is None else not progress):
        try:
            df = read_chat(item, format, tz=tz, date_order=date_order, errors=errors, limits=limits, **options)
        except (ParseError, UnknownFormat, OSError) as exc:
            if on_error == "raise":
                raise
            failed.append({"source": str(item), "error": f"{type(exc).__name__}: {exc}"})
            continue
        reports.extend(get_report(df))
        frames.append(df)
    if not frames:
        out = empty_frame(tz or "UTC")
    else:
        zones = {str(f["timestamp"].dt.tz) for f in frames}
        if len(zones) > 1:  # never mix zones silently: instants are kept, shown in UTC
            frames = [f.assign(timestamp=f["timestamp"].dt.tz_convert("UTC")) for f in frames]
        out = coerce(pd.concat(frames, ignore_index=True))  # optional columns some sources lack
    out.attrs = {}
    return attach(out, reports, failed=failed, tz=tz)


def parse_report(msgs: pd.DataFrame) -> ParseReport | ParseReports:
    """The parse report(s) stored on a frame returned by :func:`read_chat`.

    One report for a single source; for :func:`read_chats` of several sources a list of
    reports (:class:`ParseReports`) that has the same ``summary()``, ``accounted()`` and
    ``to_frame()``.

    Parameters
    ----------
    msgs : DataFrame
        A frame returned by :func:`read_chat` or :func:`read_chats`.

    Returns
    -------
    ParseReport or list of ParseReport
        What was read, skipped and reported, per source.

    Examples
    --------
    >>> import reconnect_signals as rs
    >>> report = rs.parse_report(rs.load_example())
    >>> report.accounted()
    True
    """
    reports = get_report(msgs)
    if not reports:
        raise ValueError("this frame carries no parse report (was it made by rs.read_chat?)")
    return reports[0] if len(reports) == 1 else ParseReports(reports)
