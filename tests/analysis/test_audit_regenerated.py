"""Mounts whose content a replacement writes again: rendered configuration, downloaded
signatures, generated certificates, accounts registered at start; hook folders and scratch host
directories; a program's state directory that another service mounts beside it.

Synthetic estates shaped like common layouts, not copies of any held-out estate.
"""

from __future__ import annotations

from stateward.analysis.audit import AuditReport, Effect

from .conftest import Auditor, rules_of


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


PROXY = """
services:
  proxy:
    image: %s
    volumes:
      - conf:/etc/nginx/conf.d
      - vhost:/etc/nginx/vhost.d
      - dhparam:/etc/nginx/dhparam
      - /var/run/docker.sock:/tmp/docker.sock:ro
volumes: {conf: {}, vhost: {}, dhparam: {}}
"""


def test_nginx_proxys_rendered_configuration_holds_no_state(audit_files: Auditor) -> None:
    """nginx-proxy renders conf.d from the containers it watches, puts its DH group in dhparam
    and reads the operator's per-host settings from vhost.d (under either Docker Hub name); a
    plain nginx with volumes at the same paths keeps what is written there."""
    dirs = ("/etc/nginx/conf.d", "/etc/nginx/vhost.d", "/etc/nginx/dhparam")
    for image in ("jwilder/nginx-proxy", "nginxproxy/nginx-proxy:1.6"):
        report = audit_files(**{"compose.yaml": PROXY % image})
        assert _bind_effects(report, "proxy") == dict.fromkeys(dirs, Effect.CONTEXT)
        assert _lifecycle(report, "proxy") == "ephemeral-safe"
    plain = audit_files(**{"compose.yaml": PROXY % "nginx:1.27"})
    assert set(_bind_effects(plain, "proxy").values()) == {Effect.DURABLE}


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


def test_a_bind_named_for_backups_holds_copies(audit_files: Auditor) -> None:
    """A dump job's host folder at ``/backup`` holds what its next run dumps again, as a named
    volume there does; a bind of the same job elsewhere stays its own folder."""
    compose = """
    services:
      db:
        image: mariadb:11
        volumes: ["db:/var/lib/mysql"]
      dumper:
        image: example/db-dump:1
        environment: [DB_HOST=db]
        volumes: ["./dumps:/backup"]
      keeper:
        image: example/db-dump:1
        environment: [DB_HOST=db]
        volumes: ["./kept:/srv/kept"]
    volumes: {db: {}}
    """
    report = audit_files(**{"compose.yaml": compose})
    assert _bind_effects(report, "dumper") == {"/backup": Effect.WARM_UP}
    assert _loss(report, "dumper") == "rebuildable"
    assert _bind_effects(report, "keeper") == {"/srv/kept": Effect.DURABLE}


def test_embeddings_computed_from_another_services_files_are_a_warm_up(
    audit_files: Auditor,
) -> None:
    """A face-recognition sidecar reading the gallery's photos read-only keeps on its volume
    the embeddings it computes from them; the same volume on a service that reads no other
    service's files holds what it was given (durable)."""
    compose = """
    services:
      gallery:
        image: example/gallery:1
        volumes: ["./photos:/app/photos"]
      faces:
        image: example/faces:1
        volumes: ["./photos:/data/photos:ro", "faces_embeddings:/data/embeddings"]
      vectors:
        image: example/vectors:1
        volumes: ["vector_embeddings:/data/embeddings"]
    volumes: {faces_embeddings: {}, vector_embeddings: {}}
    """
    report = audit_files(**{"compose.yaml": compose})
    assert _bind_effects(report, "faces")["/data/embeddings"] is Effect.WARM_UP
    assert _loss(report, "faces") == "rebuildable"
    assert _bind_effects(report, "vectors") == {"/data/embeddings": Effect.DURABLE}


