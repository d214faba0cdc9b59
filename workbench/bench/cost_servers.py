"""The relay servers ``workbench bench cost`` compares, one process each, all on 127.0.0.1.

- ``api``: ``workbench api`` (one process), backend ``mock-server``: the deployment;
- ``floor``: the minimal relay (:mod:`workbench.bench.minimal_relay`): what no relay
  can do without;
- ``before`` (only when ``WORKBENCH_BENCH_BEFORE`` names another checkout of this
  repository, e.g. ``git worktree add /tmp/before main``): ``workbench api`` from that
  checkout, so a change is measured against the code before it in the same run.

All relay to the same echo mock. Every start is bounded; every process is stopped on
exit (:mod:`workbench.bench.procs`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from workbench.bench.procs import ChildSpec, http_ok, started_all
from workbench.bench.scaleout_stack import api_command, minimal_relay_command
from workbench.bench.servers import ProcessTree, free_port

#: Names another checkout whose ``workbench api`` is measured as the variant ``before``.
BEFORE_ENV = "WORKBENCH_BENCH_BEFORE"
#: Bound on starting every server (imports on shared cores).
START_TIMEOUT_S = 90.0


@dataclass(frozen=True)
class RelayServer:
    """One running relay: its variant name, ``http://`` URL and process."""

    variant: str
    url: str
    tree: ProcessTree


def variants() -> tuple[str, ...]:
    """The variants this run measures (``before`` only when :data:`BEFORE_ENV` is set)."""
    return ("api", "floor", "before") if before_tree() is not None else ("api", "floor")


def before_tree() -> Path | None:
    """The other checkout named by :data:`BEFORE_ENV` (None when unset)."""
    value = os.environ.get(BEFORE_ENV)
    if not value:
        return None
    path = Path(value).resolve()
    if not (path / "workbench" / "cli.py").is_file():
        raise ValueError(f"{BEFORE_ENV}={value!r} is not a checkout of this repository")
    return path


@contextlib.contextmanager
def relay_servers(
    names: tuple[str, ...],
    mock_url: str,
    mock_ttfa_ms: float,
    api_env: Mapping[str, str] | None = None,
) -> Iterator[dict[str, RelayServer]]:
    """Start the relays ``names`` at once against the mock; yield them by name.

    ``api_env`` adds environment variables for this checkout's API (e.g. its lag probe).
    """
    base = {**os.environ, "WORKBENCH_BACKEND": "mock-server", "WORKBENCH_MOCK_URL": mock_url}
    base.pop("PROMETHEUS_MULTIPROC_DIR", None)
    specs: list[ChildSpec] = []
    urls: list[str] = []
    for name in names:
        port = free_port()
        ready = http_ok(f"http://127.0.0.1:{port}/healthz")
        if name == "api":
            env = {**base, **(api_env or {})}
            specs.append(ChildSpec(api_command(port, mock_ttfa_ms), ready, name, env))
        elif name == "floor":
            specs.append(ChildSpec(minimal_relay_command(port, mock_url), ready, name, base))
        elif name == "before":
            tree = before_tree()
            if tree is None:
                raise ValueError(f"variant 'before' needs {BEFORE_ENV}")
            # `python -m` puts the working directory first on sys.path: that checkout's
            # workbench package is imported, not this one.
            env = {**base, "PYTHONPATH": str(tree)}
            cmd = api_command(port, mock_ttfa_ms)
            specs.append(ChildSpec(cmd, ready, name, env, cwd=tree))
        else:
            raise ValueError(f"unknown relay variant {name!r}")
        urls.append(f"http://127.0.0.1:{port}")
    with started_all(specs, START_TIMEOUT_S) as procs:
        yield {
            name: RelayServer(name, url, ProcessTree(proc.pid))
            for name, url, proc in zip(names, urls, procs, strict=True)
        }
