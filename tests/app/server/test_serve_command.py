"""``workbench serve``: option checks, and a real server whose share attempt fails fast."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from workbench.cli import main

REPO = Path(__file__).resolve().parents[3]


def test_share_without_auth_is_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("WORKBENCH_AUTH", raising=False)
    assert main(["serve", "--share", "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert "refusing to share without a login" in err and "--auth" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["serve", "--share-without-auth"],
        ["serve", "--auth", "no-colon"],
        ["serve", "--port", "70000"],
    ],
)
def test_bad_options_are_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert "workbench: error:" in capsys.readouterr().err


def test_serve_keeps_serving_when_the_share_link_fails(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "AZURE"))}
    env.update({"WORKBENCH_AUTH": "ann:secret", "PYTHONUNBUFFERED": "1"})
    cmd = [
        sys.executable,
        "-m",
        "workbench.cli",
        "serve",
        "--port",
        "0",
        "--share",
        "--share-timeout-s",
        "20",
    ]
    proc = subprocess.Popen(
        cmd, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines: list[str] = []
    reader = threading.Thread(
        target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True
    )
    reader.start()
    try:
        t0 = time.monotonic()
        while not any(line.startswith("share:") for line in lines):
            assert proc.poll() is None, "".join(lines)
            assert time.monotonic() - t0 < 60, "".join(lines)
            time.sleep(0.1)
        share_s = time.monotonic() - t0
        text = "".join(lines)
        assert "could not create a share link" in text and "serving locally only" in text
        assert any(line.startswith("ffmpeg:") for line in lines)  # reported in one line
        url = next(line.split()[1] for line in lines if line.startswith("workbench: http"))
        assert httpx.get(url + "healthz", timeout=5).status_code == 200
        assert httpx.get(url + "duplex", timeout=5).status_code == 401  # login required
        assert httpx.get(url + "duplex", auth=("ann", "secret"), timeout=5).status_code == 200
        assert share_s < 45
        assert not (tmp_path / ".gradio").exists() or not any((tmp_path / ".gradio").iterdir())
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def test_a_taken_port_is_a_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 1
    err = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1:{port}" in err and "Traceback" not in err
