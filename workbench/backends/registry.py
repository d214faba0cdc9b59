"""Which module builds each backend kind: adding a provider is one module and one line here.

Each module listed exports ``create(env, *, mock_config, connect_timeout_s) -> Backend``
(see :func:`workbench.backends.factory.make_backend`). Modules are imported only when
their kind is used, so a provider's SDK is not imported by the others.
"""

from __future__ import annotations

from typing import Final

#: Backend kind (``WORKBENCH_BACKEND``) → module with its ``create`` function.
BACKEND_MODULES: Final[dict[str, str]] = {
    "mock": "workbench.backends.inprocess",
    "mock-server": "workbench.backends.openai_sdk",
    "openai": "workbench.backends.openai_sdk",
    "azure": "workbench.backends.openai_sdk",
}

BACKEND_KINDS: Final[tuple[str, ...]] = tuple(BACKEND_MODULES)
