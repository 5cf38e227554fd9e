"""The ``reconnect-signals`` command line (also ``python -m reconnect_signals``).

Commands::

    reconnect-signals report [EXPORT ...] [--me NAME] [--tz ZONE] [-o report.html]
    reconnect-signals parse EXPORT... -o messages.parquet|messages.csv
    reconnect-signals cues EXPORT... [--by sender] [--freq W] -o cues.csv
    reconnect-signals score SOURCES... [-o scores.parquet] [--out RUN_DIR [--resume]] [--engine pandas|dask]
    reconnect-signals formats

``report`` without an export runs on the bundled synthetic example chat. Exit codes:
0 success, 1 a problem with the input or the options (the message says how to fix it),
2 a command-line usage error, 130 interrupted; ``score`` exits 1 when some files failed and 2
when it scored nothing. Messages use the command line's words (``--format``,
``--date-order``, ``reconnect-signals formats``), not the Python API's.

Examples
--------
>>> import contextlib, io
>>> from reconnect_signals.cli import main
>>> out = io.StringIO()
>>> with contextlib.redirect_stdout(out):
...     code = main(["formats", "--names"])
>>> code, "whatsapp" in out.getvalue().split()
(0, True)
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["main", "build_parser", "cli_wording", "file_kind"]

logger = logging.getLogger(__name__)

PROG = "reconnect-signals"

_DESCRIPTION = """\
Read exported chat logs and measure the conversational cues relationship research looks for
(pronouns, I-statements, questions, reply times, who starts the conversation, style matching).

Start here:
  reconnect-signals report                      a report on the bundled example chat
  reconnect-signals report chat.txt --tz Europe/London --me "Your Name"
  reconnect-signals formats                     which exports can be read, and where to find them

