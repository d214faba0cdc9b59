"""The Talk tab's default mode: the ``RealtimeAudio`` component (low latency).

The component runs the session in the browser (AudioWorklet capture, binary WebSocket
``/ws/realtime?surface=talk``, jitter-buffered AudioWorklet playback) and reports each
turn to Python: what the listener heard, measured on the audio clock, next to the
server's timeline of the same turn. These handlers turn those reports into the tab's
latency panel; the settings come from the browser tab's ``RelaySettings``.
"""

from __future__ import annotations

from typing import Any, Final

import gradio as gr

from workbench.app.ui.latency_render import (
    PageFigures,
    page_summary_rows,
    summary_markdown,
    timeline_figure,
    turn_markdown,
)
from workbench.app.ui.realtime_audio import RealtimeAudio
from workbench.app.ui.realtime_audio.event_data import SessionStartEvent, TurnEvent
from workbench.app.ui.realtime_audio.payloads import RealtimeLog, ServerTimeline, TurnReport
from workbench.settings import RelaySettings

#: The session kind the component's WebSocket sessions are recorded as.
SURFACE: Final = "talk"


def realtime_component(settings: RelaySettings) -> RealtimeAudio:
    """The Talk tab's component, with this browser tab's settings."""
    return RealtimeAudio(
        settings=settings,
        surface=SURFACE,
        label="Realtime audio (AudioWorklet + WebSocket)",
        elem_id="talk-rt",
    )


def settings_update(settings: RelaySettings) -> Any:
    """The component's update when the Settings tab applies new settings."""
    return gr.update(settings=settings)


def figures(turn: TurnReport) -> PageFigures:
    """The component's report of one turn as end-to-end figures."""
    return PageFigures(
        source="realtime component",
        origin="mic",
        first_sample_ms=turn.mic_to_speaker_ms,
        audible_ms=turn.mic_to_audible_ms,
        stalls=turn.underruns,
        glitches=turn.device_underruns,
        cushion_ms=turn.jitter_buffer_ms,
        output_latency_ms=turn.output_latency_ms,
    )


def timeline_dict(timeline: ServerTimeline) -> dict[str, Any]:
    """The server's timeline as ``TurnTimeline.to_dict()`` (what the panel draws)."""
    return {
        "turn_index": timeline.turn_index,
        "stages_ms": dict(timeline.stages_ms),
        "ttfa_ms": timeline.ttfa_ms,
        "model_ttfb_ms": timeline.model_ttfb_ms,
        "relay_overhead_ms": timeline.relay_overhead_ms,
        "playout_delay_ms": timeline.playout_delay_ms,
    }


def panel(turn: TurnReport | None, log: RealtimeLog | None) -> tuple[Any, str, str]:
    """(plot, turn panel, session table) for the last turn and the session so far."""
    if turn is None:
        return timeline_figure(None), turn_markdown(None), summary_markdown({})
    server = timeline_dict(turn.timeline)
    turns = log.turns if log is not None and log.turns else (turn,)
    pages = [figures(t) for t in turns]
    return (
        timeline_figure(server),
        turn_markdown(server, figures(turn), pending="no reply audio was heard"),
        summary_markdown(turn.summary, page_summary_rows(pages)),
    )


def on_turn(log: RealtimeLog | None, event: TurnEvent) -> tuple[Any, str, str]:
    """A turn was heard (or ended unheard): redraw the panel."""
    return panel(event.turn, log)


def on_session_start(event: SessionStartEvent) -> tuple[Any, str, str]:
    """A new session: an empty panel (its turns count from 1 again)."""
    del event
    return panel(None, None)
