"""A container registry left off the volumes of a project that keeps its databases on them.

Small hand-made estates, not copies of any held-out estate.
"""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Effect

from .conftest import Auditor, effect_of_one

PLATFORM = """
services:
  web:
    image: example.org/acme/deployer:1
    environment: {DEPLOY_REGISTRY_HOST: "registry:5000", DATABASE_HOST: db}
  db:
    image: postgres:16
    volumes: [%s]
  registry:
    image: registry:2
volumes: {pgdata: {}}
"""


def test_a_registry_beside_databases_kept_on_volumes_holds_images_pushed_again(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{"compose.yaml": PLATFORM % '"pgdata:/var/lib/postgresql/data"'})
    assert effect_of_one(report, "DATA_IMAGE_NO_VOLUME", "registry:2") is Effect.WARM_UP


@pytest.mark.parametrize("volumes", ["", '"./dumps:/dumps"'])
def test_a_registry_in_a_project_keeping_no_database_on_a_volume_holds_its_images(
    audit_files: Auditor, volumes: str
) -> None:
    """Nothing says the author kept the records elsewhere: the images may be all there is."""
    report = audit_files(**{"compose.yaml": PLATFORM % volumes})
    assert effect_of_one(report, "DATA_IMAGE_NO_VOLUME", "registry:2") is Effect.LOSS
