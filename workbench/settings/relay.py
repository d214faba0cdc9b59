"""Per-session settings: what a user or client chooses for one relay session.

The one declaration of each setting's default, range, unit, label and help. The
Settings tab, the WebSocket ``settings`` message and query string, ``workbench relay``'s
flags, the server's defaults (``workbench serve --chunk-ms …`` / ``WORKBENCH_CHUNK_MS``)
and fixture metadata are all derived from :class:`RelaySettings`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from workbench.audio import DEFAULT_METHOD, METHODS, MODEL_FORMAT
from workbench.netem.profiles import PROFILES
from workbench.settings.spec import check_instance, setting

TURN_DETECTIONS: Final = ("none", "server_vad", "semantic_vad")
EAGERNESS: Final = ("auto", "low", "medium", "high")
BACKEND_CHOICES: Final = ("env", "mock")
#: Who answers function calls: nobody (no tools declared), the server, or the client.
TOOL_MODES: Final = ("none", "demo", "client")
#: Model-side audio formats (the protocol's neutral names; settings may not import the
#: protocol layer, so tests/settings checks this equals ``AUDIO_FORMAT_NAMES``).
AUDIO_FORMATS: Final = ("pcm16", "g711_ulaw", "g711_alaw")
#: Raw PCM16 input rates a client may declare (Hz).
MIN_INPUT_RATE_HZ: Final = 8_000
MAX_INPUT_RATE_HZ: Final = 96_000


@dataclass(frozen=True)
class RelaySettings:
    """One session's choices (units in the names). Construction validates every field.

    Raises
    ------
    SettingsError
        Every bad value at once, named by its label.
    """

    backend_source: str = setting(
        "env",
        label="Backend",
        unit="",
        kind="choice",
        choices=BACKEND_CHOICES,
        help="env: what the environment selects (OpenAI or Azure when a key is set, else "
        "the built-in mock); mock: the built-in mock regardless of keys.",
    )
    chunk_ms: float = setting(
        40.0,
        label="Chunk size",
        unit="ms",
        kind="float",
        lo=5.0,
        hi=1000.0,
        help="Duration of each audio frame sent to the model.",
    )
    resampler: str = setting(
        DEFAULT_METHOD,
        label="Resampler",
        unit="",
        kind="choice",
        choices=tuple(METHODS),
        help="How input audio is converted to the model's 24 kHz.",
    )
    turn_detection: str = setting(
        "server_vad",
        label="Turn detection",
        unit="",
        kind="choice",
        choices=TURN_DETECTIONS,
        help="none: the client ends each turn (Send turn / commit); server_vad or "
        "semantic_vad: the model detects the end of speech. Uploads always use none.",
    )
    vad_threshold: float = setting(
        0.5,
        label="VAD threshold",
        unit="",
        kind="float",
        lo=0.0,
        hi=1.0,
        help="server_vad: how loud speech must be (higher needs louder audio).",
    )
    vad_prefix_padding_ms: int = setting(
        300,
        label="VAD prefix padding",
        unit="ms",
        kind="int",
        lo=0,
        hi=5000,
        help="server_vad: audio kept before the detected start of speech.",
    )
    vad_silence_ms: int = setting(
        500,
        label="VAD silence",
        unit="ms",
        kind="int",
        lo=0,
        hi=10_000,
        help="server_vad: the silence that ends a turn.",
    )
    vad_eagerness: str = setting(
        "auto",
        label="Semantic VAD eagerness",
        unit="",
        kind="choice",
        choices=EAGERNESS,
        help="semantic_vad: how soon the model decides you have finished.",
    )
    voice: str = setting(
        "",
        label="Voice",
        unit="",
        kind="text",
        max_chars=64,
        pattern=r"[A-Za-z0-9_-]+",
        pattern_text="a voice name (letters, digits, - and _)",
        help="The model's voice, one the service's reference lists (checked before a session "
        "connects); empty for its default.",
    )
    instructions: str = setting(
        "",
        label="Instructions",
        unit="",
        kind="text",
        max_chars=16_384,
        help="System instructions for the model; empty for its default.",
    )
    tools: str = setting(
        "none",
        label="Tools",
        unit="",
        kind="choice",
        choices=TOOL_MODES,
        help="Function tools the model may call. none: no tools; demo: the server's demo "
        "tools (get_current_time), answered by the server and shown in the transcript; "
        "client: the same tools, answered by the client (WebSocket API only: tool_call / "
        "tool_output messages).",
    )
    audio_format: str = setting(
        "pcm16",
        label="Model audio format",
        unit="",
        kind="choice",
        choices=AUDIO_FORMATS,
        help="Audio between the relay and the model: pcm16 (24 kHz) or G.711 μ-law / "
        "A-law (8 kHz, telephony experiments). Clients always send and receive PCM16; the "
        "relay converts.",
    )
    sample_rate_hz: int = setting(
        MODEL_FORMAT.sample_rate_hz,
        label="Input sample rate",
        unit="Hz",
        kind="int",
        lo=MIN_INPUT_RATE_HZ,
        hi=MAX_INPUT_RATE_HZ,
        help="Rate of raw PCM16 input (WebSocket binary frames, raw stream uploads).",
    )
    mock_ttfa_ms: float = setting(
        300.0,
        label="Mock time to first audio",
        unit="ms",
        kind="float",
        lo=0.0,
        hi=60_000.0,
        help="Built-in mock only: delay from the end of your turn to its first audio.",
    )
    mock_speed_x: float = setting(
        1.0,
        label="Mock speed",
        unit="× real time",
        kind="float",
        lo=0.1,
        hi=100.0,
        help="Built-in mock only: how fast it sends reply audio.",
    )
    mock_jitter_ms: float = setting(
        0.0,
        label="Mock jitter",
        unit="ms",
        kind="float",
        lo=0.0,
        hi=10_000.0,
        help="Built-in mock only: random delay added to each reply piece.",
    )
    upstream_net_profile: str = setting(
        "none",
        label="Network profile, relay ↔ model",
        unit="",
        kind="choice",
        choices=tuple(PROFILES),
        help="Impair this session's connection to the model (delay, jitter, bandwidth, "
        "TCP loss recovery) as the named profile does; profiles and their sources in "
        "docs/latency-lab.md.",
    )

    def __post_init__(self) -> None:
        check_instance(self)

    @property
    def manual_commit(self) -> bool:
        """Whether the client (not the model) ends each turn."""
        return self.turn_detection == "none"
