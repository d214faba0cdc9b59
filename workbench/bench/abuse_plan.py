"""What ``workbench bench abuse`` runs: its parameters and the attacks per target, in order.

:func:`api_cases` against ``workbench api`` (the in-process mock), :func:`serve_cases`
against ``workbench serve --auth``; the measuring and the table are in
:mod:`workbench.bench.abuse`.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.bench import abuse_cases as cases
from workbench.bench import abuse_slow
from workbench.bench.abuse_media import BOMBS, malformed_wavs, speech_like_pcm, speech_like_wav
from workbench.bench.abuse_server import TargetKind

QUICK_SERVER_ARGS = (
    "--header-timeout-s",
    "3",
    "--body-window-s",
    "3",
    "--handshake-timeout-s",
    "3",
)


@dataclass(frozen=True)
class AbuseParams:
    """Bounds of one run (seconds unless named otherwise)."""

    quick: bool = False
    settle_s: float = 10.0
    cap_s: float = 60.0
    bomb_duration_s: float = 400.0
    wavpack_duration_s: float = 60.0
    bombs: tuple[str, ...] = tuple(BOMBS)
    slowloris_connections: int = 200
    slowloris_s: float = 60.0
    non_reading_clients: int = 20
    non_reading_hold_s: float = 40.0
    flood_requests: int = 100
    websockets: int = 200
    ws_hold_s: float = 5.0
    repeated_refusals: int = 30
    targets: tuple[TargetKind, ...] = ("api", "serve")
    #: Bombs also decoded without a server (see abuse_decode), name → duration (s).
    decoder_bombs: tuple[tuple[str, float], ...] = (
        ("flac192", 290.0),
        ("flac192", 400.0),
        ("m4a_aac", 400.0),
        ("ogg_opus", 400.0),
        ("flac", 400.0),
    )
    server_args: tuple[str, ...] = ()

    @classmethod
    def for_mode(cls, quick: bool) -> AbuseParams:
        """Full (every case, 10 s settle) or quick (five cases, short caps)."""
        if not quick:
            return cls()
        return cls(
            quick=True,
            settle_s=2.0,
            cap_s=8.0,
            bombs=("flac", "flac192"),  # refused at the header; decoded until too long
            slowloris_connections=50,
            slowloris_s=8.0,
            targets=("api",),
            decoder_bombs=(),
            # Short connection timeouts, so the slow cases end within the quick budget.
            server_args=QUICK_SERVER_ARGS,
        )


@dataclass(frozen=True)
class NamedCase:
    """A case, its name, whether it gets a server of its own (memory cases do: a server
    that already holds freed memory from an earlier case would hide a leak), and whether
    that server reaches the mock in its own process (its RSS is then the server's alone;
    the in-process mock holds every session's input and reply audio)."""

    name: str
    case: cases.Case
    fresh: bool = False
    separate_mock: bool = False


def api_cases(p: AbuseParams) -> list[NamedCase]:
    cap = p.cap_s
    out: list[NamedCase] = []
    routes = (
        (("upload", cases.UPLOAD),)
        if p.quick
        else (("upload", cases.UPLOAD), ("stream", cases.STREAM))
    )
    for name in p.bombs:
        bomb = BOMBS[name](p.wavpack_duration_s if name == "wavpack" else p.bomb_duration_s)
        for label, route in routes:
            out.append(
                NamedCase(
                    f"bomb {bomb.name} {label}",
                    cases.upload_bomb(bomb, route=route, cap_s=cap),
                    True,
                )
            )
    wavs = malformed_wavs()
    for name in ("wav_unknown_codec_tag",) if p.quick else tuple(wavs):
        for label, route in routes:
            out.append(
                NamedCase(
                    f"{name} {label}",
                    cases.plain_upload(
                        wavs[name], route=route, content_type="audio/wav", cap_s=cap
                    ),
                )
            )
    for label, route in routes:
        out.append(
            NamedCase(
                f"50 ms clip (under the model's minimum commit) {label}",
                cases.plain_upload(
                    speech_like_wav(0.05), route=route, content_type="audio/wav", cap_s=cap
                ),
            )
        )
    clip = speech_like_wav(10.0)
    out += [
        NamedCase(
            f"slowloris {p.slowloris_connections} conns, 1 B/s head",
            cases.slowloris_case(connections=p.slowloris_connections, duration_s=p.slowloris_s),
        ),
        NamedCase(
            "short body, stream route",
            cases.short_body_case(clip, route=cases.STREAM, content_type="audio/wav", cap_s=cap),
        ),
        NamedCase(
            "ws handshake, 9 kB query", cases.ws_long_query_case(query_bytes=9000, cap_s=cap)
        ),
    ]
    if p.quick:
        return out
    flac = BOMBS["flac"](p.bomb_duration_s)
    hi_rate = BOMBS["flac192"](p.bomb_duration_s)
    opus = BOMBS["ogg_opus"](p.bomb_duration_s)
    return [
        *out,
        NamedCase(
            "4 flac bombs at once",
            cases.upload_bomb(flac, route=cases.UPLOAD, cap_s=cap, copies=4),
            True,
        ),
        NamedCase(
            "20 flac bombs at once",
            cases.upload_bomb(flac, route=cases.UPLOAD, cap_s=cap, copies=20),
            True,
        ),
        NamedCase(
            f"4 {hi_rate.name} at once",
            cases.upload_bomb(hi_rate, route=cases.UPLOAD, cap_s=cap, copies=4),
            True,
        ),
        NamedCase(
            f"{p.repeated_refusals}× over-length ogg/opus, stream route",
            cases.repeated_refusals(opus, route=cases.STREAM, times=p.repeated_refusals, cap_s=cap),
            True,
        ),
        NamedCase(
            "short body, upload route",
            cases.short_body_case(clip, route=cases.UPLOAD, content_type="audio/wav", cap_s=cap),
        ),
        NamedCase(
            "trickle 1 B/s, stream route",
            cases.trickle_case(clip, route=cases.STREAM, content_type="audio/wav", cap_s=cap),
        ),
        NamedCase(
            "trickle 1 B/s, upload route",
            cases.trickle_case(clip, route=cases.UPLOAD, content_type="audio/wav", cap_s=cap),
        ),
        NamedCase(
            f"{p.non_reading_clients} non-reading clients, 60 s clip",
            abuse_slow.non_reading_case(
                speech_like_wav(60.0), clients=p.non_reading_clients, hold_s=p.non_reading_hold_s
            ),
            True,
        ),
        NamedCase(
            f"{p.non_reading_clients} non-reading clients, 120 s clip, mock 20× real time",
            abuse_slow.non_reading_case(
                speech_like_wav(120.0, rate_hz=8_000),
                clients=p.non_reading_clients,
                hold_s=p.non_reading_hold_s,
                query="?mock_speed_x=20",
            ),
            True,
        ),
        NamedCase(
            f"{p.non_reading_clients} non-reading WebSockets, 120 s turn, mock 20× real time",
            abuse_slow.ws_non_reading_case(
                speech_like_pcm(120.0),
                clients=p.non_reading_clients,
                hold_s=p.non_reading_hold_s,
                query="&mock_speed_x=20",
            ),
            True,
        ),
        NamedCase(
            f"{p.non_reading_clients} non-reading clients, 120 s clip, mock 20×, mock apart",
            abuse_slow.non_reading_case(
                speech_like_wav(120.0, rate_hz=8_000),
                clients=p.non_reading_clients,
                hold_s=p.non_reading_hold_s,
                query="?mock_speed_x=20",
            ),
            True,
            True,
        ),
        NamedCase(
            f"{p.non_reading_clients} non-reading WebSockets, 120 s turn, mock 20×, mock apart",
            abuse_slow.ws_non_reading_case(
                speech_like_pcm(120.0),
                clients=p.non_reading_clients,
                hold_s=p.non_reading_hold_s,
                query="&mock_speed_x=20",
            ),
            True,
            True,
        ),
        NamedCase(
            f"20 {hi_rate.name} at once, stream route",
            cases.upload_bomb(hi_rate, route=cases.STREAM, cap_s=cap, copies=20),
            True,
        ),
        NamedCase(
            f"20 {opus.name} at once, stream route",
            cases.upload_bomb(opus, route=cases.STREAM, cap_s=cap, copies=20),
            True,
        ),
        NamedCase(
            "290 s WAV upload (13.9 MB), accepted",
            cases.plain_upload(
                speech_like_wav(290.0),
                route=cases.UPLOAD,
                content_type="audio/wav",
                cap_s=cap,
                settings={"mock_speed_x": "100"},
            ),
            True,
        ),
        NamedCase(
            f"flood: {p.flood_requests} uploads at once",
            cases.flood_case(speech_like_wav(1.0), requests=p.flood_requests, cap_s=cap),
            True,
        ),
        NamedCase(
            f"{p.websockets} websockets",
            cases.websockets_case(sockets=p.websockets, hold_s=p.ws_hold_s, cap_s=cap),
            True,
        ),
    ]


def serve_cases(p: AbuseParams) -> list[NamedCase]:
    cap = p.cap_s
    flac = BOMBS["flac"](p.bomb_duration_s)
    return [
        NamedCase(
            "bomb flac upload (logged in)",
            cases.upload_bomb(flac, route=cases.UPLOAD, cap_s=cap),
            True,
        ),
        NamedCase(
            "gradio upload 200 MB (logged in)",
            cases.gradio_upload_case(200_000_000, cap_s=cap),
            True,
        ),
        NamedCase(
            "GET /api/openapi.json without login",
            cases.get_case("/api/openapi.json", with_login=False, cap_s=cap),
        ),
        NamedCase(
            "GET /api/docs without login", cases.get_case("/api/docs", with_login=False, cap_s=cap)
        ),
        NamedCase(
            "slowloris 50 conns, 1 B/s head",
            cases.slowloris_case(connections=50, duration_s=p.slowloris_s),
        ),
        NamedCase(
            "ws handshake, 9 kB query", cases.ws_long_query_case(query_bytes=9000, cap_s=cap)
        ),
    ]
