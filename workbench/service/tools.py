"""The demo tools the session service declares and answers itself (setting ``tools``).

With ``tools: demo`` every session of every shell declares these functions to the
model and the service answers each call (:func:`answer_call`), so a tool-call turn
works the same in the Talk and File tabs, the upload routes, the WebSocket and the CLI;
with ``tools: client`` the same functions are declared and the client answers
(WebSocket ``tool_output``). Adding a tool is one :class:`DemoTool` in
:data:`DEMO_TOOLS`.

Outputs are JSON text. A call the registry cannot serve (an unknown function, bad
arguments, an unknown time zone) is answered with ``{"error": "..."}`` rather than
left hanging: the model then says what went wrong, and the turn ends.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from workbench.protocol.settings import FunctionTool

#: Longest argument text parsed (characters); a model's arguments are small.
MAX_ARGUMENTS_CHARS: Final = 4096


@dataclass(frozen=True)
class DemoTool:
    """A function the service can run: its definition for the model, and the code.

    ``run(arguments, now_unix_s)`` returns a JSON-ready result; ``now_unix_s`` is the
    service's wall clock (s), injected so recordings are reproducible.
    """

    definition: FunctionTool
    run: Callable[[Mapping[str, Any], float], Mapping[str, Any]]


@functools.cache
def _zones() -> frozenset[str]:
    # Look names up in the IANA list instead of letting arbitrary text reach the
    # filesystem (zoneinfo opens a file per key).
    return frozenset(zoneinfo.available_timezones()) | {"UTC"}


def current_time(arguments: Mapping[str, Any], now_unix_s: float) -> Mapping[str, Any]:
    """``get_current_time``: the date and time in ``arguments["timezone"]`` (default UTC).

    Returns
    -------
    Mapping
        ``{"timezone", "iso_time", "weekday"}``, or ``{"error"}`` for an unknown zone.
    """
    name = arguments.get("timezone", "UTC")
    if not isinstance(name, str) or name not in _zones():
        shown = repr(name)[:80]
        return {"error": f"unknown time zone {shown}; use an IANA name such as Europe/Paris"}
    zone = dt.UTC if name == "UTC" else zoneinfo.ZoneInfo(name)
    now = dt.datetime.fromtimestamp(now_unix_s, zone)
    return {
        "timezone": name,
        "iso_time": now.isoformat(timespec="seconds"),
        "weekday": now.strftime("%A"),
    }


DEMO_TOOLS: Final[Mapping[str, DemoTool]] = {
    "get_current_time": DemoTool(
        FunctionTool(
            "get_current_time",
            "The current date and time in a time zone.",
            {
                "type": "object",
                "properties": {
                    "timezone": {
                        "type": "string",
                        "description": "IANA time zone name, e.g. Europe/Paris or UTC.",
                    }
                },
                "required": ["timezone"],
            },
        ),
        current_time,
    ),
}
#: What a ``tools: demo`` or ``tools: client`` session declares to the model.
DEMO_TOOL_DEFINITIONS: Final = tuple(tool.definition for tool in DEMO_TOOLS.values())


def answer_call(name: str, arguments: str, now_unix_s: float) -> str:
    """The output (JSON text) of demo tool ``name`` called with ``arguments``; never raises.

    Parameters
    ----------
    name : str
        The function the model called.
    arguments : str
        Its JSON arguments as the model sent them.
    now_unix_s : float
        Wall-clock time (s since the Unix epoch).
    """
    tool = DEMO_TOOLS.get(name)
    if tool is None:
        return _error(f"no demo tool named {name[:64]!r}; known: {', '.join(DEMO_TOOLS)}")
    if len(arguments) > MAX_ARGUMENTS_CHARS:
        return _error(f"arguments longer than {MAX_ARGUMENTS_CHARS} characters")
    try:
        parsed = json.loads(arguments or "{}")
    except (ValueError, RecursionError):
        return _error("the arguments are not valid JSON")
    if not isinstance(parsed, dict):
        return _error("the arguments must be a JSON object")
    return json.dumps(tool.run(parsed, now_unix_s), separators=(",", ":"))


def _error(message: str) -> str:
    return json.dumps({"error": message}, separators=(",", ":"))
