"""Readers A: Telegram, Messenger/Instagram, Signal (signal-export), Discord (DiscordChatExporter).

Golden files: ONE synthetic conversation rendered in every format/variant
(tests/data/readers_a/make_readers_a_fixtures.py); every parse must equal target.json on the
columns the format can express. Plus the chat-miner fixtures (MIT), read from ../shared
through tests/_shared.py (skipped with the reason when it is absent; see NOTICE.md).
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import reconnect_signals as rs
from reconnect_signals.errors import AmbiguousDateOrder, ParseError
from reconnect_signals.io import Source
from reconnect_signals.io._registry import specs
from reconnect_signals.io.messenger import fix_mojibake

from _builders import GOLD, GOLDEN
from _shared import CHAT_MINER, CHAT_MINER_SNIFF_CASES, shared_path

TZ = "Europe/London"

REACTIONS = {
    "telegram_single",
    "telegram_account",
    "messenger_thread",
    "instagram",
    "signal_md",
    "signal_json",
    "discord_json",
}


def _target() -> pd.DataFrame:
    t = pd.DataFrame(json.loads((GOLD / "target.json").read_text(encoding="utf-8")))
    t["timestamp"] = pd.to_datetime(t["timestamp"], utc=True)
    t["text"] = t["text"].where(t["kind"].isin(["text", "media"]))
    return t.astype({"sender": "str", "text": "str", "kind": "str"})


def _normalise(msgs: pd.DataFrame) -> pd.DataFrame:
    """Rows without reactions, seq-numbered, with reply_to turned into the replied-to seq."""
    rows = msgs[msgs["kind"] != "reaction"].reset_index(drop=True)
    seq_of = dict(zip(rows["message_id"], range(1, len(rows) + 1), strict=True))
    out = pd.DataFrame(
        {
            "timestamp": rows["timestamp"].dt.tz_convert("UTC"),
            "sender": rows["sender"],
            "kind": rows["kind"].astype("str"),
            "text": rows["text"].where(rows["kind"].isin(["text", "media"])),
            "edited": rows["edited"] if "edited" in rows else False,
            "reply_to_seq": rows["reply_to"].map(seq_of) if "reply_to" in rows else float("nan"),
        }
    )
    return out.astype({"sender": "str", "text": "str"})


@pytest.fixture(scope="module")
def target() -> pd.DataFrame:
    return _target()


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden_parse_equals_target(name, target):
    path, kwargs, fmt, cannot, lacks = GOLDEN[name]
    src = GOLD / path
    assert rs.detect_format(src) == fmt
    msgs = rs.read_chat(src, tz=TZ, **kwargs)
    rs.validate(msgs)
    assert isinstance(msgs["timestamp"].dtype, pd.DatetimeTZDtype)
    assert str(msgs["timestamp"].dt.tz) == TZ
    assert set(msgs["platform"].astype("str")) == {fmt}
    reports = rs.parse_report(msgs)
    for report in reports if isinstance(reports, list) else [reports]:
        assert report.accounted(), report.summary()
        assert report.unplaced == 0
    got = _normalise(msgs)
    want = target[~target["seq"].isin(lacks)].drop(columns="seq").reset_index(drop=True)
    want["reply_to_seq"] = want["reply_to_seq"].astype("float64")
    got["reply_to_seq"] = got["reply_to_seq"].astype("float64")
    if "edited" in cannot:
        want = want.drop(columns="edited")
        got = got.drop(columns="edited")
    if "reply" in cannot:
        want = want.drop(columns="reply_to_seq")
        got = got.drop(columns="reply_to_seq")
    if lacks:  # the replied-to seq numbers shift when rows are missing; none of ours are after seq 8
        assert max(lacks) == len(target)
    pd.testing.assert_frame_equal(got, want, check_dtype=False)


@pytest.mark.parametrize("name", sorted(REACTIONS))
def test_golden_reaction_rows(name):
    path, kwargs, fmt, _, _ = GOLDEN[name]
    msgs = rs.read_chat(GOLD / path, tz=TZ, **kwargs)
    react = msgs[msgs["kind"] == "reaction"]
    assert len(react) == 1
    row = react.iloc[0]
    assert row["sender"] == "Alex"
    assert row["text"].startswith("❤")
    parent = msgs.loc[msgs["message_id"] == row["reply_to"]]
    assert parent["text"].tolist() == ["Haha love it ❤️"]
    assert row["timestamp"] >= parent["timestamp"].iloc[0]
    assert msgs["message_id"].is_unique


def test_telegram_reaction_keeps_its_own_time():
    msgs = rs.read_chat(GOLD / "telegram_single/result.json", tz=TZ)
    react = msgs[msgs["kind"] == "reaction"].iloc[0]
    assert react["timestamp"] == pd.Timestamp("2024-06-01 09:08", tz="UTC")
    # the reaction row sits in time order, after the 09:07 message and before the 09:30 call
    kinds = msgs["kind"].astype("str").tolist()
    assert kinds[kinds.index("reaction") - 1] == "text" and kinds[kinds.index("reaction") + 1] == "call"


# -- chat-miner fixtures ------------------------------------------------------------------


def _chat_miner_target(fmt: str) -> pd.DataFrame:
    return pd.DataFrame(json.loads(shared_path(*CHAT_MINER, fmt, "target.json").read_text(encoding="utf-8")))


def _shared_or_path(item: Path | tuple[str, ...]) -> Path:
    """A committed fixture's path as is; a chat-miner file's parts through shared_path (may skip)."""
    return shared_path(*CHAT_MINER, *item) if isinstance(item, tuple) else item


@pytest.mark.parametrize("fname", ["test_single_export.json", "test_batch_export.json"])
def test_chat_miner_telegram(fname):
    msgs = rs.read_chat(shared_path(*CHAT_MINER, "telegram", fname))
    assert rs.parse_report(msgs).accounted()
    want = _chat_miner_target("telegram")
    assert msgs["sender"].tolist() == want["author"].tolist() == ["Author 1", "Author 2"]
    # instants from date_unixtime; chat-miner's target is naive UTC
    assert (
        msgs["timestamp"].dt.tz_convert("UTC").dt.tz_localize(None).tolist()
        == pd.to_datetime(want["timestamp"]).tolist()
    )
    assert msgs["text"].iloc[0] == "Minimal Message"
    # the entity list is ["Link:" (bold), "https://telegram.org/" (link)] with no space between them:
    # Telegram's own exports carry the spaces as plain-string pieces, so we join pieces verbatim
    assert msgs["text"].iloc[1] == "Link:https://telegram.org/"
    assert msgs["text"].iloc[1].replace("Link:", "Link: ") == want["message"].iloc[1]


def test_chat_miner_instagram():
    msgs = rs.read_chat(shared_path(*CHAT_MINER, "instagram", "test_export.json"))
    assert rs.parse_report(msgs).accounted()
    want = _chat_miner_target("instagram").iloc[::-1].reset_index(drop=True)  # theirs is newest first
    assert msgs["sender"].tolist() == want["author"].tolist()
    assert msgs["text"].tolist() == want["message"].tolist()
    got = msgs["timestamp"].dt.tz_convert("UTC").dt.tz_localize(None)
    assert got.tolist() == pd.to_datetime(want["timestamp"]).tolist()


def test_chat_miner_signal():
    msgs = rs.read_chat(shared_path(*CHAT_MINER, "signal", "test_export.txt"), format="signal")
    report = rs.parse_report(msgs)
    assert report.accounted() and report.messages == 2 and report.continuations == 1
    assert report.decisions["tz_assumed"] is True
    want = _chat_miner_target("signal").iloc[::-1].reset_index(drop=True)
    assert msgs["sender"].tolist() == want["author"].tolist()
    # we keep the newline chat-miner replaces with a space
    assert msgs["text"].str.replace("\n", " ").tolist() == want["message"].tolist()
    assert msgs["text"].iloc[1] == "Hello\nJane!"
    assert msgs["timestamp"].dt.tz_localize(None).tolist() == pd.to_datetime(want["timestamp"]).tolist()


# -- sniffers -----------------------------------------------------------------------------

MINE = ("telegram", "messenger", "instagram", "signal", "discord")
SNIFF_CASES = {
    **{k: (GOLD / v[0], v[2]) for k, v in GOLDEN.items()},
    **CHAT_MINER_SNIFF_CASES,  # chat-miner files in ../shared: parts, resolved (or skipped) by _shared_or_path
}


@pytest.mark.parametrize("case", sorted(SNIFF_CASES))
def test_each_sniffer_claims_its_own_fixtures_only(case):
    path, owner = SNIFF_CASES[case]
    src = Source(_shared_or_path(path))
    scores = {name: specs()[name].sniff(src) for name in MINE}
    assert scores[owner] > 0.5
    assert max(scores, key=scores.get) == owner
    pair = {"messenger": "instagram", "instagram": "messenger"}
    for name, score in scores.items():
        if name != owner and name != pair.get(owner):
            assert score == 0, (name, score)


def test_messenger_without_path_hint_defaults_to_messenger_and_format_forces_instagram():
    raw = (GOLD / "instagram/your_instagram_activity/messages/inbox/sam_98765/message_1.json").read_bytes()
    assert rs.detect_format(raw) == "messenger"
    forced = rs.read_chat(raw, format="instagram")
    assert set(forced["platform"].astype("str")) == {"instagram"}


def test_sniffers_reject_other_json_and_text():
    for raw in (b'{"a": 1}', b"[1, 2]", b"hello world\n", b"", b"12/31/20, 9:00 PM - A: hi\n"):
        src = Source(raw)
        assert all(specs()[name].sniff(src) == 0 for name in MINE), raw


# -- Telegram -------------------------------------------------------------------------------


def test_telegram_account_export_all_chats_and_choice():
    path = GOLD / "telegram_account/result.json"
    everything = rs.read_chat(path, tz=TZ)
    assert everything["conversation_id"].unique().tolist() == ["4242", "777"]
    report = rs.parse_report(everything)
    assert report.decisions["chat_types"] == {"4242": "personal_chat", "777": "private_group"}
    assert report.decisions["forwarded"] == 1
    book = rs.read_chat(path, chat=777)
    assert book["kind"].astype("str").tolist() == ["system", "text"]
    assert book["sender"].tolist() == ["Alex", "Robin"]  # the forwarder, not "Some Channel"
    assert book["text"].tolist() == ["create group", "Chapter 3 by Friday?"]
    assert book["message_id"].tolist() == ["777:1", "777:2"]
    with pytest.raises(ParseError, match=r"choose chat= from \['Book club', 'Sam'\]"):
        rs.read_chat(path, chat="Nobody")


def test_telegram_ids_reply_edit_and_kinds():
    msgs = rs.read_chat(GOLD / "telegram_single/result.json")
    assert msgs["message_id"].iloc[:3].tolist() == ["4242:1", "4242:2", "4242:3"]
    assert msgs.loc[msgs["message_id"] == "4242:4", "reply_to"].item() == "4242:3"
    assert msgs.loc[msgs["message_id"] == "4242:3", "edited"].item()
    assert msgs.loc[msgs["message_id"] == "4242:8", "text"].item() == "pin message"
    assert msgs.loc[msgs["message_id"] == "4242:6", "text"].item() == "Haha love it ❤️"


def test_telegram_message_without_id_cannot_take_another_messages_id():
    """A missing id falls back to the message's position, marked so it never equals a real id."""
    data = json.dumps(
        {
            "name": "X",
            "id": 9,
            "messages": [
                {"id": 1, "type": "message", "date_unixtime": "1700000000", "from": "A", "text": "first"},
                {"type": "message", "date_unixtime": "1700000060", "from": "B", "text": "no id"},
                {"id": "x", "type": "message", "date_unixtime": "1700000090", "from": "B", "text": "odd id"},
                {"id": 1.5, "type": "message", "date_unixtime": "1700000100", "from": "A", "text": "float id"},
            ],
        }
    ).encode()
    msgs = rs.read_chat(data)
    assert msgs["message_id"].tolist() == ["9:1", "9:#1", "9:x", "9:#3"]
    assert msgs["message_id"].is_unique


