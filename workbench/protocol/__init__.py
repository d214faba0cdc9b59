"""The realtime protocol, sans-I/O: typed events and the GA / preview wire dialects.

- :mod:`workbench.protocol.events` — frozen dataclasses for client and server events
  (``SessionSettings`` and turn detection settings live in ``settings`` and are
  re-exported there).
- :mod:`workbench.protocol.dialects` — ``Dialect``, ``encode_*_event`` / ``decode_*_event``,
  ``guess_client_dialect``, ``dumps`` / ``loads``.
"""
