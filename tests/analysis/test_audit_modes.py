"""A program that keeps its records at a default directory only in one mode (Dkron's
``--server``, Tinode's ``fs`` media handler, its image's default) holds data there when nothing
is mounted there; in the other mode it holds none. Small hand-made Compose projects."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport

from .conftest import Auditor, rules_of

_KEPT = "volumes: {kept: {}}\n"


def _service(image: str, more: str) -> str:
    return f"services:\n  app:\n    image: {image}\n{more}"


def _loss(report: AuditReport) -> str:
    (component,) = report.components
    return str(component.loss)


@pytest.mark.parametrize(
    ("image", "more"),
    [
        ("dkron/dkron:4.0.4", "    command: agent --server --bootstrap-expect=1\n"),
        ("tinode/tinode:0.22", "    environment: [STORE_USE_ADAPTER=mysql]\n"),
        ("tinode/tinode:0.22", "    environment: [MEDIA_HANDLER=fs]\n"),
    ],
)
def test_the_keeping_mode_with_no_volume_at_its_directory_loses_records(
    audit_files: Auditor, image: str, more: str
) -> None:
    report = audit_files(**{"compose.yaml": _service(image, more)})
    assert "DATA_IMAGE_NO_VOLUME" in rules_of(report, "app")
    assert _loss(report) == "data"


@pytest.mark.parametrize(
    ("image", "more"),
    [
        # an agent runs the jobs it is given and keeps none of them
        ("dkron/dkron:4.0.4", "    command: agent --retry-join=dkron:8946 --tag agent=true\n"),
        # uploads sent to a bucket
        ("tinode/tinode:0.22", "    environment: [MEDIA_HANDLER=s3]\n"),
        # the keeping mode with its directory kept
        ("dkron/dkron:4.0.4", f"    command: agent --server\n    volumes: ['kept:/dkron.data']\n{_KEPT}"),
        ("dkron/dkron:4.0.4", f"    command: agent --server --data-dir=/d\n    volumes: ['kept:/d']\n{_KEPT}"),
        ("tinode/tinode:0.22", f"    volumes: ['kept:/opt/tinode/uploads']\n{_KEPT}"),
    ],
)  # fmt: skip
def test_the_other_mode_or_a_kept_directory_loses_nothing(
    audit_files: Auditor, image: str, more: str
) -> None:
    report = audit_files(**{"compose.yaml": _service(image, more)})
    assert "DATA_IMAGE_NO_VOLUME" not in rules_of(report, "app")
