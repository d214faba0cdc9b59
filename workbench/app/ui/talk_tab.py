"""Gradio wiring of the Talk tab: streaming microphone in, streaming reply out.

The microphone's ``stream`` event feeds the session's relay chunk by chunk. A
``gr.Timer`` (active while a session is live) runs :meth:`TalkSession.watch`, which
updates the transcript, meter and status and streams each reply into the autoplaying
output as soon as its first audio arrives; one timer run streams one reply, so each
reply is its own HLS stream in Gradio's player.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import gradio as gr
import numpy as np

from workbench.app.ui.context import UiContext
from workbench.app.ui.render import (
    level_html,
    status_html,
    summary_markdown,
    timeline_figure,
    turn_markdown,
)
from workbench.app.ui.talk_session import STOP_AUDIO, TalkRegistry, TalkView
from workbench.audio.level import SILENCE_FLOOR_DBFS
from workbench.errors import WorkbenchError
from workbench.service import SessionService
from workbench.settings import RelaySettings

#: Seconds of microphone audio per chunk Gradio uploads (its latency floor on input).
MIC_STREAM_EVERY_S = 0.1
#: How often the timer restarts a finished watch run (s).
TICK_S = 0.1
#: Runs in the page after Start: press the microphone's record button if Start worked.
#: (``gr.Audio(recording=True)`` only resumes a recorder that was opened before.)
START_RECORDING_JS = """() => {
  const stop = document.querySelector('#talk-stop');
  const record = document.querySelector('#talk-mic .record-button');
  if (stop && !stop.disabled && record) record.click();
}"""
#: Runs in the page after Stop and after each timer run: once no session is live (Start
#: is enabled again), press the microphone's stop button, so Gradio stops streaming
#: chunks and ends the capture tracks (``gr.Audio(recording=False)`` alone leaves the
#: recorder running).
STOP_RECORDING_JS = """() => {
  const start = document.querySelector('#talk-start');
  const stop = document.querySelector('#talk-mic .stop-button');
  if (start && !start.disabled && stop) stop.click();
}"""
#: Longest single watch run (s); the timer starts the next one.
WATCH_MAX_S = 20.0


@dataclass
class _Sent:
    """What one watch run already sent, so unchanged outputs are skipped."""

    messages: list[dict[str, str]] | None = None
    level: str | None = None
    status: str | None = None
    timeline_version: int = -1
    summary: str | None = None


@dataclass
class TalkComponents:
    """The Talk tab's components (for tests and the app's other wiring)."""

    status: gr.HTML
    start: gr.Button
    stop: gr.Button
    commit: gr.Button
    interrupt: gr.Button
    mic: gr.Audio
    reply: gr.Audio
    meter: gr.HTML
    transcript: gr.Chatbot
    plot: gr.Plot
    turn: gr.Markdown
    summary: gr.Markdown
    timer: gr.Timer
    outputs: list[Any] = field(default_factory=list)


def render_view(view: TalkView, sent: _Sent) -> tuple[Any, ...]:
    """Map a view onto the tick outputs; unchanged outputs become ``gr.skip()``.

    Order: reply audio, transcript, meter, plot, turn line, summary, status.
    """
    skip = gr.skip()
    if view.audio is None:
        audio: Any = skip
    elif view.audio == STOP_AUDIO:
        audio = gr.update(value=None)  # barge-in: stop the player now
    else:
        audio = view.audio
    messages: Any = skip
    if view.messages != sent.messages:
        messages = sent.messages = view.messages
    level: Any = level_html(view.level_dbfs)
    if level == sent.level:
        level = skip
    else:
        sent.level = level
    status: Any = status_html(view.status, view.status_kind)
    if status == sent.status:
        status = skip
    else:
        sent.status = status
    plot: Any = skip
    turn: Any = skip
    summary: Any = skip
    if view.timeline_version != sent.timeline_version:
        sent.timeline_version = view.timeline_version
        plot = timeline_figure(view.last_turn)
        turn = turn_markdown(view.last_turn)
        summary = summary_markdown(view.summary)
    return audio, messages, level, plot, turn, summary, status


def _live_buttons(live: bool) -> tuple[Any, ...]:
    """Start, Stop, Send turn, Interrupt: only Start before a session, the rest during one."""
    return (
        gr.Button(interactive=not live),
        gr.Button(interactive=live),
        gr.Button(interactive=live),
        gr.Button(interactive=live),
    )


def _ended() -> tuple[Any, ...]:
    """Extra tick outputs once the session is over: timer off, mic off, only Start on."""
    return (gr.Timer(active=False), gr.Audio(recording=False), *_live_buttons(False))


class TalkHandlers:
    """The Talk tab's event handlers (plain methods, so tests call them directly).

    Every handler finds its session by the Gradio session hash; errors become a
    status line and a toast (``gr.Warning``), never an exception in the page.
    """

    def __init__(self, service: SessionService, registry: TalkRegistry) -> None:
        self.service = service
        self.registry = registry

    async def on_start(self, current: RelaySettings, request: gr.Request) -> tuple[Any, ...]:
        """Open the session.

        Outputs: status, timer, mic, start, stop, send turn, interrupt, transcript.
        """
        try:
            session = await self.registry.open(request.session_hash or "", self.service, current)
        except WorkbenchError as exc:
            gr.Warning(f"Could not start: {exc.message}")
            return (
                status_html(f"Could not start: {exc.message}", "error"),
                gr.Timer(active=False),
                *(gr.skip(),) * 6,
            )
        return (
            status_html(f"{session.status} Backend: {session.backend_description}", "live"),
            gr.Timer(active=True),
            gr.Audio(recording=True),
            *_live_buttons(True),
            [],
        )

    async def on_stop(self, request: gr.Request) -> tuple[Any, ...]:
        """Close the session; outputs: status, timer, mic, start, stop, send turn, interrupt."""
        await self.registry.close(request.session_hash)
        return (
            status_html("Stopped.", "info"),
            gr.Timer(active=False),
            gr.Audio(recording=False),
            *_live_buttons(False),
        )

    async def on_mic(self, chunk: tuple[int, np.ndarray] | None, request: gr.Request) -> None:
        """One microphone chunk from Gradio's stream: feed it to the session's relay."""
        session = self.registry.get(request.session_hash)
        if session is None or chunk is None:
            return
        sample_rate_hz, samples = chunk
        await session.feed(int(sample_rate_hz), samples)

    async def on_tick(self, request: gr.Request) -> AsyncIterator[tuple[Any, ...]]:
        """The timer's run: watch the session, stream a reply when one comes."""
        session = self.registry.get(request.session_hash)
        if session is None:
            yield (*(gr.skip(),) * 6, status_html("Idle. Press Start.", "info"), *_ended())
            return
        sent = _Sent()
        keep = (gr.skip(),) * 6
        async for view in session.watch(max_s=WATCH_MAX_S):
            for message in view.warnings:
                gr.Warning(message)
            yield (*render_view(view, sent), *(keep if session.live else _ended()))

    async def on_commit(self, request: gr.Request) -> None:
        """*Send turn*: end the user's turn (turn detection none)."""
        session = self.registry.get(request.session_hash)
        if session is None or not session.live:
            gr.Warning("No live session: press Start first.")
            return
        await session.commit()

    async def on_interrupt(self, request: gr.Request) -> None:
        """*Interrupt*: cut the reply where the listener is (estimated)."""
        session = self.registry.get(request.session_hash)
        if session is not None and session.live:
            await session.interrupt()

    def on_play(self, request: gr.Request) -> None:
        """The reply player started: the playout estimate starts now."""
        session = self.registry.get(request.session_hash)
        if session is not None:
            session.on_browser_play()


