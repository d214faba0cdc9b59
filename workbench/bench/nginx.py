"""nginx in front of N API processes: render the config from ``deploy/nginx/``, run it.

- :func:`render_site`: the ``http { }``-context site (upstream of N processes, WebSocket
  upgrade, per-connection stickiness, no proxy buffering, timeouts) from
  ``deploy/nginx/workbench.conf.j2``; limits and timeouts derive from
  :class:`~workbench.settings.ServerSettings`, so nginx and the API agree.
- :func:`render_standalone`: a whole ``nginx.conf`` around it whose every file lives in
  one prefix directory, so the benchmarks and tests run nginx as the current user.
- :func:`nginx_process`: start that nginx on loopback (config checked with ``nginx -t``
  first), wait until it listens, stop it on exit.

``python -m workbench.bench.nginx render --upstream-port 8001 --upstream-port 8002``
prints a site for a real machine (docs/deploy.md). The templates are read from this
checkout's ``deploy/nginx/`` (they are not part of the installed package).
"""

from __future__ import annotations

import argparse
import contextlib
import grp
import json
import math
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from workbench.app.api.errors import error_body
from workbench.bench.procs import ChildSpec, started
from workbench.errors import ConfigError
from workbench.settings import ServerSettings, from_env

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "deploy" / "nginx"
SITE_TEMPLATE = "workbench.conf.j2"
STANDALONE_TEMPLATE = "nginx.conf.j2"
#: Binary looked up on PATH first, then Debian's location (``/usr/sbin`` is not always
#: on a non-root user's PATH).
NGINX_CANDIDATES = ("nginx", "/usr/sbin/nginx")

_HOST = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\[[0-9A-Fa-f:.]{2,45}\])$")
_SERVER_NAME = re.compile(r"^[A-Za-z0-9_.*-]{1,253}(?: [A-Za-z0-9_.*-]{1,253})*$")


def host_port(address: str) -> tuple[str, int]:
    """Split and check ``"host:port"`` (``"[::1]:8001"`` for IPv6).

    Raises
    ------
    ConfigError
        For anything that is not a plain host name / address and a port 1–65535
        (the value is written into nginx's config, so nothing else may pass).
    """
    host, sep, port_text = address.rpartition(":")
    if not sep or not _HOST.match(host) or not port_text.isdigit():
        raise ConfigError(f"expected host:port (e.g. 127.0.0.1:8001), got {address!r}")
    port = int(port_text)
    if not 1 <= port <= 65_535:
        raise ConfigError(f"port must be 1–65535, got {port} in {address!r}")
    return host, port


def upstreams_on(ports: Sequence[int], host: str = "127.0.0.1") -> tuple[str, ...]:
    """``("127.0.0.1:8001", …)``: one upstream per API port."""
    return tuple(f"{host}:{port}" for port in ports)


@dataclass(frozen=True)
class NginxSite:
    """What the site template needs (times in whole seconds).

    Parameters
    ----------
    upstreams : tuple[str, ...]
        ``host:port`` of each API process (at least one).
    listen : str
        ``host:port`` nginx listens on.
    server_name : str
        nginx ``server_name`` (``_``: any).
    ws_timeout_s : int
        WebSocket read/send timeout between two reads/writes (s).
    connect_timeout_s : int
        Bound on connecting to an API process (s).
    fail_timeout_s : int
        How long a process that failed a connect is skipped (s).
    upstream_keepalive : int
        Idle keep-alive connections kept to the API processes (per nginx worker).
    api : ServerSettings
        The API's limits: body size and the HTTP read timeout follow from them.
    """

    upstreams: tuple[str, ...]
    listen: str = "127.0.0.1:8080"
    server_name: str = "_"
    ws_timeout_s: int = 3600
    connect_timeout_s: int = 5
    fail_timeout_s: int = 10
    upstream_keepalive: int = 32
    api: ServerSettings = field(default_factory=ServerSettings)

    def __post_init__(self) -> None:
        if not self.upstreams:
            raise ConfigError("nginx needs at least one upstream API process")
        for address in (*self.upstreams, self.listen):
            host_port(address)
        if not _SERVER_NAME.match(self.server_name):
            raise ConfigError(f"server_name must be plain host names, got {self.server_name!r}")
        for name in ("ws_timeout_s", "connect_timeout_s", "fail_timeout_s", "upstream_keepalive"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ConfigError(f"{name} must be a positive integer, got {value!r}")

    @property
    def http_read_timeout_s(self) -> int:
        """Longest silence before an HTTP reply starts (s, rounded up to 10 s).

        A streamed upload may last ``max_duration_s``; then the API connects upstream
        (``connect_timeout_s``) and waits for the first audio (``response_timeout_s``).
        """
        api = self.api
        total_s = api.max_input_audio_s + api.connect_timeout_s + api.response_timeout_s
        return int(math.ceil(total_s / 10.0) * 10)


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        undefined=jinja2.StrictUndefined,  # a missing value is an error, not ""
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # nginx config, not HTML
    )


