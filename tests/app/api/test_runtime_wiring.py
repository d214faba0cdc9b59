"""The process runtime in a served app: loop lag and GC pauses in ``/metrics``, SDK
clients closed on shutdown. A real uvicorn on 127.0.0.1, in this test's event loop."""

from __future__ import annotations

import gc
import time

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.support.servers import serve
from tests.support.services import make_service
from workbench.app.api.app import create_api_app
from workbench.backends import sdk_clients
from workbench.backends.inprocess import InProcessBackend
from workbench.backends.openai_sdk import OpenAISdkBackend, SdkSettings

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


async def _scrape(http: httpx.AsyncClient) -> Samples:
    text = (await http.get("/metrics")).text
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def test_a_stalled_loop_and_a_gc_pass_show_in_metrics() -> None:
    service = make_service(InProcessBackend(), loop_lag_interval_ms=5.0)
    async with serve(create_api_app(service)) as url, httpx.AsyncClient(base_url=url) as http:
        before = await _scrape(http)
        time.sleep(0.08)  # noqa: ASYNC251 (the point: hold the server's loop for 80 ms)
        gc.collect()
        after = await _scrape(http)
    assert before[("workbench_loop_lag_samples", ())] > 0
    assert after[("workbench_loop_lag_ms", (("stat", "max"),))] >= 50.0
    key = ("workbench_gc_collections_total", (("generation", "2"),))
    assert after[key] >= before.get(key, 0.0) + 1


async def test_two_apps_on_one_service_export_the_runtime_once() -> None:
    service = make_service(InProcessBackend())
    create_api_app(service)
    app = create_api_app(service)  # the second app's runtime replaces the first's
    async with serve(app) as url, httpx.AsyncClient(base_url=url) as http:
        samples = await _scrape(http)
    assert ("workbench_loop_lag_samples", ()) in samples


async def test_shutdown_closes_the_shared_sdk_clients() -> None:
    await sdk_clients.aclose_shared_clients()
    backend = OpenAISdkBackend(
        SdkSettings(target="mock-server", model="m", endpoint="ws://127.0.0.1:9")
    )
    backend.prepare()
    assert sdk_clients.client_count() == 1
    async with serve(create_api_app(make_service(InProcessBackend()))):
        pass
    assert sdk_clients.client_count() == 0
