"""Gradio wiring of the File tab: upload a clip, hear the reply stream back."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import gradio as gr

from workbench.app.ui.context import UiContext
from workbench.app.ui.file_flow import FileView, relay_file
from workbench.app.ui.latency_render import (
    page_line,
    server_line,
    summary_markdown,
    timeline_figure,
    turn_number,
)
from workbench.app.ui.page_tap import PageReplyEvent, tap_host
from workbench.app.ui.render import level_html, status_html
from workbench.audio.level import SILENCE_FLOOR_DBFS
from workbench.settings import RelaySettings

#: Formats the audio core decodes (the upload widget's hint; decoding decides).
ACCEPTED = "m4a, mp3, wav (8–96 kHz, PCM/float/µ-law), ogg/opus, webm, flac, aac"
#: The origin of the File tab's timeline: there is no VAD, the clip ends with a commit.
ORIGIN_TEXT = "the commit (the whole clip was sent)"
#: What the File tab can and cannot measure.
EXCLUDES = (
    "No mic→speaker figure here: the clip is not a live microphone, and Gradio's player "
    "does not tell the server when it plays. The server's time to first audio runs from "
    "the commit (after the whole clip was sent) to the first reply audio sent to this "
    "page. Measured in this page, on the audio clock, by a tap on the player: Send → the "
    "player's first playout (±10 ms) and its first block louder than −40 dBFS, plus the "
    "output latency; that includes uploading the clip, decoding and sending all of it, "
    "the model and Gradio's player."
)
PAGE_PENDING = "waiting for the player (measured when the reply plays)"


def file_turn_markdown(turn: dict[str, Any] | None) -> str:
    """The File tab's turn: the server's figures and what the tab can and cannot measure."""
    if not turn:
        return f"*No reply yet.*\n\n<small>{EXCLUDES}</small>"
    number = turn_number(turn)
    head = "**Reply**" if number is None else f"**Turn {number}**"
    return "\n\n".join([head, server_line(turn, playout=False), f"<small>{EXCLUDES}</small>"])


@dataclass
class FileComponents:
    """The File tab's components."""

    clip: gr.Audio
    send: gr.Button
    status: gr.HTML
    reply: gr.Audio
    meter: gr.HTML
    transcript: gr.Chatbot
    plot: gr.Plot
    turn: gr.Markdown
    summary: gr.Markdown
    page: gr.Markdown
    tap: gr.HTML


def render_file_view(view: FileView) -> tuple[Any, ...]:
    """Outputs for one view: reply, transcript, meter, plot, turn line, summary, status."""
    skip = gr.skip()
    audio: Any = view.audio if view.audio is not None else skip
    plot: Any = timeline_figure(view.last_turn, origin_text=ORIGIN_TEXT) if view.final else skip
    turn: Any = file_turn_markdown(view.last_turn) if view.final else skip
    summary: Any = summary_markdown(view.summary) if view.final else skip
    return (
        audio,
        view.messages,
        level_html(view.level_dbfs),
        plot,
        turn,
        summary,
        status_html(view.status, view.status_kind),
    )


def build_file_tab(ui: UiContext) -> FileComponents:
    """Lay out the File tab (inside an open ``gr.Blocks``) and wire its events."""
    with gr.Tab("File", id="file", elem_id="tab-file"):
        gr.Markdown(
            "The seed's flow: the whole clip is decoded, resampled once to 24 kHz, sent in "
            "*chunk ms* frames, committed, and the reply streams back here. "
            f"Accepted: {ACCEPTED}."
        )
        with gr.Row():
            with gr.Column(scale=5):
                clip = gr.Audio(
                    sources=["upload", "microphone"],
                    type="filepath",
                    label="Clip",
                    elem_id="file-clip",
                )
                send = gr.Button("Send to the model", variant="primary", elem_id="file-send")
                status = gr.HTML(
                    status_html("Choose a clip, then press Send."), elem_id="file-status"
                )
                reply = gr.Audio(
                    streaming=True,
                    autoplay=True,
                    interactive=False,
                    label="Reply",
                    elem_id="file-reply",
                )
                meter = gr.HTML(level_html(SILENCE_FLOOR_DBFS), elem_id="file-meter")
            with gr.Column(scale=6):
                transcript = gr.Chatbot(label="Transcript", height=300, elem_id="file-transcript")
                plot = gr.Plot(timeline_figure(None), label="Timeline", elem_id="file-plot")
                turn = gr.Markdown(file_turn_markdown(None), elem_id="file-turn")
                page = gr.Markdown(page_line(None, "no reply yet"), elem_id="file-page")
                summary = gr.Markdown(summary_markdown({}))
                tap = tap_host("file-reply", elem_id="file-tap", send_elem_id="file-send")

    async def on_send(path: str | None, current: RelaySettings) -> AsyncIterator[tuple[Any, ...]]:
        first = True
        async for view in relay_file(ui.service, current, path):
            if view.final and view.status_kind in ("error", "warn"):
                gr.Warning(view.status)
            # A new reply: the page tap's line waits for it (its report replaces this).
            pending = page_line(None, PAGE_PENDING) if first else gr.skip()
            first = False
            yield (*render_file_view(view), pending)

    def on_measured(event: PageReplyEvent) -> str:
        return page_line(event.reply.figures("send"), PAGE_PENDING)

    send.click(
        on_send,
        [clip, ui.settings],
        [reply, transcript, meter, plot, turn, summary, status, page],
        show_progress="minimal",
        concurrency_limit=None,  # the session service's limit applies
    )
    tap.measured(  # type: ignore[attr-defined]  # gr.HTML's custom event (js_on_load)
        on_measured, None, page, show_progress="hidden", trigger_mode="always_last"
    )
    return FileComponents(
        clip, send, status, reply, meter, transcript, plot, turn, summary, page, tap
    )