def test_telegram_wall_clock_without_unixtime_uses_tz_or_assumes_utc():
    data = json.dumps(
        {
            "name": "X",
            "id": 1,
            "type": "personal_chat",
            "messages": [{"id": 1, "type": "message", "date": "2024-01-15T10:00:00", "from": "A", "text": "hi"}],
        }
    ).encode()
    berlin = rs.read_chat(data, tz="Europe/Berlin")
    assert berlin["timestamp"].iloc[0] == pd.Timestamp("2024-01-15 09:00", tz="UTC")
    assumed = rs.read_chat(data)
    assert assumed["timestamp"].iloc[0] == pd.Timestamp("2024-01-15 10:00", tz="UTC")
    assert rs.parse_report(assumed).decisions["tz_assumed"] is True
    assert assumed.attrs["reconnect_signals"]["tz_assumed"] == "UTC"


def test_telegram_bad_records_are_reported_not_dropped_silently():
    data = json.dumps(
        {
            "name": "X",
            "id": 1,
            "messages": [
                {"id": 1, "type": "message", "date_unixtime": "1700000000", "from": "A", "text": "ok"},
                {"id": 2, "type": "message", "from": "B", "text": "no date"},
                "junk",
            ],
        }
    ).encode()
    with pytest.warns(rs.ParseWarning, match="2 input messages could not be placed"):
        msgs = rs.read_chat(data)
    report = rs.parse_report(msgs)
    assert (len(msgs), report.total, report.unplaced, report.accounted()) == (1, 3, 2, True)
    with pytest.raises(ParseError):
        rs.read_chat(data, errors="raise")


