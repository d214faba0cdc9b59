"""Pure rendering for the Gradio workbench: transcript, meter, timeline plot, tables.

No Gradio imports: every function takes plain data (relay events, timeline dicts) and
returns HTML/markdown strings, chatbot messages or a matplotlib ``Figure``, so the
handlers stay thin and this module is tested directly.
"""

from __future__ import annotations

import html
import re
from typing import Any

from matplotlib.figure import Figure

from workbench.audio.level import SILENCE_FLOOR_DBFS, level_0_1
from workbench.relay.timeline import STAGES
from workbench.service.transcript import Transcript

#: Derived spans drawn under the stage markers: (label, from stage(s), to stage, colour).
_SPANS: tuple[tuple[str, tuple[str, ...], str, str], ...] = (
    ("model TTFB", ("speech_stopped", "commit"), "first_audio_delta", "#93c5fd"),
    ("relay", ("first_audio_delta",), "first_audio_out", "#fdba74"),
    ("playout", ("first_audio_out",), "first_playout", "#86efac"),
)
_SUMMARY_ROWS = (
    ("ttfa_ms", "time to first audio"),
    ("model_ttfb_ms", "model TTFB"),
    ("relay_overhead_ms", "relay overhead"),
    ("playout_delay_ms", "playout delay"),
)


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


def summary_markdown(
    summary: dict[str, Any], extra: dict[str, dict[str, Any]] | None = None
) -> str:
    """p50/p90/p99 over the session as a markdown table (ms).

    Parameters
    ----------
    summary : dict
        ``SessionTimeline.summary()``: metric → ``{"n", "p50", "p90", "p99", ...}``.
    extra : dict | None
        More rows in the same shape (e.g. a browser-measured figure), by label.
    """
    rows = [(label, summary.get(key) or {}) for key, label in _SUMMARY_ROWS]
    rows += list((extra or {}).items())
    lines = ["| over this session | n | p50 | p90 | p99 |", "|---|---:|---:|---:|---:|"]
    for label, s in rows:
        cells = [_ms(s.get(k)) for k in ("p50", "p90", "p99")]
        lines.append(f"| {label} | {s.get('n', 0) or 0} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _ms(value: object) -> str:
    return "–" if value is None else f"{float(value):.0f} ms"  # type: ignore[arg-type]


def turn_markdown(turn: dict[str, Any] | None) -> str:
    """The last turn's derived figures in one line (or a placeholder)."""
    if not turn:
        return "*No turn yet.*"
    parts = [
        f"TTFA **{_ms(turn.get('ttfa_ms'))}**",
        f"model TTFB {_ms(turn.get('model_ttfb_ms'))}",
        f"relay {_ms(turn.get('relay_overhead_ms'))}",
        f"playout delay {_ms(turn.get('playout_delay_ms'))}",
    ]
    return f"Turn {turn.get('turn_index', 0)}: " + " · ".join(parts)


def timeline_figure(turn: dict[str, Any] | None, *, title: str | None = None) -> Figure:
    """One turn's stages on a time axis (ms), with the derived spans shaded.

    Parameters
    ----------
    turn : dict | None
        ``TurnTimeline.to_dict()``: ``{"turn_index", "stages_ms": {stage: ms}, ...}``.
        None draws an empty, labelled axis.

    Returns
    -------
    matplotlib.figure.Figure
        A figure made without pyplot (no global state, safe from worker threads).
    """
    fig = Figure(figsize=(7.0, 3.2), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    stages: dict[str, float] = dict((turn or {}).get("stages_ms", {}))
    if "speech_started" in stages:
        # With VAD a turn "starts" at the first audio after the previous one, often long
        # silences earlier: measure from the start of speech instead.
        origin = stages["speech_started"]
        stages = {k: v - origin for k, v in stages.items() if v >= origin}
    ordered = [s for s in STAGES if s in stages]
    ax.set_xlabel("ms since the turn's first event (speech start with VAD)")
    ax.grid(axis="x", alpha=0.3)
    if not ordered:
        ax.set_yticks([])
        ax.text(
            0.5,
            0.5,
            "no turn yet",
            ha="center",
            va="center",
            transform=ax.transAxes,
            color="#64748b",
        )
        ax.set_title(title or "Last turn")
        return fig
    ys = list(range(len(ordered)))[::-1]
    xs = [stages[s] for s in ordered]
    ax.hlines(ys, 0, xs, color="#cbd5e1", linewidth=6)
    ax.plot(xs, ys, "o", color="#f97316", zorder=3)
    for x, y in zip(xs, ys, strict=True):
        ax.annotate(f"{x:.0f}", (x, y), xytext=(6, -3), textcoords="offset points", fontsize=8)
    ax.set_yticks(ys, ordered, fontsize=8)
    for label, starts, end, colour in _SPANS:
        start = next((stages[s] for s in starts if s in stages), None)
        if start is not None and end in stages:
            ax.axvspan(start, stages[end], color=colour, alpha=0.35, label=label)
    handles, labels = ax.get_legend_handles_labels()
    if handles:  # below the axes, so it never hides a stage
        fig.legend(handles, labels, loc="outside lower center", ncols=len(handles), fontsize=8)
    right = max(xs) * 1.12 + 1
    ax.set_xlim(0, right)
    ttfa = turn.get("ttfa_ms") if turn else None
    default_title = f"Turn {turn.get('turn_index', 0) if turn else 0}" + (
        f" — time to first audio {ttfa:.0f} ms" if isinstance(ttfa, int | float) else ""
    )
    ax.set_title(title or default_title, fontsize=10)
    return fig
