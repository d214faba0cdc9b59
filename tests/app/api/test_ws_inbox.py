"""The WebSocket inbox: bounded in messages and bytes, oversized frames marked."""

from __future__ import annotations

import asyncio

from workbench.app.api.ws_inbox import Oversized, WsInbox


def test_frames_come_out_in_order() -> None:
    inbox = WsInbox(max_json_bytes=100, max_messages=10, max_bytes=1000)
    assert inbox.put(b"\x00\x01") and inbox.put('{"type": "commit"}')

    async def take_two() -> list[object]:
        return [await inbox.get(), await inbox.get()]

    assert asyncio.run(take_two()) == [b"\x00\x01", '{"type": "commit"}']


def test_a_full_inbox_drops_and_counts_until_read() -> None:
    inbox = WsInbox(max_json_bytes=100, max_messages=2, max_bytes=1000)
    assert inbox.put(b"ab") and inbox.put(b"cd")
    assert not inbox.put(b"ef")  # third message: over the count bound
    assert inbox.take_dropped() == 1
    assert inbox.take_dropped() == 0  # reported once
    asyncio.run(inbox.get())
    assert inbox.put(b"gh")  # room again after a read


def test_the_byte_bound_counts_what_waits() -> None:
    inbox = WsInbox(max_json_bytes=100, max_messages=100, max_bytes=10)
    assert inbox.put(b"x" * 6)
    assert not inbox.put(b"y" * 6)  # 12 bytes would wait
    asyncio.run(inbox.get())
    assert inbox.put(b"y" * 6)


def test_oversized_frames_are_kept_as_markers_with_a_clear_error() -> None:
    inbox = WsInbox(max_json_bytes=8, max_messages=10, max_bytes=16)
    assert inbox.put("é" * 5)  # 10 UTF-8 bytes > 8
    assert inbox.put(b"z" * 17)

    async def take_two() -> list[object]:
        return [await inbox.get(), await inbox.get()]

    text, binary = asyncio.run(take_two())
    assert text == Oversized(10)
    assert binary == Oversized(17, binary=True)
    assert isinstance(text, Oversized) and isinstance(binary, Oversized)
    error = inbox.oversized_error(binary)
    assert error.code == "message_too_large"
    assert "17 bytes" in error.message and "16 bytes of audio" in error.message
    assert "8 bytes of JSON" in inbox.oversized_error(text).message
