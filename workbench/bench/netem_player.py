"""A listener's audio output on a simulated audio clock: jitter buffer, then the device.

Sans-I/O and deterministic: reply audio goes in with its arrival time (ms, any clock),
and the player says when each sample leaves the jitter buffer for the device and when
it is heard (``+ output_latency_ms``). No sleeping, no sound card: a benchmark client
or a notebook feeds it arrival times, real or virtual, and reads the schedule.

The jitter buffer works like the duplex page's, in time rather than in samples: an item
starts ``jitter_buffer_ms`` after its first audio arrived (never before the previous
item ended) and then plays continuously at real time. A piece that has not arrived
when it is due is an *underrun*: playback stops and resumes ``jitter_buffer_ms`` after
the piece arrives (the page's "one cushion after audio is there again"). A flush
(barge-in) stops the item: what left the buffer by then is still heard (it is in the
device), nothing after it. The page also starts early on a burst that fills more than
a cushion; this model does not (a real-time source never bursts).
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field

from workbench.audio import MODEL_FORMAT


@dataclass(frozen=True, slots=True)
class PlayerConfig:
    """The simulated output.

    Parameters
    ----------
    jitter_buffer_ms : float
        Cushion before an item starts, and after an underrun (ms, >= 0).
    output_latency_ms : float
        Device latency: a sample leaving the buffer at ``t`` is heard at ``t + this``.
    """

    jitter_buffer_ms: float = 40.0
    output_latency_ms: float = 20.0

    def __post_init__(self) -> None:
        for name in ("jitter_buffer_ms", "output_latency_ms"):
            value = getattr(self, name)
            if not (math.isfinite(value) and 0.0 <= value <= 60_000.0):
                raise ValueError(f"{name} must be in [0, 60000] ms, got {value!r}")


@dataclass(slots=True)
class _Item:
    item_id: str
    offsets_ms: list[float] = field(default_factory=list)  # position of each piece
    starts_ms: list[float] = field(default_factory=list)  # when each piece leaves the buffer
    durations_ms: list[float] = field(default_factory=list)
    received_ms: float = 0.0
    flushed_at_ms: float | None = None
    underruns: int = 0

    @property
    def end_ms(self) -> float:
        """When the last piece received so far finishes leaving the buffer."""
        if not self.starts_ms:
            return -math.inf
        end = self.starts_ms[-1] + self.durations_ms[-1]
        return end if self.flushed_at_ms is None else min(end, self.flushed_at_ms)


class SimulatedPlayer:
    """Plays reply items through a jitter buffer onto a device, on a simulated clock.

    Parameters
    ----------
    config : PlayerConfig
        Jitter buffer and output latency.
    sample_rate_hz : int
        Rate of the PCM16 pieces pushed (the model's 24 kHz by default).
    """

    def __init__(
        self, config: PlayerConfig | None = None, sample_rate_hz: int = MODEL_FORMAT.sample_rate_hz
    ) -> None:
        self.config = config if config is not None else PlayerConfig()
        self.sample_rate_hz = sample_rate_hz
        self._items: dict[str, _Item] = {}
        self._last: _Item | None = None

    # --- input -------------------------------------------------------------------------

    def push(self, item_id: str, pcm16: bytes, arrival_ms: float) -> float | None:
        """A piece of ``item_id`` arrived at ``arrival_ms``; returns when it leaves the
        buffer (ms), or None if the item was flushed (the piece is dropped).

        Pieces of one item must come in order, arrival times never going back.
        """
        duration_ms = len(pcm16) / 2 * 1000.0 / self.sample_rate_hz
        item = self._items.get(item_id)
        if item is None:
            item = self._items[item_id] = _Item(item_id)
            previous_end = self._last.end_ms if self._last is not None else -math.inf
            self._last = item
            start_ms = max(arrival_ms + self.config.jitter_buffer_ms, previous_end)
        elif item.flushed_at_ms is not None:
            return None
        else:
            due_ms = item.starts_ms[-1] + item.durations_ms[-1]
            if arrival_ms > due_ms:  # the buffer ran dry before this piece came
                item.underruns += 1
                start_ms = arrival_ms + self.config.jitter_buffer_ms
            else:
                start_ms = due_ms
        item.offsets_ms.append(item.received_ms)
        item.starts_ms.append(start_ms)
        item.durations_ms.append(duration_ms)
        item.received_ms += duration_ms
        return start_ms

    def flush(self, item_id: str, at_ms: float) -> float:
        """Stop ``item_id`` at ``at_ms`` (barge-in); returns the ms of it that left the buffer.

        What left the buffer is still heard (it is in the device); later pieces of the
        item are dropped. The reply is silent at the speaker from
        ``at_ms + output_latency_ms``.
        """
        item = self._items.get(item_id)
        if item is None:
            return 0.0
        played = self.played_ms(item_id, at_ms)
        if item.flushed_at_ms is None:
            item.flushed_at_ms = at_ms
        return played

    # --- schedule ----------------------------------------------------------------------

    def played_ms(self, item_id: str, at_ms: float) -> float:
        """ms of ``item_id`` that had left the buffer by ``at_ms`` (what the page reports)."""
        item = self._items.get(item_id)
        if item is None:
            return 0.0
        if item.flushed_at_ms is not None:
            at_ms = min(at_ms, item.flushed_at_ms)
        return sum(
            min(max(at_ms - start, 0.0), duration)
            for start, duration in zip(item.starts_ms, item.durations_ms, strict=True)
        )

    def leaves_buffer_ms(self, item_id: str, position_ms: float) -> float | None:
        """When the sample ``position_ms`` into the item leaves the buffer (None: not
        received yet, or cut by a flush)."""
        item = self._items.get(item_id)
        if item is None or position_ms < 0 or position_ms >= item.received_ms:
            return None
        index = bisect.bisect_right(item.offsets_ms, position_ms) - 1
        t_ms = item.starts_ms[index] + (position_ms - item.offsets_ms[index])
        if item.flushed_at_ms is not None and t_ms >= item.flushed_at_ms:
            return None
        return t_ms

    def heard_ms(self, item_id: str, position_ms: float) -> float | None:
        """When the sample ``position_ms`` into the item is heard (left the buffer + the
        device's output latency)."""
        t_ms = self.leaves_buffer_ms(item_id, position_ms)
        return None if t_ms is None else t_ms + self.config.output_latency_ms

    def underruns(self, item_id: str) -> int:
        """Underruns while ``item_id`` played."""
        item = self._items.get(item_id)
        return 0 if item is None else item.underruns

    def received_ms(self, item_id: str) -> float:
        """ms of ``item_id`` received."""
        item = self._items.get(item_id)
        return 0.0 if item is None else item.received_ms
