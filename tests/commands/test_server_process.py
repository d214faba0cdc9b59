"""``workbench api --workers N``: real processes on 127.0.0.1, every wait bounded.

One port, N worker processes: sessions spread over them, ``/healthz`` and ``/metrics``
answer for all of them whichever worker a request reaches, a worker that dies is seen
and replaced, and stopping the command stops every worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil
from prometheus_client.parser import text_string_to_metric_families
from websockets.asyncio.client import ClientConnection, connect

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 90.0  # N interpreters importing the app on shared cores
WAIT_S = 20.0


@dataclass
class Server:
    """A running ``workbench api --workers N`` and what it printed."""

    proc: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def health(self) -> dict[str, Any]:
        answer: dict[str, Any] = httpx.get(f"{self.url}/healthz", timeout=5.0).json()
        return answer

    def metrics(self) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
        text = httpx.get(f"{self.url}/metrics", timeout=5.0).text
        return {
            (s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text)
            for s in family.samples
        }


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "AZURE"))}
    env.pop("WORKBENCH_BACKEND", None)
    env["PYTHONUNBUFFERED"] = "1"
    return env


@contextlib.contextmanager
def api_workers(workers: int, *extra: str) -> Iterator[Server]:
    """Start ``workbench api --workers`` on a free port; stop it (and check it stopped)."""
    cmd = [sys.executable, "-m", "workbench.cli", "api", "--port", "0"]
    cmd += ["--workers", str(workers), *extra]
    proc = subprocess.Popen(
        cmd, cwd=REPO, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    server = Server(proc)
    assert proc.stdout is not None
    threading.Thread(
        target=lambda: server.lines.extend(iter(proc.stdout.readline, "")),  # type: ignore[union-attr]
        daemon=True,
    ).start()
    try:
        _until(
            lambda: any(line.startswith("API on") for line in server.lines), START_TIMEOUT_S, server
        )
        announced = next(line for line in server.lines if line.startswith("API on"))
        server.port = int(announced.split("127.0.0.1:")[1].split()[0])
        yield server
    finally:
        _stop(proc)


def _until(check: Callable[[], bool], timeout_s: float, server: Server | None = None) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        if server is not None:
            assert server.proc.poll() is None, "".join(server.lines)
        assert time.monotonic() < deadline, "".join(server.lines) if server else "timed out"
        time.sleep(0.1)


def _stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            for child in psutil.Process(proc.pid).children(recursive=True):
                child.kill()
            proc.kill()
            proc.wait(timeout=5)


def _worker_pids(server: Server) -> list[int]:
    return [w["pid"] for w in server.health()["workers"]["list"]]


async def _open_sessions(url: str, n: int) -> list[ClientConnection]:
    """``n`` WebSocket sessions, each on its own connection, each past its ``session``."""
    ws_url = url.replace("http://", "ws://") + "/ws/realtime?turn_detection=none"

    async def one() -> ClientConnection:
        ws = await connect(ws_url, open_timeout=WAIT_S)
        async with asyncio.timeout(WAIT_S):
            while '"type":"session"' not in str(await ws.recv()).replace(" ", ""):
                pass
        return ws

    return list(await asyncio.gather(*(one() for _ in range(n))))


def test_sessions_spread_over_the_workers_and_health_and_metrics_count_them_all() -> None:
    with api_workers(2) as server:
        health = server.health()
        assert health["status"] == "ok" and health["workers"]["live"] == 2
        assert health["max_sessions_total"] == 2 * health["max_sessions"]
        pids = _worker_pids(server)
        assert len(set(pids)) == 2
        assert set(pids) <= {p.pid for p in psutil.Process(server.proc.pid).children()}

        async def scenario() -> None:
            sockets = await _open_sessions(server.url, 16)
            try:
                # Heartbeats are 1 s apart: wait until every session is counted.
                deadline = time.monotonic() + WAIT_S
                while (h := server.health())["active_sessions"] != 16:
                    assert time.monotonic() < deadline, h
                    await asyncio.sleep(0.2)
                per_worker = [w["active_sessions"] for w in h["workers"]["list"]]
                assert sum(per_worker) == 16 and min(per_worker) > 0  # both took some
                metrics = server.metrics()
                key = ("workbench_active_sessions", (("kind", "websocket"),))
                assert metrics[key] == 16
                assert metrics[("workbench_sessions_total", (("kind", "websocket"),))] == 16
                assert ("workbench_loop_lag_ms", (("stat", "max"),)) in metrics
            finally:
                await asyncio.gather(*(ws.close() for ws in sockets))

        asyncio.run(scenario())


def test_a_worker_that_dies_is_reported_then_replaced_and_its_counts_kept() -> None:
    with api_workers(2) as server:

        async def scenario() -> None:
            sockets = await _open_sessions(server.url, 12)
            try:
                # The per-worker counts from the same answer as the total: another answer
                # may come from the other worker, whose view of this one is a heartbeat
                # up to 1 s old (its new sessions not counted yet).
                counted: list[dict[str, Any]] = []

                def all_counted() -> bool:
                    health = server.health()
                    counted[:] = health["workers"]["list"]
                    return bool(health["active_sessions"] == 12)

                _until(all_counted, WAIT_S, server)
                listed = counted
                victim = max(listed, key=lambda w: w["active_sessions"])
                survivor = next(w for w in listed if w is not victim)
                os.kill(victim["pid"], signal.SIGKILL)
                # Seen within a heartbeat's staleness; replaced after the back-off.
                _until(lambda: server.health()["status"] == "degraded", WAIT_S, server)
                _until(lambda: server.health()["workers"]["live"] == 2, START_TIMEOUT_S, server)
                health = server.health()
                slot = health["workers"]["list"][victim["index"]]
                assert slot["pid"] != victim["pid"] and slot["restarts"] == 1
                assert slot["last_exit"] == -9
                assert health["active_sessions"] == survivor["active_sessions"]
                assert "exited with status -9" in "".join(server.lines)
                # The dead worker's sessions still count in the totals, no longer as live.
                metrics = server.metrics()
                assert metrics[("workbench_sessions_total", (("kind", "websocket"),))] == 12
                live = metrics[("workbench_active_sessions", (("kind", "websocket"),))]
                assert live == survivor["active_sessions"]
            finally:
                await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)

        asyncio.run(scenario())


def test_stopping_the_command_stops_every_worker_and_cleans_up() -> None:
    with api_workers(2) as server:
        workers = [psutil.Process(pid) for pid in _worker_pids(server)]
        run_dir = Path(workers[0].environ()["PROMETHEUS_MULTIPROC_DIR"]).parent
        assert (run_dir / "supervisor.json").is_file()
        server.proc.send_signal(signal.SIGTERM)
        assert server.proc.wait(timeout=40) == 0
        _, alive = psutil.wait_procs(workers, timeout=5)
        assert not alive
        assert not run_dir.exists()


def test_a_port_in_use_is_refused_even_by_another_server_with_workers() -> None:
    with api_workers(2) as server:
        second = subprocess.run(
            [
                sys.executable,
                "-m",
                "workbench.cli",
                "api",
                "--port",
                str(server.port),
                "--workers",
                "2",
            ],
            cwd=REPO,
            env=_env(),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 1
        assert f"cannot listen on 127.0.0.1:{server.port}" in second.stderr
        assert server.health()["workers"]["live"] == 2  # the first one is untouched


def test_workers_1_is_one_process_without_a_supervisor() -> None:
    with api_workers(1) as server:
        health = server.health()
        assert "workers" not in health and health["status"] == "ok"
        assert psutil.Process(server.proc.pid).children() == []


def test_serve_workers_keep_every_connection_of_a_client_address_on_one_worker() -> None:
    """The Gradio UI keeps a browser's state in one process: ``serve --workers`` steers
    by client address (here 127.0.0.2–5), each request on a new connection."""
    cmd = [sys.executable, "-m", "workbench.cli", "serve", "--port", "0", "--workers", "2"]
    proc = subprocess.Popen(
        cmd, cwd=REPO, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    server = Server(proc)
    assert proc.stdout is not None
    threading.Thread(
        target=lambda: server.lines.extend(iter(proc.stdout.readline, "")),  # type: ignore[union-attr]
        daemon=True,
    ).start()
    try:
        _until(
            lambda: any(line.startswith("workbench: http") for line in server.lines),
            START_TIMEOUT_S,
            server,
        )
        announced = next(line for line in server.lines if line.startswith("workbench: http"))
        server.port = int(announced.split("127.0.0.1:")[1].split("/")[0])
        seen: dict[str, set[int]] = {}
        for source in ("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"):
            for _ in range(5):
                transport = httpx.HTTPTransport(local_address=source)
                with httpx.Client(transport=transport, timeout=10.0) as http:
                    body = http.get(f"{server.url}/healthz").json()
                seen.setdefault(source, set()).add(body["workers"]["this_worker"])
        assert all(len(workers) == 1 for workers in seen.values()), seen
        assert set().union(*seen.values()) == {0, 1}  # both workers serve someone
        assert "one per client address" in announced
    finally:
        _stop(proc)
