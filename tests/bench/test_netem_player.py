"""The simulated listener's jitter buffer and device, on numbers (no clock, no sleep)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.bench.netem_player import PlayerConfig, SimulatedPlayer

PIECE = bytes(960)  # 20 ms at 24 kHz


def _player(jitter_buffer_ms: float = 40.0, output_latency_ms: float = 10.0) -> SimulatedPlayer:
    return SimulatedPlayer(PlayerConfig(jitter_buffer_ms, output_latency_ms))


def test_a_steady_stream_plays_one_cushion_after_it_arrives_then_continuously() -> None:
    player = _player()
    starts = [player.push("a", PIECE, 100.0 + 20.0 * i) for i in range(10)]
    assert starts == [140.0 + 20.0 * i for i in range(10)]
    assert player.leaves_buffer_ms("a", 50.0) == 190.0
    assert player.heard_ms("a", 50.0) == 200.0
    assert player.played_ms("a", 150.0) == 10.0
    assert player.played_ms("a", 1000.0) == 200.0  # all of it, no more
    assert player.underruns("a") == 0
    assert player.leaves_buffer_ms("a", 200.0) is None  # not received


def test_a_late_piece_is_an_underrun_and_playback_resumes_one_cushion_after_it() -> None:
    player = _player()
    player.push("a", PIECE, 0.0)  # plays 40..60
    assert player.push("a", PIECE, 75.0) == 115.0  # due at 60, came at 75: stall
    assert player.push("a", PIECE, 90.0) == 135.0  # behind it: no new stall
    assert player.underruns("a") == 1
    assert player.played_ms("a", 100.0) == 20.0  # silent between 60 and 115


def test_a_flush_keeps_what_left_the_buffer_and_drops_the_rest() -> None:
    player = _player()
    for i in range(10):
        player.push("a", PIECE, 20.0 * i)
    assert player.flush("a", 95.0) == 55.0  # started at 40
    assert player.played_ms("a", 500.0) == 55.0
    assert player.push("a", PIECE, 210.0) is None
    assert player.heard_ms("a", 50.0) == 100.0
    assert player.heard_ms("a", 60.0) is None  # cut before it left the buffer


def test_the_next_item_waits_for_the_previous_to_end() -> None:
    player = _player(jitter_buffer_ms=0.0)
    for _i in range(5):
        player.push("a", PIECE, 0.0)  # a burst: 100 ms queued at once
    assert player.push("b", PIECE, 10.0) == 100.0


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="jitter_buffer_ms"):
        PlayerConfig(jitter_buffer_ms=-1.0)
    with pytest.raises(ValueError, match="output_latency_ms"):
        PlayerConfig(output_latency_ms=float("nan"))


@given(
    gaps=st.lists(st.floats(0.0, 200.0), min_size=1, max_size=40),
    cushion=st.floats(0.0, 300.0),
    probes=st.lists(st.floats(0.0, 10_000.0), min_size=2, max_size=10),
)
def test_playback_never_runs_ahead_of_arrivals_nor_backwards(
    gaps: list[float], cushion: float, probes: list[float]
) -> None:
    player = _player(jitter_buffer_ms=cushion)
    arrival = 0.0
    for gap in gaps:
        arrival += gap
        start = player.push("a", PIECE, arrival)
        assert start is not None and start >= arrival + 0.0  # never before it arrived
    played = [player.played_ms("a", t) for t in sorted(probes)]
    assert played == sorted(played)
    assert all(0.0 <= p <= player.received_ms("a") + 1e-9 for p in played)
    times = [player.leaves_buffer_ms("a", pos) for pos in range(0, int(player.received_ms("a")), 7)]
    assert all(t is not None for t in times)
    assert times == sorted(times)  # type: ignore[type-var]
