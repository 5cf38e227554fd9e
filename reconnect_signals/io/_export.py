"""CSV output that is safe to open in a spreadsheet (no formula injection).

Chat messages are written by other people. A message such as ``=HYPERLINK("http://…")`` or
``@SUM(1+1)*cmd|' /C calc'!A0`` written to a CSV file becomes a live formula when the file
is opened in Excel, LibreOffice Calc or Google Sheets ("CSV injection", OWASP). This module
writes CSV the way OWASP recommends: every text cell that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return gets a leading single quote ``'``, so the spreadsheet
shows it as text. Their full-width forms (``＝ ＋ － ＠``), which some spreadsheet locales also
evaluate, are treated the same way. Quotes and separators inside cells are escaped by the
CSV writer as usual.
"""

from __future__ import annotations

import os
from typing import IO, Any

import numpy as np
import pandas as pd

__all__ = ["to_csv_safe", "neutralise_formulas", "FORMULA_TRIGGERS"]

#: First characters that make a spreadsheet read a cell as a formula (OWASP list, plus the
#: full-width forms some locales evaluate).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def _risky(values: pd.Series) -> np.ndarray:
    first = values.str[:1]
    return first.isin(FORMULA_TRIGGERS).fillna(False).to_numpy(dtype=bool)


def _neutralise_series(s: pd.Series) -> pd.Series:
    if isinstance(s.dtype, pd.CategoricalDtype):
        cats = s.cat.categories
        if cats.dtype == object or pd.api.types.is_string_dtype(cats.dtype):
            safe = _neutralise_index(pd.Index(cats.astype("str")))
            if not safe.equals(pd.Index(cats.astype("str"))):
                return s.cat.rename_categories(safe)  # type: ignore[arg-type]  # pandas takes any list-like; the stubs no Index
        return s
    if pd.api.types.is_string_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        if s.dtype == object:  # mixed objects: only the str cells are looked at
            is_str = s.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
            if not is_str.any():
                return s
            text = s.where(is_str).astype("str")
            mask = _risky(text) & is_str
        else:
            text, mask = s, _risky(s)
        if mask.any():
            return s.mask(mask, "'" + text)
    return s


def _neutralise_index(idx: pd.Index) -> pd.Index:
    if idx.dtype == object or pd.api.types.is_string_dtype(idx.dtype):
        values = pd.Series(idx, dtype="object").map(
            lambda v: "'" + v if isinstance(v, str) and v[:1] in FORMULA_TRIGGERS else v
        )
        return pd.Index(values.tolist(), name=idx.name)
    return idx


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells cannot start a spreadsheet formula.

    Text cells (``str``, ``object`` and categorical columns, the column labels and a text
    index) that begin with one of :data:`FORMULA_TRIGGERS` get a leading ``'``. Numbers,
    times and booleans are left alone. The input frame is not modified.

    Parameters
    ----------
    frame : DataFrame
        Any frame about to be written as CSV or a spreadsheet.

    Returns
    -------
    DataFrame
        The neutralised copy.

    Examples
    --------
    >>> import pandas as pd
    >>> from reconnect_signals.io._export import neutralise_formulas
    >>> df = pd.DataFrame({"sender": ["Sam", "@Alex"], "text": ["=1+2", "see you -ish"], "n": [-1, 2]})
    >>> neutralise_formulas(df)
       sender    text  n
    0     Sam   '=1+2 -1
    1  '@Alex  see you -ish  2
    """
    out = pd.DataFrame(
        {i: _neutralise_series(frame.iloc[:, i]) for i in range(frame.shape[1])}, index=_neutralise_index(frame.index)
    )
    out.columns = _neutralise_index(frame.columns) if frame.columns.nlevels == 1 else frame.columns
    return out


def to_csv_safe(
    frame: pd.DataFrame, path_or_buf: str | os.PathLike[str] | IO[str] | IO[bytes] | None = None, **kwargs: Any
) -> str | None:
    """Write ``frame`` as CSV with spreadsheet formulas neutralised (OWASP "CSV injection").

    Every text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
    (or a full-width ``＝ ＋ － ＠``) is written with a leading single quote, so Excel,
    LibreOffice and Google Sheets show it as text instead of running it. Other cells are
    written exactly as :meth:`pandas.DataFrame.to_csv` writes them. Rows end in CRLF (RFC 4180),
    so a cell holding a line break or a lone carriage return is always quoted and cannot
    start a new row in a spreadsheet (with ``lineterminator="\\n"`` a lone CR would not be
    quoted; keep the default). Reading the file back
    with pandas gives the quoted text; strip one leading ``'`` from such cells if you need
    the original (the CSV is meant for people with spreadsheets; use Parquet for exact
    round trips).

    Parameters
    ----------
    frame : DataFrame
        The table to write (not modified).
    path_or_buf : str, path or file object, optional
        Where to write; ``None`` returns the CSV text.
    **kwargs
        Passed to :meth:`pandas.DataFrame.to_csv` (``index=False`` and ``lineterminator="\\r\\n"``
        are the defaults here).

    Returns
    -------
    str or None
        The CSV text when ``path_or_buf`` is None.

    Examples
    --------
    >>> import pandas as pd
    >>> from reconnect_signals.io._export import to_csv_safe
    >>> msgs = pd.DataFrame({"sender": ["Sam"], "text": ['=HYPERLINK("http://example.invalid","x")']})
    >>> for line in to_csv_safe(msgs).splitlines():
    ...     print(line)
    sender,text
    Sam,"'=HYPERLINK(""http://example.invalid"",""x"")"
    """
    kwargs.setdefault("index", False)
    kwargs.setdefault("lineterminator", "\r\n")
    return neutralise_formulas(frame).to_csv(path_or_buf, **kwargs)
