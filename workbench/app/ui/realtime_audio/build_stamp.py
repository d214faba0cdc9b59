"""Is the committed frontend bundle built from the current sources?

``scripts/build_component.sh`` builds ``frontend/realtime_audio/`` (plus the shared
browser modules it imports) into ``templates/`` and then runs ``python -m
workbench.app.ui.realtime_audio.build_stamp write``, which records the sources' SHA-256
in ``templates/build.json``. A test compares that record with the sources in the checkout,
so a source change without a rebuild fails CI, while running the app needs no node.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Final

PACKAGE_DIR: Final = Path(__file__).resolve().parent
REPO_DIR: Final = PACKAGE_DIR.parents[3]
STAMP_PATH: Final = PACKAGE_DIR / "templates" / "build.json"
FRONTEND_DIR: Final = REPO_DIR / "frontend" / "realtime_audio"
SHARED_DIR: Final = REPO_DIR / "workbench" / "app" / "browser" / "static"
#: Shared browser modules the component does not import (name prefixes).
NOT_BUNDLED: Final = ("duplex", "page-tap")


def source_files(repo_dir: Path = REPO_DIR) -> list[Path]:
    """Every file the bundle is built from, sorted (paths relative to ``repo_dir``).

    The component's own sources (no ``node_modules``) and the shared browser modules
    except those of the duplex page (``duplex*``) and of the Gradio page tap
    (``page-tap*``), which the component does not import.
    """
    frontend = repo_dir / "frontend" / "realtime_audio"
    shared = repo_dir / "workbench" / "app" / "browser" / "static"
    own = [
        p
        for p in frontend.iterdir()
        if p.is_file() and p.suffix in {".svelte", ".js", ".ts", ".json", ".css"}
    ]
    modules = [p for p in shared.glob("*.js") if not p.name.startswith(NOT_BUNDLED)]
    return sorted(p.relative_to(repo_dir) for p in [*own, *modules])


def source_digest(repo_dir: Path = REPO_DIR, files: Iterable[Path] | None = None) -> str:
    """SHA-256 (hex) over the sources' relative paths and bytes."""
    digest = hashlib.sha256()
    for rel in files if files is not None else source_files(repo_dir):
        digest.update(rel.as_posix().encode() + b"\0")
        digest.update((repo_dir / rel).read_bytes() + b"\0")
    return digest.hexdigest()


def recorded_digest(stamp_path: Path = STAMP_PATH) -> str | None:
    """The digest the last build recorded (None when there is no record)."""
    if not stamp_path.exists():
        return None
    data = json.loads(stamp_path.read_text())
    value = data.get("source_sha256") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def write_stamp(repo_dir: Path = REPO_DIR, stamp_path: Path = STAMP_PATH) -> str:
    """Record the current sources' digest (call right after a successful build)."""
    import gradio

    files = source_files(repo_dir)
    digest = source_digest(repo_dir, files)
    record = {
        "source_sha256": digest,
        "sources": [p.as_posix() for p in files],
        "built_with_gradio": gradio.__version__,
        "rebuild": "scripts/build_component.sh",
    }
    stamp_path.write_text(json.dumps(record, indent=2) + "\n")
    return digest


if __name__ == "__main__":
    if sys.argv[1:] != ["write"]:
        sys.exit("usage: python -m workbench.app.ui.realtime_audio.build_stamp write")
    print(f"build stamp: sources sha256 {write_stamp()}")
