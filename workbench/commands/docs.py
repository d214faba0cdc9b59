"""``workbench docs screenshots``: regenerate the docs' screenshots (never done by tests)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    """Add the ``docs`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "docs",
        help="regenerate generated documentation assets (screenshots)",
        description="Regenerate documentation assets. `screenshots` drives every tab of the "
        "workbench in headless Chromium (fake microphone, echo mock) and writes "
        "docs/screenshot_*.png. Needs the test extras (scripts/setup.sh --test).",
    )
    p.add_argument("what", choices=["screenshots"], help="which assets")
    p.add_argument("--out", type=Path, default=Path("docs"), help="output directory")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Write the screenshots; print their paths."""
    from workbench.app.screenshots import take_screenshots

    for path in take_screenshots(args.out):
        print(path)
    return 0
