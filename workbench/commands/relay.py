"""``workbench relay FILE``: send one clip through a session, save the reply, print the timeline.

Voice-to-voice latency is measured on the audio, on the relay's clock: from when the
relay received the input holding the end of speech found in the clip's samples to when
the reply audio holding its first audible sample was handed out (in-process: no network
in between; a file: no jitter buffer or device).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

from workbench.settings import RelaySettings, ServerSettings
from workbench.settings.cli import add_flags, resolve


def register(sub: Any) -> None:
    """Add the ``relay`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "relay",
        help="send a clip through the relay (the seed's flow) and save the reply as WAV",
        description="Decode FILE, stream it to the model in chunk-ms frames, commit, and write "
        "the reply to a WAV. Uses the backend the environment selects (mock with no key).",
    )
    p.add_argument("file", type=Path, help="audio clip (m4a, mp3, wav, ogg, webm, flac)")
    p.add_argument("-o", "--out", type=Path, default=Path("reply.wav"), help="reply WAV path")
    p.add_argument("--pace", choices=["fast", "realtime"], default="fast")
    p.add_argument("--json", action="store_true", help="print only the timeline, as JSON")
    add_flags(p, RelaySettings, title="session settings")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Relay one file; returns 0 when a reply was received."""
    return asyncio.run(_run(args))


async def _run(args: argparse.Namespace) -> int:
    from workbench.audio import MODEL_FORMAT, StreamingWavWriter
    from workbench.backends.environment import BackendEnvironment
    from workbench.relay import AudioOut, RelayError, TurnDone
    from workbench.relay.voice_to_voice import Arrivals
    from workbench.service import BackendResolver, EndReason, SessionService

    server = resolve(ServerSettings, env=os.environ)
    settings = resolve(RelaySettings, env=os.environ, args=args)
    resolver = BackendResolver(
        env=BackendEnvironment.from_env(), connect_timeout_s=server.connect_timeout_s
    )
    # Human-readable lines go to stderr with --json, so stdout is only the JSON.
    say = sys.stderr if args.json else sys.stdout
    reply_ms = 0.0
    status = "failed"
    response_id: str | None = None
    reply = ReplyHead()
    async with SessionService(server, resolver, defaults=settings) as service:
        session = service.open("cli", manual_commit=True)
        print(f"backend: {session.backend.info.description}", file=say)
        with args.out.open("wb") as f:
            wav = StreamingWavWriter(f, sample_rate_hz=MODEL_FORMAT.sample_rate_hz, channels=1)
            arrivals = Arrivals()
            try:
                await session.send_clip(args.file, pace=args.pace)
                async for event in session.events(until_turn_done=True):
                    if isinstance(event, AudioOut):
                        wav.write_pcm16(event.pcm16)
                        reply_ms += event.duration_ms
                        arrivals.received(event.duration_ms, session.clock.now_ms())
                        reply.add(event.pcm16)
                        response_id = event.response_id
                    elif isinstance(event, RelayError):
                        print(f"error: {event.code}: {event.message}", file=sys.stderr)
                    elif isinstance(event, TurnDone):
                        status = event.status
                if response_id is not None:
                    report_voice_to_voice(session, args.file, response_id, reply, arrivals)
            finally:
                wav.close()
                ok = status == "completed"
                await session.close(EndReason.COMPLETED if ok else EndReason.UPSTREAM_ERROR)
        timeline = session.relay.timeline.to_dict()
    if args.json:
        print(json.dumps(timeline, indent=2))
    else:
        print(f"reply: {reply_ms / 1000:.2f} s of audio -> {args.out} ({status})")
        for turn in timeline["turns"]:
            for stage, t_ms in turn["stages_ms"].items():
                print(f"  {stage:<26} {t_ms:9.1f} ms")
            for key in ("ttfa_ms", "model_ttfb_ms", "relay_overhead_ms", "voice_to_voice_ms"):
                print(f"  {key:<26} {turn[key]}")
            v2v = turn["voice_to_voice"]
            if v2v is not None:
                for part, ms in v2v["parts_ms"].items():
                    print(f"    {part:<24} {ms}")
                print(f"    {'residual':<24} {v2v['residual_ms']}")
                print("    (in-process: no network; a file: no jitter buffer or device)")
    return 0 if status == "completed" else 1


#: How much of the reply is kept to find its first audible sample (s).
MAX_AUDIBLE_SEARCH_S = 60.0


class ReplyHead:
    """The first :data:`MAX_AUDIBLE_SEARCH_S` of the reply (PCM16 at the model rate)."""

    def __init__(self) -> None:
        from workbench.audio import MODEL_FORMAT

        self.max_bytes = int(MAX_AUDIBLE_SEARCH_S * MODEL_FORMAT.bytes_per_second)
        self.pcm16 = bytearray()

    def add(self, pcm16: bytes) -> None:
        """Keep the start of ``pcm16`` while there is room."""
        room = self.max_bytes - len(self.pcm16)
        if room > 0:
            self.pcm16 += pcm16[:room]


def report_voice_to_voice(
    session: Any, clip: Path, response_id: str, reply: ReplyHead, arrivals: Any
) -> None:
    """Measure the turn's voice-to-voice latency on the audio and apply it to its timeline.

    Parameters
    ----------
    session : LiveSession
        The session the clip went through (its input arrivals are on its clock).
    clip : Path
        The clip sent.
    response_id : str
        The reply.
    reply : ReplyHead
        The start of the reply audio.
    arrivals : Arrivals
        Reply ms → when the relay handed that audio out (session clock).
    """
    import numpy as np

    from workbench.audio import MODEL_FORMAT, decode_audio
    from workbench.audio.onsets import first_audible_ms, speech_segments
    from workbench.relay.voice_to_voice import TurnAudioReport

    decoded = decode_audio(clip)
    segments = speech_segments(decoded.samples, decoded.sample_rate_hz)
    samples = np.frombuffer(bytes(reply.pcm16), dtype="<i2")
    audible_ms = first_audible_ms(samples, MODEL_FORMAT.sample_rate_hz) if samples.size else None
    if not segments or audible_ms is None:
        return
    speech_end_ms = segments[-1].end_ms
    # A file: the end of speech happens when the relay gets the input holding it.
    received_ms = session.input_arrivals.arrival_ms(max(0.0, speech_end_ms - 1e-6))
    first_out = session.relay.responses[response_id].marks_ms.get("first_audio_out")
    session.report_turn_audio(
        TurnAudioReport(
            response_id,
            speech_end_ms=received_ms,
            speech_end_input_ms=speech_end_ms,
            first_audio_received_ms=first_out,
            first_sample_ms=arrivals.arrival_ms(0.0),
            first_audible_ms=arrivals.arrival_ms(audible_ms),
            output_latency_ms=0.0,
        )
    )
