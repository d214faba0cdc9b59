"""``workbench relay FILE``: send one clip through a session, save the reply, print the timeline."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

from workbench.settings import RelaySettings, ServerSettings
from workbench.settings.cli import add_flags, resolve


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
    p.add_argument("--pace", choices=["fast", "realtime"], default="fast")
    p.add_argument("--json", action="store_true", help="print only the timeline, as JSON")
    add_flags(p, RelaySettings, title="session settings")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Relay one file; returns 0 when a reply was received."""
    return asyncio.run(_run(args))


async def _run(args: argparse.Namespace) -> int:
    from workbench.audio import MODEL_FORMAT, StreamingWavWriter
    from workbench.backends.environment import BackendEnvironment
    from workbench.relay import AudioOut, RelayError, TurnDone
    from workbench.service import BackendResolver, EndReason, SessionService

    server = resolve(ServerSettings, env=os.environ)
    settings = resolve(RelaySettings, env=os.environ, args=args)
    resolver = BackendResolver(
        env=BackendEnvironment.from_env(), connect_timeout_s=server.connect_timeout_s
    )
    # Human-readable lines go to stderr with --json, so stdout is only the JSON.
    say = sys.stderr if args.json else sys.stdout
    reply_ms = 0.0
    status = "failed"
    async with SessionService(server, resolver, defaults=settings) as service:
        session = service.open("cli", manual_commit=True)
        print(f"backend: {session.backend.info.description}", file=say)
        with args.out.open("wb") as f:
            wav = StreamingWavWriter(f, sample_rate_hz=MODEL_FORMAT.sample_rate_hz, channels=1)
            try:
                await session.send_clip(args.file, pace=args.pace)
                async for event in session.events(until_turn_done=True):
                    if isinstance(event, AudioOut):
                        wav.write_pcm16(event.pcm16)
                        reply_ms += event.duration_ms
                    elif isinstance(event, RelayError):
                        print(f"error: {event.code}: {event.message}", file=sys.stderr)
                    elif isinstance(event, TurnDone):
                        status = event.status
            finally:
                wav.close()
                ok = status == "completed"
                await session.close(EndReason.COMPLETED if ok else EndReason.UPSTREAM_ERROR)
        timeline = session.relay.timeline.to_dict()
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