def _claimed(name: str, image: str, args: str, mount: str, extra: str = "") -> str:
    return f"""
apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: {name}, namespace: ns}}
spec:
  serviceName: {name}
  template:
    spec:
      containers:
        - name: main
          image: {image}
          args: {args}
          volumeMounts: [{{name: data, mountPath: {mount}}}]
{extra}
  volumeClaimTemplates:
    - metadata: {{name: data}}
      spec: {{accessModes: [ReadWriteOnce], resources: {{requests: {{storage: 10Gi}}}}}}
"""


def _claim_effect(report: AuditReport) -> Effect:
    (finding,) = [f for f in report.findings if f.rule == "STS_VCT"]
    return report.effect_of(finding)


def test_components_that_fetch_again_from_the_bucket_keep_a_warm_up(audit_files: Auditor) -> None:
    """Thanos's store gateway, compactor and ruler keep in their data directory what they read
    again from the object store or evaluate again; the receiver keeps samples not yet uploaded."""
    image = "quay.io/thanos/thanos:v0.30.2"
    for verb in ("store", "compact", "rule"):
        args = f"[{verb}, --data-dir=/var/thanos/{verb}, --objstore.config=$(OBJSTORE_CONFIG)]"
        report = audit_files(**{"t.yaml": _claimed(verb, image, args, f"/var/thanos/{verb}")})
        assert _claim_effect(report) is Effect.WARM_UP, verb
        assert _loss(report, verb) == "rebuildable"
    args = "[receive, --tsdb.path=/var/thanos/receive]"
    report = audit_files(**{"t.yaml": _claimed("receive", image, args, "/var/thanos/receive")})
    assert _claim_effect(report) is Effect.DURABLE
    assert _lifecycle(report, "receive") == "persistent"


def test_jfrogs_nginx_keeps_only_what_it_loads_again_from_artifactory(audit_files: Auditor) -> None:
    """JFrog's NGINX for Artifactory: its /var/opt/jfrog/nginx holds the reverse-proxy
    configuration it loads from Artifactory, built-in certificates and logs; another image's
    claim at the same path is still its own."""
    image = "docker.bintray.io/jfrog/nginx-artifactory-pro:6.23.13"
    report = audit_files(**{"n.yaml": _claimed("proxy", image, "[]", "/var/opt/jfrog/nginx")})
    assert _claim_effect(report) is Effect.WARM_UP
    assert _loss(report, "proxy") == "rebuildable"
    other = _claimed("proxy", "example/proxy:1", "[]", "/var/opt/jfrog/nginx")
    assert _claim_effect(audit_files(**{"n.yaml": other})) is Effect.DURABLE


def test_libretimes_playout_keeps_in_app_only_what_it_downloads_and_generates(
    audit_files: Auditor,
) -> None:
    """LibreTime's playout image works in /app: scheduled files it downloads again and the
    script it generates; another image's volume at /app stays its own."""
    compose = """
    services:
      playout:
        image: ghcr.io/libretime/libretime-playout:4.2.0
        volumes: ["playout:/app"]
      other:
        image: example/app:1
        volumes: ["other:/app"]
    volumes: {playout: {}, other: {}}
    """
    report = audit_files(**{"compose.yaml": compose})
    assert _bind_effects(report, "playout") == {"/app": Effect.WARM_UP}
    assert _loss(report, "playout") == "rebuildable"
    assert _bind_effects(report, "other") == {"/app": Effect.DURABLE}


def test_a_claim_at_a_cache_directory_is_a_warm_up(audit_files: Auditor) -> None:
    report = audit_files(**{"c.yaml": _claimed("search", "example/search:1", "[]", "/mnt/cache")})
    assert _claim_effect(report) is Effect.WARM_UP
    report = audit_files(**{"c.yaml": _claimed("search", "example/search:1", "[]", "/mnt/data")})
    assert _claim_effect(report) is Effect.DURABLE


