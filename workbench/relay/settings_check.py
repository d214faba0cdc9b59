"""Refuse, before connecting, session settings the service would refuse mid-session.

A ``Relay`` is built for one backend, whose dialect is known before any connection
opens. :func:`check_session_settings` encodes the ``session.update`` the relay will send
and checks it against the protocol's reference and rules
(:func:`workbench.protocol.session_rules.session_violations`: voices, temperature per
dialect, modality combinations, audio formats, tool definitions, lengths), so a bad
value is one :class:`~workbench.settings.SettingsError` listing every problem, named
by the setting a user chose (``Voice: …``), instead of an upstream error later. The
allowed values come from the reference only: nothing is listed twice.
"""

from __future__ import annotations

import re
from typing import Final

from workbench.protocol.json_codec import Dialect
from workbench.protocol.session_rules import session_violations
from workbench.protocol.strict_validator import Violation
from workbench.relay.config import RelayConfig
from workbench.settings import Problem, RelaySettings, SettingsError, spec_of

#: Wire param (after ``session.``) → the relay setting it comes from, first match wins.
_PARAM_SETTINGS: Final[tuple[tuple[re.Pattern[str], str], ...]] = tuple(
    (re.compile(pattern), name)
    for pattern, name in (
        (r"^(audio\.output\.)?voice\b", "voice"),
        (r"^instructions\b", "instructions"),
        (r"^temperature\b", "temperature"),
        (r"^(output_)?modalities\b", "output_modalities"),
        (
            r"^(audio\.input\.transcription|input_audio_transcription)\b",
            "input_transcription_model",
        ),
        (r"^(audio\.input\.)?turn_detection\b", "turn_detection"),
        (r"^(audio\.(input|output)\.format|(input|output)_audio_format)\b", "audio_format"),
        (r"^tools\b", "tools"),
        (r"^tool_choice\b", "tool_choice"),
    )
)


def setting_of(violation: Violation) -> str:
    """The relay setting a violation of ``session.update`` is about (else its param)."""
    param = violation.param.removeprefix("session.")
    for pattern, name in _PARAM_SETTINGS:
        if pattern.match(param):
            return name
    return violation.param or "session"


def _label(name: str) -> str:
    # The label a user saw for it (Settings tab, errors), when it is a session setting.
    try:
        return spec_of(RelaySettings, name).display
    except KeyError:
        return name


def session_problems(config: RelayConfig, dialect: Dialect, model: str | None) -> list[Problem]:
    """Every problem the service would find in ``config``'s session settings.

    Parameters
    ----------
    config : RelayConfig
        The relay's configuration.
    dialect : Dialect
        The backend's dialect (GA has no temperature; preview allows 0.6-1.2 …).
    model : str | None
        The model name the ``session.update`` carries.

    Returns
    -------
    list[Problem]
        One per violation, named by setting (``voice``) and label (``Voice``), with the
        service's message.
    """
    out: list[Problem] = []
    for violation in session_violations(config.session_settings(model), dialect):
        name = setting_of(violation)
        detail = f"{violation.message} (the {dialect.value} service refuses it)"
        out.append(Problem(name, _label(name), detail))
    return out


def check_session_settings(config: RelayConfig, dialect: Dialect, model: str | None) -> None:
    """Raise :class:`SettingsError` (every problem at once) if the service would refuse
    ``config``'s session settings in ``dialect``."""
    problems = session_problems(config, dialect, model)
    if problems:
        raise SettingsError(problems)
