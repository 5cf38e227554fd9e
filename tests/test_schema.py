"""The message frame: columns, dtypes, validate(), coerce(), empty_frame(), platforms."""

from __future__ import annotations

import pandas as pd
import pytest

import reconnect_signals as rs
from reconnect_signals import schema
from reconnect_signals.errors import SchemaError
from reconnect_signals.io import _registry
from reconnect_signals.io._registry import ParserSpec, register
from reconnect_signals.schema import (
    COLUMNS,
    KIND_DTYPE,
    KINDS,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    coerce,
    empty_frame,
    validate,
)


def _frame(**columns) -> pd.DataFrame:
    base = {"timestamp": ["2024-03-01 09:00", "2024-03-01 09:05"], "sender": ["Alex", "Sam"], "text": ["hi", "hello"]}
    return pd.DataFrame({**base, **columns})


def test_coerce_builds_every_required_column_with_its_dtype():
    msgs = coerce(_frame(), tz="Europe/Berlin")
    validate(msgs)
    assert list(msgs.columns[: len(REQUIRED_COLUMNS)]) == list(REQUIRED_COLUMNS)
    assert str(msgs["timestamp"].dtype) == "datetime64[us, Europe/Berlin]"
    assert msgs["kind"].dtype == KIND_DTYPE and msgs["kind"].tolist() == ["text", "text"]
    assert msgs["platform"].tolist() == ["table", "table"]
    assert msgs["message_id"].is_unique and msgs["conversation_id"].nunique() == 1


def test_validate_names_every_problem_at_once():
    bad = coerce(_frame()).drop(columns=["sender"]).assign(kind="nonsense")
    with pytest.raises(SchemaError) as err:
        validate(bad)
    assert "sender" in str(err.value) and "kind" in str(err.value)


def test_validate_refuses_naive_timestamps():
    msgs = coerce(_frame())
    naive = msgs.assign(timestamp=msgs["timestamp"].dt.tz_localize(None))
    with pytest.raises(SchemaError, match="timestamp"):
        validate(naive)


def test_empty_frame_is_valid_and_keeps_optional_columns():
    empty = empty_frame("Asia/Tokyo", optional=["edited", "source_line"])
    validate(empty)
    assert len(empty) == 0 and list(empty.columns) == [*REQUIRED_COLUMNS, "edited", "source_line"]
    assert str(empty["timestamp"].dtype) == "datetime64[us, Asia/Tokyo]"
    assert set(COLUMNS) == set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)


def test_kinds_are_fixed_so_concat_keeps_the_category():
    a, b = coerce(_frame()), coerce(_frame(kind=["media", "system"]))
    both = pd.concat([a, b], ignore_index=True)
    assert both["kind"].dtype == KIND_DTYPE and list(KIND_DTYPE.categories) == list(KINDS)


def test_every_registered_reader_platform_is_a_category():
    platforms = set(rs.PLATFORMS)
    assert {spec.platform for spec in _registry.specs().values()} <= platforms
    assert rs.PLATFORMS[-1] == "other" and "table" in platforms


def test_a_new_readers_platform_is_not_nan(monkeypatch):
    # leave the registry and the schema as they were after the test
    monkeypatch.setattr(_registry, "_SPECS", dict(_registry._SPECS))
    monkeypatch.setattr(schema, "PLATFORMS", schema.PLATFORMS)
    monkeypatch.setattr(schema, "PLATFORM_DTYPE", schema.PLATFORM_DTYPE)
    monkeypatch.setitem(schema.REQUIRED_COLUMNS, "platform", schema.PLATFORM_DTYPE)
    assert "viber" not in schema.PLATFORMS
    register(
        ParserSpec(
            "viber",
            "viber",
            "Viber backup (test)",
            ("*.viber",),
            "nowhere",
            sniff=lambda source: 0.0,
            read=lambda source, options: (None, []),
        )
    )
    assert "viber" in schema.PLATFORMS and schema.PLATFORMS[-1] == "other"
    msgs = coerce(_frame(platform=["viber", "whatsapp"]))
    assert msgs["platform"].tolist() == ["viber", "whatsapp"]  # not NaN
    validate(msgs)
    assert "viber" in rs.PLATFORMS  # the top-level name is not a stale copy


def test_register_platform_refuses_bad_names():
    with pytest.raises(ValueError, match="lower-case"):
        schema.register_platform("Viber ")