def test_telegram_zipped_export_folder():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("ChatExport_2024-06-02/result.json", (GOLD / "telegram_single/result.json").read_bytes())
        zf.writestr("ChatExport_2024-06-02/photos/photo_1.jpg", b"\xff\xd8")
    msgs = rs.read_chat(buf.getvalue(), tz=TZ)
    assert rs.parse_report(msgs).format == "telegram"
    assert len(msgs[msgs["kind"] != "reaction"]) == 8


# -- Messenger / Instagram ------------------------------------------------------------------------


def test_fix_mojibake_repairs_broken_and_keeps_correct():
    broken = ["CafÃ©", "ð\x9f\x98\x80 yes", "Ã\x9c", "naÃ¯ve"]
    correct = ["Café", "😀 yes", "Ü", "naïve", "日本語", "plain", "Ã©t\u00e9 d'Ã©t\u00e9"]
    got = fix_mojibake(pd.Series(broken + correct + [None]))
    assert got.iloc[:4].tolist() == ["Café", "😀 yes", "Ü", "naïve"]
    # already-correct strings survive (the last one has Ã but does not round-trip as UTF-8)
    assert got.iloc[4:11].tolist() == correct
    assert pd.isna(got.iloc[11])


def test_messenger_mojibake_file_with_broken_and_correct_strings():
    data = {
        "participants": [{"name": "Ren\u00c3\u00a9e"}, {"name": "Zoë"}],
        "title": "Ren\u00c3\u00a9e",
        "thread_path": "inbox/renee_42",
        "messages": [
            {"sender_name": "Zoë", "timestamp_ms": 1717232520000, "content": "Déjà vu 😀"},
            {
                "sender_name": "Ren\u00c3\u00a9e",
                "timestamp_ms": 1717232460000,
                "content": "Gr\u00c3\u00bc\u00c3\u009fe \u00f0\u009f\u0098\u0080",
                "reactions": [{"reaction": "\u00e2\u009d\u00a4", "actor": "Zo\u00c3\u00ab"}],
            },
        ],
    }
    msgs = rs.read_chat(json.dumps(data).encode())
    assert msgs["sender"].tolist() == ["Renée", "Zoë", "Zoë"]
    assert msgs["text"].tolist() == ["Grüße 😀", "❤", "Déjà vu 😀"]
    report = rs.parse_report(msgs)
    assert report.decisions["title"] == "Renée"
    assert report.decisions["group"] is False and report.decisions["participants"] == 2


