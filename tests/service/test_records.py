"""Session records, the bounded store and the service metrics."""

from __future__ import annotations

from workbench.relay.events import (
    AudioOut,
    RelayError,
    SessionEnded,
    TranscriptDelta,
    TranscriptFinal,
    TurnDone,
)
from workbench.relay.timeline import SessionTimeline
from workbench.service.end_reason import EndReason
from workbench.service.metrics import ServiceMetrics
from workbench.service.records import MAX_ERRORS_KEPT, MAX_TURNS_KEPT, SessionStore
from workbench.service.transcript import MAX_ITEMS_KEPT


def _done(status: str, ttfa_ms: float | None) -> TurnDone:
    turn = SessionTimeline().new_turn()
    turn.mark("commit", 0.0)
    if ttfa_ms is not None:
        turn.mark("first_audio_out", ttfa_ms)
    turn.mark("done", 1000.0)
    return TurnDone(status, turn, "r")


def test_record_collects_transcripts_audio_errors_and_turns() -> None:
    record = SessionStore().create("upload", "mock")
    for event in [
        TranscriptDelta("assistant", "a1", "Hel"),
        TranscriptDelta("assistant", "a1", "lo"),
        TranscriptFinal("user", "u1", "hi there"),
        AudioOut(b"\x00" * 4800, "a1", "r", 0.0),
        RelayError("transcription_failed", "no speech"),
        _done("completed", 250.0),
        SessionEnded("closed"),
    ]:
        record.observe(event)
    timeline = SessionTimeline()
    assert record.to_dict()["status"] == "active"
    record.finish(EndReason.COMPLETED, timeline)
    record.finish(EndReason.UPSTREAM_ERROR)  # the first reason wins
    d = record.to_dict()
    assert d["assistant_transcript"] == "Hello" and d["user_transcript"] == "hi there"
    assert d["output_audio_ms"] == 100.0 and d["output_audio_bytes"] == 4800
    assert d["status"] == "ended" and d["end_reason"] == "completed"
    assert d["last_turn_status"] == "completed"
    assert d["errors"][0]["code"] == "transcription_failed" and d["error_count"] == 1
    assert d["turns"][0]["timeline"]["ttfa_ms"] == 250.0
    assert d["timeline"] == {"turns": [], "summary": timeline.summary()}


def test_final_transcript_replaces_deltas() -> None:
    record = SessionStore().create("websocket", "mock")
    record.observe(TranscriptDelta("assistant", "a1", "partial tex"))
    record.observe(TranscriptFinal("assistant", "a1", "final text"))
    record.observe(TranscriptDelta("assistant", "a1", " late"))
    assert record.transcript.text("assistant") == "final text"


def test_errors_kept_are_bounded_but_counted() -> None:
    record = SessionStore().create("websocket", "mock")
    for i in range(MAX_ERRORS_KEPT + 10):
        record.add_error("bad_json", f"#{i}")
    assert len(record.errors) == MAX_ERRORS_KEPT and record.error_count == MAX_ERRORS_KEPT + 10


def test_an_hour_of_turns_keeps_the_latest_turns_and_items_with_exact_counts() -> None:
    record = SessionStore().create("websocket", "mock")
    timeline = SessionTimeline()
    n_turns = MAX_TURNS_KEPT * 3
    for i in range(n_turns):
        record.observe(TranscriptFinal("user", f"u{i}", f"question {i}"))
        record.observe(TranscriptFinal("assistant", f"a{i}", f"answer {i}"))
        record.observe(_done("completed", 300.0))
        turn = timeline.new_turn()
        turn.mark("commit", 0.0)
        turn.mark("first_audio_out", 0.5)
        turn.mark("done", 1.0)
    record.finish(EndReason.STOP, timeline)
    d = record.to_dict()
    assert d["turn_count"] == n_turns and len(d["turns"]) == MAX_TURNS_KEPT
    assert len(d["items"]) == MAX_ITEMS_KEPT and d["items"][-1]["text"] == f"answer {n_turns - 1}"
    assert len(d["timeline"]["turns"]) == MAX_TURNS_KEPT
    assert d["timeline"]["summary"]["ttfa_ms"]["n"] == n_turns  # statistics over every turn
    assert d["timeline"]["turns"][-1]["turn_index"] == n_turns - 1


def test_store_keeps_the_newest_and_evicts_finished_first() -> None:
    store = SessionStore(max_sessions=3)
    active = store.create("websocket", "mock")
    done = [store.create("upload", "mock") for _ in range(2)]
    for record in done:
        record.finish(EndReason.COMPLETED)
    newest = store.create("upload", "mock")
    assert len(store) == 3
    assert store.get(active.session_id) is active  # the active one survived
    assert store.get(done[0].session_id) is None  # the oldest finished one went
    assert store.recent(1) == [newest]


def test_metrics_count_turns_ttfa_errors_and_bytes() -> None:
    metrics = ServiceMetrics()
    metrics.session_started("upload")
    metrics.observe(_done("completed", 250.0))
    metrics.observe(_done("failed", None))
    metrics.observe(RelayError("upstream_closed", "gone"))
    metrics.audio_in_bytes.labels(kind="upload").inc(1000)
    metrics.audio_out_bytes.labels(kind="upload").inc(4800)
    metrics.session_ended("upload", EndReason.COMPLETED)
    text = metrics.render().decode()
    assert 'workbench_turns_total{status="completed"} 1.0' in text
    assert 'workbench_turns_total{status="failed"} 1.0' in text
    assert "workbench_ttfa_ms_count 1.0" in text
    assert 'workbench_ttfa_ms_bucket{le="300.0"} 1.0' in text
    assert 'workbench_errors_total{code="upstream_closed"} 1.0' in text
    assert 'workbench_audio_in_bytes_total{kind="upload"} 1000.0' in text
    assert 'workbench_audio_out_bytes_total{kind="upload"} 4800.0' in text
    assert 'workbench_active_sessions{kind="upload"} 0.0' in text
    assert 'workbench_sessions_ended_total{kind="upload",reason="completed"} 1.0' in text


def test_two_metric_sets_do_not_collide() -> None:
    a, b = ServiceMetrics(), ServiceMetrics()
    a.audio_out_bytes.labels(kind="talk").inc(10)
    assert "workbench_audio_out_bytes_total{" not in b.render().decode()
