"""WhatsApp in every language its string tables have: derived vocabulary, kinds, media types, senders."""

from __future__ import annotations

import io
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

import reconnect_signals as rs
from reconnect_signals.errors import ParseWarning
from reconnect_signals.io._whatsapp_render import LAYOUTS, render_whatsapp
from reconnect_signals.io._whatsapp_vocab import HAND, LANGS, phrase

from _shared import shared_path

ROOT = Path(__file__).resolve().parents[1]
I18N = Path(__file__).parent / "data" / "whatsapp_i18n"

#: the languages the golden tests render (the issue's list first)
GOLDEN = [
    "ru",
    "uk",
    "cs",
    "pl",
    "tr",
    "ar",
    "fa",
    "he",
    "hi",
    "id",
    "ja",
    "ko",
    "zh-CN",
    "th",
    "vi",
    "el",
    "en",
    "de",
    "es",
    "fr",
    "it",
    "nl",
    "pt-BR",
    "pt-PT",
    "sv",
    "ro",
    "hu",
    "ms",
    "ca",
    "fi",
    "da",
    "zh-TW",
]
IOS_MEDIA = ["image", "video", "audio", "sticker", "gif", "document", "contact"]


def read(data, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("error", ParseWarning)
        return rs.read_chat(io.BytesIO(data) if isinstance(data, bytes) else data, **kw)


# -- the derived table ---------------------------------------------------------------------------


def test_committed_table_is_in_sync_with_whatsapps_strings():
    source = shared_path("whatsapp-strings")
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "whatsapp_vocab.py"), "--check", "--source", str(source)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_committed_locale_shapes_are_in_sync_with_cldr():
    import babel  # pinned in the test extra: the CLDR data, and so the table, depend on its version

    about = (ROOT / "reconnect_signals" / "io" / "whatsapp_locales.json").read_text("utf-8")
    assert f"babel {babel.__version__}" in about, (
        f"whatsapp_locales.json was not derived with babel {babel.__version__} (the test extra's pin): install "
        "the pinned babel, or move the pin and run python tools/whatsapp_locales.py"
    )
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "whatsapp_locales.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_table_covers_every_language_with_whatsapp_strings():
    source = shared_path("whatsapp-strings")
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import whatsapp_vocab as gen
    finally:
        sys.path.pop(0)
    ios = {gen.ios_lang(p.stem) for p in (source / "ios").glob("*.strings")}
    android = set()
    for folder in (source / "android").iterdir():
        lang = gen.android_lang(folder.name)
        if lang and "revoked_msg_incoming" in (folder / "strings.xml").read_text("utf-8"):
            android.add(lang)  # folders with only Android's own (appcompat) strings have nothing to export
    assert len(ios) == 42 and len(android) >= 55
    assert ios | android <= set(LANGS)
    for lang in ios:
        assert {"media.image", "deleted.theirs", "call.missed_voice", "system.added"} <= set(LANGS[lang]), lang
    for lang in android:
        assert {"media.omitted", "deleted.theirs", "system.participant"} <= set(LANGS[lang]), lang


def test_hand_additions_are_kept_apart_and_merged():
    assert HAND["en"]["edited"] == ["<This message was edited>"]
    assert phrase("en", "edited") == "<This message was edited>"
    assert "<Medien ausgeschlossen>" in LANGS["de"]["media.omitted"]
    assert phrase("pt-BR", "media.image") and phrase("xx-YY", "media.image") is None


# -- golden renderings: every placeholder kind and common notices, per language -----------------------


def _notices(lang: str) -> list[str]:
    """A few notices of the language, slots filled with names (what iOS attributes to the chat)."""
    out = []
    for slot in (
        "system.added",
        "system.left",
        "system.created",
        "system.subject",
        "system.removed",
        "system.joined",
        "system.encryption",
        "system.participants",
        "system.participant",
    ):
        for template in LANGS[lang].get(slot, [])[:2]:
            out.append(template.replace("{}", "Ana", 1).replace("{}", "Bo"))
    return out


