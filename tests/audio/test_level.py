"""Levels in dBFS and a meter that rises fast and falls slowly, whatever the block size."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.audio import (
    METER_FLOOR_DBFS,
    SILENCE_FLOOR_DBFS,
    LevelMeter,
    float32_to_pcm16,
    level_0_1,
    pcm16_levels,
    peak_dbfs,
    rms_dbfs,
    rms_to_dbfs,
)
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


def test_an_amplitude_converts_to_dbfs_with_the_same_floor() -> None:
    assert rms_to_dbfs(1.0) == 0.0
    assert rms_to_dbfs(0.5) == pytest.approx(-6.02, abs=0.01)
    assert rms_to_dbfs(1e-9) == rms_to_dbfs(0.0) == rms_to_dbfs(-1.0) == SILENCE_FLOOR_DBFS
    assert rms_to_dbfs(float("nan")) == SILENCE_FLOOR_DBFS  # finite, JSON-safe


def test_a_pcm16_frame_reads_like_its_samples_rounded_to_a_tenth_of_a_db() -> None:
    x = sine(0.3, 960)
    reading = pcm16_levels(float32_to_pcm16(x))
    assert reading.rms_dbfs == round(rms_dbfs(x), 1) == pytest.approx(-13.5, abs=0.05)
    assert reading.peak_dbfs == round(peak_dbfs(x), 1)
    assert reading.level_0_1 == pytest.approx(level_0_1(rms_dbfs(x)), abs=1e-4)


def test_full_scale_reads_0_not_minus_0() -> None:
    reading = pcm16_levels(b"\xff\x7f" * 480)  # +32767: -0.0003 dBFS
    assert (reading.rms_dbfs, reading.peak_dbfs) == (0.0, 0.0)
    assert f"{reading.rms_dbfs} {reading.peak_dbfs}" == "0.0 0.0"  # no "-0.0" in JSON
    assert reading.level_0_1 == pytest.approx(1.0, abs=1e-4)
    assert pcm16_levels(b"\x00\x80" * 480).level_0_1 == 1.0  # -32768: exactly full scale


@pytest.mark.parametrize("frame", [b"", b"\x01", bytes(960), bytearray(961), memoryview(b"")])
def test_silent_empty_and_odd_frames_read_the_floor(frame: bytes) -> None:
    reading = pcm16_levels(frame)
    assert (reading.rms_dbfs, reading.peak_dbfs) == (SILENCE_FLOOR_DBFS, SILENCE_FLOOR_DBFS)
    assert reading.level_0_1 == 0.0


def test_a_trailing_odd_byte_is_ignored() -> None:
    frame = float32_to_pcm16(sine(0.5, 480))
    assert pcm16_levels(frame + b"\x7f") == pcm16_levels(frame)


def test_non_bytes_are_refused() -> None:
    with pytest.raises(AudioError, match="takes bytes, got str"):
        pcm16_levels("abc")  # type: ignore[arg-type]


@given(st.binary(max_size=4000))
def test_any_bytes_give_finite_ordered_levels(frame: bytes) -> None:
    reading = pcm16_levels(frame)
    assert SILENCE_FLOOR_DBFS <= reading.rms_dbfs <= reading.peak_dbfs <= 0.0
    assert 0.0 <= reading.level_0_1 <= 1.0
    assert round(reading.rms_dbfs, 1) == reading.rms_dbfs


def test_the_bar_is_empty_at_the_floor_and_full_at_0_dbfs() -> None:
    assert METER_FLOOR_DBFS == -60.0
    assert level_0_1(-60.0) == level_0_1(-100.0) == 0.0
    assert level_0_1(-30.0) == 0.5
    assert level_0_1(0.0) == level_0_1(3.0) == 1.0
    assert level_0_1(-20.0, floor_dbfs=-40.0) == 0.5
    with pytest.raises(AudioError, match="floor_dbfs"):
        level_0_1(-10.0, floor_dbfs=0.0)


@given(st.binary(min_size=2, max_size=8000))
def test_a_pcm16_frame_reads_like_the_float_levels_of_its_samples(frame: bytes) -> None:
    samples = np.frombuffer(frame[: len(frame) // 2 * 2], dtype="<i2")
    reading = pcm16_levels(frame)
    assert reading.rms_dbfs == pytest.approx(round(rms_dbfs(samples), 1), abs=0.1)
    assert reading.peak_dbfs == pytest.approx(round(peak_dbfs(samples), 1), abs=0.1)
    assert reading.level_0_1 == pytest.approx(level_0_1(rms_dbfs(samples)), abs=1e-9)
