"""Typed event data for :class:`RealtimeAudio` handlers (``gr.EventData`` subclasses).

Annotate a handler's argument with one of these and Gradio passes it in, parsed::

    def on_turn(evt: TurnEvent) -> str:
        return f"{evt.turn.mic_to_speaker_ms:.0f} ms"

A payload that does not parse raises :class:`~.payloads.PayloadError` (a
``WorkbenchError``) before the handler runs.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from workbench.app.ui.realtime_audio.payloads import (
    SessionEnd,
    SessionError,
    SessionStart,
    TranscriptEntry,
    TurnReport,
)


class SessionStartEvent(gr.EventData):
    """``session_start``: ``.session`` is a :class:`SessionStart`."""

    def __init__(self, target: Any, data: Any) -> None:
        super().__init__(target, data)
        self.session = SessionStart.from_payload(data)


class TranscriptEvent(gr.EventData):
    """``transcript``: ``.entry`` is a :class:`TranscriptEntry` (a finished item)."""

    def __init__(self, target: Any, data: Any) -> None:
        super().__init__(target, data)
        self.entry = TranscriptEntry.from_payload(data)


class TurnEvent(gr.EventData):
    """``turn``: ``.turn`` is a :class:`TurnReport` (mic→speaker + server timeline)."""

    def __init__(self, target: Any, data: Any) -> None:
        super().__init__(target, data)
        self.turn = TurnReport.from_payload(data)


class SessionErrorEvent(gr.EventData):
    """``session_error``: ``.error`` is a :class:`SessionError` (message verbatim)."""

    def __init__(self, target: Any, data: Any) -> None:
        super().__init__(target, data)
        self.error = SessionError.from_payload(data)


class SessionEndEvent(gr.EventData):
    """``session_end``: ``.end`` is a :class:`SessionEnd`."""

    def __init__(self, target: Any, data: Any) -> None:
        super().__init__(target, data)
        self.end = SessionEnd.from_payload(data)
