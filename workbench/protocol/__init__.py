"""The realtime protocol, sans-I/O: typed events, the GA / preview wire dialects, the reference.

- :mod:`workbench.protocol.events` — frozen dataclasses for server events (client events
  from :mod:`~workbench.protocol.client_events`, response streaming events from
  :mod:`~workbench.protocol.response_events` and ``SessionSettings`` from
  :mod:`~workbench.protocol.settings` are re-exported there).
- :mod:`workbench.protocol.dialects` — ``Dialect``, ``encode_*_event`` / ``decode_*_event``,
  ``guess_client_dialect``, ``dumps`` / ``loads``.
- :mod:`workbench.protocol.reference_schema` — the strict reference of every client and
  server event of both dialects; :mod:`workbench.protocol.strict_validator` checks a
  wire event against it with the service's error codes and params.
"""
