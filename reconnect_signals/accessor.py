"""The ``df.chat`` accessor: stateless, one-line delegation to the public functions.

pandas builds a new accessor object on every attribute access, so nothing is stored on it.
Every public function of ``reconnect_signals`` whose first argument is a message frame has
a method here with the same name and keywords (a test enumerates them from ``__all__``):
``msgs.chat.f(*args, **kw)`` is ``rs.f(msgs, *args, **kw)``.

>>> import reconnect_signals as rs
>>> msgs = rs.load_example()
>>> msgs.chat.validate() is None
True
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["ChatAccessor"]


@pd.api.extensions.register_dataframe_accessor("chat")
class ChatAccessor:
    """``msgs.chat.f(...)`` is ``rs.f(msgs, ...)`` for every function below."""

    def __init__(self, df: pd.DataFrame) -> None:
        self._df = df

    def validate(self, **kw: Any) -> None:
        """``rs.validate(df, **kw)``: raise SchemaError naming every missing or mistyped column."""
        from .schema import validate

        return validate(self._df, **kw)

    def coerce(self, **kw: Any) -> pd.DataFrame:
        """``rs.coerce(df, **kw)``: a message frame from a raw table (timestamps, sender, text)."""
        from .schema import coerce

        return coerce(self._df, **kw)

    # --- structure and cues (helper "structure"; one line each, no state) ----------------
    def add_structure(self, **kw: Any) -> pd.DataFrame:
        """``rs.add_structure(df, **kw)``: sessions, turns, latency, double texts."""
        from .structure import add_structure

        return add_structure(self._df, **kw)

    def cue_table(self, **kw: Any) -> pd.DataFrame:
        """``rs.cue_table(df, **kw)``: per-message cues or aggregates per sender/window."""
        from .table import cue_table

        return cue_table(self._df, **kw)

    def aggregate_cues(self, **kw: Any) -> pd.DataFrame:
        """``rs.aggregate_cues(df, **kw)``: aggregates of a per-message cue table (``df.chat.cue_table()``)."""
        from .table import aggregate_cues

        return aggregate_cues(self._df, **kw)

    def message_cues(self, **kw: Any) -> pd.DataFrame:
        """``rs.message_cues(df, **kw)``: per-message lexical cues."""
        from .cues import message_cues

        return message_cues(self._df, **kw)

    def style_matching(self, **kw: Any) -> pd.DataFrame:
        """``rs.style_matching(df, **kw)``: language style matching between the two senders."""
        from .style import style_matching

        return style_matching(self._df, **kw)

    def signals(self, **kw: Any) -> pd.DataFrame:
        """``rs.signals(df, **kw)``: before/recent reading of each cue, with an interval per change.

        Takes every keyword of :func:`reconnect_signals.signals`: ``me``, ``recent``, ``gap``,
        ``per_message`` (a precomputed ``rs.cue_table(df, gap=gap)``), ``level``, ``fdr``,
        ``n_resamples``, ``random_state``, ``trend``, ``trend_freq``, ``min_messages``,
        ``min_replies``, ``min_words``.
        """
        from ._signals import signals

        return signals(self._df, **kw)

    def engagement_targets(self, **kw: Any) -> pd.DataFrame:
        """``rs.engagement_targets(df, **kw)``: self-supervised engagement targets, with censoring."""
        from .engagement import engagement_targets

        return engagement_targets(self._df, **kw)

    def engagement_features(self, **kw: Any) -> pd.DataFrame:
        """``rs.engagement_features(df, **kw)``: the features the engagement models learn from."""
        from .engagement import engagement_features

        return engagement_features(self._df, **kw)

    def engagement_model(self, **kw: Any) -> Any:
        """``rs.engagement_model(df, **kw)``: a fitted engagement model."""
        from .engagement import engagement_model

        return engagement_model(self._df, **kw)

    def evaluate_engagement(self, **kw: Any) -> Any:
        """``rs.evaluate_engagement(df, **kw)``: cross-validated evaluation of an engagement model."""
        from .engagement import evaluate_engagement

        return evaluate_engagement(self._df, **kw)

    def parse_report(self) -> Any:
        """``rs.parse_report(df)``: the parse report(s) of a frame read by ``rs.read_chat``."""
        from .io import parse_report

        return parse_report(self._df)

    # --- exploring ------------------------------------------------------------------------
    def top_terms(self, **kw: Any) -> pd.DataFrame:
        """``rs.top_terms(df, **kw)``: top words, emoji, links or mentions per person."""
        from ._explore import top_terms

        return top_terms(self._df, **kw)

    def reply_matrix(self, **kw: Any) -> pd.DataFrame:
        """``rs.reply_matrix(df, **kw)``: who replies to whom."""
        from ._explore import reply_matrix

        return reply_matrix(self._df, **kw)

    def media_counts(self, **kw: Any) -> pd.DataFrame:
        """``rs.media_counts(df, **kw)``: media messages by type per person."""
        from ._explore import media_counts

        return media_counts(self._df, **kw)

    # --- research -------------------------------------------------------------------------
    def anonymize(self, **kw: Any) -> pd.DataFrame:
        """``rs.anonymize(df, **kw)``: keyed pseudonyms and scrubbed text."""
        from ._anonymize import anonymize

        return anonymize(self._df, **kw)

    def to_convokit(self, folder: Any, **kw: Any) -> Any:
        """``rs.to_convokit(df, folder, **kw)``: write a ConvoKit corpus."""
        from ._corpus import to_convokit

        return to_convokit(self._df, folder, **kw)

    # --- seeing ---------------------------------------------------------------------------
    def report(self, path: Any = "report.html", **kw: Any) -> Any:
        """``rs.report(df, path, **kw)``: the self-contained HTML report."""
        from ._html_report import report

        return report(self._df, path, **kw)

    def plot_cue_timeline(self, **kw: Any) -> Any:
        """``rs.plot_cue_timeline(df, **kw)``."""
        from .plotting import plot_cue_timeline

        return plot_cue_timeline(self._df, **kw)

    def plot_latency(self, **kw: Any) -> Any:
        """``rs.plot_latency(df, **kw)``."""
        from .plotting import plot_latency

        return plot_latency(self._df, **kw)

    def plot_latency_trend(self, **kw: Any) -> Any:
        """``rs.plot_latency_trend(df, **kw)``."""
        from .plotting import plot_latency_trend

        return plot_latency_trend(self._df, **kw)

    def plot_activity_heatmap(self, **kw: Any) -> Any:
        """``rs.plot_activity_heatmap(df, **kw)``."""
        from .plotting import plot_activity_heatmap

        return plot_activity_heatmap(self._df, **kw)

    def plot_initiation(self, **kw: Any) -> Any:
        """``rs.plot_initiation(df, **kw)``."""
        from .plotting import plot_initiation

        return plot_initiation(self._df, **kw)

    def plot_balance(self, **kw: Any) -> Any:
        """``rs.plot_balance(df, **kw)``."""
        from .plotting import plot_balance

        return plot_balance(self._df, **kw)

    def plot_style_matching(self, **kw: Any) -> Any:
        """``rs.plot_style_matching(df, **kw)``."""
        from .plotting import plot_style_matching

        return plot_style_matching(self._df, **kw)

    def plot_calendar(self, **kw: Any) -> Any:
        """``rs.plot_calendar(df, **kw)``."""
        from .plotting import plot_calendar

        return plot_calendar(self._df, **kw)

    def plot_trend(self, **kw: Any) -> Any:
        """``rs.plot_trend(df, **kw)``."""
        from .plotting import plot_trend

        return plot_trend(self._df, **kw)

    def plot_dashboard(self, **kw: Any) -> Any:
        """``rs.plot_dashboard(df, **kw)``."""
        from .plotting import plot_dashboard

        return plot_dashboard(self._df, **kw)
