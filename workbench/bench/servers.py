"""Servers the benchmarks run against, each in its own process, and how to watch them.

- :func:`servers`: ``workbench mock`` (echo) on 127.0.0.1, and API servers (this
  project's ``workbench api [--workers N]``, or the seed baseline under uvicorn), their
  backend the mock over loopback WebSockets; all started at once.
- :func:`mock_process`: only the mock.
- :class:`ProcessTree`: CPU seconds, RSS and open files of a process and its children
  (uvicorn workers are children of the supervisor).

Separate processes keep the server's CPU apart from the load generator's, so
``cpu_per_session`` is the server's alone. Every start has a timeout and every process
is killed in ``finally``.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import httpx
import psutil

START_TIMEOUT_S = 60.0
#: The API's session limit in benchmarks: the load, not the limit, is measured.
BENCH_MAX_SESSIONS = 100_000
STOP_TIMEOUT_S = 5.0
AppKind = Literal["api", "seed"]


@dataclass(frozen=True)
class ServerHandle:
    """A running server: ``url`` (``ws://…`` for the mock, ``http://…`` for the API)."""

    url: str
    pid: int


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """Terminate, then kill after ``STOP_TIMEOUT_S``; children (uvicorn workers) too."""
    if proc.poll() is not None:
        return
    children: list[psutil.Process] = []
    with contextlib.suppress(psutil.Error):
        children = psutil.Process(proc.pid).children(recursive=True)
    proc.terminate()
    try:
        proc.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=STOP_TIMEOUT_S)
    for child in children:  # workers outliving a killed supervisor
        with contextlib.suppress(psutil.Error):
            child.kill()


@dataclass(frozen=True)
class ApiSpec:
    """One API server: which app, uvicorn workers, upstream frame (ms), which backend."""

    app: AppKind = "api"
    workers: int = 1
    chunk_ms: float = 40.0
    backend: str = "mock-server"  # or "mock": the in-process mock, no upstream socket


@dataclass(frozen=True)
class Servers:
    """The running mock (``ws://`` URL) and API servers (``http://`` URLs, in spec order)."""

    mock: ServerHandle
    apis: list[ServerHandle]