def build_talk_tab(ui: UiContext) -> TalkComponents:
    """Lay out the Talk tab (inside an open ``gr.Blocks``) and wire its events."""
    with gr.Tab("Talk", id="talk", elem_id="tab-talk"):
        with gr.Row():
            with gr.Column(scale=5):
                status = gr.HTML(
                    status_html("Idle. Press Start and allow the microphone."),
                    elem_id="talk-status",
                )
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
            with gr.Column(scale=6):
                transcript = gr.Chatbot(label="Transcript", height=380, elem_id="talk-transcript")
        with gr.Row():
            with gr.Column(scale=6):
                plot = gr.Plot(timeline_figure(None), label="Last turn", elem_id="talk-plot")
            with gr.Column(scale=5):
                turn = gr.Markdown(turn_markdown(None), elem_id="talk-turn")
                summary = gr.Markdown(summary_markdown({}), elem_id="talk-summary")
                gr.Markdown(
                    "TTFA = end of your speech (VAD stop or *Send turn*) → first reply audio "
                    "handed to the page. *Playout delay* starts at the player's `play` event, "
                    "so it includes Gradio's chunked HLS buffering (see the Duplex tab for the "
                    "low-latency path)."
                )
        timer = gr.Timer(TICK_S, active=False)

    c = TalkComponents(
        status,
        start,
        stop,
        commit,
        interrupt,
        mic,
        reply,
        meter,
        transcript,
        plot,
        turn,
        summary,
        timer,
    )
    # The last six let a session that ended by itself (an error, a limit, the session
    # cap) stop the timer and the microphone and offer only Start again.
    buttons = [start, stop, commit, interrupt]
    c.outputs = [reply, transcript, meter, plot, turn, summary, status, timer, mic, *buttons]

    h = TalkHandlers(ui.service, ui.talk)
    quiet: dict[str, Any] = {"show_progress": "hidden", "concurrency_limit": None}
    start.click(
        h.on_start, [ui.settings], [status, timer, mic, *buttons, transcript], **quiet
    ).then(None, None, None, js=START_RECORDING_JS)
    stop.click(h.on_stop, None, [status, timer, mic, *buttons], **quiet).then(
        None, None, None, js=STOP_RECORDING_JS
    )
    mic.stream(h.on_mic, [mic], None, stream_every=MIC_STREAM_EVERY_S, time_limit=None, **quiet)
    timer.tick(h.on_tick, None, c.outputs, trigger_mode="once", **quiet).then(
        None, None, None, js=STOP_RECORDING_JS
    )
    commit.click(h.on_commit, None, None, **quiet)
    interrupt.click(h.on_interrupt, None, None, **quiet)
    reply.play(h.on_play, None, None, **quiet)
    return c
