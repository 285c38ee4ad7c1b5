"""LinuxServer.io images keep their state in ``/config`` where their own page asks for it: the
shipped tables, the script that writes them, and the rules reading them."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from stateward.analysis.audit import linuxserver
from stateward.analysis.audit.knowledge import app_image

from .conftest import Auditor, rules_of

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "linuxserver_volumes.py"


@pytest.fixture(scope="module")
def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("linuxserver_volumes", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["linuxserver_volumes"] = module
    spec.loader.exec_module(module)
    return module


def test_the_tables_name_the_commit_they_were_read_at() -> None:
    source = linuxserver.source()
    assert re.fullmatch(r"linuxserver/docker-documentation@[0-9a-f]{40}:docs/images", source)
    pages = linuxserver.documented()
    assert len(pages) > 150  # the fleet, not a choice of images
    assert all(image.startswith("linuxserver/") for image in pages)
    assert all(path.startswith("/") for paths in pages.values() for path in paths)
    with_config = sum("/config" in paths for paths in pages.values())
    assert with_config > 0.8 * len(pages)  # the convention holds for most, not for all


def test_a_page_table_is_read_up_to_the_next_heading(script: ModuleType) -> None:
    page = (
        "## Parameters\n### Ports (`-p`)\n| `8989:8989` | web |\n"
        "### Volume Mappings (`-v`)\n\n| Volume | Function |\n| :----: | --- |\n"
        "| `/config` | Database and configs |\n| `/tv` | library |\n"
        "#### Miscellaneous Options\n| `/not-a-volume` | x |\n"
    )
    assert script.volumes(page) == ["/config", "/tv"]
    empty = "### Volume Mappings (`-v`)\n\n| Volume | Function |\n| :----: | --- |\n\n#### Misc\n"
    assert script.volumes(empty) == []
    assert script.volumes("## Usage\n### Basic Transcode\n") == []  # a tool: no parameters


def test_state_directories_follow_the_page() -> None:
    assert linuxserver.state_directories("linuxserver/sonarr") == ("/config",)
    assert linuxserver.state_directories("linuxserver/pairdrop") == ()  # the page asks for none
    # An image no page describes (retired or renamed) keeps the fleet's convention.
    assert linuxserver.state_directories("linuxserver/no-such-image") == ("/config",)
    for ref in ("lscr.io/linuxserver/sonarr:4", "ghcr.io/linuxserver/sonarr", "linuxserver/sonarr"):
        found = app_image(ref)
        assert found is not None and found.data_dirs == ("/config",)
    assert app_image("lscr.io/linuxserver/pairdrop:latest") is None


ESTATE = """
services:
  sonarr:
    image: lscr.io/linuxserver/sonarr:4
  kept:
    image: lscr.io/linuxserver/sonarr:4
    volumes: ["./sonarr:/config"]
  pairdrop:
    image: lscr.io/linuxserver/pairdrop:latest
  proxy:
    image: lscr.io/linuxserver/socket-proxy:latest
    volumes: ["/var/run/docker.sock:/var/run/docker.sock:ro"]
"""


def test_only_an_image_whose_page_asks_for_config_loses_it(audit_files: Auditor) -> None:
    report = audit_files(**{"compose.yaml": ESTATE})
    assert "DATA_IMAGE_NO_VOLUME" in rules_of(report, "sonarr")  # /config in its layer
    assert "DATA_IMAGE_NO_VOLUME" not in rules_of(report, "kept")  # kept on a bind
    # Pages that ask for no volume: a signalling server, a proxy to the engine's socket.
    for name in ("pairdrop", "proxy"):
        assert "DATA_IMAGE_NO_VOLUME" not in rules_of(report, name), name
        assert next(c for c in report.components if c.name == name).loss == "none", name
