"""Compose edges that no service's own configuration shows: a reverse proxy finds its routes on
the project's containers (Traefik's Docker provider and caddy-docker-proxy read the other
services' labels, nginx-proxy their ``VIRTUAL_HOST``), and the Compose files of one directory
run together as one project. A small hand-made project for each."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport

from .conftest import Auditor


def _depends(report: AuditReport) -> dict[str, set[str]]:
    names = {c.id: c.name for c in report.components}
    return {c.name: {names[d] for d in c.depends_on} for c in report.components}


TRAEFIK = """
services:
  proxy:
    image: traefik:v3.1
    command: [--providers.docker]
    volumes: ['/var/run/docker.sock:/var/run/docker.sock:ro']
  web:
    image: example/web:1
    labels:
      traefik.http.routers.web.rule: Host(`example.org`)
  api:
    image: example/api:1
    labels: ["traefik.enable=true", "traefik.http.services.api.loadbalancer.server.port=8080"]
  db:
    image: postgres:16
    labels: {traefik.enable: "false"}
  worker:
    image: example/worker:1
"""


def test_traefik_routes_to_the_services_its_labels_name(audit_files: Auditor) -> None:
    """Labels as a map or a ``key=value`` list; ``traefik.enable=false`` opts out, and a
    service with no Traefik label is not routed."""
    depends = _depends(audit_files(**{"compose.yaml": TRAEFIK}))
    assert depends["proxy"] == {"web", "api"}
    assert depends["web"] == depends["worker"] == set()


def test_caddy_docker_proxy_and_nginx_proxy_route_by_label_and_by_virtual_host(
    audit_files: Auditor,
) -> None:
    project = """
services:
  caddy:
    image: lucaslorentz/caddy-docker-proxy:2.9
  nginx:
    image: nginxproxy/nginx-proxy:1.6
  blog:
    image: ghost:5
    labels: {caddy: blog.example.org, caddy.reverse_proxy: "{{upstreams 2368}}"}
  wiki:
    image: example/wiki:1
    environment: {VIRTUAL_HOST: wiki.example.org}
"""
    depends = _depends(audit_files(**{"compose.yaml": project}))
    assert depends["caddy"] == {"blog"}
    assert depends["nginx"] == {"wiki"}


def test_an_ordinary_service_with_traefik_labels_on_others_routes_nothing(
    audit_files: Auditor,
) -> None:
    plain = TRAEFIK.replace("image: traefik:v3.1", "image: example/gateway:1")
    depends = _depends(audit_files(**{"compose.yaml": plain}))
    assert depends["proxy"] == set()


ROUTER = """
services:
  router:
    image: itzg/mc-router:1.20
    environment: {IN_DOCKER: "true"}
    volumes: ['/var/run/docker.sock:/var/run/docker.sock:ro']
  survival:
    image: itzg/minecraft-server
    labels: {mc-router.host: survival.example.org}
  creative:
    image: itzg/minecraft-server
    labels: ["mc-router.host=creative.example.org", "mc-router.port=25566"]
  lobby:
    image: itzg/minecraft-server
    labels: {other-tool.host: lobby.example.org}
"""


def test_a_service_holding_the_engine_socket_routes_to_the_labels_named_for_its_image(
    audit_files: Auditor,
) -> None:
    """mc-router discovers its backends by ``mc-router.*`` labels through the socket; a label
    of another tool is no route, and without the socket the labels are only names."""
    depends = _depends(audit_files(**{"compose.yaml": ROUTER}))
    assert depends["router"] == {"survival", "creative"}
    no_socket = ROUTER.replace("volumes: ['/var/run/docker.sock:/var/run/docker.sock:ro']", "")
    assert _depends(audit_files(**{"compose.yaml": no_socket}))["router"] == set()


def test_a_host_of_another_compose_file_of_the_same_directory_is_reached(
    audit_files: Auditor,
) -> None:
    """Files of one directory run together (``-f compose.yml -f compose.database.yml``): a URL
    naming a service of the other file is an edge; the service's own project comes first, and
    a file of another directory is not a neighbour."""
    report = audit_files(**{
        "app__compose.yml": "services:\n  chat:\n    image: example/chat:1\n    environment:\n"
                            "      MONGO_URL: mongodb://mongodb:27017/chat\n"
                            "      TRANSPORTER: nats://nats:4222\n"
                            "  nats:\n    image: nats:2.11\n",
        "app__compose.database.yml": "services:\n  mongodb:\n    image: mongo:8\n"
                                     "  nats:\n    image: nats:2.11\n",
        "other__compose.yml": "services:\n  chat:\n    image: example/chat:1\n    environment:\n"
                              "      MONGO_URL: mongodb://mongodb:27017/chat\n",
    })  # fmt: skip
    by_id = {c.id: c for c in report.components}
    chats = [c for c in report.components if c.name == "chat"]
    reached = {
        c.id.split(":", 1)[1].split("/", 1)[0]: {by_id[d].id for d in c.depends_on} for c in chats
    }
    mongodb = next(c.id for c in report.components if c.name == "mongodb")
    own_nats = next(c.id for c in report.components if c.name == "nats" and "database" not in c.id)
    assert reached["app"] == {mongodb, own_nats}
    assert reached["other"] == set()


BOUND = """
services:
  proxy:
    image: nginx:1.27
    volumes: ["./nginx.conf:/etc/nginx/nginx.conf:ro"]
  app:
    image: example/forum:1
  search:
    image: example/metasearch:1
    volumes: ["./search:/etc/search:rw"]
  kv:
    image: valkey/valkey:8
  edge:
    image: caddy:2
    network_mode: host
    volumes: ["./Caddyfile:/etc/caddy/Caddyfile:ro"]
  ui:
    image: example/ui:1
    ports: ["127.0.0.1:8080:80"]
