"""A Laravel application told to keep its files on a local disk writes them under storage/app.

Synthetic Compose projects shaped like Laravel deployments (an application, its queue worker,
a database), not copies of any held-out estate.
"""

from __future__ import annotations

import pytest

from stateward.analysis.audit.laravel_disks import local_disks

from .conftest import Auditor, rules_of

_APP = """
services:
  app:
    image: example/laravel-app:1
    environment: {FILESYSTEM_DISK: CHOSEN, DB_HOST: db}
VOLUMES
  db:
    image: postgres:16
    volumes: ["pg:/var/lib/postgresql/data"]
volumes:
  pg:
  storage:
"""
_WORKER = """
  worker:
    image: example/laravel-app:1
    command: [php, artisan, "queue:work"]
    environment: {FILESYSTEM_DISK: local, DB_HOST: db}
"""


def _project(disk: str, volumes: str = "", worker: bool = False) -> str:
    text = _APP.replace("CHOSEN", disk).replace("VOLUMES\n", volumes)
    return text.replace("  db:\n", (_WORKER if worker else "") + "  db:\n", 1)


@pytest.mark.parametrize(
    ("name", "value"),
    [("FILESYSTEM_DISK", "local"), ("FILESYSTEM_DRIVER", "public"),
     ("PUBLIC_FILESYSTEM_DISK", '"public"'), ("FILESYSTEM_PRIVATE_DISK", "local")],
)  # fmt: skip
def test_a_local_disk_setting_points_at_storage_app(name: str, value: str) -> None:
    assert list(local_disks({name: value})) == [("storage/app", name)]


@pytest.mark.parametrize(
    ("name", "value"),
    [("FILESYSTEM_DISK", "s3"), ("FILESYSTEM_CLOUD", "local"), ("DISK", "local"),
     ("CACHE_DRIVER", "file")],
)  # fmt: skip
def test_a_cloud_disk_or_another_setting_points_nowhere(name: str, value: str) -> None:
    assert list(local_disks({name: value})) == []


def test_files_on_a_local_disk_with_no_volume_are_in_the_container(audit_files: Auditor) -> None:
    report = audit_files(**{"compose.yaml": _project("local")})
    assert "APP_DATA_NO_VOLUME" in rules_of(report, "app")
    report = audit_files(**{"compose.yaml": _project("s3")})
    assert "APP_DATA_NO_VOLUME" not in rules_of(report, "app")


def test_a_volume_the_application_writes_may_hold_its_storage(audit_files: Auditor) -> None:
    """The base directory is the image's: any volume the container writes may be it."""
    volumes = '    volumes: ["storage:/var/www/html/storage"]\n'
    report = audit_files(**{"compose.yaml": _project("local", volumes)})
    assert "APP_DATA_NO_VOLUME" not in rules_of(report, "app")


def test_a_worker_sharing_the_setting_writes_where_the_application_keeps_it(
    audit_files: Auditor,
) -> None:
    """The queue worker has the application's variables and no volume; the application keeps
    the files on its own volume: the worker's setting is the application's."""
    volumes = '    volumes: ["storage:/var/www/html/storage"]\n'
    report = audit_files(**{"compose.yaml": _project("local", volumes, worker=True)})
    assert "APP_DATA_NO_VOLUME" not in rules_of(report, "worker")
    report = audit_files(**{"compose.yaml": _project("local", worker=True)})
    assert "APP_DATA_NO_VOLUME" in rules_of(report, "worker")


_SAIL = """
services:
  laravel.test:
    build: {context: ./vendor/laravel/sail/runtimes/8.3}
    image: sail-8.3/app
    environment: {LARAVEL_SAIL: 1ENV}
    volumes: ['SOURCE:/var/www/html']
"""


@pytest.mark.parametrize(
    ("env", "source", "kept"),
    [
        ("", ".", True),  # the default disk, local, in the bound checkout
        (", FILESYSTEM_DISK: public", ".", True),
        (", FILESYSTEM_DISK: s3", ".", False),  # its files in a bucket
    ],
)
def test_a_sail_application_keeps_its_files_in_the_checkout_it_runs_from(
    audit_files: Auditor, env: str, source: str, kept: bool
) -> None:
    text = _SAIL.replace("ENV", env).replace("SOURCE", source)
    report = audit_files(**{"compose.yaml": text})
    (app,) = report.components
    assert (str(app.lifecycle) == "persistent") is kept
    assert any("holding the data directory" in f.message for f in report.findings) is kept


def test_a_sail_application_with_nothing_bound_keeps_its_files_in_the_container(
    audit_files: Auditor,
) -> None:
    text = _SAIL.replace("ENV", "").replace("    volumes: ['SOURCE:/var/www/html']\n", "")
    (app,) = audit_files(**{"compose.yaml": text}).components
    assert str(app.loss) == "data"
