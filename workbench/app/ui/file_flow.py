"""The File tab's flow (the seed's): one clip in, the streamed reply out.

:func:`relay_file` opens a relay session with explicit commit, sends the whole clip
(decoded in any supported format, resampled once, chunked), and yields a
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

from workbench.app.ui.render import TranscriptLog, dbfs
from workbench.app.ui.reply_audio import AudioCoalescer, pcm16_rms, pcm16_to_wav, with_ticks
from workbench.app.ui.settings_model import AppContext, UiSettings
from workbench.errors import WorkbenchError
from workbench.relay import (
    AudioOut,
    Relay,
    RelayError,
    SessionEnded,
    TranscriptDelta,
    TranscriptFinal,
    TurnDone,
)

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
    ctx: AppContext, settings: UiSettings, path: str | Path | None
) -> AsyncIterator[FileView]:
    """Send ``path`` through a new relay session; yield views as the reply streams.

    Parameters
    ----------
    ctx : AppContext
        Server-wide settings (backend selection).
    settings : UiSettings
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
    transcript = TranscriptLog()
    if not path:
        yield FileView(None, [], -100.0, "Choose or record a clip first.", "warn", final=True)
        return
    reply_ms = 0.0
    errors: list[str] = []
    chunks = AudioCoalescer()
    try:
        backend = ctx.backend_for(settings)
        relay = Relay(backend, settings.relay_config(manual_commit=True))
        yield FileView(None, [], -100.0, f"Connecting to {backend.info.description}…", "info")
        async with relay:
            duration_s = await relay.send_file(Path(path), pace="fast")
            yield FileView(None, [], -100.0, f"Sent {duration_s:.2f} s of audio; waiting…", "live")
            last_turn: dict[str, Any] | None = None
            status = "failed"
            loop = asyncio.get_running_loop()
            async for event in with_ticks(relay.events_until_turn_done(), TICK_S):
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
                elif isinstance(event, TranscriptDelta | TranscriptFinal):
                    transcript.apply(event)
                elif isinstance(event, RelayError):
                    errors.append(f"{event.code}: {event.message}")
                    transcript.note(f"error {event.code}")
                elif isinstance(event, TurnDone):
                    last_turn, status = event.timeline.to_dict(), event.status
                elif isinstance(event, SessionEnded):
                    errors.append(f"the session ended early ({event.reason})")
            rest = chunks.flush()
            if rest is not None:
                yield _audio_view(rest, transcript, reply_ms)
            summary = relay.timeline.summary()
    except WorkbenchError as exc:
        yield FileView(
            None,
            transcript.messages(),
            -100.0,
            exc.message,
            "error",
            errors=[*errors, exc.message],
            final=True,
        )
        return
    kind = "info" if status == "completed" and not errors else "error"
    text = (
        f"Done: {reply_ms / 1000:.2f} s of reply audio ({status})."
        if kind == "info"
        else f"The reply {status}: {'; '.join(errors) or 'no detail'}"
    )
    yield FileView(
        None,
        transcript.messages(),
        -100.0,
        text,
        kind,
        last_turn,
        summary,
        reply_ms,
        errors,
        final=True,
    )


def _audio_view(pcm: bytes, transcript: TranscriptLog, reply_ms: float) -> FileView:
    return FileView(
        pcm16_to_wav(pcm),
        transcript.messages(),
        dbfs(pcm16_rms(pcm)),
        f"Receiving the reply… {reply_ms / 1000:.1f} s",
        "live",
        reply_ms=reply_ms,
    )
