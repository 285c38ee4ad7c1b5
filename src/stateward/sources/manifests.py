"""Kubernetes objects from YAML or JSON text: manifests, ``kubectl get -o yaml|json`` dumps,
``kubectl kustomize`` and ``helm template`` output (all are streams of objects or ``List``s).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from typing import Any

from stateward.errors import InputError
from stateward.model.resource import CLUSTER_SCOPED_KINDS, Origin, Resource, ResourceKey
from stateward.model.secrets import NotingKeeper, SecretKeeper
from stateward.sources.comments import Comments, comments_between, scrub_comments
from stateward.sources.interface import SourceResult
from stateward.sources.redact import redact_object
from stateward.sources.yamldocs import Document, DocumentError, read_documents

__all__ = ["parse_manifests", "resource_key"]

SOURCE = "manifests"


def parse_manifests(path: str, text: str, keeper: SecretKeeper) -> SourceResult:
    """Every Kubernetes object in ``text`` (read from ``path``), with one error per bad document."""
    result = SourceResult()
    lines = text.splitlines() if "#" in text else []
    separators = [i for i, line in enumerate(lines) if line.startswith("---")]
    for doc in read_documents(text):
        if isinstance(doc, DocumentError):
            result.errors.append(InputError(f"{path}:{doc.line}", doc.reason))
            continue
        for key, where in doc.duplicates:
            result.errors.append(InputError(f"{path}:{where}", f"duplicate key {key!r}"))
        objects = list(_objects(doc))
        # Items of one List share a document: its comments belong to none of them in particular.
        comments = _comments(lines, separators, doc.line - 1) if len(objects) == 1 else ()
        for obj in objects:
            _add(result, path, doc.line, obj, keeper, comments)
    return result


def _comments(lines: list[str], separators: list[int], first: int) -> Comments:
    """Comments of the document whose first line is ``first``: from the separator before it
    (a ``# Source:`` line of ``helm template`` sits there) to the one after."""
    at = bisect.bisect_left(separators, first)
    start = separators[at - 1] + 1 if at > 0 else 0
    later = bisect.bisect_right(separators, first)
    end = separators[later] if later < len(separators) else len(lines)
    return comments_between(lines, start, end)


def _objects(doc: Document) -> Iterator[Any]:
    data = doc.data
    if data is None:
        return  # empty documents are allowed between separators
    if isinstance(data, dict) and str(data.get("kind", "")).endswith("List") and "items" in data:
        yield from data["items"] or []
    else:
        yield data


def _add(
    result: SourceResult,
    path: str,
    line: int,
    obj: Any,
    keeper: SecretKeeper,
    comments: Comments,
) -> None:
    location = f"{path}:{line}"
    if not isinstance(obj, dict):
        result.errors.append(
            InputError(location, f"document is a {_type_name(obj)}, not a Kubernetes object")
        )
        return
    try:
        key = resource_key(obj)
    except InputError as exc:
        result.errors.append(InputError(location, exc.reason))
        return
    noting = NotingKeeper(keeper)
    redact_object(obj, noting)
    comments = scrub_comments(comments, noting.seen, keeper)
    result.resources.append(Resource.of(key, obj, Origin(SOURCE, location), comments))


def resource_key(obj: dict[str, Any]) -> ResourceKey:
    """Identity of a Kubernetes object; InputError when apiVersion, kind or name is missing."""
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    if not isinstance(api_version, str) or not api_version:
        raise InputError("?", "missing apiVersion")
    if not isinstance(kind, str) or not kind:
        raise InputError("?", "missing kind")
    metadata = obj.get("metadata")
    name = metadata.get("name") if isinstance(metadata, dict) else None
    if not isinstance(name, str) or not name:
        raise InputError("?", f"{kind} without metadata.name")
    namespace = metadata.get("namespace") if isinstance(metadata, dict) else None
    if kind in CLUSTER_SCOPED_KINDS:
        namespace = ""
    elif not isinstance(namespace, str) or not namespace:
        namespace = "default"
    group = api_version.rpartition("/")[0]
    return ResourceKey(group, kind, namespace, name)


def _type_name(value: Any) -> str:
    return {list: "list", str: "string", int: "number", float: "number", bool: "boolean"}.get(
        type(value), type(value).__name__
    )
