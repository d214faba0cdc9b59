"""Fault injection in the sans-I/O model, and MockConfig validation / query parsing."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.mock.mock_helpers import closes_of, events_of, manual_session, run_until
from workbench.errors import ConfigError
from workbench.mock.behaviours import TurnInput, make_behaviour
from workbench.mock.model import (
    Fault,
    LatencyModel,
    MockConfig,
    MockRealtimeModel,
    ScriptedTurn,
    SendRaw,
)
from workbench.protocol import events as pe

LATENCY = LatencyModel(ttfa_ms=100, delta_ms=100)


def _faulty(fault: Fault) -> MockRealtimeModel:
    model = MockRealtimeModel(
        MockConfig(behaviour="tone", tone_ms=1000, latency=LATENCY, fault=fault)
    )
    manual_session(model)
    model.receive(pe.ResponseCreate(), 0.0)
    return model


def test_error_fault_sends_error_then_failed_response_done() -> None:
    out = run_until(_faulty(Fault("error", after_deltas=3)))
    assert len(events_of(out, pe.ResponseAudioDelta)) == 3
    error = events_of(out, pe.ErrorEvent)[0]
    assert error.event.error.type == "server_error"
    assert error.t_ms == 400.0  # instead of the 4th delta
    done = events_of(out, pe.ResponseDone)[0].event
    assert done.status == "failed"
    assert done.status_details is not None and done.status_details["type"] == "failed"


def test_error_fault_before_any_delta() -> None:
    out = run_until(_faulty(Fault("error", after_deltas=0)))
    assert not events_of(out, pe.ResponseAudioDelta)
    assert events_of(out, pe.ErrorEvent) and events_of(out, pe.ResponseDone)


def test_close_mid_response_closes_with_1011() -> None:
    model = _faulty(Fault("close_mid_response", after_deltas=2))
    out = run_until(model)
    assert len(events_of(out, pe.ResponseAudioDelta)) == 2
    (close,) = closes_of(out)
    assert close.code == 1011
    assert model.closed and model.next_due_ms() is None
    assert out[-1].output is close


def test_stall_pauses_then_continues() -> None:
    out = run_until(_faulty(Fault("stall", after_deltas=4, stall_s=2.5)))
    times = [t.t_ms for t in events_of(out, pe.ResponseAudioDelta)]
    assert len(times) == 10
    assert times[3] == 400.0
    assert times[4] == 500.0 + 2500.0
    assert events_of(out, pe.ResponseDone)[0].event.status == "completed"


def test_malformed_frame_mid_response() -> None:
    out = run_until(_faulty(Fault("malformed_frame", after_deltas=2)))
    raw = [i for i, t in enumerate(out) if isinstance(t.output, SendRaw)]
    assert len(raw) == 1
    assert out[raw[0]].output == SendRaw("{not json")
    deltas_before = [
        t
        for t in out[: raw[0]]
        if isinstance(getattr(t.output, "event", None), pe.ResponseAudioDelta)
    ]
    assert len(deltas_before) == 2
    assert events_of(out, pe.ResponseDone)[0].event.status == "completed"


def test_faults_fire_once_per_connection() -> None:
    model = _faulty(Fault("error", after_deltas=1))
    run_until(model)
    model.receive(pe.ResponseCreate(), 10_000.0)
    out = run_until(model)
    assert not events_of(out, pe.ErrorEvent)
    assert events_of(out, pe.ResponseDone)[0].event.status == "completed"


def test_rate_limit_fault_refuses_response_create() -> None:
    model = MockRealtimeModel(MockConfig(fault=Fault("rate_limit")))
    manual_session(model)
    model.receive(pe.ResponseCreate(event_id="c1"), 0.0)
    out = run_until(model)
    error = events_of(out, pe.ErrorEvent)[0].event.error
    assert (error.code, error.event_id) == ("rate_limit_exceeded", "c1")
    assert not events_of(out, pe.ResponseCreated)


@pytest.mark.parametrize(
    "config",
    [MockConfig(fault=Fault("session_cap", session_cap_s=2.0)), MockConfig(session_cap_s=2.0)],
)
def test_session_cap_expires_the_session(config: MockConfig) -> None:
    model = MockRealtimeModel(config)
    model.start(1000.0)
    out = run_until(model)
    error = events_of(out, pe.ErrorEvent)[0]
    assert error.t_ms == 3000.0
    assert error.event.error.code == "session_expired"
    assert error.event.error.message == "Your session hit the maximum duration of 2 seconds."
    assert closes_of(out) and model.closed


def test_session_cap_message_in_minutes() -> None:
    model = MockRealtimeModel(MockConfig(session_cap_s=3600))
    model.start(0.0)
    error = events_of(run_until(model), pe.ErrorEvent)[0].event.error
    assert error.message == "Your session hit the maximum duration of 60 minutes."


# -- configuration ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "name"),
    [
        (lambda: LatencyModel(ttfa_ms=-1), "ttfa_ms"),
        (lambda: LatencyModel(speed_x_realtime=0), "speed_x_realtime"),
        (lambda: LatencyModel(delta_ms=0), "delta_ms"),
        (lambda: LatencyModel(jitter_ms=-5), "jitter_ms"),
        (lambda: LatencyModel(ttfa_ms=math.nan), "ttfa_ms"),
        (lambda: Fault("explode"), "fault kind"),  # type: ignore[arg-type]
        (lambda: Fault("stall", stall_s=-1), "stall_s"),
        (lambda: Fault("error", after_deltas=-1), "after_deltas"),
        (lambda: MockConfig(behaviour="sing"), "behaviour"),  # type: ignore[arg-type]
        (lambda: MockConfig(tone_hz=0), "tone_hz"),
        (lambda: MockConfig(tone_hz=20000), "tone_hz"),
        (lambda: MockConfig(session_cap_s=0), "session_cap_s"),
        (lambda: MockConfig(behaviour="scripted"), "script"),
        (lambda: MockConfig(behaviour="replay"), "replay needs a fixture"),
    ],
)
def test_invalid_settings_raise_config_error(make: object, name: str) -> None:
    with pytest.raises(ConfigError, match=name):
        make()  # type: ignore[operator]


def test_speed_may_be_infinite() -> None:
    assert LatencyModel(speed_x_realtime=math.inf).speed_x_realtime == math.inf


def test_from_query_reads_every_parameter() -> None:
    config = MockConfig.from_query(
        {
            "model": "gpt-realtime",
            "api-version": "2025-04-01-preview",
            "mock_behaviour": "tone",
            "mock_ttfa_ms": "50",
            "mock_speed": "inf",
            "mock_delta_ms": "40",
            "mock_jitter_ms": "5",
            "mock_seed": "9",
            "mock_fault": "stall",
            "mock_fault_after": "3",
            "mock_stall_s": "0.5",
            "mock_tone_hz": "880",
            "mock_tone_ms": "250",
            "mock_session_cap_s": "30",
        }
    )
    assert config.behaviour == "tone"
    assert config.latency == LatencyModel(50, math.inf, 40, 5, 9)
    assert config.fault == Fault("stall", after_deltas=3, stall_s=0.5)
    assert (config.tone_hz, config.tone_ms, config.session_cap_s) == (880, 250, 30)


def test_from_query_merges_onto_a_base() -> None:
    base = MockConfig(behaviour="silence", fault=Fault("error"), latency=LatencyModel(ttfa_ms=7))
    merged = base.with_query({"mock_fault_after": "4", "mock_delta_ms": "20"})
    assert merged.behaviour == "silence"
    assert merged.fault == Fault("error", after_deltas=4)
    assert merged.latency == LatencyModel(ttfa_ms=7, delta_ms=20)
    assert base.with_query({"mock_fault": "none"}).fault is None
    cap = MockConfig.from_query({"mock_fault": "session_cap", "mock_session_cap_s": "2"})
    assert cap.fault == Fault("session_cap", session_cap_s=2.0)
    assert cap.session_cap_s is None


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"mock_ttfa_ms": "fast"}, "mock_ttfa_ms"),
        ({"mock_ttfa_ms": "-3"}, "mock_ttfa_ms"),
        ({"mock_speed": "0"}, "mock_speed"),
        ({"mock_seed": "1.5"}, "mock_seed"),
        ({"mock_fault": "explode"}, "mock_fault"),
        ({"mock_fault_after": "2"}, "mock_fault_after"),
        ({"mock_fault": "error", "mock_fault_after": "-2"}, "mock_fault_after"),
        ({"mock_behaviour": "sing"}, "mock_behaviour"),
        ({"mock_tone_hz": "nan"}, "mock_tone_hz"),
        ({"mock_session_cap_s": "0"}, "mock_session_cap_s"),
        ({"mock_colour": "blue"}, "mock_colour"),
    ],
)
def test_bad_query_parameters_are_named(params: dict[str, str], name: str) -> None:
    with pytest.raises(ConfigError, match=name):
        MockConfig.from_query(params)


def test_replay_behaviour_uses_replay_turns() -> None:
    turns = (ScriptedTurn("recorded", b"\x01\x00" * 10),)
    behaviour = make_behaviour(MockConfig(behaviour="replay", replay_turns=turns))
    assert behaviour.respond(TurnInput(b"", "", 0)).transcript == "recorded"


@settings(max_examples=60, deadline=None)
@given(
    behaviour=st.sampled_from(["echo", "tone", "silence"]),
    ttfa=st.floats(0, 5000),
    speed=st.floats(0.01, 100) | st.just(math.inf),
    delta=st.floats(1, 1000),
    jitter=st.floats(0, 100),
    seed=st.integers(0, 2**31),
    fault=st.none()
    | st.builds(
        Fault,
        st.sampled_from(
            ["error", "close_mid_response", "stall", "malformed_frame", "rate_limit", "session_cap"]
        ),
        st.integers(0, 50),
        st.floats(0, 60),
        st.floats(0.1, 3600),
    ),
    cap=st.none() | st.floats(0.1, 7200),
    text=st.none() | st.text(max_size=20),
)
def test_to_query_round_trips(
    behaviour: str,
    ttfa: float,
    speed: float,
    delta: float,
    jitter: float,
    seed: int,
    fault: Fault | None,
    cap: float | None,
    text: str | None,
) -> None:
    if fault is not None and fault.kind == "session_cap":
        cap = None  # one session cap travels in the URL
    elif fault is not None:  # session_cap_s only matters to a session_cap fault
        fault = Fault(fault.kind, fault.after_deltas, fault.stall_s)
    config = MockConfig(
        behaviour=behaviour,  # type: ignore[arg-type]
        latency=LatencyModel(ttfa, speed, delta, jitter, seed),
        fault=fault,
        session_cap_s=cap,
        transcript=text,
    )
    assert MockConfig.from_query(config.to_query()) == config
    assert MockConfig(behaviour="tone").with_query(config.to_query()) == config
