"""``--share``: a public Gradio link to the local server, refused without a login.

The policy (:func:`share_policy`) is pure: sharing exposes the workbench — and the
model account behind it — to anyone with the link, so it needs ``--auth`` (or
``WORKBENCH_AUTH``) unless the user explicitly passes ``--share-without-auth``.

:func:`open_share_link` asks Gradio's tunnel service for a link (``gradio.networking``
does an HTTPS request, may download the ``frpc`` client, then waits for it). That can
take minutes to fail without internet, so it runs in a worker thread bounded by
``timeout_s``; a link that comes up after we stopped waiting is torn down again, so no
tunnel is ever open without being reported.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from workbench.errors import ConfigError

log = logging.getLogger(__name__)

#: Default bound on creating the share link (s).
SHARE_TIMEOUT_S = 20.0


@dataclass(frozen=True)
class ShareResult:
    """Outcome of a share attempt: ``url`` is None when no link was made."""

    url: str | None
    message: str


def share_policy(*, share: bool, has_auth: bool, share_without_auth: bool) -> str | None:
    """Whether the requested sharing is allowed.

    Returns
    -------
    str | None
        None when allowed; otherwise the refusal message.

    Raises
    ------
    ConfigError
        ``--share-without-auth`` given without ``--share`` (a likely typo).
    """
    if share_without_auth and not share:
        raise ConfigError("--share-without-auth only makes sense with --share")
    if share and not has_auth and not share_without_auth:
        return (
            "refusing to share without a login: a public link would let anyone use the "
            "workbench (and the model account behind it). Pass --auth user:password "
            "(or set WORKBENCH_AUTH), or --share-without-auth if you really mean it."
        )
    return None


TunnelFn = Callable[[str, int, str], str]


def _gradio_tunnel(host: str, port: int, token: str) -> str:
    from gradio import networking

    return str(networking.setup_tunnel(host, port, token, None, None))


def _kill_tunnels(port: int) -> None:
    from gradio import tunneling

    tunnels: list[Any] = list(tunneling.CURRENT_TUNNELS)
    for tunnel in tunnels:
        if tunnel.local_port == port:
            tunnel.kill()


def open_share_link(
    host: str,
    port: int,
    *,
    timeout_s: float = SHARE_TIMEOUT_S,
    tunnel: TunnelFn = _gradio_tunnel,
    kill: Callable[[int], None] = _kill_tunnels,
) -> ShareResult:
    """Try to make a public share link to ``host:port`` within ``timeout_s``.

    Parameters
    ----------
    host, port : str, int
        The local server the link forwards to.
    timeout_s : float
        Longest wait (s); after it, the attempt is abandoned (and torn down if it
        succeeds later).
    tunnel, kill : callables
        The tunnel opener and closer (default: Gradio's); injected by tests.

    Returns
    -------
    ShareResult
        The URL, or None and a one-line reason; never raises.
    """
    token = secrets.token_urlsafe(32)
    done = threading.Event()
    abandoned = threading.Event()
    outcome: dict[str, str] = {}

    def worker() -> None:
        try:
            outcome["url"] = tunnel(host, port, token)
        except BaseException as exc:  # any failure is reported, never raised
            cause = f" ({exc.__cause__})" if exc.__cause__ is not None else ""
            outcome["error"] = f"{exc}{cause}".splitlines()[0][:300]
        finally:
            done.set()
            if abandoned.is_set() and "url" in outcome:
                kill(port)  # too late: we already told the user there is no link

    thread = threading.Thread(target=worker, name="workbench-share", daemon=True)
    thread.start()
    if not done.wait(timeout_s):
        abandoned.set()
        if done.is_set() and "url" in outcome:  # finished in the gap: tear it down
            kill(port)
        return ShareResult(
            None,
            f"could not create a share link within {timeout_s:g} s (no internet access?); "
            "serving locally only",
        )
    if "url" in outcome:
        return ShareResult(outcome["url"], f"public URL: {outcome['url']}")
    return ShareResult(
        None,
        f"could not create a share link ({outcome.get('error', 'unknown error')}); "
        "serving locally only",
    )