def test_messenger_parts_merge_in_time_order_and_ids():
    msgs = rs.read_chat(GOLD / "messenger/inbox/sam_1234567")
    assert msgs["timestamp"].is_monotonic_increasing
    assert msgs["conversation_id"].unique().tolist() == ["sam_1234567"]
    assert msgs["message_id"].iloc[:2].tolist() == ["sam_1234567:0", "sam_1234567:1"]
    call = msgs[msgs["kind"] == "call"]
    assert call["text"].tolist() == ["Alex called you."]
    assert rs.parse_report(msgs).total == 7


def test_messenger_kinds_unsent_share_subscribe_and_e2ee_shape():
    data = {
        "participants": [{"name": "A"}, {"name": "B"}, {"name": "C"}],
        "messages": [
            {"sender_name": "A", "timestamp_ms": 4000, "share": {"link": "https://example.org"}, "content": "look"},
            {"sender_name": "B", "timestamp_ms": 3000, "share": {"link": "https://example.org/x"}},
            {"sender_name": "A", "timestamp_ms": 2000, "is_unsent": True},
            {"sender_name": "C", "timestamp_ms": 1000, "content": "A added C to the group.", "type": "Subscribe"},
        ],
    }
    msgs = rs.read_chat(json.dumps(data).encode())
    assert msgs["kind"].astype("str").tolist() == ["system", "deleted", "media", "media"]
    assert msgs["text"].iloc[0] == "A added C to the group."
    assert pd.isna(msgs["text"].iloc[1])
    assert msgs["text"].iloc[2:].tolist() == ["https://example.org/x", "look"]  # a share keeps its text
    assert rs.parse_report(msgs).decisions["group"] is True
    e2ee = {
        "participants": ["A", "B"],
        "threadName": "B",
        "messages": [
            {
                "isUnsent": False,
                "media": [],
                "reactions": [],
                "senderName": "B",
                "text": "hey",
                "timestamp": 2000,
                "type": "text",
            },
            {
                "isUnsent": False,
                "media": [{"uri": "x.jpg"}],
                "reactions": [],
                "senderName": "A",
                "text": "",
                "timestamp": 1000,
                "type": "media",
            },
        ],
    }
    new = rs.read_chat(json.dumps(e2ee).encode())
    assert new["kind"].astype("str").tolist() == ["media", "text"]
    assert new["sender"].tolist() == ["A", "B"]


def test_messenger_zip_download_with_two_threads():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for p in (GOLD / "messenger/inbox/sam_1234567").iterdir():
            zf.writestr(f"your_activity_across_facebook/messages/inbox/sam_1234567/{p.name}", p.read_bytes())
        zf.writestr(
            "your_activity_across_facebook/messages/inbox/kim_9/message_1.json",
            json.dumps(
                {
                    "participants": [{"name": "Kim"}],
                    "thread_path": "inbox/kim_9",
                    "messages": [{"sender_name": "Kim", "timestamp_ms": 1, "content": "yo"}],
                }
            ),
        )
    msgs = rs.read_chat(buf.getvalue())
    assert sorted(msgs["conversation_id"].unique()) == ["kim_9", "sam_1234567"]
    reports = rs.parse_report(msgs)
    assert len(reports) == 2 and all(r.accounted() for r in reports)
    assert set(msgs["platform"].astype("str")) == {"messenger"}


# -- Signal -----------------------------------------------------------------------------------


def test_signal_me_deleted_sticker_and_unmatched_quote():
    md = (
        "[2024-01-10 09:00:00] Me: hello  \n\n"
        "[2024-01-10 09:01:00] Sam: (This message was deleted)\n\n"
        "[2024-01-10 09:02:00] Sam:   \n(( 🐱 ))\n\n"
        "[2024-01-10 09:03:00] Me: \n\n> something never sent\n> on two lines\n\nreply  \n\n"
    ).encode()
    msgs = rs.read_chat(md, format="signal", tz="Europe/London")
    assert msgs["kind"].astype("str").tolist() == ["text", "deleted", "media", "text"]
    assert msgs["is_from_me"].tolist() == [True, False, False, True]
    assert msgs["text"].iloc[3] == "reply"
    assert msgs["reply_to"].isna().all()
    report = rs.parse_report(msgs)
    assert report.accounted() and report.decisions["quotes"] == 1 and report.decisions["quotes_matched"] == 0


def test_signal_lines_before_first_header_are_problems():
    md = b"stray line\n\n[2024-01-10 09:00] Sam: hi\n"
    with pytest.warns(rs.ParseWarning):
        msgs = rs.read_chat(md, format="signal")
    report = rs.parse_report(msgs)
    assert (report.unplaced, report.skipped, report.messages, report.accounted()) == (1, 1, 1, True)
    assert report.problems[0].line == 1


