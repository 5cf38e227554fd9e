"""The notebooks run top to bottom on bundled data and are committed without outputs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = ["01_explore_your_chat.ipynb", "02_score_a_corpus.ipynb"]


def _load(name: str):
    import nbformat  # imported by the tests that read a notebook, not while collecting

    return nbformat.read(NOTEBOOKS / name, as_version=4)


def test_the_notebooks_are_there():
    # 03 (the classifier) is tested with its module in tests/test_ml.py
    assert set(NAMES) <= {p.name for p in NOTEBOOKS.glob("*.ipynb")}


@pytest.mark.parametrize("name", NAMES)
def test_committed_without_outputs(name):
    import nbformat

    nb = _load(name)
    nbformat.validate(nb)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code_cells) >= 8
    for cell in code_cells:
        assert cell.outputs == [], f"{name}: a cell has outputs; clear them before committing"
        assert cell.execution_count is None
    assert nb.metadata.kernelspec.name == "python3"
    text = "\n".join(c.source for c in nb.cells)
    # bundled or generated data only: no network, no paths outside the notebook's own temp folders
    for forbidden in ("http://", "https://", "/work/", "shared/", "download", "urlopen", "requests"):
        assert forbidden not in text, forbidden


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_runs_top_to_bottom(name, tmp_path):
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    nb = _load(name)
    # kernel channels over unix sockets (ipc): the test session blocks TCP sockets
    km = KernelManager(kernel_name="python3", transport="ipc", ip=str(tmp_path / "kernel"))
    env = {**os.environ, "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    env.pop("RS_ANONYMIZE_KEY", None)
    client = NotebookClient(
        nb, km=km, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute(env=env)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code_cells)
    errors = [o for c in code_cells for o in c.outputs if o.output_type == "error"]
    assert not errors
    # issue 16: a notebook is an example to copy; it runs without a single warning
    warned = [
        o.get("text", "")
        for c in code_cells
        for o in c.outputs
        if o.output_type == "stream" and o.get("name") == "stderr" and "warning" in o.get("text", "").lower()
    ]
    assert warned == [], f"{name} printed warnings: {warned}"
    images = sum(1 for c in code_cells for o in c.outputs if "image/png" in o.get("data", {}))
    if name.startswith("01"):
        assert images >= 6  # timeline, latency, heatmap, initiation/balance, style matching, dashboard
        printed = "".join(o.get("text", "") for c in code_cells for o in c.outputs if o.output_type == "stream")
        assert "report.html" in printed and "messages" in printed
    else:
        assert images >= 1
        printed = "".join(o.get("text", "") for c in code_cells for o in c.outputs if o.output_type == "stream")
        assert "failed: [('notes.bin'" in printed
        assert "conversations" in printed
    # executing must not write into the repository
    assert not list(NOTEBOOKS.glob("*.html")) and not list(NOTEBOOKS.glob("*.parquet"))
