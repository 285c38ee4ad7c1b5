"""A variable whose value is the host side of a bind of the Compose project
(``${REPO_PATH}:/app/repo``, with ``REPO_PATH`` also handed to the containers) names no directory
inside them: no service is told its data sits on no volume there. A data path that is no bind's
source still is. Small hand-made Compose projects."""

from __future__ import annotations

from .conftest import Auditor, rules_of

_PROJECT = """\
    services:
      api:
        image: example.org/acme/api:1
        environment:
          UPLOAD_DIR: {value}
        volumes:
          - /srv/acme/uploads:/app/uploads
      worker:
        image: example.org/acme/api:1
        environment:
          UPLOAD_DIR: {value}
    """


def test_the_host_side_of_a_bind_is_no_data_path_of_the_services(audit_files: Auditor) -> None:
    report = audit_files(**{"compose.yaml": _PROJECT.format(value="/srv/acme/uploads")})
    assert "APP_DATA_NO_VOLUME" not in rules_of(report, "api")
    assert "APP_DATA_NO_VOLUME" not in rules_of(report, "worker")


def test_a_data_path_that_no_bind_mounts_from_is_on_no_volume(audit_files: Auditor) -> None:
    report = audit_files(**{"compose.yaml": _PROJECT.format(value="/srv/acme/media")})
    assert "APP_DATA_NO_VOLUME" in rules_of(report, "worker")
    assert "APP_DATA_NO_VOLUME" in rules_of(report, "api")
