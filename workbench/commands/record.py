"""``workbench record CLIP…``: record a live session as a session fixture (JSONL)."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

from workbench.settings import RelaySettings
from workbench.settings.cli import add_flags


def register(sub: Any) -> None:
    """Add the ``record`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "record",
        help="record a session (real service with a key, else the mock) as a fixture",
        description="Send each CLIP through a session of the session service and write every "
        "client event sent and server event received, with timestamps, to a JSONL session "
        "fixture. The backend comes from the environment (OPENAI_API_KEY / AZURE_OPENAI_*; "
        "the mock without). Session settings are the usual flags (turn detection defaults "
        "to none here); they are stored in the fixture. Keys, headers and URLs are never "
        "written.",
    )
    p.add_argument("clips", nargs="+", type=Path, metavar="CLIP", help="audio clips, in order")
    p.add_argument(
        "--out",
        type=Path,
        default=Path("fixtures/sessions/session.jsonl"),
        help="fixture path (default fixtures/sessions/session.jsonl)",
    )
    p.add_argument("--dialect", choices=["ga", "preview"], default=None, help="default: env")
    p.add_argument("--pace", choices=["fast", "realtime"], default="realtime")
    p.add_argument("--description", default="", help="free text stored in the fixture")
    add_flags(p, RelaySettings, title="session settings")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Record the session; returns 0 when every turn completed."""
    return asyncio.run(run_async(args))


async def run_async(args: argparse.Namespace) -> int:
    """The command itself, for callers already inside an event loop."""
    import os
    from dataclasses import replace

    from workbench.backends.environment import BackendEnvironment
    from workbench.fixtures.format import write_fixture
    from workbench.fixtures.record import clips_scenario, record_session
    from workbench.protocol.dialects import Dialect
    from workbench.relay import RelayError, RelayEvent, TurnDone
    from workbench.service import BackendResolver
    from workbench.settings import ServerSettings, SettingsError
    from workbench.settings.cli import resolve

    for clip in args.clips:
        if not clip.is_file():
            print(f"workbench record: no such clip: {clip}")
            return 2
    try:
        server = resolve(ServerSettings, env=os.environ)
        base = RelaySettings(turn_detection="none")  # one clip, one commit, unless asked
        settings = resolve(RelaySettings, env=os.environ, args=args, base=base)
    except SettingsError as exc:
        print(f"workbench record: {exc.message}")
        return 2
    env = BackendEnvironment.from_env()
    if args.dialect is not None:
        env = replace(env, dialect=Dialect(args.dialect))
    resolver = BackendResolver(env=env, connect_timeout_s=server.connect_timeout_s)
    backend = resolver.backend_for(settings)
    print(f"backend: {backend.info.description}")
    events: list[RelayEvent] = []
    fixture = await record_session(
        backend,
        settings,
        clips_scenario(args.clips, pace=args.pace),
        description=args.description or f"recorded from {', '.join(c.name for c in args.clips)}",
        name=args.out.stem,
        events_out=events,
        server=server,
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
