"""Typed access to fields of JSON records (shared by the JSON readers).

A record whose field has the wrong JSON type is not a crash: the reader catches
:class:`WrongType` and reports the record as a problem naming the field.
"""

from __future__ import annotations

__all__ = ["WrongType", "json_type", "typed"]


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
