"""A pod's second container of its store's image running a helper script is not a second store;
an emptyDir an init container fills at every start holds what a sidecar writing it can lose
only until the next start; Solr's images before 8.0 keep their cores under
``/opt/solr/server/solr``. Small hand-made Kubernetes estates."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport, Effect

from .conftest import Auditor, effect_of_one, rules_of


def _solr_pod(data: str, sidecar: str = "", init: str = "") -> str:
    """A Solr Deployment whose core data is on volume ``data`` (a claim or an emptyDir), with a
    ``schema`` emptyDir shared with an optional sidecar and init container."""
    return f"""\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {{name: solr, namespace: ns}}
        spec:
          selector: {{matchLabels: {{app: solr}}}}
          template:
            metadata: {{labels: {{app: solr}}}}
            spec:
              containers:
              - name: solr
                image: example/solr-k8s
                ports: [{{containerPort: 8983}}]
                volumeMounts:
                - {{name: data, mountPath: /opt/solr/server/solr/core1/data}}
                - {{name: schema, mountPath: /schema}}
              {sidecar}
              {init}
              volumes:
              - name: data
                {data}
              - name: schema
                emptyDir: {{}}
        """


_CLAIM = "persistentVolumeClaim: {claimName: solr}"
_EMPTY = "emptyDir: {}"
_HELPER = """- name: schema-sidecar
                image: example/solr-k8s
                command: [/tini, --, /scripts/schema/sidecar.sh]
                volumeMounts: [{name: schema, mountPath: /schema}]"""
_INIT = """initContainers:
              - name: schema-init
                image: example/solr-k8s
                command: [/scripts/schema/init.sh]
                volumeMounts: [{name: schema, mountPath: /schema}]"""


def _solr(report: AuditReport) -> str:
    (component,) = [c for c in report.components if c.name == "solr"]
    return str(component.loss)


def test_a_solr_core_on_a_claim_under_the_old_solr_home_is_kept(audit_files: Auditor) -> None:
    report = audit_files(**{"solr.yaml": _solr_pod(_CLAIM)})
    assert "DATA_ON_EPHEMERAL" not in rules_of(report)


def test_a_solr_core_on_an_emptydir_under_the_old_solr_home_is_lost(audit_files: Auditor) -> None:
    report = audit_files(**{"solr.yaml": _solr_pod(_EMPTY)})
    assert effect_of_one(report, "DATA_ON_EPHEMERAL", "/opt/solr/server/solr/core1/data") == (
        Effect.LOSS
    )


def test_a_helper_run_from_the_servers_image_is_not_a_second_store(audit_files: Auditor) -> None:
    report = audit_files(**{"solr.yaml": _solr_pod(_CLAIM, sidecar=_HELPER, init=_INIT)})
    assert "DATA_ON_EPHEMERAL" not in rules_of(report)
    assert not [f for f in report.findings if "search image" in f.message]
    assert _solr(report) != "data"


@pytest.mark.parametrize(
    "command",
    ["", "command: [solr-foreground]", "command: [docker-entrypoint.sh, solr-foreground]"],
)
def test_a_sidecar_of_the_servers_image_with_no_helper_of_its_own_is_a_store(
    audit_files: Auditor, command: str
) -> None:
    sidecar = _HELPER.replace("command: [/tini, --, /scripts/schema/sidecar.sh]", command)
    report = audit_files(**{"solr.yaml": _solr_pod(_CLAIM, sidecar=sidecar)})
    assert [
        f for f in report.findings if f.rule == "SIDECAR_STATEFUL" and "search image" in f.message
    ]


def test_a_sidecar_writing_an_emptydir_an_init_container_fills_loses_nothing_of_its_own(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{"solr.yaml": _solr_pod(_CLAIM, sidecar=_HELPER, init=_INIT)})
    effect = effect_of_one(report, "SIDECAR_STATEFUL", "filled again by init schema-init")
    assert effect == Effect.WARM_UP


def test_a_sidecar_writing_an_emptydir_no_init_container_fills_loses_it(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{"solr.yaml": _solr_pod(_CLAIM, sidecar=_HELPER)})
    assert effect_of_one(report, "SIDECAR_STATEFUL", "writes shared volume(s) schema") == (
        Effect.LOSS
    )
    assert _solr(report) == "data"
