"""The further catalogue of self-hosted applications and data tools
(:mod:`stateward.analysis.audit.app_catalog`): where each keeps its data by default, and which
keep only what a fresh start fetches or is issued again. Small hand-made Compose projects and
pods; without the catalogue, none of these images says where its data is."""

from __future__ import annotations

import pytest

from stateward.analysis.audit.app_catalog import APPS, REBUILT
from stateward.analysis.audit.knowledge import app_image, data_image

from .conftest import Auditor, rules_of


def _compose(image: str, volumes: str = "") -> str:
    mounts = f"\n    volumes: [{volumes}]" if volumes else ""
    named = "".join(
        f"\n  {v.split(':', 1)[0].strip(chr(34))}: {{}}" for v in volumes.split(",") if v
    )
    tail = f"\nvolumes:{named}" if named.strip() else ""
    return f"services:\n  app:\n    image: {image}{mounts}{tail}\n"


@pytest.mark.parametrize(
    "image",
    [
        "docker.n8n.io/n8nio/n8n:1.80.0",
        "filebrowser/filebrowser:v2",
        "ghcr.io/open-webui/open-webui:main",
        "metabase/metabase:v0.52",
        "neosmemo/memos:stable",
        "gotify/server:2",
        "itzg/minecraft-server",
        "ghcr.io/hotio/sonarr:release",
        "qdrant/qdrant:v1.12",
        "semitechnologies/weaviate:1.27",
        "arangodb:3.12",
        "ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter-scipy:v1.9.0",
        "quay.io/jupyter/scipy-notebook:2024-10-07",
        "anirdev/slink:latest",
        "wolveix/satisfactory-server:latest",
        "saltcorn/saltcorn",
        "evershop/evershop:latest",
        "chrisbenincasa/tunarr:edge",
        "polonel/trudesk:1",
        "pepperlabs/peppermint:latest",
        "lissy93/dashy:latest",
        "mediacms/mediacms:latest",
        "traccar/traccar:latest",
        "amir20/dozzle:latest",
    ],
)
def test_an_application_with_no_volume_at_its_documented_directory_loses_its_data(
    audit_files: Auditor, image: str
) -> None:
    report = audit_files(**{"compose.yaml": _compose(image)})
    (component,) = report.components
    assert "DATA_IMAGE_NO_VOLUME" in rules_of(report, "app")
    assert str(component.loss) == "data"


@pytest.mark.parametrize(
    ("image", "volume"),
    [
        ("docker.n8n.io/n8nio/n8n:1.80.0", "n8n:/home/node/.n8n"),
        ("gotson/komga:1", "komga:/config"),
        ("filebrowser/filebrowser:v2", "files:/srv"),
        ("codercom/code-server:4", "home:/home/coder"),
        ("jupyter/minimal-notebook:latest", "work:/home/jovyan"),
        ("wolveix/satisfactory-server:latest", "server:/config"),
        ("chrisbenincasa/tunarr:edge", "tunarr:/config"),
    ],
)
def test_a_volume_at_the_documented_directory_keeps_it(
    audit_files: Auditor, image: str, volume: str
) -> None:
    """The volume holds the application's data: it weighs more than the same volume on an
    image the catalogue does not know (these paths are not named for data)."""
    report = audit_files(**{"compose.yaml": _compose(image, volume)})
    (component,) = report.components
    assert "DATA_IMAGE_NO_VOLUME" not in rules_of(report, "app")
    assert (str(component.lifecycle), str(component.loss)) == ("persistent", "none")
    unknown = audit_files(**{"compose.yaml": _compose("example/unknown:1", volume)})
    assert component.gravity > unknown.components[0].gravity


