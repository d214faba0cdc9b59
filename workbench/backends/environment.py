"""Backend selection from the environment: which backend, which model, which dialect.

With no key set the built-in mock is used, and every shell says so. Secrets live only
in ``Secret`` values, whose ``repr``/``str`` never show them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from workbench.backends.registry import BACKEND_KINDS
from workbench.errors import ConfigError
from workbench.protocol.dialects import Dialect


class Secret:
    """A credential that never prints itself (``repr`` and ``str`` show ``'***'``)."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret itself: pass it only to the SDK."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self._value)


@dataclass(frozen=True)
class BackendEnvironment:
    """Environment-derived settings.

    Environment variables
    ---------------------
    ``WORKBENCH_BACKEND``      mock | mock-server | openai | azure (default: azure if
                               ``AZURE_OPENAI_ENDPOINT`` is set, else openai if
                               ``OPENAI_API_KEY`` is set, else mock)
    ``OPENAI_API_KEY``         OpenAI key
    ``AZURE_OPENAI_ENDPOINT``  ``https://NAME.openai.azure.com``
    ``AZURE_OPENAI_API_KEY``   Azure key (else Entra ID via azure-identity, if installed)
    ``AZURE_OPENAI_DEPLOYMENT``  Azure deployment name
    ``AZURE_OPENAI_API_VERSION`` preview API version (default 2024-10-01-preview)
    ``WORKBENCH_MODEL``        OpenAI model (default gpt-realtime)
    ``WORKBENCH_DIALECT``      ga | preview (default ga)
    ``WORKBENCH_MOCK_URL``     ws://127.0.0.1:PORT of a running ``workbench mock``
    """

    backend: str = "mock"
    model: str = "gpt-realtime"
    dialect: Dialect = Dialect.GA
    openai_api_key: Secret | None = field(default=None, repr=False)
    azure_endpoint: str | None = None
    azure_api_key: Secret | None = field(default=None, repr=False)
    azure_deployment: str | None = None
    azure_api_version: str = "2024-10-01-preview"
    mock_url: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> BackendEnvironment:
        """Read settings from ``env`` (default ``os.environ``); ConfigError names a bad one."""
        env = os.environ if env is None else env
        openai_key = env.get("OPENAI_API_KEY") or None
        azure_endpoint = env.get("AZURE_OPENAI_ENDPOINT") or None
        default_backend = "azure" if azure_endpoint else "openai" if openai_key else "mock"
        backend = env.get("WORKBENCH_BACKEND") or default_backend
        if backend not in BACKEND_KINDS:
            raise ConfigError(f"WORKBENCH_BACKEND must be one of {BACKEND_KINDS}, got {backend!r}")
        dialect_name = (env.get("WORKBENCH_DIALECT") or "ga").lower()
        try:
            dialect = Dialect(dialect_name)
        except ValueError:
            raise ConfigError(
                f"WORKBENCH_DIALECT must be ga or preview, got {dialect_name!r}"
            ) from None
        settings = cls(
            backend=backend,
            model=env.get("WORKBENCH_MODEL") or "gpt-realtime",
            dialect=dialect,
            openai_api_key=Secret(openai_key) if openai_key else None,
            azure_endpoint=azure_endpoint,
            azure_api_key=Secret(k) if (k := env.get("AZURE_OPENAI_API_KEY")) else None,
            azure_deployment=env.get("AZURE_OPENAI_DEPLOYMENT") or None,
            azure_api_version=env.get("AZURE_OPENAI_API_VERSION") or "2024-10-01-preview",
            mock_url=env.get("WORKBENCH_MOCK_URL") or None,
        )
        settings.validate()
        return settings

    def validate(self) -> None:
        """Check that the chosen backend has what it needs (ConfigError otherwise)."""
        if self.backend == "openai" and not self.openai_api_key:
            raise ConfigError("backend openai needs OPENAI_API_KEY")
        if self.backend == "azure":
            if not self.azure_endpoint:
                raise ConfigError("backend azure needs AZURE_OPENAI_ENDPOINT")
            if not self.azure_deployment:
                raise ConfigError("backend azure needs AZURE_OPENAI_DEPLOYMENT")
        if self.backend == "mock-server" and not self.mock_url:
            raise ConfigError("backend mock-server needs WORKBENCH_MOCK_URL (ws://127.0.0.1:PORT)")

    def secrets(self) -> list[str]:
        """Every secret value (for redaction checks in logs and tests)."""
        return [s.reveal() for s in (self.openai_api_key, self.azure_api_key) if s]
