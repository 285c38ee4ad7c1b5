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

from .conftest import IMAGE, Make, free_port

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


UPTIME_KUMA = Path(__file__).resolve().parents[1] / "analysis" / "heldout" / "uptime-kuma"


@pytest.mark.parametrize("mode", ["strict", "argo"])
def test_a_pinned_compose_file_against_the_container_compose_makes_of_it(
    engine_url: str, make_container: Make, keeper: SecretKeeper, tmp_path: Path, mode: str
) -> None:
    # The golden pair of this class: uptime-kuma's own compose.yaml (commit-pinned, see
    # SOURCES.md beside it) with the test image for its image and a free port for 3001, against
    # the container `docker compose up` makes of it (its labels, bind mount, port and restart
    # policy), beside a same-named service of another project and a container of none.
    project, port = f"swkuma{uuid.uuid4().hex[:6]}", free_port()
    folder = tmp_path / project  # Compose names a project without `name:` after its folder
    (folder / "data").mkdir(parents=True)
    text = (UPTIME_KUMA / "compose.yaml").read_text()
    compose = folder / "compose.yaml"
    compose.write_text(text.replace("louislam/uptime-kuma:2", IMAGE).replace("3001:", f"{port}:"))
    labels = {"com.docker.compose.project": project, "com.docker.compose.service": "uptime-kuma"}
    make_container("kuma", ["sleep", "300"], wait=False, labels=labels,
                   volumes={str(folder / "data"): {"bind": "/app/data", "mode": "rw"}},
                   ports={"3001/tcp": port}, restart_policy={"Name": "unless-stopped"})  # fmt: skip
    make_container("kuma", ["true"], labels={**labels, "com.docker.compose.project": f"{project}x"})
    make_container("loose", ["true"])
    desired = observe([str(compose)], estate="desired", keeper=keeper)
    live = observe([engine_url.replace("unix://", "engine://")], estate="live", keeper=keeper)
    report = drift(desired, live, mode=mode)
    assert report.result.extra == [] and report.result.missing == []
    assert report.other_projects >= 2
    facets = report.by_component.get(f"compose:{project}/uptime-kuma", {})
    drifted = {(c.path, str(c.op)) for changes in facets.values() for c in changes}
    # ./data is the folder beside the file, as Compose mounts it: no drift in either mode.
    # Strict mode sees what the container adds to the file (the command the test gives it in
    # place of the image's own, and the test's label); argo mode ignores what only live has.
    expected = {("/config/command", "added"), ("/config/labels", "added")}
    assert drifted == (expected if mode == "strict" else set()), facets


def test_home_and_parent_bind_sources_are_expanded_as_compose_does(
    engine_url: str,
    make_container: Make,
    keeper: SecretKeeper,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = f"swbind{uuid.uuid4().hex[:6]}"
    home, shared, folder = tmp_path / "home", tmp_path / "shared", tmp_path / "app"
    for made in (home / "cache", shared, folder):
        made.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    compose = folder / "compose.yaml"
    compose.write_text(
        f"name: {project}\nservices:\n  web:\n    image: {IMAGE}\n"
        '    command: ["sleep", "300"]\n'
        "    volumes:\n      - ~/cache:/cache\n      - ../shared:/shared\n      - ./:/srv\n"
    )
    make_container("web", ["sleep", "300"], wait=False, volumes={
        str(home / "cache"): {"bind": "/cache", "mode": "rw"},
        str(shared): {"bind": "/shared", "mode": "rw"},
        str(folder): {"bind": "/srv", "mode": "rw"},
    }, labels={"com.docker.compose.project": project, "com.docker.compose.service": "web"})  # fmt: skip
    desired = observe([str(compose)], estate="desired", keeper=keeper)
    live = observe([engine_url.replace("unix://", "engine://")], estate="live", keeper=keeper)
    facets = drift(desired, live).by_component.get(f"compose:{project}/web", {})
    assert "storage" not in facets, facets["storage"]
