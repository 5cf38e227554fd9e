"""Readers: every export format into the one message frame.

>>> import reconnect_signals as rs
>>> "whatsapp" in set(rs.list_formats()["format"])
True
"""

from __future__ import annotations

from ._api import (
    check_tz,
    detect_format,
    expand_sources,
    list_formats,
    parse_report,
    read_chat,
    read_chats,
    read_options,
)
from ._export import neutralise_formulas, to_csv_safe
from ._registry import ParserSpec, ReadOptions, register
from ._report import ParseReport, Problem
from ._report import get_report as parse_reports
from ._text import DEFAULT_LIMITS, Limits, Source
from ._whatsapp_render import LAYOUTS as WHATSAPP_LAYOUTS
from ._whatsapp_render import render_whatsapp

__all__ = [
    "read_chat",
    "read_chats",
    "detect_format",
    "list_formats",
    "parse_report",
    "parse_reports",
    "expand_sources",
    "check_tz",
    "read_options",
    "render_whatsapp",
    "WHATSAPP_LAYOUTS",
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
