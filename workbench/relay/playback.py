"""Where the shell is in the assistant's audio: what was emitted, delivered and played.

Barge-in truncates the assistant item at the position the listener actually heard:
the shell's reported playout if it reports one, else what it was delivered.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.clock import Clock


@dataclass
class ItemPlayback:
    """Playback bookkeeping of one assistant audio item (all in ms of audio)."""

    item_id: str
    response_id: str
    emitted_ms: float = 0.0
    delivered_ms: float = 0.0
    played_ms: float | None = None
    first_delivery_t_ms: float | None = None
    response_active: bool = True

    def cut_position_ms(self) -> float:
        """Where to truncate: reported playout, else delivered audio; never past delivered."""
        position = self.played_ms if self.played_ms is not None else self.delivered_ms
        return max(0.0, min(position, self.delivered_ms))


class PlaybackTracker:
    """Tracks the current assistant item for barge-in and ``first_playout`` stamps."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self.current: ItemPlayback | None = None
        self._reported: set[str] = set()

    def on_emitted(self, item_id: str, response_id: str, duration_ms: float) -> float:
        """An audio piece was queued for the shell; returns its offset in the item (ms)."""
        item = self.current
        if item is None or item.item_id != item_id:
            item = self.current = ItemPlayback(item_id=item_id, response_id=response_id)
        offset_ms = item.emitted_ms
        item.emitted_ms += duration_ms
        return offset_ms

    def on_delivered(self, item_id: str, duration_ms: float) -> None:
        """The shell took an audio piece of ``item_id`` off the event stream."""
        item = self.current
        if item is not None and item.item_id == item_id:
            if item.first_delivery_t_ms is None:
                item.first_delivery_t_ms = self._clock.now_ms()
            item.delivered_ms += duration_ms

    def on_response_done(self, response_id: str) -> None:
        """The model finished sending this response's audio."""
        if self.current is not None and self.current.response_id == response_id:
            self.current.response_active = False

    def report(self, played_ms: float, item_id: str | None = None) -> str | None:
        """Record the shell's playout position; returns the item id on its first report."""
        item = self.current
        if item is None or (item_id is not None and item_id != item.item_id):
            return None
        item.played_ms = max(0.0, float(played_ms))
        if item.item_id not in self._reported:  # a report of 0 ms: playback started
            self._reported.add(item.item_id)
            return item.item_id
        return None

    def is_playing(self) -> bool:
        """Whether the listener may still be hearing the current item."""
        item = self.current
        if item is None:
            return False
        if item.response_active:
            return True
        if item.played_ms is not None:
            return item.played_ms < item.delivered_ms
        if item.first_delivery_t_ms is None:
            return item.emitted_ms > 0
        # Nothing reported: assume realtime playback from the first delivery.
        return self._clock.now_ms() < item.first_delivery_t_ms + item.delivered_ms

    def stop(self) -> None:
        """The current item was cut or abandoned (barge-in, upstream loss)."""
        self.current = None
