"""Run N worker processes of one server, replace one that dies, stop them all together.

``workbench api --workers N`` (and ``serve``) become this supervisor: it creates a run
directory (heartbeats, ``supervisor.json``, and the Prometheus multiprocess directory
whose path it puts into the workers' environment), starts N workers with the
``spawn`` method (fresh interpreters: nothing of the supervisor's state is shared), and
waits until each has sent its first heartbeat. Then it watches them:

- a worker that exits is replaced (after 0.5 s; up to 30 s of back-off while
  replacements keep dying young); its "live" gauges are dropped, its counters kept;
- a worker whose heartbeat is older than ``hung_after_s`` is killed and replaced;
- SIGTERM, SIGINT or SIGHUP stops the server: every worker gets SIGTERM (uvicorn then
  closes its sessions gracefully), and whatever still runs after ``stop_timeout_s``
  is killed. The run directory is removed.

Workers put themselves into their own process group (:func:`detach_from_terminal`), so
a terminal's Ctrl-C reaches only the supervisor, which then stops each worker exactly
once; and each worker exits by itself if the supervisor disappears
(:func:`parent_watch`). uvicorn's own ``--workers`` does most of this too, but with one
shared accept socket (see :mod:`workbench.runtime.sockets` for why each worker gets its
own) and no hook to tell the metrics a worker died.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import FrameType
from typing import Any

from workbench.errors import ConfigError
from workbench.runtime.multiproc import MULTIPROC_DIR_ENV, mark_dead
from workbench.runtime.workers import STALE_AFTER_S, SupervisorState, WorkerBoard, WorkerSlot

_POLL_S = 0.2
_FIRST_BACKOFF_S = 0.5
_MAX_BACKOFF_S = 30.0
#: A worker that lived at least this long (s) restarts without back-off.
_HEALTHY_LIFE_S = 10.0
_STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


@dataclass(frozen=True)
class RunDir:
    """One run's directory: heartbeats and state in ``path``, metrics in ``metrics``."""

    path: Path

    @property
    def metrics(self) -> Path:
        """The Prometheus multiprocess directory."""
        return self.path / "metrics"

    @classmethod
    def create(cls, parent: Path | None = None) -> RunDir:
        """A new, empty run directory (under ``parent`` or the system's temp dir)."""
        path = Path(tempfile.mkdtemp(prefix="workbench-run-", dir=parent))
        (path / "metrics").mkdir()
        return cls(path)


@dataclass
class _Slot:
    index: int
    process: BaseProcess | None = None
    started_s: float = 0.0
    restarts: int = 0
    last_exit: int | None = None
    backoff_s: float = _FIRST_BACKOFF_S
    restart_at_s: float | None = None


