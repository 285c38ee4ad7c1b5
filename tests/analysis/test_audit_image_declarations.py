"""What images declare in their Dockerfiles, shipped: the catalogue's shape, the script that writes
it, and the rules reading a shipped declaration (a ``VOLUME``, a data-directory ``ENV``) the way
they read a registry's config."""

from __future__ import annotations

import importlib.util
import re
import sys
from importlib.resources import files
from pathlib import Path
from types import ModuleType

import pytest
from tests.analysis.conftest import Auditor, rules_of

from stateward.analysis.audit.appdata import data_pointers, data_variable, declared_volumes
from stateward.analysis.audit.images import DeclaredConfigs, declarations
from stateward.analysis.audit.knowledge import declared_family
from stateward.analysis.audit.workloads import Container

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "image_declarations.py"


@pytest.fixture(scope="module")
def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("image_declarations", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["image_declarations"] = module
    spec.loader.exec_module(module)
    return module


def test_every_entry_names_the_commit_it_was_read_at() -> None:
    raw = files("stateward.analysis.audit").joinpath("image_declarations.json").read_bytes()
    assert len(raw) < 300_000  # loaded lazily, but shipped in every install
    found = declarations()
    assert len(found) > 50
    for image, config in found.items():
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}:\S+", str(config["source"])), image
        assert set(config) <= {"Volumes", "Env", "WorkingDir", "source"}, image
        assert all(str(v).startswith("/") for v in config.get("Volumes", {})), image


def test_an_image_is_found_whatever_registry_host_or_tag_names_it() -> None:
    shipped = DeclaredConfigs()
    for ref in ("lscr.io/linuxserver/sonarr:4", "ghcr.io/linuxserver/sonarr", "linuxserver/sonarr"):
        config = shipped.config(ref)
        assert config is not None and "/config" in config["Volumes"]
    for ref in ("docker.io/library/postgres:16@sha256:" + "0" * 64, "postgres"):
        config = shipped.config(ref)
        assert config is not None and config["Volumes"]
    assert shipped.config("example.org/nobody/unknown:1") is None


def test_the_final_stage_is_read_with_its_arguments_and_earlier_stages(
    script: ModuleType,
) -> None:
    dockerfile = (
        "ARG ROOT=/srv\n"
        "FROM golang AS build\nENV BUILD_DATA_DIR=/go/data\nVOLUME /go/cache\n"
        "FROM alpine AS base\n"
        "ENV APP_DATA_DIR=${ROOT}/data \\\n    APP_LOG_DIR=/var/log/app APP_VERSION=1\n"
        "# VOLUME /commented\n"
        'VOLUME ["$APP_DATA_DIR", "/var/log/app"]\nWORKDIR $ROOT/app\n'
        "FROM base\nENV MEDIA_PATH $UNSET/media\n"
    )
    config = script.config(script.final_stage(dockerfile))
    assert config == {
        "Volumes": {"/srv/data": {}, "/var/log/app": {}},
        "Env": ["APP_DATA_DIR=/srv/data"],  # the log and version are no data; $UNSET is unknown
        "WorkingDir": "/srv/app",
    }
    assert script.config(script.final_stage(dockerfile, "build")) == {
        "Volumes": {"/go/cache": {}}, "Env": ["BUILD_DATA_DIR=/go/data"],
    }  # fmt: skip


@pytest.mark.parametrize(
    ("value", "known", "expanded"),
    [
        ("${DATA:-/data}/db", {}, "/data/db"),
        ("${DATA:-/data}/db", {"DATA": "/srv"}, "/srv/db"),
        ("/app${SUFFIX:+/$SUFFIX}", {}, "/app"),  # the word only when the variable is set
        ("/app${SUFFIX:+/extra}", {"SUFFIX": "x"}, "/app/extra"),
        ("$UNSET/media", {}, None),  # unknown: dropped, never guessed
    ],
)
def test_variables_expand_as_the_builder_expands_them(
    script: ModuleType, value: str, known: dict[str, str], expanded: str | None
) -> None:
    assert script.expand(value, known) == expanded


def test_an_official_images_file_gives_the_latest_entry_first(script: ModuleType) -> None:
    library = (
        "# generated\n\nMaintainers: A (@a),\n             B (@b)\n"
        "GitRepo: https://github.com/docker-library/thing.git\n\n"
        "Tags: 2-beta\nGitCommit: " + "a" * 40 + "\nDirectory: 2/beta\n\n"
        "Tags: 1.9, 1, latest\nGitCommit: " + "b" * 40 + "\nDirectory: 1\nFile: Dockerfile.slim\n"
    )
    entries = script.library_entries(library)
    assert entries[0] == ("docker-library/thing", "b" * 40, "1/Dockerfile.slim")
    assert entries[1] == ("docker-library/thing", "a" * 40, "2/beta/Dockerfile")


def _container(config: dict[str, object], **body: object) -> Container:
    return Container("app", "example.org/app:1", body, "/spec", image_config=config)


