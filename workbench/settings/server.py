"""Server-wide limits and timeouts: what an operator sets for every session of every shell.

Set by ``WORKBENCH_<NAME>`` environment variables and by ``workbench serve`` /
``workbench api`` flags (``--max-sessions 32``); the session service applies the same
limits to the Talk and File tabs, both upload routes and the WebSocket.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.netem.profiles import PROFILES
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
    max_decoded_bytes: int = setting(
        4 * 1024 * 1024,
        label="Max decoded audio in flight",
        unit="bytes",
        kind="int",
        lo=64 * 1024,
        hi=1024 * MB,
        help="Most decoded audio (float32 at the model's 24 kHz) one piece of a streamed "
        "upload may expand to before it is sent on; more is refused (413 too_large). "
        "Bounds a compression bomb's memory whatever the file claims.",
    )
    max_concurrent_decodes: int = setting(
        8,
        label="Max concurrent decodes",
        unit="",
        kind="int",
        lo=1,
        hi=10_000,
        help="Clips and streamed uploads decoded at the same time across the File tab, both "
        "upload routes and the CLI; more wait briefly, then get 503 with Retry-After.",
    )
    decode_wait_s: float = setting(
        10.0,
        label="Wait for a decode slot",
        unit="s",
        kind="float",
        lo=0.0,
        hi=600.0,
        help="How long an upload waits for a free decode slot before it is refused "
        "(503 too_many_decodes).",
    )
    max_queued_reply_s: float = setting(
        60.0,
        label="Max reply waiting for the client",
        unit="s",
        kind="float",
        lo=1.0,
        hi=3600.0,
        help="Assistant audio queued for a client that does not read it fast enough; more "
        "ends the session (client_too_slow, reason limit).",
    )
    client_stall_timeout_s: float = setting(
        10.0,
        label="Client stall timeout",
        unit="s",
        kind="float",
        lo=0.1,
        hi=3600.0,
        help="A client that takes none of its waiting reply for this long ends its session "
        "(client_too_slow); a closed connection whose last bytes it does not take within "
        "this long is dropped.",
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
    header_timeout_s: float = setting(
        10.0,
        label="Request head timeout",
        unit="s",
        kind="float",
        lo=0.1,
        hi=600.0,
        help="A request's head (line and headers) must arrive within this; else 408 and "
        "the connection is closed (slowloris).",
    )
    body_window_s: float = setting(
        10.0,
        label="Upload progress window",
        unit="s",
        kind="float",
        lo=0.1,
        hi=600.0,
        help="A request body must keep the minimum upload rate over every window this long; "
        "a stalled or short body gets 408 within about one window.",
    )
    min_body_bytes_per_s: float = setting(
        256.0,
        label="Minimum upload rate",
        unit="bytes/s",
        kind="float",
        lo=0.0,
        hi=100 * MB,
        help="The slowest accepted upload, averaged over the progress window (0: no minimum).",
    )
    handshake_timeout_s: float = setting(
        10.0,
        label="WebSocket handshake timeout",
        unit="s",
        kind="float",
        lo=0.1,
        hi=600.0,
        help="A WebSocket upgrade request must be answered within this.",
    )
    max_request_line_bytes: int = setting(
        8190,
        label="Max request line",
        unit="bytes",
        kind="int",
        lo=256,
        hi=1024 * 1024,
        help="Longest request line (method, path and query); longer gets 414.",
    )
    max_header_line_bytes: int = setting(
        8190,
        label="Max header line",
        unit="bytes",
        kind="int",
        lo=256,
        hi=1024 * 1024,
        help="Longest header line; longer gets 431.",
    )
    max_header_count: int = setting(
        100,
        label="Max header lines",
        unit="",
        kind="int",
        lo=8,
        hi=10_000,
        help="Most header lines in a request; more gets 431.",
    )
    max_head_bytes: int = setting(
        64 * 1024,
        label="Max request head",
        unit="bytes",
        kind="int",
        lo=1024,
        hi=16 * MB,
        help="Largest request head in all; larger gets 431.",
    )
    client_net_profile: str = setting(
        "none",
        label="Network profile, client ↔ server (WebSocket)",
        unit="",
        kind="choice",
        choices=tuple(PROFILES),
        help="Impair every accepted WebSocket connection as the named profile does (the "
        "client leg, like `workbench mock --net`); HTTP uploads go through `workbench "
        "netem` instead. Profiles and sources in docs/latency-lab.md.",
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
