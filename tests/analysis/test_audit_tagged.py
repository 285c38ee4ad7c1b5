"""A store named only by an image's tag is that store where the workload says it runs it (named
for it, or declaring its server); otherwise the image is a program built for that store.
Small hand-made estates, Compose and Kubernetes."""

from __future__ import annotations

import pytest

from .conftest import Auditor, rules_of


def _compose(name: str, image: str, extra: str = "") -> str:
    return f"services:\n  {name}:\n    image: {image}\n    ports: ['80:8080']\n{extra}"


def _pod(name: str, image: str, env: str = "") -> str:
    return f"""\
        apiVersion: v1
        kind: Pod
        metadata: {{name: {name}, namespace: ns}}
        spec:
          containers:
          - name: {name}
            image: {image}
            {env}
        """


def _is_its_program(audit_files: Auditor, name: str, image: str) -> None:
    """A Compose service of ``image`` alone: a program, holding none of its own, not the store."""
    report = audit_files(**{"compose.yaml": _compose(name, image)})
    assert "DATA_IMAGE_NO_VOLUME" not in rules_of(report)
    (component,) = report.components
    assert str(component.loss) == "none"


@pytest.mark.parametrize(
    ("name", "image"),
    [
        ("backend", "infisical/infisical:latest-postgres"),
        ("web", "xwiki:lts-postgres-tomcat"),
        ("api", "example/shop:1.2-mongodb"),
    ],
)
def test_a_program_built_for_the_store_its_tag_names_is_not_that_store(
    audit_files: Auditor, name: str, image: str
) -> None:
    _is_its_program(audit_files, name, image)


@pytest.mark.parametrize(
    ("name", "image", "env"),
    [
        # named for the store it runs
        ("postgresql", "ghcr.io/open-telemetry/demo:2.1.3-postgresql", ""),
        ("kafka", "ghcr.io/open-telemetry/demo:2.1.3-kafka", ""),
        # named otherwise, but declaring the server's first-start environment
        ("store", "example/shop:1.2-postgres", "env: [{name: PGDATA, value: /pg}]"),
    ],
)
def test_a_store_published_as_a_tag_is_still_that_store(
    audit_files: Auditor, name: str, image: str, env: str
) -> None:
    report = audit_files(**{"pod.yaml": _pod(name, image, env)})
    assert "DATA_IMAGE_NO_VOLUME" in rules_of(report)


def test_a_repository_named_for_the_store_needs_no_other_word(audit_files: Auditor) -> None:
    report = audit_files(**{"compose.yaml": _compose("backend", "bitnami/postgresql:16-debian")})
    assert "DATA_IMAGE_NO_VOLUME" in rules_of(report)


@pytest.mark.parametrize(
    ("name", "image"),
    [
        ("supertokens", "supertokens/supertokens-postgresql:11"),
        ("auth", "registry.supertokens.io/supertokens/supertokens-mysql:9"),
    ],
)
def test_a_vendor_repository_named_vendor_dash_store_is_its_program(
    audit_files: Auditor, name: str, image: str
) -> None:
    _is_its_program(audit_files, name, image)


@pytest.mark.parametrize(
    ("name", "image"),
    [
        # the vendor's name is a store's
        ("db", "mysql/mysql-server:8.0"),
        # a word between the vendor and the store: a build of the store
        ("db", "percona/percona-server-mongodb:7.0"),
        # named for the store it runs
        ("postgres", "acme/acme-postgres:16"),
    ],
)
def test_a_store_repository_beside_its_vendor_stays_the_store(
    audit_files: Auditor, name: str, image: str
) -> None:
    report = audit_files(**{"compose.yaml": _compose(name, image)})
    assert "DATA_IMAGE_NO_VOLUME" in rules_of(report)


def test_a_repository_named_for_the_service_first_is_its_program_built_for_the_store(
    audit_files: Auditor,
) -> None:
    _is_its_program(audit_files, "order", "example/order-postgres-tracing:3.0")


@pytest.mark.parametrize(
    ("name", "image", "extra"),
    [
        # another service's name first: nothing says the program is this service's own
        ("db", "example/order-postgres-tracing:3.0", ""),
        # the service's name first, but it declares the server's first-start environment
        ("order", "example/order-postgres:3.0", "    environment: {PGDATA: /pg}\n"),
    ],
)
def test_a_store_word_after_another_name_stays_the_store_where_nothing_says_otherwise(
    audit_files: Auditor, name: str, image: str, extra: str
) -> None:
    report = audit_files(**{"compose.yaml": _compose(name, image, extra)})
    assert "DATA_IMAGE_NO_VOLUME" in rules_of(report)
