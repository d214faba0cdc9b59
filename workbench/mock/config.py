"""Configuration of the mock realtime model: behaviour, latency model, fault injection.

Every value is validated on construction (:class:`~workbench.errors.ConfigError` names
the bad setting). A WebSocket client can override the server's configuration per
connection with ``mock_*`` URL query parameters (see :meth:`MockConfig.from_query`);
with the openai SDK that is ``connect(..., extra_query={"mock_ttfa_ms": "50"})``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Literal, TypeVar, get_args

from workbench.errors import ConfigError
from workbench.mock.replay_script import ReplayScript

BehaviourName = Literal["echo", "tone", "silence", "scripted", "replay", "tool"]
FaultKind = Literal[
    "error", "close_mid_response", "stall", "malformed_frame", "rate_limit", "session_cap"
]
BEHAVIOURS: tuple[str, ...] = get_args(BehaviourName)
_T = TypeVar("_T")
FAULT_KINDS: tuple[str, ...] = get_args(FaultKind)


def _check(name: str, value: float, *, minimum: float = 0.0, strict: bool = False) -> None:
    bad = math.isnan(value) or value < minimum or (strict and value == minimum)
    if bad:
        relation = ">" if strict else ">="
        raise ConfigError(f"{name} must be a number {relation} {minimum:g}, got {value!r}")


@dataclass(frozen=True, slots=True)
class LatencyModel:
    """When the mock sends each part of a response.

    Parameters
    ----------
    ttfa_ms : float
        Time to first audio: ms from ``response.create`` to the first audio delta.
    speed_x_realtime : float
        Audio is delivered at this multiple of real time (``math.inf``: all at once).
    delta_ms : float
        Audio duration per ``response.output_audio.delta`` (ms of 24 kHz audio).
    jitter_ms : float
        Each delta is delayed by a uniform random 0..jitter_ms (seeded); deltas are
        never reordered (a delta is never sent before the one before it).
    seed : int
        Seed of the jitter generator.
    transcription_delay_ms : float
        Commit to ``conversation.item.input_audio_transcription.completed`` (ms); the
        service transcribes asynchronously, so with a short ``ttfa_ms`` the user's
        transcript lands after ``response.created``. Deltas come before it.
    """

    ttfa_ms: float = 300.0
    speed_x_realtime: float = 1.0
    delta_ms: float = 100.0
    jitter_ms: float = 0.0
    seed: int = 0
    transcription_delay_ms: float = 200.0

    def __post_init__(self) -> None:
        _check("ttfa_ms", self.ttfa_ms)
        _check("speed_x_realtime", self.speed_x_realtime, strict=True)
        _check("delta_ms", self.delta_ms, minimum=1.0)
        _check("jitter_ms", self.jitter_ms)
        _check("transcription_delay_ms", self.transcription_delay_ms)
        if math.isinf(self.transcription_delay_ms):
            raise ConfigError("transcription_delay_ms must be finite")
        if math.isinf(self.ttfa_ms) or math.isinf(self.jitter_ms) or math.isinf(self.delta_ms):
            raise ConfigError("ttfa_ms, delta_ms and jitter_ms must be finite")


@dataclass(frozen=True, slots=True)
class Fault:
    """One injected failure per connection (it fires once, in the first response).

    Parameters
    ----------
    kind : FaultKind
        ``error``: an error event after ``after_deltas`` audio deltas, then
        ``response.done`` with status ``failed``. ``close_mid_response``: the socket
        closes with code 1011 after ``after_deltas`` deltas. ``stall``: nothing is sent
        for ``stall_s`` after ``after_deltas`` deltas, then delivery resumes.
        ``malformed_frame``: the text frame ``{not json`` after ``after_deltas`` deltas.
        ``rate_limit``: the first ``response.create`` is refused with
        ``rate_limit_exceeded``. ``session_cap``: after ``session_cap_s`` of session time
        an error ``session_expired`` and a close.
    after_deltas : int
        Audio deltas sent before the fault (clamped to the response's delta count).
    stall_s : float
        Length of a ``stall`` (s).
    session_cap_s : float
        Session length before a ``session_cap`` fault (s).
    """

    kind: FaultKind
    after_deltas: int = 1
    stall_s: float = 5.0
    session_cap_s: float = 1.0

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ConfigError(
                f"fault kind must be one of {', '.join(FAULT_KINDS)}; got {self.kind!r}"
            )
        if self.after_deltas < 0:
            raise ConfigError(f"after_deltas must be >= 0, got {self.after_deltas}")
        _check("stall_s", self.stall_s)
        _check("session_cap_s", self.session_cap_s, strict=True)


@dataclass(frozen=True, slots=True)
class ScriptedTurn:
    """One canned assistant turn: its transcript and its PCM16 24 kHz mono audio."""

    transcript: str
    audio_pcm16: bytes


@dataclass(frozen=True, slots=True)
class MockConfig:
    """Everything that decides how a mock session answers.

    Parameters
    ----------
    behaviour : {"echo", "tone", "silence", "scripted", "replay", "tool"}
        ``echo`` answers with the user's committed audio; ``tone`` a sine of
        ``tone_hz`` for ``tone_ms``; ``silence`` ``tone_ms`` of zeros; ``scripted`` the
        turns of ``script`` in order (cycling); ``replay`` the recorded server events of
        ``replay_script`` (or, without one, the ``replay_turns`` in order, cycling);
        ``tool`` calls a function tool of the session (``tool_name`` if defined, else
        the first) when the user's turn ends, then, once the client sends the
        ``function_call_output`` and asks for a response, speaks (a tone) a transcript
        that quotes the output. Any behaviour calls a tool when ``tool_choice`` is
        ``required`` or names a function.
    latency : LatencyModel
        Timing of responses.
    fault : Fault, optional
        One injected failure per connection.
    tone_hz, tone_ms : float
        Tone frequency (Hz) and tone/silence duration (ms).
    transcript : str, optional
        Assistant transcript; default echo: ``"(echo) <user transcript>"``.
    user_transcript : str, optional
        What the mock reports as the input transcription (only when the session has
        an input transcription model); default ``"(mock transcript of 1.23 s of audio)"``.
    script : tuple of ScriptedTurn
        Turns of the ``scripted`` behaviour.
    session_cap_s : float, optional
        Session length (s) after which the mock sends ``session_expired`` and closes,
        like the service's 30/60-minute cap.
    replay_turns : tuple of ScriptedTurn
        Turns of the ``replay`` behaviour (filled from a fixture by the fixtures layer).
    replay_script : ReplayScript, optional
        A recorded session (``workbench.fixtures.replay.build_script``): the model then
        sends the recorded server events, keyed to the client events that preceded them.
    tool_name : str
        The function the ``tool`` behaviour prefers to call.
    """

    behaviour: BehaviourName = "echo"
    latency: LatencyModel = field(default_factory=LatencyModel)
    fault: Fault | None = None
    tone_hz: float = 440.0
    tone_ms: float = 1000.0
    transcript: str | None = None
    user_transcript: str | None = None
    script: tuple[ScriptedTurn, ...] = ()
    session_cap_s: float | None = None
    replay_turns: tuple[ScriptedTurn, ...] = ()
    replay_script: ReplayScript | None = None
    tool_name: str = "get_current_time"

    def __post_init__(self) -> None:
        if self.behaviour not in BEHAVIOURS:
            raise ConfigError(
                f"behaviour must be one of {', '.join(BEHAVIOURS)}; got {self.behaviour!r}"
            )
        _check("tone_hz", self.tone_hz, strict=True)
        if self.tone_hz >= 12000:
            raise ConfigError(
                f"tone_hz must be below 12000 (Nyquist at 24 kHz), got {self.tone_hz}"
            )
        _check("tone_ms", self.tone_ms)
        if math.isinf(self.tone_ms):
            raise ConfigError("tone_ms must be finite")
        if self.session_cap_s is not None:
            _check("session_cap_s", self.session_cap_s, strict=True)
        if self.behaviour == "scripted" and not self.script:
            raise ConfigError("behaviour 'scripted' needs a non-empty script")
        if self.behaviour == "replay" and not (self.replay_turns or self.replay_script):
            raise ConfigError("replay needs a fixture: set MockConfig.replay_turns")

    @classmethod
    def from_query(cls, params: Mapping[str, str], base: MockConfig | None = None) -> MockConfig:
        """Build a config from ``mock_*`` URL query parameters, over ``base``.

        Parameters
        ----------
        params : Mapping[str, str]
            Query parameters; keys not starting with ``mock_`` (``model``,
            ``api-version``, ``deployment`` …) are ignored. Recognised: ``mock_behaviour``,
            ``mock_ttfa_ms``, ``mock_speed`` (a number or ``inf``), ``mock_delta_ms``,
            ``mock_jitter_ms``, ``mock_seed``, ``mock_fault`` (a fault kind or ``none``),
            ``mock_fault_after``, ``mock_stall_s``, ``mock_session_cap_s``,
            ``mock_tone_hz``, ``mock_tone_ms``, ``mock_transcript``,
            ``mock_user_transcript``, ``mock_transcription_ms``, ``mock_tool_name``.
        base : MockConfig, optional
            Values not given in ``params`` (default: ``MockConfig()``).

        Returns
        -------
        MockConfig

        Raises
        ------
        ConfigError
            An unknown ``mock_*`` key or a bad value; the message names the parameter.
        """
        cfg = base if base is not None else cls()
        mock = {k: v for k, v in params.items() if k.startswith("mock_")}
        unknown = sorted(set(mock) - set(_QUERY_KEYS))
        if unknown:
            raise ConfigError(
                f"unknown query parameter {unknown[0]!r}; known: {', '.join(_QUERY_KEYS)}"
            )
        return _apply_query(cfg, mock)

    def to_query(self) -> dict[str, str]:
        """The ``mock_*`` query parameters that rebuild this config on a mock server.

        ``MockConfig.from_query(cfg.to_query()) == cfg`` for every config without a
        ``script``, ``replay_turns`` or ``replay_script`` (audio does not travel in a URL).
        """
        latency = self.latency
        query = {
            "mock_behaviour": self.behaviour,
            "mock_ttfa_ms": repr(latency.ttfa_ms),
            "mock_speed": repr(latency.speed_x_realtime),
            "mock_delta_ms": repr(latency.delta_ms),
            "mock_jitter_ms": repr(latency.jitter_ms),
            "mock_seed": str(latency.seed),
            "mock_transcription_ms": repr(latency.transcription_delay_ms),
            "mock_tool_name": self.tool_name,
            "mock_tone_hz": repr(self.tone_hz),
            "mock_tone_ms": repr(self.tone_ms),
            "mock_fault": "none" if self.fault is None else self.fault.kind,
        }
        if self.fault is not None:
            query["mock_fault_after"] = str(self.fault.after_deltas)
            query["mock_stall_s"] = repr(self.fault.stall_s)
            if self.fault.kind == "session_cap":
                query["mock_session_cap_s"] = repr(self.fault.session_cap_s)
        if self.session_cap_s is not None and "mock_session_cap_s" not in query:
            query["mock_session_cap_s"] = repr(self.session_cap_s)
        if self.transcript is not None:
            query["mock_transcript"] = self.transcript
        if self.user_transcript is not None:
            query["mock_user_transcript"] = self.user_transcript
        return query

    def with_query(self, params: Mapping[str, str]) -> MockConfig:
        """This config with ``mock_*`` query overrides applied (see :meth:`from_query`)."""
        return MockConfig.from_query(params, base=self)


_QUERY_KEYS = (
    "mock_behaviour",
    "mock_ttfa_ms",
    "mock_speed",
    "mock_delta_ms",
    "mock_jitter_ms",
    "mock_seed",
    "mock_fault",
    "mock_fault_after",
    "mock_stall_s",
    "mock_session_cap_s",
    "mock_tone_hz",
    "mock_tone_ms",
    "mock_transcript",
    "mock_user_transcript",
    "mock_transcription_ms",
    "mock_tool_name",
)


def _number(params: Mapping[str, str], key: str) -> float | None:
    if key not in params:
        return None
    text = params[key].strip()
    try:
        value = float(text)
    except ValueError:
        raise ConfigError(f"{key}={params[key]!r} is not a number") from None
    if math.isnan(value):
        raise ConfigError(f"{key}={params[key]!r} is not a number")
    return value


def _integer(params: Mapping[str, str], key: str) -> int | None:
    if key not in params:
        return None
    try:
        return int(params[key].strip())
    except ValueError:
        raise ConfigError(f"{key}={params[key]!r} is not an integer") from None


def _named(key: str, obj: _T, **changes: object) -> _T:
    """``replace(obj, **changes)`` with a ConfigError that names the query parameter."""
    try:
        return replace(obj, **changes)  # type: ignore[type-var]
    except ConfigError as exc:
        raise ConfigError(f"{key}: {exc.message}") from None


def _apply_query(cfg: MockConfig, p: Mapping[str, str]) -> MockConfig:
    latency = cfg.latency
    for key, attr in (
        ("mock_ttfa_ms", "ttfa_ms"),
        ("mock_speed", "speed_x_realtime"),
        ("mock_delta_ms", "delta_ms"),
        ("mock_jitter_ms", "jitter_ms"),
        ("mock_transcription_ms", "transcription_delay_ms"),
    ):
        value = _number(p, key)
        if value is not None:
            latency = _named(key, latency, **{attr: value})
    seed = _integer(p, "mock_seed")
    if seed is not None:
        latency = replace(latency, seed=seed)

    fault = cfg.fault
    if "mock_fault" in p:
        kind = p["mock_fault"].strip()
        if kind in ("", "none"):
            fault = None
        elif kind in FAULT_KINDS:
            fault = Fault(kind)  # type: ignore[arg-type]  # checked just above
        else:
            raise ConfigError(f"mock_fault={kind!r}; expected none or {', '.join(FAULT_KINDS)}")
    fault_values = (
        ("mock_fault_after", "after_deltas", _integer(p, "mock_fault_after")),
        ("mock_stall_s", "stall_s", _number(p, "mock_stall_s")),
    )
    for key, attr, fault_value in fault_values:
        if fault_value is None:
            continue
        if fault is None:
            raise ConfigError(f"{key} needs mock_fault")
        fault = _named(key, fault, **{attr: fault_value})

    out = replace(cfg, latency=latency, fault=fault)
    cap = _number(p, "mock_session_cap_s")
    if cap is not None:
        if fault is not None and fault.kind == "session_cap":
            out = replace(out, fault=_named("mock_session_cap_s", fault, session_cap_s=cap))
        else:
            out = _named("mock_session_cap_s", out, session_cap_s=cap)
    for key, attr in (("mock_tone_hz", "tone_hz"), ("mock_tone_ms", "tone_ms")):
        value = _number(p, key)
        if value is not None:
            out = _named(key, out, **{attr: value})
    if "mock_behaviour" in p:
        out = _named("mock_behaviour", out, behaviour=p["mock_behaviour"].strip())
    for key, attr in (
        ("mock_transcript", "transcript"),
        ("mock_user_transcript", "user_transcript"),
        ("mock_tool_name", "tool_name"),
    ):
        if key in p:
            out = replace(out, **{attr: p[key]})  # type: ignore[arg-type]
    return out


def from_query(params: Mapping[str, str], base: MockConfig | None = None) -> MockConfig:
    """Module-level spelling of :meth:`MockConfig.from_query`."""
    return MockConfig.from_query(params, base)
