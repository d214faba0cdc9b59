"""``workbench bench fuzz``: long fuzz runs of every target, hypothesis and atheris.

The targets and their contracts are in :mod:`workbench.bench.fuzz_targets` (the same
ones ``tests/fuzz`` runs briefly). Per target this runs:

- **hypothesis** for ``hypothesis_s`` seconds: mutated seeds (see
  :mod:`workbench.bench.fuzz_strategies`), each finding shrunk to a small input;
- **atheris** (coverage-guided libFuzzer, if it is installed) for ``atheris_s``
  seconds in a child process, starting from the seeds; it stops at its first new
  finding and writes it as a crash file.

Findings already in the committed corpus (``tests/fuzz_corpus/manifest.json``, open
ones) are recognised by their signature and skipped, so a run reports only what is
new. New inputs are written to ``<out>/fuzz_findings/<target>/``; the summary (inputs
tried, findings, coverage) goes to ``fuzz.json``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from workbench.bench.common import print_table, write_result
from workbench.bench.fuzz_targets import TARGETS, Finding

SUITE = "fuzz"
MANIFEST = Path(__file__).resolve().parents[2] / "tests" / "fuzz_corpus" / "manifest.json"
_COVERAGE = re.compile(rb"cov: (\d+) ft: (\d+)")
_RUNS = re.compile(rb"Done (\d+) runs in (\d+) second")


@dataclass(frozen=True)
class FuzzParams:
    """Time per target and mode (s); ``targets`` to run."""

    hypothesis_s: float = 120.0
    atheris_s: float = 120.0
    targets: tuple[str, ...] = tuple(TARGETS)
    quick: bool = False

    @classmethod
    def for_mode(cls, quick: bool) -> FuzzParams:
        """Full: two minutes per target and mode; quick: a few seconds each."""
        return cls(hypothesis_s=4.0, atheris_s=4.0, quick=True) if quick else cls()


@dataclass
class TargetResult:
    """One target's run: inputs tried and what broke, per mode."""

    target: str
    mode: str
    seconds: float
    inputs: int
    findings: list[dict[str, str]] = field(default_factory=list)
    coverage: int | None = None
    note: str = ""


def known_signatures(target: str, manifest: Path = MANIFEST) -> list[str]:
    """Signatures of the target's open findings in the corpus manifest (if present)."""
    if not manifest.exists():
        return []
    entries = json.loads(manifest.read_text(encoding="utf-8")).values()
    return [e["signature"] for e in entries if e["target"] == target and not e["fixed"]]


def _save(out_dir: Path, target: str, data: bytes) -> str:
    folder = out_dir / "fuzz_findings" / target
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{hashlib.sha256(data).hexdigest()[:12]}.bin"
    path.write_bytes(data)
    return str(path)


def run_hypothesis(name: str, seconds: float, out_dir: Path) -> TargetResult:
    """Fuzz ``name`` with hypothesis for about ``seconds``; shrink and save findings.

    Runs batches of 200 examples until the time is up. A finding ends its batch once
    hypothesis has shrunk it; later batches skip it (and the corpus' open ones).
    """
    from hypothesis import HealthCheck, given, settings

    from workbench.bench.fuzz_strategies import strategy_for

    check = TARGETS[name].check
    skip = known_signatures(name)
    smallest: dict[str, bytes] = {}  # signature -> the last (shrunk) failing input
    result = TargetResult(name, "hypothesis", 0.0, 0)

    @settings(
        max_examples=200,
        deadline=None,
        database=None,
        report_multiple_bugs=False,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy_for(name))
    def batch(data: bytes) -> None:
        result.inputs += 1
        try:
            check(data)
        except Finding as finding:
            signature = finding.detail[:60]
            if any(s in finding.detail for s in skip):
                return
            smallest[signature] = data
            raise

    start_s = time.perf_counter()
    while time.perf_counter() - start_s < seconds:
        try:
            batch()
        except Finding as finding:
            signature = finding.detail[:60]
            skip.append(signature)
            path = _save(out_dir, name, smallest[signature])
            result.findings.append({"detail": finding.detail, "input": path})
        except Exception as exc:  # hypothesis' own verdicts (flaky, unsatisfiable …)
            result.note = f"{type(exc).__name__}: {str(exc)[:120]}"
            break
    result.seconds = time.perf_counter() - start_s
    return result


