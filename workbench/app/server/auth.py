"""Login for the parts of ``workbench serve`` that Gradio's own auth does not cover.

With ``--auth`` Gradio protects its pages and queue with a login form and a session
cookie. The duplex page, its WebSocket and the HTTP API are plain FastAPI routes on the
same app, so :class:`AuthGate` (pure ASGI middleware, HTTP and WebSocket alike) guards
them: a request passes with Gradio's session cookie (log in once on ``/``, then the
duplex page and its WebSocket just work) or with HTTP Basic credentials (scripts).
Anything else gets 401 (HTTP) or a refused handshake (WebSocket, HTTP 403).
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any

from workbench.errors import ConfigError

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Path prefixes the gate protects (everything else is Gradio's, which has its own login).
PROTECTED_PREFIXES: tuple[str, ...] = (
    "/duplex",
    "/ws/",
    "/realtime_audio",
    "/sessions",
    "/metrics",
)


@dataclass(frozen=True)
class Credentials:
    """One user name and password (the password never prints)."""

    username: str
    password: str

    def __repr__(self) -> str:
        return f"Credentials({self.username!r}, '***')"


def parse_auth(text: str) -> list[Credentials]:
    """Parse ``user:password`` (several separated by commas) from ``--auth``/``WORKBENCH_AUTH``.

    Raises
    ------
    ConfigError
        An entry without a colon, or with an empty user name or password.
    """
    creds: list[Credentials] = []
    for entry in (e.strip() for e in text.split(",")):
        if not entry:
            continue
        user, sep, password = entry.partition(":")
        if not sep or not user.strip() or not password:
            raise ConfigError("auth must be user:password (several separated by commas)")
        creds.append(Credentials(user.strip(), password))
    if not creds:
        raise ConfigError("auth must be user:password (several separated by commas)")
    return creds


def check_basic(header: str | None, creds: Sequence[Credentials]) -> bool:
    """Whether an ``Authorization: Basic …`` header matches one of ``creds``."""
    if not header or not header.lower().startswith("basic "):
        return False
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return False
    user, _, password = decoded.partition(":")
    return any(
        hmac.compare_digest(user.encode(), c.username.encode())
        & hmac.compare_digest(password.encode(), c.password.encode())
        for c in creds
    )


class AuthGate:
    """ASGI middleware: requests under :data:`PROTECTED_PREFIXES` need a login.

    Parameters
    ----------
    app : ASGI app
        The wrapped application.
    creds : sequence of Credentials
        Accepted HTTP Basic credentials.
    session_user : callable
        ``cookies -> user or None``: resolves Gradio's login cookie (the server wires
        this to the mounted Gradio app's token table).
    prefixes : tuple[str, ...]
        Protected path prefixes.
    """

    def __init__(
        self,
        app: ASGIApp,
        creds: Sequence[Credentials],
        session_user: Callable[[dict[str, str]], str | None],
        prefixes: tuple[str, ...] = PROTECTED_PREFIXES,
    ) -> None:
        self.app = app
        self.creds = list(creds)
        self.session_user = session_user
        self.prefixes = prefixes

    def protects(self, path: str) -> bool:
        """Whether ``path`` needs a login."""
        return any(path == p.rstrip("/") or path.startswith(p) for p in self.prefixes)

    def allowed(self, scope: Scope) -> bool:
        """Whether the request carries a valid Gradio session or Basic credentials."""
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if check_basic(headers.get("authorization"), self.creds):
            return True
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # a malformed Cookie header is simply not a login
            return False
        return self.session_user({k: m.value for k, m in cookie.items()}) is not None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind not in ("http", "websocket") or not self.protects(scope["path"]):
            await self.app(scope, receive, send)
            return
        if self.allowed(scope):
            await self.app(scope, receive, send)
            return
        if kind == "websocket":
            # Closing before accept makes the server answer the handshake with 403.
            await send({"type": "websocket.close", "code": 1008, "reason": "login required"})
            return
        body = (
            b"<!doctype html><meta charset=utf-8><title>Login required</title>"
            b"<p>Login required. <a href='/'>Log in on the workbench page</a>, then come back "
            b"(or send HTTP Basic credentials).</p>"
        )
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [
                    (b"content-type", b"text/html; charset=utf-8"),
                    (b"www-authenticate", b'Basic realm="workbench"'),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
