"""The server GC policy (applied in a fresh interpreter: it changes process-wide state)
and the pause recorder (on made-up events and on a real collection)."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.errors import ConfigError
from workbench.runtime.gc_tuning import GcPauseRecorder, GcPolicy

REPO_ROOT = Path(__file__).resolve().parents[2]
_APPLY_AND_CHECK = """
import gc, json, weakref
import workbench.runtime.gc_tuning as t
before = gc.get_threshold()
applied = t.apply_server_gc_policy()
class Node: pass
def cycle():  # garbage only the cyclic collector can free
    a, b = Node(), Node(); a.b, b.a = b, a
    return weakref.ref(a)
refs = [cycle() for _ in range(1000)]
gc.collect()
print(json.dumps({"before": before, "now": gc.get_threshold(),
                  "frozen": applied.frozen_objects, "freeze_count": gc.get_freeze_count(),
                  "cycles_left": sum(r() is not None for r in refs)}))
"""


def test_policy_freezes_startup_objects_and_still_frees_new_cycles() -> None:
    out = subprocess.run(
        [sys.executable, "-c", _APPLY_AND_CHECK],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=REPO_ROOT,  # imports this checkout's workbench
    )
    result = json.loads(out.stdout)
    assert tuple(result["now"]) == GcPolicy().thresholds != tuple(result["before"])
    assert result["frozen"] > 1000 and result["freeze_count"] > 1000  # the imports' objects
    assert result["cycles_left"] == 0  # reference cycles made after start-up are collected


def test_policy_from_env() -> None:
    assert GcPolicy.from_env({}) == GcPolicy()
    assert GcPolicy.from_env({"WORKBENCH_GC_POLICY": "server"}) == GcPolicy()
    assert GcPolicy.from_env({"WORKBENCH_GC_POLICY": " Python "}) is None
    with pytest.raises(ConfigError, match="WORKBENCH_GC_POLICY"):
        GcPolicy.from_env({"WORKBENCH_GC_POLICY": "off"})


@pytest.mark.parametrize("bad", [0, -1, True, 2.5])
def test_bad_thresholds_are_refused(bad: object) -> None:
    with pytest.raises(ConfigError, match="gen0_threshold"):
        GcPolicy(gen0_threshold=bad)  # type: ignore[arg-type]


def test_recorder_times_each_collection_by_generation() -> None:
    now_s = [10.0]
    cpu_s = [1.0]
    recorder = GcPauseRecorder(max_pauses=3, clock_s=lambda: now_s[0], cpu_clock_s=lambda: cpu_s[0])
    for generation, pause_s in ((0, 0.5e-3), (1, 2e-3), (2, 0.1), (0, 1e-3)):
        recorder.on_gc("start", {"generation": generation})
        now_s[0] += pause_s
        cpu_s[0] += pause_s / 2  # the rest of the pause, another process had the CPU
        recorder.on_gc("stop", {"generation": generation, "collected": 7})
    recorder.on_gc("stop", {"generation": 2})  # a stop without a start is ignored
    summary = recorder.summary()
    assert len(recorder.pauses) == 3  # bounded: the oldest pause was forgotten
    assert recorder.count_by_generation == [2, 1, 1]  # … but still counted
    assert summary["gen2"]["max_ms"] == pytest.approx(100.0)
    assert summary["all"]["n"] == 3
    assert summary["total_pause_ms"] == pytest.approx(103.5)
    assert summary["total_cpu_ms"] == pytest.approx(103.5 / 2)
    assert summary["cpu"]["max_ms"] == pytest.approx(50.0)
    recorder.reset()
    assert recorder.summary()["all"] == {"n": 0, "p50_ms": None, "p99_ms": None, "max_ms": None}


def test_recorder_sees_a_real_full_collection() -> None:
    class Node:
        other: object = None

    with GcPauseRecorder() as recorder:
        a, b = Node(), Node()
        a.other, b.other = b, a
        del a, b
        gc.collect()
    assert recorder.on_gc not in gc.callbacks
    full = [p for p in recorder.pauses if p.generation == 2]
    assert full and full[-1].collected >= 2 and full[-1].pause_ms >= 0.0