@pytest.mark.parametrize(
    ("image", "volume"),
    [
        ("caddy:2", ""),
        ("caddy:2-alpine", "caddy_data:/data"),
        ("ollama/ollama:latest", ""),
        ("ollama/ollama:latest", "ollama:/root/.ollama"),
        ("ghcr.io/huggingface/text-generation-inference:3.0", "models:/data"),
        ("ubuntu/squid:latest", "squid:/var/spool/squid"),
        ("certbot/certbot", "certs:/etc/letsencrypt"),
        ("docker.io/searxng/searxng:latest", "settings:/etc/searxng"),
        ("buchgr/bazel-remote-cache:latest", ""),
        ("buchgr/bazel-remote-cache:latest", "cache:/data"),
        ("crazymax/geoip-updater:latest", "geoip:/data"),
        ("ghcr.io/maxmind/geoipupdate:v7", "geoip:/usr/share/GeoIP"),
    ],
)
def test_certificates_models_and_proxy_caches_are_rebuilt_not_data(
    audit_files: Auditor, image: str, volume: str
) -> None:
    """A reverse proxy's certificate store is issued again by the ACME CA, a model store is
    pulled again, a proxy cache filled again, default settings written again, GeoIP databases
    downloaded again: on no volume or a named one, a replacement starts cold and loses nothing."""
    report = audit_files(**{"compose.yaml": _compose(image, volume)})
    (component,) = report.components
    assert str(component.loss) == "rebuildable"
    assert str(component.lifecycle) == "ephemeral-with-warm-up"


POD = """
apiVersion: v1
kind: Pod
metadata: {name: %s, namespace: ns}
spec:
  containers:
    - name: main
      image: %s
      volumeMounts: [{name: d, mountPath: %s}]
  volumes: [{name: d, emptyDir: {}}]
"""


