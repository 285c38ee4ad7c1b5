"""An embedded SQLite database named by a SQLAlchemy URL with its driver
(``sqlite+aiosqlite:////app/data/app.db``, :mod:`stateward.analysis.audit.appdata`) is the
application's data, and a named volume holding that file is the application's even when a
proxy of another image it depends on mounts the volume too (:mod:`.sharing`)."""

from __future__ import annotations

from stateward.analysis.audit import AuditReport, ComponentAudit

from .conftest import Auditor, rules_of


def _named(report: AuditReport, name: str) -> ComponentAudit:
    return next(c for c in report.components if c.name == name)


def test_a_sqlite_url_with_a_driver_names_the_database_file(audit_files: Auditor) -> None:
    compose = """\
        services:
          app:
            image: example/app:1
            environment: [DATABASE_URL=sqlite+aiosqlite:////app/state/app.db]
          other:
            image: example/app:1
            environment: [DATABASE_URL=postgresql+asyncpg://db/app]
        """
    report = audit_files(**{"compose.yaml": compose})
    assert "APP_DATA_NO_VOLUME" in rules_of(report, "app")
    assert "APP_DATA_NO_VOLUME" not in rules_of(report, "other")  # a server's URL: no file


def _shared(url: str) -> str:
    return f"""\
        services:
          app:
            image: example/manager:1
            environment: [DATABASE_URL={url}]
            volumes: ['shared:/app/data']
            depends_on: [caddy]
          caddy:
            image: caddy:2-alpine
            volumes: ['shared:/data']
        volumes:
          shared:
        """


def test_the_volume_holding_its_database_file_is_the_application_s(audit_files: Auditor) -> None:
    report = audit_files(**{"compose.yaml": _shared("sqlite+aiosqlite:////app/data/app.db")})
    assert str(_named(report, "app").lifecycle) == "persistent"
    # no database file there: the proxy the application depends on keeps the volume
    other = audit_files(**{"compose.yaml": _shared("postgresql://db/app")})
    assert str(_named(other, "app").lifecycle) != "persistent"


def _two_programs(web_db: str) -> str:
    return f"""\
        services:
          service:
            image: example/manager-service:1
            environment: [DB_PATH=/data/manager.db]
            volumes: ['data:/data']
            ports: ['8080:8080']
          web:
            image: example/manager-web:1
            environment: [SERVICE_ADDR=service:8080, DB_PATH={web_db}]
            volumes: ['data:/data']
            depends_on: [service]
        volumes:
          data:
        """


def test_a_program_told_the_same_database_file_as_the_one_it_waits_for_keeps_none(
    audit_files: Auditor,
) -> None:
    # Both open /data/manager.db: the web UI waits for the service, whose records they are.
    report = audit_files(**{"compose.yaml": _two_programs("/data/manager.db")})
    assert str(_named(report, "service").lifecycle) == "persistent"
    assert str(_named(report, "web").lifecycle) != "persistent"
    # A database file of its own in the volume is its own records, whoever it waits for.
    own = audit_files(**{"compose.yaml": _two_programs("/data/web.db")})
    assert str(_named(own, "web").lifecycle) == "persistent"
