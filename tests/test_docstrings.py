"""numpydoc validation of the public docstrings (every name in a public ``__all__``).

Checks, chosen so that a failure is a real gap a reader would hit:

- everywhere (functions, classes, their public methods and properties): a docstring exists
  (GL08); no parameter is documented that the signature lacks (PR02) and parameter lines are
  well formed (PR10); sections in numpydoc order (GL07); summary ends with a period (SS03);
  closing quotes on their own line (GL02).
- module-level functions: every parameter documented (PR01) and a Returns section (RT01) when
  the function returns something. Exempt: the per-format reader modules
  (``reconnect_signals.io.<format>``), whose ``read_*(source, options)`` and
  ``sniff_*(source)`` follow the one contract documented on ``ParserSpec``; and methods of
  the ``df.chat`` accessor, which only delegate (their docstring names the function).
- functions in ``reconnect_signals.__all__``: an Examples section (EX01).
"""

from __future__ import annotations

import inspect

import pytest

from tests._public_api import public_objects

numpydoc_validate = pytest.importorskip(
    "numpydoc.validate", reason="numpydoc is not installed (pip install -e '.[test]')"
)

EVERYWHERE = {"GL08", "PR02", "PR10", "GL07", "SS03", "GL02"}
FUNCTIONS = {"PR01", "RT01"}
TOP_LEVEL = {"EX01"}


def _reader_entry_point(func) -> bool:
    parts = func.__module__.split(".")
    in_reader = len(parts) == 3 and parts[1] == "io" and not parts[2].startswith("_")
    return in_reader and func.__name__.startswith(("read_", "sniff_"))


def _checks(item) -> set[str]:
    checks = set(EVERYWHERE)
    if item.kind == "function" and not _reader_entry_point(item.obj):
        checks |= FUNCTIONS
        if item.top_level:
            checks |= TOP_LEVEL
    return checks


def _returns_nothing(func) -> bool:
    ann = inspect.signature(func).return_annotation
    return ann is None or ann == "None"


OBJECTS = public_objects()


def test_the_public_api_is_found():
    names = {o.exported_as for o in OBJECTS}
    assert {"reconnect_signals.read_chat", "reconnect_signals.signals", "reconnect_signals.ml.CueFeaturizer"} <= names
    assert len(OBJECTS) > 100


@pytest.mark.parametrize("item", OBJECTS, ids=[o.qualname for o in OBJECTS])
def test_public_docstring_is_valid(item):
    checks = _checks(item)
    result = numpydoc_validate.validate(item.qualname)
    errors = [(code, msg) for code, msg in result["errors"] if code in checks]
    if item.kind == "function" and _returns_nothing(item.obj):
        errors = [(c, m) for c, m in errors if c != "RT01"]
    assert not errors, f"{item.exported_as}: " + "; ".join(f"{c} {m}" for c, m in errors)
