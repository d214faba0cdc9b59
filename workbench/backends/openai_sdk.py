"""The ``openai`` SDK backend: OpenAI, Azure OpenAI, or the mock server, GA or preview.

The official SDK builds the URL, the auth headers and the WebSocket; we send our own
encoded events through ``connection.send`` and parse ``recv_bytes`` with our dialect
layer, so both dialects go through one code path. The SDK's own reconnect is left off:
the relay owns reconnects (it must re-send the session settings).

Every session of a process shares one SDK client per target and credential, and one
TLS context (:mod:`workbench.backends.sdk_clients`): a connect builds nothing and does
no blocking work on the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from websockets.exceptions import ConnectionClosed, ConnectionClosedOK, InvalidStatus

from workbench.backends.base import Backend, BackendInfo
from workbench.backends.sdk_clients import (
    ClientSpec,
    SdkTarget,
    TokenProvider,
    client_spec,
    prepare,
    shared_client,
    shared_ssl_context,
    ssl_context,
    uses_tls,
)
from workbench.errors import ConfigError, UpstreamError
from workbench.protocol.dialects import (
    Dialect,
    decode_server_event,
    encode_client_event,
    encode_client_event_json,
)
from workbench.protocol.events import ClientEvent, ServerEvent

__all__ = ["OpenAISdkBackend", "SdkConnection", "SdkSettings", "SdkTarget", "create"]


@dataclass(frozen=True)
class SdkSettings:
    """Where and how the SDK connects. ``api_key`` is a secret and is never shown.

    Parameters
    ----------
    target : {"openai", "azure", "mock-server"}
        Which service. ``mock-server`` is the workbench's own WebSocket mock.
    model : str
        Model name (OpenAI) or deployment name (Azure).
    dialect : Dialect
        GA (``client.realtime``) or preview (``client.beta.realtime``).
    api_key : str | None
        API key; for Azure without a key, ``token_provider`` supplies Entra ID tokens.
    endpoint : str | None
        Azure resource endpoint (``https://NAME.openai.azure.com``) or the mock's
        ``ws://127.0.0.1:PORT`` URL.
    api_version : str
        Azure preview API version.
    extra_query : Mapping[str, str]
        Additional URL query parameters (e.g. the mock's ``mock_ttfa_ms``).
    """

    target: SdkTarget
    model: str
    dialect: Dialect = Dialect.GA
    api_key: str | None = field(default=None, repr=False)
    endpoint: str | None = None
    api_version: str = "2024-10-01-preview"
    extra_query: Mapping[str, str] = field(default_factory=dict)
    token_provider: TokenProvider | None = field(default=None, repr=False)


class OpenAISdkBackend:
    """Backend that opens sessions through the official ``openai`` SDK."""

    def __init__(self, settings: SdkSettings, *, connect_timeout_s: float = 10.0) -> None:
        self.settings = settings
        self.connect_timeout_s = connect_timeout_s

    @property
    def info(self) -> BackendInfo:
        """Human-readable target (host and model/deployment; never the key)."""
        s = self.settings
        if s.target == "azure":
            desc = f"Azure OpenAI deployment {s.model} at {_host(s.endpoint)}"
        elif s.target == "mock-server":
            desc = f"mock realtime server at {_host(s.endpoint)} through the openai SDK"
        else:
            desc = f"OpenAI Realtime, model {s.model}"
        return BackendInfo(
            kind=s.target,
            description=f"{desc} ({s.dialect.value})",
            is_mock=s.target == "mock-server",
            dialect=s.dialect,
            model=s.model,
        )

    @property
    def client_spec(self) -> ClientSpec:
        """Which process-wide SDK client this backend's sessions share."""
        s = self.settings
        return client_spec(
            s.target,
            endpoint=s.endpoint,
            api_key=s.api_key,
            token_provider=s.token_provider,
            preview_azure=s.dialect is Dialect.PREVIEW,
            api_version=s.api_version,
        )

    def prepare(self) -> None:
        """Build the shared SDK client (and TLS context) now: a server's start-up.

        Blocking (tens of ms, plus importing the SDK the first time); afterwards no
        connect does that work on the event loop.
        """
        if uses_tls(prepare(self.client_spec)):
            ssl_context()

    async def connect(self) -> SdkConnection:
        """Open a session; refusals and timeouts become ``UpstreamError``."""
        try:
            async with asyncio.timeout(self.connect_timeout_s):
                manager = await self._manager()
                conn = await manager.enter()
        except TimeoutError:
            raise UpstreamError(
                f"timed out after {self.connect_timeout_s:g} s "
                f"connecting to {self.info.description}",
                code="upstream_unreachable",
                retryable=True,
            ) from None
        except InvalidStatus as exc:
            status = exc.response.status_code
            code = "upstream_auth" if status in (401, 403) else "upstream_refused"
            raise UpstreamError(
                f"{self.info.description} refused the connection (HTTP {status})",
                code=code,
                retryable=status >= 500 or status == 429,
            ) from None
        except (OSError, ConnectionClosed) as exc:
            # Words, not the exception's class name: this reaches the client.
            why = (
                "connection refused"
                if isinstance(exc, ConnectionRefusedError)
                else (
                    "the connection closed"
                    if isinstance(exc, ConnectionClosed)
                    else "network error"
                )
            )
            raise UpstreamError(
                f"cannot reach {self.info.description}: {why}",
                code="upstream_unreachable",
                retryable=True,
            ) from None
        return SdkConnection(conn, self.settings.dialect)

    async def _manager(self) -> Any:
        """The SDK's connection manager on the shared client (nothing built per connect)."""
        s = self.settings
        client = await shared_client(self.client_spec)
        # The SDK's own reconnect stays off (no on_reconnecting): the relay owns them.
        options: dict[str, Any] = {}
        if uses_tls(client):
            # Without it, websockets builds a default SSL context (loads the CA bundle)
            # on the event loop for every wss:// connect.
            options["ssl"] = await shared_ssl_context()
        realtime = client.beta.realtime if s.dialect is Dialect.PREVIEW else client.realtime
        return realtime.connect(
            model=s.model, extra_query=dict(s.extra_query), websocket_connection_options=options
        )


class SdkConnection:
    """One SDK realtime connection speaking our typed events."""

    def __init__(self, conn: Any, dialect: Dialect) -> None:
        self._conn = conn
        self._dialect = dialect
        self._closed = False
        # The SDK's send(dict) re-validates the dict against its TypedDicts first: ~8x
        # the CPU of sending it (measured: ~600 vs ~70 us per 40 ms append). Our events
        # are already in wire form, so use send_raw where the SDK has it (openai >= 2.x).
        self._send_raw = getattr(conn, "send_raw", None)

    @property
    def dialect(self) -> Dialect:
        """The dialect this connection speaks."""
        return self._dialect

    async def send(self, event: ClientEvent) -> None:
        """Encode and send one event; a dropped socket becomes a retryable UpstreamError."""
        try:
            if self._send_raw is not None:
                await self._send_raw(encode_client_event_json(event, self._dialect))
            else:
                await self._conn.send(encode_client_event(event, self._dialect))
        except ConnectionClosed as exc:
            raise _closed_error(exc) from None

    def __aiter__(self) -> AsyncIterator[ServerEvent]:
        return self._events()

    async def _events(self) -> AsyncIterator[ServerEvent]:
        while True:
            try:
                data = await self._conn.recv_bytes()
            except ConnectionClosedOK:
                return
            except ConnectionClosed as exc:
                if self._closed:
                    return
                raise _closed_error(exc) from None
            yield decode_server_event(data)

    async def close(self) -> None:
        """Close the WebSocket (bounded: at most ~1 s for the closing handshake)."""
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(Exception):
            async with asyncio.timeout(1.0):
                await self._conn.close()


def _closed_error(exc: ConnectionClosed) -> UpstreamError:
    rcvd = exc.rcvd
    detail = f"code {rcvd.code}: {rcvd.reason}" if rcvd is not None else "no close frame"
    return UpstreamError(
        f"upstream closed the connection ({detail})", code="upstream_closed", retryable=True
    )


def _host(url: str | None) -> str:
    if not url:
        return "(default endpoint)"
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.hostname + (f":{parts.port}" if parts.port else "") if parts.hostname else url


def create(env: Any, *, mock_config: Any = None, connect_timeout_s: float = 10.0) -> Backend:
    """The registry's constructor for ``openai``, ``azure`` and ``mock-server``.

    Parameters
    ----------
    env : BackendEnvironment
        Target, model/deployment, dialect and credentials (keys stay in ``SdkSettings``).
    mock_config : MockConfig | None
        For ``mock-server``: sent as the mock's ``mock_*`` query parameters.
    connect_timeout_s : float
        Bound on opening one session (s).
    """
    if env.backend == "mock-server":
        query = mock_config.to_query() if mock_config is not None else {}
        sdk = SdkSettings(
            target="mock-server",
            model=env.model,
            dialect=env.dialect,
            endpoint=env.mock_url,
            extra_query=query,
        )
    elif env.backend == "openai":
        if env.openai_api_key is None:
            raise ConfigError("backend openai needs OPENAI_API_KEY")
        sdk = SdkSettings(
            target="openai",
            model=env.model,
            dialect=env.dialect,
            api_key=env.openai_api_key.reveal(),
        )
    else:
        key = env.azure_api_key.reveal() if env.azure_api_key else None
        sdk = SdkSettings(
            target="azure",
            model=env.azure_deployment or env.model,
            dialect=env.dialect,
            api_key=key,
            endpoint=env.azure_endpoint,
            api_version=env.azure_api_version,
            token_provider=None if key else _entra_token_provider(),
        )
    return OpenAISdkBackend(sdk, connect_timeout_s=connect_timeout_s)


@functools.cache
def _entra_token_provider() -> TokenProvider:
    """One Entra ID token provider per process (its credential caches tokens)."""
    try:
        from azure.identity.aio import DefaultAzureCredential, get_bearer_token_provider
    except ImportError:
        raise ConfigError(
            "Azure without AZURE_OPENAI_API_KEY needs Entra ID: pip install azure-identity"
        ) from None
    provider: TokenProvider = get_bearer_token_provider(
        DefaultAzureCredential(), "https://cognitiveservices.azure.com/.default"
    )
    return provider
