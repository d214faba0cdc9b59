"""What every tab of the Gradio workbench gets: the service and the per-tab state.

A new tab is one module with a ``build_*_tab(ui: UiContext)`` function and one line in
:data:`workbench.app.ui.blocks.TABS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbench.app.ui.talk_session import TalkRegistry
from workbench.service import SessionService


@dataclass
class UiContext:
    """The shared pieces a tab builder wires to.

    Attributes
    ----------
    service : SessionService
        Owns every session (limits, records, metrics).
    settings : gr.State
        This browser tab's :class:`~workbench.settings.RelaySettings`.
    header : gr.HTML
        The header line naming the backend (the Settings tab updates it).
    talk : TalkRegistry
        Which Talk session each browser tab drives (closed on unload).
    """

    service: SessionService
    settings: Any
    header: Any
    talk: TalkRegistry
