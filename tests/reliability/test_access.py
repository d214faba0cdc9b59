"""Who may use the server (issue 11, part 6).

A public share link needs a login; the WebSocket refuses a page from another origin
(with or without a login: a logged-in browser must not be driven by a foreign page);
with a login configured, the API and the WebSocket need it; CORS is off by default.
"""

from __future__ import annotations

import base64

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from tests.reliability.harness import (
    Switchboard,
    api_app,
    inprocess,
    is_type,
    receive_until,
    serve,
    tone,
    upload,
    ws_url,
)
from workbench.app.server.share import share_policy
from workbench.cli import build_parser
from workbench.errors import ConfigError

EVIL = "https://evil.example"
USER, PASSWORD = "ann", "correct-horse-battery"


def basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


# --- share ---------------------------------------------------------------------------------


def test_share_needs_a_login_unless_explicitly_waived() -> None:
    refusal = share_policy(share=True, has_auth=False, share_without_auth=False)
    assert refusal is not None and "--auth" in refusal
    assert share_policy(share=True, has_auth=True, share_without_auth=False) is None
    assert share_policy(share=True, has_auth=False, share_without_auth=True) is None
    assert share_policy(share=False, has_auth=False, share_without_auth=False) is None
    with pytest.raises(ConfigError):
        share_policy(share=False, has_auth=False, share_without_auth=True)


def test_serve_share_without_auth_exits_before_serving(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("WORKBENCH_AUTH", raising=False)
    args = build_parser().parse_args(["serve", "--share", "--port", "0"])
    assert args.func(args) == 2
    assert "refusing to share without a login" in capsys.readouterr().err


# --- Origin and CORS on the API -----------------------------------------------------------------


async def _ws_refused(url: str, headers: dict[str, str]) -> int:
    with pytest.raises(InvalidStatus) as refused:
        async with connect(url, additional_headers=headers, open_timeout=5):
            pass
    return refused.value.response.status_code


async def _ws_session(url: str, headers: dict[str, str]) -> str:
    async with connect(url, additional_headers=headers, open_timeout=5) as ws:
        got = await receive_until(ws, is_type("session", "error"), timeout_s=5.0)
    return str(got.messages[-1]["type"])


async def test_ws_refuses_a_cross_origin_page_and_accepts_its_own() -> None:
    async with serve(api_app(Switchboard(inprocess()))) as base:
        url = ws_url(base, turn_detection="none")
        assert await _ws_refused(url, {"Origin": EVIL}) == 403
        assert await _ws_refused(url, {"Origin": "http://localhost:1"}) == 403
        assert await _ws_session(url, {"Origin": base}) == "session"  # the page's own host
        assert await _ws_session(url, {}) == "session"  # no Origin: not a browser


async def test_cors_is_off_by_default() -> None:
    async with (
        serve(api_app(Switchboard(inprocess()))) as base,
        httpx.AsyncClient(base_url=base) as client,
    ):
        for answer in (
            await client.get("/healthz", headers={"Origin": EVIL}),
            await client.options(
                "/realtime_audio/",
                headers={"Origin": EVIL, "Access-Control-Request-Method": "POST"},
            ),
        ):
            assert "access-control-allow-origin" not in answer.headers
        response = await client.post(
            "/realtime_audio/",
            files={"audio_file": ("a.wav", b"RIFF", "audio/wav")},
            headers={"Origin": EVIL},
        )
        assert "access-control-allow-origin" not in response.headers


# --- the full app with a login -----------------------------------------------------------------


async def test_full_app_with_login_guards_api_and_ws_and_still_checks_origin(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from workbench.app.server.assembly import create_app
    from workbench.app.server.auth import Credentials
    from workbench.service import BackendResolver, SessionService

    monkeypatch.setenv("GRADIO_ANALYTICS_ENABLED", "False")
    built = create_app(
        SessionService(resolver=BackendResolver.of(Switchboard(inprocess()))),
        auth=[Credentials(USER, PASSWORD)],
    )
    async with serve(built.app) as base, httpx.AsyncClient(base_url=base, timeout=10) as client:
        url = ws_url(base, turn_detection="none")
        login = basic(USER, PASSWORD)
        # No login: refused everywhere but the health check.
        assert await _ws_refused(url, {}) == 403
        assert await _ws_refused(url, basic(USER, "wrong")) == 403
        assert (await upload(client, tone(440.0, 0.3))).status_code == 401
        assert (await client.get("/sessions")).status_code == 401
        assert (await client.get("/duplex")).status_code == 401
        assert (await client.get("/healthz")).status_code == 200
        # With the login: served; from a foreign page even with the login: refused.
        assert await _ws_session(url, login) == "session"
        assert await _ws_refused(url, {**login, "Origin": EVIL}) == 403
        files = {"audio_file": ("a.wav", b"", "audio/wav")}
        assert (
            await client.post("/realtime_audio/", files=files, headers=login)
        ).status_code == 422
        # CORS stays off on the composed app too (API, duplex page and Gradio's routes).
        for path in ("/healthz", "/config", "/"):
            answer = await client.get(path, headers={**login, "Origin": EVIL})
            allowed = answer.headers.get("access-control-allow-origin")
            assert allowed not in ("*", EVIL), (path, allowed)
