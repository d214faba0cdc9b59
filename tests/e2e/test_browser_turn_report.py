"""The browser's clock pings and turn reports (the latency lab's protocol), end to end.

The server side of ``clock_ping`` / ``turn_report`` belongs to the latency lab; until it
exists, an ASGI layer in front of the real app plays it: it adds the two types to the
``session`` message's ``features``, answers ``clock_ping`` with ``clock_pong`` (server
monotonic ms) and keeps each ``turn_report``. It also notes, on the same clock, when the
server sent ``speech_stopped`` and each reply's ``audio_start``, so the instants the page
reports (converted to the server's clock by the page) can be checked against what the
server itself saw. Without the features, the page sends neither (the other tests).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import gradio as gr
import pytest
from playwright.sync_api import Browser

from tests.e2e.browser_harness import MOCK_TTFA_MS, VAD_SILENCE_MS, serve_asgi_in_thread
from tests.support.services import make_service
from workbench.app.api.app import create_api_app
from workbench.app.ui.realtime_audio import RealtimeAudio
from workbench.backends.inprocess import InProcessBackend
from workbench.mock.config import LatencyModel, MockConfig

pytestmark = [pytest.mark.browser, pytest.mark.timeout(90), pytest.mark.flaky(reruns=1)]
LAB_TYPES = ("clock_ping", "turn_report")


def server_ms() -> float:
    """The stand-in server's clock: monotonic ms."""
    return time.monotonic() * 1000.0


@dataclass
class LabStandIn:
    """ASGI middleware answering the lab's messages on ``/ws/realtime`` (test only)."""

    app: Any
    reports: list[dict[str, Any]] = field(default_factory=list)
    pings: int = 0
    sent_ms: dict[str, list[float]] = field(default_factory=dict)  # message type -> times

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "websocket" or scope["path"] != "/ws/realtime":
            await self.app(scope, receive, send)
            return
        lock = asyncio.Lock()

        async def send_out(message: dict[str, Any]) -> None:
            text = message.get("text") if message["type"] == "websocket.send" else None
            if text:
                data = json.loads(text)
                kind = data.get("type")
                self.sent_ms.setdefault(kind, []).append(server_ms())
                if kind == "session":
                    data["features"] = [*data.get("features", []), *LAB_TYPES]
                    message = {**message, "text": json.dumps(data)}
            async with lock:
                await send(message)

        async def receive_in() -> Any:
            while True:
                message = await receive()
                text = message.get("text") if message["type"] == "websocket.receive" else None
                data = json.loads(text) if text else None
                if isinstance(data, dict) and data.get("type") == "clock_ping":
                    self.pings += 1
                    pong = {"type": "clock_pong", "client_ms": data["client_ms"]}
                    pong["server_ms"] = server_ms()
                    async with lock:
                        await send({"type": "websocket.send", "text": json.dumps(pong)})
                    continue
                if isinstance(data, dict) and data.get("type") == "turn_report":
                    self.reports.append({**data, "received_ms": server_ms()})
                    continue
                return message

        await self.app(scope, receive_in, send_out)


@pytest.fixture(scope="module")
def lab() -> Iterator[tuple[str, LabStandIn]]:
    mock = MockConfig(behaviour="echo", latency=LatencyModel(ttfa_ms=MOCK_TTFA_MS))
    api = create_api_app(make_service(InProcessBackend(mock)))
    with gr.Blocks() as demo:
        RealtimeAudio(vad_silence_ms=VAD_SILENCE_MS, chunk_ms=20, elem_id="rt")
    stand_in = LabStandIn(gr.mount_gradio_app(api, demo, path="/", ssr_mode=False))
    with serve_asgi_in_thread(stand_in) as url:
        yield url, stand_in


def test_the_page_reports_each_turn_on_the_servers_clock(
    lab: tuple[str, LabStandIn], browser: Browser
) -> None:
    url, stand_in = lab
    stand_in.reports.clear()  # a rerun starts afresh
    stand_in.sent_ms.clear()
    stand_in.pings = 0
    page = browser.new_page()
    rt = "document.querySelector('#rt').realtimeClient"
    try:
        page.goto(url)
        page.wait_for_function(
            "() => document.querySelector('#rt')?.realtimeClient", timeout=20_000
        )
        page.click("#rt button.start")
        page.wait_for_function(f"() => {rt}.metrics.turnReportsSent >= 2", timeout=40_000)
        metrics = page.evaluate(
            f"() => ({{reports: {rt}.metrics.reports, clock: {rt}.metrics.clock,"
            f" features: {rt}.metrics.features, errors: {rt}.metrics.errors}})"
        )
        page.click("#rt button.stop")
    finally:
        page.close()
    deadline = time.monotonic() + 5
    while len(stand_in.reports) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)

    assert not metrics["errors"] and set(LAB_TYPES) <= set(metrics["features"])
    assert stand_in.pings >= 3 and metrics["clock"]["pongs"] >= 3
    by_response = {r["response_id"]: r for r in metrics["reports"]}
    stopped = stand_in.sent_ms["speech_stopped"]
    starts = stand_in.sent_ms["audio_start"]
    for i, sent in enumerate(stand_in.reports[:2]):
        page_report = by_response[sent["response_id"]]
        speech_end, first = sent["speech_end_ms"], sent["first_sample_ms"]
        audible = sent["first_audible_ms"]
        # Loopback: the page knows the server's clock to a few ms.
        assert 0 <= sent["clock_uncertainty_ms"] < 25, sent
        # The instants are the page's own measurement, moved onto the server's clock.
        assert speech_end < first < audible
        assert first - speech_end == pytest.approx(page_report["mic_to_speaker_ms"], abs=1.0)
        assert audible - speech_end == pytest.approx(page_report["mic_to_audible_ms"], abs=1.0)
        assert sent["output_latency_ms"] == pytest.approx(page_report["output_latency_ms"])
        assert sent["jitter_buffer_ms"] == pytest.approx(page_report["jitter_buffer_ms"])
        # ... and they agree with what the server saw: it could only decide the speech had
        # stopped after the VAD's silence, and the reply was heard after it was sent.
        vad_ms = stopped[i] - speech_end
        heard_after_send_ms = first - starts[i]
        # (upper bounds: loose, a busy machine delays either by a few hundred ms)
        assert VAD_SILENCE_MS - 25 < vad_ms < VAD_SILENCE_MS + 1000, vad_ms
        assert 0 < heard_after_send_ms < 1000, heard_after_send_ms
        print(
            f"\nturn report {i + 1}: server speech_stopped {vad_ms:.0f} ms after the last"
            f" voiced sample, reply heard {heard_after_send_ms:.0f} ms after audio_start went"
            f" out, clock ±{sent['clock_uncertainty_ms']} ms"
        )
