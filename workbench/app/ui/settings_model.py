"""Settings of the Gradio workbench: what the Settings tab edits, validated.

A :class:`UiSettings` is one browser session's choice of backend, voice, turn
detection, chunking, resampler and mock latency model. It is checked as a whole when
the user presses *Apply* (``ConfigError`` → a visible message, nothing changes) and
takes effect at the next relay session. :class:`AppContext` holds what the server was
started with (environment settings, the mock's base configuration) and turns a
``UiSettings`` into a ``Backend`` and a ``RelayConfig``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

from workbench.backends.base import Backend
from workbench.config import WorkbenchSettings, make_backend
from workbench.errors import ConfigError
from workbench.mock.config import MockConfig
from workbench.protocol.settings import NoTurnDetection, SemanticVad, ServerVad, TurnDetection
from workbench.relay.config import RelayConfig

BackendChoice = Literal["env", "mock"]
TurnDetectionName = Literal["none", "server_vad", "semantic_vad"]
TURN_DETECTIONS: tuple[TurnDetectionName, ...] = ("none", "server_vad", "semantic_vad")
EAGERNESS: tuple[str, ...] = ("auto", "low", "medium", "high")
MAX_VOICE_CHARS = 64
MAX_INSTRUCTIONS_CHARS = 16_384


@dataclass(frozen=True)
class UiSettings:
    """One browser session's settings (units in the names; defaults are the seed's).

    Parameters
    ----------
    backend : {"env", "mock"}
        ``env``: the backend the environment selects (OpenAI / Azure, or the mock when
        no key is set); ``mock``: the built-in mock regardless of keys.
    voice, instructions : str
        Forwarded to the model; empty = the model's default.
    turn_detection : {"none", "server_vad", "semantic_vad"}
        For the Talk tab. The File tab always commits explicitly (the seed's flow).
    vad_threshold : float
        server_vad threshold (0–1).
    vad_prefix_padding_ms, vad_silence_ms : int
        server_vad padding before speech and the silence that ends a turn (ms).
    vad_eagerness : str
        semantic_vad eagerness (auto, low, medium, high).
    chunk_ms : float
        Duration of each audio frame sent upstream (ms, 5–1000).
    resampler : str
        Input resampling method (``workbench.audio.METHODS``).
    mock_ttfa_ms, mock_speed_x, mock_jitter_ms : float
        The mock's latency model: time to first audio (ms), delivery speed (× real
        time) and per-delta jitter (ms).
    """

    backend: BackendChoice = "env"
    voice: str = ""
    instructions: str = ""
    turn_detection: TurnDetectionName = "server_vad"
    vad_threshold: float = 0.5
    vad_prefix_padding_ms: int = 300
    vad_silence_ms: int = 500
    vad_eagerness: str = "auto"
    chunk_ms: float = 40.0
    resampler: str = "soxr-hq"
    mock_ttfa_ms: float = 300.0
    mock_speed_x: float = 1.0
    mock_jitter_ms: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        """The settings as a plain dict (for display and tests)."""
        return asdict(self)

    def turn_detection_config(self) -> TurnDetection:
        """The protocol's turn-detection object these settings select."""
        if self.turn_detection == "server_vad":
            return ServerVad(
                threshold=self.vad_threshold,
                prefix_padding_ms=self.vad_prefix_padding_ms,
                silence_duration_ms=self.vad_silence_ms,
            )
        if self.turn_detection == "semantic_vad":
            return SemanticVad(eagerness=self.vad_eagerness)  # type: ignore[arg-type]
        return NoTurnDetection()

    def relay_config(self, *, manual_commit: bool = False) -> RelayConfig:
        """The validated :class:`RelayConfig` (ConfigError names a bad value).

        Parameters
        ----------
        manual_commit : bool
            Force turn detection off (the File tab sends a whole clip and commits).
        """
        return RelayConfig(
            chunk_ms=self.chunk_ms,
            resampler=self.resampler,
            turn_detection=NoTurnDetection() if manual_commit else self.turn_detection_config(),
            voice=self.voice or None,
            instructions=self.instructions or None,
        )

    def mock_config(self, base: MockConfig) -> MockConfig:
        """``base`` with this session's latency model (ConfigError names a bad value)."""
        latency = replace(
            base.latency,
            ttfa_ms=self.mock_ttfa_ms,
            speed_x_realtime=self.mock_speed_x,
            jitter_ms=self.mock_jitter_ms,
        )
        return replace(base, latency=latency)


def _number(name: str, value: object, *, integer: bool = False) -> float:
    if value is None or value == "":
        raise ConfigError(f"{name} is empty; enter a number")
    if isinstance(value, bool):
        raise ConfigError(f"{name} must be a number, got {value!r}")
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ConfigError(f"{name} must be a number, got {value!r}") from None
    if math.isnan(number) or math.isinf(number):
        raise ConfigError(f"{name} must be a finite number, got {value!r}")
    if integer and number != int(number):
        raise ConfigError(f"{name} must be a whole number of ms, got {value!r}")
    return number


