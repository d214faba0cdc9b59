"""The Talk tab's comparison mode: Gradio's own streaming microphone and player.

The microphone's ``stream`` event feeds the session's relay chunk by chunk. A
``gr.Timer`` (active while a session is live) runs :meth:`TalkSession.watch`, which
updates the transcript, meter and status and streams each reply into the autoplaying
output as soon as its first audio arrives; one timer run streams one reply, so each
reply is its own HLS stream in Gradio's player. The page tap (:mod:`page_tap`) reports
when the player really plays each reply; its figures join the latency panel.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Final

import gradio as gr
import numpy as np

from workbench.app.ui.latency_render import (
    page_summary_rows,
    summary_markdown,
    timeline_figure,
    turn_markdown,
)
from workbench.app.ui.page_tap import PageReplyEvent, tag_html
from workbench.app.ui.render import level_html, status_html
from workbench.app.ui.talk_session import STOP_AUDIO, TalkRegistry, TalkView
from workbench.errors import WorkbenchError
from workbench.service import SessionService
from workbench.settings import RelaySettings

#: Seconds of microphone audio per chunk Gradio uploads (its latency floor on input).
MIC_STREAM_EVERY_S: Final = 0.1
#: How often the timer restarts a finished watch run (s).
TICK_S: Final = 0.1
#: Runs in the page after Start: arm the page tap's microphone tap, then press the
#: microphone's record button if Start worked. (``gr.Audio(recording=True)`` only
#: resumes a recorder that was opened before.)
START_RECORDING_JS: Final = """() => {
  const stop = document.querySelector('#talk-stop');
  const record = document.querySelector('#talk-mic .record-button');
  if (stop && !stop.disabled && record) {
    window.wbPageTap?.arm();
    record.click();
  }
}"""
#: Runs in the page after Stop and after each timer run: once no session is live (Start
#: is enabled again), press the microphone's stop button, so Gradio stops streaming
#: chunks and ends the capture tracks (``gr.Audio(recording=False)`` alone leaves the
#: recorder running), and disarm the page tap.
STOP_RECORDING_JS: Final = """() => {
  const start = document.querySelector('#talk-start');
  const stop = document.querySelector('#talk-mic .stop-button');
  if (start && !start.disabled) {
    window.wbPageTap?.disarm();
    if (stop) stop.click();
  }
}"""
#: Longest single watch run (s); the timer starts the next one.
WATCH_MAX_S: Final = 20.0
#: Said in the turn panel until the page tap has measured the reply.
PAGE_PENDING: Final = "measuring… (the page tap reports when Gradio's player plays the reply)"


@dataclass
class _Sent:
    """What one watch run already sent, so unchanged outputs are skipped."""

    messages: list[dict[str, str]] | None = None
    level: str | None = None
    status: str | None = None
    timeline_version: int = -1
    tag: str | None = None


def render_view(view: TalkView, sent: _Sent) -> tuple[Any, ...]:
    """Map a view onto the tick outputs; unchanged outputs become ``gr.skip()``.

    Order: reply audio, transcript, meter, plot, turn panel, summary, status, tap tag.
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
        turn = turn_markdown(view.last_turn, view.page, pending=PAGE_PENDING)
        summary = summary_markdown(view.summary, page_summary_rows(view.pages))
    tag: Any = skip
    if view.tag != sent.tag:
        sent.tag = view.tag
        tag = tag_html(view.tag)
    return audio, messages, level, plot, turn, summary, status, tag


def live_buttons(live: bool) -> tuple[Any, ...]:
    """Start, Stop, Send turn, Interrupt: only Start before a session, the rest during one."""
    return (
        gr.Button(interactive=not live),
        gr.Button(interactive=live),
        gr.Button(interactive=live),
        gr.Button(interactive=live),
    )


def _ended() -> tuple[Any, ...]:
    """Extra tick outputs once the session is over: timer off, mic off, only Start on."""
    return (gr.Timer(active=False), gr.Audio(recording=False), *live_buttons(False))


@dataclass
class NativeComponents:
    """The Gradio streaming mode's components (for the tab's wiring and tests)."""

    status: gr.HTML
    start: gr.Button
    stop: gr.Button
    commit: gr.Button
    interrupt: gr.Button
    mic: gr.Audio
    reply: gr.Audio
    meter: gr.HTML
    transcript: gr.Chatbot
    tap: gr.HTML
    timer: gr.Timer
    outputs: list[Any] = field(default_factory=list)


class TalkHandlers:
    """The comparison mode's event handlers (plain methods, so tests call them directly).

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
        text, kind = session.status()
        return (
            status_html(f"{text} Backend: {session.backend_description}", kind),
            gr.Timer(active=True),
            gr.Audio(recording=True),
            *live_buttons(True),
            [],
        )

    async def on_stop(self, request: gr.Request) -> tuple[Any, ...]:
        """Close the session; outputs: status, timer, mic, start, stop, send turn, interrupt."""
        session = await self.registry.close(request.session_hash)
        text, kind = session.status() if session is not None else ("Ended: stopped", "info")
        return (
            status_html(text, kind),
            gr.Timer(active=False),
            gr.Audio(recording=False),
            *live_buttons(False),
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
            yield (*(gr.skip(),) * 6, gr.skip(), gr.skip(), *_ended())
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
        """*Interrupt*: cut the reply where the listener is."""
        session = self.registry.get(request.session_hash)
        if session is not None and session.live:
            await session.interrupt()

    def on_play(self, request: gr.Request) -> None:
        """The reply player started (Gradio's ``play``): the estimate without a page tap."""
        session = self.registry.get(request.session_hash)
        if session is not None:
            session.on_browser_play()

    def on_measured(self, event: PageReplyEvent, request: gr.Request) -> None:
        """A page tap report on the reply player (position, stalls, end-to-end figures)."""
        self.registry.page_tap_loaded(request.session_hash)
        session = self.registry.get(request.session_hash)
        if session is not None and event.reply.target == "talk-reply":
            session.on_page_reply(event.reply)

    def on_tap_ready(self, request: gr.Request) -> None:
        """The page tap loaded in this browser tab."""
        self.registry.page_tap_loaded(request.session_hash)
