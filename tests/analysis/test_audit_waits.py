"""Init containers that wait for another workload (:mod:`stateward.analysis.audit.waits`) and a
client-side discovery naming the Service it picks pods from (Stork's
``service-discovery.application``): both are edges."""

from __future__ import annotations

from stateward.analysis.audit import AuditReport, ComponentAudit
from stateward.analysis.audit.dependencies import hosts_in

from .conftest import Auditor, deployment


def _by_name(report: AuditReport) -> dict[str, ComponentAudit]:
    return {c.name: c for c in report.components}


def _job(name: str) -> str:
    return f"""apiVersion: batch/v1
kind: Job
metadata: {{name: {name}, namespace: ns}}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{{name: m, image: 'acme/migrate:1'}}]
"""


def _waiting(name: str, image: str, args: str) -> str:
    return deployment(name, pod=f"initContainers: [{{name: wait, image: '{image}', args: {args}}}]")


def test_an_init_container_waiting_for_a_job_depends_on_it(audit_files: Auditor) -> None:
    report = audit_files(**{
        "j.yaml": _job("migrate"),
        "o.yaml": _job("other"),
        "a.yaml": _waiting("api", "groundnuty/k8s-wait-for:no-root-v1.7", "[job, migrate]"),
        "b.yaml": _waiting("web", "bitnami/kubectl:1.30",
                           "[kubectl, wait, --for=condition=complete, job/other]"),
        "c.yaml": _waiting("ui", "groundnuty/k8s-wait-for:v2.0", "[pod, '-lapp=api']"),
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["api"].depends_on == (by_name["migrate"].id,)
    assert by_name["web"].depends_on == (by_name["other"].id,)
    assert by_name["ui"].depends_on == (by_name["api"].id,)


def test_words_of_another_image_are_no_wait(audit_files: Auditor) -> None:
    report = audit_files(**{
        "j.yaml": _job("migrate"),
        "a.yaml": _waiting("api", "busybox:1", "[echo, job, migrate]"),
        "b.yaml": _waiting("web", "groundnuty/k8s-wait-for:v2.0", "[job, missing]"),
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["api"].depends_on == by_name["web"].depends_on == ()


def test_a_stork_discovery_names_the_service_it_picks_from() -> None:
    name = "quarkus.stork.hero-service.service-discovery.application"
    assert hosts_in(name, "rest-heroes") == {"rest-heroes"}
    assert (
        hosts_in("quarkus.stork.hero-service.service-discovery.type", "kubernetes") == frozenset()
    )
