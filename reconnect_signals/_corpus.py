"""Research at scale: score a corpus of exports (pandas or Dask) and export to ConvoKit.

:func:`score_corpus` reads many exports (folders, globs, mixed formats), computes the
cue tables of every conversation and writes one Parquet or CSV table. Each file is read
and scored on its own — every conversation of a file stays in one partition — so one bad
file never stops the corpus: it is listed in ``df.attrs["reconnect_signals"]["failed"]``.

The Dask engine runs the very same per-file functions (``dask.dataframe.from_map`` over
the files, then ``map_partitions`` with an explicit ``meta``) on a ``LocalCluster`` bound
to 127.0.0.1 or on a scheduler you name, so both engines give equal tables.

:func:`to_convokit` writes a message frame in ConvoKit's corpus layout without
depending on ``convokit``.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .schema import REQUIRED_COLUMNS, empty_frame, validate

if TYPE_CHECKING:  # pragma: no cover
    from .io._api import ChatSource

__all__ = ["score_corpus", "to_convokit"]

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


def _read_file(index: int, item, job: _Job) -> pd.DataFrame:
    """One export -> its messages (required columns, one time zone) plus a status row.

    Never raises for a bad file: the error goes into the status row's ``_rs_info``.
    """
    from .io import parse_reports, read_chat

    info: dict = {"source": _display(item, index)}
    try:
        kwargs = {"errors": "ignore", **job.read_kwargs}
        msgs = read_chat(item, job.format, tz=job.tz, **kwargs)
        reports = parse_reports(msgs)
        info["format"] = msgs.attrs.get("reconnect_signals", {}).get("format")
        info["messages"] = len(msgs)
        info["unplaced"] = int(sum(r.unplaced for r in reports))
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
    msgs = msgs.assign(**{_FILE: np.int64(index)})
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
        + _SEP + msgs["conversation_id"]
    )
    out = _table(tagged, job)
    out["conversation_id"] = out["conversation_id"].str.slice(10).astype("str")
    return out


def _read_batch(batch: list, job: _Job) -> pd.DataFrame:
    """Several exports -> their messages and status rows (one Dask partition)."""
    return pd.concat([_read_file(i, item, job) for i, item in batch], ignore_index=True)


def _score_part(part: pd.DataFrame, job: _Job) -> pd.DataFrame:
    """Messages of some files (plus one status row each) -> cue table rows (plus the status rows).

    Every conversation of a file is in the same partition, so the result does not depend
    on how files are grouped into partitions.
    """
    is_status = part[_INFO].notna()
    status = part.loc[is_status, [_FILE, _INFO]]
    infos = {int(f): json.loads(i) for f, i in zip(status[_FILE], status[_INFO])}
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
                except Exception as exc:  # scoring errors are per file too
                    info = infos.setdefault(int(f), {})
                    logger.info("score_corpus: cannot score %s: %s: %s", info.get("source"),
                                   type(exc).__name__, exc)
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


def _batches(items: list, max_bytes: int = 8 * 1024**2, max_files: int = 16) -> list[list]:
    """Consecutive files grouped into partitions of about ``max_bytes`` (or ``max_files``).

    Both engines use the same batches, so their tables are identical to the last bit (a
    batch's floating-point sums can differ from another batching's in the last place).
    """
    batches, current, size = [], [], 0
    for i, item in enumerate(items):
        try:
            n = len(item) if isinstance(item, (bytes, bytearray)) else os.stat(item).st_size
        except (OSError, TypeError):
            n = 0
        if current and (size + n > max_bytes or len(current) >= max_files):
            batches.append(current)
            current, size = [], 0
        current.append((i, item))
        size += n
    if current:
        batches.append(current)
    return batches


# ---------------------------------------------------------------------------------------
# engines
# ---------------------------------------------------------------------------------------
def _run_pandas(items: list, job: _Job, progress: bool | None) -> list[pd.DataFrame]:
    from tqdm import tqdm  # plain bar: tqdm.auto warns in notebooks without ipywidgets

    disable = None if progress is None else not progress
    parts = []
    with tqdm(total=len(items), desc="scoring", unit="file", disable=disable) as bar:
        for batch in _batches(items):
            parts.append(_score_part(_read_batch(batch, job), job))
            bar.update(len(batch))
    return parts


def _open_client(scheduler):
    """(client, close) for a scheduler address, a Client, or a fresh LocalCluster on 127.0.0.1."""
    from distributed import Client, LocalCluster

    if scheduler is None:
        workers = max(1, min(4, os.cpu_count() or 1))
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        )
        client = Client(cluster)

        def close():
            client.close()
            cluster.close()

        return client, close
    if isinstance(scheduler, str):
        client = Client(scheduler)
        return client, client.close
    return scheduler, lambda: None  # a Client the caller owns


def _dask_frame(items: list, job: _Job):
    """The lazy Dask frame: ``from_map`` over batches of files, scored with ``map_partitions``.

    A batch never splits a file, so every conversation stays in one partition.
    """
    import dask
    import dask.dataframe as dd

    with dask.config.set({"dataframe.convert-string": False}):
        msgs = dd.from_map(
            _read_batch,
            _batches(items),
            args=(job,),
            meta=_message_meta(job.tz),
            label="read-chats",
            enforce_metadata=False,
        )
        return msgs.map_partitions(_score_part, job, meta=_score_meta(job), enforce_metadata=False)


def _run_dask(items: list, job: _Job, scheduler, progress: bool | None) -> list[pd.DataFrame]:
    import dask

    with dask.config.set({"dataframe.convert-string": False}):
        if isinstance(scheduler, str) and scheduler in _LOCAL_SCHEDULERS:
            parts = _dask_frame(items, job).to_delayed()
            if progress:
                from dask.diagnostics import ProgressBar

                with ProgressBar(out=sys.stderr):
                    return list(dask.compute(*parts, scheduler=scheduler))
            return list(dask.compute(*parts, scheduler=scheduler))
        from distributed import as_completed
        from tqdm import tqdm  # plain bar: tqdm.auto warns in notebooks without ipywidgets

        client, close = _open_client(scheduler)
        try:
            parts = _dask_frame(items, job).to_delayed()
            futures = client.compute(parts)
            disable = None if progress is None else not progress
            for _ in tqdm(as_completed(futures), total=len(futures), desc="scoring", unit="batch",
                          disable=disable):
                pass
            return client.gather(futures)
        finally:
            close()


# ---------------------------------------------------------------------------------------
# public API
# ---------------------------------------------------------------------------------------
def _expand_sources(sources) -> list:
    from .io import expand_sources

    if isinstance(sources, (str, os.PathLike, bytes, bytearray, memoryview)) or hasattr(sources, "read"):
        return expand_sources(sources)
    items = []
    for s in sources:
        items.extend(expand_sources(s))
    return items


def _check_read_kwargs(format: str, read_kwargs: dict) -> None:
    """Refuse misspelt read options now, not once per file."""
    from .io import read_options

    allowed = set(read_options(format))
    unknown = sorted(set(read_kwargs) - allowed)
    if unknown:
        raise TypeError(
            f"score_corpus() got unknown read options {unknown}; it passes on "
            f"{sorted(allowed)} to rs.read_chat"
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


def _pseudonymise(table: pd.DataFrame, key, by) -> pd.DataFrame:
    """The pseudonyms of :func:`reconnect_signals.anonymize` (and scrubbed text for message rows)."""
    from ._anonymize import anonymize

    return anonymize(table, key=key, text="scrub" if by is None else "keep")


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


def _write(table: pd.DataFrame, output) -> Path:
    """Write ``table`` atomically (a temporary file renamed into place), without attrs."""
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
    **read_kwargs: Any,
) -> pd.DataFrame:
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
        ``"dask"`` reads and scores the files in parallel (``dask.dataframe.from_map`` over
        the files, one partition per file) and gives the same table.
    scheduler : str or distributed.Client, optional
        Dask only: a scheduler address (``"tcp://10.0.0.5:8786"``), a ``Client``, or one of
        dask's local schedulers (``"threads"``, ``"processes"``, ``"synchronous"``). By
        default a ``LocalCluster`` bound to 127.0.0.1 (no dashboard) is started and closed.
    output : path, optional
        Also write the table: ``.parquet`` (or ``.pq``) or ``.csv`` (optionally ``.csv.gz``).
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
    parts = _run_pandas(items, job, progress) if engine == "pandas" else _run_dask(items, job, scheduler, progress)
    table, files = _assemble(parts, job)
    if anonymize_key is not None:
        table = _pseudonymise(table, anonymize_key, by_t)
    failed = [{"source": f["source"], "error": f["error"]} for f in files if "error" in f]
    if failed:
        import warnings

        from .errors import ParseWarning

        first = failed[0]
        warnings.warn(
            f"score_corpus: {len(failed)} of {len(files)} files could not be scored (first: "
            f"{first['source']}: {first['error']}); the list is in df.attrs['reconnect_signals']['failed']",
            ParseWarning,
            stacklevel=2,
        )
    table.attrs = {
        "reconnect_signals": {
            "failed": failed,
            "files": files,
            "messages": int(sum(f.get("messages", 0) for f in files)),
            "engine": engine,
            "anonymized": anonymize_key is not None,
        }
    }
    if output is not None:
        _write(table, output)
    return table


def _assemble(parts: list[pd.DataFrame], job: _Job) -> tuple[pd.DataFrame, list[dict]]:
    """Split scored partitions into the table and the per-file reports; restore dtypes."""
    template = _empty_table(job)
    tables, files = [], []
    parts = list(parts)
    for part in parts:
        is_status = part[_INFO].notna()
        files.extend(json.loads(s) for s in part.loc[is_status, _INFO])
        rows = part.loc[~is_status].drop(columns=[_INFO])
        if len(rows):
            tables.append(rows)
    if not tables:
        return template.reset_index(drop=True), files
    table = pd.concat(tables, ignore_index=True)
    dtypes = {c: template[c].dtype for c in template.columns if c in table.columns}
    table = table.astype(dtypes)
    return table[list(template.columns)], files


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
    frame, conv, mid, uid = (x.iloc[order].reset_index(drop=True) for x in (frame, conv, mid, uid))
    root = uid.groupby(conv, sort=False).transform("first")
    previous = uid.groupby(conv, sort=False).shift(1)
    reply = previous
    if "reply_to" in frame.columns:
        explicit_key = conv + "\x1f" + frame["reply_to"].astype("str")
        index = pd.Index((conv + "\x1f" + mid).to_numpy())
        pos = index.get_indexer(explicit_key.to_numpy())
        explicit = pd.Series(np.where(pos >= 0, uid.to_numpy()[np.maximum(pos, 0)], None), dtype=object)
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
        for rec, meta, c in zip(records, metas, conv_of):
            rec["meta"] = {"source_conversation_id": c, **{k: _jsonable(v) for k, v in meta.items()}}
            rec["timestamp"] = int(rec["timestamp"])
            rec["vectors"] = []
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    speakers = {s: {"meta": {}, "vectors": []} for s in pd.unique(speaker)}
    counts = frame.groupby(conv, sort=False).size()
    platform = frame.groupby(conv, sort=False)["platform"].first() if "platform" in frame.columns else None
    conversations = {}
    for c, r in zip(conv.groupby(conv, sort=False).first().index, root.groupby(conv, sort=False).first()):
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
_FIRST = ["Alex", "Sam", "Robin", "Jordan", "Casey", "Morgan", "Riley", "Taylor", "Jamie", "Avery",
          "Quinn", "Rowan", "Skyler", "Dakota", "Emerson", "Finley"]
_LAST = ["Smith", "Jones", "Brown", "Taylor", "Wilson", "Evans", "Walker", "Wright", "Green", "Hall"]
_LINES = [
    "hey, how are you?", "I miss you", "we should get coffee this week", "lol that's so funny",
    "sorry I'm late, my bad", "you never answer my calls", "I think we need to talk", "good night 😊",
    "what are you doing this weekend?", "thanks so much, I really appreciate it", "ok", "haha yes",
    "I feel like you don't listen", "let's go to the lake on Saturday", "are you free tomorrow?",
    "I'm so happy for you!", "can you call me later", "sure", "no worries", "we're going to be fine",
]


def _synthetic_messages(conv: int, rng: np.random.Generator, messages: int, tz: str) -> pd.DataFrame:
    from .schema import coerce

    a, b = (f"{_FIRST[i % len(_FIRST)]} {_LAST[(i // 3) % len(_LAST)]}" for i in rng.choice(160, 2, replace=False))
    start = pd.Timestamp("2024-01-01 08:00", tz="UTC") + pd.Timedelta(days=int(rng.integers(0, 300)))
    gaps = rng.choice([20, 60, 300, 1800, 4 * 3600, 20 * 3600], size=messages, p=[.3, .25, .2, .1, .1, .05])
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
            pd.DataFrame({
                "conversation_id": both["conversation_id"],
                "timestamp": both["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "sender": both["sender"],
                "text": both["text"],
            }).to_csv(path, index=False)
        else:
            raise ValueError(f"mix entries are 'whatsapp' or 'table', got {kind!r}")
        paths.append(path)
        k += 1
    return paths
