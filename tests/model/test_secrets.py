"""Secret keeper: keyed digests, a private key file, no value in any representation."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from stateward.errors import StorageError
from stateward.model.secrets import SecretKeeper, looks_secret


def test_key_is_created_once_with_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "store.key"
    first = SecretKeeper.at(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    again = SecretKeeper.at(path)
    assert first.digest("x") == again.digest("x")


def test_digests_are_keyed(tmp_path: Path) -> None:
    a = SecretKeeper.at(tmp_path / "a.key")
    b = SecretKeeper.at(tmp_path / "b.key")
    assert a.digest("hunter2") != b.digest("hunter2")
    assert a.digest("hunter2") == a.digest(b"hunter2")
    assert a.digest("hunter2").startswith("hmac-sha256:")


def test_repr_hides_the_key(tmp_path: Path) -> None:
    keeper = SecretKeeper.at(tmp_path / "k")
    assert "hidden" in repr(keeper)
    assert (tmp_path / "k").read_bytes().hex() not in repr(keeper)


def test_a_short_key_file_is_a_storage_error(tmp_path: Path) -> None:
    (tmp_path / "k").write_bytes(b"short")
    (tmp_path / "k").chmod(0o600)
    with pytest.raises(StorageError, match="is 5 bytes, not 32: truncated or not a Stateward key"):
        SecretKeeper.at(tmp_path / "k")


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("DB_PASSWORD", "x", True),
        ("API_KEY", "x", True),
        ("GITHUB_TOKEN", "x", True),
        ("DATABASE_URL", "postgres://app:s3cret@db:5432/app", True),
        ("DATABASE_URL", "postgres://db:5432/app", False),
        ("LOG_LEVEL", "debug", False),
        ("KEYCLOAK_REALM", "main", False),
    ],
)
def test_what_looks_secret(name: str, value: str, expected: bool) -> None:
    assert looks_secret(name, value) is expected


def test_keepers_racing_to_create_one_key_all_get_it_whole(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    path = tmp_path / "keys" / "secret.key"
    with ThreadPoolExecutor(16) as pool:
        ids = set(pool.map(lambda _: SecretKeeper.at(path).key_id, range(64)))
    assert len(ids) == 1 and path.stat().st_size == 32
    assert [p.name for p in path.parent.iterdir()] == ["secret.key"]  # no scratch left over
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_the_key_id_is_a_fingerprint_not_the_key(tmp_path: Path) -> None:
    keeper = SecretKeeper.at(tmp_path / "k")
    key = (tmp_path / "k").read_bytes()
    assert len(keeper.key_id) == 32 and key.hex()[:32] != keeper.key_id
    assert SecretKeeper(key).key_id == keeper.key_id != SecretKeeper(bytes(32)).key_id
