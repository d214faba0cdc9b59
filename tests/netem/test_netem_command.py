"""``workbench netem`` and ``workbench mock --net`` from the command line."""

from __future__ import annotations

import asyncio
import json
import sys

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from tests.support.servers import serve as serve_app
from workbench.cli import main

PROXY_START_S = 30.0


def test_describe_prints_every_profile_each_way(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["netem", "--describe", "--chunk-ms", "20"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {(r["profile"], r["direction"]) for r in rows} >= {("4g", "uplink"), ("4g", "downlink")}
    by = {(r["profile"], r["direction"]): r for r in rows}
    assert by[("none", "uplink")]["latency_ms"]["p99"] == 0.0
    assert by[("4g", "uplink")]["latency_ms"]["p50"] > by[("wifi", "uplink")]["latency_ms"]["p50"]
    assert by[("3g-lossy", "uplink")]["retransmitted_pct"] > 0


def test_proxy_needs_listen_upstream_and_profile(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["netem", "--listen", "0"]) == 2
    assert "--upstream" in capsys.readouterr().err


def test_mock_refuses_an_unknown_profile(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["mock", "--net", "5g"]) == 2
    assert "unknown network profile" in capsys.readouterr().err


async def test_proxy_process_forwards_to_the_upstream() -> None:
    async def hello(request: Request) -> PlainTextResponse:
        return PlainTextResponse(f"hello {request.url.query}")

    upstream_app = Starlette(routes=[Route("/hello", hello)])
    async with serve_app(upstream_app) as upstream:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "workbench.cli",
            "netem",
            "--listen",
            "0",
            "--upstream",
            upstream,
            "--profile",
            "lan",
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            assert proc.stdout is not None
            async with asyncio.timeout(PROXY_START_S):
                line = (await proc.stdout.readline()).decode()
            assert "netem proxy listening on" in line and "profile lan" in line
            url = line.split()[4]
            async with httpx.AsyncClient(timeout=20) as client:
                r = await client.get(url + "/hello?x=1")
            assert (r.status_code, r.text) == (200, "hello x=1")
        finally:
            proc.terminate()
            async with asyncio.timeout(20):
                await proc.wait()
