"""reconnect_signals: chat exports into pandas, and the conversational cues research looks for.

>>> import reconnect_signals as rs
>>> msgs = rs.load_example()
>>> msgs.columns[:4].tolist()
['conversation_id', 'message_id', 'timestamp', 'sender']

Public names are imported lazily (``import reconnect_signals`` stays fast); the
``df.chat`` accessor is registered at import.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from . import accessor as _accessor  # imported for its side effect: registers df.chat
from .errors import (
    AmbiguousDateOrder,
    LimitExceeded,
    ParseError,
    ParseWarning,
    ReconnectSignalsError,
    SchemaError,
    UnknownFormat,
)

__version__ = "0.1.0"

# public name -> module that defines it (imported on first use)
_LAZY: dict[str, str] = {
    # schema
    "validate": ".schema",
    "coerce": ".schema",
    "KINDS": ".schema",
    "PLATFORMS": ".schema",
    # readers
    "read_chat": ".io",
    "read_chats": ".io",
    "list_formats": ".io",
    "detect_format": ".io",
    "parse_report": ".io",
    # bundled data
    "load_example": ".datasets",
    # structure and cues
    "add_structure": ".structure",
    "message_cues": ".cues",
    "text_cues": ".cues",
    "list_cues": ".cues",
    "list_languages": ".cues",
    "style_matching": ".style",
    "lsm": ".style",
    "rlsm": ".style",
    "cue_table": ".table",
    "aggregate_cues": ".table",
    "signals": "._signals",
    # exploring
    "top_terms": "._explore",
    "reply_matrix": "._explore",
    "media_counts": "._explore",
    # engagement models (self-supervised targets)
    "engagement_targets": ".engagement",
    "engagement_features": ".engagement",
    "engagement_model": ".engagement",
    "evaluate_engagement": ".engagement",
    # research
    "anonymize": "._anonymize",
    "Roster": "._anonymize",
    "score_corpus": "._corpus",
    "to_convokit": "._corpus",
    # seeing
    "report": "._html_report",
    "plot_cue_timeline": ".plotting",
    "plot_latency": ".plotting",
    "plot_latency_trend": ".plotting",
    "plot_activity_heatmap": ".plotting",
    "plot_initiation": ".plotting",
    "plot_balance": ".plotting",
    "plot_style_matching": ".plotting",
    "plot_dashboard": ".plotting",
    "plot_trend": ".plotting",
    "plot_calendar": ".plotting",
}

__all__ = [
    "__version__",
    *_LAZY,
    "ReconnectSignalsError",
    "ParseError",
    "ParseWarning",
    "AmbiguousDateOrder",
    "SchemaError",
    "LimitExceeded",
    "UnknownFormat",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'reconnect_signals' has no attribute {name!r}")
    if name == "PLATFORMS":  # every registered reader's platform: load the readers, do not cache
        from .io._registry import load_parsers

        load_parsers()
        return importlib.import_module(module, __name__).PLATFORMS
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs
    from ._anonymize import Roster, anonymize
    from ._corpus import score_corpus, to_convokit
    from ._explore import media_counts, reply_matrix, top_terms
    from ._html_report import report
    from ._signals import signals
    from .cues import list_cues, list_languages, message_cues, text_cues
    from .datasets import load_example
    from .engagement import engagement_features, engagement_model, engagement_targets, evaluate_engagement
    from .io import detect_format, list_formats, parse_report, read_chat, read_chats
    from .plotting import (
        plot_activity_heatmap,
        plot_balance,
        plot_calendar,
        plot_cue_timeline,
        plot_dashboard,
        plot_initiation,
        plot_latency,
        plot_latency_trend,
        plot_style_matching,
        plot_trend,
    )
    from .schema import KINDS, PLATFORMS, coerce, validate
    from .structure import add_structure
    from .style import lsm, rlsm, style_matching
    from .table import aggregate_cues, cue_table
