"""Gradio wiring of the File tab: upload a clip, hear the reply stream back."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import gradio as gr

from workbench.app.ui.context import UiContext
from workbench.app.ui.file_flow import FileView, relay_file
from workbench.app.ui.render import (
    level_html,
    status_html,
    summary_markdown,
    timeline_figure,
    turn_markdown,
)
from workbench.audio.level import SILENCE_FLOOR_DBFS
from workbench.settings import RelaySettings

#: Formats the audio core decodes (the upload widget's hint; decoding decides).
ACCEPTED = "m4a, mp3, wav (8–96 kHz, PCM/float/µ-law), ogg/opus, webm, flac, aac"


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


def render_file_view(view: FileView) -> tuple[Any, ...]:
    """Outputs for one view: reply, transcript, meter, plot, turn line, summary, status."""
    skip = gr.skip()
    audio: Any = view.audio if view.audio is not None else skip
    plot: Any = timeline_figure(view.last_turn) if view.final else skip
    turn: Any = turn_markdown(view.last_turn) if view.final else skip
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
                turn = gr.Markdown(turn_markdown(None), elem_id="file-turn")
                summary = gr.Markdown(summary_markdown({}))

    async def on_send(path: str | None, current: RelaySettings) -> AsyncIterator[tuple[Any, ...]]:
        async for view in relay_file(ui.service, current, path):
            if view.final and view.status_kind in ("error", "warn"):
                gr.Warning(view.status)
            yield render_file_view(view)

    send.click(
        on_send,
        [clip, ui.settings],
        [reply, transcript, meter, plot, turn, summary, status],
        show_progress="minimal",
        concurrency_limit=None,  # the session service's limit applies
    )
    return FileComponents(clip, send, status, reply, meter, transcript, plot, turn, summary)