def test_signal_export_root_folder_reads_every_chat(tmp_path):
    for name in ("Sam", "Kim"):
        (tmp_path / name).mkdir()
    (tmp_path / "Sam" / "chat.md").write_bytes((GOLD / "signal/Sam/chat.md").read_bytes())
    (tmp_path / "Kim" / "chat.md").write_text("[2024-02-01 08:00:00] Kim: morning  \n\n", encoding="utf-8")
    msgs = rs.read_chat(tmp_path, format="signal", tz=TZ)
    assert msgs["conversation_id"].unique().tolist() == ["Kim", "Sam"]
    assert len(rs.parse_report(msgs)) == 2


def test_signal_dst_ambiguous_wall_clock_is_localised():
    md = b"[2024-10-27 01:30:00] A: first  \n\n[2024-10-27 01:30:00] B: second  \n\n"
    msgs = rs.read_chat(md, format="signal", tz="Europe/London")
    # 01:30 happens twice that night; two messages at the same wall time give no evidence of the
    # clock going back (bursts are common), so both are read as the first pass and the guess reported
    assert msgs["timestamp"].dt.tz_convert("UTC").tolist() == [
        pd.Timestamp("2024-10-27 00:30", tz="UTC"),
        pd.Timestamp("2024-10-27 00:30", tz="UTC"),
    ]
    assert any("repeated hour" in n and "taken as the first pass" in n for n in rs.parse_report(msgs).notices)
    md2 = b"[2024-10-27 01:30:00] A: first  \n\n[2024-10-27 01:10:00] B: after the change  \n\n"
    later = rs.read_chat(md2, format="signal", tz="Europe/London")
    assert later["timestamp"].dt.tz_convert("UTC").tolist() == [
        pd.Timestamp("2024-10-27 00:30", tz="UTC"),
        pd.Timestamp("2024-10-27 01:10", tz="UTC"),
    ]


# -- Discord ----------------------------------------------------------------------------------


def test_discord_csv_date_order_is_decided_or_asked_for():
    path = GOLD / "discord/Direct Messages - Sam [555].csv"
    with pytest.raises(AmbiguousDateOrder, match="date_order="):
        rs.read_chat(path, tz=TZ)
    mdy = (
        b'AuthorID,Author,Date,Content,Attachments,Reactions\n"1","A","12/31/2023 11:59 PM","hi","",""\n'
        b'"2","B","1/1/2024 12:05 AM","hey","",""\n'
    )
    msgs = rs.read_chat(mdy, tz="America/New_York")
    assert msgs["timestamp"].dt.tz_convert("UTC").tolist() == [
        pd.Timestamp("2024-01-01 04:59", tz="UTC"),
        pd.Timestamp("2024-01-01 05:05", tz="UTC"),
    ]
    assert rs.parse_report(msgs).decisions["date_order"] == "MDY"


def test_discord_csv_conversation_id_from_file_name_and_bad_dates(tmp_path):
    p = tmp_path / "Guild - general [123456789].csv"
    p.write_text(
        'AuthorID,Author,Date,Content,Attachments,Reactions\n"1","A","25/12/2024 10:00","hi","",""\n'
        '"1","A","not a date","lost","",""\n',
        encoding="utf-8",
    )
    with pytest.warns(rs.ParseWarning):
        msgs = rs.read_chat(p)
    assert msgs["conversation_id"].tolist() == ["123456789"]
    report = rs.parse_report(msgs)
    assert (report.total, report.messages, report.unplaced) == (2, 1, 1)


def test_discord_json_system_types_and_reactions_without_users():
    data = {
        "guild": {"id": "1"},
        "channel": {"id": "9", "type": "GuildTextChat"},
        "messages": [
            {
                "id": "1",
                "type": "GuildMemberJoin",
                "timestamp": "2024-01-01T00:00:00+00:00",
                "content": "",
                "author": {"name": "kim", "nickname": "Kim"},
            },
            {
                "id": "2",
                "type": "Default",
                "timestamp": "2024-01-01T00:01:00+00:00",
                "content": "hi all",
                "author": {"name": "kim", "nickname": None},
                "reactions": [{"emoji": {"name": "👍"}, "count": 3}],
            },
        ],
    }
    msgs = rs.read_chat(json.dumps(data).encode())
    assert msgs["kind"].astype("str").tolist() == ["system", "text"]
    assert msgs["text"].tolist() == ["guild member join", "hi all"]
    assert msgs["sender"].tolist() == ["Kim", "kim"]  # nickname, else name
    assert rs.parse_report(msgs).decisions["reactions_without_users"] == 3


def test_list_formats_has_where_text_for_each_reader():
    formats = rs.list_formats().set_index("format")
    for name in MINE:
        assert len(formats.loc[name, "where"]) > 40
    assert "Export Telegram data" in formats.loc["telegram", "where"]


@pytest.mark.parametrize("fmt", ["telegram", "messenger", "discord", "signal"])
def test_hostile_json_is_refused_with_parse_error(fmt):
    deep = b'{"messages": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    with pytest.raises(ParseError):
        rs.read_chat(deep if fmt != "signal" else b"[" + deep + b"]", format=fmt)
    with pytest.raises(ParseError):
        rs.read_chat(b'{"messages": [1, 2', format=fmt if fmt != "signal" else "telegram")


