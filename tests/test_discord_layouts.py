"""DiscordChatExporter's HTML export (its default format): the readers_a conversation rendered the
way ``MessageGroupTemplate.cshtml`` writes it, in several cultures; every reading equals the same
target as the JSON and CSV exports of that conversation (issue 18).
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd
import pytest
import test_readers_a as ra

import reconnect_signals as rs

GOLD = Path(__file__).parent / "data" / "readers_a"
JSON_EXPORT = GOLD / "discord" / "Direct Messages - Sam [555].json"
TZ = "Europe/London"


def _f(ts: pd.Timestamp, culture: str) -> str:
    """The "f" (full date, short time) format of ``culture``, as .NET writes it."""
    if culture == "en-US":
        return f"{ts:%A}, {ts:%B} {ts.day}, {ts.year} {ts.hour % 12 or 12}:{ts:%M} {'AM' if ts.hour < 12 else 'PM'}"
    if culture == "en-GB":
        return f"{ts:%A}, {ts.day} {ts:%B} {ts.year} {ts:%H:%M}"
    if culture == "de-DE":
        days = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]
        months = [
            "Januar",
            "Februar",
            "März",
            "April",
            "Mai",
            "Juni",
            "Juli",
            "August",
            "September",
            "Oktober",
            "November",
            "Dezember",
        ]
        return f"{days[ts.day_of_week]}, {ts.day}. {months[ts.month - 1]} {ts.year} {ts:%H:%M}"
    if culture == "old-default":  # DiscordChatExporter 2.x's --dateformat default "dd-MMM-yy hh:mm tt"
        return f"{ts:%d-%b-%y %I:%M} {'AM' if ts.hour < 12 else 'PM'}"
    raise ValueError(culture)


def render_html(culture: str = "en-US") -> str:
    """The JSON export's messages written with DiscordChatExporter's HTML template structure."""
    data = json.loads(JSON_EXPORT.read_text(encoding="utf-8"))
    e = html.escape
    out = [
        '<!DOCTYPE html>\n<html lang="en">\n<head><title>Direct Messages - Sam</title><meta charset="utf-8"></head>',
        '<body>\n<div class="preamble"><div class="preamble__guild-icon-container"></div>',
        f'<div class="preamble__entries-container"><div class="preamble__entry">{e(data["guild"]["name"])}</div>',
        f'<div class="preamble__entry">{e(data["channel"]["category"])} / {e(data["channel"]["name"])}'
        "</div></div></div>",
        '<div class="chatlog">',
    ]
    by_id = {m["id"]: m for m in data["messages"]}
    prev_author, group_open = None, False
    for m in data["messages"]:
        ts = pd.Timestamp(m["timestamp"]).tz_convert(TZ).tz_localize(None)
        author = m["author"]["nickname"] or m["author"]["name"]
        system = m["type"] not in ("Default", "Reply")
        first = system or author != prev_author
        if first:
            if group_open:
                out.append("</div>")
            out.append('<div class="chatlog__message-group">')
            group_open = True
        prev_author = None if system else author
        out.append(
            f'<div id="chatlog__message-container-{m["id"]}" class="chatlog__message-container" '
            f'data-message-id="{m["id"]}">\n  <div class="chatlog__message">'
        )
        if system:
            if m["type"] == "Call":
                lasted = pd.Timestamp(m["callEndedTimestamp"]) - pd.Timestamp(m["timestamp"])
                minutes = int(lasted.total_seconds() // 60)
                content = f"<span>started a call that lasted {minutes} minutes</span>"
            elif m["type"] == "ChannelPinnedMessage":
                content = (
                    f'<span>pinned </span><a class="chatlog__system-notification-link" '
                    f'href="#chatlog__message-container-{m["reference"]["messageId"]}">a message</a>'
                    "<span> to this channel.</span>"
                )
            else:
                content = f"<span>{e(m['content'].lower())}</span>"
            out.append(
                '<div class="chatlog__message-aside">'
                '<svg class="chatlog__system-notification-icon"><use href="#pin-icon">'
                '</use></svg></div>\n<div class="chatlog__message-primary">'
                f'<span class="chatlog__system-notification-author" title="{e(m["author"]["name"])}" '
                f'data-user-id="{m["author"]["id"]}">{e(author)}</span>\n<span> </span>\n'
                f'<span class="chatlog__system-notification-content">\n  {content}\n</span>\n'
                f'<span class="chatlog__system-notification-timestamp" title="{_f(ts, culture)}">'
                f'<a href="#chatlog__message-container-{m["id"]}">{ts:%m/%d/%Y %H:%M}</a></span></div>'
            )
        else:
            out.append('<div class="chatlog__message-aside">')
            if first:
                if m.get("reference"):
                    out.append('<div class="chatlog__reply-symbol"></div>')
                out.append('<img class="chatlog__avatar" src="https://cdn.example/a.png" alt="Avatar" loading="lazy">')
            else:
                out.append(f'<div class="chatlog__short-timestamp" title="{_f(ts, culture)}">{ts:%H:%M}</div>')
            out.append('</div>\n<div class="chatlog__message-primary">')
            if first:
                ref = m.get("reference")
                if ref:
                    target = by_id[ref["messageId"]]
                    out.append(
                        '<div class="chatlog__reply"><img class="chatlog__reply-avatar" src="a.png" alt="Avatar">'
                        f'<div class="chatlog__reply-author" title="x">{e(target["author"]["nickname"])}</div>'
                        '<div class="chatlog__reply-content"><span class="chatlog__reply-link" '
                        f"onclick=\"scrollToMessage(event, '{ref['messageId']}')\"><!--wmm:ignore-->"
                        f"{e(target['content'])}<!--/wmm:ignore--></span></div></div>"
                    )
                out.append(
                    f'<div class="chatlog__header"><span class="chatlog__author" title="{e(m["author"]["name"])}" '
                    f'data-user-id="{m["author"]["id"]}">{e(author)}</span>\n'
                    f'<span class="chatlog__timestamp" title="{_f(ts, culture)}"><a href="#chatlog__message-container-'
                    f'{m["id"]}">{ts:%m/%d/%Y %H:%M}</a></span></div>'
                )
            if m["content"] or m["timestampEdited"]:
                out.append('<div class="chatlog__content chatlog__markdown">')
                if m["content"]:
                    text = e(m["content"]).replace(
                        "❤️",
                        '<img loading="lazy" class="chatlog__emoji" alt="❤️" '
                        'title="heart" src="https://cdn.example/heart.svg">',
                    )
                    out.append(
                        f'<span class="chatlog__markdown-preserve"><!--wmm:ignore-->{text}<!--/wmm:ignore--></span>'
                    )
                if m["timestampEdited"]:
                    out.append('<span class="chatlog__edited-timestamp" title="x">(edited)</span>')
                out.append("</div>")
            for a in m["attachments"]:
                out.append(
                    f'<div class="chatlog__attachment"><a href="{e(a["url"])}">'
                    '<img class="chatlog__attachment-media" '
                    f'src="{e(a["url"])}" alt="Image attachment" title="Image: {e(a["fileName"])}"></a></div>'
                )
            if m["reactions"]:
                out.append('<div class="chatlog__reactions">')
                for r in m["reactions"]:
                    out.append(
                        f'<div class="chatlog__reaction" title="{r["emoji"]["code"]}">'
                        '<img class="chatlog__emoji '
                        f'chatlog__emoji--small" alt="{r["emoji"]["name"]}" src="x.svg">'
                        f'<span class="chatlog__reaction-count">{r["count"]}</span></div>'
                    )
                out.append("</div>")
            out.append("</div>")
        out.append("  </div>\n</div>")
    out.append(
        '</div></div>\n<div class="postamble"><div class="postamble__entry">Exported 8 message(s)</div></div>'
        "</body></html>"
    )
    return "\n".join(out)


@pytest.mark.parametrize("culture", ["en-US", "en-GB", "de-DE", "old-default"])
def test_html_export_equals_the_target(culture, tmp_path):
    path = tmp_path / "Direct Messages - Sam [555].html"
    path.write_text(render_html(culture), encoding="utf-8")
    assert rs.detect_format(path) == "discord"
    msgs = rs.read_chat(path, tz=TZ, errors="raise")
    report = rs.parse_report(msgs)
    assert report.accounted() and report.messages == 8 and report.decisions["reactions_without_users"] == 1
    got = ra._normalise(msgs)
    want = ra._target().drop(columns="seq").reset_index(drop=True)
    want["reply_to_seq"] = want["reply_to_seq"].astype("float64")
    got["reply_to_seq"] = got["reply_to_seq"].astype("float64")
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    assert msgs["conversation_id"].nunique() == 1
    assert msgs["message_id"].tolist()[:2] == ["1001", "1002"]
    # the JSON export of the same conversation agrees row for row (reactions aside)
    js = ra._normalise(rs.read_chat(JSON_EXPORT, tz=TZ))
    pd.testing.assert_frame_equal(got, js.assign(reply_to_seq=js["reply_to_seq"].astype("float64")), check_dtype=False)


def test_html_without_tz_is_labelled_utc_and_bad_dates_are_reported(tmp_path):
    page = render_html().replace("Saturday, June 1, 2024 10:02 AM", "sometime")
    msgs = rs.read_chat(page.encode(), format="discord", errors="ignore")
    report = rs.parse_report(msgs)
    assert report.accounted() and report.unplaced == 1 and report.problems[0].reason == "date not understood"
    assert msgs.attrs["reconnect_signals"]["tz_assumed"] == "UTC"


def test_hostile_html_is_refused_or_bounded():
    deep = "<html><div class='chatlog__message-group'>" + "<div>" * 5000 + "</html>"
    with pytest.raises(rs.ParseError, match="nests deeper"):
        rs.read_chat(deep.encode(), format="discord")
    # stray end tags and unclosed elements do not derail the walk
    page = render_html().replace('<div class="chatlog">', '<div class="chatlog"></span></b></p>' * 3)
    assert len(rs.read_chat(page.encode(), format="discord", tz=TZ)) == 8


def detection_cases(tmp_path: Path) -> dict:
    tmp_path.mkdir(parents=True, exist_ok=True)
    out = {}
    for culture in ("en-US", "de-DE"):
        p = tmp_path / f"Direct Messages - Sam [555] {culture}.html"
        p.write_text(render_html(culture), encoding="utf-8")
        out[f"discord:html-{culture}"] = (p, "discord")
    p = tmp_path / "Direct Messages - Sam [555].txt"
    p.write_text(render_txt("en-US"), encoding="utf-8")
    out["discord:txt"] = (p, "discord")
    return out


def render_txt(culture: str = "en-US") -> str:
    """The JSON export's messages as DiscordChatExporter's plain-text export (``PlainTextMessageWriter``)."""
    data = json.loads(JSON_EXPORT.read_text(encoding="utf-8"))
    rule = "=" * 62
    channel = f"Channel: {data['channel']['category']} / {data['channel']['name']}"
    out = [rule, f"Guild: {data['guild']['name']}", channel, rule, ""]
    for m in data["messages"]:
        t = pd.Timestamp(m["timestamp"]).tz_convert(TZ)
        g = (
            f"{t.month}/{t.day}/{t.year} {t.hour % 12 or 12}:{t:%M} {'AM' if t.hour < 12 else 'PM'}"
            if culture == "en-US"
            else f"{t:%d/%m/%Y %H:%M}"
        )
        name = m["author"]["nickname"]  # FullName; the fixture's accounts are named like their nicknames
        out.append(f"[{g}] {name}" + (" (pinned)" if m["isPinned"] else ""))
        out.append(m["content"])
        out.append("")
        if m["attachments"]:
            out += ["{Attachments}", *[a["url"] for a in m["attachments"]], ""]
        if m["reactions"]:
            out += ["{Reactions}", " ".join(r["emoji"]["name"] for r in m["reactions"])]
        out.append("")
    out += [rule, f"Exported {len(data['messages'])} message(s)", rule]
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("culture", ["en-US", "en-GB"])
def test_txt_export_equals_the_target(culture, tmp_path):
    path = tmp_path / "Direct Messages - Sam [555].txt"
    path.write_text(render_txt(culture), encoding="utf-8")
    assert rs.detect_format(path) == "discord"
    msgs = rs.read_chat(path, tz=TZ, errors="raise", date_order="DMY" if culture == "en-GB" else "MDY")
    report = rs.parse_report(msgs)
    assert report.accounted() and report.messages == 8 and report.unplaced == 0
    got = ra._normalise(msgs).drop(columns=["edited", "reply_to_seq"])
    want = ra._target().drop(columns=["seq", "edited", "reply_to_seq"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    assert report.decisions["messages_with_reactions"] == 1


def test_txt_line_that_looks_like_a_header_stays_text_and_a_marker_after_a_blank_line_is_a_section():
    # "{Reactions}" after a blank line is exactly what DiscordChatExporter writes for reactions: a
    # person's text in that shape cannot be told apart and is taken as the section
    txt = render_txt().replace("Coffee later?", "Coffee later?\n[see] above\n\n{Reactions}\nnot really")
    msgs = rs.read_chat(txt.encode(), format="discord", tz=TZ, date_order="MDY")
    assert msgs["text"].iloc[3] == "Coffee later?\n[see] above"
    assert rs.parse_report(msgs).accounted()
