"""What the fuzzers attack, and the contract each target must keep on any input.

A target is a name, a few seed inputs and a ``check(data)`` that feeds the bytes to
one parser and raises :class:`Finding` when the parser breaks its contract: an
exception other than the typed one it documents, a 5xx for client input, or output
that is not what it promises (NaN samples, a rate outside the caps). The same targets
serve the hypothesis tests (``tests/fuzz``), the long hypothesis mode and the
coverage-guided atheris mode of ``workbench bench fuzz``.

Targets: ``decoder`` (one-shot and streaming), ``multipart`` (the upload form reader),
``ws_client_text`` and ``ws_query`` (the WebSocket client messages and settings),
``client_codec`` (the mock server's event decoder).
"""

from __future__ import annotations

import asyncio
import functools
import json
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

#: Limits the decoder target runs with (a server's, shortened so each input is quick).
FUZZ_MAX_DURATION_S = 20.0
FUZZ_MAX_DECODED_BYTES = 8 * 1024 * 1024
FIXTURE_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "audio"
#: Small fixtures (< 70 kB) of every container: the decoder's seeds.
DECODER_SEED_FILES = (
    "en_hi_short_24k_pcm16.wav",
    "en_hi_short_44k1_aac.m4a",
    "en_hello_48k_opus.ogg",
    "en_hello_48k_opus.webm",
    "en_hello_8k_mulaw.wav",
    "en_hello_11k025_u8.wav",
    "en_hello_44k1_stereo.mp3",
)
MULTIPART_BOUNDARY = b"fuzzboundary"


class Finding(Exception):
    """A broken contract: ``target`` misbehaved on an input (see ``detail``)."""

    def __init__(self, target: str, detail: str) -> None:
        super().__init__(f"{target}: {detail}")
        self.target = target
        self.detail = detail


@dataclass(frozen=True)
class FuzzTarget:
    """A parser under fuzz: its name, seed inputs and contract check."""

    name: str
    seeds: Callable[[], list[bytes]]
    check: Callable[[bytes], None]


def _unexpected(target: str, exc: BaseException) -> Finding:
    return Finding(target, f"raised {type(exc).__name__}: {str(exc)[:200]}")


# --- decoder ---------------------------------------------------------------------------


@functools.cache
def decoder_seeds() -> list[bytes]:
    """The small fixtures, plus a short FLAC and a fragmented m4a made with PyAV."""
    from workbench.bench.abuse_media import encode_silence

    seeds = [(FIXTURE_DIR / name).read_bytes() for name in DECODER_SEED_FILES]
    seeds.append(encode_silence("flac", "flac", "s16", 16000, 0.3, frame_samples=1024))
    fragmented = {"movflags": "frag_keyframe+empty_moov"}
    seeds.append(
        encode_silence(
            "mp4", "aac", "fltp", 16000, 0.3, frame_samples=1024, container_options=fragmented
        )
    )
    return seeds


def _check_samples(target: str, samples: np.ndarray, rate_hz: int | None) -> None:
    from workbench.audio._limits import MAX_SOURCE_RATE_HZ, MIN_SOURCE_RATE_HZ

    if samples.dtype != np.float32 or samples.ndim != 1:
        raise Finding(target, f"samples are {samples.dtype} of shape {samples.shape}")
    if samples.size and not (np.isfinite(samples).all() and np.abs(samples).max() <= 1.0):
        raise Finding(target, "samples are not finite values in [-1, 1]")
    if rate_hz is not None and not MIN_SOURCE_RATE_HZ <= rate_hz <= MAX_SOURCE_RATE_HZ:
        raise Finding(target, f"decoded at {rate_hz} Hz, outside the caps")
    if samples.size * 4 > FUZZ_MAX_DECODED_BYTES + 1_000_000:
        raise Finding(target, f"{samples.size} samples held, beyond the decoded-bytes cap")


