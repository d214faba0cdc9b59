"""The login gate over the whole composed app: every route needs a login but the login page.

The routes are enumerated from the app itself (ours and Gradio's), so a route added
later is checked without anyone listing it here.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator

import pytest
from fastapi.routing import APIWebSocketRoute, iter_route_contexts
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute, Mount, WebSocketRoute
from starlette.websockets import WebSocketDisconnect

from workbench.app.server.assembly import create_app
from workbench.app.server.auth import PUBLIC_PATHS, AuthGate, Credentials
from workbench.service import SessionService

USER, PASSWORD = "ann", "secret"


def _basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "x", path) or "/"


def every_route(routes: list[BaseRoute], prefix: str = "") -> list[tuple[str, str]]:
    """(method, path) of every route, included routers and mounted apps too (``WS`` for
    WebSockets); FastAPI's ``iter_route_contexts`` flattens its included routers."""
    found: list[tuple[str, str]] = []
    for context in iter_route_contexts(routes):
        route = context.original_route
        path = context.path
        if isinstance(route, Mount):
            inner = getattr(route.app, "routes", None)
            if inner:
                found += every_route(list(inner), prefix + route.path)
            else:  # static files
                found.append(("GET", f"{prefix}{route.path}/x"))
        elif isinstance(route, WebSocketRoute | APIWebSocketRoute) and path is not None:
            found.append(("WS", prefix + _concrete(path)))
        elif path is not None:
            for method in sorted(context.methods or {"GET"}):
                found.append((method, prefix + _concrete(path)))
    return found


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    built = create_app(SessionService(), auth=[Credentials(USER, PASSWORD)])
    with TestClient(built.app) as test_client:
        yield test_client


def test_every_route_but_the_login_page_and_the_health_check_needs_a_login(
    client: TestClient,
) -> None:
    routes = sorted(set(every_route(list(client.app.routes))))  # type: ignore[attr-defined]
    assert len(routes) > 80  # Gradio's and ours: the enumeration found them
    opened = []
    for method, path in routes:
        if method == "WS":
            with pytest.raises(WebSocketDisconnect), client.websocket_connect(path) as ws:
                ws.receive_json()
            continue
        status = client.request(method, path).status_code
        public = path in PUBLIC_PATHS or path.startswith(("/assets/", "/static/"))
        if public:
            opened.append(path)
            assert status != 401, (method, path)
        else:
            assert status == 401, (method, path, status)
    assert {"/", "/healthz", "/login"} <= set(opened)
    # The API's own docs and schema, open before: now behind the login.
    for path in ("/api/openapi.json", "/api/docs", "/gradio_api/upload", "/metrics"):
        assert client.get(path).status_code == 401, path
        assert client.get(path, headers=_basic(USER, PASSWORD)).status_code != 401, path


def test_a_refusal_is_json_for_scripts_and_a_page_for_browsers(client: TestClient) -> None:
    answer = client.get("/sessions")
    assert answer.json()["error"]["code"] == "login_required"
    assert answer.headers["www-authenticate"].startswith("Basic")
    page = client.get("/sessions", headers={"Accept": "text/html"})
    assert page.status_code == 401 and "Log in" in page.text


def test_no_path_trick_reaches_a_protected_route_through_a_public_prefix() -> None:
    gate = AuthGate(lambda s, r, w: None, [Credentials(USER, PASSWORD)], lambda c: None)  # type: ignore[arg-type, return-value]
    assert gate.protects({"type": "http", "path": "/assets/../sessions"})
    assert gate.protects({"type": "websocket", "path": "/"})
    assert not gate.protects({"type": "http", "path": "/assets/index.js"})


def test_the_enumeration_sees_every_route_family(client: TestClient) -> None:
    paths = {path for _, path in every_route(list(client.app.routes))}  # type: ignore[attr-defined]
    for expected in (
        "/realtime_audio/",
        "/realtime_audio/stream",
        "/ws/realtime",
        "/sessions/x",
        "/duplex",
        "/gradio_api/upload",
        "/gradio_api/queue/join",
        "/api/openapi.json",
    ):
        assert expected in paths, expected
