"""Login for every route of ``workbench serve``, Gradio's and ours alike.

With ``--auth`` Gradio protects its pages and queue with a login form and a session
cookie. :class:`AuthGate` (pure ASGI middleware, HTTP and WebSocket alike) sits in front
of the whole composed app and lets a request through only with Gradio's session cookie
(log in once on ``/``, then the duplex page, its WebSocket and the API just work) or
with HTTP Basic credentials (scripts) — except the few paths the login page itself
needs (:data:`PUBLIC_PATHS`, :data:`PUBLIC_PREFIXES`) and ``/healthz``. It is an
allowlist: a route added later is protected without anyone remembering to list it.
Anything else gets 401 (HTTP; JSON in the API's shape unless a browser asks for a
page) or a refused handshake (WebSocket, HTTP 403).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
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

#: Paths served without a login: the health check, and Gradio's login page and login
#: form (measured: what a browser fetches to show the form and log in, Gradio 6.31).
PUBLIC_PATHS: frozenset[str] = frozenset(
    {"/healthz", "/", "/login", "/login/", "/theme.css", "/favicon.ico", "/manifest.json"}
)
#: Path prefixes served without a login: Gradio's own built frontend files (scripts,
#: styles, fonts; the same for every user, no data).
PUBLIC_PREFIXES: tuple[str, ...] = ("/assets/", "/static/")


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
    """ASGI middleware: every request needs a login but the public ones.

    Parameters
    ----------
    app : ASGI app
        The wrapped application.
    creds : sequence of Credentials
        Accepted HTTP Basic credentials.
    session_user : callable
        ``cookies -> user or None``: resolves Gradio's login cookie (the server wires
        this to the mounted Gradio app's token table).
    public_paths, public_prefixes
        What is served without a login (default: :data:`PUBLIC_PATHS`,
        :data:`PUBLIC_PREFIXES`). WebSockets are never public.
    """

    def __init__(
        self,
        app: ASGIApp,
        creds: Sequence[Credentials],
        session_user: Callable[[dict[str, str]], str | None],
        public_paths: frozenset[str] = PUBLIC_PATHS,
        public_prefixes: tuple[str, ...] = PUBLIC_PREFIXES,
    ) -> None:
        self.app = app
        self.creds = list(creds)
        self.session_user = session_user
        self.public_paths = public_paths
        self.public_prefixes = public_prefixes

    def protects(self, scope: Scope) -> bool:
        """Whether the request needs a login (everything but the public HTTP paths)."""
        if scope["type"] == "websocket":
            return True
        path: str = scope["path"]
        if ".." in path.split("/"):
            return True  # no path tricks into the public prefixes
        return path not in self.public_paths and not path.startswith(self.public_prefixes)

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
        if kind not in ("http", "websocket") or not self.protects(scope) or self.allowed(scope):
            await self.app(scope, receive, send)
            return
        if kind == "websocket":
            # Closing before accept makes the server answer the handshake with 403.
            await send({"type": "websocket.close", "code": 1008, "reason": "login required"})
            return
        await _login_required(scope, send)


async def _login_required(scope: Scope, send: Send) -> None:
    """401: an HTML page with a link for a browser, the API's JSON error otherwise."""
    accept = next((v for k, v in scope["headers"] if k.lower() == b"accept"), b"")
    if b"text/html" in accept:
        body = (
            b"<!doctype html><meta charset=utf-8><title>Login required</title>"
            b"<p>Login required. <a href='/'>Log in on the workbench page</a>, then come "
            b"back (or send HTTP Basic credentials).</p>"
        )
        ctype = b"text/html; charset=utf-8"
    else:
        message = "login required: log in on / first, or send HTTP Basic credentials"
        body = json.dumps({"error": {"code": "login_required", "message": message}}).encode()
        ctype = b"application/json"
    await send(
        {
            "type": "http.response.start",
            "status": 401,
            "headers": [
                (b"content-type", ctype),
                (b"www-authenticate", b'Basic realm="workbench"'),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
