"""What a WebSocket client sent and the server has not processed yet, bounded.

The reader puts every frame here as it arrives and the processor takes them in order.
A client that sends faster than its session can take input fills the inbox; further
frames are then dropped and counted (the processor reports them as ``rate_limited``),
never buffered without limit. A frame too large to keep is replaced by an
:class:`Oversized` marker, so the client still hears about it in order.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from workbench.app.api.ws_client_messages import ClientMessageError


@dataclass(frozen=True, slots=True)
class Oversized:
    """Stands in for a frame too large to keep (text over the JSON limit, or binary)."""

    n_bytes: int
    binary: bool = False


Inbound = bytes | str | Oversized


class WsInbox:
    """A FIFO of inbound frames bounded in count and in bytes.

    Parameters
    ----------
    max_json_bytes : int
        A text frame over this many UTF-8 bytes is kept as :class:`Oversized`.
    max_messages : int
        Frames waiting at most; more are dropped.
    max_bytes : int
        Bytes (characters for text) waiting at most; more are dropped. A binary frame
        over this alone is kept as :class:`Oversized`.
    """

    def __init__(self, max_json_bytes: int, max_messages: int, max_bytes: int) -> None:
        self.max_json_bytes = max_json_bytes
        self.max_messages = max_messages
        self.max_bytes = max_bytes
        self._queue: asyncio.Queue[Inbound] = asyncio.Queue()
        self._queued_bytes = 0
        self._dropped = 0

    def put(self, data: bytes | str) -> bool:
        """Queue one frame; False (and counted as dropped) when the inbox is full."""
        item: Inbound = data
        if isinstance(data, str):
            # Cheap test first: a UTF-8 character is at most 4 bytes.
            if len(data) * 4 > self.max_json_bytes:
                n_bytes = len(data.encode("utf-8", "surrogatepass"))
                if n_bytes > self.max_json_bytes:
                    item = Oversized(n_bytes)
        elif len(data) > self.max_bytes:
            item = Oversized(len(data), binary=True)
        size = _size(item)
        if self._queue.qsize() >= self.max_messages or self._queued_bytes + size > self.max_bytes:
            self._dropped += 1
            return False
        self._queued_bytes += size
        self._queue.put_nowait(item)
        return True

    async def get(self) -> Inbound:
        """The oldest frame, waiting for one."""
        item = await self._queue.get()
        self._queued_bytes -= _size(item)
        return item

    def take_dropped(self) -> int:
        """Frames dropped since the last call."""
        n, self._dropped = self._dropped, 0
        return n

    def oversized_error(self, item: Oversized) -> ClientMessageError:
        """What the client is told about an :class:`Oversized` frame (with the limit)."""
        limit = (
            f"{self.max_bytes} bytes of audio; send shorter frames"
            if item.binary
            else f"{self.max_json_bytes} bytes of JSON"
        )
        kind = "binary frame" if item.binary else "message"
        return ClientMessageError(
            f"{kind} of {item.n_bytes} bytes exceeds the limit ({limit})",
            code="message_too_large",
        )


def _size(item: Inbound) -> int:
    """What an item counts against the byte bound (characters for text)."""
    return 0 if isinstance(item, Oversized) else len(item)
