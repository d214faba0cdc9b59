"""``workbench bench all``: every suite, one after another (the docs' figures come from one run).

Each suite writes its own JSON and PNG into the same folder; this adds ``all.json``
(every suite's summary and wall time) and prints each suite's table as it finishes.
A suite that fails is recorded (its error in ``all.json``) and the others still run;
the exit status says whether all succeeded.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from workbench.bench import MEASURING_SUITES
from workbench.bench.common import print_table, write_result

SuiteRun = Callable[[Path, bool], dict[str, Any]]


def suite_runner(name: str) -> SuiteRun:
    """The ``run(out_dir, quick)`` of suite ``name`` (imported on demand)."""
    import importlib

    module = importlib.import_module(f"workbench.bench.{name}")
    runner: SuiteRun = module.run
    return runner


def run(out_dir: Path, quick: bool = False) -> dict[str, Any]:
    """Run every suite of :data:`MEASURING_SUITES`; returns ``{suite: {...}}`` plus ``ok``."""
    results: dict[str, Any] = {}
    timings = []
    for name in MEASURING_SUITES:
        print(f"\n== bench {name}{' (quick)' if quick else ''}", flush=True)
        start_s = time.perf_counter()
        try:
            results[name] = {"summary": suite_runner(name)(out_dir, quick), "error": None}
        except Exception as exc:  # one broken suite must not hide the others' numbers
            traceback.print_exc()
            results[name] = {"summary": None, "error": f"{type(exc).__name__}: {exc}"}
        wall_s = time.perf_counter() - start_s
        results[name]["wall_s"] = wall_s
        timings.append({"suite": name, "wall_s": wall_s, "ok": results[name]["error"] is None})
    print("\n== bench all")
    print_table(timings)
    ok = all(r["error"] is None for r in results.values())
    summary = {"ok": ok, "suites": results}
    write_result(
        "all", {"quick": quick, "suites": list(MEASURING_SUITES)}, timings, summary, None, out_dir
    )
    return summary
