"""Issue 17's browser criterion: with the ``4g`` profile on the client leg, the duplex page's
measured voice-to-voice latency exceeds the unimpaired run by the profile's expected
contribution within 10 %.

The page's own figures are used: ``mic_to_audible_ms`` of its turn reports (last voiced
microphone sample → first audible reply block at the speaker, on the AudioContext clock,
output latency included), and the server's decomposition of that same figure (the page
sends its ``turn_report``; the parts add up to the page's total, residual 0). Two
servers serve the same app over the same echo mock; one puts every WebSocket behind
``4g`` (``client_net_profile``). Runs alternate between them so machine load hits both
alike; each run is a fresh page and its first turn.

Chromium's fake microphone starts its file at an arbitrary point, which moves two parts
of the page's figure from run to run, with or without a profile: where the page's meter
and the server's VAD find the end of speech (the *turn detection* part spreads by about
30 ms), and, when capture starts inside the phrase, the reply's leading silence (the
echo then starts with little or none of its usual silence: the figure drops by up to
about 180 ms; 3 of 12 runs per server in one clean-clone CI run). Neither has anything
to do with the network, so the criterion compares the page's ``mic_to_speaker_ms`` (… →
first reply sample at the speaker, past the jitter buffer and the device) without the
turn-detection part; the raw difference of the ``mic_to_audible_ms`` totals is reported
next to it.

Each server's figure is a trimmed mean: ten runs, the highest and the lowest dropped.
Per run, that figure spreads by about 7 ms behind 4g (one uplink and one downlink draw
of the profile's Pareto jitter) and by about 4 ms without it. The plain mean of four
runs per server left the 10 % band in clean-clone CI runs (57.6, 65.5 and 109.2 ms). On
a loaded machine one starved page can also start its playout 75 ms late; dropping one
run per side removes such a page. The trim lowers the expectation of the 4g side by
about 1.5 % (it trims the Pareto's right tail too), which the band absorbs. The page's
first jitter cushion is set so that 4g never underruns (``PREBUFFER_MS``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser
from scipy.stats import trim_mean

from tests.e2e.browser_harness import (
    MOCK_TTFA_MS,
    VAD_SILENCE_MS,
    RunningServer,
    record_latency,
    serve_in_thread,
)
from workbench.bench.netem import NetemParams, expected_added_ms
from workbench.mock.config import LatencyModel, MockConfig
from workbench.netem.profiles import get_profile
from workbench.service import BackendResolver, SessionService
from workbench.settings import RelaySettings, ServerSettings

pytestmark = [pytest.mark.browser, pytest.mark.timeout(480), pytest.mark.flaky(reruns=1)]

PROFILE = "4g"
RUNS = 10  # per server
#: Fraction of a server's runs dropped at each end (one of ten).
TRIMMED = 1 / RUNS
#: The page's first jitter cushion (ms): larger than 4g's largest chunk lateness, so no
#: run underruns before the reply is audible. With the default 25 ms about one run in
#: nine does (the link model: the first 20 chunks of 3,000 seeded replies come up to
#: 25 ms late in 11 %, 100 ms late in none), which adds its stall to 4g's side only;
#: the profile's expected contribution is the network's, without that stall.
PREBUFFER_MS = 100
#: How long the server may take to apply the page's turn report (s).
REPORT_WAIT_S = 5.0


def _service(client_net_profile: str) -> SessionService:
    mock = MockConfig(behaviour="echo", latency=LatencyModel(ttfa_ms=MOCK_TTFA_MS))
    defaults = RelaySettings(
        turn_detection="server_vad",
        vad_silence_ms=VAD_SILENCE_MS,
        mock_ttfa_ms=MOCK_TTFA_MS,
        mock_speed_x=1.0,
    )
    server = ServerSettings(client_net_profile=client_net_profile)
    return SessionService(server, BackendResolver(mock_base=mock), defaults=defaults)


@pytest.fixture(scope="module")
def plain() -> Iterator[RunningServer]:
    with serve_in_thread(_service("none")) as running:
        yield running


@pytest.fixture(scope="module")
def impaired() -> Iterator[RunningServer]:
    with serve_in_thread(_service(PROFILE)) as running:
        yield running


@dataclass(frozen=True)
class PageTurn:
    """The page's figures of its first turn (ms, audio clock + output latency)."""

    mic_to_audible_ms: float  # last voiced mic sample -> first audible reply sample
    mic_to_speaker_ms: float  # ... -> first reply sample at the speaker
    response_id: str


