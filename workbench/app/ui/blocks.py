"""The Gradio workbench (``workbench serve``): Talk, File, Duplex and Settings tabs.

:func:`build_ui` returns the ``gr.Blocks``; :mod:`workbench.app.server.assembly` mounts it on
the same FastAPI app as the HTTP/WS API and the duplex page. Each browser session has
its own settings (a ``gr.State``) and at most one live Talk relay (in a
:class:`~workbench.app.ui.talk_session.TalkRegistry`, closed when the tab closes).
"""

from __future__ import annotations

import html
import re
from typing import Any

import gradio as gr

from workbench.app.ui.file_tab import build_file_tab
from workbench.app.ui.render import backend_header_html, status_html
from workbench.app.ui.settings_model import (
    TURN_DETECTIONS,
    AppContext,
    UiSettings,
    parse_settings,
)
from workbench.app.ui.talk_session import TalkRegistry
from workbench.app.ui.talk_tab import build_talk_tab
from workbench.errors import ConfigError

CSS = """
.wb-header { font-size: 15px; padding: 4px 2px; }
.wb-badge { font-size: 11px; font-weight: 700; padding: 2px 7px; border-radius: 9px; }
.wb-badge.wb-mock { background: #fef3c7; color: #92400e; }
.wb-badge.wb-live { background: #dcfce7; color: #166534; }
.wb-status { padding: 6px 10px; border-radius: 7px; background: #f1f5f9; }
.wb-status.wb-live { background: #dcfce7; color: #166534; }
.wb-status.wb-warn { background: #fef3c7; color: #92400e; }
.wb-status.wb-error { background: #fee2e2; color: #b91c1c; }
.wb-meter { display: flex; flex-direction: column; align-items: center; gap: 6px; }
.wb-circle-box { height: 124px; display: flex; align-items: center; justify-content: center; }
.wb-circle { border-radius: 50%; background: #f97316; opacity: .85;
  transition: width 80ms linear, height 80ms linear; }
.wb-bar { width: 100%; height: 10px; background: #e2e8f0; border-radius: 5px; overflow: hidden; }
.wb-bar > div { height: 100%; background: #f97316; }
.wb-db { font-size: 12px; color: #64748b; font-variant-numeric: tabular-nums; }
"""

#: Settings-tab fields, in the order the apply handler receives them.
SETTING_FIELDS = (
    "backend",
    "voice",
    "instructions",
    "turn_detection",
    "vad_threshold",
    "vad_prefix_padding_ms",
    "vad_silence_ms",
    "vad_eagerness",
    "chunk_ms",
    "resampler",
    "mock_ttfa_ms",
    "mock_speed_x",
    "mock_jitter_ms",
)


def header_html(ctx: AppContext, settings: UiSettings) -> str:
    """The header line for ``settings``: which backend sessions will talk to."""
    backend = ctx.backend_for(settings)
    info = backend.info
    return backend_header_html(info.description, is_mock=info.is_mock, kind=info.kind)


def apply_settings(
    ctx: AppContext, current: UiSettings, values: dict[str, Any]
) -> tuple[UiSettings, str, str | None]:
    """Validate the Settings tab's values.

    Returns
    -------
    tuple
        ``(settings, status_html, header_html)``: on success the new settings and a
        new header; on a bad value the *unchanged* settings, an error status naming
        the value, and None for the header.
    """
    try:
        new = parse_settings(values, base=current)
    except ConfigError as exc:
        return current, status_html(f"Not applied: {exc.message}", "error"), None
    return (
        new,
        status_html("Applied. The next session (Start / Send) uses these settings.", "info"),
        header_html(ctx, new),
    )


def _duplex_html() -> str:
    return (
        "<p>Gradio's streaming audio is chunked and buffered: the Talk tab adds 1–2 s "
        "between the end of your speech and the first reply sample (100 ms microphone "
        "chunks uploaded one by one, then an AAC/HLS stream). The duplex page captures "
        "with an AudioWorklet, streams PCM over a binary WebSocket "
        "(<code>/ws/realtime</code>) and plays through a jitter-buffered AudioWorklet: "
        "30–80 ms on top of the model's own latency (see docs/ui.md).</p>"
        '<p><a href="/duplex" target="_blank" rel="noopener"><b>Open the duplex page in its '
        "own tab ↗</b></a> (recommended: it needs the microphone).</p>"
        '<iframe src="/duplex" title="duplex" allow="microphone; autoplay" '
        'style="width:100%;height:760px;border:1px solid #e2e8f0;border-radius:8px"></iframe>'
    )


