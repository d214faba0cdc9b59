"""``workbench relay FILE``: send one clip through the relay, save the reply, print the timeline."""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    """Add the ``relay`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "relay",
        help="send a clip through the relay (the seed's flow) and save the reply as WAV",
        description="Decode FILE, stream it to the model in chunk-ms frames, commit, and write "
        "the reply to a WAV. Uses the backend the environment selects (mock with no key).",
    )
    p.add_argument("file", type=Path, help="audio clip (m4a, mp3, wav, ogg, webm, flac)")
    p.add_argument("-o", "--out", type=Path, default=Path("reply.wav"), help="reply WAV path")
    p.add_argument("--chunk-ms", type=float, default=40.0)
    p.add_argument("--resampler", default="soxr-hq")
    p.add_argument("--pace", choices=["fast", "realtime"], default="fast")
    p.add_argument("--mock-ttfa-ms", type=float, default=300.0, help="mock latency model")
    p.add_argument("--json", action="store_true", help="print the timeline as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Relay one file; returns 0 when a reply was received."""
    return asyncio.run(_run(args))


async def _run(args: argparse.Namespace) -> int:
    from workbench.audio import MODEL_FORMAT, StreamingWavWriter
    from workbench.config import WorkbenchSettings, make_backend
    from workbench.mock.model import LatencyModel, MockConfig
    from workbench.relay import AudioOut, Relay, RelayConfig, RelayError, TurnDone

    settings = WorkbenchSettings.from_env()
    backend = make_backend(
        settings, mock_config=MockConfig(latency=LatencyModel(ttfa_ms=args.mock_ttfa_ms))
    )
    config = RelayConfig(chunk_ms=args.chunk_ms, resampler=args.resampler)
    reply_ms = 0.0
    status = "failed"
    with args.out.open("wb") as f:
        wav = StreamingWavWriter(
            f, sample_rate_hz=MODEL_FORMAT.sample_rate_hz, channels=MODEL_FORMAT.channels
        )
        async with Relay(backend, config) as relay:
            print(f"backend: {backend.info.description}")
            await relay.send_file(args.file, pace=args.pace)
            async for event in relay.events_until_turn_done():
                if isinstance(event, AudioOut):
                    wav.write_pcm16(event.pcm16)
                    reply_ms += event.duration_ms
                elif isinstance(event, RelayError):
                    print(f"error: {event.code}: {event.message}")
                elif isinstance(event, TurnDone):
                    status = event.status
        wav.close()
    timeline = relay.timeline.to_dict()
    if args.json:
        print(json.dumps(timeline, indent=2))
    else:
        print(f"reply: {reply_ms / 1000:.2f} s of audio -> {args.out} ({status})")
        for turn in timeline["turns"]:
            for stage, t_ms in turn["stages_ms"].items():
                print(f"  {stage:<18} {t_ms:9.1f} ms")
            for key in ("ttfa_ms", "model_ttfb_ms", "relay_overhead_ms"):
                print(f"  {key:<18} {turn[key]}")
    return 0 if status == "completed" else 1
