"""Each form a secret takes in a source becomes a keyed digest, and what is not secret stays."""

from __future__ import annotations

import shlex
import time

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from stateward.model.secrets import SECRET_PREFIX, SecretKeeper
from stateward.sources.redact import redact_args, redact_env_value, redact_object
from stateward.sources.redact_text import redact_text

from .conftest import Observer

S = "s3cr3t-canary"  # low entropy on purpose: found by structure, not by randomness


def _hidden(text: str, keeper: SecretKeeper, value: str = S) -> bool:
    return value not in text and keeper.digest(value) in text


@pytest.mark.parametrize(
    ("name", "value", "kept"),
    [
        ("REDIS_URL", f"redis://:{S}@redis:6379", "redis://redis:6379"),
        ("DB", f"jdbc:mysql://app:{S}@db/app", "jdbc:mysql://db/app"),
        ("DB", f"jdbc:postgresql://db/app?user=app&password={S}", "jdbc:postgresql://db"),
        ("WEBHOOK_URL", f"https://hooks.example.com/services/{S}", "https://hooks.example.com"),
    ],
)
def test_urls_keep_scheme_host_and_port_only(
    keeper: SecretKeeper, name: str, value: str, kept: str
) -> None:
    redacted = redact_env_value(name, value, keeper)
    assert redacted.startswith(SECRET_PREFIX)
    assert S not in redacted
    assert redacted.endswith(kept) or f" {kept}/" in redacted


@pytest.mark.parametrize(
    "args",
    [
        ["app", "--token", S],
        ["app", "--password", S],
        ["mysqladmin", "ping", f"-p{S}"],
        ["sh", "-c", f"mysql -uroot -p{S} -h db"],
        ["sh", "-c", f"app --token {S} --verbose"],
        ["sh", "-c", f"app --password={S}"],
        ["sh", "-c", f"curl https://user:{S}@db:8080/x"],
        ["redis-cli", "-a", S, "ping"],
        ["CMD-SHELL", f"redis-cli -a {S} ping"],
        ["CMD-SHELL", f"sqlcmd -S localhost -U sa -P {S} -Q 'SELECT 1'"],
        ["sh", "-c", f"PGPASSWORD={S} psql -h db"],
    ],
)
def test_arguments_as_items_and_inside_shell_strings(keeper: SecretKeeper, args: list[str]) -> None:
    assert _hidden(" ".join(redact_args(args, keeper)), keeper)


@pytest.mark.parametrize(
    "args",
    [
        ["redis-cli", "-h", "redis", "-p", "6379", "ping"],
        ["sh", "-c", 'mysqladmin ping --password="$(cat /run/secrets/db-password)"'],
        ["--default-authentication-plugin", "mysql_native_password"],
        ["curl", "-f", "http://localhost:8080/health"],
        ["app", "--token-file", "/run/secrets/token"],
    ],
)
def test_arguments_without_secrets_stay_as_written(keeper: SecretKeeper, args: list[str]) -> None:
    assert redact_args(args, keeper) == args


def test_the_rest_of_a_shell_string_stays(keeper: SecretKeeper) -> None:
    [_, _, line] = redact_args(["sh", "-c", f"mysql -uroot -p{S} -h db && echo ok"], keeper)
    assert line == f"mysql -uroot -p{keeper.digest(S)} -h db && echo ok"


CONFIG_MAP = f"""\
apiVersion: v1
kind: ConfigMap
metadata: {{name: cm}}
data:
  db_password: {S}
  DATABASE_URL: postgres://app:{S}1@db
  application.properties: |
    spring.datasource.url=jdbc:postgresql://db:5432/app
    spring.datasource.password={S}2
  redis.conf: |
    port 6379
    requirepass {S}3
  settings.json: '{{"host": "db", "password": "{S}4"}}'
  LOG_LEVEL: debug
"""


