"""uvicorn app factory for the benchmarks' server subprocess.

``uvicorn --factory workbench.bench.api_server:app_factory`` (what
:func:`workbench.bench.servers.api_process` runs) builds, from the environment:

- ``WORKBENCH_BENCH_APP=api`` (default): this project's API (:func:`create_api_app`),
  its backend chosen by ``WORKBENCH_BACKEND``/``WORKBENCH_MOCK_URL`` as usual;
- ``WORKBENCH_BENCH_APP=seed``: the seed's architecture
  (:mod:`workbench.bench.seed_baseline`) against ``WORKBENCH_MOCK_URL``.

An import string (not an app object) is what ``uvicorn --workers N`` needs.
"""

from __future__ import annotations

import os

from fastapi import FastAPI


def app_factory() -> FastAPI:
    """The app ``WORKBENCH_BENCH_APP`` selects (``api`` or ``seed``)."""
    if os.environ.get("WORKBENCH_BENCH_APP", "api") == "seed":
        from workbench.bench.seed_baseline import create_seed_app

        return create_seed_app(os.environ["WORKBENCH_MOCK_URL"])
    from workbench.app.api.app import create_api_app

    return create_api_app()
