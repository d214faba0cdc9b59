"""Time-to-first-audio benchmark: the seed's upload-then-process flow vs streaming upload.

TTFA is measured at the client, from the end of the user's speech (the moment the
last audio byte is available to the client) to the first byte of the reply. Both
servers run under uvicorn in their own processes against the same echo mock (its own
process; ``ttfa_ms`` 300, delivery 1× real time), so the mock's 300 ms are in both.

Variants (alternated, ``repeats`` times each):

- ``seed``: :mod:`workbench.bench.seed_baseline`: once recording ends, upload the whole
  m4a; the server decodes it all, resamples it all (``scipy.signal.resample``), then
  connects and sends it in 100 ms chunks, commits, asks for a response.
- ``stream_m4a``: this project's ``POST /realtime_audio/stream``, the same m4a sent as
  a chunked body at real-time pace (``chunk_ms`` of audio per piece, as a recorder
  would write it); the server decodes, resamples (soxr) and forwards while it arrives.
- ``stream_pcm16``: the same route with raw 48 kHz PCM16 pieces (a mic capture).

``speedup`` = seed TTFA / streaming TTFA (p50). ``overhead_speedup`` compares the
parts the architecture controls (TTFA − the mock's ``ttfa_ms``). Goal: ≥ 5×.
"""

from __future__ import annotations

import asyncio
import itertools
import time
import wave
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx
from matplotlib.figure import Figure

from workbench.bench.common import percentiles, print_table, write_result
from workbench.bench.servers import ApiSpec, servers

SUITE = "ttfa"
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "audio"
REQUEST_TIMEOUT_S = 30.0
VARIANTS = ("seed", "stream_m4a", "stream_pcm16")
WARMUP_M4A = "en_hello_44k1_aac_faststart.m4a"


@dataclass(frozen=True)
class TtfaParams:
    """Clips, pacing and repeats (durations in s, times in ms).

    ``upload_speed_x`` > 1 sends the streaming uploads faster than real time (tests
    only: TTFA is then no longer "from the end of speech" as a user lives it).
    """

    m4a: str = "en_long_10s_44k1_aac_faststart.m4a"
    m4a_duration_s: float = 10.0
    wav: str = "en_long_10s_48k_pcm16.wav"
    pcm_duration_s: float = 10.0
    chunk_ms: float = 40.0
    mock_ttfa_ms: float = 300.0
    repeats: int = 3
    upload_speed_x: float = 1.0
    quick: bool = False

    @classmethod
    def for_mode(cls, quick: bool) -> TtfaParams:
        """Full (10 s clip, 3 repeats) or quick (a 3.9 s m4a, 2 s of PCM, 1 repeat)."""
        if quick:
            return cls(
                m4a="en_hello_44k1_aac_faststart.m4a",
                m4a_duration_s=3.852154,
                pcm_duration_s=2.0,
                repeats=1,
                quick=True,
            )
        return cls()


async def _first_byte_ms(response: httpx.Response, t_end_s: float | None) -> float:
    """ms from ``t_end_s`` to the first non-empty piece of the reply body."""
    if response.status_code != 200:
        body = (await response.aread())[:200]
        raise RuntimeError(f"HTTP {response.status_code}: {body!r}")
    async for piece in response.aiter_raw():
        if piece:
            assert t_end_s is not None
            return (time.perf_counter() - t_end_s) * 1000.0
    raise RuntimeError("the reply body was empty")


async def _seed_once(client: httpx.AsyncClient, url: str, clip: bytes) -> float:
    t_end_s = time.perf_counter()  # recording just ended; the seed uploads only now
    files = {"audio_file": ("clip.m4a", clip, "audio/mp4")}
    async with client.stream("POST", f"{url}/realtime_audio/", files=files) as response:
        return await _first_byte_ms(response, t_end_s)


async def _stream_once(
    client: httpx.AsyncClient,
    url: str,
    pieces: list[bytes],
    chunk_ms: float,
    query: str,
    ctype: str,
) -> float:
    t_end: list[float] = []

    async def body() -> AsyncIterator[bytes]:
        start_s = time.perf_counter()
        for i, piece in enumerate(pieces):
            # Piece i exists once its audio has been recorded: (i + 1) × chunk_ms in.
            delay_s = start_s + (i + 1) * chunk_ms / 1000.0 - time.perf_counter()
            if delay_s > 0:
                await asyncio.sleep(delay_s)
            if i == len(pieces) - 1:
                t_end.append(time.perf_counter())
            yield piece

    target = f"{url}/realtime_audio/stream{query}"
    headers = {"content-type": ctype}
    async with client.stream("POST", target, content=body(), headers=headers) as response:
        return await _first_byte_ms(response, t_end[0] if t_end else None)


def _split(data: bytes, n_pieces: int, align: int = 1) -> list[bytes]:
    """``data`` in ``n_pieces`` nearly equal pieces (cut at multiples of ``align``)."""
    cuts = [round(len(data) * i / n_pieces / align) * align for i in range(n_pieces + 1)]
    return [data[a:b] for a, b in itertools.pairwise(cuts) if b > a]


