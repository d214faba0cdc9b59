"""The sans-I/O impairment model of one direction of a TCP connection.

Input: a message (its size in bytes) handed to the socket at a send time (ms). Output:
when the far side's application can read it (ms), with the parts that made it up. No
clock, no sockets: the asyncio adapters (:mod:`workbench.netem.delay_line`) sleep until
the times this model returns.

How a message crosses the link (in this order):

1. **Bandwidth**: the message and one TCP/IP header per segment are serialized onto a
   bottleneck of ``bandwidth_kbps`` after whatever is still queued before it.
2. **Delay and jitter**: a one-way delay drawn per message from tc-netem's ``pareto``
   distribution (iproute2 ``netem/pareto.c``, from NISTnet): ``delay + jitter * x`` with
   ``x = 4/3 * (u ** (-1/3) - 1.5)``, ``u`` uniform in (0, 1], i.e. a Pareto of shape 3
   shifted to mean 0: the mean stays ``delay``, the minimum is ``delay - 2/3 jitter``,
   and the right tail is heavy (p99 = ``delay + 4.19 jitter``). Like netem, ``u`` is
   limited to netem's table resolution (``x <= 19.3``) and the result is clipped at 0.
3. **Loss** as TCP shows it: every segment is lost with ``loss_pct`` and retransmitted;
   nothing is ever dropped. A lost segment with at least 3 segments behind it in the
   message is repaired by fast retransmit (RFC 5681 dupthresh 3) one RTT later; a tail
   loss waits for the tail loss probe (RFC 8985 §7.2, as Linux schedules it:
   ``2 * SRTT``, plus ``TCP_RTO_MIN`` 200 ms when it is the only segment in flight);
   a lost retransmission waits for the retransmission timeout
   (RFC 6298 ``SRTT + 4 * RTTVAR``, at least Linux's 200 ms), doubling each time.
4. **In-order delivery**: TCP hands bytes to the application in order, so a message is
   delivered no earlier than the one before it (head-of-line blocking).

Each call draws from the direction's own seeded ``random.Random``, so the same seed and
the same sends give the same deliveries.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from workbench.netem.profiles import LinkParams, NetProfile

#: TCP payload per segment: 1500-byte Ethernet MTU - 20 (IPv4) - 20 (TCP) - 12 (timestamps).
MSS_BYTES = 1448
#: IPv4 + TCP + timestamp option bytes per segment on the wire.
SEGMENT_HEADER_BYTES = 52
#: Segments behind a loss that trigger fast retransmit (RFC 5681 DupThresh).
DUPTHRESH = 3
#: Linux ``TCP_RTO_MIN`` (ms): floor of the RTO and the delayed-ACK allowance of a lone TLP.
RTO_MIN_MS = 200.0
#: Linux ``TCP_TIMEOUT_MIN`` (ms): added to the TLP timeout when several segments fly.
TLP_MIN_MS = 2.0
#: Retransmissions of one segment before the model stops backing off (a real stack
#: would give up around here; the total stays finite).
MAX_RETRANSMISSIONS = 8
#: Smallest ``u`` of the pareto draw: netem's table steps ``u`` by 16/65536.
_MIN_U = 16.0 / 65536.0


def netem_pareto(u: float) -> float:
    """tc-netem's ``pareto`` table value for a uniform draw ``u`` (dimensionless).

    Parameters
    ----------
    u : float
        Uniform in (0, 1]; values below netem's table resolution (16/65536) are raised
        to it.

    Returns
    -------
    float
        ``4/3 * (u ** (-1/3) - 1.5)``: mean 0, minimum -2/3, maximum about 19.3.
    """
    u = min(1.0, max(_MIN_U, u))
    return (4.0 / 3.0) * (math.pow(u, -1.0 / 3.0) - 1.5)


def netem_pareto_quantile(q: float) -> float:
    """The ``q``-quantile (0 < q < 1) of :func:`netem_pareto` (``u = 1 - q``)."""
    return netem_pareto(1.0 - q)


@dataclass(frozen=True, slots=True)
class Delivery:
    """What happened to one message (all times ms on the caller's clock).

    Attributes
    ----------
    send_ms, deliver_ms : float
        Handed to the socket; readable by the far application.
    size_bytes : int
        Application bytes (headers excluded).
    queue_ms : float
        Waiting behind earlier messages for the bottleneck.
    serialization_ms : float
        Putting this message's bytes and segment headers on the bottleneck.
    delay_ms : float
        The one-way delay drawn for it (mean + jitter).
    recovery_ms : float
        Extra time spent retransmitting lost segments.
    hol_ms : float
        Waiting for an earlier message still in flight (head-of-line blocking).
    segments, lost_segments : int
        TCP segments it took, and how many of them were lost at least once.
    """

    send_ms: float
    deliver_ms: float
    size_bytes: int
    queue_ms: float
    serialization_ms: float
    delay_ms: float
    recovery_ms: float
    hol_ms: float
    segments: int
    lost_segments: int

    @property
    def latency_ms(self) -> float:
        """``deliver_ms - send_ms``: the whole added latency of this message."""
        return self.deliver_ms - self.send_ms


class LinkModel:
    """One direction of a TCP connection through an impaired path (sans-I/O).

    Parameters
    ----------
    params : LinkParams
        This direction's delay, jitter, bandwidth and loss.
    srtt_ms : float
        Smoothed RTT the sender's TCP would have measured (ms), for loss recovery.
    rttvar_ms : float
        RTT variation (ms), for the retransmission timeout.
    seed : int or str
        Seed of this direction's random draws.
    """

    def __init__(
        self, params: LinkParams, *, srtt_ms: float, rttvar_ms: float, seed: int | str = 0
    ) -> None:
        self.params = params
        self.srtt_ms = srtt_ms
        self.rto_ms = max(RTO_MIN_MS, srtt_ms + 4.0 * rttvar_ms)
        self._rng = random.Random(seed)
        self._last_send_ms = -math.inf
        self._link_free_ms = -math.inf
        self._last_deliver_ms = -math.inf
        self.messages = 0

    @property
    def last_deliver_ms(self) -> float:
        """Delivery time of the latest message (ms; -inf before the first)."""
        return self._last_deliver_ms

    def deliver(self, size_bytes: int, send_ms: float) -> Delivery:
        """Model one message; returns when the far application can read it.

        Parameters
        ----------
        size_bytes : int
            Bytes the application wrote (>= 0; 0 still costs one segment header).
        send_ms : float
            When it was written (ms); never earlier than the previous call's.

        Returns
        -------
        Delivery
            ``deliver_ms`` is never earlier than ``send_ms`` nor than the previous
            message's ``deliver_ms``.

        Raises
        ------
        ValueError
            For a negative size, a non-finite time, or a send time going backwards.
        """
        if size_bytes < 0:
            raise ValueError(f"size_bytes must be >= 0, got {size_bytes}")
        if not math.isfinite(send_ms):
            raise ValueError(f"send_ms must be finite, got {send_ms}")
        if send_ms < self._last_send_ms:
            raise ValueError(f"send times must not go backwards ({send_ms} < {self._last_send_ms})")
        self._last_send_ms = send_ms
        p = self.params
        segments = max(1, math.ceil(size_bytes / MSS_BYTES))
        start_ms = max(send_ms, self._link_free_ms)
        wire_bits = 8.0 * (size_bytes + segments * SEGMENT_HEADER_BYTES)
        serialization_ms = 0.0 if p.bandwidth_kbps is None else wire_bits / p.bandwidth_kbps
        self._link_free_ms = start_ms + serialization_ms
        delay_ms = self._draw_delay()
        alone = segments == 1 and self._last_deliver_ms <= send_ms
        recovery_ms, lost = self._recovery(segments, alone)
        arrival_ms = start_ms + serialization_ms + delay_ms + recovery_ms
        deliver_ms = max(arrival_ms, self._last_deliver_ms)
        self._last_deliver_ms = deliver_ms
        self.messages += 1
        return Delivery(
            send_ms=send_ms,
            deliver_ms=deliver_ms,
            size_bytes=size_bytes,
            queue_ms=start_ms - send_ms,
            serialization_ms=serialization_ms,
            delay_ms=delay_ms,
            recovery_ms=recovery_ms,
            hol_ms=deliver_ms - arrival_ms,
            segments=segments,
            lost_segments=lost,
        )

    def _draw_delay(self) -> float:
        p = self.params
        if p.jitter_ms == 0.0:
            return p.delay_ms
        u = 1.0 - self._rng.random()  # (0, 1]
        return max(0.0, p.delay_ms + p.jitter_ms * netem_pareto(u))

    def _recovery(self, segments: int, alone: bool) -> tuple[float, int]:
        """Extra ms until every lost segment of the message is repaired, and how many."""
        loss = self.params.loss_pct / 100.0
        if loss == 0.0:
            return 0.0, 0
        worst_ms = 0.0
        lost = 0
        for index in range(segments):
            if self._rng.random() >= loss:
                continue
            lost += 1
            behind = segments - 1 - index
            if behind >= DUPTHRESH:
                extra_ms = self.srtt_ms  # dupacks come back, the retransmission goes out
            else:
                extra_ms = 2.0 * self.srtt_ms + (RTO_MIN_MS if alone else TLP_MIN_MS)
            rto_ms = self.rto_ms
            for _ in range(MAX_RETRANSMISSIONS):
                if self._rng.random() >= loss:
                    break
                extra_ms += rto_ms
                rto_ms *= 2.0
            # Lost segments are repaired in parallel: the message waits for the slowest.
            worst_ms = max(worst_ms, extra_ms)
        return worst_ms, lost


class NetemLink:
    """Both directions of one connection, with TCP's RTT estimates from the profile.

    Parameters
    ----------
    profile : NetProfile
        The path.
    seed : int or str
        Seed; each direction derives its own stream from it, so the two directions are
        independent but both reproducible.

    Attributes
    ----------
    uplink, downlink : LinkModel
        Client → server and server → client.
    """

    def __init__(self, profile: NetProfile, seed: int | str = 0) -> None:
        self.profile = profile
        srtt_ms = profile.base_rtt_ms
        rttvar_ms = profile.uplink.jitter_ms + profile.downlink.jitter_ms
        self.uplink = LinkModel(
            profile.uplink, srtt_ms=srtt_ms, rttvar_ms=rttvar_ms, seed=f"{seed}:up"
        )
        self.downlink = LinkModel(
            profile.downlink, srtt_ms=srtt_ms, rttvar_ms=rttvar_ms, seed=f"{seed}:down"
        )


def link_for(params: LinkParams, seed: int | str = 0) -> LinkModel:
    """A single direction with RTT estimates assuming the same path back (for tests/notebooks)."""
    return LinkModel(
        params, srtt_ms=2.0 * params.delay_ms, rttvar_ms=2.0 * params.jitter_ms, seed=seed
    )
