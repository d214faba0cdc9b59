"""A client built only from the published reference completes turns against `workbench mock`.

The mock runs as the real command (``python -m workbench.cli mock``) in a subprocess;
the strict client connects over a real WebSocket in each dialect, validates every event
it receives, and completes a voice turn and a tool-call turn.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import selectors
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from websockets.asyncio.client import connect

from tests.mock.strict_client import StrictClient
from workbench.protocol.json_codec import Dialect

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 30.0
URLS = {
    Dialect.GA: ("/v1/realtime?model=gpt-realtime", {"Authorization": "Bearer test"}),
    Dialect.PREVIEW: (
        "/openai/realtime?api-version=2024-10-01-preview&deployment=gpt-4o-realtime-preview",
        {"api-key": "test"},
    ),
}


@pytest.fixture(scope="module")
def mock_url() -> Iterator[str]:
    """``workbench mock`` on 127.0.0.1:0 (a subprocess); yields its ws:// URL."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "workbench.cli", "mock", "--port", "0", "--ttfa-ms", "20"]
    cmd += ["--speed", "20"]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        url = _read_url(proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _read_url(proc: subprocess.Popen[str]) -> str:
    assert proc.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    deadline = START_TIMEOUT_S
    while deadline > 0:
        if not selector.select(timeout=1.0):
            deadline -= 1.0
            if proc.poll() is not None:
                break
            continue
        line = proc.stdout.readline()
        match = re.search(r"listening on (ws://\S+)", line)
        if match:
            return match.group(1)
    raise AssertionError("workbench mock did not print its URL in time")


@pytest.fixture
async def strict_client(mock_url: str) -> AsyncIterator[Any]:
    """Opens StrictClients on the mock (closed at the end of the test)."""
    async with contextlib.AsyncExitStack() as stack:

        async def open_client(dialect: Dialect, query: str = "") -> StrictClient:
            path, headers = URLS[dialect]
            ws = await stack.enter_async_context(
                connect(mock_url + path + query, additional_headers=headers, open_timeout=10)
            )
            return StrictClient(ws, dialect)

        yield open_client


def _session_update(dialect: Dialect, **extra: Any) -> dict[str, Any]:
    if dialect is Dialect.GA:
        session: dict[str, Any] = {
            "type": "realtime",
            "audio": {"input": {"turn_detection": None, "transcription": {"model": "whisper-1"}}},
        }
    else:
        session = {"turn_detection": None, "input_audio_transcription": {"model": "whisper-1"}}
    session.update(extra)
    return {"type": "session.update", "event_id": "evt_1", "session": session}


def _tone_pcm16(ms: float) -> bytes:
    t = np.arange(round(ms * 24)) / 24_000
    return (0.3 * np.sin(2 * np.pi * 300 * t) * 32767).astype("<i2").tobytes()


def _audio_delta_type(dialect: Dialect) -> str:
    return "response.output_audio.delta" if dialect is Dialect.GA else "response.audio.delta"


@pytest.mark.parametrize("dialect", list(Dialect))
async def test_a_strict_client_completes_a_voice_turn(strict_client: Any, dialect: Dialect) -> None:
    client = await strict_client(dialect)
    first = await client.until("session.created")
    assert first["session.created"]["session"]["expires_at"] > 0
    if dialect is Dialect.PREVIEW:
        await client.until("conversation.created")
    await client.send(_session_update(dialect))
    await client.until("session.updated")
    await client.append_audio(_tone_pcm16(1000), 9600)
    await client.send({"type": "input_audio_buffer.commit"})
    await client.send({"type": "response.create"})
    got = await client.until(
        "response.done", "conversation.item.input_audio_transcription.completed"
    )
    response = got["response.done"]["response"]
    assert response["status"] == "completed"
    assert response["usage"]["output_token_details"]["audio_tokens"] > 0
    deltas = [e for e in client.received if e["type"] == _audio_delta_type(dialect)]
    assert sum(len(base64.b64decode(e["delta"])) for e in deltas) == 48_000  # the echo
    assert "input_audio_buffer.committed" in client.types()


@pytest.mark.parametrize("dialect", list(Dialect))
async def test_a_strict_client_completes_a_tool_call_turn(
    strict_client: Any, dialect: Dialect
) -> None:
    client = await strict_client(dialect, "&mock_behaviour=tool")
    await client.until("session.created")
    tool = {
        "type": "function",
        "name": "get_current_time",
        "description": "The current time",
        "parameters": {"type": "object", "properties": {}},
    }
    await client.send(_session_update(dialect, tools=[tool], tool_choice="auto"))
    await client.until("session.updated")
    await client.append_audio(_tone_pcm16(500), 9600)
    await client.send({"type": "input_audio_buffer.commit"})
    await client.send({"type": "response.create"})
    call = (await client.until("response.function_call_arguments.done", "response.done"))[
        "response.function_call_arguments.done"
    ]
    assert call["name"] == "get_current_time"
    output = {"type": "function_call_output", "call_id": call["call_id"], "output": '"12:00"'}
    await client.send({"type": "conversation.item.create", "item": output})
    await client.send({"type": "response.create"})
    done = (await client.until("response.done"))["response.done"]["response"]
    (item,) = done["output"]
    assert item["role"] == "assistant"
    transcript = item["content"][0]["transcript"]
    assert transcript == 'The tool answered: "12:00"'
    assert any(e["type"] == _audio_delta_type(dialect) for e in client.received)
    json.dumps(client.received)  # everything received is plain JSON
