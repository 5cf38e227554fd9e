"""IRC logs as the clients write them: one conversation rendered by irssi, WeeChat, ZNC, HexChat,
supybot/Limnoria, mIRC and dircproxy; every reading equals the same target (issue 18).

The layouts follow each client's default log format: irssi ``HH:MM <nick>`` with ``-!-`` events
and ``--- Day changed`` lines; WeeChat ``YYYY-MM-DD HH:MM:SS<TAB>prefix<TAB>text`` with ``-->``,
``<--`` and ``--`` prefixes; ZNC's log module ``[HH:MM:SS] <nick>`` with ``*** Joins:``; HexChat
``Mon DD HH:MM:SS <nick><TAB>text`` under ``**** BEGIN LOGGING AT``; Limnoria's ChannelLogger
``YYYY-MM-DDTHH:MM:SS  <nick>`` with ``***`` events; mIRC ``[HH:MM] <nick>`` under ``Session
Start:`` with ``*`` events; dircproxy ``@<unix time> <nick!user@host>``.
"""

from __future__ import annotations

import pandas as pd
import pytest

import reconnect_signals as rs

DAY = pd.Timestamp("2024-06-01")
HOST = {"alex": "~alex@host.example", "sam": "~sam@host.example", "samT": "~sam@host.example"}
# (seconds after 2024-06-01 00:00, event, nick, text): one conversation across midnight
CONVERSATION = [
    (86290, "join", "alex", None),
    (86320, "msg", "alex", "hey sam, you around?"),
    (86345, "join", "sam", None),
    (86370, "msg", "sam", "yes! just got back"),
    (86390, "action", "alex", "waves"),
    (86420, "msg", "alex", "how was the trip?"),
    (86460, "nick", "sam", "samT"),
    (86535, "msg", "samT", "long, but good :)"),
    (86580, "part", "alex", "bye"),
    (86640, "quit", "samT", "zzz"),
]
KIND = {"msg": "text", "action": "text", "join": "system", "nick": "system", "part": "system", "quit": "system"}


def _at(sec: int) -> pd.Timestamp:
    return DAY + pd.Timedelta(seconds=sec)


def irssi() -> str:
    out = ["--- Log opened Sat Jun 01 23:50:00 2024"]
    day_changed = False
    for sec, ev, nick, text in CONVERSATION:
        t = _at(sec)
        if t.day == 2 and not day_changed:
            out.append("--- Day changed Sun Jun 02 2024")
            day_changed = True
        hm = f"{t:%H:%M}"
        op = "@" if nick.startswith("sam") else " "
        out.append(
            {
                "join": f"{hm} -!- {nick} [{HOST[nick]}] has joined #chat",
                "msg": f"{hm} <{op}{nick}> {text}",
                "action": f"{hm}  * {nick} {text}",
                "nick": f"{hm} -!- {nick} is now known as {text}",
                "part": f"{hm} -!- {nick} [{HOST[nick]}] has left #chat [{text}]",
                "quit": f"{hm} -!- {nick} [{HOST[nick]}] has quit [Quit: {text}]",
            }[ev]
        )
    out.append("--- Log closed Sun Jun 02 00:05:00 2024")
    return "\n".join(out) + "\n"


def weechat() -> str:
    out = []
    for sec, ev, nick, text in CONVERSATION:
        ts = f"{_at(sec):%Y-%m-%d %H:%M:%S}"
        op = "@" if nick.startswith("sam") else ""
        out.append(
            ts
            + "\t"
            + {
                "join": f"-->\t{nick} ({HOST[nick]}) has joined #chat",
                "msg": f"{op}{nick}\t{text}",
                "action": f" *\t{nick} {text}",
                "nick": f"--\t{nick} is now known as {text}",
                "part": f"<--\t{nick} ({HOST[nick]}) has left #chat ({text})",
                "quit": f"<--\t{nick} ({HOST[nick]}) has quit (Quit: {text})",
            }[ev]
        )
    return "\n".join(out) + "\n"


