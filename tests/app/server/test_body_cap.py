"""Gradio's upload route gets the API's size limit and the API's 413 answer."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from workbench.app.server.assembly import create_app
from workbench.service import SessionService
from workbench.settings import ServerSettings

MAX_BYTES = 100_000
BOUNDARY = "cap-test-boundary"


def form(n_bytes: int) -> bytes:
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="a.wav"\r\n'
        "Content-Type: audio/wav\r\n\r\n"
    ).encode()
    return head + b"\0" * n_bytes + f"\r\n--{BOUNDARY}--\r\n".encode()


HEADERS = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    service = SessionService(ServerSettings(max_upload_bytes=MAX_BYTES))
    with TestClient(create_app(service).app) as test_client:
        yield test_client


def test_an_upload_within_the_limit_is_stored_by_gradio(client: TestClient) -> None:
    answer = client.post("/gradio_api/upload", content=form(50_000), headers=HEADERS)
    assert answer.status_code == 200 and len(answer.json()) == 1


def test_a_declared_body_over_the_limit_gets_the_apis_413(client: TestClient) -> None:
    body = form(150_000)
    gradio = client.post("/gradio_api/upload", content=body, headers=HEADERS)
    api = client.post("/realtime_audio/", content=body, headers=HEADERS)
    assert gradio.status_code == api.status_code == 413
    assert gradio.json() == api.json()  # the same code and words, naming the setting
    assert "Max upload size, --max-upload-bytes" in gradio.json()["error"]["message"]
    assert gradio.headers["connection"] == "close"


def test_a_chunked_body_without_a_length_is_refused_past_the_limit(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        body = form(1_000_000)
        for i in range(0, len(body), 16_384):
            yield body[i : i + 16_384]

    answer = client.post("/gradio_api/upload", content=chunks(), headers=HEADERS)
    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "too_large"
    assert "Max upload size" in answer.json()["error"]["message"]
