"""Contract between the Compose and engine sources: a container started as a Compose file says
has the same context, facet by facet, as the Compose service, so drift between them is real
drift. Only the binary differs here: the engine knows the image digest the tag resolved to."""

from __future__ import annotations

from pathlib import Path

import pytest

from stateward.contexts import resolve_components
from stateward.contexts.engine import compose_links, engine_components
from stateward.diff.components import diff_components
from stateward.model.secrets import SecretKeeper
from stateward.sources.compose import parse_compose

from .conftest import IMAGE, Make, free_port, unique
from .scan import resource_of, scan

pytestmark = pytest.mark.engine

# Its project name and published port are made unique per run (see the test).
COMPOSE = f"""
name: swparity
services:
  web:
    image: {IMAGE}
    command: ["sleep", "300"]
    environment:
      MODE: blue
      API_TOKEN: s3cret-value
    volumes:
      - data:/data
    ports:
      - "18190:80"
    restart: always
volumes:
  data: {{}}
"""


def test_container_made_as_compose_says_has_the_services_context(
    engine_url: str, make_container: Make, keeper: SecretKeeper, tmp_path: Path
) -> None:
    project, port = unique("swparity"), free_port()
    text = COMPOSE.replace("swparity", project).replace("18190", str(port))
    path = tmp_path / "compose.yaml"
    path.write_text(text)
    desired = parse_compose(path, text, keeper)
    (service,) = [
        c for c in resolve_components(desired.resources)[0] if c.id == f"compose:{project}/web"
    ]
    box = make_container(
        "parity",
        ["sleep", "300"],
        wait=False,
        environment={"MODE": "blue", "API_TOKEN": "s3cret-value"},
        volumes={f"{project}_data": {"bind": "/data", "mode": "rw"}},
        ports={"80/tcp": port},
        restart_policy={"Name": "always"},
        labels={"com.docker.compose.project": project, "com.docker.compose.service": "web"},
    )
    resource = resource_of(scan(engine_url, keeper), box)
    (container,) = engine_components([resource])
    assert compose_links([resource]) == {container.id: f"compose:{project}/web"}
    changes = diff_components(service, container)
    # The one label the test fixture adds to every container is the only context difference.
    assert [(c.path, str(c.facet), str(c.op), c.after) for c in changes[1:]] == [
        ("/config/labels", "config", "added", {"stateward.test": "1"})
    ]
    assert changes[0].path == "/images" and str(changes[0].facet) == "binary"
    assert container.images[0].ref == service.images[0].ref
