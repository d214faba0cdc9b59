"""The seed's architecture, rebuilt small and faithful, as the TTFA benchmark's baseline.

The seed (see docs/benchmarks.md) served ``POST /realtime_audio/`` like this, and so
does :func:`create_seed_app`:

1. the client records the whole clip, then uploads the file (multipart ``audio_file``);
2. the server reads the whole upload and decodes the whole clip (the seed used pydub,
   i.e. an ffmpeg subprocess; here PyAV in-process, which is faster, so the baseline
   errs in the seed's favour);
3. resamples the whole clip to 24 kHz with ``scipy.signal.resample`` (one FFT over the
   clip, the seed's ``resample_audio``), then casts to int16;
4. only then connects to the model (the seed opened its ``RTClient`` per request),
   sends the session settings (no turn detection, whisper-1 transcription), sends the
   audio in 100 ms ``input_audio_buffer.append`` chunks, commits, ``response.create``;
5. streams the reply's PCM16 deltas back as they arrive (``StreamingResponse``) until
   ``response.done``.

Decoding and resampling run on the event loop, as in the seed (it blocked too).
"""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from typing import Any

import numpy as np
from fastapi import FastAPI, File, UploadFile
from fastapi.responses import StreamingResponse

from workbench.audio import MODEL_FORMAT, ms_to_bytes
from workbench.protocol import events as pe
from workbench.protocol.dialects import Dialect, encode_client_event
from workbench.protocol.settings import NoTurnDetection

CHUNK_MS = 100  # the seed's send_audio chunk
MODEL = "gpt-realtime"
_AUDIO_DELTA_TYPES = ("response.output_audio.delta", "response.audio.delta")


def resample_audio(audio: np.ndarray, in_rate_hz: int, out_rate_hz: int) -> np.ndarray:
    """The seed's ``resample_audio``: one ``scipy.signal.resample`` over the whole clip.

    Parameters
    ----------
    audio : np.ndarray [shape=(n,), dtype=int16]
        The whole clip.
    in_rate_hz, out_rate_hz : int
        Source and target rates (Hz).

    Returns
    -------
    np.ndarray [shape=(round(n * out / in),), dtype=int16]
    """
    from scipy.signal import resample

    n_out = round(len(audio) * float(out_rate_hz) / in_rate_hz)
    resampled: np.ndarray = np.asarray(resample(audio, n_out)).astype(np.int16)
    return resampled


def decode_whole(data: bytes) -> tuple[np.ndarray, int]:
    """Decode a whole clip to int16 mono (what pydub's ``get_array_of_samples`` gave)."""
    from workbench.audio import decode_audio

    decoded = decode_audio(data)
    pcm = np.clip(decoded.samples * 32768.0, -32768, 32767).astype(np.int16)
    return pcm, decoded.sample_rate_hz


async def relay_whole_clip(mock_url: str, pcm16_24k: bytes) -> AsyncIterator[bytes]:
    """Connect, send 100 ms chunks, commit, ask for a response; yield reply PCM16 bytes.

    Parameters
    ----------
    mock_url : str
        ``ws://127.0.0.1:PORT`` of the mock realtime server.
    pcm16_24k : bytes
        The whole clip, PCM16 LE mono 24 kHz.
    """
    from openai import AsyncOpenAI

    client = AsyncOpenAI(api_key="seed", websocket_base_url=f"{mock_url}/v1", max_retries=0)
    settings = pe.SessionSettings(
        model=MODEL, input_transcription_model="whisper-1", turn_detection=NoTurnDetection()
    )
    manager: Any = client.realtime.connect(model=MODEL)  # sent as plain dicts, as the seed did
    async with manager as conn:
        await conn.send(encode_client_event(pe.SessionUpdate(session=settings), Dialect.GA))
        step = ms_to_bytes(CHUNK_MS)
        for start in range(0, len(pcm16_24k), step):
            chunk = base64.b64encode(pcm16_24k[start : start + step]).decode("ascii")
            await conn.send({"type": "input_audio_buffer.append", "audio": chunk})
        await conn.send({"type": "input_audio_buffer.commit"})
        await conn.send({"type": "response.create"})
        while True:
            event: dict[str, Any] = json.loads(await conn.recv_bytes())
            kind = event.get("type")
            if kind in _AUDIO_DELTA_TYPES:
                yield base64.b64decode(event["delta"])
            elif kind in ("response.done", "error"):
                return


def create_seed_app(mock_url: str) -> FastAPI:
    """A FastAPI app with the seed's ``POST /realtime_audio/`` against ``mock_url``."""
    app = FastAPI(title="seed baseline")

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/realtime_audio/")
    async def realtime_audio(audio_file: UploadFile = File(...)) -> StreamingResponse:  # noqa: B008
        data = await audio_file.read()
        pcm, rate_hz = decode_whole(data)
        if rate_hz != MODEL_FORMAT.sample_rate_hz:
            pcm = resample_audio(pcm, rate_hz, MODEL_FORMAT.sample_rate_hz)
        # The seed labelled raw PCM16 as audio/wav; the label does not matter here.
        return StreamingResponse(relay_whole_clip(mock_url, pcm.tobytes()), media_type="audio/pcm")

    return app