def check_decoder(data: bytes) -> None:
    """One-shot and streaming decode: typed errors only, bounded finite output."""
    from workbench.audio import StreamingDecoder, decode_audio
    from workbench.errors import AudioError

    limits: dict[str, Any] = {
        "max_duration_s": FUZZ_MAX_DURATION_S,
        "max_decoded_bytes": FUZZ_MAX_DECODED_BYTES,
    }
    try:
        decoded = decode_audio(data, **limits)
        _check_samples("decoder", decoded.samples, decoded.sample_rate_hz)
    except AudioError as exc:
        if not 400 <= exc.http_status < 500:
            raise Finding("decoder", f"client input answered {exc.http_status}") from exc
    except Finding:
        raise
    except Exception as exc:
        raise _unexpected("decoder", exc) from exc
    piece_bytes = 1 + (len(data) % 4093)  # the input picks its own cut size
    try:
        with StreamingDecoder(timeout_s=20.0, **limits) as decoder:
            for start in range(0, len(data), piece_bytes):
                out = decoder.feed(data[start : start + piece_bytes])
                _check_samples("streaming decoder", out, decoder.sample_rate_hz)
            _check_samples("streaming decoder", decoder.close(), decoder.sample_rate_hz)
    except AudioError as exc:
        if exc.code == "decode_timeout" or not 400 <= exc.http_status < 500:
            raise Finding("streaming decoder", f"{exc.code} ({exc.http_status})") from exc
    except Finding:
        raise
    except Exception as exc:
        raise _unexpected("streaming decoder", exc) from exc


# --- multipart -------------------------------------------------------------------------


def multipart_seeds() -> list[bytes]:
    """Well-formed forms: a file and text fields, an empty file, several parts."""
    b = b"--" + MULTIPART_BOUNDARY
    return [
        b + b'\r\nContent-Disposition: form-data; name="audio_file"; filename="a.wav"\r\n'
        b"Content-Type: audio/wav\r\n\r\nRIFF....WAVE\r\n"
        + b
        + b'\r\nContent-Disposition: form-data; name="voice"\r\n\r\nalloy\r\n'
        + b
        + b"--\r\n",
        b
        + b'\r\nContent-Disposition: form-data; name="audio_file"; filename=""\r\n\r\n\r\n'
        + b
        + b"--\r\n",
        b
        + b'\r\nContent-Disposition: form-data; name="file"; filename="x"\r\n\r\nabc\r\n'
        + b
        + b'\r\nContent-Disposition: form-data; name="instructions"\r\n\r\nhi\r\n'
        + b
        + b"--\r\n",
    ]


async def _read_form(body: bytes, content_type: bytes) -> Any:
    from starlette.requests import Request

    from workbench.app.api.multipart import read_multipart_form

    chunks = [body[i : i + 977] for i in range(0, len(body), 977)] or [b""]
    messages = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
        for i, c in enumerate(chunks)
    ]

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/realtime_audio/",
        "headers": [(b"content-type", content_type), (b"content-length", b"%d" % len(body))],
    }
    request = Request(scope, receive)
    return await read_multipart_form(
        request, file_field="audio_file", max_body_bytes=200_000, max_field_bytes=1024
    )


def check_multipart(data: bytes) -> None:
    """The form reader: an ``UploadForm`` or an ``ApiError`` with a 4xx, nothing else.

    The first line of ``data`` (up to a newline, at most 200 bytes) is the
    Content-Type's boundary parameter when it starts with ``b=``; the rest is the body.
    """
    from workbench.app.api.errors import ApiError

    boundary = MULTIPART_BOUNDARY
    if data.startswith(b"b=") and b"\n" in data[:200]:
        line, data = data.split(b"\n", 1)
        boundary = line[2:]
    content_type = b"multipart/form-data; boundary=" + boundary
    try:
        asyncio.run(_read_form(data, content_type)).close()  # its temporary file goes
    except ApiError as exc:
        if not 400 <= exc.http_status < 500:
            raise Finding("multipart", f"answered {exc.http_status} ({exc.code})") from exc
    except Exception as exc:
        raise _unexpected("multipart", exc) from exc


# --- WebSocket client messages ---------------------------------------------------------


def ws_text_seeds() -> list[bytes]:
    """Every message type, with typical fields."""
    messages: list[dict[str, Any]] = [
        {"type": "commit"},
        {"type": "close"},
        {"type": "interrupt", "played_ms": 1200.5},
        {"type": "playout", "played_ms": 40, "item_id": "item_1"},
        {"type": "settings", "sample_rate_hz": 48000, "turn_detection": "none", "voice": "alloy"},
        {"type": "settings", "vad_threshold": 0.4, "vad_silence_ms": 300, "chunk_ms": 20},
        {"type": "settings", "turn_detection": "semantic_vad", "vad_eagerness": "high"},
    ]
    return [json.dumps(m).encode() for m in messages]


