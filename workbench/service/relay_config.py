"""From settings to the relay's and the mock's configuration, in one place.

:func:`relay_config` combines what a session chose (:class:`RelaySettings`) with what
the server enforces (:class:`ServerSettings`); :func:`mock_config` applies a session's
mock latency model to the server's base mock. No shell builds a ``RelayConfig``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import cast

from workbench.mock.config import MockConfig
from workbench.protocol.settings import (
    AudioFormatName,
    NoTurnDetection,
    SemanticVad,
    ServerVad,
    TurnDetection,
)
from workbench.relay.config import RelayConfig
from workbench.service.tools import DEMO_TOOL_DEFINITIONS
from workbench.settings import RelaySettings, ServerSettings


def turn_detection(settings: RelaySettings) -> TurnDetection:
    """The protocol's turn-detection object ``settings`` select."""
    if settings.turn_detection == "server_vad":
        return ServerVad(
            threshold=settings.vad_threshold,
            prefix_padding_ms=settings.vad_prefix_padding_ms,
            silence_duration_ms=settings.vad_silence_ms,
        )
    if settings.turn_detection == "semantic_vad":
        return SemanticVad(eagerness=settings.vad_eagerness)  # type: ignore[arg-type]
    return NoTurnDetection()


def relay_config(
    settings: RelaySettings,
    server: ServerSettings,
    *,
    manual_commit: bool = False,
    max_reconnects: int | None = None,
) -> RelayConfig:
    """The relay configuration of one session.

    Parameters
    ----------
    settings : RelaySettings
        The session's choices.
    server : ServerSettings
        Timeouts and the input limit every session gets.
    manual_commit : bool
        Turn detection off regardless of ``settings`` (uploads, the File tab: one
        clip, one commit, as in the seed).
    max_reconnects : int | None
        Override the relay's reconnect budget (0 for one-shot HTTP replies, which
        cannot resume mid-body).
    """
    config = RelayConfig(
        chunk_ms=settings.chunk_ms,
        resampler=settings.resampler,
        turn_detection=NoTurnDetection() if manual_commit else turn_detection(settings),
        voice=settings.voice or None,
        instructions=settings.instructions or None,
        tools=None if settings.tools == "none" else DEMO_TOOL_DEFINITIONS,
        tool_choice=None if settings.tools == "none" else "auto",
        # The settings' choices are the protocol's format names (tests/settings).
        audio_format=cast(AudioFormatName, settings.audio_format),
        connect_timeout_s=server.connect_timeout_s,
        response_timeout_s=server.response_timeout_s,
        close_timeout_s=server.close_timeout_s,
        max_input_duration_s=server.max_input_audio_s,
        max_decoded_bytes=server.max_decoded_bytes,
        max_queued_audio_s=server.max_queued_reply_s,
    )
    if max_reconnects is not None:
        config = config.with_changes(max_reconnects=max_reconnects)
    return config


def mock_config(settings: RelaySettings, base: MockConfig) -> MockConfig:
    """``base`` with the session's mock latency model (time to first audio, speed, jitter)."""
    latency = replace(
        base.latency,
        ttfa_ms=settings.mock_ttfa_ms,
        speed_x_realtime=settings.mock_speed_x,
        jitter_ms=settings.mock_jitter_ms,
    )
    return replace(base, latency=latency)
