"""Compose files: the Compose Specification's shapes, interpolation and project identity."""

from __future__ import annotations

from pathlib import Path

from stateward.api import observe
from stateward.model.secrets import SecretKeeper

from .conftest import Observer

COMPOSE = """\
name: ${PROJECT:-shop}
services:
  web:
    image: nginx:${NGINX_TAG}
    environment:
      - MODE=production
      - EMPTY
    env_file: web.env
    ports: ["8080:80", "127.0.0.1:9090:90/udp"]
    volumes:
      - ./site:/usr/share/nginx/html:ro
      - cache:/var/cache/nginx
      - /tmp/anon
    tmpfs: /run
    read_only: true
    depends_on: [db]
    deploy: {replicas: 3}
    healthcheck: {test: ["CMD", "true"], interval: 10s}
    secrets: [db_password]
    configs: [site_conf]
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: $$literal-dollar
      POSTGRES_DB: app
      ENABLED: true
    volumes:
      - type: volume
        source: dbdata
        target: /var/lib/postgresql/data
volumes: {cache: {}, dbdata: {}}
secrets:
  db_password: {file: ./db_password.txt}
configs:
  site_conf: {file: ./site.conf}
"""


def test_services_and_their_context(observe_files: Observer, keeper: SecretKeeper) -> None:
    obs = observe_files(
        {
            "app/compose.yaml": COMPOSE,
            "app/.env": "NGINX_TAG=1.27\n# comment\nexport UNUSED='x'\n",
            "app/web.env": "FROM_FILE=yes\nMODE=overridden-by-environment\n",
            "app/db_password.txt": "canary-compose-secret",
            "app/site.conf": "server {}",
        },
        "app/compose.yaml",
    )
    assert obs.errors == []
    web = obs.component("compose:shop/web")
    db = obs.component("compose:shop/db")
    assert web is not None and db is not None
    assert web.images[0].ref == "nginx:1.27"
    assert web.context["env"] == {"MODE": "production", "EMPTY": None, "FROM_FILE": "yes"}
    assert web.context["scale"] == {"replicas": 3}
    storage = web.context["storage"]
    assert storage["/usr/share/nginx/html"]["type"] == "bind"
    assert storage["/usr/share/nginx/html"]["read_only"] is True
    assert storage["/var/cache/nginx"] == {
        "type": "volume",
        "source": "cache",
        "target": "/var/cache/nginx",
    }
    assert storage["/tmp/anon"] == {"type": "volume", "target": "/tmp/anon"}
    assert storage["/run"]["type"] == "tmpfs"
    ports = web.context["network"]["ports"]
    assert ports["80/tcp"]["published"] == "8080"
    assert ports["90/udp"]["host_ip"] == "127.0.0.1"
    assert web.context["secret"]["secret:db_password"] == keeper.digest(b"canary-compose-secret")
    assert web.context["config"]["read_only"] is True
    assert db.context["secret"]["POSTGRES_PASSWORD"] == keeper.digest("$literal-dollar")
    assert db.context["env"] == {"POSTGRES_DB": "app", "ENABLED": "true"}


def test_version_key_is_optional_and_ignored(observe_files: Observer) -> None:
    with_version = observe_files({"a/compose.yaml": "version: '3.8'\nservices: {s: {image: x}}\n"})
    assert [c.id for c in with_version.components] == ["compose:a/s"]


def test_project_is_part_of_identity(tmp_path: Path, keeper: SecretKeeper) -> None:
    for project in ("alpha", "beta", "gamma"):
        (tmp_path / project).mkdir()
        (tmp_path / project / "compose.yaml").write_text("services:\n  web:\n    image: nginx\n")
    obs = observe([str(tmp_path)], estate="e", keeper=keeper)
    assert sorted(c.id for c in obs.components) == [
        "compose:alpha/web",
        "compose:beta/web",
        "compose:gamma/web",
    ]


def test_alternative_files_in_one_directory_stay_apart(observe_files: Observer) -> None:
    obs = observe_files(
        {
            "voting/docker-compose.yml": "services: {vote: {image: a}}\n",
            "voting/docker-compose.images.yml": "services: {vote: {image: b}}\n",
        }
    )
    assert sorted(c.id for c in obs.components) == [
        "compose:voting/vote",
        "compose:voting_docker-compose-images/vote",
    ]
    assert obs.errors == []


def test_the_project_is_named_as_compose_names_it(observe_files: Observer) -> None:
    # compose-go: COMPOSE_PROJECT_NAME (here from .env) before `name:`, before the folder;
    # `name:` and the folder normalized (lower case, [a-z0-9_-] kept): the label Compose puts
    # on the containers it starts, which drift matches against.
    obs = observe_files(
        {
            "My App/compose.yaml": "services: {web: {image: a}}\n",
            "named/compose.yaml": "name: Shop.Front\nservices: {web: {image: a}}\n",
            "env/compose.yaml": "name: ignored\nservices: {web: {image: a}}\n",
            "env/compose.prod.yaml": "services: {web: {image: b}}\n",
            "env/.env": "COMPOSE_PROJECT_NAME=xtm\n",
        }
    )
    assert obs.errors == []
    assert sorted(c.id for c in obs.components) == [
        "compose:myapp/web",
        "compose:shopfront/web",
        "compose:xtm/web",
        "compose:xtm_compose-prod/web",
    ]


