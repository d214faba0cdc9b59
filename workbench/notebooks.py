"""Execute the research notebooks and write HTML reports (``workbench notebooks``).

The notebooks in ``notebooks/`` are committed with their outputs stripped; this module
runs them top to bottom (nbclient through nbconvert's ``ExecutePreprocessor``) and
writes, per notebook, ``<name>.html`` (``HTMLExporter``), the executed ``<name>.ipynb``
and every figure as ``<name>_fig<N>.png`` into the output directory.

Quick versus full: each notebook has a cell tagged ``parameters`` that reads the
environment variable :data:`FULL_ENV` (``"1"`` = the full sweep). :func:`run_notebook`
sets it for the kernel it starts. The kernel is ``python3`` resolved by jupyter_client,
which runs it with the current interpreter (``sys.executable``), so the virtualenv's
packages are used without a system-wide kernel install.
"""

from __future__ import annotations

import base64
import os
import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Environment variable the notebooks' parameters cell reads ("1" = full sweep).
FULL_ENV = "WORKBENCH_NOTEBOOK_FULL"
#: The notebooks, in the order ``workbench notebooks`` runs them.
NOTEBOOK_NAMES: tuple[str, ...] = ("resampling", "chunk_size", "latency", "network", "barge_in")
KERNEL_NAME = "python3"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def notebooks_dir() -> Path:
    """``notebooks/`` of the source checkout this package was imported from."""
    return Path(__file__).resolve().parents[1] / "notebooks"


@dataclass(frozen=True)
class NotebookRun:
    """The outcome of executing one notebook.

    Attributes
    ----------
    name : str
        Notebook stem (``resampling`` …).
    ok : bool
        Every cell ran without an error.
    duration_s : float
        Wall time of the execution (s).
    html_path : Path
        The HTML report (written even when a cell failed, up to that cell).
    figure_paths : tuple[Path, ...]
        PNG files of the figures the notebook displayed.
    error : str or None
        The failing cell's error, shortened.
    """

    name: str
    ok: bool
    duration_s: float
    html_path: Path
    figure_paths: tuple[Path, ...]
    error: str | None = None


@contextmanager
def _env(name: str, value: str) -> Iterator[None]:
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


def _write_figures(nb: Any, out_dir: Path, name: str) -> tuple[Path, ...]:
    paths: list[Path] = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            png = output.get("data", {}).get("image/png")
            if png:
                path = out_dir / f"{name}_fig{len(paths) + 1}.png"
                path.write_bytes(base64.b64decode(png))
                paths.append(path)
    return tuple(paths)


def run_notebook(
    path: Path, out_dir: Path, *, full: bool = False, timeout_s: float = 900.0
) -> NotebookRun:
    """Execute the notebook at ``path`` and write its reports to ``out_dir``.

    Parameters
    ----------
    path : Path
        The ``.ipynb`` file; it runs with its own directory as the working directory.
    out_dir : Path
        Where ``<name>.html``, ``<name>.ipynb`` and ``<name>_fig<N>.png`` go (created).
    full : bool
        Full sweep (``WORKBENCH_NOTEBOOK_FULL=1``) instead of the quick default.
    timeout_s : float
        Longest any single cell may run (s).

    Returns
    -------
    NotebookRun
        ``ok`` is False if a cell raised; the reports are written either way.
    """
    import nbformat
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import CellExecutionError, ExecutePreprocessor

    out_dir.mkdir(parents=True, exist_ok=True)
    name = path.stem
    nb = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    executor = ExecutePreprocessor(timeout=int(timeout_s), kernel_name=KERNEL_NAME)  # type: ignore[no-untyped-call]
    error: str | None = None
    start = time.perf_counter()
    with _env(FULL_ENV, "1" if full else "0"):
        try:
            executor.preprocess(nb, {"metadata": {"path": str(path.parent)}})
        except CellExecutionError as exc:
            lines = _ANSI.sub("", str(exc)).strip().splitlines()
            error = "\n".join(lines[-12:])
    duration_s = time.perf_counter() - start
    nbformat.write(nb, out_dir / f"{name}.ipynb")  # type: ignore[no-untyped-call]
    html, _ = HTMLExporter().from_notebook_node(nb)  # type: ignore[no-untyped-call]
    html_path = out_dir / f"{name}.html"
    html_path.write_text(html, encoding="utf-8")
    figures = _write_figures(nb, out_dir, name)
    return NotebookRun(name, error is None, duration_s, html_path, figures, error)


def resolve(names: Sequence[str], directory: Path | None = None) -> list[Path]:
    """Paths of the named notebooks (all of :data:`NOTEBOOK_NAMES` when empty).

    A name may be a stem (``latency``), a file name or a path to any ``.ipynb``.

    Raises
    ------
    FileNotFoundError
        A named notebook does not exist.
    """
    base = directory if directory is not None else notebooks_dir()
    paths: list[Path] = []
    for name in names or NOTEBOOK_NAMES:
        candidate = Path(name)
        if candidate.suffix != ".ipynb":
            candidate = base / f"{name}.ipynb"
        elif not candidate.exists():
            candidate = base / candidate.name
        if not candidate.exists():
            known = ", ".join(NOTEBOOK_NAMES)
            raise FileNotFoundError(f"no notebook {name!r} (looked for {candidate}); try {known}")
        paths.append(candidate)
    return paths
