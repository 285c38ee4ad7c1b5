"""High only on evidence that holds: a loss finding resting on one signal, or on a store that is a
test fixture or a mail catcher, is medium; the same facts with a second signal stay high."""

from __future__ import annotations

import pytest
from tests.analysis.conftest import Auditor

from stateward.analysis.audit.report import AuditReport
from stateward.model.finding import Finding


def _finding(report: AuditReport, rule: str, component: str) -> Finding:
    (found,) = [
        f for f in report.findings if f.rule == rule and (f.component or "").endswith(component)
    ]
    return found


_POSTGRES = "services:\n  db:\n    image: postgres:16\n"


@pytest.mark.parametrize(
    "name", ["docker-compose.test.yml", "compose.dev.yaml", "docker-compose.ci.yml"]
)
def test_a_store_of_a_compose_file_for_tests_or_development_is_medium(
    audit_files: Auditor, name: str
) -> None:
    report = audit_files(**{name: _POSTGRES})
    finding = _finding(report, "DATA_IMAGE_NO_VOLUME", "/db")
    assert str(finding.severity) == "medium"
    assert name in finding.message


@pytest.mark.parametrize("name", ["compose.yaml", "docker-compose.prod.yml", "compose.latest.yaml"])
def test_the_same_store_of_any_other_compose_file_is_high(audit_files: Auditor, name: str) -> None:
    report = audit_files(**{name: _POSTGRES})
    assert str(_finding(report, "DATA_IMAGE_NO_VOLUME", "/db").severity) == "high"


@pytest.mark.parametrize("flag", ["fsync=off", "full_page_writes=off"])
def test_a_server_told_not_to_make_its_writes_durable_is_a_fixture(
    audit_files: Auditor, flag: str
) -> None:
    compose = f"services:\n  db:\n    image: postgres:16\n    command: [postgres, -c, {flag}]\n"
    finding = _finding(audit_files(**{"compose.yaml": compose}), "DATA_IMAGE_NO_VOLUME", "/db")
    assert str(finding.severity) == "medium" and flag in finding.message


def test_a_store_named_for_tests_beside_an_application_is_medium(audit_files: Auditor) -> None:
    compose = """\
        services:
          app:
            image: ghcr.io/example/app:1
            environment: [DATABASE_URL=postgres://pgtest:5432/app]
          pgtest:
            image: postgres:16
        """
    finding = _finding(audit_files(**{"compose.yaml": compose}), "DATA_IMAGE_NO_VOLUME", "/pgtest")
    assert str(finding.severity) == "medium"


_ENV_ONLY = """\
    services:
      backend:
        build: ./backend
        environment: [MYSQL_ROOT_PASSWORD=secret]
"""


def test_a_built_service_known_by_a_server_variable_alone_is_medium(audit_files: Auditor) -> None:
    finding = _finding(
        audit_files(**{"compose.yaml": _ENV_ONLY}), "DATA_IMAGE_NO_VOLUME", "/backend"
    )
    assert str(finding.severity) == "medium"
    assert "MYSQL_ROOT_PASSWORD set alone" in finding.message


def test_the_server_variable_and_the_servers_port_are_two_signals(audit_files: Auditor) -> None:
    compose = _ENV_ONLY + "        expose: ['3306']\n"
    finding = _finding(audit_files(**{"compose.yaml": compose}), "DATA_IMAGE_NO_VOLUME", "/backend")
    assert str(finding.severity) == "high"


def test_a_bind_named_for_data_the_audit_cannot_tie_to_the_data_directory_is_a_doubt(
    audit_files: Auditor,
) -> None:
    compose = "services:\n  db:\n    image: mariadb:11\n    volumes: ['/srv/db:/srv/data']\n"
    finding = _finding(audit_files(**{"compose.yaml": compose}), "DATA_IMAGE_NO_VOLUME", "/db")
    assert str(finding.severity) == "medium" and "/srv/data" in finding.message


_CATCHER = """\
    services:
      api:
        image: ghcr.io/saleor/saleor:3.22
        environment: [EMAIL_URL=smtp://mail:1025]
      mail:
        image: {image}
"""


@pytest.mark.parametrize("image", ["axllent/mailpit", "mailhog/mailhog", "maildev/maildev"])
def test_a_mail_catchers_in_memory_store_is_medium(audit_files: Auditor, image: str) -> None:
    report = audit_files(**{"compose.yaml": _CATCHER.format(image=image)})
    finding = _finding(report, "IN_PROCESS_STORE", "/mail")
    assert str(finding.severity) == "medium" and "mail catcher" in finding.message


def test_an_in_memory_store_that_is_no_catcher_stays_high(audit_files: Auditor) -> None:
    compose = _CATCHER.format(image="jaegertracing/all-in-one:1.57")
    finding = _finding(audit_files(**{"compose.yaml": compose}), "IN_PROCESS_STORE", "/mail")
    assert str(finding.severity) == "high"


