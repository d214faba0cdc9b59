"""The Duplex tab: the low-latency browser page (``/duplex``), embedded."""

from __future__ import annotations

import gradio as gr

from workbench.app.ui.context import UiContext


def duplex_html() -> str:
    """Why the duplex page is faster, a link to it, and the page in an iframe."""
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


def build_duplex_tab(ui: UiContext) -> None:
    """Lay out the Duplex tab (inside an open ``gr.Blocks``)."""
    with gr.Tab("Duplex (low latency)", id="duplex", elem_id="tab-duplex"):
        gr.HTML(duplex_html())
