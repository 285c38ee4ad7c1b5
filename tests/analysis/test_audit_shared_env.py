"""One env file for an application and its database: the server's variables do not make the
application a database server when it is told to connect to one elsewhere."""

from __future__ import annotations

import pytest
from tests.analysis.conftest import Auditor, rules_of


def _compose(url: str) -> str:
    return f"""\
        services:
          app:
            image: example/app:1
            env_file: [.env]
            environment: [DATABASE_URL={url}]
          db:
            image: lscr.io/linuxserver/mariadb:11.4
            env_file: [.env]
            volumes: ['./db:/config']
        """


@pytest.mark.parametrize(
    "url",
    [
        "jdbc:mariadb://db:3306/app",
        "mysql://user@db:3306/app",
        "jdbc:mysql://db/app",
        # the same engine's other name: MariaDB and MySQL share the data directory
        "mariadb://db/app",
    ],
)
def test_a_client_of_a_server_elsewhere_is_not_read_as_that_server(
    audit_files: Auditor, url: str
) -> None:
    report = audit_files(**{"compose.yaml": _compose(url), ".env": "MYSQL_ROOT_PASSWORD=root\n"})
    assert "DATA_IMAGE_NO_VOLUME" not in rules_of(report, "app")


@pytest.mark.parametrize(
    "url",
    [
        "jdbc:mysql://localhost:3306/app",  # its own server in the same container
        "postgres://db/app",  # a client of another engine says nothing of this one
        "",
    ],
)
def test_server_variables_still_name_the_server_without_a_url_to_another_host(
    audit_files: Auditor, url: str
) -> None:
    report = audit_files(**{"compose.yaml": _compose(url), ".env": "MYSQL_ROOT_PASSWORD=root\n"})
    (finding,) = [
        f for f in report.findings
        if f.rule == "DATA_IMAGE_NO_VOLUME" and (f.component or "").endswith("/app")
    ]  # fmt: skip
    assert "mysql database image" in finding.message
    assert "root" not in finding.message  # the value is never echoed


# phpMyAdmin's image reads PMA_HOST or PMA_HOSTS for the server it administers.
@pytest.mark.parametrize(
    "host", ["MYSQL_HOST=db", "MYSQL_HOST=mysql.internal", "PMA_HOST=db", "PMA_HOSTS=db1,db2"]
)
def test_a_client_host_variable_naming_another_host_makes_a_client(
    audit_files: Auditor, host: str
) -> None:
    # The shared file hands the server's password along with the client's host (apitable's .env).
    env = f"MYSQL_ROOT_PASSWORD=root\n{host}\n"
    report = audit_files(**{"compose.yaml": _compose(""), ".env": env})
    assert "DATA_IMAGE_NO_VOLUME" not in rules_of(report, "app")


@pytest.mark.parametrize(
    "host", ["MYSQL_HOST=localhost", "MYSQL_HOST=app", "PGHOST=db", "PMA_HOST=127.0.0.1"]
)
def test_a_host_variable_of_itself_or_another_engine_leaves_the_server(
    audit_files: Auditor, host: str
) -> None:
    env = f"MYSQL_ROOT_PASSWORD=root\n{host}\n"
    report = audit_files(**{"compose.yaml": _compose(""), ".env": env})
    assert "DATA_IMAGE_NO_VOLUME" in rules_of(report, "app")


@pytest.mark.parametrize(
    "env",
    [
        "MYSQL_ROOT_PASSWORD=root\nPOSTGRES_USER=app\nPOSTGRES_PASSWORD=pw\n",
        "MYSQL_ROOT_PASSWORD=root\nMONGO_INITDB_ROOT_USERNAME=app\n",
    ],
)
def test_two_engines_variables_make_a_client_of_both(audit_files: Auditor, env: str) -> None:
    # No official image initialises two engines: the env files of two servers handed to one
    # service (coturn's relay given mysql.env and postgresql.env) make it their client.
    report = audit_files(**{"compose.yaml": _compose(""), ".env": env})
    assert "DATA_IMAGE_NO_VOLUME" not in rules_of(report, "app")


@pytest.mark.parametrize(
    "env",
    [
        "MYSQL_ROOT_PASSWORD=root\nMYSQL_USER=app\nMYSQL_PASSWORD=pw\n",
        # MariaDB's image reads the MYSQL_ names too: the same engine, still the server
        "MARIADB_ROOT_PASSWORD=root\nMYSQL_USER=app\nMYSQL_PASSWORD=pw\n",
    ],
)
def test_one_engines_variables_still_name_the_server(audit_files: Auditor, env: str) -> None:
    report = audit_files(**{"compose.yaml": _compose(""), ".env": env})
    assert "DATA_IMAGE_NO_VOLUME" in rules_of(report, "app")


def _project(app_env: str) -> str:
    return f"""\
        services:
          app:
            image: example/app:1
            env_file: [.env]
            environment: [{app_env}]
          db:
            image: postgres:16
            env_file: [.env]
            volumes: ['./db:/var/lib/postgresql/data']
        """


def test_a_host_directory_the_project_env_hands_to_its_database_too_is_no_app_data(
    audit_files: Auditor,
) -> None:
    """One ``.env`` hands every service the host directories other Compose files bind: the
    database has ``MEDIA_DIR`` as the application does, and no service mounts there."""
    shared = audit_files(**{"compose.yaml": _project("TZ=UTC"), ".env": "MEDIA_DIR=/mnt/Media\n"})
    assert "APP_DATA_NO_VOLUME" not in rules_of(shared, "app")
    # the application's own variable, which the database is not handed, still counts
    own = audit_files(**{"compose.yaml": _project("MEDIA_DIR=/mnt/Media"), ".env": "TZ=UTC\n"})
    assert "APP_DATA_NO_VOLUME" in rules_of(own, "app")


_PHPMYADMIN = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: phpmyadmin}
spec:
  selector: {matchLabels: {app: phpmyadmin}}
  template:
    metadata: {labels: {app: phpmyadmin}}
    spec:
      containers:
        - name: phpmyadmin
          image: phpmyadmin/phpmyadmin
          env:
            - {name: PMA_HOST, value: SERVER}
            - name: MYSQL_ROOT_PASSWORD
              valueFrom: {secretKeyRef: {name: mariadb-secret, key: MARIADB_ROOT_PASSWORD}}
"""


@pytest.mark.parametrize(("host", "kept"), [("mariadb-service", False), ("localhost", True)])
def test_a_kubernetes_web_client_given_the_server_password_is_no_server(
    audit_files: Auditor, host: str, kept: bool
) -> None:
    # A pod keeps nothing of its image's directories: read as MySQL it would lose its data.
    report = audit_files(**{"pma.yaml": _PHPMYADMIN.replace("SERVER", host)})
    assert ("DATA_IMAGE_NO_VOLUME" in rules_of(report, "phpmyadmin")) is kept