def golden_frame(lang: str, ios: bool, with_media: bool = False) -> tuple[pd.DataFrame, list[str | None]]:
    """The conversation and the media_type each row must come back with."""
    rows, want = [], []
    t = pd.Timestamp("2024-03-09 08:00", tz="Europe/London")

    def add(sender, text, kind, mtype=None, expect=None):
        rows.append((t + pd.Timedelta(minutes=len(rows)), sender, text, kind, mtype))
        want.append(expect)

    add("Алиса Ω", "hello 👋", "text")
    media = IOS_MEDIA if ios else ([*IOS_MEDIA] if with_media else ["image"])
    for mt in media:
        expect = mt if (ios or with_media) else "other"
        add("Bo Li", None, "media", mt, expect)
    add("Bo Li", None, "media", "location", "location")
    if phrase(lang, "media.live_location"):
        add("Алиса Ω", None, "media", "live_location", "live_location")
    add("Bo Li", "a caption", "media", "image", "image" if ios or with_media else "other")
    add("Алиса Ω", None, "deleted")
    add("Bo Li", None, "call")
    for notice in _notices(lang):
        add(None, notice, "system")
    add("+44 7700 900123", "ok", "text")
    frame = rs.coerce(
        pd.DataFrame(rows, columns=["timestamp", "sender", "text", "kind", "media_type"]), tz="Europe/London"
    )
    return frame, want


def _layout(lang: str, ios: bool):
    base = LAYOUTS["ios_dmy_ss_en" if ios else "android_dmy_24h_en"]
    return base.with_(lang=lang, name=f"{'ios' if ios else 'android'}_{lang}")


@pytest.mark.parametrize("lang", GOLDEN)
@pytest.mark.parametrize("ios", [True, False], ids=["ios", "android"])
def test_golden_every_placeholder_and_notice(lang, ios):
    frame, want = golden_frame(lang, ios)
    data = render_whatsapp(frame, _layout(lang, ios), chat_name="Trip 2024")
    df = read(data, tz="Europe/London", date_order="DMY")
    assert len(df) == len(frame)
    assert df["kind"].astype(str).tolist() == frame["kind"].astype(str).tolist()
    assert df["sender"].tolist() == frame["sender"].tolist()
    got = df["media_type"].astype(object).where(df["media_type"].notna(), None).tolist()
    assert got == want
    assert df.loc[frame["kind"] == "media", "text"].dropna().tolist() == ["a caption"]
    report = rs.parse_report(df)
    assert report.accounted() and "unrecognised_marked_lines" not in report.decisions
    if ios:
        assert report.decisions["language"].split("-")[0] == lang.split("-")[0] or lang in ("el", "pt-BR")


@pytest.mark.parametrize("lang", ["ru", "ja", "ar", "de", "en", "hi"])
@pytest.mark.parametrize("ios", [True, False], ids=["ios", "android"])
def test_golden_exports_with_media_give_the_type_from_the_file_name(lang, ios):
    frame, want = golden_frame(lang, ios, with_media=True)
    df = read(
        render_whatsapp(frame, _layout(lang, ios), chat_name="Trip", with_media=True),
        tz="Europe/London",
        date_order="DMY",
    )
    assert df["kind"].astype(str).tolist() == frame["kind"].astype(str).tolist()
    assert df["sender"].tolist() == frame["sender"].tolist()
    assert df["media_type"].astype(object).where(df["media_type"].notna(), None).tolist() == want


def test_every_language_in_the_table_is_recognised():
    """One file per platform with every language's placeholders, deletions and missed calls."""
    for ios in (True, False):
        rows, kinds = [], []
        for i, (_lang, slots) in enumerate(sorted(LANGS.items())):
            mark = "\u200e" if ios else ""
            for slot, kind in (
                ("media.image" if ios else "media.omitted", "media"),
                ("deleted.theirs", "deleted"),
                ("deleted.yours", "deleted"),
                ("call.missed_voice", "call"),
            ):
                for value in slots.get(slot, [])[:1]:
                    head = f"[01/02/2024, 10:{i % 60:02d}:00] " if ios else f"01/02/2024, 10:{i % 60:02d} - "
                    rows.append(f"{head}Person {i}: {mark}{value}")
                    kinds.append(kind)
        df = read(("\n".join(rows) + "\n").encode(), date_order="DMY")
        assert df["kind"].astype(str).tolist() == kinds
        assert df["sender"].notna().all()


