"""POST /realtime_audio/ against a real uvicorn server and the in-process echo mock."""

from __future__ import annotations

import asyncio
import io
import time

import httpx
import pytest
import soundfile as sf

from tests.e2e.api_harness import (
    UnreachableBackend,
    clip,
    decoded_24k,
    make_app,
    mock_backend,
    pcm16_to_f32,
    peak_correlation,
    serve,
)
from workbench.mock.model import Fault

IOS_CLIP = "en_hello_44k1_aac_moovlast.m4a"  # what the seed's iPhone app uploads
SHORT_CLIP = "en_hear_48k_pcm16.wav"


async def _post(url: str, data: bytes, name: str = "clip.m4a", **params: str) -> httpx.Response:
    async with httpx.AsyncClient(timeout=30) as http:
        return await http.post(
            f"{url}/realtime_audio/", params=params, files={"audio_file": (name, data, "audio/m4a")}
        )


async def test_m4a_upload_streams_pcm_that_echoes_the_input() -> None:
    backend = mock_backend()
    data = clip(IOS_CLIP)
    async with serve(make_app(backend)) as url:
        response = await _post(url, data)
        assert response.status_code == 200, response.text
        h = response.headers
        assert h["content-type"] == "audio/pcm;rate=24000;channels=1"
        assert (h["x-sample-rate"], h["x-channels"], h["x-sample-format"]) == (
            "24000",
            "1",
            "s16le",
        )
        reply = pcm16_to_f32(response.content)
        expected = decoded_24k(data)
        assert abs(len(reply) - len(expected)) < 24_000 * 0.1
        assert peak_correlation(reply, expected) > 0.9
        async with httpx.AsyncClient() as http:
            record = (await http.get(f"{url}/sessions/{h['x-session-id']}")).json()
    assert record["end_reason"] == "completed" and record["kind"] == "upload"
    assert record["assistant_transcript"]
    assert record["turns"][0]["status"] == "completed"
    assert record["timeline"]["turns"][0]["ttfa_ms"] is not None
    assert record["output_audio_bytes"] == len(response.content)
    assert backend.open_connections == 0


async def test_first_byte_arrives_long_before_the_reply_ends() -> None:
    backend = mock_backend(ttfa_ms=50, speed_x_realtime=1.0)
    async with serve(make_app(backend)) as url, httpx.AsyncClient(timeout=30) as http:
        files = {"audio_file": ("hear.wav", clip(SHORT_CLIP), "audio/wav")}
        arrivals: list[tuple[float, int]] = []
        async with http.stream("POST", f"{url}/realtime_audio/", files=files) as response:
            assert response.status_code == 200
            async for chunk in response.aiter_raw():
                arrivals.append((time.perf_counter(), len(chunk)))
    reply_s = sum(n for _, n in arrivals) / 48_000
    first_t, last_t = arrivals[0][0], arrivals[-1][0]
    # Delivered at 1x real time: a streamed reply spans most of its own duration; a
    # buffered one would arrive in one burst at the end.
    assert last_t - first_t > 0.6 * reply_s
    assert len(arrivals) > 3


async def test_wav_variant_parses_with_soundfile() -> None:
    async with serve(make_app(mock_backend())) as url:
        response = await _post(url, clip(SHORT_CLIP), "hear.wav", format="wav")
    assert response.status_code == 200
    assert response.headers["content-type"] == "audio/wav"
    samples, rate_hz = sf.read(io.BytesIO(response.content), dtype="float32")
    assert rate_hz == 24_000 and samples.ndim == 1
    assert len(samples) == (len(response.content) - 44) // 2
    assert peak_correlation(samples, decoded_24k(clip(SHORT_CLIP))) > 0.9


@pytest.mark.parametrize(
    "name",
    [
        "en_hello_44k1_aac_faststart.m4a",
        "en_hello_44k1_stereo.mp3",
        "en_hello_48k_opus.ogg",
        "en_hello_48k_opus.webm",
        "en_hello_8k_mulaw.wav",
        "en_hear_96k_s24.flac",
    ],
)
async def test_every_decodable_format_is_accepted(name: str) -> None:
    async with serve(make_app(mock_backend(speed_x_realtime=1000.0))) as url:
        response = await _post(url, clip(name), name)
    assert response.status_code == 200, response.text
    assert peak_correlation(pcm16_to_f32(response.content), decoded_24k(clip(name))) > 0.9


@pytest.mark.parametrize(
    ("files", "status", "code"),
    [
        ({"audio_file": ("a.m4a", b"", "audio/m4a")}, 422, "empty_input"),
        ({"file": ("a.m4a", b"xyz", "audio/m4a")}, 422, "missing_field"),
        (
            {"audio_file": ("a.txt", b"hello, I am a text file\n" * 20, "text/plain")},
            415,
            "not_audio",
        ),
        (
            {"audio_file": ("a.m4a", clip("en_hello_44k1_aac_faststart.m4a")[:9000], "audio/m4a")},
            422,
            "corrupt",
        ),
    ],
)
async def test_bad_uploads_get_a_json_error_before_any_streaming(
    files: dict[str, tuple[str, bytes, str]], status: int, code: str
) -> None:
    backend = mock_backend()
    async with serve(make_app(backend)) as url, httpx.AsyncClient() as http:
        response = await http.post(f"{url}/realtime_audio/", files=files)
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]
    assert backend.connections == 0  # refused before the model was bothered


