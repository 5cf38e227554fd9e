"""Damaged copies of the new layouts (cut anywhere, bytes flipped) give a frame whose report accounts
for every unit, or a library error naming the problem: never a crash (issue 18)."""

from __future__ import annotations

import numpy as np
import pytest
import test_discord_layouts as dl
import test_irc_layouts as il
import test_meta_layouts as ml

import reconnect_signals as rs

RENDERINGS = {
    "discord_html": (lambda: dl.render_html("en-US"), "discord", {}),
    "discord_txt": (lambda: dl.render_txt("en-US"), "discord", {"date_order": "MDY"}),
    "messenger_html_2020": (lambda: ml.render_html("2020"), "messenger", {}),
    "messenger_html_2024": (lambda: ml.render_html("2024"), "messenger", {}),
    "instagram_legacy": (ml.render_legacy_instagram, "instagram", {}),
    "irc_weechat": (il.weechat, "irc", {}),
    "irc_irssi": (il.irssi, "irc", {"date": "2024-06-01"}),
    "irc_hexchat": (il.hexchat, "irc", {"date": "2024-06-01"}),
    "irc_dircproxy": (il.dircproxy, "irc", {}),
}


def _variants(data: bytes, n: int = 12) -> list[bytes]:
    rng = np.random.default_rng(18)
    out = [data[: int(k)] for k in np.linspace(1, len(data) - 1, n)]
    for _ in range(n):
        b = bytearray(data)
        for i in rng.integers(0, len(b), 5):
            b[i] = int(rng.integers(0, 256))
        out.append(bytes(b))
    return out


@pytest.mark.parametrize("name", sorted(RENDERINGS))
def test_damaged_inputs_are_read_or_refused_with_a_library_error(name):
    render, fmt, kwargs = RENDERINGS[name]
    for data in _variants(render().encode("utf-8")):
        try:
            msgs = rs.read_chat(data, format=fmt, errors="ignore", **kwargs)
        except (rs.ParseError, rs.UnknownFormat, rs.AmbiguousDateOrder):
            continue
        rs.validate(msgs)
        reports = rs.parse_report(msgs)
        for r in reports if isinstance(reports, list) else [reports]:
            assert r.accounted(), (name, r.summary())
