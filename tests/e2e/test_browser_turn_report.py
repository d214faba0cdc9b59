"""The browser's clock pings and turn reports against the real server, end to end.

A page with the RealtimeAudio component talks to the real API (mock model, server VAD):
it syncs its clock (``clock_ping``), and after each turn sends a ``turn_report`` with
what it measured on the audio clock, moved onto the server's clock. The server stamps
the report on the turn and decomposes voice-to-voice latency; the checks compare the
server's decomposition with the page's own figures and with what the server alone can
know (it decided the end of speech after the VAD's silence).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import gradio as gr
import httpx
import pytest
from playwright.sync_api import Browser

from tests.e2e.browser_harness import MOCK_TTFA_MS, VAD_SILENCE_MS, serve_asgi_in_thread
from tests.support.services import make_service
from workbench.app.api.app import create_api_app
from workbench.app.ui.realtime_audio import RealtimeAudio
from workbench.backends.inprocess import InProcessBackend
from workbench.mock.config import LatencyModel, MockConfig
from workbench.relay.voice_to_voice import PARTS

pytestmark = [pytest.mark.browser, pytest.mark.timeout(90), pytest.mark.flaky(reruns=1)]
RT = "document.querySelector('#rt').realtimeClient"


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    mock = MockConfig(behaviour="echo", latency=LatencyModel(ttfa_ms=MOCK_TTFA_MS))
    api = create_api_app(make_service(InProcessBackend(mock)))
    with gr.Blocks() as demo:
        RealtimeAudio(vad_silence_ms=VAD_SILENCE_MS, chunk_ms=20, elem_id="rt")
    with serve_asgi_in_thread(gr.mount_gradio_app(api, demo, path="/", ssr_mode=False)) as url:
        yield url


def reported_turns(url: str, timeout_s: float = 5.0) -> list[dict[str, Any]]:
    """The newest session's turns whose timeline has a voice-to-voice figure (polled)."""
    deadline = time.monotonic() + timeout_s
    turns: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        sessions = httpx.get(f"{url}/sessions").json()["sessions"]
        newest = max(sessions, key=lambda s: s["created_unix_s"])
        record = httpx.get(f"{url}/sessions/{newest['session_id']}").json()
        turns = [t for t in record["turns"] if t["timeline"].get("voice_to_voice_ms") is not None]
        if len(turns) >= 2:
            break
        time.sleep(0.1)
    return turns


def test_the_servers_decomposition_of_each_turn_matches_what_the_page_heard(
    url: str, browser: Browser
) -> None:
    page = browser.new_page()
    try:
        page.goto(url)
        page.wait_for_function(
            "() => document.querySelector('#rt')?.realtimeClient", timeout=20_000
        )
        page.click("#rt button.start")
        page.wait_for_function(f"() => {RT}.metrics.turnReportsSent >= 2", timeout=40_000)
        metrics = page.evaluate(
            f"() => ({{reports: {RT}.metrics.reports, clock: {RT}.metrics.clock,"
            f" features: {RT}.metrics.features, errors: {RT}.metrics.errors}})"
        )
        turns = reported_turns(url)
        page.click("#rt button.stop")
    finally:
        page.close()

    assert not metrics["errors"] and {"clock_ping", "turn_report"} <= set(metrics["features"])
    assert metrics["clock"]["pongs"] >= 3
    by_response = {r["response_id"]: r for r in metrics["reports"]}
    assert len(turns) >= 2
    for i, turn in enumerate(turns[:2]):
        page_report = by_response[turn["response_id"]]
        timeline = turn["timeline"]
        v2v = timeline["voice_to_voice"]
        parts = v2v["parts_ms"]
        # The total is the page's own figure (last voiced sample -> first audible sample),
        # moved onto the server's clock and back: the same to the report's rounding.
        assert timeline["voice_to_voice_ms"] == pytest.approx(
            page_report["mic_to_audible_ms"], abs=0.5
        )
        # Every part is known: the page said where its speech ended in the input it sent
        # (uplink) and when the reply's first audio reached it (downlink).
        assert v2v["missing"] == [], v2v
        assert set(parts) == set(PARTS)
        assert sum(parts.values()) + v2v["residual_ms"] == pytest.approx(v2v["total_ms"], abs=0.01)
        assert abs(v2v["residual_ms"]) < 1.0, v2v
        # On loopback the uplink is a few ms, and may come out slightly negative: the
        # page dates its speech end from the audio clock and the output latency the
        # browser reports, which leave out the capture path (the server then received
        # the input "before" it was spoken, by that much; docs/latency-lab.md).
        assert -25 < parts["uplink"] < 250 and 0 <= parts["downlink"] < 250, v2v
        # What the server alone knows: it could only decide the speech had stopped after
        # the VAD's silence (upper bounds loose: a busy machine delays either).
        uplink_and_vad = parts["uplink"] + parts["turn_detection"]
        assert VAD_SILENCE_MS - 25 < uplink_and_vad < VAD_SILENCE_MS + 1000, v2v
        assert parts["model"] >= MOCK_TTFA_MS - 5, v2v
        print(
            f"\nturn {i + 1}: voice-to-voice {v2v['total_ms']:.0f} ms = "
            + " + ".join(f"{k} {parts[k]:.0f}" for k in PARTS)
            + f" + residual {v2v['residual_ms']:.1f} ms"
        )
