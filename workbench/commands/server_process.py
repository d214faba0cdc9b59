"""A server process of ``workbench api`` / ``workbench serve``, or N of them (``--workers``).

Start-up of one process, each step before the next:

1. the session service from the flags and the environment (bad settings: one message);
2. the app (the API alone, or API + duplex page + Gradio);
3. :func:`warm_up`: the backend's SDK client and TLS context are built, so no session
   builds them on the event loop;
4. the listening socket (``SO_REUSEPORT`` in a worker, see
   :mod:`workbench.runtime.sockets`);
5. :func:`apply_gc_policy`: a full collection, then ``gc.freeze()`` and the server's
   thresholds (:mod:`workbench.runtime.gc_tuning`) — once, after everything above, so
   the objects of start-up are frozen and later passes never walk them again;
6. uvicorn serves; the app's lifespan runs the event-loop lag monitor and the GC pause
   recorder (and, in a worker, the heartbeat and the metrics publisher).

With ``--workers N`` (N > 1) the command's process becomes a
:class:`~workbench.runtime.supervisor.Supervisor` that runs N such processes on one
port. Every limit of ``ServerSettings`` applies per process: N workers accept
N × ``max_sessions`` sessions.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import socket
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.runtime.gc_tuning import GcApplied, GcPolicy, apply_server_gc_policy

if TYPE_CHECKING:
    from fastapi import FastAPI

    from workbench.service import SessionService

#: Builds a command's app on a service (a module-level function: workers get it by name).
AppBuilder = Callable[["SessionService", argparse.Namespace], "FastAPI"]
#: Bound on uvicorn's start-up (s).
START_TIMEOUT_S = 30.0


def print_service(service: SessionService) -> None:
    """The lines every server command prints before serving: the backend (never a key)
    and the memory budget its settings allow."""
    from workbench.service.budget import describe_budget

    print(f"backend: {service.resolver.describe(service.defaults)}", flush=True)
    print(describe_budget(service.server), flush=True)


def listen_or_explain(command: str, host: str, port: int) -> socket.socket | None:
    """A listening socket on ``host:port`` (port 0: any free port), or None after one
    line on stderr naming why not (a taken port is not a traceback)."""
    from workbench.runtime.sockets import listening_socket

    try:
        return listening_socket(host, port)
    except OSError as exc:
        print(
            f"workbench {command}: cannot listen on {host}:{port}: {exc.strerror}", file=sys.stderr
        )
        return None


def warm_up(service: SessionService) -> None:
    """Build, before serving, what the first session would otherwise build on the loop.

    The default backend's shared SDK client (importing the SDK) and its TLS context.
    """
    from workbench.backends.openai_sdk import OpenAISdkBackend

    backend = service.resolver.backend_for(service.defaults)
    if isinstance(backend, OpenAISdkBackend):
        backend.prepare()


def apply_gc_policy() -> GcApplied | None:
    """The GC policy ``WORKBENCH_GC_POLICY`` selects (default ``server``), applied now."""
    policy = GcPolicy.from_env()
    return apply_server_gc_policy(policy) if policy is not None else None


async def serve_on(
    app: FastAPI,
    sock: socket.socket,
    service: SessionService,
    on_started: Callable[[], Any] | None = None,
) -> int:
    """Serve ``app`` with uvicorn on the listening ``sock`` until a stop signal.

    ``on_started`` runs once uvicorn accepts connections (it may be a coroutine
    function). Returns the exit status (1: uvicorn did not start).
    """
    import uvicorn

    from workbench.app.server.timeouts import ServerTimeouts, guarded_http_protocol

    host, port = sock.getsockname()[:2]
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        ws_max_size=service.server.ws_max_queued_bytes,
        ws_per_message_deflate=False,  # audio does not compress; deflate only costs CPU
        # Slow or stalled request heads and bodies get 408; oversized heads 414/431.
        http=guarded_http_protocol(ServerTimeouts.from_settings(service.server)),
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]), name="uvicorn")
    try:
        async with asyncio.timeout(START_TIMEOUT_S):
            while not server.started and not task.done():  # noqa: ASYNC110 (uvicorn has no event)
                await asyncio.sleep(0.05)
    except TimeoutError:
        print(f"workbench: the server did not start within {START_TIMEOUT_S:g} s", file=sys.stderr)
        server.should_exit = True
        await task
        return 1
    if task.done():
        await task
        return 1
    if on_started is not None:
        result = on_started()
        if asyncio.iscoroutine(result):
            await result
    await task
    return 0


def serve_single(
    app: FastAPI,
    service: SessionService,
    sock: socket.socket,
    on_started: Callable[[], Any] | None = None,
) -> int:
    """One process: warm up, apply the GC policy, serve ``app`` on ``sock``."""
    warm_up(service)
    apply_gc_policy()
    with asyncio.Runner(loop_factory=event_loop_factory()) as runner:
        return runner.run(serve_on(app, sock, service, on_started))


def event_loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's loop when it is installed (uvicorn[standard] brings it; what
    ``uvicorn.run`` picks too), else asyncio's: its socket I/O is cheaper per message."""
    try:
        import uvloop
    except ImportError:
        return None
    factory: Callable[[], asyncio.AbstractEventLoop] = uvloop.new_event_loop
    return factory


