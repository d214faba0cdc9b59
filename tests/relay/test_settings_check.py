"""Settings the service would refuse are a settings error before any connection."""

from __future__ import annotations

import pytest

from tests.support.backends import ProbeBackend
from workbench.backends.inprocess import InProcessBackend
from workbench.clock import VirtualClock
from workbench.protocol import events as pe
from workbench.protocol.dialects import Dialect
from workbench.relay import Relay, RelayConfig
from workbench.settings import SettingsError


def _probe(dialect: Dialect) -> ProbeBackend:
    return ProbeBackend(InProcessBackend(dialect=dialect, clock=VirtualClock()))


def test_every_bad_value_is_named_by_its_setting_before_connecting() -> None:
    probe = _probe(Dialect.GA)
    config = RelayConfig(
        voice="nova",
        temperature=0.7,
        output_modalities=("audio", "text"),
        tools=(pe.FunctionTool("get time"),),
    )
    with pytest.raises(SettingsError) as info:
        Relay(probe, config)
    problems = {p.name: p for p in info.value.problems}
    assert set(problems) == {"voice", "temperature", "output_modalities", "tools"}
    assert problems["voice"].label == "Voice"  # the label the Settings tab shows
    assert "'nova'" in problems["voice"].detail and "marin" in problems["voice"].detail
    assert "ga service refuses it" in problems["temperature"].detail
    assert info.value.http_status == 422 and probe.connections == 0


@pytest.mark.parametrize(
    ("dialect", "config", "ok"),
    [
        (Dialect.PREVIEW, RelayConfig(temperature=0.8), True),
        (Dialect.PREVIEW, RelayConfig(temperature=1.5), False),
        (Dialect.GA, RelayConfig(temperature=0.8), False),
        (Dialect.GA, RelayConfig(output_modalities=("text",)), True),
        (Dialect.PREVIEW, RelayConfig(output_modalities=("audio", "text")), True),
        (Dialect.GA, RelayConfig(voice="cedar", audio_format="g711_alaw"), True),
        (Dialect.PREVIEW, RelayConfig(instructions="x" * 40_000), False),
    ],
)
def test_the_rules_follow_the_dialect(dialect: Dialect, config: RelayConfig, ok: bool) -> None:
    if ok:
        Relay(_probe(dialect), config)
    else:
        with pytest.raises(SettingsError):
            Relay(_probe(dialect), config)