def test_declared_volumes_leave_out_logs_scratch_configuration_and_the_engine() -> None:
    volumes = {p: {} for p in ("/var/log/app", "/tmp", "/etc/app", "/var/lib/docker", "/run/app")}
    container = _container({"Volumes": {**volumes, "/config": {}, "/srv/uploads/": {}}})
    assert declared_volumes(container) == ("/config", "/srv/uploads")


def test_an_image_env_names_data_only_outside_its_volumes_and_unless_set_again() -> None:
    config = {
        "Env": ["GF_PATHS_DATA=/var/lib/grafana", "APP_DATA=/vol/data", "PLEX_MEDIA_SERVER_HOME=/usr/lib/plex"],
        "Volumes": {"/vol": {}},
    }  # fmt: skip
    container = _container(config)
    assert data_pointers(container) == {}  # asked for on Kubernetes only
    assert data_pointers(container, image=True) == {"/var/lib/grafana": "GF_PATHS_DATA (image ENV)"}
    sqlite = _container(
        {"Env": ["HBOX_DATABASE_SQLITE_PATH=/data/app.db?_pragma=busy_timeout=2000"]}
    )
    assert data_pointers(sqlite, image=True) == {
        "/data/app.db": "HBOX_DATABASE_SQLITE_PATH (image ENV)"
    }
    again = _container(config, env=[{"name": "GF_PATHS_DATA", "value": "/tmp/grafana"}])
    assert "/var/lib/grafana" not in data_pointers(again, image=True)
    assert data_variable("XDG_DATA_HOME") and not data_variable("MYSQL_MAJOR")
    # a library a program keeps its media in, not the loader's search path (Tomcat's image)
    assert data_variable("PHOTO_LIBRARY_PATH") and not data_variable("LD_LIBRARY_PATH")


def test_a_one_segment_volume_or_several_systems_name_no_database() -> None:
    assert declared_family(_container({"Volumes": {"/data": {}}})) is None
    bundled = {"/var/lib/postgresql": {}, "/var/lib/rabbitmq": {}, "/var/lib/redis": {}}
    assert declared_family(_container({"Volumes": bundled})) is None
    found = declared_family(_container({"Volumes": {"/var/lib/mysql": {}}}))
    assert found is not None and found[0].name in {"mysql", "mariadb"}
    # Oracle's images declare VOLUME ["$ORACLE_BASE/oradata"], outside the prefix table
    oracle = declared_family(_container({"Volumes": {"/opt/oracle/oradata": {}}}))
    assert oracle is not None and oracle[0].name == "oracle"


def _deployment(image: str, volumes: str = "") -> str:
    return f"""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {{name: app, namespace: demo}}
        spec:
          template:
            spec:
              containers:
                - name: app
                  image: {image}
{volumes}
        """


_CLAIMED = """\
                  volumeMounts: [{name: files, mountPath: /app/uploads}]
              volumes: [{name: files, persistentVolumeClaim: {claimName: files}}]"""


def test_a_declared_volume_with_nothing_mounted_is_lost_with_the_pod(audit_files: Auditor) -> None:
    """Rocket.Chat's image declares /app/uploads (no catalogue knows it by name): a new pod keeps
    nothing there; a claim there keeps it."""
    report = audit_files(**{"app.yaml": _deployment("rocket.chat:7")})
    (component,) = report.components
    assert str(component.loss) == "data"
    assert "DATA_IMAGE_NO_VOLUME" in rules_of(report, "app")


def test_a_declared_volume_a_claim_covers_is_kept(audit_files: Auditor) -> None:
    report = audit_files(**{"app.yaml": _deployment("rocket.chat:7", _CLAIMED)})
    assert "DATA_IMAGE_NO_VOLUME" not in rules_of(report, "app")
    (component,) = report.components
    assert str(component.lifecycle) == "persistent"


def test_compose_keeps_a_declared_volume_on_up(audit_files: Auditor) -> None:
    report = audit_files(**{"compose.yaml": "services:\n  chat:\n    image: rocket.chat:7\n"})
    assert not {"DATA_IMAGE_NO_VOLUME", "APP_DATA_NO_VOLUME"} & rules_of(report, "chat")


def test_an_image_data_directory_with_nothing_mounted_is_lost_with_the_pod(
    audit_files: Auditor,
) -> None:
    """Grafana's Dockerfile sets GF_PATHS_DATA=/var/lib/grafana (grafana.db: users, UI-made
    dashboards): on Kubernetes with no volume, that is in the container."""
    report = audit_files(**{"grafana.yaml": _deployment("grafana/grafana:12.0.0")})
    (finding,) = [f for f in report.findings if f.rule == "APP_DATA_NO_VOLUME"]
    assert "GF_PATHS_DATA" in finding.message and "/var/lib/grafana" in finding.message
    compose = audit_files(**{"compose.yaml": "services:\n  grafana:\n    image: grafana/grafana\n"})
    assert "APP_DATA_NO_VOLUME" not in rules_of(compose, "grafana")


