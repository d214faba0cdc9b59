"""workbench.client and ``workbench client`` against a real server."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
import soundfile as sf

from tests.e2e.api_harness import (
    AUDIO_DIR,
    clip,
    decoded_24k,
    make_app,
    mock_backend,
    peak_correlation,
    serve,
)
from workbench.client import ApiClientError, get_session, send_clip

CLIP = "en_hello_44k1_aac_faststart.m4a"


@pytest.mark.parametrize("stream", [False, True])
async def test_send_clip_saves_the_reply_as_wav(tmp_path: Path, stream: bool) -> None:
    out = tmp_path / "reply.wav"
    async with serve(make_app(mock_backend())) as url:
        result = await send_clip(AUDIO_DIR / CLIP, out=out, url=url, stream=stream)
        record = await get_session(result.session_id, url=url)
    samples, rate_hz = sf.read(out, dtype="float32")
    assert rate_hz == 24_000 and len(samples) * 2 == result.reply_bytes
    assert 0 < result.ttfb_ms <= result.total_ms
    assert (result.upload_ms is not None) == stream
    assert abs(result.reply_ms - 1000 * len(samples) / 24_000) < 1
    assert peak_correlation(samples, decoded_24k(clip(CLIP))) > 0.9
    assert record["kind"] == ("upload_stream" if stream else "upload")


async def test_send_clip_raises_the_servers_error(tmp_path: Path) -> None:
    async with serve(make_app(mock_backend())) as url:
        with pytest.raises(ApiClientError) as info:
            await send_clip(b"not audio at all" * 10, out=tmp_path / "x.wav", url=url)
    assert info.value.code == "not_audio" and info.value.http_status == 415


async def test_cli_client_prints_time_to_first_byte(tmp_path: Path) -> None:
    out = tmp_path / "reply.wav"
    async with serve(make_app(mock_backend())) as url:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "workbench.cli",
            "client",
            str(AUDIO_DIR / CLIP),
            "--url",
            url,
            "-o",
            str(out),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        async with asyncio.timeout(60):
            stdout, stderr = await proc.communicate()
    text = stdout.decode()
    assert proc.returncode == 0, text + stderr.decode()
    assert "first byte:" in text and "status:         ended (completed)" in text
    assert out.stat().st_size > 44
