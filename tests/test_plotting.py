"""Tests of reconnect_signals.plotting: the artists each plot draws, not just that it runs."""

from __future__ import annotations

import importlib.util

import numpy as np
import pandas as pd
import pytest

import reconnect_signals as rs
from reconnect_signals.plotting import OKABE_ITO, OTHERS_COLOUR, sender_palette


@pytest.fixture(scope="module")
def plt():
    """matplotlib.pyplot on Agg, imported by the tests that draw, not while collecting (the conftest closes figures)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot

    return matplotlib.pyplot


def _has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


needs_table = pytest.mark.skipif(
    not (_has("reconnect_signals.table") and _has("reconnect_signals.structure") and _has("reconnect_signals.cues")),
    reason="rs.cue_table / rs.add_structure not committed yet",
)


def _rgb(color) -> tuple:
    import matplotlib.colors as mcolors

    return tuple(np.round(mcolors.to_rgb(color), 4))


@pytest.fixture
def weekly():
    """A hand-made per-sender weekly cue table (the shape rs.cue_table(by='sender', freq='W') returns)."""
    windows = pd.to_datetime(["2025-03-24", "2025-03-31", "2025-04-07"]).tz_localize("Europe/London")
    return pd.DataFrame(
        {
            "sender": ["Sam", "Sam", "Sam", "Alex", "Alex", "Alex"],
            "window": list(windows) * 2,
            "messages": [10, 0, 30, 30, 0, 10],
            "words": [50, 0, 90, 150, 0, 10],
            "i_rate": [4.0, np.nan, 2.0, 1.0, np.nan, 3.0],
            "we_rate": [0.5, np.nan, 1.5, 0.0, np.nan, 1.0],
            "you_rate": [2.0, np.nan, 2.5, 3.0, np.nan, 1.0],
            "i_statement_rate": [0.1, np.nan, 0.2, 0.0, np.nan, 0.5],
            "question_rate": [0.3, np.nan, 0.1, 0.2, np.nan, 0.4],
            "sentiment_mean": [0.25, np.nan, -0.5, 0.1, np.nan, 0.0],
            "latency_median_s": [120.0, np.nan, 7200.0, 0.0, np.nan, 86400.0],
            "initiation_share": [0.25, np.nan, 1.0, 0.75, np.nan, 0.0],
        }
    )


def _messages(rows, tz="Europe/London"):
    raw = pd.DataFrame(rows, columns=["timestamp", "sender", "text", "kind"])
    return rs.coerce(raw, tz=tz)


# --------------------------------------------------------------------------- palette


def test_sender_palette_is_sorted_and_stable():
    pal = sender_palette(["Sam", "Alex", "Sam", None, float("nan")])
    assert pal == {"Alex": OKABE_ITO[0], "Sam": OKABE_ITO[1]}
    assert sender_palette(["Alex", "Sam"]) == sender_palette(pd.Series(["Sam", "Alex"]))
    # issue 16: colours must not repeat between people (they cycled after eight before)
    many = sender_palette([f"p{i:02d}" for i in range(17)])
    assert len(set(many.values())) == 17 and OTHERS_COLOUR not in many.values()
    assert many["p08"] != OKABE_ITO[0]


# --------------------------------------------------------------------------- timeline


def test_cue_timeline_lines_per_sender_and_cue(weekly, plt):
    fig, ax = plt.subplots()
    out = rs.plot_cue_timeline(weekly, cues=["we_rate", "i_statement_rate"], ax=ax)
    assert out is ax
    labels = [line.get_label() for line in ax.lines]
    assert labels == ["Alex: 'we' words", "Alex: I-statements", "Sam: 'we' words", "Sam: I-statements"]
    pal = sender_palette(weekly["sender"])
    assert _rgb(ax.lines[0].get_color()) == _rgb(pal["Alex"])
    assert _rgb(ax.lines[2].get_color()) == _rgb(pal["Sam"])
    # cue -> line style, sender -> colour
    assert ax.lines[0].get_linestyle() == ax.lines[2].get_linestyle() == "-"
    assert ax.lines[1].get_linestyle() == "--"
    # rates of words as is, shares of messages as percentages; the empty week stays a gap
    np.testing.assert_allclose(ax.lines[2].get_ydata(), [0.5, np.nan, 1.5])
    np.testing.assert_allclose(ax.lines[1].get_ydata(), [0.0, np.nan, 50.0])
    # x is the wall clock of the chat's time zone (BST week start stays at midnight)
    x = pd.to_datetime(ax.lines[0].get_xdata())
    assert list(x) == list(pd.to_datetime(["2025-03-24", "2025-03-31", "2025-04-07"]))
    assert ax.get_ylabel() == "value (see legend)"
    assert ax.get_title() == "'we' words, I-statements per week"
    assert ax.get_xlabel() == "week starting"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == labels


def test_cue_timeline_units_and_default_axes(weekly, plt):
    fig = plt.figure()
    ax = rs.plot_cue_timeline(weekly)  # default cues i/we/you, on plt.gca()
    assert ax is fig.axes[0]
    assert len(ax.lines) == 6
    assert ax.get_ylabel() == "% of words"
    fig2, ax2 = plt.subplots()
    rs.plot_cue_timeline(weekly, cues="sentiment_mean", ax=ax2)
    assert ax2.get_ylabel() == "mean VADER compound (-1 to 1)"
    np.testing.assert_allclose(ax2.lines[1].get_ydata(), [0.25, np.nan, -0.5])


def test_cue_timeline_palette_override_and_kwargs(weekly, plt):
    fig, ax = plt.subplots()
    rs.plot_cue_timeline(weekly, cues=["i_rate"], palette={"Alex": "red", "Sam": "green"}, ax=ax, linewidth=4)
    assert _rgb(ax.lines[0].get_color()) == _rgb("red")
    assert ax.lines[1].get_linewidth() == 4


def test_cue_timeline_errors_name_the_fix(weekly, plt):
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match=r"no column\(s\) \['apology_rate'\].*rs.cue_table"):
        rs.plot_cue_timeline(weekly, cues=["apology_rate"], ax=ax)
    twice = pd.concat([weekly.assign(conversation_id="a"), weekly.assign(conversation_id="b")])
    with pytest.raises(ValueError, match="several rows per"):
        rs.plot_cue_timeline(twice, ax=ax)
    with pytest.raises(TypeError, match="DataFrame"):
        rs.plot_cue_timeline([1, 2], ax=ax)
    before = weekly.copy()
    rs.plot_cue_timeline(weekly, ax=ax)
    pd.testing.assert_frame_equal(weekly, before)  # input untouched


# --------------------------------------------------------------------------- latency


def _step_heights(patch) -> float:
    return float(np.max(patch.get_path().vertices[:, 1]))


def test_latency_histogram_medians_and_floor(plt):
    per_message = pd.DataFrame(
        {
            "sender": ["Sam", "Alex", "Sam", "Alex", "Sam", "Alex", "Sam"],
            "latency_s": [np.nan, 0.0, 45.0, 600.0, 3600.0, 600.0, 86400.0],
        }
    )
    fig, ax = plt.subplots()
    rs.plot_latency(per_message, ax=ax)
    assert ax.get_xscale() == "log"
    assert ax.get_title() == "Reply latency per sender"
    assert ax.get_ylabel() == "replies"
    assert len(ax.patches) == 2  # one step outline per sender
    pal = sender_palette(per_message["sender"])
    assert _rgb(ax.patches[0].get_edgecolor()) == _rgb(pal["Alex"])
    assert _rgb(ax.patches[1].get_edgecolor()) == _rgb(pal["Sam"])
    # Alex: 0 s (drawn at the 30 s floor), 600, 600 -> tallest bin holds the two 10-minute replies
    assert float(ax.patches[0].get_path().vertices[:, 0].min()) == pytest.approx(30.0)
    assert _step_heights(ax.patches[0]) == 2
    medians = {line.get_label(): float(line.get_xdata()[0]) for line in ax.lines}
    assert medians == {"Alex median 10 min": 600.0, "Sam median 1 h": 3600.0}
    assert ax.get_xlim()[0] == pytest.approx(30.0)
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks == ["1 min", "10 min", "1 h", "6 h", "1 day"]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Alex (n=3)" in legend and "Sam (n=3)" in legend


def test_latency_minute_resolution_bins(plt):
    # WhatsApp keeps minutes only: latencies are 0, 60, 120, ... seconds
    per_message = pd.DataFrame(
        {"sender": ["A"] * 6 + ["B"] * 3, "latency_s": [0, 0, 0, 60, 120, 7200, 60, 60, 180]}
    ).astype({"latency_s": float})
    fig, ax = plt.subplots()
    rs.plot_latency(per_message, ax=ax)
    path = ax.patches[0].get_path().vertices
    assert path[:, 0].min() == pytest.approx(15.0)  # the "0" bin starts at half the floor
    heights = {round(float(x), 6): float(y) for x, y in path[1:-1:2]}
    assert heights[15.0] == 3  # three replies within the same minute
    assert heights[30.0] == 1 and heights[90.0] == 1  # one at 1 min, one at 2 min: no empty teeth
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[:3] == ["0", "1 min", "10 min"]
    medians = {line.get_label(): float(line.get_xdata()[0]) for line in ax.lines}
    assert medians["A median 30 s"] == pytest.approx(30.0)
    assert medians["B median 1 min"] == 60.0


def test_latency_without_replies_says_so(plt):
    fig, ax = plt.subplots()
    rs.plot_latency(pd.DataFrame({"sender": ["A"], "latency_s": [np.nan]}), ax=ax)
    assert not ax.patches
    assert "no replies" in ax.texts[0].get_text()


def test_latency_trend(weekly, plt):
    fig, ax = plt.subplots()
    rs.plot_latency_trend(weekly, ax=ax)
    assert ax.get_yscale() == "log"
    assert [line.get_label() for line in ax.lines] == ["Alex", "Sam"]
    # a 0 s median (same-minute replies) is drawn at 1 s; a window without replies is a gap
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [1.0, np.nan, 86400.0])
    np.testing.assert_allclose(ax.lines[1].get_ydata(), [120.0, np.nan, 7200.0])
    assert ax.get_title() == "Median reply latency per week"
    assert "1 h" in [t.get_text() for t in ax.get_yticklabels()]


# --------------------------------------------------------------------------- heatmap


def test_activity_heatmap_counts_in_local_time(plt):
    msgs = _messages(
        [
            ("2025-03-29 23:30", "Alex", "sat night", "text"),  # Saturday, GMT
            ("2025-03-30 09:15", "Sam", "sunday morning (BST)", "text"),  # after the DST switch
            ("2025-03-30 09:45", "Alex", "photo", "media"),
            ("2025-03-31 21:00", "Sam", "monday", "text"),
            ("2025-03-31 21:05", None, "Messages are end-to-end encrypted", "system"),
        ]
    )
    fig, ax = plt.subplots()
    rs.plot_activity_heatmap(msgs, ax=ax)
    counts = ax.images[0].get_array()
    assert counts.shape == (7, 24)
    assert counts[5, 23] == 1 and counts[6, 9] == 2 and counts[0, 21] == 1
    assert counts.sum() == 4  # the system row is left out
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert ax.get_xlabel() == "hour of day (Europe/London)"
    assert len(fig.axes) == 2  # the colour bar
    assert fig.axes[1].get_ylabel() == "messages"
    fig2, ax2 = plt.subplots()
    rs.plot_activity_heatmap(msgs, sender="Sam", cbar=False, ax=ax2)
    assert ax2.images[0].get_array().sum() == 2 and len(fig2.axes) == 1
    assert ax2.get_title() == "Messages by weekday and hour (Sam)"


def test_activity_heatmap_needs_messages(weekly):
    with pytest.raises(ValueError, match="timestamp"):
        rs.plot_activity_heatmap(weekly.drop(columns="window"))


# --------------------------------------------------------------------------- bars


def test_initiation_stacked_shares(weekly, plt):
    fig, ax = plt.subplots()
    rs.plot_initiation(weekly, ax=ax)
    heights = [round(float(p.get_height()), 6) for p in ax.patches]
    # Alex first (sorted), then Sam stacked on top; the week without sessions has no bar
    assert heights == [75.0, 0.0, 0.0, 25.0, 0.0, 100.0]
    bottoms = [round(float(p.get_y()), 6) for p in ax.patches]
    assert bottoms == [0.0, 0.0, 0.0, 75.0, 0.0, 0.0]
    pal = sender_palette(weekly["sender"])
    assert _rgb(ax.patches[0].get_facecolor()) == _rgb(pal["Alex"])
    assert _rgb(ax.patches[3].get_facecolor()) == _rgb(pal["Sam"])
    assert ax.get_ylim() == (0.0, 100.0)
    assert ax.get_ylabel() == "% of sessions opened"
    assert ax.lines[0].get_ydata()[0] == 50  # even split reference


def test_balance_share_counts_and_words(weekly, plt):
    fig, axes = plt.subplots(1, 3)
    rs.plot_balance(weekly, ax=axes[0])
    assert [float(p.get_height()) for p in axes[0].patches] == [75.0, 0.0, 25.0, 25.0, 0.0, 75.0]
    assert axes[0].get_ylabel() == "% of the week's messages"
    rs.plot_balance(weekly, share=False, ax=axes[1])
    assert [float(p.get_height()) for p in axes[1].patches] == [30.0, 0.0, 10.0, 10.0, 0.0, 30.0]
    assert axes[1].get_ylabel() == "messages per week"
    assert not axes[1].lines  # no even-split line on counts
    rs.plot_balance(weekly, measure="words", ax=axes[2])
    assert [round(float(p.get_height()), 4) for p in axes[2].patches] == [75.0, 0.0, 10.0, 25.0, 0.0, 90.0]
    with pytest.raises(ValueError, match="measure"):
        rs.plot_balance(weekly, measure="emoji")


def test_same_sender_same_colour_in_every_figure(weekly, plt):
    pal = sender_palette(weekly["sender"])
    fig, axes = plt.subplots(2, 2)
    rs.plot_cue_timeline(weekly, ax=axes[0, 0])
    rs.plot_latency_trend(weekly, ax=axes[0, 1])
    rs.plot_initiation(weekly, ax=axes[1, 0])
    rs.plot_balance(weekly, ax=axes[1, 1])
    for sender, colour in pal.items():
        seen = set()
        for ax in axes.ravel():
            seen |= {_rgb(line.get_color()) for line in ax.lines if line.get_label().startswith(sender)}
            seen |= {_rgb(p.get_facecolor()) for p in ax.patches if p.get_label() == sender}
        assert seen == {_rgb(colour)}


# --------------------------------------------------------------------------- style matching


def test_style_matching_line_band_and_gaps(plt):
    lsm = pd.DataFrame(
        {
            "conversation_id": ["c1"] * 3,
            "window": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01"]).tz_localize("Europe/London"),
            "sender_a": ["Alex"] * 3,
            "sender_b": ["Sam"] * 3,
            "words_a": [400, 10, 300],
            "words_b": [380, 5, 260],
            "lsm": [0.81, np.nan, 0.9],
        }
    )
    fig, ax = plt.subplots()
    rs.plot_style_matching(lsm, ax=ax)
    assert [line.get_label() for line in ax.lines] == ["Alex & Sam"]
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [0.81, np.nan, 0.9])
    band = ax.patches[0]
    ys = band.get_path().vertices[:, 1] if hasattr(band, "get_path") else None
    assert band.get_label() == "typical range .75-.95"
    assert ys is not None
    assert ax.get_ylim() == (0.0, 1.0)
    assert ax.get_title() == "Language style matching per month"
    assert not ax.texts


def test_style_matching_several_conversations_and_thin_data(plt):
    lsm = pd.DataFrame(
        {
            "conversation_id": ["c1", "c1", "c2", "c2"],
            "window": pd.to_datetime(["2025-01-01", "2025-02-01"] * 2).tz_localize("UTC"),
            "sender_a": ["A", "A", "C", "C"],
            "sender_b": ["B", "B", "D", "D"],
            "lsm": [np.nan] * 4,
        }
    )
    fig, ax = plt.subplots()
    rs.plot_style_matching(lsm, ax=ax)
    assert [line.get_label() for line in ax.lines] == ["c1: A & B", "c2: C & D"]
    assert _rgb(ax.lines[0].get_color()) != _rgb(ax.lines[1].get_color())
    assert "not enough words" in ax.texts[0].get_text()


# --------------------------------------------------------------------------- on real messages


@needs_table
def test_plots_accept_a_message_frame(plt):
    msgs = _messages(
        [
            ("2025-01-06 20:00", "Alex", "hey how are you?", "text"),
            ("2025-01-06 20:05", "Sam", "im good, we should talk", "text"),
            ("2025-01-06 20:30", "Alex", "I feel like we could", "text"),
            ("2025-01-14 09:00", "Sam", "morning! did you sleep ok?", "text"),
            ("2025-01-14 10:00", "Alex", "yes haha", "text"),
        ]
    )
    fig, axes = plt.subplots(2, 2)
    rs.plot_cue_timeline(msgs, ax=axes[0, 0])
    assert len(axes[0, 0].lines) == 6
    rs.plot_latency(msgs, ax=axes[0, 1])
    labels = sorted(line.get_label() for line in axes[0, 1].lines)
    # Sam's message a week later opens a session: a silence, not a reply
    assert labels == ["Alex median 42 min", "Sam median 5 min"]
    table = rs.cue_table(msgs, by="sender")
    assert table["latency_median_s"].tolist() == [2550.0, 300.0]
    rs.plot_initiation(msgs, ax=axes[1, 0])
    rs.plot_balance(msgs, ax=axes[1, 1])
    # two weeks: Alex wrote 2 of 3, then 1 of 2 messages
    heights = [round(float(p.get_height()), 3) for p in axes[1, 1].patches]
    assert heights == [66.667, 50.0, 33.333, 50.0]


@needs_table
@pytest.mark.skipif(not _has("reconnect_signals.datasets"), reason="rs.load_example not committed yet")
def test_dashboard_on_the_example():
    msgs = rs.load_example()
    fig = rs.plot_dashboard(msgs)
    panels = [ax for ax in fig.axes if ax.get_title()]
    assert len(panels) == 10
    titles = [ax.get_title() for ax in panels]
    assert "Reply latency per sender" in titles
    assert "Language style matching per month" in titles
    pal = sender_palette(msgs.loc[msgs["kind"].ne("system"), "sender"])
    assert set(pal) == {"Alex", "Sam"}
    checked = 0
    for ax in panels:
        for line in ax.lines:
            for sender, colour in pal.items():
                label = line.get_label()
                if label == sender or label.startswith((f"{sender}:", f"{sender} median")):
                    assert _rgb(line.get_color()) == _rgb(colour)
                    checked += 1
    assert checked == 2 * (3 + 2 + 1 + 1 + 1)  # timelines, latency medians, latency trend
    assert fig.get_suptitle().startswith("Conversation cues")


def test_dashboard_computes_the_message_cues_once(monkeypatch):
    import reconnect_signals.cues as cues_module

    calls = []
    real = cues_module.message_cues
    monkeypatch.setattr(cues_module, "message_cues", lambda *a, **k: calls.append(1) or real(*a, **k))
    fig = rs.plot_dashboard(rs.load_example())
    assert len(calls) == 1
    assert len([ax for ax in fig.axes if ax.get_title()]) == 10


def test_empty_tables_draw_a_note_not_a_warning(weekly, recwarn, plt):
    empty = weekly.iloc[:0]
    fig, axes = plt.subplots(1, 3)
    rs.plot_cue_timeline(empty, ax=axes[0])
    rs.plot_balance(empty, ax=axes[1])
    rs.plot_initiation(empty, ax=axes[2])
    for ax in axes:
        assert not ax.lines or ax.lines[0].get_ydata()[0] == 50  # only the even-split reference
        assert ax.texts[0].get_text() == "no messages to draw"
        assert ax.get_legend() is None
    assert not [w for w in recwarn if "legend" in str(w.message)]


def test_importing_the_seeing_modules_does_not_import_matplotlib():
    import subprocess
    import sys

    code = (
        "import sys, reconnect_signals, reconnect_signals.plotting, reconnect_signals._html_report, "
        "reconnect_signals.cli; print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@needs_table
def test_example_style_matching_and_heatmap_match_the_functions(plt):
    msgs = rs.load_example()
    fig, axes = plt.subplots(1, 2)
    rs.plot_style_matching(msgs, ax=axes[0])
    expected = rs.style_matching(msgs, freq="MS").sort_values("window")
    np.testing.assert_allclose(axes[0].lines[0].get_ydata(), expected["lsm"].to_numpy(dtype=float))
    assert axes[0].lines[0].get_label() == f"{expected['sender_a'].iloc[0]} & {expected['sender_b'].iloc[0]}"
    assert np.nanmin(expected["lsm"]) > 0.5  # a real pair, not an empty line
    rs.plot_activity_heatmap(msgs, ax=axes[1], cbar=False)
    people = msgs[msgs["kind"].ne("system") & msgs["sender"].notna()]
    counts = axes[1].images[0].get_array()
    assert counts.sum() == len(people)
    evening = people["timestamp"].dt.hour.between(18, 23).sum()
    assert counts[:, 18:].sum() == evening


# --------------------------------------------------------------------------- issue 16: thin data, short chats, calendar


def test_thin_windows_are_hollow_points_with_hover_texts(weekly, plt):
    fig, ax = plt.subplots()
    rs.plot_cue_timeline(weekly, cues=["we_rate"], min_n=20, ax=ax)
    # Sam: 10, 0, 30 messages; Alex: 30, 0, 10 -> one thin window each (the empty week is a gap)
    assert len(ax.lines) == 2
    hollow = [c for c in ax.collections if c.get_label() == "_thin"]
    assert len(hollow) == 2 and [len(c.get_offsets()) for c in hollow] == [1, 1]
    assert all(tuple(np.round(fc[:3], 3)) == (1.0, 1.0, 1.0) for c in hollow for fc in c.get_facecolors())
    alex = ax.lines[0]
    assert alex._rs_tips == ["Alex, week of 24 Mar 2025: 'we' words 0 % of words (n = 30 messages)"]
    assert hollow[0]._rs_tips == ["Alex, week of 07 Apr 2025: 'we' words 1 % of words (n = 10 messages) - thin data"]
    fig2, ax2 = plt.subplots()
    rs.plot_cue_timeline(weekly, cues=["we_rate"], min_n=None, ax=ax2)
    assert not ax2.collections and len(ax2.lines[0]._rs_tips) == 2


def test_latency_trend_marks_thin_windows_and_speaks_durations(weekly, plt):
    fig, ax = plt.subplots()
    rs.plot_latency_trend(weekly, min_n=20, ax=ax)
    tips = [t for line in ax.lines for t in line._rs_tips]
    assert "Sam, week of 07 Apr 2025: median reply latency 2.0 h (n = 30 messages)" in tips
    assert sum(len(c.get_offsets()) for c in ax.collections) == 2


def test_latency_histogram_has_whole_reply_ticks(plt):
    per_message = pd.DataFrame({"sender": ["A", "B", "A"], "latency_s": [60.0, 120.0, 600.0]})
    fig, ax = plt.subplots()
    rs.plot_latency(per_message, ax=ax)
    fig.canvas.draw()
    ticks = [t for t in ax.get_yticks() if ax.get_ylim()[0] <= t <= ax.get_ylim()[1]]
    assert ticks and all(float(t).is_integer() for t in ticks)


def test_short_chat_gets_a_day_axis_not_years(plt):
    one_day = pd.DataFrame(
        {
            "sender": ["A", "B"],
            "window": pd.to_datetime(["2025-06-14", "2025-06-14"]).tz_localize("Europe/London"),
            "messages": [12, 9],
            "we_rate": [1.0, 2.0],
        }
    )
    fig, ax = plt.subplots()
    rs.plot_cue_timeline(one_day, cues=["we_rate"], ax=ax)
    lo, hi = ax.get_xlim()
    assert 3.5 <= hi - lo <= 4.5  # four days around the single window, not matplotlib's four years


def test_calendar_counts_days_and_streaks(plt):
    msgs = _messages(
        [
            ("2025-01-06 21:15", "A", "hi", "text"),
            ("2025-01-07 09:40", "B", "hey", "text"),
            ("2025-01-07 10:00", "A", "so?", "text"),
            ("2025-01-07 10:01", None, "A joined", "system"),
            ("2025-01-10 09:00", "A", "morning", "text"),
            ("2025-01-11 09:00", "A", "again", "text"),
            ("2025-01-12 23:30", "B", "late", "text"),
        ]
    )
    fig, ax = plt.subplots()
    rs.plot_calendar(msgs, ax=ax)
    poly = ax.collections[0]
    assert poly.get_array().tolist() == [1, 2, 0, 0, 1, 1, 1]  # system rows are nobody's
    assert ax.get_title() == "Messages per day (longest streak: 3 days, 10 Jan 2025 to 12 Jan 2025)"
    assert poly._rs_tips[1] == "Tue 07 Jan 2025: 2 messages"
    fig2, ax2 = plt.subplots()
    rs.plot_calendar(msgs, sender="B", ax=ax2)
    assert ax2.collections[0].get_array().sum() == 2 and "(B)" in ax2.get_title()
    fig3, ax3 = plt.subplots()
    rs.plot_calendar(msgs.iloc[:0], ax=ax3)
    assert "no messages" in ax3.texts[0].get_text()


def test_dashboard_of_a_group_pools_the_others(recwarn):
    rng = np.random.default_rng(3)
    names = [f"P{i:02d}" for i in range(12)]
    n = 1500
    msgs = rs.coerce(
        pd.DataFrame(
            {
                "timestamp": pd.Timestamp("2025-01-06")
                + pd.to_timedelta(np.sort(rng.uniform(0, 90 * 86400, n)), unit="s"),
                "sender": rng.choice(names, n, p=np.linspace(2, 1, 12) / np.linspace(2, 1, 12).sum()),
                "text": rng.choice(["we should go", "I miss you", "haha ok", "are you home?"], n),
            }
        ),
        tz="Europe/London",
    )
    fig = rs.plot_dashboard(msgs, top=4)
    labels = {line.get_label().split(":")[0] for line in fig.axes[0].lines}
    assert len(labels) == 5 and "others (8 people)" in labels
    colours = {_rgb(line.get_color()) for line in fig.axes[0].lines}
    assert len(colours) == 5 and _rgb("#999999") in colours
    assert "(12 senders)" in fig._suptitle.get_text()
    assert not [w for w in recwarn if "constrained_layout" in str(w.message)]
