"""The one settings source: defaults, ranges, labels, env vars and CLI flags agree."""

from __future__ import annotations

import argparse
import dataclasses
import re

import pytest

from workbench.settings import (
    RelaySettings,
    ServerSettings,
    SettingsError,
    from_env,
    parse_values,
    specs,
    to_dict,
)
from workbench.settings.cli import add_flags, resolve


@pytest.mark.parametrize("cls", [RelaySettings, ServerSettings])
def test_every_default_is_in_its_own_range_and_every_setting_is_described(cls: type) -> None:
    defaults = cls()
    for spec in specs(cls):
        assert spec.label and spec.help, spec.name
        spec.parse(getattr(defaults, spec.name))  # raises if out of range
        assert spec.env_var == "WORKBENCH_" + spec.name.upper()


def test_every_bad_value_is_reported_at_once_with_labels_and_units() -> None:
    with pytest.raises(SettingsError) as info:
        RelaySettings(chunk_ms=3, turn_detection="psychic", vad_silence_ms=20.5)  # type: ignore[arg-type]
    names = [p.name for p in info.value.problems]
    assert names == ["chunk_ms", "turn_detection", "vad_silence_ms"]
    message = info.value.message
    assert "Chunk size (ms): must be between 5 and 1000, got 3" in message
    assert "Turn detection: must be one of none, server_vad, semantic_vad" in message
    assert "VAD silence (ms): must be a whole number, got 20.5" in message
    assert info.value.code == "bad_settings" and info.value.http_status == 422


@pytest.mark.parametrize(
    ("raw", "ok"),
    [("40", True), (40, True), ("nan", False), (float("inf"), False), (True, False), ("", False)],
)
def test_numbers_arrive_as_text_or_numbers_and_nothing_else(raw: object, ok: bool) -> None:
    if ok:
        assert parse_values(RelaySettings, {"chunk_ms": raw}) == {"chunk_ms": 40.0}
    else:
        with pytest.raises(SettingsError):
            parse_values(RelaySettings, {"chunk_ms": raw})


def test_environment_variables_set_values_and_bad_ones_are_named_by_variable() -> None:
    env = {"WORKBENCH_MAX_SESSIONS": "8", "WORKBENCH_ALLOWED_ORIGINS": "http://a, http://b"}
    server = from_env(ServerSettings, env)
    assert server.max_sessions == 8 and server.allowed_origins == ("http://a", "http://b")
    with pytest.raises(SettingsError) as info:
        from_env(ServerSettings, {"WORKBENCH_MAX_SESSIONS": "0", "WORKBENCH_IDLE_TIMEOUT_S": "x"})
    assert "WORKBENCH_MAX_SESSIONS (Max concurrent sessions): must be between 1" in str(info.value)
    assert "WORKBENCH_IDLE_TIMEOUT_S" in str(info.value)


def test_cli_flags_are_derived_and_override_the_environment() -> None:
    parser = argparse.ArgumentParser()
    add_flags(parser, RelaySettings)
    add_flags(parser, ServerSettings)
    args = parser.parse_args(["--chunk-ms", "20", "--max-sessions", "3"])
    relay = resolve(RelaySettings, env={"WORKBENCH_CHUNK_MS": "60"}, args=args)
    assert relay.chunk_ms == 20.0
    assert resolve(ServerSettings, env={}, args=args).max_sessions == 3
    bad = parser.parse_args(["--chunk-ms", "2", "--max-sessions", "-1"])
    with pytest.raises(SettingsError) as info:
        resolve(RelaySettings, env={"WORKBENCH_VAD_THRESHOLD": "7"}, args=bad)
    text = str(info.value)
    assert "WORKBENCH_VAD_THRESHOLD (VAD threshold)" in text and "--chunk-ms (Chunk size" in text
    help_text = parser.format_help()
    assert "--vad-silence-ms" in help_text and "WORKBENCH_VAD_SILENCE_MS" in help_text


def test_to_dict_round_trips_through_parse_values() -> None:
    settings = RelaySettings(chunk_ms=20, voice="alloy", turn_detection="none")
    again = dataclasses.replace(RelaySettings(), **parse_values(RelaySettings, to_dict(settings)))
    assert again == settings


def test_docs_settings_md_is_what_the_declarations_render() -> None:
    from pathlib import Path

    from workbench.settings.reference import render_markdown

    doc = Path(__file__).resolve().parents[2] / "docs" / "settings.md"
    assert doc.read_text(encoding="utf-8") == render_markdown(), (
        "docs/settings.md is stale: run `workbench docs settings`"
    )


def test_no_setting_takes_an_environment_variable_that_selects_the_backend() -> None:
    import inspect

    from workbench.backends import environment

    backend_vars = set(re.findall(r'"(WORKBENCH_[A-Z_]+)"', inspect.getsource(environment)))
    assert {"WORKBENCH_BACKEND", "WORKBENCH_MODEL", "WORKBENCH_DIALECT"} <= backend_vars
    setting_vars = {s.env_var for cls in (RelaySettings, ServerSettings) for s in specs(cls)}
    assert not setting_vars & (backend_vars | {"WORKBENCH_AUTH"})


def test_the_audio_formats_are_the_protocols() -> None:
    # Settings may not import the protocol layer (lint-imports): this ties the two lists.
    from workbench.protocol.settings import AUDIO_FORMAT_NAMES
    from workbench.settings import AUDIO_FORMATS

    assert AUDIO_FORMATS == AUDIO_FORMAT_NAMES
