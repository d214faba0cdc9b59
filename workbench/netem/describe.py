"""What a profile does to a steady stream of messages: latency percentiles from the model.

Pure: it runs :class:`~workbench.netem.link.NetemLink` on virtual sends (no clock, no
sockets), so the figures are the model's, reproducible from the seed. ``workbench netem
--describe`` prints them for every profile; docs/latency-lab.md quotes that output.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbench.netem.link import NetemLink
from workbench.netem.profiles import NetProfile
from workbench.stats import summarize


@dataclass(frozen=True, slots=True)
class StreamStats:
    """Added one-way latency of a message stream through one direction (ms percentiles)."""

    profile: str
    direction: str
    message_bytes: int
    interval_ms: float
    latency_ms: dict[str, float | int | None]
    retransmitted_pct: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "profile": self.profile,
            "direction": self.direction,
            "message_bytes": self.message_bytes,
            "interval_ms": self.interval_ms,
            "latency_ms": self.latency_ms,
            "retransmitted_pct": round(self.retransmitted_pct, 3),
        }


def stream_stats(
    profile: NetProfile,
    *,
    message_bytes: int,
    interval_ms: float,
    count: int = 10_000,
    seed: int | str = 0,
) -> list[StreamStats]:
    """Send ``count`` messages of ``message_bytes`` every ``interval_ms`` each way.

    Parameters
    ----------
    profile : NetProfile
    message_bytes : int
        Bytes per message on the socket (e.g. one audio append).
    interval_ms : float
        Time between sends (ms), e.g. the audio chunk length for real-time audio.
    count : int
        Messages per direction.
    seed : int or str
        Link seed.

    Returns
    -------
    list of StreamStats
        Uplink then downlink: p50/p90/p99/mean/max of ``deliver - send`` (ms).
    """
    link = NetemLink(profile, seed)
    out = []
    for direction, model in (("uplink", link.uplink), ("downlink", link.downlink)):
        latencies = []
        retransmitted = 0
        for i in range(count):
            delivery = model.deliver(message_bytes, i * interval_ms)
            latencies.append(delivery.latency_ms)
            retransmitted += delivery.lost_segments > 0
        out.append(
            StreamStats(
                profile=profile.name,
                direction=direction,
                message_bytes=message_bytes,
                interval_ms=interval_ms,
                latency_ms=summarize(latencies),
                retransmitted_pct=100.0 * retransmitted / max(1, count),
            )
        )
    return out