def _nginx_json(code: str, message: str) -> str:
    """An API-shaped error body, safe inside an nginx single-quoted string."""
    text = json.dumps(error_body(code, message))
    if "'" in text or "$" in text or "\\" in text:  # would end the string / be a variable
        raise ConfigError(f"error message not usable in nginx config: {message!r}")
    return text


def render_site(site: NginxSite) -> str:
    """The site config for ``site`` (nginx ``http { }`` context)."""
    max_mb = site.api.max_upload_bytes / 1_000_000
    return (
        _environment()
        .get_template(SITE_TEMPLATE)
        .render(
            upstreams=site.upstreams,
            listen=site.listen,
            server_name=site.server_name,
            fail_timeout_s=site.fail_timeout_s,
            upstream_keepalive=site.upstream_keepalive,
            client_max_body_bytes=site.api.max_upload_bytes,
            connect_timeout_s=site.connect_timeout_s,
            ws_timeout_s=site.ws_timeout_s,
            http_read_timeout_s=site.http_read_timeout_s,
            too_large_json=_nginx_json("too_large", f"the request body is over {max_mb:g} MB"),
            unavailable_json=_nginx_json(
                "backend_unavailable", "no API process answered; retry in a few seconds"
            ),
        )
    )


def render_standalone(
    prefix: Path,
    site_path: Path,
    *,
    worker_processes: int = 1,
    worker_connections: int = 4096,
    access_log: bool = False,
) -> str:
    """A whole ``nginx.conf`` writing only under ``prefix`` and including ``site_path``.

    When this process runs as root, the workers run as the same user (nginx's default
    would be ``nobody``, who cannot write into ``prefix``).
    """
    user = None
    if os.geteuid() == 0:
        user = f"{pwd.getpwuid(os.geteuid()).pw_name} {grp.getgrgid(os.getegid()).gr_name}"
    return (
        _environment()
        .get_template(STANDALONE_TEMPLATE)
        .render(
            prefix=str(prefix),
            site_path=str(site_path),
            user=user,
            worker_processes=worker_processes,
            worker_connections=worker_connections,
            access_log=access_log,
        )
    )


def nginx_binary() -> str | None:
    """The nginx executable, or None when it is not installed."""
    for candidate in NGINX_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


@dataclass(frozen=True)
class RunningNginx:
    """An nginx started by :func:`nginx_process`: its ``http://`` URL, pid and prefix."""

    url: str
    pid: int
    prefix: Path


def _listening(host: str, port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
        return True
    return False


@contextlib.contextmanager
def nginx_process(
    site: NginxSite, *, worker_processes: int = 1, worker_connections: int = 4096
) -> Iterator[RunningNginx]:
    """Run nginx for ``site`` as the current user, in a temporary prefix; stop it on exit.

    Raises
    ------
    ConfigError
        nginx is not installed, or ``nginx -t`` rejects the rendered config (its
        message included).
    """
    binary = nginx_binary()
    if binary is None:
        raise ConfigError("nginx is not installed (Debian: apt-get install nginx)")
    with tempfile.TemporaryDirectory(prefix="workbench-nginx-") as tmp:
        prefix = Path(tmp)
        for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (prefix / "temp" / sub).mkdir(parents=True)
        site_path = prefix / "workbench.conf"
        site_path.write_text(render_site(site), encoding="utf-8")
        conf = prefix / "nginx.conf"
        conf.write_text(
            render_standalone(
                prefix,
                site_path,
                worker_processes=worker_processes,
                worker_connections=worker_connections,
            ),
            encoding="utf-8",
        )
        cmd = [binary, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")]
        check = subprocess.run([*cmd, "-t", "-q"], capture_output=True, text=True, timeout=30)
        if check.returncode != 0:
            raise ConfigError(f"nginx rejected the config: {check.stderr.strip()[-2000:]}")
        host, port = host_port(site.listen)
        with started(ChildSpec(cmd, lambda: _listening(host, port), "nginx")) as proc:
            yield RunningNginx(url=f"http://{site.listen}", pid=proc.pid, prefix=prefix)


def main(argv: Sequence[str] | None = None) -> int:
    """``render``: print the site config for the given API ports (see docs/deploy.md)."""
    parser = argparse.ArgumentParser(prog="python -m workbench.bench.nginx")
    sub = parser.add_subparsers(dest="command", required=True)
    render = sub.add_parser("render", help="print the nginx site for N API processes")
    render.add_argument("--upstream-port", type=int, action="append", required=True)
    render.add_argument("--upstream-host", default="127.0.0.1")
    render.add_argument("--listen", default="80", help="host:port or port (default 80)")
    render.add_argument("--server-name", default="_")
    args = parser.parse_args(argv)
    listen = args.listen if ":" in args.listen else f"0.0.0.0:{args.listen}"
    site = NginxSite(
        upstreams=upstreams_on(args.upstream_port, args.upstream_host),
        listen=listen,
        server_name=args.server_name,
        api=from_env(ServerSettings, os.environ),  # the deployment's WORKBENCH_* limits
    )
    print(render_site(site), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
