"""The ``workbench`` command line: one sub-command per module in ``workbench.commands``.

Each command module defines ``register(subparsers)`` that adds its parser and sets
``func(args) -> int``; imports of heavy dependencies happen inside ``func`` so
``workbench --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from workbench.errors import WorkbenchError

#: Command modules, in the order ``--help`` lists them.
COMMAND_MODULES = (
    "workbench.commands.serve",
    "workbench.commands.api",
    "workbench.commands.mock",
    "workbench.commands.relay",
    "workbench.commands.client",
    "workbench.commands.record",
    "workbench.commands.replay",
    "workbench.commands.bench",
    "workbench.commands.notebooks",
    "workbench.commands.docs",
    "workbench.commands.netem",
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every available sub-command."""
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="Realtime voice relay workbench (OpenAI / Azure OpenAI Realtime, or a mock).",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log at INFO level")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue  # command not built yet
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``workbench`` console script; returns the exit status."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.func(args) or 0)
    except WorkbenchError as exc:
        print(f"workbench: error: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