def test_a_pod_volume_named_as_a_claim_template_is_the_claim(audit_files: Auditor) -> None:
    """The StatefulSet controller puts each template's claim in place of a pod volume of the
    same name: a volume with no source there is no emptyDir, and a sidecar writing the claim
    keeps what it writes."""
    sidecar = (
        "        - name: indexer\n          image: example/indexer:1\n"
        "          volumeMounts: [{name: data, mountPath: /data}]\n"
        "      volumes: [{name: data}]"
    )
    report = audit_files(**{"s.yaml": _claimed("db", "example/db:1", "[]", "/data", sidecar)})
    assert "EMPTYDIR_DEFAULTED" not in rules_of(report)
    assert {report.effect_of(f) for f in report.findings if f.rule == "SIDECAR_STATEFUL"} == {
        Effect.DURABLE
    }
    assert _loss(report, "db") == "none"
    assert _lifecycle(report, "db") == "persistent"


def test_a_sidecar_writing_an_index_built_again_keeps_a_warm_up(audit_files: Auditor) -> None:
    sidecar = (
        "        - name: zoekt-indexserver\n"
        "          image: index.docker.io/sourcegraph/search-indexer:6.2\n"
        "          volumeMounts: [{name: data, mountPath: /data}]"
    )
    image = "index.docker.io/sourcegraph/indexed-searcher:6.2"
    report = audit_files(**{"s.yaml": _claimed("indexed-search", image, "[]", "/data", sidecar)})
    effects = {
        report.effect_of(f) for f in report.findings if f.rule in ("STS_VCT", "SIDECAR_STATEFUL")
    }
    assert effects == {Effect.WARM_UP}
    assert _loss(report, "indexed-search") == "rebuildable"


def test_celery_beats_schedule_and_a_caddy_builds_storage_are_made_again(
    audit_files: Auditor,
) -> None:
    compose = """
services:
  celery_beat:
    image: example/shop:1
    command: /start-beat
    volumes: ["beat:/home/shop/beat"]
  scheduler:
    image: example/shop:1
    command: [celery, -A, shop, beat, -s, /var/lib/beat/schedule]
    volumes: ["sched:/var/lib/beat"]
  proxy:
    image: ghcr.io/example/caddy-l4:latest
    volumes: ["./Caddyfile:/etc/caddy/Caddyfile", "proxy_data:/data"]
  worker:
    image: example/shop:1
    command: [celery, -A, shop, worker]
    volumes: ["work:/srv/work"]
volumes: {beat: {}, sched: {}, proxy_data: {}, work: {}}
"""
    report = audit_files(**{"compose.yaml": compose})
    assert _bind_effects(report, "celery_beat") == {"/home/shop/beat": Effect.WARM_UP}
    assert _bind_effects(report, "scheduler") == {"/var/lib/beat": Effect.WARM_UP}
    assert _bind_effects(report, "proxy")["/data"] is Effect.WARM_UP
    assert _bind_effects(report, "worker") == {"/srv/work": Effect.DURABLE}


def test_a_beat_named_in_one_word_remakes_its_schedule_but_not_its_read_only_settings(
    audit_files: Auditor,
) -> None:
    compose = """
services:
  celerybeat:
    image: example/dashboard:1
    environment: [MODULE_NAME=celerybeat]
    volumes: ["./settings/:/opt/app/configuration:ro", "beat:/opt/app/beat"]
  dashboard:
    image: example/dashboard:1
    volumes: ["./settings/:/opt/app/configuration:ro"]
volumes: {beat: {}}
"""
    report = audit_files(**{"compose.yaml": compose})
    assert _bind_effects(report, "celerybeat") == {
        "/opt/app/configuration": Effect.CONTEXT,
        "/opt/app/beat": Effect.WARM_UP,
    }
    assert _bind_effects(report, "dashboard") == {"/opt/app/configuration": Effect.CONTEXT}


def test_a_volume_under_tmp_holds_temporary_files(audit_files: Auditor) -> None:
    compose = """
services:
  indexer:
    image: example/jobs:1
    volumes: ["index:/tmp/jobs/search", "spool:/var/tmp/jobs"]
volumes: {index: {}, spool: {}}
"""
    effects = _bind_effects(audit_files(**{"compose.yaml": compose}), "indexer")
    # /var/tmp is preserved between reboots (FHS 3.0 §5.15): what is kept there may be needed.
    assert effects == {"/tmp/jobs/search": Effect.WARM_UP, "/var/tmp/jobs": Effect.DURABLE}


