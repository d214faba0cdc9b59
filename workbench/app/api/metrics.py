"""Prometheus metrics of one API app, in its own registry.

Each app gets its own ``CollectorRegistry`` (not prometheus-client's global one), so
several apps in one process — tests, or the API mounted inside the Gradio server — never
collide on metric names.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from workbench.relay.events import RelayError, RelayEvent, TurnDone

#: Time-to-first-audio histogram buckets (ms).
TTFA_BUCKETS_MS = (50, 100, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 10_000, 30_000)

#: Content type of :meth:`ApiMetrics.render`.
METRICS_CONTENT_TYPE = CONTENT_TYPE_LATEST


class ApiMetrics:
    """Counters, gauges and histograms of the API, fed by relay events.

    Metric names (all prefixed ``workbench_api_``): ``active_sessions{kind}``,
    ``sessions_total{kind}``, ``turns_total{status}``, ``ttfa_ms`` (histogram),
    ``upstream_errors_total{code}``, ``rejected_requests_total{code}``,
    ``audio_in_bytes_total``, ``audio_out_bytes_total``.
    """

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        r = self.registry
        self.active_sessions = Gauge(
            "workbench_api_active_sessions", "Relay sessions running now.", ["kind"], registry=r
        )
        self.sessions = Counter(
            "workbench_api_sessions", "Relay sessions started.", ["kind"], registry=r
        )
        self.turns = Counter(
            "workbench_api_turns", "Finished turns by status.", ["status"], registry=r
        )
        self.ttfa_ms = Histogram(
            "workbench_api_ttfa_ms",
            "Time to first audio per turn: end of user speech to first "
            "assistant audio handed to the client (ms).",
            buckets=TTFA_BUCKETS_MS,
            registry=r,
        )
        self.upstream_errors = Counter(
            "workbench_api_upstream_errors",
            "Errors reported by the relay/upstream, by code.",
            ["code"],
            registry=r,
        )
        self.rejected = Counter(
            "workbench_api_rejected_requests",
            "Requests refused before streaming (4xx/5xx), by code.",
            ["code"],
            registry=r,
        )
        self.audio_in_bytes = Counter(
            "workbench_api_audio_in_bytes",
            "Bytes of client audio received (encoded or PCM).",
            registry=r,
        )
        self.audio_out_bytes = Counter(
            "workbench_api_audio_out_bytes",
            "Bytes of assistant PCM16 audio sent to clients.",
            registry=r,
        )

    def session_started(self, kind: str) -> None:
        """One more active session of ``kind`` (``upload``, ``upload_stream``, ``websocket``)."""
        self.sessions.labels(kind=kind).inc()
        self.active_sessions.labels(kind=kind).inc()

    def session_ended(self, kind: str) -> None:
        """One active session of ``kind`` fewer."""
        self.active_sessions.labels(kind=kind).dec()

    def observe(self, event: RelayEvent) -> None:
        """Count what a relay event means: turns, time to first audio, errors."""
        if isinstance(event, TurnDone):
            self.turns.labels(status=event.status).inc()
            ttfa_ms = event.timeline.ttfa_ms
            if ttfa_ms is not None:
                self.ttfa_ms.observe(ttfa_ms)
        elif isinstance(event, RelayError):
            self.upstream_errors.labels(code=event.code).inc()

    def audio_received(self, n_bytes: int) -> None:
        """Client audio bytes received."""
        self.audio_in_bytes.inc(n_bytes)

    def audio_sent(self, n_bytes: int) -> None:
        """Assistant audio bytes written to a client."""
        self.audio_out_bytes.inc(n_bytes)

    def rejected_request(self, code: str) -> None:
        """A request refused before streaming (bad input, limits, upstream down)."""
        self.rejected.labels(code=code).inc()

    def render(self) -> bytes:
        """The Prometheus text exposition of every metric."""
        return generate_latest(self.registry)
