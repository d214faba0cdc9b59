"""The processes of ``workbench bench scaleout``, all on 127.0.0.1, started at once.

- one ``workbench mock`` (echo; the upstream of everything below);
- N ``python -m workbench.cli api --port P`` processes (``WORKBENCH_BACKEND=mock-server``)
  behind one nginx (:mod:`workbench.bench.nginx`);
- N minimal relays (:mod:`workbench.bench.minimal_relay`) behind a second nginx with the
  same config: the floor, deployed the same way;
- one ``workbench api --workers N``: the same N processes on one port without nginx
  (the kernel spreads the connections, ``SO_REUSEPORT``).

Behind nginx, "N processes" means N separate ``api`` processes on N ports: what nginx
balances across in a deployment on one machine (docs/deploy.md).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
from prometheus_client.parser import text_string_to_metric_families

from workbench.bench.nginx import NginxSite, nginx_process, upstreams_on
from workbench.bench.procs import ChildSpec, http_ok, started_all
from workbench.bench.servers import BENCH_MAX_SESSIONS, ProcessTree, free_port, mock_process

#: A scrape: ``{(sample name, sorted (label, value) pairs): value}``.
Metrics = dict[tuple[str, tuple[tuple[str, str], ...]], float]
#: Bound on starting every process (imports of N API processes on shared cores).
STACK_START_TIMEOUT_S = 90.0


def api_command(port: int, mock_ttfa_ms: float, workers: int = 1) -> list[str]:
    """``workbench api`` on ``port``; its mock latency model is ``mock_ttfa_ms``; no
    session limit (:data:`BENCH_MAX_SESSIONS`).

    With ``WORKBENCH_BACKEND=mock-server`` the API passes the latency model to the mock
    server in its connect query, so the load generator's schedule holds.
    """
    cmd = [sys.executable, "-m", "workbench.cli", "api", "--port", str(port)]
    cmd += ["--mock-ttfa-ms", repr(mock_ttfa_ms), "--max-sessions", str(BENCH_MAX_SESSIONS)]
    return [*cmd, "--workers", str(workers)] if workers > 1 else cmd


def minimal_relay_command(port: int, mock_url: str) -> list[str]:
    """The minimal relay floor on ``port``, relaying to ``mock_url``."""
    cmd = [sys.executable, "-m", "workbench.bench.minimal_relay", "--port", str(port)]
    return [*cmd, "--mock-url", mock_url]


@dataclass(frozen=True)
class Group:
    """N processes of one kind and the nginx in front of them.

    Attributes
    ----------
    lb_url : str
        ``http://`` URL of the nginx in front.
    urls : list[str]
        ``http://`` URL of each process, for direct access.
    trees : list[ProcessTree]
        One per process (CPU, RSS).
    nginx : ProcessTree
        nginx master and workers.
    """

    lb_url: str
    urls: list[str]
    trees: list[ProcessTree]
    nginx: ProcessTree


@dataclass(frozen=True)
class Stack:
    """The running topology: the mock, the API group, the minimal-relay group, and
    ``workers``: one ``workbench api --workers N`` (``url``, its process tree)."""

    mock_url: str
    mock: ProcessTree
    api: Group
    minimal: Group
    workers_url: str
    workers: ProcessTree


@contextlib.contextmanager
def scaleout_stack(
    processes: int, mock_ttfa_ms: float, *, nginx_workers: int = 1
) -> Iterator[Stack]:
    """Start the mock, 2 × ``processes`` servers and two nginx; stop them all on exit."""
    with mock_process(mock_ttfa_ms) as mock:
        env = {**os.environ, "WORKBENCH_BACKEND": "mock-server", "WORKBENCH_MOCK_URL": mock.url}
        api_ports = [free_port() for _ in range(processes)]
        floor_ports = [free_port() for _ in range(processes)]
        workers_port = free_port()
        specs = [
            ChildSpec(api_command(port, mock_ttfa_ms), _healthz(port), f"api :{port}", env)
            for port in api_ports
        ] + [
            ChildSpec(minimal_relay_command(port, mock.url), _healthz(port), f"relay :{port}")
            for port in floor_ports
        ]
        workers_cmd = api_command(workers_port, mock_ttfa_ms, workers=processes)
        workers_ready = _all_workers_live(workers_port, processes)
        specs.append(ChildSpec(workers_cmd, workers_ready, f"api --workers :{workers_port}", env))
        with contextlib.ExitStack() as stack:
            procs = stack.enter_context(started_all(specs, STACK_START_TIMEOUT_S))
            groups = []
            halves = (
                (api_ports, procs[:processes]),
                (floor_ports, procs[processes : 2 * processes]),
            )
            for ports, group_procs in halves:
                site = NginxSite(upstreams=upstreams_on(ports), listen=f"127.0.0.1:{free_port()}")
                lb = stack.enter_context(nginx_process(site, worker_processes=nginx_workers))
                groups.append(
                    Group(
                        lb_url=lb.url,
                        urls=[f"http://127.0.0.1:{port}" for port in ports],
                        trees=[ProcessTree(p.pid) for p in group_procs],
                        nginx=ProcessTree(lb.pid),
                    )
                )
            workers_url = f"http://127.0.0.1:{workers_port}"
            yield Stack(
                mock.url,
                ProcessTree(mock.pid),
                groups[0],
                groups[1],
                workers_url,
                ProcessTree(procs[-1].pid),
            )


def _healthz(port: int) -> Callable[[], bool]:
    return http_ok(f"http://127.0.0.1:{port}/healthz")


def _all_workers_live(port: int, workers: int) -> Callable[[], bool]:
    """Ready once ``/healthz`` counts ``workers`` live worker processes."""

    def check() -> bool:
        with contextlib.suppress(httpx.HTTPError, ValueError):
            health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1.0).json()
            return int(health.get("workers", {}).get("live", 0)) >= workers
        return False

    return check


def scrape(url: str) -> Metrics:
    """``GET url/metrics`` as ``{(sample name, sorted labels): value}`` ({} on failure)."""
    with contextlib.suppress(httpx.HTTPError, ValueError):
        text = httpx.get(f"{url}/metrics", timeout=5.0).text
        return {
            (s.name, tuple(sorted(s.labels.items()))): float(s.value)
            for family in text_string_to_metric_families(text)
            for s in family.samples
        }
    return {}


def worker_sessions(url: str) -> list[int]:
    """WebSocket sessions each worker of a ``--workers`` server has open now (``/healthz``)."""
    with contextlib.suppress(httpx.HTTPError, ValueError):
        health = httpx.get(f"{url}/healthz", timeout=5.0).json()
        return [int(w.get("active_sessions") or 0) for w in health["workers"]["list"]]
    return []


def websocket_sessions(metrics: Metrics) -> float:
    """WebSocket sessions a process has started (``workbench_sessions_total``)."""
    return metrics.get(("workbench_sessions_total", (("kind", "websocket"),)), 0.0)


def loop_lag_ms(metrics: Metrics, stat: str) -> float | None:
    """``workbench_loop_lag_ms{stat}`` if the process exports it (None until it does)."""
    return metrics.get(("workbench_loop_lag_ms", (("stat", stat),)))


def gc_collections(metrics: Metrics, generation: int) -> float:
    """``workbench_gc_collections_total{generation}`` (0 when not exported)."""
    return metrics.get(("workbench_gc_collections_total", (("generation", str(generation)),)), 0.0)
