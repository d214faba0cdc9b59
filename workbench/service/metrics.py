"""Prometheus metrics of one session service (every shell), in its own registry.

Each service gets its own ``CollectorRegistry`` (not prometheus-client's global one), so
several services in one process (tests) never collide on metric names.

In a worker of a ``--workers N`` server (``PROMETHEUS_MULTIPROC_DIR`` set before start-up,
see :mod:`workbench.runtime.multiproc`) the values live in shared files and
:meth:`ServiceMetrics.render` merges every worker's: counters and histograms summed,
``workbench_active_sessions`` summed over live workers.
"""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector

from workbench.relay.events import RelayError, RelayEvent, TurnDone
from workbench.runtime.multiproc import multiproc_dir
from workbench.runtime.multiproc import render as render_multiproc
from workbench.service.end_reason import EndReason

#: Time-to-first-audio histogram buckets (ms).
TTFA_BUCKETS_MS = (50, 100, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 10_000, 30_000)

#: Content type of :meth:`ServiceMetrics.render`.
METRICS_CONTENT_TYPE = CONTENT_TYPE_LATEST


class ServiceMetrics:
    """Counters, gauges and histograms of every session, fed by the session service.

    Metric names (prefixed ``workbench_``; ``kind`` is the shell: upload,
    upload_stream, websocket, talk, file, cli): ``active_sessions{kind}``,
    ``sessions_total{kind}``, ``sessions_ended_total{kind,reason}``,
    ``turns_total{status}``, ``ttfa_ms`` (histogram), ``errors_total{code}``,
    ``rejected_total{code}``, ``decodes_active``, ``client_too_slow_total{rule}``,
    ``audio_in_bytes_total{kind}``,
    ``audio_out_bytes_total{kind}``.
    """

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        #: Where every worker's values are merged from (None: this process alone).
        self.multiproc_dir = multiproc_dir()
        self._collectors: list[Collector] = []
        r = self.registry
        self.active_sessions = Gauge(
            "workbench_active_sessions",
            "Sessions running now.",
            ["kind"],
            registry=r,
            multiprocess_mode="livesum",
        )
        self.sessions = Counter("workbench_sessions", "Sessions started.", ["kind"], registry=r)
        self.sessions_ended = Counter(
            "workbench_sessions_ended", "Sessions ended, by reason.", ["kind", "reason"], registry=r
        )
        self.turns = Counter("workbench_turns", "Finished turns by status.", ["status"], registry=r)
        self.ttfa_ms = Histogram(
            "workbench_ttfa_ms",
            "Time to first audio per turn: end of user speech to first assistant audio "
            "handed to the shell (ms).",
            buckets=TTFA_BUCKETS_MS,
            registry=r,
        )
        self.errors = Counter(
            "workbench_errors", "Errors reported in sessions, by code.", ["code"], registry=r
        )
        self.rejected = Counter(
            "workbench_rejected",
            "Requests or sessions refused before or while streaming, by code.",
            ["code"],
            registry=r,
        )
        self.audio_in_bytes = Counter(
            "workbench_audio_in_bytes",
            "Bytes of client audio received (encoded or PCM).",
            ["kind"],
            registry=r,
        )
        self.decodes_active = Gauge(
            "workbench_decodes_active",
            "Clips and streamed uploads being decoded now (max_concurrent_decodes bounds it).",
            registry=r,
        )
        self.client_too_slow = Counter(
            "workbench_client_too_slow",
            "Sessions ended because their client did not read the reply, by rule.",
            ["rule"],
            registry=r,
        )
        self.audio_out_bytes = Counter(
            "workbench_audio_out_bytes",
            "Bytes of assistant PCM16 audio handed to clients.",
            ["kind"],
            registry=r,
        )

    def session_started(self, kind: str) -> None:
        """One more active session of ``kind``."""
        self.sessions.labels(kind=kind).inc()
        self.active_sessions.labels(kind=kind).inc()

    def session_ended(self, kind: str, reason: EndReason) -> None:
        """One active session of ``kind`` fewer, ended for ``reason``."""
        self.active_sessions.labels(kind=kind).dec()
        self.sessions_ended.labels(kind=kind, reason=reason.value).inc()

    def observe(self, event: RelayEvent) -> None:
        """Count what a relay event means: turns, time to first audio, errors."""
        if isinstance(event, TurnDone):
            self.turns.labels(status=event.status).inc()
            ttfa_ms = event.timeline.ttfa_ms
            if ttfa_ms is not None:
                self.ttfa_ms.observe(ttfa_ms)
        elif isinstance(event, RelayError):
            self.errors.labels(code=event.code).inc()

    def rejected_request(self, code: str) -> None:
        """A request or session refused (bad input, limits, upstream down)."""
        self.rejected.labels(code=code).inc()

    def add_collectors(self, collectors: Iterable[Collector]) -> None:
        """Export ``collectors`` too (e.g. the process runtime's), replacing earlier ones.

        Several apps may be built on one service (tests); each brings its own runtime,
        and a registry refuses the same metric names twice.
        """
        for old in self._collectors:
            self.registry.unregister(old)
        self._collectors = list(collectors)
        for collector in self._collectors:
            self.registry.register(collector)

    def render(self) -> bytes:
        """The Prometheus text exposition of every metric (of every worker, in a worker)."""
        if self.multiproc_dir is not None:
            return render_multiproc(self.multiproc_dir)
        return generate_latest(self.registry)
