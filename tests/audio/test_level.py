"""Levels in dBFS and a meter that rises fast and falls slowly, whatever the block size."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.audio import SILENCE_FLOOR_DBFS, LevelMeter, peak_dbfs, rms_dbfs
from workbench.errors import AudioError


def sine(amplitude: float, n: int = 48000) -> np.ndarray:
    return (amplitude * np.sin(2 * np.pi * 1000 * np.arange(n) / 48000)).astype(np.float32)


def test_a_full_scale_sine_is_minus_3_dbfs_rms_and_0_dbfs_peak() -> None:
    assert rms_dbfs(sine(1.0)) == pytest.approx(-3.01, abs=0.01)
    assert peak_dbfs(sine(1.0)) == pytest.approx(0.0, abs=0.01)


def test_halving_the_amplitude_is_minus_6_db() -> None:
    assert rms_dbfs(sine(0.5)) - rms_dbfs(sine(1.0)) == pytest.approx(-6.02, abs=0.01)


def test_silence_and_empty_blocks_read_the_floor() -> None:
    assert rms_dbfs(np.zeros(480, np.float32)) == SILENCE_FLOOR_DBFS == -100.0
    assert peak_dbfs(np.zeros(0, np.float32)) == SILENCE_FLOOR_DBFS
    assert rms_dbfs(np.full(480, 1e-9, np.float32)) == SILENCE_FLOOR_DBFS


def test_int16_blocks_read_like_their_float_equivalent() -> None:
    x = sine(0.25)
    as_int16 = np.round(x * 32767).astype(np.int16)
    assert rms_dbfs(as_int16) == pytest.approx(rms_dbfs(x), abs=0.01)
    assert peak_dbfs(as_int16) == pytest.approx(peak_dbfs(x), abs=0.01)
    with pytest.raises(AudioError, match="int32"):
        rms_dbfs(np.zeros(10, np.int32))


@given(st.lists(st.floats(-1, 1), min_size=1, max_size=200))
def test_levels_are_finite_and_peak_is_never_below_rms(values: list[float]) -> None:
    x = np.array(values, np.float32)
    assert SILENCE_FLOOR_DBFS <= rms_dbfs(x) <= peak_dbfs(x) + 1e-9 <= 1e-9


def test_the_meter_rises_fast_and_falls_slowly() -> None:
    meter = LevelMeter(attack_ms=10, release_ms=300)
    block_ms = 20
    loud = sine(0.5, 960)
    quiet = np.zeros(960, np.float32)

    rising = [meter.update(loud, 48000) for _ in range(5)]
    # One 20 ms block is two attack time constants: 1 - e^-2 = 86% of the way up.
    assert rising[0].rms_dbfs > rms_dbfs(loud) - 0.14 * (rms_dbfs(loud) + 100)
    assert rising[-1].rms_dbfs == pytest.approx(rms_dbfs(loud), abs=0.01)

    falling = [meter.update(quiet, 48000) for _ in range(15)]  # 300 ms: one time constant
    levels = [r.rms_dbfs for r in falling]
    assert levels == sorted(levels, reverse=True)
    dropped_db = rms_dbfs(loud) - levels[-1]
    expected_db = (rms_dbfs(loud) + 100) * (1 - np.exp(-15 * block_ms / 300))
    assert dropped_db == pytest.approx(expected_db, abs=0.01)


def test_block_size_does_not_change_the_ballistics() -> None:
    signal = np.concatenate([sine(0.5, 4800), np.zeros(9600, np.float32)])
    readings = {}
    for block in (240, 960, 4800):
        meter = LevelMeter()
        for start in range(0, 4800, block):
            meter.update(signal[start : start + block], 48000)
        for start in range(4800, len(signal), block):
            reading = meter.update(signal[start : start + block], 48000)
        readings[block] = reading.rms_dbfs
    # The release (silence in, smoothed in dB) lands at the same place.
    assert readings[240] == pytest.approx(readings[960], abs=0.01)
    assert readings[960] == pytest.approx(readings[4800], abs=0.01)


def test_level_0_1_maps_the_floor_to_0_and_full_scale_to_1() -> None:
    meter = LevelMeter(attack_ms=0, release_ms=0, floor_dbfs=-60)
    assert meter.update(np.zeros(480, np.float32), 24000).level_0_1 == 0.0
    assert meter.update(np.ones(480, np.float32), 24000).level_0_1 == 1.0
    half = meter.update(np.full(480, 10 ** (-30 / 20), np.float32), 24000)
    assert half.level_0_1 == pytest.approx(0.5)
    assert half.peak_dbfs == pytest.approx(-30.0)
    meter.reset()
    assert meter.update(np.zeros(1, np.float32), 24000).rms_dbfs == SILENCE_FLOOR_DBFS


def test_meter_settings_are_checked() -> None:
    with pytest.raises(AudioError):
        LevelMeter(attack_ms=-1)
    with pytest.raises(AudioError):
        LevelMeter(floor_dbfs=0)
    with pytest.raises(AudioError):
        LevelMeter().update(np.zeros(10, np.float32), 0)