def znc() -> str:
    out = []
    for sec, ev, nick, text in CONVERSATION:
        ts = f"[{_at(sec):%H:%M:%S}] "
        out.append(
            ts
            + {
                "join": f"*** Joins: {nick} ({HOST[nick][1:]})",
                "msg": f"<{nick}> {text}",
                "action": f"* {nick} {text}",
                "nick": f"*** {nick} is now known as {text}",
                "part": f"*** Parts: {nick} ({HOST[nick][1:]}) ({text})",
                "quit": f"*** Quits: {nick} ({HOST[nick][1:]}) (Quit: {text})",
            }[ev]
        )
    return "\n".join(out) + "\n"


def hexchat() -> str:
    out = ["**** BEGIN LOGGING AT Sat Jun  1 23:50:00 2024", ""]
    for sec, ev, nick, text in CONVERSATION:
        ts = f"{_at(sec):%b %d %H:%M:%S} "
        out.append(
            ts
            + {
                "join": f"-->\t{nick} ({HOST[nick]}) has joined #chat",
                "msg": f"<{nick}>\t{text}",
                "action": f"*\t{nick} {text}",
                "nick": f"---\t{nick} is now known as {text}",
                "part": f"<--\t{nick} ({HOST[nick]}) has left #chat ({text})",
                "quit": f"<--\t{nick} has quit (Quit: {text})",
            }[ev]
        )
    out.append("**** ENDING LOGGING AT Sun Jun  2 00:05:00 2024")
    return "\n".join(out) + "\n"


def supybot() -> str:
    out = []
    for sec, ev, nick, text in CONVERSATION:
        ts = f"{_at(sec):%Y-%m-%dT%H:%M:%S}  "
        mask = f"<{nick}!{HOST[nick]}>"
        out.append(
            ts
            + {
                "join": f"*** {nick} {mask} has joined #chat",
                "msg": f"<{nick}> {text}",
                "action": f"* {nick} {text}",
                "nick": f"*** {nick} is now known as {text}",
                "part": f"*** {nick} {mask} has left #chat ({text})",
                "quit": f"*** {nick} {mask} has quit IRC (Quit: {text})",
            }[ev]
        )
    return "\n".join(out) + "\n"


def mirc() -> str:
    out = ["Session Start: Sat Jun 01 23:50:00 2024", "Session Ident: #chat"]
    for sec, ev, nick, text in CONVERSATION:
        ts = f"[{_at(sec):%H:%M}] "
        op = "@" if nick.startswith("sam") else ""
        out.append(
            ts
            + {
                "join": f"* {nick} ({HOST[nick]}) has joined #chat",
                "msg": f"<{op}{nick}> {text}",
                "action": f"* {nick} {text}",
                "nick": f"* {nick} is now known as {text}",
                "part": f"* {nick} ({HOST[nick]}) has left #chat",
                "quit": f"* {nick} ({HOST[nick]}) Quit (Quit: {text})",
            }[ev]
        )
    out.append("Session Close: Sun Jun 02 00:05:00 2024")
    return "\n".join(out) + "\n"


def dircproxy() -> str:
    out = ["* Logging started Sat, 01 Jun 2024 23:50:00 +0000"]
    for sec, ev, nick, text in CONVERSATION:
        epoch = int((_at(sec) - pd.Timestamp("1970-01-01")).total_seconds())
        if ev == "msg":
            out.append(f"@{epoch} <{nick}!{HOST[nick]}> {text}")
        elif ev == "action":
            out.append(f"@{epoch} [{nick}!{HOST[nick]}] ACTION {text}")
    out.append("* Logging finished Sun, 02 Jun 2024 00:05:00 +0000")
    return "\n".join(out) + "\n"


# layout -> (renderer, events it writes, seconds in its time stamps, file name, read_chat kwargs)
ALL = {"join", "msg", "action", "nick", "part", "quit"}
LAYOUTS = {
    "irssi": (irssi, ALL, False, "#chat.log", {}),
    "weechat": (weechat, ALL, True, "irc.libera.#chat.weechatlog", {}),
    "znc": (znc, ALL, True, "2024-06-01.log", {}),
    "hexchat": (hexchat, ALL, True, "libera-#chat.log", {}),
    "supybot": (supybot, ALL, True, "#chat.log", {}),
    "mirc": (mirc, ALL, False, "#chat.Libera.log", {}),
    "dircproxy": (dircproxy, {"msg", "action"}, True, "#chat", {}),
}


