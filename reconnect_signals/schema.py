"""The message frame: the one table every reader returns and every function takes.

One row per message. Columns and dtypes (pandas 3):

==================  ===========================  ==============================================
column              dtype                        meaning
==================  ===========================  ==============================================
``conversation_id`` ``str``                      platform chat id, else a short hash of the source
``message_id``      ``str``                      platform id, else ``"{conversation_id}:{seq}"``
``timestamp``       ``datetime64[us, tz]``       always time-zone aware
``sender``          ``str``                      display name or pseudonym; missing only for system rows
``text``            ``str``                      message text; missing for media-only, deleted, ...
``kind``            ``category`` (:data:`KINDS`)  what the row is
``platform``        ``category`` (:data:`PLATFORMS`)
==================  ===========================  ==============================================

Optional columns: ``reply_to`` (``str``), ``is_from_me`` (``boolean``), ``media_type`` (category of
:data:`MEDIA_TYPES`, for ``media`` rows), ``edited`` (``bool``),
``source`` (``str``), ``source_line`` (``Int64``).

Examples
--------
>>> import reconnect_signals as rs
>>> msgs = rs.load_example()
>>> rs.validate(msgs) is None
True
>>> list(msgs.columns[:7])
['conversation_id', 'message_id', 'timestamp', 'sender', 'text', 'kind', 'platform']
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from .errors import SchemaError

__all__ = [
    "KINDS",
    "PLATFORMS",
    "REQUIRED_COLUMNS",
    "OPTIONAL_COLUMNS",
    "COLUMNS",
    "KIND_DTYPE",
    "PLATFORM_DTYPE",
    "MEDIA_TYPES",
    "MEDIA_TYPE_DTYPE",
    "validate",
    "coerce",
    "empty_frame",
    "register_platform",
]

#: What a row is. Fixed, so ``pd.concat`` keeps the categorical dtype.
KINDS: tuple[str, ...] = ("text", "media", "system", "deleted", "call", "reaction", "other")

#: Platforms a frame can come from: every registered reader's platform (each reader adds its own
#: through :func:`register_platform` when it registers), plus ``"table"`` and ``"other"``. The
#: built-in readers' platforms are listed here so the categories are stable before any reader is
#: imported; a reader added in its own file extends the tuple when it registers (no second edit).
PLATFORMS: tuple[str, ...] = (
    "whatsapp",
    "telegram",
    "messenger",
    "instagram",
    "imessage",
    "sms",
    "signal",
    "discord",
    "slack",
    "google_chat",
    "hangouts",
    "irc",
    "table",
    "other",
)

KIND_DTYPE = pd.CategoricalDtype(list(KINDS))

#: What a ``kind == "media"`` row holds (optional ``media_type`` column; missing for other kinds).
MEDIA_TYPES: tuple[str, ...] = (
    "image",
    "video",
    "audio",
    "sticker",
    "gif",
    "document",
    "contact",
    "location",
    "live_location",
    "poll",
    "view_once",
    "other",
)
MEDIA_TYPE_DTYPE = pd.CategoricalDtype(list(MEDIA_TYPES))
PLATFORM_DTYPE = pd.CategoricalDtype(list(PLATFORMS))


def register_platform(name: str) -> None:
    """Make ``name`` a category of the ``platform`` column (called by ``io.register``).

    ``PLATFORMS``, ``PLATFORM_DTYPE`` and the required-column dtypes grow by one category, kept
    before ``"other"``; frames made earlier stay valid (their categories are a subset).

    Parameters
    ----------
    name : str
        The platform name (lower case).

    Examples
    --------
    >>> from reconnect_signals import schema
    >>> schema.register_platform("whatsapp")  # already known: nothing changes
    >>> schema.PLATFORMS[-1]
    'other'
    """
    global PLATFORMS, PLATFORM_DTYPE
    if not isinstance(name, str) or not name or name != name.strip().lower():
        raise ValueError(f"a platform name is a non-empty lower-case string such as 'viber', got {name!r}")
    if name in PLATFORMS:
        return
    PLATFORMS = (*PLATFORMS[:-1], name, PLATFORMS[-1])
    PLATFORM_DTYPE = pd.CategoricalDtype(list(PLATFORMS))
    REQUIRED_COLUMNS["platform"] = PLATFORM_DTYPE


#: Required columns in order, with the dtype each must have (``"datetime_tz"`` means
#: any tz-aware ``datetime64``).
REQUIRED_COLUMNS: dict[str, object] = {
    "conversation_id": "str",
    "message_id": "str",
    "timestamp": "datetime_tz",
    "sender": "str",
    "text": "str",
    "kind": KIND_DTYPE,
    "platform": PLATFORM_DTYPE,
}

#: Optional columns a reader adds when the source has them.
OPTIONAL_COLUMNS: dict[str, str | pd.CategoricalDtype] = {
    "reply_to": "str",
    "is_from_me": "boolean",
    "media_type": MEDIA_TYPE_DTYPE,
    "edited": "bool",
    "source": "str",
    "source_line": "Int64",
}

COLUMNS: tuple[str, ...] = tuple(REQUIRED_COLUMNS) + tuple(OPTIONAL_COLUMNS)


def _dtype_ok(series: pd.Series, want: object) -> bool:
    dt = series.dtype
    if want == "datetime_tz":
        return isinstance(dt, pd.DatetimeTZDtype)
    if want == "str":
        return isinstance(dt, pd.StringDtype) or (dt == np.dtype(object) and _all_str_or_na(series))
    if want == "boolean":
        return isinstance(dt, pd.BooleanDtype) or dt == np.dtype(bool)
    if want == "bool":
        return dt == np.dtype(bool)
    if want == "Int64":
        return isinstance(dt, pd.Int64Dtype)
    if isinstance(want, pd.CategoricalDtype):
        return isinstance(dt, pd.CategoricalDtype) and set(dt.categories) <= set(want.categories)
    return str(dt) == str(want)


def _all_str_or_na(series: pd.Series) -> bool:
    values = series.dropna()
    # pandas-stubs do not take a type object as the scalar of Series.eq
    return bool(values.map(type).eq(str).all()) if len(values) else True  # type: ignore[arg-type]


def _describe(want: object) -> str:
    if want == "datetime_tz":
        return "a time-zone aware datetime64 (e.g. datetime64[us, UTC])"
    if isinstance(want, pd.CategoricalDtype):
        return f"category with categories {list(want.categories)}"
    return str(want)


def validate(df: pd.DataFrame, *, columns: Iterable[str] | None = None) -> None:
    """Check that ``df`` is a message frame; raise :class:`SchemaError` listing every problem.

    Parameters
    ----------
    df : DataFrame
        The frame to check.
    columns : iterable of str, optional
        Only check these required columns (functions that need fewer columns, such as
        text-only cues, pass the ones they use). Optional columns are checked when present.

    Raises
    ------
    SchemaError
        With one line per missing or mistyped column and per rule broken (missing sender
        outside system rows, unknown kinds), each naming the fix.

    Examples
    --------
    >>> import pandas as pd
    >>> import reconnect_signals as rs
    >>> rs.validate(pd.DataFrame({"text": ["hi"]}))
    Traceback (most recent call last):
    ...
    reconnect_signals.errors.SchemaError: not a message frame (6 problems):
      - missing column 'conversation_id' (str)...
    """
    if not isinstance(df, pd.DataFrame):
        raise SchemaError(
            f"expected a pandas DataFrame (a message frame), got {type(df).__name__}; "
            "read an export with rs.read_chat(...) first"
        )
    wanted = list(REQUIRED_COLUMNS) if columns is None else list(columns)
    problems: list[str] = []
    for name in wanted:
        want = REQUIRED_COLUMNS.get(name, OPTIONAL_COLUMNS.get(name))
        if name not in df.columns:
            problems.append(
                f"missing column {name!r} ({_describe(want)}); rename your column or build the frame with rs.coerce(df)"
            )
        elif want is not None and not _dtype_ok(df[name], want):
            problems.append(
                f"column {name!r} has dtype {df[name].dtype}, expected {_describe(want)}; convert it with rs.coerce(df)"
            )
    for name, want in OPTIONAL_COLUMNS.items():
        if name in df.columns and name not in wanted and not _dtype_ok(df[name], want):
            problems.append(
                f"optional column {name!r} has dtype {df[name].dtype}, expected {_describe(want)}; "
                "convert it with rs.coerce(df)"
            )
    if not problems and {"sender", "kind"} <= set(df.columns) and {"sender", "kind"} <= set(wanted):
        bad = df["sender"].isna() & df["kind"].ne("system")
        if bad.any():
            problems.append(
                f"{int(bad.sum())} non-system rows have no sender (first at index "
                f"{df.index[bad.to_numpy()][0]!r}); fill the sender or set kind='system'"
            )
    if problems:
        lines = "\n".join(f"  - {p}" for p in problems)
        raise SchemaError(f"not a message frame ({len(problems)} problems):\n{lines}")


def _to_str(series: pd.Series) -> pd.Series:
    if isinstance(series.dtype, pd.StringDtype) and series.dtype.na_value is np.nan:
        return series
    out = series.astype("str")
    # astype("str") turns missing values into NaN already in pandas 3
    return out


def coerce(
    df: pd.DataFrame,
    *,
    tz: str | None = None,
    platform: str | None = None,
    conversation_id: str | None = None,
) -> pd.DataFrame:
    """Return a new frame with the message-frame dtypes, filling what can be derived.

    ``timestamp`` is parsed if needed; naive values are localised to ``tz`` (or labelled
    UTC when ``tz`` is None); aware values are converted to ``tz`` when given. Missing
    ``kind`` becomes ``"text"``, missing ``platform`` becomes ``platform`` (or
    ``"table"``), missing ``conversation_id`` becomes ``conversation_id`` (or ``"0"``),
    and missing ``message_id`` becomes ``"{conversation_id}:{row}"``.

    Parameters
    ----------
    df : DataFrame
        At least ``timestamp``, ``sender`` and ``text``.
    tz : str, optional
        IANA time zone of naive timestamps (and the zone aware ones are converted to).
    platform : str, optional
        The ``platform`` of rows without one (default ``"table"``).
    conversation_id : str, optional
        The ``conversation_id`` of rows without one (default ``"0"``).

    Returns
    -------
    DataFrame
        A message frame that passes :func:`validate`.

    Examples
    --------
    >>> import pandas as pd
    >>> import reconnect_signals as rs
    >>> raw = pd.DataFrame({"timestamp": ["2024-01-01 10:00"], "sender": ["A"], "text": ["hi"]})
    >>> msgs = rs.coerce(raw, tz="Europe/Berlin")
    >>> str(msgs["timestamp"].dtype)
    'datetime64[us, Europe/Berlin]'
    >>> msgs["message_id"].tolist()
    ['0:0']
    """
    out = df.copy(deep=False)
    n = len(out)
    if "conversation_id" not in out.columns:
        out["conversation_id"] = conversation_id if conversation_id is not None else "0"
    out["conversation_id"] = _to_str(out["conversation_id"])
    if "message_id" not in out.columns:
        seq = pd.Series(np.arange(n), index=out.index).astype("str")
        out["message_id"] = out["conversation_id"] + ":" + seq
    out["message_id"] = _to_str(out["message_id"])
    if "timestamp" not in out.columns:
        raise SchemaError("coerce() needs a 'timestamp' column; rename your time column to 'timestamp'")
    ts = out["timestamp"]
    if not isinstance(ts.dtype, pd.DatetimeTZDtype) and not pd.api.types.is_datetime64_dtype(ts.dtype):
        ts = pd.to_datetime(ts, format="mixed", utc=False)
    if isinstance(ts.dtype, pd.DatetimeTZDtype):
        ts = ts.dt.tz_convert(tz) if tz else ts
    else:
        ts = ts.dt.tz_localize(tz or "UTC", ambiguous="NaT", nonexistent="shift_forward")
    stamp_dtype = pd.DatetimeTZDtype("us", ts.dt.tz)
    out["timestamp"] = ts if ts.dtype == stamp_dtype else ts.astype(stamp_dtype)
    for col in ("sender", "text"):
        if col not in out.columns:
            out[col] = pd.Series(np.nan, index=out.index, dtype="str")
        out[col] = _to_str(out[col])
    if "kind" not in out.columns:
        out["kind"] = "text"
    if out["kind"].dtype != KIND_DTYPE:
        out["kind"] = out["kind"].astype("str").astype(KIND_DTYPE)
    if "platform" not in out.columns:
        out["platform"] = platform or "table"
    if out["platform"].dtype != PLATFORM_DTYPE:
        out["platform"] = out["platform"].astype("str").astype(PLATFORM_DTYPE)
    for name, want in OPTIONAL_COLUMNS.items():
        if name not in out.columns:
            continue
        if want == "str":
            out[name] = _to_str(out[name])
        elif want == "boolean" and not isinstance(out[name].dtype, pd.BooleanDtype):
            out[name] = out[name].astype("boolean")
        elif want == "bool" and out[name].dtype != bool:
            out[name] = out[name].fillna(False).astype(bool)
        elif want == "Int64" and not isinstance(out[name].dtype, pd.Int64Dtype):
            out[name] = out[name].astype("Int64")
        elif isinstance(want, pd.CategoricalDtype) and out[name].dtype != want:
            out[name] = out[name].astype(object).where(out[name].notna(), None).astype(want)
    ordered = [c for c in COLUMNS if c in out.columns] + [c for c in out.columns if c not in COLUMNS]
    return out[ordered]


def empty_frame(tz: str = "UTC", *, optional: Iterable[str] = ()) -> pd.DataFrame:
    """An empty message frame with the right dtypes (what a reader returns for no messages).

    Parameters
    ----------
    tz : str, default "UTC"
        Time zone of the ``timestamp`` column.
    optional : iterable of str, default ()
        Optional columns to include (``reply_to``, ``source_line``, ...).

    Returns
    -------
    DataFrame
        A valid message frame with no rows.

    Examples
    --------
    >>> import reconnect_signals as rs
    >>> from reconnect_signals.schema import empty_frame
    >>> rs.validate(empty_frame())
    >>> len(empty_frame())
    0
    """
    data: dict[str, pd.Series] = {
        "conversation_id": pd.Series([], dtype="str"),
        "message_id": pd.Series([], dtype="str"),
        "timestamp": pd.Series([], dtype=pd.DatetimeTZDtype("us", tz)),
        "sender": pd.Series([], dtype="str"),
        "text": pd.Series([], dtype="str"),
        "kind": pd.Series([], dtype=KIND_DTYPE),
        "platform": pd.Series([], dtype=PLATFORM_DTYPE),
    }
    for name in optional:
        want = OPTIONAL_COLUMNS[name]
        data[name] = pd.Series([], dtype="str" if want == "str" else want)
    return pd.DataFrame(data)
