"""The realtime audio component's settings, checked in Python before they reach a browser.

The session settings go to the server in the WebSocket's query string, so they are
checked against the one settings source (:class:`~workbench.settings.RelaySettings`,
names and bounds): a component built with a value the server would refuse fails at
construction with the same message, not later in the browser.
Pure: no Gradio, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any, Final, Literal

from workbench.app.api.ws_client_messages import SURFACE_KINDS
from workbench.errors import ConfigError
from workbench.settings import (
    MAX_INPUT_RATE_HZ,
    MIN_INPUT_RATE_HZ,
    RelaySettings,
    SettingsError,
    parse_values,
)

#: Largest first-reply jitter cushion (ms); the playback worklet's cushion stays <= this.
MAX_PREBUFFER_MS: Final = 300.0
DEFAULT_CONTEXT_RATE_HZ: Final = 24_000
DEFAULT_LATENCY_HINT: Final = "interactive"
#: Settings the browser decides itself: the input rate is the AudioContext's.
BROWSER_DECIDES: Final = frozenset({"sample_rate_hz"})

#: The AudioContext's ``latencyHint`` categories (Web Audio); a number is seconds.
LATENCY_HINTS: Final = ("interactive", "balanced", "playback")
MAX_LATENCY_HINT_S: Final = 1.0

TurnDetection = Literal["none", "server_vad", "semantic_vad"]
LatencyHint = Literal["interactive", "balanced", "playback"] | float
Eagerness = Literal["low", "medium", "high", "auto"]
SettingValue = str | int | float


def session_settings(settings: RelaySettings) -> dict[str, SettingValue]:
    """Every session setting of ``settings`` as WebSocket query keys (JSON-ready).

    All of them, so the session uses exactly these choices whatever the server's
    defaults; ``sample_rate_hz`` is left out (the browser declares its own rate).
    """
    return {
        f.name: getattr(settings, f.name) for f in fields(settings) if f.name not in BROWSER_DECIDES
    }


@dataclass(frozen=True, slots=True)
class ClientSettings:
    """Everything the browser side needs to open a session (camelCase on the wire).

    Attributes
    ----------
    ws_path : str
        ``WS /ws/realtime``: a path relative to the page, or an absolute ``ws(s)://`` /
        ``http(s)://`` URL.
    session : Mapping[str, str | int | float] | None
        Session settings by ``RelaySettings`` name (see :func:`session_settings`); the
        explicit ones below win over these. None: only the explicit ones are sent and
        the server's defaults fill in the rest.
    surface : {"talk"} | None
        Records the session with that kind on the server (``/sessions``, ``/metrics``).
    turn_detection : {"none", "server_vad", "semantic_vad"} | None
        ``none`` shows a "Send turn" button (the user ends the turn).
    vad_threshold : float | None
        server_vad threshold (0–1); None: the server's default.
    vad_prefix_padding_ms, vad_silence_ms : int | None
        server_vad padding and end-of-speech silence (ms); None: the server's default.
    vad_eagerness : {"low", "medium", "high", "auto"} | None
        semantic_vad eagerness.
    chunk_ms : float | None
        The relay's upstream frame duration (ms, 5–1000).
    prebuffer_ms : float | None
        The first reply's jitter cushion (ms, 0–300): playback starts this long after the
        reply's first audio (at once for a burst faster than real time). Later replies use
        the lateness of recent chunks plus a margin (10–300 ms), measured by the playback
        worklet. None: the page's default (``DEFAULT_SETTINGS.prebufferMs`` in
        ``realtime-client.js``).
    context_rate_hz : int | None
        AudioContext rate (Hz); 24000 plays the model's audio 1:1; None: the device rate.
    latency_hint : {"interactive", "balanced", "playback"} | float
        The AudioContext's ``latencyHint``: a category, or the output buffer wanted (s);
        the browser rounds it to what the device allows (reported as output latency).
    echo_cancellation : bool
        The browser's echo canceller on the microphone (keep it on with speakers).
    voice, instructions : str | None
        Forwarded to the model.
    """

    ws_path: str
    session: Mapping[str, SettingValue] | None
    surface: str | None
    turn_detection: TurnDetection | None
    vad_threshold: float | None
    vad_prefix_padding_ms: int | None
    vad_silence_ms: int | None
    vad_eagerness: Eagerness | None
    chunk_ms: float | None
    prebuffer_ms: float | None
    context_rate_hz: int | None
    latency_hint: LatencyHint
    echo_cancellation: bool
    voice: str | None
    instructions: str | None

    def __post_init__(self) -> None:
        if not isinstance(self.ws_path, str) or not self.ws_path.strip():
            raise ConfigError("ws_path must be a non-empty path or URL, e.g. '/ws/realtime'")
        if self.surface is not None and self.surface not in SURFACE_KINDS:
            raise ConfigError(
                f"surface must be one of {', '.join(SURFACE_KINDS)} or None, got {self.surface!r}"
            )
        if self.prebuffer_ms is not None and not 0 <= self.prebuffer_ms <= MAX_PREBUFFER_MS:
            raise ConfigError(
                f"prebuffer_ms must be between 0 and {MAX_PREBUFFER_MS:g}, "
                f"got {self.prebuffer_ms!r}"
            )
        hint = self.latency_hint
        if isinstance(hint, str):
            if hint not in LATENCY_HINTS:
                raise ConfigError(
                    f"latency_hint must be one of {', '.join(LATENCY_HINTS)} or seconds, "
                    f"got {hint!r}"
                )
        elif isinstance(hint, bool) or not 0 <= hint <= MAX_LATENCY_HINT_S:
            raise ConfigError(
                f"latency_hint in seconds must be between 0 and {MAX_LATENCY_HINT_S:g}, "
                f"got {hint!r}"
            )
        rate = self.context_rate_hz
        if rate is not None and not MIN_INPUT_RATE_HZ <= rate <= MAX_INPUT_RATE_HZ:
            raise ConfigError(
                f"context_rate_hz must be between {MIN_INPUT_RATE_HZ} and "
                f"{MAX_INPUT_RATE_HZ} (or None for the device rate), got {rate!r}"
            )
        try:
            parse_values(RelaySettings, self.server_settings())
        except SettingsError as exc:  # name the keys, as the caller wrote them
            raise ConfigError(exc.keyed_message, code="bad_settings") from None

    def server_settings(self) -> dict[str, Any]:
        """The keys the WebSocket's query string carries (``RelaySettings`` names)."""
        base = {k: v for k, v in (self.session or {}).items() if k not in BROWSER_DECIDES}
        values: dict[str, Any] = {
            "turn_detection": self.turn_detection,
            "chunk_ms": self.chunk_ms,
            "vad_threshold": self.vad_threshold,
            "vad_prefix_padding_ms": self.vad_prefix_padding_ms,
            "vad_silence_ms": self.vad_silence_ms,
            "vad_eagerness": self.vad_eagerness,
            "voice": self.voice,
            "instructions": self.instructions,
        }
        return {**base, **{k: v for k, v in values.items() if v is not None}}

    @property
    def effective_turn_detection(self) -> str | None:
        """The turn detection the session will use, when known here (None: the server's)."""
        value = self.server_settings().get("turn_detection")
        return value if isinstance(value, str) else None

    def to_props(self) -> dict[str, Any]:
        """The settings as the component's props (snake_case, JSON-ready)."""
        return asdict(self)
