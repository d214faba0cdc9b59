"""Resampler benchmark: speed, fidelity, chunk-edge clicks and aliasing of every method.

For each method of :data:`workbench.audio.METHODS` and each rate pair (48k → 24k,
16k → 24k) it measures:

- ``rtf_oneshot`` / ``rtf_chunked``: realtime factor (audio seconds per CPU second)
  of one call on the whole signal, and of 20 ms chunks through one StreamingResampler
  (median of several repeats, ``time.perf_counter``).
- ``snr_db``: a sum of sines resampled in 20 ms chunks, against the same sines
  synthesised directly at the output rate (shifted by ``delay_ms``, the group delay
  found by cross-correlation); 50 ms at each end excluded. ``sinad_db`` is the same
  after fitting each tone's gain and phase, i.e. noise and distortion only.
- ``latency_ms``: the most output the streaming resampler held back (its look-ahead,
  ``StreamingResampler.delay_ms``) at any chunk boundary of a 1 s signal.
- ``edge_excess_db``: error energy within 3 samples of chunk boundaries over the
  error energy elsewhere, both floored at -120 dB re the signal so rounding noise does
  not count (0 dB: the edges are invisible). ``chunked_vs_oneshot_db``: the largest
  difference between 20 ms-chunked and one-shot output, re the signal RMS (-200 dB:
  identical).
- ``stopband_db``: downsampling: a tone above the output Nyquist (15 kHz into 48k →
  24k), output energy over input energy; upsampling: everything but the tone itself
  (images) over the input energy. More negative is better.

For scale, ``soxr_library_rtf_chunked`` is python-soxr's own ``resample_chunk`` loop
(HQ, 20 ms chunks) on the same machine: the ceiling for the ``soxr-*`` methods.

``run(out_dir, quick)`` writes ``resample.json`` and ``resample.png`` and returns the
summary; the CLI (``workbench bench``) calls it.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from workbench.audio import DEFAULT_METHOD, METHODS, StreamingResampler, resample
from workbench.bench.common import percentiles, print_table, write_result

SUITE = "resample"
RATE_PAIRS_HZ = ((48000, 24000), (16000, 24000))
CHUNK_MS = 20
TONES_HZ = (220.0, 1000.0, 3150.0, 6300.0)
TONE_AMPLITUDE = 0.2
EDGE_SAMPLES = 3
TRIM_S = 0.05
ERROR_FLOOR_DB = -120.0  # re signal power: below this, an error is rounding noise
IDENTICAL_DB = -200.0
TARGETS = {"rtf_chunked_min": 2000.0, "snr_db_min": 100.0, "edge_excess_db_max": 1.0}


def tones(
    rate_hz: int, n: int, delay_s: float = 0.0, freqs_hz: tuple[float, ...] = TONES_HZ
) -> np.ndarray:
    """``n`` samples at ``rate_hz`` of the test tones ``freqs_hz`` (Hz), delayed ``delay_s``."""
    t = np.arange(n) / rate_hz - delay_s
    phases = np.arange(len(freqs_hz))  # distinct phases: no peaky sum
    waves = [np.sin(2 * np.pi * f * t + p) for f, p in zip(freqs_hz, phases, strict=True)]
    mixed: np.ndarray = TONE_AMPLITUDE * np.sum(waves, axis=0)
    return mixed


def chunked_resample(
    method: str, in_hz: int, out_hz: int, x: np.ndarray, chunk_ms: int = CHUNK_MS
) -> tuple[np.ndarray, list[int]]:
    """Resample ``x`` in ``chunk_ms`` chunks; return the output and the chunk boundaries in it."""
    resampler = StreamingResampler(in_hz, out_hz, method)
    step = in_hz * chunk_ms // 1000
    outputs = [resampler.process(x[i : i + step]) for i in range(0, len(x), step)]
    boundaries = list(np.cumsum([len(o) for o in outputs])[:-1])
    outputs.append(resampler.flush())
    return np.concatenate(outputs), boundaries


def streaming_latency_ms(method: str, in_hz: int, out_hz: int) -> float:
    """The most output held back at a chunk boundary during 1 s of 20 ms chunks, in ms."""
    x = tones(in_hz, in_hz).astype(np.float32)
    resampler = StreamingResampler(in_hz, out_hz, method)
    step = in_hz * CHUNK_MS // 1000
    worst_ms = 0.0
    for start in range(0, len(x), step):
        resampler.process(x[start : start + step])
        worst_ms = max(worst_ms, resampler.delay_ms)
    return worst_ms


def group_delay_s(
    y: np.ndarray, out_hz: int, interior: slice, freqs_hz: tuple[float, ...] = TONES_HZ
) -> float:
    """Group delay of ``y`` against the analytic tones, by cross-correlation (±20 ms)."""
    from scipy import signal

    max_lag = out_hz // 50
    reference = tones(out_hz, len(y) + 2 * max_lag, max_lag / out_hz, freqs_hz)
    window = reference[interior.start : interior.stop + 2 * max_lag]
    segment = y[interior].astype(np.float64)
    # correlation[k] pairs y[n] with reference[n - (k - max_lag)]: peak at the delay.
    correlation = signal.correlate(window, segment, mode="valid")[::-1]
    peak = int(np.argmax(correlation))
    fraction = 0.0
    if 0 < peak < len(correlation) - 1:  # parabolic interpolation around the peak
        left, centre, right = correlation[peak - 1 : peak + 2]
        denominator = left - 2 * centre + right
        fraction = 0.5 * (left - right) / denominator if denominator else 0.0
    return (peak - max_lag + fraction) / out_hz


def tone_fit_residual(y: np.ndarray, rate_hz: int, freqs_hz: tuple[float, ...]) -> np.ndarray:
    """``y`` minus its least-squares fit by the given tones (any gain and phase each)."""
    t = np.arange(len(y)) / rate_hz
    basis = np.stack([fn(2 * np.pi * f * t) for f in freqs_hz for fn in (np.cos, np.sin)], axis=1)
    coefficients, *_ = np.linalg.lstsq(basis, y, rcond=None)
    residual: np.ndarray = y - basis @ coefficients
    return residual


def _db(numerator: float, denominator: float) -> float:
    return float(10 * np.log10(max(numerator, 1e-30) / max(denominator, 1e-30)))


def quality_metrics(
    method: str,
    in_hz: int,
    out_hz: int,
    duration_s: float,
    freqs_hz: tuple[float, ...] = TONES_HZ,
) -> dict[str, float | None]:
    """``snr_db``, ``sinad_db``, ``delay_ms``, ``edge_excess_db``, ``chunked_vs_oneshot_db``,
    ``stopband_db`` of ``method`` on a sum of sines at ``freqs_hz`` (all below both Nyquist
    frequencies; see the module docstring)."""
    x = tones(in_hz, round(duration_s * in_hz), freqs_hz=freqs_hz).astype(np.float32)
    y, boundaries = chunked_resample(method, in_hz, out_hz, x)
    trim = round(TRIM_S * out_hz)
    interior = slice(trim, len(y) - trim)
    delay_s = group_delay_s(y, out_hz, interior, freqs_hz)
    reference = tones(out_hz, len(y), delay_s, freqs_hz)[interior]
    measured = y[interior].astype(np.float64)
    signal_energy = float(np.sum(reference**2))
    snr_db = _db(signal_energy, float(np.sum((measured - reference) ** 2)))
    residual = tone_fit_residual(measured, out_hz, freqs_hz)
    sinad_db = _db(signal_energy, float(np.sum(residual**2)))

    near_edge = np.zeros(len(y), dtype=bool)
    for boundary in boundaries:
        near_edge[max(0, boundary - EDGE_SAMPLES) : boundary + EDGE_SAMPLES] = True
    near_edge = near_edge[interior]
    floor = signal_energy / len(reference) * 10 ** (ERROR_FLOOR_DB / 10)
    edge_excess_db = _db(
        float(np.mean(residual[near_edge] ** 2)) + floor,
        float(np.mean(residual[~near_edge] ** 2)) + floor,
    )
    one_shot = resample(x, in_hz, out_hz, method)
    difference = float(np.max(np.abs(y.astype(np.float64) - one_shot)))
    rms = float(np.sqrt(signal_energy / len(reference)))
    chunked_vs_oneshot_db = max(IDENTICAL_DB, 20 * np.log10(max(difference, 1e-300) / rms))
    return {
        "snr_db": snr_db,
        "sinad_db": sinad_db,
        "delay_ms": delay_s * 1000,
        "edge_excess_db": edge_excess_db,
        "chunked_vs_oneshot_db": float(chunked_vs_oneshot_db),
        "stopband_db": stopband_db(method, in_hz, out_hz, duration_s),
    }


def stopband_db(method: str, in_hz: int, out_hz: int, duration_s: float) -> float:
    """Alias (downsampling) or image (upsampling) energy re the input, dB; lower is better."""
    n = round(duration_s * in_hz)
    t = np.arange(n) / in_hz
    if in_hz > out_hz:  # a tone the output cannot represent: all output is alias
        tone_hz = 0.625 * out_hz
        x = (0.5 * np.sin(2 * np.pi * tone_hz * t)).astype(np.float32)
        y, _ = chunked_resample(method, in_hz, out_hz, x)
        unwanted = y.astype(np.float64)
    else:  # a tone near the input Nyquist: anything besides it is an image
        tone_hz = 0.4375 * in_hz
        x = (0.5 * np.sin(2 * np.pi * tone_hz * t)).astype(np.float32)
        y, _ = chunked_resample(method, in_hz, out_hz, x)
        unwanted = tone_fit_residual(y.astype(np.float64), out_hz, (tone_hz,))
    trim_in, trim_out = round(TRIM_S * in_hz), round(TRIM_S * out_hz)
    out_power = float(np.mean(unwanted[trim_out:-trim_out] ** 2))
    return _db(out_power, float(np.mean(x[trim_in:-trim_in].astype(np.float64) ** 2)))


def _median_seconds(run_once: Callable[[], object], repeats: int) -> tuple[float, list[float]]:
    run_once()  # warm-up: lazy imports, allocator, caches
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run_once()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def speed_metrics(
    method: str, in_hz: int, out_hz: int, duration_s: float, repeats: int, chunk_ms: int = CHUNK_MS
) -> tuple[dict[str, float], dict[str, Any]]:
    """Realtime factors ``rtf_oneshot`` / ``rtf_chunked`` (``chunk_ms`` chunks) and raw times."""
    x = (np.random.default_rng(0).standard_normal(round(duration_s * in_hz)) * 0.1).astype(
        np.float32
    )
    step = in_hz * chunk_ms // 1000
    chunks = [x[i : i + step] for i in range(0, len(x), step)]

    def chunked() -> None:
        resampler = StreamingResampler(in_hz, out_hz, method)
        for chunk in chunks:
            resampler.process(chunk)
        resampler.flush()

    oneshot_s, oneshot_times = _median_seconds(
        lambda: resample(x, in_hz, out_hz, method),
        repeats,
    )
    chunked_s, chunked_times = _median_seconds(chunked, repeats)
    summary = {"rtf_oneshot": duration_s / oneshot_s, "rtf_chunked": duration_s / chunked_s}
    samples = {
        "oneshot_s": oneshot_times,
        "chunked_s": chunked_times,
        "chunk_us": percentiles(t / len(chunks) * 1e6 for t in chunked_times),
    }
    return summary, samples


def _soxr_library_rtf(in_hz: int, out_hz: int, duration_s: float, repeats: int) -> float:
    """Realtime factor of python-soxr's own streaming loop (HQ, 20 ms chunks)."""
    import soxr

    x = np.zeros(round(duration_s * in_hz), np.float32)
    step = in_hz * CHUNK_MS // 1000
    chunks = [x[i : i + step] for i in range(0, len(x), step)]

    def loop() -> None:
        stream = soxr.ResampleStream(in_hz, out_hz, 1, dtype="float32", quality="HQ")
        for chunk in chunks:
            stream.resample_chunk(chunk)

    return duration_s / _median_seconds(loop, repeats)[0]