async def _measure(seed_url: str, api_url: str, p: TtfaParams) -> dict[str, list[float]]:
    clip = (FIXTURES / p.m4a).read_bytes()
    with wave.open(str(FIXTURES / p.wav)) as wav:
        rate_hz = wav.getframerate()
        pcm = wav.readframes(int(p.pcm_duration_s * rate_hz))
    m4a_pieces = _split(clip, round(p.m4a_duration_s * 1000 / p.chunk_ms))
    pcm_pieces = _split(pcm, round(p.pcm_duration_s * 1000 / p.chunk_ms), align=2)
    samples: dict[str, list[float]] = {v: [] for v in VARIANTS}
    samples["failures"] = []
    pace_ms = p.chunk_ms / p.upload_speed_x
    timeout = httpx.Timeout(REQUEST_TIMEOUT_S)
    async with httpx.AsyncClient(timeout=timeout) as client:
        # Warm-up, not recorded: first requests pay lazy imports (SDK, scipy, PyAV).
        warm_m4a = (FIXTURES / WARMUP_M4A).read_bytes()
        await _seed_once(client, seed_url, warm_m4a)
        await _stream_once(client, api_url, [warm_m4a], 0.0, "", "audio/mp4")
        query = f"?input_format=pcm16&sample_rate_hz={rate_hz}"
        await _stream_once(client, api_url, pcm_pieces[:10], 0.0, query, "audio/pcm")
        for _ in range(p.repeats):
            for variant in VARIANTS:
                try:
                    if variant == "seed":
                        value = await _seed_once(client, seed_url, clip)
                    elif variant == "stream_m4a":
                        value = await _stream_once(
                            client, api_url, m4a_pieces, pace_ms, "", "audio/mp4"
                        )
                    else:
                        value = await _stream_once(
                            client, api_url, pcm_pieces, pace_ms, query, "audio/pcm"
                        )
                    samples[variant].append(value)
                except (httpx.HTTPError, RuntimeError) as exc:
                    samples["failures"].append(f"{variant}: {exc}"[:200])  # type: ignore[arg-type]
    return samples


def _figure(samples: dict[str, list[float]], mock_ttfa_ms: float) -> Figure:
    fig = Figure(figsize=(6, 3.5))
    ax = fig.subplots()
    for i, variant in enumerate(VARIANTS):
        values = samples[variant]
        ax.scatter([i] * len(values), values, alpha=0.6)
        if values:
            ax.hlines(sorted(values)[len(values) // 2], i - 0.3, i + 0.3, color="k")
    ax.axhline(mock_ttfa_ms, color="grey", ls=":", label="mock ttfa_ms")
    ax.set_xticks(range(len(VARIANTS)), VARIANTS)
    ax.set(ylabel="TTFA from end of speech (ms)", yscale="log")
    ax.set_title("time to first audio (lower is better)")
    ax.legend()
    fig.tight_layout()
    return fig


def run(out_dir: Path, quick: bool = False, params: TtfaParams | None = None) -> dict[str, Any]:
    """Measure all variants; write ``ttfa.json``/``.png``; return the summary.

    ``params`` overrides the mode's parameters (the smoke tests use tiny ones).
    """
    p = params if params is not None else TtfaParams.for_mode(quick)
    specs = [ApiSpec(app="seed"), ApiSpec(app="api", chunk_ms=p.chunk_ms)]
    with servers(p.mock_ttfa_ms, specs) as running:
        seed, api = running.apis
        samples = asyncio.run(_measure(seed.url, api.url, p))
    stats = {v: percentiles(samples[v]) for v in VARIANTS}
    seed_p50 = stats["seed"]["p50"]
    rows = []
    summary: dict[str, Any] = {"stats": stats, "failures": samples["failures"]}
    for variant in VARIANTS:
        p50 = stats[variant]["p50"]
        speedup = seed_p50 / p50 if seed_p50 and p50 else None
        overhead = p50 - p.mock_ttfa_ms if p50 is not None else None
        seed_overhead = seed_p50 - p.mock_ttfa_ms if seed_p50 is not None else None
        overhead_speedup = (
            seed_overhead / overhead if seed_overhead and overhead and overhead > 0 else None
        )
        rows.append(
            {
                "variant": variant,
                "ttfa_p50_ms": p50,
                "ttfa_max_ms": max(samples[variant], default=None),
                "overhead_p50_ms": overhead,
                "speedup_x": speedup,
                "overhead_speedup_x": overhead_speedup,
                "n": stats[variant]["n"],
            }
        )
    print_table(rows)
    summary["rows"] = rows
    summary["goal"] = "streaming >= 5x sooner than the seed (reported only)"
    write_result(SUITE, asdict(p), samples, summary, _figure(samples, p.mock_ttfa_ms), out_dir)
    return summary