def run_atheris(name: str, seconds: float, out_dir: Path) -> TargetResult:
    """Fuzz ``name`` with atheris in a child process for ``seconds``."""
    if importlib.util.find_spec("atheris") is None:
        return TargetResult(name, "atheris", 0.0, 0, note="atheris is not installed")
    artifacts = out_dir / "fuzz_findings" / name
    artifacts.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, WORKBENCH_FUZZ_KNOWN="|".join(known_signatures(name)))
    start_s = time.perf_counter()
    with tempfile.TemporaryDirectory() as corpus:
        for i, seed in enumerate(TARGETS[name].seeds()):
            Path(corpus, f"seed{i}").write_bytes(seed)
        cmd = [sys.executable, "-m", "workbench.bench.fuzz_atheris", name]
        cmd += [f"-max_total_time={int(seconds)}", f"-artifact_prefix={artifacts}/"]
        cmd += ["-timeout=30", "-rss_limit_mb=3072", "-max_len=262144", corpus]
        proc = subprocess.run(cmd, env=env, capture_output=True, timeout=seconds + 120, check=False)
    output = proc.stderr
    coverage = [int(m.group(1)) for m in _COVERAGE.finditer(output)]
    runs = _RUNS.search(output)
    result = TargetResult(
        name,
        "atheris",
        time.perf_counter() - start_s,
        int(runs.group(1)) if runs else 0,
        coverage=coverage[-1] if coverage else None,
    )
    if proc.returncode != 0:
        crash = re.search(rb"Test unit written to (\S+)", output)
        detail = re.search(rb"Finding: (.*)", output)
        result.findings.append(
            {
                "detail": detail.group(1).decode(errors="replace") if detail else "crash",
                "input": crash.group(1).decode() if crash else "",
            }
        )
    return result


def run(out_dir: Path, quick: bool = False, params: FuzzParams | None = None) -> dict[str, Any]:
    """Fuzz every target in both modes; write ``fuzz.json``; return the summary."""
    p = params if params is not None else FuzzParams.for_mode(quick)
    # python-multipart logs a warning for every malformed body: thousands of lines here.
    logging.getLogger("python_multipart").setLevel(logging.ERROR)
    results: list[TargetResult] = []
    for name in p.targets:
        for mode in ("hypothesis", "atheris"):
            seconds = p.hypothesis_s if mode == "hypothesis" else p.atheris_s
            runner = run_hypothesis if mode == "hypothesis" else run_atheris
            result = runner(name, seconds, Path(out_dir))
            results.append(result)
            print_table([_row(result)])
    print(f"\n== bench fuzz ({'quick' if p.quick else 'full'})")
    print_table([_row(r) for r in results])
    summary = {
        "new_findings": sum(len(r.findings) for r in results),
        "inputs": {f"{r.target}/{r.mode}": r.inputs for r in results},
        "atheris": importlib.util.find_spec("atheris") is not None,
    }
    write_result(SUITE, asdict(p), [asdict(r) for r in results], summary, None, Path(out_dir))
    return summary


def _row(result: TargetResult) -> dict[str, Any]:
    return {
        "target": result.target,
        "mode": result.mode,
        "seconds": result.seconds,
        "inputs": result.inputs,
        "coverage": result.coverage,
        "new_findings": len(result.findings),
        "note": result.note or "; ".join(f["detail"][:60] for f in result.findings),
    }


__all__ = ["Finding", "FuzzParams", "TargetResult", "run", "run_atheris", "run_hypothesis"]
