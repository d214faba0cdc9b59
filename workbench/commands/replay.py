"""``workbench replay FIXTURE``: replay a session fixture through the relay and the mock."""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    """Add the ``replay`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "replay",
        help="replay a recorded session fixture and print the relay's timeline",
        description="Serve FIXTURE's recorded server events from the mock with their recorded "
        "timing, drive a session (with the recorded settings) with the recorded client "
        "actions, print the per-turn timeline and whether the relay's output matches the "
        "recording.",
    )
    p.add_argument("fixture", type=Path, metavar="FIXTURE", help="fixtures/sessions/NAME.jsonl")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--speed", type=float, default=1.0, help="time scale (2.0 = 2x faster)")
    group.add_argument("--virtual", action="store_true", help="virtual time (instant, exact)")
    p.add_argument("--json", action="store_true", help="print the timeline as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Replay; returns 0 when the relay reproduced the recording."""
    return asyncio.run(run_async(args))


async def run_async(args: argparse.Namespace) -> int:
    """The command itself, for callers already inside an event loop."""
    from workbench.clock import Clock, MonotonicClock, VirtualClock
    from workbench.fixtures.compare import compare_replay, compare_timing
    from workbench.fixtures.format import load_fixture
    from workbench.fixtures.replay import replay_fixture

    fixture = load_fixture(args.fixture)
    clock: Clock = VirtualClock() if args.virtual else MonotonicClock()
    speed = 1.0 if args.virtual else args.speed
    result = await replay_fixture(fixture, clock, speed=speed)
    problems = compare_replay(fixture, result, timing=args.virtual)
    # On real time the event loop's own lag shifts stages: shown, but not a failure.
    drift = [] if args.virtual else compare_timing(fixture, result, tolerance_ms=20.0 * speed)
    timeline = result.relay.timeline.to_dict()
    if args.json:
        report = {"timeline": timeline, "problems": problems, "timing_drift": drift}
        print(json.dumps(report, indent=2))
        return 0 if not problems else 1
    meta = fixture.meta
    print(f"{args.fixture}: {meta.backend} {meta.model} ({meta.dialect}) - {meta.description}")
    when = "virtual time" if args.virtual else f"{speed:g}x real time"
    print(f"replayed {len(fixture.lines)} events on {when}")
    for turn in timeline["turns"]:
        print(f"turn {turn['turn_index']}:")
        for stage, t_ms in turn["stages_ms"].items():
            print(f"  {stage:<18} {t_ms:9.1f} ms")
        for key in ("ttfa_ms", "model_ttfb_ms", "relay_overhead_ms"):
            print(f"  {key:<18} {turn[key]}")
    for line in drift:
        print(f"timing drift (real time): {line}")
    if problems:
        print("DIFFERS from the recording:")
        for problem in problems:
            print(f"  - {problem}")
        return 1
    print("matches the recording")
    return 0
