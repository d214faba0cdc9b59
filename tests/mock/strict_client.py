"""A realtime client built only from the published reference (for the conformance tests).

It knows nothing of the workbench's codecs: it sends hand-written JSON, validates every
event it sends and receives against the strict reference (required keys, no undeclared
keys, strict enums), and fails on the first event that does not conform — like the
strict clients (the Azure sample SDK among them) that validate every event.
"""

from __future__ import annotations

import asyncio
import base64
import json
from typing import Any

from websockets.asyncio.client import ClientConnection

from workbench.protocol.json_codec import Dialect
from workbench.protocol.strict_validator import validate_client_event, validate_server_event

#: Bound on waiting for one event (s).
RECV_TIMEOUT_S = 10.0


class NonConformingEvent(AssertionError):
    """The server sent an event the reference does not describe."""


class StrictClient:
    """A strict client over one open WebSocket.

    Parameters
    ----------
    ws : ClientConnection
        The connection (opened on the URL of the dialect).
    dialect : Dialect
        What the client speaks and expects.
    """

    def __init__(self, ws: ClientConnection, dialect: Dialect) -> None:
        self.ws = ws
        self.dialect = dialect
        self.received: list[dict[str, Any]] = []

    async def send(self, event: dict[str, Any]) -> None:
        """Send ``event`` after checking it against the reference."""
        violations = validate_client_event(event, self.dialect)
        assert not violations, f"the test client itself broke the reference: {violations}"
        await self.ws.send(json.dumps(event))

    async def recv(self) -> dict[str, Any]:
        """The next event; raises NonConformingEvent if it breaks the reference."""
        async with asyncio.timeout(RECV_TIMEOUT_S):
            event: dict[str, Any] = json.loads(await self.ws.recv())
        violations = validate_server_event(event, self.dialect)
        if violations:
            raise NonConformingEvent(f"{event.get('type')}: {violations}")
        self.received.append(event)
        return event

    async def until(self, *types: str) -> dict[str, str | dict[str, Any]]:
        """Read events until one of each of ``types`` arrived; returns them by type."""
        seen: dict[str, Any] = {}
        while set(types) - set(seen):
            event = await self.recv()
            if event["type"] == "error":
                raise AssertionError(f"error event: {event['error']}")
            if event["type"] in types:
                seen.setdefault(event["type"], event)
        return seen

    async def append_audio(self, pcm: bytes, chunk_bytes: int) -> None:
        """Append ``pcm`` (in the session's input format) in chunks."""
        for i in range(0, len(pcm), chunk_bytes):
            chunk = base64.b64encode(pcm[i : i + chunk_bytes]).decode("ascii")
            await self.send({"type": "input_audio_buffer.append", "audio": chunk})

    def types(self) -> list[str]:
        """The types of every event received so far."""
        return [e["type"] for e in self.received]