def test_config_map_values_and_embedded_files(
    observe_files: Observer, keeper: SecretKeeper
) -> None:
    [cm] = observe_files({"cm.yaml": CONFIG_MAP}).resources
    data = cm.body["data"]
    assert data["db_password"] == keeper.digest(S)
    assert data["DATABASE_URL"].endswith(" postgres://db")  # the host stays: a dependency edge
    props = data["application.properties"]
    assert props.splitlines() == [
        "spring.datasource.url=jdbc:postgresql://db:5432/app",
        f"spring.datasource.password={keeper.digest(S + '2')}",
    ]
    assert data["redis.conf"] == f"port 6379\nrequirepass {keeper.digest(S + '3')}\n"
    assert data["settings.json"] == f'{{"host": "db", "password": "{keeper.digest(S + "4")}"}}'
    assert data["LOG_LEVEL"] == "debug"
    assert S not in str(cm.body)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("GITHUB_PAT", S),
        ("STRIPE_SK", S),
        ("SIGNING_SALT", S),
        ("SESSION_TOKEN", S),
        ("APP_KEY", S),
        ("REDIS_AUTH", S),
        ("NEUTRAL", "ghp_" + "aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6"),  # detect-secrets GitHub
        ("NEUTRAL", "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"),  # detect-secrets Stripe
        ("NEUTRAL", "Zx8qT2vLp9RmK4wYc7NbF3sHj6DgA1eU5iO0"),  # entropy above 4.5 bits
        ("auth", S),
    ],
)
def test_names_and_shapes_of_credentials(keeper: SecretKeeper, name: str, value: str) -> None:
    assert redact_env_value(name, value, keeper) == keeper.digest(value)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DB_PASSWORD_FILE", "/run/secrets/db_password"),
        ("GF_AUTH_ANONYMOUS_ENABLED", "true"),
        ("DB_PASSWORD", "${DB_PASSWORD}"),
        ("KEYCLOAK_REALM", "main"),
        ("IMAGE", "nginx@sha256:" + "0123456789abcdef" * 4),
        ("REQUEST_ID", "123e4567-e89b-12d3-a456-426614174000"),
        ("OTEL_RESOURCE_ATTRIBUTES", "service.name=cart,service.namespace=shop"),
        ("com.docker.compose.config-hash", "4bc453b53cb3d914b45f4b250294236adba2c0e09ff6f037"),
        ("GIT_COMMIT", "9fceb02d0ae598e95dc970b74767f19372d61af8"),
    ],
)
def test_values_that_are_not_secret_stay(keeper: SecretKeeper, name: str, value: str) -> None:
    assert redact_env_value(name, value, keeper) == value


def test_numbers_under_secret_names(keeper: SecretKeeper) -> None:
    assert redact_env_value("PIN_PASSWORD", 98765432101, keeper) == keeper.digest("98765432101")
    assert redact_env_value("REPLICAS", 3, keeper) == 3


@pytest.mark.parametrize(
    "body",
    [
        {"data": [S]},
        {"data": S},
        {"stringData": S},
        {"stringData": [S, {"x": S}]},
        {"metadata": {"name": "s", "annotations": {"owner-note": S}}},
    ],
)
def test_malformed_secrets_and_secret_annotations(keeper: SecretKeeper, body: dict) -> None:  # type: ignore[type-arg]
    obj = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, **body}
    assert S not in str(redact_object(obj, keeper))


COMPOSE = f"""\
services:
  web:
    image: web:1
    build:
      context: .
      args: {{NPM_TOKEN: {S}, NODE_ENV: production}}
    labels:
      - "traefik.http.middlewares.auth.basicauth.users=admin:$$apr1$$H6uskkkW$${S}"
      - "traefik.http.routers.web.rule=Host(`web.example.com`)"
    entrypoint: ["run", "--token", "{S}"]
    command: sh -c "mysql -uroot -p{S} -h db"
    healthcheck:
      test: ["CMD-SHELL", "redis-cli -a {S} ping"]
  other:
    image: other:1
    build: {{context: ., args: ["GITHUB_PAT={S}", "VERSION=1"]}}
configs:
  app:
    content: |
      bind 0.0.0.0
      requirepass {S}
"""


