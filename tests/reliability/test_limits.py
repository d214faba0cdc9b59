"""Every server limit answers with the same code and message on every path.

One session service per test behind all the shells a user reaches: the API (upload,
stream, WebSocket) served on 127.0.0.1, the Talk and File tabs' controllers, and the
``workbench relay`` command. docs/reliability.md's "Limits on every path" table lists
these tests.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from websockets.asyncio.client import connect

from tests.reliability.harness import (
    inprocess,
    is_type,
    pcm16,
    receive_until,
    tone,
    wav,
    ws_url,
)
from tests.support.servers import serve
from tests.support.services import make_service
from workbench.app.api.app import create_api_app
from workbench.app.ui.file_flow import relay_file
from workbench.app.ui.talk_session import TalkRegistry
from workbench.cli import main
from workbench.errors import WorkbenchError
from workbench.service import SessionService
from workbench.service.limits import input_too_long, too_many_decodes, too_many_sessions

pytestmark = pytest.mark.timeout(90)


async def _upload(base: str, data: bytes) -> httpx.Response:
    async with httpx.AsyncClient(base_url=base, timeout=20) as http:
        files = {"audio_file": ("clip.wav", data, "audio/wav")}
        return await http.post("/realtime_audio/", files=files)


async def _stream(base: str, data: bytes) -> httpx.Response:
    async with httpx.AsyncClient(base_url=base, timeout=20) as http:
        return await http.post(
            "/realtime_audio/stream", content=data, headers={"content-type": "audio/wav"}
        )


async def _ws_errors(base: str, audio: bytes = b"", **query: object) -> dict[str, Any]:
    """Connect, send ``audio`` in 40 ms frames; the fatal error and the end reason."""
    url = ws_url(base, turn_detection="none", **query)
    async with connect(url, open_timeout=10, close_timeout=2) as ws:
        got = await receive_until(ws, is_type("session", "error", "session_ended"))
        for start in range(0, len(audio), 1920):
            with contextlib.suppress(Exception):
                await ws.send(audio[start : start + 1920])
        await receive_until(ws, is_type("session_ended"), got, timeout_s=15)
    fatal = [m for m in got.of("error") if m["fatal"]]
    ended = got.of("session_ended")
    return {
        "code": fatal[-1]["code"] if fatal else None,
        "message": fatal[-1]["message"] if fatal else None,
        "reason": ended[-1]["reason"] if ended else None,
    }


async def _file_tab(service: SessionService, path: Path) -> str:
    views = [v async for v in relay_file(service, service.defaults, path)]
    return views[-1].status


def _cli(capsys: pytest.CaptureFixture[str], clip: Path, env: dict[str, str]) -> tuple[int, str]:
    with pytest.MonkeyPatch.context() as mp:
        for key, value in env.items():
            mp.setenv(key, value)
        mp.setenv("WORKBENCH_BACKEND", "mock")
        status = main(["relay", str(clip), "-o", str(clip.with_suffix(".reply.wav"))])
    return status, capsys.readouterr().err


def _clip(tmp_path: Path, seconds: float) -> Path:
    path = tmp_path / f"tone_{seconds:g}s.wav"
    path.write_bytes(wav(tone(440.0, seconds)))
    return path


async def test_max_sessions_is_503_with_the_same_message_on_every_path(tmp_path: Path) -> None:
    service = make_service(inprocess(), max_sessions=1)
    expected = too_many_sessions(service.server).message
    holder = service.open("talk")  # the one allowed session
    await holder.start()
    clip = _clip(tmp_path, 0.5)
    async with serve(create_api_app(service)) as base:  # closes the service at the end
        upload = await _upload(base, clip.read_bytes())
        stream = await _stream(base, clip.read_bytes())
        ws = await _ws_errors(base)
        with pytest.raises(WorkbenchError) as talk:
            await TalkRegistry().open("tab", service, service.defaults)
        file_status = await _file_tab(service, clip)
    for response in (upload, stream):
        assert response.status_code == 503
        assert response.headers["retry-after"] == "2"
        assert response.json()["error"] == {"code": "too_many_sessions", "message": expected}
    assert ws == {"code": "too_many_sessions", "message": expected, "reason": "limit"}
    assert (talk.value.code, talk.value.message) == ("too_many_sessions", expected)
    assert file_status == expected


async def test_concurrent_decodes_are_503_with_the_same_message_on_every_decoding_path(
    tmp_path: Path,
) -> None:
    service = make_service(inprocess(), max_concurrent_decodes=1, decode_wait_s=0.0)
    expected = too_many_decodes(service.server).message
    release = asyncio.Event()

    async def other_upload() -> None:  # holds the one decode allowed
        async with service.decodes.slot():
            await release.wait()

    holder = asyncio.create_task(other_upload())
    await asyncio.sleep(0.01)
    clip = _clip(tmp_path, 0.5)
    async with serve(create_api_app(service)) as base:
        upload = await _upload(base, clip.read_bytes())
        stream = await _stream(base, clip.read_bytes())
        file_status = await _file_tab(service, clip)
        release.set()
        await holder
        healthy = await _upload(base, clip.read_bytes())  # a slot is free again
        assert not service.live
    for response in (upload, stream):
        assert response.status_code == 503
        assert response.headers["retry-after"] == "2"
        assert response.json()["error"] == {"code": "too_many_decodes", "message": expected}
    assert file_status == expected
    assert healthy.status_code == 200 and len(healthy.content) > 0


async def test_input_over_the_per_turn_limit_is_413_too_long_on_every_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    service = make_service(inprocess(), max_input_audio_s=1.0)
    expected = input_too_long(service.server).message
    clip = _clip(tmp_path, 1.5)
    async with serve(create_api_app(service)) as base:
        upload = await _upload(base, clip.read_bytes())
        stream = await _stream(base, clip.read_bytes())
        ws = await _ws_errors(base, pcm16(tone(440.0, 1.5)))
        talk = await TalkRegistry().open("tab", service, service.defaults)
        for _ in range(15):  # 1.5 s of 100 ms microphone chunks at 24 kHz
            await talk.feed(24_000, np.zeros(2400, np.int16) + 1000)
        file_status = await _file_tab(service, clip)
    for response in (upload, stream):
        assert response.status_code == 413
        assert response.json()["error"] == {"code": "too_long", "message": expected}
    assert ws == {"code": "too_long", "message": expected, "reason": "limit"}
    assert talk.view().warnings == [expected] and not talk.live
    assert talk.session is not None and talk.session.record.end_reason == "limit"
    assert file_status == expected
    status, err = await asyncio.to_thread(_cli, capsys, clip, {"WORKBENCH_MAX_INPUT_AUDIO_S": "1"})
    assert status == 2 and err.strip() == f"workbench: error: {expected}"


async def test_uploads_over_the_size_limit_are_413_too_large_on_every_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    service = make_service(inprocess(), max_upload_bytes=40_000)
    clip = _clip(tmp_path, 1.5)  # 72 kB of WAV
    limit_words = "exceeds the limit of 40000 bytes (Max upload size, --max-upload-bytes"
    async with serve(create_api_app(service)) as base:
        upload = await _upload(base, clip.read_bytes())
        stream = await _stream(base, clip.read_bytes())
        file_status = await _file_tab(service, clip)
    for response in (upload, stream):
        assert response.status_code == 413
        error = response.json()["error"]
        assert error["code"] == "too_large" and limit_words in error["message"]
    assert limit_words in file_status
    status, err = await asyncio.to_thread(
        _cli, capsys, clip, {"WORKBENCH_MAX_UPLOAD_BYTES": "40000"}
    )
    assert status == 2 and limit_words in err


async def test_idle_and_overlong_sessions_end_with_the_same_words_on_every_live_path() -> None:
    idle = make_service(inprocess(), idle_timeout_s=0.5)
    async with serve(create_api_app(idle)) as base:
        ws = await _ws_errors(base)
        talk = await TalkRegistry().open("tab", idle, idle.defaults)
        async with asyncio.timeout(10):
            while talk.live:  # noqa: ASYNC110 (polls what the reaper changes)
                await asyncio.sleep(0.05)
    assert ws["code"] == "idle_timeout" and ws["reason"] == "idle"
    assert "no audio or reply for 0.5 s" in ws["message"]
    assert talk.view().warnings == [f"idle_timeout: {ws['message']}"]
    assert talk.session is not None and talk.session.record.end_reason == "idle"

    capped = make_service(inprocess(), max_session_s=1.0)
    async with serve(create_api_app(capped)) as base:
        ws = await _ws_errors(base, pcm16(np.zeros(24_000 * 3, np.float32)), sample_rate_hz=24_000)
        talk = await TalkRegistry().open("tab", capped, capped.defaults)
        async with asyncio.timeout(10):
            while talk.live:
                await talk.feed(24_000, np.zeros(2400, np.int16))
                await asyncio.sleep(0.1)
    assert ws["code"] == "session_too_long" and ws["reason"] == "limit"
    assert talk.view().warnings == [f"session_too_long: {ws['message']}"]


def test_the_reliability_doc_lists_every_limit_test() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "reliability.md").read_text()
    names = [n for n in globals() if n.startswith("test_") and "doc_lists" not in n]
    assert all(name in doc for name in names), [n for n in names if n not in doc]
