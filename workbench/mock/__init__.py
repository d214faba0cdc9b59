"""A fake realtime model: sans-I/O ``MockRealtimeModel`` and a WebSocket server around it.

- :mod:`workbench.mock.config` — ``MockConfig``, ``LatencyModel``, ``Fault``, ``ScriptedTurn``
  and ``MockConfig.from_query`` (``mock_*`` URL query parameters).
- :mod:`workbench.mock.model` — ``MockRealtimeModel`` (``start`` / ``receive`` /
  ``receive_wire`` / ``due`` / ``next_due_ms``) and its outputs ``SendEvent`` /
  ``SendRaw`` / ``CloseConnection``.
- :mod:`workbench.mock.validation` — client events checked like the service checks them.
- :mod:`workbench.mock.respond`, :mod:`~workbench.mock.responses`,
  :mod:`~workbench.mock.tools`, :mod:`~workbench.mock.transcription` — what is sent, when.
- :mod:`workbench.mock.audio_edge` — PCM16 24 kHz inside, G.711 8 kHz at the edge.
- :mod:`workbench.mock.behaviours` — the ``Behaviour`` protocol (echo, tone, silence,
  scripted, replay; ``tool`` calls a function first).
- :mod:`workbench.mock.server` — ``serve_mock`` / ``MockServer`` / ``run_mock_server``.

What it reproduces and where it differs from the service: ``docs/mock.md``.
"""
