"""Every registered method obeys the resampler contract, and reports its look-ahead truly."""

from __future__ import annotations

import math

import numpy as np
import pytest

from workbench.audio import DEFAULT_METHOD, METHODS, StreamingResampler, is_stateful
from workbench.audio.resamplers import CLASSES, Resampler, check_method, create, method_class
from workbench.audio.resamplers.passthrough import Passthrough
from workbench.errors import ConfigError

RATE_PAIRS = [(48000, 24000), (16000, 24000), (44100, 24000), (24000, 48000), (8000, 24000)]


def noise(n: int, seed: int = 0) -> np.ndarray:
    return (np.random.default_rng(seed).standard_normal(n) * 0.2).astype(np.float32)


def test_methods_are_the_registered_classes_default_first() -> None:
    assert tuple(c.name for c in CLASSES) == METHODS
    assert len(set(METHODS)) == len(METHODS)
    assert METHODS[0] == DEFAULT_METHOD == "soxr-hq"
    for cls in CLASSES:
        assert issubclass(cls, Resampler)
        assert method_class(cls.name) is cls
        assert is_stateful(cls.name) is cls.stateful
        assert cls.summary.strip()


@pytest.mark.parametrize("bad", ["sinc-best", "", "SOXR-HQ", None, 3])
def test_unknown_methods_are_refused_with_the_choices(bad: object) -> None:
    with pytest.raises(ConfigError, match="choose one of soxr-hq") as info:
        check_method(bad)
    assert info.value.code == "bad_resampler_method"


def test_equal_rates_give_a_passthrough_for_every_method() -> None:
    for method in METHODS:
        assert isinstance(create(method, 24000, 24000), Passthrough)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(("in_hz", "out_hz"), RATE_PAIRS)
def test_the_contract(method: str, in_hz: int, out_hz: int) -> None:
    resampler = create(method, in_hz, out_hz)
    assert type(resampler) is method_class(method)
    assert resampler.delay_samples == resampler.delay_ms == 0.0  # nothing in yet
    x = noise(in_hz // 2)
    sizes = np.random.default_rng(1).integers(0, in_hz // 20, size=200)
    cuts = np.minimum(np.cumsum(sizes), len(x))
    n_in = produced = 0
    for start, stop in zip([0, *cuts[:-1]], cuts, strict=True):
        out = resampler.process(x[start:stop])
        assert out.dtype == np.float32 and out.ndim == 1
        n_in += stop - start
        produced += len(out)
        # The delay is the output the input so far is worth but has not had yet.
        owed = n_in * out_hz / in_hz - produced
        assert resampler.delay_samples == pytest.approx(max(0.0, owed), abs=1e-9)
        assert resampler.delay_samples >= 0.0
        assert resampler.delay_ms == pytest.approx(resampler.delay_samples * 1000 / out_hz)
    tail = resampler.flush()
    assert tail.dtype == np.float32 and tail.ndim == 1
    assert abs(produced + len(tail) - n_in * out_hz / in_hz) <= 1
    assert resampler.delay_samples == 0.0


def chunks_ending_at_an_impulse(in_hz: int, out_hz: int) -> tuple[np.ndarray, list[int]]:
    """Silence with one impulse about 0.3 s in, on an instant that is also an output
    sample; and chunk ends (20–40 ms apart) of which the last is just after the impulse."""
    on_both_grids = in_hz // math.gcd(in_hz, out_hz)
    step = in_hz // 50
    p = on_both_grids * max(1, round(0.3 * in_hz / on_both_grids))
    x = np.zeros(p + in_hz // 2, np.float32)
    x[p] = 0.5
    ends = [*range(step, p + 1 - step, step), p + 1]
    return x, ends


@pytest.mark.parametrize("method", [m for m in METHODS if is_stateful(m)])
@pytest.mark.parametrize(("in_hz", "out_hz"), RATE_PAIRS)
def test_an_impulse_comes_out_delay_samples_after_the_output_so_far(
    method: str, in_hz: int, out_hz: int
) -> None:
    # When the impulse has just gone in, the output so far stops delay_samples (less
    # the impulse's own sample period) short of where the impulse comes out.
    ratio = out_hz / in_hz
    x, ends = chunks_ending_at_an_impulse(in_hz, out_hz)
    p = ends[-1] - 1
    resampler = StreamingResampler(in_hz, out_hz, method)
    outputs = [resampler.process(x[a:b]) for a, b in zip([0, *ends[:-1]], ends, strict=True)]
    produced = sum(len(o) for o in outputs)
    delay = resampler.delay_samples
    outputs += [resampler.process(x[p + 1 :]), resampler.flush()]
    y = np.concatenate(outputs)

    peak = int(np.argmax(np.abs(y)))
    assert peak == round(p * ratio)  # time-aligned: the methods add no group delay
    assert abs(peak - (produced + delay - ratio)) <= 1
    if delay - ratio >= 1:  # the peak is still inside the resampler
        assert np.abs(y[:produced]).max() < np.abs(y[peak])


@pytest.mark.parametrize("method", [m for m in METHODS if not is_stateful(m)])
def test_stateless_methods_hold_nothing_back(method: str) -> None:
    # Each chunk comes out whole at once (where an impulse lands is their problem:
    # see their own tests); only rounding of the running length is owed.
    x, ends = chunks_ending_at_an_impulse(44100, 24000)
    resampler = StreamingResampler(44100, 24000, method)
    for a, b in zip([0, *ends[:-1]], ends, strict=True):
        resampler.process(x[a:b])
        assert resampler.delay_samples <= 0.5


def test_the_delay_matches_soxr_hq_at_20_ms_chunks() -> None:
    # libsoxr works in blocks: its look-ahead swings from chunk to chunk, well above the
    # half-filter length; the figure the benchmark reports as latency_ms.
    resampler = StreamingResampler(48000, 24000)
    delays_ms = []
    for chunk in np.zeros((50, 960), np.float32):
        resampler.process(chunk)
        delays_ms.append(resampler.delay_ms)
    assert 5 < max(delays_ms) < 100
    assert len(set(delays_ms)) > 1
