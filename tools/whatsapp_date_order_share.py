"""How many real-layout WhatsApp fixtures raise ``AmbiguousDateOrder`` with the default options.

Reads every ``.txt`` under ``tests/data/whatsapp`` and ``../shared/fixtures`` that is detected as WhatsApp
and prints, per file, the order and the evidence that decided it (or ``AMB``), then the share.
Run it on two checkouts to compare before and after (issue 12: 4 of 20 files before, 0 after).

Usage (from the repository root): ``python tools/whatsapp_date_order_share.py``
"""

from __future__ import annotations

import warnings
from pathlib import Path

import reconnect_signals as rs
from reconnect_signals.errors import AmbiguousDateOrder

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    files = sorted(
        set((ROOT / "tests" / "data" / "whatsapp").glob("*.txt"))
        | set((ROOT.parent / "shared" / "fixtures").rglob("*.txt"))
    )
    n = ambiguous = 0
    for path in files:
        try:
            if rs.detect_format(path) != "whatsapp":
                continue
        except Exception:  # not a chat at all
            continue
        n += 1
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                df = rs.read_chat(path)
        except AmbiguousDateOrder:
            ambiguous += 1
            print(f"AMB  {path.name}")
            continue
        d = rs.parse_report(df).decisions
        print(f"ok   {d.get('date_order')}  {d.get('date_order_evidence', '')}  {path.name}")
    print(f"{ambiguous}/{n} files raise AmbiguousDateOrder")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
