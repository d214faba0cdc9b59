"""POST /realtime_audio/stream: the body is relayed while it is still arriving."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import numpy as np

from tests.e2e.api_harness import (
    clip,
    decoded_24k,
    make_app,
    mock_backend,
    pcm16_to_f32,
    peak_correlation,
    serve,
)
from tests.support.services import make_service
from workbench.app.api.app import create_api_app


async def test_relaying_starts_before_the_upload_ends() -> None:
    backend = mock_backend(speed_x_realtime=1000.0)
    data = clip("en_long_10s_48k_pcm16.wav")  # 960 kB
    sent_when_first_append: list[int] = []
    n_sent = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal n_sent
        head = 192_000  # the header and 2 s of audio
        yield data[:head]
        n_sent = head
        # Hold the rest back until the model has received audio: if the server waited
        # for the whole body, this would time out.
        async with asyncio.timeout(5):
            await backend.first_append.wait()
        sent_when_first_append.append(n_sent)
        for start in range(head, len(data), 64_000):
            yield data[start : start + 64_000]
            n_sent = min(len(data), start + 64_000)

    async with serve(make_app(backend)) as url, httpx.AsyncClient(timeout=30) as http:
        response = await http.post(
            f"{url}/realtime_audio/stream", content=body(), headers={"Content-Type": "audio/wav"}
        )
    assert response.status_code == 200, response.text
    assert sent_when_first_append[0] < len(data) / 4
    assert peak_correlation(pcm16_to_f32(response.content), decoded_24k(data)) > 0.9


async def test_raw_pcm16_body_at_any_rate() -> None:
    data = clip("en_hello_16k_pcm16.wav")
    expected = decoded_24k(data)
    from workbench.audio import decode_audio

    pcm = (decode_audio(data).samples * 32767).astype("<i2").tobytes()

    async def body() -> AsyncIterator[bytes]:
        for start in range(0, len(pcm), 3001):  # odd sizes: samples split across chunks
            yield pcm[start : start + 3001]

    async with serve(make_app(mock_backend())) as url, httpx.AsyncClient(timeout=30) as http:
        response = await http.post(
            f"{url}/realtime_audio/stream",
            content=body(),
            params={"input_format": "pcm16", "sample_rate_hz": "16000"},
            headers={"Content-Type": "application/octet-stream"},
        )
    assert response.status_code == 200, response.text
    assert peak_correlation(pcm16_to_f32(response.content), expected) > 0.9


async def test_streamed_fragmentless_m4a_still_works_by_decoding_at_the_end() -> None:
    data = clip("en_hello_44k1_aac_moovlast.m4a")
    async with serve(make_app(mock_backend())) as url, httpx.AsyncClient(timeout=30) as http:
        response = await http.post(
            f"{url}/realtime_audio/stream",
            content=data,
            headers={"Content-Type": "audio/mp4"},
            params={"format": "wav"},
        )
    assert response.status_code == 200, response.text
    assert response.content[:4] == b"RIFF"
    assert peak_correlation(pcm16_to_f32(response.content[44:]), decoded_24k(data)) > 0.9


async def test_stream_refusals() -> None:
    backend = mock_backend()
    app = create_api_app(make_service(backend, max_upload_bytes=200_000, max_input_audio_s=2.0))
    ogg = clip("en_hello_48k_opus.ogg")
    async with serve(app) as url, httpx.AsyncClient(timeout=30) as http:
        post = http.post
        cases = {
            "text": await post(
                f"{url}/realtime_audio/stream",
                content=b"hi",
                headers={"Content-Type": "text/plain"},
            ),
            "empty": await post(
                f"{url}/realtime_audio/stream", content=b"", headers={"Content-Type": "audio/wav"}
            ),
            "no_rate": await post(
                f"{url}/realtime_audio/stream", content=b"\0\0", params={"input_format": "pcm16"}
            ),
            "bad_rate": await post(
                f"{url}/realtime_audio/stream",
                content=b"\0\0",
                params={"input_format": "pcm16", "sample_rate_hz": "4000"},
            ),
            "truncated": await post(
                f"{url}/realtime_audio/stream",
                content=ogg[: len(ogg) // 2],
                headers={"Content-Type": "audio/ogg"},
            ),
            "too_big": await post(
                f"{url}/realtime_audio/stream",
                content=b"\0" * 300_000,
                headers={"Content-Type": "audio/wav"},
            ),
            "too_long": await post(
                f"{url}/realtime_audio/stream",
                content=np.zeros(3 * 16000, "<i2").tobytes(),
                params={"input_format": "pcm16", "sample_rate_hz": "16000"},
            ),
            "garbage": await post(
                f"{url}/realtime_audio/stream",
                content=b"\x13\x37" * 5000,
                headers={"Content-Type": "audio/wav"},
            ),
        }
    expected = {
        "text": (415, "unsupported_media_type"),
        "empty": (422, "empty_input"),
        "no_rate": (422, "missing_sample_rate"),
        "bad_rate": (422, "bad_settings"),
        "truncated": (422, "corrupt"),
        "too_big": (413, "too_large"),
        "too_long": (413, "too_long"),
        "garbage": (415, "not_audio"),
    }
    got = {k: (r.status_code, r.json()["error"]["code"]) for k, r in cases.items()}
    assert got == expected
    assert backend.open_connections == 0
