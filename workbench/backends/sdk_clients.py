"""One ``openai`` SDK client per process and target, built once, off the event loop.

Building an ``AsyncOpenAI`` client builds an httpx client, and with it an SSL context
that loads the CA bundle: ~17 ms of CPU, even for a ``ws://`` mock that never uses it.
Built per session, that blocked the event loop — and every live session on it — on
every connect (1.1–1.9 s in total while 100 sessions connected at once). A ``wss://``
connect without an ``ssl`` argument also makes ``websockets`` build a fresh default SSL
context each time. So this module keeps, per process:

- one client per :class:`ClientKey` (target, endpoint, a digest of the key, auth kind,
  API version); the realtime connections of every session share it (they do not use
  its HTTP pool, only its URL and auth logic);
- one default SSL context for every ``wss://`` connect.

:func:`shared_client` builds what is missing in a worker thread (never on the loop) and
only once, however many sessions ask at the same moment; :func:`prepare` does the same
synchronously, for a server's start-up; :func:`aclose_shared_clients` closes them all on
shutdown. The key itself is never part of a cache key, a log line or a ``repr``.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import ssl
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

from workbench.redact import redacting_logger

SdkTarget = Literal["openai", "azure", "mock-server"]
TokenProvider = Callable[[], Awaitable[str]]
AuthKind = Literal["key", "entra", "none"]

_lock = threading.Lock()
_clients: dict[ClientKey, Any] = {}
_ssl_context: ssl.SSLContext | None = None


@dataclass(frozen=True, slots=True)
class ClientKey:
    """What makes two sessions' SDK clients interchangeable (no secret in it).

    Attributes
    ----------
    target : {"openai", "azure", "mock-server"}
        The service.
    endpoint : str | None
        Azure resource or mock URL (None: OpenAI's default).
    key_digest : str | None
        SHA-256 of the API key (hex), so two keys never share a client.
    auth : {"key", "entra", "none"}
        How the client authenticates.
    preview_azure : bool
        Azure's preview surface (``AsyncAzureOpenAI``) rather than its ``/openai/v1`` path.
    api_version : str
        Azure preview API version.
    """

    target: SdkTarget
    endpoint: str | None
    key_digest: str | None
    auth: AuthKind
    preview_azure: bool
    api_version: str


@dataclass(frozen=True)
class ClientSpec:
    """How to build a client for a :class:`ClientKey` (holds the secret; never printed)."""

    key: ClientKey
    api_key: str | None
    token_provider: TokenProvider | None

    def __repr__(self) -> str:
        return f"ClientSpec(key={self.key!r})"


def client_spec(
    target: SdkTarget,
    *,
    endpoint: str | None,
    api_key: str | None,
    token_provider: TokenProvider | None,
    preview_azure: bool,
    api_version: str,
) -> ClientSpec:
    """The :class:`ClientSpec` of one backend's settings (see ``SdkSettings``)."""
    digest = hashlib.sha256(api_key.encode()).hexdigest() if api_key else None
    auth: AuthKind = "key" if api_key else ("entra" if token_provider is not None else "none")
    key = ClientKey(
        target=target,
        endpoint=endpoint,
        key_digest=digest,
        auth=auth,
        preview_azure=preview_azure and target == "azure",
        api_version=api_version if target == "azure" else "",
    )
    return ClientSpec(key=key, api_key=api_key, token_provider=token_provider)


def cached_client(spec: ClientSpec) -> Any | None:
    """The process's client for ``spec`` if it was built already (never blocks)."""
    return _clients.get(spec.key)


def prepare(spec: ClientSpec) -> Any:
    """The process's client for ``spec``, built now if missing (blocking: ~20 ms once).

    Call it from a thread or before the event loop runs (a server's start-up), not from
    a coroutine: :func:`shared_client` is the coroutine version.
    """
    client = _clients.get(spec.key)
    if client is not None:
        return client
    with _lock:  # one build per key, however many threads ask at once
        client = _clients.get(spec.key)
        if client is None:
            client = _build(spec)
            # The realtime resources are built (and their modules imported: ~250 of
            # them, ~100 ms) on first access; do it now rather than in a first connect.
            _ = client.realtime, client.beta.realtime
            _clients[spec.key] = client
        return client


async def shared_client(spec: ClientSpec) -> Any:
    """The process's client for ``spec``; a missing one is built in a worker thread."""
    client = _clients.get(spec.key)
    if client is not None:
        return client
    return await asyncio.to_thread(prepare, spec)


def ssl_context() -> ssl.SSLContext:
    """The process's default client SSL context for ``wss://`` (built once, blocking)."""
    global _ssl_context
    context = _ssl_context
    if context is None:
        with _lock:
            if _ssl_context is None:
                _ssl_context = ssl.create_default_context()
            context = _ssl_context
    return context


async def shared_ssl_context() -> ssl.SSLContext:
    """:func:`ssl_context`, built in a worker thread the first time."""
    context = _ssl_context
    if context is not None:
        return context
    return await asyncio.to_thread(ssl_context)


def uses_tls(client: Any) -> bool:
    """Whether ``client``'s realtime URL is ``wss://`` (from its public base URLs)."""
    base = client.websocket_base_url or client.base_url
    return str(base).startswith(("wss:", "https:"))


def client_count() -> int:
    """How many SDK clients this process holds (one per target and credential)."""
    return len(_clients)


async def aclose_shared_clients() -> None:
    """Close and forget every cached client (a server's shutdown; bounded: 2 s each)."""
    with _lock:
        clients = list(_clients.values())
        _clients.clear()
    for client in clients:
        with contextlib.suppress(Exception):
            async with asyncio.timeout(2.0):
                await client.close()


def _build(spec: ClientSpec) -> Any:
    """A new SDK client for ``spec`` (imports the SDK on first use)."""
    # The SDK's realtime connect imports websockets' client on first use (~10 ms).
    import websockets.asyncio.client  # noqa: F401
    from openai import AsyncAzureOpenAI, AsyncOpenAI

    # websockets logs every handshake header (the key included) at DEBUG.
    redacting_logger("websockets.client")
    key, api_key = spec.key, spec.api_key
    if key.preview_azure:
        azure: dict[str, Any] = {"azure_endpoint": key.endpoint, "api_version": key.api_version}
        if api_key:
            azure["api_key"] = api_key
        else:
            azure["azure_ad_token_provider"] = spec.token_provider
        return AsyncAzureOpenAI(**azure, max_retries=0)
    if key.target == "azure":
        # Azure's GA surface is the OpenAI-compatible /openai/v1 path. With Entra ID the
        # SDK calls the token provider on every connect (an async api_key callable).
        base = f"{(key.endpoint or '').rstrip('/')}/openai/v1"
        headers = {"api-key": api_key} if api_key else {}
        credential: Any = api_key if api_key else spec.token_provider
        return AsyncOpenAI(
            api_key=credential, base_url=base, default_headers=headers, max_retries=0
        )
    if key.target == "mock-server":
        base = f"{(key.endpoint or '').rstrip('/')}/v1"
        return AsyncOpenAI(api_key=api_key or "mock", websocket_base_url=base, max_retries=0)
    return AsyncOpenAI(api_key=api_key, max_retries=0)
