"""RealtimeAudio as a Gradio component: props, events, value, and its served frontend."""

from __future__ import annotations

import re
from typing import Any

import gradio as gr
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.app.ui.realtime_audio.test_payloads import TURN
from workbench.app.ui.realtime_audio import RealtimeAudio
from workbench.app.ui.realtime_audio.payloads import PayloadError, RealtimeLog
from workbench.errors import ConfigError

#: Event names Gradio's frontend keeps for itself (toasts etc.): never ours.
RESERVED_EVENTS = {"error", "warning", "info", "share", "clear_status", "close_stream"}


def _config_of(demo: gr.Blocks, component: gr.components.Component) -> dict[str, Any]:
    config = demo.get_config_file()
    found: dict[str, Any] = next(c for c in config["components"] if c["id"] == component._id)
    return found


def test_settings_reach_the_browser_as_props() -> None:
    with gr.Blocks() as demo:
        rt = RealtimeAudio(turn_detection="none", chunk_ms=40, context_rate_hz=None, voice="alloy")
    props = _config_of(demo, rt)["props"]
    assert props["turn_detection"] == "none" and props["chunk_ms"] == 40
    assert props["voice"] == "alloy" and props["ws_path"] == "/ws/realtime"
    assert "context_rate_hz" not in props  # None: the browser uses the device rate


def test_a_setting_the_server_would_refuse_fails_at_construction() -> None:
    with pytest.raises(ConfigError, match=re.escape("chunk_ms (Chunk size (ms)): must be betw")):
        RealtimeAudio(chunk_ms=3)


def test_events_are_listener_methods_and_none_is_reserved_by_gradio() -> None:
    names = [str(e) for e in RealtimeAudio.EVENTS]
    assert names == ["session_start", "transcript", "turn", "session_error", "session_end"]
    assert not RESERVED_EVENTS & set(names)
    with gr.Blocks() as demo:
        rt = RealtimeAudio()
        out = gr.Textbox()
        rt.turn(lambda log: str(log), inputs=rt, outputs=out, trigger_mode="multiple")
        rt.session_error(lambda: None)
    deps = demo.get_config_file()["dependencies"]
    assert [(d["targets"][0][1], d["trigger_mode"]) for d in deps] == [
        ("turn", "multiple"),
        ("session_error", "once"),
    ]
    # The API page can describe the value (a session log).
    info = demo.get_api_info()
    assert "session_id" in str(info)


def test_value_is_the_session_log_in_and_out() -> None:
    rt = RealtimeAudio()
    log = rt.preprocess({"session_id": "s1", "turns": [TURN], "transcript": []})
    assert isinstance(log, RealtimeLog) and log.turns[0].mic_to_speaker_ms == 648.7
    assert rt.preprocess(None) is None
    out = rt.postprocess(log)
    assert out is not None and out["turns"][0]["timeline"]["ttfa_ms"] == 301.0
    assert rt.postprocess(None) is None
    with pytest.raises(PayloadError):
        rt.preprocess({"turns": "all of them"})
    with pytest.raises(TypeError, match="RealtimeLog or None"):
        rt.postprocess("hello")


def test_gradio_serves_the_built_frontend() -> None:
    with gr.Blocks() as demo:
        rt = RealtimeAudio()
    app = gr.mount_gradio_app(FastAPI(), demo, path="/", ssr_mode=False)
    with TestClient(app) as client:
        config = client.get("/config").json()
        entry = next(c for c in config["components"] if c["id"] == rt._id)
        base = f"/gradio_api/custom_component/{entry['component_class_id']}/client/component"
        for name in ("index.js", "style.css", "svelte_runtime_entry.js"):
            response = client.get(f"{base}/{name}")
            assert response.status_code == 200, name
            assert len(response.content) > 100
        index = client.get(f"{base}/index.js").text
        # The shared session code is bundled in (one copy, from browser/static/).
        assert "pcm-playback" in index and "pcm-capture" in index
        assert client.get(f"{base}/../../../../build.json").status_code == 404


def test_relay_settings_become_the_settings_prop() -> None:
    from workbench.settings import RelaySettings

    with gr.Blocks() as demo:
        rt = RealtimeAudio(settings=RelaySettings(chunk_ms=20, mock_ttfa_ms=100), surface="talk")
    props = _config_of(demo, rt)["props"]
    assert props["settings"]["chunk_ms"] == 20 and props["settings"]["mock_ttfa_ms"] == 100
    assert props["surface"] == "talk"
    assert "chunk_ms" not in props  # no second default: the settings' value applies
    # A handler can return a new component to change the settings of the next session.
    update = RealtimeAudio(settings=RelaySettings(chunk_ms=60), render=False)
    assert update.constructor_args["settings"] == RelaySettings(chunk_ms=60)
    assert update.settings is not None and update.settings["chunk_ms"] == 60
