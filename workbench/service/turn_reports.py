"""A client's turn report applied to a session: the turn's timeline and the record.

A client that reports a turn's audio (``turn_report``) says where its end of speech is
in the input it sent (ms of audio since its first input); the session looks up, in a
:class:`~workbench.relay.voice_to_voice.Arrivals` log of its input, when that input
arrived. The difference to the end of speech itself is the uplink part of
voice-to-voice latency.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from workbench.errors import WorkbenchError
from workbench.relay.timeline import TurnTimeline
from workbench.relay.voice_to_voice import Arrivals, TurnAudioReport
from workbench.service.records import SessionRecord

#: Where an end of speech at position P (ms) is looked up: its last sample, just
#: before P (P itself may be the first sample of the next piece).
END_EPSILON_MS = 1e-6


class UnknownResponseError(WorkbenchError):
    """A turn report names a response this session does not know (or forgot)."""

    code = "unknown_response"
    http_status = 404


def frame_count(samples: np.ndarray) -> int:
    """Frames in ``samples`` of shape (n,), (n, ch) or (ch, n): the longer axis, as
    ``decode_audio`` reads arrays."""
    return int(samples.shape[0] if samples.ndim == 1 else max(samples.shape, default=0))


def apply_turn_report(
    report: TurnAudioReport,
    responses: Mapping[str, TurnTimeline],
    input_arrivals: Arrivals,
    record: SessionRecord,
) -> TurnTimeline:
    """Stamp ``report`` on its turn and show the turn's new timeline in ``record``.

    Parameters
    ----------
    report : TurnAudioReport
        Instants on the session's clock.
    responses : Mapping[str, TurnTimeline]
        The relay's recent responses (``Relay.responses``).
    input_arrivals : Arrivals
        When each stretch of the session's input arrived (ms of input → ms).
    record : SessionRecord
        The session's record.

    Returns
    -------
    TurnTimeline
        The updated turn.

    Raises
    ------
    UnknownResponseError
        ``unknown_response``: not one of the session's recent responses.
    """
    turn = responses.get(report.response_id)
    if turn is None:
        raise UnknownResponseError(
            f"response {report.response_id[:64]!r} is not one of this session's "
            "recent responses; report a turn soon after its reply"
        )
    received_ms = None
    if report.speech_end_input_ms is not None:
        position_ms = max(0.0, report.speech_end_input_ms - END_EPSILON_MS)
        received_ms = input_arrivals.arrival_ms(position_ms)
    turn.apply_audio_report(report, speech_end_received_ms=received_ms)
    record.update_turn(report.response_id, turn)
    return turn
