"""``COMPOSE_FILE`` (from the project's ``.env``) names the files Compose takes when run in a
directory: the first is the project, named for the directory; the others are merged over it
and never projects of their own; the default override file is then not taken. A file Compose
does not pick in its directory keeps its own name beside the directory's."""

from __future__ import annotations

from .conftest import Observer

_BASE = "services:\n  web: {image: 'shop:1', environment: {A: '1'}}\n  db: {image: 'postgres:16'}\n"
_PROD = "services:\n  web: {environment: {MODE: prod}}\n  db: {volumes: ['pg:/var/lib/postgresql/data']}\nvolumes: {pg: {}}\n"


def _ids(obs: object) -> list[str]:
    return sorted(c.id for c in obs.components)  # type: ignore[attr-defined]


def test_the_files_compose_file_lists_are_one_project_named_for_the_directory(
    observe_files: Observer,
) -> None:
    obs = observe_files(
        {
            "app/compose.base.yml": _BASE,
            "app/compose.prod.yml": _PROD,
            "app/docker-compose.yml": "services: {legacy: {image: 'old:1'}}\n",
            "app/.env": "COMPOSE_FILE=compose.base.yml:compose.prod.yml\n",
        }
    )
    assert obs.errors == []
    # docker-compose.yml is not what Compose runs here: an alternative, named apart
    assert _ids(obs) == [
        "compose:app/db",
        "compose:app/web",
        "compose:app_docker-compose/legacy",
    ]
    web = obs.component("compose:app/web")
    assert web is not None and web.context["env"] == {"A": "1", "MODE": "prod"}
    db = next(r for r in obs.resources if r.key.name == "db")
    assert db.body["volumes"] == ["pg:/var/lib/postgresql/data"]


def test_the_path_separator_variable_splits_the_list(observe_files: Observer) -> None:
    obs = observe_files(
        {
            "app/base.yaml": _BASE,
            "app/prod.yaml": _PROD,
            "app/.env": "COMPOSE_PATH_SEPARATOR=;\nCOMPOSE_FILE=base.yaml;prod.yaml\n",
        }
    )
    assert obs.errors == []
    assert _ids(obs) == ["compose:app/db", "compose:app/web"]


def test_with_compose_file_set_the_default_override_is_not_merged(
    observe_files: Observer,
) -> None:
    obs = observe_files(
        {
            "app/compose.yaml": _BASE,
            "app/compose.override.yaml": "services: {web: {environment: {DEV: '1'}}}\n",
            "app/.env": "COMPOSE_FILE=compose.yaml\n",
        }
    )
    web = obs.component("compose:app/web")
    assert web is not None and web.context["env"] == {"A": "1"}


def test_a_listed_file_that_is_missing_is_one_error_and_the_project_is_read(
    observe_files: Observer,
) -> None:
    obs = observe_files(
        {"app/compose.yaml": _BASE, "app/.env": "COMPOSE_FILE=compose.yaml:compose.gone.yaml\n"}
    )
    (error,) = obs.errors
    assert "compose.gone.yaml" in error.reason and error.location.endswith("compose.yaml:1")
    assert _ids(obs) == ["compose:app/db", "compose:app/web"]


def test_of_two_default_names_the_one_compose_does_not_pick_is_named_apart(
    observe_files: Observer,
) -> None:
    # compose-go prefers compose.yaml; docker-compose.yml beside it is not run by `docker compose`
    obs = observe_files(
        {
            "app/compose.yaml": "services: {web: {image: 'new:1'}}\n",
            "app/docker-compose.yml": "services: {web: {image: 'old:1'}}\n",
        }
    )
    assert obs.errors == []
    assert _ids(obs) == ["compose:app/web", "compose:app_docker-compose/web"]


def test_a_listed_file_outside_the_project_is_refused_by_name(observe_files: Observer) -> None:
    obs = observe_files(
        {
            "app/compose.yaml": _BASE,
            "app/.env": "COMPOSE_FILE=compose.yaml:../elsewhere/compose.yaml\n",
            "elsewhere/compose.yaml": "services: {web: {privileged: true}}\n",
        },
        "app",
    )
    (error,) = obs.errors
    assert "../elsewhere/compose.yaml" in error.reason and "outside" in error.reason
    web = next(r for r in obs.resources if r.key.name == "web")
    assert "privileged" not in web.body
