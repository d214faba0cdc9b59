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
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from workbench.bench.procs import ChildSpec, http_ok, started
from workbench.bench.servers import ProcessTree, free_port

TargetKind = Literal["api", "serve"]
#: The full app under load can take this long to import and answer /healthz (s).
START_TIMEOUT_S = 60.0
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
    spec = ChildSpec(
        cmd=_command(kind, port, extra_args),
        ready=http_ok(f"http://127.0.0.1:{port}/healthz"),
        name=f"workbench {kind}",
        env=env,
        cwd=Path(cwd) if (cwd := os.environ.get("WORKBENCH_ABUSE_SERVER_CWD")) else None,
    )
    with started(spec, timeout_s=START_TIMEOUT_S) as proc:
        auth = (AUTH_USER, AUTH_PASSWORD) if kind == "serve" else None
        yield Target(kind=kind, url=f"http://127.0.0.1:{port}", pid=proc.pid, auth=auth)


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
