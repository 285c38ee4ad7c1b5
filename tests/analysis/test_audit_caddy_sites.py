"""A Caddy whose every site is served over plain HTTP (``:80``, ``http://``, or with automatic
HTTPS off) obtains no certificate, so its data directories hold nothing; one serving a host
name, or an address from a variable it is not given, keeps the certificates it obtains.
Small hand-made Compose projects with their Caddyfile."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport

from .conftest import Auditor

_PROJECT = """\
    services:
      proxy:
        image: caddy:2-alpine
        environment:
          SITE: "{site}"
        volumes:
          - ./Caddyfile:/etc/caddy/Caddyfile:ro
          {data}
      app:
        image: example.org/acme/app:1
    {volumes}
    """

_GLOBAL = "{\n\tservers {\n\t\ttrusted_proxies static private_ranges\n\t}\n}\n\n"


def _audit(audit_files: Auditor, caddyfile: str, site: str, volume: bool) -> AuditReport:
    compose = _PROJECT.format(
        site=site,
        data="- caddy_data:/data" if volume else "",
        volumes="volumes:\n      caddy_data: {}" if volume else "",
    )
    return audit_files(**{"compose.yaml": compose, "Caddyfile": caddyfile})


def _effect(report: AuditReport, rule: str) -> str:
    (finding,) = [f for f in report.findings if f.rule == rule]
    return str(report.effect_of(finding))


@pytest.mark.parametrize(
    ("caddyfile", "site"),
    [
        (":80 {\n\treverse_proxy app:8000\n}\n", ""),
        (_GLOBAL + "{$SITE} {\n\treverse_proxy app:8000\n}\n", ":8080"),
        ("http://shop.example.org, :81 {\n\treverse_proxy app:8000\n}\n", ""),
        ("{\n\tauto_https off\n}\nshop.example.org {\n\treverse_proxy app:8000\n}\n", ""),
    ],
)
def test_a_caddy_serving_plain_http_holds_nothing(
    audit_files: Auditor, caddyfile: str, site: str
) -> None:
    report = _audit(audit_files, caddyfile, site, volume=False)
    assert _effect(report, "DATA_IMAGE_NO_VOLUME") == "context"
    kept = _audit(audit_files, caddyfile, site, volume=True)
    assert _effect(kept, "COMPOSE_NAMED_VOLUME") == "context"


@pytest.mark.parametrize(
    ("caddyfile", "site"),
    [
        ("shop.example.org {\n\treverse_proxy app:8000\n}\n", ""),
        (_GLOBAL + "{$SITE} {\n\treverse_proxy app:8000\n}\n", "shop.example.org"),
        # A variable the container is not given: the address is unknown.
        ("{$DOMAIN} {\n\treverse_proxy app:8000\n}\n", ""),
        (":80, shop.example.org {\n\treverse_proxy app:8000\n}\n", ""),
    ],
)
def test_a_caddy_serving_a_host_keeps_its_certificates(
    audit_files: Auditor, caddyfile: str, site: str
) -> None:
    report = _audit(audit_files, caddyfile, site, volume=False)
    assert _effect(report, "DATA_IMAGE_NO_VOLUME") == "warm-up"
    kept = _audit(audit_files, caddyfile, site, volume=True)
    assert _effect(kept, "COMPOSE_NAMED_VOLUME") == "warm-up"
