"""One SDK client per process and credential: shared by sessions, never across keys.

Against the WebSocket mock on 127.0.0.1 through the real ``openai`` SDK.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from workbench.backends import sdk_clients
from workbench.backends.openai_sdk import OpenAISdkBackend, SdkConnection, SdkSettings
from workbench.errors import UpstreamError
from workbench.mock.server import MockServer, serve_mock
from workbench.protocol.dialects import Dialect

TIMEOUT_S = 20.0


@pytest.fixture
async def clean_cache() -> AsyncIterator[None]:
    """Each test starts and ends with no cached client (the cache is process-wide)."""
    await sdk_clients.aclose_shared_clients()
    yield
    await sdk_clients.aclose_shared_clients()


def _mock_backend(server: MockServer, key: str | None = None) -> OpenAISdkBackend:
    settings = SdkSettings(
        target="mock-server", model="gpt-realtime", endpoint=server.url, api_key=key
    )
    return OpenAISdkBackend(settings, connect_timeout_s=TIMEOUT_S)


async def _open_and_close(backend: OpenAISdkBackend) -> SdkConnection:
    conn = await backend.connect()
    await conn.close()
    return conn


@pytest.mark.usefixtures("clean_cache")
async def test_sessions_connecting_at_once_share_one_client() -> None:
    async with serve_mock(expected_key="right-key") as server:
        backends = [_mock_backend(server, "right-key") for _ in range(12)]
        async with asyncio.timeout(TIMEOUT_S):
            await asyncio.gather(*(_open_and_close(b) for b in backends))
            await server.wait_idle(timeout_s=5.0)
        assert server.total_connections == 12
        assert sdk_clients.client_count() == 1
        shared = sdk_clients.cached_client(backends[0].client_spec)
        assert all(sdk_clients.cached_client(b.client_spec) is shared for b in backends)


@pytest.mark.usefixtures("clean_cache")
async def test_another_key_gets_its_own_client_and_is_refused() -> None:
    async with serve_mock(expected_key="right-key") as server:
        right, wrong = _mock_backend(server, "right-key"), _mock_backend(server, "sk-wrong")
        await _open_and_close(right)
        with pytest.raises(UpstreamError) as refused:
            await wrong.connect()
        await _open_and_close(right)  # the refusal did not poison the right key's client
    assert refused.value.code == "upstream_auth"
    assert "sk-wrong" not in str(refused.value)
    assert sdk_clients.client_count() == 2
    right_client = sdk_clients.cached_client(right.client_spec)
    assert right_client is not sdk_clients.cached_client(wrong.client_spec)


@pytest.mark.usefixtures("clean_cache")
async def test_prepare_at_start_up_means_connect_builds_nothing() -> None:
    async with serve_mock() as server:
        backend = _mock_backend(server)
        assert sdk_clients.cached_client(backend.client_spec) is None
        backend.prepare()
        prepared = sdk_clients.cached_client(backend.client_spec)
        assert prepared is not None
        await _open_and_close(backend)
        assert sdk_clients.cached_client(backend.client_spec) is prepared
        assert sdk_clients.client_count() == 1


@pytest.mark.usefixtures("clean_cache")
async def test_shutdown_closes_the_clients_and_a_later_connect_rebuilds() -> None:
    async with serve_mock() as server:
        backend = _mock_backend(server)
        await _open_and_close(backend)
        await sdk_clients.aclose_shared_clients()
        assert sdk_clients.client_count() == 0
        await _open_and_close(backend)
        assert sdk_clients.client_count() == 1


@pytest.mark.usefixtures("clean_cache")
async def test_azure_with_entra_asks_for_a_token_on_every_connect() -> None:
    tokens: list[str] = []

    async def token_provider() -> str:
        tokens.append(f"entra-{len(tokens)}")
        return tokens[-1]

    async with serve_mock() as server:
        settings = SdkSettings(
            target="azure",
            model="my-deployment",
            dialect=Dialect.GA,
            endpoint=server.http_base_url,  # plain http: the realtime URL is ws://
            token_provider=token_provider,
        )
        backend = OpenAISdkBackend(settings, connect_timeout_s=TIMEOUT_S)
        for _ in range(2):
            await _open_and_close(backend)
        await server.wait_idle(timeout_s=5.0)
        info = server.connections[-1]
    assert tokens == ["entra-0", "entra-1"]  # one shared client, a fresh token each time
    assert (info.path, info.auth) == ("/openai/v1/realtime", "bearer")
    assert sdk_clients.client_count() == 1


def test_a_client_spec_never_shows_the_key() -> None:
    spec = sdk_clients.client_spec(
        "openai",
        endpoint=None,
        api_key="sk-very-secret",
        token_provider=None,
        preview_azure=False,
        api_version="",
    )
    other = sdk_clients.client_spec(
        "openai",
        endpoint=None,
        api_key="sk-other-secret",
        token_provider=None,
        preview_azure=False,
        api_version="",
    )
    assert "sk-very-secret" not in repr(spec) and "sk-very-secret" not in repr(spec.key)
    assert spec.key != other.key and spec.key.auth == "key"


@pytest.mark.usefixtures("clean_cache")
def test_openai_and_azure_use_tls_and_the_mock_does_not() -> None:
    openai = OpenAISdkBackend(SdkSettings(target="openai", model="m", api_key="sk-x"))
    azure = OpenAISdkBackend(
        SdkSettings(target="azure", model="d", api_key="k", endpoint="https://r.openai.azure.com")
    )
    mock = OpenAISdkBackend(
        SdkSettings(target="mock-server", model="m", endpoint="ws://127.0.0.1:9")
    )
    for backend, tls in ((openai, True), (azure, True), (mock, False)):
        backend.prepare()
        client = sdk_clients.cached_client(backend.client_spec)
        assert sdk_clients.uses_tls(client) is tls