def _in_range(name: str, value: float, lo: float, hi: float) -> None:
    if not lo <= value <= hi:
        raise ConfigError(f"{name} must be between {lo:g} and {hi:g}, got {value:g}")


def parse_settings(values: Mapping[str, object], base: UiSettings | None = None) -> UiSettings:
    """Build and fully validate settings from form values.

    Parameters
    ----------
    values : Mapping[str, object]
        Field name (as in :class:`UiSettings`) → value as a Gradio component returns it
        (numbers may arrive as ``None`` or strings). Missing fields keep ``base``.
    base : UiSettings | None
        Values for missing fields (default: ``UiSettings()``).

    Returns
    -------
    UiSettings
        Settings whose relay and mock configurations are known to be valid.

    Raises
    ------
    ConfigError
        The first invalid value, with a message fit to show the user.
    """
    current = base if base is not None else UiSettings()
    known = set(asdict(current))
    unknown = sorted(set(values) - known)
    if unknown:
        raise ConfigError(f"unknown setting {unknown[0]!r}")
    merged: dict[str, Any] = asdict(current) | dict(values)
    if merged["backend"] not in ("env", "mock"):
        raise ConfigError(f"backend must be 'env' or 'mock', got {merged['backend']!r}")
    if merged["turn_detection"] not in TURN_DETECTIONS:
        raise ConfigError(
            f"turn detection must be one of {', '.join(TURN_DETECTIONS)}, "
            f"got {merged['turn_detection']!r}"
        )
    if merged["vad_eagerness"] not in EAGERNESS:
        raise ConfigError(f"eagerness must be one of {', '.join(EAGERNESS)}")
    voice = str(merged["voice"] or "").strip()
    instructions = str(merged["instructions"] or "").strip()
    if len(voice) > MAX_VOICE_CHARS or (
        voice and not voice.replace("-", "").replace("_", "").isalnum()
    ):
        raise ConfigError(f"voice must be a name of up to {MAX_VOICE_CHARS} letters/digits")
    if len(instructions) > MAX_INSTRUCTIONS_CHARS:
        raise ConfigError(f"instructions are limited to {MAX_INSTRUCTIONS_CHARS} characters")
    settings = UiSettings(
        backend=merged["backend"],
        voice=voice,
        instructions=instructions,
        turn_detection=merged["turn_detection"],
        vad_threshold=_number("VAD threshold", merged["vad_threshold"]),
        vad_prefix_padding_ms=int(
            _number("VAD prefix padding (ms)", merged["vad_prefix_padding_ms"], integer=True)
        ),
        vad_silence_ms=int(_number("VAD silence (ms)", merged["vad_silence_ms"], integer=True)),
        vad_eagerness=merged["vad_eagerness"],
        chunk_ms=_number("chunk (ms)", merged["chunk_ms"]),
        resampler=str(merged["resampler"]),
        mock_ttfa_ms=_number("mock time to first audio (ms)", merged["mock_ttfa_ms"]),
        mock_speed_x=_number("mock speed (× real time)", merged["mock_speed_x"]),
        mock_jitter_ms=_number("mock jitter (ms)", merged["mock_jitter_ms"]),
    )
    _in_range("mock time to first audio (ms)", settings.mock_ttfa_ms, 0, 60_000)
    _in_range("mock speed (× real time)", settings.mock_speed_x, 0.1, 100)
    _in_range("mock jitter (ms)", settings.mock_jitter_ms, 0, 10_000)
    settings.relay_config()  # RelayConfig checks chunk, resampler and VAD ranges
    settings.mock_config(MockConfig())
    return settings


@dataclass
class AppContext:
    """What the server was started with, shared by every browser session.

    Parameters
    ----------
    env : WorkbenchSettings
        Backend selection from the environment (keys stay inside; never rendered).
    mock_base : MockConfig
        The mock's behaviour and fault settings (the UI edits only its latency).
    defaults : UiSettings
        Settings a new browser session starts with.
    connect_timeout_s : float
        Bound on opening an upstream session (s).
    """

    env: WorkbenchSettings = field(default_factory=WorkbenchSettings)
    mock_base: MockConfig = field(default_factory=MockConfig)
    defaults: UiSettings = field(default_factory=UiSettings)
    connect_timeout_s: float = 10.0

    @property
    def env_is_mock(self) -> bool:
        """Whether the environment selects the built-in mock (no keys set)."""
        return self.env.backend in ("mock", "mock-server")

    def backend_for(self, settings: UiSettings) -> Backend:
        """The backend a session with ``settings`` talks to (a new object per session)."""
        env = self.env
        if settings.backend == "mock" and env.backend != "mock":
            env = replace(env, backend="mock")
        return make_backend(
            env,
            mock_config=settings.mock_config(self.mock_base),
            connect_timeout_s=self.connect_timeout_s,
        )

    def describe(self, settings: UiSettings) -> str:
        """One line naming the backend ``settings`` select (never a key)."""
        return self.backend_for(settings).info.description
