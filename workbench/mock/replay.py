"""ReplayModel: the sans-I/O model behind the ``replay`` behaviour.

It answers nothing by itself. When the client sends the event that, in the recording,
preceded a batch of server frames (the n-th ``input_audio_buffer.append``, the first
``response.create`` …), the batch is queued with its recorded delays; frames the
service sent before any client event (``session.created``) are queued at ``start``.
Frames are sent verbatim (``SendRaw``), so the relay parses exactly what was recorded.
"""

from __future__ import annotations

import heapq
import itertools
from collections import Counter

from workbench.mock.replay_script import ReplayScript, ReplayStep, ReplayTrigger
from workbench.mock.responses import MockOutput, SendRaw
from workbench.protocol import events as pe
from workbench.protocol.dialects import encode_client_event
from workbench.protocol.json_codec import Dialect


class ReplayModel:
    """Serves a :class:`ReplayScript` with the same surface as ``MockRealtimeModel``.

    Parameters
    ----------
    script : ReplayScript
        Recorded frames keyed to the client events that preceded them.
    dialect : Dialect
        Dialect used to name incoming client events (names are the same in both).
    """

    def __init__(self, script: ReplayScript, dialect: Dialect = Dialect.GA) -> None:
        self.script = script
        self.dialect = dialect
        self.closed = False
        self._steps: dict[ReplayTrigger | None, ReplayStep] = {s.trigger: s for s in script.steps}
        self._seen: Counter[str] = Counter()
        self._queue: list[tuple[float, int, MockOutput]] = []
        self._seq = itertools.count()
        self._started = False
        #: Client events the recording does not have (wire type, occurrence).
        self.unmatched: list[ReplayTrigger] = []

    def start(self, now_ms: float) -> None:
        """Queue the frames the service sent unprompted at session start."""
        if not self._started:
            self._started = True
            self._release(None, now_ms)

    def receive(self, event: pe.ClientEvent, now_ms: float) -> None:
        """A client event arrived at ``now_ms``: release the batch it triggered."""
        self.start(now_ms)
        event_type = str(encode_client_event(event, self.dialect).get("type", ""))
        trigger = ReplayTrigger(event_type, self._seen[event_type])
        self._seen[event_type] += 1
        if trigger not in self._steps:
            self.unmatched.append(trigger)
            return
        self._release(trigger, now_ms)

    def reject(self, message: str, now_ms: float, code: str = "invalid_value") -> None:
        """Undecodable client frames were not part of the recording: ignored."""

    def due(self, now_ms: float) -> list[MockOutput]:
        """Pop every frame due at or before ``now_ms``, in recorded order."""
        out: list[MockOutput] = []
        while self._queue and self._queue[0][0] <= now_ms:
            out.append(heapq.heappop(self._queue)[2])
        return out

    def next_due_ms(self) -> float | None:
        """When the next frame is due (ms), or None."""
        return self._queue[0][0] if self._queue else None

    def _release(self, trigger: ReplayTrigger | None, now_ms: float) -> None:
        step = self._steps.get(trigger)
        if step is None:
            return
        for release in step.releases:
            # The sequence number keeps recorded order among frames due at the same time.
            heapq.heappush(
                self._queue,
                (now_ms + release.delay_ms, next(self._seq), SendRaw(release.wire_text)),
            )
