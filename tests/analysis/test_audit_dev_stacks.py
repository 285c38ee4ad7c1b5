"""A Compose project run from its checkout: its mail catcher holds a developer's test mail, and a
database no service is configured to use holds none of its records."""

from __future__ import annotations

import pytest
from tests.analysis.conftest import Auditor, rules_of

_APP = """\
  app:
    build: .
    volumes: ['{source}:/var/www/html']
    depends_on: [mail]
"""


@pytest.mark.parametrize("image", ["axllent/mailpit:v1.7", "mailhog/mailhog", "maildev/maildev"])
def test_a_mail_catcher_beside_an_app_run_from_the_checkout_keeps_nothing(
    audit_files: Auditor, image: str
) -> None:
    compose = f"services:\n{_APP.format(source='.')}  mail:\n    image: {image}\n"
    report = audit_files(**{"compose.yaml": compose})
    assert "IN_PROCESS_STORE" not in rules_of(report, "mail")
    (mail,) = [c for c in report.components if c.name == "mail"]
    assert str(mail.loss) == "none"


@pytest.mark.parametrize("source", ["./src", "/srv/app"])
def test_a_mail_catcher_beside_an_app_bound_elsewhere_still_loses_its_mails(
    audit_files: Auditor, source: str
) -> None:
    # a bind of a folder, not the project's own directory: nothing says it runs from a checkout
    compose = f"services:\n{_APP.format(source=source)}  mail:\n    image: axllent/mailpit\n"
    report = audit_files(**{"compose.yaml": compose})
    assert "IN_PROCESS_STORE" in rules_of(report, "mail")


@pytest.mark.parametrize(("build", "kept"), [("build: ./vendor/sail/runtimes/8.3", False),
                                             ("image: example/app:1", True)])  # fmt: skip
def test_a_mail_catcher_is_a_developers_only_beside_a_checkout_built_into_its_image(
    audit_files: Auditor, build: str, kept: bool
) -> None:
    """Laravel Sail builds its image from a runtime folder of the project and binds the project
    at /var/www/html: test mail. A published image run over the checkout is no such sign."""
    compose = f"services:\n{_APP.replace('build: .', build).format(source='.')}"
    report = audit_files(**{"compose.yaml": compose + "  mail:\n    image: axllent/mailpit\n"})
    assert ("IN_PROCESS_STORE" in rules_of(report, "mail")) is kept


def test_a_catcher_alone_in_a_project_of_published_images_still_loses_its_mails(
    audit_files: Auditor,
) -> None:
    compose = """\
        services:
          api:
            image: ghcr.io/saleor/saleor:3.22
            environment: [EMAIL_URL=smtp://mailpit:1025]
          mailpit:
            image: axllent/mailpit
        """
    report = audit_files(**{"compose.yaml": compose})
    assert "IN_PROCESS_STORE" in rules_of(report, "mailpit")


def test_the_checkout_of_another_project_says_nothing_of_this_one(audit_files: Auditor) -> None:
    dev = f"services:\n{_APP.format(source='.')}  mail:\n    image: mailhog/mailhog\n"
    other = "services:\n  mail:\n    image: mailhog/mailhog\n"
    report = audit_files(**{"dev__compose.yaml": dev, "other__compose.yaml": other})
    held = {f.component for f in report.findings if f.rule == "IN_PROCESS_STORE"}
    assert len(held) == 1 and "other" in next(iter(held))


# A developer's file offering several backends: the server's URLs to two of them are left
# commented out, a third is named by nothing, a fourth is the one it is configured with.
_BACKENDS = """\
services:
  app:
    build: .
    volumes: ['{source}:/src/app', './dev-data:/srv/app']
    links: [postgres, mariadb]
    environment:
      APP_DIR: /srv/app
      CACHE_URL: {live}
      # APP_DATABASE_URL: postgres://app:app@postgres/app?sslmode=disable
      # APP_DATABASE_URL: mysql://app:app@(mariadb)/app
  postgres:
    image: postgres:16
  mariadb:
    image: mariadb:11
  mysql:
    image: mysql:8
  pg-used:
    image: postgres:16
  pg-linked:
    image: postgres:16
"""


def _backends(source: str) -> str:
    live = "postgres://app@pg-used:5432/app"
    text = _BACKENDS.format(source=source, live=live)
    # a server only linked to, with no commented line naming it: nothing says it goes unused
    return text.replace("links: [postgres, mariadb]", "links: [postgres, mariadb, pg-linked]")


@pytest.mark.parametrize("name", ["postgres", "mariadb", "mysql"])
def test_a_database_no_service_of_a_dev_stack_is_configured_to_use_holds_nothing(
    audit_files: Auditor, name: str
) -> None:
    report = audit_files(**{"compose.yaml": _backends(".")})
    (server,) = [c for c in report.components if c.name == name]
    assert str(server.lifecycle) == "ephemeral-safe"
    (finding,) = [f for f in report.findings_for(server.id) if f.rule == "DATA_IMAGE_NO_VOLUME"]
    assert str(finding.severity) == "info" and "no service configured to use it" in finding.message


