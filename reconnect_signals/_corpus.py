"""Research at scale: score a corpus of exports (pandas or Dask) and export to ConvoKit.

:func:`score_corpus` reads many exports (folders, globs, mixed formats), computes the
cue tables of every conversation and writes one Parquet or CSV table. Each file is read
and scored on its own — every conversation stays in one partition: table files sharing a
conversation id are grouped, and large Parquet files are cut between conversations — so one
bad file never stops the corpus: it is listed in ``df.attrs["reconnect_signals"]["failed"]``.

The Dask engine runs the very same per-file functions (on a cluster, one plain task per
batch of files; with a local scheduler or ``lazy=True``, ``dask.dataframe.from_map`` over the
batches, then ``map_partitions`` with an explicit ``meta``) on a ``LocalCluster`` bound to
127.0.0.1 or on a scheduler you name, so both engines give equal tables.

:func:`to_convokit` writes a message frame in ConvoKit's corpus layout without
depending on ``convokit``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import tempfile
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .schema import REQUIRED_COLUMNS, empty_frame, validate

if TYPE_CHECKING:  # pragma: no cover
    import dask.dataframe as dd

    from ._anonymize import Roster
    from .io._api import ChatSource

__all__ = ["DaskPreflightError", "RemoteFile", "score_corpus", "to_convokit"]

logger = logging.getLogger(__name__)

_ENGINES = ("pandas", "dask")
_LOCAL_SCHEDULERS = ("threads", "processes", "synchronous", "sync", "single-threaded")
_INFO = "_rs_info"
_FILE = "_rs_file"


# ---------------------------------------------------------------------------------------
# the per-file functions (shared by both engines; module level so workers can pickle them)
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Job:
    """What to do with each file. Holds no secret: pseudonyms are made on the client."""

    format: str = "auto"
    tz: str | None = None
    by: tuple[str, ...] | None = ("conversation_id", "sender")
    freq: str | None = None
    read_kwargs: dict = field(default_factory=dict)
    table_kwargs: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RemoteFile:
    """An input named by an fsspec URL (``s3://``, ``gs://``, ``abfs://``, ``memory://``, ...).

    Workers open it themselves (with their own credentials); only the URL travels.
    """

    url: str
    size: int | None = None

    @property
    def name(self) -> str:
        return self.url

    def open(self):
        """The file's bytes as a named, bounded in-memory file for :func:`reconnect_signals.read_chat`."""
        import io

        import fsspec

        from .io._text import DEFAULT_LIMITS

        with fsspec.open(self.url, "rb") as fh:
            data = fh.read(DEFAULT_LIMITS.max_bytes + 1)  # read_chat refuses what is over the limit
        buf = io.BytesIO(data)
        buf.name = self.url.rstrip("/").rsplit("/", 1)[-1]
        return buf


@dataclass(frozen=True)
class _Piece:
    """Rows ``start:stop`` of a large Parquet table file: scored as a file of its own.

    A large table file is split into pieces of about :data:`_PIECE_ROWS` rows, cut where one
    conversation ends and the next begins, so it becomes several partitions (Dask) or is read
    a bounded chunk at a time (pandas), each conversation whole in one piece. Reading a piece
    decodes only the row groups that hold its rows (``read_chat(..., rows=(start, stop))``).
    """

    source: Any  # a local path or a RemoteFile
    start: int
    stop: int
    nbytes: int  # estimated uncompressed size of the rows (what reading them costs in memory)

    @property
    def name(self) -> str:
        return f"{_display(self.source, 0)} [rows {self.start}-{self.stop - 1}]"


#: A Parquet table file with more rows than this (and more than one row group) is split into
#: pieces of about this many rows, cut between conversations (see :func:`_split_one`).
_PIECE_ROWS = 100_000


def _source(item):
    """What :func:`reconnect_signals.read_chat` gets for an input (a remote file is fetched here)."""
    if isinstance(item, _Piece):
        return _source(item.source)
    return item.open() if isinstance(item, RemoteFile) else item


def _message_meta(tz: str | None) -> pd.DataFrame:
    meta = empty_frame(tz or "UTC")
    meta[_FILE] = pd.Series([], dtype="int64")
    meta[_INFO] = pd.Series([], dtype="str")
    return meta


def _display(item, index: int) -> str:
    """How a source is named in the file report (never the content of in-memory bytes)."""
    if isinstance(item, (str, os.PathLike)):
        return str(item)
    name = getattr(item, "name", None)
    return str(name) if isinstance(name, str) else f"<{type(item).__name__} #{index}>"


def _read_file(index: int, item, job: _Job, unit: int | None = None) -> pd.DataFrame:
    """One export -> its messages (required columns, one time zone) plus a status row.

    Messages carry ``unit`` (the scoring unit: the file itself, or for table files the first
    file of the group of table files that share a conversation id) in ``_rs_file``; the
    status row carries the file's own index. Never raises for a bad file: the error goes
    into the status row's ``_rs_info``.
    """
    unit = index if unit is None else unit
    from .io import parse_reports, read_chat

    info: dict = {"source": _display(item, index)}
    if unit != index:
        info["unit"] = int(unit)
    try:
        kwargs = {"errors": "ignore", **job.read_kwargs}
        fmt = job.format
        if isinstance(item, _Piece):
            fmt, kwargs["rows"] = "table", (item.start, item.stop)
        msgs = read_chat(_source(item), fmt, tz=job.tz, **kwargs)
        reports = parse_reports(msgs)
        info["format"] = msgs.attrs.get("reconnect_signals", {}).get("format")
        info["messages"] = len(msgs)
        info["unplaced"] = int(sum(r.unplaced for r in reports))
        info["lines"] = int(sum(r.total for r in reports))
        info["continuations"] = int(sum(r.continuations for r in reports))
        info["skipped"] = int(sum(r.skipped for r in reports))
        info["problems"] = int(sum(len(r.problems) for r in reports))
        info["conversations"] = [str(c) for c in pd.unique(msgs["conversation_id"].dropna())]
        msgs = msgs[list(REQUIRED_COLUMNS)]
        msgs = msgs.assign(timestamp=msgs["timestamp"].dt.tz_convert(job.tz or "UTC"))
    except Exception as exc:  # one bad file never stops the corpus
        logger.info("score_corpus: cannot read %s: %s: %s", item, type(exc).__name__, exc)
        info["error"] = f"{type(exc).__name__}: {exc}"
        msgs = empty_frame(job.tz or "UTC")
    msgs.attrs = {}
    status = _message_meta(job.tz).reindex([0])
    status[_FILE] = index
    status[_INFO] = json.dumps(info)
    msgs = msgs.assign(**{_FILE: np.int64(unit)})
    msgs[_INFO] = pd.Series(np.nan, index=msgs.index, dtype="str")
    out = pd.concat([msgs, status], ignore_index=True)
    out[_FILE] = out[_FILE].astype("int64")
    return out


def _table(msgs: pd.DataFrame, job: _Job) -> pd.DataFrame:
    """The cue table of some conversations' messages."""
    from .table import cue_table

    by = list(job.by) if job.by is not None else None
    out = cue_table(msgs, by=by, freq=job.freq, **job.table_kwargs)
    out.attrs = {}
    return out.reset_index(drop=True)


_SEP = "\x1f"


def _table_batched(msgs: pd.DataFrame, files: np.ndarray, job: _Job) -> pd.DataFrame:
    """One cue table for the messages of several files, as if each file were scored alone.

    Conversation ids are made unique per file for the call (the same chat exported twice
    stays two conversations), and with ``freq`` each file is scored on its own (windows
    span each file's own first to last message).
    """
    if job.freq is not None:
        return pd.concat([_table(msgs[files == f], job) for f in pd.unique(files)], ignore_index=True)
    tagged = msgs.assign(
        conversation_id=pd.Series(files, index=msgs.index).map("{:09d}".format).astype("str")
        + _SEP
        + msgs["conversation_id"]
    )
    out = _table(tagged, job)
    out["conversation_id"] = out["conversation_id"].str.slice(10).astype("str")
    return out


def _read_batch(batch: list, job: _Job, units: dict | None = None) -> pd.DataFrame:
    """Several exports -> their messages and status rows (one Dask partition)."""
    units = units or {}
    return pd.concat([_read_file(i, item, job, units.get(i)) for i, item in batch], ignore_index=True)


def _score_part(part: pd.DataFrame, job: _Job) -> pd.DataFrame:
    """Messages of some files (plus one status row each) -> cue table rows (plus the status rows).

    Every conversation of a file is in the same partition, so the result does not depend
    on how files are grouped into partitions.
    """
    is_status = part[_INFO].notna()
    status = part.loc[is_status, [_FILE, _INFO]]
    infos = {int(f): json.loads(i) for f, i in zip(status[_FILE], status[_INFO], strict=True)}
    msgs = part.loc[~is_status]
    files = msgs[_FILE].to_numpy()
    msgs = msgs.drop(columns=[_FILE, _INFO])
    # Dask may hand partitions over with its own string dtype: back to the frame's "str"
    msgs = msgs.astype({c: "str" for c in ("conversation_id", "message_id", "sender", "text")})
    msgs.attrs = {}
    table = None
    if len(msgs):
        try:
            table = _table_batched(msgs, files, job)
        except Exception:
            table = None
        if table is None:  # find the file that fails, score the others
            pieces = []
            for f in pd.unique(files):
                try:
                    pieces.append(_table_batched(msgs[files == f], files[files == f], job))
                except Exception as exc:  # scoring errors are per file (per unit of files) too
                    members = [k for k, inf in infos.items() if inf.get("unit", k) == int(f)] or [int(f)]
                    for k in members:
                        info = infos.setdefault(k, {})
                        logger.info(
                            "score_corpus: cannot score %s: %s: %s", info.get("source"), type(exc).__name__, exc
                        )
                        info["error"] = f"{type(exc).__name__}: {exc}"
            table = pd.concat(pieces, ignore_index=True) if pieces else None
    if table is None:
        table = _empty_table(job)
    table[_INFO] = pd.Series(np.nan, index=table.index, dtype="str")
    rows = table.iloc[:0].reindex(range(len(infos)))
    rows[_INFO] = [json.dumps(infos[f]) for f in sorted(infos)]
    out = pd.concat([table, rows], ignore_index=True)
    return out


def _sample_messages(tz: str | None) -> pd.DataFrame:
    from .schema import coerce

    raw = pd.DataFrame(
        {
            "conversation_id": ["c", "c", "c"],
            "timestamp": ["2024-01-01 10:00", "2024-01-01 10:01", "2024-01-08 10:02"],
            "sender": ["a", "b", "a"],
            "text": ["hi you", "hello, how are you?", "good"],
            "kind": ["text", "text", "text"],
        }
    )
    return coerce(raw, tz=tz or "UTC")


_EMPTY: dict = {}


def _empty_table(job: _Job) -> pd.DataFrame:
    """A zero-row cue table with the right columns and dtypes (made once from a tiny sample)."""
    key = (job.tz, job.by, job.freq, repr(sorted(job.table_kwargs.items())))
    if key not in _EMPTY:
        _EMPTY[key] = _table(_sample_messages(job.tz), job).iloc[:0]
    return _EMPTY[key].copy()


def _score_meta(job: _Job) -> pd.DataFrame:
    sample = _sample_messages(job.tz)
    sample = sample.assign(**{_FILE: np.int64(0)})
    sample[_INFO] = pd.Series(np.nan, index=sample.index, dtype="str")
    status = _message_meta(job.tz).reindex([0])
    status[_FILE] = 0
    status[_INFO] = json.dumps({"source": "<sample>"})
    part = pd.concat([sample, status], ignore_index=True)
    part[_FILE] = part[_FILE].astype("int64")
    return _score_part(part, job).iloc[:0]


def _size(item) -> int:
    if isinstance(item, _Piece):
        return item.nbytes
    if isinstance(item, RemoteFile):
        return item.size or 0
    try:
        return len(item) if isinstance(item, (bytes, bytearray)) else os.stat(item).st_size
    except (OSError, TypeError):
        return 0


#: Memory of one message row once read (str columns, timestamp, kind), for weighing Parquet
#: files whose dictionary-encoded columns are much smaller on disk (and in their metadata).
_ROW_BYTES = 200


def _weight(item) -> int:
    """What reading ``item`` costs in memory, roughly: Parquet by rows and uncompressed size, else bytes."""
    if isinstance(item, (str, os.PathLike)) and str(item).lower().endswith((".parquet", ".pq")):
        try:
            import pyarrow.parquet as pq

            meta = pq.read_metadata(os.fspath(item))
            nbytes = sum(meta.row_group(g).total_byte_size for g in range(meta.num_row_groups))
            return int(max(nbytes, meta.num_rows * _ROW_BYTES))
        except Exception:  # unreadable: the scoring pass reports it
            pass
    return _size(item)


def _batches(items: list, max_bytes: int = 8 * 1024**2, max_files: int = 16, units: dict | None = None) -> list[list]:
    """Consecutive files grouped into partitions of about ``max_bytes`` (or ``max_files``).

    Sizes are what reading costs (:func:`_weight`: Parquet uncompressed), not bytes on disk.

    Files of one unit (table files sharing a conversation id, see :func:`_plan_units`) always
    go into the same partition, however many they are. Both engines use the same batches, so
    their tables are identical to the last bit (a batch's floating-point sums can differ from
    another batching's in the last place).
    """
    units = units or {}
    groups: dict[int, list] = {}
    for i, item in enumerate(items):
        groups.setdefault(units.get(i, i), []).append((i, item))
    batches: list[list] = []
    current: list[tuple[int, object]] = []
    size = 0
    for members in groups.values():  # in order of each unit's first file
        n = sum(_weight(item) for _, item in members)
        if current and (size + n > max_bytes or len(current) + len(members) > max(max_files, 1)):
            batches.append(current)
            current, size = [], 0
        current.extend(members)
        size += n
    if current:
        batches.append(current)
    return batches


_PARQUET_SUFFIXES = (".parquet", ".pq")


def _may_be_parquet(item, job: _Job) -> bool:
    """Whether ``item`` is read by the table reader as Parquet (by name or magic bytes)."""
    if job.format not in ("auto", "table") or job.read_kwargs.get("kind") not in (None, "parquet"):
        return False
    if isinstance(item, RemoteFile):
        return item.url.lower().endswith(_PARQUET_SUFFIXES)
    if not isinstance(item, (str, os.PathLike)) or "://" in str(item):
        return False
    path = Path(item)
    if path.suffix.lower() in _PARQUET_SUFFIXES:
        return path.is_file()
    if job.format != "table" or not path.is_file():
        return False
    with open(path, "rb") as fh:
        return fh.read(4) == b"PAR1"


class _ParquetOpen:
    """``with _ParquetOpen(item) as pf``: a ``pyarrow.parquet.ParquetFile`` (local or fsspec URL)."""

    def __init__(self, item):
        self.item = item.source if isinstance(item, _Piece) else item
        self.fh = None

    def __enter__(self):
        import pyarrow.parquet as pq

        if isinstance(self.item, RemoteFile):
            import fsspec

            self.fh = fsspec.open(self.item.url, "rb").open()
            return pq.ParquetFile(self.fh)
        return pq.ParquetFile(os.fspath(self.item))

    def __exit__(self, *exc) -> None:
        if self.fh is not None:
            self.fh.close()


def _cuts(runs: np.ndarray, n: int, limit: int) -> list[int]:
    """Row numbers where pieces of about ``limit`` rows start, each at a conversation's first row."""
    cuts = [0]
    while n - cuts[-1] > limit:
        k = int(np.searchsorted(runs, cuts[-1] + limit))  # the first conversation starting at or after
        if k >= len(runs):
            break
        cuts.append(int(runs[k]))
    return cuts


def _split_one(item, pf, job: _Job, limit: int) -> tuple[list, list[list[str]]] | None:
    """``(pieces, ids of each piece)`` for one large Parquet file, or None to keep it whole.

    Reads the conversation id column only. When each conversation's rows are consecutive
    (a table sorted or grouped by conversation), pieces are cut between conversations. When
    they are interleaved, the pieces are whole row groups and the index pass groups those
    that share a conversation (correct; less parallel and, at worst, one unit).
    """
    meta = pf.metadata
    n = meta.num_rows
    if n <= limit:
        return None
    col = _conversation_column(job)
    sizes = np.array([meta.row_group(g).num_rows for g in range(meta.num_row_groups)], dtype=np.int64)
    per_row = sum(meta.row_group(g).total_byte_size for g in range(meta.num_row_groups)) / max(n, 1)
    if col is None or col not in pf.schema_arrow.names:
        return None  # one conversation (named after the file): nothing to split
    import pyarrow as pa
    import pyarrow.compute as pc

    column = pf.read(columns=[col]).column(0)
    if pa.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    if column.null_count:
        return None
    encoded = pc.dictionary_encode(column.combine_chunks())
    dictionary = np.asarray([str(v) for v in encoded.dictionary.to_pylist()], dtype=object)
    code = encoded.indices.to_numpy(zero_copy_only=False)
    runs = np.flatnonzero(np.r_[True, code[1:] != code[:-1]])
    if len(runs) == len(dictionary):  # every conversation in one run of rows: cut between them
        cuts = _cuts(runs, n, limit)
    else:  # interleaved: whole row groups; the index pass groups pieces sharing a conversation
        ends = np.cumsum(sizes)
        cuts = [0]
        for end in ends[:-1]:
            if int(end) - cuts[-1] >= limit:
                cuts.append(int(end))
    if len(cuts) < 2:
        return None
    bounds = [*cuts, n]
    pieces, ids = [], []
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        pieces.append(_Piece(item, a, b, int(max(per_row, _ROW_BYTES) * (b - a))))
        ids.append(list(dictionary[pd.unique(code[a:b])]))
    return pieces, ids


def _split_large(items: list, job: _Job, piece_rows: int | None = None) -> tuple[list, list[int], dict]:
    """Large Parquet table files -> pieces; ``(pieces, owner, ids)``.

    ``owner[p]`` is the index in ``items`` of piece ``p``; ``ids[p]`` the conversation ids of a
    piece (known from the split, so the index pass does not read it again). Only footers and
    the conversation id column are read. Every other input (and a Parquet file of at most
    ``piece_rows`` rows) is its own piece.
    """
    limit = piece_rows or _PIECE_ROWS
    pieces, owner, ids = [], [], {}
    for i, item in enumerate(items):
        split = None
        if _may_be_parquet(item, job):
            try:
                with _ParquetOpen(item) as pf:
                    split = _split_one(item, pf, job, limit)
            except Exception:  # not readable as Parquet: the scoring pass reports it
                split = None
        if split is None:
            pieces.append(item)
            owner.append(i)
            continue
        for piece, conv in zip(*split, strict=True):
            ids[len(pieces)] = conv
            pieces.append(piece)
            owner.append(i)
    return pieces, owner, ids


def _conversation_column(job: _Job) -> str | None:
    """The table column that becomes ``conversation_id`` (None: each file is one conversation)."""
    if job.read_kwargs.get("conversation_id") is not None:
        return None
    mapping = dict(job.read_kwargs.get("columns") or {})
    for src, dst in mapping.items():
        if dst == "conversation_id":
            return str(src)
    return None if "conversation_id" in mapping else "conversation_id"


def _parquet_ids(item, job: _Job) -> list[str]:
    """The conversation ids of a Parquet file or piece from its id column only.

    A row group whose statistics say it holds one id (min == max, no nulls) is not read at
    all; any other row group contributes the distinct values of that one column.
    """
    import pyarrow.compute as pc

    col = _conversation_column(job)
    with _ParquetOpen(item) as pf:
        names = pf.schema_arrow.names
        if col is None or col not in names:  # the reader names the conversation after the file
            fixed = job.read_kwargs.get("conversation_id")
            if fixed is not None:
                return [str(fixed)]
            name = item.url.rstrip("/").rsplit("/", 1)[-1] if isinstance(item, RemoteFile) else Path(item).name
            return [name]
        groups = range(pf.metadata.num_row_groups)
        leaf = pf.schema_arrow.get_field_index(col)
        column = (
            next((j for j in range(pf.metadata.num_columns) if pf.metadata.schema.column(j).path == col), None)
            if leaf >= 0
            else None
        )
        seen: dict[str, None] = {}
        for g in groups:
            stats = pf.metadata.row_group(g).column(column).statistics if column is not None else None
            if (
                stats is not None
                and stats.has_min_max
                and stats.null_count == 0
                and stats.min == stats.max
                and isinstance(stats.min, str)
            ):
                seen.setdefault(stats.min, None)
                continue
            values = pc.unique(pf.read_row_group(g, columns=[col]).column(0)).drop_null()
            for v in values.to_pylist():
                seen.setdefault(str(v), None)
        return list(seen)


def _index_file(item, job: _Job) -> list[str] | None:
    """The conversation ids of a table file (CSV/JSONL/Parquet), or None for any other export.

    Parquet files (and pieces of them) are indexed from the ``conversation_id`` column alone
    (:func:`_parquet_ids`); CSV and JSON lines files are read.
    """
    from .io import detect_format, read_chat

    if _may_be_parquet(item, job):
        try:
            return _parquet_ids(item, job)
        except Exception:  # the scoring pass reports the file
            return None
    if not isinstance(item, (str, os.PathLike, RemoteFile)):
        return None
    try:
        if (
            isinstance(item, RemoteFile)
            and job.format == "auto"
            and not item.url.lower().endswith((".csv", ".jsonl", ".ndjson", ".parquet", ".pq", ".csv.gz"))
        ):
            return None  # not fetched twice unless its name says table
        src = _source(item)
        fmt = job.format if job.format != "auto" else detect_format(src)
        if fmt != "table":
            return None
        if hasattr(src, "seek"):
            src.seek(0)
        kwargs = {"errors": "ignore", **job.read_kwargs}
        ids = read_chat(src, "table", tz=job.tz, **kwargs)["conversation_id"].dropna()
        return [str(c) for c in pd.unique(ids)]
    except Exception:  # the scoring pass reports the file
        return None


def _plan_units(items: list, job: _Job, index=None, known: dict | None = None) -> dict[int, int]:
    """Pass 1 of the two-pass index: group table files that share a conversation id.

    Returns ``{file index: unit}`` for the table files whose unit is another file (the first
    file of its group); every other file is its own unit. A conversation split over
    ``part-*.parquet`` files or monthly CSV dumps is then scored as one conversation.
    """
    known = known or {}
    index = index or (lambda its: [_index_file(it, job) for it in its])
    candidates = [i for i, it in enumerate(items) if isinstance(it, (str, os.PathLike, RemoteFile, _Piece))]
    if len(candidates) < 2:
        return {}
    todo = [i for i in candidates if i not in known]
    found = dict(zip(todo, index([items[i] for i in todo]), strict=True))
    ids = [known[i] if i in known else found[i] for i in candidates]
    parent = {i: i for i in candidates}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    for i, conv in zip(candidates, ids, strict=True):
        for c in conv or ():
            if c in first:
                a, b = find(first[c]), find(i)
                parent[max(a, b)] = min(a, b)
            else:
                first[c] = i
    return {i: find(i) for i in candidates if find(i) != i}


# ---------------------------------------------------------------------------------------
# engines
# ---------------------------------------------------------------------------------------
def _iter_pandas(batches: list, job: _Job, units: dict, progress: bool | None):
    """(batch number, scored partition) for each batch, in order."""
    from tqdm import tqdm  # plain bar: tqdm.auto warns in notebooks without ipywidgets

    disable = None if progress is None else not progress
    with tqdm(total=sum(len(b) for b in batches), desc="scoring", unit="file", disable=disable) as bar:
        for k, batch in enumerate(batches):
            yield k, _score_part(_read_batch(batch, job, units), job)
            bar.update(len(batch))


_PREFLIGHT_SOURCE = """
def preflight(paths):
    import importlib
    import os
    import socket
    try:
        mod = importlib.import_module("reconnect_signals")
    except BaseException as exc:
        return {"host": socket.gethostname(), "error": f"cannot import reconnect_signals: {type(exc).__name__}: {exc}"}
    unreadable = [p for p in paths if not os.access(p, os.R_OK)]
    return {"host": socket.gethostname(), "version": getattr(mod, "__version__", None), "unreadable": unreadable}
"""


def _preflight_function():
    """The worker check, defined outside any module so it reaches a worker that lacks the library.

    cloudpickle sends a function of an unimportable module by value; a function of
    ``reconnect_signals`` would be sent by reference and fail to unpickle on exactly the
    worker this check is for.
    """
    namespace: dict = {"__name__": "reconnect_signals_preflight"}
    exec(_PREFLIGHT_SOURCE, namespace)  # a fixed literal above, never user input
    return namespace["preflight"]


class DaskPreflightError(RuntimeError):
    """A Dask worker cannot score the corpus (library missing, other version, inputs unreadable)."""


def _preflight(client, items: list, timeout: float) -> None:
    """Check every worker within ``timeout`` seconds; raise naming the workers that cannot work."""
    import concurrent.futures

    from . import __version__

    files = dict.fromkeys(it.source if isinstance(it, _Piece) else it for it in items)  # a split file once
    local = [str(it) for it in files if isinstance(it, (str, os.PathLike)) and "://" not in str(it)][:64]
    pool = concurrent.futures.ThreadPoolExecutor(1)
    try:
        future = pool.submit(client.run, _preflight_function(), local, on_error="return")
        results = future.result(timeout=timeout)
    except concurrent.futures.TimeoutError:
        raise DaskPreflightError(
            f"score_corpus: the Dask workers did not answer the preflight check within {timeout:g} s; "
            "check that they are running and can reach the scheduler"
        ) from None
    finally:
        pool.shutdown(wait=False)
    if not results:
        raise DaskPreflightError("score_corpus: the Dask cluster has no workers; start some or use engine='pandas'")
    problems = []
    for worker, res in sorted(results.items()):
        if isinstance(res, BaseException):
            problems.append(f"{worker}: {type(res).__name__}: {res}")
        elif "error" in res:
            problems.append(f"{worker}: {res['error']}")
        elif res["version"] != __version__:
            problems.append(f"{worker}: reconnect_signals {res['version']} (this process has {__version__})")
        elif res["unreadable"]:
            problems.append(
                f"{worker}: cannot read {len(res['unreadable'])} input(s), first "
                f"{res['unreadable'][0]!r} (use storage every worker sees, or an fsspec URL)"
            )
    if problems:
        raise DaskPreflightError("score_corpus: Dask worker(s) cannot score the corpus: " + "; ".join(problems))


def _connect(scheduler: str, timeout: float):
    from distributed import Client

    try:
        return Client(scheduler, timeout=timeout)
    except (OSError, TimeoutError) as exc:
        raise ConnectionError(
            f"cannot reach the Dask scheduler at {scheduler!r} within {timeout:g} s "
            f"({type(exc).__name__}); check the address and that the scheduler is running"
        ) from None


#: The settings of the LocalCluster score_corpus starts (see :func:`_local_cluster`).
_LEAN_CLUSTER: dict = {
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    # no HTTP routes: distributed still opens the scheduler's and workers' HTTP servers, which then serve nothing
    "distributed.scheduler.http.routes": [],
    "distributed.worker.http.routes": [],
}


def _local_cluster(n_workers: int | None = None):
    """The ``LocalCluster`` score_corpus starts: 127.0.0.1, no dashboard, one thread per worker process.

    No dashboard and no HTTP routes: distributed still starts the scheduler's and the workers' HTTP
    servers (on 127.0.0.1, as everything of the cluster), but with its health, metrics and info
    routes switched off they answer nothing but 404.

    distributed starts workers with ``MALLOC_TRIM_THRESHOLD_=65536`` (freed memory goes back to
    the operating system at once). Scoring allocates and frees many short-lived frames, and
    with that setting the workers spent about twice the system CPU time of the same work in
    one process (measured: ``benchmarks/RESULTS.md``, issue 17), so the C library's default
    is kept here. Nothing reads the cluster's diagnostics (it has no dashboard), so the
    statistical profiler of the workers (a thread sampling the running task every 10 ms) is off
    and the event-loop health check and system monitor run every second and every 5 s instead
    of every 20 ms and 500 ms: measured with 2 workers x 1 thread each doing 10 CPU-s of work,
    the workers spent about 11.7 CPU-s each with distributed's defaults and 10.6 without, the
    client 2.4-3.0 and 1.0-1.5 CPU-s (``benchmarks/dask_overhead.py``). A cluster you start
    yourself keeps your settings; so does one started after another cluster in the same process
    with distributed's defaults (its nannies leave ``MALLOC_TRIM_THRESHOLD_`` in ``os.environ``).
    """
    import dask
    from distributed import LocalCluster

    workers = n_workers or max(1, min(4, os.cpu_count() or 1))
    with dask.config.set(_LEAN_CLUSTER):
        return LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
        )


