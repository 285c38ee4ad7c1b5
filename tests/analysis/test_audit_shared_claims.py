"""A ReadWriteMany claim that one long-running workload alone writes is that workload's state,
as a claim of its own is; one that several workloads write, or that only a pod running to
completion writes, stays context. Small hand-made Kubernetes estates."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport

from .conftest import Auditor

_CLAIM = """\
    apiVersion: v1
    kind: PersistentVolumeClaim
    metadata: {name: shared, namespace: ns}
    spec:
      accessModes: [ReadWriteMany]
      resources: {requests: {storage: 1Gi}}
    """


def _deployment(name: str, image: str, read_only: bool) -> str:
    return f"""\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {{name: {name}, namespace: ns}}
        spec:
          selector: {{matchLabels: {{app: {name}}}}}
          template:
            metadata: {{labels: {{app: {name}}}}}
            spec:
              containers:
              - name: {name}
                image: {image}
                volumeMounts: [{{name: data, mountPath: /srv/data, readOnly: {str(read_only).lower()}}}]
              volumes:
              - name: data
                persistentVolumeClaim: {{claimName: shared}}
        """


_RUN_ONCE = """\
    apiVersion: v1
    kind: Pod
    metadata: {name: once, namespace: ns}
    spec:
      restartPolicy: Never
      containers:
      - name: once
        image: busybox:stable
        command: [sh, -c, "touch /srv/data/ok"]
        volumeMounts: [{name: data, mountPath: /srv/data}]
      volumes:
      - name: data
        persistentVolumeClaim: {claimName: shared}
    """


def _pvc_effect(report: AuditReport, name: str) -> str:
    (finding,) = [
        f for f in report.findings if f.rule == "PVC" and (f.component or "").endswith("/" + name)
    ]
    return str(report.effect_of(finding))


def test_the_only_writer_of_a_shared_claim_keeps_its_state(audit_files: Auditor) -> None:
    report = audit_files(
        **{
            "claim.yaml": _CLAIM,
            "writer.yaml": _deployment("writer", "example.org/acme/writer:1", False),
            "reader.yaml": _deployment("reader", "example.org/acme/reader:1", True),
        }
    )
    assert _pvc_effect(report, "writer") == "durable"
    assert _pvc_effect(report, "reader") != "durable"
    (writer,) = [c for c in report.components if c.name == "writer"]
    assert str(writer.lifecycle) == "persistent"


def test_a_shared_claim_several_workloads_write_is_no_ones_own(audit_files: Auditor) -> None:
    report = audit_files(
        **{
            "claim.yaml": _CLAIM,
            "one.yaml": _deployment("one", "example.org/acme/writer:1", False),
            "two.yaml": _deployment("two", "example.org/acme/writer:1", False),
        }
    )
    assert _pvc_effect(report, "one") == "context"
    assert _pvc_effect(report, "two") == "context"


def test_a_pod_that_runs_to_completion_is_no_keeper_of_a_shared_claim(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{"claim.yaml": _CLAIM, "once.yaml": _RUN_ONCE})
    assert _pvc_effect(report, "once") == "context"


def test_a_read_only_many_claim_holds_what_was_put_there_not_the_workloads_own(
    audit_files: Auditor,
) -> None:
    """``ReadOnlyMany`` only: no pod writes it, so its one user keeps nothing there; the same
    user of a ``ReadWriteMany`` claim is its sole writer and keeps its state."""
    only_read = _CLAIM.replace("[ReadWriteMany]", "[ReadOnlyMany]")
    user = _deployment("server", "example.org/acme/model-server:1", False)
    report = audit_files(**{"claim.yaml": only_read, "server.yaml": user})
    assert _pvc_effect(report, "server") == "context"
    (server,) = [c for c in report.components if c.name == "server"]
    assert str(server.loss) == "none"
    written = audit_files(**{"claim.yaml": _CLAIM, "server.yaml": user})
    assert _pvc_effect(written, "server") == "durable"


_RWO = _CLAIM.replace("[ReadWriteMany]", "[ReadWriteOnce]")
_FRONT = _deployment("front", "example.org/acme/front:1", True)


@pytest.mark.parametrize(("beside", "effect"), [
    (_deployment("writer", "example.org/acme/writer:1", False), "context"),
    # no writer in the estate: what it reads was put there before
    ("", "warm-up"),
    # a pod that runs to completion keeps nothing there either
    (_RUN_ONCE, "warm-up"),
])  # fmt: skip
def test_a_claim_only_read_beside_its_writer_is_the_writers(
    audit_files: Auditor, beside: str, effect: str
) -> None:
    """A ``ReadWriteOnce`` claim a front mounts read-only while a long-running workload writes
    it: the front holds none of it; the writer keeps it."""
    files = {"claim.yaml": _RWO, "front.yaml": _FRONT}
    report = audit_files(**(files | ({"other.yaml": beside} if beside else {})))
    assert _pvc_effect(report, "front") == effect
    if effect == "context":
        assert _pvc_effect(report, "writer") == "durable"
