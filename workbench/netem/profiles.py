"""Named network profiles: the parameters of each direction of an impaired link.

A profile describes one TCP connection's path as seen from the client: ``uplink`` is
client → server, ``downlink`` server → client. Each direction has a mean one-way delay,
a jitter scale (tc-netem's ``pareto`` distribution, see :mod:`workbench.netem.link`), a
bandwidth cap and a per-segment loss probability. Where each number comes from (public
measurements, throttling presets, or a stated assumption) is in ``docs/latency-lab.md``
and in each profile's ``sources``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from workbench.errors import ConfigError

#: Largest accepted one-way delay or jitter scale (ms); a minute is already absurd.
MAX_DELAY_MS = 60_000.0
#: Largest accepted loss probability (%): beyond this TCP would not make progress.
MAX_LOSS_PCT = 50.0


@dataclass(frozen=True, slots=True)
class LinkParams:
    """One direction of a link.

    Parameters
    ----------
    delay_ms : float
        Mean one-way delay (propagation, queueing, radio scheduling), ms, >= 0.
    jitter_ms : float
        Scale of the delay variation (tc-netem ``pareto`` ``JITTER``), ms, >= 0.
    bandwidth_kbps : float or None
        Bottleneck rate in kbit/s (= bits per ms); ``None`` is unlimited.
    loss_pct : float
        Probability (%) that a TCP segment is lost and must be retransmitted, in [0, 50].
    """

    delay_ms: float = 0.0
    jitter_ms: float = 0.0
    bandwidth_kbps: float | None = None
    loss_pct: float = 0.0

    def __post_init__(self) -> None:
        for name in ("delay_ms", "jitter_ms"):
            value = getattr(self, name)
            if not (math.isfinite(value) and 0.0 <= value <= MAX_DELAY_MS):
                raise ConfigError(f"{name} must be in [0, {MAX_DELAY_MS:g}] ms, got {value!r}")
        if self.bandwidth_kbps is not None and not (
            math.isfinite(self.bandwidth_kbps) and self.bandwidth_kbps > 0
        ):
            raise ConfigError(
                f"bandwidth_kbps must be a positive number or None, got {self.bandwidth_kbps!r}"
            )
        if not (math.isfinite(self.loss_pct) and 0.0 <= self.loss_pct <= MAX_LOSS_PCT):
            raise ConfigError(f"loss_pct must be in [0, {MAX_LOSS_PCT:g}] %, got {self.loss_pct!r}")

    @property
    def is_transparent(self) -> bool:
        """Whether this direction adds nothing (no delay, jitter, cap or loss)."""
        return (
            self.delay_ms == 0.0
            and self.jitter_ms == 0.0
            and self.bandwidth_kbps is None
            and self.loss_pct == 0.0
        )


@dataclass(frozen=True, slots=True)
class NetProfile:
    """A named pair of link directions.

    Attributes
    ----------
    name : str
        What the CLI and the docs call it (``4g`` …).
    uplink, downlink : LinkParams
        Client → server and server → client.
    description : str
        One line for ``--help`` and the docs.
    sources : tuple of str
        Where the numbers come from (short citations; full list in docs/latency-lab.md).
    """

    name: str
    uplink: LinkParams
    downlink: LinkParams
    description: str = ""
    sources: tuple[str, ...] = field(default=())

    @property
    def base_rtt_ms(self) -> float:
        """Round-trip time without jitter, serialization or loss (ms)."""
        return self.uplink.delay_ms + self.downlink.delay_ms

    @property
    def is_transparent(self) -> bool:
        """Whether neither direction adds anything (the ``none`` profile)."""
        return self.uplink.is_transparent and self.downlink.is_transparent


def _symmetric(
    params: LinkParams, down_kbps: float | None, up_kbps: float | None
) -> tuple[LinkParams, LinkParams]:
    up = LinkParams(params.delay_ms, params.jitter_ms, up_kbps, params.loss_pct)
    down = LinkParams(params.delay_ms, params.jitter_ms, down_kbps, params.loss_pct)
    return up, down


def _profile(
    name: str,
    *,
    one_way_ms: float,
    jitter_ms: float,
    down_kbps: float | None,
    up_kbps: float | None,
    loss_pct: float,
    description: str,
    sources: tuple[str, ...],
) -> NetProfile:
    up, down = _symmetric(LinkParams(one_way_ms, jitter_ms, None, loss_pct), down_kbps, up_kbps)
    return NetProfile(name, up, down, description, sources)


_PROFILES: dict[str, NetProfile] = {
    p.name: p
    for p in (
        NetProfile(
            "none",
            LinkParams(),
            LinkParams(),
            "no impairment (pass-through)",
            (),
        ),
        _profile(
            "lan",
            one_way_ms=0.25,
            jitter_ms=0.05,
            down_kbps=1_000_000.0,
            up_kbps=1_000_000.0,
            loss_pct=0.0,
            description="switched gigabit Ethernet: 0.5 ms RTT, 1 Gbit/s, no loss",
            sources=("IEEE 802.3ab 1000BASE-T line rate; delay and jitter: stated assumption",),
        ),
        _profile(
            "wifi",
            one_way_ms=20.0,
            jitter_ms=7.0,
            down_kbps=30_000.0,
            up_kbps=15_000.0,
            loss_pct=0.2,
            description="home Wi-Fi + broadband: 40 ms RTT, 30/15 Mbit/s, 0.2 % loss",
            sources=(
                "comcast README 'WIFI (good)': 40 ms, 30000 kbit/s, 0.2 % loss",
                "Firefox DevTools throttling 'Wi-Fi': 30 Mbit/s down, 15 Mbit/s up",
                "Sui et al., MobiSys 2016 (WiFiSeer): WiFi latency p50 ~3 ms, p90 ~20 ms",
            ),
        ),
        _profile(
            "4g",
            one_way_ms=35.0,
            jitter_ms=5.0,
            down_kbps=13_000.0,
            up_kbps=6_000.0,
            loss_pct=0.0,
            description="LTE: 70 ms RTT, 13/6 Mbit/s, no TCP-visible loss",
            sources=(
                "WebPageTest connectivity 'LTE': 70 ms RTT, plr 0",
                "Huang et al., MobiSys 2012: LTE median 13 Mbit/s down, 6 Mbit/s up",
                "Brand & Pomy, ITU workshop 2014: LTE scheduling delay 10-30 ms",
            ),
        ),
        _profile(
            "3g-lossy",
            one_way_ms=150.0,
            jitter_ms=15.0,
            down_kbps=1_600.0,
            up_kbps=768.0,
            loss_pct=1.5,
            description="3G/HSPA: 300 ms RTT, 1.6 Mbit/s / 768 kbit/s, 1.5 % loss",
            sources=(
                "WebPageTest connectivity '3G': 1.6 Mbit/s / 768 kbit/s, 300 ms RTT",
                "comcast README '3G/HSDPA (good)': 1.5 % packet loss",
                "jitter: stated assumption",
            ),
        ),
        _profile(
            "intercontinental",
            one_way_ms=88.0,
            jitter_ms=2.0,
            down_kbps=None,
            up_kbps=None,
            loss_pct=0.0,
            description="Europe <-> US west coast over fibre: 176 ms RTT, not bandwidth-bound",
            sources=(
                "WonderProxy 'Miles per Millisecond' (2011): Paris <-> Fremont 176 ms RTT",
                "jitter: stated assumption",
            ),
        ),
    )
}

#: Every named profile, by name (read-only).
PROFILES: Mapping[str, NetProfile] = MappingProxyType(_PROFILES)


def get_profile(name: str) -> NetProfile:
    """The profile called ``name``.

    Raises
    ------
    ConfigError
        For an unknown name; the message lists the known ones.
    """
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(PROFILES)
        raise ConfigError(f"unknown network profile {name!r}; choose one of: {known}") from None