#: Seconds to wait for a scheduler given by address (distributed retries a refused connection until then).
CONNECT_TIMEOUT = 10.0


def _open_client(scheduler, connect_timeout: float | None = None):
    """(client, close) for a scheduler address, a Client, or a fresh LocalCluster on 127.0.0.1."""
    from distributed import Client

    if scheduler is None:
        cluster = _local_cluster()
        client = Client(cluster)

        def close():
            client.close()
            cluster.close()

        return client, close
    if isinstance(scheduler, str):
        client = _connect(scheduler, CONNECT_TIMEOUT if connect_timeout is None else connect_timeout)
        return client, client.close
    return scheduler, lambda: None  # a Client the caller owns


def _dask_frame(items: list, job: _Job, units: dict | None = None, batches: list | None = None):
    """The lazy Dask frame: ``from_map`` over batches of files, scored with ``map_partitions``.

    A batch never splits a file (nor a unit of table files), so every conversation stays in
    one partition.
    """
    import dask
    import dask.dataframe as dd

    units = units or {}
    batches = batches if batches is not None else _batches(items, units=units)
    with dask.config.set({"dataframe.convert-string": False}):
        msgs = dd.from_map(
            _read_batch,
            batches,
            args=(job, units),
            meta=_message_meta(job.tz),
            label="read-chats",
            enforce_metadata=False,
        )
        return msgs.map_partitions(_score_part, job, meta=_score_meta(job), enforce_metadata=False)


