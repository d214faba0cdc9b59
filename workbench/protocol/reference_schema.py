"""The strict reference schema of every client and server event, both dialects (data).

Look-ups by dialect and event type; the schemas themselves live in
:mod:`workbench.protocol.reference_ga` and :mod:`workbench.protocol.reference_preview`
(shared pieces in :mod:`workbench.protocol.reference_common`), written in the node
language of :mod:`workbench.protocol.schema_nodes` and checked by
:mod:`workbench.protocol.strict_validator`.
"""

from __future__ import annotations

from workbench.protocol.json_codec import Dialect
from workbench.protocol.reference_common import (
    GA_FORMAT_TYPES as GA_FORMAT_TYPES,
)
from workbench.protocol.reference_common import (
    MAX_INSTRUCTIONS_CHARS as MAX_INSTRUCTIONS_CHARS,
)
from workbench.protocol.reference_common import (
    PREVIEW_FORMATS as PREVIEW_FORMATS,
)
from workbench.protocol.reference_common import (
    PREVIEW_TEMPERATURE as PREVIEW_TEMPERATURE,
)
from workbench.protocol.reference_common import (
    VOICES_GA as VOICES_GA,
)
from workbench.protocol.reference_common import (
    VOICES_PREVIEW as VOICES_PREVIEW,
)
from workbench.protocol.reference_ga import GA_CLIENT_EVENTS, GA_SERVER_EVENTS
from workbench.protocol.reference_preview import PREVIEW_CLIENT_EVENTS, PREVIEW_SERVER_EVENTS
from workbench.protocol.schema_nodes import Obj

_SERVER = {Dialect.GA: GA_SERVER_EVENTS, Dialect.PREVIEW: PREVIEW_SERVER_EVENTS}
_CLIENT = {Dialect.GA: GA_CLIENT_EVENTS, Dialect.PREVIEW: PREVIEW_CLIENT_EVENTS}


def server_event_schema(dialect: Dialect, event_type: str) -> Obj | None:
    """The schema of server event ``event_type`` in ``dialect`` (None: not in the reference)."""
    return _SERVER[dialect].get(event_type)


def client_event_schema(dialect: Dialect, event_type: str) -> Obj | None:
    """The schema of client event ``event_type`` in ``dialect`` (None: not in the reference)."""
    return _CLIENT[dialect].get(event_type)


def server_event_types(dialect: Dialect) -> tuple[str, ...]:
    """Every server event type of ``dialect``, in reference order."""
    return tuple(_SERVER[dialect])


def client_event_types(dialect: Dialect) -> tuple[str, ...]:
    """Every client event type of ``dialect``, in reference order."""
    return tuple(_CLIENT[dialect])


def voices(dialect: Dialect) -> tuple[str, ...]:
    """The built-in voice names ``dialect`` accepts."""
    return VOICES_GA if dialect is Dialect.GA else VOICES_PREVIEW
