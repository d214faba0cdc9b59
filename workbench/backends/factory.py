"""Build the backend an environment selects, through the registry.

``make_backend(BackendEnvironment.from_env())`` gives the in-process mock when no key is
set, the OpenAI or Azure backend when one is. The module that builds each kind is named
in :data:`workbench.backends.registry.BACKEND_MODULES`.
"""

from __future__ import annotations

import importlib
from typing import Any

from workbench.backends.base import Backend
from workbench.backends.environment import BackendEnvironment
from workbench.backends.registry import BACKEND_MODULES
from workbench.errors import ConfigError


def make_backend(
    env: BackendEnvironment,
    *,
    mock_config: Any = None,
    connect_timeout_s: float = 10.0,
) -> Backend:
    """The backend ``env`` selects.

    Parameters
    ----------
    env : BackendEnvironment
        Which backend kind, model, dialect and credentials.
    mock_config : MockConfig | None
        Behaviour and latency of the mock (the in-process mock, or the query sent to a
        mock server); ignored by real services.
    connect_timeout_s : float
        Bound on opening one upstream session (s).
    """
    name = BACKEND_MODULES.get(env.backend)
    if name is None:
        raise ConfigError(f"unknown backend {env.backend!r}; known: {', '.join(BACKEND_MODULES)}")
    module = importlib.import_module(name)
    backend: Backend = module.create(
        env, mock_config=mock_config, connect_timeout_s=connect_timeout_s
    )
    return backend
