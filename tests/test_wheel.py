"""The built wheel ships the package and its data, and none of the dev scripts."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEV_SCRIPTS = ("_generate_example.py", "_generate_windows.py", "_train_session_model.py")
PACKAGE_DATA = (
    "reconnect_signals/py.typed",
    "reconnect_signals/datasets/README.md",
    "reconnect_signals/datasets/example_chat.txt",
    "reconnect_signals/datasets/example_windows.csv",
    "reconnect_signals/datasets/session_model.skops",
)

pytestmark = pytest.mark.slow  # builds the wheel


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> list[str]:
    # PEP 639 licence strings need setuptools >= 77 (the test extra installs it); build offline
    pytest.importorskip("setuptools", minversion="77", reason="building the wheel offline needs setuptools>=77")
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md", "LICENSE", "NOTICE.md"):
        shutil.copy(ROOT / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "reconnect_signals", src / "reconnect_signals", ignore=ignore)
    shutil.copytree(ROOT / "tools", src / "tools", ignore=ignore)  # present in the tree, must not ship
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-q",
            str(src),
            "-w",
            str(out),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    (whl,) = out.glob("reconnect_signals-*.whl")
    with zipfile.ZipFile(whl) as zf:
        return zf.namelist()


def test_wheel_has_no_dev_scripts(wheel):
    assert not [n for n in wheel if n.startswith(("tools/", "tests/", "benchmarks/", "notebooks/"))]
    assert not [n for n in wheel if n.rsplit("/", 1)[-1] in DEV_SCRIPTS]
    assert (ROOT / "tools" / "_generate_example.py").is_file()  # they exist, outside the package


def test_wheel_version_is_the_package_version(wheel):
    import reconnect_signals

    assert f"reconnect_signals-{reconnect_signals.__version__}.dist-info/METADATA" in wheel


def test_wheel_has_the_package_and_its_data(wheel):
    for name in PACKAGE_DATA:
        assert name in wheel, name
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "reconnect_signals").rglob("*.py")}
    assert modules <= set(wheel), sorted(modules - set(wheel))
