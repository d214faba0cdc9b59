"""Session records, the bounded store, metrics and API settings."""

from __future__ import annotations

import pytest

from workbench.app.api.metrics import ApiMetrics
from workbench.app.api.records import (
    MAX_ERRORS_KEPT,
    MAX_ITEMS_KEPT,
    MAX_TURNS_KEPT,
    SessionStore,
)
from workbench.app.api.settings import ApiSettings
from workbench.errors import ConfigError
from workbench.relay.events import (
    AudioOut,
    RelayError,
    SessionEnded,
    TranscriptDelta,
    TranscriptFinal,
    TurnDone,
)
from workbench.relay.timeline import SessionTimeline


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
    record.finish("completed", timeline)
    record.finish("failed")  # the first status wins
    d = record.to_dict()
    assert d["assistant_transcript"] == "Hello" and d["user_transcript"] == "hi there"
    assert d["output_audio_ms"] == 100.0 and d["output_audio_bytes"] == 4800
    assert d["status"] == "completed" and d["end_reason"] == "closed"
    assert d["errors"][0]["code"] == "transcription_failed" and d["error_count"] == 1
    assert d["turns"][0]["timeline"]["ttfa_ms"] == 250.0
    assert d["timeline"] == {"turns": [], "summary": timeline.summary()}


def test_final_transcript_replaces_deltas() -> None:
    record = SessionStore().create("websocket", "mock")
    record.observe(TranscriptDelta("assistant", "a1", "partial tex"))
    record.observe(TranscriptFinal("assistant", "a1", "final text"))
    record.observe(TranscriptDelta("assistant", "a1", " late"))
    assert record.transcript("assistant") == "final text"


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
    record.finish("completed", timeline)
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
        record.finish("completed")
    newest = store.create("upload", "mock")
    assert len(store) == 3
    assert store.get(active.session_id) is active  # the active one survived
    assert store.get(done[0].session_id) is None  # the oldest finished one went
    assert store.recent(1) == [newest]
    assert store.active_count == 2


def test_metrics_count_turns_ttfa_errors_and_bytes() -> None:
    metrics = ApiMetrics()
    metrics.session_started("upload")
    metrics.observe(_done("completed", 250.0))
    metrics.observe(_done("failed", None))
    metrics.observe(RelayError("upstream_closed", "gone"))
    metrics.audio_received(1000)
    metrics.audio_sent(4800)
    metrics.session_ended("upload")
    text = metrics.render().decode()
    assert 'workbench_api_turns_total{status="completed"} 1.0' in text
    assert 'workbench_api_turns_total{status="failed"} 1.0' in text
    assert "workbench_api_ttfa_ms_count 1.0" in text
    assert 'workbench_api_ttfa_ms_bucket{le="300.0"} 1.0' in text
    assert 'workbench_api_upstream_errors_total{code="upstream_closed"} 1.0' in text
    assert "workbench_api_audio_in_bytes_total 1000.0" in text
    assert "workbench_api_audio_out_bytes_total 4800.0" in text
    assert 'workbench_api_active_sessions{kind="upload"} 0.0' in text


def test_two_metric_sets_do_not_collide() -> None:
    a, b = ApiMetrics(), ApiMetrics()
    a.audio_sent(10)
    assert "workbench_api_audio_out_bytes_total 0.0" in b.render().decode()


def test_api_settings_validate_and_read_env() -> None:
    with pytest.raises(ConfigError):
        ApiSettings(max_upload_bytes=0)
    with pytest.raises(ConfigError):
        ApiSettings(allowed_origins="http://x")  # type: ignore[arg-type]
    s = ApiSettings.from_env(
        {
            "WORKBENCH_API_MAX_DURATION_S": "12.5",
            "WORKBENCH_API_ALLOWED_ORIGINS": "http://a, http://b",
            "WORKBENCH_API_MAX_UPLOAD_BYTES": "1000",
        }
    )
    assert s.max_duration_s == 12.5 and s.max_upload_bytes == 1000
    assert s.allowed_origins == ("http://a", "http://b")
    with pytest.raises(ConfigError):
        ApiSettings.from_env({"WORKBENCH_API_MAX_UPLOAD_BYTES": "lots"})
