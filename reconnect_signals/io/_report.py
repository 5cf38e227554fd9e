"""The parse report: every input line or record accounted for."""

from __future__ import annotations

import json
import warnings
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from ..errors import ParseError, ParseWarning

__all__ = ["Problem", "ParseReport", "finish", "attach", "get_report"]

_EXCERPT = 80
_LISTED = 1000  # problems kept verbatim in the report; the rest are only counted


@dataclass
class Problem:
    """One line or record that could not be placed in a message.

    ``line`` is the 1-based line number for text formats or the 0-based record index for
    record formats (see :attr:`ParseReport.units`); ``location`` names the file, zip member
    or JSON path when a source has several.
    """

    line: int | None
    reason: str
    excerpt: str = ""
    location: str | None = None

    def __str__(self) -> str:
        where = f"{self.location}:" if self.location else ""
        at = f"{where}{self.line}" if self.line is not None else (self.location or "?")
        ex = f": {self.excerpt!r}" if self.excerpt else ""
        return f"{at}: {self.reason}{ex}"


@dataclass
class ParseReport:
    """What a reader did with every line (or record) of its input.

    The invariant ``total == messages + continuations + skipped + unplaced`` holds for
    every report a reader returns (:meth:`accounted`): each input unit started a message,
    was appended to one, was deliberately skipped (``skipped_reasons`` says why, e.g.
    blank lines between records), or is listed in :attr:`problems`.

    ``notices`` are remarks about rows that *were* kept (out-of-order lines, time-zone
    guesses, the date-order decision, replaced undecodable bytes).
    """

    source: str
    format: str
    units: str = "lines"
    total: int = 0
    messages: int = 0
    continuations: int = 0
    skipped: int = 0
    skipped_reasons: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    unplaced: int = 0
    notices: list[str] = field(default_factory=list)
    decisions: dict[str, Any] = field(default_factory=dict)

    def add_problem(
        self, line: int | None, reason: str, excerpt: object = "", location: str | None = None, count: int = 1
    ) -> None:
        """Record ``count`` units (starting at ``line``) that could not be placed."""
        self.unplaced += count
        if len(self.problems) < _LISTED:
            self.problems.append(Problem(line, reason, str(excerpt)[:_EXCERPT], location))

    def skip(self, reason: str, n: int = 1) -> None:
        """Record ``n`` units deliberately skipped for ``reason``."""
        if n:
            self.skipped += n
            self.skipped_reasons[reason] = self.skipped_reasons.get(reason, 0) + n

    def notice(self, text: str) -> None:
        """Record a remark about kept rows (listed once each)."""
        if len(self.notices) < _LISTED and text not in self.notices:
            self.notices.append(text)

    def accounted(self) -> bool:
        """True when every input unit is a message, a continuation, skipped or a problem."""
        return self.total == self.messages + self.continuations + self.skipped + self.unplaced

    def summary(self) -> str:
        """One paragraph a person can read."""
        parts = [f"{self.source} ({self.format}): {self.total} {self.units} -> {self.messages} messages"]
        if self.continuations:
            parts.append(f"{self.continuations} continuation lines")
        if self.skipped:
            why = ", ".join(f"{k}: {v}" for k, v in sorted(self.skipped_reasons.items()))
            parts.append(f"{self.skipped} skipped ({why})")
        if self.unplaced:
            first = "; ".join(str(p) for p in self.problems[:3])
            parts.append(f"{self.unplaced} not placed (first: {first})")
        text = ", ".join(parts) + "."
        if self.notices:
            text += " Notes: " + " | ".join(self.notices[:5])
            if len(self.notices) > 5:
                text += f" (+{len(self.notices) - 5} more)"
        return text

    def to_frame(self) -> pd.DataFrame:
        """The problems as a table (``line``, ``reason``, ``excerpt``, ``location``)."""
        return pd.DataFrame([vars(p) for p in self.problems], columns=["line", "reason", "excerpt", "location"])

    def to_dict(self) -> dict:
        """A JSON-friendly copy (what ``df.attrs`` stores)."""
        out = asdict(self)
        out["decisions"] = json.loads(json.dumps(self.decisions, default=_jsonable))
        return out

    @classmethod
    def from_dict(cls, data: dict) -> ParseReport:
        """Rebuild a report stored by :meth:`to_dict`."""
        data = dict(data)
        data["problems"] = [Problem(**p) for p in data.get("problems", [])]
        return cls(**data)

    def __str__(self) -> str:  # pragma: no cover - convenience
        return self.summary()