def _scored_delayed(job: _Job, units: dict, batches: list, targets: list[str] | None) -> list:
    """One delayed object per batch: its scored partition, or (``targets``) the worker's part write."""
    import dask
    from dask.base import tokenize

    parts = _dask_frame([], job, units, batches).to_delayed()
    if targets is None:
        return parts
    write = dask.delayed(_score_and_write, pure=False)
    return [
        write(part, job, target, dask_key_name=f"write-part-{k:05d}-{tokenize(target)}")
        for k, (part, target) in enumerate(zip(parts, targets, strict=True))
    ]


def _iter_dask(
    batches: list,
    job: _Job,
    units: dict,
    scheduler,
    progress: bool | None,
    *,
    retries: int = 1,
    timeout: float | None = 600,
    preflight_timeout: float = 30,
    targets: list[str] | None = None,
):
    """(batch number, scored partition) as batches finish (any order).

    With ``targets`` (one part file per batch), each partition is written by the worker that
    scored it and a :class:`_Written` comes back instead of the rows.
    """
    import dask

    if not batches:
        return
    with dask.config.set({"dataframe.convert-string": False}):
        if isinstance(scheduler, str) and scheduler in _LOCAL_SCHEDULERS:
            parts = _scored_delayed(job, units, batches, targets)
            if progress:
                from dask.diagnostics import ProgressBar

                with ProgressBar(out=sys.stderr):
                    done = dask.compute(*parts, scheduler=scheduler)
            else:
                done = dask.compute(*parts, scheduler=scheduler)
            yield from enumerate(done)
            return
        from distributed import wait
        from tqdm import tqdm  # plain bar: tqdm.auto warns in notebooks without ipywidgets

        client, close = _open_client(scheduler)
        try:
            _preflight(client, [it for b in batches for _, it in b], preflight_timeout)
            # one plain task per batch (no dataframe graph to build, optimise and schedule): the
            # client and its scheduler only hand out batches and get the results (or reports) back
            run = uuid.uuid4().hex[:12]
            futures = [
                client.submit(
                    _read_score,
                    batch,
                    job,
                    {i: units[i] for i, _ in batch if i in units},
                    None if targets is None else targets[k],
                    key=f"rs-batch-{k:05d}-{run}",
                    retries=retries,
                    pure=False,
                )
                for k, batch in enumerate(batches)
            ]
            total = len(futures)
            number = {f.key: k for k, f in enumerate(futures)}
            pending = set(futures)
            del futures  # a finished batch's result is released once it is handed over
            disable = None if progress is None else not progress
            with tqdm(total=total, desc="scoring", unit="batch", disable=disable) as bar:
                while pending:
                    try:
                        finished, pending = wait(pending, timeout=timeout, return_when="FIRST_COMPLETED")
                    except TimeoutError:
                        workers = len(client.scheduler_info().get("workers", {}))
                        raise TimeoutError(
                            f"score_corpus: no batch finished within timeout={timeout:g} s ({len(pending)} of "
                            f"{total} batches left, {workers} worker(s) connected); raise timeout= for "
                            "very large batches, or check the workers"
                        ) from None
                    for future in finished:
                        bar.update(1)
                        result = future.result()
                        future.release()
                        yield number.pop(future.key), result
        finally:
            close()


