"""Messenger and Instagram as people download them: HTML pages (the default format, three
generations of Meta's markup), Instagram's pre-2021 ``messages.json`` and reaction lines in other
languages. The readers_a conversation is rendered in each; every reading equals the same target.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd
import pytest
import test_readers_a as ra

import reconnect_signals as rs
from reconnect_signals.io.messenger import _fix

GOLD = Path(__file__).parent / "data" / "readers_a"
THREAD = GOLD / "messenger" / "inbox" / "sam_1234567"
TZ = "Europe/London"


def _messages() -> list[dict]:
    """The thread's messages, oldest first, mojibake repaired."""
    msgs = []
    for part in sorted(THREAD.glob("message_*.json"), reverse=True):
        msgs.extend(json.loads(part.read_text(encoding="utf-8"))["messages"][::-1])
    return [{k: (_fix(v) if isinstance(v, str) else v) for k, v in m.items()} for m in msgs]


def _stamp(ms: int, style: str) -> str:
    t = pd.Timestamp(ms, unit="ms", tz="UTC").tz_convert(TZ)
    if style == "2020":
        return f"{t:%b} {t.day}, {t.year}, {t.hour % 12 or 12}:{t:%M} {'AM' if t.hour < 12 else 'PM'}"
    if style in ("2023", "2024"):
        return f"{t:%b %d, %Y} {t.hour % 12 or 12}:{t:%M:%S} {'am' if t.hour < 12 else 'pm'}"
    if style == "de":
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
        return f"{t.day}. {months[t.month - 1]} {t.year}, {t:%H:%M}"
    raise ValueError(style)


def render_html(style: str = "2023") -> str:
    """The thread as one ``message_1.html`` page of the given generation (newest first)."""
    e = html.escape
    blocks = []
    for m in reversed(_messages()):
        text = e(m.get("content") or "")
        media = "".join(f'<img src="{e(p["uri"])}" class="_a6_o _3-96">' for p in m.get("photos", []))
        reacts = m.get("reactions") or []
        stamp = _stamp(m["timestamp_ms"], style)
        if style == "2020":
            rx = "".join(f"<li>{e(_fix(r['reaction']))}{e(r['actor'])}</li>" for r in reacts)
            rx = f'<ul class="_tqp">{rx}</ul>' if rx else ""
            blocks.append(
                '<div class="pam _3-95 _2pi0 _2lej uiBoxWhite noborder">'
                f'<div class="_3-96 _2pio _2lek _2lel">{e(m["sender_name"])}</div>'
                f'<div class="_3-96 _2let"><div><div></div><div>{text}</div><div>{media}</div><div>{rx}</div>'
                "</div></div>"
                f'<div class="_3-94 _2lem">{stamp}</div></div>'
            )
        else:
            rx = "".join(f"<li><span>{e(_fix(r['reaction']))}{e(r['actor'])}</span></li>" for r in reacts)
            rx = f'<ul class="_a6-q">{rx}</ul>' if rx else ""
            sender = (
                f'<h2 class="_2ph_ _a6-h _a6-i">{e(m["sender_name"])}</h2>'
                if style != "2024"
                else f'<div class="_2ph_ _a6-h _a6-i">{e(m["sender_name"])}</div>'
            )
            when = (
                f'<div class="_3-94 _a6-o">{stamp}</div>'
                if style != "2024"
                else f'<div class="_3-94 _a6-o"><div class="_a72d">{stamp}</div></div>'
            )
            block = (
                f'<div class="pam _3-95 _2ph- _a6-g uiBoxWhite noborder">{sender}'
                f'<div class="_2ph_ _a6-p"><div><div></div><div>{text}</div><div>{media}</div><div>{rx}</div>'
                "</div></div>"
                f"{when}</div>"
            )
            blocks.append(block)
    body = "\n".join(blocks)
    if style == "2024":
        body = f'<div class="_a706" role="main">{body}</div>'
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8" /><title>Sam</title></head><body>'
        f'<div class="_3a_u"><div class="_a705"><div class="_3-8y _3-95 _a70a"><h1>Sam</h1></div>'
        f"<div>Participants: Sam and Alex</div></div>{body}</div></body></html>"
    )


