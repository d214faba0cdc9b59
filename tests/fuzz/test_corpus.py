"""Replay every input that once broke a contract (``tests/fuzz_corpus``).

Each entry of the corpus manifest names its target, what it found and whether it is
fixed. Fixed findings must stay fixed; open ones (in code another change owns) are
strict expected failures, so this test turns red the day they are fixed, as a
reminder to mark them fixed in the manifest.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from workbench.bench.fuzz_targets import TARGETS

CORPUS = Path(__file__).resolve().parents[1] / "fuzz_corpus"
MANIFEST: dict[str, dict[str, Any]] = json.loads((CORPUS / "manifest.json").read_text())


def _cases() -> list[Any]:
    cases = []
    for path, entry in sorted(MANIFEST.items()):
        marks = []
        if not entry["fixed"]:
            marks.append(pytest.mark.xfail(strict=True, reason=f"open: {entry['owner']}"))
        cases.append(pytest.param(path, entry, id=path, marks=marks))
    return cases


@pytest.mark.parametrize(("path", "entry"), _cases())
def test_corpus_input_keeps_the_contract(path: str, entry: dict[str, Any]) -> None:
    target = TARGETS[path.split("/", 1)[0]]
    target.check((CORPUS / path).read_bytes())


def test_every_corpus_file_is_in_the_manifest() -> None:
    files = {str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*.bin")}
    assert files == set(MANIFEST)
    for entry in MANIFEST.values():
        assert {"finding", "fixed", "owner", "found_by"} <= set(entry)
