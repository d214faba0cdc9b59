"""``workbench bench input_memory``: memory per session does not grow with a clip.

Each case relays one clip (a file, as the File tab and ``workbench relay`` hand it to
the service) through the session service to the mock server (its own process, reached
through the openai SDK, so the model's buffers are not counted), from a fresh Python
process, after a warm-up clip, while a thread samples that process's resident set size
every 2 ms: the peak minus the RSS before the clip is what the session cost. The same
clip then goes the old way in its own fresh process — decode the whole clip at its own
rate (``decode_audio``), then feed the array — so the baseline is measured in the same
run. Clips are the fixture phrase repeated to 10, 60 and 300 s at 8, 48 and 96 kHz
(FLAC, so the files stay small); the echo mock sends the reply at 100× real time and
the relay drops it as it arrives.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Final

import numpy as np

from workbench.bench.common import print_table, write_result
from workbench.bench.servers import mock_process

LENGTHS_S: Final = (10.0, 60.0, 300.0)
RATES_HZ: Final = (8_000, 48_000, 96_000)
QUICK_LENGTHS_S: Final = (10.0, 60.0)
QUICK_RATES_HZ: Final = (8_000, 96_000)
MODES: Final = ("service", "whole_decode")
#: The echo mock's reply speed (× real time, the settings' maximum): a 300 s clip's
#: echo takes 3 s.
MOCK_SPEED_X: Final = 100.0
_PHRASE = Path(__file__).resolve().parents[2] / "fixtures" / "audio" / "en_hear_48k_pcm16.wav"

# Runs in a fresh interpreter per case: argv = mode, clip, warm-up clip, mock URL, speed.
_CHILD = r"""
import asyncio, json, sys, threading, time
import psutil
from workbench.backends.environment import BackendEnvironment
from workbench.backends.factory import make_backend
from workbench.relay import Relay, RelayConfig
from workbench.service import BackendResolver, EndReason, SessionService
from workbench.settings import RelaySettings, ServerSettings

class Sampler(threading.Thread):  # the largest resident set size seen every 2 ms (MB)
    def __init__(self):
        super().__init__(daemon=True)
        self.proc, self.peak, self.stop = psutil.Process(), 0.0, threading.Event()
    def run(self):
        while not self.stop.is_set():
            self.peak = max(self.peak, self.proc.memory_info().rss / 2**20)
            time.sleep(0.002)

ENV = BackendEnvironment(backend="mock-server", mock_url=sys.argv[4])

async def service_path(path):
    server = ServerSettings(max_input_audio_s=600.0, max_upload_bytes=10**9)
    fast = RelaySettings(mock_ttfa_ms=1.0, mock_speed_x=float(sys.argv[5]))
    async with SessionService(server, BackendResolver(env=ENV), defaults=fast) as service:
        session = service.open("bench", manual_commit=True)
        seconds = await session.send_clip(path)
        async for _ in session.events(until_turn_done=True):
            pass
        await session.close(EndReason.COMPLETED)
    return seconds

async def whole_decode_path(path):
    from workbench.audio import decode_audio
    decoded = decode_audio(path, max_duration_s=600.0)
    async with Relay(make_backend(ENV), RelayConfig(max_input_duration_s=600.0)) as relay:
        await relay.feed(decoded.samples, decoded.sample_rate_hz)
        await relay.commit()
        async for _ in relay.events_until_turn_done():
            pass
    return decoded.duration_s

async def main(mode, path, warm):
    run = service_path if mode == "service" else whole_decode_path
    await run(warm)  # imports, codecs and caches first: the baseline
    before = psutil.Process().memory_info().rss / 2**20
    sampler = Sampler()
    sampler.start()
    seconds = await run(path)
    sampler.stop.set()
    sampler.join()
    print(json.dumps({"before_mb": before, "peak_mb": sampler.peak, "clip_s": seconds}))

asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3]))
"""


def _write_clip(path: Path, seconds: float, rate_hz: int) -> None:
    import soundfile as sf
    import soxr

    phrase, phrase_rate = sf.read(str(_PHRASE), dtype="float32")
    one = soxr.resample(phrase, phrase_rate, rate_hz) if phrase_rate != rate_hz else phrase
    reps = int(np.ceil(seconds * rate_hz / len(one)))
    signal = np.tile(one, reps)[: int(seconds * rate_hz)]
    sf.write(str(path), signal, rate_hz, format="FLAC", subtype="PCM_16")


def _child(mode: str, clip: Path, warm: Path, mock_url: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, mode, str(clip), str(warm), mock_url, str(MOCK_SPEED_X)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"{mode} on {clip.name} failed: {out.stderr.strip()[-400:]}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def run(out_dir: Path, quick: bool = False) -> dict[str, Any]:
    """Measure every case in both modes; write input_memory.json/.png; return the summary."""
    lengths = QUICK_LENGTHS_S if quick else LENGTHS_S
    rates = QUICK_RATES_HZ if quick else RATES_HZ
    samples: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp, mock_process(1.0, MOCK_SPEED_X) as mock:
        warm = Path(tmp) / "warm.flac"
        _write_clip(warm, 1.0, 48_000)
        for seconds in lengths:
            for rate_hz in rates:
                clip = Path(tmp) / f"clip_{seconds:g}s_{rate_hz}.flac"
                _write_clip(clip, seconds, rate_hz)
                for mode in MODES:
                    start = time.perf_counter()
                    got = _child(mode, clip, warm, mock.url)
                    samples.append(
                        {
                            "mode": mode,
                            "clip_s": seconds,
                            "rate_hz": rate_hz,
                            "file_mb": round(clip.stat().st_size / 1e6, 2),
                            "peak_growth_mb": round(got["peak_mb"] - got["before_mb"], 1),
                            "wall_s": round(time.perf_counter() - start, 2),
                        }
                    )
    summary = _summary(samples)
    print_table(samples)
    print_table([{"mode": m, **v} for m, v in summary["modes"].items()])
    write_result(
        "input_memory",
        {"lengths_s": list(lengths), "rates_hz": list(rates), "quick": quick},
        samples,
        summary,
        _figure(samples),
        out_dir,
    )
    return summary


def _summary(samples: list[dict[str, Any]]) -> dict[str, Any]:
    modes: dict[str, Any] = {}
    for mode in MODES:
        growth = [s["peak_growth_mb"] for s in samples if s["mode"] == mode]
        modes[mode] = {
            "min_growth_mb": min(growth),
            "max_growth_mb": max(growth),
            "spread_mb": round(max(growth) - min(growth), 1),
        }
    biggest = max(samples, key=lambda s: (s["clip_s"], s["rate_hz"]))
    pair = {
        s["mode"]: s["peak_growth_mb"]
        for s in samples
        if (s["clip_s"], s["rate_hz"]) == (biggest["clip_s"], biggest["rate_hz"])
    }
    return {
        "modes": modes,
        "largest_case": f"{biggest['clip_s']:g} s at {biggest['rate_hz']} Hz",
        "largest_case_growth_mb": pair,
    }


def _figure(samples: list[dict[str, Any]]) -> Any:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9, 4.5), layout="constrained")
    ax = fig.subplots()
    for k, mode in enumerate(MODES):
        rows = [s for s in samples if s["mode"] == mode]
        labels = [f"{s['clip_s']:g}s\n{s['rate_hz'] // 1000}k" for s in rows]
        x = np.arange(len(rows)) + (k - 0.5) * 0.4
        ax.bar(x, [s["peak_growth_mb"] for s in rows], 0.4, label=mode.replace("_", " "))
        ax.set_xticks(np.arange(len(rows)), labels)
    ax.set_ylabel("peak RSS growth of the process (MB)")
    ax.set_xlabel("clip length and sample rate")
    ax.set_title("Memory of one session relaying a clip: streamed vs whole decode")
    ax.legend()
    return fig
