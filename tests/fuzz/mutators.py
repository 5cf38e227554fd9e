"""Structure-aware mutators for chat exports (issue 21).

Each mutator takes the bytes of an export and a :class:`random.Random` and returns new bytes.
:func:`mutate` looks at what the bytes are (SQLite, zip, JSON, XML or text) and applies one to
three mutations of that structure, sometimes followed by a byte-level one, so that the
fuzzer reaches states byte flips alone do not: JSON nested 200,000 deep, a SQLite ``message``
table of another shape, a zip member named ``../x``, a header line behind a direction mark.

Everything is deterministic for a given ``Random`` state (the CI smoke pass relies on it).
"""

from __future__ import annotations

import io
import json
import random
import re
import sqlite3
import warnings
import zipfile

__all__ = ["mutate", "kind_of", "MUTATORS"]

_DEPTHS = (50, 990, 1100, 5_000, 200_000)
_MARKS = (
    "\u200e",
    "\u200f",
    "\u202a",
    "\u202b",
    "\u202e",
    "\u2066",
    "\u2069",
    "\ufeff",
    "\u00a0",
    "\u2028",
    "\u0000",
    "\r",
    "\t",
    "\ud7ff",
    "\U0001f600",
    "\u0301",
)
_ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "latin-1", "cp1252")
_BIG = "9" * 5_000


def kind_of(data: bytes) -> str:
    """``"sqlite"``, ``"zip"``, ``"json"``, ``"xml"`` or ``"text"``."""
    if data.startswith(b"SQLite format 3\x00"):
        return "sqlite"
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head in (b"{", b"["):
        try:
            json.loads(data.decode("utf-8-sig"))
            return "json"
        except (ValueError, RecursionError):
            pass
    if head == b"<":
        return "xml"
    return "text"


# -- bytes -----------------------------------------------------------------------------------------

_SPICE = [
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\n",
    b"\r",
    b'"',
    b"{",
    b"]",
    b"<",
    b"&#0;",
    b"\\u0000",
    b"\xed\xa0\x80",
    b"9" * 30,
    b"-1",
    b"PK\x03\x04",
    b"\xe2\x80\xae",
    b"\\",
    b",",
    b":",
]


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    """Flip, insert (random or spice), delete, duplicate or truncate at a random place."""
    buf = bytearray(data)
    pos = rng.randrange(len(buf) + 1)
    op = rng.choice(("flip", "insert", "delete", "duplicate", "truncate"))
    if op == "flip" and buf:
        for k in range(rng.randint(1, 4)):
            if pos + k < len(buf):
                buf[pos + k] ^= rng.randint(1, 255)
    elif op == "insert":
        buf[pos:pos] = rng.choice(_SPICE) if rng.random() < 0.6 else rng.randbytes(rng.randint(1, 8))
    elif op == "delete":
        del buf[pos : pos + rng.randint(1, 24)]
    elif op == "duplicate":
        buf[pos:pos] = buf[pos : pos + rng.randint(1, 256)] * rng.randint(1, 8)
    else:
        del buf[pos:]
    return bytes(buf)


# -- JSON ------------------------------------------------------------------------------------------