# -- never lose a sender ------------------------------------------------------------------------------


def test_unrecognised_marked_rows_keep_their_sender_and_are_reported_once():
    data = (
        "[17/03/2024, 21:05:00] Ana: \u200eкакая-то новая пометка\n"
        "[17/03/2024, 21:06:00] Bo: \u200e未知のプレースホルダー\n"
        "[17/03/2024, 21:07:00] Bo: \u200eLocation: https://maps.google.com/?q=1,2\n"
        "[17/03/2024, 21:08:00] Bo: \u200eIMAGE OMITTED\n"
        "[17/03/2024, 21:09:00] Ana: plain\n"
    ).encode()
    df = rs.read_chat(io.BytesIO(data))
    assert df["sender"].tolist() == ["Ana", "Bo", "Bo", "Bo", "Ana"]
    assert df["kind"].astype(str).tolist() == ["other", "other", "media", "media", "text"]
    assert df["media_type"].astype(object).tolist()[2:4] == ["location", "image"]
    assert df["text"].tolist()[:2] == ["какая-то новая пометка", "未知のプレースホルダー"]
    report = rs.parse_report(df)
    notes = [n for n in report.notices if "unrecognised marked line (language not covered?)" in n]
    assert len(notes) == 1 and notes[0].startswith("2 rows") and report.decisions["unrecognised_marked_lines"] == 2


def test_foreign_android_placeholders_are_not_text():
    data = (
        "01/02/2024, 10:00 - Иван: <Без медиафайлов>\n"
        "01/02/2024, 10:01 - Иван: Данное сообщение удалено\n"
        "01/02/2024, 10:02 - Мехмет: <Medya dahil edilmedi>\n"
        "01/02/2024, 10:03 - Мехмет: Bu mesaj silindi\n"
    ).encode()
    df = rs.read_chat(io.BytesIO(data), date_order="DMY")
    assert df["sender"].notna().all()
    assert df["kind"].astype(str).tolist() == ["media", "deleted", "media", "deleted"]
    assert df["media_type"].astype(object).tolist()[::2] == ["other", "other"]


names = (
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp", "Cf"), blacklist_characters=":\n\r"),
        min_size=1,
        max_size=12,
    )
    .map(str.strip)
    .filter(bool)
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    roster=st.lists(names, min_size=1, max_size=4, unique=True),
    lang=st.sampled_from(sorted(LANGS)),
    ios=st.booleans(),
    picks=st.lists(
        st.tuples(
            st.integers(0, 3),
            st.sampled_from(["text", "media", "deleted", "call", "marked"]),
            st.sampled_from(IOS_MEDIA + ["location"]),
        ),
        min_size=1,
        max_size=12,
    ),
)
def test_property_no_row_that_names_a_sender_loses_it(roster, lang, ios, picks):
    t0 = pd.Timestamp("2024-01-05 09:00", tz="UTC")
    rows = []
    for i, (who, kind, mt) in enumerate(picks):
        sender = roster[who % len(roster)]
        text = f"msg {i} 12345" if kind in ("text", "marked") else None
        rows.append((t0 + pd.Timedelta(minutes=i), sender, text, "text" if kind == "marked" else kind, mt))
    frame = rs.coerce(pd.DataFrame(rows, columns=["timestamp", "sender", "text", "kind", "media_type"]), tz="UTC")
    try:
        data = render_whatsapp(frame, _layout(lang, ios), chat_name="Group").decode("utf-8")
    except ValueError as exc:  # a platform the language has no strings for (iOS ships 42 languages)
        if "vocabulary has no" not in str(exc):
            raise
        reject()
    lines = data.split("\n")
    for i, (_, kind, _) in enumerate(picks):  # a participant's text behind a direction mark
        if kind == "marked":
            lines[i] = lines[i].replace(": msg", ": \u200emsg", 1)
    df = rs.read_chat(io.BytesIO("\n".join(lines).encode()), tz="UTC", date_order="DMY")
    assert len(df) == len(picks)
    assert df["sender"].tolist() == frame["sender"].tolist()
    assert not (df["kind"] == "system").any()


