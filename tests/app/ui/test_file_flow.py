"""The File tab: any supported clip in, streamed reply and timeline out; errors shown."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.app.ui.ui_helpers import (
    AUDIO_DIR,
    best_correlation,
    envelope,
    read_wav_int16,
    ui_service,
    wav_to_pcm16,
)
from workbench.app.ui.file_flow import FileView, relay_file
from workbench.app.ui.file_tab import render_file_view
from workbench.settings import RelaySettings, ServerSettings


async def _views(path: str | Path | None, settings: RelaySettings | None = None) -> list[FileView]:
    svc = ui_service()
    views: list[FileView] = []
    async with asyncio.timeout(20):
        async for view in relay_file(svc, settings or svc.defaults, path):
            views.append(view)
    return views


@pytest.mark.parametrize(
    "name",
    ["en_hello_44k1_aac_faststart.m4a", "en_hello_48k_opus.ogg", "en_hear_44k1_stereo_pcm16.wav"],
)
async def test_a_clip_streams_its_echo_back_with_a_timeline(name: str) -> None:
    views = await _views(AUDIO_DIR / name)
    chunks = [v for v in views if v.audio]
    assert len(chunks) > 3  # streamed in pieces, not one blob
    final = views[-1]
    assert final.final and final.status_kind == "info" and "completed" in final.status
    assert final.last_turn is not None and final.last_turn["ttfa_ms"] is not None
    assert final.summary["ttfa_ms"]["n"] == 1
    assert abs(final.reply_ms - sum(len(wav_to_pcm16(v.audio or b"")) / 48 for v in chunks)) < 1


async def test_the_echo_matches_the_input() -> None:
    views = await _views(AUDIO_DIR / "en_hear_48k_pcm16.wav")
    reply = np.frombuffer(b"".join(wav_to_pcm16(v.audio) for v in views if v.audio), "<i2")
    _, sent = read_wav_int16(AUDIO_DIR / "en_hear_48k_pcm16.wav")
    assert best_correlation(envelope(reply, 24_000), envelope(sent, 48_000)) > 0.9


async def test_a_bad_upload_is_a_visible_error(tmp_path: Path) -> None:
    junk = tmp_path / "notes.m4a"
    junk.write_bytes(b"this is not audio at all" * 50)
    views = await _views(junk)
    final = views[-1]
    assert final.final and final.status_kind == "error" and final.errors
    assert "Traceback" not in final.status
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    assert (await _views(empty))[-1].status_kind == "error"


async def test_no_clip_asks_for_one() -> None:
    views = await _views(None)
    assert len(views) == 1 and views[0].status_kind == "warn" and views[0].final


async def test_a_clip_over_the_input_limit_is_refused_with_the_limit_named() -> None:
    svc = ui_service()
    svc.server = ServerSettings(max_input_audio_s=0.5)
    views: list[FileView] = []
    async with asyncio.timeout(20):
        async for view in relay_file(svc, svc.defaults, AUDIO_DIR / "en_hear_48k_pcm16.wav"):
            views.append(view)
    final = views[-1]
    assert final.status_kind == "error" and "0.5 s" in final.status
    assert "Max input audio per turn" in final.status
    record = svc.store.recent(1)[0]
    assert record.kind == "file" and record.end_reason == "limit" and not svc.live


def test_render_only_draws_the_plot_at_the_end() -> None:
    streaming = FileView(b"RIFF", [], -10.0, "Receiving", "live")
    out: tuple[Any, ...] = render_file_view(streaming)
    assert out[0] == b"RIFF" and out[3] == {"__type__": "update"}
    done = FileView(
        None, [], -100.0, "Done", "info", {"turn_index": 0, "stages_ms": {}}, {}, final=True
    )
    out = render_file_view(done)
    assert out[0] == {"__type__": "update"} and hasattr(out[3], "axes")


async def test_the_file_tab_shows_a_demo_tool_call_and_the_reply_about_it() -> None:
    from workbench.mock.config import LatencyModel, MockConfig
    from workbench.service import BackendResolver, SessionService

    mock = MockConfig(behaviour="tool", latency=LatencyModel())
    defaults = RelaySettings(tools="demo", mock_ttfa_ms=40, mock_speed_x=50)
    service = SessionService(resolver=BackendResolver(mock_base=mock), defaults=defaults)
    views: list[FileView] = []
    async with asyncio.timeout(20):
        async for view in relay_file(service, defaults, AUDIO_DIR / "en_hear_48k_pcm16.wav"):
            views.append(view)
    final = views[-1]
    assert final.status_kind == "info" and "completed" in final.status
    contents = [m["content"] for m in final.messages]
    assert any(c.startswith("🔧 `get_current_time(") and " → " in c for c in contents)
    assert any(c.startswith("The tool answered") for c in contents)
