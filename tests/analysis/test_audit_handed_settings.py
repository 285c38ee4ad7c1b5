"""Settings a Compose project hands every service from one shared block: a server's variables
given to its clients (``PGDATA``, a vector store's data path) say nothing of the clients' own
data, and the service they all lean on keeps the folder they share. Small hand-made projects,
not copies of any held-out estate."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport

from .conftest import Auditor, rules_of

SHARED = """\
x-shared: &shared
  DB_HOST: db
  PGDATA: /var/lib/postgresql/data/pgdata
  INDEX_PERSISTENCE_DATA_PATH: /var/lib/index
services:
  api:
    image: example/api:1
    environment:
      <<: *shared
  beat:
    image: example/api:1
    command: [beat]
    environment:
      <<: *shared
  db:
    image: postgres:16
    environment: {PGDATA: /var/lib/postgresql/data/pgdata}
    volumes: ["./db:/var/lib/postgresql/data"]
  index:
    image: example/index:1
    environment: {PERSISTENCE_DATA_PATH: /var/lib/index}
    volumes: ["./index:/var/lib/index"]
"""


def _lifecycle(report: AuditReport, name: str) -> str:
    return next(str(c.lifecycle) for c in report.components if c.name == name)


def test_a_client_handed_its_servers_settings_keeps_nothing_of_them(audit_files: Auditor) -> None:
    """Told where its database is (``DB_HOST: db``), a service handed ``PGDATA`` is its client;
    a data path named for the ``index`` service is that service's."""
    report = audit_files(**{"compose.yaml": SHARED})
    for name in ("api", "beat"):
        assert _lifecycle(report, name) == "ephemeral-safe", name
        assert not {"DATA_IMAGE_NO_VOLUME", "APP_DATA_NO_VOLUME"} & rules_of(report, name)
    assert _lifecycle(report, "db") == "persistent"


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        (("  DB_HOST: db\n", ""), "DATA_IMAGE_NO_VOLUME"),  # no database host: read as a server
        (("INDEX_PERSISTENCE", "CACHE_PERSISTENCE"), "APP_DATA_NO_VOLUME"),  # names no service
    ],
)
def test_without_the_signal_the_settings_still_read_as_its_own(
    audit_files: Auditor, change: tuple[str, str], rule: str
) -> None:
    report = audit_files(**{"compose.yaml": SHARED.replace(*change)})
    assert rule in rules_of(report, "api")


KEEPER = """\
services:
  backend:
    image: example/erp:1
    volumes: ["sites:/srv/sites"]
  worker:
    image: example/erp:1
    command: [bench, worker]
    volumes: ["sites:/srv/sites"]
  websocket:
    image: example/erp:1
    command: [node, socketio.js]
    volumes: ["sites:/srv/sites"]
  frontend:
    image: example/erp:1
    command: [nginx-entrypoint.sh]
    depends_on: [websocket, backend]
    volumes: ["sites:/srv/sites"]
volumes: {sites: {}}
"""


@pytest.mark.parametrize(("depends", "worker"), [(True, "ephemeral-safe"), (False, "persistent")])
def test_the_served_default_command_of_an_image_keeps_the_folder_its_parts_share(
    audit_files: Auditor, depends: bool, worker: str
) -> None:
    """With no port of its own, the one service of the image's default command that another
    depends on (beside a second one it depends on) serves the others: it keeps the folder; one
    nothing depends on may be a template, and no service is told apart."""
    compose = KEEPER if depends else KEEPER.replace("    depends_on: [websocket, backend]\n", "")
    report = audit_files(**{"compose.yaml": compose})
    assert _lifecycle(report, "backend") == "persistent"
    assert _lifecycle(report, "worker") == worker
