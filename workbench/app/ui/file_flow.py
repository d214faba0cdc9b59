"""The File tab's flow (the seed's): one clip in, the streamed reply out.

:func:`relay_file` opens a session on the session service with explicit commit (so it
counts in ``/healthz`` and ``/metrics`` and obeys the server's limits), sends the clip
(decoded block by block in any supported format, resampled, chunked), and yields a
:class:`FileView` per reply audio piece (PCM16 24 kHz wrapped as WAV), then a final
view with the turn's timeline. Errors become a view with ``status_kind="error"``,
never an exception: the page shows them and stays usable. No Gradio imports here.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.app.ui.render import chat_messages
from workbench.app.ui.reply_audio import AudioCoalescer, pcm16_to_wav, with_ticks
from workbench.audio import pcm16_levels
from workbench.audio.level import SILENCE_FLOOR_DBFS
from workbench.errors import WorkbenchError
from workbench.relay import AudioOut, RelayError, SessionEnded, TurnDone
from workbench.service import EndReason, SessionService
from workbench.service.end_reason import for_error
from workbench.service.transcript import Transcript
from workbench.settings import RelaySettings

log = logging.getLogger(__name__)
#: How often buffered reply audio is checked for being due (s).
TICK_S = 0.05


@dataclass
class FileView:
    """What the File tab shows now; ``audio`` is a WAV chunk of the reply, or None."""

    audio: bytes | None
    messages: list[dict[str, str]]
    level_dbfs: float
    status: str
    status_kind: str
    last_turn: dict[str, Any] | None = None
    summary: dict[str, Any] = field(default_factory=dict)
    reply_ms: float = 0.0
    errors: list[str] = field(default_factory=list)
    final: bool = False


async def relay_file(
    service: SessionService, settings: RelaySettings, path: str | Path | None
) -> AsyncIterator[FileView]:
    """Send ``path`` through a new session; yield views as the reply streams.

    Parameters
    ----------
    service : SessionService
        Owns the session (limits, records, metrics).
    settings : RelaySettings
        This browser session's settings; turn detection is forced off (explicit
        commit, as in the seed).
    path : str | Path | None
        The uploaded clip (any format the audio core decodes).

    Yields
    ------
    FileView
        First "sending", then one per reply audio piece, then the final view (status
        ``done`` or ``error``).
    """
    silent = SILENCE_FLOOR_DBFS
    if not path:
        yield FileView(None, [], silent, "Choose or record a clip first.", "warn", final=True)
        return
    reply_ms = 0.0
    errors: list[str] = []
    chunks = AudioCoalescer()
    status = "failed"
    last_turn: dict[str, Any] | None = None
    summary: dict[str, Any] = {}
    try:
        session = service.open("file", settings, manual_commit=True)
    except WorkbenchError as exc:
        yield FileView(None, [], silent, exc.message, "error", errors=[exc.message], final=True)
        return
    transcript = session.record.transcript
    reason = EndReason.CLIENT_GONE  # the browser left (the generator was closed) early
    try:
        yield FileView(
            None, [], silent, f"Connecting to {session.backend.info.description}…", "info"
        )
        duration_s = await session.send_clip(Path(path))
        yield FileView(None, [], silent, f"Sent {duration_s:.2f} s of audio; waiting…", "live")
        loop = asyncio.get_running_loop()
        async for event in with_ticks(session.events(until_turn_done=True), TICK_S):
            if event is None:  # time passed: buffered audio may be due
                wait_s = chunks.wait_s(loop.time())
                pcm = chunks.flush() if wait_s == 0.0 else None
                if pcm is not None:
                    yield _audio_view(pcm, transcript, reply_ms)
            elif isinstance(event, AudioOut):
                reply_ms += event.duration_ms
                pcm = chunks.push(event.pcm16, loop.time())
                if pcm is not None:
                    yield _audio_view(pcm, transcript, reply_ms)
            elif isinstance(event, RelayError):
                errors.append(f"{event.code}: {event.message}")
            elif isinstance(event, TurnDone):
                last_turn, status = event.timeline.to_dict(), event.status
            elif isinstance(event, SessionEnded):
                errors.append(f"the session ended early ({event.reason})")
        rest = chunks.flush()
        if rest is not None:
            yield _audio_view(rest, transcript, reply_ms)
        summary = session.relay.timeline.summary()
        reason = EndReason.COMPLETED if status != "failed" else EndReason.UPSTREAM_ERROR
    except WorkbenchError as exc:
        reason = for_error(exc)
        await session.close(reason)
        yield FileView(
            None,
            chat_messages(transcript),
            silent,
            exc.message,
            "error",
            errors=[*errors, exc.message],
            final=True,
        )
        return
    finally:
        await session.close(reason)
    kind = "info" if status == "completed" and not errors else "error"
    text = (
        f"Done: {reply_ms / 1000:.2f} s of reply audio ({status})."
        if kind == "info"
        else f"The reply {status}: {'; '.join(errors) or 'no detail'}"
    )
    yield FileView(
        None,
        chat_messages(transcript),
        silent,
        text,
        kind,
        last_turn,
        summary,
        reply_ms,
        errors,
        final=True,
    )


def _audio_view(pcm: bytes, transcript: Transcript, reply_ms: float) -> FileView:
    return FileView(
        pcm16_to_wav(pcm),
        chat_messages(transcript),
        pcm16_levels(pcm).rms_dbfs,
        f"Receiving the reply… {reply_ms / 1000:.1f} s",
        "live",
        reply_ms=reply_ms,
    )