@pytest.mark.parametrize(("source", "name"), [(".", "pg-used"), (".", "pg-linked"),
                                              ("./src", "postgres"), ("./src", "mysql")])  # fmt: skip
def test_a_database_a_service_uses_or_outside_a_dev_stack_still_loses_its_data(
    audit_files: Auditor, source: str, name: str
) -> None:
    report = audit_files(**{"compose.yaml": _backends(source)})
    (server,) = [c for c in report.components if c.name == name]
    assert str(server.lifecycle) == "persistent"
    (finding,) = [f for f in report.findings_for(server.id) if f.rule == "DATA_IMAGE_NO_VOLUME"]
    # in a stack run from its checkout the records are a developer's: the loss stays, not at
    # high (fixtures.py); a bind of a sub-folder says nothing of where the project runs
    assert str(finding.severity) == ("medium" if source == "." else "high")


# Koillection's development file: the application depends on both servers and is set to the
# PostgreSQL driver and host; the MySQL beside it keeps its (empty) data directory in a bind.
_TWO_ENGINES = """\
services:
  app:
    build: .
    volumes: ['{source}:/var/www/app']
    depends_on: [mysql, postgresql]
    environment: [DB_DRIVER=pdo_pgsql, DB_HOST=postgresql]
  postgresql:
    image: postgres:17
    volumes: ['./docker/volumes/postgresql:/var/lib/postgresql/data']
  mysql:
    image: mysql:8
    volumes: ['{mysql}:/var/lib/mysql']
{volumes}"""


@pytest.mark.parametrize(("mysql", "rule"), [("./docker/volumes/mysql", "COMPOSE_BIND"),
                                              ("mysql-data", "COMPOSE_NAMED_VOLUME")])  # fmt: skip
def test_a_database_only_started_before_an_app_set_to_another_engine_holds_nothing(
    audit_files: Auditor, mysql: str, rule: str
) -> None:
    volumes = "volumes:\n  mysql-data:\n" if rule == "COMPOSE_NAMED_VOLUME" else ""
    compose = _TWO_ENGINES.format(source=".", mysql=mysql, volumes=volumes)
    report = audit_files(**{"compose.yaml": compose})
    (server,) = [c for c in report.components if c.name == "mysql"]
    assert str(server.lifecycle) == "ephemeral-safe"
    (finding,) = [f for f in report.findings_for(server.id) if f.rule == rule]
    assert "configured with another database" in finding.message
    (used,) = [c for c in report.components if c.name == "postgresql"]
    assert str(used.lifecycle) == "persistent"


def test_a_database_only_started_before_an_app_outside_a_dev_stack_keeps_its_data(
    audit_files: Auditor,
) -> None:
    compose = _TWO_ENGINES.format(source="./src", mysql="./docker/volumes/mysql", volumes="")
    report = audit_files(**{"compose.yaml": compose})
    (server,) = [c for c in report.components if c.name == "mysql"]
    assert str(server.lifecycle) == "persistent"


# Fider's development file: the server runs on the host; the file starts only what it talks to.
_BACKING = """\
services:
  smtp:
    image: mailhog/mailhog
  pgdev:
    image: postgres:17
    volumes: ['pgdev-data:/var/lib/postgresql/data']
  pgtest:
    image: postgres:17
  s3test:
    image: minio/minio
    command: server /data
    volumes: ['s3test-data:/data']
{extra}volumes:
  pgdev-data:
  s3test-data:
"""


def test_a_file_of_backing_services_only_holds_test_mail_and_test_fixtures(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{"compose.yaml": _BACKING.format(extra="")})
    by_name = {c.name: c for c in report.components}
    assert "IN_PROCESS_STORE" not in rules_of(report, "smtp")
    for name in ("pgtest", "s3test"):
        assert str(by_name[name].lifecycle) == "ephemeral-safe", name
        assert any("named for tests" in f.message for f in report.findings_for(by_name[name].id))
    assert str(by_name["pgdev"].lifecycle) == "persistent"  # the development records


def test_beside_an_application_a_store_named_for_tests_still_keeps_its_data(
    audit_files: Auditor,
) -> None:
    # Laravel Sail names its application ``laravel.test``: with an application in the file, a
    # name alone does not make the store's records test fixtures. It is one signal that the
    # store is a fixture, so the loss is kept but not claimed at high (fixtures.py).
    app = "  app:\n    image: ghcr.io/getfider/fider:stable\n"
    report = audit_files(**{"compose.yaml": _BACKING.format(extra=app)})
    by_name = {c.name: c for c in report.components}
    assert "IN_PROCESS_STORE" in rules_of(report, "smtp")
    assert str(by_name["s3test"].lifecycle) == "persistent"
    (finding,) = [f for f in report.findings_for(by_name["pgtest"].id)
                  if f.rule == "DATA_IMAGE_NO_VOLUME"]  # fmt: skip
    assert str(finding.severity) == "medium" and "named for tests" in finding.message
    assert str(by_name["pgtest"].lifecycle) == "persistent"


