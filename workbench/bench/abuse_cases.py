"""The attacks of ``workbench bench abuse``, one coroutine each.

Each case takes the running :class:`~workbench.bench.abuse_server.Target` and returns a
:class:`CaseOutcome`: one label for the table (``"413 too_long"``, ``"no_answer"``, ``"200"``,
``"180/200 open"``), the time to the server's answer and details for the JSON. Memory is
measured around the case by :mod:`workbench.bench.abuse`, not here.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus, WebSocketException

from workbench.bench.abuse_clients import (
    BOUNDARY,
    Answer,
    exchange,
    multipart_body,
    request_head,
    slowloris,
)
from workbench.bench.abuse_media import Bomb
from workbench.bench.abuse_server import Target

UPLOAD = "/realtime_audio/"
STREAM = "/realtime_audio/stream"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


@dataclass(frozen=True)
class CaseOutcome:
    """What one case saw: a table label, the time to answer (s) and details."""

    label: str
    answer_s: float | None
    detail: dict[str, Any] = field(default_factory=dict)


Case = Callable[[Target], Awaitable[CaseOutcome]]


def auth_token(target: Target) -> str | None:
    if target.auth is None:
        return None
    return base64.b64encode(f"{target.auth[0]}:{target.auth[1]}".encode()).decode()


def _from_answer(answer: Answer, **detail: Any) -> CaseOutcome:
    return CaseOutcome(answer.label(), answer.answer_s, {"outcome": answer.outcome, **detail})


def _summary(answers: list[Answer]) -> CaseOutcome:
    labels = Counter(a.label() for a in answers)
    times = sorted(a.answer_s for a in answers if a.answer_s is not None)
    label = ", ".join(f"{n}× {name}" for name, n in labels.most_common())
    return CaseOutcome(label, times[-1] if times else None, {"labels": dict(labels)})


def upload_bomb(bomb: Bomb, *, route: str, cap_s: float, copies: int = 1) -> Case:
    """POST ``bomb`` (``copies`` at once) to the multipart or the stream route."""

    async def case(target: Target) -> CaseOutcome:
        host, port = target.host_port
        if route == UPLOAD:
            body = multipart_body(bomb.data)
            ctype = MULTIPART
        else:
            body, ctype = bomb.data, bomb.content_type
        head = request_head(
            "POST",
            route,
            content_type=ctype,
            content_length=len(body),
            basic_auth=auth_token(target),
        )
        answers = await asyncio.gather(
            *(exchange(host, port, head, body, cap_s=cap_s) for _ in range(copies))
        )
        detail = {"bytes": len(bomb.data), "decoded_mb_if_accepted": round(bomb.decoded_mb)}
        if copies == 1:
            return _from_answer(answers[0], **detail)
        outcome = _summary(answers)
        return CaseOutcome(outcome.label, outcome.answer_s, {**outcome.detail, **detail})

    return case


def repeated_refusals(bomb: Bomb, *, route: str, times: int, cap_s: float) -> Case:
    """Upload ``bomb`` ``times`` times in a row (each refused): does memory stay held?"""
    single = upload_bomb(bomb, route=route, cap_s=cap_s)

    async def case(target: Target) -> CaseOutcome:
        outcomes = [await single(target) for _ in range(times)]
        labels = Counter(o.label for o in outcomes)
        label = ", ".join(f"{n}× {name}" for name, n in labels.most_common())
        slowest = max((o.answer_s for o in outcomes if o.answer_s is not None), default=None)
        return CaseOutcome(label, slowest, {"labels": dict(labels), "bytes": len(bomb.data)})

    return case


def plain_upload(
    data: bytes,
    *,
    route: str,
    content_type: str,
    cap_s: float,
    settings: dict[str, str] | None = None,
) -> Case:
    """POST one file (a malformed header, say) and report the answer; ``settings`` go in
    form fields (upload route) or the query string (stream route)."""

    async def case(target: Target) -> CaseOutcome:
        host, port = target.host_port
        body = multipart_body(data, fields=settings) if route == UPLOAD else data
        ctype = MULTIPART if route == UPLOAD else content_type
        path = route
        if route != UPLOAD and settings:
            path += "?" + "&".join(f"{k}={v}" for k, v in settings.items())
        head = request_head(
            "POST",
            path,
            content_type=ctype,
            content_length=len(body),
            basic_auth=auth_token(target),
        )
        return _from_answer(await exchange(host, port, head, body, cap_s=cap_s))

    return case


def slowloris_case(*, connections: int, duration_s: float) -> Case:
    """``connections`` sockets sending their request head one byte a second."""

    async def case(target: Target) -> CaseOutcome:
        host, port = target.host_port
        result = await slowloris(
            host, port, connections=connections, byte_interval_s=1.0, duration_s=duration_s
        )
        label = f"{result['open_at_end']}/{connections} open after {duration_s:g} s"
        if result["status"] is not None:
            label += f" ({result['answered']}× {result['status']})"
        median = result["median_close_s"]
        return CaseOutcome(label, float(median) if median is not None else None, result)

    return case


def trickle_case(body: bytes, *, route: str, content_type: str, cap_s: float) -> Case:
    """A body sent one byte a second (``Content-Length`` the whole file)."""

    async def case(target: Target) -> CaseOutcome:
        host, port = target.host_port
        payload = multipart_body(body) if route == UPLOAD else body
        ctype = MULTIPART if route == UPLOAD else content_type
        head = request_head(
            "POST",
            route,
            content_type=ctype,
            content_length=len(payload),
            basic_auth=auth_token(target),
        )
        answer = await exchange(
            host, port, head, payload, cap_s=cap_s, body_chunk_bytes=1, body_chunk_interval_s=1.0
        )
        return _from_answer(answer)

    return case


def short_body_case(body: bytes, *, route: str, content_type: str, cap_s: float) -> Case:
    """Declare the whole body in ``Content-Length``, send a tenth of it, go silent."""

    async def case(target: Target) -> CaseOutcome:
        host, port = target.host_port
        payload = multipart_body(body) if route == UPLOAD else body
        ctype = MULTIPART if route == UPLOAD else content_type
        head = request_head(
            "POST",
            route,
            content_type=ctype,
            content_length=len(payload),
            basic_auth=auth_token(target),
        )
        answer = await exchange(
            host, port, head, payload, cap_s=cap_s, send_body_bytes=len(payload) // 10
        )
        return _from_answer(answer, declared=len(payload), sent=len(payload) // 10)

    return case


def flood_case(clip: bytes, *, requests: int, cap_s: float) -> Case:
    """``requests`` small valid uploads at once; report the status mix."""

    async def case(target: Target) -> CaseOutcome:
        host, port = target.host_port
        body = multipart_body(clip)
        head = request_head(
            "POST",
            UPLOAD,
            content_type=MULTIPART,
            content_length=len(body),
            basic_auth=auth_token(target),
        )
        answers = await asyncio.gather(
            *(exchange(host, port, head, body, cap_s=cap_s) for _ in range(requests))
        )
        return _summary(list(answers))

    return case


def _ws_url(target: Target, query: str) -> str:
    return target.url.replace("http://", "ws://") + "/ws/realtime" + query


def websockets_case(*, sockets: int, hold_s: float, cap_s: float) -> Case:
    """Open ``sockets`` WebSockets (each opening an upstream session), hold, close."""

    async def one(target: Target) -> str:
        headers = {"Authorization": f"Basic {auth_token(target)}"} if target.auth else None
        try:
            async with asyncio.timeout(cap_s + hold_s):
                async with connect(
                    _ws_url(target, "?sample_rate_hz=24000&turn_detection=none"),
                    additional_headers=headers,
                    open_timeout=cap_s,
                    max_size=2**22,
                ) as ws:
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(hold_s):
                            async for _ in ws:  # drain server events while holding
                                pass
                    return "held"
        except InvalidStatus as exc:
            return f"http_{exc.response.status_code}"
        except (OSError, TimeoutError, WebSocketException) as exc:
            return type(exc).__name__

    async def case(target: Target) -> CaseOutcome:
        start_s = time.perf_counter()
        results = Counter(await asyncio.gather(*(one(target) for _ in range(sockets))))
        label = ", ".join(f"{n}× {name}" for name, n in results.most_common())
        return CaseOutcome(label, time.perf_counter() - start_s, dict(results))

    return case


def ws_long_query_case(*, query_bytes: int, cap_s: float) -> Case:
    """A WebSocket handshake whose query string is ``query_bytes`` long."""

    async def case(target: Target) -> CaseOutcome:
        host, port = target.host_port
        path = "/ws/realtime?instructions=" + "a" * query_bytes
        extra = (
            ("Upgrade", "websocket"),
            ("Connection", "Upgrade"),
            ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
            ("Sec-WebSocket-Version", "13"),
        )
        head = request_head("GET", path, basic_auth=auth_token(target), extra=extra)
        return _from_answer(await exchange(host, port, head, cap_s=cap_s))

    return case


def get_case(path: str, *, with_login: bool, cap_s: float) -> Case:
    """GET ``path`` with or without the login (which routes are open without it?)."""

    async def case(target: Target) -> CaseOutcome:
        host, port = target.host_port
        head = request_head("GET", path, basic_auth=auth_token(target) if with_login else None)
        return _from_answer(await exchange(host, port, head, cap_s=cap_s))

    return case


async def _gradio_login_cookie(target: Target) -> str | None:
    """Log in through Gradio's own form; the session cookie as a ``Cookie`` header value."""
    if target.auth is None:
        return None
    async with httpx.AsyncClient(base_url=target.url, timeout=10.0) as client:
        form = {"username": target.auth[0], "password": target.auth[1]}
        with contextlib.suppress(httpx.HTTPError):
            await client.post("/login", data=form)
        return "; ".join(f"{k}={v}" for k, v in client.cookies.items()) or None


