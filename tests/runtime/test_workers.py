"""The worker board: what ``/healthz`` of a ``--workers N`` server says about each worker."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from workbench.runtime.workers import (
    STALE_AFTER_S,
    SupervisorState,
    WorkerBeat,
    WorkerBoard,
    WorkerSlot,
)

NOW_S = 1_000_000.0


def _own(sessions: int, by_kind: dict[str, int] | None = None) -> dict[str, Any]:
    return {
        "status": "ok",
        "active_sessions": sessions,
        "active_sessions_by_kind": by_kind or ({"websocket": sessions} if sessions else {}),
        "max_sessions": 64,
    }


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait(timeout=10)
    return proc.pid


def _board(tmp_path: Path, pids: list[int | None]) -> WorkerBoard:
    board = WorkerBoard(tmp_path)
    slots = tuple(WorkerSlot(index=i, pid=pid) for i, pid in enumerate(pids))
    board.write_state(SupervisorState(pid=os.getpid(), slots=slots))
    return board


def test_live_workers_are_summed_and_listed(tmp_path: Path) -> None:
    me = os.getpid()
    board = _board(tmp_path, [me, os.getppid()])
    board.write_beat(
        WorkerBeat(1, os.getppid(), NOW_S - 1.0, _own(5, {"upload": 2, "websocket": 3}))
    )
    health = board.cluster_health(_own(4), index=0, now_s=NOW_S)
    assert health["status"] == "ok"
    assert health["active_sessions"] == 9
    assert health["active_sessions_by_kind"] == {"websocket": 7, "upload": 2}
    assert health["max_sessions"] == 64 and health["max_sessions_total"] == 128
    workers = health["workers"]
    assert (workers["expected"], workers["live"], workers["this_worker"]) == (2, 2, 0)
    assert [w["active_sessions"] for w in workers["list"]] == [4, 5]


def test_a_stale_heartbeat_a_dead_pid_or_a_replaced_pid_is_not_live(tmp_path: Path) -> None:
    me, parent, dead = os.getpid(), os.getppid(), _dead_pid()
    board = _board(tmp_path, [me, parent, dead, parent, None])
    board.write_beat(WorkerBeat(1, parent, NOW_S - STALE_AFTER_S - 1, _own(3)))  # hung
    board.write_beat(WorkerBeat(2, dead, NOW_S - 0.5, _own(3)))  # died just now
    board.write_beat(WorkerBeat(3, dead, NOW_S - 0.5, _own(3)))  # an older pid's beat
    health = board.cluster_health(_own(1), index=0, now_s=NOW_S)
    assert health["status"] == "degraded"
    assert health["active_sessions"] == 1  # only this worker's count is trusted
    listed = health["workers"]["list"]
    assert [w["live"] for w in listed] == [True, False, False, False, False]
    assert listed[1]["heartbeat_age_s"] > STALE_AFTER_S
    assert listed[4]["pid"] is None and listed[4]["heartbeat_age_s"] is None


def test_restarts_and_the_last_exit_status_are_shown(tmp_path: Path) -> None:
    board = WorkerBoard(tmp_path)
    slots = (WorkerSlot(0, os.getpid()), WorkerSlot(1, os.getppid(), restarts=2, last_exit=-9))
    board.write_state(SupervisorState(pid=os.getpid(), slots=slots))
    board.write_beat(WorkerBeat(1, os.getppid(), NOW_S, _own(0)))
    listed = board.cluster_health(_own(0), index=0, now_s=NOW_S)["workers"]["list"]
    assert (listed[1]["restarts"], listed[1]["last_exit"]) == (2, -9)


def test_garbage_files_count_as_missing(tmp_path: Path) -> None:
    board = _board(tmp_path, [os.getpid(), os.getppid()])
    board.beat_path(1).write_text("{not json", encoding="utf-8")
    health = board.cluster_health(_own(2), index=0, now_s=NOW_S)
    assert health["workers"]["live"] == 1 and health["active_sessions"] == 2
    (tmp_path / "supervisor.json").write_text('{"slots": 3}', encoding="utf-8")
    alone = board.cluster_health(_own(2), index=0, now_s=NOW_S)
    assert alone["workers"]["expected"] == 1 and alone["status"] == "ok"


def test_files_are_replaced_whole(tmp_path: Path) -> None:
    board = WorkerBoard(tmp_path)
    for n in range(50):
        board.write_beat(WorkerBeat(0, 1, float(n), _own(n)))
    beat = board.read_beat(0)
    assert beat is not None and beat.health["active_sessions"] == 49
    assert sorted(p.name for p in tmp_path.iterdir()) == ["worker-0.json"]
