"""Generic table reader: CSV, JSON lines and Parquet corpora with a column mapping.

Researchers' corpora come as tables with one message per row. The default column names are
those of the message frame (``conversation_id``, ``timestamp``, ``sender``, ``text``);
``columns={"ts": "timestamp", "author": "sender"}`` maps other names. ISO timestamps with
offsets (``2024-03-14T10:00:00+01:00``) are exact instants; timestamps without an offset are
wall clock, localised with ``tz=`` (or labelled UTC and recorded); numbers are Unix epoch
seconds (or milliseconds/microseconds/nanoseconds, told apart by magnitude). Quoted
multi-line CSV fields are read as one message. Rows with an unreadable timestamp or no
sender are reported with their row number and left out (``errors=`` decides how loudly).
``rows=(start, stop)`` reads only those rows of a Parquet file, decoding only the row
groups that hold them (rows keep their numbers in the whole file, so do message ids made
from them); :func:`reconnect_signals.score_corpus` splits large Parquet files this way.

Examples
--------
>>> import io
>>> import reconnect_signals as rs
>>> csv = b"timestamp,sender,text\\n2024-03-14T10:00:00+01:00,Ana,\\"hi\\nthere\\"\\n"
>>> msgs = rs.read_chat(io.BytesIO(csv), format="table", kind="csv")
>>> msgs["text"].tolist(), str(msgs["timestamp"].iloc[0])
(['hi\\nthere'], '2024-03-14 09:00:00+00:00')
"""

from __future__ import annotations

import io
import json
import warnings
from typing import Literal

import numpy as np
import pandas as pd

from .. import schema
from ..errors import ParseError
from ..schema import KINDS, OPTIONAL_COLUMNS, coerce
from ._json import JSONRefused
from ._json import loads as _loads
from ._registry import ParserSpec, ReadOptions, register
from ._report import ParseReport
from ._text import Source, decode_bytes
from ._time import localize_wall_clock

#: More columns than any message table has: a file past it is refused before pandas builds a column
#: per field (a 424 KB CSV whose header was 212,000 empty fields took 19 CPU-s to reject).
MAX_COLUMNS = 1_000


def _too_wide(src: Source, n: int) -> ParseError:
    return ParseError(
        f"{src.name}: the table has {n:,} columns (more than {MAX_COLUMNS:,}); a message table has a few "
        "(timestamp, sender, text, ...): check the delimiter, or select those columns first"
    )


__all__: list[str] = []

_PARQUET_MAGIC = b"PAR1"
_WANTED = ("conversation_id", "timestamp", "sender", "text")


def _kind_of(src: Source, hint: str | None) -> str:
    if hint:
        if hint not in ("csv", "jsonl", "parquet"):
            raise ValueError(f"kind must be 'csv', 'jsonl' or 'parquet', got {hint!r}")
        return hint
    head = src.head(4096)
    if head.startswith(_PARQUET_MAGIC) or src.suffix == ".parquet":
        return "parquet"
    if src.suffix in (".jsonl", ".ndjson") or head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return "jsonl"
    return "csv"


def _sniff(src: Source) -> float:
    if src.is_dir or src.is_zip:
        return 0.0
    head = src.head(65536)
    if head.startswith(_PARQUET_MAGIC):
        return 0.8
    text, _ = decode_bytes(head)
    first = text.lstrip().split("\n", 1)[0].strip()
    if first.startswith("{"):
        try:
            keys = set(_loads(first))
        except ValueError:
            return 0.0
        return 0.8 if {"timestamp", "sender", "text"} <= keys else 0.0
    cols = {c.strip().strip('"').lower() for c in first.split(",")}
    return 0.8 if {"timestamp", "sender", "text"} <= cols else 0.0


def _row_span(value, total: int) -> tuple[int, int] | None:
    if value is None:
        return None
    try:
        start, stop = (int(v) for v in value)
    except (TypeError, ValueError):
        raise ValueError(f"rows must be (start, stop) row numbers, got {value!r}") from None
    if not 0 <= start <= stop:
        raise ValueError(f"rows must be (start, stop) with 0 <= start <= stop, got {value!r}")
    return start, min(stop, total)


