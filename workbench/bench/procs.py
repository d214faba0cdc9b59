"""Child processes with a bounded life: started, waited for until ready, always stopped.

:func:`started_all` runs commands at once, polls each one's readiness check (every
wait bounded by ``timeout_s``), yields the processes and stops them on exit — SIGTERM,
then SIGKILL after ``STOP_TIMEOUT_S``, their children included. Each child's stderr
goes to a temporary file whose tail is put into the error when the process dies or
never becomes ready, so a failed start says why.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx
import psutil

START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 5.0
_POLL_S = 0.05


class ProcessStartError(RuntimeError):
    """A child process exited or did not become ready in time (message: its stderr tail)."""


def http_ok(url: str) -> Callable[[], bool]:
    """A readiness check: ``GET url`` answers 200 (connection errors mean not yet)."""

    def check() -> bool:
        with contextlib.suppress(httpx.HTTPError):
            return httpx.get(url, timeout=1.0).status_code == 200
        return False

    return check


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Terminate ``proc`` and its children; kill whatever is left after ``STOP_TIMEOUT_S``."""
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


@dataclass(frozen=True)
class ChildSpec:
    """One child process to start: command line, readiness check, name, environment.

    Parameters
    ----------
    cmd : sequence of str
        The command line.
    ready : Callable[[], bool]
        Polled every 50 ms until true (e.g. :func:`http_ok`).
    name : str
        For error messages.
    env : Mapping | None
        The child's whole environment (default: this process's).
    cwd : Path | None
        The child's working directory (default: this process's).
    """

    cmd: Sequence[str]
    ready: Callable[[], bool]
    name: str
    env: Mapping[str, str] | None = None
    cwd: Path | None = None


@contextlib.contextmanager
def started_all(
    specs: Sequence[ChildSpec], timeout_s: float = START_TIMEOUT_S
) -> Iterator[list[subprocess.Popen[bytes]]]:
    """Start every child at once (start-up is mostly imports); yield once all are ready.

    Every child is stopped on exit, in reverse order, whatever happened.

    Raises
    ------
    ProcessStartError
        A child exited, or was not ready within ``timeout_s`` (its stderr tail included).
    """
    with contextlib.ExitStack() as stack:
        children: list[tuple[ChildSpec, subprocess.Popen[bytes], IO[bytes]]] = []
        for spec in specs:
            stderr: IO[bytes] = stack.enter_context(tempfile.TemporaryFile())
            proc = subprocess.Popen(
                list(spec.cmd),
                env=dict(spec.env) if spec.env is not None else None,
                cwd=spec.cwd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )
            stack.callback(stop, proc)
            children.append((spec, proc, stderr))
        deadline_s = time.monotonic() + timeout_s
        for spec, proc, stderr in children:
            while not spec.ready():
                if proc.poll() is not None:
                    raise ProcessStartError(
                        f"{spec.name} exited with status {proc.returncode}: {_tail(stderr)}"
                    )
                if time.monotonic() > deadline_s:
                    raise ProcessStartError(
                        f"{spec.name} not ready within {timeout_s:g} s: {_tail(stderr)}"
                    )
                time.sleep(_POLL_S)
        yield [proc for _, proc, _ in children]


@contextlib.contextmanager
def started(
    spec: ChildSpec, timeout_s: float = START_TIMEOUT_S
) -> Iterator[subprocess.Popen[bytes]]:
    """One child (see :func:`started_all`)."""
    with started_all([spec], timeout_s) as (proc,):
        yield proc


def _tail(stderr: IO[bytes], n_bytes: int = 2000) -> str:
    """The last ``n_bytes`` the child wrote to ``stderr`` (a file it shares with us)."""
    size = os.fstat(stderr.fileno()).st_size
    start = max(0, size - n_bytes)
    text = os.pread(stderr.fileno(), n_bytes, start).decode(errors="replace")
    return text.strip() or "(no output)"
