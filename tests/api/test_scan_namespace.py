"""``scan -n``: objects written without a namespace are placed before the components are
resolved, and resolved once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from stateward import api
from stateward.analysis import namespaces
from stateward.api import _observe
from stateward.contexts import resolve_components

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx:1.27}]}
"""


def test_objects_are_placed_then_resolved_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "web.yaml").write_text(DEPLOYMENT)
    calls: list[int] = []

    def counted(resources: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(len(resources))
        return resolve_components(resources, *args, **kwargs)

    monkeypatch.setattr(_observe, "resolve_components", counted)
    monkeypatch.setattr(namespaces, "resolve_components", counted)
    scanned = api.scan(str(tmp_path / "store"), [str(tmp_path)], estate="e", namespace="team")
    assert [c.id for c in scanned.observation.components] == ["k8s:Deployment/team/web"]
    assert calls == [1]
