"""One-shot steps: a Compose service the project waits to complete runs a command, keeps no data.

Small hand-made estates, not copies of any held-out estate.
"""

from __future__ import annotations

from typing import Any

import pytest

from stateward.analysis.audit import AuditReport, Effect

from .conftest import Auditor
from .test_audit_rules import docs, workload

STEP = """
services:
  prepare:
    image: postgres:16
    command:
      - bash
      - -c
      - |
        cd /tmp
        wget -O ext.tar.gz "https://example.com/ext.tar.gz"
        tar -xzf ext.tar.gz -C /extensions
    volumes: ["./extensions:/extensions"]
  db:
    image: postgres:16
    volumes: ["pgdata:/var/lib/postgresql/data", "./extensions:/extensions:ro"]
    depends_on:
      prepare: {condition: %s}
volumes: {pgdata: {}}
"""


def _effects(report: AuditReport, name: str) -> dict[str, Effect]:
    return {
        f.rule: report.effect_of(f)
        for f in report.findings
        if (f.component or "").endswith("/" + name)
    }


def test_a_database_image_run_as_a_step_the_project_waits_for_holds_no_data(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{"compose.yaml": STEP % "service_completed_successfully"})
    found = _effects(report, "prepare")
    assert found["DATA_IMAGE_NO_VOLUME"] is Effect.CONTEXT
    assert found["STARTUP_FETCH"] is Effect.CONTEXT
    step = next(c for c in report.components if c.name == "prepare")
    assert str(step.loss) == "none"
    assert max(f.severity for f in report.findings_for(step.id)) < "medium"


@pytest.mark.parametrize("condition", ["service_started", "service_healthy"])
def test_a_database_image_the_project_waits_to_start_is_its_server(
    audit_files: Auditor, condition: str
) -> None:
    """Waited for to start or be healthy, it is a long-running server: its data set is lost."""
    report = audit_files(**{"compose.yaml": STEP % condition})
    found = _effects(report, "prepare")
    assert found["DATA_IMAGE_NO_VOLUME"] is Effect.LOSS
    assert found["STARTUP_FETCH"] is Effect.WARM_UP


def _pod(restart: str) -> dict[str, Any]:
    curator = {
        "name": "curator",
        "image": "example.org/acme/elasticsearch-curator:5",
        "args": ["--config", "/etc/curator/config.yml"],
    }
    return {"spec": {"restartPolicy": restart, "containers": [curator]}}


RUN_TO_COMPLETION = {
    "CronJob": docs({
        "apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "prune"},
        "spec": {"schedule": "0 1 * * *",
                 "jobTemplate": {"spec": {"template": _pod("OnFailure")}}},
    }),
    "Job": docs({
        "apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "prune"},
        "spec": {"template": _pod("OnFailure")},
    }),
    "Pod": docs(workload("Pod", "prune", _pod("Never")["spec"])),
    "Deployment": docs(workload("Deployment", "prune", _pod("Always")["spec"])),
}  # fmt: skip


@pytest.mark.parametrize("kind", ["CronJob", "Job", "Pod"])
def test_a_store_image_in_a_job_runs_a_client_command_not_the_server(
    audit_files: Auditor, kind: str
) -> None:
    """A Job's pods (a bare Pod's that may end) run to completion, which a store's server never
    does: no data is lost."""
    report = audit_files(**{"m.yaml": RUN_TO_COMPLETION[kind]})
    assert _effects(report, "prune")["DATA_IMAGE_NO_VOLUME"] is Effect.CONTEXT
    job = next(c for c in report.components if c.name == "prune")
    assert str(job.loss) == "none"


def test_the_same_image_kept_running_is_the_store(audit_files: Auditor) -> None:
    report = audit_files(**{"m.yaml": RUN_TO_COMPLETION["Deployment"]})
    assert _effects(report, "prune")["DATA_IMAGE_NO_VOLUME"] is Effect.LOSS


_CLONE = "[git, clone, 'https://example.org/acme/app.git', /workspace]"


def _prepared(kind: str, command: str = _CLONE) -> str:
    """A workload whose init container checks code out (or copies its ConfigMap) into the
    volume its build reads."""
    pod = f"""
      restartPolicy: {"Always" if kind == "Deployment" else "Never"}
      initContainers:
        - name: prepare
          image: alpine/git:2
          command: {command}
          volumeMounts:
            - {{name: workspace, mountPath: /workspace}}
            - {{name: settings, mountPath: /input, readOnly: true}}
      containers:
        - name: build
          image: example.org/acme/builder:1
          volumeMounts: [{{name: workspace, mountPath: /workspace}}]
      volumes:
        - {{name: workspace, emptyDir: {{}}}}
        - {{name: settings, configMap: {{name: build-settings}}}}"""
    if kind == "Job":
        return f"""apiVersion: batch/v1
kind: Job
metadata: {{name: build, namespace: ns}}
spec:
  template:
    spec:{pod}
"""
    return f"""apiVersion: apps/v1
kind: Deployment
metadata: {{name: build, namespace: ns}}
spec:
  selector: {{matchLabels: {{app: build}}}}
  template:
    metadata: {{labels: {{app: build}}}}
    spec:{pod}
"""


def test_what_a_jobs_init_container_prepares_serves_that_run(audit_files: Auditor) -> None:
    """A Job's init prepares its run's workspace, prepared again by the next run; a long-running
    workload's init seeds what the server then keeps working on: a warm-up."""
    job = audit_files(**{"m.yaml": _prepared("Job")})
    assert _effects(job, "build")["INIT_SEED"] is Effect.CONTEXT
    served = audit_files(**{"m.yaml": _prepared("Deployment")})
    assert _effects(served, "build")["INIT_SEED"] is Effect.WARM_UP


def test_an_init_copying_the_pods_configmap_into_an_emptydir_makes_it_again(
    audit_files: Auditor,
) -> None:
    """Copied from the pod's own ConfigMap, the emptyDir's content is made again at each start;
    cloned from a repository (above), fetching it again is a warm-up."""
    copy = "[cp, /input/settings.json, /workspace/]"
    report = audit_files(**{"m.yaml": _prepared("Deployment", copy)})
    assert _effects(report, "build")["INIT_SEED"] is Effect.CONTEXT