"""
FILES = {
    "nginx.conf": "upstream backend { server app:8536; }\n",
    "search__settings.toml": '[redis]\nurl = "redis://kv:6379/0"\n',
    "Caddyfile": "example.org {\n  reverse_proxy localhost:8080\n}\n",
}


def test_peers_named_in_bound_configuration_files_are_edges(audit_files: Auditor) -> None:
    """An nginx ``upstream`` in a bound file, a store's URL in a bound settings folder."""
    depends = _depends(audit_files(**{"compose.yaml": BOUND, **FILES}))
    assert depends["proxy"] == {"app"}
    assert depends["search"] == {"kv"}


def test_a_host_network_proxy_reaches_a_port_published_on_localhost(
    audit_files: Auditor,
) -> None:
    depends = _depends(audit_files(**{"compose.yaml": BOUND, **FILES}))
    assert depends["edge"] == {"ui"}
    # Without the host's network, localhost is the container itself.
    private = BOUND.replace("    network_mode: host\n", "")
    assert _depends(audit_files(**{"compose.yaml": private, **FILES}))["edge"] == set()


RELAYS = """
services:
  api:
    image: example/api:1
  relay:
    image: alpine/socat
    network_mode: service:api
    command: "TCP-LISTEN:3200,fork,reuseaddr TCP:objects:3200"
  sidecar:
    image: example/vpn:1
    network_mode: service:api
    command: "--connect objects:3200"
  objects:
    image: minio/minio
    command: server /data
    volumes: ["objects:/data"]
volumes: {objects: {}}
"""


def test_a_relay_in_a_services_network_namespace_connects_that_service(
    audit_files: Auditor,
) -> None:
    """socat's ``TCP:objects:3200`` names the relay's peer; listening in ``api``'s network
    namespace, it makes ``api``'s localhost reach ``objects``. A sidecar that does not listen
    there (no ``*-LISTEN`` address) forwards nothing of ``api``'s."""
    depends = _depends(audit_files(**{"compose.yaml": RELAYS}))
    assert depends["relay"] >= {"objects"}
    assert "objects" in depends["api"]
    without = RELAYS.replace("TCP-LISTEN:3200,fork,reuseaddr ", "")
    assert "objects" not in _depends(audit_files(**{"compose.yaml": without}))["api"]


VOLUMES_FROM = """
services:
  db:
    image: mysql:8.4
    volumes_from: [%s]
  dbdata:
    image: busybox:1.36
    volumes: ["mysql:/var/lib/mysql"]
  tools:
    image: example/tools:1
volumes: {mysql: {}}
"""


def test_a_service_taking_another_ones_volumes_depends_on_it(audit_files: Auditor) -> None:
    """``volumes_from`` (a service, ``service:name``, with a mode) mounts that service's volumes:
    the database keeps its files in the data container's; ``container:`` names no service."""
    for source in ("dbdata", "'service:dbdata:ro'", "'dbdata:rw'"):
        report = audit_files(**{"compose.yaml": VOLUMES_FROM % source})
        assert _depends(report)["db"] == {"dbdata"}, source
    outside = audit_files(**{"compose.yaml": VOLUMES_FROM % "'container:dbdata'"})
    assert _depends(outside)["db"] == set()


