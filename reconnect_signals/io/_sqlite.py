"""The one schema check for SQLite sources (``chat.db``).

SQLite stores any value in any column, and a file someone sent you can declare any table.
Before a reader turns a table into a frame, :func:`check_table` verifies in one scan that the
table exists and that each column the reader uses holds only the storage classes the reader
can handle; anything else is a :class:`~reconnect_signals.errors.ParseError` naming the
table, the column, how many values are wrong, their type and the first ``ROWID`` affected.
"""

from __future__ import annotations

import sqlite3

from ..errors import ParseError

__all__ = ["check_table", "NUMBER", "TEXT", "BLOB_OR_TEXT", "KEY"]

#: storage classes (``typeof()``) a column may hold; NULL is always allowed except for keys
KEY = frozenset({"integer"})
NUMBER = frozenset({"integer", "real", "text", "null"})  # text is coerced (and reported) by the reader
TEXT = frozenset({"text", "integer", "real", "null"})  # numbers are read as their text
BLOB_OR_TEXT = frozenset({"blob", "text", "null"})


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def check_table(con: sqlite3.Connection, table: str, storage: dict[str, frozenset], where: str, fix: str) -> set[str]:
    """The columns of ``table`` (plus ``ROWID``) after checking the storage class of every value.

    Parameters
    ----------
    con : sqlite3.Connection
    table : str
        A table (not a view) the reader needs.
    storage : dict
        Column name -> allowed ``typeof()`` values; columns the table lacks are skipped (the
        reader reads them as NULL). ``"ROWID"`` is the row key (the implicit one, or a column
        declared with that name).
    where, fix : str
        The file's name and what the person should do, for the error message.

    Raises
    ------
    ParseError
        The table is missing or has no ``ROWID``, or a column holds values of another type.

    Examples
    --------
    >>> con = sqlite3.connect(":memory:")
    >>> _ = con.executescript("CREATE TABLE message (ROWID, date); INSERT INTO message VALUES (NULL, 1);")
    >>> check_table(con, "message", {"ROWID": KEY, "date": NUMBER}, "chat.db", "pass chat.db")
    Traceback (most recent call last):
    ...
    reconnect_signals.errors.ParseError: chat.db: table 'message' column 'ROWID' holds 1 null value(s) \
(first at row 1), where only integer is expected; it is not a database the reader understands: pass chat.db
    """
    kinds = {r[0] for r in con.execute("SELECT type FROM sqlite_master WHERE name = ?", (table,))}
    if "table" not in kinds:
        what = f"a {sorted(kinds)[0]} named {table!r}, not a table" if kinds else f"no {table!r} table"
        raise ParseError(f"{where} has {what}; {fix}")
    have = {row[1] for row in con.execute(f"PRAGMA table_info({_quote(table)})")}
    have.add("ROWID")
    checked = [c for c in storage if c in have]
    parts = []
    for c in checked:
        allowed = ", ".join(f"'{k}'" for k in sorted(storage[c]))
        bad = f"typeof({_quote(c)}) NOT IN ({allowed})"
        parts.append(
            f"SUM({bad}), MIN(CASE WHEN {bad} THEN typeof({_quote(c)}) END), MIN(CASE WHEN {bad} THEN _rowid_ END)"
        )
    if not parts:
        return have
    try:
        row = con.execute(f"SELECT {', '.join(parts)} FROM {_quote(table)}").fetchone()
    except sqlite3.OperationalError as exc:
        if "no such column" not in str(exc):
            raise
        raise ParseError(f"{where}: table {table!r} has no ROWID (a WITHOUT ROWID table?); {fix}") from None
    for i, c in enumerate(checked):
        count, kind, first = row[3 * i : 3 * i + 3]
        if count:
            expected = " or ".join(sorted(storage[c] - {"null"}))
            at = f" (first at row {first})" if first is not None else ""
            raise ParseError(
                f"{where}: table {table!r} column {c!r} holds {count} {kind} value(s){at}, where only "
                f"{expected} is expected; it is not a database the reader understands: {fix}"
            )
    return have
