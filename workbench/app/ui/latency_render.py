"""Latency panels of the Gradio tabs: the page's end-to-end figure next to the server's.

Every tab shows what it can measure and says what that excludes:

- the figure the listener experiences, measured in the page on the audio clock
  (:class:`PageFigures`: the realtime component's worklets, or the page tap on Gradio's
  player; from the last voiced microphone sample, or from a Send click on the File tab);
- the server's stages of the same turn (the relay's clock), drawn in the *latency
  window*: from the end of the user's turn as the server saw it (VAD stop or commit) to
  the first reply audio, with a margin, so the stages that make up the wait are not a
  sliver of an axis that spans the whole utterance.

Turns are numbered from 1 for people (``turn_index + 1``). Pure: no Gradio; plots are
matplotlib ``Figure`` objects made without pyplot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

from matplotlib.figure import Figure

from workbench.relay.timeline import STAGES
from workbench.stats import summarize

#: Stages that end the latency window, the first present wins.
WINDOW_END_STAGES: Final = ("first_playout", "first_audio_out", "first_audio_delta")
#: Margin around the window: at least this (ms), or this fraction of the window.
WINDOW_MARGIN_MS: Final = 50.0
WINDOW_MARGIN_FRACTION: Final = 0.1
ORIGIN_TEXT: Final = {
    "speech_stopped": "the end of your speech (server VAD)",
    "commit": "the commit (end of your turn)",
}
#: Derived spans shaded in the window: (label, from stage(s), to stage, colour).
_SPANS: tuple[tuple[str, tuple[str, ...], str, str], ...] = (
    ("model TTFB", ("speech_stopped", "commit"), "first_audio_delta", "#93c5fd"),
    ("relay", ("first_audio_delta",), "first_audio_out", "#fdba74"),
    ("to the page's playout", ("first_audio_out",), "first_playout", "#86efac"),
)
_SERVER_ROWS = (
    ("ttfa_ms", "time to first audio (server)"),
    ("model_ttfb_ms", "model TTFB (server)"),
    ("relay_overhead_ms", "relay overhead (server)"),
    ("playout_delay_ms", "playout delay (server, page-reported)"),
)
_EXCLUDES_MIC: Final = (
    "Page figures: measured in this page on the audio clock, from the last microphone "
    "block louder than −45 dBFS to the reply at the output (its first sample, and its "
    "first block louder than −40 dBFS), plus the output latency the browser reports. "
    "They include the network, the server, the model and the player; they exclude what "
    "the microphone and the operating system add before a sample reaches the page. "
    "Server figures (relay clock) start at the end of your turn as the server saw it "
    "and exclude the network and the page."
)


@dataclass(frozen=True, slots=True)
class PageFigures:
    """What the page measured for one turn (ms; None: not measured / did not happen).

    Attributes
    ----------
    source : str
        Who measured, for people (e.g. ``"realtime component"``, ``"page tap"``).
    origin : {"mic", "send"}
        From the last voiced microphone sample, or from the Send click (File tab).
    first_sample_ms, audible_ms : float | None
        → the reply's first sample at the speaker / its first audible block.
    first_sample_exact : bool
        False when the first sample is the player's ``playing`` event (±one buffer).
    stalls : int
        Stalls while the reply played (late audio / the player waiting for data).
    stall_ms : float | None
        Their total length, when known.
    glitches : int | None
        Output-device underruns (the audio thread missed its deadline), when known.
    cushion_ms, output_latency_ms : float | None
        The jitter cushion and the output latency included in the figures.
    """

    source: str
    origin: Literal["mic", "send"]
    first_sample_ms: float | None
    audible_ms: float | None
    first_sample_exact: bool = True
    stalls: int = 0
    stall_ms: float | None = None
    glitches: int | None = None
    cushion_ms: float | None = None
    output_latency_ms: float | None = None


@dataclass(frozen=True, slots=True)
class LatencyWindow:
    """One turn's stages relative to the end of the user's turn (ms).

    ``inside`` are drawn (within ``from_ms``..``to_ms``), ``outside`` only listed.
    """

    origin: str
    from_ms: float
    to_ms: float
    inside: tuple[tuple[str, float], ...]
    outside: tuple[tuple[str, float], ...]


def latency_window(stages_ms: Mapping[str, float]) -> LatencyWindow | None:
    """The latency window of a turn's stages (``TurnTimeline.to_dict()["stages_ms"]``).

    The origin is ``speech_stopped`` (server VAD) or else ``commit``; the window ends at
    the first of :data:`WINDOW_END_STAGES`; the margin is :data:`WINDOW_MARGIN_MS` or
    :data:`WINDOW_MARGIN_FRACTION` of the window, whichever is larger. None without an
    origin (no turn end yet).
    """
    origin = next((s for s in ORIGIN_TEXT if s in stages_ms), None)
    if origin is None:
        return None
    t0 = stages_ms[origin]
    end = next((stages_ms[s] for s in WINDOW_END_STAGES if s in stages_ms), t0)
    span = max(0.0, end - t0)
    margin = max(WINDOW_MARGIN_MS, WINDOW_MARGIN_FRACTION * span)
    ordered = [(s, stages_ms[s] - t0) for s in STAGES if s in stages_ms]
    lo, hi = -margin, span + margin
    return LatencyWindow(
        origin=origin,
        from_ms=lo,
        to_ms=hi,
        inside=tuple((s, t) for s, t in ordered if lo <= t <= hi),
        outside=tuple((s, t) for s, t in ordered if not lo <= t <= hi),
    )


def turn_number(turn: Mapping[str, Any] | None) -> int | None:
    """The turn's number for people (1-based), or None."""
    index = (turn or {}).get("turn_index")
    return index + 1 if isinstance(index, int) else None


