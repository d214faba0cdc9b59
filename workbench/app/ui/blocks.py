"""The Gradio workbench (``workbench serve``): Talk, File, Duplex and Settings tabs.

:func:`build_ui` returns the ``gr.Blocks``; :mod:`workbench.app.server.assembly` mounts
it on the same FastAPI app as the HTTP/WS API and the duplex page, over one
:class:`~workbench.service.SessionService`. Each browser tab has its own settings (a
``gr.State``) and at most one live Talk session (closed when the tab closes).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import gradio as gr

from workbench.app.ui.context import UiContext
from workbench.app.ui.duplex_tab import build_duplex_tab
from workbench.app.ui.file_tab import build_file_tab
from workbench.app.ui.settings_tab import build_settings_tab, header_html
from workbench.app.ui.talk_session import TalkRegistry
from workbench.app.ui.talk_tab import build_talk_tab
from workbench.service import EndReason, SessionService

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
.wb-problems { margin: 6px 0 0 18px; color: #b91c1c; }
"""

#: The tabs, in order: a new tab is one module and one line here.
TABS: Final[tuple[Callable[[UiContext], object], ...]] = (
    build_talk_tab,
    build_file_tab,
    build_duplex_tab,
    build_settings_tab,
)


def build_ui(service: SessionService, talk: TalkRegistry | None = None) -> gr.Blocks:
    """The workbench's ``gr.Blocks``.

    Parameters
    ----------
    service : SessionService
        Owns every session of every tab (limits, records, metrics).
    talk : TalkRegistry | None
        Which Talk session each browser tab drives (default: a new one); the server
        closes it on shutdown.
    """
    registry = talk if talk is not None else TalkRegistry()
    with gr.Blocks(title="Realtime workbench", analytics_enabled=False) as demo:
        settings = gr.State(service.defaults)
        header = gr.HTML(header_html(service, service.defaults), elem_id="wb-header")
        ui = UiContext(service=service, settings=settings, header=header, talk=registry)
        with gr.Tabs():
            for build in TABS:
                build(ui)

        async def on_unload(request: gr.Request) -> None:
            await registry.close(request.session_hash, EndReason.CLIENT_GONE)
            registry.forget(request.session_hash)

        demo.unload(on_unload)
    blocks: gr.Blocks = demo
    return blocks