class Supervisor:
    """Start, watch and stop ``workers`` processes running ``target(index, run_dir, *args)``.

    Parameters
    ----------
    target : Callable
        A module-level function (it is pickled by name into each worker).
    args : tuple
        Its further arguments (picklable).
    workers : int
        How many processes (≥ 1).
    ready_timeout_s : float
        Bound on every worker's start-up (first heartbeat), s.
    stop_timeout_s : float
        Grace between SIGTERM and SIGKILL on stop, s.
    hung_after_s : float
        A worker whose heartbeat is older than this is killed and replaced, s.
    log : Callable[[str], None]
        Where progress lines go (default: stderr).
    """

    def __init__(
        self,
        target: Callable[..., Any],
        args: tuple[Any, ...],
        *,
        workers: int,
        ready_timeout_s: float = 60.0,
        stop_timeout_s: float = 15.0,
        hung_after_s: float = 30.0,
        log: Callable[[str], None] | None = None,
    ) -> None:
        if workers < 1:
            raise ConfigError(f"workers must be >= 1, got {workers}")
        if hung_after_s <= STALE_AFTER_S:
            raise ConfigError(f"hung_after_s must exceed {STALE_AFTER_S:g} s")
        self.target = target
        self.args = args
        self.workers = workers
        self.ready_timeout_s = ready_timeout_s
        self.stop_timeout_s = stop_timeout_s
        self.hung_after_s = hung_after_s
        self.log = log if log is not None else _stderr
        self.run_dir: RunDir | None = None
        self.board: WorkerBoard | None = None
        self._slots = [_Slot(i) for i in range(workers)]
        self._stopping = False
        self._context = multiprocessing.get_context("spawn")

    # --- public ----------------------------------------------------------------------

    def run(self, on_ready: Callable[[], None] | None = None) -> int:
        """Serve until a stop signal; returns the exit status (1: start-up failed)."""
        previous = {sig: signal.signal(sig, self._on_signal) for sig in _STOP_SIGNALS}
        self.run_dir = RunDir.create()
        self.board = WorkerBoard(self.run_dir.path)
        # Read by prometheus-client when a worker imports it (spawn copies the env).
        os.environ[MULTIPROC_DIR_ENV] = str(self.run_dir.metrics)
        try:
            for slot in self._slots:
                self._start(slot)
            if not self._wait_all_ready():
                return 1
            if on_ready is not None:
                on_ready()
            while not self._stopping:
                time.sleep(_POLL_S)
                self._watch()
            return 0
        finally:
            self._stop_all()
            os.environ.pop(MULTIPROC_DIR_ENV, None)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            shutil.rmtree(self.run_dir.path, ignore_errors=True)

    def stop(self) -> None:
        """Ask :meth:`run` to stop every worker and return (from any thread)."""
        self._stopping = True

    def pids(self) -> list[int | None]:
        """The pid serving each slot now."""
        return [s.process.pid if s.process is not None else None for s in self._slots]

    # --- internals -------------------------------------------------------------------

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self._stopping = True

    def _start(self, slot: _Slot) -> None:
        assert self.run_dir is not None
        process = self._context.Process(
            target=self.target,
            args=(slot.index, str(self.run_dir.path), *self.args),
            name=f"workbench-worker-{slot.index}",
        )
        process.start()
        slot.process, slot.started_s, slot.restart_at_s = process, time.monotonic(), None
        self._write_state()

    def _write_state(self) -> None:
        assert self.board is not None
        slots = tuple(
            WorkerSlot(
                index=s.index,
                pid=s.process.pid if s.process is not None else None,
                restarts=s.restarts,
                last_exit=s.last_exit,
            )
            for s in self._slots
        )
        self.board.write_state(SupervisorState(pid=os.getpid(), slots=slots))

    def _ready(self, slot: _Slot) -> bool:
        assert self.board is not None and slot.process is not None
        beat = self.board.read_beat(slot.index)
        return beat is not None and beat.pid == slot.process.pid

    def _wait_all_ready(self) -> bool:
        deadline_s = time.monotonic() + self.ready_timeout_s
        waiting = list(self._slots)
        while waiting:
            if self._stopping:
                return False
            for slot in list(waiting):
                assert slot.process is not None
                if self._ready(slot):
                    waiting.remove(slot)
                elif slot.process.exitcode is not None:
                    self.log(
                        f"worker {slot.index} exited with status {slot.process.exitcode} "
                        "while starting; stopping"
                    )
                    return False
            if time.monotonic() > deadline_s:
                self.log(f"workers not ready within {self.ready_timeout_s:g} s; stopping")
                return False
            time.sleep(0.05)
        return True

    def _watch(self) -> None:
        """Replace dead and hung workers (each after its back-off)."""
        assert self.board is not None and self.run_dir is not None
        now_s = time.monotonic()
        for slot in self._slots:
            process = slot.process
            if process is None:
                if slot.restart_at_s is not None and now_s >= slot.restart_at_s:
                    self._start(slot)
                continue
            if process.exitcode is None and self._hung(slot):
                self.log(f"worker {slot.index} (pid {process.pid}) stopped answering; killing it")
                process.kill()
                process.join(timeout=self.stop_timeout_s)
            if process.exitcode is None:
                continue
            lived_s = now_s - slot.started_s
            assert process.pid is not None
            mark_dead(process.pid, self.run_dir.metrics)
            slot.last_exit, slot.restarts = process.exitcode, slot.restarts + 1
            slot.backoff_s = (
                _FIRST_BACKOFF_S
                if lived_s >= _HEALTHY_LIFE_S
                else min(_MAX_BACKOFF_S, slot.backoff_s * 2)
            )
            slot.process, slot.restart_at_s = None, now_s + slot.backoff_s
            self.log(
                f"worker {slot.index} (pid {process.pid}) exited with status "
                f"{process.exitcode}; replacing it in {slot.backoff_s:g} s"
            )
            self._write_state()

    def _hung(self, slot: _Slot) -> bool:
        assert self.board is not None and slot.process is not None
        if time.monotonic() - slot.started_s < self.ready_timeout_s:
            return False  # still starting: the ready timeout covers it
        beat = self.board.read_beat(slot.index)
        if beat is None or beat.pid != slot.process.pid:
            return False  # not started serving yet
        return time.time() - beat.at_s > self.hung_after_s

    def _stop_all(self) -> None:
        running = [s.process for s in self._slots if s.process is not None]
        for process in running:
            if process.exitcode is None and process.pid is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(process.pid, signal.SIGTERM)
        deadline_s = time.monotonic() + self.stop_timeout_s
        for process in running:
            process.join(timeout=max(0.0, deadline_s - time.monotonic()))
            if process.exitcode is None:
                process.kill()
                process.join(timeout=5.0)
        self._slots = [replace(s, process=None) for s in self._slots]


def detach_from_terminal() -> None:
    """Put this worker into its own process group: a terminal's Ctrl-C reaches only the
    supervisor, which stops every worker once (uvicorn treats a second signal as
    "force exit" and would skip closing the sessions)."""
    with contextlib.suppress(OSError):
        os.setpgrp()


async def parent_watch(parent_pid: int, on_orphaned: Callable[[], None]) -> None:
    """Call ``on_orphaned`` once the process ``parent_pid`` is gone (checked every second).

    A worker whose supervisor was killed (SIGKILL: no chance to stop its workers) must
    not keep the port and its sessions forever.
    """
    while os.getppid() == parent_pid:  # noqa: ASYNC110 (the kernel offers no event for it)
        await asyncio.sleep(1.0)
    on_orphaned()


def _stderr(line: str) -> None:
    print(f"workbench: {line}", file=sys.stderr, flush=True)
