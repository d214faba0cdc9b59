"""The nginx site rendered for N API processes: what it must say, what nginx itself
accepts (``nginx -t``, when nginx is installed), and what it refuses to render."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from workbench.bench import nginx
from workbench.bench.nginx import NginxSite, render_site, render_standalone, upstreams_on
from workbench.errors import ConfigError
from workbench.settings import ServerSettings

needs_nginx = pytest.mark.skipif(nginx.nginx_binary() is None, reason="nginx not installed")


def _directives(text: str, name: str) -> list[str]:
    """Arguments of every ``name …;`` directive (comments stripped)."""
    lines = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    return [line[len(name) :].strip(" ;") for line in lines if line.startswith(f"{name} ")]


def _block(text: str, header: str) -> str:
    start = text.index(header)
    return text[start : text.index("}", start)]


def test_one_upstream_server_per_api_port_in_order() -> None:
    site = render_site(NginxSite(upstreams=upstreams_on([8003, 8001, 8002])))
    upstream = _block(site, "upstream workbench_api {")
    servers = [s.split()[0] for s in _directives(upstream, "server")]
    assert servers == ["127.0.0.1:8003", "127.0.0.1:8001", "127.0.0.1:8002"]
    # Per-connection stickiness: the key includes the client's port (not ip_hash).
    assert _directives(upstream, "hash") == ["$workbench_affinity consistent"]
    assert '"$remote_addr:$remote_port"' in _block(site, "map $http_x_workbench_affinity")
    assert not _directives(upstream, "ip_hash")


def test_websocket_upgrade_streaming_and_timeouts() -> None:
    text = render_site(NginxSite(upstreams=upstreams_on([8001]), ws_timeout_s=900))
    assert _directives(text, "proxy_set_header")[-2:] == [
        "Upgrade $http_upgrade",
        "Connection $workbench_connection",
    ]
    assert _directives(text, "proxy_http_version") == ["1.1"]
    assert _directives(text, "proxy_buffering") == ["off"]
    assert _directives(text, "proxy_request_buffering") == ["off"]
    ws = _block(text, "location /ws/ {")
    assert _directives(ws, "proxy_read_timeout") == ["900s"]


def test_limits_follow_the_api_settings() -> None:
    api = ServerSettings(max_upload_bytes=7_000_000, max_input_audio_s=600.0)
    text = render_site(NginxSite(upstreams=upstreams_on([8001]), api=api))
    assert _directives(text, "client_max_body_size") == ["7000000"]
    http = _block(text, "location / {")
    # 600 s of streamed upload + connect (10 s) + first audio (15 s), rounded up to 10 s
    assert _directives(http, "proxy_read_timeout") == ["630s"]
    assert '"code": "too_large"' in text and "over 7 MB" in text


@pytest.mark.parametrize(
    "upstream",
    ["127.0.0.1:0", "127.0.0.1:70000", "127.0.0.1", "evil;host:80", "a b:80", "h:8001;x", ""],
)
def test_bad_upstreams_are_refused(upstream: str) -> None:
    with pytest.raises(ConfigError):
        NginxSite(upstreams=(upstream,))


@pytest.mark.parametrize(
    "changes",
    [
        {"upstreams": ()},
        {"listen": "0.0.0.0:80; include /etc/passwd"},
        {"server_name": "x; return 200"},
        {"ws_timeout_s": 0},
        {"upstream_keepalive": True},
    ],
)
def test_bad_site_settings_are_refused(changes: dict[str, object]) -> None:
    settings: dict[str, object] = {"upstreams": upstreams_on([8001]), **changes}
    with pytest.raises(ConfigError):
        NginxSite(**settings)  # type: ignore[arg-type]


def test_standalone_config_writes_only_under_its_prefix(tmp_path: Path) -> None:
    text = render_standalone(tmp_path, tmp_path / "site.conf", worker_processes=2)
    paths = re.findall(r"(/\S+?);", text)
    assert paths and all(p.startswith(str(tmp_path)) for p in paths)
    assert _directives(text, "worker_processes") == ["2"]
    assert _directives(text, "daemon") == ["off"]


@needs_nginx
@pytest.mark.parametrize("n_upstreams", [1, 4])
def test_nginx_accepts_the_rendered_config(tmp_path: Path, n_upstreams: int) -> None:
    site = tmp_path / "site.conf"
    ports = range(18_001, 18_001 + n_upstreams)
    site.write_text(render_site(NginxSite(upstreams=upstreams_on(ports))))
    conf = tmp_path / "nginx.conf"
    conf.write_text(render_standalone(tmp_path, site))
    for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / "temp" / sub).mkdir(parents=True)
    binary = nginx.nginx_binary()
    assert binary is not None
    cmd = [binary, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "e.log")]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr


def test_render_command_prints_a_site_for_the_given_ports(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert nginx.main(["render", "--upstream-port", "9001", "--upstream-port", "9002"]) == 0
    out = capsys.readouterr().out
    upstream = _block(out, "upstream workbench_api {")
    assert [s.split()[0] for s in _directives(upstream, "server")] == [
        "127.0.0.1:9001",
        "127.0.0.1:9002",
    ]
    assert _directives(out, "listen") == ["0.0.0.0:80"]
