"""Rule WRITABLE_LAYER_DRIFT: paths changed outside declared mounts."""

from __future__ import annotations

import pytest

from stateward.analysis.writable import RULE, undeclared_changes, writable_layer_findings
from stateward.contexts.engine import engine_components
from stateward.model.component import Component, Image
from stateward.model.finding import Severity
from stateward.model.secrets import SecretKeeper

from .conftest import Make
from .scan import resource_of, scan

FILE = {"op": "added", "type": "file"}
DIR = {"op": "changed", "type": "dir"}


def test_paths_under_a_mount_are_declared_and_prefixes_are_not_mounts() -> None:
    layer = {
        "/data": DIR, "/data/db": FILE, "/database/x": FILE, "/tmp": DIR, "/tmp/a": FILE,
        "/bin/wc": {"op": "deleted"},
    }  # fmt: skip
    assert undeclared_changes(layer, ["/data/"]) == ["/bin/wc", "/database/x", "/tmp/a"]
    assert undeclared_changes(layer, ["/data", "/tmp", "/bin", "/database"]) == []
    assert undeclared_changes(layer, ["/"]) == []


def _component(layer: dict[str, object], storage: dict[str, object]) -> Component:
    context = {"writable_layer": layer, "storage": storage}
    return Component.of(
        id="engine:/web", kind="Container", name="web", namespace="", source="engine",
        images=(Image("busybox:1", None),), context=context, resource="Container.engine/web",
    )  # fmt: skip


def test_finding_names_the_container_paths_and_remedy() -> None:
    layer = {f"/tmp/f{i:02}": FILE for i in range(12)} | {"/a~b/c": FILE}
    (finding,) = writable_layer_findings([_component(layer, {})])
    assert finding.rule == RULE == "WRITABLE_LAYER_DRIFT"
    assert finding.severity is Severity.MEDIUM
    assert finding.component == "engine:/web"
    assert finding.message.startswith(
        "container web changed 13 path(s) in its writable layer outside any declared volume: "
        "'/a~b/c', '/tmp/f00'"
    )
    assert finding.message.endswith("and 3 more; the image is immutable, the container is not")
    assert finding.evidence[0] == "/writable_layer/~1a~0b~1c"  # RFC 6901 escaping
    assert len(finding.evidence) == 13
    assert "read-only root filesystem" in finding.remedy


def test_a_packed_component_has_the_findings_of_its_context() -> None:
    layer = {"/tmp/a": FILE, "/data/x": FILE}
    component = _component(layer, {"/data": {}})
    packed = component.packed()  # as a scan holds it
    assert writable_layer_findings([packed]) == writable_layer_findings([component])
    assert len(writable_layer_findings([packed])) == 1
    assert packed.context._decoded is None  # read without being kept


def test_no_finding_without_undeclared_change() -> None:
    assert writable_layer_findings([_component({"/data/x": FILE}, {"/data": {}})]) == []
    assert writable_layer_findings([_component({}, {})]) == []


@pytest.mark.engine
def test_real_container_writing_only_to_its_volume_has_no_drift(
    engine_url: str, make_container: Make, keeper: SecretKeeper
) -> None:
    volumes = {"sw-drift-data": {"bind": "/data", "mode": "rw"}}
    clean = make_container("clean", ["sh", "-c", "echo x > /data/f"], volumes=volumes)
    dirty = make_container(
        "dirty", ["sh", "-c", "echo x > /data/f; echo y > /tmp/f"], volumes=volumes
    )
    result = scan(engine_url, keeper)
    components = engine_components([resource_of(result, clean), resource_of(result, dirty)])
    findings = writable_layer_findings(components)
    assert [(f.component, f.evidence) for f in findings] == [
        (f"engine:/{dirty.name}", ("/writable_layer/~1tmp~1f",))
    ]