def target(events: set[str], seconds: bool) -> pd.DataFrame:
    rows = [r for r in CONVERSATION if r[1] in events]
    ts = pd.Series([_at(r[0]) for r in rows]).dt.tz_localize("UTC")
    if not seconds:
        ts = ts.dt.floor("min")
    return pd.DataFrame(
        {
            "timestamp": ts.astype("datetime64[us, UTC]"),
            "sender": pd.Series([r[2] for r in rows], dtype="str"),
            "kind": pd.Series([KIND[r[1]] for r in rows], dtype="str"),
            "text": pd.Series([r[3] if r[1] in ("msg", "action") else None for r in rows], dtype="str"),
        }
    )


def comparable(msgs: pd.DataFrame) -> pd.DataFrame:
    out = msgs[["timestamp", "sender", "kind", "text"]].reset_index(drop=True)
    return out.assign(
        timestamp=out["timestamp"].dt.tz_convert("UTC").astype("datetime64[us, UTC]"),
        kind=out["kind"].astype("str"),
        text=out["text"].where(out["kind"].astype("str") == "text"),
    )


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_client_layout_reads_to_the_same_target(layout, tmp_path):
    render, events, seconds, name, kwargs = LAYOUTS[layout]
    path = tmp_path / name
    path.write_text(render(), encoding="utf-8")
    assert rs.detect_format(path) == "irc"
    msgs = rs.read_chat(path, errors="raise", **kwargs)  # no date=: the dates are in the log
    pd.testing.assert_frame_equal(comparable(msgs), target(events, seconds))
    report = rs.parse_report(msgs)
    assert report.accounted() and report.decisions["layout"] == layout.replace("znc", "bracket").replace(
        "mirc", "bracket"
    )
    # system rows keep the client's own words
    assert msgs.loc[msgs["kind"] == "system", "text"].str.len().gt(0).all()


def test_wall_clock_layouts_are_localised_with_tz(tmp_path):
    path = tmp_path / "#chat.weechatlog"
    path.write_text(weechat(), encoding="utf-8")
    msgs = rs.read_chat(path, tz="Europe/Berlin")
    assert str(msgs["timestamp"].iloc[1]) == "2024-06-01 23:58:40+02:00"
    unset = rs.read_chat(path)
    assert unset.attrs["reconnect_signals"]["tz_assumed"] == "UTC"


def test_time_only_layout_without_any_date_names_the_fix():
    with pytest.raises(rs.ParseError, match="date='YYYY-MM-DD'"):
        rs.read_chat(znc().encode(), format="irc")
    msgs = rs.read_chat(znc().encode(), format="irc", date="2024-06-01")
    assert msgs["timestamp"].iloc[-1].day == 2  # the clock went back: past midnight


def test_action_and_event_lookalikes():
    log = (
        b"[10:00:00] * alex has left the building\n"  # mIRC wording: an event, by design of that client
        b"[10:00:05] * alex waves at sam\n"
        b"[10:00:10] -NickServ- This nickname is registered\n"
        b"[10:00:15] *** Quits: bob (bob@host) (Ping timeout)\n"
    )
    msgs = rs.read_chat(log, format="irc", date="2024-06-01", errors="raise")
    assert msgs["kind"].astype(str).tolist() == ["system", "text", "other", "system"]
    assert msgs["sender"].tolist() == ["alex", "alex", "NickServ", "bob"]
    assert msgs["text"].iloc[1] == "waves at sam"


def detection_cases(tmp_path) -> dict:
    """Every layout as a detection case (used by test_detect_vocab)."""
    out = {}
    for layout, (render, *_rest, name, _kw) in LAYOUTS.items():
        d = tmp_path / f"irc-{layout}"
        d.mkdir(parents=True, exist_ok=True)
        (d / name).write_text(render(), encoding="utf-8")
        out[f"irc:{layout}"] = (d / name, "irc")
    return out
