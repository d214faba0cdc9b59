"""The flags ``workbench serve`` and ``workbench api`` share, and the service they build.

Every server limit (``--max-sessions``, ``--idle-timeout-s`` …) and every session
default (``--chunk-ms``, ``--turn-detection`` …) is a flag derived from the settings
declarations; environment variables (``WORKBENCH_<NAME>``) set the same values, flags
win. Bad values are reported all at once.
"""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

from workbench.settings import RelaySettings, ServerSettings
from workbench.settings.cli import add_flags, resolve

if TYPE_CHECKING:
    from workbench.service import SessionService


def add_service_flags(parser: argparse.ArgumentParser) -> None:
    """Add the server-limit and session-default flags, and ``--mock-behaviour``."""
    add_flags(parser, ServerSettings, title="server limits")
    add_flags(parser, RelaySettings, title="session defaults (clients may override)")
    parser.add_argument(
        "--mock-behaviour",
        default="echo",
        help="behaviour of the built-in mock (echo, tone, silence)",
    )


def build_service(args: argparse.Namespace) -> SessionService:
    """The :class:`~workbench.service.SessionService` the flags and environment describe.

    Raises
    ------
    SettingsError
        Every bad flag and environment variable at once.
    """
    from workbench.backends.environment import BackendEnvironment
    from workbench.mock.config import MockConfig
    from workbench.service import BackendResolver, SessionService

    env = os.environ
    server = resolve(ServerSettings, env=env, args=args)
    defaults = resolve(RelaySettings, env=env, args=args)
    resolver = BackendResolver(
        env=BackendEnvironment.from_env(env),
        mock_base=MockConfig(behaviour=args.mock_behaviour),
        connect_timeout_s=server.connect_timeout_s,
    )
    return SessionService(server, resolver, defaults=defaults)
