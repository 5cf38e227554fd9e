"""Readers: every export format into the one message frame.

>>> import reconnect_signals as rs
>>> "whatsapp" in set(rs.list_formats()["format"])
True
"""

from __future__ import annotations

from ._api import detect_format, list_formats, parse_report, read_chat, read_chats
from ._export import neutralise_formulas, to_csv_safe
from ._registry import ParserSpec, ReadOptions, register
from ._report import ParseReport, Problem
from ._text import DEFAULT_LIMITS, Limits, Source

__all__ = [
    "read_chat",
    "read_chats",
    "detect_format",
    "list_formats",
    "parse_report",
    "to_csv_safe",
    "neutralise_formulas",
    "ParserSpec",
    "ReadOptions",
    "register",
    "ParseReport",
    "Problem",
    "Limits",
    "DEFAULT_LIMITS",
    "Source",
]