_PROMETHEUS = """\
    services:
      prometheus:
        image: prom/prometheus:v3.2.1
        volumes: ['./config/prometheus.conf:/etc/prometheus/prometheus.yml:ro']
      cortex:
        image: cortexproject/cortex:v1.18.1
"""
_REMOTE = "remote_write:\n  - url: {url}\n"


def test_a_prometheus_remote_writing_to_a_store_of_the_estate_keeps_a_copy(
    audit_files: Auditor,
) -> None:
    files = {
        "compose.yaml": _PROMETHEUS,
        "config__prometheus.conf": _REMOTE.format(url="http://cortex:9009/api/v1/push"),
    }
    finding = _finding(audit_files(**files), "DATA_IMAGE_NO_VOLUME", "/prometheus")
    assert str(finding.severity) == "low" and "remote-written to cortex" in finding.message


def test_a_prometheus_remote_writing_outside_the_estate_still_loses_its_samples(
    audit_files: Auditor,
) -> None:
    files = {
        "compose.yaml": _PROMETHEUS,
        "config__prometheus.conf": _REMOTE.format(url="https://metrics.example.com/push"),
    }
    finding = _finding(audit_files(**files), "DATA_IMAGE_NO_VOLUME", "/prometheus")
    assert str(finding.severity) == "high"


_STS = """\
apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: store}}
spec:
  serviceName: store
  selector: {{matchLabels: {{app: store}}}}
  template:
    metadata: {{labels: {{app: store}}}}
    spec:
      containers:
        - name: server
          image: example/custom-store:1
          env: [{{name: MYSQL_ROOT_PASSWORD, value: x}}]
{ports}"""


def test_a_statefulset_whose_store_is_named_by_one_signal_is_medium(audit_files: Auditor) -> None:
    report = audit_files(**{"sts.yaml": _STS.format(ports="")})
    assert str(_finding(report, "STS_NO_PERSISTENCE", "/store").severity) == "medium"


def test_a_statefulset_whose_store_is_named_by_two_signals_is_high(audit_files: Auditor) -> None:
    ports = "          ports: [{containerPort: 3306}]\n"
    report = audit_files(**{"sts.yaml": _STS.format(ports=ports)})
    assert str(_finding(report, "STS_NO_PERSISTENCE", "/store").severity) == "high"


@pytest.mark.parametrize("source", [".", "./src"])
def test_a_store_beside_an_application_run_from_its_checkout_is_medium(
    audit_files: Auditor, source: str
) -> None:
    # Shiori's development file: the server binds the checkout, the databases beside it are
    # a developer's; a bind of a sub-folder says nothing of where the project runs
    compose = f"""\
        services:
          app:
            build: .
            volumes: ['{source}:/app']
            environment: [DATABASE_URL=postgres://app@postgres:5432/app]
          postgres:
            image: postgres:16
        """
    finding = _finding(
        audit_files(**{"compose.yaml": compose}), "DATA_IMAGE_NO_VOLUME", "/postgres"
    )
    assert str(finding.severity) == ("medium" if source == "." else "high")


_CHECKOUT_APP = """\
services:
  app:
{app}
    volumes: ['./:/srv/app']
    environment: [DATABASE_URL=postgres://app@postgres:5432/app]
  postgres:
    image: postgres:16
"""


@pytest.mark.parametrize(
    ("app", "severity"),
    [
        # MediaCMS's deployment: its published image run over a bind of the checkout
        ("    image: example/media:1", "high"),
        ("    image: example/media:1\n    command: gunicorn app.wsgi --bind 0.0.0.0:8000", "high"),
        ("    image: example/media:1\n    command: bundle exec rails server", "high"),
        ("    build: .", "medium"),
        # Laravel Sail: the image built from a runtime folder of the project
        ("    build: {context: ./vendor/laravel/sail/runtimes/8.3}", "medium"),
        ("    build: {dockerfile: Dockerfile.dev}", "medium"),  # context: the project directory
        ("    build: https://github.com/example/media.git#main", "high"),
        ("    image: python:3.12\n    command: python manage.py runserver 0.0.0.0:8000", "medium"),
        ("    image: python:3.12\n    command: flask --app app run --debug", "medium"),
        ("    image: python:3.12\n    command: flask --debug run", "medium"),
        ("    image: python:3.12\n    command: flask run", "high"),
        ("    image: python:3.12\n    command: uvicorn app:app --host 0.0.0.0 --reload", "medium"),
        ("    image: php:8.3\n    command: php artisan serve --host=0.0.0.0", "medium"),
        ("    image: node:22\n    command: npx nodemon server.js", "medium"),
        ("    image: node:22\n    command: [npm, run, dev]", "medium"),
    ],
)
def test_a_bound_checkout_is_a_developers_stack_when_it_is_built_or_served_for_development(
    audit_files: Auditor, app: str, severity: str
) -> None:
    """Another service binding the project's directory makes a store beside it a developer's
    only when that service is built from the project's files or runs a development server."""
    report = audit_files(**{"compose.yaml": _CHECKOUT_APP.format(app=app)})
    finding = _finding(report, "DATA_IMAGE_NO_VOLUME", "/postgres")
    assert str(finding.severity) == severity
