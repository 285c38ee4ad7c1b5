"""``stateward drift compose.yaml engine://``: a Compose service paired with its container."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest

from stateward.analysis.drift import drift
from stateward.api import observe
from stateward.model.secrets import SecretKeeper
from stateward.report.changelines import change_lines

from .conftest import IMAGE, Make

pytestmark = pytest.mark.engine


def test_compose_service_against_its_live_container(
    engine_url: str, make_container: Make, keeper: SecretKeeper, tmp_path: Path
) -> None:
    project = f"swdrift{uuid.uuid4().hex[:6]}"
    compose = tmp_path / "compose.yaml"
    compose.write_text(
        f"name: {project}\nservices:\n  web:\n    image: {IMAGE}\n"
        '    command: ["sh", "-c", "echo x > /tmp/dropped; sleep 300"]\n'
        "    environment:\n      MODE: blue\n    labels:\n      stateward.test: '1'\n"
    )
    make_container(
        "web",
        ["sh", "-c", "echo x > /tmp/dropped; sleep 300"],
        wait=False,
        environment={"MODE": "green"},  # edited in flight
        labels={"com.docker.compose.project": project, "com.docker.compose.service": "web"},
    )
    time.sleep(1)  # let the shell write its file
    desired = observe([str(compose)], estate="desired", keeper=keeper)
    live = observe([engine_url.replace("unix://", "engine://")], estate="live", keeper=keeper)
    report = drift(desired, live)
    facets = report.by_component[f"compose:{project}/web"]
    assert [(c.path, c.before, c.after) for c in facets["env"]] == [("/env/MODE", "blue", "green")]
    (layer,) = facets["storage"]  # the image is immutable, the container is not
    assert layer.path == "/writable_layer" and "/tmp/dropped" in layer.after
    assert f"{layer.subject}: writable layer A /tmp/dropped" in list(change_lines(layer))
    assert "binary" not in facets  # the tag Compose names is the image the container runs
    assert not [k for k in report.result.missing if k.namespace == project]
    assert not [k for k in report.result.extra if k.namespace == project]


@pytest.mark.parametrize("mode", ["strict", "argo"])
def test_compose_project_is_compared_only_with_its_own_containers(
    engine_url: str, make_container: Make, keeper: SecretKeeper, tmp_path: Path, mode: str
) -> None:
    project = f"swown{uuid.uuid4().hex[:6]}"
    compose = tmp_path / "compose.yaml"
    compose.write_text(f"name: {project}\nservices:\n  web:\n    image: {IMAGE}\n")
    make_container("web", ["true"], labels={
        "com.docker.compose.project": project, "com.docker.compose.service": "web"})  # fmt: skip
    make_container("stray", ["true"], labels={
        "com.docker.compose.project": f"{project}x", "com.docker.compose.service": "web"})  # fmt: skip
    make_container("loose", ["true"])  # no project at all
    desired = observe([str(compose)], estate="desired", keeper=keeper)
    live = observe([engine_url.replace("unix://", "engine://")], estate="live", keeper=keeper)
    report = drift(desired, live, mode=mode)
    assert report.result.extra == [] and report.result.missing == []
    assert report.other_projects >= 2  # the two above, and whatever else the engine runs
    assert list(report.by_component) in ([], [f"compose:{project}/web"])
