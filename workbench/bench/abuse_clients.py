"""Misbehaving clients for ``workbench bench abuse``, on raw asyncio sockets.

A library client (httpx, websockets) cannot send a request head one byte a second, stop
short of its ``Content-Length`` or upload without ever reading the reply; these can.
Every function takes a cap in seconds and returns an :class:`Answer` saying what the
server did within it: answered (status and error code), closed or reset the connection,
or nothing at all.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass
from typing import Literal

Outcome = Literal["answered", "closed", "reset", "no_answer", "refused"]
BOUNDARY = "abuse-bench-boundary-7f3a"
_READ_BYTES = 65536


@dataclass(frozen=True)
class Answer:
    """What the server did with one connection.

    Attributes
    ----------
    outcome : {"answered", "closed", "reset", "no_answer", "refused"}
        ``answered``: a status line came; ``closed``/``reset``: the server ended the
        connection without one; ``no_answer``: still open, silent, at the cap;
        ``refused``: the connection could not even be opened.
    status : int or None
        HTTP status code, when answered.
    answer_s : float or None
        Seconds from the first byte sent to the status line (or to the close).
    error_code : str or None
        ``error.code`` of a JSON error body, when there is one.
    """

    outcome: Outcome
    status: int | None = None
    answer_s: float | None = None
    error_code: str | None = None

    def label(self) -> str:
        """``"413 too_long"``, ``"closed"``, ``"no_answer"`` … for tables."""
        if self.status is None:
            return self.outcome
        return f"{self.status} {self.error_code}" if self.error_code else str(self.status)


def multipart_body(
    file_bytes: bytes, *, field: str = "audio_file", fields: dict[str, str] | None = None
) -> bytes:
    """A ``multipart/form-data`` body with text ``fields`` and one file part (boundary
    :data:`BOUNDARY`)."""
    text = "".join(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in (fields or {}).items()
    ).encode()
    head = (
        text
        + (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="clip.bin"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
    )
    return head + file_bytes + f"\r\n--{BOUNDARY}--\r\n".encode()


def request_head(
    method: str,
    path: str,
    *,
    content_type: str | None = None,
    content_length: int | None = None,
    basic_auth: str | None = None,
    extra: tuple[tuple[str, str], ...] = (),
) -> bytes:
    """An HTTP/1.1 request head (ends with the blank line)."""
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    if content_type is not None:
        lines.append(f"Content-Type: {content_type}")
    if content_length is not None:
        lines.append(f"Content-Length: {content_length}")
    if basic_auth is not None:
        lines.append(f"Authorization: Basic {basic_auth}")
    lines += [f"{name}: {value}" for name, value in extra]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _read_answer(reader: asyncio.StreamReader, start_s: float) -> Answer:
    """Read a status line and headers (and a small JSON error body) or the close."""
    buffer = b""
    try:
        while b"\r\n\r\n" not in buffer:
            chunk = await reader.read(_READ_BYTES)
            if not chunk:
                return Answer("closed", answer_s=time.perf_counter() - start_s)
            buffer += chunk
    except (ConnectionResetError, BrokenPipeError):
        return Answer("reset", answer_s=time.perf_counter() - start_s)
    answer_s = time.perf_counter() - start_s
    head, _, rest = buffer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    try:
        status = int(lines[0].split()[1])
    except (IndexError, ValueError):
        return Answer("answered", answer_s=answer_s)
    headers = dict(line.lower().split(": ", 1) for line in lines[1:] if ": " in line)
    code = None
    if "json" in headers.get("content-type", "") and status >= 400:
        length = int(headers.get("content-length", "0") or 0)
        with contextlib.suppress(Exception):
            async with asyncio.timeout(2.0):
                while len(rest) < length:
                    more = await reader.read(_READ_BYTES)
                    if not more:
                        break
                    rest += more
            code = json.loads(rest[:length])["error"]["code"]
    return Answer("answered", status=status, answer_s=answer_s, error_code=code)


async def exchange(
    host: str,
    port: int,
    head: bytes,
    body: bytes = b"",
    *,
    cap_s: float,
    head_byte_interval_s: float = 0.0,
    body_chunk_bytes: int = 65536,
    body_chunk_interval_s: float = 0.0,
    send_body_bytes: int | None = None,
) -> Answer:
    """Send one request as paced, then wait (at most ``cap_s`` in all) for the answer.

    Parameters
    ----------
    head : bytes
        The request head; with ``head_byte_interval_s`` > 0 it goes one byte at a time.
    body : bytes
        The body; ``send_body_bytes`` sends only its first N bytes and then goes silent
        with the connection open (a body shorter than its ``Content-Length``).
    body_chunk_bytes, body_chunk_interval_s : int, float
        Trickle: that many bytes, then a pause of that many seconds.
    cap_s : float
        Longest time to wait for the server (s).
    """
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 5.0)
    except (OSError, TimeoutError):
        return Answer("refused")
    start_s = time.perf_counter()
    answer_task = asyncio.create_task(_read_answer(reader, start_s))
    to_send = body if send_body_bytes is None else body[:send_body_bytes]

    async def send() -> None:
        with contextlib.suppress(ConnectionError, OSError):
            if head_byte_interval_s > 0:
                for i in range(len(head)):
                    writer.write(head[i : i + 1])
                    await writer.drain()
                    await asyncio.sleep(head_byte_interval_s)
            else:
                writer.write(head)
            for offset in range(0, len(to_send), body_chunk_bytes):
                writer.write(to_send[offset : offset + body_chunk_bytes])
                await writer.drain()
                if body_chunk_interval_s > 0:
                    await asyncio.sleep(body_chunk_interval_s)
            await writer.drain()

    send_task = asyncio.create_task(send())
    try:
        done, _ = await asyncio.wait({answer_task}, timeout=cap_s)
        answer = answer_task.result() if done else Answer("no_answer")
    finally:
        for task in (send_task, answer_task):
            task.cancel()
        with contextlib.suppress(BaseException):
            await asyncio.gather(send_task, answer_task, return_exceptions=True)
        writer.transport.abort()
    return answer


async def hold_without_reading(
    host: str, port: int, head: bytes, body: bytes, *, hold_s: float
) -> bool:
    """Send a whole request, never read the reply, keep the socket ``hold_s`` seconds.

    Returns True when the server had ended the connection by then: what it sent is read
    (quickly: it waits in the kernel) up to an end of stream or a reset, within
    :data:`CLOSED_CHECK_S`. A client that never reads cannot see a close earlier.
    """
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 5.0)
    except (OSError, TimeoutError):
        return True
    try:
        writer.write(head + body)
        with contextlib.suppress(TimeoutError, ConnectionError):
            async with asyncio.timeout(hold_s):
                await writer.drain()
                await asyncio.sleep(hold_s)  # not reading: the reply piles up at the server
        return await server_closed(reader, CLOSED_CHECK_S)
    finally:
        writer.transport.abort()


#: How long :func:`server_closed` reads to tell a closed connection from an open one (s).
CLOSED_CHECK_S = 3.0


async def server_closed(reader: asyncio.StreamReader, within_s: float) -> bool:
    """Read what the server sent; True on an end of stream or a reset within ``within_s``."""
    try:
        async with asyncio.timeout(within_s):
            while await reader.read(_READ_BYTES):
                pass
    except TimeoutError:  # before OSError, of which it is a subclass
        return False
    except OSError:  # a reset: the server aborted the connection
        return True
    return True


async def slowloris(
    host: str, port: int, *, connections: int, byte_interval_s: float, duration_s: float
) -> dict[str, float | int | None]:
    """Open ``connections`` sockets that each send a request head one byte at a time.

    Returns
    -------
    dict
        ``open_at_end`` (still open after ``duration_s``), ``answered`` (got a status
        line), ``closed`` (closed without one), ``median_close_s`` (time to the server's
        answer or close, over those that ended) and ``statuses`` (most common status).
    """
    head = request_head("GET", "/healthz", extra=(("X-Padding", "x" * 4000),))
    answers = await asyncio.gather(
        *(
            exchange(host, port, head, cap_s=duration_s, head_byte_interval_s=byte_interval_s)
            for _ in range(connections)
        )
    )
    ended = sorted(a.answer_s for a in answers if a.answer_s is not None)
    statuses = [a.status for a in answers if a.status is not None]
    return {
        "open_at_end": sum(a.outcome == "no_answer" for a in answers),
        "answered": len(statuses),
        "closed": sum(a.outcome in ("closed", "reset") for a in answers),
        "refused": sum(a.outcome == "refused" for a in answers),
        "median_close_s": ended[len(ended) // 2] if ended else None,
        "status": max(set(statuses), key=statuses.count) if statuses else None,
    }
