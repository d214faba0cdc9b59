"""``WS /ws/realtime``: the handshake (origin, query settings, network profile), then one
:class:`~workbench.app.api.ws_connection.WsConnection` per WebSocket.

The protocol is specified in docs/api.md.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, WebSocket

from workbench.app.api.ws_client_messages import (
    SETTING_KEYS,
    ClientMessageError,
    session_kind_from_query,
    settings_from_query,
)
from workbench.app.api.ws_connection import POLICY_CLOSE_CODE, WsConnection
from workbench.app.api.ws_netem import impaired_websocket
from workbench.app.api.ws_server_messages import error_message
from workbench.netem.profiles import get_profile
from workbench.service import SessionService


def add_ws_route(router: APIRouter, service: SessionService) -> None:
    """Register ``WS /ws/realtime`` on ``router``."""

    @router.websocket("/ws/realtime")
    async def ws_realtime(websocket: WebSocket) -> None:
        if not origin_allowed(
            websocket.headers.get("origin"),
            websocket.headers.get("host"),
            service.server.allowed_origins,
        ):
            await websocket.close(code=POLICY_CLOSE_CODE, reason="origin not allowed")  # HTTP 403
            return
        await websocket.accept()
        try:
            settings = settings_from_query(websocket.query_params, service.defaults)
            kind = session_kind_from_query(websocket.query_params)
        except ClientMessageError as exc:
            await websocket.send_json(error_message(exc.code, exc.message, fatal=True))
            await websocket.close(code=POLICY_CLOSE_CODE, reason=exc.code)
            return
        # Settings in the query: open upstream at once. Without any, a client may still
        # send a settings message first, so wait briefly for it before connecting.
        wait = not any(key in websocket.query_params for key in SETTING_KEYS)
        profile = get_profile(service.server.client_net_profile)
        if profile.is_transparent:
            await WsConnection(
                service, websocket, settings, wait_for_settings=wait, kind=kind
            ).run()
            return
        # The client leg behind a network profile (--client-net-profile).
        async with impaired_websocket(websocket, profile, service.clock) as impaired:
            await WsConnection(service, impaired, settings, wait_for_settings=wait, kind=kind).run()


def origin_allowed(origin: str | None, host: str | None, allowed: tuple[str, ...]) -> bool:
    """Whether a WebSocket from ``origin`` may connect.

    No ``Origin`` (a non-browser client) is allowed; a browser page is allowed from the
    server's own host (``Host`` header), from any origin listed in ``allowed``, or from
    anywhere when ``allowed`` contains ``"*"``.
    """
    if origin is None:
        return True
    if "*" in allowed or origin.rstrip("/") in {o.rstrip("/") for o in allowed}:
        return True
    netloc = urlsplit(origin).netloc.lower()
    return bool(host) and netloc == (host or "").lower()