def test_compose_build_args_labels_commands_and_config_content(
    observe_files: Observer, keeper: SecretKeeper
) -> None:
    obs = observe_files({"compose.yaml": COMPOSE})
    by_name = {r.key.name: r.body for r in obs.resources}
    web, other, app = by_name["web"], by_name["other"], by_name["app"]
    assert web["build"]["args"] == {"NPM_TOKEN": keeper.digest(S), "NODE_ENV": "production"}
    assert other["build"]["args"][1] == "VERSION=1"
    assert web["labels"][1] == "traefik.http.routers.web.rule=Host(`web.example.com`)"
    assert web["entrypoint"] == ["run", "--token", keeper.digest(S)]
    assert web["command"] == f'sh -c "mysql -uroot -p{keeper.digest(S)} -h db"'
    assert app["content"] == f"bind 0.0.0.0\nrequirepass {keeper.digest(S)}\n"
    for body in (web, other, app):
        assert S not in str(body)


DEPLOYMENT_WITH_COMMENTS = f"""\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: app}}
spec:
  template:
    spec:
      containers:
        - name: app
          image: app:1
          # the old one was password: {S}0
          env:
            - name: ADMIN_PASSWORD
              value: {S}  # rotated yearly
"""


def test_comments_never_quote_a_secret(observe_files: Observer, keeper: SecretKeeper) -> None:
    [app] = observe_files({"app.yaml": DEPLOYMENT_WITH_COMMENTS}).resources
    assert app.comments
    assert S not in str(app.comments)
    assert ("", f"the old one was password: {keeper.digest(S + '0')}") in app.comments
    assert (f"value: {keeper.digest(S)}", "rotated yearly") in app.comments


def test_compose_comments_never_quote_a_secret(
    observe_files: Observer, keeper: SecretKeeper
) -> None:
    text = f"services:\n  db:\n    image: db:1\n    environment:\n      - DB_PASS={S}  # keep\n"
    [db] = observe_files({"compose.yaml": text}).resources
    assert db.comments == ((f"- DB_PASS={keeper.digest(S)}", "keep"),)


