"""The committed frontend bundle matches its sources (else: scripts/build_component.sh)."""

from __future__ import annotations

import shutil
from pathlib import Path

from workbench.app.ui.realtime_audio.build_stamp import (
    PACKAGE_DIR,
    REPO_DIR,
    STAMP_PATH,
    recorded_digest,
    source_digest,
    source_files,
)


def test_the_committed_bundle_was_built_from_these_sources() -> None:
    recorded = recorded_digest()
    assert recorded is not None, f"{STAMP_PATH} is missing: run scripts/build_component.sh"
    assert recorded == source_digest(), (
        "frontend/realtime_audio or workbench/app/browser/static changed since the "
        "component was built: run scripts/build_component.sh and commit templates/"
    )
    for name in ("index.js", "style.css", "svelte_runtime_entry.js"):
        assert (PACKAGE_DIR / "templates" / "component" / name).is_file(), name


def test_sources_are_the_component_and_the_shared_modules_only() -> None:
    names = {p.as_posix() for p in source_files()}
    assert "frontend/realtime_audio/Index.svelte" in names
    assert "frontend/realtime_audio/package-lock.json" in names
    assert "workbench/app/browser/static/realtime-client.js" in names
    assert "workbench/app/browser/static/playback-worklet.js" in names
    assert not any("node_modules" in n for n in names)
    assert not any(Path(n).name.startswith("duplex") for n in names)  # the page's own


def test_any_source_change_changes_the_digest(tmp_path: Path) -> None:
    files = source_files()
    for rel in files:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO_DIR / rel, tmp_path / rel)
    assert source_digest(tmp_path) == source_digest()
    target = tmp_path / "workbench/app/browser/static/turn-meter.js"
    target.write_text(target.read_text() + "\n// changed\n")
    assert source_digest(tmp_path) != source_digest()
    (tmp_path / "frontend/realtime_audio/Extra.svelte").write_text("<p>new</p>\n")
    assert len(source_files(tmp_path)) == len(files) + 1
