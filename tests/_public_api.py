"""The public API as the docstring and annotation tests see it: every name in an ``__all__``.

Public modules are ``reconnect_signals`` and every submodule without a leading underscore in its
path (the same rule as ``tests/test_api.py``). A public name may be defined in a private module
(``rs.signals`` lives in ``_signals``); it is checked once, under the module that defines it.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import reconnect_signals as rs


@dataclass(frozen=True)
class PublicObject:
    qualname: str  # "<defining module>.<qualified name>", as numpydoc.validate takes it
    exported_as: str  # "<public module>.<name in its __all__>[.<member>]"
    obj: Any
    top_level: bool  # in reconnect_signals.__all__ (or a member of such a class)
    kind: str  # "function", "class", "method" or "property"


def public_modules() -> Iterator[ModuleType]:
    """``reconnect_signals`` and its public submodules (each declares ``__all__``)."""
    yield rs
    for mod in pkgutil.walk_packages(rs.__path__, "reconnect_signals."):
        if any(part.startswith("_") for part in mod.name.split(".")[1:]) or mod.name.endswith("__main__"):
            continue
        yield importlib.import_module(mod.name)


def public_objects() -> list[PublicObject]:
    """Every function and class named in a public ``__all__``, and the public methods and
    properties the class itself defines (inherited ones belong to their own class)."""
    found: dict[str, PublicObject] = {}
    top = set(rs.__all__)
    for module in public_modules():
        for name in module.__all__:
            obj = getattr(module, name)
            if not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            qual = f"{obj.__module__}.{obj.__qualname__}"
            is_top = module is rs and name in top
            kind = "class" if inspect.isclass(obj) else "function"
            prev = found.get(qual)
            if prev is None or (is_top and not prev.top_level):
                found[qual] = PublicObject(qual, f"{module.__name__}.{name}", obj, is_top, kind)
            if inspect.isclass(obj):
                for attr, member in vars(obj).items():
                    if attr.startswith("_"):
                        continue
                    if isinstance(member, classmethod | staticmethod):
                        member = member.__func__
                    if inspect.isfunction(member) or isinstance(member, property):
                        mq = f"{qual}.{attr}"
                        kind = "property" if isinstance(member, property) else "method"
                        prev = found.get(mq)
                        if prev is None or (is_top and not prev.top_level):
                            found[mq] = PublicObject(mq, f"{module.__name__}.{name}.{attr}", member, is_top, kind)
    return sorted(found.values(), key=lambda o: o.qualname)
