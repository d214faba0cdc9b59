"""Named profiles: sane parameters, ordering between them, and clear errors."""

from __future__ import annotations

import math

import pytest

from workbench.errors import ConfigError
from workbench.netem.profiles import PROFILES, LinkParams, get_profile

#: 24 kHz PCM16 audio as base64 in JSON: 384 kbit/s * 4/3.
AUDIO_UPLINK_KBPS = 24_000 * 16 / 1000 * 4 / 3


def test_the_named_profiles_exist() -> None:
    assert set(PROFILES) == {"none", "lan", "wifi", "4g", "3g-lossy", "intercontinental"}


def test_none_is_transparent_and_the_others_are_not() -> None:
    assert get_profile("none").is_transparent
    assert all(not p.is_transparent for name, p in PROFILES.items() if name != "none")


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_parameters_are_plausible(name: str) -> None:
    p = get_profile(name)
    for direction in (p.uplink, p.downlink):
        assert 0 <= direction.delay_ms <= 500
        assert direction.jitter_ms <= max(direction.delay_ms, 0.1)  # netem clipping stays rare
        assert 0 <= direction.loss_pct <= 5
        if direction.bandwidth_kbps is not None:
            # every profile can carry the model's audio in real time
            assert direction.bandwidth_kbps > AUDIO_UPLINK_KBPS
    if name != "none":
        assert p.sources and p.description


def test_profiles_are_ordered_by_rtt_as_their_names_say() -> None:
    rtt = {name: p.base_rtt_ms for name, p in PROFILES.items()}
    assert rtt["none"] < rtt["lan"] < rtt["wifi"] < rtt["4g"] < rtt["intercontinental"]
    assert rtt["intercontinental"] < rtt["3g-lossy"]


def test_mobile_uplinks_are_slower_than_downlinks() -> None:
    for name in ("wifi", "4g", "3g-lossy"):
        p = get_profile(name)
        assert p.uplink.bandwidth_kbps is not None and p.downlink.bandwidth_kbps is not None
        assert p.uplink.bandwidth_kbps < p.downlink.bandwidth_kbps


def test_unknown_profile_names_the_known_ones() -> None:
    with pytest.raises(ConfigError, match="4g"):
        get_profile("5g")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"delay_ms": -1.0},
        {"delay_ms": math.inf},
        {"jitter_ms": math.nan},
        {"bandwidth_kbps": 0.0},
        {"bandwidth_kbps": -5.0},
        {"loss_pct": 60.0},
        {"loss_pct": -0.1},
    ],
)
def test_bad_link_parameters_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ConfigError):
        LinkParams(**kwargs)
