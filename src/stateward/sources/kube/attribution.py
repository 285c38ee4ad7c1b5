"""Who changed an object, from its ``metadata.managedFields``: the API server keeps one entry per
field manager and operation, with the time that manager last changed the fields it owns
(https://kubernetes.io/docs/reference/using-api/server-side-apply/#field-management). The entry
changed last names the writer of the object's latest version."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Writer", "entries", "last_writer", "latest"]


@dataclass(frozen=True, slots=True)
class Writer:
    """A field manager (``kubectl-set``, ``argocd-controller`` …), its operation (``Apply`` for
    server-side apply, ``Update`` for every other write) and when it wrote (RFC 3339)."""

    manager: str
    operation: str
    time: str


def last_writer(body: Mapping[str, Any]) -> Writer | None:
    """The manager whose entry changed last; None when the object names none."""
    return latest(writer for writer, _ in entries(body))


def latest(writers: Iterable[Writer]) -> Writer | None:
    """The writer that wrote last. Entry times are ``metav1.Time``, RFC 3339 in UTC to the
    second, so they order as text. Two writes in one second tie: the later entry in the list
    wins, a guess (the server sorts the entries by operation, then time, then manager:
    kubernetes/kubernetes at v1.31.0,
    staging/src/k8s.io/apimachinery/pkg/util/managedfields/internal/managedfields.go)."""
    found: Writer | None = None
    for writer in writers:
        if found is None or writer.time >= found.time:
            found = writer
    return found


def entries(body: Mapping[str, Any]) -> Iterator[tuple[Writer, Mapping[str, Any]]]:
    """Each ``managedFields`` entry naming its manager, operation and time, with the fields it
    owns (``fieldsV1``; empty when it has none)."""
    metadata = body.get("metadata")
    found = metadata.get("managedFields") if isinstance(metadata, Mapping) else None
    for entry in found if isinstance(found, list) else ():
        if not isinstance(entry, Mapping):
            continue
        manager, operation, time = (entry.get(k) for k in ("manager", "operation", "time"))
        if isinstance(manager, str) and isinstance(operation, str) and isinstance(time, str):
            fields = entry.get("fieldsV1")
            yield Writer(manager, operation, time), fields if isinstance(fields, Mapping) else {}
