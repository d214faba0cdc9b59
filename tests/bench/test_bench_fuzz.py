"""Smoke test of ``workbench bench fuzz``: both modes run and report in strict JSON."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from workbench.bench import fuzz


def test_fuzz_suite_runs_hypothesis_and_atheris_and_reports(tmp_path: Path) -> None:
    params = fuzz.FuzzParams(hypothesis_s=0.5, atheris_s=2.0, targets=("ws_query",))
    summary = fuzz.run(tmp_path, params=params)

    data = json.loads((tmp_path / "fuzz.json").read_text())
    modes = {row["mode"]: row for row in data["samples"]}
    assert set(modes) == {"hypothesis", "atheris"}
    assert modes["hypothesis"]["inputs"] > 0
    assert summary["new_findings"] == 0  # the query parser keeps its contract
    if importlib.util.find_spec("atheris") is not None:
        assert modes["atheris"]["inputs"] > 0 and modes["atheris"]["coverage"] > 0
    else:
        assert modes["atheris"]["note"] == "atheris is not installed"


def test_known_open_findings_come_from_the_corpus_manifest(tmp_path: Path) -> None:
    assert all(not fuzz.known_signatures(t) for t in ("ws_client_text", "decoder"))  # all fixed
    manifest = tmp_path / "manifest.json"
    entry = {"target": "decoder", "signature": "raised KeyError", "fixed": False}
    manifest.write_text(json.dumps({"a.bin": entry, "b.bin": {**entry, "fixed": True}}))
    assert fuzz.known_signatures("decoder", manifest) == ["raised KeyError"]
    assert fuzz.known_signatures("ws_client_text", manifest) == []
