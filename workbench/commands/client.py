"""``workbench client FILE``: upload a clip to a running API, save the streamed reply."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from workbench.client import DEFAULT_URL


def register(sub: Any) -> None:
    """Add the ``client`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "client",
        help="upload a clip to a running API server and save the streamed reply as WAV",
        description="POST FILE to /realtime_audio/ (or, with --stream, stream it to "
        "/realtime_audio/stream), write the reply to a WAV file and print the time to "
        "first byte, the voice-to-voice latency measured on the audio (end of speech in "
        "the clip sent -> first audible reply sample received) and the session's "
        "transcripts. Needs a server: `workbench serve` or `workbench api`.",
    )
    p.add_argument("file", type=Path, help="audio clip (m4a, mp3, wav, ogg, webm, flac)")
    p.add_argument("--url", default=DEFAULT_URL, help="server base URL (default: %(default)s)")
    p.add_argument("-o", "--out", type=Path, default=Path("reply.wav"), help="reply WAV path")
    p.add_argument("--stream", action="store_true", help="chunked upload, relayed while sent")
    p.add_argument("--instructions", default=None)
    p.add_argument("--voice", default=None)
    p.add_argument("--timeout-s", type=float, default=60.0)
    p.add_argument(
        "--output-latency-ms",
        type=float,
        default=0.0,
        help="add a playing device's output latency to voice-to-voice (default 0: a file)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Upload, save, report; 0 when a reply was received, 2 when no server answers."""
    import httpx

    from workbench.client import ApiClientError

    try:
        return asyncio.run(_run(args))
    except FileNotFoundError as exc:
        print(f"workbench client: no such file: {exc.filename}", file=sys.stderr)
    except httpx.ConnectError:
        print(
            f"workbench client: no server answers at {args.url}; start one with "
            "`workbench serve` (or `workbench api`), or pass --url",
            file=sys.stderr,
        )
    except httpx.TimeoutException:
        print(
            f"workbench client: {args.url} did not answer within {args.timeout_s:g} s "
            "(--timeout-s)",
            file=sys.stderr,
        )
    except ApiClientError as exc:
        print(
            f"workbench client: the server refused the clip ({exc.http_status} {exc.code}): "
            f"{exc.message}",
            file=sys.stderr,
        )
        return 1
    return 2


async def _run(args: argparse.Namespace) -> int:
    from workbench.client import get_session, send_clip

    result = await send_clip(
        args.file,
        out=args.out,
        url=args.url,
        stream=args.stream,
        instructions=args.instructions,
        voice=args.voice,
        timeout_s=args.timeout_s,
    )
    print(f"session:        {result.session_id}")
    if result.upload_ms is not None:
        print(f"upload sent:    {result.upload_ms:8.1f} ms")
    print(f"first byte:     {result.ttfb_ms:8.1f} ms")
    print(f"reply complete: {result.total_ms:8.1f} ms")
    print(f"reply:          {result.reply_ms / 1000:.2f} s of audio -> {args.out}")
    try:
        record = await get_session(result.session_id, url=args.url)
    except Exception as exc:  # the reply is saved; the record is a bonus
        print(f"(session record unavailable: {exc})")
        record = None
    turn = record["turns"][-1]["timeline"] if record and record.get("turns") else None
    _print_voice_to_voice(args, result, turn)
    if record is None:
        return 0 if result.reply_bytes else 1
    print(f"status:         {record['status']} ({record['end_reason']})")
    if record.get("user_transcript"):
        print(f"user:           {record['user_transcript']}")
    if record.get("assistant_transcript"):
        print(f"assistant:      {record['assistant_transcript']}")
    if turn is not None and turn.get("ttfa_ms") is not None:
        print(f"server ttfa:    {turn['ttfa_ms']:8.1f} ms")
    for error in record.get("errors", []):
        print(f"error:          {error['code']}: {error['message']}")
    return 0 if result.reply_bytes and record["last_turn_status"] == "completed" else 1


def _print_voice_to_voice(args: argparse.Namespace, result: Any, turn: Any) -> None:
    import soundfile as sf

    from workbench.audio import decode_audio
    from workbench.client import voice_to_voice_of

    clip = decode_audio(args.file)
    reply, _ = sf.read(args.out, dtype="float32")
    v2v = voice_to_voice_of(
        result,
        clip.samples,
        clip.sample_rate_hz,
        reply,
        server_turn=turn,
        output_latency_ms=args.output_latency_ms,
    )
    if v2v is None:
        print("voice-to-voice: not measured (no speech in the clip or nothing audible back)")
        return
    parts = v2v.decomposition.parts_ms
    device = f"{v2v.output_latency_ms:g} ms output latency" if v2v.output_latency_ms else "a file"
    speech_end_s = v2v.speech_end_in_clip_ms / 1000
    audible_s = v2v.reply_audible_in_reply_ms / 1000
    print(
        f"voice-to-voice: {v2v.total_ms:8.1f} ms  (speech ends {speech_end_s:.2f} s into the "
        f"clip, sent with {v2v.sent_basis} -> first audible reply sample {audible_s:.2f} s "
        f"into the reply arrived; {device})"
    )
    if parts["model"] is not None:
        print(f"  model         {parts['model']:8.1f} ms  (server clock: turn end -> first delta)")
    print(
        f"  buffering     {parts['buffering']:8.1f} ms  (client clock: first reply byte -> "
        "first audible sample arrived, + output latency)"
    )
    print(
        f"  residual      {v2v.decomposition.residual_ms:8.1f} ms  (uplink, the server's "
        "decoding and turn end, relay, downlink: HTTP gives no shared clock to split them)"
    )
    print("  excludes:     a player's jitter buffer; the device unless --output-latency-ms")
