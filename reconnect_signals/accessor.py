"""The ``df.chat`` accessor: stateless, one-line delegation to the public functions.

pandas builds a new accessor object on every attribute access, so nothing is stored on it.

>>> import reconnect_signals as rs
>>> msgs = rs.load_example()
>>> msgs.chat.validate() is None
True
"""

from __future__ import annotations

import pandas as pd

__all__ = ["ChatAccessor"]


@pd.api.extensions.register_dataframe_accessor("chat")
class ChatAccessor:
    """``msgs.chat.f(...)`` is ``rs.f(msgs, ...)`` for every function below."""

    def __init__(self, df: pd.DataFrame):
        self._df = df

    def validate(self, **kw):
        from .schema import validate

        return validate(self._df, **kw)
