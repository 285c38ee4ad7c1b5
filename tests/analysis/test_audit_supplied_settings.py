"""A project folder shipping a program's settings where the program writes its defaults when
absent (SearXNG's ``/etc/searxng``) is the operator's configuration, not a warm-up.

Small hand-made estates, not copies of any held-out estate.
"""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport, Effect

from .conftest import Auditor

SEARCH = """
services:
  search:
    image: searxng/searxng:2024.1.1
    volumes: ["%s:/etc/searxng"]
volumes: {settings: {}}
"""
SETTINGS = "[botdetection.ip_limit]\nlink_token = false\n"


def _search(report: AuditReport) -> tuple[Effect | None, str]:
    (finding,) = [
        f for f in report.findings if f.rule.startswith("COMPOSE_") and "/etc/searxng" in f.message
    ]
    component = next(c for c in report.components if c.name == "search")
    return report.effect_of(finding), str(component.loss)


def test_a_project_folder_shipping_the_settings_is_configuration(audit_files: Auditor) -> None:
    report = audit_files(
        **{"compose.yaml": SEARCH % "./searxng", "searxng__limiter.toml": SETTINGS}
    )
    assert _search(report) == (Effect.CONTEXT, "none")


@pytest.mark.parametrize("source", ["./searxng", "settings"])
def test_an_empty_folder_or_a_volume_gets_the_defaults_written_again(
    audit_files: Auditor, source: str
) -> None:
    """Nothing shipped there: the entrypoint writes its defaults, a warm-up."""
    report = audit_files(**{"compose.yaml": SEARCH % source})
    assert _search(report) == (Effect.WARM_UP, "rebuildable")


DNS = """
services:
  ddns:
    image: lscr.io/linuxserver/%s:latest
    volumes: ["./config:/config"]
"""
DDCLIENT_CONF = "daemon=300\nprotocol=cloudflare\nzone=example.org\n"


@pytest.mark.parametrize(("image", "effect"), [("ddclient", Effect.CONTEXT), ("sonarr", None)])
def test_ddclient_keeps_only_its_configuration_in_config(
    audit_files: Auditor, image: str, effect: Effect | None
) -> None:
    """LinuxServer.io's ddclient keeps its cache in /run, so a /config bind shipping its
    ddclient.conf holds the operator's configuration; an application of the same fleet that
    keeps its database in /config (Sonarr) still keeps state there, whatever file it ships."""
    report = audit_files(**{"compose.yaml": DNS % image, "config__ddclient.conf": DDCLIENT_CONF})
    (finding,) = [f for f in report.findings if f.rule == "COMPOSE_BIND"]
    assert (report.effect_of(finding) is Effect.CONTEXT) is (effect is Effect.CONTEXT)
    (component,) = report.components
    assert (component.lifecycle == "ephemeral-safe") is (effect is Effect.CONTEXT)
