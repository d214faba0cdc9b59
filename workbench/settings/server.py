"""Server-wide limits and timeouts: what an operator sets for every session of every shell.

Set by ``WORKBENCH_<NAME>`` environment variables and by ``workbench serve`` /
``workbench api`` flags (``--max-sessions 32``); the session service applies the same
limits to the Talk and File tabs, both upload routes and the WebSocket.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.settings.spec import check_instance, setting

MB = 1_000_000


@dataclass(frozen=True)
class ServerSettings:
    """Limits and timeouts of one server process. Construction validates every field.

    Raises
    ------
    SettingsError
        Every bad value at once, named by its label.
    """

    max_sessions: int = setting(
        64,
        label="Max concurrent sessions",
        unit="",
        kind="int",
        lo=1,
        hi=100_000,
        help="Live sessions across every shell of one process (with --workers N: per "
        "worker); more are refused (503 with Retry-After).",
    )
    max_input_audio_s: float = setting(
        300.0,
        label="Max input audio per turn",
        unit="s",
        kind="float",
        lo=0.1,
        hi=86_400.0,
        help="Longest user turn or uploaded clip, counted at the model's 24 kHz; longer "
        "input is refused (413 too_long).",
    )
    max_upload_bytes: int = setting(
        50 * MB,
        label="Max upload size",
        unit="bytes",
        kind="int",
        lo=1,
        hi=10_000 * MB,
        help="Largest request body on the upload routes and the File tab (413 too_large).",
    )
    idle_timeout_s: float = setting(
        120.0,
        label="Idle timeout",
        unit="s",
        kind="float",
        lo=0.1,
        hi=86_400.0,
        help="A session that received no client input and sent no reply for this long "
        "ends (reason idle).",
    )
    max_session_s: float = setting(
        3600.0,
        label="Max session length",
        unit="s",
        kind="float",
        lo=1.0,
        hi=7 * 86_400.0,
        help="A session older than this ends (reason limit).",
    )
    connect_timeout_s: float = setting(
        10.0,
        label="Connect timeout",
        unit="s",
        kind="float",
        lo=0.05,
        hi=600.0,
        help="Bound on opening the upstream session (503 upstream_unreachable).",
    )
    response_timeout_s: float = setting(
        15.0,
        label="Response timeout",
        unit="s",
        kind="float",
        lo=0.05,
        hi=3600.0,
        help="Upstream silence tolerated while a reply is due (the one stall timeout).",
    )
    close_timeout_s: float = setting(
        1.0,
        label="Close timeout",
        unit="s",
        kind="float",
        lo=0.01,
        hi=60.0,
        help="Bound on closing the upstream session.",
    )
    max_field_bytes: int = setting(
        16 * 1024,
        label="Max form field",
        unit="bytes",
        kind="int",
        lo=1,
        hi=MB,
        help="Largest text field of an upload form (voice, instructions).",
    )
    ws_max_json_bytes: int = setting(
        64 * 1024,
        label="Max WebSocket text message",
        unit="bytes",
        kind="int",
        lo=64,
        hi=16 * MB,
        help="Larger text messages get a message_too_large error.",
    )
    ws_max_queued_messages: int = setting(
        256,
        label="WebSocket input queue",
        unit="messages",
        kind="int",
        lo=1,
        hi=100_000,
        help="Input waiting to be processed per connection; excess is dropped (rate_limited).",
    )
    ws_max_queued_bytes: int = setting(
        4 * 1024 * 1024,
        label="WebSocket input queue size",
        unit="bytes",
        kind="int",
        lo=1024,
        hi=1024 * MB,
        help="Bytes waiting to be processed per connection; excess is dropped (rate_limited).",
    )
    ws_settings_wait_ms: float = setting(
        200.0,
        label="Wait for a settings message",
        unit="ms",
        kind="float",
        lo=0.0,
        hi=10_000.0,
        help="How long a new WebSocket waits for a first settings message before it opens "
        "the upstream session with the query-string settings.",
    )
    allowed_origins: tuple[str, ...] = setting(
        (),
        label="Allowed WebSocket origins",
        unit="",
        kind="list",
        help="Extra Origin values allowed on the WebSocket ('*' for any); the page's own "
        "host is always allowed.",
    )
    cors_origins: tuple[str, ...] = setting(
        (),
        label="CORS origins",
        unit="",
        kind="list",
        help="Origins allowed by CORS on the HTTP routes (empty: CORS off).",
    )
    max_sessions_kept: int = setting(
        200,
        label="Session records kept",
        unit="",
        kind="int",
        lo=1,
        hi=100_000,
        help="How many finished sessions GET /sessions/{id} remembers.",
    )
    workers: int = setting(
        1,
        label="Worker processes",
        unit="",
        kind="int",
        lo=1,
        hi=256,
        help="Processes serving the one port (one per core); every other limit here is "
        "per process, so N workers accept N × max_sessions in total.",
    )
    loop_lag_interval_ms: float = setting(
        25.0,
        label="Event-loop lag probe interval",
        unit="ms",
        kind="float",
        lo=1.0,
        hi=1000.0,
        help="How often each process checks how late its event loop runs a timer "
        "(workbench_loop_lag_ms); stalls shorter than this can be missed.",
    )
    loop_lag_window_s: float = setting(
        60.0,
        label="Event-loop lag window",
        unit="s",
        kind="float",
        lo=1.0,
        hi=3600.0,
        help="Span of the max and p99 that workbench_loop_lag_ms reports.",
    )

    def __post_init__(self) -> None:
        check_instance(self)
