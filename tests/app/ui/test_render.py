"""Pure rendering: transcript log, meter, timeline plot, tables, header."""

from __future__ import annotations

from workbench.app.ui.render import (
    backend_header_html,
    chat_messages,
    code_span,
    level_html,
    status_html,
    summary_markdown,
    timeline_figure,
    turn_markdown,
)
from workbench.relay.events import ToolCall, ToolOutput, TranscriptDelta, TranscriptFinal
from workbench.relay.timeline import SessionTimeline
from workbench.service.transcript import Transcript


def test_transcript_deltas_accumulate_and_the_final_text_wins() -> None:
    log = Transcript()
    log.apply(TranscriptFinal("user", "u1", "hello there"))
    log.apply(TranscriptDelta("assistant", "a1", "Hi"))
    log.apply(TranscriptDelta("assistant", "a1", ", you"))
    assert chat_messages(log)[-1] == {"role": "assistant", "content": "Hi, you …"}
    log.apply(TranscriptFinal("assistant", "a1", "Hi, you."))
    log.apply(TranscriptDelta("assistant", "a1", " late delta"))  # ignored after final
    log.note("interrupted")
    assert chat_messages(log) == [
        {"role": "user", "content": "hello there"},
        {"role": "assistant", "content": "Hi, you."},
        {"role": "assistant", "content": "*— interrupted —*"},
    ]
    assert log.text("assistant") == "Hi, you."


def test_transcript_is_bounded() -> None:
    log = Transcript(max_items=3)
    for i in range(10):
        log.apply(TranscriptFinal("user", f"u{i}", str(i)))
    assert [m["content"] for m in chat_messages(log)] == ["7", "8", "9"]


def test_meter_grows_with_loudness() -> None:
    def size(html: str) -> int:
        return int(html.split("width:")[1].split("px")[0])

    assert size(level_html(-100)) == 24
    assert size(level_html(-30)) > size(level_html(-50)) > 24
    assert size(level_html(0)) == 120
    assert "–∞" in level_html(-100)


def test_text_is_escaped() -> None:
    assert "<b>x" not in status_html("<b>x", "error")
    head = backend_header_html("mock <i>", is_mock=True, kind="mock")
    assert "MOCK" in head and "&lt;i&gt;" in head


def _turn() -> dict[str, object]:
    session = SessionTimeline()
    turn = session.new_turn()
    for stage, t in [
        ("first_input_audio", 0),
        ("commit", 1000),
        ("response_create", 1001),
        ("response_created", 1010),
        ("first_audio_delta", 1300),
        ("first_audio_out", 1302),
        ("first_playout", 1500),
        ("done", 3000),
    ]:
        turn.mark(stage, float(t))
    return turn.to_dict()


def test_timeline_plot_has_every_stage_on_a_time_axis() -> None:
    fig = timeline_figure(_turn())
    ax = fig.axes[0]
    by_height = sorted(
        zip(ax.get_yticks(), (t.get_text() for t in ax.get_yticklabels()), strict=True)
    )
    assert [label for _, label in by_height][::-1] == [
        "first_input_audio",
        "commit",
        "response_create",
        "response_created",
        "first_audio_delta",
        "first_audio_out",
        "first_playout",
        "done",
    ]  # in stage order, the first on top
    assert "302 ms" in ax.get_title()  # TTFA: commit → first audio out
    assert ax.get_xlabel().startswith("ms")
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["model TTFB", "relay", "playout"]


def test_timeline_plot_starts_at_speech_with_vad() -> None:
    session = SessionTimeline()
    turn = session.new_turn()
    for stage, t in [
        ("first_input_audio", 0.0),
        ("speech_started", 5000.0),
        ("speech_stopped", 6500.0),
        ("first_audio_out", 6800.0),
    ]:
        turn.mark(stage, t)
    ax = timeline_figure(turn.to_dict()).axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "first_input_audio" not in labels and labels[0] == "speech_started"
    assert ax.get_xlim()[1] < 2500  # 1800 ms of stages, not 6800


def test_empty_timeline_plot_is_labelled() -> None:
    ax = timeline_figure(None).axes[0]
    assert any(t.get_text() == "no turn yet" for t in ax.texts)


def test_tables() -> None:
    session = SessionTimeline()
    for i, ttfa in enumerate((300.0, 320.0, 500.0)):
        turn = session.new_turn()
        turn.mark("commit", 1000.0 * i)
        turn.mark("first_audio_out", 1000.0 * i + ttfa)
        turn.mark("done", 1000.0 * i + 900)
    table = summary_markdown(session.summary(), {"mic→speaker": {"n": 1, "p50": 90.0}})
    assert "| time to first audio | 3 | 320 ms | 464 ms | 496 ms |" in table
    assert "| mic→speaker | 1 | 90 ms | – | – |" in table
    assert "No turn" in turn_markdown(None)
    assert "TTFA **302 ms**" in turn_markdown(_turn())  # type: ignore[arg-type]


def test_a_tool_call_shows_as_code_then_with_its_answer() -> None:
    log = Transcript()
    log.tool(ToolCall("c1", "get_current_time", '{"timezone":"UTC"}', "i1", "r1"))
    assert chat_messages(log) == [
        {"role": "assistant", "content": '🔧 `get_current_time({"timezone":"UTC"})` …'}
    ]
    log.tool(ToolOutput("c1", "get_current_time", '{"iso_time":"12:00"}'))
    assert chat_messages(log)[-1]["content"] == (
        '🔧 `get_current_time({"timezone":"UTC"}) → {"iso_time":"12:00"}`'
    )


def test_code_spans_survive_backticks_and_newlines_from_a_model() -> None:
    assert code_span("a`b") == "``a`b``"
    assert code_span("``x") == "``` ``x ```"
    assert code_span("<b>\n*bold*") == "`<b> *bold*`"