def test_a_project_name_compose_would_refuse_is_one_error(observe_files: Observer) -> None:
    obs = observe_files(
        {
            "app/compose.yaml": "services: {web: {image: a}}\n",
            "app/.env": "COMPOSE_PROJECT_NAME=Bad Name\n",
        }
    )
    (error,) = obs.errors
    assert error.location.endswith("app/.env") and "COMPOSE_PROJECT_NAME" in error.reason
    assert [c.id for c in obs.components] == ["compose:app/web"]


def test_an_unset_variable_is_a_finding_of_each_service_using_it_not_an_error(
    observe_files: Observer,
) -> None:
    """compose-go warns and substitutes an empty string; the project still starts."""
    compose = (
        "services:\n  s:\n    image: app:${TAG}\n"
        "  t:\n    image: b\n    environment: {V: $TAG}\n"
        "volumes:\n  data:\n    name: x${TAG}\n"
    )
    obs = observe_files({"p/compose.yaml": compose, "p/.env": "OTHER=1\n"})
    assert obs.errors == []
    unset = [f for f in obs.findings if f.rule == "COMPOSE_VARIABLE_UNSET"]
    assert sorted((f.resource, f.path) for f in unset) == [
        ("Service/p/s", "/image"),
        ("Service/p/t", "/environment/V"),
        ("Volume/p/data", "/name"),
    ]
    assert all(f.evidence[0].endswith("compose.yaml:3") for f in unset)
    assert "variable TAG is not set (used in services.s.image)" in unset[0].message
    assert obs.component("compose:p/s") is not None


def test_a_variable_set_in_env_or_given_a_default_is_no_finding(observe_files: Observer) -> None:
    obs = observe_files(
        {
            "p/compose.yaml": "services:\n  s:\n    image: app:${TAG}\n    user: ${U:-1000}\n",
            "p/.env": "TAG=1.2\n",
        }
    )
    assert [f for f in obs.findings if f.rule == "COMPOSE_VARIABLE_UNSET"] == []


def test_required_variable_message(observe_files: Observer) -> None:
    obs = observe_files({"p/compose.yaml": "services:\n  s:\n    image: app:${TAG:?set a tag}\n"})
    assert [e.reason for e in obs.errors] == ["TAG: set a tag"]


def test_missing_env_file_and_undefined_secret(observe_files: Observer) -> None:
    obs = observe_files(
        {
            "p/compose.yaml": "services:\n  s:\n    image: a\n    env_file: nope.env\n    secrets: [x]\n"
        }
    )
    assert any("env_file" in e.reason and "file not found" in e.reason for e in obs.errors)
    assert [f.rule for f in obs.findings if f.component == "compose:p/s"].count(
        "MISSING_REFERENCE"
    ) == 1


SECRET_FROM_ENV = """\
services:
  api:
    image: postgres:16
    command: ["run", "${API_TOKEN}", "--name=x${API_TOKEN}y"]
    entrypoint: sh -c "exec api --quiet $API_TOKEN"
    healthcheck: {test: ["CMD", "probe", "${API_TOKEN}"]}
    labels: {traefik.note: "${API_TOKEN}"}
    environment:
      API_TOKEN: ${API_TOKEN}
      OPTS: --verbose ${API_TOKEN}
      POSTGRES_PASSWORD: ${DB_PASSWORD}
      POSTGRES_USER: ${DB_USER}
configs:
  app_conf: {content: "token ${API_TOKEN}"}
"""


def test_a_secret_variable_is_digested_wherever_it_is_substituted(
    observe_files: Observer, keeper: SecretKeeper
) -> None:
    token = "tok-" + "q7Zp" * 3  # short and plain: no detector would flag it by shape
    obs = observe_files(
        {
            "p/compose.yaml": SECRET_FROM_ENV,
            "p/.env": f"API_TOKEN={token}\nDB_PASSWORD=postgres\nDB_USER=postgres\n",
        },
        "p/compose.yaml",
    )
    assert obs.errors == []
    for resource in obs.resources:
        assert token.encode() not in resource.canonical, resource.key
    api = next(r.body for r in obs.resources if r.key.name == "api")
    digest = keeper.digest(token)
    assert api["command"] == ["run", digest, f"--name=x{digest}y"]
    assert api["healthcheck"]["test"] == ["CMD", "probe", digest]
    assert api["labels"] == {"traefik.note": digest}
    assert api["entrypoint"] == f'sh -c "exec api --quiet {digest}"'
    # Where redaction digests the value already, its digest is the one it always was.
    assert api["environment"]["API_TOKEN"] == digest
    assert api["environment"]["OPTS"] == f"--verbose {digest}"
    # A password equal to the image's name leaves the literal image alone; a user name is no
    # secret, and the password is digested where it is used.
    assert api["image"] == "postgres:16"
    assert api["environment"]["POSTGRES_USER"] == "postgres"
    assert api["environment"]["POSTGRES_PASSWORD"] == keeper.digest("postgres")
    config = next(r.body for r in obs.resources if r.key.name == "app_conf")
    assert config["content"] == f"token {digest}"
