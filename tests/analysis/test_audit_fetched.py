"""A data path handed beside the address its content is downloaded from holds a download (a
warm-up); the same path beside an application's public address, or a URL of another name, is
still the application's data (:mod:`stateward.analysis.audit.fetched`). Hand-made estates."""

from __future__ import annotations

import pytest

from .conftest import Auditor

FETCHED = """
services:
  kb:
    image: example/knowledge-server:1
    environment:
      KB_DATA_PATH: /app/kb/data
      %s
"""


@pytest.mark.parametrize(
    ("beside", "loss"),
    [
        ("KB_DATA_URL: https://data.example.org/kb.json", "rebuildable"),
        ("KB_DATA_URL: /mnt/kb.json", "data"),  # a local file: nothing to fetch again
        ("APP_URL: https://kb.example.org", "data"),  # the application's own address
    ],
)
def test_a_data_path_beside_its_download_address_is_fetched_again(
    audit_files: Auditor, beside: str, loss: str
) -> None:
    report = audit_files(**{"compose.yaml": FETCHED % beside})
    (finding,) = [f for f in report.findings if f.rule == "APP_DATA_NO_VOLUME"]
    (component,) = report.components
    assert (str(component.loss), "downloaded" in finding.message) == (
        loss, loss == "rebuildable"
    )  # fmt: skip


FETCHED_FROM_A_MAP = """
apiVersion: v1
kind: ConfigMap
metadata: {name: kb-settings}
data:
  KB_DATA_PATH: /app/kb/data
  %s
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: kb}
spec:
  selector: {matchLabels: {app: kb}}
  template:
    metadata: {labels: {app: kb}}
    spec:
      containers:
        - name: kb
          image: example/knowledge-server:1
          envFrom: [{configMapRef: {name: kb-settings}}]
"""


@pytest.mark.parametrize(
    ("beside", "loss"),
    [
        ("KB_DATA_URL: https://data.example.org/kb.json", "rebuildable"),
        ("APP_URL: https://kb.example.org", "data"),
    ],
)
def test_a_data_path_and_its_download_address_from_a_config_map_are_read_alike(
    audit_files: Auditor, beside: str, loss: str
) -> None:
    report = audit_files(**{"kb.yaml": FETCHED_FROM_A_MAP % beside})
    (component,) = report.components
    assert str(component.loss) == loss
