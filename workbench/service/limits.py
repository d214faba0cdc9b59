"""The server's limits as errors: one code and one message per limit, on every path.

Every shell answers a limit with these errors (HTTP: the status and the JSON error
body; WebSocket: an error event; Gradio: the status line), so a user reads the same
words wherever they hit it, naming the setting that would change it.
"""

from __future__ import annotations

from workbench.errors import AudioError, LimitError
from workbench.settings import ServerSettings, spec_of

#: Seconds a client refused for capacity is told to wait (``Retry-After``).
RETRY_AFTER_S = 2.0


def _name(field: str) -> str:
    spec = spec_of(ServerSettings, field)
    return f"{spec.label}, {spec.cli_flag} / {spec.env_var}"


def too_many_sessions(server: ServerSettings) -> LimitError:
    """503: ``max_sessions`` sessions are live."""
    return LimitError(
        f"the server is at its limit of {server.max_sessions} live sessions "
        f"({_name('max_sessions')}); try again in a few seconds",
        code="too_many_sessions",
        http_status=503,
        retry_after_s=RETRY_AFTER_S,
    )


def shutting_down() -> LimitError:
    """503: the server is shutting down and opens no new session."""
    return LimitError(
        "the server is shutting down; try again in a few seconds",
        code="shutting_down",
        http_status=503,
        retry_after_s=RETRY_AFTER_S,
    )


def input_too_long(server: ServerSettings) -> LimitError:
    """413: a turn's input (or a clip) is longer than ``max_input_audio_s``."""
    return LimitError(
        f"the audio is longer than the limit of {server.max_input_audio_s:g} s per turn "
        f"({_name('max_input_audio_s')}); send a shorter clip",
        code="too_long",
        http_status=413,
    )


def upload_too_large_message(n_bytes: int, max_bytes: int) -> str:
    """What a client whose upload of ``n_bytes`` is over ``max_bytes`` is told."""
    return (
        f"the upload of {n_bytes} bytes exceeds the limit of {max_bytes} bytes "
        f"({_name('max_upload_bytes')}); send a shorter clip or a compressed format "
        "(m4a, mp3, ogg)"
    )


def upload_too_large(server: ServerSettings, n_bytes: int) -> LimitError:
    """413: a request body is larger than ``max_upload_bytes``."""
    return LimitError(
        upload_too_large_message(n_bytes, server.max_upload_bytes),
        code="too_large",
        http_status=413,
    )


def idle_message(server: ServerSettings) -> str:
    """Why an idle session was ended (a fatal ``idle_timeout`` error)."""
    return (
        f"no audio or reply for {server.idle_timeout_s:g} s; the session was closed "
        f"({_name('idle_timeout_s')})"
    )


def session_too_long_message(server: ServerSettings) -> str:
    """Why a session was ended at its maximum length (a fatal ``session_too_long`` error)."""
    return (
        f"the session reached the limit of {server.max_session_s:g} s "
        f"({_name('max_session_s')}); start a new one"
    )


def too_many_decodes(server: ServerSettings) -> LimitError:
    """503: ``max_concurrent_decodes`` clips or streams are being decoded right now."""
    return LimitError(
        f"the server is decoding {server.max_concurrent_decodes} uploads at once, its limit "
        f"({_name('max_concurrent_decodes')}); try again in a few seconds",
        code="too_many_decodes",
        http_status=503,
        retry_after_s=RETRY_AFTER_S,
    )


def decoded_too_large(server: ServerSettings) -> LimitError:
    """413: one piece of a streamed upload decodes to more than ``max_decoded_bytes``."""
    return LimitError(
        f"the audio expands to more than {server.max_decoded_bytes} bytes of decoded audio "
        f"from one piece of the upload ({_name('max_decoded_bytes')}); it looks like a "
        "compression bomb: send real speech, or a less compressed format",
        code="too_large",
        http_status=413,
    )


def client_too_slow_message(server: ServerSettings, *, stalled: bool) -> str:
    """Why a session whose client does not read its reply was ended (``client_too_slow``)."""
    if stalled:
        return (
            f"the client did not keep up with its reply (it fell more than "
            f"{server.client_stall_timeout_s:g} s behind half real time); the session was "
            f"closed ({_name('client_stall_timeout_s')}); read the reply as it comes"
        )
    return (
        f"more than {server.max_queued_reply_s:g} s of reply audio waited for the client; "
        f"the session was closed ({_name('max_queued_reply_s')}); read the reply as it comes"
    )


def too_short(min_ms: float, sent_ms: float) -> AudioError:
    """422: a turn ended with less audio than the model commits (``too_short``)."""
    return AudioError(
        f"the audio is {sent_ms:.0f} ms long; the model needs at least {min_ms:.0f} ms of "
        "audio to answer: send a longer clip",
        code="too_short",
    )
