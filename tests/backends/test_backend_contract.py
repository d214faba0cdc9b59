"""The connection contract fits a provider whose wire protocol is not OpenAI's.

``ToyBackend`` speaks an invented line protocol (``{"op": "audio", "pcm": …}`` up,
``{"ev": "speech", …}`` down) and translates it to and from the typed events of
``workbench.protocol.events``, as a backend for another provider would. A session on
the session service then relays a clip through it, unchanged: the relay, the service
and the shells never see a provider's JSON.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator
from pathlib import Path

from tests.support.services import make_service
from workbench.backends.base import BackendInfo
from workbench.protocol import events as pe
from workbench.protocol.dialects import Dialect
from workbench.relay import AudioOut, TurnDone
from workbench.service import EndReason

AUDIO = Path(__file__).resolve().parents[2] / "fixtures" / "audio"


class ToyWire:
    """The provider's side: echoes the audio of a turn back when the turn ends."""

    def __init__(self) -> None:
        self.heard = bytearray()
        self.outbox: asyncio.Queue[str | None] = asyncio.Queue()

    def receive(self, line: str) -> None:
        message = json.loads(line)
        if message["op"] == "audio":
            self.heard += base64.b64decode(message["pcm"])
        elif message["op"] == "end":
            for start in range(0, len(self.heard), 4800):
                chunk = base64.b64encode(bytes(self.heard[start : start + 4800])).decode()
                self.outbox.put_nowait(json.dumps({"ev": "speech", "pcm": chunk}))
            self.outbox.put_nowait(json.dumps({"ev": "finished"}))
            self.heard.clear()


class ToyConnection:
    """Translates typed client events to the toy protocol and its lines back to events."""

    def __init__(self) -> None:
        self.wire = ToyWire()
        self.turns = 0
        self.responding = False

    @property
    def dialect(self) -> Dialect:
        return Dialect.GA

    async def send(self, event: pe.ClientEvent) -> None:
        if isinstance(event, pe.InputAudioBufferAppend):
            pcm = base64.b64encode(event.audio).decode()
            self.wire.receive(json.dumps({"op": "audio", "pcm": pcm}))
        elif isinstance(event, pe.InputAudioBufferCommit):
            self.wire.receive(json.dumps({"op": "end"}))
        # session.update and response.create have no toy equivalent: the toy always answers

    def __aiter__(self) -> AsyncIterator[pe.ServerEvent]:
        return self._events()

    async def _events(self) -> AsyncIterator[pe.ServerEvent]:
        while (line := await self.wire.outbox.get()) is not None:
            message = json.loads(line)
            response_id = f"toy_r{self.turns}"
            if message["ev"] == "speech":
                if not self.responding:
                    self.responding = True
                    yield pe.ResponseCreated(response_id=response_id)
                audio = base64.b64decode(message["pcm"])
                yield pe.ResponseAudioDelta(response_id, f"toy_i{self.turns}", 0, 0, audio)
            elif message["ev"] == "finished":
                self.responding = False
                self.turns += 1
                yield pe.ResponseDone(response_id=response_id, status="completed")

    async def close(self) -> None:
        self.wire.outbox.put_nowait(None)


class ToyBackend:
    @property
    def info(self) -> BackendInfo:
        return BackendInfo("toy", "toy provider (line protocol)", False, Dialect.GA, "toy-1")

    async def connect(self) -> ToyConnection:
        return ToyConnection()


async def test_a_provider_with_another_protocol_relays_a_clip_through_the_service() -> None:
    async with make_service(ToyBackend()) as service:
        session = service.open("cli", manual_commit=True)
        duration_s = await session.send_clip(AUDIO / "en_hello_44k1_aac_faststart.m4a")
        async with asyncio.timeout(10):
            events = [e async for e in session.events(until_turn_done=True)]
        await session.close(EndReason.COMPLETED)
    reply_s = sum(e.duration_ms for e in events if isinstance(e, AudioOut)) / 1000
    assert abs(reply_s - duration_s) < 0.05
    assert isinstance(events[-1], TurnDone) and events[-1].status == "completed"
    assert events[-1].timeline.ttfa_ms is not None
    assert session.record.to_dict()["backend"] == "toy provider (line protocol)"
