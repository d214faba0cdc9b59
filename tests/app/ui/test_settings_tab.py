"""The Settings tab: derived from the settings source, every problem shown at once."""

from __future__ import annotations

import html
import re

from workbench.app.ui.settings_tab import FIELDS, apply_settings, header_html
from workbench.backends.environment import BackendEnvironment, Secret
from workbench.service import BackendResolver, SessionService
from workbench.settings import RelaySettings, spec_of


def _text(status: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", status))


def test_the_tab_shows_settings_of_the_one_source() -> None:
    assert set(FIELDS) <= {f for f in RelaySettings.__dataclass_fields__}
    assert spec_of(RelaySettings, "chunk_ms").display == "Chunk size (ms)"


def test_apply_keeps_the_old_settings_and_lists_every_bad_value_by_its_label() -> None:
    service = SessionService()
    current = RelaySettings(chunk_ms=20)
    kept, status, header = apply_settings(
        service, current, {"chunk_ms": 0, "vad_threshold": 1.5, "voice": "<script>"}
    )
    assert kept is current and header is None
    text = _text(status)
    assert "3 values to fix" in text
    assert "Chunk size (ms): must be between 5 and 1000, got 0" in text
    assert "VAD threshold: must be between 0 and 1, got 1.5" in text
    assert "Voice: must be a voice name" in text and "<script>" not in status
    new, status, header = apply_settings(service, current, {"chunk_ms": 60, "voice": " alloy "})
    assert new.chunk_ms == 60 and new.voice == "alloy"
    assert header is not None and "Applied" in _text(status)


def test_form_values_arrive_as_gradio_sends_them() -> None:
    service = SessionService()
    new, _, _ = apply_settings(
        service,
        RelaySettings(),
        {"vad_threshold": "0.7", "vad_prefix_padding_ms": 200.0, "mock_speed_x": 2},
    )
    assert new.vad_threshold == 0.7 and new.mock_speed_x == 2.0
    assert new.vad_prefix_padding_ms == 200 and isinstance(new.vad_prefix_padding_ms, int)
    cleared, status, _ = apply_settings(service, new, {"chunk_ms": None})
    assert cleared is new and "Chunk size (ms): must be a number" in _text(status)


def test_header_names_the_backend_and_never_a_key() -> None:
    env = BackendEnvironment(backend="openai", openai_api_key=Secret("sk-test-not-real"))
    service = SessionService(resolver=BackendResolver(env=env))
    page = header_html(service, RelaySettings(backend_source="env"))
    assert "sk-test" not in page and "OPENAI" in page
    assert "MOCK" in header_html(service, RelaySettings(backend_source="mock"))


def test_apply_refuses_what_the_backends_service_would_refuse() -> None:
    service = SessionService()
    current = RelaySettings()
    kept, status, header = apply_settings(service, current, {"voice": "nova", "tools": "demo"})
    assert kept is current and header is None
    text = _text(status)
    assert "1 value to fix" in text and "Voice: Invalid value: 'nova'" in text
    assert {"tools", "audio_format"} <= set(FIELDS)
    new, _, header = apply_settings(service, current, {"voice": "marin", "tools": "demo"})
    assert (new.voice, new.tools) == ("marin", "demo") and header is not None