def run_workers(
    builder: AppBuilder,
    args: argparse.Namespace,
    service: SessionService,
    *,
    steer_by_address: bool = False,
    announce: Callable[[int], None] | None = None,
) -> int:
    """Run ``service.server.workers`` processes of ``builder``'s app on one port.

    Parameters
    ----------
    builder : AppBuilder
        Builds the app in each worker (a module-level function).
    args : argparse.Namespace
        The command's arguments; each worker rebuilds its service from them.
    service : SessionService
        Built here only to validate the settings before any worker starts.
    steer_by_address : bool
        Every connection of one client address to the same worker (the Gradio UI).
    announce : Callable[[int], None] | None
        Called with the port once every worker serves.

    Returns
    -------
    int
        The exit status.
    """
    from workbench.runtime.sockets import reserve_port
    from workbench.runtime.supervisor import Supervisor

    host = str(args.host)
    try:
        reservation = reserve_port(host, int(args.port))
    except OSError as exc:
        print(f"workbench: cannot listen on {host}:{args.port}: {exc.strerror}", file=sys.stderr)
        return 1
    with reservation:
        port = int(reservation.getsockname()[1])
        payload = {k: v for k, v in vars(args).items() if k != "func"}
        supervisor = Supervisor(
            worker_main,
            (builder, payload, host, port, steer_by_address),
            workers=service.server.workers,
            # uvicorn stops, then the lifespan closes the sessions (bounded).
            stop_timeout_s=service.server.close_timeout_s * 2 + 15.0,
        )
        return supervisor.run(on_ready=partial(announce, port) if announce else None)


def worker_main(
    index: int,
    run_dir: str,
    builder: AppBuilder,
    payload: dict[str, Any],
    host: str,
    port: int,
    steer_by_address: bool,
) -> None:
    """One worker process (the target the supervisor starts in a fresh interpreter)."""
    from workbench.commands.service_options import build_service
    from workbench.runtime.sockets import listening_socket, steer_by_client_address
    from workbench.runtime.supervisor import detach_from_terminal, parent_watch
    from workbench.runtime.workers import WorkerBoard, WorkerContext

    detach_from_terminal()
    args = argparse.Namespace(**payload)
    logging.basicConfig(
        level=logging.INFO if getattr(args, "verbose", False) else logging.WARNING,
        format=f"%(asctime)s %(levelname)s [worker {index}] %(name)s: %(message)s",
    )
    service = build_service(args)
    service.worker = WorkerContext(WorkerBoard(Path(run_dir)), index)
    app = builder(service, args)
    sock = listening_socket(host, port, reuse_port=True)
    if steer_by_address:
        steer_by_client_address(sock, service.server.workers)

    def orphaned() -> None:
        os.kill(os.getpid(), signal.SIGTERM)  # uvicorn's graceful stop

    app.state.workbench_runtime.task_factories.append(partial(parent_watch, os.getppid(), orphaned))
    sys.exit(serve_single(app, service, sock))
