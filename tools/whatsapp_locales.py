"""Derive the WhatsApp reader's table of locale date shapes from CLDR (through ``babel``).

A phone writes export headers with its locale's *short* date pattern (``M/d/yy``, ``dd.MM.y``,
``y/M/d`` ...) and short time pattern (``h:mm a`` or ``HH:mm``). The reader uses the shape of the
headers it sees -- separator, year digits, zero-padding of day and month, 12/24 h clock -- and the
language of WhatsApp's own notices to decide day/month order when the numbers alone do not.

This script writes ``reconnect_signals/io/whatsapp_locales.json``: every distinct shape with the
order it implies and the languages that use it. Dev-time only (``pip install babel==2.19.0``, the version the
test extra pins: the CLDR data differ between babel releases); the package
reads the JSON and needs no babel.

Usage (from the repository root)::

    python tools/whatsapp_locales.py           # rewrite the table
    python tools/whatsapp_locales.py --check   # exit 1 when the committed table is out of date
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "reconnect_signals" / "io" / "whatsapp_locales.json"


def shape(date_pattern: str, time_pattern: str) -> dict | None:
    """Order, separator, padding, year digits and clock of one locale's short patterns."""
    p = re.sub(r"'[^']*'|[\u200e\u200f\u061c]", "", date_pattern)
    fields = re.findall(r"d+|M+|L+|y+|G+", p)
    if len(fields) != 3 or any(f[0] == "G" for f in fields):
        return None
    order = "".join({"d": "D", "M": "M", "L": "M", "y": "Y"}[f[0]] for f in fields) + ""
    if order not in ("DMY", "MDY", "YMD"):
        return None
    seps = re.findall(r"[^dMLy\s,]+", p)
    sep = seps[0].strip() if seps else " "
    day = next(f for f in fields if f[0] == "d")
    month = next(f for f in fields if f[0] in "ML")
    year = next(f for f in fields if f[0] == "y")
    if len(month) > 2:
        return None  # a month name: not a numeric short date
    t = re.sub(r"'[^']*'", "", time_pattern)
    return {
        "order": order,
        "sep": sep[:1],
        "dpad": len(day) == 2,
        "mpad": len(month) == 2,
        "ydigits": 2 if len(year) == 2 else 4,
        "clock": 12 if re.search(r"[hK]", t) else 24,
    }


def build() -> dict:
    from babel import Locale, localedata
    from babel.dates import get_date_format, get_time_format

    shapes: dict[tuple, set[str]] = {}
    for ident in localedata.locale_identifiers():
        try:
            loc = Locale.parse(ident)
            s = shape(get_date_format("short", locale=loc).pattern, get_time_format("short", locale=loc).pattern)
        except Exception:  # a locale babel cannot build is skipped
            continue
        if s is None:
            continue
        key = (s["order"], s["sep"], s["dpad"], s["mpad"], s["ydigits"], s["clock"])
        shapes.setdefault(key, set()).add(loc.language)
    rows = [
        {"order": k[0], "sep": k[1], "dpad": k[2], "mpad": k[3], "ydigits": k[4], "clock": k[5], "languages": sorted(v)}
        for k, v in sorted(shapes.items())
    ]
    import babel

    return {
        "about": f"Derived by tools/whatsapp_locales.py from CLDR short date/time patterns (babel "
        f"{babel.__version__}). Do not edit by hand.",
        "shapes": rows,
    }


def dumps(table: dict) -> str:
    lines = ["{", f'"about": {json.dumps(table["about"])},', '"shapes": [']
    rows = table["shapes"]
    for i, row in enumerate(rows):
        lines.append(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + ("," if i < len(rows) - 1 else ""))
    return "\n".join(lines + ["]", "}", ""])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args(argv)
    text = dumps(build())
    if args.check:
        same = TARGET.exists() and TARGET.read_text("utf-8") == text
        print("whatsapp_locales.json is " + ("up to date" if same else "OUT OF DATE"))
        return 0 if same else 1
    TARGET.write_text(text, "utf-8")
    print(f"wrote {TARGET} ({len(json.loads(text)['shapes'])} shapes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
