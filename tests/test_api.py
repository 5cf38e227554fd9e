"""The public surface: pinned names, lazy imports, no name clashes."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import reconnect_signals as rs

PUBLIC = {
    "__version__",
    "validate",
    "coerce",
    "KINDS",
    "PLATFORMS",
    "read_chat",
    "read_chats",
    "list_formats",
    "detect_format",
    "parse_report",
    "load_example",
    "add_structure",
    "message_cues",
    "text_cues",
    "list_cues",
    "list_languages",
    "style_matching",
    "lsm",
    "rlsm",
    "cue_table",
    "aggregate_cues",
    "signals",
    "engagement_targets",
    "engagement_features",
    "engagement_model",
    "evaluate_engagement",
    "anonymize",
    "Roster",
    "score_corpus",
    "to_convokit",
    "report",
    "plot_cue_timeline",
    "plot_latency",
    "plot_latency_trend",
    "plot_activity_heatmap",
    "plot_initiation",
    "plot_balance",
    "plot_style_matching",
    "plot_dashboard",
    "plot_trend",
    "ReconnectSignalsError",
    "ParseError",
    "ParseWarning",
    "AmbiguousDateOrder",
    "SchemaError",
    "LimitExceeded",
    "UnknownFormat",
    "top_terms",
    "reply_matrix",
    "media_counts",
    "plot_calendar",
}


def test_all_is_pinned_and_every_name_resolves():
    assert set(rs.__all__) == PUBLIC
    for name in rs.__all__:
        assert getattr(rs, name) is not None
    assert set(rs.__all__) <= set(dir(rs))


def test_no_public_name_shares_a_name_with_a_module():
    modules = {m.name for m in pkgutil.iter_modules(rs.__path__)}
    assert not (set(rs.__all__) & modules)
    for name in ("cues", "io", "structure", "table", "style", "plotting", "ml", "datasets"):
        importlib.import_module(f"reconnect_signals.{name}")
    assert callable(rs.cue_table) and callable(rs.report) and callable(rs.signals)


def test_every_public_module_declares_all():
    for mod in pkgutil.walk_packages(rs.__path__, "reconnect_signals."):
        if any(part.startswith("_") for part in mod.name.split(".")[1:]) or mod.name.endswith("__main__"):
            continue
        module = importlib.import_module(mod.name)
        assert hasattr(module, "__all__"), mod.name


def test_import_is_lazy():
    code = (
        "import sys, reconnect_signals; heavy = [m for m in ('matplotlib', 'sklearn', 'vaderSentiment', "
        "'dask', 'emoji', 'skops') if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