@given(secret=st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789!%*+", min_size=6, max_size=24))
def test_a_password_flag_in_a_shell_string_never_survives(secret: str) -> None:
    assume(secret not in "password")  # a piece of the flag's own name is no secret that survived
    keeper = SecretKeeper(b"k" * 32)
    for line in (f"app --password {secret}", f"app --password={secret}", f"mysql -p{secret}"):
        out = redact_args(["sh", "-c", line], keeper)[2]
        assert secret not in out.replace(keeper.digest(secret), "")


@pytest.mark.parametrize(
    "text",
    [
        f'location / {{\n  proxy_set_header Authorization "Bearer {S}Ab9";\n}}\n',
        f"headers:\n  Authorization: Basic {S}Ab9\n",
        f"-----BEGIN RSA PRIVATE KEY-----\n{S}\n-----END RSA PRIVATE KEY-----\n",
        f"[client]\nuser = app\npassword = {S}\n",
        f'{{"auths": {{"registry.example.com": {{"auth": "{S}"}}}}}}',  # Docker config.json
        f"admin:$apr1$H6uskkkW${S}\nbob:$2y$05${S}\n",  # an htpasswd file
    ],
)
def test_credentials_inside_config_files(keeper: SecretKeeper, text: str) -> None:
    redacted = redact_env_value("nginx.conf", text, keeper)
    assert S not in redacted
    assert SECRET_PREFIX in redacted


@pytest.mark.parametrize(
    "text",
    [
        "receivers:\n  postgresql:\n    password: ${env:PG_PASSWORD}\n",
        "# Basic configuration.\nauth_basic_user_file /etc/nginx/.htpasswd;\n",
        '{"key": "service.name", "secretName": "tls", "tokenizer": "standard"}\n',
        "bearer_token_file: /var/run/secrets/kubernetes.io/serviceaccount/token\n",
        "price: $5 or $6 a month\n",
    ],
)
def test_config_files_without_credentials_stay(keeper: SecretKeeper, text: str) -> None:
    assert redact_env_value("config.yaml", text, keeper) == text


@pytest.mark.parametrize(
    "text",
    [
        "key" + "a" * 200_000,  # a key-like word as long as a file
        "eyJ" * 70_000,  # detect-secrets' JWT pattern backtracks on this within one word
        "a" * 200_000 + "://x@",
        "password=" + "${" * 100_000,
        "x" + "-a" * 100_000,
        "key" * 70_000,  # a hint word on every column of one line
    ],
)
def test_hostile_text_is_redacted_in_linear_time(keeper: SecretKeeper, text: str) -> None:
    # Quadratic rules take minutes on these; linear ones well under a second on this machine.
    started = time.process_time()
    redact_env_value("X", text, keeper)
    redact_args(["sh", "-c", text], keeper)
    assert time.process_time() - started < 10


W = "plainlowercasetoken"  # no digit, no capital: only the header says it is a credential


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        (f"curl -H 'Authorization: Bearer {W}' https://api.example.com", W),
        (f'curl -H "authorization: token {W}" https://api.example.com', W),
        (f'{{"Authorization": "Bearer {W}"}}', W),
        (f"curl --proxy-header 'Proxy-Authorization: Basic {W}' x", W),
        (f"curl -u admin:{S} https://api.example.com", f"admin:{S}"),
        (f"curl --user admin:{S} https://x", f"admin:{S}"),
        (f"curl --user=admin:{S} https://x", f"admin:{S}"),
        (f"curl -uadmin:{S} https://x", f"admin:{S}"),
        (f"curl -U proxy:{S} -x http://proxy:3128 https://x", f"proxy:{S}"),
    ],
)
def test_http_authorization_headers_and_curl_users_in_shell_strings(
    keeper: SecretKeeper, line: str, secret: str
) -> None:
    # One shell string (a Compose command, a cron line, a unit's ExecStart) and the same words
    # as separate arguments: each form digests the credential, the rest of the line stays.
    out = redact_args(["sh", "-c", line], keeper)[2]
    assert _hidden(out, keeper, secret) and out.split()[0] == line.split()[0]
    if line.startswith("curl"):  # the argv a shell makes of it
        assert secret not in " ".join(redact_args(shlex.split(line), keeper))


@pytest.mark.parametrize(
    "line",
    [
        "curl -u admin https://x",  # curl asks for the password: none is written
        "docker run -u 1000:1000 busybox id",  # -u is a user and group outside curl
        "sudo -u app:app true",
        "the Authorization header carries credentials",
    ],
)
def test_users_and_prose_about_authorization_stay(keeper: SecretKeeper, line: str) -> None:
    assert redact_args(["sh", "-c", line], keeper)[2] == line


def test_the_host_source_redacts_command_lines_with_the_shared_rules(keeper: SecretKeeper) -> None:
    from stateward.sources.host.resources import _scrub
    from stateward.sources.redact_text import redact_text

    line = f"* * * * * root curl -u admin:{S} -H 'Authorization: Bearer {W}' https://x"
    assert _scrub(line, keeper) == redact_text(line, keeper, context=line)
    assert S not in _scrub(line, keeper) and W not in _scrub(line, keeper)


@pytest.mark.parametrize(
    ("name", "kept"),
    [("DSN", True), ("KETO_DSN", True), ("DB_PASSWORD", False), ("API_TOKEN", False)],
)
def test_memory_is_readable_only_as_a_data_source_name(
    keeper: SecretKeeper, name: str, kept: bool
) -> None:
    # ``DSN=memory`` names Ory's in-memory backend; a password that is the word is a secret
    assert (redact_env_value(name, "memory", keeper) == "memory") is kept
    text = redact_text(f"{name.lower()}: memory\n", keeper)
    assert ("memory" in text) is kept
    assert _hidden(text, keeper, "memory") is not kept