# -- header layouts of other locales (hand-written fixtures) ----------------------------------------

LAYOUT_GOLDEN = {
    "android_ar_arabic_indic.txt": (
        ["2022-03-12 22:30", "2022-03-13 11:05", "2022-03-13 12:00"],
        ["أحمد", "سارة", "سارة"],
        ["text", "text", "media"],
        "DMY",
    ),
    "ios_fa_gregorian_digits.txt": (
        ["2022-03-21 09:15", "2022-03-21 21:00:05"],
        ["علی", "مریم"],
        ["text", "media"],
        "YMD",
    ),
    "android_ko_marker_first.txt": (
        ["2022-03-18 14:56", "2022-03-18 00:05", "2022-03-19 12:30"],
        ["민수", "지은", "지은"],
        ["text"] * 3,
        "YMD",
    ),
    "android_zh_marker_first.txt": (["2022-03-18 14:56", "2022-03-18 09:05"], ["小明", "小红"], ["text"] * 2, "YMD"),
    "ios_ja_marker_first.txt": (
        ["2022-03-18 14:56:01", "2022-03-18 00:10"],
        ["太郎", "花子"],
        ["text", "media"],
        "YMD",
    ),
    "ios_ja_era.txt": (["2022-03-18 14:56:01", "2019-04-30 23:59:59"], ["太郎", "花子"], ["text"] * 2, "YMD"),
    "ios_th_buddhist.txt": (["2022-03-18 14:56:01", "2022-03-19 08:00"], ["สมชาย", "สมหญิง"], ["text", "media"], None),
    "ios_time_first.txt": (["2022-03-18 14:56:01", "2022-03-19 09:05"], ["Ann", "Bo"], ["text"] * 2, "MDY"),
    "ios_time_first_12h.txt": (["2022-03-18 14:56:01", "2022-03-19 09:05"], ["Ann", "Bo"], ["text"] * 2, "MDY"),
    "ios_dot_after_time.txt": (["2022-03-18 14:56:01"], ["Anna"], ["text"], "DMY"),
    "android_dot_after_time.txt": (["2022-03-18 14:56"], ["Anna"], ["text"], "DMY"),
    "android_no_comma.txt": (["2022-03-18 14:56"], ["Ana"], ["text"], "DMY"),
}


@pytest.mark.parametrize("name", sorted(LAYOUT_GOLDEN))
def test_golden_header_layouts_of_other_locales(name):
    stamps, senders, kinds, order = LAYOUT_GOLDEN[name]
    path = I18N / name
    assert rs.detect_format(path) == "whatsapp"
    df = rs.read_chat(path, tz="UTC", date_order=order if order in ("DMY", "MDY") else None)
    assert df["timestamp"].dt.tz_localize(None).tolist() == [pd.Timestamp(s) for s in stamps]
    assert df["sender"].tolist() == senders
    assert df["kind"].astype(str).tolist() == kinds
    report = rs.parse_report(df)
    assert report.accounted() and report.unplaced == 0
    # the message text is never touched by the header rewrite (its digits stay as written)
    body = path.read_text("utf-8").split("\n")[0]
    assert body.endswith(df["text"].iloc[0])


def test_arabic_multiline_keeps_its_continuation_and_digits():
    df = rs.read_chat(I18N / "android_ar_arabic_indic.txt", tz="UTC", date_order="DMY")
    assert df["text"].tolist()[:2] == ["مرحبا ١٢٣", "أهلا\nسطر ثان"]
    assert "digits in a non-Latin script read as 0-9" in rs.parse_report(df).decisions["header_rewrites"]


