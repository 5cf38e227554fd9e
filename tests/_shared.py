"""The one way tests reach third-party data: ``../shared`` beside the checkout.

Other projects' samples and corpora (WhatsApp/SMS/Slack samples, the Ubuntu IRC disentanglement
corpus, the VADER rated tweets, WhatsApp's UI strings) are never copied into this repository.
CI lays a copy of ``shared/`` beside the clone; a fresh clone without it still passes its test
command, with every test that needs such data skipped and the reason printed.

Set ``RECONNECT_SIGNALS_SHARED`` to read the data from somewhere else.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(
    os.environ.get("RECONNECT_SIGNALS_SHARED", Path(__file__).resolve().parents[2] / "shared")
)


def shared_available(*parts: str) -> bool:
    """True when ``../shared/<parts>`` exists."""
    return SHARED.joinpath(*parts).exists()


def shared_path(*parts: str) -> Path:
    """Path of ``../shared/<parts>``, or skip the calling test with the reason."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(
            f"third-party data not available: {path} "
            "(it lives in ../shared beside the checkout; set RECONNECT_SIGNALS_SHARED to point elsewhere)"
        )
    return path
