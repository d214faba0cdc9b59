"""StreamingResampler: chunked == one-shot for stateful methods, no drift, clean filters."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import signal

from workbench.audio import METHODS, StreamingResampler, is_stateful, resample
from workbench.errors import AudioError, ConfigError, WorkbenchError

STATEFUL = tuple(m for m in METHODS if is_stateful(m))
RATE_PAIRS = [
    *[(rate, 24000) for rate in (8000, 16000, 22050, 44100, 48000)],
    *[(24000, rate) for rate in (8000, 16000, 48000)],
]


def noise(n: int, seed: int = 0) -> np.ndarray:
    return (np.random.default_rng(seed).standard_normal(n) * 0.2).astype(np.float32)


def sine(frequency_hz: float, rate_hz: int, duration_s: float) -> np.ndarray:
    t = np.arange(round(duration_s * rate_hz)) / rate_hz
    return (0.5 * np.sin(2 * np.pi * frequency_hz * t)).astype(np.float32)


def run_chunked(resampler: StreamingResampler, x: np.ndarray, cuts: list[int]) -> np.ndarray:
    outputs = []
    start = 0
    for end in [*sorted(set(cuts)), len(x)]:
        if end > start:
            out = resampler.process(x[start:end])
            assert out.dtype == np.float32 and out.ndim == 1
            outputs.append(out)
            start = end
    outputs.append(resampler.flush())
    return np.concatenate(outputs)


def test_the_method_list() -> None:
    assert METHODS[0] == "soxr-hq"
    assert set(METHODS) == set(STATEFUL) | {"scipy-fft-per-chunk", "librosa-per-chunk"}
    assert set(STATEFUL) == {"soxr-hq", "soxr-vhq", "soxr-qq", "poly", "linear"}


@pytest.mark.parametrize("method", STATEFUL)
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rates=st.sampled_from(RATE_PAIRS),
    chunk_s=st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=1, max_size=12),
    single_samples_at=st.floats(min_value=0.0, max_value=1.0),
)
def test_chunked_output_equals_one_shot_output(
    method: str, rates: tuple[int, int], chunk_s: list[float], single_samples_at: float
) -> None:
    in_hz, out_hz = rates
    x = noise(round(1.5 * in_hz))
    # Chunks from 1 sample to 1 s, plus a run of single-sample chunks somewhere.
    cuts = []
    position = 0
    for seconds in chunk_s:
        position += max(1, round(seconds * in_hz))
        cuts.append(position)
    run_start = round(single_samples_at * (len(x) - 20))
    cuts += range(run_start, run_start + 20)

    chunked = run_chunked(StreamingResampler(in_hz, out_hz, method), x, cuts)
    one_shot = resample(x, in_hz, out_hz, method)  # soxr: soxr.resample, its own one-shot

    assert len(chunked) == len(one_shot)
    np.testing.assert_allclose(chunked, one_shot, atol=1e-6, rtol=0)


@pytest.mark.parametrize("method", STATEFUL)
def test_length_does_not_drift_over_ten_minutes_of_20_ms_chunks(method: str) -> None:
    in_hz, out_hz = 44100, 24000  # 80/147: every 20 ms chunk is a fractional output
    chunk = np.zeros(in_hz // 50, np.float32)
    n_chunks = 10 * 60 * 50
    resampler = StreamingResampler(in_hz, out_hz, method)

    total = sum(len(resampler.process(chunk)) for _ in range(n_chunks))
    total += len(resampler.flush())

    assert abs(total - round(n_chunks * len(chunk) * out_hz / in_hz)) <= 1


@pytest.mark.parametrize(("in_hz", "out_hz"), RATE_PAIRS)
def test_poly_is_scipy_resample_poly(in_hz: int, out_hz: int) -> None:
    x = noise(in_hz // 2, seed=3)
    expected = signal.resample_poly(x.astype(np.float64), out_hz, in_hz)
    np.testing.assert_allclose(resample(x, in_hz, out_hz, "poly"), expected, atol=1e-6)


def test_linear_interpolates_between_neighbouring_samples() -> None:
    x = noise(1000, seed=4)
    out = resample(x, 16000, 24000, "linear")

    positions = np.arange(len(out)) * 16000 / 24000
    np.testing.assert_allclose(out, np.interp(positions, np.arange(len(x)), x), atol=1e-6)


@pytest.mark.parametrize("method", METHODS)
def test_equal_rates_pass_samples_through(method: str) -> None:
    x = noise(4801, seed=5)
    resampler = StreamingResampler(24000, 24000, method)
    out = np.concatenate([resampler.process(x[:100]), resampler.process(x[100:])])
    np.testing.assert_array_equal(np.concatenate([out, resampler.flush()]), x)
    np.testing.assert_array_equal(resample(x, 24000, 24000, method), x)


@pytest.mark.parametrize("method", ["soxr-hq", "soxr-vhq", "poly"])
def test_a_tone_comes_out_as_the_same_tone(method: str) -> None:
    out = resample(sine(1000.0, 48000, 1.0), 48000, 24000, method)
    expected = sine(1000.0, 24000, 1.0)
    middle = slice(1200, -1200)  # away from the zero-padded ends

    assert np.abs(out[middle] - expected[middle]).max() < 1e-3


@pytest.mark.parametrize(("method", "min_rejection_db"), [("soxr-hq", 90), ("poly", 40)])
def test_tones_above_the_new_nyquist_are_removed(method: str, min_rejection_db: float) -> None:
    # 15 kHz cannot exist at 24 kHz; an unfiltered resampler folds it to 9 kHz.
    x = sine(15000.0, 48000, 1.0)
    out = resample(x, 48000, 24000, method)[1200:-1200]
    rejection_db = 10 * np.log10(np.mean(out**2) / np.mean(x**2) + 1e-30)

    assert rejection_db < -min_rejection_db
    aliased = resample(x, 48000, 24000, "linear")[1200:-1200]
    assert 10 * np.log10(np.mean(aliased**2) / np.mean(x**2)) > -20  # audible alias


def test_per_chunk_methods_click_at_chunk_edges() -> None:
    x = sine(440.0, 16000, 1.0)
    chunks = [x[i : i + 320] for i in range(0, len(x), 320)]  # 20 ms
    for method in ("scipy-fft-per-chunk", "librosa-per-chunk"):
        resampler = StreamingResampler(16000, 24000, method)
        chunked = np.concatenate([resampler.process(c) for c in chunks] + [resampler.flush()])
        smooth = sine(440.0, 24000, 1.0)

        assert len(chunked) == len(smooth)  # the length still does not drift
        error = np.abs(chunked - smooth)[480:-480]
        assert error.max() > 0.01, method  # discontinuities the ear hears as clicks
        assert not is_stateful(method)


def test_empty_chunks_are_fine() -> None:
    for method in METHODS:
        out = StreamingResampler(48000, 24000, method).process(np.zeros(0, np.float32))
        assert out.dtype == np.float32 and len(out) == 0


@pytest.mark.parametrize(
    ("in_hz", "out_hz", "named"),
    [
        (0, 24000, "in_rate_hz=0"),
        (48000, -1, "out_rate_hz=-1"),
        (44100.5, 24000, "44100.5"),
        (True, 24000, "True"),
        (48000, 10**7, "out_rate_hz=10000000"),
        (44100, 24001, "poly cannot resample 44100"),
    ],
)
def test_bad_rates_are_refused_by_name(in_hz: object, out_hz: object, named: str) -> None:
    method = "poly" if "poly" in named else "soxr-hq"
    with pytest.raises(AudioError, match=named) as info:
        StreamingResampler(in_hz, out_hz, method)  # type: ignore[arg-type]
    assert info.value.code == "bad_sample_rate"


def test_a_bad_method_is_refused_by_name() -> None:
    with pytest.raises(ConfigError, match="'sinc-best'") as info:
        StreamingResampler(48000, 24000, "sinc-best")  # type: ignore[arg-type]
    assert isinstance(info.value, WorkbenchError)
    with pytest.raises(ConfigError):
        is_stateful("sinc-best")


def test_bad_input_arrays_are_refused() -> None:
    resampler = StreamingResampler(48000, 24000)
    with pytest.raises(AudioError, match="1-D"):
        resampler.process(np.zeros((10, 2), np.float32))
    with pytest.raises(AudioError, match="int16"):
        resampler.process(np.zeros(10, np.int16))


def test_float64_input_is_accepted_and_gives_float32() -> None:
    x = noise(4800)
    out = resample(x.astype(np.float64), 48000, 24000)
    np.testing.assert_allclose(out, resample(x, 48000, 24000), atol=1e-6)
    assert out.dtype == np.float32
