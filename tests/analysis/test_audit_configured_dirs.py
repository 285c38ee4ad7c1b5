"""A ``data_dir`` named in a configuration file a Compose service binds is where the program
keeps its state (:mod:`stateward.analysis.audit.configured_dirs`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from stateward.analysis.audit import AuditReport, audit
from stateward.api import observe
from stateward.model.secrets import SecretKeeper

from .conftest import rules_of

COMPOSE = """
services:
  metrics:
    image: example/metrics:1
    command: ["-config.file=/config/metrics.yaml"]
    ports: ["9009:9009"]
    volumes: ["./metrics.yaml:/config/metrics.yaml:ro"{extra}]
"""

CONFIG = """
alerting:
  external_url: /alerts
  data_dir: {path}
"""


def _audit(folder: Path, compose: str, config: str) -> AuditReport:
    """Observe the Compose file alone, as an estate's other YAML files (the bound configuration)
    are no manifests of their own."""
    (folder / "compose.yaml").write_text(compose, encoding="utf-8")
    (folder / "metrics.yaml").write_text(config, encoding="utf-8")
    keeper = SecretKeeper(b"s" * 32)
    return audit(observe([str(folder / "compose.yaml")], estate="t", keeper=keeper))


@pytest.mark.parametrize(
    ("path", "extra", "lost"),
    [
        ("/data/alerting", "", True),  # named, on no volume: lost with the container
        ("/tmp/metrics/alerting", "", False),  # a scratch folder: nothing kept
        ("/data/alerting", ', "alerting:/data"', False),  # on a named volume: kept
    ],
)
def test_a_data_dir_in_a_bound_configuration_file_is_the_programs_data(
    tmp_path: Path, path: str, extra: str, lost: bool
) -> None:
    compose = COMPOSE.format(extra=extra)
    if extra:
        compose += "volumes:\n  alerting: {}\n"
    report = _audit(tmp_path, compose, CONFIG.format(path=path))
    (metrics,) = report.components
    assert ("APP_DATA_NO_VOLUME" in rules_of(report, "metrics")) is lost
    assert (metrics.lifecycle == "persistent") is (lost or bool(extra)), metrics.explanation


def test_a_data_dir_in_another_services_file_says_nothing_of_this_one(tmp_path: Path) -> None:
    """Only the service's own bound files are read: a sibling that binds none keeps nothing."""
    compose = COMPOSE.format(extra="") + (
        '  sidecar:\n    image: example/sidecar:1\n    ports: ["8080:8080"]\n'
    )
    report = _audit(tmp_path, compose, CONFIG.format(path="/data/alerting"))
    by_name = {c.name: c for c in report.components}
    assert by_name["metrics"].lifecycle == "persistent"
    assert by_name["sidecar"].lifecycle == "ephemeral-safe"


def test_a_bound_file_of_aliases_expanding_past_the_bound_is_left_unread(tmp_path: Path) -> None:
    # Nine levels of nine aliases: 9**9 values if walked through every shared copy. The
    # bounded reader refuses the document, so nothing is walked and no data_dir is read from it.
    levels = ['l0: &l0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    levels += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 10)]
    bomb = "\n".join(levels) + "\nalerting: {data_dir: /data/alerting, refs: *l9}\n"
    report = _audit(tmp_path, COMPOSE.format(extra=""), bomb)
    assert "APP_DATA_NO_VOLUME" not in rules_of(report, "metrics")
    # the same key in a readable file is read (the bomb, not the key, left it unread)
    report = _audit(tmp_path, COMPOSE.format(extra=""), CONFIG.format(path="/data/alerting"))
    assert "APP_DATA_NO_VOLUME" in rules_of(report, "metrics")
