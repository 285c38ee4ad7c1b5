"""Compose's default override file (``compose.override.yaml``, ``docker-compose.override.yml``)
is merged over the file Compose picks in its directory, as ``docker compose`` run there does,
and is never a project of its own."""

from __future__ import annotations

from stateward.model.secrets import SecretKeeper

from .conftest import Observer

_BASE = """\
services:
  web:
    image: nginx:1.25
    environment: {A: "1"}
  db:
    image: postgres:16
"""
_OVERRIDE = """\
services:
  web:
    environment: {B: "2"}
    ports: ["8080:80"]
  db:
    volumes: [dbdata:/var/lib/postgresql/data]
volumes:
  dbdata: {}
"""


def _ids(obs: object) -> list[str]:
    return sorted(c.id for c in obs.components)  # type: ignore[attr-defined]


def test_the_override_is_merged_into_the_project_not_read_as_another(
    observe_files: Observer,
) -> None:
    obs = observe_files(
        {"app/docker-compose.yml": _BASE, "app/docker-compose.override.yml": _OVERRIDE}
    )
    assert obs.errors == []
    assert _ids(obs) == ["compose:app/db", "compose:app/web"]
    web = obs.component("compose:app/web")
    assert web is not None and web.context["env"] == {"A": "1", "B": "2"}
    db = next(r for r in obs.resources if r.key.name == "db")
    assert db.body["volumes"] == ["dbdata:/var/lib/postgresql/data"]
    assert [r.key.name for r in obs.resources if r.key.kind == "Volume"] == ["dbdata"]


def test_naming_the_file_reads_it_as_compose_run_in_its_directory(
    observe_files: Observer,
) -> None:
    files = {"app/compose.yaml": _BASE, "app/compose.override.yaml": _OVERRIDE}
    obs = observe_files(files, "app/compose.yaml", "app/compose.override.yaml")
    assert obs.errors == []
    assert _ids(obs) == ["compose:app/db", "compose:app/web"]
    web = obs.component("compose:app/web")
    assert web is not None and web.context["env"] == {"A": "1", "B": "2"}


def test_only_the_file_compose_picks_takes_the_override(observe_files: Observer) -> None:
    # compose.yaml is preferred to docker-compose.yml; any override name goes with it, and an
    # alternative file of the directory (compose.prod.yaml) is read as it is.
    obs = observe_files(
        {
            "app/compose.yaml": "services: {web: {image: w}}\n",
            "app/compose.prod.yaml": "services: {web: {image: w-prod}}\n",
            "app/docker-compose.override.yml": "services: {web: {environment: {MODE: dev}}}\n",
        }
    )
    assert obs.errors == []
    assert _ids(obs) == ["compose:app/web", "compose:app_compose-prod/web"]
    assert obs.component("compose:app/web").context["env"] == {"MODE": "dev"}  # type: ignore[union-attr]
    assert "env" not in obs.component("compose:app_compose-prod/web").context  # type: ignore[union-attr]


def test_a_broken_override_is_one_error_naming_it_and_the_project_is_read(
    observe_files: Observer,
) -> None:
    obs = observe_files(
        {
            "app/compose.yaml": _BASE,
            "app/compose.override.yml": "services:\n  web: {environment: [unclosed\n",
        }
    )
    (error,) = obs.errors
    assert "app/compose.override.yml:" in error.location
    assert _ids(obs) == ["compose:app/db", "compose:app/web"]
    obs = observe_files({"app/compose.override.yml": "- a list\n- not a map\n"})
    (error,) = obs.errors
    assert error.reason == "an override file must be a map"
    assert error.location.endswith("compose.override.yml:1")


def test_a_secret_the_override_takes_from_a_variable_is_sealed(
    observe_files: Observer, keeper: SecretKeeper
) -> None:
    obs = observe_files(
        {
            "app/compose.yaml": _BASE,
            "app/compose.override.yaml": (
                "services:\n  db:\n    environment:\n"
                "      POSTGRES_PASSWORD: ${DB_PASSWORD}\n"
                "      REPLICATION: 'primary_conninfo=password=${DB_PASSWORD}'\n"
            ),
            "app/.env": "DB_PASSWORD=override-secret-canary\n",
        }
    )
    assert obs.errors == []
    db = obs.component("compose:app/db")
    assert db is not None and "REPLICATION" in db.context["env"]
    for resource in obs.resources:
        assert b"override-secret-canary" not in resource.canonical
