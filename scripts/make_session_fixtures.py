"""Record the committed session fixtures (fixtures/sessions/*.jsonl) against the mock.

Each fixture is a real recording of a session of the session service over the
in-process mock, on a VirtualClock, with fixed seeds, a fixed ``recorded_at`` and a
fixed wall clock for the demo tools; run the whole script in a fresh process and the
files come out byte for byte the same (the mock numbers its sessions per process, so
ids depend on the order below). The mock's latency model comes from each case's
settings (``mock_ttfa_ms`` …), so the meta says how the mock was set.

    PYTHONPATH=. .venv/bin/python scripts/make_session_fixtures.py [--out fixtures/sessions]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import soundfile as sf

from workbench.audio import MODEL_FORMAT
from workbench.backends.inprocess import InProcessBackend
from workbench.clock import Clock, VirtualClock
from workbench.fixtures.format import write_fixture
from workbench.fixtures.record import (
    clips_scenario,
    feed_clip,
    record_session,
    wait_for_responses,
)
from workbench.mock.model import Fault, LatencyModel, MockConfig
from workbench.protocol.dialects import Dialect
from workbench.service import LiveSession
from workbench.service.relay_config import mock_config
from workbench.settings import RelaySettings

ROOT = Path(__file__).resolve().parents[1]
AUDIO = ROOT / "fixtures" / "audio"
RECORDED_AT = "2026-01-01T00:00:00Z"  # fixed so regenerated files are identical
RECORDED_AT_UNIX_S = 1_767_225_600.0  # the same instant: the demo tools' wall clock
HEAR = AUDIO / "en_hear_48k_pcm16.wav"  # 1.9 s: keeps the echo fixtures small
HI = AUDIO / "en_hi_short_44k1_aac.m4a"


@dataclass(frozen=True)
class Case:
    """One fixture to record."""

    name: str
    description: str
    mock: MockConfig
    settings: RelaySettings
    scenario: Callable[[LiveSession, Clock], Awaitable[None]]
    dialect: Dialect = Dialect.GA


def _wav(samples: np.ndarray) -> bytes:
    buf = io.BytesIO()
    sf.write(buf, samples, MODEL_FORMAT.sample_rate_hz, format="WAV", subtype="PCM_16")
    return buf.getvalue()


async def _barge_in(session: LiveSession, clock: Clock) -> None:
    # Speak, stay silent while the reply starts playing, then talk over it.
    speech = HEAR.read_bytes()
    second = _wav(np.zeros(MODEL_FORMAT.sample_rate_hz, dtype=np.float32))
    await feed_clip(session, clock, speech)
    await feed_clip(session, clock, second)
    await feed_clip(session, clock, speech)
    await feed_clip(session, clock, second)
    await wait_for_responses(session, clock)


def cases() -> list[Case]:
    """The committed fixtures, in recording order."""
    manual = RelaySettings(chunk_ms=40.0, turn_detection="none", backend_source="mock")
    vad = RelaySettings(chunk_ms=40.0, turn_detection="server_vad", backend_source="mock")
    echo = MockConfig(behaviour="echo", latency=LatencyModel(delta_ms=100.0))
    return [
        Case(
            "single_turn_manual_ga",
            "one manual-commit turn (the seed's flow), echo reply, GA dialect",
            echo,
            manual,
            clips_scenario([HEAR], pace="fast"),
        ),
        Case(
            "single_turn_manual_preview",
            "the same manual-commit turn in the preview dialect",
            echo,
            manual,
            clips_scenario([HEAR], pace="fast"),
            Dialect.PREVIEW,
        ),
        Case(
            "vad_two_turns",
            "server VAD: two utterances in one clip, two tone replies",
            MockConfig(
                behaviour="tone", tone_ms=500.0, latency=LatencyModel(delta_ms=100.0, seed=7)
            ),
            replace(vad, mock_ttfa_ms=250.0, mock_jitter_ms=20.0),
            clips_scenario([AUDIO / "vad_two_utterances_24k_pcm16.wav"]),
        ),
        Case(
            "barge_in_truncate",
            "server VAD: the user talks over a 3 s tone reply; cancel + truncate",
            MockConfig(behaviour="tone", tone_ms=3000.0),
            replace(vad, mock_ttfa_ms=200.0),
            _barge_in,
        ),
        Case(
            "error_mid_response",
            "manual commit; the mock sends an error after 2 audio deltas",
            MockConfig(behaviour="echo", fault=Fault("error", after_deltas=2)),
            replace(manual, mock_ttfa_ms=150.0),
            clips_scenario([HI], pace="fast"),
        ),
        Case(
            "tool_call_ga",
            "manual commit; the model calls get_current_time, the service's demo tool "
            "answers, the model speaks about the answer: one turn",
            MockConfig(behaviour="tool", tone_ms=800.0, latency=LatencyModel(delta_ms=100.0)),
            replace(manual, tools="demo", mock_ttfa_ms=200.0),
            clips_scenario([HEAR], pace="fast"),
        ),
        Case(
            "g711_ulaw_preview",
            "a telephony session: G.711 μ-law at 8 kHz on the wire, echo reply, preview",
            echo,
            replace(manual, audio_format="g711_ulaw"),
            clips_scenario([HEAR], pace="fast"),
            Dialect.PREVIEW,
        ),
    ]


async def record_case(case: Case, out_dir: Path) -> Path:
    """Record one case on a fresh VirtualClock and write it."""
    clock = VirtualClock()
    mock = mock_config(case.settings, case.mock)  # the latency model the settings name
    backend = InProcessBackend(mock, dialect=case.dialect, clock=clock)
    fixture = await record_session(
        backend,
        case.settings,
        case.scenario,
        clock=clock,
        description=case.description,
        name=case.name,
        recorded_at=RECORDED_AT,
        wall_time_s=lambda: RECORDED_AT_UNIX_S,
    )
    return write_fixture(out_dir / f"{case.name}.jsonl", fixture)


async def main(argv: list[str] | None = None) -> int:
    """Record every case; prints each file and its size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=ROOT / "fixtures" / "sessions")
    parser.add_argument("--only", action="append", help="record only these case names")
    args = parser.parse_args(argv)
    for case in cases():
        if args.only and case.name not in args.only:
            continue
        path = await record_case(case, args.out)
        print(
            f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
            f"{path.stat().st_size / 1024:.0f} KiB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
