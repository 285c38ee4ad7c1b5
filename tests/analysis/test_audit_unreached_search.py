"""A search engine no service of its Compose project reaches, beside an application keeping data
of its own, is that application's index (:mod:`stateward.analysis.audit.unreached_search`).
Small hand-made Compose projects, not copies of any held-out estate."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Lifecycle

from .conftest import Auditor

ENGINE = """
  search:
    image: docker.elastic.co/elasticsearch/elasticsearch:8.15.0
    environment: [discovery.type=single-node]
    volumes: [esdata:/usr/share/elasticsearch/data]
"""
APP = """
  app:
    image: example/app:1
    volumes: [./app-data:/srv/app]
"""
VOLUMES = "volumes:\n  esdata: {}\n"


def _lifecycle(audit_files: Auditor, services: str) -> Lifecycle:
    report = audit_files(**{"compose.yaml": "services:" + services + VOLUMES})
    return {c.name: c.lifecycle for c in report.components}["search"]


def test_an_engine_nothing_reaches_beside_an_application_keeping_data_is_its_index(
    audit_files: Auditor,
) -> None:
    assert _lifecycle(audit_files, ENGINE + APP) is Lifecycle.EPHEMERAL_WITH_WARM_UP


@pytest.mark.parametrize(
    "services",
    [
        ENGINE,  # alone: it may be the only store of what it is sent
        ENGINE + APP.replace("    volumes: [./app-data:/srv/app]\n", ""),  # nothing kept beside
        ENGINE + APP + "    depends_on: [search]\n",  # reached, but not named as an index
        ENGINE + APP + "    environment: {LOGS_URL: 'http://search:9200'}\n",
        ENGINE + ENGINE.replace("search:", "search2:").replace("esdata:", "esdata2:"),
    ],
)
def test_an_engine_reached_alone_or_beside_nothing_kept_stays_a_store(
    audit_files: Auditor, services: str
) -> None:
    volumes = VOLUMES + ("  esdata2: {}\n" if "esdata2" in services else "")
    report = audit_files(**{"compose.yaml": "services:" + services + volumes})
    lifecycle = {c.name: c.lifecycle for c in report.components}["search"]
    assert lifecycle is Lifecycle.PERSISTENT
