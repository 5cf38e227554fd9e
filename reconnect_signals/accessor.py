"""The ``df.chat`` accessor: stateless, one-line delegation to the public functions.

pandas builds a new accessor object on every attribute access, so nothing is stored on it.

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
        """:func:`reconnect_signals.validate` of this frame."""
        from .schema import validate

        return validate(self._df, **kw)

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

    def parse_report(self) -> Any:
        """``rs.parse_report(df)``: the parse report(s) of a frame read by ``rs.read_chat``."""
        from .io import parse_report

        return parse_report(self._df)
