"""What every worker process of one server knows about the others: a board of small files.

With ``--workers N`` a request to ``/healthz`` reaches one worker, which must answer for
all of them. The run directory the supervisor creates holds:

- ``supervisor.json`` (written by the supervisor when something changes): the expected
  number of workers and, per slot, the pid now serving it, its restarts and the exit
  status of the last one that died;
- ``worker-<index>.json`` (written by each worker every second): its pid, the time, and
  its own health (live sessions by shell, limits).

:meth:`WorkerBoard.cluster_health` merges them: a slot is *live* when its worker's
heartbeat is fresh (younger than :data:`STALE_AFTER_S`), comes from the pid the
supervisor started, and that process exists. Live sessions are summed over live
workers; a dead, hung or restarting worker makes the status ``degraded`` and is listed.
Files are replaced atomically (write, then rename), so a reader never sees half a file.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

#: A heartbeat older than this (s) means the worker is hung or gone.
STALE_AFTER_S = 5.0
#: How often a worker writes its heartbeat (s).
BEAT_INTERVAL_S = 1.0
SUPERVISOR_FILE = "supervisor.json"


@dataclass(frozen=True)
class WorkerSlot:
    """One of the N worker slots as the supervisor sees it.

    Attributes
    ----------
    index : int
        Slot number, 0 … N-1.
    pid : int | None
        The process serving the slot now (None while it is being replaced).
    restarts : int
        How many times the slot's worker died and was replaced.
    last_exit : int | None
        Exit status of the last worker that died in this slot (negative: a signal).
    """

    index: int
    pid: int | None
    restarts: int = 0
    last_exit: int | None = None


@dataclass(frozen=True)
class SupervisorState:
    """The supervisor's view: its pid and every slot."""

    pid: int
    slots: tuple[WorkerSlot, ...] = field(default_factory=tuple)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SupervisorState:
        """Parse what :meth:`WorkerBoard.write_state` wrote."""
        slots = tuple(WorkerSlot(**slot) for slot in data.get("slots", ()))
        return cls(pid=int(data["pid"]), slots=slots)


@dataclass(frozen=True)
class WorkerBeat:
    """One worker's heartbeat: who, when (wall-clock s), and its own health."""

    index: int
    pid: int
    at_s: float
    health: Mapping[str, Any]


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` exists (signal 0; a process we may not signal exists)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True)
class WorkerContext:
    """What a worker process knows of its server: the board and its own slot."""

    board: WorkerBoard
    index: int


class WorkerBoard:
    """Read and write the run directory's state and heartbeat files.

    Parameters
    ----------
    run_dir : Path
        The directory the supervisor created for this run.
    """

    def __init__(self, run_dir: Path) -> None:
        self.run_dir = Path(run_dir)

    def beat_path(self, index: int) -> Path:
        """``worker-<index>.json``."""
        return self.run_dir / f"worker-{index}.json"

    def write_state(self, state: SupervisorState) -> None:
        """Replace ``supervisor.json``."""
        self._write(self.run_dir / SUPERVISOR_FILE, asdict(state))

    def read_state(self) -> SupervisorState | None:
        """``supervisor.json``, or None if missing or unreadable."""
        data = self._read(self.run_dir / SUPERVISOR_FILE)
        try:
            return SupervisorState.from_dict(data) if data is not None else None
        except (KeyError, TypeError, ValueError):
            return None

    def write_beat(self, beat: WorkerBeat) -> None:
        """Replace this worker's heartbeat file."""
        self._write(self.beat_path(beat.index), asdict(beat))

    def read_beat(self, index: int) -> WorkerBeat | None:
        """Worker ``index``'s last heartbeat, or None."""
        data = self._read(self.beat_path(index))
        if data is None:
            return None
        try:
            return WorkerBeat(
                index=int(data["index"]),
                pid=int(data["pid"]),
                at_s=float(data["at_s"]),
                health=dict(data["health"]),
            )
        except (KeyError, TypeError, ValueError):
            return None

    def cluster_health(
        self, own: Mapping[str, Any], index: int, now_s: float | None = None
    ) -> dict[str, Any]:
        """``own`` (this worker's health) extended to every worker of the server.

        Parameters
        ----------
        own : Mapping
            This worker's ``SessionService.local_health()``.
        index : int
            This worker's slot.
        now_s : float | None
            Wall-clock time (default ``time.time()``).

        Returns
        -------
        dict
            ``own`` with ``status`` (``ok`` or ``degraded``), ``active_sessions`` and
            ``active_sessions_by_kind`` summed over live workers, ``max_sessions`` (per
            worker), ``max_sessions_total`` (per worker × expected workers) and
            ``workers``: ``expected``, ``live``, ``this_worker`` and one entry per slot.
        """
        now_s = time.time() if now_s is None else now_s
        state = self.read_state()
        slots = state.slots if state is not None else (WorkerSlot(index, os.getpid()),)
        listed: list[dict[str, Any]] = []
        total = 0
        by_kind: dict[str, int] = {}
        for slot in slots:
            health: Mapping[str, Any] | None
            age_s: float | None
            if slot.index == index:
                health, age_s, live = own, 0.0, True
            else:
                beat = self.read_beat(slot.index)
                age_s = now_s - beat.at_s if beat is not None else None
                live = (
                    beat is not None
                    and slot.pid is not None
                    and beat.pid == slot.pid
                    and age_s is not None
                    and age_s < STALE_AFTER_S
                    and pid_alive(slot.pid)
                )
                health = beat.health if beat is not None and live else None
            sessions = int(health.get("active_sessions", 0)) if health is not None else 0
            if live and health is not None:
                total += sessions
                for kind, n in dict(health.get("active_sessions_by_kind", {})).items():
                    by_kind[kind] = by_kind.get(kind, 0) + int(n)
            listed.append(
                {
                    "index": slot.index,
                    "pid": slot.pid,
                    "live": live,
                    "active_sessions": sessions if live else None,
                    "heartbeat_age_s": None if age_s is None else round(age_s, 3),
                    "restarts": slot.restarts,
                    "last_exit": slot.last_exit,
                }
            )
        live_count = sum(1 for w in listed if w["live"])
        per_worker = int(own.get("max_sessions", 0))
        return {
            **own,
            "status": "ok" if live_count == len(listed) else "degraded",
            "active_sessions": total,
            "active_sessions_by_kind": by_kind,
            "max_sessions": per_worker,
            "max_sessions_total": per_worker * len(listed),
            "workers": {
                "expected": len(listed),
                "live": live_count,
                "this_worker": index,
                "list": listed,
            },
        }

    def _write(self, path: Path, data: Mapping[str, Any]) -> None:
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, path)

    def _read(self, path: Path) -> dict[str, Any] | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None
