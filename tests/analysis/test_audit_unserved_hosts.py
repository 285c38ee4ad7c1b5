"""A bare host name in a namespace of which the estate holds no Service at all is the workload of
that name (:func:`stateward.analysis.audit.dependencies.resolve_host`): the manifests were given
in part. Where the namespace declares Services, only they answer."""

from __future__ import annotations

from .conftest import Auditor, deployment

_CLIENT = "env: [{name: REDIS_HOST, value: redis}]"


def _service(name: str, selects: str) -> str:
    return (
        f"apiVersion: v1\nkind: Service\nmetadata: {{name: {name}, namespace: ns}}\n"
        f"spec: {{selector: {{app: {selects}}}, ports: [{{port: 6379}}]}}\n"
    )


def _depends(audit_files: Auditor, **extra: str) -> set[str]:
    report = audit_files(**{
        "app.yaml": deployment("app", "", "example/shop:1", container=_CLIENT),
        "redis.yaml": deployment("redis", "", "redis:7"),
        "cache.yaml": deployment("cache", "", "redis:7"),
        **extra,
    })  # fmt: skip
    names = {c.id: c.name for c in report.components}
    (app,) = [c for c in report.components if c.name == "app"]
    return {names[i] for i in app.depends_on}


def test_a_bare_name_in_a_namespace_given_no_service_is_the_workload_of_that_name(
    audit_files: Auditor,
) -> None:
    assert _depends(audit_files) == {"redis"}


def test_a_service_of_that_name_answers_for_it(audit_files: Auditor) -> None:
    assert _depends(audit_files, **{"svc.yaml": _service("redis", "cache")}) == {"cache"}


def test_a_namespace_given_with_services_is_read_whole(audit_files: Auditor) -> None:
    assert _depends(audit_files, **{"svc.yaml": _service("other", "cache")}) == set()
