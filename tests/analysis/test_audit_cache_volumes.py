"""A Compose named volume its project names for a cache holds what the program makes again,
unless the service is a data store, whose content its clients say."""

from __future__ import annotations

from stateward.analysis.audit import Effect

from .conftest import Auditor

COMPOSE = """
services:
  inference:
    image: example/inference:1
    environment: {HF_HOME: /data}
    volumes: ["model-cache:/data"]
  tool:
    image: example/tool:1
    volumes: ["pip_cache:/srv/pip"]
  status:
    image: example/status-page:1
    volumes: ["cachet-db:/data"]
  notes:
    image: example/notes:1
    volumes: ["notes-data:/data"]
  cache:
    image: valkey/valkey:8
    volumes: ["shop-cache:/data"]
  worker:
    image: example/shop:1
    command: celery -A shop worker
    environment: {CELERY_BROKER_URL: "redis://cache:6379/1"}
volumes:
  model-cache: {}
  shop-cache: {}
  pip_cache: {}
  cachet-db: {}
  notes-data: {}
"""


def test_a_volume_named_for_a_cache_is_a_warm_up(audit_files: Auditor) -> None:
    report = audit_files(**{"compose.yaml": COMPOSE})
    effects = {
        c.name: {report.effect_of(f) for f in report.findings_for(c.id)
                 if f.rule == "COMPOSE_NAMED_VOLUME"}
        for c in report.components
    }  # fmt: skip
    assert effects["inference"] == {Effect.WARM_UP}
    assert effects["tool"] == {Effect.WARM_UP}
    # "cache" inside another word, or a volume named for data, says nothing of a cache.
    assert effects["status"] == {Effect.DURABLE}
    assert effects["notes"] == {Effect.DURABLE}
    # A store's own content is read from its clients: here the broker of tasks not yet run.
    assert effects["cache"] == {Effect.DURABLE}
    loss = {c.name: c.loss for c in report.components}
    assert loss["inference"] == "rebuildable"
