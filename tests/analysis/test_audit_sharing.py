"""Shared Compose volumes: the service that writes one holds its state, the others consume it.

Synthetic estates shaped like common layouts (an app with its worker and web server, a proxy fed
by a certificate companion), not copies of any held-out estate.
"""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport, Effect

from .conftest import Auditor

SHARED = """
services:
  app:
    image: example/app:1
    volumes: ["appdata:/srv/app"]
  worker:
    image: example/app:1
    command: worker
    volumes: ["appdata:/srv/app"]
    depends_on: [app]
  web:
    image: nginx:1.27
    volumes: ["appdata:/srv/app:z,ro"]
    depends_on: [app]
  api:
    image: example/api:2
    environment: {ASSETS_DIRECTORY: /opt/assets/files}
    volumes: ["assets:/opt/assets"]
  front:
    image: example/front:2
    volumes: ["assets:/opt/assets"]
  proxy:
    image: example/proxy:3
    volumes: ["html:/usr/share/nginx/html", "certs:/etc/nginx/certs:ro"]
  companion:
    image: example/acme:3
    volumes: ["html:/usr/share/nginx/html", "certs:/etc/nginx/certs", "acme:/etc/acme.sh"]
    depends_on: [proxy]
  alone:
    image: example/alone:1
    volumes: ["own:/var/opt/alone"]
volumes: {appdata: {}, assets: {}, html: {}, certs: {}, acme: {}, own: {}}
"""


def _effects(report: AuditReport, name: str) -> list[Effect]:
    return [
        report.effect_of(f)
        for f in report.findings
        if f.rule == "COMPOSE_NAMED_VOLUME" and (f.component or "").endswith("/" + name)
    ]


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("worker", "shared with app, the service the others depend on"),
        ("web", "read-only"),
        ("front", "shared with api, whose environment names a path in it"),
        ("proxy", "a web server's read path; written by companion"),
    ],
)
def test_consumers_of_a_shared_volume_hold_no_state(
    audit_files: Auditor, name: str, why: str
) -> None:
    report = audit_files(**{"compose.yaml": SHARED})
    component = next(c for c in report.components if c.name == name)
    assert (component.lifecycle, component.gravity) == ("ephemeral-safe", 0)
    assert set(_effects(report, name)) == {Effect.CONTEXT}
    assert why in " ".join(f.message for f in report.findings_for(component.id))


@pytest.mark.parametrize("name", ["app", "api", "companion", "alone"])
def test_the_writer_of_a_volume_holds_its_state(audit_files: Auditor, name: str) -> None:
    report = audit_files(**{"compose.yaml": SHARED})
    component = next(c for c in report.components if c.name == name)
    assert component.lifecycle == "persistent" and component.gravity >= 40
    assert Effect.DURABLE in _effects(report, name)


def test_the_json_form_states_each_findings_effect(audit_files: Auditor) -> None:
    report = audit_files(**{"compose.yaml": SHARED})
    effects = {
        (d["component"]["name"], d["rule"]): d["effect"]
        for d in report.as_dict()["findings"]
        if d["rule"] == "COMPOSE_NAMED_VOLUME"
    }
    assert effects[("worker", "COMPOSE_NAMED_VOLUME")] == "context"
    assert effects[("alone", "COMPOSE_NAMED_VOLUME")] == "durable"
