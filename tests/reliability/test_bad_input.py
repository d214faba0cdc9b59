"""Bad input through the HTTP and WebSocket API (issue 11, part 2).

Every bad input gets a 4xx JSON error (HTTP) or an ``error`` event (WebSocket) whose
code and message name the problem; the server keeps serving; a decompression bomb
and a message flood leave the server's memory bounded (resident memory of this
process, which runs the server, compared with a normal request in the same run).
"""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path
from typing import Any

import av
import httpx
import numpy as np
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.reliability.harness import (
    Received,
    RssPeak,
    Switchboard,
    api_app,
    assert_healthy_upload,
    assert_healthy_ws,
    inprocess,
    is_type,
    pcm16,
    receive_until,
    serve,
    silent_flac_bomb,
    tone,
    wav,
    ws_url,
)

AUDIO_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "audio"
M4A = AUDIO_DIR / "en_hello_44k1_aac_faststart.m4a"
MAX_UPLOAD_BYTES = 400_000
MAX_DURATION_S = 5.0
#: Generous bound on extra resident memory for a refused bomb or a flood (MB). A full
#: decode of the 3-hour bomb would need > 340 MB (86.4 M float32 samples) before
#: resampling; a normal request needs a few MB.
MEMORY_SLACK_MB = 150.0


@pytest.fixture(scope="module")
def bomb() -> bytes:
    data = silent_flac_bomb(hours=3.0)
    assert len(data) < 200_000
    return data


