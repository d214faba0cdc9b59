"""``workbench client FILE``: upload a clip to a running API, save the streamed reply."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    """Add the ``client`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "client",
        help="upload a clip to a running API server and save the streamed reply as WAV",
        description="POST FILE to /realtime_audio/ (or, with --stream, stream it to "
        "/realtime_audio/stream), write the reply to a WAV file and print the time to "
        "first byte and the session's transcripts.",
    )
    p.add_argument("file", type=Path, help="audio clip (m4a, mp3, wav, ogg, webm, flac)")
    p.add_argument("--url", default="http://127.0.0.1:7860", help="server base URL")
    p.add_argument("-o", "--out", type=Path, default=Path("reply.wav"), help="reply WAV path")
    p.add_argument("--stream", action="store_true", help="chunked upload, relayed while sent")
    p.add_argument("--instructions", default=None)
    p.add_argument("--voice", default=None)
    p.add_argument("--timeout-s", type=float, default=60.0)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Upload, save, report; returns 0 when a reply was received."""
    return asyncio.run(_run(args))


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
        return 0 if result.reply_bytes else 1
    print(f"status:         {record['status']} ({record['end_reason']})")
    if record.get("user_transcript"):
        print(f"user:           {record['user_transcript']}")
    if record.get("assistant_transcript"):
        print(f"assistant:      {record['assistant_transcript']}")
    for turn in record.get("turns", []):
        ttfa = turn["timeline"].get("ttfa_ms")
        if ttfa is not None:
            print(f"server ttfa:    {ttfa:8.1f} ms")
    for error in record.get("errors", []):
        print(f"error:          {error['code']}: {error['message']}")
    return 0 if result.reply_bytes and record["last_turn_status"] == "completed" else 1
