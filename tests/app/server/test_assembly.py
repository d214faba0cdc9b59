"""Composition of the served app: routes, login gate, share policy and its bound."""

from __future__ import annotations

import base64
import threading
import time

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from workbench.app.server.assembly import create_app
from workbench.app.server.auth import Credentials, check_basic, parse_auth
from workbench.app.server.share import open_share_link, share_policy
from workbench.errors import ConfigError
from workbench.service import BackendResolver, SessionService


def _basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


# --- share policy -------------------------------------------------------------------


def test_share_needs_auth_unless_explicitly_waived() -> None:
    refusal = share_policy(share=True, has_auth=False, share_without_auth=False)
    assert refusal is not None and "--auth" in refusal and "--share-without-auth" in refusal
    assert share_policy(share=True, has_auth=True, share_without_auth=False) is None
    assert share_policy(share=True, has_auth=False, share_without_auth=True) is None
    assert share_policy(share=False, has_auth=False, share_without_auth=False) is None
    with pytest.raises(ConfigError):
        share_policy(share=False, has_auth=False, share_without_auth=True)


def test_share_attempt_is_bounded_and_a_late_link_is_torn_down() -> None:
    killed: list[int] = []
    release = threading.Event()

    def slow_tunnel(host: str, port: int, token: str) -> str:
        release.wait(5.0)
        return "https://late.example"

    t0 = time.monotonic()
    result = open_share_link(
        "127.0.0.1", 7861, timeout_s=0.2, tunnel=slow_tunnel, kill=killed.append
    )
    assert time.monotonic() - t0 < 1.0
    assert result.url is None and "within 0.2 s" in result.message
    release.set()
    deadline = time.monotonic() + 5.0
    while not killed and time.monotonic() < deadline:
        time.sleep(0.01)
    assert killed == [7861]


def test_share_failure_is_reported_not_raised() -> None:
    def broken(host: str, port: int, token: str) -> str:
        try:
            raise OSError("Name or service not known")
        except OSError as exc:
            raise RuntimeError("Could not get share link from Gradio API Server.") from exc

    result = open_share_link("127.0.0.1", 1, timeout_s=5, tunnel=broken, kill=lambda p: None)
    assert result.url is None
    assert "Could not get share link" in result.message and "Name or service" in result.message
    ok = open_share_link(
        "127.0.0.1", 1, timeout_s=5, tunnel=lambda h, p, t: "https://x.live", kill=lambda p: None
    )
    assert ok.url == "https://x.live"


def test_real_share_attempt_fails_fast_without_internet() -> None:
    t0 = time.monotonic()
    result = open_share_link("127.0.0.1", 9, timeout_s=25.0)
    assert time.monotonic() - t0 < 26.0
    if result.url is not None:  # pragma: no cover - only with internet access
        pytest.skip("this machine can reach the share service")
    assert "serving locally only" in result.message


# --- credentials ----------------------------------------------------------------------


def test_parse_auth() -> None:
    assert parse_auth("ann:pw") == [Credentials("ann", "pw")]
    assert parse_auth("ann:p:w, bob:x") == [Credentials("ann", "p:w"), Credentials("bob", "x")]
    for bad in ("", "ann", ":pw", "ann:", ","):
        with pytest.raises(ConfigError):
            parse_auth(bad)
    assert "pw" not in repr(Credentials("ann", "pw"))


def test_check_basic() -> None:
    creds = [Credentials("ann", "pä55")]
    assert check_basic(_basic("ann", "pä55")["Authorization"], creds)
    assert not check_basic(_basic("ann", "nope")["Authorization"], creds)
    assert not check_basic("Basic !!!", creds)
    assert not check_basic(None, creds)


# --- the composed app -------------------------------------------------------------------


def test_routes_without_auth() -> None:
    built = create_app(SessionService())
    with TestClient(built.app) as client:
        page = client.get("/duplex")
        assert (
            page.status_code == 200
            and "/ws/realtime" in client.get("/duplex/static/realtime-client.js").text
        )
        assert "AudioWorklet" in page.text or "duplex" in page.text
        assert client.get("/duplex/static/playback-worklet.js").status_code == 200
        assert client.get("/healthz").json()["status"] == "ok"
        root = client.get("/")
        assert root.status_code == 200 and "gradio" in root.text.lower()
        config = client.get("/config").text
        assert "Backend" in config and "mock" in config


def test_login_protects_duplex_ws_and_api() -> None:
    built = create_app(SessionService(), auth=[Credentials("ann", "secret")])
    with TestClient(built.app) as client:
        assert client.get("/duplex").status_code == 401
        assert client.get("/duplex/static/duplex.js").status_code == 401
        assert client.get("/sessions").status_code == 401
        assert client.get("/healthz").status_code == 200  # health checks stay open
        with pytest.raises(WebSocketDisconnect), client.websocket_connect("/ws/realtime") as ws:
            ws.receive_json()
        assert client.get("/duplex", headers=_basic("ann", "secret")).status_code == 200
        assert client.get("/duplex", headers=_basic("ann", "wrong")).status_code == 401
        with client.websocket_connect(
            "/ws/realtime?sample_rate_hz=24000", headers=_basic("ann", "secret")
        ) as ws:
            assert ws.receive_json()["type"] == "session"
            ws.send_json({"type": "close"})
        # Gradio's login form sets a cookie that opens the duplex page too.
        assert client.post("/login", data={"username": "ann", "password": "bad"}).status_code == 400
        assert client.get("/duplex").status_code == 401
        assert client.post("/login", data={"username": "ann", "password": "secret"}).json() == {
            "success": True
        }
        assert client.get("/duplex").status_code == 200
        with client.websocket_connect("/ws/realtime") as ws:
            assert ws.receive_json()["type"] == "session"
            ws.send_json({"type": "close"})


def test_no_key_reaches_the_browser() -> None:
    from workbench.backends.environment import BackendEnvironment, Secret

    env = BackendEnvironment(backend="openai", openai_api_key=Secret("sk-live-SECRET-123"))
    built = create_app(SessionService(resolver=BackendResolver(env=env)))
    with TestClient(built.app) as client:
        for path in ("/", "/config", "/duplex", "/duplex/static/duplex.js", "/healthz"):
            assert "SECRET" not in client.get(path).text, path
