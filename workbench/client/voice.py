"""Voice-to-voice latency of an HTTP upload, measured by the client on the audio it holds.

From the moment the bytes holding the end of speech in the clip were sent to the moment
the first audible sample of the reply arrived (+ a device's output latency, 0 for a
file). Pure: the timings come from :class:`~workbench.client.http.ReplyResult`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from workbench.audio import MODEL_FORMAT
from workbench.audio.onsets import first_audible_ms, speech_segments
from workbench.client.http import ReplyResult
from workbench.relay.voice_to_voice import VoiceToVoice, decompose_parts

#: How much of a reply is searched for its first audible sample (s).
MAX_AUDIBLE_SEARCH_S = 60.0


@dataclass(frozen=True)
class ClientVoiceToVoice:
    """Voice-to-voice latency of one upload as the client measured it (client clock, ms).

    Attributes
    ----------
    total_ms : float
        ``reply_audible_arrival_ms + output_latency_ms - speech_end_sent_ms``.
    speech_end_in_clip_ms : float
        End of the last utterance in the clip (found in its samples).
    speech_end_sent_ms : float
        When the bytes holding it were handed to the connection (ms from request start).
    sent_basis : str
        How that was placed: the whole multipart body (the server needs all of it) or
        the streamed body's byte at the same fraction of the clip.
    reply_audible_in_reply_ms : float
        The reply's first audible sample, ms into the reply (leading silence counts).
    reply_audible_arrival_ms : float
        When the bytes holding it arrived (ms from request start).
    output_latency_ms : float
        Added for a device that would play it (0 for a file).
    decomposition : VoiceToVoice
        ``model`` (the server's commit → first audio delta, on its clock) and
        ``buffering`` (first reply byte → first audible sample arrived, + output
        latency, on the client's clock); everything else (uplink, the server's input
        handling, downlink) is in ``residual_ms``: HTTP gives no shared clock.
    """

    total_ms: float
    speech_end_in_clip_ms: float
    speech_end_sent_ms: float
    sent_basis: str
    reply_audible_in_reply_ms: float
    reply_audible_arrival_ms: float
    output_latency_ms: float
    decomposition: VoiceToVoice


def voice_to_voice_of(
    result: ReplyResult,
    clip_samples: np.ndarray,
    clip_rate_hz: int,
    reply_samples: np.ndarray,
    *,
    server_turn: Mapping[str, Any] | None = None,
    output_latency_ms: float = 0.0,
) -> ClientVoiceToVoice | None:
    """Voice-to-voice latency of an upload, from the audio on both ends.

    Parameters
    ----------
    result : ReplyResult
        The upload's timings (:func:`send_clip`).
    clip_samples : np.ndarray [shape=(n,) or (n, channels)]
        The clip as sent, decoded; ``clip_rate_hz`` its rate (Hz).
    reply_samples : np.ndarray [shape=(m,)]
        The reply as received (PCM16 or float) at ``result.sample_rate_hz``.
    server_turn : Mapping, optional
        The turn's ``timeline`` from ``GET /sessions/{id}`` (for the model's part).
    output_latency_ms : float
        A playing device's output latency (ms); 0 for a file.

    Returns
    -------
    ClientVoiceToVoice or None
        None when the clip has no speech, or the reply nothing audible.
    """
    segments = speech_segments(clip_samples, clip_rate_hz)
    searched = reply_samples[: round(MAX_AUDIBLE_SEARCH_S * result.sample_rate_hz)]
    audible_ms = first_audible_ms(searched, result.sample_rate_hz) if searched.size else None
    if not segments or audible_ms is None or result.upload_bytes == 0:
        return None
    speech_end_ms = segments[-1].end_ms
    clip_ms = len(clip_samples) * 1000.0 / clip_rate_hz
    if result.stream:
        # Bytes map to time linearly: exact for PCM/WAV, close for constant-rate codecs.
        position = min(result.upload_bytes - 1, int(result.upload_bytes * speech_end_ms / clip_ms))
        basis = "the streamed byte at the same fraction of the clip"
    else:
        position = result.upload_bytes - 1
        basis = "the upload's last byte (the server needs the whole multipart body)"
    sent_ms = result.upload_sent.arrival_ms(position)
    audible_byte = (
        int(audible_ms * result.sample_rate_hz / 1000.0) * MODEL_FORMAT.sample_width_bytes
    )
    arrived_ms = result.reply_arrivals.arrival_ms(audible_byte)
    if sent_ms is None or arrived_ms is None:
        return None
    total_ms = arrived_ms + output_latency_ms - sent_ms
    model_ms = None if server_turn is None else server_turn.get("model_ttfb_ms")
    parts = {"model": model_ms, "buffering": arrived_ms + output_latency_ms - result.ttfb_ms}
    return ClientVoiceToVoice(
        total_ms=total_ms,
        speech_end_in_clip_ms=speech_end_ms,
        speech_end_sent_ms=sent_ms,
        sent_basis=basis,
        reply_audible_in_reply_ms=audible_ms,
        reply_audible_arrival_ms=arrived_ms,
        output_latency_ms=output_latency_ms,
        decomposition=decompose_parts(total_ms, parts),
    )
