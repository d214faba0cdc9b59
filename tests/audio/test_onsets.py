"""Signal-based end of speech and first audible sample, on the recorded fixture clips.

Known onsets are built, not guessed: a fixture phrase is inserted at a known offset into
silence or noise. The phrase's own start and end are where the fixture generator
trimmed it (its first and last sample above -60 dBFS, fixtures/audio/README.md), and the
VAD clip's boundaries come from its manifest. Every instant must be found within 10 ms.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import soundfile as sf

from tests.support.signals import AUDIO_DIR
from workbench.audio import decode_audio
from workbench.audio.onsets import (
    Thresholds,
    end_of_speech_ms,
    first_audible_ms,
    noise_floor_dbfs,
    sound_segments,
    speech_segments,
    thresholds_for,
)
from workbench.errors import AudioError

TOLERANCE_MS = 10.0
#: In pink noise at 15 dB SNR a boundary's soft edge sinks into the noise: measured
#: worst case 11.2 ms (second onset of en_hello_noise15db), so 15 ms there.
NOISY_TOLERANCE_MS = 15.0
TRIM_DBFS = -60.0  # the fixture generator's trim level
CLIPS = [
    "en_hello_8k_pcm16.wav",
    "en_hello_11k025_u8.wav",
    "en_hello_16k_pcm16.wav",
    "ref_en_hear_24k_pcm16.wav",
    "ref_ja_hello_24k_pcm16.wav",
    "en_hear_44k1_stereo_pcm16.wav",
    "en_hear_48k_pcm16.wav",
    "en_hear_48k_f32.wav",
]


def _load(name: str) -> tuple[np.ndarray, int]:
    samples, rate = sf.read(AUDIO_DIR / name, dtype="float64", always_2d=True)
    return samples.mean(axis=1), int(rate)


def _phrase_bounds_ms(clip: np.ndarray, rate: int) -> tuple[float, float]:
    """First and last sample above the trim level, as ms (end = after the last sample)."""
    above = np.flatnonzero(np.abs(clip) > 10 ** (TRIM_DBFS / 20))
    return above[0] * 1000 / rate, (above[-1] + 1) * 1000 / rate


def _noise(n: int, level_dbfs: float | None, seed: int) -> np.ndarray:
    if level_dbfs is None:
        return np.zeros(n)
    return np.random.default_rng(seed).standard_normal(n) * 10 ** (level_dbfs / 20)


def _insert(clip: np.ndarray, rate: int, offset_ms: float, tail_ms: float, noise: float | None):
    offset = round(offset_ms * rate / 1000)
    total = offset + len(clip) + round(tail_ms * rate / 1000)
    signal = _noise(total, noise, seed=rate)
    signal[offset : offset + len(clip)] += clip
    return signal, offset * 1000 / rate


@pytest.mark.parametrize("name", CLIPS)
@pytest.mark.parametrize("noise_dbfs", [None, -70.0, -60.0])
@pytest.mark.parametrize("offset_ms", [0.0, 737.3, 1234.5])
def test_known_onset_and_end_of_speech_within_10_ms(
    name: str, noise_dbfs: float | None, offset_ms: float
) -> None:
    clip, rate = _load(name)
    start_ms, end_ms = _phrase_bounds_ms(clip, rate)
    signal, offset_ms = _insert(clip, rate, offset_ms, tail_ms=800.0, noise=noise_dbfs)
    onset = first_audible_ms(signal, rate)
    eos = end_of_speech_ms(signal, rate)
    assert onset is not None and eos is not None
    assert onset == pytest.approx(offset_ms + start_ms, abs=TOLERANCE_MS)
    assert eos == pytest.approx(offset_ms + end_ms, abs=TOLERANCE_MS)


@pytest.mark.parametrize(
    "name", ["vad_two_utterances_24k_pcm16.wav", "vad_two_utterances_44k1_aac.m4a"]
)
def test_utterances_match_the_manifest_boundaries(name: str) -> None:
    manifest = json.loads((AUDIO_DIR / "manifest.json").read_text())
    entry = next(f for f in manifest["files"] if f["name"] == name)
    decoded = decode_audio((AUDIO_DIR / name).read_bytes())
    segments = speech_segments(decoded.samples, decoded.sample_rate_hz)
    expected = [(u["start_ms"], u["end_ms"]) for u in entry["utterances_ms"]]
    assert len(segments) == len(expected)
    for segment, (start, end) in zip(segments, expected, strict=True):
        # the manifest's 10 ms frames put its boundaries up to one frame outside ours
        assert segment.start_ms == pytest.approx(start, abs=TOLERANCE_MS)
        assert segment.end_ms == pytest.approx(end, abs=TOLERANCE_MS)


def test_in_loud_noise_the_same_instants_as_in_the_clean_phrase_at_the_same_thresholds() -> None:
    noisy, rate = _load("en_hello_noise15db_16k_pcm16.wav")
    clean, clean_rate = _load("en_hello_16k_pcm16.wav")
    assert rate == clean_rate
    # where the clean clip sits in the noisy one, by cross-correlation (not by detector)
    probe = clean[2000:6000]
    lag = int(np.argmax(np.correlate(noisy[:20000], probe, "valid"))) - 2000
    thresholds = thresholds_for(noisy, rate)
    assert thresholds.detect_dbfs > -40.0  # raised above the pink noise
    found = speech_segments(noisy, rate, thresholds=thresholds)
    reference = speech_segments(clean, rate, thresholds=thresholds)
    shift_ms = lag * 1000 / rate
    assert len(found) == len(reference) == 2
    for got, ref in zip(found, reference, strict=True):
        assert got.start_ms == pytest.approx(ref.start_ms + shift_ms, abs=NOISY_TOLERANCE_MS)
        assert got.end_ms == pytest.approx(ref.end_ms + shift_ms, abs=NOISY_TOLERANCE_MS)


def test_leading_silence_of_a_reply_counts() -> None:
    clip, rate = _load("ref_en_hear_24k_pcm16.wav")
    start_ms, _ = _phrase_bounds_ms(clip, rate)
    for silence_ms in (0.0, 40.0, 250.0):
        reply = np.concatenate([np.zeros(round(silence_ms * rate / 1000)), clip])
        onset = first_audible_ms(reply, rate)
        assert onset == pytest.approx(silence_ms + start_ms, abs=TOLERANCE_MS)


def test_a_short_click_is_audible_but_not_speech() -> None:
    rate = 24_000
    signal = np.zeros(rate)
    signal[4800:4920] = 0.5  # 5 ms at 200 ms
    assert first_audible_ms(signal, rate) == pytest.approx(200.0, abs=1.0)
    assert speech_segments(signal, rate) == []
    assert end_of_speech_ms(signal, rate) is None


def test_speech_still_going_at_the_end_has_not_ended() -> None:
    clip, rate = _load("ref_en_hear_24k_pcm16.wav")
    _, end_ms = _phrase_bounds_ms(clip, rate)
    cut = clip[: round((end_ms - 300) * rate / 1000)]
    assert end_of_speech_ms(cut, rate) is None
    within_hangover = np.concatenate([clip[: round(end_ms * rate / 1000)], np.zeros(rate // 10)])
    assert end_of_speech_ms(within_hangover, rate) is None
    assert end_of_speech_ms(within_hangover, rate, hangover_ms=50.0) == pytest.approx(
        end_ms, abs=TOLERANCE_MS
    )


def test_pauses_shorter_than_the_hangover_do_not_end_the_utterance() -> None:
    clip, rate = _load("vad_two_utterances_24k_pcm16.wav")  # 1.2 s pause inside
    assert len(speech_segments(clip, rate)) == 2
    assert len(speech_segments(clip, rate, hangover_ms=1500.0)) == 1
    assert len(sound_segments(clip, rate)) > 2  # words and syllables


def test_silence_and_empty_signals_have_nothing() -> None:
    silence, rate = _load("silence_2s_16k_pcm16.wav")
    assert first_audible_ms(silence, rate) is None
    assert end_of_speech_ms(silence, rate) is None
    assert first_audible_ms(np.zeros(0), 16_000) is None
    assert noise_floor_dbfs(np.zeros(0), 16_000) == -math.inf


def test_int16_and_stereo_input_give_the_float_answer() -> None:
    clip, rate = _load("ref_en_hear_24k_pcm16.wav")
    signal, _ = _insert(clip, rate, 500.0, 600.0, None)
    as_int16 = np.round(signal * 32767).astype(np.int16)
    stereo = np.stack([signal, signal], axis=1)
    expected = (first_audible_ms(signal, rate), end_of_speech_ms(signal, rate))
    for variant in (as_int16, stereo):
        got = (first_audible_ms(variant, rate), end_of_speech_ms(variant, rate))
        assert got[0] == pytest.approx(expected[0], abs=0.1)
        assert got[1] == pytest.approx(expected[1], abs=0.1)


@pytest.mark.parametrize(
    ("samples", "rate"),
    [
        (np.array([0.0, math.nan]), 16_000),
        (np.zeros((2, 2, 2)), 16_000),
        (np.zeros(10, dtype=np.int32), 16_000),
        (np.zeros(10), 0),
    ],
)
def test_bad_input_raises_audio_error(samples: np.ndarray, rate: int) -> None:
    with pytest.raises(AudioError):
        first_audible_ms(samples, rate)


def test_bad_parameters_raise_audio_error() -> None:
    with pytest.raises(AudioError):
        Thresholds(detect_dbfs=-60.0, extend_dbfs=-40.0)
    with pytest.raises(AudioError):
        first_audible_ms(np.zeros(10), 16_000, window_ms=0.0)
    with pytest.raises(AudioError):
        speech_segments(np.zeros(10), 16_000, hangover_ms=-1.0)
