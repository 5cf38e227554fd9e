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

SHARED = Path(os.environ.get("RECONNECT_SIGNALS_SHARED", Path(__file__).resolve().parents[2] / "shared"))


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


# Where each third-party sample lives under ``../shared`` (see ../shared/fixtures/MANIFEST.tsv
# and ../shared/data/README.md for sources and licences; NOTICE.md at the top of the repository
# lists which test reads what).
CHAT_MINER = ("fixtures", "joweich__chat-miner", "test")  # + whatsapp/, telegram/, signal/, instagram/
CHATISTICS = ("fixtures", "MasterScrat__Chatistics", "tests", "test_data", "whatsapp")
PUSTUR = ("fixtures", "Pustur__whatsapp-chat-parser", "samples")
SLACK_ARCHIVE = ("fixtures", "hfaran__slack-export-viewer", "tests", "testarchive.zip")
SMS_DEVADVANCE_LIB = ("fixtures", "devadvance__sms-backup-reader-2", "packages", "lib", "test-assets")
SMS_DEVADVANCE_E2E = ("fixtures", "devadvance__sms-backup-reader-2", "tests", "e2e", "fixtures")
SMS_SHRUGGIETECH = ("fixtures", "shruggietech__sms-backup-restore-parser", "tests", "fixtures")
# chat-miner's Telegram, Instagram and Signal samples, as (parts under CHAT_MINER, format)
CHAT_MINER_SNIFF_CASES = {
    "cm_telegram_single": (("telegram", "test_single_export.json"), "telegram"),
    "cm_telegram_batch": (("telegram", "test_batch_export.json"), "telegram"),
    "cm_instagram": (("instagram", "test_export.json"), "instagram"),
    "cm_signal": (("signal", "test_export.txt"), "signal"),
}
IRC = ("data", "irc")  # + dev/, test/, train/
VADER = ("data", "vader")


def shared_files(*parts: str, pattern: str = "*") -> list[Path]:
    """Sorted files matching ``pattern`` in ``../shared/<parts>``, or skip with the reason."""
    return sorted(p for p in shared_path(*parts).glob(pattern) if p.is_file())
