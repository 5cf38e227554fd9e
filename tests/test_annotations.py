"""Every public function is fully annotated: each parameter (``*args``/``**kwargs`` too) and the
return value, for functions, public methods, property getters and hand-written ``__init__`` /
``__call__`` of every name in a public ``__all__`` (the set ``tests/_public_api.py`` collects)."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import typing

import pytest

from tests._public_api import PublicObject, public_objects

CALLABLES = [o for o in public_objects() if o.kind != "class"]
# constructors and __call__ written by hand (a dataclass's generated __init__ takes the field annotations)
CALLABLES += [
    PublicObject(f"{o.qualname}.{attr}", f"{o.exported_as}.{attr}", vars(o.obj)[attr], o.top_level, "method")
    for o in public_objects()
    if o.kind == "class"
    for attr in ("__init__", "__call__")
    if inspect.isfunction(vars(o.obj).get(attr)) and not (attr == "__init__" and dataclasses.is_dataclass(o.obj))
]


def _missing(func) -> list[str]:
    sig = inspect.signature(func)
    missing = [
        p.name
        for p in sig.parameters.values()
        if p.name not in ("self", "cls") and p.annotation is inspect.Parameter.empty
    ]
    if sig.return_annotation is inspect.Signature.empty:
        missing.append("return")
    return missing


def test_the_callables_are_found():
    names = {o.exported_as for o in CALLABLES}
    assert {"reconnect_signals.read_chat", "reconnect_signals.signals", "reconnect_signals.lsm"} <= names


@pytest.mark.parametrize("item", CALLABLES, ids=[o.qualname for o in CALLABLES])
def test_public_callable_is_fully_annotated(item):
    func = item.obj.fget if item.kind == "property" else item.obj
    assert not _missing(func), f"{item.exported_as}: no annotation for {_missing(func)}"


def _namespace(module) -> dict:
    """The module's globals plus what its ``if TYPE_CHECKING:`` blocks import."""
    namespace = dict(vars(module))
    for node in ast.parse(inspect.getsource(module)).body:
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            exec(compile(ast.Module(body=node.body, type_ignores=[]), module.__file__, "exec"), namespace)
    return namespace


@pytest.mark.parametrize("item", CALLABLES, ids=[o.qualname for o in CALLABLES])
def test_annotations_resolve(item):
    # the string annotations (from __future__ import annotations) name things that exist,
    # TYPE_CHECKING-only imports included
    func = item.obj.fget if item.kind == "property" else item.obj
    typing.get_type_hints(func, globalns=_namespace(inspect.getmodule(func)))