async def test_non_multipart_or_empty_bodies_are_refused() -> None:
    async with serve(make_app(mock_backend())) as url, httpx.AsyncClient() as http:
        as_json = await http.post(f"{url}/realtime_audio/", json={"audio": "x"})
        empty = await http.post(
            f"{url}/realtime_audio/",
            content=b"",
            headers={"Content-Type": "multipart/form-data; boundary=b"},
        )
        nothing = await http.post(f"{url}/realtime_audio/")
    assert as_json.status_code == 415
    assert as_json.json()["error"]["code"] == "unsupported_media_type"
    assert empty.status_code == 422 and empty.json()["error"]["code"] == "bad_form"
    assert nothing.status_code == 415


async def test_over_long_clip_is_413() -> None:
    async with serve(make_app(mock_backend(), max_input_audio_s=1.0)) as url:
        response = await _post(url, clip(IOS_CLIP))
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_long"


async def test_declared_2gb_upload_is_refused_before_the_body_is_read() -> None:
    async with serve(make_app(mock_backend())) as url:
        host, port = url.removeprefix("http://").split(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(
            b"POST /realtime_audio/ HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000000\r\n"
            b"Content-Type: multipart/form-data; boundary=b\r\n\r\n--b\r\n"
        )
        await writer.drain()
        async with asyncio.timeout(5):
            head = await reader.readuntil(b"\r\n\r\n")
            body = await reader.read(4096)
        writer.close()
    assert head.startswith(b"HTTP/1.1 413")
    assert b'"too_large"' in body


async def test_chunked_upload_is_cut_off_at_the_limit() -> None:
    sent = 0

    async def endless() -> object:
        nonlocal sent
        prefix = b'--b\r\nContent-Disposition: form-data; name="audio_file"; filename="x"\r\n\r\n'
        yield prefix
        while sent < 50_000_000:
            sent += 65536
            yield b"\0" * 65536

    async with (
        serve(make_app(mock_backend(), max_upload_bytes=1_000_000)) as url,
        httpx.AsyncClient(timeout=10) as http,
    ):
        try:
            response = await http.post(
                f"{url}/realtime_audio/",
                content=endless(),  # type: ignore[arg-type]
                headers={"Content-Type": "multipart/form-data; boundary=b"},
            )
        except httpx.TransportError:
            response = None  # the server closed the connection mid-upload: also fine
    if response is not None:
        assert response.status_code == 413
        assert response.json()["error"]["code"] == "too_large"
    assert sent < 20_000_000  # refused early, not after buffering it all


async def test_upstream_unreachable_is_503_json() -> None:
    async with serve(make_app(UnreachableBackend())) as url:  # type: ignore[arg-type]
        response = await _post(url, clip(SHORT_CLIP), "hear.wav")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "upstream_unreachable"


async def test_upstream_failure_before_audio_is_502_json() -> None:
    backend = mock_backend(fault=Fault("error", after_deltas=0))
    async with serve(make_app(backend)) as url:
        response = await _post(url, clip(SHORT_CLIP), "hear.wav")
    assert response.status_code in (502, 503), response.text
    assert response.json()["error"]["code"]
    assert backend.open_connections == 0


async def test_upstream_failure_mid_reply_ends_the_body_and_is_recorded() -> None:
    backend = mock_backend(fault=Fault("close_mid_response", after_deltas=3))
    async with serve(make_app(backend)) as url:
        response = await _post(url, clip(IOS_CLIP))
        assert response.status_code == 200
        assert 0 < len(response.content) < len(decoded_24k(clip(IOS_CLIP))) * 2
        async with httpx.AsyncClient() as http:
            sid = response.headers["x-session-id"]
            record = (await http.get(f"{url}/sessions/{sid}")).json()
    assert record["end_reason"] == "upstream_error"
    assert record["errors"] and record["errors"][0]["code"]
    assert backend.open_connections == 0


async def test_client_disconnect_mid_reply_closes_upstream_within_1s() -> None:
    backend = mock_backend(ttfa_ms=20, speed_x_realtime=1.0)
    async with serve(make_app(backend)) as url:
        files = {"audio_file": ("a.m4a", clip(IOS_CLIP), "audio/m4a")}
        async with httpx.AsyncClient(timeout=10) as http:
            async with http.stream("POST", f"{url}/realtime_audio/", files=files) as response:
                async for _ in response.aiter_raw():
                    break  # first audio arrived: hang up
            assert backend.open_connections == 1
        assert await backend.wait_closed(timeout_s=1.0) < 1.0
        async with httpx.AsyncClient() as http:
            sid = response.headers["x-session-id"]
            record = (await http.get(f"{url}/sessions/{sid}")).json()
    assert record["end_reason"] == "client_gone"


async def _post_form(url: str, **fields: str) -> httpx.Response:
    files = {"audio_file": ("clip.wav", clip(SHORT_CLIP), "audio/wav")}
    async with httpx.AsyncClient(timeout=30) as http:
        return await http.post(f"{url}/realtime_audio/", data=fields, files=files)


async def test_an_upload_with_demo_tools_gets_the_reply_after_the_tool_answered() -> None:
    backend = mock_backend(behaviour="tool")
    async with serve(make_app(backend)) as url:
        response = await _post_form(url, tools="demo")
        assert response.status_code == 200, response.text
        async with httpx.AsyncClient() as http:
            sid = response.headers["x-session-id"]
            record = (await http.get(f"{url}/sessions/{sid}")).json()
        bad = await _post_form(url, voice="nova")
    assert response.content  # the spoken reply about the tool's answer
    (tool,) = [i for i in record["items"] if i["role"] == "tool"]
    assert tool["final"] and tool["text"].startswith("get_current_time(")
    assert record["turn_count"] == 1 and record["turns"][0]["status"] == "completed"
    error = bad.json()["error"]
    assert bad.status_code == 422 and error["code"] == "bad_settings"
    assert [p["label"] for p in error["problems"]] == ["Voice"]