def _ws_settings_check(values: dict[str, Any]) -> None:
    from workbench.app.api.ws_client_messages import merge_settings
    from workbench.service.relay_config import relay_config
    from workbench.settings import RelaySettings, ServerSettings

    relay_config(merge_settings(RelaySettings(), values), ServerSettings())


def check_ws_client_text(data: bytes) -> None:
    """A text frame: a message or ``ClientMessageError``; settings apply or the same."""
    from workbench.app.api.ws_client_messages import (
        ClientMessageError,
        SettingsMessage,
        parse_client_text,
    )

    text = data.decode("utf-8", "replace")
    try:
        message = parse_client_text(text, max_bytes=64 * 1024)
        if isinstance(message, SettingsMessage):
            _ws_settings_check(dict(message.values))
    except ClientMessageError:
        pass
    except Exception as exc:
        raise _unexpected("ws_client_text", exc) from exc


def ws_query_seeds() -> list[bytes]:
    """Query strings a browser sends."""
    return [
        b"sample_rate_hz=48000&turn_detection=none",
        b"sample_rate_hz=16000&turn_detection=server_vad&vad_threshold=0.6&vad_silence_ms=400",
        b"voice=alloy&instructions=Be%20brief&chunk_ms=40",
    ]


def check_ws_query(data: bytes) -> None:
    """The query string of ``/ws/realtime``: settings or ``ClientMessageError``."""
    from workbench.app.api.ws_client_messages import ClientMessageError, settings_from_query
    from workbench.service.relay_config import relay_config
    from workbench.settings import RelaySettings, ServerSettings

    query = dict(urllib.parse.parse_qsl(data.decode("latin-1"), keep_blank_values=True))
    try:
        relay_config(settings_from_query(query, RelaySettings()), ServerSettings())
    except ClientMessageError:
        pass
    except Exception as exc:
        raise _unexpected("ws_query", exc) from exc


# --- the mock server's event decoder ---------------------------------------------------


def client_codec_seeds() -> list[bytes]:
    """Client events of both dialects."""
    events: list[dict[str, Any]] = [
        {"type": "input_audio_buffer.append", "audio": "AAAAAA=="},
        {"type": "input_audio_buffer.commit", "event_id": "e1"},
        {"type": "response.create", "response": {"modalities": ["audio"]}},
        {"type": "response.cancel"},
        {
            "type": "conversation.item.truncate",
            "item_id": "i",
            "content_index": 0,
            "audio_end_ms": 10,
        },
        {
            "type": "session.update",
            "session": {
                "type": "realtime",
                "audio": {"input": {"format": {"type": "audio/pcm", "rate": 24000}}},
            },
        },
        {
            "type": "session.update",
            "session": {
                "input_audio_format": "pcm16",
                "turn_detection": {"type": "server_vad", "threshold": 0.5},
                "voice": "alloy",
            },
        },
        {
            "type": "conversation.item.create",
            "item": {
                "type": "message",
                "role": "user",
                "content": [{"type": "input_text", "text": "hi"}],
            },
        },
    ]
    return [json.dumps(e).encode() for e in events]


def check_client_codec(data: bytes) -> None:
    """``decode_client_event``: an event or ``ProtocolError``; the event re-encodes."""
    from workbench.errors import ProtocolError
    from workbench.protocol.client_codec import decode_client_event, encode_client_event
    from workbench.protocol.json_codec import Dialect

    try:
        event = decode_client_event(data)
    except ProtocolError:
        return
    except Exception as exc:
        raise _unexpected("client_codec", exc) from exc
    for dialect in (Dialect.GA, Dialect.PREVIEW):
        try:
            json.dumps(encode_client_event(event, dialect))
        except Exception as exc:
            raise Finding("client_codec", f"a decoded event does not re-encode: {exc!r}") from exc


TARGETS: dict[str, FuzzTarget] = {
    t.name: t
    for t in (
        FuzzTarget("decoder", decoder_seeds, check_decoder),
        FuzzTarget("multipart", multipart_seeds, check_multipart),
        FuzzTarget("ws_client_text", ws_text_seeds, check_ws_client_text),
        FuzzTarget("ws_query", ws_query_seeds, check_ws_query),
        FuzzTarget("client_codec", client_codec_seeds, check_client_codec),
    )
}
