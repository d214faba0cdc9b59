"""What the mock model says: behaviours that turn the user's turn into an assistant reply.

A behaviour is any object with ``respond(turn: TurnInput) -> Reply`` (the
:class:`Behaviour` protocol). ``make_behaviour`` picks one from a ``MockConfig``;
a new behaviour (e.g. a smarter ``replay``) only needs that one method.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from workbench.errors import ConfigError
from workbench.mock.config import MockConfig, ScriptedTurn

SAMPLE_RATE_HZ = 24_000
BYTES_PER_SAMPLE = 2


@dataclass(frozen=True, slots=True)
class TurnInput:
    """The user's side of one turn, as the behaviour sees it.

    Attributes
    ----------
    audio_pcm16 : bytes
        The user's last committed audio (PCM16 LE mono 24 kHz); empty if none.
    user_transcript : str
        What the mock reports as the transcription of that audio.
    turn_index : int
        0-based index of this response in the session.
    """

    audio_pcm16: bytes
    user_transcript: str
    turn_index: int


@dataclass(frozen=True, slots=True)
class Reply:
    """The assistant's reply: PCM16 LE mono 24 kHz audio and its transcript."""

    audio_pcm16: bytes
    transcript: str


class Behaviour(Protocol):
    """Anything that can answer a turn."""

    def respond(self, turn: TurnInput) -> Reply:
        """The reply to ``turn``."""
        ...


def duration_ms(pcm16: bytes) -> float:
    """Duration (ms) of PCM16 mono 24 kHz bytes."""
    return len(pcm16) / BYTES_PER_SAMPLE * 1000.0 / SAMPLE_RATE_HZ


def tone_pcm16(tone_hz: float, tone_ms: float, amplitude: float = 0.5) -> bytes:
    """A sine tone as PCM16 LE mono 24 kHz bytes, with 5 ms raised-cosine fades.

    Parameters
    ----------
    tone_hz : float
        Frequency (Hz), 0 < tone_hz < 12000.
    tone_ms : float
        Duration (ms); rounded to whole samples.
    amplitude : float
        Peak amplitude in [0, 1] (0.5 is -6 dBFS peak, about -9 dBFS RMS).

    Returns
    -------
    bytes
        ``round(tone_ms * 24)`` samples of little-endian int16.
    """
    n = round(tone_ms * SAMPLE_RATE_HZ / 1000.0)
    t = np.arange(n, dtype=np.float64) / SAMPLE_RATE_HZ
    x = amplitude * np.sin(2.0 * np.pi * tone_hz * t)
    fade = min(n // 2, round(0.005 * SAMPLE_RATE_HZ))
    if fade > 0:
        ramp = 0.5 - 0.5 * np.cos(np.pi * np.arange(fade) / fade)
        x[:fade] *= ramp
        x[n - fade :] *= ramp[::-1]
    return (np.clip(x, -1.0, 1.0) * 32767.0).round().astype("<i2").tobytes()


class EchoBehaviour:
    """Answers with exactly the user's committed audio."""

    def __init__(self, transcript: str | None = None) -> None:
        self._transcript = transcript

    def respond(self, turn: TurnInput) -> Reply:
        """The user's audio back; transcript ``(echo) <user transcript>``."""
        text = self._transcript or f"(echo) {turn.user_transcript}"
        return Reply(turn.audio_pcm16, text)


class ToneBehaviour:
    """Answers with a sine tone of fixed frequency and length."""

    def __init__(self, tone_hz: float, tone_ms: float, transcript: str | None = None) -> None:
        self._audio = tone_pcm16(tone_hz, tone_ms)
        self._transcript = transcript or f"(tone {tone_hz:g} Hz, {tone_ms / 1000:.2f} s)"

    def respond(self, turn: TurnInput) -> Reply:
        """The tone."""
        return Reply(self._audio, self._transcript)


class SilenceBehaviour:
    """Answers with digital silence."""

    def __init__(self, silence_ms: float, transcript: str | None = None) -> None:
        self._audio = bytes(round(silence_ms * SAMPLE_RATE_HZ / 1000.0) * BYTES_PER_SAMPLE)
        self._transcript = transcript or "(silence)"

    def respond(self, turn: TurnInput) -> Reply:
        """Zeros."""
        return Reply(self._audio, self._transcript)


class ScriptedBehaviour:
    """Answers with canned turns in order, starting over after the last.

    Also serves ``replay``: a fixture loader turns a recorded session into turns.
    """

    def __init__(self, turns: Sequence[ScriptedTurn], what: str = "scripted") -> None:
        if not turns:
            raise ConfigError(f"behaviour {what!r} needs at least one turn")
        self._turns = tuple(turns)

    def respond(self, turn: TurnInput) -> Reply:
        """Turn ``turn_index`` of the script (cycling)."""
        scripted = self._turns[turn.turn_index % len(self._turns)]
        return Reply(scripted.audio_pcm16, scripted.transcript)


def make_behaviour(config: MockConfig) -> Behaviour:
    """The behaviour ``config.behaviour`` names, set up from ``config``.

    Raises
    ------
    ConfigError
        ``scripted`` without a script, ``replay`` without ``replay_turns``.
    """
    match config.behaviour:
        case "echo":
            return EchoBehaviour(config.transcript)
        case "tone":
            return ToneBehaviour(config.tone_hz, config.tone_ms, config.transcript)
        case "silence":
            return SilenceBehaviour(config.tone_ms, config.transcript)
        case "scripted":
            return ScriptedBehaviour(config.script)
        case "tool":
            return ToneBehaviour(config.tone_hz, config.tone_ms, config.transcript)
        case "replay":
            if config.replay_script is not None and not config.replay_turns:
                # Never asked: the model serves the recorded events instead (mock.replay).
                return SilenceBehaviour(0.0)
            if not config.replay_turns:
                raise ConfigError("replay needs a fixture: set MockConfig.replay_turns")
            return ScriptedBehaviour(config.replay_turns, "replay")
    raise ConfigError(f"unknown behaviour {config.behaviour!r}")
