"""``RealtimeAudio``: a Gradio custom component for low-latency voice sessions.

The browser side (``frontend/realtime_audio/``, built into ``templates/``) captures the
microphone in an AudioWorklet, streams it over ``WS /ws/realtime`` and plays the reply
through a jitter-buffered AudioWorklet, with the same code as the duplex page. Python
gets events; the session's audio never passes through Gradio's queue.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict
from typing import Any, Literal

from gradio.components.base import Component
from gradio.events import Dependency, EventListener

from workbench.app.ui.realtime_audio.payloads import RealtimeLog
from workbench.app.ui.realtime_audio.props import (
    DEFAULT_CONTEXT_RATE_HZ,
    DEFAULT_LATENCY_HINT,
    ClientSettings,
    Eagerness,
    LatencyHint,
    SettingValue,
    TurnDetection,
    session_settings,
)
from workbench.settings import RelaySettings


class RealtimeAudio(Component):
    """Talk to the realtime model from the browser: microphone in, reply out, low latency.

    Events (register handlers with ``trigger_mode="multiple"`` so that none is dropped
    while an earlier one runs; type the handler's event argument to get parsed records):

    - ``session_start`` (``SessionStartEvent``): the WebSocket session is live.
    - ``transcript`` (``TranscriptEvent``): a finished user or assistant transcript.
    - ``turn`` (``TurnEvent``): a reply was heard; mic→speaker on the audio clock and
      the server's timeline of the same turn.
    - ``session_error`` (``SessionErrorEvent``): an error, the server's message verbatim.
    - ``session_end`` (``SessionEndEvent``): the session is over.

    The value (input only) is a :class:`~workbench.app.ui.realtime_audio.payloads.RealtimeLog`
    of the current session: its turns and finished transcripts.
    """

    EVENTS: list[str | EventListener] = [  # noqa: RUF012 (Gradio reads a class-level list)
        EventListener("session_start", show_progress="hidden", doc="The session is live."),
        EventListener("transcript", show_progress="hidden", doc="A transcript item finished."),
        EventListener("turn", show_progress="hidden", doc="A reply was heard (latency report)."),
        EventListener("session_error", show_progress="hidden", doc="An error, verbatim."),
        EventListener("session_end", show_progress="hidden", doc="The session is over."),
    ]
    # For type checkers only: Gradio's metaclass turns each name in EVENTS into a listener
    # method (it also writes a component.pyi with them, which git and mypy ignore).
    session_start: Callable[..., Dependency]
    transcript: Callable[..., Dependency]
    turn: Callable[..., Dependency]
    session_error: Callable[..., Dependency]
    session_end: Callable[..., Dependency]

    # The Svelte sources live outside the package (node_modules must not ship); the built
    # bundle is committed in ./templates (see scripts/build_component.sh).
    FRONTEND_DIR = "../../../../frontend/realtime_audio/"

    def __init__(
        self,
        value: RealtimeLog | Callable[..., Any] | None = None,
        *,
        ws_path: str = "/ws/realtime",
        settings: RelaySettings | Mapping[str, SettingValue] | None = None,
        surface: Literal["talk"] | None = None,
        turn_detection: TurnDetection | None = None,
        vad_threshold: float | None = None,
        vad_prefix_padding_ms: int | None = None,
        vad_silence_ms: int | None = None,
        vad_eagerness: Eagerness | None = None,
        chunk_ms: float | None = None,
        prebuffer_ms: float | None = None,
        context_rate_hz: int | None = DEFAULT_CONTEXT_RATE_HZ,
        latency_hint: LatencyHint = DEFAULT_LATENCY_HINT,
        echo_cancellation: bool = True,
        voice: str | None = None,
        instructions: str | None = None,
        show_transcript: bool = True,
        label: str | None = "Realtime audio",
        show_label: bool | None = None,
        container: bool = True,
        scale: int | None = None,
        min_width: int = 320,
        visible: bool = True,
        elem_id: str | None = None,
        elem_classes: list[str] | str | None = None,
        render: bool = True,
        key: int | str | tuple[int | str, ...] | None = None,
    ) -> None:
        """
        Parameters
        ----------
        value : RealtimeLog | None
            Initial value (normally None: the browser fills it in as turns complete).
        ws_path : str
            ``WS /ws/realtime`` relative to the page, or an absolute ws(s)/http(s) URL.
        settings : RelaySettings | Mapping | None
            The session's settings (e.g. the Settings tab's ``RelaySettings``): every
            one is sent, so the session uses exactly these. None: only the arguments
            below that are set, and the server's defaults for the rest.
        surface : {"talk"} | None
            Record the sessions with this kind on the server instead of ``websocket``.
        turn_detection : {"none", "server_vad", "semantic_vad"} | None
            ``none`` shows a "Send turn" button. These and the next ones override
            ``settings``; None: from ``settings`` or the server's default.
        vad_threshold, vad_prefix_padding_ms, vad_silence_ms, vad_eagerness
            VAD settings (ms where named so).
        chunk_ms : float | None
            The relay's upstream frame duration (ms, 5–1000).
        prebuffer_ms : float | None
            The first reply's jitter cushion (ms, 0–300); later replies adapt to the
            measured lateness of the audio chunks. None: the page's default
            (``DEFAULT_SETTINGS.prebufferMs`` in ``realtime-client.js``).
        context_rate_hz : int | None
            AudioContext rate (Hz); 24000 plays the 24 kHz reply 1:1; None: device rate.
        latency_hint : {"interactive", "balanced", "playback"} | float
            The AudioContext's ``latencyHint`` (a category, or seconds of output buffer).
        echo_cancellation : bool
            The browser's echo canceller on the microphone.
        voice, instructions : str | None
            Forwarded to the model.
        show_transcript : bool
            Show the live transcript inside the component.

        Raises
        ------
        workbench.errors.ConfigError
            A setting the server would refuse (message as the server words it).
        """
        session = session_settings(settings) if isinstance(settings, RelaySettings) else settings
        checked = ClientSettings(
            ws_path=ws_path,
            session=dict(session) if session is not None else None,
            surface=surface,
            turn_detection=turn_detection,
            vad_threshold=vad_threshold,
            vad_prefix_padding_ms=vad_prefix_padding_ms,
            vad_silence_ms=vad_silence_ms,
            vad_eagerness=vad_eagerness,
            chunk_ms=chunk_ms,
            prebuffer_ms=prebuffer_ms,
            context_rate_hz=context_rate_hz,
            latency_hint=latency_hint,
            echo_cancellation=echo_cancellation,
            voice=voice,
            instructions=instructions,
        )
        self.ws_path = ws_path
        # Props reach the browser as JSON: the settings as query keys.
        self.settings = checked.session
        self.surface = surface
        self.turn_detection = turn_detection
        self.vad_threshold = vad_threshold
        self.vad_prefix_padding_ms = vad_prefix_padding_ms
        self.vad_silence_ms = vad_silence_ms
        self.vad_eagerness = vad_eagerness
        self.chunk_ms = chunk_ms
        self.prebuffer_ms = prebuffer_ms
        self.context_rate_hz = context_rate_hz
        self.latency_hint = latency_hint
        self.echo_cancellation = echo_cancellation
        self.voice = voice
        self.instructions = instructions
        self.show_transcript = show_transcript
        super().__init__(
            value=value,
            label=label,
            show_label=show_label,
            container=container,
            scale=scale,
            min_width=min_width,
            interactive=True,
            visible=visible,
            elem_id=elem_id,
            elem_classes=elem_classes,
            render=render,
            key=key,
        )

    def preprocess(self, payload: Any) -> RealtimeLog | None:
        """The browser's session log as a typed record (None before the first session)."""
        return None if payload is None else RealtimeLog.from_payload(payload)

    def postprocess(self, value: Any) -> dict[str, Any] | None:
        """Only None (clear) or a ``RealtimeLog`` go back to the browser."""
        if value is None:
            return None
        if isinstance(value, RealtimeLog):
            return asdict(value)
        raise TypeError(f"RealtimeAudio's value is a RealtimeLog or None, got {type(value)!r}")

    def api_info(self) -> dict[str, Any]:
        """JSON schema of the value (the session log)."""
        return {
            "type": "object",
            "description": "session log: session_id, turns (latency reports), transcript",
            "properties": {
                "session_id": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                "turns": {"type": "array", "items": {"type": "object"}},
                "transcript": {"type": "array", "items": {"type": "object"}},
            },
        }

    def example_payload(self) -> Any:
        """An empty session log."""
        return {"session_id": None, "turns": [], "transcript": []}

    def example_value(self) -> Any:
        """An empty session log."""
        return RealtimeLog(session_id=None, turns=(), transcript=())


__all__: Sequence[str] = ["RealtimeAudio"]
