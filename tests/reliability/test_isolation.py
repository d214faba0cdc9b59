"""Session isolation under concurrency (issue 11, part 3).

Twenty WebSocket sessions (and ten HTTP uploads) run at once through one server and
the echo mock, each with its own tone frequency and its own duration. Every audio frame
a client receives must carry its own tone (dominant FFT bin) and every transcript its
own duration: no session ever hears or reads another's.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from tests.reliability.harness import (
    MODEL_RATE_HZ,
    Received,
    Switchboard,
    api_app,
    dominant_hz,
    mock_config,
    sdk_backend,
    serve,
    tone,
    upload,
    ws_turn,
)
from workbench.mock.server import MockServer, serve_mock

N_WS = 20
N_HTTP = 10
#: Frames shorter than this carry too few periods for a clean FFT peak (samples).
MIN_FRAME_SAMPLES = 480
#: Tolerance on the dominant frequency (Hz): 100 ms frames resolve 10 Hz bins.
TOLERANCE_HZ = 15.0


def frequency(i: int) -> float:
    return 300.0 + 100.0 * i  # 300 … 2200 Hz for the WebSockets, beyond for HTTP


def duration_s(i: int) -> float:
    return 0.5 + 0.02 * i


@pytest.fixture
async def mock_server() -> AsyncIterator[MockServer]:
    # Real time x2: replies of concurrent sessions overlap on the mock's sockets.
    async with serve_mock(mock_config(speed_x_realtime=2.0)) as server:
        yield server


def assert_own_audio(frames: list[bytes], expected_hz: float, label: str) -> None:
    checked = 0
    for n, frame in enumerate(frames):
        if len(frame) // 2 < MIN_FRAME_SAMPLES:
            continue
        got_hz = dominant_hz(frame)
        assert abs(got_hz - expected_hz) < TOLERANCE_HZ, (
            f"{label}: frame {n} carries {got_hz:.0f} Hz, expected {expected_hz:.0f} Hz"
        )
        checked += 1
    assert checked >= 3, f"{label}: only {checked} checkable frames"


async def test_concurrent_ws_sessions_never_receive_each_others_audio_or_text(
    mock_server: MockServer,
) -> None:
    switch = Switchboard(sdk_backend(mock_server.url, mock_config(speed_x_realtime=2.0)))
    async with serve(api_app(switch)) as base:
        results: list[Received] = await asyncio.gather(
            *(ws_turn(base, tone(frequency(i), duration_s(i))) for i in range(N_WS))
        )
        assert mock_server.total_connections >= N_WS
        for i, got in enumerate(results):
            label = f"session {i}"
            assert got.of("turn_done")[-1]["status"] == "completed", (label, got.messages)
            assert_own_audio(got.frames, frequency(i), label)
            expected_s = len(tone(frequency(i), duration_s(i))) / MODEL_RATE_HZ
            texts = [m["text"] for m in got.of("transcript") if m["final"]]
            assert texts, label
            for text in texts:
                assert f"{expected_s:.2f} s" in text, (label, text)
            ids = {m["session_id"] for m in got.of("session")}
            assert len(ids) == 1, label
        all_ids = {r.of("session")[0]["session_id"] for r in results}
        assert len(all_ids) == N_WS
        await switch.wait_closed(2.0)


async def test_concurrent_uploads_each_get_their_own_echo(mock_server: MockServer) -> None:
    switch = Switchboard(sdk_backend(mock_server.url, mock_config(speed_x_realtime=2.0)))
    async with (
        serve(api_app(switch)) as base,
        httpx.AsyncClient(base_url=base, timeout=20.0) as client,
    ):
        offset = N_WS
        responses = await asyncio.gather(
            *(upload(client, tone(frequency(offset + i), 0.6)) for i in range(N_HTTP))
        )
        for i, response in enumerate(responses):
            assert response.status_code == 200, response.text
            body = response.content
            # Cut the streamed body into 100 ms pieces: every piece is this upload's tone.
            step = MODEL_RATE_HZ // 10 * 2
            pieces = [body[k : k + step] for k in range(0, len(body), step)]
            assert_own_audio(pieces, frequency(offset + i), f"upload {i}")
        await switch.wait_closed(2.0)
