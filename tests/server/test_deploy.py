"""The cluster manifests (deploy/kubernetes) audited by Stateward itself: no high finding, the
only medium ones the Secrets an operator makes beforehand (never written in the manifests); the
collector's role reads only; the server reads no cluster API; every container's arguments are
ones the CLI accepts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import yaml
from tests.server.conftest import stateward

from stateward.cli import main

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "kubernetes"
SERVE, WATCH = (
    "k8s:Deployment/stateward/stateward-serve",
    "k8s:Deployment/stateward/stateward-watch",
)
# made by the operator (docs/server.md, "In a cluster"): referenced, never defined here
OUT_OF_BAND = {
    (SERVE, "Secret stateward-store"), (SERVE, "Secret stateward-keys"),
    (SERVE, "Secret stateward-tls"), (WATCH, "Secret stateward-store"),
    (WATCH, "Secret stateward-keys"),
}  # fmt: skip


def _objects() -> list[dict[str, Any]]:
    return [
        doc for path in sorted(DEPLOY.glob("*.yaml"))
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc
    ]  # fmt: skip


def test_stateward_audits_its_own_manifests_without_a_high_finding(
    tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    report = json.loads(stateward("audit", str(DEPLOY), "--json"))
    assert report["complete"] and not report["errors"]
    findings = report["findings"]
    # Nothing is lost on replacement: the keys' init container copies them from their Secret into
    # a tmpfs again at every start (INIT_SEED, low), and /tmp holds only downloads under way.
    assert {c["id"]: c["loss"] for c in report["components"]} == {SERVE: "none", WATCH: "none"}
    seeds = {f["component"]["id"]: f["message"] for f in findings if f["rule"] == "INIT_SEED"}
    assert set(seeds) == {SERVE, WATCH} and all("Secrets" in m for m in seeds.values()), seeds
    assert not [f for f in findings if f["severity"] in ("high", "critical")], findings
    medium = {
        (f["component"]["id"], f["message"].split(" refers to ")[1].split(",")[0])
        for f in findings if f["severity"] == "medium" and f["rule"] == "MISSING_REFERENCE"
    }  # fmt: skip
    assert medium == OUT_OF_BAND
    assert [
        f for f in findings if f["severity"] == "medium" and f["rule"] != "MISSING_REFERENCE"
    ] == []
    rules = {f["rule"] for f in findings}
    assert not rules & {"WRITABLE_ROOTFS", "DATA_ON_EPHEMERAL", "PRIVILEGED", "HOST_FS"}


def test_the_collector_role_only_reads_and_the_server_has_none() -> None:
    objects = _objects()
    roles = [o for o in objects if o["kind"] in ("ClusterRole", "Role")]
    assert [r["metadata"]["name"] for r in roles] == ["stateward-reader"]
    verbs = {v for r in roles for rule in r["rules"] for v in rule["verbs"]}
    assert verbs == {"get", "list", "watch"}
    bindings = [o for o in objects if o["kind"] in ("ClusterRoleBinding", "RoleBinding")]
    bound = {s["name"] for b in bindings for s in b["subjects"]}
    assert bound == {"stateward-reader"}
    pods = {o["metadata"]["name"]: o["spec"]["template"]["spec"] for o in objects
            if o["kind"] == "Deployment"}  # fmt: skip
    assert pods["stateward-watch"]["serviceAccountName"] == "stateward-reader"
    assert pods["stateward-serve"]["automountServiceAccountToken"] is False
    assert not [o for o in objects if o["kind"] == "Secret"], "no secret value is ever written"
    for spec in pods.values():
        for container in spec["containers"] + spec["initContainers"]:
            assert container["securityContext"]["allowPrivilegeEscalation"] is False
            assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]


def test_every_container_runs_a_command_the_cli_accepts(tmp_path: Path) -> None:
    # the mounted TLS Secret, which the CLI checks exists
    for name in ("tls.crt", "tls.key"):
        (tmp_path / name).write_text("")
    for deployment in [o for o in _objects() if o["kind"] == "Deployment"]:
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        mounted = "/var/run/stateward/tls"
        name, *rest = [a.replace(mounted, str(tmp_path)) for a in container["args"]]
        assert isinstance(main, click.Group)
        # parsed under the root's own context, whose settings (-h) the subcommand inherits
        with main.make_context("stateward", [name, *rest]) as root:
            _, command, args = main.resolve_command(root, [name, *rest])
            assert command is not None, name
            context = command.make_context(name, args, parent=root)  # a bad option: UsageError
            if name == "serve":
                assert context.params["host"] == "0.0.0.0" and context.params["tls_cert"]
