"""StreamingResampler and resample: chunked == one-shot for stateful methods, no drift,
checked inputs. Each method's own behaviour is tested in tests/audio/resamplers/."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.audio.resamplers.signals import noise, run_chunked
from workbench.audio import METHODS, StreamingResampler, is_stateful, resample
from workbench.errors import AudioError, ConfigError, WorkbenchError

STATEFUL = tuple(m for m in METHODS if is_stateful(m))
RATE_PAIRS = [
    *[(rate, 24000) for rate in (8000, 16000, 22050, 44100, 48000)],
    *[(24000, rate) for rate in (8000, 16000, 48000)],
]


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


@pytest.mark.parametrize("method", METHODS)
def test_equal_rates_pass_samples_through(method: str) -> None:
    x = noise(4801, seed=5)
    resampler = StreamingResampler(24000, 24000, method)
    out = np.concatenate([resampler.process(x[:100]), resampler.process(x[100:])])
    np.testing.assert_array_equal(np.concatenate([out, resampler.flush()]), x)
    np.testing.assert_array_equal(resample(x, 24000, 24000, method), x)
    assert resampler.delay_ms == 0.0
    out[0] = 9.0  # the output is the caller's copy
    assert x[0] != 9.0


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
    with pytest.raises(AudioError, match=named):
        resample(np.zeros(10, np.float32), in_hz, out_hz, method)  # type: ignore[arg-type]


def test_a_bad_method_is_refused_by_name() -> None:
    with pytest.raises(ConfigError, match="'sinc-best'") as info:
        StreamingResampler(48000, 24000, "sinc-best")
    assert isinstance(info.value, WorkbenchError)
    with pytest.raises(ConfigError):
        is_stateful("sinc-best")
    with pytest.raises(ConfigError):
        resample(np.zeros(10, np.float32), 48000, 24000, "sinc-best")


def test_bad_input_arrays_are_refused() -> None:
    resampler = StreamingResampler(48000, 24000)
    with pytest.raises(AudioError, match="1-D"):
        resampler.process(np.zeros((10, 2), np.float32))
    with pytest.raises(AudioError, match="int16"):
        resampler.process(np.zeros(10, np.int16))
    with pytest.raises(AudioError, match="1-D"):
        resample(np.float32(0.5), 48000, 24000)  # type: ignore[arg-type]


@pytest.mark.parametrize("method", METHODS)
def test_any_float_layout_gives_the_same_float32_output(method: str) -> None:
    x = noise(9600, seed=6)
    expected = resample(x, 48000, 24000, method)
    layouts = {
        "float64": x.astype(np.float64),
        "big-endian": x.astype(">f4"),
        "strided": np.repeat(x, 2)[::2],
        "list": x.tolist(),
    }
    for name, variant in layouts.items():
        out = resample(variant, 48000, 24000, method)  # type: ignore[arg-type]
        assert out.dtype == np.float32, name
        np.testing.assert_allclose(out, expected, atol=1e-6, err_msg=name)
        streamed = StreamingResampler(48000, 24000, method)
        whole = np.concatenate([streamed.process(variant), streamed.flush()])  # type: ignore[arg-type]
        np.testing.assert_allclose(whole, expected, atol=1e-6, err_msg=name)
