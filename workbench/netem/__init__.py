"""workbench.netem: network impairment, a sans-I/O model plus thin asyncio adapters.

- :mod:`~workbench.netem.profiles`: named profiles (``lan``, ``wifi``, ``4g`` …).
- :mod:`~workbench.netem.link`: the pure per-direction model (bandwidth, delay with
  tc-netem's pareto jitter, TCP loss recovery, in-order delivery).
- :mod:`~workbench.netem.delay_line`: an asyncio FIFO that releases items on a Clock.
- :mod:`~workbench.netem.socket`: a WebSocket-like connection behind a profile (the
  mock server's ``--net``, the API's ``--client-net-profile``, benchmark clients).
- :mod:`~workbench.netem.proxy`: the ``workbench netem`` WebSocket/HTTP reverse proxy.
- :mod:`~workbench.netem.describe`: what a profile does to a steady message stream.

The backend wrapper (relay ↔ model leg) is :mod:`workbench.backends.impaired`; the
voice-to-voice decomposition is :mod:`workbench.relay.voice_to_voice`.

The package imports nothing itself: :mod:`~workbench.netem.profiles` and
:mod:`~workbench.netem.link` are pure, so the settings (which list the profile names)
import them without pulling in asyncio.
"""
