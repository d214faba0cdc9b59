"""Configuration from the environment: which backend, which model, which dialect.

With no key set the built-in mock is used, and every shell says so. Secrets live only
in ``Secret`` values, whose ``repr``/``str`` never show them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from workbench.backends.base import Backend
from workbench.backends.openai_sdk import TokenProvider
from workbench.errors import ConfigError
from workbench.mock.config import MockConfig
from workbench.protocol.dialects import Dialect

BACKEND_KINDS = ("mock", "mock-server", "openai", "azure")


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
class WorkbenchSettings:
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
    def from_env(cls, env: Mapping[str, str] | None = None) -> WorkbenchSettings:
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


def make_backend(
    settings: WorkbenchSettings,
    *,
    mock_config: object | None = None,
    connect_timeout_s: float = 10.0,
) -> Backend:
    """Build the backend ``settings`` select.

    Parameters
    ----------
    mock_config : MockConfig | None
        Behaviour and latency model for the ``mock`` backend (default: echo, 300 ms).
    """
    from workbench.backends.inprocess import InProcessBackend
    from workbench.backends.openai_sdk import OpenAISdkBackend, SdkSettings
    from workbench.mock.model import MockConfig

    if settings.backend == "mock":
        cfg = mock_config if isinstance(mock_config, MockConfig) else MockConfig()
        return InProcessBackend(cfg, dialect=settings.dialect, model=settings.model)
    if settings.backend == "mock-server":
        query: dict[str, str] = {}
        if isinstance(mock_config, MockConfig):
            query = _mock_query(mock_config)
        sdk = SdkSettings(
            target="mock-server",
            model=settings.model,
            dialect=settings.dialect,
            endpoint=settings.mock_url,
            extra_query=query,
        )
    elif settings.backend == "openai":
        assert settings.openai_api_key is not None
        sdk = SdkSettings(
            target="openai",
            model=settings.model,
            dialect=settings.dialect,
            api_key=settings.openai_api_key.reveal(),
        )
    else:
        key = settings.azure_api_key.reveal() if settings.azure_api_key else None
        sdk = SdkSettings(
            target="azure",
            model=settings.azure_deployment or settings.model,
            dialect=settings.dialect,
            api_key=key,
            endpoint=settings.azure_endpoint,
            api_version=settings.azure_api_version,
            token_provider=None if key else _entra_token_provider(),
        )
    return OpenAISdkBackend(sdk, connect_timeout_s=connect_timeout_s)


def _mock_query(cfg: MockConfig) -> dict[str, str]:
    """``mock_*`` query parameters that make a mock server behave like ``cfg``.

    The inverse of ``MockConfig.from_query`` for behaviour, latency, tone and fault.
    """
    latency = cfg.latency
    query = {
        "mock_behaviour": cfg.behaviour,
        "mock_ttfa_ms": repr(latency.ttfa_ms),
        "mock_speed": repr(latency.speed_x_realtime),
        "mock_delta_ms": repr(latency.delta_ms),
        "mock_jitter_ms": repr(latency.jitter_ms),
        "mock_seed": str(latency.seed),
        "mock_tone_hz": repr(cfg.tone_hz),
        "mock_tone_ms": repr(cfg.tone_ms),
    }
    if cfg.fault is not None:
        query["mock_fault"] = cfg.fault.kind
        query["mock_fault_after"] = str(cfg.fault.after_deltas)
        query["mock_stall_s"] = repr(cfg.fault.stall_s)
    if cfg.session_cap_s is not None:
        query["mock_session_cap_s"] = repr(cfg.session_cap_s)
    return query


def _entra_token_provider() -> TokenProvider:
    try:
        from azure.identity.aio import DefaultAzureCredential, get_bearer_token_provider
    except ImportError:
        raise ConfigError(
            "Azure without AZURE_OPENAI_API_KEY needs Entra ID: pip install azure-identity"
        ) from None
    provider: TokenProvider = get_bearer_token_provider(
        DefaultAzureCredential(), "https://cognitiveservices.azure.com/.default"
    )
    return provider
