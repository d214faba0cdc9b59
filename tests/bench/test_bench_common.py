"""Benchmark plumbing: machine facts, result files, percentiles, tables."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure

from workbench.bench.common import (
    BenchResult,
    machine_info,
    percentiles,
    print_table,
    write_result,
)


def test_machine_info_has_what_explains_a_number() -> None:
    info = machine_info()
    assert {"cpu_count", "cpu_model", "python", "numpy", "platform", "load_average"} <= set(info)
    assert info["cpu_count"] >= 1
    assert info["numpy"] == np.__version__
    json.dumps(info)


def test_write_result_writes_strict_json_and_a_png(tmp_path: Path) -> None:
    figure = Figure()
    figure.subplots().plot([1, 2, 3])
    summary = {"rtf": np.float64(2500.5), "nan": math.nan, "tuple": (1, 2)}
    samples = {"times_s": np.array([0.1, 0.2])}

    path = write_result("demo", {"quick": True}, samples, summary, figure, tmp_path / "out")

    assert path == tmp_path / "out" / "demo.json"
    data = json.loads(path.read_text())  # strict: no NaN tokens, numpy converted
    assert data["suite"] == "demo" and data["params"] == {"quick": True}
    assert data["summary"] == {"rtf": 2500.5, "nan": None, "tuple": [1, 2]}
    assert data["samples"]["times_s"] == [0.1, 0.2]
    assert data["machine"]["python"] and data["created_utc"]
    assert (tmp_path / "out" / "demo.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_write_result_without_a_figure_writes_only_json(tmp_path: Path) -> None:
    write_result("plain", {}, [], {}, None, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain.json"]


def test_bench_result_to_dict_is_json_ready() -> None:
    result = BenchResult("s", {"a": 1}, [np.int64(3)], {"inf": math.inf})
    assert result.to_dict()["samples"] == [3]
    assert result.to_dict()["summary"] == {"inf": None}


def test_percentiles() -> None:
    stats = percentiles(range(1, 101))
    assert stats["n"] == 100 and stats["mean"] == 50.5
    assert stats["p50"] == pytest.approx(50.5)
    assert stats["p90"] == pytest.approx(90.1)
    assert stats["p99"] == pytest.approx(99.01)
    assert stats["max"] == 100
    empty = {"n": 0, "p50": None, "p90": None, "p99": None, "mean": None, "max": None}
    assert percentiles([]) == empty


def test_print_table_aligns_columns_and_marks_missing_values() -> None:
    out = io.StringIO()
    print_table([{"method": "soxr-hq", "rtf": 2345.6}, {"method": "linear", "snr_db": 12.0}], out)
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["method", "rtf", "snr_db"]
    assert lines[2].split() == ["soxr-hq", "2,346", "-"]
    assert lines[3].split() == ["linear", "-", "12.0"]
    assert len({len(line) for line in lines[1:2]}) == 1
