"""The page tap in the Gradio app: when Gradio's own audio players are actually heard.

Gradio's ``gr.Audio`` does not report when a reply is audible. ``page-tap.js`` (in
``workbench/app/browser/static/``) measures it in the page, on the audio clock: the last
voiced microphone sample (the microphone stream Gradio opens, while armed) and the
first playout and first audible block of each reply a watched player plays, and stalls
("waiting") mid-reply. :func:`tap_host` puts it into a Blocks: a ``gr.HTML`` whose
``head`` loads the script (once per page, however many hosts) and whose ``js_on_load``
watches one player and triggers a ``measured`` event per report; :class:`PageReply`
parses those reports (untrusted JSON). The host's value names the reply being streamed
(:func:`tag_html`), so each report carries the server's response id.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import Any, Final, Literal

import gradio as gr

from workbench.app.browser.routes import STATIC_PATH
from workbench.app.ui.latency_render import PageFigures
from workbench.app.ui.payload_fields import (
    read_choice,
    read_count,
    read_mapping,
    read_number,
    read_text,
)

SCRIPT_URL: Final = f"{STATIC_PATH}/page-tap.js"
#: Gradio's head injection keeps a script's ``src`` but not its ``type``: a classic
#: inline script imports the module (once: the module cache serves a second import).
HEAD: Final = f'<script>import("{SCRIPT_URL}");</script>'
MAX_ID_CHARS: Final = 128

Phase = Literal["playing", "audible", "stalled", "resumed", "ended"]
PHASES: Final[tuple[str, ...]] = ("playing", "audible", "stalled", "resumed", "ended")

_ON_LOAD = """
const target = %(target)s;
const go = () => {
  window.wbPageTap.watch(target, (r) => trigger("measured", r), {
    tag: () => element.querySelector("[data-response-id]")?.dataset.responseId || null,
    gesture: %(gesture)s,
  });
  trigger("ready", {target});
};
if (window.wbPageTap) go(); else window.addEventListener("wb-page-tap-ready", go, {once: true});
"""


def tag_html(response_id: str | None) -> str:
    """The host's value: which reply the player is being sent (empty before the first)."""
    if not response_id:
        return "<span hidden></span>"
    return f'<span hidden data-response-id="{html.escape(response_id[:MAX_ID_CHARS])}"></span>'


def tap_host(player_elem_id: str, *, elem_id: str, send_elem_id: str | None = None) -> gr.HTML:
    """A ``gr.HTML`` that loads the page tap and reports on the player ``#player_elem_id``.

    ``send_elem_id``: the button whose clicks start the Send → figures (File tab).

    Register a handler with ``host.measured(fn, ...)`` (argument typed
    :class:`PageReplyEvent`; ``host.ready`` fires once the script watches the player);
    update its value with :func:`tag_html` when a reply starts.
    """
    return gr.HTML(
        tag_html(None),
        head=HEAD,
        js_on_load=_ON_LOAD
        % {
            "target": json.dumps(player_elem_id),
            "gesture": json.dumps(f"#{send_elem_id}" if send_elem_id else None),
        },
        elem_id=elem_id,
        padding=False,
        container=False,
    )


@dataclass(frozen=True, slots=True)
class PageReply:
    """One report of the page tap about one reply (all durations in ms).

    Attributes
    ----------
    target : str
        The watched player's element id (``talk-reply``, ``file-reply``).
    seq : int
        The reply's number on that player since the page loaded (1-based).
    response_id : str | None
        The server's response id the page was streaming when the reply started.
    phase : {"playing", "audible", "stalled", "resumed", "ended"}
        What just happened.
    played_ms : float | None
        The player's position in the reply.
    mic_to_first_playout_ms, mic_to_audible_ms : float | None
        Last voiced microphone sample → the player's ``playing`` (±one audio buffer) /
        its first block louder than −40 dBFS, at the speaker (+ output latency).
        None without a microphone (File tab) or before it happened.
    send_to_first_playout_ms, send_to_audible_ms : float | None
        The same from the last Send click (File tab).
    stalls : int
        Times the player waited for data mid-reply; ``stall_ms`` how long in total.
    output_latency_ms : float | None
        The page's AudioContext output latency (included above).
    """

    target: str
    seq: int
    response_id: str | None
    phase: Phase
    played_ms: float | None
    mic_to_first_playout_ms: float | None
    mic_to_audible_ms: float | None
    send_to_first_playout_ms: float | None
    send_to_audible_ms: float | None
    stalls: int
    stall_ms: float
    output_latency_ms: float | None

    @classmethod
    def from_payload(cls, data: object) -> PageReply:
        """Parse a ``measured`` event payload (raises ``PayloadError``)."""
        d = read_mapping(data, "page tap report")
        return cls(
            target=read_text(d, "target", MAX_ID_CHARS),
            seq=read_count(d, "seq") or 0,
            response_id=read_text(d, "response_id", MAX_ID_CHARS, optional=True),
            phase=read_choice(d, "phase", PHASES),
            played_ms=read_number(d, "played_ms"),
            mic_to_first_playout_ms=read_number(d, "mic_to_first_playout_ms"),
            mic_to_audible_ms=read_number(d, "mic_to_audible_ms"),
            send_to_first_playout_ms=read_number(d, "send_to_first_playout_ms"),
            send_to_audible_ms=read_number(d, "send_to_audible_ms"),
            stalls=read_count(d, "stalls") or 0,
            stall_ms=read_number(d, "stall_ms") or 0.0,
            output_latency_ms=read_number(d, "output_latency_ms"),
        )

    def figures(self, origin: Literal["mic", "send"]) -> PageFigures:
        """This report as end-to-end figures from the last voiced microphone sample
        (Talk) or from the Send click (File)."""
        mic = origin == "mic"
        return PageFigures(
            source="page tap on Gradio's player",
            origin=origin,
            first_sample_ms=self.mic_to_first_playout_ms if mic else self.send_to_first_playout_ms,
            audible_ms=self.mic_to_audible_ms if mic else self.send_to_audible_ms,
            first_sample_exact=False,  # the player's "playing" event (±one audio buffer)
            stalls=self.stalls,
            stall_ms=self.stall_ms,
            output_latency_ms=self.output_latency_ms,
        )


class PageReplyEvent(gr.EventData):
    """``measured`` of a :func:`tap_host`: ``.reply`` is a :class:`PageReply`."""

    def __init__(self, target: Any, data: Any) -> None:
        super().__init__(target, data)
        self.reply = PageReply.from_payload(data)
