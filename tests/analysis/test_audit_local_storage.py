"""An application told by a storage-backend setting (``STORAGE_DRIVER``, ``STORAGE_PROVIDER``)
to keep its files on local disk, on no volume, loses them with the pod; given an object store,
or a volume to write, or the setting being a cache's, it keeps nothing in the container."""

from __future__ import annotations

import pytest

from stateward.analysis.audit.local_storage import LOCAL_STORAGE, local_storage

from .conftest import Auditor, deployment, rules_of


def _web(name: str, value: str, claim: bool) -> str:
    """The web application given one storage setting, and a claim to write when ``claim``."""
    pod = "volumes: [{name: files, persistentVolumeClaim: {claimName: files}}]" if claim else ""
    mounts = "\nvolumeMounts: [{name: files, mountPath: /app/files}]" if claim else ""
    env = f"env: [{{name: {name}, value: {value}}}]{mounts}"
    return deployment("web", pod, "example/web:1", container=env)


@pytest.mark.parametrize(
    ("name", "value", "claim", "lost"),
    [
        ("STORAGE_PROVIDER", "local", False, True),
        ("STORAGE_DRIVER", "local", False, True),
        ("STORAGE_PROVIDER", "s3", False, False),  # an object store keeps them
        ("STORAGE_PROVIDER", "local", True, False),  # the volume it writes may be the place
        ("CACHE_STORAGE_TYPE", "local", False, False),  # a cache's, not the application's files
    ],
)
def test_local_file_storage_on_no_volume_is_lost(
    audit_files: Auditor, name: str, value: str, claim: bool, lost: bool
) -> None:
    report = audit_files(**{"web.yaml": _web(name, value, claim)})
    assert ("APP_DATA_NO_VOLUME" in rules_of(report, "web")) is lost
    (web,) = report.components
    assert (str(web.loss) == "data") is lost


def test_only_backend_settings_of_files_count() -> None:
    env = {"FILE_STORAGE": "local", "STORAGE_TYPE": "filesystem", "SPAN_STORAGE_TYPE": "local",
           "STORAGE": "local", "STORAGE_DRIVER": "s3", "SESSION_STORAGE_DRIVER": "local"}  # fmt: skip
    assert sorted(local_storage(env)) == [
        (LOCAL_STORAGE, "FILE_STORAGE"),
        (LOCAL_STORAGE, "STORAGE_TYPE"),
    ]
