"""Slack bot messages are named, not shown as bot ids (issue 18).

A Slack workspace export writes bot posts as ``"subtype": "bot_message"`` with a ``bot_id`` and,
depending on the integration, a ``username`` (legacy webhooks), a ``bot_profile`` (apps) or
nothing else; bot users are listed in ``users.json`` with ``profile.bot_id``. Some export tools
add a ``bots.json``. One channel day is rendered with and without ``bots.json``.
"""

from __future__ import annotations

import io
import json
import zipfile

import pytest

import reconnect_signals as rs

USERS = [
    {"id": "U1", "name": "alex", "real_name": "Alex", "profile": {"real_name": "Alex", "display_name": "alex"}},
    {
        "id": "UBOT1",
        "name": "deploybot",
        "is_bot": True,
        "profile": {"real_name": "Deploy Bot", "bot_id": "B01", "display_name": ""},
    },
]
CHANNELS = [{"id": "C1", "name": "general", "members": ["U1"]}]
DAY = [
    {"type": "message", "user": "U1", "text": "morning", "ts": "1717236000.000100"},
    {"type": "message", "subtype": "bot_message", "bot_id": "B01", "text": "deployed v1.2", "ts": "1717236060.000200"},
    # the Standup app's first post carries only its id; a later one names it
    {"type": "message", "subtype": "bot_message", "bot_id": "B02", "text": "standup time", "ts": "1717236120.000300"},
    {
        "type": "message",
        "subtype": "bot_message",
        "bot_id": "B02",
        "text": "standup done",
        "ts": "1717236180.000400",
        "bot_profile": {"id": "B02", "name": "Standup", "app_id": "A02", "deleted": False},
    },
    {
        "type": "message",
        "subtype": "bot_message",
        "bot_id": "B03",
        "username": "webhook-alerts",
        "text": "disk at 91%",
        "ts": "1717236240.000500",
    },
    {
        "type": "message",
        "user": "UAPP",
        "bot_id": "B02",
        "text": "reminder",
        "ts": "1717236300.000600",
        "bot_profile": {"id": "B02", "name": "Standup"},
    },
    {"type": "message", "subtype": "bot_message", "bot_id": "B04", "text": "build green", "ts": "1717236360.000700"},
]


def export(with_bots_json: bool) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("users.json", json.dumps(USERS))
        zf.writestr("channels.json", json.dumps(CHANNELS))
        zf.writestr("general/2024-06-01.json", json.dumps(DAY))
        if with_bots_json:
            zf.writestr("bots.json", json.dumps([{"id": "B04", "name": "CI", "deleted": False}]))
    return buf.getvalue()


@pytest.mark.parametrize("with_bots_json", [False, True])
def test_bots_are_named(with_bots_json):
    msgs = rs.read_chat(export(with_bots_json))
    last = "CI" if with_bots_json else "B04"
    assert msgs["sender"].tolist() == ["Alex", "Deploy Bot", "Standup", "Standup", "webhook-alerts", "Standup", last]
    report = rs.parse_report(msgs)
    assert report.accounted()
    unnamed = [n for n in report.notices if "named nowhere" in n]
    assert bool(unnamed) is (not with_bots_json)
    if unnamed:
        assert "B04" in unnamed[0]