def test_discord_csv_other_culture_formats():
    head = b"AuthorID,Author,Date,Content,Attachments,Reactions\n"
    ymd = head + b'"1","A","2024/01/15 10:30","hi","",""\n"2","B","2024/01/15 10:31:05","yo","",""\n'
    msgs = rs.read_chat(ymd)
    assert msgs["timestamp"].tolist() == [
        pd.Timestamp("2024-01-15 10:30", tz="UTC"),
        pd.Timestamp("2024-01-15 10:31:05", tz="UTC"),
    ]
    legacy = head + b'"1","A","15-Jan-23 10:30 PM","hi","",""\n'
    assert rs.read_chat(legacy)["timestamp"].iloc[0] == pd.Timestamp("2023-01-15 22:30", tz="UTC")
    german = head + b'"1","A","15.01.2024 22:30","hi","",""\n'
    assert rs.read_chat(german)["timestamp"].iloc[0] == pd.Timestamp("2024-01-15 22:30", tz="UTC")
    iso = head + b'"1","A","2024-01-15T22:30:00+02:00","hi","",""\n'
    assert rs.read_chat(iso, tz="UTC")["timestamp"].iloc[0] == pd.Timestamp("2024-01-15 20:30", tz="UTC")


TELEGRAM_INPUTS = [
    (GOLD / "telegram_single/result.json", {}),
    (GOLD / "telegram_account/result.json", {}),
    (GOLD / "telegram_account/result.json", {"chat": "Book club"}),
    (GOLD / "telegram_single", {}),
    (("telegram", "test_single_export.json"), {}),
    (("telegram", "test_batch_export.json"), {}),
]


@pytest.mark.parametrize("path, kwargs", TELEGRAM_INPUTS)
def test_telegram_streaming_parse_equals_in_memory_parse(path, kwargs, monkeypatch):
    from reconnect_signals.io import telegram

    path = _shared_or_path(path)
    whole = rs.read_chat(path, format="telegram", tz=TZ, **kwargs)
    monkeypatch.setattr(telegram, "_STREAM_ABOVE", -1)
    monkeypatch.setattr(telegram, "_BATCH", 3)  # several batches per chat
    monkeypatch.setattr(telegram, "_CHUNK", 7)  # values cut across chunk boundaries
    streamed = rs.read_chat(path, format="telegram", tz=TZ, **kwargs)
    pd.testing.assert_frame_equal(streamed, whole)
    a, b = rs.parse_report(whole), rs.parse_report(streamed)
    assert b.decisions.pop("streamed") is True
    assert (a.total, a.messages, a.unplaced, a.decisions) == (b.total, b.messages, b.unplaced, b.decisions)


def test_telegram_streaming_reports_bad_records_and_refuses_broken_json(monkeypatch):
    from reconnect_signals.io import telegram

    monkeypatch.setattr(telegram, "_STREAM_ABOVE", -1)
    monkeypatch.setattr(telegram, "_BATCH", 2)
    monkeypatch.setattr(telegram, "_CHUNK", 5)
    data = json.dumps(
        {
            "name": "X",
            "id": 1,
            "messages": [
                {"id": 1, "type": "message", "date_unixtime": "1700000000", "from": "A", "text": "ok"},
                {"id": 2, "type": "message", "from": "B", "text": "no date"},
                "junk",
                {"id": 4, "type": "message", "date_unixtime": "1700000060", "from": "A", "text": "fine"},
            ],
        }
    ).encode()
    msgs = rs.read_chat(data, format="telegram", errors="ignore")
    report = rs.parse_report(msgs)
    assert msgs["text"].tolist() == ["ok", "fine"]
    assert (report.total, report.unplaced, [p.line for p in report.problems]) == (4, 2, [1, 2])
    with pytest.raises(ParseError, match="malformed Telegram JSON"):
        rs.read_chat(data[:-20], format="telegram")
    with pytest.raises(ParseError, match="no Telegram chat"):
        rs.read_chat(b'{"about": "x"}', format="telegram")
    with pytest.raises(ParseError, match="choose chat="):
        rs.read_chat(data, format="telegram", chat="nope")


def test_signal_quote_links_to_the_latest_earlier_match():
    md = (
        b"[2024-01-10 09:00:00] A: same  \n\n[2024-01-10 09:01:00] B: other  \n\n"
        b"[2024-01-10 09:02:00] A: same  \n\n[2024-01-10 09:03:00] B: \n\n> same\n\nyes  \n\n"
        b"[2024-01-10 09:04:00] A: \n\n> yes\n\nok  \n\n"
    )
    msgs = rs.read_chat(md, format="signal")
    cid = msgs["conversation_id"].iloc[0]
    assert msgs["reply_to"].tolist()[3:] == [f"{cid}:2", f"{cid}:3"]


