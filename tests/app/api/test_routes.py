"""The API app in process (httpx ASGI transport): ops routes, OpenAPI, mounting."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from tests.support.services import make_service
from workbench.app.api.app import add_api_routes, create_api_app
from workbench.backends.inprocess import InProcessBackend


def _app() -> FastAPI:
    return create_api_app(make_service(InProcessBackend()))


def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


async def test_healthz_names_the_backend_and_counts_sessions() -> None:
    app = _app()
    async with _client(app) as http:
        body = (await http.get("/healthz")).json()
    assert body["status"] == "ok" and body["active_sessions"] == 0
    assert body["backend"]["is_mock"] is True and "mock" in body["backend"]["description"]


async def test_metrics_are_prometheus_text_from_a_per_app_registry() -> None:
    a = _app()
    b = _app()  # no duplicate-metric error
    a.state.workbench_service.metrics.audio_out_bytes.labels(kind="upload").inc(123)
    async with _client(a) as http_a, _client(b) as http_b:
        text_a = (await http_a.get("/metrics")).text
        response_b = await http_b.get("/metrics")
    assert 'workbench_audio_out_bytes_total{kind="upload"} 123.0' in text_a
    assert "workbench_audio_out_bytes_total{" not in response_b.text
    assert response_b.headers["content-type"].startswith("text/plain")


async def test_unknown_session_is_404_json() -> None:
    async with _client(_app()) as http:
        response = await http.get("/sessions/nope")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_session"


async def test_bad_query_values_use_the_api_error_shape() -> None:
    async with _client(_app()) as http:
        response = await http.post("/realtime_audio/?format=mp3", files={"audio_file": b"x"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "bad_request"
    assert "format" in response.json()["error"]["message"]


async def test_openapi_documents_every_route_with_examples() -> None:
    async with _client(_app()) as http:
        spec = (await http.get("/openapi.json")).json()
    paths = spec["paths"]
    upload = paths["/realtime_audio/"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    assert (
        "audio_file"
        in upload["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"]
    )
    assert {"200", "413", "415", "422", "502", "503"} <= set(upload["responses"])
    assert upload["responses"]["415"]["content"]["application/json"]["example"]["error"]["code"]
    assert "audio/pcm" in upload["responses"]["200"]["content"]
    assert "/realtime_audio/stream" in paths and "/sessions/{session_id}" in paths
    assert {"/healthz", "/metrics"} <= set(paths)
    assert "/ws/realtime" in spec["info"]["description"]
    assert "ErrorBody" in spec["components"]["schemas"]


async def test_routes_can_be_added_to_another_app_next_to_its_own() -> None:
    app = FastAPI(openapi_tags=[{"name": "ui", "description": "the UI"}])

    @app.get("/hello")
    async def hello() -> dict[str, str]:
        return {"hi": "there"}

    service = make_service(InProcessBackend())
    add_api_routes(app, service)
    assert app.state.workbench_service is service
    async with _client(app) as http:
        assert (await http.get("/hello")).json() == {"hi": "there"}
        assert (await http.get("/healthz")).json()["status"] == "ok"
    assert [t["name"] for t in app.openapi_tags or []] == ["ui", "realtime", "ops"]


def test_cli_has_the_api_and_client_commands() -> None:
    from workbench.cli import build_parser

    parser = build_parser()
    args = parser.parse_args(["api", "--port", "9999", "--allowed-origins", "http://a,http://b"])
    assert args.port == 9999 and callable(args.func)
    from workbench.settings import ServerSettings
    from workbench.settings.cli import resolve

    assert resolve(ServerSettings, args=args).allowed_origins == ("http://a", "http://b")
    args = parser.parse_args(["client", "clip.m4a", "--stream", "-o", "r.wav"])
    assert args.stream and str(args.out) == "r.wav" and args.url == "http://127.0.0.1:7860"
