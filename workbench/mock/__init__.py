"""A fake realtime model: sans-I/O ``MockRealtimeModel`` and a WebSocket server around it.

- :mod:`workbench.mock.config` — ``MockConfig``, ``LatencyModel``, ``Fault``, ``ScriptedTurn``
  and ``MockConfig.from_query`` (``mock_*`` URL query parameters).
- :mod:`workbench.mock.model` — ``MockRealtimeModel`` (``start`` / ``receive`` / ``due`` /
  ``next_due_ms``) and its outputs ``SendEvent`` / ``SendRaw`` / ``CloseConnection``.
- :mod:`workbench.mock.behaviours` — the ``Behaviour`` protocol (echo, tone, silence,
  scripted, replay).
- :mod:`workbench.mock.server` — ``serve_mock`` / ``MockServer`` / ``run_mock_server``.
"""
