"""Which backend a session talks to: the environment's, or the built-in mock.

A session's settings choose ``env`` (OpenAI/Azure with a key, else the mock) or
``mock``, the mock's latency model, and a network profile for the relay ↔ model leg
(the backend is then wrapped in an :class:`~workbench.backends.impaired.ImpairedBackend`);
the server was started with the environment and the mock's base behaviour. Backends are
light objects built per session; what they share (credentials, the mock's base
configuration) lives here.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace

from workbench.backends.base import Backend
from workbench.backends.environment import BackendEnvironment
from workbench.backends.factory import make_backend
from workbench.backends.impaired import ImpairedBackend
from workbench.clock import Clock
from workbench.mock.config import MockConfig
from workbench.netem.profiles import get_profile
from workbench.service.relay_config import mock_config
from workbench.settings import RelaySettings


@dataclass(frozen=True)
class BackendResolver:
    """Turns a session's settings into its backend.

    Parameters
    ----------
    env : BackendEnvironment
        Backend selection and credentials from the environment.
    mock_base : MockConfig
        The mock's behaviour and faults (sessions choose only its latency model).
    connect_timeout_s : float
        Bound on opening an upstream session (s).
    fixed : Backend | None
        Give every session this backend (see :meth:`of`).
    """

    env: BackendEnvironment = field(default_factory=BackendEnvironment)
    mock_base: MockConfig = field(default_factory=MockConfig)
    connect_timeout_s: float = 10.0
    fixed: Backend | None = None
    #: Seeds of impaired sessions' links: session n of this resolver gets seed n.
    _net_seeds: itertools.count[int] = field(
        default_factory=itertools.count, compare=False, repr=False
    )

    @classmethod
    def of(cls, backend: Backend) -> BackendResolver:
        """A resolver that gives every session ``backend`` (tests, recordings, replays)."""
        return cls(fixed=backend)

    @property
    def env_is_mock(self) -> bool:
        """Whether the environment selects a mock (no keys set)."""
        if self.fixed is not None:
            return self.fixed.info.is_mock
        return self.env.backend in ("mock", "mock-server")

    def backend_for(self, settings: RelaySettings, *, clock: Clock | None = None) -> Backend:
        """The backend a session with ``settings`` talks to.

        Parameters
        ----------
        settings : RelaySettings
            The session's choices.
        clock : Clock, optional
            The session's clock: the time base of ``upstream_net_profile``'s delays
            (``VirtualClock`` in tests).
        """
        backend = self._inner_backend(settings)
        profile = get_profile(settings.upstream_net_profile)
        if profile.is_transparent:
            return backend
        return ImpairedBackend(backend, profile, clock=clock, seed=next(self._net_seeds))

    def _inner_backend(self, settings: RelaySettings) -> Backend:
        if self.fixed is not None:
            return self.fixed
        env = self.env
        if settings.backend_source == "mock" and env.backend != "mock":
            env = replace(env, backend="mock")
        return make_backend(
            env,
            mock_config=mock_config(settings, self.mock_base),
            connect_timeout_s=self.connect_timeout_s,
        )

    def describe(self, settings: RelaySettings) -> str:
        """One line naming the backend ``settings`` select (never a key)."""
        return self.backend_for(settings).info.description
