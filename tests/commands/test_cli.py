"""The ``workbench`` CLI as a user runs it: relay a clip, start the mock, list commands."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest
import soundfile as sf

from tests.support.signals import AUDIO_DIR
from workbench.cli import COMMAND_MODULES, main


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    listed = capsys.readouterr().out
    for module in COMMAND_MODULES:
        assert module.rsplit(".", 1)[1] in listed


def test_relay_command_writes_the_reply_and_prints_the_timeline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT", "WORKBENCH_BACKEND"):
        monkeypatch.delenv(name, raising=False)
    out = tmp_path / "reply.wav"
    clip = AUDIO_DIR / "en_hear_48k_pcm16.wav"
    status = main(["relay", str(clip), "-o", str(out), "--mock-ttfa-ms", "20"])
    printed = capsys.readouterr().out
    assert status == 0
    assert "mock" in printed and "ttfa_ms" in printed
    reply, rate_hz = sf.read(out)
    assert rate_hz == 24_000
    assert len(reply) / rate_hz == pytest.approx(sf.info(clip).duration, abs=0.05)


def test_relay_command_measures_voice_to_voice_on_the_audio(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    for name in ("OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT", "WORKBENCH_BACKEND"):
        monkeypatch.delenv(name, raising=False)
    clip = AUDIO_DIR / "en_hear_48k_pcm16.wav"
    args = ["relay", str(clip), "-o", str(tmp_path / "r.wav"), "--mock-ttfa-ms", "200", "--json"]
    assert main(args) == 0
    turn = json.loads(capsys.readouterr().out)["turns"][0]
    v2v = turn["voice_to_voice"]
    assert turn["voice_to_voice_ms"] == v2v["total_ms"]
    parts = v2v["parts_ms"]
    # In-process: every mark is known, the parts add up, the mock's 200 ms are the model's.
    assert v2v["missing"] == [] and v2v["negative_parts"] == []
    assert abs(sum(parts.values()) - v2v["total_ms"]) < 0.01 and abs(v2v["residual_ms"]) < 0.01
    assert parts["uplink"] == 0.0
    assert 200.0 <= parts["model"] < 400.0
    # The echo opens with the clip's own leading quiet: it is heard only after it.
    assert parts["buffering"] >= 0.0


def test_bad_clip_is_one_clear_line_and_exit_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bogus = tmp_path / "notes.m4a"
    bogus.write_text("not audio at all, just words" * 20)
    status = main(["relay", str(bogus), "-o", str(tmp_path / "r.wav")])
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith("workbench: error:") and "Traceback" not in err


async def test_mock_command_prints_its_url_and_the_sdk_talks_to_it() -> None:
    from openai import AsyncOpenAI

    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "workbench.cli", "mock", "--port", "0",
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        async with asyncio.timeout(30):
            line = (await proc.stdout.readline()).decode()
        url = line.rsplit(" ", 1)[1].strip()
        assert url.startswith("ws://127.0.0.1:")
        client = AsyncOpenAI(api_key="any", websocket_base_url=url + "/v1")
        async with asyncio.timeout(30), client.realtime.connect(model="gpt-realtime") as conn:
            event = await conn.recv()
        assert event.type == "session.created"
    finally:
        proc.terminate()
        async with asyncio.timeout(10):
            await proc.wait()