def _load_parquet(src: Source, report: ParseReport, rows=None) -> pd.DataFrame:
    """A Parquet file (or the rows ``start:stop`` of it) with each row's number in ``__row``.

    With ``rows``, only the row groups that hold those rows are read. Rows are numbered from
    0 over the whole file, so a problem names the same row whether the file is read whole
    or in pieces. A damaged or truncated file is a :class:`ParseError`, not pyarrow's exception.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    report.units = "records"
    try:
        pf = pq.ParquetFile(src.path if src.path is not None else io.BytesIO(src.read_bytes()))
        if pf.metadata.num_columns > MAX_COLUMNS:
            raise _too_wide(src, pf.metadata.num_columns)
        span = _row_span(rows, pf.metadata.num_rows)
        if span is None:
            table, first = pf.read(), 0
        else:
            sizes = np.array([pf.metadata.row_group(g).num_rows for g in range(pf.num_row_groups)], dtype=np.int64)
            ends = np.cumsum(sizes)
            starts = ends - sizes
            groups = [g for g in range(len(sizes)) if starts[g] < span[1] and ends[g] > span[0]]
            if groups:
                table = pf.read_row_groups(groups)
                first = int(starts[groups[0]])
                table = table.slice(span[0] - first, span[1] - span[0])
                first = span[0]
            else:
                table, first = pf.schema_arrow.empty_table(), span[0]
        frame = table.to_pandas()
    except (pa.ArrowException, OSError) as exc:
        raise ParseError(f"{src.name}: not a readable Parquet file ({exc}); it may be truncated or damaged") from exc
    frame["__row"] = np.arange(first, first + len(frame))
    return frame


def _load(src: Source, kind: str, report: ParseReport, rows=None) -> pd.DataFrame:
    if kind == "parquet":
        return _load_parquet(src, report, rows)
    if rows is not None:
        raise ValueError("rows= is for Parquet files only")
    data = src.read_bytes()
    text, enc = decode_bytes(data, report)
    report.decisions["encoding"] = enc
    if kind == "jsonl":
        report.units = "records"
        rows = []
        keys: set[str] = set()
        lines = text.split("\n")
        for i, line in enumerate(lines):  # per record; json.loads is the cost either way
            if not line.strip():
                if i < len(lines) - 1 or line:
                    report.skip("blank line")
                continue
            try:
                obj = _loads(line)
            except (json.JSONDecodeError, JSONRefused) as exc:  # all that _loads raises; both have .msg
                report.add_problem(i + 1, f"not a JSON object ({exc.msg})", line)
                continue
            if not isinstance(obj, dict):
                report.add_problem(i + 1, "not a JSON object", line)
                continue
            if len(obj) > MAX_COLUMNS:
                raise _too_wide(src, len(obj))
            keys.update(obj)
            if len(keys) > MAX_COLUMNS:
                raise _too_wide(src, len(keys))
            obj["__row"] = i + 1
            rows.append(obj)
        report.total = sum(1 for ln in lines if ln.strip()) + report.skipped
        frame = pd.DataFrame(rows)
        return frame
    report.units = "records"
    header = text[: text.find("\n")] if "\n" in text else text
    if header.count(",") >= MAX_COLUMNS:  # an upper bound: quoted commas count too
        raise _too_wide(src, header.count(",") + 1)
    try:
        # index_col=False: a first record with more fields than the header must not turn the leading
        # columns into an index (it shifted every column, and a MultiIndex of 2,500 levels made a
        # 5.6 KB file take 3 CPU-s); pandas drops the extra fields and warns, and the report says so
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", pd.errors.ParserWarning)
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""], index_col=False)
    except (pd.errors.ParserError, ValueError) as exc:
        raise ParseError(f"{src.name}: not a readable CSV ({exc}); check the delimiter and quoting") from exc
    if any(issubclass(w.category, pd.errors.ParserWarning) for w in caught):
        report.notice(
            "some records have more fields than the header; the fields past the header's columns were "
            "dropped (check the delimiter and quoting)"
        )
    return frame


def _wall_clock(text: pd.Series, fmt: Literal["ISO8601", "mixed"], report: ParseReport) -> pd.Series:
    """Timestamps without a trailing UTC offset, as naive wall-clock times (unparsable: NaT).

    A value can still carry a time zone in another form ("UTC", "+05", an offset before other text);
    pandas then returns aware times, or refuses to mix them with naive ones. Those are read as instants
    and given as UTC wall clock, and the report says so.
    """
    try:
        out = pd.to_datetime(text, errors="coerce", format=fmt)
    except (ValueError, TypeError, OverflowError):  # "Mixed timezones detected"
        out = pd.to_datetime(text, errors="coerce", format=fmt, utc=True)
    if isinstance(out.dtype, pd.DatetimeTZDtype):
        out = out.dt.tz_convert("UTC").dt.tz_localize(None)
        report.notice(
            "some timestamps carry a time zone in a form other than a trailing UTC offset "
            "(a name such as 'UTC', or a short offset); they were read as UTC"
        )
    return out


def _timestamps(values: pd.Series, tz: str | None, report: ParseReport) -> pd.Series:
    num = pd.to_numeric(values, errors="coerce")
    if num.notna().all() and len(num):
        mag = num.abs().max()
        unit: Literal["s", "ms", "us", "ns"] = (
            "s" if mag < 1e11 else "ms" if mag < 1e14 else "us" if mag < 1e17 else "ns"
        )
        report.decisions["timestamp_unit"] = unit
        out = pd.to_datetime(num, unit=unit, utc=True)
        return out.dt.tz_convert(tz) if tz else out
    text = values.astype("str")
    has_offset = text.str.contains(r"(?:Z|[+-]\d{2}:?\d{2})$", regex=True, na=False)
    if has_offset.any():
        out = pd.to_datetime(text, utc=True, errors="coerce", format="ISO8601")
        if (~has_offset & values.notna()).any():
            naive = _wall_clock(text.where(~has_offset), "ISO8601", report)
            local = naive.dt.tz_localize(tz or "UTC", ambiguous="NaT", nonexistent="shift_forward")
            out = out.where(has_offset, local.dt.tz_convert("UTC"))
            report.notice(
                "some timestamps carry a UTC offset and some do not; those without were "
                f"read as {tz or 'UTC'} wall clock"
            )
        return out.dt.tz_convert(tz) if tz else out
    naive = _wall_clock(text, "ISO8601", report)
    if naive.isna().sum() > values.isna().sum():
        naive = naive.fillna(_wall_clock(text, "mixed", report))
    ok = naive.notna().to_numpy()
    out = pd.Series(pd.NaT, index=values.index, dtype=pd.DatetimeTZDtype("us", tz or "UTC"))
    local = localize_wall_clock(naive[ok].to_numpy(dtype="datetime64[us]"), tz, np.flatnonzero(ok) + 1, report)
    out[ok] = local.to_numpy()
    return out


def _read(src: Source, opts: ReadOptions) -> tuple[pd.DataFrame, list[ParseReport]]:
    report = ParseReport(source=src.name, format="table", units="records")
    kind = _kind_of(src, opts.extra.get("kind"))
    frame = _load(src, kind, report, opts.extra.get("rows"))
    rows = (
        frame.pop("__row")
        if "__row" in frame.columns
        else pd.Series(
            np.arange(len(frame)) + 2,  # CSV: header
            index=frame.index,
        )
    )
    if kind != "jsonl":
        report.total = len(frame)
    mapping = dict(opts.extra.get("columns") or {})
    frame = frame.rename(columns=mapping)
    missing = [c for c in ("timestamp", "sender", "text") if c not in frame.columns]
    if missing:
        raise ParseError(
            f"{src.name}: no column for {missing}; the table has {list(frame.columns)}. Pass "
            "columns={'your_name': 'timestamp', ...} to map them."
        )
    if "conversation_id" not in frame.columns:
        frame["conversation_id"] = opts.conversation_id or src.name
    if kind == "parquet" and "message_id" not in frame.columns:
        # the record's number in the file: the same id whether the file is read whole or by row groups
        conv = frame["conversation_id"] if opts.conversation_id is None else opts.conversation_id
        frame["message_id"] = pd.Series(conv, index=frame.index).astype("str") + ":" + rows.astype("str")
    ts = _timestamps(frame["timestamp"], opts.tz, report)
    bad_ts = ts.isna() & frame["timestamp"].notna() | frame["timestamp"].isna()
    kind_col = (
        frame["kind"].fillna("text").astype("str")
        if "kind" in frame.columns
        else pd.Series("text", index=frame.index, dtype="str")
    )
    bad_kind = ~kind_col.isin(KINDS)
    no_sender = frame["sender"].isna() & kind_col.ne("system")
    no_sender = no_sender & ~bad_ts  # one problem per record, the first reason found
    for mask, reason in (
        (bad_ts, "unreadable or missing timestamp"),
        (no_sender, "no sender"),
        (bad_kind & ~bad_ts & ~no_sender, f"kind not one of {list(KINDS)}"),
    ):
        for i in np.flatnonzero(mask.to_numpy())[:1000]:
            report.add_problem(int(rows.iloc[i]), reason, str(frame["text"].iloc[i])[:80])
        report.unplaced += max(0, int(mask.sum()) - 1000)
    keep = ~(bad_ts | no_sender | bad_kind)
    out = frame.loc[keep].assign(timestamp=ts[keep], kind=kind_col[keep])
    if "platform" in out.columns:
        known = out["platform"].astype("str").isin(schema.PLATFORMS)  # grows as readers register
        if not known.all():
            report.notice(f"{int((~known).sum())} rows name a platform this library does not know: set to 'other'")
        out = out.assign(platform=out["platform"].astype("str").where(known, "other"))
    report.messages = int(keep.sum())
    if kind == "csv":
        out = out.assign(source_line=rows[keep].astype("Int64"))
    cols = [
        c
        for c in ("conversation_id", "message_id", "timestamp", "sender", "text", "kind", "platform", *OPTIONAL_COLUMNS)
        if c in out.columns
    ]
    out = coerce(out[cols].reset_index(drop=True), platform="table")
    return out, [report]


register(
    ParserSpec(
        name="table",
        platform="table",
        description="CSV, JSON lines or Parquet with one message per row (conversation_id, timestamp, sender, text)",
        patterns=("*.csv", "*.jsonl", "*.ndjson", "*.parquet"),
        where="Your own corpus, or the output of `reconnect-signals parse ... -o messages.csv|.parquet`.",
        sniff=_sniff,
        read=_read,
        options=("columns", "kind", "rows"),
    )
)
