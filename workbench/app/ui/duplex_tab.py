"""The Duplex tab: the low-latency browser page (``/duplex``), embedded."""

from __future__ import annotations

import gradio as gr

from workbench.app.ui.context import UiContext


def duplex_html() -> str:
    """What the duplex page is, a link to it, and the page in an iframe."""
    return (
        "<p>The same low-latency path as the Talk tab's realtime mode, as a plain page "
        "without Gradio: AudioWorklet capture, PCM over a binary WebSocket "
        "(<code>/ws/realtime</code>), jitter-buffered AudioWorklet playback, and the "
        "same measurements (mic → first reply sample and first audible, on the audio "
        "clock; see docs/ui.md).</p>"
        '<p><a href="/duplex" target="_blank" rel="noopener"><b>Open the duplex page in its '
        "own tab ↗</b></a> (recommended: it needs the microphone).</p>"
        '<iframe src="/duplex" title="duplex" allow="microphone; autoplay" '
        'style="width:100%;height:760px;border:1px solid #e2e8f0;border-radius:8px"></iframe>'
    )


def build_duplex_tab(ui: UiContext) -> None:
    """Lay out the Duplex tab (inside an open ``gr.Blocks``)."""
    with gr.Tab("Duplex (low latency)", id="duplex", elem_id="tab-duplex"):
        gr.HTML(duplex_html())
