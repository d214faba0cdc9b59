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
        "docs/screenshot_*.png (needs the test extras: scripts/setup.sh --test). "
        "`settings` writes docs/settings.md from the settings declarations.",
    )
    p.add_argument("what", choices=["screenshots", "settings"], help="which assets")
    p.add_argument("--out", type=Path, default=Path("docs"), help="output directory")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Write the assets; print their paths."""
    if args.what == "settings":
        from workbench.settings.reference import render_markdown

        path = args.out / "settings.md"
        path.write_text(render_markdown(), encoding="utf-8")
        print(path)
        return 0
    from workbench.app.screenshots import take_screenshots

    for path in take_screenshots(args.out):
        print(path)
    return 0