def test_signal_json_lines_bad_dates_blank_lines_and_call_text():
    lines = [
        {
            "date": "2024-06-01T10:00:00",
            "sender": "Sam",
            "body": "hi  ",
            "quote": "",
            "reactions": [],
            "attachments": [],
            "deleted": False,
            "call": False,
            "missed": False,
        },
        {"date": "2024-13-45T99:00:00", "sender": "Sam", "body": "bad date  "},
        {
            "date": "2024-06-01T10:05:00",
            "sender": "Me",
            "body": "Outgoing video call (accepted, 2m 5s)  ",
            "call": False,
        },
    ]
    raw = (json.dumps(lines[0]) + "\n\n" + json.dumps(lines[1]) + "\n" + json.dumps(lines[2]) + "\n").encode()
    msgs = rs.read_chat(raw, format="signal", errors="ignore")
    report = rs.parse_report(msgs)
    assert msgs["kind"].astype("str").tolist() == ["text", "call"]
    assert (report.total, report.messages, report.skipped, report.unplaced, report.accounted()) == (4, 2, 1, 1, True)
    assert report.problems[0].line == 3
    md = b"[2024-02-30 10:00:00] A: no such day  \n\n[2024-03-01 10:00:00] A: fine  \n\n"
    msgs = rs.read_chat(md, format="signal", errors="ignore")
    assert msgs["text"].tolist() == ["fine"] and rs.parse_report(msgs).accounted()


def test_corrupt_timestamps_are_problems_not_crashes():
    tg = json.dumps(
        {
            "name": "X",
            "id": 1,
            "messages": [
                {
                    "id": 1,
                    "type": "message",
                    "date_unixtime": "99999999999999999",
                    "date": "not a date",
                    "from": "A",
                    "text": "x",
                },
                {"id": 2, "type": "message", "date_unixtime": "1700000000", "from": "A", "text": "ok"},
            ],
        }
    ).encode()
    fb = json.dumps(
        {
            "messages": [
                {"sender_name": "A", "timestamp_ms": 10**30, "content": "x"},
                {"sender_name": "A", "timestamp_ms": 1_700_000_000_000, "content": "ok"},
            ]
        }
    ).encode()
    dc = json.dumps(
        {
            "guild": {},
            "channel": {"id": "1"},
            "messages": [
                {"id": "1", "type": "Default", "timestamp": "yesterday", "content": "x", "author": {"name": "A"}},
                {
                    "id": "2",
                    "type": "Default",
                    "timestamp": "2024-01-01T00:00:00+00:00",
                    "content": "ok",
                    "author": {"name": "A"},
                },
            ],
        }
    ).encode()
    for raw in (tg, fb, dc):
        msgs = rs.read_chat(raw, errors="ignore")
        report = rs.parse_report(msgs)
        assert msgs["text"].tolist() == ["ok"]
        assert (report.total, report.unplaced, report.accounted()) == (2, 1, True)


# -- robustness: odd field types never crash a reader ---------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False),
    st.text(max_size=8),
    st.sampled_from(
        ["2024-01-01T10:00:00", "1700000000", "Default", "Call", "service", "message", "phone_call", "A", ""]
    ),
)
_value = st.recursive(
    _scalar,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=6,
)
_KEYS = {
    "telegram": [
        "id",
        "type",
        "date",
        "date_unixtime",
        "from",
        "actor",
        "action",
        "text",
        "photo",
        "edited",
        "reply_to_message_id",
        "reactions",
        "poll",
        "forwarded_from",
    ],
    "messenger": [
        "sender_name",
        "timestamp_ms",
        "content",
        "photos",
        "share",
        "reactions",
        "is_unsent",
        "call_duration",
        "type",
        "senderName",
        "timestamp",
        "text",
        "media",
    ],
    "discord": [
        "id",
        "type",
        "timestamp",
        "timestampEdited",
        "content",
        "author",
        "attachments",
        "reference",
        "reactions",
        "stickers",
    ],
    "signal": ["date", "sender", "body", "quote", "reactions", "attachments", "deleted", "call", "edits", "sticker"],
}


def _records(fmt):
    return st.lists(st.fixed_dictionaries({}, optional={k: _value for k in _KEYS[fmt]}), max_size=6)


def _wrap(fmt, records):
    if fmt == "telegram":
        return json.dumps({"name": "X", "id": 1, "messages": records}).encode()
    if fmt == "messenger":
        return json.dumps({"participants": [{"name": "A"}], "messages": records}).encode()
    if fmt == "discord":
        return json.dumps({"guild": {"id": "1"}, "channel": {"id": "2"}, "messages": records}).encode()
    return "\n".join(json.dumps(r) for r in records).encode()


@pytest.mark.parametrize("fmt", sorted(_KEYS))
def test_odd_records_give_a_valid_frame_or_a_library_error(fmt):
    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_records(fmt))
    def check(records):
        try:
            msgs = rs.read_chat(_wrap(fmt, records), format=fmt, errors="ignore")
        except rs.ReconnectSignalsError:
            return
        rs.validate(msgs)
        reports = rs.parse_report(msgs)
        for report in reports if isinstance(reports, list) else [reports]:
            assert report.accounted(), report.summary()

    check()


def test_unsafe_zip_member_names_are_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("../result.json", (GOLD / "telegram_single/result.json").read_bytes())
    with pytest.raises(ParseError, match="unsafe member names"):  # auto-detection names the reason too
        rs.read_chat(buf.getvalue())
    for fmt in ("telegram", "messenger"):
        with pytest.raises(ParseError, match="unsafe member names"):
            rs.read_chat(buf.getvalue(), format=fmt)


