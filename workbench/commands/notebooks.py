"""``workbench notebooks``: execute the research notebooks, write HTML reports."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    """Add the ``notebooks`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "notebooks",
        help="execute the research notebooks (notebooks/*.ipynb) and write HTML reports",
        description="Run each notebook top to bottom in a fresh python3 kernel (this "
        "interpreter) and write <name>.html, the executed <name>.ipynb and its figures as "
        "PNG to --out. Exits 1 if any cell fails.",
    )
    p.add_argument(
        "names",
        nargs="*",
        metavar="NAME",
        help="notebooks to run (stem, e.g. latency, or a path); default: all",
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="small parameters (the CI default); without it the full sweep runs",
    )
    p.add_argument("--out", type=Path, default=Path("reports/notebooks"), help="report directory")
    p.add_argument(
        "--timeout-s", type=float, default=900.0, help="longest a single cell may run (s)"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Execute the notebooks; 0 if all ran cleanly, 1 if any cell failed, 2 if not found."""
    from workbench.notebooks import resolve, run_notebook

    try:
        paths = resolve(args.names)
    except FileNotFoundError as exc:
        print(f"workbench notebooks: {exc}", file=sys.stderr)
        return 2
    mode = "quick" if args.quick else "full"
    failed = 0
    for path in paths:
        print(f"notebooks: running {path.name} ({mode}) ...", flush=True)
        result = run_notebook(path, args.out, full=not args.quick, timeout_s=args.timeout_s)
        status = "ok" if result.ok else "FAILED"
        print(
            f"notebooks: {result.name}: {status} in {result.duration_s:.1f} s, "
            f"{len(result.figure_paths)} figures -> {result.html_path}",
            flush=True,
        )
        if result.error is not None:
            failed += 1
            print(result.error, file=sys.stderr)
    return 1 if failed else 0