def video_only_mp4() -> bytes:
    """An MP4 with a short video stream and no audio track."""
    buf = io.BytesIO()
    with av.open(buf, "w", format="mp4") as out:
        stream: Any = out.add_stream("mpeg4", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
        for _ in range(5):
            frame = av.VideoFrame.from_ndarray(np.zeros((64, 64, 3), np.uint8), format="rgb24")
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buf.getvalue()


def app() -> Any:
    return api_app(
        Switchboard(inprocess()),
        max_upload_bytes=MAX_UPLOAD_BYTES,
        max_input_audio_s=MAX_DURATION_S,
        ws_max_json_bytes=1024,
        ws_max_queued_messages=32,
        ws_max_queued_bytes=256_000,
    )


def file_part(data: bytes, name: str = "audio_file", ctype: str = "audio/wav") -> Any:
    return {"files": {name: ("clip", data, ctype)}}


# --- POST /realtime_audio/ --------------------------------------------------------------

UPLOADS: list[tuple[str, Any, int, str, str]] = [
    # (case, request kwargs, status, code, a word the message must contain)
    (
        "empty multipart body",
        {"content": b"", "headers": {"content-type": "multipart/form-data; boundary=b"}},
        422,
        "bad_form",
        "boundary",
    ),
    ("no body, no content type", {}, 415, "unsupported_media_type", "multipart"),
    (
        "wrong field name",
        file_part(wav(tone(440.0, 0.5)), name="file"),
        422,
        "missing_field",
        "audio_file",
    ),
    ("empty file", file_part(b""), 422, "empty_input", "empty"),
    (
        "text file",
        file_part(b"hello, not audio " * 40, ctype="text/plain"),
        415,
        "not_audio",
        "wav",
    ),
    (
        "truncated m4a",
        file_part(M4A.read_bytes()[: M4A.stat().st_size // 2], ctype="audio/mp4"),
        422,
        "corrupt",
        "truncated",
    ),
    (
        "mp4 without audio",
        file_part(video_only_mp4(), ctype="video/mp4"),
        422,
        "no_audio_track",
        "audio",
    ),
    (
        "over-long clip",
        file_part(wav(tone(440.0, 6.0, 8_000), 8_000)),
        413,
        "too_long",
        "5 s",
    ),
    (
        "clip shorter than the model's minimum commit",
        file_part(wav(tone(440.0, 0.05))),
        422,
        "too_short",
        "100 ms",
    ),
]


@pytest.mark.parametrize(
    ("case", "kwargs", "status", "code", "word"), UPLOADS, ids=[u[0] for u in UPLOADS]
)
async def test_bad_upload_is_a_4xx_naming_the_problem(
    case: str, kwargs: Any, status: int, code: str, word: str
) -> None:
    async with serve(app()) as base, httpx.AsyncClient(base_url=base, timeout=10.0) as client:
        response = await client.post("/realtime_audio/", **kwargs)
        assert response.status_code == status, response.text
        error = response.json()["error"]
        assert error["code"] == code
        assert word in error["message"]
        await assert_healthy_upload(client)
        assert (await client.get("/healthz")).json()["active_sessions"] == 0


STREAMS: list[tuple[str, Any, int, str]] = [
    ("empty body", {"content": b"", "headers": {"content-type": "audio/wav"}}, 422, "empty_input"),
    (
        "text body",
        {"content": b"hello", "headers": {"content-type": "text/plain"}},
        415,
        "unsupported_media_type",
    ),
    (
        "raw pcm without rate",
        {"content": b"\0\0", "params": {"input_format": "pcm16"}},
        422,
        "missing_sample_rate",
    ),
    (
        "raw pcm at 1 kHz",
        {"content": b"\0\0", "params": {"input_format": "pcm16", "sample_rate_hz": "1000"}},
        422,
        "bad_settings",
    ),
    (
        "one odd byte of pcm",
        {"content": b"\1", "params": {"input_format": "pcm16", "sample_rate_hz": "16000"}},
        422,
        "empty_input",
    ),
    (
        "truncated m4a",
        {
            "content": M4A.read_bytes()[: M4A.stat().st_size // 2],
            "headers": {"content-type": "audio/mp4"},
        },
        422,
        "corrupt",
    ),
    (
        "clip shorter than the model's minimum commit",
        {"content": wav(tone(440.0, 0.05)), "headers": {"content-type": "audio/wav"}},
        422,
        "too_short",
    ),
    (
        "raw pcm shorter than the model's minimum commit",
        {"content": bytes(960), "params": {"input_format": "pcm16", "sample_rate_hz": "24000"}},
        422,
        "too_short",
    ),
]


@pytest.mark.parametrize(("case", "kwargs", "status", "code"), STREAMS, ids=[s[0] for s in STREAMS])
async def test_bad_stream_upload_is_a_4xx_naming_the_problem(
    case: str, kwargs: Any, status: int, code: str
) -> None:
    switch = Switchboard(inprocess())
    async with serve(api_app(switch)) as base, httpx.AsyncClient(base_url=base) as client:
        response = await client.post("/realtime_audio/stream", **kwargs)
        assert response.status_code == status, response.text
        assert response.json()["error"]["code"] == code
        await switch.wait_closed(1.0)
        assert (await client.get("/healthz")).json()["active_sessions"] == 0


async def test_oversized_upload_is_413_before_the_body_is_read() -> None:
    async with serve(app()) as base, httpx.AsyncClient(base_url=base) as client:
        host, port = base.removeprefix("http://").split(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        # A well-behaved client (curl does this for big bodies) waits for 100-continue.
        writer.write(
            f"POST /realtime_audio/ HTTP/1.1\r\nHost: {host}\r\n"
            f"Content-Length: {MAX_UPLOAD_BYTES * 10}\r\nExpect: 100-continue\r\n"
            "Content-Type: multipart/form-data; boundary=b\r\n\r\n".encode()
        )
        await writer.drain()
        async with asyncio.timeout(5.0):
            head = await reader.readuntil(b"\r\n\r\n")
            body = await reader.read(4096)
        writer.close()
        assert head.startswith(b"HTTP/1.1 413"), head
        assert json.loads(body)["error"]["code"] == "too_large"
        await assert_healthy_upload(client)


@pytest.mark.parametrize("route", ["/realtime_audio/", "/realtime_audio/stream"])
async def test_upload_a_little_over_the_limit_is_413_for_a_send_everything_client(
    route: str,
) -> None:
    # httpx (like requests) sends the whole body before it reads the answer.
    body = wav(tone(440.0, 6.0)) * 2  # 576 kB against a 400 kB limit
    assert MAX_UPLOAD_BYTES < len(body) < 2 * MAX_UPLOAD_BYTES
    async with serve(app()) as base, httpx.AsyncClient(base_url=base, timeout=10.0) as client:
        if route == "/realtime_audio/":
            response = await client.post(route, **file_part(body))
        else:
            response = await client.post(route, content=body, headers={"content-type": "audio/wav"})
        assert response.status_code == 413
        error = response.json()["error"]
        assert error["code"] == "too_large" and str(MAX_UPLOAD_BYTES) in error["message"]
        await assert_healthy_upload(client)


async def test_decompression_bomb_is_refused_with_bounded_memory(bomb: bytes) -> None:
    async with serve(app()) as base, httpx.AsyncClient(base_url=base, timeout=30.0) as client:
        with RssPeak() as normal:  # the baseline: a normal 4 s upload, same server
            response = await client.post(
                "/realtime_audio/", **file_part(wav(tone(440.0, 4.0, 16_000), 16_000))
            )
            assert response.status_code == 200
        with RssPeak() as refused:
            response = await client.post("/realtime_audio/", **file_part(bomb, ctype="audio/flac"))
            stream = await client.post(
                "/realtime_audio/stream", content=bomb, headers={"content-type": "audio/flac"}
            )
        for answer in (response, stream):
            assert answer.status_code == 413, answer.text
            assert answer.json()["error"]["code"] == "too_long"
        assert refused.growth_mb < normal.growth_mb + MEMORY_SLACK_MB
        await assert_healthy_upload(client)


async def quiescent(got: Received, quiet_s: float, timeout_s: float) -> None:
    """Wait until no message has arrived for ``quiet_s`` (bounded by ``timeout_s``)."""
    async with asyncio.timeout(timeout_s):
        seen = -1
        while seen != len(got.messages):
            seen = len(got.messages)
            await asyncio.sleep(quiet_s)


# --- WS /ws/realtime ----------------------------------------------------------------------


@pytest.mark.parametrize("rate", ["1000", "abc", "200000"])
async def test_ws_bad_declared_sample_rate_is_a_fatal_error_naming_it(rate: str) -> None:
    async with serve(app()) as base:
        async with connect(ws_url(base, sample_rate_hz=rate)) as ws:
            got = await receive_until(ws, is_type("session_ended"), timeout_s=5.0)
            assert ws.close_code == 1008
        error = got.of("error")[0]
        assert error["code"] == "bad_settings" and error["fatal"] is True
        assert "sample_rate_hz" in error["message"]


WS_GARBAGE: list[tuple[str | bytes, str]] = [
    ("{not json", "bad_json"),
    ("[1, 2]", "bad_message"),
    ('{"type": 5}', "bad_message"),
    ('{"type": "dance"}', "unknown_type"),
    ('{"type": "settings", "loudness": 11}', "bad_settings"),
    ('{"type": "playout", "played_ms": -1}', "bad_field"),
    ('{"type": "commit"}', "too_short"),  # nothing to commit yet: the client's mistake
    (json.dumps({"type": "commit", "pad": "x" * 5000}), "message_too_large"),
    (b"\x01\x02\x03", "bad_audio"),  # odd-length PCM16 frame
    (b"\0" * 300_000, "message_too_large"),  # binary frame above the queue's byte cap
]


async def test_ws_garbage_gets_one_error_each_and_the_session_still_works() -> None:
    async with serve(app()) as base:
        async with connect(ws_url(base, turn_detection="none")) as ws:
            got = await receive_until(ws, is_type("session"))
            for message, _ in WS_GARBAGE:
                await ws.send(message)
            await ws.send(pcm16(tone(550.0, 0.5)))
            await ws.send(json.dumps({"type": "commit"}))
            await receive_until(ws, is_type("turn_done"), got)
        codes = [e["code"] for e in got.of("error")]
        assert codes == [code for _, code in WS_GARBAGE], got.of("error")
        assert all(e["fatal"] is False and e["message"] for e in got.of("error"))
        assert "binary frame of 300000 bytes" in got.of("error")[-1]["message"]
        assert got.of("turn_done")[-1]["status"] == "completed"
        await assert_healthy_ws(base)


async def test_ws_frame_over_the_transport_limit_closes_with_1009() -> None:
    async with serve(app(), ws_max_size=1_000_000) as base:
        async with connect(ws_url(base), max_size=None) as ws:
            await receive_until(ws, is_type("session"))
            await ws.send(b"\0" * 2_000_000)
            with pytest.raises(ConnectionClosed):
                async with asyncio.timeout(5.0):
                    while True:
                        await ws.recv()
            assert ws.close_code == 1009
        await assert_healthy_ws(base)


async def test_ws_flood_is_rate_limited_with_bounded_memory() -> None:
    async with serve(app()) as base:
        async with connect(ws_url(base, turn_detection="none")) as ws:
            got = await receive_until(ws, is_type("session"))
            reader = asyncio.create_task(receive_until(ws, lambda m: False, got))
            with RssPeak() as flood:
                for _ in range(10_000):
                    await ws.send(b"\0\1" * 4)
                async with asyncio.timeout(10.0):
                    while "rate_limited" not in got.error_codes():  # noqa: ASYNC110
                        await asyncio.sleep(0.02)
            assert flood.growth_mb < MEMORY_SLACK_MB
            error = got.of("error")[0]
            assert error["code"] == "rate_limited" and "dropped" in error["message"]
            # Once the client slows down, the session works again: wait until the
            # server has worked off its (bounded) queue, then take a normal turn.
            await quiescent(got, quiet_s=0.3, timeout_s=10.0)
            await ws.send(pcm16(tone(770.0, 0.5)))
            await ws.send(json.dumps({"type": "commit"}))
            async with asyncio.timeout(10.0):
                while not got.of("turn_done"):  # noqa: ASYNC110
                    await asyncio.sleep(0.02)
            reader.cancel()
        assert got.of("turn_done")[-1]["status"] == "completed"
        await assert_healthy_ws(base)
