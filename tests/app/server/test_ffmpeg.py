"""The ffmpeg PATH shim for Gradio's streamed audio output."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from workbench.app.server.ffmpeg import ensure_ffmpeg


def _fake_binary(directory: Path, name: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    exe = directory / name
    exe.write_text("#!/bin/sh\necho fake ffmpeg\n")
    exe.chmod(0o755)
    return exe


def test_links_the_bundled_binary_and_prepends_it(tmp_path: Path) -> None:
    bundled = _fake_binary(tmp_path / "wheel", "ffmpeg-linux-x86_64-v7.0.2")
    env = {"PATH": str(tmp_path / "empty")}
    status = ensure_ffmpeg(env, shim_dir=tmp_path / "shim", find_bundled=lambda: str(bundled))
    assert status.ok and status.source == "imageio-ffmpeg"
    assert env["PATH"].split(os.pathsep)[0] == str(tmp_path / "shim")
    found = shutil.which("ffmpeg", path=env["PATH"])
    assert found is not None and os.path.realpath(found) == str(bundled)
    assert "\n" not in status.message and "imageio-ffmpeg" in status.message


def test_a_system_ffmpeg_is_left_alone(tmp_path: Path) -> None:
    system = _fake_binary(tmp_path / "bin", "ffmpeg")
    env = {"PATH": str(tmp_path / "bin")}
    status = ensure_ffmpeg(env, shim_dir=tmp_path / "shim", find_bundled=lambda: None)
    assert status.source == "system" and status.path == str(system)
    assert env["PATH"] == str(tmp_path / "bin")
    assert not (tmp_path / "shim").exists()


def test_missing_ffmpeg_is_reported_in_one_line(tmp_path: Path) -> None:
    env = {"PATH": str(tmp_path)}
    status = ensure_ffmpeg(env, shim_dir=tmp_path / "shim", find_bundled=lambda: None)
    assert not status.ok and status.source == "missing"
    assert "\n" not in status.message and "not found" in status.message
    assert env["PATH"] == str(tmp_path)


def test_a_stale_link_is_replaced(tmp_path: Path) -> None:
    old = _fake_binary(tmp_path / "old", "ffmpeg-v6")
    new = _fake_binary(tmp_path / "new", "ffmpeg-v7")
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "ffmpeg").symlink_to(old)
    ensure_ffmpeg({"PATH": ""}, shim_dir=shim, find_bundled=lambda: str(new))
    assert os.path.realpath(shim / "ffmpeg") == str(new)


def test_the_real_wheel_binary_runs(tmp_path: Path) -> None:
    import subprocess

    env = {"PATH": str(tmp_path / "nothing")}
    status = ensure_ffmpeg(env, shim_dir=tmp_path / "shim")
    assert status.ok, status.message
    out = subprocess.run(
        [str(status.path), "-version"], capture_output=True, timeout=30, check=True
    )
    assert out.stdout.startswith(b"ffmpeg version")
