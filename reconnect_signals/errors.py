"""Exceptions raised by reconnect_signals.

Every exception derives from :class:`ReconnectSignalsError`, so callers can catch
the library's errors in one place. Each message says what went wrong *and* how to
fix it.
"""

from __future__ import annotations

__all__ = [
    "ReconnectSignalsError",
    "ParseError",
    "AmbiguousDateOrder",
    "SchemaError",
    "LimitExceeded",
    "UnknownFormat",
]


class ReconnectSignalsError(Exception):
    """Base class of every error raised by reconnect_signals."""


class ParseError(ReconnectSignalsError, ValueError):
    """An export could not be read (or, with ``errors="raise"``, had bad lines).

    ``problems`` holds the parse report's problem records when there are any.
    """

    def __init__(self, message: str, problems: list | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems or [])


class AmbiguousDateOrder(ParseError):
    """Every date in a file fits both day-first and month-first readings.

    Pass ``date_order="DMY"`` or ``date_order="MDY"`` to :func:`read_chat`.
    """


class SchemaError(ReconnectSignalsError, ValueError):
    """A frame is not a valid message frame; the message lists every problem."""


class LimitExceeded(ReconnectSignalsError, ValueError):
    """An input exceeds a safety limit (size, compression ratio, member count)."""


class UnknownFormat(ReconnectSignalsError, ValueError):
    """No registered reader recognises the input; pass ``format=`` explicitly."""


class ParseWarning(UserWarning):
    """Emitted once per read when lines or records were not placed (``errors="warn"``)."""


__all__ += ["ParseWarning"]