def gradio_upload_case(n_bytes: int, *, cap_s: float) -> Case:
    """A logged-in POST of ``n_bytes`` to Gradio's own upload route."""

    async def case(target: Target) -> CaseOutcome:
        host, port = target.host_port
        cookie = await _gradio_login_cookie(target)
        body = multipart_body(bytes(n_bytes), field="files")
        head = request_head(
            "POST",
            "/gradio_api/upload",
            content_type=MULTIPART,
            content_length=len(body),
            extra=(("Cookie", cookie),) if cookie else (),
        )
        answer = await exchange(host, port, head, body, cap_s=cap_s)
        return _from_answer(answer, bytes=n_bytes, logged_in=bool(cookie))

    return case


def ws_message_case(text: str, *, cap_s: float) -> Case:
    """Send one hostile text message on a WebSocket session, then a normal turn.

    The label says what the client saw: an ``error`` event (the contract), and whether
    the turn after it still got its reply, or the session went silent.
    """

    async def case(target: Target) -> CaseOutcome:
        headers = {"Authorization": f"Basic {auth_token(target)}"} if target.auth else None
        start_s = time.perf_counter()
        seen: list[str] = []
        url = _ws_url(target, "?sample_rate_hz=24000&turn_detection=none")
        with contextlib.suppress(TimeoutError, OSError, WebSocketException):
            async with asyncio.timeout(cap_s), connect(url, additional_headers=headers) as ws:
                await ws.send(text)
                await ws.send(bytes(9600))  # 200 ms of silence, then a commit
                await ws.send('{"type": "commit"}')
                async for message in ws:
                    if isinstance(message, str):
                        kind = str(json.loads(message).get("type"))
                        seen.append(kind)
                        if kind in ("turn_done", "session_ended"):
                            break
        error = "error" in seen
        replied = "turn_done" in seen
        label = ("error event" if error else "no error event") + (
            ", turn completed" if replied else ", then silent"
        )
        return CaseOutcome(label, time.perf_counter() - start_s, {"events": seen[:20]})

    return case
