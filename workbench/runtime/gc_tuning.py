"""Garbage collection for a long-running server: freeze start-up objects, rare full passes.

CPython's cyclic collector stops the world (the event loop included) while it walks
the objects of the generations it collects. A server process holds over a hundred
thousand objects from its imports (FastAPI, pydantic, numpy, the openai SDK …) that live
until exit; every full (generation-2) pass walks all of them again, and all the live
sessions' objects too: at 200 sessions that is ~100 ms or more of frozen loop. Two
levers:

- ``gc.freeze()`` once start-up is over moves every object alive then into a permanent
  generation that no later pass walks (the interpreter's documented use: long-lived
  objects created before the work starts);
- a high generation-2 threshold: full passes (which still walk every live session's
  objects) become rare. Generations 0 and 1 keep Python's thresholds: their passes are
  small and frequent, and many pauses of a few ms stall a realtime stream less than a
  few long ones (a larger generation-0 threshold means fewer but longer passes;
  ``workbench bench gc_pauses`` compares any policy with the defaults).

Reference cycles are still collected (full passes only less often, and objects are
freed by reference counting as before), so memory stays bounded.

:class:`GcPauseRecorder` times every collection through ``gc.callbacks`` (bounded
memory) so a benchmark, or ``/metrics``, can show the pauses.
"""

from __future__ import annotations

import gc
import math
import os
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal

from workbench.errors import ConfigError

PolicyName = Literal["server", "python"]
#: Environment variable that picks the policy (``server`` by default, ``python`` = as is).
POLICY_ENV = "WORKBENCH_GC_POLICY"


