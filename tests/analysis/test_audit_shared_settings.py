"""A model variable a service is handed but does not use: the project's shared file, a step, Celery's beat.

Small hand-made estates, not copies of any held-out estate.
"""

from __future__ import annotations

from stateward.analysis.audit import Effect

from .conftest import Auditor, rules_of

SHARED = """
services:
  app:
    image: example.org/acme/rag:1
    env_file: .env
  cache:
    image: %s
    env_file: .env
"""
ENV = "EMBEDDING_MODEL=acme/embedder-small\n"


def test_a_model_variable_a_store_carries_too_is_the_projects_setting(
    audit_files: Auditor,
) -> None:
    """Redis given the same ``EMBEDDING_MODEL`` says the file is shared: no model is read from
    it for the application; handed to another application, the variable stays the app's."""
    shared = audit_files(**{"compose.yaml": SHARED % "redis:7.4", ".env": ENV})
    assert "STARTUP_FETCH" not in rules_of(shared, "app")
    assert "STARTUP_FETCH" not in rules_of(shared, "cache")
    own = audit_files(**{"compose.yaml": SHARED % "example.org/acme/worker:1", ".env": ENV})
    assert "STARTUP_FETCH" in rules_of(own, "app")


STEP = """
services:
  migrations:
    image: example.org/acme/rag:1
    command: [alembic, upgrade, head]
    environment: {EMBEDDING_MODEL: acme/embedder-small}
    restart: "%s"
  app:
    image: example.org/acme/rag:1
    environment: {EMBEDDING_MODEL: acme/embedder-small}
"""


def _fetch_effect(audit_files: Auditor, restart: str) -> Effect | None:
    report = audit_files(**{"compose.yaml": STEP % restart})
    (finding,) = [
        f
        for f in report.findings
        if f.rule == "STARTUP_FETCH" and (f.component or "").endswith("/migrations")
    ]
    return report.effect_of(finding)


def test_a_one_shot_step_loading_a_model_keeps_nothing(audit_files: Auditor) -> None:
    """A migration let end runs again to the same end; restarted always it is a server."""
    assert _fetch_effect(audit_files, "no") is Effect.CONTEXT
    assert _fetch_effect(audit_files, "always") is Effect.WARM_UP


BEAT = """
services:
  %s:
    image: example.org/acme/rag:1
    command: %s
    environment: {EMBEDDING_MODEL: acme/embedder-small}
"""


def test_celerys_beat_loads_no_model_its_workers_do(audit_files: Auditor) -> None:
    """Beat only sends the tasks on schedule; the worker runs them and loads the model."""
    for name, command in (("celery_beat", "[run.sh]"), ("scheduler", "[celery, -A, app, beat]")):
        beat = audit_files(**{"compose.yaml": BEAT % (name, command)})
        assert "STARTUP_FETCH" not in rules_of(beat, name)
    worker = audit_files(**{"compose.yaml": BEAT % ("worker", "[celery, -A, app, worker]")})
    assert "STARTUP_FETCH" in rules_of(worker, "worker")