def test_a_database_kept_on_a_volume_that_nothing_names_keeps_its_data(
    audit_files: Auditor,
) -> None:
    # Crater: the Laravel application names its database in a .env file the audit does not
    # read; silence is no sign against a volume the project gave the server.
    compose = """\
        services:
          app:
            build: .
            volumes: ['./:/var/www']
          db:
            image: mariadb
            volumes: ['db:/var/lib/mysql']
        volumes:
          db:
        """
    report = audit_files(**{"compose.yaml": compose})
    (db,) = [c for c in report.components if c.name == "db"]
    assert str(db.lifecycle) == "persistent"


def _deployment(name: str, namespace: str, image: str, env: dict[str, str]) -> str:
    values = "".join(f", {{name: {k}, value: '{v}'}}" for k, v in env.items())
    return f"""\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {{name: {name}, namespace: {namespace}}}
        spec:
          selector: {{matchLabels: {{app: {name}}}}}
          template:
            metadata: {{labels: {{app: {name}}}}}
            spec:
              containers:
              - name: {name}
                image: {image}
                env: [{{name: TZ, value: UTC}}{values}]
        """


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://app.quickstart.test", False),  # the reserved testing domain
        ("http://auth.example.test:8080/login", False),
        ("https://app.example.com", True),
        ("https://contest.example.org", True),  # .test only as the top-level domain
        ("https://app.test.example.com", True),
    ],
)
def test_a_kubernetes_catcher_of_an_estate_served_on_the_testing_domain_holds_test_mail(
    audit_files: Auditor, url: str, kept: bool
) -> None:
    report = audit_files(
        **{
            "mail.yaml": _deployment("mailhog", "auth", "mailhog/mailhog:latest", {}),
            "app.yaml": _deployment("app", "tenant", "example/app:1", {"APP_URL": url}),
        }
    )
    assert ("IN_PROCESS_STORE" in rules_of(report, "mailhog")) is kept


def test_a_compose_catcher_reads_only_its_own_projects_addresses(audit_files: Auditor) -> None:
    """Another project served on ``.test`` says nothing of this one's mail."""
    report = audit_files(
        **{
            "shop__compose.yaml": """\
                services:
                  app: {image: example/shop:1, environment: {URL: "https://shop.example.com"}}
                  mail: {image: axllent/mailpit:v1.20}
                """,
            "lab__compose.yaml": """\
                services:
                  app: {image: example/lab:1, environment: {URL: "https://lab.test"}}
                  mail: {image: axllent/mailpit:v1.20}
                """,
        }
    )
    found = {f.component for f in report.findings if f.rule == "IN_PROCESS_STORE"}
    assert any("shop" in (c or "") for c in found)
    assert not any("lab" in (c or "") for c in found)


@pytest.mark.parametrize(
    ("env", "kept"),
    [
        ('{DEBUG_MODE: "True"}', False),  # Karrio's Django switch
        ("[APP_DEBUG=true]", False),  # Laravel's
        ("{DEBUG: '1'}", False),
        ('{DEBUG_MODE: "False"}', True),  # the switch off: maybe production
        ("{LOG_LEVEL: debug}", True),  # a log level is no debug switch
        ("{MAIL_HOST: mail}", True),
    ],
)
def test_a_catcher_beside_an_app_run_with_its_debug_switch_on_holds_test_mail(
    audit_files: Auditor, env: str, kept: bool
) -> None:
    compose = f"""\
        services:
          api:
            image: example/shop:1
            environment: {env}
          mail:
            image: maildev/maildev
        """
    report = audit_files(**{"compose.yaml": compose})
    assert ("IN_PROCESS_STORE" in rules_of(report, "mail")) is kept


@pytest.mark.parametrize(
    ("comment", "kept"),
    [
        ("# Mail (dev: Mailpit; prod: set RESEND_API_KEY)", False),
        ("# mail: dev-only SMTP catcher", False),  # named by its service
        ("# Mail goes to Mailpit", True),  # no word of development
        ("# dev: set DEBUG in .env", True),  # development, but not of the catcher
    ],
)
def test_a_catcher_the_projects_comment_names_for_development_holds_test_mail(
    audit_files: Auditor, comment: str, kept: bool
) -> None:
    compose = f"""\
        services:
          api:
            image: example/shop:1
            environment:
              {comment}
              SMTP_HOST: mail
          mail:
            image: axllent/mailpit
        """
    report = audit_files(**{"compose.yaml": compose})
    assert ("IN_PROCESS_STORE" in rules_of(report, "mail")) is kept
