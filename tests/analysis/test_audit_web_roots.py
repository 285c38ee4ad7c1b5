"""An anonymous volume a Compose file asks for at a read path of the official nginx image (its
document root, its configuration) is no data of the server's: nginx writes only its cache and
logs, and the volume is there for the services that write it through ``volumes_from``."""

from __future__ import annotations

from stateward.analysis.audit import AuditReport

from .conftest import Auditor, rules_of

COMPOSE = """
services:
  nginx:
    image: nginx
    volumes:
      - /etc/nginx/conf.d
      - /usr/share/nginx/html
  gen:
    image: example/config-generator:1
    volumes_from: [nginx]
  scripted:
    image: nginx
    command: ["sh", "-c", "render-pages /usr/share/nginx/html && nginx -g 'daemon off;'"]
    volumes: [/usr/share/nginx/html]
  blog:
    image: example/blog:1
    volumes: [/srv/blog/uploads]
"""


def _loss(report: AuditReport, name: str) -> str:
    return str(next(c for c in report.components if c.name == name).loss)


def test_nginx_document_root_on_an_anonymous_volume_is_not_its_data(audit_files: Auditor) -> None:
    report = audit_files(**{"compose.yaml": COMPOSE})
    assert "DATA_ON_EPHEMERAL" not in rules_of(report, "nginx")
    assert _loss(report, "nginx") == "none"
    # Run with a command of its own, the image may write there: still read as asked for.
    assert "DATA_ON_EPHEMERAL" in rules_of(report, "scripted")
    # An application's own directory on an anonymous volume stays its data.
    assert "DATA_ON_EPHEMERAL" in rules_of(report, "blog")
