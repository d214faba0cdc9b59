"""The Dockerfile and the Kubernetes manifests, checked statically against the app
(there is no container engine or cluster here): the commands they run parse with the
real CLI, and ports, probe paths, limits, timeouts and the user agree with the app's
settings and the nginx config."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from workbench.app.api.app import create_api_app
from workbench.bench.nginx import NginxSite
from workbench.cli import build_parser
from workbench.settings import ServerSettings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
K8S = DEPLOY / "k8s"


def _docs(name: str) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all((K8S / name).read_text()) if d]


def _one(kind: str) -> dict[str, Any]:
    found = [d for f in sorted(K8S.glob("*.yaml")) for d in _docs(f.name) if d["kind"] == kind]
    assert len(found) == 1, kind
    return found[0]


def _container() -> dict[str, Any]:
    (container,) = _one("Deployment")["spec"]["template"]["spec"]["containers"]
    return container


def _dockerfile() -> dict[str, list[str]]:
    """Dockerfile instructions of the final stage: {"USER": [...], "CMD": [...], …}."""
    text = (DEPLOY / "Dockerfile").read_text().replace("\\\n", " ")
    stages = re.split(r"^FROM ", text, flags=re.MULTILINE)
    out: dict[str, list[str]] = {"FROM": [s.split()[0] for s in stages[1:]]}
    for line in stages[-1].splitlines()[1:]:
        if line.strip() and not line.lstrip().startswith("#"):
            word, _, rest = line.strip().partition(" ")
            out.setdefault(word, []).append(rest.strip())
    return out


def _answers_200(path: str) -> bool:
    """Whether the API app (in-process mock backend) answers ``GET path`` with 200."""
    with TestClient(create_api_app()) as client:
        return client.get(path).status_code == 200


def test_dockerfile_is_slim_non_root_and_runs_a_real_command() -> None:
    docker = _dockerfile()
    assert docker["FROM"] == ["python:3.11-slim", "python:3.11-slim"]
    (user,) = docker["USER"]
    uid = user.split(":")[0]
    assert uid.isdigit() and int(uid) != 0
    (cmd,) = docker["CMD"]
    (entrypoint,) = docker["ENTRYPOINT"]
    argv = json.loads(entrypoint)[1:] + json.loads(cmd)
    args = build_parser().parse_args(argv)  # exits (fails the test) on a bad option
    assert (args.command, args.host) == ("api", "0.0.0.0")
    assert docker["EXPOSE"] == [str(args.port)]
    (healthcheck,) = docker["HEALTHCHECK"]
    assert f"127.0.0.1:{args.port}/healthz" in healthcheck and _answers_200("/healthz")


def test_dockerfile_serve_variant_parses_too() -> None:
    args = build_parser().parse_args(["serve", "--host", "0.0.0.0", "--port", "7860"])
    assert args.command == "serve"


def test_deployment_runs_the_api_as_the_image_user_with_probes_on_healthz() -> None:
    container = _container()
    args = build_parser().parse_args(container["args"])
    assert (args.command, args.host) == ("api", "0.0.0.0")
    (port,) = container["ports"]
    assert port["containerPort"] == args.port
    for probe in ("readinessProbe", "livenessProbe"):
        http_get = container[probe]["httpGet"]
        assert http_get["path"] == "/healthz" and _answers_200(http_get["path"])
        assert http_get["port"] == port["name"]
    pod = _one("Deployment")["spec"]["template"]["spec"]
    docker_uid = int(_dockerfile()["USER"][0].split(":")[0])
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] == docker_uid
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    mounts = {m["mountPath"] for m in container["volumeMounts"]}
    assert {"/tmp", _dockerfile()["WORKDIR"][0]} <= mounts  # writable despite a r/o root


def test_service_and_ingress_point_at_the_pods() -> None:
    deployment, service, ingress = _one("Deployment"), _one("Service"), _one("Ingress")
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert service["spec"]["selector"].items() <= labels.items()
    (service_port,) = service["spec"]["ports"]
    assert service_port["targetPort"] == _container()["ports"][0]["name"]
    (rule,) = ingress["spec"]["rules"]
    (path,) = rule["http"]["paths"]
    backend = path["backend"]["service"]
    assert backend["name"] == service["metadata"]["name"]
    assert backend["port"]["name"] == service_port["name"]


def _size_bytes(text: str) -> int:
    units = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}
    match = re.fullmatch(r"(\d+)([kmg]?)", text.lower())
    assert match, text
    return int(match[1]) * units[match[2]]


def test_ingress_annotations_match_the_nginx_config_and_api_limits() -> None:
    notes = _one("Ingress")["metadata"]["annotations"]
    prefix = "nginx.ingress.kubernetes.io/"
    site = NginxSite(upstreams=("127.0.0.1:1",))
    assert int(notes[prefix + "proxy-read-timeout"]) == site.ws_timeout_s
    assert int(notes[prefix + "proxy-send-timeout"]) == site.ws_timeout_s
    assert int(notes[prefix + "proxy-connect-timeout"]) == site.connect_timeout_s
    assert notes[prefix + "proxy-buffering"] == "off"
    assert notes[prefix + "proxy-request-buffering"] == "off"
    max_upload = ServerSettings().max_upload_bytes
    assert max_upload <= _size_bytes(notes[prefix + "proxy-body-size"]) < 1.1 * max_upload
    assert notes[prefix + "affinity"] == "cookie"  # sticky sessions
    assert notes[prefix + "session-cookie-name"]


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl not installed")
def test_kustomize_builds_the_three_resources_offline() -> None:
    out = subprocess.run(
        ["kubectl", "kustomize", str(K8S)], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    kinds = sorted(d["kind"] for d in yaml.safe_load_all(out.stdout) if d)
    assert kinds == ["Deployment", "Ingress", "Service"]