@dataclass(frozen=True, slots=True)
class GcPolicy:
    """Collector settings for a server process (see the module docstring for why).

    Parameters
    ----------
    gen0_threshold : int
        Container allocations minus deallocations that trigger a generation-0 pass
        (Python's default: 700).
    gen1_threshold, gen2_threshold : int
        Generation-0 (resp. 1) passes that trigger a pass of the next generation
        (Python's defaults: 10 and 10).
    freeze : bool
        Call ``gc.freeze()`` after a start-up collection.
    """

    gen0_threshold: int = 700
    gen1_threshold: int = 10
    gen2_threshold: int = 100
    freeze: bool = True

    def __post_init__(self) -> None:
        for name in ("gen0_threshold", "gen1_threshold", "gen2_threshold"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ConfigError(f"{name} must be a positive integer, got {value!r}")

    @property
    def thresholds(self) -> tuple[int, int, int]:
        """``(gen0, gen1, gen2)`` as ``gc.set_threshold`` takes them."""
        return (self.gen0_threshold, self.gen1_threshold, self.gen2_threshold)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> GcPolicy | None:
        """The policy ``WORKBENCH_GC_POLICY`` selects: ``server`` (default) or ``python``.

        Returns
        -------
        GcPolicy | None
            None for ``python``: leave the interpreter's defaults alone.

        Raises
        ------
        ConfigError
            For any other value.
        """
        env = os.environ if env is None else env
        name = env.get(POLICY_ENV, "server").strip().lower() or "server"
        if name == "python":
            return None
        if name != "server":
            raise ConfigError(f"{POLICY_ENV} must be 'server' or 'python', got {name!r}")
        return cls()


@dataclass(frozen=True, slots=True)
class GcApplied:
    """What :func:`apply_server_gc_policy` did.

    Attributes
    ----------
    thresholds : tuple[int, int, int]
        The thresholds now in force.
    frozen_objects : int
        Objects in the permanent generation (``gc.get_freeze_count()``).
    startup_collect_ms : float
        Duration of the full collection before freezing (ms).
    """

    thresholds: tuple[int, int, int]
    frozen_objects: int
    startup_collect_ms: float


def apply_server_gc_policy(policy: GcPolicy | None = None) -> GcApplied:
    """Apply ``policy`` to this process; call once start-up is over, before serving.

    A full collection first, so start-up garbage is freed rather than frozen; then
    ``gc.freeze()`` (if asked) and the thresholds. Calling it again later freezes what
    is alive then as well (harmless, but sessions alive at that moment would never be
    walked again: call it at start-up only).

    Parameters
    ----------
    policy : GcPolicy | None
        Default: ``GcPolicy()``.

    Returns
    -------
    GcApplied
    """
    policy = policy if policy is not None else GcPolicy()
    start_s = time.perf_counter()
    gc.collect()
    collect_ms = (time.perf_counter() - start_s) * 1000.0
    if policy.freeze:
        gc.freeze()
    gc.set_threshold(*policy.thresholds)
    return GcApplied(
        thresholds=policy.thresholds,
        frozen_objects=gc.get_freeze_count(),
        startup_collect_ms=collect_ms,
    )


@dataclass(frozen=True, slots=True)
class GcPause:
    """One collection: its generation, how long it held the interpreter (wall ms), the
    CPU time it used (ms; unlike wall time, not inflated by other processes on a busy
    machine), and how many objects it freed."""

    generation: int
    pause_ms: float
    cpu_ms: float
    collected: int


class GcPauseRecorder:
    """Times every garbage collection of this process (keeps the last ``max_pauses``).

    Parameters
    ----------
    max_pauses : int
        Memory bound: older pauses are forgotten (counters keep counting).
    clock_s, cpu_clock_s : Callable[[], float]
        Wall time and this thread's CPU time in seconds (``time.perf_counter``,
        ``time.thread_time``); injectable for tests.

    Use as a context manager or with :meth:`install` / :meth:`uninstall`; :meth:`on_gc`
    is the ``gc.callbacks`` entry (also callable directly with made-up events).
    """

    def __init__(
        self,
        max_pauses: int = 100_000,
        clock_s: Callable[[], float] = time.perf_counter,
        cpu_clock_s: Callable[[], float] = time.thread_time,
    ) -> None:
        if max_pauses < 1:
            raise ConfigError(f"max_pauses must be >= 1, got {max_pauses!r}")
        self.pauses: deque[GcPause] = deque(maxlen=max_pauses)
        self.count_by_generation = [0, 0, 0]
        self.total_pause_ms = 0.0
        self.total_cpu_ms = 0.0
        self._clock_s = clock_s
        self._cpu_clock_s = cpu_clock_s
        self._started_s: float | None = None
        self._started_cpu_s = 0.0

    def on_gc(self, phase: str, info: Mapping[str, Any]) -> None:
        """``gc.callbacks`` hook: ``phase`` is ``"start"`` or ``"stop"``."""
        now_s, cpu_s = self._clock_s(), self._cpu_clock_s()
        if phase == "start":
            self._started_s, self._started_cpu_s = now_s, cpu_s
            return
        if phase != "stop" or self._started_s is None:
            return
        pause_ms = (now_s - self._started_s) * 1000.0
        cpu_ms = (cpu_s - self._started_cpu_s) * 1000.0
        self._started_s = None
        generation = int(info.get("generation", 2))
        collected = int(info.get("collected", 0))
        self.pauses.append(GcPause(generation, pause_ms, cpu_ms, collected))
        self.count_by_generation[min(max(generation, 0), 2)] += 1
        self.total_pause_ms += pause_ms
        self.total_cpu_ms += cpu_ms

    def install(self) -> None:
        """Start timing collections (idempotent)."""
        if self.on_gc not in gc.callbacks:
            gc.callbacks.append(self.on_gc)

    def uninstall(self) -> None:
        """Stop timing collections."""
        while self.on_gc in gc.callbacks:
            gc.callbacks.remove(self.on_gc)

    def reset(self) -> None:
        """Forget every pause so far (e.g. at the start of a measured phase)."""
        self.pauses.clear()
        self.count_by_generation = [0, 0, 0]
        self.total_pause_ms = 0.0
        self.total_cpu_ms = 0.0

    def summary(self) -> dict[str, Any]:
        """Pause statistics per generation and overall (ms; nearest-rank percentiles).

        Returns
        -------
        dict
            ``{"all": {...}, "gen0": {...}, "gen1": {...}, "gen2": {...}, "cpu": {...},
            "total_pause_ms": float, "total_cpu_ms": float}``, each ``{...}`` being
            ``n``, ``p50_ms``, ``p99_ms``, ``max_ms`` (None when empty) of wall-time
            pauses, except ``cpu``: the CPU time of all kept collections.
        """
        out: dict[str, Any] = {"all": pause_stats([p.pause_ms for p in self.pauses])}
        for generation in range(3):
            pauses = [p.pause_ms for p in self.pauses if p.generation == generation]
            out[f"gen{generation}"] = pause_stats(pauses)
        out["cpu"] = pause_stats([p.cpu_ms for p in self.pauses])
        out["total_pause_ms"] = self.total_pause_ms
        out["total_cpu_ms"] = self.total_cpu_ms
        return out

    def __enter__(self) -> GcPauseRecorder:
        self.install()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.uninstall()


def pause_stats(pauses_ms: list[float]) -> dict[str, float | int | None]:
    """``n``, ``p50_ms``, ``p99_ms`` and ``max_ms`` of ``pauses_ms`` (nearest rank)."""
    if not pauses_ms:
        return {"n": 0, "p50_ms": None, "p99_ms": None, "max_ms": None}
    ordered = sorted(pauses_ms)

    def rank(q: float) -> float:
        return ordered[max(0, math.ceil(q * len(ordered)) - 1)]

    return {"n": len(ordered), "p50_ms": rank(0.5), "p99_ms": rank(0.99), "max_ms": ordered[-1]}
