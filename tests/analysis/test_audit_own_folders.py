"""A writable bind of a project folder under a name that says nothing of data is the program's
own state, unless the estate says what else it is (:mod:`stateward.analysis.audit.own_folders`).

The estates are hand-made, shaped like the documented setups of self-hosted applications
(a comment engine keeping its store in ``./var``, a remote-desktop daemon's shared drive), not
copies of any held-out estate.
"""

from __future__ import annotations

from .conftest import Auditor

OWN = """
services:
  comments:
    image: example/comments:1
    ports: ["8080:8080"]
    volumes: ["./var:/srv/var"]
  desktop:
    image: example/desktopd:1
    volumes: ["./drive:/drive", "./record:/record:ro"]
"""

SAYS_OTHERWISE = """
services:
  dev:
    build: ./backend
    volumes: ["./backend:/opt/backend", "./:/workspace"]
  tools:
    image: example/tools:1
    working_dir: /srv/tools
    volumes: ["./tools:/srv/tools"]
  extended:
    image: example/extended:1
    volumes: ["./custom/export_mod:/custom/export_mod", "./themes:/usr/share/app/themes",
              "./settings:/opt/app/settings", "./app.conf:/opt/app/app.conf"]
  certbot:
    image: certbot/certbot
    volumes: ["./certbot/www:/var/www/certbot"]
  caddy:
    image: caddy:2
    volumes: ["./site:/srv"]
  consumedir:
    image: example/uploader:1
    command: ["watch", "--delete", "/opt/docs"]
    volumes: ["./docs:/opt/docs"]
  proxy:
    image: example/proxy:1
    command: ["--file.directory=/routes", "--file.watch=true"]
    volumes: ["./routes/:/routes/"]
  setup:
    image: example/tools:1
    command: ["init-db"]
    volumes: ["./seed:/seed"]
  api:
    image: example/api:1
    environment: {DATABASE_URL: "postgres://app@db:5432/app"}
    depends_on: [db]
    volumes: ["./stacks:/stacks"]
  db:
    image: postgres:17
    volumes: ["pg:/var/lib/postgresql/data"]
volumes:
  pg: {}
"""


def _lifecycles(report: object) -> dict[str, str]:
    return {c.name: str(c.lifecycle) for c in report.components}  # type: ignore[attr-defined]


def test_unnamed_writable_project_folder_is_the_programs_state(audit_files: Auditor) -> None:
    report = audit_files(**{"compose.yaml": OWN})
    found = _lifecycles(report)
    assert found["comments"] == "persistent" and found["desktop"] == "persistent"
    comments = next(c for c in report.components if c.name == "comments")
    assert "project folder ./var the program writes" in comments.explanation
    bind = [f for f in report.findings if f.rule == "COMPOSE_BIND" and "/record" in f.message]
    assert bind and report.effect_of(bind[0]) == "context"  # read-only: read, not written


def test_code_config_supplied_inbox_and_database_backed_folders_are_not(
    audit_files: Auditor,
) -> None:
    found = _lifecycles(audit_files(**{"compose.yaml": SAYS_OTHERWISE}))
    others = ("dev", "tools", "extended", "certbot", "caddy", "consumedir", "proxy", "setup", "api")
    for name in others:
        assert found[name] != "persistent", name  # certbot: a warm-up (certificates)
    assert found["db"] == "persistent"


BELOW_THE_PROGRAM = """
services:
  api:
    build: .
    volumes: ["./records:/app/records"]
  tester:
    image: example/tester:1
    volumes: ["./cases:/code/tester/cases"]
  served:
    image: example/served:1
    volumes: ["./app:/srv/app"]
"""


def test_a_folder_below_the_program_s_home_is_named_by_itself(audit_files: Auditor) -> None:
    """``/app`` is the program's home, not a name for code: ``./records:/app/records`` is what
    the program writes; a folder below ``/code/`` and one called ``app`` are still code."""
    found = _lifecycles(audit_files(**{"compose.yaml": BELOW_THE_PROGRAM}))
    assert found["api"] == "persistent"
    assert found["tester"] != "persistent" and found["served"] != "persistent"


HANDED = """
services:
  receiver:
    image: example/receiver:1
    command: -verbose -hooks=/app/receiver/hooks.yml -hotreload
    volumes: ["./receiver:/app/receiver"]
  keeper:
    image: example/keeper:1
    command: ["--db", "/app/keeper/db.json", "--config=/etc/keeper.yml"]
    volumes: ["./keeper:/app/keeper"]
"""


def test_a_folder_the_command_hands_a_configuration_file_from_is_the_operators(
    audit_files: Auditor,
) -> None:
    """A command passing the program a configuration file inside the bound folder says the
    operator supplies that folder; a JSON file there, or a configuration file elsewhere, does
    not: the folder stays the program's own."""
    found = _lifecycles(audit_files(**{"compose.yaml": HANDED}))
    assert found["receiver"] != "persistent"
    assert found["keeper"] == "persistent"
