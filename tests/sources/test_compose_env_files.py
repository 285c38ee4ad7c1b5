"""Env files interpolate their values as Compose does (compose-go ``dotenv``): from earlier lines,
from the project's variables for a service's ``env_file``, never inside single quotes; a secret
a value takes from another variable stays a secret wherever that value lands."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stateward.model.secrets import SecretKeeper
from stateward.sources.interpolate import InterpolationTooLarge, parse_env_file

from .conftest import Observer


def test_a_value_takes_earlier_lines_and_single_quotes_keep_it_literal() -> None:
    parsed = parse_env_file(
        'ROOT=./state\nDATA="${ROOT:?error}/data"\nDB=${DATA}/db\n'
        "LITERAL='${ROOT}/x'\nLATE=${LATER:-fallback}\nLATER=set\nexport TAG=v$${ROOT}\n"
    )
    assert parsed.variables == {
        "ROOT": "./state", "DATA": "./state/data", "DB": "./state/data/db",
        "LITERAL": "${ROOT}/x", "LATE": "fallback", "LATER": "set", "TAG": "v${ROOT}",
    }  # fmt: skip
    assert parsed.failed == [] and parsed.hidden == {}


def test_the_lookup_comes_first_and_a_bare_key_takes_its_value() -> None:
    parsed = parse_env_file("A=file\nB=${A}\nC\nD\n", lookup={"A": "project", "C": "from-project"})
    assert parsed.variables == {"A": "file", "B": "project", "C": "from-project"}


def test_a_required_variable_unset_in_an_env_file_is_named() -> None:
    parsed = parse_env_file("PATH_ROOT=${ROOT:?set ROOT first}/x\n")
    assert parsed.variables == {"PATH_ROOT": "/x"}
    assert parsed.failed == [("ROOT", "set ROOT first")]


def test_values_doubling_line_by_line_are_refused_not_built() -> None:
    lines = ["A0=" + "x" * 1024] + [f"A{i}=${{A{i - 1}}}${{A{i - 1}}}" for i in range(1, 40)]
    with pytest.raises(InterpolationTooLarge):
        parse_env_file("\n".join(lines))


def test_a_quoted_value_ends_at_its_closing_quote_before_a_comment() -> None:
    # bewCloud's .env: POSTGRESQL_HOST="postgresql" # docker container name or external hostname
    text = 'HOST="postgresql" # container name\nDB=\'app\'  # the database\nQ="a\\"b" # x\n'
    assert parse_env_file(text).variables == {"HOST": "postgresql", "DB": "app", "Q": 'a\\"b'}


@given(st.dictionaries(st.from_regex(r"[A-Z][A-Z0-9_]{0,8}", fullmatch=True),
                       st.text(st.characters(blacklist_characters="'\"\n\r\\", codec="utf-8"),
                               max_size=20), max_size=8),
       st.text(st.characters(blacklist_characters="\n\r", codec="utf-8"), max_size=20))  # fmt: skip
def test_quoted_values_read_back_whatever_comment_follows(
    values: dict[str, str], comment: str
) -> None:
    text = "".join(f"{k}='{v}' #{comment}\n" for k, v in values.items())
    assert parse_env_file(text).variables == values


@given(st.dictionaries(st.from_regex(r"[A-Z][A-Z0-9_]{0,8}", fullmatch=True),
                       st.text(st.characters(blacklist_characters="$'\"#\n\r\\", codec="utf-8"),
                               max_size=20).map(str.strip), max_size=8))  # fmt: skip
def test_plain_values_read_back_as_written(values: dict[str, str]) -> None:
    text = "".join(f"{k}={v}\n" for k, v in values.items())
    assert parse_env_file(text).variables == values


def test_a_compose_volume_built_from_env_variables_is_read(observe_files: Observer) -> None:
    obs = observe_files({
        "p/compose.yaml": "services:\n  db:\n    image: mariadb:${DB_VERSION}\n    volumes:\n"
                          '      - "${DB_HOST_PATH:?error}:/var/lib/mysql"\n',
        "p/.env": 'ROOT="./docker-state"\nDATA_ROOT="${ROOT:?error}/data"\n'
                  'DB_HOST_PATH="${DATA_ROOT:?error}/db"\nDB_VERSION=11.4\n',
    }, "p/compose.yaml")  # fmt: skip
    assert obs.errors == []
    (db,) = [r.body for r in obs.resources if r.key.name == "db"]
    assert db["image"] == "mariadb:11.4"
    assert db["volumes"][0].startswith("./docker-state/data/db:")


def test_a_service_env_file_reads_the_project_variables(observe_files: Observer) -> None:
    obs = observe_files({
        "p/compose.yaml": "services:\n  web:\n    image: app\n    env_file: web.env\n"
                          "    environment: {REGION: eu}\n",
        "p/.env": "DOMAIN=example.org\n",
        "p/web.env": "URL=https://${DOMAIN}/app\nZONE=${REGION}-1\n",
    }, "p/compose.yaml")  # fmt: skip
    assert obs.errors == []
    (web,) = [r.body for r in obs.resources if r.key.name == "web"]
    assert web["environment"]["URL"] == "https://example.org/app"
    assert web["environment"]["ZONE"] == "eu-1"


def test_a_secret_taken_into_another_variable_is_sealed_where_it_lands(
    observe_files: Observer, keeper: SecretKeeper
) -> None:
    secret = "pw-" + "k3Vq" * 3  # plain: no detector flags it by shape
    obs = observe_files({
        "p/compose.yaml": 'services:\n  api:\n    image: app\n    command: ["run", "${DB_OPTS}"]'
                          "\n    env_file: api.env\n",
        # values no detector reads as holding a secret: only where they came from says so
        "p/.env": f"DB_PASSWORD={secret}\nDB_OPTS=app/${{DB_PASSWORD}}/db\n",
        "p/api.env": "OPTS=x/${DB_PASSWORD}/y\nCHAIN=x ${DB_OPTS}\n",
    }, "p/compose.yaml")  # fmt: skip
    assert obs.errors == []
    for resource in obs.resources:
        assert secret.encode() not in resource.canonical, resource.key
    (api,) = [r.body for r in obs.resources if r.key.name == "api"]
    digest = keeper.digest(secret)
    assert api["command"] == ["run", f"app/{digest}/db"]
    assert api["environment"]["OPTS"] == f"x/{digest}/y"
    assert api["environment"]["CHAIN"] == f"x app/{digest}/db"


def test_an_env_file_that_fails_a_required_variable_names_the_file(
    observe_files: Observer,
) -> None:
    obs = observe_files({
        "p/compose.yaml": "services:\n  web:\n    image: app\n    env_file: web.env\n",
        "p/web.env": "HOME_DIR=${BASE:?BASE must be set}/home\n",
    }, "p/compose.yaml")  # fmt: skip
    assert [e.reason for e in obs.errors] == ["env_file web.env: BASE: BASE must be set"]
