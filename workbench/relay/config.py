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
from workbench.settings import RelaySettings, ServerSettings, spec_of
from workbench.settings.spec import Problem, SettingsError

OnSessionCap = Literal["rollover", "end"]
#: The defaults come from the one settings source.
_SESSION = RelaySettings()
_SERVER = ServerSettings()


@dataclass(frozen=True)
class RelayConfig:
    """How a :class:`~workbench.relay.relay.Relay` talks to the model.

    Parameters
    ----------
    chunk_ms : float
        Duration of each ``input_audio_buffer.append`` (ms); default and range from
        :class:`~workbench.settings.RelaySettings` (as are the resampler and VAD values;
        the timeouts' defaults come from :class:`~workbench.settings.ServerSettings`).
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
    max_decoded_bytes : int
        Most decoded float32 audio one piece of an encoded stream fed to the relay may
        expand to (``too_large`` beyond); encoded input is decoded at the model-side rate.
    max_queued_audio_s : float
        Most assistant audio (s) queued for a shell that does not take it; past it the
        relay stops queueing audio and ``Relay.outbox.overflowed`` is set (the session
        service then ends the session).
    """

    chunk_ms: float = _SESSION.chunk_ms
    resampler: str = _SESSION.resampler
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
    connect_timeout_s: float = _SERVER.connect_timeout_s
    response_timeout_s: float = _SERVER.response_timeout_s
    close_timeout_s: float = _SERVER.close_timeout_s
    max_input_duration_s: float = _SERVER.max_input_audio_s
    max_decoded_bytes: int = _SERVER.max_decoded_bytes
    max_queued_audio_s: float = _SERVER.max_queued_reply_s

    def __post_init__(self) -> None:
        _check_setting(RelaySettings, "chunk_ms", self.chunk_ms)
        _check_setting(RelaySettings, "resampler", self.resampler)
        if not isinstance(self.turn_detection, NoTurnDetection | ServerVad | SemanticVad):
            raise ConfigError(
                f"turn_detection must be a TurnDetection, got {self.turn_detection!r}"
            )
        if isinstance(self.turn_detection, ServerVad):
            vad = self.turn_detection
            _check_setting(RelaySettings, "vad_threshold", vad.threshold)
            _check_setting(RelaySettings, "vad_prefix_padding_ms", vad.prefix_padding_ms)
            _check_setting(RelaySettings, "vad_silence_ms", vad.silence_duration_ms)
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
        _check_setting(ServerSettings, "max_decoded_bytes", self.max_decoded_bytes)
        for name in (
            "reconnect_backoff_s",
            "connect_timeout_s",
            "response_timeout_s",
            "close_timeout_s",
            "max_input_duration_s",
            "max_queued_audio_s",
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


def _check_setting(cls: type, name: str, value: object) -> None:
    spec = spec_of(cls, name)
    try:
        spec.parse(value)
    except ValueError as exc:  # a library caller wrote the key: name it
        error = SettingsError([Problem(name, spec.display, str(exc))])
        raise ConfigError(error.keyed_message, code="bad_settings") from None


def _check_range(name: str, value: float, lo: float, hi: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{name} must be a number, got {value!r}")
    if math.isnan(value) or not lo <= value <= hi:
        raise ConfigError(f"{name} must be between {lo:g} and {hi:g}, got {value!r}")
