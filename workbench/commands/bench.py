"""``workbench bench SUITE``: run a benchmark suite, write JSON + PNG, print a table."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from workbench.bench import HOSTILE_SUITES, MEASURING_SUITES

#: Every suite the command takes (declared in workbench.bench).
SUITES = (*MEASURING_SUITES, *HOSTILE_SUITES, "all")


def register(sub: Any) -> None:
    """Add the ``bench`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "bench",
        help=f"run a benchmark suite ({', '.join(SUITES)})",
        description="Run a benchmark suite on 127.0.0.1 and write SUITE.json (machine, "
        "parameters, raw samples, summary) and SUITE.png to --out. 'all' runs every "
        "measuring suite (scaleout needs nginx); 'abuse' attacks a live server, 'fuzz' "
        "fuzzes the parsers. 'cost' also measures another checkout's API when "
        "WORKBENCH_BENCH_BEFORE names it. Goals are reported, never asserted.",
    )
    p.add_argument("suite", choices=SUITES)
    p.add_argument("--quick", action="store_true", help="small parameters (CI smoke run)")
    p.add_argument("--out", type=Path, default=Path("results/bench"), help="results folder")
    p.add_argument("--sessions", type=int, default=None, help="soak: concurrent sessions")
    p.add_argument("--minutes", type=float, default=None, help="soak: duration (minutes)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the chosen suite; 0 when it ran (whatever the numbers), 1 when a suite failed."""
    if args.suite == "soak":
        from workbench.bench import soak

        soak.run(args.out, args.quick, sessions=args.sessions, minutes=args.minutes)
    elif args.suite == "all":
        from workbench.bench import run_all

        if not run_all.run(args.out, args.quick)["ok"]:
            return 1
    else:
        from workbench.bench.run_all import suite_runner

        suite_runner(args.suite)(args.out, args.quick)
    print(f"\nresults in {args.out}/")
    return 0
