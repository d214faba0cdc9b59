"""Pure rendering: transcript log, meter, status, header."""

from __future__ import annotations

from workbench.app.ui.render import (
    backend_header_html,
    chat_messages,
    code_span,
    level_html,
    status_html,
)
from workbench.relay.events import ToolCall, ToolOutput, TranscriptDelta, TranscriptFinal
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