def _first_turn(browser: Browser, url: str) -> PageTurn:
    """The first turn of a fresh duplex page on ``url``."""
    page = browser.new_page()
    try:
        page.goto(
            f"{url}/duplex?rate=24000&vad_silence_ms={VAD_SILENCE_MS}&prebuffer_ms={PREBUFFER_MS}"
        )
        page.click("#start")
        page.wait_for_function(
            "() => window.duplex.reports.length >= 1"
            " && window.duplex.reports[0].mic_to_audible_ms !== null",
            timeout=30_000,
        )
        report = page.evaluate("() => window.duplex.reports[0]")
        page.click("#stop")
    finally:
        page.close()
    assert report["status"] == "completed", report
    return PageTurn(
        float(report["mic_to_audible_ms"]),
        float(report["mic_to_speaker_ms"]),
        str(report["response_id"]),
    )


def _turn_detection_ms(server: RunningServer, response_id: str) -> float:
    """The server's *turn detection* part of the page's figure for ``response_id``.

    The page sends its ``turn_report`` as it pushes the report the test reads; behind 4g
    the message is still crossing the link then, so the record is polled (bounded).
    """
    deadline_s = time.monotonic() + REPORT_WAIT_S
    v2v: object = None
    while time.monotonic() < deadline_s:
        for record in server.built.service.store.recent(50):
            for turn in record.to_dict()["turns"]:
                if turn.get("response_id") == response_id:
                    v2v = turn["timeline"].get("voice_to_voice")
        if isinstance(v2v, dict) and v2v["missing"] == []:
            assert abs(v2v["residual_ms"]) < 1.0, v2v
            return float(v2v["parts_ms"]["turn_detection"])
        time.sleep(0.05)
    raise AssertionError(f"the page's turn report for {response_id} did not arrive: {v2v}")


def test_4g_on_the_client_leg_adds_its_expected_contribution(
    plain: RunningServer, impaired: RunningServer, browser: Browser
) -> None:
    turns: dict[str, list[PageTurn]] = {"none": [], PROFILE: []}
    waits_ms: dict[str, list[float]] = {"none": [], PROFILE: []}
    for _ in range(RUNS):
        for name, server in (("none", plain), (PROFILE, impaired)):
            turn = _first_turn(browser, server.url)
            turns[name].append(turn)
            waits_ms[name].append(_turn_detection_ms(server, turn.response_id))

    def added(figure: Callable[[PageTurn, float], float]) -> float:
        """Trimmed mean of ``figure`` behind the profile minus the same without it (ms)."""
        means = [
            trim_mean([figure(t, w) for t, w in zip(turns[n], waits_ms[n], strict=True)], TRIMMED)
            for n in (PROFILE, "none")
        ]
        return float(means[0] - means[1])

    raw_added_ms = added(lambda t, _: t.mic_to_audible_ms)
    # Without the two parts that depend on where the fake microphone starts its file.
    added_ms = added(lambda t, wait_ms: t.mic_to_speaker_ms - wait_ms)
    # The page sends 20 ms frames at 24 kHz, as the bench's listener does.
    expected_ms = expected_added_ms(get_profile(PROFILE), "client", NetemParams())
    record_latency(
        "duplex_4g_client_leg",
        {
            "profile": PROFILE,
            "runs_per_server": RUNS,
            "statistic": "mean of each server's runs without its highest and lowest",
            **{
                f"{figure}_{name}": [round(v, 1) for v in values]
                for name in turns
                for figure, values in (
                    ("mic_to_audible_ms", [t.mic_to_audible_ms for t in turns[name]]),
                    ("mic_to_speaker_ms", [t.mic_to_speaker_ms for t in turns[name]]),
                    ("turn_detection_ms", waits_ms[name]),
                )
            },
            "added_ms": round(added_ms, 1),
            "raw_added_ms": round(raw_added_ms, 1),
            "expected_ms": round(expected_ms, 1),
            "measured_with": "duplex page, audio clock (first run's turn report)",
        },
    )
    print(f"{PROFILE} adds {added_ms:.1f} ms (expected {expected_ms:.1f}; raw {raw_added_ms:.1f})")
    assert abs(added_ms - expected_ms) <= 0.1 * expected_ms