# ---------------------------------------------------------------------------------------
# the run directory (out_dir=): parts per batch, a manifest, resume
# ---------------------------------------------------------------------------------------
#: Test hook (documented in docs/research.md): when this environment variable holds a number
#: N, a run with ``out_dir`` kills its own process with SIGKILL once N input files are
#: recorded in the manifest. Only the resume test uses it; it simulates a crash.
KILL_HOOK = "RECONNECT_SIGNALS_TEST_KILL_AFTER_FILES"


def _content_hash(item) -> str | None:
    """sha256 of a source's bytes (a folder: of its files' relative paths and bytes)."""
    h = hashlib.sha256()
    try:
        if isinstance(item, (bytes, bytearray, memoryview)):
            h.update(item)
            return h.hexdigest()
        if isinstance(item, RemoteFile):
            import fsspec

            with fsspec.open(item.url, "rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    h.update(block)
            return h.hexdigest()
        if not isinstance(item, (str, os.PathLike)):
            return None
        path = Path(item)
        files = sorted(f for f in path.rglob("*") if f.is_file()) if path.is_dir() else [path]
        for f in files:
            if path.is_dir():
                h.update(str(f.relative_to(path)).encode("utf-8", "surrogateescape") + b"\0")
            with open(f, "rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    h.update(block)
        return h.hexdigest()
    except OSError:
        return None


class _RunDir:
    """``out_dir`` of :func:`score_corpus` (a local folder or an fsspec URL such as ``s3://bucket/run``).

    Layout: ``run.json`` (the options; a resumed run must use the same), ``parts/part-NNNNN-KEY.parquet``
    (the cue table rows of batch NNNNN; KEY hashes the batch's sources and their content hashes),
    ``manifest/batch-NNNNN-KEY.json`` (written after its part: the batch's files with their
    status), and at the end ``manifest.csv`` (one row per input: ``done``, ``failed`` with
    its reason, or ``skipped`` when an earlier run had scored it) and ``reports.csv`` (the
    per-file parse reports). Local files are written atomically (renamed into place) and 0644.
    """

    def __init__(self, root, settings: dict, resume: bool):
        import fsspec

        self.url = str(root)
        self.fs, path = fsspec.core.url_to_fs(os.path.expanduser(self.url))
        self.local = "file" in _protocols(self.fs)
        self.root = path.rstrip("/")
        run = self._p("run.json")
        if self.fs.exists(run):
            if not resume:
                raise FileExistsError(
                    f"{self.url!r} holds an earlier run; pass resume=True (--resume) to continue it, "
                    "or choose an empty folder"
                )
            before = json.loads(self.fs.cat_file(run))
            if before != settings:
                changed = sorted(k for k in set(before) | set(settings) if before.get(k) != settings.get(k))
                raise ValueError(
                    f"cannot resume {self.url!r}: it was run with other options ({', '.join(changed)}); "
                    "use the same options or a new folder"
                )
        elif self.fs.exists(self.root) and self.fs.ls(self.root):
            raise FileExistsError(f"{self.url!r} is not empty and holds no run; choose an empty folder")
        for sub in ("parts", "manifest"):
            self.fs.makedirs(self._p(sub), exist_ok=True)
        if not self.fs.exists(run):
            self._put(run, json.dumps(settings, sort_keys=True).encode())
        self.recorded = 0

    def _p(self, *parts: str) -> str:
        return "/".join([self.root, *parts])

    def _put(self, path: str, data: bytes) -> None:
        if not self.local:
            self.fs.pipe_file(path, data)  # one object: written whole or not at all
            return
        _atomic_write_bytes(Path(path), data)

    def _names(self, sub: str) -> list[str]:
        return [p.rstrip("/").rsplit("/", 1)[-1] for p in self.fs.ls(self._p(sub), detail=False)]

    @staticmethod
    def key(batch: list, hashes: dict) -> str:
        ident = json.dumps([[_display(item, i), hashes.get(i)] for i, item in batch])
        return hashlib.sha256(ident.encode("utf-8", "surrogateescape")).hexdigest()[:16]

    def part(self, k: int, key: str) -> str:
        return self._p("parts", f"part-{k:05d}-{key}.parquet")

    def record(self, k: int, key: str) -> str:
        return self._p("manifest", f"batch-{k:05d}-{key}.json")

    def read_part(self, k: int, key: str) -> pd.DataFrame:
        import io

        return pd.read_parquet(io.BytesIO(self.fs.cat_file(self.part(k, key))))

    def part_rows(self, k: int, key: str) -> int:
        import pyarrow.parquet as pq

        with self.fs.open(self.part(k, key), "rb") as fh:
            return pq.ParquetFile(fh).metadata.num_rows

    def done(self, k: int, key: str) -> list[dict] | None:
        """The stored file records of a batch scored earlier without failures, else None."""
        rec = self.record(k, key)
        if not (self.fs.exists(rec) and self.fs.exists(self.part(k, key))):
            return None
        files = json.loads(self.fs.cat_file(rec))
        return files if all(f["status"] == "done" for f in files) else None

    def part_target(self, k: int, key: str) -> str:
        """Where a worker writes batch ``k``'s part: a local path, or the fsspec URL."""
        path = self.part(k, key)
        return path if self.local else self.fs.unstrip_protocol(path)

    def write_part(self, k: int, key: str, table: pd.DataFrame) -> None:
        _write_part(table, self.part_target(k, key))

    def write_record(self, k: int, key: str, files: list[dict]) -> None:
        """The batch's manifest entry, written after its part (a part without one is not done)."""
        self._put(self.record(k, key), json.dumps(files).encode("utf-8"))
        self.recorded += len(files)
        limit = os.environ.get(KILL_HOOK)
        if limit and self.recorded >= int(limit):
            import signal

            os.kill(os.getpid(), signal.SIGKILL)

    def finish(self, plan: list[tuple[int, str]], manifest: list[dict], files: list[dict]) -> None:
        keep = {self.part(k, key) for k, key in plan} | {self.record(k, key) for k, key in plan}
        for sub in ("parts", "manifest"):
            for name in self._names(sub):
                if self._p(sub, name) not in keep and not name.startswith("."):
                    self.fs.rm_file(self._p(sub, name))  # batches of an earlier plan (changed inputs)
        columns = ["source", "sha256", "bytes", "batch", "status", "reason", "format", "messages", "unplaced"]
        self._put(self._p("manifest.csv"), pd.DataFrame(manifest, columns=columns).to_csv(index=False).encode("utf-8"))
        rep_cols = [
            "source",
            "format",
            "lines",
            "messages",
            "continuations",
            "skipped",
            "problems",
            "unplaced",
            "error",
        ]
        self._put(self._p("reports.csv"), pd.DataFrame(files, columns=rep_cols).to_csv(index=False).encode("utf-8"))


def _protocols(fs) -> tuple:
    proto = fs.protocol
    return (proto,) if isinstance(proto, str) else tuple(proto)


def _umask_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_FILE_MODE = _umask_mode()


def _atomic_write(path: Path, write) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    def write(tmp):
        with open(tmp, "wb") as fh:
            fh.write(data)

    _atomic_write(path, write)


def _write_part(table: pd.DataFrame, target: str) -> None:
    """Write a part file (local: atomically, renamed into place; a URL: as one object)."""
    import io

    clean = table.copy(deep=False)
    clean.attrs = {}
    if _is_url(target):
        import fsspec

        buf = io.BytesIO()
        clean.to_parquet(buf, index=False)
        with fsspec.open(target, "wb") as fh:
            fh.write(buf.getvalue())
        return
    _atomic_write(Path(target), lambda tmp: clean.to_parquet(tmp, index=False))


@dataclass
class _Written:
    """What a worker returns for a batch whose part it wrote itself: the row count and file reports."""

    rows: int
    files: list[dict]


def _score_and_write(part: pd.DataFrame, job: _Job, target: str) -> _Written:
    """On a worker: a scored partition -> its part file at ``target``; only the reports travel back."""
    rows, files = _split_part(part)
    rows = _fix_dtypes(rows, job)
    _write_part(rows, target)
    return _Written(len(rows), files)


def _read_score(batch: list, job: _Job, units: dict, target: str | None = None) -> pd.DataFrame | _Written:
    """One Dask task per batch: read and score its files; with ``target``, write the part there too.

    Without a target the scored partition (rows plus status rows) travels back; with one, only a
    :class:`_Written` (row count and file reports) does.
    """
    part = _score_part(_read_batch(batch, job, units), job)
    return part if target is None else _score_and_write(part, job, target)


def _split_part(part: pd.DataFrame) -> tuple[pd.DataFrame, list[dict]]:
    is_status = part[_INFO].notna()
    files = [json.loads(s) for s in part.loc[is_status, _INFO]]
    return part.loc[~is_status].drop(columns=[_INFO]), files


def _duplicates(files: list[dict]) -> list[dict]:
    """Conversation ids found in more than one unit (export, or group of table files): kept apart, reported.

    ``files`` holds one ``{"unit", "source", "conversations"}`` per piece.
    """
    where: dict[str, dict[int, str]] = {}
    for f in files:
        for c in f.get("conversations", ()):
            where.setdefault(c, {}).setdefault(f["unit"], f["source"])
    return [
        {"conversation_id": c, "sources": list(dict.fromkeys(units.values()))}
        for c, units in where.items()
        if len(units) > 1
    ]


_SUMMED = ("messages", "unplaced", "lines", "continuations", "skipped", "problems")


def _merge_pieces(piece_files: list[tuple[int, dict]], owner: list[int], items: list) -> list[dict]:
    """One report per input: the reports of a split file's pieces summed (order of first piece).

    A split file is ``failed`` when any piece failed (the reasons name the row groups),
    ``skipped`` when every piece was done in an earlier run, else ``done``.
    """
    grouped: dict[int, list[dict]] = {}
    for p, f in piece_files:
        grouped.setdefault(owner[p], []).append(f)
    out = []
    for o, parts in grouped.items():
        if len(parts) == 1 and owner.count(o) == 1:
            out.append(parts[0])
            continue
        rec: dict = {"source": _display(items[o], o)}
        rec["format"] = next((f.get("format") for f in parts if f.get("format")), None)
        for c in _SUMMED:
            if any(c in f for f in parts):
                rec[c] = int(sum(f.get(c, 0) for f in parts))
        rec["conversations"] = list(dict.fromkeys(c for f in parts for c in f.get("conversations", ())))
        errors = [f"{f['source']}: {f['error']}" for f in parts if "error" in f]
        if errors:
            rec["error"] = "; ".join(errors)
        rec["pieces"] = len(parts)
        if any("status" in f for f in parts):
            batches = sorted({f["batch"] for f in parts if f.get("batch") is not None})
            status = {f.get("status") for f in parts}
            rec.update(
                sha256=parts[0].get("sha256"),
                bytes=_size(items[o]) or None,
                batch=batches[0] if len(batches) == 1 else " ".join(map(str, batches)),
            )
            if "failed" in status:
                rec.update(status="failed", reason=rec.get("error"))
            elif status == {"skipped"}:
                rec.update(status="skipped", reason=parts[0].get("reason"))
            else:
                rec.update(status="done", reason=None)
        out.append(rec)
    return out


# ---------------------------------------------------------------------------------------
# public API
# ---------------------------------------------------------------------------------------
_MAX_DEPTH = 8


def _is_url(source) -> bool:
    return isinstance(source, str) and "://" in source and not source.startswith("file://")


def _expand_url(url: str) -> list:
    """The files of an fsspec URL: one file, every file under a folder (recursively), or a glob's matches."""
    import fsspec

    fs, path = fsspec.core.url_to_fs(url)
    if any(ch in path for ch in "*?["):
        paths = fs.glob(path)
    elif fs.isdir(path):
        paths = fs.find(path)
    else:
        paths = [path] if fs.exists(path) else []
    out = []
    for p in sorted(paths):
        if p.rstrip("/").rsplit("/", 1)[-1].startswith(".") or fs.isdir(p):
            continue
        out.append(RemoteFile(fs.unstrip_protocol(p), fs.size(p)))
    return out


def _expand_sources(sources, depth: int = 0) -> list:
    """The exports of ``sources``; sub-folders no reader claims (one folder per person) are searched."""
    from .io import expand_sources

    if isinstance(sources, (str, os.PathLike, bytes, bytearray, memoryview)) or hasattr(sources, "read"):
        sources = [sources]
    found = [x for s in sources for x in (_expand_url(s) if _is_url(s) else expand_sources(s))]
    items = []
    for item in found:
        if isinstance(item, Path) and item.is_dir() and depth < _MAX_DEPTH and not item.is_symlink():
            inner = expand_sources(item)
            if inner != [item]:  # no reader claims the folder as one export: search it
                items.extend(_expand_sources(inner, depth + 1) if inner else [])
                continue
        items.append(item)
    return items


def _check_read_kwargs(format: str, read_kwargs: dict) -> None:
    """Refuse misspelt read options now, not once per file."""
    from .io import read_options

    allowed = set(read_options(format))
    unknown = sorted(set(read_kwargs) - allowed)
    if unknown:
        raise TypeError(
            f"score_corpus() got unknown read options {unknown}; it passes on {sorted(allowed)} to rs.read_chat"
        )


def _normalise_by(by) -> tuple[str, ...] | None:
    if by is None:
        return None
    by = (by,) if isinstance(by, str) else tuple(by)
    if "conversation_id" not in by:
        raise ValueError(
            f"score_corpus scores each conversation on its own; include 'conversation_id' in by "
            f"(for example by=('conversation_id', 'sender')), got by={by!r}"
        )
    return by


def _pseudonymise(table: pd.DataFrame, key, by, roster=None) -> pd.DataFrame:
    """The pseudonyms of :func:`reconnect_signals.anonymize` (and scrubbed text for message rows)."""
    from ._anonymize import anonymize

    return anonymize(table, key=key, text="scrub" if by is None else "keep", roster=roster)


_CSV_COMPRESSION = {".csv": None, ".csv.gz": "gzip", ".csv.bz2": "bz2", ".csv.zst": "zstd", ".csv.xz": "xz"}


def _output_kind(output) -> tuple[Path, str, str | None]:
    """(path, "parquet" or "csv", compression) for an output path; raises for other names."""
    path = Path(output).expanduser()
    name = path.name.lower()
    if name.endswith((".parquet", ".pq")):
        return path, "parquet", None
    for suffix, compression in _CSV_COMPRESSION.items():
        if name.endswith(suffix):
            return path, "csv", compression
    raise ValueError(
        f"cannot tell the output format from {path.name!r}; end it in .parquet or .csv "
        "(.csv.gz, .csv.bz2, .csv.xz and .csv.zst are compressed)"
    )


def _write(table: pd.DataFrame, output) -> Path | str:
    """Write ``table`` atomically (a temporary file renamed into place), without attrs.

    An fsspec URL (``s3://bucket/scores.parquet``) is written as one object.
    """
    if _is_url(str(output)):
        import fsspec

        _, kind, compression = _output_kind(output)
        clean = table.copy(deep=False)
        clean.attrs = {}
        with fsspec.open(str(output), "wb") as fh:
            if kind == "parquet":
                clean.to_parquet(fh, index=False)
            else:
                from .io import to_csv_safe

                to_csv_safe(clean, fh, compression=compression)
        return str(output)
    path, kind, compression = _output_kind(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    clean = table.copy(deep=False)
    clean.attrs = {}  # nothing but the table goes into the file
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(fd)
    try:
        if kind == "parquet":
            clean.to_parquet(tmp, index=False)
        else:
            from .io import to_csv_safe  # formulas neutralised for spreadsheets

            to_csv_safe(clean, tmp, compression=compression)
        os.chmod(tmp, _FILE_MODE)  # as a plain open() would (mkstemp makes 0600)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path


def score_corpus(
    sources: ChatSource | Iterable[ChatSource],
    *,
    by: str | Sequence[str] | None = ("conversation_id", "sender"),
    freq: str | None = None,
    anonymize_key: bytes | str | None = None,
    engine: str = "pandas",
    scheduler: str | Any | None = None,
    output: str | os.PathLike | None = None,
    progress: bool | None = None,
    format: str = "auto",
    tz: str | None = None,
    out_dir: str | os.PathLike | None = None,
    resume: bool = False,
    batch_files: int = 16,
    retries: int = 1,
    timeout: float | None = 600,
    roster: Roster | None = None,
    lazy: bool = False,
    collect: bool = True,
    **read_kwargs: Any,
) -> pd.DataFrame | dd.DataFrame:
    """Read many exports and compute their cue tables, with a per-file error report.

    Parameters
    ----------
    sources : path, glob, folder or list of them
        The exports (any mix of formats :func:`reconnect_signals.list_formats` lists). A
        folder contributes every file in it.
    by : str or sequence of str or None, default ("conversation_id", "sender")
        Grouping of :func:`reconnect_signals.cue_table`; must include ``"conversation_id"``
        (each file is scored on its own). ``None`` gives one row per message.
    freq : str, optional
        Window length (``"W"``, ``"MS"``, ...): adds a ``window`` column.
    anonymize_key : bytes or str, optional
        When given, ``conversation_id`` and ``sender`` become keyed pseudonyms (as
        :func:`reconnect_signals.anonymize` makes them) and, with ``by=None``, text is
        scrubbed. The key stays in this process: workers never see it, and it is not
        written anywhere.
    engine : {"pandas", "dask"}, default "pandas"
        ``"dask"`` reads and scores the files in parallel (one task per batch of files on a
        cluster, a ``dask.dataframe.from_map`` partition per batch with a local scheduler or
        ``lazy=True``; a large Parquet file is split into pieces of whole conversations) and
        gives the same table.
    scheduler : str or distributed.Client, optional
        Dask only: a scheduler address (``"tcp://10.0.0.5:8786"``), a ``Client``, or one of
        dask's local schedulers (``"threads"``, ``"processes"``, ``"synchronous"``). By
        default a ``LocalCluster`` bound to 127.0.0.1 (no dashboard) is started and closed.
    output : path, optional
        Also write the table: ``.parquet`` (or ``.pq``) or ``.csv`` (optionally ``.csv.gz``).
    out_dir : path, optional
        A run directory: each batch's rows go to ``parts/part-NNNNN-KEY.parquet`` as soon as
        the batch is scored (read the folder with ``pd.read_parquet(out_dir + "/parts")``),
        each batch's files with their sha256 and status to ``manifest/``, and at the end
        ``manifest.csv`` (one row per input: ``done``, ``failed`` with the reason, or
        ``skipped`` when an earlier run scored it) and ``reports.csv`` (per-file parse
        reports). With ``anonymize_key``, parts hold pseudonyms only. With the Dask engine and
        no key, each worker writes its parts itself (``out_dir`` must be storage the workers
        see) and only file reports reach this process.
    resume : bool, default False
        With ``out_dir``: continue an earlier run of the same options, re-scoring only the
        batches not recorded as done (or whose files' content changed). Failed files are
        tried again.
    roster : Roster, optional
        With ``anonymize_key``: a corpus-wide :class:`reconnect_signals.Roster` (same key), so
        pseudonyms match other runs and, with ``by=None``, text loses every roster name.
        Without it, a run directory with ``by=None`` builds one from all inputs first.
    collect : bool, default True
        With ``out_dir``: ``False`` keeps no rows in this process (memory stays at about one
        batch however large the corpus) and returns a zero-row table whose ``attrs`` hold the
        reports; read the rows with ``pd.read_parquet(out_dir + "/parts")``.
    lazy : bool, default False
        With ``engine="dask"``: return the lazy ``dask.dataframe.DataFrame`` of the table
        (nothing is computed; one partition per batch; no file report — files that fail give
        no rows). Write it from the workers with ``.to_parquet(url)``.
    retries : int, default 1
        Dask (distributed) only: how often a batch is re-run after its worker died.
    timeout : float or None, default 600
        Dask (distributed) only: seconds without any batch finishing before the run stops
        with a ``TimeoutError`` (``None``: wait forever). Before any work, every worker is
        checked (the library imports, has this version, can open local inputs); a worker that
        fails raises ``DaskPreflightError`` naming it within 30 s.
    batch_files : int, default 16
        At most this many files per batch (one partition, one part file); files of one
        conversation split over several table files always share a batch.
    progress : bool, optional
        Show a progress bar (default: only on a terminal).
    format : str, default "auto"
        Input format for every file (``"auto"`` sniffs each one).
    tz : str, optional
        IANA time zone for wall-clock sources; every timestamp is converted to it (to UTC
        when not given) so windows line up across files.
    **read_kwargs
        Passed to :func:`reconnect_signals.read_chat` (``date_order=``, ``errors=``, ...).
        Parse problems inside a file do not fail it (``errors="ignore"`` by default); their
        count is in the file report.

    Returns
    -------
    DataFrame
        The concatenated cue tables (files in order). ``df.attrs["reconnect_signals"]``
        holds ``"failed"`` (one ``{"source", "error"}`` per file that could not be read or
        scored), ``"files"`` (per-file ``source``, ``format``, ``messages``, ``unplaced``) and
        ``"messages"`` (total).

    Notes
    -----
    Conversations are the unit. Table files (CSV, JSONL, Parquet) are indexed first: table
    files that share a ``conversation_id`` (a ``part-*.parquet`` folder, monthly dumps) are
    read and scored together, so a conversation split over files gives the same rows as
    from one file. A conversation id found in two different chat exports (say the same chat
    exported twice) is not merged: each export is scored on its own and the id is listed in
    ``df.attrs["reconnect_signals"]["duplicate_conversations"]`` with a warning.

    A Parquet file of more than 100,000 rows is split into pieces of about that many rows,
    cut between conversations (only its ``conversation_id`` column is read to find the
    cuts), so it becomes several partitions, or bounded chunks for the pandas engine. Its
    file report sums its pieces (``pieces`` counts them).

    Examples
    --------
    >>> import tempfile
    >>> import reconnect_signals as rs
    >>> from reconnect_signals._corpus import _write_synthetic_corpus
    >>> folder = tempfile.mkdtemp()
    >>> files = _write_synthetic_corpus(folder, n_conversations=3, messages=20, seed=1)
    >>> _ = open(f"{folder}/notes.bin", "wb").write(b"\\x00 not a chat")
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:  # one warning names the bad file
    ...     scores = rs.score_corpus(folder, progress=False)
    >>> len(caught)
    1
    >>> scores["conversation_id"].nunique(), len(scores)
    (3, 6)
    >>> [f["source"].rsplit("/", 1)[-1] for f in scores.attrs["reconnect_signals"]["failed"]]
    ['notes.bin']
    """
    if engine not in _ENGINES:
        raise ValueError(f"engine must be one of {_ENGINES}, got {engine!r}")
    if scheduler is not None and engine != "dask":
        raise ValueError("scheduler= is for engine='dask'; pass engine='dask' as well")
    if not collect and (out_dir is None or output is not None):
        raise ValueError("collect=False keeps the rows only in out_dir; pass out_dir= and no output=")
    if lazy and (engine != "dask" or out_dir is not None or output is not None or anonymize_key is not None):
        raise ValueError(
            "lazy=True returns a dask.dataframe for you to compute: pass engine='dask', and no out_dir, "
            "output or anonymize_key (the key must not travel to workers; anonymise after computing)"
        )
    if tz is not None:
        from .io import check_tz

        check_tz(tz)
    by_t = _normalise_by(by)
    _check_read_kwargs(format, read_kwargs)
    if output is not None:
        _output_kind(output)  # fail before the work on an unknown output suffix
    if anonymize_key is not None:
        from ._anonymize import _key_bytes

        _key_bytes(anonymize_key)  # fail early on an empty or mistyped key
    items = _expand_sources(sources)
    if not items:
        raise FileNotFoundError(f"no exports found in {sources!r}; check the path or glob")
    job = _Job(format=format, tz=tz, by=by_t, freq=freq, read_kwargs=dict(read_kwargs))
    # large Parquet files -> pieces of row groups; from here on a piece is scored as a file of its own
    pieces, owner, piece_ids = _split_large(items, job)
    units = _plan_units(pieces, job, known=piece_ids)
    batches = _batches(pieces, max_files=batch_files, units=units)
    if lazy:
        return _lazy_frame(pieces, job, units, batches)
    run = None
    if out_dir is not None:
        from . import __version__

        settings = {
            "version": __version__,
            "by": list(by_t) if by_t else None,
            "freq": freq,
            "tz": tz,
            "format": format,
            "read_kwargs": {k: repr(v) for k, v in sorted(read_kwargs.items())},
            "anonymized": anonymize_key is not None,
            "batch_files": batch_files,
            # which key (a keyed check value, not the key): a resumed run cannot mix pseudonyms
            "key_check": (pseudonym_check(anonymize_key) if anonymize_key is not None else None),
        }
        run = _RunDir(out_dir, settings, resume)
    if run is not None and anonymize_key is not None and by_t is None and roster is None:
        from ._anonymize import Roster

        # parts are scrubbed one batch at a time: every batch needs the names of the whole corpus
        roster = Roster.build([_source(it) for it in items], anonymize_key, **read_kwargs)
    input_hashes = {i: _content_hash(item) for i, item in enumerate(items)} if run is not None else {}
    hashes = {p: input_hashes.get(o) for p, o in enumerate(owner)}
    keys = [_RunDir.key(b, hashes) for b in batches] if run is not None else []
    earlier = {k: run.done(k, keys[k]) for k in range(len(batches))} if run is not None else {}
    todo = [k for k in range(len(batches)) if earlier.get(k) is None]
    pending = [batches[k] for k in todo]
    # Dask without a key: the workers write their parts into the run directory, and only the
    # file reports come back (nothing gathered). With a key, rows are pseudonymised here.
    targets = (
        [run.part_target(k, keys[k]) for k in todo]
        if run is not None and engine == "dask" and anonymize_key is None
        else None
    )
    stream = (
        _iter_pandas(pending, job, units, progress)
        if engine == "pandas"
        else _iter_dask(pending, job, units, scheduler, progress, retries=retries, timeout=timeout, targets=targets)
    )
    tables: dict[int, pd.DataFrame] = {}
    infos: dict[int, list[dict]] = {}
    row_count = 0
    for j, part in stream:
        k = todo[j]
        if isinstance(part, _Written):
            rows, files_k = None, part.files
        else:
            rows, files_k = _split_part(part)
        if anonymize_key is not None:  # conversation ids are kept (for the duplicate report) as pseudonyms
            from ._anonymize import pseudonym

            for f in files_k:
                f["conversations"] = [
                    pseudonym(c, anonymize_key, prefix="c_", domain="conversation") for c in f.get("conversations", ())
                ]
        if run is not None:
            if rows is not None:
                rows = _fix_dtypes(rows, job)
                if anonymize_key is not None:  # the key stays in this process; parts hold pseudonyms only
                    rows = _pseudonymise(rows, anonymize_key, by_t, roster)
                run.write_part(k, keys[k], rows)
            pairs = zip(batches[k], files_k, strict=True)
            records = [_file_record(f, item, hashes.get(i), k) for (i, item), f in pairs]
            run.write_record(k, keys[k], records)
            row_count += len(rows) if rows is not None else part.rows
            if collect:
                tables[k] = rows if rows is not None else run.read_part(k, keys[k])
            infos[k] = records
        else:
            assert rows is not None  # workers write their own parts (_Written) only into a run directory
            tables[k], infos[k] = rows, files_k
    for k, stored in earlier.items():
        if stored is not None:
            assert run is not None  # earlier holds batches only of a run directory
            if collect:
                tables[k] = run.read_part(k, keys[k])
                row_count += len(tables[k])
            else:
                row_count += run.part_rows(k, keys[k])
            infos[k] = [
                {**r, "status": "skipped", "reason": "done in an earlier run (same content hash)"} for r in stored
            ]
    order = sorted(infos)
    table = _concat_tables([tables[k] for k in order if k in tables], job)
    piece_files = [(p, f) for k in order for (p, _), f in zip(batches[k], infos[k], strict=True)]
    duplicates = _duplicates(
        [
            {
                "unit": units.get(p, p),
                "source": _display(items[owner[p]], owner[p]),
                "conversations": f.get("conversations", ()),
            }
            for p, f in piece_files
        ]
    )
    files = _merge_pieces(piece_files, owner, items)
    manifest = [
        {
            c: f.get(c)
            for c in ("source", "sha256", "bytes", "batch", "status", "reason", "format", "messages", "unplaced")
        }
        for f in files
    ]
    reports = [
        {
            k: v
            for k, v in f.items()
            if k not in ("conversations", "unit", "sha256", "bytes", "batch", "status", "reason")
        }
        for f in files
    ]
    if run is not None:
        run.finish([(k, keys[k]) for k in order], manifest, reports)
    elif anonymize_key is not None:
        table = _pseudonymise(table, anonymize_key, by_t, roster)
    failed = [{"source": f["source"], "error": f["error"]} for f in reports if "error" in f]
    import warnings

    from .errors import ParseWarning

    if failed:
        first = failed[0]
        warnings.warn(
            f"score_corpus: {len(failed)} of {len(files)} files could not be scored (first: "
            f"{first['source']}: {first['error']}); the list is in df.attrs['reconnect_signals']['failed']",
            ParseWarning,
            stacklevel=2,
        )
    if duplicates:
        first = duplicates[0]
        warnings.warn(
            f"score_corpus: {len(duplicates)} conversation id(s) appear in more than one export and were "
            f"scored apart, not merged (first: {first['conversation_id']!r} in {', '.join(first['sources'])}); "
            "the list is in df.attrs['reconnect_signals']['duplicate_conversations']",
            ParseWarning,
            stacklevel=2,
        )
    table.attrs = {
        "reconnect_signals": {
            "failed": failed,
            "files": [{k: v for k, v in f.items() if k not in _REPORT_ONLY} for f in reports],
            "messages": int(sum(f.get("messages", 0) for f in reports)),
            "engine": engine,
            "anonymized": anonymize_key is not None,
            "duplicate_conversations": duplicates,
            **({"manifest": manifest, "out_dir": run.url, "rows": row_count} if run is not None else {}),
        }
    }
    if output is not None:
        _write(table, output)
    return table


_REPORT_ONLY = ("lines", "continuations", "skipped", "problems")


def _rows_only(part: pd.DataFrame, job: _Job) -> pd.DataFrame:
    rows, _ = _split_part(part)
    return _fix_dtypes(rows, job)


def _lazy_frame(items: list, job: _Job, units: dict, batches: list):
    """The table as a lazy Dask frame (status rows dropped, dtypes fixed per partition)."""
    import dask

    with dask.config.set({"dataframe.convert-string": False}):
        frame = _dask_frame(items, job, units, batches)
        return frame.map_partitions(
            _rows_only, job, meta=_empty_table(job).reset_index(drop=True), enforce_metadata=False
        )


def pseudonym_check(key) -> str:
    """A value that tells keys apart without revealing them (HMAC of a fixed label)."""
    from ._anonymize import pseudonym

    return pseudonym("run-directory-key-check", key, prefix="k_", domain="check")


def _file_record(info: dict, item, sha: str | None, batch: int) -> dict:
    """A file's manifest entry: its report plus content hash, size, batch and status."""
    rec = dict(info)
    rec.update(
        sha256=sha,
        bytes=_size(item) or None,
        batch=batch,
        status="failed" if "error" in info else "done",
        reason=info.get("error"),
    )
    return rec


def _fix_dtypes(rows: pd.DataFrame, job: _Job) -> pd.DataFrame:
    template = _empty_table(job)
    if not len(rows):
        return template.reset_index(drop=True)
    dtypes = {c: template[c].dtype for c in template.columns if c in rows.columns}
    return rows.astype(dtypes)[list(template.columns)].reset_index(drop=True)


def _concat_tables(tables: list[pd.DataFrame], job: _Job) -> pd.DataFrame:
    tables = [t for t in tables if len(t)]
    if not tables:
        return _empty_table(job).reset_index(drop=True)
    return _fix_dtypes(pd.concat(tables, ignore_index=True), job)


# ---------------------------------------------------------------------------------------
# ConvoKit
# ---------------------------------------------------------------------------------------
def _jsonable(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return None if np.isnan(value) else float(value)
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def _class_name(values: Iterable) -> list[str]:
    for v in values:
        if v is not None:
            return [str(type(v))]
    return ["<class 'NoneType'>"]


def to_convokit(msgs: pd.DataFrame, folder: str | os.PathLike, *, name: str = "reconnect_signals") -> Path:
    """Write a message frame as a ConvoKit corpus folder (no ``convokit`` needed).

    Files written: ``utterances.jsonl`` (one utterance per line: ``id``, ``speaker``,
    ``conversation_id``, ``reply_to``, ``timestamp``, ``text``, ``meta``),
    ``speakers.json``, ``conversations.json``, ``corpus.json`` and ``index.json``;
    ``convokit.Corpus(filename=folder)`` loads it.

    Parameters
    ----------
    msgs : DataFrame
        A message frame, optionally with cue or structure columns (from
        :func:`reconnect_signals.message_cues`, :func:`reconnect_signals.cue_table`), which
        become utterance metadata. Anonymise first (:func:`reconnect_signals.anonymize`) to
        share it.
    folder : path
        Created if needed; existing corpus files in it are replaced.
    name : str, default "reconnect_signals"
        The corpus name stored in ``corpus.json``.

    Returns
    -------
    Path
        The corpus folder (``folder`` as a :class:`~pathlib.Path`).

    Notes
    -----
    Mapping: ``message_id`` -> utterance ``id`` (prefixed with the conversation id when
    ids repeat across conversations); ``sender`` -> ``speaker`` (system rows get the
    speaker ``"[system]"``); ConvoKit's ``conversation_id`` is the id of the first
    utterance of the conversation, as its data format asks, and our ``conversation_id``
    is kept in the conversation's and each utterance's ``meta``; ``reply_to`` is the
    platform's explicit reply when the frame has one, else the previous utterance of the
    conversation (chats are linear); ``timestamp`` -> Unix seconds (int); missing text ->
    ``""``; every other column (``kind``, ``platform``, cue columns, ...) -> ``meta``.

    Examples
    --------
    >>> import json, tempfile
    >>> import pandas as pd
    >>> import reconnect_signals as rs
    >>> msgs = rs.coerce(pd.DataFrame({
    ...     "timestamp": ["2024-01-01 10:00", "2024-01-01 10:02"],
    ...     "sender": ["p_1", "p_2"], "text": ["hi", "hey you"]}), conversation_id="c1")
    >>> folder = rs.to_convokit(msgs, tempfile.mkdtemp())
    >>> sorted(p.name for p in folder.iterdir())
    ['conversations.json', 'corpus.json', 'index.json', 'speakers.json', 'utterances.jsonl']
    >>> first, second = [json.loads(line) for line in open(folder / "utterances.jsonl")]
    >>> second["reply_to"] == first["id"] == second["conversation_id"], second["timestamp"]
    (True, 1704103320)
    """
    validate(msgs, columns=["conversation_id", "message_id", "timestamp", "sender"])
    out_dir = Path(folder).expanduser()
    out_dir.mkdir(parents=True, exist_ok=True)
    frame = msgs.reset_index(drop=True)
    conv = frame["conversation_id"].astype("str")
    mid = frame["message_id"].astype("str")
    duplicated = mid.duplicated().any()
    uid = (conv + "/" + mid) if duplicated else mid
    # ConvoKit: conversation_id = id of the conversation's first utterance (in time order)
    order = np.lexsort((np.arange(len(frame)), frame["timestamp"].to_numpy(), conv.to_numpy()))
    frame = frame.iloc[order].reset_index(drop=True)
    conv, mid, uid = (x.iloc[order].reset_index(drop=True) for x in (conv, mid, uid))
    root = uid.groupby(conv, sort=False).transform("first")
    previous = uid.groupby(conv, sort=False).shift(1)
    reply = previous
    if "reply_to" in frame.columns:
        explicit_key = conv + "\x1f" + frame["reply_to"].astype("str")
        message_index = pd.Index((conv + "\x1f" + mid).to_numpy())
        pos = message_index.get_indexer(pd.Index(explicit_key.to_numpy()))
        # np.array(None) is the 0-d object array np.where makes of None (numpy's stubs reject a bare None)
        picked = np.where(pos >= 0, uid.to_numpy()[np.maximum(pos, 0)], np.array(None))
        explicit = pd.Series(picked, dtype=object)
        reply = explicit.where(explicit.notna(), previous)
    speaker = frame["sender"].astype(object).where(frame["sender"].notna(), "[system]")
    seconds = frame["timestamp"].dt.tz_convert("UTC").astype("int64") // 10**6
    text = frame["text"].astype(object).where(frame["text"].notna(), "") if "text" in frame.columns else ""
    core = {"conversation_id", "message_id", "timestamp", "sender", "text", "reply_to"}
    meta_cols = [c for c in frame.columns if c not in core]
    meta_frame = frame[meta_cols].astype(object)
    utt = pd.DataFrame(
        {
            "id": uid.astype(object),
            "speaker": speaker,
            "conversation_id": root.astype(object),
            "reply_to": reply.astype(object).where(reply.notna(), None),
            "timestamp": seconds,
            "text": text,
        }
    )
    records = utt.to_dict(orient="records")
    metas = meta_frame.to_dict(orient="records")
    conv_of = conv.to_numpy()
    with open(out_dir / "utterances.jsonl", "w", encoding="utf-8") as fh:
        for rec, meta, c in zip(records, metas, conv_of, strict=True):
            rec["meta"] = {"source_conversation_id": c, **{k: _jsonable(v) for k, v in meta.items()}}
            rec["timestamp"] = int(rec["timestamp"])
            rec["vectors"] = []
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    speakers: dict[str, dict[str, object]] = {s: {"meta": {}, "vectors": []} for s in pd.unique(speaker)}
    counts = frame.groupby(conv, sort=False).size()
    platform = frame.groupby(conv, sort=False)["platform"].first() if "platform" in frame.columns else None
    conversations = {}
    for c, r in zip(conv.groupby(conv, sort=False).first().index, root.groupby(conv, sort=False).first(), strict=True):
        meta = {"source_conversation_id": c, "messages": int(counts[c])}
        if platform is not None:
            meta["platform"] = _jsonable(platform[c])
        conversations[r] = {"meta": meta, "vectors": []}
    with open(out_dir / "speakers.json", "w", encoding="utf-8") as fh:
        json.dump(speakers, fh, ensure_ascii=False)
    with open(out_dir / "conversations.json", "w", encoding="utf-8") as fh:
        json.dump(conversations, fh, ensure_ascii=False)
    with open(out_dir / "corpus.json", "w", encoding="utf-8") as fh:
        json.dump({"name": name, "source": "reconnect_signals"}, fh)
    utt_meta = {"source_conversation_id": ["<class 'str'>"]}
    for col in meta_cols:
        utt_meta[col] = _class_name(_jsonable(v) for v in meta_frame[col].head(1000))
    index = {
        "utterances-index": utt_meta,
        "speakers-index": {},
        "conversations-index": {
            "source_conversation_id": ["<class 'str'>"],
            "messages": ["<class 'int'>"],
            **({"platform": ["<class 'str'>"]} if platform is not None else {}),
        },
        "overall-index": {"name": ["<class 'str'>"], "source": ["<class 'str'>"]},
        "version": 1,
        "vectors": [],
    }
    with open(out_dir / "index.json", "w", encoding="utf-8") as fh:
        json.dump(index, fh)
    return out_dir


# ---------------------------------------------------------------------------------------
# synthetic corpora (doctests, tests, benchmarks)
# ---------------------------------------------------------------------------------------
_FIRST = [
    "Alex",
    "Sam",
    "Robin",
    "Jordan",
    "Casey",
    "Morgan",
    "Riley",
    "Taylor",
    "Jamie",
    "Avery",
    "Quinn",
    "Rowan",
    "Skyler",
    "Dakota",
    "Emerson",
    "Finley",
]
_LAST = ["Smith", "Jones", "Brown", "Taylor", "Wilson", "Evans", "Walker", "Wright", "Green", "Hall"]
_NAMES = [f"{first} {last}" for last in _LAST for first in _FIRST]  # 160 distinct names
_LINES = [
    "hey, how are you?",
    "I miss you",
    "we should get coffee this week",
    "lol that's so funny",
    "sorry I'm late, my bad",
    "you never answer my calls",
    "I think we need to talk",
    "good night 😊",
    "what are you doing this weekend?",
    "thanks so much, I really appreciate it",
    "ok",
    "haha yes",
    "I feel like you don't listen",
    "let's go to the lake on Saturday",
    "are you free tomorrow?",
    "I'm so happy for you!",
    "can you call me later",
    "sure",
    "no worries",
    "we're going to be fine",
]


def _synthetic_messages(conv: int, rng: np.random.Generator, messages: int, tz: str) -> pd.DataFrame:
    from .schema import coerce

    # two different people: distinct indexes into the distinct full names
    a, b = (_NAMES[i] for i in rng.choice(len(_NAMES), 2, replace=False))
    start = pd.Timestamp("2024-01-01 08:00", tz="UTC") + pd.Timedelta(days=int(rng.integers(0, 300)))
    gaps = rng.choice([20, 60, 300, 1800, 4 * 3600, 20 * 3600], size=messages, p=[0.3, 0.25, 0.2, 0.1, 0.1, 0.05])
    ts = start + pd.to_timedelta(np.cumsum(gaps), unit="s")
    senders = np.where(rng.random(messages) < 0.5, a, b)
    texts = np.asarray(_LINES, dtype=object)[rng.integers(0, len(_LINES), messages)]
    frame = pd.DataFrame({"timestamp": ts, "sender": senders, "text": texts})
    return coerce(frame, tz=tz, conversation_id=f"conv{conv}")


def _write_synthetic_corpus(
    folder,
    n_conversations: int = 200,
    messages: int | tuple[int, int] = 60,
    seed: int = 0,
    tz: str = "Europe/London",
    layouts: Sequence[str] = ("android_ymd_dash", "ios_ymd_en"),
    mix: Sequence[str] = ("whatsapp",),
    per_table: int = 5,
) -> list[Path]:
    """Write ``n_conversations`` synthetic chats (fictional names) into ``folder``.

    File ``k`` is a WhatsApp export (one conversation, layouts in turn) when
    ``mix[k % len(mix)] == "whatsapp"``, or a CSV table (``format="table"``) holding
    ``per_table`` conversations when it is ``"table"``. ``messages`` is a count or a
    ``(low, high)`` range per conversation. Seeded: the same arguments write the same files.
    """
    from .io import WHATSAPP_LAYOUTS as LAYOUTS
    from .io import render_whatsapp

    rng = np.random.default_rng(seed)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    usable = [lay for lay in layouts if lay in LAYOUTS] or ["android_dmy_24h_en"]
    paths: list[Path] = []
    conv = 0
    k = 0
    while conv < n_conversations:
        kind = mix[k % len(mix)]
        take = 1 if kind == "whatsapp" else min(per_table, n_conversations - conv)
        frames = []
        for _ in range(take):
            n = messages if isinstance(messages, int) else int(rng.integers(messages[0], messages[1] + 1))
            frames.append(_synthetic_messages(conv, rng, n, tz))
            conv += 1
        if kind == "whatsapp":
            path = folder / f"chat_{k:05d}.txt"
            path.write_bytes(render_whatsapp(frames[0], usable[k % len(usable)]))
        elif kind == "table":
            path = folder / f"table_{k:05d}.csv"
            both = pd.concat(frames, ignore_index=True)
            pd.DataFrame(
                {
                    "conversation_id": both["conversation_id"],
                    "timestamp": both["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%S%z"),
                    "sender": both["sender"],
                    "text": both["text"],
                }
            ).to_csv(path, index=False)
        else:
            raise ValueError(f"mix entries are 'whatsapp' or 'table', got {kind!r}")
        paths.append(path)
        k += 1
    return paths


def _mix64(x: np.ndarray, salt: int) -> np.ndarray:
    """splitmix64 of ``x + salt``: seeded pseudo-random 64-bit values that depend on the row only."""
    with np.errstate(over="ignore"):
        z = x.astype(np.uint64) + np.uint64((salt * 0x9E3779B97F4A7C15) % 2**64)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def _uniform(x: np.ndarray, salt: int) -> np.ndarray:
    return (_mix64(x, salt) >> np.uint64(11)).astype(np.float64) / float(2**53)


def _write_synthetic_table(
    folder,
    n_messages: int,
    files: int = 10,
    per_conversation: int = 100,
    row_group_size: int = 100_000,
    seed: int = 0,
    name: str = "part",
) -> list[Path]:
    """Write ``n_messages`` synthetic messages as one Parquet table split into ``files`` files.

    Vectorised (no per-row or per-conversation Python), so a million rows take about a second.
    Conversations of ``per_conversation`` messages between two different fictional people,
    rows in conversation order; the files are ``{name}-00000.parquet``, ... with row groups
    of ``row_group_size`` rows, and a conversation may run across a row group or a file
    boundary (as in a ``part-*.parquet`` folder written by Spark or Dask). Every value is a
    seeded function of the row number, so the split does not change the table. Columns:
    ``conversation_id``, ``timestamp`` (UTC instants, increasing within a conversation),
    ``sender``, ``text``.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    names = np.asarray(_NAMES, dtype=object)
    lines = np.asarray(_LINES, dtype=object)
    gap_values = np.array([20, 60, 300, 1800, 4 * 3600, 20 * 3600], dtype=np.int64) * 1_000_000
    gap_cdf = np.cumsum([0.3, 0.25, 0.2, 0.1, 0.1, 0.05])
    origin = pd.Timestamp("2024-01-01 08:00", tz="UTC").value // 1000  # microseconds
    bounds = np.linspace(0, n_messages, files + 1).astype(np.int64)
    paths = []
    for f in range(files):
        lo, hi = int(bounds[f]), int(bounds[f + 1])
        head = lo - lo % per_conversation  # from the start of the first conversation (for its clock)
        row = np.arange(head, hi, dtype=np.int64)
        conv = row // per_conversation
        a = (_mix64(conv, seed * 8 + 1) % np.uint64(len(names))).astype(np.int64)
        b = (a + 1 + (_mix64(conv, seed * 8 + 2) % np.uint64(len(names) - 1)).astype(np.int64)) % len(names)
        gaps = gap_values[np.minimum(np.searchsorted(gap_cdf, _uniform(row, seed * 8 + 3)), len(gap_values) - 1)]
        within = np.cumsum(gaps)
        first = np.flatnonzero(row % per_conversation == 0)
        if len(first) == 0 or first[0] != 0:
            first = np.r_[0, first]
        within = within - np.repeat(within[first] - gaps[first], np.diff(np.r_[first, len(row)]))
        start = (_mix64(conv, seed * 8 + 4) % np.uint64(300)).astype(np.int64) * 86_400_000_000
        ts = origin + start + within
        senders = np.where(_uniform(row, seed * 8 + 5) < 0.5, names[a], names[b])
        texts = lines[(_mix64(row, seed * 8 + 6) % np.uint64(len(lines))).astype(np.int64)]
        keep = slice(lo - head, None)
        table = pa.table(
            {
                "conversation_id": pa.array(np.char.add("conv", conv[keep].astype("U20")).astype(object), pa.string()),
                "timestamp": pa.array(ts[keep], pa.timestamp("us", tz="UTC")),
                "sender": pa.array(senders[keep], pa.string()),
                "text": pa.array(texts[keep], pa.string()),
            }
        )
        path = folder / f"{name}-{f:05d}.parquet"
        pq.write_table(table, path, row_group_size=row_group_size)
        paths.append(path)
    return paths
