"""A Compose service binding a host folder that holds the folder a fetcher of its project fills
depends on that fetcher; another service's data folder below it links nothing."""

from __future__ import annotations

import pytest

from .conftest import Auditor
from .test_audit_compose_edges import _depends

PROJECT = """
services:
  updater:
    image: {image}
    volumes: ["{fetcher_mount}"]
  client:
    image: example/torrent-client:1
    volumes: ["{client_mount}"]
"""


@pytest.mark.parametrize(("image", "fetcher_mount", "client_mount", "linked"), [
    ("crazymax/geoip-updater:latest", "./data/geoip:/data", "./data:/data", {"updater"}),
    ("crazymax/geoip-updater:latest", "./data/geoip/:/data", "./data/:/srv", {"updater"}),
    # The same folder shared, not nested: no fetcher's files are put in the client's tree.
    ("crazymax/geoip-updater:latest", "./geoip:/data", "./data:/data", set()),
    # A log tailer's folder below the client's: no fetcher, nothing said of who reads whom.
    ("example/log-tailer:1", "./data/log:/data", "./data:/data", set()),
    # The fetcher's folder at a path it does not fetch into.
    ("crazymax/geoip-updater:latest", "./data/geoip:/var/log", "./data:/data", set()),
    # The project's own tree holds everything: the program's sources, not data it reads.
    ("crazymax/geoip-updater:latest", "./data/geoip:/data", "./:/app", set()),
])  # fmt: skip
def test_a_service_binding_the_folder_a_fetcher_fills_depends_on_it(
    audit_files: Auditor, image: str, fetcher_mount: str, client_mount: str, linked: set[str]
) -> None:
    text = PROJECT.format(image=image, fetcher_mount=fetcher_mount, client_mount=client_mount)
    depends = _depends(audit_files(**{"compose.yaml": text}))
    assert depends["client"] == linked
    assert depends["updater"] == set()