@pytest.mark.parametrize("layout", sorted(k for k, v in LAYOUTS.items() if v.rewritten))
def test_rewritten_layouts_round_trip_exactly(layout):
    t0 = pd.Timestamp("2024-01-13 00:00:07", tz="UTC")
    rows = [(t0 + pd.Timedelta(hours=h, minutes=7 * h), f"P{h % 3}", f"m {h}", "text") for h in range(0, 48, 5)]
    frame = rs.coerce(pd.DataFrame(rows, columns=["timestamp", "sender", "text", "kind"]), tz="UTC")
    df = read(render_whatsapp(frame, layout), tz="UTC")
    want = frame["timestamp"] if "ss" in LAYOUTS[layout].time else frame["timestamp"].dt.floor("min")
    assert df["timestamp"].tolist() == want.tolist()
    assert df["sender"].tolist() == frame["sender"].tolist() and df["text"].tolist() == frame["text"].tolist()


# -- impossible 12 h times ----------------------------------------------------------------------------


@pytest.mark.parametrize("ios", [False, True])
def test_impossible_12h_times_are_read_as_their_only_meaning(ios):
    fmt = "[{d}, {t}] {s}: {x}" if ios else "{d}, {t} - {s}: {x}"
    rows = [
        ("3/14/24", "11:58 PM", "Ann", "a"),
        ("3/14/24", "23:59 PM", "Bo", "b"),
        ("3/15/24", "00:04 AM", "Ann", "c"),
        ("3/15/24", "1:00 AM", "Bo", "d"),
    ]
    data = "\n".join(fmt.format(d=d, t=t, s=s, x=x) for d, t, s, x in rows) + "\n"
    df = rs.read_chat(io.BytesIO(data.encode()), tz="UTC")
    assert df["timestamp"].dt.strftime("%m-%d %H:%M").tolist() == [
        "03-14 23:58",
        "03-14 23:59",
        "03-15 00:04",
        "03-15 01:00",
    ]
    report = rs.parse_report(df)
    assert report.decisions["salvaged_12h_times"] == 2 and report.unplaced == 0
    assert any("impossible 12-hour times" in n for n in report.notices)


def test_an_hour_above_23_is_still_a_problem():
    data = "3/14/24, 11:58 PM - Ann: a\n3/14/24, 25:10 PM - Bo: b\n3/15/24, 1:00 AM - Ann: c\n"
    df = rs.read_chat(io.BytesIO(data.encode()), tz="UTC", errors="ignore")
    assert df["sender"].tolist() == ["Ann", "Ann"] and rs.parse_report(df).problems


# -- day/month order from the layout --------------------------------------------------------------------


def _short_chat(notice: str, stamp_fmt: str = "{m}/{d}/24, 10:0{i}") -> bytes:
    days = [(1, 2), (1, 2), (2, 3)]  # every value <= 12, runs forward either way
    lines = [
        stamp_fmt.format(m=m, d=d, i=i) + " - " + (notice if i == 0 else f"Ana: m{i}") for i, (m, d) in enumerate(days)
    ]
    return ("\n".join(lines) + "\n").encode()


def test_notice_language_decides_between_locales_with_the_same_header_shape():
    en = rs.read_chat(
        _short_chat("Messages to this group are now secured with end-to-end encryption. Tap for more info.")
    )
    es = rs.read_chat(_short_chat(LANGS["es"]["system.encryption"][0]))
    assert rs.parse_report(en).decisions["date_order"] == "MDY"  # 'M/d/yy' + 24 h + English: en-US-like
    assert rs.parse_report(es).decisions["date_order"] == "DMY"  # 'd/M/yy' + 24 h + Spanish
    for df in (en, es):
        assert rs.parse_report(df).decisions["date_order_evidence"].startswith("layout:")
    assert en["timestamp"].dt.month.tolist()[0] == 1 and es["timestamp"].dt.month.tolist()[0] == 2


def test_a_shape_both_orders_write_is_still_ambiguous_and_names_the_fix():
    from reconnect_signals.errors import AmbiguousDateOrder

    with pytest.raises(AmbiguousDateOrder, match="date_order='DMY'.*|use both orders"):
        rs.read_chat(_short_chat("Ana: hello"))
    df = rs.read_chat(_short_chat("Ana: hello"), date_order="DMY")
    assert rs.parse_report(df).decisions["date_order"] == "DMY (given)"


