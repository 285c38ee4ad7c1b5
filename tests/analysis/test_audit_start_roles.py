"""Roles an image of several servers takes from its start argument (Vespa's config server and
content nodes), for gravity.

A synthetic estate shaped like Vespa's multinode guide (one image, ``configserver`` or
``services`` as its argument, a claim template on the nodes that keep something), not a copy of
any held-out estate.
"""

from __future__ import annotations

from typing import Any

from stateward.analysis.audit import AuditReport

from .conftest import Auditor
from .test_audit_rules import app, docs, service, workload

IMAGE = "vespaengine/vespa:8"
SERVERS = "vespa-configserver-0.vespa-internal"


def _node(name: str, argument: str, replicas: int, image: str, *, claim: bool) -> dict[str, Any]:
    mounts = [{"name": "var", "mountPath": "/opt/vespa/var"}] if claim else []
    container = app(image, args=[argument], volumeMounts=mounts,
                    env=[{"name": "VESPA_CONFIGSERVERS", "value": SERVERS}])  # fmt: skip
    templates = [
        {
            "metadata": {"name": "var"},
            "spec": {
                "accessModes": ["ReadWriteOnce"],
                "resources": {"requests": {"storage": "5Gi"}},
            },
        }
    ]
    extra: dict[str, Any] = {"volumeClaimTemplates": templates} if claim else {}
    return workload("StatefulSet", name, {"containers": [container]}, replicas=replicas,
                    serviceName="vespa-internal", **extra)  # fmt: skip


def _gravity(report: AuditReport) -> dict[str, int]:
    return {c.name: c.gravity for c in report.components}


def _estate(image: str) -> str:
    return docs(
        _node("vespa-configserver", "configserver,services", 3, image, claim=True),
        _node("vespa-content", "services", 2, image, claim=True),
        _node("vespa-query", "services", 2, image, claim=False),
        service("vespa-internal", clusterIP="None"),
    )


def test_a_config_server_weighs_less_than_the_content_nodes_it_configures(
    audit_files: Auditor,
) -> None:
    gravity = _gravity(audit_files(**{"vespa.yaml": _estate(IMAGE)}))
    assert gravity["vespa-content"] > gravity["vespa-configserver"] > 0
    assert gravity["vespa-query"] == 0  # started with services, but writes nothing


def test_another_image_started_so_takes_no_role(audit_files: Auditor) -> None:
    """Negative control: the same estate on an image not known to take its role from its
    argument is ranked by claims, replicas and dependents alone (the config server above)."""
    gravity = _gravity(audit_files(**{"vespa.yaml": _estate("example/search-node:8")}))
    assert gravity["vespa-configserver"] > gravity["vespa-content"]


def _ozone(subcommand: str) -> dict[str, Any]:
    """A one-replica daemon of the ``ozone`` program, on a project's own image, with a claim."""
    container = app("example/ozone-build:1", args=["ozone", subcommand],
                    volumeMounts=[{"name": "data", "mountPath": "/data"}])  # fmt: skip
    templates = [{"metadata": {"name": "data"},
                  "spec": {"resources": {"requests": {"storage": "20Gi"}}}}]  # fmt: skip
    return workload("StatefulSet", subcommand, {"containers": [container]},
                    serviceName=subcommand, volumeClaimTemplates=templates)  # fmt: skip


def test_ozone_metadata_databases_outweigh_recon_and_gateways(audit_files: Auditor) -> None:
    """The Ozone Manager's namespace above Recon's view built from it and a gateway, all on the
    same claim (``/data`` would otherwise read as an application's files for each)."""
    daemons = ("om", "scm", "recon", "s3g")
    gravity = _gravity(audit_files(**{"ozone.yaml": docs(*map(_ozone, daemons))}))
    assert gravity["om"] == gravity["scm"] > gravity["recon"] >= gravity["s3g"] > 0


def test_another_program_with_the_same_subcommand_takes_no_role(audit_files: Auditor) -> None:
    """Negative control: the subcommands are read only after the program that defines them."""
    om = _ozone("om")
    om["spec"]["template"]["spec"]["containers"][0]["args"] = ["example", "om"]
    recon = _ozone("recon")
    recon["spec"]["template"]["spec"]["containers"][0]["args"] = ["example", "recon"]
    gravity = _gravity(audit_files(**{"ozone.yaml": docs(om, recon)}))
    assert gravity["om"] == gravity["recon"]
