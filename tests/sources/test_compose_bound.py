"""Configuration files a Compose service binds from its project directory, kept beside the service
(never in its body or digest), bounded, credentials digested, data directories never walked."""

from __future__ import annotations

from pathlib import Path

from stateward.model.observation import Observation
from stateward.model.secrets import SECRET_PREFIX
from stateward.sources.bound import MAX_BOUND_FILE, MAX_BOUND_FILES

from .conftest import Observer

COMPOSE = """\
services:
  proxy:
    image: nginx:1.27
    volumes:
      - ./nginx.conf:/etc/nginx/nginx.conf:ro
      - type: bind
        source: ./conf.d
        target: /etc/nginx/conf.d
  search:
    image: searxng/searxng:2025.1.1
    volumes: ["./searxng:/etc/searxng:rw", "./data:/data", "./missing.yml:/etc/app.yml"]
"""
NGINX = "upstream app { server lemmy:8536; }\nhttp { proxy_pass http://app; }\n"
SETTINGS = "redis:\n  url: redis://:Sup3rS3cretPassw0rd@redis:6379/0\n"


def _files(observation: Observation, name: str) -> dict[str, str]:
    (resource,) = [r for r in observation.resources if r.key.name == name]
    return dict(resource.files)


def test_bound_files_and_configuration_folders_are_kept_beside_the_service(
    observe_files: Observer,
) -> None:
    observation = observe_files(
        {
            "compose.yaml": COMPOSE,
            "nginx.conf": NGINX,
            "conf.d/site.conf": "server { location / { proxy_pass http://web:3000; } }\n",
            "searxng/settings.yml": SETTINGS,
            "data/records.json": '{"kept": "not read"}',
        }
    )
    assert _files(observation, "proxy") == {
        "/etc/nginx/nginx.conf": NGINX,
        "/etc/nginx/conf.d/site.conf": "server { location / { proxy_pass http://web:3000; } }\n",
    }
    assert list(_files(observation, "search")) == ["/etc/searxng/settings.yml"]


def test_a_credential_in_a_bound_file_is_digested(observe_files: Observer) -> None:
    observation = observe_files({"compose.yaml": COMPOSE, "searxng/settings.yml": SETTINGS})
    (text,) = _files(observation, "search").values()
    assert "Sup3rS3cretPassw0rd" not in text
    assert SECRET_PREFIX in text and "@redis:6379/0" in text


def test_bound_files_leave_the_body_and_its_digest_alone(observe_files: Observer) -> None:
    plain = observe_files({"compose.yaml": COMPOSE})
    (before,) = [r.digest for r in plain.resources if r.key.name == "proxy"]
    changed = observe_files({"nginx.conf": NGINX})
    (after,) = [r for r in changed.resources if r.key.name == "proxy"]
    assert after.digest == before and after.files