@contextlib.contextmanager
def servers(
    ttfa_ms: float, apis: Sequence[ApiSpec] = (), speed_x_realtime: float = 1.0
) -> Iterator[Servers]:
    """Start the echo mock and ``apis`` at once (startup is mostly imports); yield them.

    Parameters
    ----------
    ttfa_ms : float
        The mock's time to first audio (ms).
    apis : sequence of ApiSpec
        API servers, each with backend ``mock-server`` pointing at this mock.
    speed_x_realtime : float
        The mock's reply delivery speed (multiple of real time).
    """
    procs: list[subprocess.Popen[bytes]] = []
    try:
        # Ports chosen here, so the APIs know the mock's URL before it listens.
        mock_url = f"ws://127.0.0.1:{free_port()}"
        mock_cmd = [sys.executable, "-m", "workbench.cli", "mock", "--port"]
        mock_cmd += [mock_url.rsplit(":", 1)[1], "--ttfa-ms", repr(ttfa_ms)]
        mock_cmd += ["--speed", repr(speed_x_realtime)]
        mock = subprocess.Popen(mock_cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        procs.append(mock)
        started = []
        for spec in apis:
            proc, url = _start_api(mock_url, spec, ttfa_ms)
            procs.append(proc)
            started.append((proc, url, spec))
        _read_url(mock, "listening on ")
        handles = []
        for proc, url, spec in started:
            _wait_healthy(proc, url, spec.workers)
            handles.append(ServerHandle(url=url, pid=proc.pid))
        yield Servers(mock=ServerHandle(url=mock_url, pid=mock.pid), apis=handles)
    finally:
        for proc in reversed(procs):
            _kill(proc)


@contextlib.contextmanager
def mock_process(ttfa_ms: float, speed_x_realtime: float = 1.0) -> Iterator[ServerHandle]:
    """Only the echo mock (see :func:`servers`); yields its ``ws://`` URL."""
    with servers(ttfa_ms, (), speed_x_realtime) as running:
        yield running.mock


def _read_url(proc: subprocess.Popen[bytes], marker: str) -> str:
    """The URL after ``marker`` in the child's stdout (bounded by START_TIMEOUT_S)."""
    assert proc.stdout is not None
    os.set_blocking(proc.stdout.fileno(), False)
    deadline = time.monotonic() + START_TIMEOUT_S
    buffer = b""
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with status {proc.returncode} before listening")
        chunk = proc.stdout.read() or b""
        buffer += chunk
        for line in buffer.decode(errors="replace").splitlines():
            if marker in line:
                return line.split(marker, 1)[1].split()[0]
        time.sleep(0.02)
    raise TimeoutError(f"server did not report its URL within {START_TIMEOUT_S:g} s")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (uvicorn --workers needs one)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _start_api(mock_url: str, spec: ApiSpec, ttfa_ms: float) -> tuple[subprocess.Popen[bytes], str]:
    """Start the API (not waiting for it).

    This project's API is ``workbench api [--workers N]`` itself: the production path
    (warm-up, GC policy, uvloop, SO_REUSEPORT workers). The seed baseline runs under
    uvicorn with :mod:`workbench.bench.api_server`.
    """
    port = free_port()
    env = dict(os.environ)
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    env.update(
        WORKBENCH_BACKEND=spec.backend,
        WORKBENCH_MOCK_URL=mock_url,
        WORKBENCH_CHUNK_MS=repr(spec.chunk_ms),
        WORKBENCH_BENCH_APP=spec.app,
    )
    if spec.app == "api":
        cmd = [sys.executable, "-m", "workbench.cli", "api", "--port", str(port)]
        cmd += ["--workers", str(spec.workers), "--mock-ttfa-ms", repr(ttfa_ms)]
        cmd += ["--max-sessions", str(BENCH_MAX_SESSIONS)]
    else:
        cmd = [sys.executable, "-m", "uvicorn", "--factory"]
        cmd += ["workbench.bench.api_server:app_factory", "--host", "127.0.0.1"]
        cmd += ["--port", str(port), "--workers", str(spec.workers)]
        # Audio does not compress: per-message deflate would only spend CPU on every frame.
        cmd += ["--log-level", "warning", "--ws", "websockets", "--no-access-log"]
        cmd += ["--ws-per-message-deflate", "false"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc, f"http://127.0.0.1:{port}"


def _wait_healthy(proc: subprocess.Popen[bytes], url: str, workers: int) -> None:
    """Poll ``GET /healthz`` until it answers and every worker has started."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"API server exited with status {proc.returncode}")
        with contextlib.suppress(httpx.HTTPError, ValueError):
            response = httpx.get(f"{url}/healthz", timeout=1.0)
            if response.status_code == 200:
                live = response.json().get("workers", {}).get("live", 1)
                if live >= workers:
                    return
        time.sleep(0.1)
    raise TimeoutError(f"API server not healthy within {START_TIMEOUT_S:g} s")


@dataclass(frozen=True)
class TreeSample:
    """One reading of a process tree: CPU time (s), RSS (MB), open file descriptors."""

    cpu_s: float
    rss_mb: float
    num_fds: int
    processes: int


class ProcessTree:
    """A process and its descendants, read with psutil (vanished children are skipped)."""

    def __init__(self, pid: int) -> None:
        self.root = psutil.Process(pid)

    def processes(self) -> list[psutil.Process]:
        """The root and its current descendants."""
        with contextlib.suppress(psutil.Error):
            return [self.root, *self.root.children(recursive=True)]
        return [self.root]

    def sample(self) -> TreeSample:
        """CPU seconds (user + system), RSS sum (MB) and fd count of the whole tree."""
        cpu_s = rss_b = 0.0
        fds = count = 0
        for proc in self.processes():
            with contextlib.suppress(psutil.Error):
                times = proc.cpu_times()
                cpu_s += times.user + times.system
                rss_b += proc.memory_info().rss
                fds += proc.num_fds()
                count += 1
        return TreeSample(cpu_s=cpu_s, rss_mb=rss_b / 1e6, num_fds=fds, processes=count)