PHP_PROJECT = """
services:
  php-fpm:
    build: docker/php-fpm
    volumes: ['.:/var/www/html']
  mysql:
    image: mysql:8.0
  cache:
    image: redis:7
"""


@pytest.mark.parametrize("constant", ["const DB_HOST = 'mysql';", "define( 'DB_HOST', 'mysql' );"])
def test_a_constant_naming_the_host_in_the_projects_settings_file_is_an_edge(
    audit_files: Auditor, constant: str
) -> None:
    """``const DB_HOST = 'mysql'`` (or WordPress's ``define``) in the settings template at the
    root of the project the service is built from and binds; ``GHOST`` names no host, nor does
    a dotenv line, which may name a server no driver uses."""
    settings = f"<?php\nclass Config {{\n    {constant}\n    const GHOST = 'cache';\n}}\n"
    report = audit_files(**{"compose.yaml": PHP_PROJECT, "config-sample.php": settings})
    assert _depends(report)["php-fpm"] == {"mysql"}
    dotenv = PHP_PROJECT.replace("['.:/var/www/html']", "['./.env:/var/www/html/.env']")
    report = audit_files(**{"compose.yaml": dotenv, ".env": "REDIS_HOST=cache\n"})
    assert _depends(report)["php-fpm"] == set()


UPSTREAMS = """
services:
  caddy:
    image: caddy:2
    environment: {API_PORT: "8080"}
    volumes: ["./Caddyfile:/etc/caddy/Caddyfile:ro"]
  api:
    image: example/api:1
  web:
    image: example/web:1
  docs:
    image: example/docs:1
  admin:
    image: example/admin:1
"""


@pytest.mark.parametrize(
    ("caddyfile", "routed"),
    [
        # A matcher before the upstream, a port from a placeholder, a bare name (port 80).
        (
            ":80 {\n\t@api path /api*\n\treverse_proxy @api api:{$API_PORT}\n"
            "\treverse_proxy web\n}\n",
            {"api", "web"},
        ),
        # A path matcher, a scheme, and two upstreams on one line.
        (":80 {\n\treverse_proxy /docs* http://docs:{$PORT} h2c://web:9000\n}\n", {"docs", "web"}),
        # A named matcher is no upstream, even when a service carries its name.
        (":80 {\n\t@admin path /admin*\n\treverse_proxy @admin web\n}\n", {"web"}),
    ],
)
def test_caddy_reverse_proxy_upstreams_are_edges(
    audit_files: Auditor, caddyfile: str, routed: set[str]
) -> None:
    depends = _depends(audit_files(**{"compose.yaml": UPSTREAMS, "Caddyfile": caddyfile}))
    assert depends["caddy"] == routed


PEER_OPTIONS = """
services:
  hive:
    image: example/hive:4
    command: ["--cortex-port", "9001", "--metrics-address", ":9100", "--cache-size", "10"]
  cortex:
    image: example/cortex:3
  metrics:
    image: example/metrics:1
  cache:
    image: valkey/valkey:8
"""


def test_an_option_named_for_a_peers_connection_is_an_edge(audit_files: Auditor) -> None:
    """``--<peer>-port`` configures the connection to the service called so; an option named
    for another thing of the same name (``--cache-size``, a listen ``--metrics-address``) is
    no connection."""
    depends = _depends(audit_files(**{"compose.yaml": PEER_OPTIONS}))
    assert depends["hive"] == {"cortex"}


INLINE_CONFIG = """
services:
  shipper:
    image: timberio/vector:0.45.0-debian
    configs:
      - source: shipper_config
        target: /etc/vector/vector.toml
    command: ["-c", "/etc/vector/vector.toml"]
  {short}
  store:
    image: example/store:1
configs:
  shipper_config:
    content: |
      [sinks.out]
      type = "clickhouse"
      endpoint = "http://{host}:8123"
"""


@pytest.mark.parametrize(
    "short", ["", "other:\n    image: example/other:1\n    configs: [shipper_config]"]
)
def test_a_service_depends_on_the_host_its_inline_config_names(
    audit_files: Auditor, short: str
) -> None:
    """A top-level config whose content the Compose file holds inline is a file the service
    reads, as a bound one is; a host no service is called stays no edge."""
    found = _depends(
        audit_files(**{"compose.yaml": INLINE_CONFIG.format(short=short, host="store")})
    )
    assert found["shipper"] == {"store"}
    if short:  # the short syntax names the config alone
        assert found["other"] == {"store"}
    elsewhere = audit_files(**{"compose.yaml": INLINE_CONFIG.format(short=short, host="nowhere")})
    assert _depends(elsewhere)["shipper"] == set()