The report describes a conversation; it does not diagnose a relationship.
"""

_EPILOG = "Run 'reconnect-signals COMMAND --help' for the options of one command."


class _UserError(Exception):
    """A problem the user can fix; printed without a traceback, exit code 1."""


def _format_names() -> list[str]:
    from .io import list_formats

    return list_formats()["format"].tolist()


def _add_read_options(p: argparse.ArgumentParser, formats: list[str]) -> None:
    g = p.add_argument_group("reading the exports")
    g.add_argument(
        "--format",
        default="auto",
        choices=["auto", *formats],
        metavar="FORMAT",
        help="export format (default: detected from the content); one of: " + ", ".join(formats),
    )
    g.add_argument(
        "--tz",
        metavar="ZONE",
        help="time zone of the phone that made the export, as an IANA name such as Europe/London or "
        "America/New_York (needed for WhatsApp and CSV exports; without it times are read as UTC)",
    )
    g.add_argument(
        "--date-order",
        choices=["DMY", "MDY", "YMD"],
        help="day/month order for exports with ambiguous dates such as 03/04/25 (default: decided per file)",
    )


def _add_progress(p: argparse.ArgumentParser) -> None:
    p.add_argument("--no-progress", action="store_true", help="hide the progress bars")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (format choices come from the reader registry).

    Returns
    -------
    argparse.ArgumentParser
        The parser of ``reconnect-signals`` and its subcommands.
    """
    from . import __version__

    formats = _format_names()
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="say more (-vv: debug, with tracebacks)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")

    # report ------------------------------------------------------------------
    p = sub.add_parser(
        "report",
        help="write one self-contained HTML report (no export: the bundled example)",
        description="Write one self-contained HTML file with the signals, the plots, the definitions and the "
        "caveats. Without an export it runs on the bundled synthetic example chat (Alex and Sam).",
        epilog="examples:\n  reconnect-signals report\n"
        "  reconnect-signals report WhatsApp-Chat.zip --tz Europe/Berlin --me Alex -o alex.html",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("exports", nargs="*", metavar="EXPORT", help="export file(s) or folder(s) of one chat")
    p.add_argument(
        "--me",
        metavar="NAME",
        help="your own name as it appears in the chat; the signals then describe the other person",
    )
    p.add_argument(
        "-o", "--output", default="report.html", metavar="FILE", help="where to write the report (default: report.html)"
    )
    p.add_argument(
        "--freq",
        default="auto",
        metavar="FREQ",
        help="window of the timelines: auto (default: days for a short chat, weeks, or months for "
        "a long one), D (days), W (weeks), MS (months)",
    )
    p.add_argument(
        "--recent",
        default="30D",
        metavar="PERIOD",
        help="recent period the signals compare with everything before (default: 30D)",
    )
    p.add_argument("--title", metavar="TEXT", help="title of the report page")
    p.add_argument(
        "--top",
        type=int,
        default=8,
        metavar="N",
        help="people shown one by one in a group chat; the rest are pooled as 'others' (default: 8)",
    )
    _add_read_options(p, formats)
    _add_progress(p)
    p.set_defaults(func=_cmd_report)

    # parse -------------------------------------------------------------------
    p = sub.add_parser(
        "parse",
        help="read exports into one message table (.parquet or .csv)",
        description="Read one or more exports into the message table (one row per message) and write it "
        "as Parquet or CSV. A summary of the parse report goes to the screen.",
        epilog="example:\n  reconnect-signals parse chat.txt other_chat.zip --tz Europe/London -o messages.parquet",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("exports", nargs="+", metavar="EXPORT", help="export file(s), folder(s) or glob(s)")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="output file: .parquet or .csv")
    _add_read_options(p, formats)
    _add_progress(p)
    p.set_defaults(func=_cmd_parse)

    # cues --------------------------------------------------------------------
    p = sub.add_parser(
        "cues",
        help="compute the cue table (per message, per sender, per window)",
        description="Compute the cues: one row per message (--by message), or one row per sender "
        "(--by sender, default) or per conversation and sender, optionally per window (--freq).",
        epilog="example:\n  reconnect-signals cues chat.txt --tz Europe/London --by sender --freq W -o weekly.csv",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("exports", nargs="+", metavar="EXPORT", help="export file(s), folder(s) or glob(s)")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="output file: .parquet or .csv")
    p.add_argument("--by", default="sender", metavar="KEYS", help="message, sender (default) or conversation_id,sender")
    p.add_argument("--freq", metavar="FREQ", help="window: W (weeks), MS (months), D (days); default: none")
    p.add_argument("--gap", default="6h", metavar="GAP", help="session gap (default: 6h)")
    _add_read_options(p, formats)
    _add_progress(p)
    p.set_defaults(func=_cmd_cues)

    # score -------------------------------------------------------------------
    p = sub.add_parser(
        "score",
        help="score a corpus of many exports for research (optionally anonymised, optionally on Dask)",
        description="Parse many exports, compute the cue tables per conversation and sender, and write one "
        "table. A file that cannot be read is reported and skipped; it never stops the corpus.",
        epilog="example:\n  export RS_KEY=some-long-secret\n"
        "  reconnect-signals score exports/ -o scores.parquet --freq MS --anonymize-key-env RS_KEY\n"
        "  reconnect-signals score exports/ --out run1/ --resume\n\n"
        "exit codes: 0 every file scored, 1 some files failed (listed) or a problem with the options, "
        "2 nothing scored",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "sources",
        nargs="+",
        metavar="SOURCE",
        help="export files, folders (sub-folders, e.g. one per person, are searched) or globs",
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="output table: .parquet/.pq or .csv (.csv.gz, .csv.bz2, .csv.xz, .csv.zst)",
    )
    p.add_argument(
        "--out",
        metavar="DIR",
        dest="out_dir",
        help="run directory: Parquet parts per batch, manifest.csv (inputs, sha256, status), "
        "reports.csv; needed for --resume",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="with --out: continue an interrupted run, scoring only what is not done yet",
    )
    p.add_argument(
        "--batch-files", type=int, default=16, metavar="N", help="at most N files per batch / part file (default: 16)"
    )
    p.add_argument(
        "--by", default="conversation_id,sender", metavar="KEYS", help="grouping keys (default: conversation_id,sender)"
    )
    p.add_argument("--freq", metavar="FREQ", help="window: W, MS, ... (default: whole conversation)")
    p.add_argument(
        "--engine",
        choices=["pandas", "dask"],
        default="pandas",
        help="pandas (default) or dask (parallel, local cluster)",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --engine dask: an existing Dask scheduler (tcp://host:8786); default: a local cluster on 127.0.0.1",
    )
    p.add_argument(
        "--anonymize-key-env",
        metavar="VAR",
        help="name of the environment variable that holds the secret key for pseudonyms "
        "(the key itself is never passed on the command line)",
    )
    p.add_argument(
        "--format",
        default="auto",
        choices=["auto", *formats],
        metavar="FORMAT",
        help="export format (default: detected per file)",
    )
    p.add_argument("--tz", metavar="ZONE", help="time zone of wall-clock exports (IANA name)")
    p.add_argument(
        "--date-order",
        choices=["DMY", "MDY", "YMD"],
        help="day/month order for exports with ambiguous dates such as 03/04/25 (default: decided per file)",
    )
    _add_progress(p)
    p.add_argument(
        "--progress",
        action="store_true",
        help="show the progress bar even when stderr is not a terminal (e.g. redirected to a log file)",
    )
    p.set_defaults(func=_cmd_score)

    # formats -----------------------------------------------------------------
    p = sub.add_parser(
        "formats",
        help="list the export formats that can be read",
        description="List the export formats that can be read, with file patterns and where to find them.",
    )
    p.add_argument("--names", action="store_true", help="only the format names, one per line")
    p.set_defaults(func=_cmd_formats)
    return parser


# --------------------------------------------------------------------------- helpers


def _check_output(path: str, suffixes: tuple[str, ...]) -> Path:
    out = Path(path)
    if out.suffix.lower() not in suffixes:
        raise _UserError(f"cannot write {out.name!r}: the output must end in {' or '.join(suffixes)}")
    if not out.parent.exists():
        raise _UserError(f"folder {str(out.parent)!r} does not exist; create it first or choose another -o path")
    return out


def _write_table(frame, out: Path) -> None:
    from .io import to_csv_safe  # CSV for spreadsheets: formulas neutralised

    plain = frame.copy(deep=False)
    plain.attrs = {}  # the parse report objects are not part of the table
    if out.suffix.lower() == ".parquet":
        plain.to_parquet(out, index=False)
    else:
        to_csv_safe(plain, out)


# what a file that is not a chat export is, from its first bytes: (magic, zip member or None, what it is)
_NOT_EXPORTS: tuple[tuple[bytes, str | None, str], ...] = (
    (b"%PDF", None, "a PDF document, not a chat export"),
    (b"PK\x03\x04", "word/document.xml", "a Word document (.docx), not a chat export"),
    (b"PK\x03\x04", "xl/workbook.xml", "an Excel workbook (.xlsx); save the sheet as CSV and pass --format table"),
    (b"PK\x03\x04", "ppt/presentation.xml", "a PowerPoint file, not a chat export"),
    (b"PK\x03\x04", "content.xml", "an OpenDocument file, not a chat export"),
    (b"\x89PNG", None, "a PNG image, not a chat export"),
    (b"\xff\xd8\xff", None, "a JPEG image, not a chat export"),
    (b"GIF8", None, "a GIF image, not a chat export"),
    (b"{\\rtf", None, "an RTF document, not a chat export"),
    (b"\xd0\xcf\x11\xe0", None, "an old Office document (.doc/.xls), not a chat export"),
)

_EXPORT_HINT = "export the chat from the app again (reconnect-signals formats says how and where)"


def file_kind(path: Path) -> str | None:
    """What ``path`` is when it is plainly not a chat export (empty, PDF, Word, ...), else None.

    Parameters
    ----------
    path : Path
        A file the command line was given.

    Returns
    -------
    str or None
        A description such as ``"an empty file (0 bytes)"``, or None when it may be an export.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> empty = pathlib.Path(tempfile.mkdtemp()) / "chat.txt"
    >>> _ = empty.write_bytes(b"")
    >>> file_kind(empty)
    'an empty file (0 bytes)'
    """
    try:
        if path.stat().st_size == 0:
            return "an empty file (0 bytes)"
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError:
        return None
    for magic, member, what in _NOT_EXPORTS:
        if not head.startswith(magic):
            continue
        if member is None:
            return what
        import zipfile

        try:
            with zipfile.ZipFile(path) as zf:
                if member in zf.namelist()[:10_000]:
                    return what
        except (OSError, zipfile.BadZipFile, ValueError):
            return None
    return None


def _check_inputs(exports: list[str]) -> None:
    missing = [e for e in exports if not any(ch in e for ch in "*?[") and not Path(e).exists()]
    if missing:
        raise _UserError(f"no such file or folder: {', '.join(repr(m) for m in missing)}")
    for e in exports:
        p = Path(e)
        if p.is_file():
            kind = file_kind(p)
            if kind:
                raise _UserError(f"{p.name!r} is {kind}; {_EXPORT_HINT}")
        elif p.is_dir() and not any(f.is_file() for f in p.rglob("*")):
            raise _UserError(f"folder {e!r} is empty; pass the export file, or the folder the app exported")


def _read(args: argparse.Namespace) -> pd.DataFrame:
    import reconnect_signals as rs

    from .errors import UnknownFormat

    _check_inputs(args.exports)
    kw = {"tz": args.tz, "date_order": args.date_order}
    try:
        if len(args.exports) == 1 and Path(args.exports[0]).is_file():
            msgs = rs.read_chat(args.exports[0], args.format, **kw)
        else:
            msgs = rs.read_chats(args.exports, args.format, progress=False if args.no_progress else None, **kw)
    except UnknownFormat as exc:
        folders = [e for e in args.exports if Path(e).is_dir()]
        if folders:
            raise _UserError(
                f"{cli_wording(str(exc))}. In folder(s) {', '.join(repr(f) for f in folders)} every file is read; "
                "pass only the export file(s), or --format to choose the reader"
            ) from exc
        raise
    _tz_notice(msgs, args.tz)
    return msgs


def _tz_notice(msgs, tz: str | None) -> None:
    meta = msgs.attrs.get("reconnect_signals", {}) if isinstance(msgs.attrs, dict) else {}
    if tz is None and meta.get("tz_assumed"):
        print(
            f"note: this export stores wall-clock times and no --tz was given, so they were read as "
            f"{meta['tz_assumed']}; hours, weekdays and week edges may be shifted. Pass your phone's zone, "
            "e.g. --tz Europe/London",
            file=sys.stderr,
        )


# Python spellings in library messages -> the command line's own options
_CLI_WORDS: tuple[tuple[str, str], ...] = (
    (r"\bpass format=/date_order=", "pass --format/--date-order"),
    (r"\b([Pp])ass format=", r"\1ass --format"),
    (r"\(rs\.list_formats\(\) says what each reads\)", "(reconnect-signals formats says what each reads)"),
    (r"\brs\.list_formats\(\)", "reconnect-signals formats"),
    (r"\bdate_order='(DMY|MDY|YMD)'", r"--date-order \1"),
    (r"\b([Pp])ass date_order=", r"\1ass --date-order"),
    (r"\bdate_order=", "--date-order "),
    (r"\btz='([^']*)'", r"--tz \1"),
    (r"\b([Pp])ass tz=", r"\1ass --tz"),
    (r" to (?:rs\.)?read_chats?\b", ""),
    (r"\b(?:rs\.)?read_chats?\((?:path|\.\.\.)?[^)]*\)", "reconnect-signals parse"),
    (r"; the list is in df\.attrs\[[^\]]*\]\[[^\]]*\]", ""),
)


def cli_wording(text: str) -> str:
    """A library message in the command line's words (``--format`` for ``format=`` and so on).

    Parameters
    ----------
    text : str
        An error or hint written for the Python API.

    Returns
    -------
    str
        The same message with options spelled as command-line flags.

    Examples
    --------
    >>> cli_wording("pass date_order='DMY' (day first) to read_chat.")
    'pass --date-order DMY (day first).'
    """
    import re

    for pattern, repl in _CLI_WORDS:
        text = re.sub(pattern, repl, text)
    return text


def _parse_summary(msgs) -> list[str]:
    from .io import parse_reports as get_report

    return [r.summary() for r in get_report(msgs)]


def _say(text: str) -> None:
    print(text, file=sys.stdout)


# --------------------------------------------------------------------------- commands


def _cmd_report(args) -> int:
    import reconnect_signals as rs

    out = _check_output(args.output, (".html", ".htm"))
    if args.exports:
        msgs = _read(args)
    else:
        _say("no export given: using the bundled synthetic example chat (Alex and Sam)")
        msgs = rs.load_example(tz=args.tz or "Europe/London")
    if not len(msgs):
        raise _UserError("the export holds no messages; check that it is the right file (reconnect-signals formats)")
    path = rs.report(
        msgs,
        out,
        me=args.me,
        freq=args.freq,
        recent=args.recent,
        title=args.title,
        progress=False if args.no_progress else None,
        top=args.top,
    )
    _say(f"wrote {path} ({len(msgs):,} messages); open it in a browser")
    note = _system_note(msgs)
    if note:
        _say(note)
    return 0


def _system_note(msgs) -> str | None:
    """Why the report counts fewer messages than the table has rows (system rows), or None."""
    person = msgs["sender"].notna() & msgs["kind"].astype("str").ne("system").fillna(True)
    people = int(person.sum())
    other = len(msgs) - people
    if not other:
        return None
    return (
        f"  {other:,} of them are system rows of the export (joins, security notices, ...), which the "
        f"report leaves out: it counts {people:,} messages from people"
    )


def _cmd_parse(args) -> int:
    out = _check_output(args.output, (".parquet", ".csv"))
    msgs = _read(args)
    _write_table(msgs, out)
    for line in _parse_summary(msgs):
        _say(line)
    _say(f"wrote {out} ({len(msgs):,} messages)")
    note = _system_note(msgs)
    if note:
        _say(note)
    return 0


def _by(value: str):
    keys = [k.strip() for k in value.split(",") if k.strip()]
    if keys in ([], ["message"], ["none"]):
        return None
    allowed = {"sender", "conversation_id"}
    bad = [k for k in keys if k not in allowed]
    if bad:
        raise _UserError(f"--by {value!r}: unknown key(s) {bad}; use message, sender or conversation_id,sender")
    return keys[0] if len(keys) == 1 else keys


def _cmd_cues(args) -> int:
    import reconnect_signals as rs

    out = _check_output(args.output, (".parquet", ".csv"))
    by = _by(args.by)
    msgs = _read(args)
    table = rs.cue_table(msgs, by=by, freq=args.freq, gap=args.gap)
    _write_table(table, out)
    _say(f"wrote {out} ({len(table):,} rows, {len(table.columns)} columns)")
    return 0


def _cmd_score(args) -> int:
    import reconnect_signals as rs

    from ._corpus import _output_kind

    if not args.output and not args.out_dir:
        raise _UserError("say where to write: -o FILE (one table) and/or --out DIR (a run directory)")
    if args.resume and not args.out_dir:
        raise _UserError("--resume continues a run directory; give it with --out DIR")
    out = None
    if args.output:
        try:
            out, _, _ = _output_kind(args.output)
        except ValueError as exc:
            raise _UserError(str(exc)) from None
        if not out.parent.exists():
            raise _UserError(f"folder {str(out.parent)!r} does not exist; create it first or choose another -o path")
    key = None
    if args.anonymize_key_env:
        key = os.environ.get(args.anonymize_key_env)
        if not key:
            raise _UserError(
                f"environment variable {args.anonymize_key_env!r} is not set or empty; set it to a long secret "
                "(e.g. export RS_KEY=...) before running score"
            )
    by = _by(args.by)
    if by is None:
        raise _UserError("--by message is not a corpus score; use conversation_id or conversation_id,sender")
    by = tuple([by] if isinstance(by, str) else by)
    if "conversation_id" not in by:
        by = ("conversation_id", *by)  # a corpus is scored per conversation
    from ._corpus import DaskPreflightError

    with warnings.catch_warnings():  # each failure is listed below, once
        warnings.filterwarnings("ignore", message="score_corpus: .* files could not be scored")
        try:
            table = _score(rs, args, by, key, out)
        except (ConnectionError, DaskPreflightError, TimeoutError) as exc:
            raise _UserError(str(exc)) from None
    meta = table.attrs.get("reconnect_signals", {})
    failed = meta.get("failed", [])
    files = meta.get("files", [])
    for item in failed:
        print(f"failed: {item.get('source')}: {cli_wording(str(item.get('error')))}", file=sys.stderr)
    rows = meta.get("rows", len(table))
    if not rows:
        if out is not None and out.exists():
            out.unlink()  # no empty table that looks like a result
        reason = "every file failed (see above)" if failed else "the sources hold no messages"
        where = f"; the manifest is in {args.out_dir}" if args.out_dir else "; nothing was written"
        print(f"{PROG} score: error: nothing was scored: {reason}{where}", file=sys.stderr)
        return 2
    skipped = sum(1 for m in meta.get("manifest", []) if m.get("status") == "skipped")
    where = " and ".join(str(w) for w in (out, args.out_dir) if w)
    resumed = f"; {skipped} already done in an earlier run" if skipped else ""
    _say(
        f"wrote {where} ({rows:,} rows; {len(files) - len(failed)} of {len(files)} file(s) scored, "
        f"{len(failed)} file(s) failed{resumed})"
    )
    return 1 if failed else 0


def _score(rs, args, by, key, out):
    return rs.score_corpus(
        args.sources,
        by=by,
        freq=args.freq,
        anonymize_key=key,
        engine=args.engine,
        scheduler=args.scheduler,
        output=out,
        out_dir=args.out_dir,
        resume=args.resume,
        collect=bool(args.output) or not args.out_dir,  # --out alone: rows stay on disk, memory stays flat
        batch_files=args.batch_files,
        progress=False if args.no_progress else (True if args.progress else None),
        format=args.format,
        tz=args.tz,
        **({"date_order": args.date_order} if args.date_order else {}),
    )


def _cmd_formats(args) -> int:
    from .io import list_formats

    formats = list_formats()
    if args.names:
        for name in formats["format"]:
            _say(name)
        return 0
    for rec in formats.to_dict("records"):
        _say(f"{rec['format']}  ({rec['platform']}; files: {rec['patterns']})")
        _say(f"    {rec['description']}")
        if rec["where"]:
            _say(f"    where: {rec['where']}")
    return 0


# --------------------------------------------------------------------------- entry point


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 input problem, 2 usage, 130 interrupted).

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after the program name; default ``sys.argv[1:]``.

    Returns
    -------
    int
        The exit code.
    """
    from .errors import ReconnectSignalsError

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    if args.verbose:
        logging.basicConfig(level=logging.DEBUG if args.verbose > 1 else logging.INFO, format="%(message)s")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            code = args.func(args)
        except KeyboardInterrupt:
            print(f"{PROG}: interrupted", file=sys.stderr)
            return 130
        except BrokenPipeError:  # e.g. `reconnect-signals formats | head`
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return 0
        except (_UserError, ReconnectSignalsError, FileNotFoundError, PermissionError, ValueError) as exc:
            if args.verbose > 1:
                raise
            print(f"{PROG} {args.command}: error: {cli_wording(str(exc))}", file=sys.stderr)
            code = 1
        finally:
            _show_warnings(caught, args.verbose)
    return code


def _show_warnings(caught, verbose: int) -> None:
    seen = set()
    for w in caught:
        if not verbose and not issubclass(w.category, UserWarning):
            continue  # library deprecation noise is not the user's business
        text = cli_wording(str(w.message))
        if text in seen:
            continue
        seen.add(text)
        print(f"warning: {text}", file=sys.stderr)
