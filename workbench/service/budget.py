"""The memory a server's settings allow: per live session and per process, by construction.

Every buffer that grows with what a client sends or fails to read has a bound set by
one setting, and :func:`memory_budget` adds them up, so an operator can size a machine
from the settings alone (docs/reliability.md shows the defaults and the measurements
next to them). What is *not* counted, and why, is listed on :class:`MemoryBudget`.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.audio import FEED_PIECE_BYTES, MODEL_FORMAT, RETAINED_IN_MEMORY_BYTES
from workbench.settings import ServerSettings

#: PCM16 reply audio per second (bytes): what the reply queue holds.
REPLY_BYTES_PER_S = MODEL_FORMAT.sample_rate_hz * MODEL_FORMAT.sample_width_bytes
#: Copies of one decoded piece alive at once while it is sent on: the float32 decoded,
#: its resampled/normalised float32, its PCM16 and the PCM16 frames (half each).
DECODE_COPIES = 3
#: An upload's file part in memory before it spills to disk (bytes; the API's spool).
UPLOAD_SPOOL_BYTES = 1024 * 1024
#: uvicorn's read buffer before it pauses reading a request body, plus one socket read.
BODY_READ_BYTES = 64 * 1024 + 256 * 1024
#: The transport's write buffer before it pauses the sender (asyncio's high-water mark).
WRITE_BUFFER_BYTES = 64 * 1024


@dataclass(frozen=True)
class MemoryBudget:
    """Upper bounds on the memory clients can make one server process hold (bytes).

    Attributes
    ----------
    reply_queue_bytes : int
        Reply audio waiting for one slow client (``max_queued_reply_s``), plus the
        socket's write buffer.
    ws_input_bytes : int
        Input waiting to be processed on one WebSocket (``ws_max_queued_bytes``).
    http_input_bytes : int
        One upload's request body in memory: its file part up to the spool size (the
        rest on disk), or the body being read and a plain m4a's spool on the stream route.
    per_session_bytes : int
        The largest of the above inputs plus the reply queue: one session, any shell.
    per_decode_bytes : int
        One decode slot: a streamed piece's decoded audio in flight
        (``max_decoded_bytes``) and its copies while it is sent on.
    per_process_bytes : int
        ``max_sessions`` sessions plus ``max_concurrent_decodes`` decodes.

    Not counted: the code and libraries (the idle process), each session's record and
    transcript (text, bounded by ``max_session_s``), FFmpeg's own demuxer buffers (a few
    hundred kB per open decoder, measured in the abuse bench), and the kernel's socket
    buffers (not the process's memory).
    """

    reply_queue_bytes: int
    ws_input_bytes: int
    http_input_bytes: int
    per_session_bytes: int
    per_decode_bytes: int
    per_process_bytes: int


def memory_budget(server: ServerSettings) -> MemoryBudget:
    """The bounds ``server``'s settings put on client-driven memory (see :class:`MemoryBudget`).

    Examples
    --------
    >>> round(memory_budget(ServerSettings()).per_process_bytes / 1e6)  # doctest: +SKIP
    """
    reply = round(server.max_queued_reply_s * REPLY_BYTES_PER_S) + WRITE_BUFFER_BYTES
    ws_input = server.ws_max_queued_bytes
    http_input = max(UPLOAD_SPOOL_BYTES, BODY_READ_BYTES + RETAINED_IN_MEMORY_BYTES)
    per_session = reply + max(ws_input, http_input)
    per_decode = DECODE_COPIES * server.max_decoded_bytes + FEED_PIECE_BYTES
    per_process = server.max_sessions * per_session + server.max_concurrent_decodes * per_decode
    return MemoryBudget(
        reply_queue_bytes=reply,
        ws_input_bytes=ws_input,
        http_input_bytes=http_input,
        per_session_bytes=per_session,
        per_decode_bytes=per_decode,
        per_process_bytes=per_process,
    )


def describe_budget(server: ServerSettings) -> str:
    """The budget of ``server``'s settings in one line (printed when a server starts)."""
    b = memory_budget(server)
    mb = 1e6
    return (
        f"memory budget: {b.per_session_bytes / mb:.1f} MB per session × {server.max_sessions}"
        f" sessions + {b.per_decode_bytes / mb:.1f} MB per decode ×"
        f" {server.max_concurrent_decodes} decodes = {b.per_process_bytes / mb:.0f} MB at most"
        " above the idle process (per worker)"
    )
