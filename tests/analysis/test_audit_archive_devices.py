"""A Bacula storage daemon whose configuration file (bound from the Compose project) archives to
a directory on no volume holds the only copy of the backups: they go with the container, and the
daemon outweighs the file daemon beside it. Tape devices, cloud devices and a kept directory are
no such finding, nor is the same file bound into the director. Small hand-made estates."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport

from .conftest import Auditor

_SD = """\
Storage {
  Name = backup-sd
  WorkingDirectory = "/opt/bacula/working"
}
# Archive Device = /commented/out
Device {
  Name = FileChgr1-Dev1
  Media Type = File1
  Archive Device = %s
  LabelMedia = yes;
}
"""
_CLOUD = """\
Device {
  Name = CloudStorage
  Device Type = "Cloud"
  Cloud = "S3-cloud"
  Archive Device = "/tmp"
}
"""


def _project(sd: str = "fametec/bacula-storage:11.0.5", volume: str = "") -> str:
    kept = f", {volume}" if volume else ""
    return f"""\
services:
  dir:
    image: fametec/bacula-director:11.0.5
    volumes: ["./etc:/opt/bacula/etc:ro"]
  sd:
    image: {sd}
    depends_on: [dir]
    volumes: ["./etc:/opt/bacula/etc:ro"{kept}]
  fd:
    image: fametec/bacula-client:11.0.5
    depends_on: [sd, dir]
    volumes: ["./etc:/opt/bacula/etc:ro"]
volumes: {{archive: {{}}}}
"""


def _findings(report: AuditReport) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for f in report.findings:
        if f.rule == "APP_DATA_NO_VOLUME":
            found.setdefault((f.component or "").rsplit("/", 1)[-1], []).append(f.message)
    return found


def test_backup_volumes_archived_to_a_directory_on_no_volume_go_with_the_container(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{"compose.yaml": _project(), "etc/bacula-sd.conf": _SD % "/tmp"})
    (message,) = _findings(report)["sd"]
    assert "Archive Device of bound file /opt/bacula/etc/bacula-sd.conf" in message
    assert "/tmp, on no volume" in message and "/commented/out" not in message
    by_name = {c.name: c for c in report.components}
    assert str(by_name["sd"].loss) == "data"
    assert by_name["sd"].gravity > by_name["fd"].gravity


@pytest.mark.parametrize(
    ("files", "sd", "volume"),
    [
        ({"etc/bacula-sd.conf": _SD % "/dev/nst0"}, "fametec/bacula-storage:11.0.5", ""),  # tape
        ({"etc/bacula-sd.conf": _CLOUD}, "fametec/bacula-storage:11.0.5", ""),  # a bucket's cache
        (
            {"etc/bacula-sd.conf": _SD % "/backups"},
            "fametec/bacula-storage:11.0.5",
            "archive:/backups",
        ),
        ({"etc/bacula-sd-s3.conf": _SD % "/tmp"}, "fametec/bacula-storage:11.0.5", ""),  # unread
        ({"etc/bacula-sd.conf": _SD % "/tmp"}, "example/backup-agent:1", ""),  # no storage daemon
    ],
)
def test_tapes_clouds_kept_directories_and_other_files_are_no_finding(
    audit_files: Auditor, files: dict[str, str], sd: str, volume: str
) -> None:
    report = audit_files(**{"compose.yaml": _project(sd, volume), **files})
    assert _findings(report) == {}


def test_the_director_binding_the_same_file_writes_no_backups(audit_files: Auditor) -> None:
    report = audit_files(**{"compose.yaml": _project(), "etc/bacula-sd.conf": _SD % "/tmp"})
    assert set(_findings(report)) == {"sd"}
