"""The simulated listener against the real WebSocket endpoint in memory, on virtual time:
deterministic voice-to-voice parts per leg and barge-in figures, without sleeping."""

from __future__ import annotations

import asyncio

import pytest

from workbench.bench import bargein, netem
from workbench.bench.netem_memory import virtual_api
from workbench.netem.profiles import LinkParams, NetProfile, get_profile

FIXED = NetProfile("fixed", LinkParams(delay_ms=40.0), LinkParams(delay_ms=60.0))


async def _v2v(profile: NetProfile, leg: str = "client", seed: int = 0) -> list[netem.TurnRow]:
    params = netem.NetemParams(turns=2, chunk_ms=20.0)  # frames = chunks: no phase
    async with asyncio.timeout(60), virtual_api() as api:
        return await netem.measure_session(
            api.connector, profile, leg, params, seed, clock=api.clock
        )


async def test_fixed_delays_on_the_client_leg_land_in_uplink_and_downlink() -> None:
    plain, fixed = await _v2v(get_profile("none")), await _v2v(FIXED)
    # A clock ping cannot see asymmetry: the client's instants map onto the server's
    # clock (60 - 40) / 2 = 10 ms early, which moves 10 ms from downlink to uplink; the
    # report says so (clock_uncertainty_ms = half the round trip = 50 ms).
    skew = (60.0 - 40.0) / 2
    for a, b in zip(plain, fixed, strict=True):
        assert a.status == b.status == "completed"
        assert a.residual_ms == b.residual_ms == 0.0
        assert b.clock_uncertainty_ms == pytest.approx(50.0)
        assert b.parts_ms["uplink"] == pytest.approx(a.parts_ms["uplink"] + 40.0 + skew, abs=0.01)
        assert b.parts_ms["downlink"] == pytest.approx(
            a.parts_ms["downlink"] + 60.0 - skew, abs=0.01
        )
        for part in ("turn_detection", "model", "buffering"):
            assert b.parts_ms[part] == pytest.approx(a.parts_ms[part], abs=0.01), part
        assert b.client_v2v_ms == pytest.approx(a.client_v2v_ms + 100.0, abs=0.01)
        # The listener's own figure and the server's are one measurement.
        assert b.server_v2v_ms == pytest.approx(b.client_v2v_ms, abs=0.01)


async def test_the_model_legs_delay_lands_in_turn_detection() -> None:
    # Upstream the relay is the client: audio takes one crossing to the model and
    # speech_stopped one back, so the turn ends a round trip later at the relay.
    far = get_profile("intercontinental")
    plain, impaired = await _v2v(get_profile("none"), "upstream"), await _v2v(far, "upstream")
    jitter_ms = 2 * far.uplink.jitter_ms  # pareto draws: -2/3 to a few times the scale
    for turn, (a, b) in enumerate(zip(plain, impaired, strict=True)):
        assert a.residual_ms == b.residual_ms == 0.0
        added = b.parts_ms["turn_detection"] - a.parts_ms["turn_detection"]
        # A later turn starts at another phase of the 20 ms frames than in the plain
        # run (its reply ended later), so the frame that completes the VAD's silence
        # may leave up to one frame later.
        phase_ms = 0.0 if turn == 0 else 20.0
        assert far.base_rtt_ms - jitter_ms < added < far.base_rtt_ms + 5 * jitter_ms + phase_ms
        # The client leg is untouched (but for that frame phase).
        assert abs(b.parts_ms["uplink"] - a.parts_ms["uplink"]) <= phase_ms
        assert b.parts_ms["downlink"] == a.parts_ms["downlink"]


async def test_the_same_seed_gives_the_same_numbers_on_a_jittery_lossy_link() -> None:
    one, two = (
        await _v2v(get_profile("3g-lossy"), seed=5),
        await _v2v(get_profile("3g-lossy"), seed=5),
    )
    assert [r.client_v2v_ms for r in one] == [r.client_v2v_ms for r in two]
    assert [r.parts_ms for r in one] == [r.parts_ms for r in two]
    other = await _v2v(get_profile("3g-lossy"), seed=6)
    assert [r.client_v2v_ms for r in other] != [r.client_v2v_ms for r in one]


async def _barge(profile: str, mode: str) -> list[bargein.BargeRow]:
    params = bargein.BargeinParams(barge_at_ms=(400.0, 900.0))
    async with asyncio.timeout(60), virtual_api() as api:
        return await bargein.measure_session(
            api.connector, get_profile(profile), mode, params, 0, clock=api.clock
        )


async def test_a_client_side_barge_in_tells_the_model_exactly_what_was_played() -> None:
    for row in await _barge("4g", "client"):
        assert row.error is None and row.status == "cancelled"
        assert row.truncation_error_ms is not None and -1.0 < row.truncation_error_ms <= 0.0
        assert row.stop_latency_ms == pytest.approx(20.0)  # only the device's latency


async def test_a_server_vad_barge_in_cuts_at_the_last_playout_report() -> None:
    rows = await _barge("none", "server_vad")
    for row in rows:
        assert row.error is None and row.status == "cancelled"
        assert row.played_ms is not None and row.audio_end_ms is not None
        # The relay advances the last report (every 100 ms) by the time since it, so the
        # model is told what was heard (loopback, virtual time: within a frame).
        assert abs(row.truncation_error_ms) <= 20.0
        assert row.stop_latency_ms > 20.0
    # Deterministic: the same run gives the same figures.
    again = await _barge("none", "server_vad")
    assert [r.truncation_error_ms for r in again] == [r.truncation_error_ms for r in rows]


async def test_the_listener_leaves_no_live_session_behind() -> None:
    async with virtual_api() as api:
        params = netem.NetemParams(turns=1)
        await netem.measure_session(
            api.connector, get_profile("lan"), "client", params, 0, clock=api.clock
        )
        assert api.service.live == {}
        record = api.service.store.recent(1)[0].to_dict()
    assert record["kind"] == "websocket" and record["turns"][0]["timeline"]["voice_to_voice_ms"]
