"""The Talk tab: a spoken conversation with the model, in one of two modes.

- **Realtime (low latency)**, the default: the ``RealtimeAudio`` component
  (:mod:`talk_realtime`), on ``WS /ws/realtime`` with ``surface=talk``.
- **Gradio streaming (comparison)**: Gradio's own streaming microphone and player
  (:mod:`talk_native`), measured by the page tap.

Both use this browser tab's settings (the Settings tab) and the one session service
(their sessions are kind ``talk`` in ``/sessions``, ``/healthz`` and ``/metrics``), and
both feed the same latency panel: the end-to-end figure the page measured on the audio
clock next to the server's stages of the same turn.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import gradio as gr

from workbench.app.ui.context import UiContext
from workbench.app.ui.latency_render import summary_markdown, timeline_figure, turn_markdown
from workbench.app.ui.page_tap import tap_host
from workbench.app.ui.realtime_audio import RealtimeAudio
from workbench.app.ui.render import level_html, status_html
from workbench.app.ui.talk_native import (
    MIC_STREAM_EVERY_S,
    START_RECORDING_JS,
    STOP_RECORDING_JS,
    TICK_S,
    NativeComponents,
    TalkHandlers,
    live_buttons,
)
from workbench.app.ui.talk_realtime import (
    on_session_start,
    on_turn,
    panel,
    realtime_component,
    settings_update,
)
from workbench.audio.level import SILENCE_FLOOR_DBFS

REALTIME: Final = "Realtime (low latency)"
NATIVE: Final = "Gradio streaming (comparison)"
MODES: Final = (REALTIME, NATIVE)
#: Stops the component's session when the mode changes (its Stop button, if live).
STOP_COMPONENT_JS: Final = "() => { document.querySelector('#talk-rt button.stop')?.click(); }"
REALTIME_TEXT: Final = (
    "The browser captures the microphone in an AudioWorklet (10 ms frames), streams it "
    "over a binary WebSocket (`/ws/realtime`) and plays the reply through a "
    "jitter-buffered AudioWorklet; the audio never passes through Gradio's queue. Status, "
    "meters and transcript are in the component; each turn, as heard, is in the panel below."
)
NATIVE_TEXT: Final = (
    "Gradio's own components, kept to compare: the microphone uploads 100 ms chunks over "
    "HTTP, and each reply streams into Gradio's player as AAC/HLS. A tap in this page "
    "measures when the player really plays each reply (panel below)."
)
IDLE_TEXT: Final = "Idle. Press Start and allow the microphone."


@dataclass
class TalkComponents:
    """The Talk tab's components (for tests and the app's other wiring)."""

    mode: gr.Radio
    realtime_box: gr.Column
    native_box: gr.Column
    rt: RealtimeAudio
    native: NativeComponents
    plot: gr.Plot
    turn: gr.Markdown
    summary: gr.Markdown


def _native_section() -> NativeComponents:
    with gr.Row():
        with gr.Column(scale=5):
            status = gr.HTML(status_html(IDLE_TEXT), elem_id="talk-status")
            with gr.Row():
                start = gr.Button("Start", variant="primary", elem_id="talk-start")
                stop = gr.Button("Stop", interactive=False, elem_id="talk-stop")
                commit = gr.Button("Send turn", interactive=False, elem_id="talk-commit")
                interrupt = gr.Button("Interrupt", interactive=False, elem_id="talk-interrupt")
            mic = gr.Audio(
                sources=["microphone"],
                streaming=True,
                type="numpy",
                label="Microphone (streams to the relay)",
                elem_id="talk-mic",
            )
            reply = gr.Audio(
                streaming=True,
                autoplay=True,
                interactive=False,
                label="Reply (streams as it arrives)",
                elem_id="talk-reply",
            )
            meter = gr.HTML(level_html(SILENCE_FLOOR_DBFS), elem_id="talk-meter")
            tap = tap_host("talk-reply", elem_id="talk-tap")
        with gr.Column(scale=6):
            transcript = gr.Chatbot(label="Transcript", height=380, elem_id="talk-transcript")
    timer = gr.Timer(TICK_S, active=False)
    return NativeComponents(
        status, start, stop, commit, interrupt, mic, reply, meter, transcript, tap, timer
    )


def _wire_native(ui: UiContext, n: NativeComponents, plot: Any, turn: Any, summary: Any) -> None:
    buttons = [n.start, n.stop, n.commit, n.interrupt]
    # The last six let a session that ended by itself (an error, a limit, the session
    # cap) stop the timer and the microphone and offer only Start again.
    n.outputs = [n.reply, n.transcript, n.meter, plot, turn, summary, n.status, n.tap]
    n.outputs += [n.timer, n.mic, *buttons]
    h = TalkHandlers(ui.service, ui.talk)
    quiet: dict[str, Any] = {"show_progress": "hidden", "concurrency_limit": None}
    n.start.click(
        h.on_start, [ui.settings], [n.status, n.timer, n.mic, *buttons, n.transcript], **quiet
    ).then(None, None, None, js=START_RECORDING_JS)
    n.stop.click(h.on_stop, None, [n.status, n.timer, n.mic, *buttons], **quiet).then(
        None, None, None, js=STOP_RECORDING_JS
    )
    n.mic.stream(h.on_mic, [n.mic], None, stream_every=MIC_STREAM_EVERY_S, time_limit=None, **quiet)
    n.timer.tick(h.on_tick, None, n.outputs, trigger_mode="once", **quiet).then(
        None, None, None, js=STOP_RECORDING_JS
    )
    n.commit.click(h.on_commit, None, None, **quiet)
    n.interrupt.click(h.on_interrupt, None, None, **quiet)
    n.reply.play(h.on_play, None, None, **quiet)
    n.tap.measured(h.on_measured, None, None, trigger_mode="multiple", **quiet)  # type: ignore[attr-defined]
    n.tap.ready(h.on_tap_ready, None, None, **quiet)  # type: ignore[attr-defined]


def build_talk_tab(ui: UiContext) -> TalkComponents:
    """Lay out the Talk tab (inside an open ``gr.Blocks``) and wire its events."""
    with gr.Tab("Talk", id="talk", elem_id="tab-talk"):
        mode = gr.Radio(
            list(MODES),
            value=REALTIME,
            label="Mode",
            info="Both use the Settings tab's settings and show the same measurements.",
            elem_id="talk-mode",
        )
        with gr.Column(visible=True, elem_id="talk-realtime") as realtime_box:
            rt = realtime_component(ui.service.defaults)
            gr.Markdown(REALTIME_TEXT)
        with gr.Column(visible=False, elem_id="talk-native") as native_box:
            gr.Markdown(NATIVE_TEXT)
            native = _native_section()
        with gr.Row():
            with gr.Column(scale=6):
                plot = gr.Plot(timeline_figure(None), label="Last turn", elem_id="talk-plot")
            with gr.Column(scale=5):
                turn = gr.Markdown(turn_markdown(None), elem_id="talk-turn")
                summary = gr.Markdown(summary_markdown({}), elem_id="talk-summary")
    c = TalkComponents(mode, realtime_box, native_box, rt, native, plot, turn, summary)
    quiet: dict[str, Any] = {"show_progress": "hidden"}

    # Realtime mode: the component reports each turn; new settings reach its next session.
    rt.session_start(on_session_start, None, [plot, turn, summary], trigger_mode="multiple")
    rt.turn(on_turn, rt, [plot, turn, summary], trigger_mode="multiple", **quiet)
    ui.settings.change(settings_update, ui.settings, rt, **quiet)
    _wire_native(ui, native, plot, turn, summary)

    async def on_mode(choice: str, request: gr.Request) -> tuple[Any, ...]:
        await ui.talk.close(request.session_hash)  # a comparison session ends with its mode
        realtime = choice != NATIVE
        return (
            gr.Column(visible=realtime),
            gr.Column(visible=not realtime),
            *panel(None, None),
            status_html(IDLE_TEXT),
            gr.Timer(active=False),
            gr.Audio(recording=False),
            *live_buttons(False),
        )

    n = native
    mode_outputs = [realtime_box, native_box, plot, turn, summary, n.status, n.timer, n.mic]
    mode_outputs += [n.start, n.stop, n.commit, n.interrupt]
    mode.change(
        on_mode,
        [mode],
        mode_outputs,
        **quiet,
    ).then(None, None, None, js=STOP_COMPONENT_JS).then(None, None, None, js=STOP_RECORDING_JS)
    return c
