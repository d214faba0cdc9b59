"""``WS /ws/realtime``: the ``surface`` query key (session kind) and the ``features`` list."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.support.services import make_service
from workbench.app.api.app import create_api_app
from workbench.app.api.ws_client_messages import (
    MESSAGE_TYPES,
    ClientMessageError,
    session_kind_from_query,
)
from workbench.backends.inprocess import InProcessBackend


def test_surface_names_the_session_kind() -> None:
    assert session_kind_from_query({}) == "websocket"
    assert session_kind_from_query({"surface": "talk", "chunk_ms": "20"}) == "talk"
    with pytest.raises(ClientMessageError) as bad:
        session_kind_from_query({"surface": "x" * 500})
    assert bad.value.code == "bad_settings" and "surface must be one of talk" in bad.value.message
    assert len(bad.value.message) < 200  # a huge value is not echoed back whole


def test_a_talk_surface_session_counts_as_talk_and_the_session_lists_features() -> None:
    app = create_api_app(make_service(InProcessBackend()))
    with TestClient(app) as client:
        with client.websocket_connect("/ws/realtime?surface=talk&chunk_ms=20") as ws:
            session = ws.receive_json()
            health = client.get("/healthz").json()
            ws.send_json({"type": "close"})
            assert ws.receive_json()["type"] == "session_ended"
        sessions = client.get("/sessions").json()["sessions"]
    assert session["type"] == "session"
    # The client message types this server accepts: optional ones are sent only when listed.
    assert session["features"] == list(MESSAGE_TYPES) and "playout" in session["features"]
    assert health["active_sessions_by_kind"] == {"talk": 1}
    assert [s["kind"] for s in sessions] == ["talk"]


def test_an_unknown_surface_is_refused_like_a_bad_setting() -> None:
    app = create_api_app(make_service(InProcessBackend()))
    with TestClient(app) as client:
        with client.websocket_connect("/ws/realtime?surface=kiosk") as ws:
            error = ws.receive_json()
        health = client.get("/healthz").json()
    assert error["type"] == "error" and error["code"] == "bad_settings" and error["fatal"]
    assert "'kiosk'" in error["message"]
    assert health["active_sessions"] == 0
