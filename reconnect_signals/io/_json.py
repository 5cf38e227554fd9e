"""Typed access to fields of JSON records (shared by the JSON readers).

A record whose field has the wrong JSON type is not a crash: the reader catches
:class:`WrongType` and reports the record as a problem naming the field.
"""

from __future__ import annotations

import contextlib
import gc
import json
import re

from ..errors import ParseError

__all__ = [
    "WrongType",
    "json_type",
    "typed",
    "no_gc",
    "parse_json",
    "loads",
    "decode_at",
    "JSONRefused",
    "TooDeep",
    "NumberTooLong",
]


@contextlib.contextmanager
def no_gc():
    """Pause the cyclic garbage collector while millions of small JSON objects are built.

    JSON values have no reference cycles, so nothing leaks; parsing runs about twice as fast.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class JSONRefused(ParseError):
    """JSON that decodes in no reader: nested past the recursion limit, or an absurdly long number.

    ``msg`` mirrors :class:`json.JSONDecodeError` so a reader that reports a bad line with
    ``exc.msg`` reports this one the same way.
    """

    msg = "refused"

    def __init__(self):
        super().__init__(f"the JSON {self.reason} to be a chat export; refusing it")

    reason = "is too odd"


class TooDeep(JSONRefused):
    """JSON nested past the interpreter's recursion limit: no chat export looks like that."""

    msg = "nested too deeply"
    reason = "nests too deeply"


class NumberTooLong(JSONRefused):
    """A JSON integer of more than 4,300 digits (Python's ``int`` conversion limit)."""

    msg = "a number too long"
    reason = "holds a number too long"


def loads(text: str | bytes):
    """``json.loads`` for every reader: the one guarded entry point to the JSON decoder.

    Invalid JSON raises :class:`json.JSONDecodeError` as usual (readers report the line or the
    record); JSON nested past the recursion limit (``[[[[...`` 200,000 deep) raises
    :class:`TooDeep` instead of ``RecursionError`` and an integer of more than 4,300 digits
    :class:`NumberTooLong` instead of a bare ``ValueError`` (both :class:`JSONRefused`, a
    :class:`ParseError`), on the sniffing path as well as when reading. Lone UTF-16 surrogates
    escaped in strings (``"\\udfff"``) become U+FFFD, as undecodable bytes do. Readers call
    this, never :func:`json.loads` (a test checks).

    >>> loads('[1, {"a": null}]')
    [1, {'a': None}]
    >>> loads(r'["\\ud83d\\ude00", "\\udfff"]')
    ['😀', '�']
    >>> loads("[" * 100_000)
    Traceback (most recent call last):
    ...
    reconnect_signals.io._json.TooDeep: the JSON nests too deeply to be a chat export; refusing it
    """
    try:
        value = json.loads(text)
    except RecursionError:
        raise TooDeep() from None
    except json.JSONDecodeError:
        raise
    except ValueError:  # int(): "Exceeds the limit (4300 digits) for integer string conversion"
        raise NumberTooLong() from None
    found = _SURROGATE_TEXT.search(text) if isinstance(text, str) else _SURROGATE_BYTES.search(text)
    return _scrub(value) if found else value


_DECODER = json.JSONDecoder()


def decode_at(text: str, pos: int = 0) -> tuple[object, int]:
    """One JSON value starting at ``text[pos]`` and the index after it, with the guards of :func:`loads`.

    ``json.JSONDecoder.raw_decode`` for readers that pull values one at a time (the Telegram
    streaming reader): invalid JSON raises :class:`json.JSONDecodeError` (the caller may read
    more text and retry), nesting past the recursion limit :class:`TooDeep`, an integer of more
    than 4,300 digits :class:`NumberTooLong`, and lone escaped surrogates become U+FFFD.

    >>> decode_at(r'{"a": [1, "\\udfff"]}, {"b": 2}')
    ({'a': [1, '�']}, 20)
    >>> decode_at('[' + '9' * 5_000 + ']')
    Traceback (most recent call last):
    ...
    reconnect_signals.io._json.NumberTooLong: the JSON holds a number too long to be a chat export; refusing it
    """
    try:
        value, end = _DECODER.raw_decode(text, pos)
    except RecursionError:
        raise TooDeep() from None
    except json.JSONDecodeError:
        raise
    except ValueError:  # int(): "Exceeds the limit (4300 digits) for integer string conversion"
        raise NumberTooLong() from None
    return (_scrub(value) if _SURROGATE_TEXT.search(text, pos, end) else value), end


# an escaped UTF-16 surrogate ("\ud83d"): paired ones decode to one character, lone ones would
# reach pandas/pyarrow as unencodable strings
_SURROGATE_TEXT = re.compile(r"\\[uU][dD][89a-fA-F]")
_SURROGATE_BYTES = re.compile(rb"\\[uU][dD][89a-fA-F]")


def _fix(s: str) -> str:
    return s.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _scrub(value):
    """``value`` with every lone surrogate in its strings (keys too) replaced by U+FFFD (no recursion)."""
    if isinstance(value, str):
        return _fix(value)
    root = [value]
    stack = [(root, 0)]
    while stack:
        holder, key = stack.pop()
        item = holder[key]
        if isinstance(item, str):
            holder[key] = _fix(item)
        elif isinstance(item, list):
            stack.extend((item, i) for i in range(len(item)))
        elif isinstance(item, dict):
            fixed = {(_fix(k) if isinstance(k, str) else k): v for k, v in item.items()}
            item.clear()
            item.update(fixed)
            stack.extend((item, k) for k in item)
    return root[0]


def parse_json(text: str, where: str, fix: str):
    """``json.loads(text)``; invalid or absurdly nested JSON raises :class:`ParseError`.

    ``where`` names the file in the message and ``fix`` says how to get a good export.

    >>> parse_json('{"a": 1}', "x.json", "export it again")
    {'a': 1}
    >>> parse_json('{"a": ', "x.json", "export it again")
    Traceback (most recent call last):
    ...
    reconnect_signals.errors.ParseError: x.json is not valid JSON (Expecting value at line 1); export it again
    """
    try:
        with no_gc():
            return loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(f"{where} is not valid JSON ({exc.msg} at line {exc.lineno}); {fix}") from None


class WrongType(Exception):
    """A field of one record has the wrong JSON type: the record becomes a reported problem."""


_JSON_NAMES = {dict: "an object", list: "a list", str: "a string", int: "an integer"}


def json_type(value) -> str:
    """The JSON name of ``value``'s type ("an object", "a number", ...)."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return _JSON_NAMES.get(type(value), type(value).__name__)


def typed(holder: dict, key: str, kind: type, path: str | None = None):
    """``holder[key]`` when it is missing, null or of JSON type ``kind``; else raise :class:`WrongType`.

    >>> typed({"a": 1}, "a", int), typed({}, "a", str)
    (1, None)
    >>> typed({"a": [1]}, "a", str)
    Traceback (most recent call last):
    ...
    reconnect_signals.io._json.WrongType: 'a' is a list, expected a string
    """
    value = holder.get(key)
    if value is None or (isinstance(value, kind) and not isinstance(value, bool)):
        return value
    raise WrongType(f"'{path or key}' is {json_type(value)}, expected {_JSON_NAMES[kind]}")
