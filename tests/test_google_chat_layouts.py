"""Google Chat from Google Takeout: every folder a person may pass, and dates in many languages.

Takeout writes ``Takeout/Google Chat/Groups/<DM …|Space …>/messages.json`` (with ``group_info.json``)
and ``Google Chat/Users/User …/user_info.json``; ``created_date`` is written in the account's
language. One conversation is rendered in every layout and language; every read equals one target.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import reconnect_signals as rs

T0 = pd.Timestamp("2024-03-01 18:00:00", tz="UTC")  # a Friday
ROWS = [  # seconds after T0, sender, text
    (0, "Alex", "Hey Sam, are you free on Saturday?"),
    (150, "Sam", "I think so!\nWhat did you have in mind?"),
    (300, "Alex", "Dinner at the new place 😀"),
    (420, "Sam", "Is 7 ok?"),
    (1800, "Alex", "7 is perfect."),
    (46800, "Sam", "Great, see you 👋"),  # 07:00 the next day (Saturday): tests AM and the weekday
]
WEEKDAYS = {  # Friday, Saturday
    "en_US": ("Friday", "Saturday"),
    "en_GB": ("Friday", "Saturday"),
    "de": ("Freitag", "Samstag"),
    "fr": ("vendredi", "samedi"),
    "es": ("viernes", "sábado"),
    "it": ("venerdì", "sabato"),
    "pt": ("sexta-feira", "sábado"),
    "nl": ("vrijdag", "zaterdag"),
    "pl": ("piątek", "sobota"),
    "ru": ("пятница", "суббота"),
    "ja": ("金曜日", "土曜日"),
    "es_12h": ("viernes", "sábado"),
    "sv": ("fredag", "lördag"),
    "tr": ("Cuma", "Cumartesi"),
}
MONTH = {
    "en_US": "March",
    "en_GB": "March",
    "de": "März",
    "fr": "mars",
    "es": "marzo",
    "it": "marzo",
    "pt": "março",
    "nl": "maart",
    "pl": "marca",
    "ru": "марта",
    "es_12h": "marzo",
    "sv": "mars",
    "tr": "Mart",
}


def created_date(ts: pd.Timestamp, lang: str) -> str:
    """``ts`` written the way Takeout writes ``created_date`` for an account in ``lang``."""
    wd = WEEKDAYS[lang][ts.day_of_week - 4]
    d, y, hms = ts.day, ts.year, ts.strftime("%H:%M:%S")
    h12 = f"{ts.hour % 12 or 12}:{ts.strftime('%M:%S')}"
    ampm = "AM" if ts.hour < 12 else "PM"
    m = MONTH.get(lang)
    return {
        "en_US": f"{wd}, {m} {d}, {y} at {h12}\u202f{ampm} UTC",
        "en_GB": f"{wd}, {d} {m} {y} at {hms} UTC",
        "de": f"{wd}, {d}. {m} {y} um {hms} UTC",
        "fr": f"{wd} {d} {m} {y} à {hms} UTC",
        "es": f"{wd}, {d} de {m} de {y}, {hms} UTC",
        "es_12h": f"{wd}, {d} de {m} de {y}, {h12}\u00a0{'a. m.' if ts.hour < 12 else 'p. m.'} UTC",
        "it": f"{wd} {d} {m} {y} alle ore {hms} UTC",
        "pt": f"{wd}, {d} de {m} de {y} às {hms} UTC",
        "nl": f"{wd} {d} {m} {y} om {hms} UTC",
        "pl": f"{wd}, {d} {m} {y} {hms} UTC",
        "ru": f"{wd}, {d} {m} {y} г., {hms} UTC",
        "ja": f"{y}年{ts.month}月{d}日{wd} {hms} UTC",
        "sv": f"{wd} {d} {m} {y} kl. {hms} UTC",
        "tr": f"{d} {m} {y} {wd} {hms} UTC",
    }[lang]


def messages_json(lang: str = "en_US") -> bytes:
    msgs = []
    for i, (sec, sender, text) in enumerate(ROWS):
        msgs.append(
            {
                "creator": {"name": sender, "email": f"{sender.lower()}@example.com", "user_type": "Human"},
                "created_date": created_date(T0 + pd.Timedelta(seconds=sec), lang),
                "text": text,
                "topic_id": f"t{i}",
                "message_id": f"3b1R0EAAAAE/t{i}/t{i}",
            }
        )
    return json.dumps({"messages": msgs}, ensure_ascii=False, indent=2).encode("utf-8")


def group_info() -> bytes:
    members = [{"name": n, "email": f"{n.lower()}@example.com", "user_type": "Human"} for n in ("Alex", "Sam")]
    return json.dumps({"members": members}, indent=2).encode()


def write_takeout(root: Path, lang: str = "en_US") -> Path:
    """``root/Takeout/Google Chat/...`` as Takeout extracts it; returns the Takeout folder."""
    group = root / "Takeout" / "Google Chat" / "Groups" / "DM 3b1R0EAAAAE"
    group.mkdir(parents=True)
    (group / "messages.json").write_bytes(messages_json(lang))
    (group / "group_info.json").write_bytes(group_info())
    user = root / "Takeout" / "Google Chat" / "Users" / "User 1234567890"
    user.mkdir(parents=True)
    (user / "user_info.json").write_bytes(b'{"user": {"name": "Alex", "email": "alex@example.com"}}')
    return root / "Takeout"


def target() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "timestamp": pd.Series([T0 + pd.Timedelta(seconds=r[0]) for r in ROWS]).astype("datetime64[us, UTC]"),
            "sender": pd.Series([r[1] for r in ROWS], dtype="str"),
            "text": pd.Series([r[2] for r in ROWS], dtype="str"),
        }
    )


def comparable(msgs: pd.DataFrame) -> pd.DataFrame:
    out = msgs[["timestamp", "sender", "text"]].reset_index(drop=True)
    return out.assign(timestamp=out["timestamp"].dt.tz_convert("UTC").astype("datetime64[us, UTC]"))


@pytest.mark.parametrize("where", ["takeout", "google_chat", "groups", "dm", "messages_json", "zip"])
def test_every_folder_of_the_takeout_reads_the_same(tmp_path, where):
    takeout = write_takeout(tmp_path)
    chat = takeout / "Google Chat"
    path = {
        "takeout": takeout,
        "google_chat": chat,
        "groups": chat / "Groups",
        "dm": chat / "Groups" / "DM 3b1R0EAAAAE",
        "messages_json": chat / "Groups" / "DM 3b1R0EAAAAE" / "messages.json",
    }.get(where)
    if where == "zip":
        path = tmp_path / "takeout-20240302T000000Z-001.zip"
        with zipfile.ZipFile(path, "w") as zf:
            for f in sorted(takeout.rglob("*")):
                if f.is_file():
                    zf.write(f, f.relative_to(tmp_path).as_posix())
    assert rs.detect_format(path) == "google_chat"
    msgs = rs.read_chat(path)
    pd.testing.assert_frame_equal(comparable(msgs), target())
    assert set(msgs["conversation_id"]) == {"DM 3b1R0EAAAAE"}
    assert rs.parse_report(msgs).accounted()


@pytest.mark.parametrize("lang", sorted(WEEKDAYS))
def test_created_date_in_every_language_reads_the_same(lang):
    msgs = rs.read_chat(messages_json(lang), errors="raise")
    pd.testing.assert_frame_equal(comparable(msgs), target())
    decisions = rs.parse_report(msgs).decisions
    assert decisions.get("localized_dates", 0) == (0 if lang == "en_US" else len(ROWS))


def test_undecidable_month_is_reported_not_guessed():
    # "listopad" is November in Czech and October in Croatian: no guess
    doc = {
        "messages": [
            {"creator": {"name": "Sam"}, "created_date": "1. listopad 2024 18:00:00 UTC", "text": "hi"},
            {"creator": {"name": "Sam"}, "created_date": "Friday, March 1, 2024 at 6:00:00 PM UTC", "text": "ok"},
        ]
    }
    with pytest.warns(rs.ParseWarning):
        msgs = rs.read_chat(json.dumps(doc).encode())
    assert msgs["text"].tolist() == ["ok"]
    report = rs.parse_report(msgs)
    assert report.accounted() and report.unplaced == 1 and "created_date not understood" in report.problems[0].reason


def test_folder_that_is_no_google_chat_is_not_claimed(tmp_path):
    (tmp_path / "DM x").mkdir()
    (tmp_path / "DM x" / "messages.json").write_text('{"something": "else"}')
    assert rs.io.google_chat._sniff_chat(rs.io.Source(tmp_path)) == 0.0


def test_group_folder_with_another_parent_name_is_found_by_group_info(tmp_path):
    chat = tmp_path / "Chat"
    group = chat / "Gruppen" / "Unterhaltung 1"
    group.mkdir(parents=True)
    (group / "messages.json").write_bytes(messages_json("de"))
    (group / "group_info.json").write_bytes(group_info())
    assert rs.detect_format(chat) == "google_chat"
    pd.testing.assert_frame_equal(comparable(rs.read_chat(chat)), target())
