"""The session service: one owner of every live session, behind every shell.

- :class:`SessionService` — opens sessions (limits, records, metrics), ends idle and
  over-long ones, reports health.
- :class:`LiveSession` — one session: input, turns, barge-in, one event iterator.
- :class:`EndReason` — why a session ended, the same words on every path.
- :class:`BackendResolver` — which backend a session's settings select.
"""

from workbench.service.backends import BackendResolver
from workbench.service.end_reason import EndReason
from workbench.service.service import SessionService
from workbench.service.session import LiveSession

__all__ = ["BackendResolver", "EndReason", "LiveSession", "SessionService"]