def test_telegram_left_chats_are_read_too():
    data = json.loads((GOLD / "telegram_account/result.json").read_text(encoding="utf-8"))
    data["left_chats"]["list"].append(
        {
            "name": "Old group",
            "type": "private_supergroup",
            "id": 31,
            "messages": [{"id": 5, "type": "message", "date_unixtime": "1600000000", "from": "Alex", "text": "bye"}],
        }
    )
    msgs = rs.read_chat(json.dumps(data).encode(), chat=31)
    assert msgs[["message_id", "text"]].values.tolist() == [["31:5", "bye"]]


def test_telegram_account_export_marks_the_owner():
    msgs = rs.read_chat(GOLD / "telegram_account/result.json", chat="Sam")
    mine = msgs.loc[msgs["kind"] != "reaction"]
    assert mine["is_from_me"].tolist() == (mine["sender"] == "Alex").tolist()
    assert msgs.loc[msgs["kind"] == "reaction", "is_from_me"].tolist() == [True]
    assert "is_from_me" not in rs.read_chat(GOLD / "telegram_single/result.json").columns


def test_instagram_reaction_echo_lines_are_reactions():
    data = {
        "participants": [{"name": "A"}, {"name": "B"}],
        "messages": [
            {"sender_name": "B", "timestamp_ms": 3000, "content": "Reacted \u00f0\u009f\u0098\u0082 to your message "},
            {"sender_name": "B", "timestamp_ms": 2000, "content": "Liked a message"},
            {"sender_name": "A", "timestamp_ms": 1000, "content": "Reacted to your message, she said"},
        ],
    }
    msgs = rs.read_chat(json.dumps(data).encode(), format="instagram")
    assert msgs["kind"].astype("str").tolist() == ["text", "reaction", "reaction"]
    assert msgs["text"].tolist() == ["Reacted to your message, she said", "❤", "😂"]
    assert rs.parse_report(msgs).decisions["reaction_echo_lines"] == 2


def test_messenger_owner_is_the_one_person_in_every_thread(tmp_path):
    for thread, other in (("sam_1", "Sam"), ("kim_2", "Kim")):
        (tmp_path / "inbox" / thread).mkdir(parents=True)
        (tmp_path / "inbox" / thread / "message_1.json").write_text(
            json.dumps(
                {
                    "participants": [{"name": other}, {"name": "Ren\u00c3\u00a9e"}],
                    "thread_path": f"inbox/{thread}",
                    "messages": [
                        {"sender_name": other, "timestamp_ms": 2000, "content": "hi"},
                        {"sender_name": "Ren\u00c3\u00a9e", "timestamp_ms": 1000, "content": "hey"},
                    ],
                }
            )
        )
    msgs = rs.read_chat(tmp_path / "inbox")
    assert msgs.loc[msgs["is_from_me"], "sender"].unique().tolist() == ["Renée"]
    assert msgs["is_from_me"].sum() == 2
    one = rs.read_chat(tmp_path / "inbox" / "sam_1")
    assert "is_from_me" not in one.columns


@pytest.mark.parametrize(
    "encoding, bom",
    [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"), ("utf-16-le", b""), ("utf-8", b"\xef\xbb\xbf")],
)
def test_discord_csv_in_utf16_is_read_as_csv_not_broken_json(tmp_path, encoding, bom):
    # Excel's "Unicode text" and some editors write UTF-16; CSV vs JSON is decided on decoded text
    text = (
        "AuthorID,Author,Date,Content,Attachments,Reactions\r\n"
        '"1","Ann","25/12/2024 10:00","Gr\u00fc\u00dfe \U0001f600","",""\r\n'
        '"2","Bo","25/12/2024 10:05","ok","",""\r\n'
    )
    path = tmp_path / "Direct Messages - Ann [424242].csv"
    path.write_bytes(bom + text.encode(encoding))
    assert rs.detect_format(path) == "discord"
    msgs = rs.read_chat(path, tz="UTC")
    assert msgs[["conversation_id", "sender", "text"]].values.tolist() == [
        ["424242", "Ann", "Gr\u00fc\u00dfe \U0001f600"],
        ["424242", "Bo", "ok"],
    ]
    assert msgs["timestamp"].tolist() == [
        pd.Timestamp("2024-12-25 10:00", tz="UTC"),
        pd.Timestamp("2024-12-25 10:05", tz="UTC"),
    ]
    report = rs.parse_report(msgs)
    assert (report.units, report.total, report.messages) == ("records", 2, 2) and report.accounted()
    # and a UTF-16 JSON export is still JSON
    doc = {
        "guild": {"id": "0"},
        "channel": {"id": "77", "name": "dm"},
        "messages": [
            {
                "id": "1",
                "type": "Default",
                "timestamp": "2024-12-25T10:00:00+00:00",
                "content": "hi",
                "author": {"id": "5", "name": "Ann"},
            }
        ],
    }
    as_json = rs.read_chat(bom + json.dumps(doc).encode(encoding), format="discord")
    assert as_json["text"].tolist() == ["hi"] and rs.parse_report(as_json).units == "messages"