def test_large_binary_and_outside_files_are_left_out(
    observe_files: Observer, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.conf"
    outside.write_text("server db:5432;\n", encoding="utf-8")
    compose = COMPOSE.replace("./missing.yml", str(outside)).replace(
        "./nginx.conf:", "../outside.conf:"
    )
    observation = observe_files(
        {
            "compose.yaml": compose,
            "conf.d/big.conf": "#" * (MAX_BOUND_FILE + 1),
            "conf.d/logo.conf": b"\xff\xfe\x00binary",
        }
    )
    assert observation.errors == []
    assert _files(observation, "proxy") == {}
    assert _files(observation, "search") == {}


def test_a_bind_whose_name_cannot_be_looked_up_is_left_unread(observe_files: Observer) -> None:
    """A source name longer than the system allows (found by the fuzz test): the bind stays in
    the service's body, no file is read, and the scan goes on (it raised ENAMETOOLONG)."""
    long = "./" + "9" * 5000
    compose = f"services:\n  web:\n    image: nginx:1.27\n    volumes: ['{long}:/etc/nginx/x']\n"
    observation = observe_files({"compose.yaml": compose, "nginx.conf": NGINX})
    assert _files(observation, "web") == {}
    assert not observation.errors


def test_a_long_syntax_bind_source_is_relative_with_or_without_its_dot(
    observe_files: Observer,
) -> None:
    compose = """\
services:
  keto:
    image: oryd/keto:v26.2.0
    volumes:
      - {type: bind, source: config/keto.conf, target: /etc/keto.conf}
      - {type: volume, source: data, target: /data}
volumes: {data: {}}
"""
    observation = observe_files(
        {"compose.yaml": compose, "config/keto.conf": "dsn: memory\n", "data": "a volume name"}
    )
    assert _files(observation, "keto") == {"/etc/keto.conf": "dsn: memory\n"}


WHOLE_PROJECT = """\
services:
  app:
    build: docker/php-fpm
    volumes: [".:/var/www/html"]
  web:
    image: nginx:1.27
    volumes: [".:/var/www/html"]
"""


def test_a_built_service_binding_the_whole_project_reads_its_settings_files_at_the_root(
    observe_files: Observer,
) -> None:
    """Only the settings files at the root (a template the install guide copies included); the
    source tree is not walked, and an image that binds the project reads nothing of it."""
    observation = observe_files({
        "compose.yaml": WHOLE_PROJECT,
        "config-sample.php": "<?php\nclass Config { const DB_HOST = 'mysql'; }\n",
        "index.php": "<?php echo 'not read';\n",
        "app/config.php": "<?php // below the root: not read\n",
    })  # fmt: skip
    assert list(_files(observation, "app")) == ["/var/www/html/config-sample.php"]
    assert _files(observation, "web") == {}


def test_a_project_root_of_many_files_still_yields_its_settings_file(
    observe_files: Observer,
) -> None:
    """The settings file is picked out of the root before the listing's bound is applied: a
    project with more files at its root than the bound, sorting before it, is still read."""
    many = {f"a{i:03}.php": "<?php\n" for i in range(MAX_BOUND_FILES * 4 + 1)}
    observation = observe_files({
        "compose.yaml": WHOLE_PROJECT,
        **many,
        "config.php": "<?php\nclass Config { const DB_HOST = 'mysql'; }\n",
    })  # fmt: skip
    assert list(_files(observation, "app")) == ["/var/www/html/config.php"]


def test_a_built_service_binding_the_root_at_a_configuration_path_reads_every_file_there(
    observe_files: Observer,
) -> None:
    """Bound at a configuration path (/etc/…), the folder is read as any configuration folder
    is, whatever its files are named: the settings-only narrowing is for a source tree."""
    compose = """\
services:
  app:
    build: .
    volumes: [".:/etc/app"]
"""
    observation = observe_files({"compose.yaml": compose, "routes.yml": "a: b\n"})
    assert "/etc/app/routes.yml" in _files(observation, "app")


def test_a_configuration_folder_kept_in_folders_by_kind_is_read_one_level_down(
    observe_files: Observer,
) -> None:
    """Grafana's provisioning directory keeps a folder per kind: the data source file names the
    Prometheus it queries. Two levels down, and below a data directory, nothing is read."""
    compose = """\
services:
  grafana:
    image: grafana/grafana:11.6.0
    volumes: ["./provisioning:/etc/grafana/provisioning", "./data:/var/lib/grafana"]
"""
    source = "datasources:\n  - type: prometheus\n    url: http://prometheus:9090\n"
    observation = observe_files({
        "compose.yaml": compose,
        "provisioning/datasources/all.yaml": source,
        "provisioning/dashboards/deep/board.json": '{"not": "read"}',
        "data/plugins/records.json": '{"kept": "not read"}',
    })  # fmt: skip
    assert _files(observation, "grafana") == {
        "/etc/grafana/provisioning/datasources/all.yaml": source
    }