def _figure(summary: dict[str, dict[str, dict[str, Any]]], pairs: list[str]) -> Figure:
    figure = Figure(figsize=(13, 8.5), layout="constrained")
    axes = figure.subplots(2, 2)
    panels = [
        ("rtf_chunked", "realtime factor, 20 ms chunks (log)", True),
        ("snr_db", "SNR vs analytic tones (dB)", False),
        ("edge_excess_db", "chunk-edge error excess (dB, 0 = none)", False),
        ("stopband_db", "alias / image energy (dB, lower is better)", False),
    ]
    positions = np.arange(len(METHODS))
    width = 0.8 / len(pairs)
    for axis, (key, title, log) in zip(axes.flat, panels, strict=True):
        for i, pair in enumerate(pairs):
            values = [summary[m][pair][key] or 0.0 for m in METHODS]
            axis.bar(positions + (i - (len(pairs) - 1) / 2) * width, values, width, label=pair)
        axis.set_title(title)
        axis.set_xticks(positions, METHODS, rotation=30, ha="right", fontsize=8)
        axis.grid(axis="y", alpha=0.3)
        if log:
            axis.set_yscale("log")
            axis.axhline(TARGETS["rtf_chunked_min"], color="k", ls="--", lw=0.8)
        axis.legend(fontsize=8)
    figure.suptitle("Resampling methods (workbench bench resample)")
    return figure


