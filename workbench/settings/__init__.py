"""The one settings source: every setting's default, range, unit, label and help.

- :class:`RelaySettings` — what one session chooses (chunking, resampler, turn
  detection, voice, tools, the model-side audio format, input rate, the mock's latency
  model).
- :class:`ServerSettings` — what an operator sets for the whole server (limits,
  timeouts, WebSocket queue sizes, origins).

Environment variables (``WORKBENCH_<NAME>``), CLI flags (``--name``), the Settings tab,
the WebSocket settings message and fixture metadata are derived from these two
declarations (see :mod:`workbench.settings.spec` and :mod:`workbench.settings.cli`).
"""

from workbench.settings.relay import (
    AUDIO_FORMATS,
    BACKEND_CHOICES,
    EAGERNESS,
    MAX_INPUT_RATE_HZ,
    MIN_INPUT_RATE_HZ,
    TOOL_MODES,
    TURN_DETECTIONS,
    RelaySettings,
)
from workbench.settings.server import ServerSettings
from workbench.settings.spec import (
    Problem,
    Setting,
    SettingsError,
    from_env,
    parse_values,
    spec_of,
    specs,
    to_dict,
)

__all__ = [
    "AUDIO_FORMATS",
    "BACKEND_CHOICES",
    "EAGERNESS",
    "MAX_INPUT_RATE_HZ",
    "MIN_INPUT_RATE_HZ",
    "TOOL_MODES",
    "TURN_DETECTIONS",
    "Problem",
    "RelaySettings",
    "ServerSettings",
    "Setting",
    "SettingsError",
    "from_env",
    "parse_values",
    "spec_of",
    "specs",
    "to_dict",
]
