"""The pure link model: delay, jitter distribution, bandwidth, TCP loss recovery, order."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.netem.link import (
    DUPTHRESH,
    MSS_BYTES,
    RTO_MIN_MS,
    SEGMENT_HEADER_BYTES,
    LinkModel,
    NetemLink,
    link_for,
    netem_pareto,
    netem_pareto_quantile,
)
from workbench.netem.profiles import PROFILES, LinkParams


def test_fixed_delay_only_adds_the_delay() -> None:
    link = link_for(LinkParams(delay_ms=40.0))
    d = link.deliver(1000, 5.0)
    assert d.deliver_ms == 45.0
    assert (d.queue_ms, d.serialization_ms, d.recovery_ms, d.hol_ms) == (0.0, 0.0, 0.0, 0.0)


def test_serialization_delay_counts_payload_and_segment_headers() -> None:
    # 1 Mbit/s = 1000 bits/ms; 3000 bytes -> 3 segments of headers
    link = link_for(LinkParams(bandwidth_kbps=1000.0))
    d = link.deliver(3000, 0.0)
    assert d.segments == math.ceil(3000 / MSS_BYTES) == 3
    expected_ms = 8 * (3000 + 3 * SEGMENT_HEADER_BYTES) / 1000.0
    assert d.serialization_ms == pytest.approx(expected_ms)
    assert d.deliver_ms == pytest.approx(expected_ms)


def test_bandwidth_queues_a_burst_behind_itself() -> None:
    # 10 messages of 1000 B sent at once on 100 kbit/s: each waits for those before it
    link = link_for(LinkParams(delay_ms=10.0, bandwidth_kbps=100.0))
    deliveries = [link.deliver(1000, 0.0) for _ in range(10)]
    per_msg_ms = 8 * (1000 + SEGMENT_HEADER_BYTES) / 100.0
    for i, d in enumerate(deliveries):
        assert d.queue_ms == pytest.approx(i * per_msg_ms)
        assert d.deliver_ms == pytest.approx((i + 1) * per_msg_ms + 10.0)


def test_sustained_rate_is_the_cap() -> None:
    # a 50 ms, 24 kHz PCM16 frame (2400 B) every 50 ms needs 384 kbit/s + headers:
    # through 300 kbit/s the backlog grows linearly; through 1 Mbit/s it does not.
    for cap_kbps, grows in ((300.0, True), (1000.0, False)):
        link = link_for(LinkParams(bandwidth_kbps=cap_kbps))
        latencies = [link.deliver(2400, i * 50.0).latency_ms for i in range(200)]
        assert (latencies[-1] > latencies[0] + 1000.0) is grows


def test_netem_pareto_matches_its_definition() -> None:
    assert netem_pareto(1.0) == pytest.approx(-2.0 / 3.0)  # the minimum
    assert netem_pareto(0.5) == pytest.approx(4 / 3 * (2 ** (1 / 3) - 1.5))
    assert netem_pareto(0.0) == netem_pareto(16 / 65536) == pytest.approx(4 / 3 * (16 - 1.5))
    assert netem_pareto_quantile(0.99) == pytest.approx(4 / 3 * (100 ** (1 / 3) - 1.5))


def test_jitter_sample_statistics_follow_the_netem_pareto() -> None:
    params = LinkParams(delay_ms=100.0, jitter_ms=10.0)
    link = link_for(params, seed=7)
    # widely spaced sends: no HOL blocking, each delivery shows its own delay draw
    delays = sorted(link.deliver(100, i * 10_000.0).delay_ms for i in range(20_000))
    mean = sum(delays) / len(delays)
    assert mean == pytest.approx(100.0, abs=0.3)  # the pareto table is centred on 0
    assert delays[0] >= 100.0 - 10.0 * 2 / 3 - 1e-9
    for q in (0.5, 0.9, 0.99):
        sample = delays[int(q * len(delays))]
        expected = 100.0 + 10.0 * netem_pareto_quantile(q)
        assert sample == pytest.approx(expected, abs=0.6 if q < 0.99 else 2.0)


def test_delay_is_clipped_at_zero() -> None:
    link = link_for(LinkParams(delay_ms=1.0, jitter_ms=50.0), seed=1)
    assert min(link.deliver(10, i * 1000.0).delay_ms for i in range(2000)) == 0.0


def test_jitter_never_reorders_messages_and_shows_as_hol_blocking() -> None:
    link = link_for(LinkParams(delay_ms=50.0, jitter_ms=30.0), seed=3)
    deliveries = [link.deliver(200, i * 5.0) for i in range(2000)]
    times = [d.deliver_ms for d in deliveries]
    assert times == sorted(times)
    assert any(d.hol_ms > 0 for d in deliveries)
    for d in deliveries:
        assert d.deliver_ms == pytest.approx(d.send_ms + d.latency_ms)
        arrival = d.send_ms + d.queue_ms + d.serialization_ms + d.delay_ms + d.recovery_ms
        assert d.deliver_ms == pytest.approx(arrival + d.hol_ms)


def test_loss_never_drops_a_message_it_delays_it_and_blocks_those_behind() -> None:
    link = link_for(LinkParams(delay_ms=50.0, loss_pct=10.0), seed=11)
    deliveries = [link.deliver(500, i * 20.0) for i in range(1000)]
    assert len(deliveries) == 1000
    lossy = [i for i, d in enumerate(deliveries) if d.lost_segments]
    assert 60 < len(lossy) < 140  # ~10 % of single-segment messages
    i = next(i for i in lossy if i + 1 < len(deliveries) and not deliveries[i + 1].lost_segments)
    assert deliveries[i].recovery_ms >= 2 * link.srtt_ms
    # the next message was sent 20 ms later and is not lost, yet waits behind it
    assert deliveries[i + 1].hol_ms > 0
    assert deliveries[i + 1].deliver_ms == deliveries[i].deliver_ms


def test_lone_tail_loss_waits_for_the_probe_plus_delayed_ack_allowance() -> None:
    link = link_for(LinkParams(delay_ms=30.0, loss_pct=50.0), seed=0)
    srtt = link.srtt_ms
    seen_lone, seen_fast = False, False
    t = 0.0
    for _ in range(400):
        t += 100_000.0  # everything before was delivered (backoff < 52 s): it is alone
        d = link.deliver(100, t)
        if d.lost_segments and d.recovery_ms < 2 * srtt + RTO_MIN_MS + link.rto_ms:
            assert d.recovery_ms == pytest.approx(2 * srtt + RTO_MIN_MS)
            seen_lone = True
    for _ in range(400):
        t += 10_000.0
        d = link.deliver(MSS_BYTES * (DUPTHRESH + 1), t)  # first segment has 3 behind it
        if d.lost_segments and d.recovery_ms == pytest.approx(srtt):
            seen_fast = True
    assert seen_lone and seen_fast


def test_same_seed_same_deliveries_other_seed_others() -> None:
    profile = PROFILES["3g-lossy"]

    def run(seed: int) -> list[float]:
        link = NetemLink(profile, seed)
        return [link.downlink.deliver(3000, i * 40.0).deliver_ms for i in range(300)]

    assert run(5) == run(5)
    assert run(5) != run(6)


def test_uplink_and_downlink_are_independent_streams() -> None:
    link = NetemLink(PROFILES["4g"], 1)
    ups = [link.uplink.deliver(10, i * 1000.0).delay_ms for i in range(50)]
    downs = [link.downlink.deliver(10, i * 1000.0).delay_ms for i in range(50)]
    assert ups != downs


def test_bad_inputs_raise() -> None:
    link = link_for(LinkParams(delay_ms=1.0))
    link.deliver(10, 100.0)
    with pytest.raises(ValueError, match="backwards"):
        link.deliver(10, 99.0)
    with pytest.raises(ValueError, match="size_bytes"):
        link.deliver(-1, 100.0)
    with pytest.raises(ValueError, match="finite"):
        link.deliver(1, math.nan)


def test_huge_and_empty_messages_are_finite() -> None:
    link = LinkModel(PROFILES["3g-lossy"].uplink, srtt_ms=300.0, rttvar_ms=30.0, seed=2)
    empty = link.deliver(0, 0.0)
    assert empty.segments == 1 and math.isfinite(empty.deliver_ms)
    huge = link.deliver(64 * 1024 * 1024, 0.0)
    assert math.isfinite(huge.deliver_ms) and huge.serialization_ms > 600_000


@settings(max_examples=60, deadline=None)
@given(
    sends=st.lists(
        st.tuples(st.integers(0, 20_000), st.floats(0.0, 200.0)), min_size=1, max_size=60
    ),
    profile=st.sampled_from(sorted(PROFILES)),
    seed=st.integers(0, 1000),
)
def test_deliveries_are_monotonic_and_never_early(
    sends: list[tuple[int, float]], profile: str, seed: int
) -> None:
    link = NetemLink(PROFILES[profile], seed).uplink
    t = 0.0
    last = -math.inf
    for size, gap in sends:
        t += gap
        d = link.deliver(size, t)
        assert d.deliver_ms >= t
        assert d.deliver_ms >= last
        last = d.deliver_ms