OSM_IMPORT = """
services:
  overpass:
    image: example/osm-query:1
    volumes: ["osm-db:/db"]
    environment:
      - OVERPASS_MODE=init
      - {variable}={url}
volumes: {{osm-db: {{}}}}
"""


def test_a_database_imported_from_an_openstreetmap_extract_is_a_warm_up(
    audit_files: Auditor,
) -> None:
    for url in ("http://download.geofabrik.de/europe/monaco-latest.osm.pbf",
                "https://download.geofabrik.de/europe-latest.osm.bz2"):  # fmt: skip
        text = OSM_IMPORT.format(variable="OVERPASS_PLANET_URL", url=url)
        report = audit_files(**{"compose.yaml": text})
        assert _bind_effects(report, "overpass") == {"/db": Effect.WARM_UP}
        assert _loss(report, "overpass") == "rebuildable"
    # a URL of something else: what its volume holds stays its own
    other = OSM_IMPORT.format(variable="UPSTREAM_URL", url="https://example.org/api")
    assert _bind_effects(audit_files(**{"compose.yaml": other}), "overpass") == {
        "/db": Effect.DURABLE
    }


def test_roundcubes_document_root_is_its_code_copied_again(audit_files: Auditor) -> None:
    """Roundcube's entrypoint copies its code into /var/www/html; a data-named bind there holds
    that code, a warm-up, where the same bind into an image the estate says nothing of stays
    data; a claim there is the same warm-up."""
    compose = """
    services:
      webmail:
        image: roundcube/roundcubemail:1.6.10-fpm-alpine
        environment: {ROUNDCUBEMAIL_DB_TYPE: pgsql, ROUNDCUBEMAIL_DB_HOST: db}
        volumes: ["./webmail-data:/var/www/html"]
      blog:
        image: example/php-site:1
        volumes: ["./blog-data:/var/www/html"]
    """
    report = audit_files(**{"compose.yaml": compose})
    assert _bind_effects(report, "webmail") == {"/var/www/html": Effect.WARM_UP}
    assert _loss(report, "webmail") == "rebuildable"
    assert _bind_effects(report, "blog") == {"/var/www/html": Effect.DURABLE}
    claimed = _claimed("webmail", "roundcube/roundcubemail:1.6", "[]", "/var/www/html")
    assert _claim_effect(audit_files(**{"r.yaml": claimed})) is Effect.WARM_UP


_WRITES_ITS_CONFIG = """
services:
  server:
    image: example/feedback:1
    ports: ['8080:8080']
    environment: [{switch}]
    volumes: ['{bind}']
"""


def test_the_one_folder_a_program_writes_its_missing_configuration_into_holds_configuration(
    audit_files: Auditor,
) -> None:
    """ClearFlask's server, told by ``…_CREATE_SERVER_CONFIG_IF_MISSING=1`` to write its
    configuration file from its template, binds ``./server`` where it runs: that file and the
    operator's edits are there."""
    compose = _WRITES_ITS_CONFIG.format(
        switch="APP_CREATE_SERVER_CONFIG_IF_MISSING=1", bind="./server:/opt/feedback/"
    )
    report = audit_files(**{"compose.yaml": compose})
    assert _bind_effects(report, "server") == {"/opt/feedback": Effect.CONTEXT}
    assert _lifecycle(report, "server") != "persistent"


def test_without_the_switch_on_or_at_a_data_folder_the_bind_stays_the_programs_state(
    audit_files: Auditor,
) -> None:
    for switch, bind in (
        ("APP_CREATE_SERVER_CONFIG_IF_MISSING=0", "./server:/opt/feedback/"),
        ("APP_LOG_LEVEL=info", "./server:/opt/feedback/"),
        ("APP_CREATE_SERVER_CONFIG_IF_MISSING=1", "./data:/opt/feedback/data"),
    ):
        compose = _WRITES_ITS_CONFIG.format(switch=switch, bind=bind)
        report = audit_files(**{"compose.yaml": compose})
        assert _lifecycle(report, "server") == "persistent", (switch, bind)
