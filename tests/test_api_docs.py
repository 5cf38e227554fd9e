"""The API reference builds from the docstrings, offline (``tools/build_api_docs.py``)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # builds the whole API reference

TOOL = Path(__file__).resolve().parents[1] / "tools" / "build_api_docs.py"


def _tool():
    spec = importlib.util.spec_from_file_location("build_api_docs", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    # every test reads the built reference: skip them here, not while collecting (importing pdoc ~0.2 CPU-s)
    pytest.importorskip("pdoc", reason="pdoc is not installed (pip install -e '.[docs]')")
    tool = _tool()
    out = tmp_path_factory.mktemp("api")
    return tool, out, tool.build(out)


def test_builds_without_warnings_and_covers_every_public_module(built):
    tool, out, problems = built
    assert problems == []
    import reconnect_signals as rs

    assert "PLATFORMS" not in vars(rs)  # the build leaves the lazily computed name uncached
    assert (out / "index.html").is_file()
    for name in tool.public_modules():
        page = out.joinpath(*name.split(".")).with_suffix(".html")
        assert page.is_file(), name
    assert "reconnect_signals.ml" in tool.public_modules()
    assert not any("._" in name for name in tool.public_modules())


def test_pages_render_the_numpydoc_sections(built):
    _, out, _ = built
    top = (out / "reconnect_signals.html").read_text(encoding="utf-8")
    # every top-level public function has an entry, with its sections rendered from numpydoc
    for name in ("read_chat", "signals", "cue_table", "report", "plot_trend"):
        assert f'id="{name}"' in top, name
    assert "Parameters" in top and "Returns" in top and "Examples" in top
    assert "Benjamini-Hochberg" in top  # text from the signals docstring


def test_pages_load_nothing_from_the_network(built):
    _, out, _ = built
    for page in out.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r'<(script|link|img)[^>]+(src|href)="(https?:)?//', html), page.name
