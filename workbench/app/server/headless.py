"""A real workbench server in a thread and a headless Chromium with a fake microphone.

Shared by the browser tests and ``workbench docs screenshots``: the composed app served
by uvicorn on 127.0.0.1 (port 0), a WAV that Chromium's fake microphone loops (silence,
a spoken fixture phrase, silence), and the flags that run Debian's Chromium headless
without reaching the network. Playwright is imported by the callers, not here.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import uvicorn

from workbench.app.server.assembly import WorkbenchApp, create_app
from workbench.app.server.ffmpeg import ensure_ffmpeg
from workbench.errors import ConfigError
from workbench.service import SessionService

AUDIO_DIR = Path(__file__).resolve().parents[3] / "fixtures" / "audio"
#: Layout of the fake microphone's WAV (it loops): silence, speech, silence (s).
LEAD_SILENCE_S, TAIL_SILENCE_S = 1.0, 5.0
MIC_RATE_HZ = 48_000
#: Debian's Chromium (the browser tests and screenshots never download one).
CHROMIUM = Path("/usr/bin/chromium")
#: The mock's time to first audio in the browser runs (ms).
MOCK_TTFA_MS = 300.0
#: End-of-speech silence of the server VAD in the browser runs (ms).
VAD_SILENCE_MS = 300
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--autoplay-policy=no-user-gesture-required",
]


def speech_48k() -> np.ndarray:
    """The spoken phrase of the fake microphone, float32 at 48 kHz."""
    with wave.open(str(AUDIO_DIR / "en_hear_48k_pcm16.wav"), "rb") as w:
        assert w.getframerate() == MIC_RATE_HZ and w.getnchannels() == 1
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    return pcm.astype(np.float32) / 32768.0


def write_mic_wav(path: Path) -> Path:
    """48 kHz 16-bit mono: lead silence, the phrase, tail silence (Chromium loops it)."""
    speech = speech_48k()
    signal = np.concatenate(
        [
            np.zeros(int(LEAD_SILENCE_S * MIC_RATE_HZ), np.float32),
            speech,
            np.zeros(int(TAIL_SILENCE_S * MIC_RATE_HZ), np.float32),
        ]
    )
    pcm = (np.clip(signal, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(MIC_RATE_HZ)
        w.writeframes(pcm.tobytes())
    return path


@dataclass
class RunningServer:
    """A workbench app served by uvicorn in a background thread."""

    url: str
    built: WorkbenchApp


@contextlib.contextmanager
def serve_in_thread(service: SessionService, timeout_s: float = 20.0) -> Iterator[RunningServer]:
    """Serve the composed app over ``service`` on 127.0.0.1, port 0, in a thread."""
    status = ensure_ffmpeg()
    if not status.ok:
        raise ConfigError(status.message)
    built = create_app(service)
    with serve_asgi_in_thread(built.app, timeout_s) as url:
        yield RunningServer(url, built)


@contextlib.contextmanager
def serve_asgi_in_thread(app: Any, timeout_s: float = 20.0) -> Iterator[str]:
    """Serve any ASGI app on 127.0.0.1, port 0, in a thread; yields its base URL."""
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, log_level="warning", ws_ping_interval=None
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=lambda: asyncio.run(server.serve()), daemon=True, name="uvicorn-headless"
    )
    thread.start()
    for _ in range(int(timeout_s / 0.02)):
        if server.started or not thread.is_alive():
            break
        threading.Event().wait(0.02)
    if not server.started:
        raise ConfigError("the server did not start")
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout_s)


def launch_args(mic_wav: Path) -> list[str]:
    """Chromium flags: headless, no network extras, fake microphone playing ``mic_wav``."""
    return [*CHROMIUM_ARGS, f"--use-file-for-fake-audio-capture={mic_wav}"]
