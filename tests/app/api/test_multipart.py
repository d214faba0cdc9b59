"""The streaming multipart reader: the parts it keeps, the limits it enforces, no copies."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from starlette.requests import Request

from workbench.app.api.errors import ApiError
from workbench.app.api.multipart import UploadForm, read_multipart_form

BOUNDARY = b"xyz"


def part(name: str, data: bytes, filename: str | None = None) -> bytes:
    disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
    return (
        b"--"
        + BOUNDARY
        + f"\r\nContent-Disposition: {disposition}\r\n\r\n".encode()
        + data
        + b"\r\n"
    )


def body(*parts: bytes) -> bytes:
    return b"".join(parts) + b"--" + BOUNDARY + b"--\r\n"


def read(raw: bytes, *, chunk: int = 7, max_body_bytes: int = 10_000) -> UploadForm:
    """Run the reader on ``raw`` delivered in ``chunk``-byte pieces."""
    pieces = [raw[i : i + chunk] for i in range(0, len(raw), chunk)]
    messages: list[dict[str, Any]] = [
        {"type": "http.request", "body": p, "more_body": i < len(pieces) - 1}
        for i, p in enumerate(pieces)
    ]

    async def receive() -> dict[str, Any]:
        return messages.pop(0)

    scope = {
        "type": "http",
        "method": "POST",
        "headers": [(b"content-type", b"multipart/form-data; boundary=" + BOUNDARY)],
    }
    return asyncio.run(
        read_multipart_form(
            Request(scope, receive),
            file_field="audio_file",
            max_body_bytes=max_body_bytes,
            max_field_bytes=64,
        )
    )


def test_the_file_part_and_text_fields_are_kept_across_any_chunking() -> None:
    raw = body(part("audio_file", b"RIFF-1234", "a.wav"), part("voice", "alloy ü".encode()))
    for chunk in (1, 3, 64, len(raw)):
        form = read(raw, chunk=chunk)
        assert form.read_file() == b"RIFF-1234" and form.file_size == 9
        assert form.filename == "a.wav"
        assert form.fields == {"voice": "alloy ü"}
        assert form.part_names == ["audio_file", "voice"]


def test_only_the_first_file_part_is_kept() -> None:
    raw = body(part("audio_file", b"first", "a.wav"), part("audio_file", b"second" * 100, "b"))
    form = read(raw)
    assert form.read_file() == b"first"
    assert form.part_names == ["audio_file", "audio_file"]


def test_a_file_under_another_name_is_skipped_not_decoded_as_text() -> None:
    form = read(body(part("file", b"\xff\xfe binary", "clip.wav")))
    assert form.file is None and form.part_names == ["file"] and form.fields == {}


@pytest.mark.parametrize(
    ("raw", "status", "code"),
    [
        (body(part("voice", b"v" * 65)), 413, "field_too_large"),
        (body(part("voice", b"\xff\xfe")), 422, "bad_form"),
        (body(part("audio_file", b"x" * 20_000, "a")), 413, "too_large"),
        (body(part("audio_file", b"abc", "a"))[:-8], 422, "bad_form"),
        (b"".join(part(f"f{i}", b"") for i in range(40)) + b"--xyz--\r\n", 422, "bad_form"),
    ],
    ids=["long_field", "field_not_utf8", "body_too_large", "no_closing_boundary", "many_parts"],
)
def test_limits_and_malformed_bodies_are_4xx(raw: bytes, status: int, code: str) -> None:
    with pytest.raises(ApiError) as info:
        read(raw)
    assert (info.value.http_status, info.value.code) == (status, code)
