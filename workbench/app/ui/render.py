"""Pure rendering for the Gradio workbench: transcript, meter, status and header.

No Gradio imports: every function takes plain data and returns HTML strings or chatbot
messages, so the handlers stay thin and this module is tested directly. The latency
panels are :mod:`workbench.app.ui.latency_render`.
"""

from __future__ import annotations

import html
import re

from workbench.audio.level import SILENCE_FLOOR_DBFS, level_0_1
from workbench.service.transcript import Transcript


def chat_messages(transcript: Transcript) -> list[dict[str, str]]:
    """The session's transcript as Chatbot messages; partial items end with an ellipsis.

    A function call shows as ``🔧 `name(arguments) → output``` (code, so a model's text
    cannot inject markdown), with an ellipsis until it is answered.
    """
    out: list[dict[str, str]] = []
    for item in transcript.items:
        if item.role == "note":
            out.append({"role": "assistant", "content": f"*— {item.text} —*"})
        elif item.role == "tool":
            call = code_span(item.text)
            out.append(
                {"role": "assistant", "content": f"🔧 {call}" + ("" if item.final else " …")}
            )
        else:
            text = item.text.strip() or "…"
            out.append({"role": item.role, "content": text if item.final else f"{text} …"})
    return out


def code_span(text: str) -> str:
    """``text`` as one markdown code span, however many backticks it contains."""
    flat = " ".join(text.split())  # a span is one line
    fence = "`" * (max(map(len, re.findall(r"`+", flat)), default=0) + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def level_html(rms_dbfs: float, *, label: str = "reply level") -> str:
    """The seed's circle, sized by loudness, and a bar with the dBFS figure.

    Parameters
    ----------
    rms_dbfs : float
        Loudness of the audio being sent to the speaker (dBFS, ≤ 0).
    """
    fraction = level_0_1(rms_dbfs)
    size_px = 24 + round(96 * fraction)
    shown = "–∞" if rms_dbfs <= SILENCE_FLOOR_DBFS else f"{rms_dbfs:.1f}"
    return (
        f'<div class="wb-meter" data-dbfs="{round(rms_dbfs, 1)}">'
        '<div class="wb-circle-box">'
        f'<div class="wb-circle" style="width:{size_px}px;height:{size_px}px">'
        "</div></div>"
        f'<div class="wb-bar"><div style="width:{fraction * 100:.0f}%"></div></div>'
        f'<div class="wb-db">{html.escape(label)}: {shown} dBFS</div></div>'
    )


def status_html(text: str, kind: str = "info") -> str:
    """A status line; ``kind`` is info, live, warn or error (sets its colour)."""
    return f'<div class="wb-status wb-{html.escape(kind)}">{html.escape(text)}</div>'


def backend_header_html(description: str, *, is_mock: bool, kind: str) -> str:
    """The header line saying which backend is live (never a key: only its description)."""
    badge = "MOCK" if is_mock else {"azure": "AZURE", "openai": "OPENAI"}.get(kind, kind.upper())
    cls = "wb-mock" if is_mock else "wb-live"
    return (
        f'<div class="wb-header"><span class="wb-badge {cls}">{html.escape(badge)}</span> '
        f"Backend: <b>{html.escape(description)}</b></div>"
    )
