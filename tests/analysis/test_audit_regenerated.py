"""Mounts whose content a replacement writes again: rendered configuration, downloaded
signatures, generated certificates, accounts registered at start; hook folders and scratch host
directories; a program's state directory that another service mounts beside it.

Synthetic estates shaped like common layouts, not copies of any held-out estate.
"""

from __future__ import annotations

from stateward.analysis.audit import AuditReport, Effect

from .conftest import Auditor


def _bind_effects(report: AuditReport, name: str) -> dict[str, Effect]:
    """Container path -> the effect of the service's mount finding there."""
    found = {}
    for f in report.findings:
        if f.rule in ("COMPOSE_BIND", "COMPOSE_NAMED_VOLUME") and (f.component or "").endswith(
            "/" + name
        ):
            found[f.message.split(" -> ")[1].split(" ")[0].rstrip("/")] = report.effect_of(f)
    return found


def _loss(report: AuditReport, name: str) -> str:
    return next(str(c.loss) for c in report.components if c.name == name)


def _lifecycle(report: AuditReport, name: str) -> str:
    return next(str(c.lifecycle) for c in report.components if c.name == name)


CONFERENCE = """
services:
  web:
    image: ghcr.io/jitsi/web:stable-10590
    volumes:
      - ~/.meet-cfg/web:/config:Z
      - ~/.meet-cfg/storage/web:/storage:Z
      - ~/.meet-cfg/tmp/load-test:/usr/share/app/load-test:Z
  xmpp:
    image: jitsi/prosody:stable-10590
    environment: [ENABLE_AUTH]
    volumes:
      - ~/.meet-cfg/prosody/config:/config:Z
      - ~/.meet-cfg/prosody/prosody-plugins-custom:/prosody-plugins-custom:Z
      - ~/.meet-cfg/storage/prosody:/var/lib/prosody:Z
  focus:
    image: jitsi/jicofo:stable-10590
    volumes: ["~/.meet-cfg/jicofo:/config:Z"]
  scanner:
    image: example/clamd:1
    volumes: ["signatures:/var/lib/clamav"]
  home:
    image: lscr.io/linuxserver/sonarr:4
    volumes: ["~/.sonarr:/config"]
volumes: {signatures: {}}
"""


def test_configuration_an_image_renders_at_start_holds_no_state(audit_files: Auditor) -> None:
    """docker-jitsi-meet's images render their configuration from the environment at every
    start: ``/config`` is the operator's input. LinuxServer.io's ``/config`` stays data."""
    report = audit_files(**{"compose.yaml": CONFERENCE})
    assert _bind_effects(report, "focus") == {"/config": Effect.CONTEXT}
    assert _lifecycle(report, "focus") == "ephemeral-safe"
    assert _bind_effects(report, "home") == {"/config": Effect.DURABLE}


def test_what_a_replacement_writes_again_is_a_warm_up(audit_files: Auditor) -> None:
    """Generated certificates, downloaded signatures and service accounts registered at start
    are rebuilt: the service starts cold and loses nothing. A host scratch folder is no state."""
    report = audit_files(**{"compose.yaml": CONFERENCE})
    assert _bind_effects(report, "web") == {
        "/config": Effect.CONTEXT,
        "/storage": Effect.WARM_UP,
        "/usr/share/app/load-test": Effect.CONTEXT,
    }
    assert _loss(report, "web") == "rebuildable"
    assert _bind_effects(report, "scanner") == {"/var/lib/clamav": Effect.WARM_UP}
    assert _bind_effects(report, "xmpp")["/var/lib/prosody"] == Effect.WARM_UP
    assert _lifecycle(report, "xmpp") == "ephemeral-with-warm-up"


def test_accounts_registered_by_users_are_data(audit_files: Auditor) -> None:
    """With authentication on (or a value hidden as a secret, which may be on), Prosody's own
    account store keeps the users an operator registered: data."""
    compose = CONFERENCE.replace("environment: [ENABLE_AUTH]", "environment: [ENABLE_AUTH=1]")
    report = audit_files(**{"compose.yaml": compose})
    assert _bind_effects(report, "xmpp")["/var/lib/prosody"] == Effect.DURABLE
    external = compose.replace("[ENABLE_AUTH=1]", "[ENABLE_AUTH=1, AUTH_TYPE=ldap]")
    # Users kept in a directory elsewhere (LDAP): Prosody holds the service accounts only.
    report = audit_files(**{"compose.yaml": external})
    assert _bind_effects(report, "xmpp")["/var/lib/prosody"] == Effect.WARM_UP


def test_hook_folders_and_another_programs_state_directory(audit_files: Auditor) -> None:
    """A folder of hook scripts under the project's ``./data`` is code; a monitor that mounts
    ``/var/lib/filter`` beside the ``filter`` service reads that program's state."""
    compose = """
    services:
      filter:
        image: example/filter:2
        volumes: ["./data/hooks/filter:/hooks", "filterstate:/var/lib/filter"]
      monitor:
        image: example/watchdog:2
        volumes: ["filterstate:/var/lib/filter"]
      mail:
        image: example/mta:2
        volumes: ["./data/mail:/var/mail"]
      shop:
        image: example/shop:2
        volumes: ["/home/dev/shop:/srv/shop", "/srv/shop/logs:/srv/shop-logs"]
    volumes: {filterstate: {}}
    """
    report = audit_files(**{"compose.yaml": compose})
    assert _bind_effects(report, "filter") == {
        "/hooks": Effect.CONTEXT,
        "/var/lib/filter": Effect.DURABLE,
    }
    assert _bind_effects(report, "monitor") == {"/var/lib/filter": Effect.CONTEXT}
    assert _lifecycle(report, "monitor") == "ephemeral-safe"
    assert _bind_effects(report, "mail") == {"/var/mail": Effect.DURABLE}
    # A host folder is read by its own words: a user called ``dev`` is no device tree.
    assert _bind_effects(report, "shop") == {
        "/srv/shop": Effect.DURABLE,
        "/srv/shop-logs": Effect.CONTEXT,
    }


def test_a_volume_named_for_backups_holds_copies(audit_files: Auditor) -> None:
    """Dumps and archives on a volume named for backups are made again by the next run; the
    volume a database keeps its data directory on stays data whatever it is called."""
    compose = """
    services:
      backup:
        image: example/dumper:1
        volumes: ["app-backup:/var/tmp/app", "archives:/srv/backups"]
      db:
        image: postgres:17
        volumes: ["db-backup-target:/var/lib/postgresql/data"]
      files:
        image: example/files:1
        volumes: ["uploads:/srv/files"]
    volumes: {app-backup: {}, archives: {}, db-backup-target: {}, uploads: {}}
    """
    report = audit_files(**{"compose.yaml": compose})
    assert _bind_effects(report, "backup") == {
        "/var/tmp/app": Effect.WARM_UP,
        "/srv/backups": Effect.WARM_UP,
    }
    assert _loss(report, "backup") == "rebuildable"
    assert _bind_effects(report, "db") == {"/var/lib/postgresql/data": Effect.DURABLE}
    assert _bind_effects(report, "files") == {"/srv/files": Effect.DURABLE}
