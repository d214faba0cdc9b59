"""workbench.netem: network impairment, a sans-I/O model plus thin asyncio adapters.

- :mod:`~workbench.netem.profiles`: named profiles (``lan``, ``wifi``, ``4g`` …).
- :mod:`~workbench.netem.link`: the pure per-direction model (bandwidth, delay with
  tc-netem's pareto jitter, TCP loss recovery, in-order delivery).
- :mod:`~workbench.netem.delay_line`: an asyncio FIFO that releases items on a Clock.
- :mod:`~workbench.netem.socket`: a WebSocket-like connection behind a profile (the
  mock server's ``--net``).
- :mod:`~workbench.netem.proxy`: the ``workbench netem`` WebSocket/HTTP reverse proxy.
- :mod:`~workbench.netem.voice_to_voice`: the voice-to-voice latency decomposition.

The backend wrapper (relay ↔ model leg) is :mod:`workbench.backends.impaired`.
"""

from workbench.netem.delay_line import DelayLine
from workbench.netem.link import Delivery, LinkModel, NetemLink
from workbench.netem.profiles import PROFILES, LinkParams, NetProfile, get_profile

__all__ = [
    "PROFILES",
    "DelayLine",
    "Delivery",
    "LinkModel",
    "LinkParams",
    "NetProfile",
    "NetemLink",
    "get_profile",
]
