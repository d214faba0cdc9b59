"""The Talk tab: the realtime component by default, Gradio streaming to compare, one panel."""

from __future__ import annotations

from typing import Any

import gradio as gr

from tests.app.ui.realtime_audio.test_payloads import TURN
from tests.app.ui.ui_helpers import ui_service
from workbench.app.ui.blocks import build_ui
from workbench.app.ui.file_tab import file_turn_markdown
from workbench.app.ui.realtime_audio.payloads import RealtimeLog, TurnReport
from workbench.app.ui.talk_realtime import panel, settings_update
from workbench.app.ui.talk_tab import MODES, NATIVE, REALTIME
from workbench.settings import RelaySettings


def _components(demo: gr.Blocks) -> dict[str, dict[str, Any]]:
    config = demo.get_config_file()
    return {
        c["props"]["elem_id"]: c
        for c in config["components"]
        if isinstance(c.get("props", {}).get("elem_id"), str)
    }


def test_the_component_is_the_default_with_this_tabs_settings() -> None:
    svc = ui_service(chunk_ms=20)
    by_id = _components(build_ui(svc))
    mode = by_id["talk-mode"]["props"]
    assert mode["value"] == REALTIME and [c[0] for c in mode["choices"]] == list(MODES)
    assert NATIVE == "Gradio streaming (comparison)"
    assert by_id["talk-realtime"]["props"]["visible"] is True
    assert by_id["talk-native"]["props"]["visible"] is False
    rt = by_id["talk-rt"]["props"]
    # One source of defaults: the service's RelaySettings, every one of them.
    assert rt["settings"]["chunk_ms"] == 20 and rt["settings"]["mock_ttfa_ms"] == 40.0
    assert rt["surface"] == "talk" and "chunk_ms" not in rt


def test_applied_settings_reach_the_components_next_session() -> None:
    update = settings_update(RelaySettings(chunk_ms=60, vad_silence_ms=250))
    assert update["__type__"] == "update"
    assert update["settings"] == RelaySettings(chunk_ms=60, vad_silence_ms=250)


def test_a_turn_report_fills_the_panel_with_the_page_figure_and_the_server_stages() -> None:
    first = TurnReport.from_payload({**TURN, "turn_index": 0, "mic_to_speaker_ms": 700.0})
    second = TurnReport.from_payload(TURN)
    log = RealtimeLog(session_id="s1", turns=(first, second), transcript=())
    plot, turn, table = panel(second, log)
    assert turn.startswith("**Turn 3**")  # turn_index 2: people count from 1
    assert "mic → first reply sample **649 ms**" in turn and "stalls 1" in turn
    assert "time to first audio **301 ms**" in turn
    assert "| mic → first reply sample (page) | 2 | 674 |" in table
    assert "Turn 3" in plot.axes[0].get_title()
    assert "No turn yet" in panel(None, None)[1]


def test_the_file_tab_says_what_it_cannot_measure() -> None:
    text = file_turn_markdown({"turn_index": 0, "stages_ms": {"commit": 0.0}, "ttfa_ms": 300.0})
    assert text.startswith("**Turn 1**") and "No mic→speaker figure here" in text
    assert "Send → the player's first playout" in text and "VAD" not in text
