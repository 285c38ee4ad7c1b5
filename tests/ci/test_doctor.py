"""``stateward doctor`` against the real services (SQLite and PostgreSQL stores, the Podman
engine, the test Kubernetes API server) and against broken setups: a missing store, a key
others can read, an engine or cluster that does not answer, a damaged database."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from tests.kubeapi.fixtures import write_kubeconfig
from tests.kubeapi.server import VERSION, KubeAPI
from tests.store.conftest import fresh_database

from stateward import api
from stateward.api._doctor import Check
from stateward.cli import main

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"


@pytest.fixture
def store(tmp_path: Path) -> str:
    """An SQLite store with one observation (so its keys exist and are recorded)."""
    location = str(tmp_path / "store")
    api.scan(location, [str(SHOP / "production")], estate="shop")
    return location


@pytest.fixture
def quiet_env(tmp_path: Path) -> dict[str, str]:
    """An environment naming no engine and no cluster: both are absent, not broken."""
    home = tmp_path / "home"
    home.mkdir()
    return {"HOME": str(home), "XDG_RUNTIME_DIR": str(tmp_path / "run")}


def by_name(checks: tuple[Check, ...]) -> dict[str, Check]:
    return {check.name: check for check in checks}


def run(*args: str, env: dict[str, str]) -> Result:
    return CliRunner().invoke(main, ["doctor", *args], env={"NO_COLOR": "1", **env})


def test_a_healthy_setup_is_all_ok_with_the_engine_and_cluster_named(
    store: str, engine_url: str, kubeconfig: Path, kube_api: KubeAPI, quiet_env: dict[str, str]
) -> None:
    env = {**quiet_env, "DOCKER_HOST": engine_url, "KUBECONFIG": str(kubeconfig)}
    result = run("--store", store, env=env)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    statuses = {line.split()[1]: line.split()[0] for line in lines}
    for name in ("store", "schema", "integrity", "secret key", "ledger key", "engine", "cluster"):
        assert statuses[name.split()[0]] == "ok", result.stdout
    engine = next(line for line in lines if line.split()[1] == "engine")
    assert f"{engine_url} (DOCKER_HOST): Podman" in engine
    assert " negotiated (engine serves up to 1." in engine
    cluster = next(line for line in lines if line.split()[1] == "cluster")
    assert cluster.endswith(f"{kube_api.url}: Kubernetes {VERSION['gitVersion']}")
    assert result.stderr.endswith(" 0 fail\n")


def test_the_json_document_holds_every_check_and_the_verdict(
    store: str, quiet_env: dict[str, str]
) -> None:
    result = run("--store", store, "--json", env=quiet_env)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["ok"] is True
    names = [check["name"] for check in doc["checks"]]
    assert names[:7] == [
        "store", "schema", "integrity", "secret key", "ledger key", "engine", "cluster",
    ]  # fmt: skip
    assert {check["status"] for check in doc["checks"]} <= {"ok", "warn"}
    assert set(doc["checks"][0]) == {"name", "status", "detail", "remedy"}


def test_a_postgresql_store_is_reached_and_checked(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quiet_env: dict[str, str]
) -> None:
    monkeypatch.setenv("STATEWARD_KEY_FILE", str(tmp_path / "pg.key"))
    for location in fresh_database(pg_url):
        api.scan(location, [str(SHOP / "production")], estate="shop")
        checks = by_name(api.doctor(location, environ=quiet_env).checks)
        assert checks["store"].status == "ok"
        assert checks["store"].detail.startswith(location.rpartition("/")[0].split("@")[0])
        assert checks["integrity"].status == "ok" and "PostgreSQL" in checks["integrity"].detail
        assert checks["secret key"].status == "ok"
        assert checks["secret key"].detail.startswith(str(tmp_path / "pg.key"))


def test_a_missing_store_fails_and_creates_nothing(
    tmp_path: Path, quiet_env: dict[str, str]
) -> None:
    location = tmp_path / "nowhere"
    result = run("--store", str(location), env=quiet_env)
    assert result.exit_code == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith("fail  ") and "there is no store at" in first
    assert "`stateward scan` creates a store" in first
    assert not location.exists()


def test_a_missing_postgresql_server_fails_with_the_password_hidden(
    quiet_env: dict[str, str],
) -> None:
    location = "postgresql://user:hunter2@127.0.0.1:9/none"  # port 9 (discard): nobody listens
    checks = api.doctor(location, environ=quiet_env).checks
    assert checks[0].name == "store" and checks[0].status == "fail"
    assert "hunter2" not in json.dumps(api.doctor(location, environ=quiet_env).as_dict())


@pytest.mark.parametrize("which", ["secret", "ledger"])
def test_a_key_others_can_read_fails_with_the_chmod_to_run(
    store: str, quiet_env: dict[str, str], which: str
) -> None:
    status = api.key_status(store)
    key = Path(status[f"{which}_key_file"])
    key.chmod(0o644)
    result = run("--store", store, env=quiet_env)
    assert result.exit_code == 1
    line = next(line for line in result.stdout.splitlines() if line.split()[1] == which)
    assert line.startswith("fail  ")
    assert f"{key}: permissions 0644 are too open" in line
    assert line.endswith(f"Run: chmod 600 {key}")
    assert key.read_bytes().hex() not in result.output  # the key itself is never shown


def test_a_key_that_is_not_the_recorded_one_fails(store: str, quiet_env: dict[str, str]) -> None:
    key = Path(api.key_status(store)["secret_key_file"])
    key.write_bytes(bytes(range(32)))
    checks = by_name(api.doctor(store, environ=quiet_env).checks)
    assert checks["secret key"].status == "fail"
    assert "is not the key the store records" in checks["secret key"].detail


def test_an_engine_named_by_docker_host_that_does_not_answer_fails(
    store: str, tmp_path: Path, quiet_env: dict[str, str]
) -> None:
    dead = f"unix://{tmp_path}/dead.sock"
    result = run("--store", store, env={**quiet_env, "DOCKER_HOST": dead})
    assert result.exit_code == 1
    line = next(line for line in result.stdout.splitlines() if line.split()[1] == "engine")
    assert line.startswith("fail  engine ") and f"{dead} (DOCKER_HOST) does not answer" in line
    assert "point DOCKER_HOST, DOCKER_CONTEXT" in line


def test_no_engine_at_all_is_a_warning_not_a_failure(store: str, quiet_env: dict[str, str]) -> None:
    checks = by_name(api.doctor(store, environ=quiet_env).checks)
    if checks["engine"].status == "ok":
        pytest.skip("this machine has an engine at a default socket")
    assert checks["engine"].status == "warn"
    assert checks["engine"].detail.startswith("no engine socket at unix:///var/run/docker.sock")


def test_a_docker_context_is_read_as_the_docker_cli_reads_it(
    store: str, engine_url: str, tmp_path: Path, quiet_env: dict[str, str]
) -> None:
    import hashlib

    config = tmp_path / "docker"
    meta = config / "contexts" / "meta" / hashlib.sha256(b"podman").hexdigest()
    meta.mkdir(parents=True)
    endpoints = {"docker": {"Host": engine_url}}
    (meta / "meta.json").write_text(json.dumps({"Name": "podman", "Endpoints": endpoints}))
    (config / "config.json").write_text(json.dumps({"currentContext": "podman"}))
    env = {**quiet_env, "DOCKER_CONFIG": str(config)}
    engine = by_name(api.doctor(store, environ=env).checks)["engine"]
    assert engine.status == "ok"
    assert engine.detail.startswith(f"{engine_url} (Docker context 'podman'): Podman ")


@pytest.fixture
def stopped_cluster(tmp_path: Path) -> Iterator[Path]:
    server = KubeAPI().start()
    path = write_kubeconfig(server, tmp_path / "kubeconfig")
    server.stop()
    yield path


def test_a_cluster_that_does_not_answer_fails(
    store: str, stopped_cluster: Path, quiet_env: dict[str, str]
) -> None:
    env = {**quiet_env, "KUBECONFIG": str(stopped_cluster)}
    cluster = by_name(api.doctor(store, environ=env).checks)["cluster"]
    assert cluster.status == "fail" and "does not answer" in cluster.detail
    assert "current-context" in cluster.remedy


def test_an_unknown_kube_context_fails(
    store: str, kubeconfig: Path, quiet_env: dict[str, str]
) -> None:
    env = {**quiet_env, "KUBECONFIG": str(kubeconfig)}
    cluster = by_name(api.doctor(store, context="elsewhere", environ=env).checks)["cluster"]
    assert cluster.status == "fail" and "cannot load kubeconfig" in cluster.detail


def test_schema_behind_warns_and_ahead_fails(store: str, quiet_env: dict[str, str]) -> None:
    db = Path(store) / "store.db"
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM _migrations WHERE name = '0005_api_tokens'")
    conn.close()
    schema = by_name(api.doctor(store, environ=quiet_env).checks)["schema"]
    assert (schema.status, schema.detail) == (
        "warn",
        "1 migration(s) pending, first 0005_api_tokens",
    )
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO _migrations VALUES ('0005_api_tokens', 'now'), ('9999_future', 'now')"
        )
    conn.close()
    schema = by_name(api.doctor(store, environ=quiet_env).checks)["schema"]
    assert (schema.status, schema.detail) == (
        "fail",
        "migration 9999_future is from a newer Stateward",
    )


def test_a_damaged_table_page_fails_the_quick_check(store: str, quiet_env: dict[str, str]) -> None:
    db = Path(store) / "store.db"
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the pages into the file itself
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'objects'"
        ).fetchone()
    conn.close()
    data = bytearray(db.read_bytes())
    start = (root - 1) * size
    data[start : start + 8] = b"\xff" * 8  # the B-tree page header: an invalid page type
    db.write_bytes(data)
    integrity = by_name(api.doctor(store, environ=quiet_env).checks)["integrity"]
    assert integrity.status == "fail" and integrity.detail.startswith("SQLite quick_check: ")
    assert "ledger verify" in integrity.remedy
