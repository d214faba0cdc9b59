"""Latency panels: the latency window, 1-based turns, page figures next to the server's."""

from __future__ import annotations

from typing import Any

from workbench.app.ui.latency_render import (
    PageFigures,
    latency_window,
    page_summary_rows,
    summary_markdown,
    timeline_figure,
    turn_markdown,
)
from workbench.relay.timeline import SessionTimeline


def _turn(stages: list[tuple[str, float]], index: int = 0) -> dict[str, Any]:
    session = SessionTimeline()
    turn = session.new_turn()
    for _ in range(index):
        turn = session.new_turn()
    for stage, t in stages:
        turn.mark(stage, t)
    return turn.to_dict()


VAD_TURN = [
    ("first_input_audio", 0.0),
    ("speech_started", 5000.0),
    ("speech_stopped", 6900.0),
    ("response_created", 6903.0),
    ("first_audio_delta", 7200.0),
    ("first_audio_out", 7201.0),
    ("first_playout", 7260.0),
    ("last_audio_delta", 9000.0),
    ("done", 9001.0),
]
COMMIT_TURN = [
    ("first_input_audio", 0.0),
    ("commit", 1000.0),
    ("response_create", 1001.0),
    ("first_audio_delta", 1300.0),
    ("first_audio_out", 1302.0),
    ("done", 3000.0),
]


def test_the_window_runs_from_the_end_of_speech_to_the_first_audio() -> None:
    window = latency_window(_turn(VAD_TURN)["stages_ms"])
    assert window is not None and window.origin == "speech_stopped"
    # 360 ms from VAD stop to the page's first playout; margin max(50, 36) on both sides
    assert (window.from_ms, window.to_ms) == (-50.0, 410.0)
    assert [s for s, _ in window.inside] == [
        "speech_stopped",
        "response_created",
        "first_audio_delta",
        "first_audio_out",
        "first_playout",
    ]
    outside = dict(window.outside)
    assert outside["speech_started"] == -1900.0 and outside["done"] == 2101.0
    commit = latency_window(_turn(COMMIT_TURN)["stages_ms"])
    assert commit is not None and commit.origin == "commit" and commit.to_ms == 352.0
    assert latency_window({"first_input_audio": 0.0}) is None


def test_the_plot_shows_the_window_not_the_utterance() -> None:
    fig = timeline_figure(_turn(VAD_TURN, index=2))
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "speech_stopped" and "speech_started" not in labels  # first on top
    assert ax.get_xlim() == (-50.0, 410.0)
    assert "Turn 3" in ax.get_title()  # turn_index 2, counted from 1 for people
    assert "end of your speech (server VAD)" in ax.get_xlabel()
    assert "speech_started -1900" in ax.get_xlabel()  # listed, not drawn
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["model TTFB", "relay", "to the page's playout"]


def test_a_file_turn_has_no_vad_on_its_axis() -> None:
    ax = timeline_figure(_turn(COMMIT_TURN), origin_text="the commit (clip sent)").axes[0]
    assert "VAD" not in ax.get_xlabel() and "the commit (clip sent)" in ax.get_xlabel()
    empty = timeline_figure(None).axes[0]
    assert any(t.get_text() == "no turn yet" for t in empty.texts)


def test_the_turn_panel_puts_the_page_figure_next_to_the_server_stages() -> None:
    turn = _turn(VAD_TURN, index=1)
    page = PageFigures(
        source="realtime component",
        origin="mic",
        first_sample_ms=655.2,
        audible_ms=961.0,
        stalls=0,
        glitches=0,
        cushion_ms=25.0,
        output_latency_ms=30.0,
    )
    text = turn_markdown(turn, page)
    assert text.startswith("**Turn 2**")
    assert "mic → first reply sample **655 ms**" in text and "first audible **961 ms**" in text
    assert "incl. jitter cushion 25 ms, output 30 ms" in text and "output glitches 0" in text
    assert "time to first audio **301 ms** = model TTFB 300 ms + relay 1 ms" in text
    assert "exclude what the microphone and the operating system add" in text
    waiting = turn_markdown(turn, None, pending="measuring…")
    assert "*measuring…*" in waiting
    assert "No turn yet" in turn_markdown(None)


def test_the_session_table_has_units_and_the_page_rows_first() -> None:
    session = SessionTimeline()
    for i, ttfa in enumerate((300.0, 320.0, 500.0)):
        turn = session.new_turn()
        turn.mark("commit", 1000.0 * i)
        turn.mark("first_audio_out", 1000.0 * i + ttfa)
        turn.mark("done", 1000.0 * i + 900)
    pages = [
        PageFigures("page tap", "mic", 2000.0 + 100 * i, None, first_sample_exact=False)
        for i in range(3)
    ]
    table = summary_markdown(session.summary(), page_summary_rows(pages))
    lines = table.splitlines()
    assert lines[0] == "| over this session | n | p50 (ms) | p90 (ms) | p99 (ms) |"
    assert lines[2] == "| mic → first reply sample (page) | 3 | 2100 | 2180 | 2198 |"
    assert lines[3] == "| mic → first audible (page) | 0 | – | – | – |"
    assert "| time to first audio (server) | 3 | 320 | 464 | 496 |" in table