class ParseReports(list):
    """The parse reports of a frame read from several sources (``rs.read_chats``): a list of
    :class:`ParseReport` with the same reading methods, so ``rs.parse_report(msgs).summary()``
    works whatever was read."""

    def accounted(self) -> bool:
        """True when every input unit of every source is accounted for."""
        return all(r.accounted() for r in self)

    def summary(self) -> str:
        """One line for all sources, then one paragraph per source."""
        messages = sum(r.messages for r in self)
        unplaced = sum(r.unplaced for r in self)
        head = f"{len(self)} sources -> {messages} messages" + (f", {unplaced} units not placed" if unplaced else "")
        return "\n".join([head + ".", *(r.summary() for r in self)])

    def to_frame(self) -> pd.DataFrame:
        """The problems of every source as one table, with a ``source`` column first."""
        frames = [r.to_frame().assign(source=r.source) for r in self]
        cols = ["source", "line", "reason", "excerpt", "location"]
        if not frames:
            return pd.DataFrame(columns=cols)
        return pd.concat(frames, ignore_index=True)[cols]

    def __str__(self) -> str:  # pragma: no cover - convenience
        return self.summary()


def _jsonable(value):
    if hasattr(value, "item"):
        return value.item()
    if hasattr(value, "tolist"):
        return value.tolist()
    return str(value)


def attach(frame: pd.DataFrame, reports: list[ParseReport], **hints) -> pd.DataFrame:
    """Store the reports (as plain dicts, so Parquet can keep them) and hints in ``frame.attrs``."""
    meta = dict(frame.attrs.get("reconnect_signals", {}))
    meta.update(hints)
    meta["reports"] = [r.to_dict() if isinstance(r, ParseReport) else r for r in reports]
    frame.attrs["reconnect_signals"] = meta
    return frame


def get_report(frame: pd.DataFrame) -> list[ParseReport]:
    """The parse reports of a frame returned by :func:`read_chat` (empty if none).

    Parameters
    ----------
    frame : DataFrame
        A frame returned by a reader.

    Returns
    -------
    list of ParseReport
        One report per source read.
    """
    raw = frame.attrs.get("reconnect_signals", {}).get("reports", [])
    return [r if isinstance(r, ParseReport) else ParseReport.from_dict(r) for r in raw]


def finish(reports: list[ParseReport], errors: str, stacklevel: int = 3) -> None:
    """Apply the ``errors=`` policy to the reports of one read."""
    if errors not in ("warn", "raise", "ignore"):
        raise ValueError(f"errors must be 'warn', 'raise' or 'ignore', got {errors!r}")
    bad = [r for r in reports if r.unplaced]
    if not bad or errors == "ignore":
        return
    n = sum(r.unplaced for r in bad)
    first = [p for r in bad for p in r.problems][:5]
    listing = "\n".join(f"  {p}" for p in first)
    if errors == "raise":
        raise ParseError(
            f"{n} input {bad[0].units} could not be placed in a message:\n{listing}\n"
            "Fix those lines, pass format=/date_order= if the format was misread, or pass "
            "errors='warn' to keep every good row and get this report in "
            "df.attrs['reconnect_signals']['reports'].",
            problems=first,
        )
    warnings.warn(
        f"{n} input {bad[0].units} could not be placed and were left out (every good row was "
        f"kept):\n{listing}\nThe full list is in rs.parse_report(df); pass errors='raise' to stop "
        "instead.",
        ParseWarning,
        stacklevel=stacklevel,
    )
