"""Settings of one relay session (validated, immutable)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from workbench.errors import ConfigError
from workbench.protocol.events import (
    AudioFormatName,
    FunctionTool,
    NoTurnDetection,
    SemanticVad,
    ServerVad,
    SessionSettings,
    TurnDetection,
)
from workbench.protocol.settings import AUDIO_FORMAT_NAMES, ToolChoice, audio_bytes_per_ms

OnSessionCap = Literal["rollover", "end"]


@dataclass(frozen=True)
class RelayConfig:
    """How a :class:`~workbench.relay.relay.Relay` talks to the model.

    Parameters
    ----------
    chunk_ms : float
        Duration of each ``input_audio_buffer.append`` (ms, 5–1000). Default 40 ms.
    resampler : str
        Resampling method for input audio (see ``workbench.audio.METHODS``).
    turn_detection : TurnDetection
        ``NoTurnDetection()`` (explicit ``commit()``, the seed's flow), ``ServerVad`` or
        ``SemanticVad``.
    voice, instructions, input_transcription_model, output_modalities, temperature
        Session settings forwarded to the model (None = the model's default). What the
        service would refuse in the backend's dialect is refused when the relay is
        built (see :mod:`workbench.relay.settings_check`).
    tools, tool_choice
        Function tools the model may call, and how it chooses (None = not sent). A
        call reaches the shell as a ``ToolCall``; ``Relay.send_tool_output`` answers it.
    audio_format : {"pcm16", "g711_ulaw", "g711_alaw"}
        The model-side audio format, negotiated for input and output. The relay
        converts at its edge: shells always send and receive PCM16 24 kHz.
    on_session_cap : {"rollover", "end"}
        What to do when the upstream session hits its duration cap.
    max_reconnects : int
        Retryable upstream drops tolerated per session before giving up.
    reconnect_backoff_s : float
        First reconnect delay (s); doubles each attempt.
    connect_timeout_s, response_timeout_s, close_timeout_s : float
        Every wait has a bound: connecting, silence from upstream while a response is
        due, and closing (s).
    max_input_duration_s : float
        Longest encoded clip ``send_file`` accepts (s).
    """

    chunk_ms: float = 40.0
    resampler: str = "soxr-hq"
    turn_detection: TurnDetection = field(default_factory=NoTurnDetection)
    voice: str | None = None
    instructions: str | None = None
    input_transcription_model: str | None = "whisper-1"
    output_modalities: tuple[str, ...] | None = None
    temperature: float | None = None
    tools: tuple[FunctionTool, ...] | None = None
    tool_choice: ToolChoice | None = None
    audio_format: AudioFormatName = "pcm16"
    on_session_cap: OnSessionCap = "end"
    max_reconnects: int = 3
    reconnect_backoff_s: float = 0.25
    connect_timeout_s: float = 10.0
    response_timeout_s: float = 15.0
    close_timeout_s: float = 1.0
    max_input_duration_s: float = 600.0

    def __post_init__(self) -> None:
        from workbench.audio import METHODS  # the audio core owns the method list

        _check_range("chunk_ms", self.chunk_ms, 5.0, 1000.0)
        if self.resampler not in METHODS:
            raise ConfigError(
                f"resampler must be one of {', '.join(METHODS)}; got {self.resampler!r}"
            )
        if not isinstance(self.turn_detection, NoTurnDetection | ServerVad | SemanticVad):
            raise ConfigError(
                f"turn_detection must be a TurnDetection, got {self.turn_detection!r}"
            )
        if isinstance(self.turn_detection, ServerVad):
            _check_range("threshold", self.turn_detection.threshold, 0.0, 1.0)
            _check_range("prefix_padding_ms", self.turn_detection.prefix_padding_ms, 0, 5000)
            _check_range("silence_duration_ms", self.turn_detection.silence_duration_ms, 0, 10_000)
        if self.temperature is not None:
            # The range depends on the dialect (settings_check applies the reference's).
            _check_range("temperature", self.temperature, -math.inf, math.inf)
        if self.audio_format not in AUDIO_FORMAT_NAMES:
            raise ConfigError(
                f"audio_format must be one of {', '.join(AUDIO_FORMAT_NAMES)}; "
                f"got {self.audio_format!r}"
            )
        if self.tools is not None and not all(isinstance(t, FunctionTool) for t in self.tools):
            raise ConfigError(f"tools must be FunctionTool definitions, got {self.tools!r}")
        if self.on_session_cap not in ("rollover", "end"):
            raise ConfigError(
                f"on_session_cap must be 'rollover' or 'end', got {self.on_session_cap!r}"
            )
        _check_range("max_reconnects", self.max_reconnects, 0, 100)
        for name in (
            "reconnect_backoff_s",
            "connect_timeout_s",
            "response_timeout_s",
            "close_timeout_s",
            "max_input_duration_s",
        ):
            _check_range(name, getattr(self, name), 0.0, 86_400.0)

    @property
    def manual_commit(self) -> bool:
        """True when the relay (not the model) ends user turns (no turn detection)."""
        return isinstance(self.turn_detection, NoTurnDetection)

    @property
    def audio_bytes_per_ms(self) -> float:
        """Bytes per ms of model-side audio in ``audio_format`` (48 PCM16, 8 G.711)."""
        return audio_bytes_per_ms(self.audio_format)

    def session_settings(self, model: str | None = None) -> SessionSettings:
        """The ``session.update`` payload these settings imply.

        The audio format is always written (input and output), so a session never
        depends on the service's default.
        """
        return SessionSettings(
            model=model,
            output_modalities=self.output_modalities,
            instructions=self.instructions,
            voice=self.voice,
            input_transcription_model=self.input_transcription_model,
            turn_detection=self.turn_detection,
            temperature=self.temperature,
            input_audio_format=self.audio_format,
            output_audio_format=self.audio_format,
            tools=self.tools,
            tool_choice=self.tool_choice,
        )

    def with_changes(self, **changes: Any) -> RelayConfig:
        """A validated copy with ``changes`` applied (ConfigError names a bad value)."""
        try:
            return replace(self, **changes)
        except TypeError as exc:
            raise ConfigError(f"unknown relay setting: {exc}") from None


def _check_range(name: str, value: float, lo: float, hi: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{name} must be a number, got {value!r}")
    if math.isnan(value) or not lo <= value <= hi:
        raise ConfigError(f"{name} must be between {lo:g} and {hi:g}, got {value!r}")
