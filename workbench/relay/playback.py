"""Where the shell is in the assistant's audio: what was emitted, delivered and played.

Barge-in truncates the assistant item at the position the listener actually heard:
the shell's last reported playout, advanced by the time since that report (playback
runs in real time between reports, which come only every ~100 ms), never past what was
delivered; without reports, what was delivered. The item's transcript is cut at the
same point: each transcript piece is placed at the start of the audio delta it arrived
with, and only pieces placed before the cut are kept (the service deletes a truncated
item's transcript, so this is the only record of what was heard). Pure and synchronous:
every method that needs the time takes ``now_ms``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.relay.events import MAX_ITEM_TEXT_CHARS


@dataclass(slots=True)
class ItemPlayback:
    """Playback bookkeeping of one assistant audio item (all in ms of audio)."""

    item_id: str
    response_id: str
    emitted_ms: float = 0.0
    delivered_ms: float = 0.0
    played_ms: float | None = None
    reported_at_ms: float | None = None
    first_delivery_t_ms: float | None = None
    response_active: bool = True
    last_audio_start_ms: float = 0.0
    #: (start of the audio delta it arrived with (ms into the item), text piece)
    text_pieces: list[tuple[float, str]] = field(default_factory=list)
    text_chars: int = 0

    def cut_position_ms(self, now_ms: float) -> float:
        """Where the listener is at ``now_ms`` (ms into the item), never past delivered.

        The last report plus the time since it (real-time playback), else the delivered
        audio when the shell never reported.
        """
        if self.played_ms is None or self.reported_at_ms is None:
            position = self.delivered_ms
        else:
            position = self.played_ms + max(0.0, now_ms - self.reported_at_ms)
        return max(0.0, min(position, self.delivered_ms))

    def heard_text(self, audio_end_ms: float) -> str:
        """The transcript pieces whose audio starts before ``audio_end_ms`` (ms), joined."""
        return "".join(text for start_ms, text in self.text_pieces if start_ms < audio_end_ms)


class PlaybackTracker:
    """Tracks the current assistant item for barge-in and ``first_playout`` stamps."""

    def __init__(self) -> None:
        self.current: ItemPlayback | None = None

    def on_emitted(self, item_id: str, response_id: str, duration_ms: float) -> float:
        """An audio piece was queued for the shell; returns its offset in the item (ms)."""
        item = self.current
        if item is None or item.item_id != item_id:
            item = self.current = ItemPlayback(item_id=item_id, response_id=response_id)
        offset_ms = item.last_audio_start_ms = item.emitted_ms
        item.emitted_ms += duration_ms
        return offset_ms

    def on_text(self, item_id: str, response_id: str, text: str) -> None:
        """A transcript piece of ``item_id`` arrived (after the audio it belongs to)."""
        item = self.current
        if item is None or item.item_id != item_id:
            item = self.current = ItemPlayback(item_id=item_id, response_id=response_id)
        if item.text_chars < MAX_ITEM_TEXT_CHARS:  # a runaway model cannot grow memory
            item.text_pieces.append((item.last_audio_start_ms, text))
            item.text_chars += len(text)

    def on_delivered(self, item_id: str, duration_ms: float, now_ms: float) -> None:
        """The shell took an audio piece of ``item_id`` (``duration_ms`` long) at ``now_ms``."""
        item = self.current
        if item is not None and item.item_id == item_id:
            if item.first_delivery_t_ms is None:
                item.first_delivery_t_ms = now_ms
            item.delivered_ms += duration_ms

    def on_response_done(self, response_id: str) -> None:
        """The model finished sending this response's audio."""
        if self.current is not None and self.current.response_id == response_id:
            self.current.response_active = False

    def report(self, played_ms: float, item_id: str | None, now_ms: float) -> ItemPlayback | None:
        """Record the shell's playout position (ms into the item) at ``now_ms``.

        Returns
        -------
        ItemPlayback | None
            The item on its *first* report (a report of 0 ms means playback started),
            else None (also for a report about an item that is not the current one).
        """
        item = self.current
        if item is None or (item_id is not None and item_id != item.item_id):
            return None
        first = item.played_ms is None
        item.played_ms = max(0.0, float(played_ms))
        item.reported_at_ms = now_ms
        return item if first else None

    def is_playing(self, now_ms: float) -> bool:
        """Whether the listener may still be hearing the current item at ``now_ms``."""
        item = self.current
        if item is None:
            return False
        if item.response_active:
            return True
        if item.played_ms is not None:
            return item.cut_position_ms(now_ms) < item.delivered_ms
        if item.first_delivery_t_ms is None:
            return item.emitted_ms > 0
        # Nothing reported: assume realtime playback from the first delivery.
        return now_ms < item.first_delivery_t_ms + item.delivered_ms

    def stop(self) -> None:
        """The current item was cut or abandoned (barge-in, upstream loss)."""
        self.current = None