def _nodes(value, path=()):
    yield path, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _nodes(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _nodes(v, (*path, i))


def _set(root, path, new):
    if not path:
        return new
    holder = root
    for p in path[:-1]:
        holder = holder[p]
    holder[path[-1]] = new
    return root


_TOKEN = "\u0001RS-FUZZ-TOKEN\u0001"


def _swap_value(rng: random.Random) -> object:
    return rng.choice(
        [
            None,
            True,
            False,
            0,
            -1,
            1.5,
            1e308,
            -1e-308,
            "",
            "x",
            "\u202eevil",
            [],
            {},
            [None],
            {"": 1},
            {"text": {"text": []}},
            [{"type": "bold"}],
            "1704103200",
            "2024-13-45T99:99:99",
            _BIG[:40],
            "\ud800",
            "\x00",
            2**63,
            -(2**63) - 1,
            "NaN",
            _TOKEN,
        ]
    )


def _token(rng: random.Random) -> str:
    """Text that :func:`json.dumps` cannot write: deep nesting, huge numbers, NaN, duplicate keys."""
    choice = rng.randrange(6)
    if choice == 0:
        depth = rng.choice(_DEPTHS)
        opener, closer = rng.choice((("[", "]"), ('{"a":', "}"), ('{"text":[', "]}")))
        return opener * depth + "1" + closer * depth
    if choice == 1:
        return rng.choice((_BIG, "-" + _BIG, "1e99999", "-0.0e-99999", "1" + "0" * 400))
    if choice == 2:
        return rng.choice(("NaN", "Infinity", "-Infinity"))
    if choice == 3:
        return '{"a": 1, "a": [2], "a": null}'
    if choice == 4:
        return '"' + "\\ud800\\udc00\\udfff\\u0000" * rng.randint(1, 4) + '"'
    return "[" + ",".join(["{}"] * rng.choice((10, 1000, 20_000))) + "]"


def mutate_json(data: bytes, rng: random.Random) -> bytes:
    """Depth, width and type mutations of a JSON document (or JSON lines).

    A document nested close to the recursion limit (grafts of a node into its own subtree deepen it
    from one mutant to the next) is walked or written with ``RecursionError``: byte mutations then
    (found by a mutator stress run: the error escaped into libFuzzer).
    """
    text = data.decode("utf-8-sig", errors="replace")
    try:
        root = json.loads(text)
    except (ValueError, RecursionError):
        return mutate_bytes(data, rng)
    try:
        return _mutate_tree(root, rng)
    except RecursionError:
        return mutate_bytes(data, rng)


def _mutate_tree(root, rng: random.Random) -> bytes:
    for _ in range(rng.randint(1, 3)):
        nodes = list(_nodes(root))
        path, value = rng.choice(nodes)
        op = rng.randrange(7)
        if op == 0:  # type swap
            root = _set(root, path, _swap_value(rng))
        elif op == 1 and isinstance(value, dict) and value:  # drop a key
            value.pop(rng.choice(list(value)))
        elif op == 2 and isinstance(value, dict) and value:  # rename a key
            key = rng.choice(list(value))
            value[key + rng.choice(("_", " ", "\u200b", "X"))] = value.pop(key)
        elif op == 3 and isinstance(value, list) and value:  # widen with copies (never shared: growth stays additive)
            size = sum(1 for _ in _nodes(value[0]))
            n = min(rng.choice((2, 50, 2_000)), max(1, 20_000 // size)) if len(nodes) < 50_000 else 1
            value.extend(json.loads(json.dumps(value[0])) for _ in range(n))
        elif op == 4 and isinstance(value, list) and len(value) > 1:  # reorder
            rng.shuffle(value)
        elif op == 5:  # graft one node onto another's place
            _, other = rng.choice(nodes)
            root = _set(root, path, json.loads(json.dumps(other)))
        else:  # something json.dumps cannot write
            root = _set(root, path, _TOKEN)
    out = json.dumps(root, ensure_ascii=rng.random() < 0.5)
    target = json.dumps(_TOKEN)  # control characters are always escaped, whatever ensure_ascii says
    pieces = out.split(target)
    if len(pieces) > 1:  # at most three tokens are expanded (a widened list may hold thousands): the rest are 0
        out = pieces[0] + "".join((_token(rng) if k < 3 else "0") + p for k, p in enumerate(pieces[1:]))
    if rng.random() < 0.1:
        out = out.replace("\n", "").replace(", ", ",\n")
    return out.encode("utf-8", errors="surrogatepass")  # lone surrogates: invalid UTF-8 on purpose


# -- XML -------------------------------------------------------------------------------------------

_ATTR = re.compile(rb'([\w:-]+)="([^"]*)"')
_DOCTYPES = [
    b'<!DOCTYPE smses [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    b'<!DOCTYPE smses [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    b'<!DOCTYPE smses SYSTEM "http://127.0.0.1/evil.dtd">',
    b'<!DOCTYPE smses [<!ENTITY % p SYSTEM "file:///etc/hosts"> %p;]>',
    b"<!DOCTYPE smses>",
]


def mutate_xml(data: bytes, rng: random.Random) -> bytes:
    """Entity declarations, nesting, attribute values, CDATA and character references."""
    op = rng.randrange(7)
    attrs = list(_ATTR.finditer(data))
    if op == 0:
        decl_end = data.find(b"?>") + 2 if data.startswith(b"<?xml") else 0
        return data[:decl_end] + rng.choice(_DOCTYPES) + data[decl_end:]
    if op == 1 and attrs:
        m = rng.choice(attrs)
        new = rng.choice(
            [
                b"",
                b"-1",
                b"9" * 30,
                b"abc",
                b"&x;",
                b"&#0;",
                b"&#x110000;",
                b"&amp;&lt;",
                b"null",
                b"1" * 20_000,
                "\u202e\u0000".encode(),
                b"0",
                b"1e400",
                b"&b;",
            ]
        )
        return data[: m.start(2)] + new + data[m.end(2) :]
    if op == 2 and attrs:  # drop or duplicate an attribute
        m = rng.choice(attrs)
        piece = b"" if rng.random() < 0.5 else m.group(0) + b" " + m.group(0)
        return data[: m.start()] + piece + data[m.end() :]
    if op == 3:  # nesting
        depth = rng.choice(_DEPTHS[:4])
        at = data.rfind(b"</")
        at = at if at > 0 else len(data)
        return data[:at] + b"<n>" * depth + b"</n>" * depth + data[at:]
    if op == 4:
        at = rng.randrange(len(data) + 1)
        return (
            data[:at]
            + rng.choice(
                [
                    b"<![CDATA[x]]>",
                    b"<!-- -->",
                    b"<?pi x?>",
                    b"&#0;",
                    b"\x00",
                    b"]]>",
                    b'<sms body="x"/>',
                    b"<a:b xmlns:a='urn:x'/>",
                ]
            )
            + data[at:]
        )
    if op == 5:  # duplicate an element-sized chunk
        starts = [m.start() for m in re.finditer(rb"<\w", data)]
        if starts:
            s = rng.choice(starts)
            e = data.find(b">", s) + 1
            return data[:e] + data[s:e] * (rng.choice((2, 500)) if e - s < 2_000 else 2) + data[e:]
    return mutate_text(data, rng)


# -- SQLite ----------------------------------------------------------------------------------------

_VALUES = [
    "NULL",
    "'x'",
    "X'00FF'",
    "-1",
    "0",
    "1.5",
    "9223372036854775807",
    "-9223372036854775808",
    "1e308",
    "'2024-01-01'",
    "randomblob(64)",
    "''",
    "'\u202e'",
    "X''",
]


def _tables(con: sqlite3.Connection) -> list[tuple[str, list[str]]]:
    out = []
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"):
        cols = [r[1] for r in con.execute(f'PRAGMA table_info("{name}")')]
        out.append((name, cols))
    return out


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def mutate_sqlite(data: bytes, rng: random.Random) -> bytes:
    """Schema variants: missing, extra or renamed columns, wrong types, NULLs, triggers, views, blobs."""
    con = sqlite3.connect(":memory:")
    # ValueError: a name or text that is not UTF-8 cannot be read back (UnicodeDecodeError, found by a
    # mutator stress run) nor written into SQL
    try:
        con.deserialize(data)
        tables = _tables(con)
    except (sqlite3.Error, ValueError):
        con.close()
        return mutate_bytes(data, rng)
    try:
        for _ in range(rng.randint(1, 3)):
            tables = _tables(con)
            if not tables:
                break
            name, cols = rng.choice(tables)
            col = rng.choice(cols) if cols else None
            op = rng.randrange(9)
            if op == 0 and col and len(cols) > 1:
                con.execute(f"ALTER TABLE {_q(name)} DROP COLUMN {_q(col)}")
            elif op == 1 and col:
                con.execute(f"ALTER TABLE {_q(name)} RENAME COLUMN {_q(col)} TO {_q(col + '_old')}")
            elif op == 2:
                extra = rng.choice(["extra", "ROWID", "text", "date"]) + rng.choice(["", "2"])
                con.execute(f"ALTER TABLE {_q(name)} ADD COLUMN {_q(extra)} BLOB")
            elif op == 3 and col:  # wrong types and NULLs in some rows, or one huge blob
                first = f" WHERE _rowid_ = (SELECT MIN(_rowid_) FROM {_q(name)})"
                where = rng.choice(["", " WHERE _rowid_ % 2 = 0", first])
                value = rng.choice(_VALUES)
                if rng.random() < 0.15:
                    value, where = "zeroblob(1000000)", first
                con.execute(f"UPDATE {_q(name)} SET {_q(col)} = {value}{where}")
            elif op == 4:  # a view named like the table, the table moved aside
                con.execute(f"ALTER TABLE {_q(name)} RENAME TO {_q(name + '_real')}")
                con.execute(f"CREATE VIEW {_q(name)} AS SELECT * FROM {_q(name + '_real')}")
            elif op == 5:  # the table rebuilt with another shape (declared ROWID, no rowid, all text)
                shape = rng.choice(
                    [
                        "ROWID TEXT, guid, text, date",
                        "a, b",
                        "ROWID, date INTEGER",
                        "guid TEXT PRIMARY KEY, date, text) WITHOUT ROWID; --",
                        "ROWID INTEGER PRIMARY KEY",
                    ]
                )
                con.executescript(f"DROP TABLE {_q(name)}; CREATE TABLE {_q(name)} ({shape});")
                cols = [r[1] for r in con.execute(f"PRAGMA table_info({_q(name)})")]
                if cols:
                    con.execute(
                        f"INSERT OR IGNORE INTO {_q(name)} ({', '.join(map(_q, cols))}) VALUES "
                        f"({', '.join(rng.choice(_VALUES) for _ in cols)})"
                    )
            elif op == 6:
                con.execute(
                    f"CREATE TRIGGER IF NOT EXISTS t{rng.randint(0, 99)} AFTER INSERT ON {_q(name)} "
                    f"BEGIN DELETE FROM {_q(name)}; END"
                )
            elif op == 7 and cols:  # many rows or a huge one
                n = rng.choice((1, 50, 2_000))
                values = ", ".join(rng.choice(_VALUES) for _ in cols)
                con.execute(
                    f"WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < {n}) "
                    f"INSERT OR IGNORE INTO {_q(name)} ({', '.join(map(_q, cols))}) SELECT {values} FROM c"
                )
            else:
                con.execute(f"DROP TABLE {_q(name)}")
        con.commit()
        return con.serialize()
    except (sqlite3.Error, ValueError):
        return con.serialize()
    finally:
        con.close()


# -- zip -------------------------------------------------------------------------------------------

_EVIL = [
    "../evil.json",
    "/abs.json",
    "C:/x.json",
    "a\\..\\..\\b.json",
    "dir/",
    "\u202etxt.json",
    "",
    "a//b.json",
    "./result.json",
    "result.json/",
    "x" * 300,
]


def mutate_zip(data: bytes, rng: random.Random) -> bytes:
    """Member tricks: mutate, rename (traversal, duplicates), add, drop, nest or recompress members."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = [(i.filename, zf.read(i)) for i in zf.infolist()[:64]]
    except Exception:  # any damage: fall back to byte mutations
        return mutate_bytes(data, rng)
    op = rng.randrange(6)
    if members and op == 0:
        i = rng.randrange(len(members))
        members[i] = (members[i][0], mutate(members[i][1], rng, depth=1))
    elif members and op == 1:
        i = rng.randrange(len(members))
        members[i] = (rng.choice(_EVIL + [members[i][0].upper(), "nested/" + members[i][0]]), members[i][1])
    elif members and op == 2:
        members.append(rng.choice(members))  # a duplicate name
    elif op == 3:
        members.append(("inner.zip" if rng.random() < 0.5 else "result.json", data))
    elif members and op == 4:
        members.pop(rng.randrange(len(members)))
    else:
        members.extend((f"m{i}.json", b"{}") for i in range(rng.choice((5, 200))))
    method = rng.choice((zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA))
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w", method) as zf:
        warnings.simplefilter("ignore")  # duplicate names are the point
        for name, body in members:
            info = zipfile.ZipInfo(name or "_")
            info.compress_type = method
            zf.writestr(info, body)
    return buf.getvalue()


# -- text ------------------------------------------------------------------------------------------


def mutate_text(data: bytes, rng: random.Random) -> bytes:
    """Layout mutations: header look-alikes, direction marks, digits, line breaks, encodings."""
    text = data.decode("utf-8-sig", errors="replace")
    lines = text.split("\n") or [""]
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(lines))
        op = rng.randrange(8)
        if op == 0:  # a header look-alike: a line repeated with its digits changed
            lines.insert(i, re.sub(r"\d", lambda m: str(rng.randrange(10)), lines[rng.randrange(len(lines))]))
        elif op == 1:
            at = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:at] + rng.choice(_MARKS) * rng.randint(1, 3) + lines[i][at:]
        elif op == 2:
            lines[i] = re.sub(
                r"\d+",
                lambda m: rng.choice(["0", "00", "99", "31", "13", "2400", "-1", "9" * 20]),
                lines[i],
                count=rng.randint(1, 3),
            )
        elif op == 3:
            lines.insert(i, rng.choice(["", " ", "\t", "\r", "," * 50, '"', "a" * rng.choice((100, 100_000))]))
        elif op == 4 and len(lines) > 1:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == 5:
            del lines[i]
            lines = lines or [""]
        elif op == 6 and len(lines[i]) < 20_000:
            lines[i] = lines[i] * rng.choice((2, 50))
        else:
            lines.insert(i, lines[i][: rng.randrange(len(lines[i]) + 1)])
    out = rng.choice(("\n", "\r\n", "\r", "\n")).join(lines)
    return out.encode(rng.choice(_ENCODINGS), errors="replace")


MUTATORS = {"sqlite": mutate_sqlite, "zip": mutate_zip, "json": mutate_json, "xml": mutate_xml, "text": mutate_text}


#: mutants are cut to this size (a reader's behaviour on big inputs is the linear-time tests' job)
MAX_SIZE = 2**20


def mutate(data: bytes, rng: random.Random, depth: int = 0) -> bytes:
    """One to three structure-aware mutations for what ``data`` is, then sometimes a byte-level one.

    The result is at most :data:`MAX_SIZE` bytes (a mutation that would grow past it is cut).
    """
    kind = kind_of(data)
    out = data
    for _ in range(1 if kind in ("sqlite", "zip") or depth else rng.randint(1, 2)):
        out = MUTATORS[kind](out, rng)[:MAX_SIZE]
    if rng.random() < 0.2 and not depth:
        out = mutate_bytes(out, rng)
    return out[:MAX_SIZE]
