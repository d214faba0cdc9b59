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
from tests.support.servers import closed_port
from workbench.audio import decode_audio
from workbench.client import ApiClientError, get_session, send_clip, voice_to_voice_of

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
    # Voice-to-voice on the audio: the echo's first audible sample is the clip's onset.
    decoded = decode_audio(clip(CLIP))
    turn = record["turns"][0]["timeline"]
    v2v = voice_to_voice_of(
        result, decoded.samples, decoded.sample_rate_hz, samples, server_turn=turn
    )
    assert v2v is not None
    parts = v2v.decomposition.parts_ms
    assert parts["model"] == turn["model_ttfb_ms"] and parts["buffering"] is not None
    assert v2v.total_ms >= parts["model"] + parts["buffering"] - 1.0  # same clock per part
    assert (
        abs(
            sum(p for p in parts.values() if p is not None)
            + v2v.decomposition.residual_ms
            - v2v.total_ms
        )
        < 1e-6
    )
    if not stream:
        assert v2v.speech_end_sent_ms == result.upload_sent.arrival_ms(result.upload_bytes - 1)


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


async def _cli(*args: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "workbench.cli",
        "client",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    async with asyncio.timeout(60):
        stdout, stderr = await proc.communicate()
    assert proc.returncode is not None
    return proc.returncode, stdout.decode(), stderr.decode()


async def test_cli_client_prints_voice_to_voice_with_what_it_leaves_out(tmp_path: Path) -> None:
    async with serve(make_app(mock_backend())) as url:
        code, out, err = await _cli(
            str(AUDIO_DIR / CLIP), "--url", url, "-o", str(tmp_path / "r.wav")
        )
    assert code == 0, out + err
    lines = [line.strip() for line in out.splitlines()]
    assert any(line.startswith("voice-to-voice:") for line in lines), out
    assert any(line.startswith("model") for line in lines)
    assert any(line.startswith("residual") for line in lines)
    assert any(line.startswith("excludes:") for line in lines)


async def test_cli_client_without_a_server_says_how_to_start_one(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    code, _out, err = await _cli(str(AUDIO_DIR / CLIP), "--url", url, "-o", str(tmp_path / "r.wav"))
    assert code == 2
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert f"no server answers at {url}" in err and "workbench serve" in err


async def test_cli_client_help_shows_the_default_url() -> None:
    code, out, _ = await _cli("--help")
    assert code == 0 and "default: http://127.0.0.1:7860" in out
