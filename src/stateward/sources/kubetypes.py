"""Values kubectl would refuse: a boolean or number where the API has a string.

kubectl turns YAML into JSON (sigs.k8s.io/yaml, go-yaml v2 rules: ``enabled: yes`` is ``true``)
and decodes that into typed Go structs, so ``data: {enabled: yes}`` in a ConfigMap fails with
"cannot unmarshal bool into Go struct field ConfigMap.data of type string" and the object is
never applied. The string-typed fields checked are those of k8s.io/api core/v1 that real
manifests get wrong: ``metadata.labels``/``annotations`` (``map[string]string``, ObjectMeta),
ConfigMap ``data``/``binaryData``, Secret ``data``/``stringData``, and a container's ``args``,
``command`` (``[]string``) and ``env[].value`` (``string``), wherever a pod template holds them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from stateward.model.finding import Finding, Severity
from stateward.model.pointer import escape
from stateward.model.resource import ResourceKey
from stateward.sources.yamldocs import Document

__all__ = ["RULE", "type_findings"]

RULE = "REJECTED_BY_KUBECTL"
_STRING_MAPS = {"ConfigMap": ("data", "binaryData"), "Secret": ("data", "stringData")}
_CONTAINER_LISTS = ("containers", "initContainers", "ephemeralContainers")
_MAX_DEPTH = 12  # pod templates sit at most at spec.jobTemplate.spec.template.spec


def type_findings(obj: dict[str, Any], key: ResourceKey, path: str, doc: Document) -> list[Finding]:
    """One finding per value of ``obj`` that kubectl would refuse to decode."""
    return [
        _finding(key, path, doc, parent, name, pointer)
        for parent, name, pointer in _misplaced(obj, key.kind)
    ]


def _misplaced(obj: dict[str, Any], kind: str) -> Iterator[tuple[Any, Any, str]]:
    for field in _STRING_MAPS.get(kind, ()):
        yield from _non_strings(obj.get(field), f"/{field}")
    yield from _walk(obj, "", 0)


def _walk(node: dict[str, Any], pointer: str, depth: int) -> Iterator[tuple[Any, Any, str]]:
    if depth > _MAX_DEPTH:
        return
    metadata = node.get("metadata")
    if isinstance(metadata, dict):
        for field in ("labels", "annotations"):
            yield from _non_strings(metadata.get(field), f"{pointer}/metadata/{field}")
    for field in _CONTAINER_LISTS:
        containers = node.get(field)
        for index, container in enumerate(containers if isinstance(containers, list) else ()):
            if isinstance(container, dict):
                yield from _container(container, f"{pointer}/{field}/{index}")
    for name, child in node.items():
        if isinstance(child, dict) and name in ("spec", "template", "jobTemplate"):
            yield from _walk(child, f"{pointer}/{name}", depth + 1)


def _container(container: dict[str, Any], pointer: str) -> Iterator[tuple[Any, Any, str]]:
    for field in ("args", "command"):
        yield from _non_strings(container.get(field), f"{pointer}/{field}")
    env = container.get("env")
    for index, var in enumerate(env if isinstance(env, list) else ()):
        if isinstance(var, dict) and "value" in var:
            value = var["value"]
            if value is not None and not isinstance(value, str):
                yield var, "value", f"{pointer}/env/{index}/value"


def _non_strings(values: Any, pointer: str) -> Iterator[tuple[Any, Any, str]]:
    """(container, key, pointer) of each non-string, non-null value of a map or list."""
    if not isinstance(values, dict | list):
        return
    items = values.items() if isinstance(values, dict) else enumerate(values)
    for key, value in items:
        if value is not None and not isinstance(value, str):
            yield values, key, f"{pointer}/{escape(str(key))}"


def _finding(
    key: ResourceKey, path: str, doc: Document, parent: Any, name: Any, pointer: str
) -> Finding:
    value = parent[name]
    what = "a boolean" if isinstance(value, bool) else "a number" if isinstance(
        value, int | float) else f"a {type(value).__name__}"  # fmt: skip
    where = f"{path}:{doc.line_of(parent, name)}"
    return Finding(
        rule=RULE,
        severity=Severity.HIGH,
        message=f"{where}: {pointer} is {what} where kubectl expects a string; "
        "kubectl rejects the whole object",
        resource=str(key),
        path=pointer,
        remedy="Quote the value in the manifest.",
        evidence=(where,),
    )
