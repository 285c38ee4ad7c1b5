"""Kubernetes objects from YAML or JSON text: manifests, ``kubectl get -o yaml|json`` dumps,
``kubectl kustomize`` and ``helm template`` output (all are streams of objects or ``List``s).

Values are read as kubectl reads them (:mod:`.goyaml`); a value kubectl would refuse to decode
(a boolean or number where a string belongs) is reported by :mod:`.kubetypes` with its line. An
object named by ``metadata.generateName`` (Helm and Argo CD hook Jobs) is identified by its kind,
that prefix and its hook annotations.
"""

from __future__ import annotations

import bisect
import math
import sys
from typing import Any

from stateward.errors import CanonicalError, InputError
from stateward.model.resource import CLUSTER_SCOPED_KINDS, Origin, Resource, ResourceKey
from stateward.model.secrets import NotingKeeper, SecretKeeper
from stateward.sources.comments import Comments, comments_between, scrub_comments
from stateward.sources.interface import SourceResult
from stateward.sources.kubetypes import type_findings
from stateward.sources.redact import redact_object
from stateward.sources.yamldocs import Document, DocumentError, read_documents

__all__ = ["group_of", "kind_key", "parse_manifests", "resource_key"]

SOURCE = "manifests"
HOOK_ANNOTATIONS = ("helm.sh/hook", "argocd.argoproj.io/hook")
"""What tells two hook objects of one ``generateName`` apart: the hooks they run on."""


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
        objects = _objects(doc, path, result)
        # Items of one List share a document: its comments belong to none of them in particular.
        comments = _comments(lines, separators, doc.line - 1) if len(objects) == 1 else ()
        for index, obj in enumerate(objects):
            # A List's items have lines of their own; a lone object's list is new (the document's).
            _add(result, f"{path}:{doc.line_of(objects, index)}", path, doc, obj, keeper, comments)
    return result


def _comments(lines: list[str], separators: list[int], first: int) -> Comments:
    """Comments of the document whose first line is ``first``: from the separator before it
    (a ``# Source:`` line of ``helm template`` sits there) to the one after."""
    at = bisect.bisect_left(separators, first)
    start = separators[at - 1] + 1 if at > 0 else 0
    later = bisect.bisect_right(separators, first)
    end = separators[later] if later < len(separators) else len(lines)
    return comments_between(lines, start, end)


def _objects(doc: Document, path: str, result: SourceResult) -> list[Any]:
    """A List's items (each reported at its own line), or the document's object alone."""
    data = doc.data
    if data is None:
        return []  # empty documents are allowed between separators
    if isinstance(data, dict) and str(data.get("kind", "")).endswith("List") and "items" in data:
        items = data["items"]
        if isinstance(items, list) or items is None:
            return items or []
        where = f"{path}:{doc.line_of(data, 'items')}"
        result.errors.append(InputError(where, f"{data['kind']} items must be a list"))
        return []
    return [data]


def _add(
    result: SourceResult,
    location: str,
    path: str,
    doc: Document,
    obj: Any,
    keeper: SecretKeeper,
    comments: Comments,
) -> None:
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
    result.findings.extend(type_findings(obj, key, path, doc))
    noting = NotingKeeper(keeper)
    redact_object(obj, noting)
    comments = scrub_comments(comments, noting.seen, keeper)
    try:
        # redaction puts strings in place of values: a finite document stays finite
        origin = Origin(SOURCE, location)
        result.resources.append(Resource.of(key, obj, origin, comments, finite=doc.finite))
    except CanonicalError as exc:
        line = doc.find_line(obj, _not_canonical) or doc.line
        result.errors.append(InputError(f"{path}:{line}", exc.message))


def _not_canonical(value: Any) -> bool:
    """A value canonical JSON has no form for (a NaN, an infinity, a set, bytes)."""
    if isinstance(value, float):
        return not math.isfinite(value)
    return not isinstance(value, str | int | dict | list | None)


def resource_key(obj: dict[str, Any]) -> ResourceKey:
    """Identity of a Kubernetes object; InputError when apiVersion, kind or name is missing."""
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    if not isinstance(api_version, str) or not api_version:
        raise InputError("?", "missing apiVersion")
    if not isinstance(kind, str) or not kind:
        raise InputError("?", "missing kind")
    return kind_key(group_of(api_version), sys.intern(kind), obj.get("metadata"))


def group_of(api_version: str) -> str:
    """The API group of an ``apiVersion`` ("" for the core group), interned: one string for
    each group, however many objects share it (a watch holds the keys of every object it
    follows)."""
    return sys.intern(api_version.rpartition("/")[0])


def kind_key(group: str, kind: str, metadata: Any) -> ResourceKey:
    """:func:`resource_key` of an object of ``group`` (:func:`group_of`) and ``kind`` (a
    non-empty string, interned) with ``metadata``: a list's items share their group and kind,
    worked out once for the list (:class:`~stateward.sources.kube.reader.ItemKind`);
    InputError when it has no name."""
    name = _name(metadata) if isinstance(metadata, dict) else None
    if name is None:
        raise InputError("?", f"{kind} without metadata.name or metadata.generateName")
    namespace = metadata.get("namespace")
    if kind in CLUSTER_SCOPED_KINDS:
        namespace = ""
    elif not isinstance(namespace, str) or not namespace:
        namespace = "default"
    return ResourceKey(group, kind, sys.intern(namespace), name)


def _name(metadata: dict[str, Any]) -> str | None:
    """``metadata.name``; else, for an object the API server will name, ``generateName`` then
    ``*`` then ``@hook`` for each hook annotation (``db-migrate-*@PreSync``)."""
    name = metadata.get("name")
    if isinstance(name, str) and name:
        return name
    if name is not None and not isinstance(name, str):
        # kubectl: "cannot unmarshal number into Go struct field ObjectMeta.metadata.name".
        raise InputError("?", f"metadata.name is a {_type_name(name)}, not a string (quote it)")
    prefix = metadata.get("generateName")
    if not isinstance(prefix, str) or not prefix:
        return None
    annotations = metadata.get("annotations")
    hooks = annotations if isinstance(annotations, dict) else {}
    return prefix + "*" + "".join(f"@{hooks[a]}" for a in HOOK_ANNOTATIONS if a in hooks)


def _type_name(value: Any) -> str:
    return {list: "list", str: "string", int: "number", float: "number", bool: "boolean"}.get(
        type(value), type(value).__name__
    )