def render_legacy_instagram() -> str:
    """The thread as Instagram's pre-2021 ``messages.json`` (newest first)."""
    conv = []
    for m in reversed(_messages()):
        t = pd.Timestamp(m["timestamp_ms"], unit="ms", tz="UTC")
        item = {"sender": m["sender_name"], "created_at": t.strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")}
        if m.get("call_duration") is not None:
            item["video_call_action"] = "Video chat ended"
        elif m.get("photos"):
            item["media_url"] = "https://scontent.cdninstagram.com/x.jpg"
        else:
            item["text"] = m.get("content")
        likes = [
            {"username": r["actor"], "date": (t + pd.Timedelta(seconds=30)).isoformat()}
            for r in m.get("reactions") or []
        ]
        if likes:
            item["likes"] = likes
        conv.append(item)
    return json.dumps([{"participants": ["Sam", "Alex"], "conversation": conv}], ensure_ascii=False, indent=1)


def _check(msgs: pd.DataFrame, lacks=frozenset({8})) -> None:
    got = ra._normalise(msgs)
    want = ra._target()
    want = want[~want["seq"].isin(lacks)].drop(columns=["seq", "edited", "reply_to_seq"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(got.drop(columns=["edited", "reply_to_seq"]), want, check_dtype=False)
    for report in rs.parse_report(msgs) if isinstance(rs.parse_report(msgs), list) else [rs.parse_report(msgs)]:
        assert report.accounted() and report.unplaced == 0


@pytest.mark.parametrize("style", ["2020", "2023", "2024", "de"])
def test_messenger_html_equals_the_target(style, tmp_path):
    folder = tmp_path / "your_facebook_activity" / "messages" / "inbox" / "sam_1234567"
    folder.mkdir(parents=True)
    (folder / "message_1.html").write_text(render_html(style), encoding="utf-8")
    assert rs.detect_format(folder) == "messenger"
    msgs = rs.read_chat(folder, tz=TZ, errors="raise")
    _check(msgs)
    reactions = msgs[msgs["kind"] == "reaction"]
    assert reactions[["sender", "text"]].values.tolist() == [["Alex", "❤️"]]
    # the single page and the whole inbox read the same
    pd.testing.assert_frame_equal(
        rs.read_chat(folder / "message_1.html", tz=TZ).drop(columns="conversation_id"),
        msgs.drop(columns="conversation_id"),
    )


def test_instagram_html_by_path(tmp_path):
    folder = tmp_path / "your_instagram_activity" / "messages" / "inbox" / "sam_98765"
    folder.mkdir(parents=True)
    (folder / "message_1.html").write_text(render_html("2024"), encoding="utf-8")
    assert rs.detect_format(folder) == "instagram"
    msgs = rs.read_chat(folder, tz=TZ)
    assert set(msgs["platform"].astype(str)) == {"instagram"}
    _check(msgs)


def test_html_without_tz_is_labelled_utc():
    msgs = rs.read_chat(render_html("2023").encode(), format="messenger")
    assert msgs.attrs["reconnect_signals"]["tz_assumed"] == "UTC"
    assert str(msgs["timestamp"].iloc[0]) == "2024-06-01 10:00:00+00:00"  # the London wall clock, labelled UTC


def test_pre_2021_instagram_messages_json(tmp_path):
    path = tmp_path / "messages.json"
    path.write_text(render_legacy_instagram(), encoding="utf-8")
    assert rs.detect_format(path) == "instagram"
    assert rs.detect_format(tmp_path) == "instagram"  # the download folder holding it
    msgs = rs.read_chat(path, tz=TZ, errors="raise")
    _check(msgs)
    like = msgs[msgs["kind"] == "reaction"].iloc[0]
    assert (like["sender"], like["text"]) == ("Alex", "❤️")
    assert like["timestamp"] == pd.Timestamp("2024-06-01 09:07:30", tz="UTC")  # likes carry their own time
    assert like["reply_to"] == msgs.loc[msgs["text"] == "Haha love it ❤️", "message_id"].iloc[0]
    assert msgs["conversation_id"].unique().tolist() == ["Alex+Sam"]


@pytest.mark.parametrize(
    "line,emoji",
    [
        ("Reacted ❤️ to your message", "❤️"),
        ("Hat mit 😂 auf deine Nachricht reagiert", "😂"),
        ("A réagi 👍 à votre message", "👍"),
        ("Reaccionó con 😮 a tu mensaje", "😮"),
        ("Reagiu com 😢 à sua mensagem", "😢"),
        ("Ha reagito con 🔥 al tuo messaggio", "🔥"),
        ("Reageerde met 😍 op je bericht", "😍"),
    ],
)
def test_reaction_lines_in_other_languages(line, emoji):
    doc = {
        "participants": [{"name": "Alex"}, {"name": "Sam"}],
        "messages": [
            {"sender_name": "Sam", "timestamp_ms": 1717232460000, "content": line},
            {"sender_name": "Alex", "timestamp_ms": 1717232400000, "content": "Hallo"},
        ],
    }
    msgs = rs.read_chat(json.dumps(doc, ensure_ascii=False).encode(), format="instagram")
    assert msgs["kind"].astype(str).tolist() == ["text", "reaction"]
    assert msgs["text"].tolist() == ["Hallo", emoji]


def test_sentences_that_look_like_reaction_lines_stay_text():
    doc = {"messages": [{"sender_name": "Sam", "timestamp_ms": 1, "content": "Reacted badly to your message"}]}
    assert rs.read_chat(json.dumps(doc).encode(), format="messenger")["kind"].astype(str).tolist() == ["text"]


def detection_cases(tmp_path: Path) -> dict:
    out = {}
    for style in ("2020", "2024"):
        d = tmp_path / f"meta-{style}" / "messages" / "inbox" / "sam_1"
        d.mkdir(parents=True, exist_ok=True)
        (d / "message_1.html").write_text(render_html(style), encoding="utf-8")
        out[f"messenger:html-{style}"] = (d / "message_1.html", "messenger")
    legacy = tmp_path / "ig-legacy"
    legacy.mkdir(parents=True, exist_ok=True)
    (legacy / "messages.json").write_text(render_legacy_instagram(), encoding="utf-8")
    out["instagram:legacy"] = (legacy / "messages.json", "instagram")
    return out


def test_many_reactions_and_nested_markup_keep_the_text():
    items = "".join(f"<li><span>👍Person {i}</span></li>" for i in range(30))
    page = (
        '<html><head><title>Group</title></head><body><div class="pam _3-95 _2ph- _a6-g uiBoxWhite noborder">'
        '<h2 class="_2ph_ _a6-h _a6-i">Sam</h2><div class="_2ph_ _a6-p"><div><div></div><div>see <a href="x">'
        'this</a><br>line two</div><div></div><div><ul class="_a6-q">' + items + "</ul></div></div></div>"
        '<div class="_3-94 _a6-o">Jun 01, 2024 10:05:00 am</div></div></body></html>'
    )
    msgs = rs.read_chat(page.encode(), format="messenger")
    assert msgs["text"].iloc[0] == "see this\nline two"
    assert (msgs["kind"] == "reaction").sum() == 30
    assert msgs.loc[msgs["kind"] == "reaction", "sender"].iloc[-1] == "Person 29"