def test_a_bind_at_a_declared_volume_holds_the_programs_state(audit_files: Auditor) -> None:
    """Apprise's image declares /config (its UI-made configurations): a project folder bound
    there keeps them, where a /config bind of an image declaring nothing is configuration."""
    service = "services:\n  notify:\n    image: {image}\n    volumes: ['./config:/config']\n"
    declared = audit_files(**{"compose.yaml": service.format(image="caronc/apprise:1")})
    (component,) = declared.components
    assert str(component.lifecycle) == "persistent"
    plain = audit_files(**{"compose.yaml": service.format(image="example.org/notify:1")})
    (component,) = plain.components
    assert str(component.lifecycle) != "persistent"


def test_a_volume_an_earlier_stage_declares_from_an_argument_is_read(audit_files: Auditor) -> None:
    """multi-scrobbler's image declares ``VOLUME $data_dir`` (``ARG data_dir=/config``) in the
    stage its final stage is built FROM, and ``DATA_DIR`` there: its ./config bind is its state
    (its database of scrobbles), as the catalogue read the Dockerfile."""
    (entry,) = [v for k, v in declarations().items() if k == "foxxmd/multi-scrobbler"]
    assert "/config" in entry["Volumes"]
    service = "services:\n  scrobbler:\n    image: {image}\n    volumes: ['./config:/config']\n"
    report = audit_files(**{"compose.yaml": service.format(image="foxxmd/multi-scrobbler")})
    (component,) = report.components
    assert str(component.lifecycle) == "persistent"


def test_a_bind_at_a_declared_configuration_volume_holds_what_the_setup_wizard_saved(
    audit_files: Auditor,
) -> None:
    """Petio's image declares ``VOLUME ["/app/api/config", "/app/logs"]`` (Dockerfile at
    abda1350), where its setup wizard writes config.json: a ./config bind there is its state,
    its ./logs bind beside it is not, and the same bind under an image declaring nothing is
    configuration."""
    (entry,) = [v for k, v in declarations().items() if k == "petio-team/petio"]
    assert set(entry["Volumes"]) == {"/app/api/config", "/app/logs"}
    service = (
        "services:\n  petio:\n    image: {image}\n"
        "    volumes: ['./config:/app/api/config', './logs:/app/logs']\n"
    )
    report = audit_files(
        **{"compose.yaml": service.format(image="ghcr.io/petio-team/petio:latest")}
    )
    (component,) = report.components
    assert str(component.lifecycle) == "persistent"
    held = [f.message for f in report.findings if "holding the data directory" in f.message]
    assert held and all("/app/api/config" in m for m in held)
    plain = audit_files(**{"compose.yaml": service.format(image="example.org/requests:1")})
    (component,) = plain.components
    assert str(component.lifecycle) != "persistent"


def test_an_anonymous_volume_at_a_declared_volume_is_what_compose_keeps_on_up(
    audit_files: Auditor,
) -> None:
    """Ergo's image declares /ircd (its database and certificates): Compose's anonymous volume
    there is the VOLUME itself, re-attached on ``up``: no loss; a Kubernetes emptyDir there
    dies with the pod."""
    compose = "services:\n  irc:\n    image: ghcr.io/ergochat/ergo:stable\n    volumes: [/ircd]\n"
    report = audit_files(**{"compose.yaml": compose})
    assert "DATA_ON_EPHEMERAL" not in rules_of(report, "irc")
    scratch = """\
                  volumeMounts: [{name: home, mountPath: /ircd}]
              volumes: [{name: home, emptyDir: {}}]"""
    pod = audit_files(**{"irc.yaml": _deployment("ghcr.io/ergochat/ergo:stable", scratch)})
    assert "DATA_ON_EPHEMERAL" in rules_of(pod, "app")


def test_an_image_whose_repository_is_not_given_is_not_read(script: ModuleType) -> None:
    # None, not {}: with --keep the earlier catalogue's entry stays; {} would drop it.
    candidates = [("owner/app", "0" * 40, "Dockerfile", "")]
    assert script.declared("owner/app", candidates, {}) is None


def test_pyroscopes_declared_data_directory_with_nothing_mounted_is_lost_with_the_pod(
    audit_files: Auditor,
) -> None:
    """Pyroscope's image declares ``VOLUME /data`` (cmd/pyroscope/Dockerfile, read at a pinned
    commit), where its storage keeps profiles by default: a Deployment mounting nothing there
    loses them with the pod; one with a claim at /data keeps them."""
    (entry,) = [v for k, v in declarations().items() if k == "grafana/pyroscope"]
    assert "/data" in entry["Volumes"]
    report = audit_files(**{"app.yaml": _deployment("grafana/pyroscope:latest")})
    (component,) = report.components
    assert str(component.loss) == "data"
    assert "DATA_IMAGE_NO_VOLUME" in rules_of(report, "app")
    claimed = """\
                  volumeMounts: [{name: data, mountPath: /data}]
              volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]"""
    kept = audit_files(**{"app.yaml": _deployment("grafana/pyroscope:latest", claimed)})
    assert "DATA_IMAGE_NO_VOLUME" not in rules_of(kept, "app")