def test_on_an_emptydir_models_are_a_warm_up_and_an_embedded_database_is_lost(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{
        "llm.yaml": POD % ("llm", "ollama/ollama:0.5", "/root/.ollama"),
        "ui.yaml": POD % ("ui", "ghcr.io/open-webui/open-webui:main", "/app/backend/data"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert str(by_name["llm"].loss) == "rebuildable"
    assert str(by_name["ui"].loss) == "data"
    (lost,) = [f for f in report.findings_for(by_name["ui"].id) if f.rule == "DATA_ON_EPHEMERAL"]
    assert str(lost.severity) == "high"


def test_every_entry_cites_its_documentation_and_names_a_directory() -> None:
    entries = [(dirs, url) for dirs, url in APPS.values()]
    entries += [(dirs, url) for dirs, url, _ in REBUILT.values()]
    assert len(entries) >= 50
    for dirs, url in entries:
        assert url.startswith("https://") and dirs
        assert all(d.startswith("/") for d in dirs)
    assert all(what for _, _, what in REBUILT.values())


def test_a_repository_is_matched_whole_and_tools_around_a_store_are_not_one() -> None:
    """The catalogue matches the whole repository path: an unrelated ``…/n8n`` or a Qdrant
    web UI is not the application or the database."""
    assert app_image("example/n8n:1") is None
    assert app_image("docker.n8n.io/n8nio/n8n:1") is not None
    assert data_image("qdrant/qdrant-web-ui:latest") is None
    assert data_image("qdrant/qdrant:latest") is not None


@pytest.mark.parametrize(("ref", "family"), [
    ("mcr.microsoft.com/mssql/server:2022-latest", "mssql"),
    ("mcr.microsoft.com/mssql/rhel/server:2019-latest", "mssql"),
    ("container-registry.oracle.com/mysql/community-server:8.4", "mysql"),
    ("container-registry.oracle.com/mysql/enterprise-server:8.4", "mysql"),
    ("vaultwarden/server:1.32", None),  # an application's server: no data family
    ("server:1", None),
])  # fmt: skip
def test_a_last_segment_naming_an_edition_leaves_the_program_to_the_one_before(
    ref: str, family: str | None
) -> None:
    found = data_image(ref)
    assert (found.name if found else None) == family


def test_sql_server_with_no_volume_is_data_on_the_container_layer(audit_files: Auditor) -> None:
    report = audit_files(**{"compose.yaml": """
    services:
      sqlserver:
        image: mcr.microsoft.com/mssql/server:2022-latest
        environment: {ACCEPT_EULA: "Y"}
    """})  # fmt: skip
    assert "DATA_IMAGE_NO_VOLUME" in rules_of(report, "sqlserver")


TRAEFIK = """
services:
  proxy:
    image: traefik:v3.2
    command: ["--certificatesresolvers.le.acme.storage=/letsencrypt/acme.json"]
    volumes: ["certs:/letsencrypt", "/var/run/docker.sock:/var/run/docker.sock:ro"]
  files:
    image: example/uploads:1
    volumes: ["uploads:/srv/files"]
volumes: {certs: {}, uploads: {}}
"""


def test_a_named_volume_holding_an_acme_store_is_rebuilt(audit_files: Auditor) -> None:
    """Whatever the proxy, a volume at its ACME store (``/letsencrypt``, ``acme.json``) holds
    certificates the CA issues again; another named volume stays durable."""
    report = audit_files(**{"compose.yaml": TRAEFIK})
    by_name = {c.name: c for c in report.components}
    (certs,) = [f for f in report.findings_for(by_name["proxy"].id)
                if f.rule == "COMPOSE_NAMED_VOLUME"]  # fmt: skip
    assert str(report.effect_of(certs)) == "warm-up" and "ACME" in certs.message
    (uploads,) = [f for f in report.findings_for(by_name["files"].id)
                  if f.rule == "COMPOSE_NAMED_VOLUME"]  # fmt: skip
    assert str(report.effect_of(uploads)) == "durable"
    assert str(by_name["proxy"].loss) == "rebuildable"


ACME_PROXIES = """
services:
  proxy:
    image: example/app-proxy:2
    environment: {CERT_EMAIL: ops@example.org, CERT_ACME_CA: "https://acme-v02.api.letsencrypt.org/directory"}
    volumes: ["proxy_data:/data", "proxy_config:/config"]
  gateway:
    image: example/app-gateway:2
    volumes: ["gw_data:/data"]
  companion:
    image: nginxproxy/acme-companion:2.5
    volumes: ["certs:/etc/nginx/certs", "acme:/etc/acme.sh"]
  worker:
    image: example/worker:2
    environment: {ACME_EMAIL: ops@example.org}
    volumes: ["jobs:/data"]
volumes: {proxy_data: {}, proxy_config: {}, gw_data: {}, certs: {}, acme: {}, jobs: {}}
"""


def test_a_proxy_given_acme_settings_keeps_certificates_issued_again(
    audit_files: Auditor,
) -> None:
    """A proxy image of another name, given ACME settings, keeps what ACME issues and the config
    it saves in ``/data`` and ``/config``; acme-companion's certificate directory is its own
    output. Without ACME settings, or without being a proxy, the volume stays durable."""
    report = audit_files(**{"compose.yaml": ACME_PROXIES})
    effects = {
        (c.name, f.message.split(" -> ")[-1].split(" ")[0], str(report.effect_of(f)))
        for c in report.components
        for f in report.findings_for(c.id)
        if f.rule == "COMPOSE_NAMED_VOLUME"
    }
    assert effects == {
        ("proxy", "/data", "warm-up"), ("proxy", "/config", "warm-up"),
        ("gateway", "/data", "durable"), ("companion", "/etc/nginx/certs", "warm-up"),
        ("companion", "/etc/acme.sh", "warm-up"), ("worker", "/data", "durable"),
    }  # fmt: skip


PGADMIN_POD = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: pgadmin, namespace: demo}
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: pgadmin
          image: dpage/pgadmin4:latest
          env: [{name: PGADMIN_DEFAULT_EMAIL, value: admin@example.org}]
"""
PGADMIN_SERVICE = """
services:
  pgadmin:
    image: dpage/pgadmin4:latest
    environment: [PGADMIN_DEFAULT_EMAIL=admin@example.org]
"""


def test_an_admin_tools_configuration_database_is_lost_only_where_nothing_keeps_it(
    audit_files: Auditor,
) -> None:
    """pgAdmin's registrations and users in its image's VOLUME: a Kubernetes pod keeps nothing
    of it on replacement (data lost); Compose copies the anonymous volume to the new container
    (nothing lost until ``down -v``, as the shared corpora count it)."""
    pod = audit_files(**{"pgadmin.yaml": PGADMIN_POD})
    (verdict,) = pod.components
    assert str(verdict.loss) == "data"
    assert "DATA_IMAGE_NO_VOLUME" in {f.rule for f in pod.findings_for(verdict.id)}


def test_the_same_tool_under_compose_holds_nothing_of_its_own(audit_files: Auditor) -> None:
    service = audit_files(**{"compose.yaml": PGADMIN_SERVICE})
    (verdict,) = service.components
    assert str(verdict.loss) == "none"
    assert {f.rule for f in service.findings_for(verdict.id)} == {"WRITABLE_ROOTFS"}


@pytest.mark.parametrize("build", ["", "\n    build: {context: ../, dockerfile: ops/Dockerfile}"])
def test_a_catalogued_application_built_under_its_published_name_keeps_its_data_there(
    audit_files: Auditor, build: str
) -> None:
    # Keila built from its own Dockerfile and tagged pentacent/keila: its uploads in the image
    compose = f"services:\n  app:\n    image: pentacent/keila:latest{build}\n"
    report = audit_files(**{"compose.yaml": compose})
    (finding,) = [f for f in report.findings if f.rule == "DATA_IMAGE_NO_VOLUME"]
    assert "/opt/app/uploads" in finding.message
    kept = compose + "    volumes: [up:/opt/app/uploads]\nvolumes:\n  up: {}\n"
    assert "DATA_IMAGE_NO_VOLUME" not in rules_of(audit_files(**{"compose.yaml": kept}))


def test_a_built_image_tagged_with_a_name_of_its_own_is_not_a_catalogued_application(
    audit_files: Auditor,
) -> None:
    compose = "services:\n  app:\n    image: example/newsletter:1\n    build: .\n"
    assert "DATA_IMAGE_NO_VOLUME" not in rules_of(audit_files(**{"compose.yaml": compose}))


@pytest.mark.parametrize(
    "setting",
    [
        'command: ["--certificatesResolvers.http.acme.storage=/certs/acme.json"]',
        "environment: {TRAEFIK_CERTIFICATESRESOLVERS_LE_ACME_STORAGE: /certs/acme.json}",
    ],
)
def test_a_volume_holding_the_file_traefik_s_acme_storage_names_is_rebuilt(
    audit_files: Auditor, setting: str
) -> None:
    """Traefik's ``storage`` option names the file its certificates are saved to: the volume
    at that file's directory (``/certs``, a name saying nothing of ACME) holds certificates
    the CA issues again; the same volume with no such setting stays durable."""
    compose = (
        "services:\n  proxy:\n    image: traefik:v2.5\n    {setting}\n"
        "    volumes: ['certs:/certs']\nvolumes: {{certs: {{}}}}\n"
    )

    def certs(text: str) -> str:
        report = audit_files(**{"compose.yaml": text})
        (found,) = [f for f in report.findings if f.rule == "COMPOSE_NAMED_VOLUME"]
        return str(report.effect_of(found))

    assert certs(compose.format(setting=setting)) == "warm-up"
    assert certs(compose.format(setting="command: [--api.dashboard=true]")) == "durable"


def test_cleanuparr_keeps_its_config_folder_beside_a_database(audit_files: Auditor) -> None:
    """Cleanuparr's /config holds its DataProtection keys even when its records are in
    PostgreSQL: the bind stays its state; the same bind of an unknown image given that
    database is configuration."""
    compose = """
services:
  db:
    image: postgres:17
    volumes: [pgdata:/var/lib/postgresql/data]
  app:
    image: {image}
    environment: {{DATABASE_PROVIDER: postgres, POSTGRES_HOST: db}}
    depends_on: [db]
    volumes: ['./config:/config']
volumes: {{pgdata: {{}}}}
"""
    for image, kept in (("ghcr.io/cleanuparr/cleanuparr:latest", True), ("example/app:1", False)):
        report = audit_files(**{"compose.yaml": compose.format(image=image)})
        (app,) = [c for c in report.components if c.name == "app"]
        assert (str(app.lifecycle) == "persistent") is kept


@pytest.mark.parametrize(
    ("image", "loss"),
    [("crazymax/geoip-updater:latest", "rebuildable"), ("example/updater:1", "none")],
)
def test_a_geoip_updaters_bound_folder_is_downloaded_again(
    audit_files: Auditor, image: str, loss: str
) -> None:
    """The databases crazy-max's updater writes into its bound /data come again from MaxMind;
    an unknown image's bound data directory is kept on the host, no warm-up known."""
    text = f"services:\n  geoip:\n    image: {image}\n    volumes: ['./data/geoip:/data']\n"
    (component,) = audit_files(**{"compose.yaml": text}).components
    assert str(component.loss) == loss, component.explanation


@pytest.mark.parametrize(
    ("image", "volume"),
    [
        ("polonel/trudesk:1", "uploads:/usr/src/trudesk/public/uploads"),
        ("pepperlabs/peppermint:latest", "uploads:/apps/api/uploads"),
        ("lissy93/dashy:latest", "dashy:/app/user-data"),
        ("traccar/traccar:latest", "media:/opt/traccar/media"),
        ("amir20/dozzle:latest", "dozzle:/data"),
    ],
)
def test_a_volume_at_a_directory_read_from_the_source_keeps_what_it_holds(
    audit_files: Auditor, image: str, volume: str
) -> None:
    """The same images as above with a volume at the directory read from their source: kept
    across a replacement, where with none (above) it is lost."""
    report = audit_files(**{"compose.yaml": _compose(image, volume)})
    (component,) = report.components
    assert "DATA_IMAGE_NO_VOLUME" not in rules_of(report, "app")
    assert str(component.lifecycle) == "persistent"


def test_a_grafana_built_dashboard_image_keeps_grafana_db_only_on_a_kubernetes_volume(
    audit_files: Auditor,
) -> None:
    """DevLake's dashboard image, built FROM grafana/grafana: a pod with nothing at
    /var/lib/grafana loses grafana.db with the pod, one with a claim there keeps it."""
    pod = """
apiVersion: apps/v1
kind: Deployment
metadata: {{name: grafana}}
spec:
  selector: {{matchLabels: {{app: grafana}}}}
  template:
    metadata: {{labels: {{app: grafana}}}}
    spec:
      containers:
        - name: grafana
          image: apache/devlake-dashboard:latest
{mounts}"""
    bare = audit_files(**{"grafana.yaml": pod.format(mounts="")})
    (component,) = bare.components
    assert str(component.loss) == "data"
    claim = """\
          volumeMounts: [{name: data, mountPath: /var/lib/grafana}]
      volumes: [{name: data, persistentVolumeClaim: {claimName: grafana}}]
"""
    kept = audit_files(**{"grafana.yaml": pod.format(mounts=claim)})
    (component,) = kept.components
    assert str(component.loss) != "data"


@pytest.mark.parametrize(
    ("line", "loss"),
    [
        ("# cache_dir ufs /var/spool/squid 100 16 256", "none"),  # memory only: nothing on disk
        ("cache_dir ufs /var/spool/squid 100 16 256", "rebuildable"),  # a disk cache, filled again
    ],
)
def test_a_squid_configured_with_no_disk_cache_keeps_nothing(
    audit_files: Auditor, line: str, loss: str
) -> None:
    compose = """\
        services:
          proxy:
            image: ubuntu/squid:latest
            volumes: ["./squid.conf.template:/etc/squid/squid.conf.template:ro"]
        """
    config = f"http_port 3128\n{line}\ncoredump_dir /var/spool/squid\n"
    report = audit_files(**{"compose.yaml": compose, "squid.conf.template": config})
    (component,) = report.components
    assert str(component.loss) == loss


def test_a_catalogued_broker_weighs_below_the_database_beside_it(audit_files: Auditor) -> None:
    """EMQX keeps its node's database in /opt/emqx/data, but it is a broker: on a named volume
    beside MySQL's, used by the same backend, it weighs less than the database."""
    compose = """\
        services:
          backend:
            image: example/backend:1
            environment: [DB_URL=jdbc:mysql://mysql:3306/app, MQTT_HOST=tcp://emqx:1883]
            depends_on: [mysql, emqx]
          mysql:
            image: mysql:8.0
            volumes: ['db:/var/lib/mysql']
          emqx:
            image: emqx/emqx:5.3
            volumes: ['mq:/opt/emqx/data']
        volumes: {db: {}, mq: {}}
        """
    report = audit_files(**{"compose.yaml": compose})
    gravity = {c.name: c.gravity for c in report.components}
    assert gravity["mysql"] > gravity["emqx"] > 0
    emqx = app_image("emqx/emqx:5.3")
    assert emqx is not None and emqx.role == "queue"
    assert emqx.data_dirs == ("/opt/emqx/data",)