def test_padded_four_digit_year_is_day_first():
    df = rs.read_chat(_short_chat("Ana: hi", "{m:02d}/{d:02d}/2024, 10:0{i}"))
    report = rs.parse_report(df)
    assert report.decisions["date_order"] == "DMY" and "4-digit year" in report.decisions["date_order_evidence"]


# -- detection ------------------------------------------------------------------------------------------

SIGNAL_MD = (
    "[2024-06-01 10:00:00] Sam: hi  \n\n[2024-06-01 10:01:00] Me: (This message was deleted)  \n\n"
    "[2024-06-01 10:02:00] Sam: ok  \n\n"
)


def test_whatsapp_does_not_claim_a_signal_chat_md_for_a_shared_phrase(tmp_path):
    from reconnect_signals.io import Source
    from reconnect_signals.io.whatsapp import _sniff

    path = tmp_path / "chat.md"
    path.write_text(SIGNAL_MD, "utf-8")
    assert _sniff(Source(SIGNAL_MD.encode())) <= 0.5
    assert rs.detect_format(path) != "whatsapp"
    old = "[2024-06-01, 10:00] Sam: hi\n[2024-06-01, 10:01] Me: (This message was deleted)\n"
    assert _sniff(Source(old.encode())) <= 0.8  # the phrase inside parentheses is not WhatsApp's


def test_whatsapp_phrases_still_raise_the_score_when_they_are_the_body():
    from reconnect_signals.io import Source
    from reconnect_signals.io.whatsapp import _sniff

    data = "[2024-06-01, 10:00:00] Sam: hi\n[2024-06-01, 10:01:00] Bo: This message was deleted\n"
    assert _sniff(Source(data.encode())) >= 0.97
    ru = "[01.06.2024, 10:00:00] Иван: Данное сообщение удалено\n"
    assert _sniff(Source(ru.encode())) >= 0.97


# -- every CLDR short-date shape round-trips -------------------------------------------------------------


def _cldr_layouts():
    from reconnect_signals.io._whatsapp_vocab import locale_shapes

    out = []
    for row in locale_shapes():
        day = "DD" if row["dpad"] else "D"
        month = "MM" if row["mpad"] else "M"
        year = "YY" if row["ydigits"] == 2 else "YYYY"
        fields = {"D": day, "M": month, "Y": year}
        date = row["sep"].join(fields[c] for c in row["order"])
        clock = "h:mm a" if row["clock"] == 12 else "HH:mm"
        if row["order"] == "YMD" and row["ydigits"] == 2 and "ko" not in row["languages"]:
            continue  # 'yy/M/d' (eu, ne, ...): no WhatsApp notices in those languages to tell it from d/M/yy
        lang = "ko" if row["order"] == "YMD" and row["ydigits"] == 2 else "en"
        for ios in (False, True):
            name = f"{'ios' if ios else 'android'}_{row['order']}{row['sep']}{date}_{row['clock']}"
            out.append(
                LAYOUTS["ios_dmy_ss_en" if ios else "android_dmy_24h_en"].with_(
                    name=name, date=date, time=clock + (":ss" if ios and row["clock"] == 24 else ""), lang=lang
                )
            )
    return {lay.name: lay for lay in out}


@pytest.mark.parametrize("name", sorted(_cldr_layouts()))
def test_every_cldr_short_date_shape_round_trips(name):
    lay = _cldr_layouts()[name]
    t0 = pd.Timestamp("2024-01-13 09:00:00", tz="UTC")  # day 13: the order is never in doubt
    rows = [
        (
            t0 + pd.Timedelta(days=3 * i, hours=i),
            f"P{i % 2}",
            f"m {i}" if i != 2 else None,
            "text" if i != 2 else "deleted",
        )
        for i in range(6)
    ]
    frame = rs.coerce(pd.DataFrame(rows, columns=["timestamp", "sender", "text", "kind"]), tz="UTC")
    df = read(render_whatsapp(frame, lay), tz="UTC")
    assert df["timestamp"].tolist() == frame["timestamp"].tolist()
    assert df["sender"].tolist() == frame["sender"].tolist() and df["text"].tolist() == frame["text"].tolist()