@pytest.mark.parametrize(
    ("condition", "web_env", "reaches"),
    [
        (
            "service_completed_successfully",
            '["POSTGRES_URL=", LOG_LEVEL=info]',
            True,
        ),
        ("service_started", '["POSTGRES_URL="]', False),  # no step that ends
        ("service_completed_successfully", "[LOG_LEVEL=info]", False),  # not configured alike
    ],
)
def test_a_service_configured_as_the_step_it_waits_for_reaches_what_the_step_waits_for(
    audit_files: Auditor, condition: str, web_env: str, reaches: bool
) -> None:
    """Kan's web waits for its migration step, given the same ``POSTGRES_URL``, which waits for
    PostgreSQL: the web application reaches PostgreSQL too."""
    compose = f"""
services:
  migrate:
    image: example/migrate:1
    environment: ["POSTGRES_URL="]
    depends_on: {{postgres: {{condition: service_healthy}}}}
    restart: "no"
  web:
    image: example/web:1
    environment: {web_env}
    depends_on: {{migrate: {{condition: {condition}}}}}
  postgres:
    image: postgres:16
"""
    depends = _depends(audit_files(**{"compose.yaml": compose}))
    assert depends["migrate"] == {"postgres"}
    assert ("postgres" in depends["web"]) is reaches


VPN = """
services:
  vpn:
    image: example/vpn:1
    ports: ["8080:8080"]
  torrent:
    image: example/torrent:1
    network_mode: "service:vpn"
    environment: [{guest}]
  monitor:
    image: example/monitor:1
    environment: ["CLIENT_URL=http://vpn:{port}"]
"""


@pytest.mark.parametrize(
    ("guest", "port", "linked"),
    [
        ("WEBUI_PORT=8080", "8080", {"vpn", "torrent"}),  # the guest's port, at the vpn's name
        ("WEBUI_PORT=8080", "8000", {"vpn"}),  # another port: the vpn's own
        ("WEBUI_USER=8080", "8080", {"vpn"}),  # a variable not named for a port says nothing
    ],
)
def test_a_service_in_anothers_network_namespace_answers_at_its_port_there(
    audit_files: Auditor, guest: str, port: str, linked: set[str]
) -> None:
    report = audit_files(**{"compose.yaml": VPN.format(guest=guest, port=port)})
    assert _depends(report)["monitor"] == linked


BUILT_PROXY = """
services:
  app:
    image: example/app:1
  proxy:
    build: {{context: ./proxy}}
    ports: ["80:80"]
"""
CADDYFILE = "example.org {\n    reverse_proxy http://app:5000\n}\n"


@pytest.mark.parametrize(
    ("dockerfile", "linked"),
    [
        ("FROM caddy:2\nCOPY Caddyfile /etc/caddy/Caddyfile\n", {"app"}),
        ("FROM caddy:2\nCOPY --chown=caddy:caddy Caddyfile /etc/caddy/\n", {"app"}),
        ("FROM caddy:2\nCOPY --from=build /Caddyfile /etc/caddy/Caddyfile\n", set()),  # a stage's
        ("FROM caddy:2\nCOPY Caddyfile /srv/site/Caddyfile\n", set()),  # no configuration path
    ],
)
def test_a_configuration_file_the_dockerfile_copies_from_the_context_is_read(
    audit_files: Auditor, dockerfile: str, linked: set[str]
) -> None:
    report = audit_files(**{
        "compose.yaml": BUILT_PROXY.format(),
        "proxy__Dockerfile": dockerfile,
        "proxy__Caddyfile": CADDYFILE,
    })  # fmt: skip
    assert _depends(report)["proxy"] == linked


LOGINS = """
services:
  clickhouse:
    image: clickhouse/clickhouse-server:24.3
    environment: [CLICKHOUSE_USER, CLICKHOUSE_PASSWORD]
    volumes: ["data:/var/lib/clickhouse"]
  app:
    image: example/app:1
    environment: [{client}]
volumes: {{data: {{}}}}
"""


@pytest.mark.parametrize(
    ("client", "linked"),
    [
        ("CLICKHOUSE_PASSWORD", {"clickhouse"}),  # the server's own login, no host named
        ("CLICKHOUSE_PREFIX", set()),  # a setting named for it, no login
        ("ANALYTICS_PASSWORD", set()),  # a login named for nothing of the project
    ],
)
def test_a_login_named_for_a_state_holder_reaches_it(
    audit_files: Auditor, client: str, linked: set[str]
) -> None:
    report = audit_files(**{"compose.yaml": LOGINS.format(client=client)})
    assert _depends(report)["app"] == linked
