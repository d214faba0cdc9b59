"""``workbench record CLIP…``: record a live relay session as a session fixture (JSONL)."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    """Add the ``record`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "record",
        help="record a relay session (real service with a key, else the mock) as a fixture",
        description="Send each CLIP through the relay and write every client event sent and "
        "server event received, with timestamps, to a JSONL session fixture. The backend "
        "comes from the environment (OPENAI_API_KEY / AZURE_OPENAI_*; the mock without). "
        "Keys, headers and URLs are never written.",
    )
    p.add_argument("clips", nargs="+", type=Path, metavar="CLIP", help="audio clips, in order")
    p.add_argument(
        "--out",
        type=Path,
        default=Path("fixtures/sessions/session.jsonl"),
        help="fixture path (default fixtures/sessions/session.jsonl)",
    )
    p.add_argument("--turn-detection", choices=["none", "server_vad"], default="none")
    p.add_argument("--dialect", choices=["ga", "preview"], default=None, help="default: env")
    p.add_argument("--chunk-ms", type=float, default=40.0)
    p.add_argument("--pace", choices=["fast", "realtime"], default="realtime")
    p.add_argument("--description", default="", help="free text stored in the fixture")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Record the session; returns 0 when every turn completed."""
    return asyncio.run(run_async(args))


async def run_async(args: argparse.Namespace) -> int:
    """The command itself, for callers already inside an event loop."""
    from dataclasses import replace

    from workbench.backends.environment import BackendEnvironment
    from workbench.backends.factory import make_backend
    from workbench.fixtures.format import write_fixture
    from workbench.fixtures.record import clips_scenario, record_session
    from workbench.protocol import events as pe
    from workbench.protocol.dialects import Dialect
    from workbench.relay import RelayConfig, RelayError, RelayEvent, TurnDone

    for clip in args.clips:
        if not clip.is_file():
            print(f"workbench record: no such clip: {clip}")
            return 2
    settings = BackendEnvironment.from_env()
    if args.dialect is not None:
        settings = replace(settings, dialect=Dialect(args.dialect))
    backend = make_backend(settings)
    td = pe.ServerVad() if args.turn_detection == "server_vad" else pe.NoTurnDetection()
    config = RelayConfig(chunk_ms=args.chunk_ms, turn_detection=td)
    print(f"backend: {backend.info.description}")
    events: list[RelayEvent] = []
    fixture = await record_session(
        backend,
        config,
        clips_scenario(args.clips, pace=args.pace),
        description=args.description or f"recorded from {', '.join(c.name for c in args.clips)}",
        name=args.out.stem,
        events_out=events,
    )
    path = write_fixture(args.out, fixture)
    statuses = [e.status for e in events if isinstance(e, TurnDone)]
    for error in (e for e in events if isinstance(e, RelayError)):
        print(f"error: {error.code}: {error.message}")
    print(
        f"wrote {path}: {len(fixture.lines)} events, {fixture.duration_ms / 1000:.1f} s, "
        f"turns: {', '.join(statuses) or 'none'}"
    )
    return 0 if statuses and all(s == "completed" for s in statuses) else 1