def _ms(value: object) -> str:
    return "–" if value is None else f"{float(value):.0f} ms"  # type: ignore[arg-type]


def page_line(page: PageFigures | None, pending: str) -> str:
    """The end-to-end line of a turn (markdown); ``pending`` when nothing is measured."""
    if page is None:
        return f"End to end (this page): *{pending}*"
    start = "mic" if page.origin == "mic" else "Send"
    approx = "" if page.first_sample_exact else " (player's start, ±10 ms)"
    parts = [
        f"{start} → first reply sample **{_ms(page.first_sample_ms)}**{approx}",
        f"{start} → first audible **{_ms(page.audible_ms)}**",
    ]
    stalls = f"stalls {page.stalls}"
    if page.stalls and page.stall_ms is not None:
        stalls += f" ({page.stall_ms:.0f} ms)"
    if page.glitches is not None:
        stalls += f", output glitches {page.glitches}"
    parts.append(stalls)
    included = [
        f"{label} {v:.0f} ms"
        for label, v in (("jitter cushion", page.cushion_ms), ("output", page.output_latency_ms))
        if v is not None
    ]
    tail = f" (incl. {', '.join(included)})" if included else ""
    return f"End to end ({page.source}, audio clock): " + " · ".join(parts) + tail


def server_line(turn: Mapping[str, Any], *, playout: bool = True) -> str:
    """The server's figures of a turn (markdown); ``playout``: the page reports its playout."""
    line = (
        f"Server (relay clock): time to first audio **{_ms(turn.get('ttfa_ms'))}** "
        f"= model TTFB {_ms(turn.get('model_ttfb_ms'))} + relay "
        f"{_ms(turn.get('relay_overhead_ms'))}"
    )
    return f"{line} · playout delay {_ms(turn.get('playout_delay_ms'))}" if playout else line


def turn_markdown(
    turn: Mapping[str, Any] | None,
    page: PageFigures | None = None,
    *,
    pending: str = "measuring…",
    excludes: str = _EXCLUDES_MIC,
) -> str:
    """The last turn's figures: the page's end-to-end line, the server's, what is excluded.

    Parameters
    ----------
    turn : Mapping | None
        ``TurnTimeline.to_dict()`` of the turn (None: no turn yet).
    page : PageFigures | None
        What the page measured for the same turn.
    pending : str
        Said instead of the page's figures while there are none.
    excludes : str
        What the figures include and exclude (shown small, under them).
    """
    if not turn:
        return "*No turn yet.* Turns are numbered from 1."
    number = turn_number(turn)
    head = f"**Turn {number if number is not None else '?'}**"
    return "\n\n".join(
        [head, page_line(page, pending), server_line(turn), f"<small>{excludes}</small>"]
    )


