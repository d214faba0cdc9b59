"""What every ``workbench bench`` suite shares: machine facts, result files, summaries.

A suite measures, then calls :func:`write_result`, which writes
``<out_dir>/<suite>.json`` (parameters, raw samples, summary, machine) and, when a
figure is given, ``<out_dir>/<suite>.png``. Numbers from different machines are only
comparable together with :func:`machine_info`, so it is always in the JSON.
"""

from __future__ import annotations

import json
import math
import os
import platform
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import numpy as np
from matplotlib.figure import Figure

from workbench.stats import summarize


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_info() -> dict[str, Any]:
    """Facts about this machine that explain benchmark numbers.

    Returns
    -------
    dict
        ``cpu_count`` (usable CPUs), ``cpu_model``, ``python``, ``numpy``, ``platform``,
        ``machine`` and ``load_average`` (1/5/15-minute, or None where unavailable).
    """
    try:
        usable_cpus: int | None = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        usable_cpus = os.cpu_count()
    try:
        load: list[float] | None = [round(v, 2) for v in os.getloadavg()]
    except (AttributeError, OSError):
        load = None
    return {
        "cpu_count": usable_cpus,
        "cpu_model": _cpu_model(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "platform": platform.platform(),
        "machine": platform.machine(),
        "load_average": load,
    }


@dataclass
class BenchResult:
    """One suite run, as written to ``<suite>.json``.

    Attributes
    ----------
    suite : str
        Suite name (also the file name).
    params : dict
        What was measured and how (sizes, repeats, quick mode …).
    samples : dict or list
        Raw measurements, for re-analysis.
    summary : dict
        The headline numbers.
    machine : dict
        :func:`machine_info` at the time of the run.
    created_utc : str
        ISO-8601 timestamp.
    """

    suite: str
    params: Mapping[str, Any]
    samples: Any
    summary: Mapping[str, Any]
    machine: dict[str, Any] = field(default_factory=machine_info)
    created_utc: str = field(default_factory=lambda: datetime.now(UTC).isoformat())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (numpy scalars and arrays converted, NaN/inf as None)."""
        converted: dict[str, Any] = _jsonable(asdict(self))
        return converted


def _jsonable(value: Any) -> Any:
    """Convert numpy types, tuples and non-finite floats so ``json.dumps`` is strict."""
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def write_result(
    suite: str,
    params: Mapping[str, Any],
    samples: Any,
    summary: Mapping[str, Any],
    figure: Figure | None,
    out_dir: Path,
) -> Path:
    """Write ``<out_dir>/<suite>.json`` (and ``<suite>.png`` if ``figure``).

    Parameters
    ----------
    suite : str
        Suite name; also the file stem.
    params, samples, summary
        See :class:`BenchResult`.
    figure : matplotlib.figure.Figure or None
        Saved as PNG next to the JSON.
    out_dir : Path
        Created if missing.

    Returns
    -------
    Path
        The JSON file.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    result = BenchResult(suite=suite, params=params, samples=samples, summary=summary)
    json_path = out_dir / f"{suite}.json"
    text = json.dumps(result.to_dict(), indent=2, allow_nan=False)
    json_path.write_text(text + "\n", encoding="utf-8")
    if figure is not None:
        figure.savefig(out_dir / f"{suite}.png", dpi=120)
    return json_path


def percentiles(values: Iterable[float]) -> dict[str, float | int | None]:
    """p50, p90, p99, mean, max and count of ``values`` (:func:`workbench.stats.summarize`)."""
    return summarize(values)


def _format_cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float | np.floating):
        magnitude = abs(float(value))
        if not math.isfinite(magnitude):
            return str(value)
        if magnitude >= 1000:
            return f"{value:,.0f}"
        if magnitude >= 10 or magnitude == 0:
            return f"{value:.1f}"
        return f"{value:.3g}"
    return str(value)


def print_table(rows: Sequence[Mapping[str, Any]], file: TextIO | None = None) -> None:
    """Print rows of dicts as an aligned text table (columns in first-seen order).

    Parameters
    ----------
    rows : list of dict
        One dict per row; missing keys print as ``-``.
    file : text stream, optional
        Defaults to ``sys.stdout``.
    """
    out = sys.stdout if file is None else file
    columns: list[str] = []
    for row in rows:
        columns += [key for key in row if key not in columns]
    if not columns:
        return
    cells = [[_format_cell(row.get(column)) for column in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]

    def line(values: Sequence[str]) -> str:
        # Text left, numbers right, as a reader scans them.
        parts = []
        for value, width, column in zip(values, widths, columns, strict=True):
            numeric = any(isinstance(row.get(column), int | float) for row in rows)
            parts.append(value.rjust(width) if numeric else value.ljust(width))
        return "  ".join(parts).rstrip()

    print(line(columns), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for row_cells in cells:
        print(line(row_cells), file=out)
