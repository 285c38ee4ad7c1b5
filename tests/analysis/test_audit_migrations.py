"""One-shot steps: neither a schema migration nor a seeding job holds anything of its own.

Synthetic estates shaped like common layouts, not copies of any held-out estate.
"""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport, Effect

from .conftest import Auditor

STEPS = """
services:
  db:
    image: postgres:17
    volumes: ["rows:/var/lib/postgresql/data"]
  prepare:
    image: example/api:3
    command: ["migrate"]
    depends_on: {db: {condition: service_healthy}}
  api:
    image: example/api:3
    depends_on: {prepare: {condition: service_completed_successfully}}
  seed:
    image: example/api:3
    command: bundle exec rails db:migrate db:seed
volumes: {rows: {}}
"""


def _seed_effects(report: AuditReport, name: str) -> list[Effect]:
    return [
        report.effect_of(f)
        for f in report.findings
        if f.rule == "SEED_JOB" and (f.component or "").endswith("/" + name)
    ]


def _lifecycle(report: AuditReport, name: str) -> str:
    return next(str(c.lifecycle) for c in report.components if c.name == name)


def test_a_schema_migration_step_holds_nothing_of_its_own(audit_files: Auditor) -> None:
    """Named for a migration or running one, a one-shot step changes the database, which keeps
    the result: context, and the step is safe to replace."""
    report = audit_files(**{"compose.yaml": STEPS.replace("  prepare:", "  migrate-db:")
                            .replace("prepare: {condition", "migrate-db: {condition")})  # fmt: skip
    assert _seed_effects(report, "migrate-db") == [Effect.CONTEXT]
    assert _lifecycle(report, "migrate-db") == "ephemeral-safe"
    job = """
    apiVersion: batch/v1
    kind: Job
    metadata: {name: app-migrate, namespace: ns}
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: migrate, image: example/api:3, args: [migrate]}]
    """
    report = audit_files(**{"job.yaml": job})
    assert _seed_effects(report, "app-migrate") == [Effect.CONTEXT]


def test_a_step_that_seeds_data_holds_none_of_it(audit_files: Auditor) -> None:
    """A step that also seeds (``db:seed``) puts data in the database, which keeps it: the
    step is safe to replace, and its finding says it seeds, not that it migrates."""
    report = audit_files(**{"compose.yaml": STEPS})
    assert _seed_effects(report, "seed") == [Effect.CONTEXT]
    assert _lifecycle(report, "seed") == "ephemeral-safe"
    (finding,) = [f for f in report.findings if f.rule == "SEED_JOB" and "seed" in f.component]
    assert "schema migration" not in finding.message


def test_a_restore_step_filling_the_servers_folder_holds_none_of_it(audit_files: Auditor) -> None:
    """mc-backup's restore fills the server's folder before it starts: the server keeps it."""
    compose = """
    services:
      mc:
        image: itzg/minecraft-server
        depends_on: {restore-backup: {condition: service_completed_successfully}}
        volumes: ["./mc-data:/data"]
      restore-backup:
        image: itzg/mc-backup
        restart: "no"
        entrypoint: restore-tar-backup
        volumes: ["./mc-data:/data", "./mc-backups:/backups:ro"]
    """
    report = audit_files(**{"compose.yaml": compose})
    assert _seed_effects(report, "restore-backup") == [Effect.CONTEXT]
    assert _lifecycle(report, "restore-backup") == "ephemeral-safe"
    assert _lifecycle(report, "mc") == "persistent"


INIT_DB = """
services:
  db:
    image: mysql:8.0
    volumes: ["rows:/var/lib/mysql"]
  init-db:
    image: example/init-db:1
    environment: ["DB_HOST=db", "{variable}={value}"]
    depends_on: {{db: {{condition: service_healthy}}}}
volumes: {{rows: {{}}}}
"""


@pytest.mark.parametrize(
    ("variable", "value", "migrates"),
    [
        ("ACTION", "update", True),  # Liquibase's update
        ("DB_COMMAND", "migrate", True),  # Flyway's migrate
        ("TASK", "Upgrade", True),  # Alembic's upgrade
        ("ACTION", "load", False),  # another action: it may put data in
        ("UPDATE_CHANNEL", "update", False),  # a variable naming no action
    ],
)
def test_a_step_whose_action_variable_picks_a_migration_holds_nothing(
    audit_files: Auditor, variable: str, value: str, migrates: bool
) -> None:
    compose = INIT_DB.format(variable=variable, value=value)
    report = audit_files(**{"compose.yaml": compose})
    assert _seed_effects(report, "init-db") == [Effect.CONTEXT]
    (finding,) = [f for f in report.findings if f.rule == "SEED_JOB"]
    assert ("schema migration" in finding.message) is migrates
