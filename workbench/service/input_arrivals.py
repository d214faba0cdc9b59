"""What a session needs to apply a client's turn report: the error for an unknown reply,
and how many frames an input array holds (for the input arrival log).

A client that reports a turn's audio (``turn_report``) says where its end of speech is
in the input it sent (ms of audio since its first input); the session looks up, in a
:class:`~workbench.relay.voice_to_voice.Arrivals` log of its input, when that input
arrived. The difference to the end of speech itself is the uplink part of
voice-to-voice latency.
"""

from __future__ import annotations

import numpy as np

from workbench.errors import WorkbenchError

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
