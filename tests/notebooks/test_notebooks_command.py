"""``workbench notebooks`` plumbing on tiny notebooks (the real ones run in scripts/test.sh).

scripts/test.sh executes every notebook once via ``workbench notebooks --quick``; these
tests only check what that step relies on: the quick/full switch reaches the kernel,
reports and figures are written, a failing cell makes the command fail, an unknown
name is refused.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from workbench.cli import main
from workbench.notebooks import FULL_ENV, NOTEBOOK_NAMES, notebooks_dir, resolve, run_notebook

PLOT = """
%matplotlib inline
import os
import matplotlib.pyplot as plt
print("full" if os.environ.get("{env}") == "1" else "quick")
plt.plot([0, 1], [0, 1])
plt.show()
"""


def _write(path: Path, *sources: str) -> Path:
    nbformat.write(new_notebook(cells=[new_code_cell(s) for s in sources]), path)
    return path


def test_every_project_notebook_exists_and_has_a_parameters_cell() -> None:
    for path in resolve([]):
        nb = nbformat.read(path, as_version=4)
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, path
        assert FULL_ENV in tagged[0].source
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), (
            f"{path.name} is committed with outputs; strip them"
        )
    assert [p.stem for p in resolve([])] == list(NOTEBOOK_NAMES)
    assert notebooks_dir().is_dir()


def test_run_writes_html_executed_notebook_and_figures(tmp_path: Path) -> None:
    nb_path = _write(tmp_path / "tiny.ipynb", PLOT.replace("{env}", FULL_ENV))
    result = run_notebook(nb_path, tmp_path / "out", full=True)
    assert result.ok and result.error is None
    assert result.html_path.read_text(encoding="utf-8").count("<html") == 1
    assert [p.name for p in result.figure_paths] == ["tiny_fig1.png"]
    executed = nbformat.read(tmp_path / "out" / "tiny.ipynb", as_version=4)
    assert executed.cells[0].outputs[0]["text"].strip() == "full"


def test_failing_cell_fails_the_command_and_still_writes_the_report(tmp_path: Path) -> None:
    nb_path = _write(tmp_path / "broken.ipynb", "x = 1", "raise RuntimeError('boom')", "y = 2")
    out = tmp_path / "out"
    assert main(["notebooks", "--quick", "--out", str(out), str(nb_path)]) == 1
    assert (out / "broken.html").exists()


def test_unknown_notebook_name_is_refused(tmp_path: Path) -> None:
    assert main(["notebooks", "--out", str(tmp_path), "no_such_notebook"]) == 2
