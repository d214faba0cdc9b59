"""The server ``workbench bench abuse`` attacks, in its own process, and its memory gauge.

:func:`target_server` starts ``workbench api`` (the in-process mock) or ``workbench
serve --auth`` on 127.0.0.1 exactly as a user would (``python -m workbench.cli …``),
waits for ``/healthz`` and stops it afterwards. :class:`RssGauge` samples the server's
resident memory (psutil, the whole process tree) on a thread, so a peak between two
client events is not missed.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import httpx
import psutil

from workbench.bench.servers import ProcessTree, free_port

TargetKind = Literal["api", "serve"]
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 5.0
#: User and password of the ``serve --auth`` target (a loopback test login).
AUTH_USER, AUTH_PASSWORD = "abuse", "bench-only-password"


@dataclass(frozen=True)
class Target:
    """A running server: kind, base URL (``http://127.0.0.1:PORT``), process id, login."""

    kind: TargetKind
    url: str
    pid: int
    auth: tuple[str, str] | None

    @property
    def host_port(self) -> tuple[str, int]:
        """``("127.0.0.1", port)`` for raw-socket clients."""
        host, port = self.url.removeprefix("http://").rsplit(":", 1)
        return host, int(port)


def _command(kind: TargetKind, port: int, extra_args: Sequence[str]) -> list[str]:
    cmd = [sys.executable, "-m", "workbench.cli", kind, "--host", "127.0.0.1"]
    cmd += ["--port", str(port)]
    if kind == "serve":
        cmd += ["--auth", f"{AUTH_USER}:{AUTH_PASSWORD}"]
    return cmd + list(extra_args)


@contextlib.contextmanager
def target_server(
    kind: TargetKind, extra_args: Sequence[str] = (), mock_url: str | None = None
) -> Iterator[Target]:
    """Start ``workbench KIND`` on a free port; yield it once ``/healthz`` answers.

    Parameters
    ----------
    kind : {"api", "serve"}
        ``api``: the HTTP/WS API alone; ``serve``: the full app with ``--auth``.
    extra_args : sequence of str
        More command-line options (timeouts, limits).
    mock_url : str | None
        A running ``workbench mock`` (``ws://…``) to use instead of the in-process mock,
        so the server's RSS is the server's alone (the mock holds each session's audio).

    ``WORKBENCH_ABUSE_SERVER_CWD`` (environment) runs the server from another checkout
    (``python -m`` imports the working directory's ``workbench``): how "before" figures
    of an older commit are measured with the same cases.
    """
    port = free_port()
    env = dict(os.environ, WORKBENCH_BACKEND="mock", GRADIO_ANALYTICS_ENABLED="False")
    if mock_url is not None:
        env.update(WORKBENCH_BACKEND="mock-server", WORKBENCH_MOCK_URL=mock_url)
    # Keys in the environment would make the target call a paid service.
    for name in ("OPENAI_API_KEY", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT"):
        env.pop(name, None)
    proc = subprocess.Popen(
        _command(kind, port, extra_args),
        env=env,
        cwd=os.environ.get("WORKBENCH_ABUSE_SERVER_CWD") or None,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(proc, url)
        auth = (AUTH_USER, AUTH_PASSWORD) if kind == "serve" else None
        yield Target(kind=kind, url=url, pid=proc.pid, auth=auth)
    finally:
        _stop(proc)


def _wait_healthy(proc: subprocess.Popen[bytes], url: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with status {proc.returncode} at start")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/healthz", timeout=1.0).status_code == 200:
                return
        time.sleep(0.2)
    raise TimeoutError(f"the server did not answer /healthz within {START_TIMEOUT_S:g} s")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Terminate the server (and any children it started), then kill after a timeout."""
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
    for child in children:
        with contextlib.suppress(psutil.Error):
            child.kill()


class RssGauge:
    """Samples a process tree's RSS every ``interval_s`` on a daemon thread.

    Use as a context manager; :meth:`reset` starts a new peak, :attr:`peak_mb` reads it.
    """

    def __init__(self, pid: int, interval_s: float = 0.05) -> None:
        self._tree = ProcessTree(pid)
        self._interval_s = interval_s
        self._lock = threading.Lock()
        self._peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-gauge", daemon=True)

    def __enter__(self) -> RssGauge:
        self._peak_mb = self.now_mb()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5.0)

    def now_mb(self) -> float:
        """The tree's RSS right now (MB)."""
        return self._tree.sample().rss_mb

    def reset(self) -> float:
        """Start a new peak from the current RSS; returns that RSS (MB)."""
        now = self.now_mb()
        with self._lock:
            self._peak_mb = now
        return now

    @property
    def peak_mb(self) -> float:
        """The highest RSS seen since the last :meth:`reset` (MB)."""
        with self._lock:
            return self._peak_mb

    def _run(self) -> None:
        while not self._stop.wait(self._interval_s):
            now = self.now_mb()
            with self._lock:
                self._peak_mb = max(self._peak_mb, now)
