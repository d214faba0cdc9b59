"""API keys never leave the server's side (issue 11, part 5).

The full ``workbench serve`` app runs with fake keys in the environment and the
``openai`` backend pointed at a local mock that demands the OpenAI key, so the key
really is used on every upstream handshake. Every route a browser can fetch, every
WebSocket message, every log record at DEBUG (the openai SDK's and websockets' loggers
included, across a working session and an upstream auth failure), every error passed
on from upstream and every recorded fixture is then searched for the key bytes.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect

from tests.reliability.harness import (
    Received,
    is_type,
    mock_config,
    receive_until,
    sdk_backend,
    serve,
    tone,
    upload,
    wav,
    ws_turn,
    ws_url,
)
from workbench.mock.server import serve_mock

OPENAI_KEY = "sk-test-SECRET-openai-7f3a9c1e5b2d4f60"
AZURE_KEY = "azure-SECRET-0d9e8c7b6a5f4e3d2c1b"
WRONG_KEY = "sk-test-WRONG-key-4b5c6d7e8f9a0b1c2d"
#: Every value that must never appear (the full key, and a distinctive middle part).
NEEDLES = (OPENAI_KEY, AZURE_KEY, WRONG_KEY, "SECRET-openai-7f3a", "WRONG-key-4b5c")
REPO = Path(__file__).resolve().parents[2]
LOGGERS = (
    "",
    "openai",
    "httpx",
    "httpcore",
    "websockets",
    "websockets.client",
    "websockets.server",
    "uvicorn",
    "uvicorn.error",
    "uvicorn.access",
    "gradio",
    "workbench",
    "asyncio",
)


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def debug_logs() -> Iterator[_Capture]:
    """Every log record at DEBUG and above, formatted (with tracebacks), during the test."""
    handler = _Capture()
    saved = {name: logging.getLogger(name).level for name in LOGGERS}
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        for name in LOGGERS:
            logging.getLogger(name).setLevel(logging.DEBUG)
        yield handler
    finally:
        root.removeHandler(handler)
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


def assert_clean(text: str | bytes, where: str) -> None:
    data = text.encode() if isinstance(text, str) else text
    for needle in NEEDLES:
        assert needle.encode() not in data, f"a key appears in {where}"


def assert_ws_clean(got: Received, where: str) -> None:
    for message in got.messages:
        assert_clean(json.dumps(message), f"{where} message {message.get('type')}")
    for frame in got.frames:
        assert_clean(frame, f"{where} binary frame")


@pytest.fixture
def keyed_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_DEPLOYMENT", "WORKBENCH_MOCK_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WORKBENCH_BACKEND", "openai")
    monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", AZURE_KEY)
    monkeypatch.setenv("GRADIO_ANALYTICS_ENABLED", "False")


@pytest.mark.usefixtures("keyed_env")
async def test_keys_never_reach_the_browser_the_logs_or_upstream_errors(
    debug_logs: _Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench.app.browser.routes import STATIC_DIR
    from workbench.app.server.assembly import create_app
    from workbench.backends.environment import BackendEnvironment
    from workbench.service import BackendResolver, SessionService

    async with serve_mock(mock_config(), expected_key=OPENAI_KEY) as mock:
        # The production path: backend "openai", the SDK's base URL pointed at the mock.
        monkeypatch.setenv("OPENAI_BASE_URL", mock.http_base_url + "/v1")
        env = BackendEnvironment.from_env()
        assert env.secrets() == [OPENAI_KEY, AZURE_KEY]
        built = create_app(
            SessionService(resolver=BackendResolver(env=env, mock_base=mock_config()))
        )
        async with (
            serve(built.app) as base,
            httpx.AsyncClient(base_url=base, timeout=20.0) as client,
        ):
            # A working session over each surface: the key is on the upstream wire.
            got = await ws_turn(base, tone(440.0, 0.5))
            assert got.of("turn_done")[-1]["status"] == "completed", got.messages
            assert_ws_clean(got, "WebSocket")
            response = await upload(client, tone(440.0, 0.5))
            assert response.status_code == 200, response.text
            assert_clean(response.content, "upload reply")
            assert_clean(json.dumps(dict(response.headers)), "upload reply headers")
            assert mock.total_connections == 2
            assert {c.auth for c in mock.connections} == {"bearer"}

            # Everything a browser can fetch.
            session_id = response.headers["x-session-id"]
            paths = [
                "/",
                "/config",
                "/gradio_api/info",
                "/info",
                "/api/openapi.json",
                "/api/docs",
                "/healthz",
                "/metrics",
                "/sessions",
                f"/sessions/{session_id}",
                "/duplex",
                *(f"/duplex/static/{p.name}" for p in sorted(STATIC_DIR.iterdir())),
            ]
            page = await client.get("/")
            scripts = re.findall(r'(?:src|href)="(/[^"]+\.(?:js|css))"', page.text)
            paths += scripts[:10]
            fetched = 0
            for path in paths:
                answer = await client.get(path)
                assert_clean(answer.content, path)
                assert_clean(json.dumps(dict(answer.headers)), f"{path} headers")
                fetched += answer.status_code == 200
            assert fetched >= 12
            assert "openai" in (await client.get("/healthz")).text.lower()

            # Upstream refuses the key: the error is passed on, without credentials.
            mock.expected_key = "sk-test-the-mock-now-wants-another-key"
            refused = await upload(client, tone(440.0, 0.5))
            assert refused.status_code == 502
            assert refused.json()["error"]["code"] == "upstream_auth"
            assert_clean(refused.content, "upstream auth failure (HTTP)")
            async with connect(ws_url(base, turn_detection="none"), open_timeout=10) as ws:
                failed = await receive_until(ws, is_type("session_ended"), timeout_s=10.0)
            assert failed.of("error")[0]["code"] == "upstream_auth"
            assert_ws_clean(failed, "upstream auth failure (WebSocket)")

            # A client with the wrong key (another backend): its key stays out of logs too.
            mock.expected_key = OPENAI_KEY
            wrong = sdk_backend(mock.url, api_key=WRONG_KEY)
            with pytest.raises(Exception) as refused_exc:
                await wrong.connect()
            assert_clean(str(refused_exc.value), "SDK refusal")

    assert len(debug_logs.lines) > 50  # DEBUG really was on (handshakes, frames, requests)
    assert any(line.startswith("openai") for line in debug_logs.lines)
    # The handshake header is logged, with its value redacted.
    assert any("> Authorization: ***" in line for line in debug_logs.lines)
    for line in debug_logs.lines:
        assert_clean(line, f"log line {line[:80]!r}")


async def test_recorded_fixture_holds_no_key() -> None:
    from workbench.fixtures.record import clips_scenario, record_session
    from workbench.settings import RelaySettings

    async with serve_mock(mock_config(), expected_key=OPENAI_KEY) as mock:
        fixture = await record_session(
            sdk_backend(mock.url, api_key=OPENAI_KEY),
            RelaySettings(turn_detection="none"),
            clips_scenario([wav(tone(440.0, 0.3))], pace="fast"),
            name="secrets",
        )
    text = fixture.dumps()
    assert '"response.done"' in text or "response.done" in text
    assert_clean(text, "recorded fixture")
    for word in ("Authorization", "Bearer", "api-key"):
        assert word not in text


def test_committed_fixtures_hold_no_credentials() -> None:
    key_like = re.compile(r"sk-[A-Za-z0-9_-]{16,}|Bearer [A-Za-z0-9._-]{16,}|\"api-key\"")
    files = sorted((REPO / "fixtures" / "sessions").glob("**/*.jsonl"))
    for path in files:
        match = key_like.search(path.read_text(encoding="utf-8", errors="replace"))
        assert match is None, f"{path.name} holds {match.group(0)[:12]}…"