def page_summary_rows(
    pages: Sequence[PageFigures],
) -> dict[str, dict[str, float | int | None]]:
    """Rows for :func:`summary_markdown`: p50/p90/p99 of the page's figures (ms)."""
    if not pages:
        return {}
    start = "mic" if pages[-1].origin == "mic" else "Send"
    return {
        f"{start} → first reply sample (page)": summarize(p.first_sample_ms for p in pages),
        f"{start} → first audible (page)": summarize(p.audible_ms for p in pages),
    }


def summary_markdown(
    summary: Mapping[str, Any], extra: Mapping[str, Mapping[str, Any]] | None = None
) -> str:
    """p50/p90/p99 over the session as a markdown table (ms); page rows first.

    Parameters
    ----------
    summary : Mapping
        ``SessionTimeline.summary()``: metric → ``{"n", "p50", "p90", "p99", ...}``.
    extra : Mapping | None
        The page's rows (:func:`page_summary_rows`), by label.
    """
    rows = list((extra or {}).items())
    rows += [(label, summary.get(key) or {}) for key, label in _SERVER_ROWS]
    lines = [
        "| over this session | n | p50 (ms) | p90 (ms) | p99 (ms) |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, s in rows:
        cells = ["–" if s.get(k) is None else f"{float(s[k]):.0f}" for k in ("p50", "p90", "p99")]
        lines.append(f"| {label} | {s.get('n', 0) or 0} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def timeline_figure(turn: Mapping[str, Any] | None, *, origin_text: str | None = None) -> Figure:
    """One turn's server stages in its latency window (ms after the end of the turn).

    Parameters
    ----------
    turn : Mapping | None
        ``TurnTimeline.to_dict()``; None draws an empty, labelled axis.
    origin_text : str | None
        How to name the origin on the axis (default: from the origin stage).

    Returns
    -------
    matplotlib.figure.Figure
        A figure made without pyplot (no global state, safe from worker threads).
    """
    fig = Figure(figsize=(7.0, 3.2), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    ax.grid(axis="x", alpha=0.3)
    window = latency_window(dict((turn or {}).get("stages_ms", {})))
    if window is None or not window.inside:
        ax.set_yticks([])
        ax.set_xlabel("ms after the end of your turn (server clock)")
        ax.text(0.5, 0.5, "no turn yet", ha="center", va="center", transform=ax.transAxes)
        ax.set_title("Last turn: the wait for the reply", fontsize=10)
        return fig
    names = [s for s, _ in window.inside]
    xs = [t for _, t in window.inside]
    ys = list(range(len(names)))[::-1]
    ax.hlines(ys, 0, xs, color="#cbd5e1", linewidth=6)
    ax.axvline(0, color="#94a3b8", linestyle="--", linewidth=1)
    ax.plot(xs, ys, "o", color="#f97316", zorder=3)
    for x, y in zip(xs, ys, strict=True):
        ax.annotate(f"{x:+.0f}", (x, y), xytext=(6, -3), textcoords="offset points", fontsize=8)
    ax.set_yticks(ys, names, fontsize=8)
    stages = dict(window.inside)
    for label, starts, end, colour in _SPANS:
        start = next((stages[s] for s in starts if s in stages), None)
        if start is not None and end in stages:
            ax.axvspan(start, stages[end], color=colour, alpha=0.35, label=label)
    handles, labels = ax.get_legend_handles_labels()
    if handles:  # below the axes, so it never hides a stage
        fig.legend(handles, labels, loc="outside lower center", ncols=len(handles), fontsize=8)
    ax.set_xlim(window.from_ms, window.to_ms)
    origin = origin_text or ORIGIN_TEXT[window.origin]
    xlabel = f"ms after {origin}, server clock"
    if window.outside:
        off = ", ".join(f"{s} {t:+.0f}" for s, t in window.outside)
        xlabel += f"\noutside the window: {off}"
    ax.set_xlabel(xlabel, fontsize=8)
    number = turn_number(turn)
    ax.set_title(
        f"Turn {number if number is not None else '?'}: the wait for the reply", fontsize=10
    )
    return fig