def _settings_tab(ctx: AppContext, state: gr.State) -> tuple[gr.Button, list[Any], gr.HTML]:
    from workbench.audio import METHODS

    d = ctx.defaults
    env_label = "Environment: " + ctx.describe(UiSettings(backend="env"))
    with gr.Tab("Settings", id="settings", elem_id="tab-settings"):
        gr.Markdown("Changes apply to the **next** session (Talk: Start; File: Send).")
        with gr.Row():
            with gr.Column():
                backend = gr.Radio(
                    [(env_label, "env"), ("Built-in mock", "mock")],
                    value=d.backend,
                    label="Backend",
                    elem_id="set-backend",
                )
                voice = gr.Textbox(d.voice, label="Voice", placeholder="model default")
                instructions = gr.Textbox(
                    d.instructions, label="Instructions", lines=3, placeholder="model default"
                )
                chunk_ms = gr.Number(d.chunk_ms, label="Chunk (ms, 5–1000)", elem_id="set-chunk-ms")
                resampler = gr.Dropdown(list(METHODS), value=d.resampler, label="Resampler")
            with gr.Column():
                turn = gr.Radio(
                    list(TURN_DETECTIONS), value=d.turn_detection, label="Turn detection (Talk tab)"
                )
                threshold = gr.Number(d.vad_threshold, label="server VAD threshold (0–1)")
                padding = gr.Number(d.vad_prefix_padding_ms, label="server VAD prefix padding (ms)")
                silence = gr.Number(d.vad_silence_ms, label="server VAD silence (ms)")
                eagerness = gr.Dropdown(
                    ["auto", "low", "medium", "high"],
                    value=d.vad_eagerness,
                    label="semantic VAD eagerness",
                )
            with gr.Column():
                gr.Markdown("**Mock latency model** (mock backend only)")
                ttfa = gr.Number(d.mock_ttfa_ms, label="time to first audio (ms)")
                speed = gr.Number(d.mock_speed_x, label="speed (× real time)")
                jitter = gr.Number(d.mock_jitter_ms, label="jitter per delta (ms)")
        apply = gr.Button("Apply", variant="primary", elem_id="set-apply")
        message = gr.HTML(status_html("Defaults in use."), elem_id="set-message")
    fields = [
        backend,
        voice,
        instructions,
        turn,
        threshold,
        padding,
        silence,
        eagerness,
        chunk_ms,
        resampler,
        ttfa,
        speed,
        jitter,
    ]
    return apply, fields, message


def build_ui(ctx: AppContext, registry: TalkRegistry | None = None) -> gr.Blocks:
    """The workbench's ``gr.Blocks``.

    Parameters
    ----------
    ctx : AppContext
        Server-wide settings: environment backend, mock base config, UI defaults.
    registry : TalkRegistry | None
        Where Talk sessions live (default: a new one); the server closes it on shutdown.
    """
    registry = registry if registry is not None else TalkRegistry()
    with gr.Blocks(title="Realtime workbench", analytics_enabled=False) as demo:
        settings = gr.State(ctx.defaults)
        header = gr.HTML(header_html(ctx, ctx.defaults), elem_id="wb-header")
        with gr.Tabs():
            build_talk_tab(ctx, registry, settings)
            build_file_tab(ctx, settings)
            with gr.Tab("Duplex (low latency)", id="duplex", elem_id="tab-duplex"):
                gr.HTML(_duplex_html())
            apply, fields, message = _settings_tab(ctx, settings)

        def on_apply(current: UiSettings, *values: Any) -> tuple[Any, ...]:
            new, status, head = apply_settings(
                ctx, current, dict(zip(SETTING_FIELDS, values, strict=True))
            )
            if head is None:
                gr.Warning(status_text(status))
                return current, status, gr.skip()
            return new, status, head

        apply.click(
            on_apply, [settings, *fields], [settings, message, header], show_progress="hidden"
        )

        async def on_unload(request: gr.Request) -> None:
            await registry.close(request.session_hash)

        demo.unload(on_unload)
    blocks: gr.Blocks = demo
    return blocks


def status_text(status: str) -> str:
    """The visible text of a :func:`status_html` string (for toasts)."""
    return html.unescape(re.sub(r"<[^>]+>", "", status))