def run(out_dir: Path, quick: bool = False) -> dict[str, Any]:
    """Run the resampler benchmark; write ``resample.json`` / ``.png`` to ``out_dir``.

    Parameters
    ----------
    out_dir : Path
        Directory for the results (created if missing).
    quick : bool
        Small signals and few repeats (well under 30 s), for CI and smoke tests.

    Returns
    -------
    dict
        ``{"methods": {method: {"48000->24000": {metric: value}, ...}}, "default_method",
        "targets", "default_meets_targets"}``; metrics as in the module docstring.
    """
    speed_s, quality_s, repeats = (1.0, 1.0, 3) if quick else (20.0, 6.0, 7)
    methods: dict[str, dict[str, dict[str, Any]]] = {m: {} for m in METHODS}
    samples: dict[str, dict[str, Any]] = {m: {} for m in METHODS}
    pairs = [f"{a}->{b}" for a, b in RATE_PAIRS_HZ]
    for method in METHODS:
        for (in_hz, out_hz), pair in zip(RATE_PAIRS_HZ, pairs, strict=True):
            speed, speed_samples = speed_metrics(method, in_hz, out_hz, speed_s, repeats)
            metrics: dict[str, Any] = {**speed, **quality_metrics(method, in_hz, out_hz, quality_s)}
            metrics["latency_ms"] = streaming_latency_ms(method, in_hz, out_hz)
            methods[method][pair] = metrics
            samples[method][pair] = speed_samples
    default = methods[DEFAULT_METHOD][pairs[0]]
    meets = {
        "rtf_chunked": all(
            methods[DEFAULT_METHOD][p]["rtf_chunked"] >= TARGETS["rtf_chunked_min"] for p in pairs
        ),
        "snr_db": all(methods[DEFAULT_METHOD][p]["snr_db"] >= TARGETS["snr_db_min"] for p in pairs),
        "edge_excess_db": default["edge_excess_db"] <= TARGETS["edge_excess_db_max"],
    }
    library_rtf = {
        pair: _soxr_library_rtf(a, b, speed_s, repeats)
        for (a, b), pair in zip(RATE_PAIRS_HZ, pairs, strict=True)
    }
    summary = {
        "methods": methods,
        "soxr_library_rtf_chunked": library_rtf,
        "default_method": DEFAULT_METHOD,
        "targets": TARGETS,
        "default_meets_targets": meets,
    }
    params = {
        "quick": quick,
        "rate_pairs_hz": RATE_PAIRS_HZ,
        "chunk_ms": CHUNK_MS,
        "speed_signal_s": speed_s,
        "quality_signal_s": quality_s,
        "repeats": repeats,
        "tones_hz": TONES_HZ,
        "tone_amplitude": TONE_AMPLITUDE,
        "edge_samples": EDGE_SAMPLES,
        "trim_s": TRIM_S,
    }
    write_result(SUITE, params, samples, summary, _figure(methods, pairs), Path(out_dir))
    rows = [
        {"method": m, "pair": p, **{k: round(v, 4) for k, v in methods[m][p].items()}}
        for m in METHODS
        for p in pairs
    ]
    print_table(rows)
    print_table([{"soxr library (HQ, 20 ms)": p, "rtf": v} for p, v in library_rtf.items()])
    return summary
