"""Build the API reference (HTML) from the docstrings with pdoc, offline.

Usage (from a source checkout, with ``pip install -e ".[docs]"``)::

    python tools/build_api_docs.py            # writes docs/api/ (not committed)
    python tools/build_api_docs.py -o OUTDIR

Documented: ``reconnect_signals`` and every public submodule (no leading underscore in its
path, as ``tests/test_api.py`` defines them), each showing the names of its ``__all__``.
Docstrings are read as numpydoc. The pages load nothing from the network (pdoc's math and
mermaid options, which would, stay off). Exits non-zero when pdoc warns (an ``__all__`` name
that does not resolve, a broken cross-reference pdoc notices), so CI catches it.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import re
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def public_modules() -> list[str]:
    """``reconnect_signals`` and its public submodules, in import order."""
    import reconnect_signals as rs

    names = ["reconnect_signals"]
    for mod in pkgutil.walk_packages(rs.__path__, "reconnect_signals."):
        if any(part.startswith("_") for part in mod.name.split(".")[1:]) or mod.name.endswith("__main__"):
            continue
        names.append(mod.name)
    return names


def build(output: Path) -> list[str]:
    """Write the reference into ``output``; return pdoc's warnings (empty when clean)."""
    import pdoc
    import pdoc.render

    import reconnect_signals as rs

    modules = public_modules()
    for name in modules:
        importlib.import_module(name)
    pdoc.render.configure(
        docformat="numpy",
        math=False,
        mermaid=False,
        search=True,
        show_source=False,
        footer_text=f"reconnect_signals {rs.__version__}",
    )
    # rs.PLATFORMS is computed on access (it grows with the registered readers), so it is never
    # in the module's namespace, where pdoc looks for __all__ names: put it there while pdoc
    # runs, and take it out again (a cached copy would go stale when a reader registers later)
    vars(rs)["PLATFORMS"] = rs.PLATFORMS
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            pdoc.pdoc(*modules, output_directory=output)
    finally:
        vars(rs).pop("PLATFORMS", None)
    return [str(w.message) for w in caught if not _namedtuple_signature(str(w.message))]


def _namedtuple_signature(message: str) -> bool:
    """pdoc cannot evaluate the postponed annotations of a NamedTuple's generated ``__init__``
    (Python creates it in a namespace without the module's imports); the fields render from
    the class's own annotations, so that warning is not a problem of the docstrings."""
    match = re.match(r"Error parsing type annotation .* for ([\w.]+)\.__init__\.", message)
    if match is None:
        return False
    module, _, name = match.group(1).rpartition(".")
    obj = getattr(importlib.import_module(module), name, None)
    return isinstance(obj, type) and issubclass(obj, tuple) and hasattr(obj, "_fields")


def main(argv: list[str] | None = None) -> int:
    """Command line: build into ``-o`` (default ``docs/api``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "api")
    args = parser.parse_args(argv)
    problems = build(args.output)
    for p in problems:
        print(f"pdoc: {p}", file=sys.stderr)
    print(f"API reference written to {args.output / 'index.html'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
