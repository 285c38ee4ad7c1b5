"""Components: the running units users care about, each with a binary and a context fingerprint.

A component's *context* is a plain dict keyed by facet (``env``, ``secret``, ``config``, ``mesh``,
``storage``, ``network``, ``resources``, ``scale``); inside a facet every collection is a dict
keyed by identity (container name, variable name, volume name, object key), never a list, so two
contexts compare path by path without any list-matching heuristics. Secret values appear only as
keyed digests.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from stateward.model.canonical import canonical_json, digest, digest_bytes
from stateward.model.encoded import EncodedBody, PackedContext

__all__ = ["Component", "Image", "parse_image"]

_DIGEST = re.compile(r"@(sha256:[0-9a-f]{64})$")
_STAND_IN = b',"context":0,'


@dataclass(frozen=True, slots=True)
class Image:
    """An image reference as written, and its digest when the reference pins one."""

    ref: str
    digest: str | None

    def __reduce__(self) -> tuple[type[Image], tuple[str, str | None]]:
        # rebuilt by __init__: a slotted frozen dataclass otherwise unpickles field by field
        # from Python (dataclasses._dataclass_setstate), several times slower
        return Image, (self.ref, self.digest)

    @property
    def pinned(self) -> bool:
        """True when the reference names content (``@sha256:…``), not a movable tag."""
        return self.digest is not None

    @property
    def identity(self) -> str:
        """What the binary fingerprint commits to: the digest if pinned, else the reference."""
        return self.digest or self.ref

    def as_dict(self) -> dict[str, Any]:
        """Stable JSON form."""
        return {"ref": self.ref, "digest": self.digest, "pinned": self.pinned}


def parse_image(ref: str) -> Image:
    """Split ``registry/repo:tag@sha256:…`` into reference and digest."""
    found = _DIGEST.search(ref)
    return Image(ref, found.group(1) if found else None)


@dataclass(frozen=True, slots=True)
class Component:
    """A workload, Compose service or container with its resolved context."""

    id: str
    """Stable identity: ``k8s:Deployment/shop/frontend``, ``compose:voting/web``."""
    kind: str
    name: str
    namespace: str
    """Namespace, or Compose project."""
    source: str
    images: tuple[Image, ...]
    """Images by container name order; init containers included."""
    context: Mapping[str, Any]
    """The facets; a :class:`~stateward.model.encoded.PackedContext` for a component a scan
    holds to its end (:meth:`packed`)."""
    resource: str = ""
    """Key of the resource this component was built from."""
    binary_fingerprint: str = field(default="", compare=False)
    context_fingerprint: str = field(default="", compare=False)
    fingerprinted: tuple[Mapping[str, Any], bytes] | None = field(
        default=None, compare=False, repr=False
    )
    """The context :meth:`of` fingerprinted and its canonical JSON: :meth:`encoded` writes the
    component's object around those bytes instead of encoding the context again. Read only
    while the context is that very object: a component given another one (``replace``)
    encodes its own."""

    @classmethod
    def of(
        cls,
        *,
        id: str,
        kind: str,
        name: str,
        namespace: str,
        source: str,
        images: tuple[Image, ...],
        context: Mapping[str, Any],
        resource: str = "",
    ) -> Component:
        """Build a component and compute both fingerprints."""
        binary = digest(sorted(image.identity for image in images))
        encoded = canonical_json(context)
        return cls(id, kind, name, namespace, source, images, context, resource, binary,
                   digest_bytes(encoded), fingerprinted=(context, encoded))  # fmt: skip

    def __reduce__(self) -> tuple[type[Component], tuple[Any, ...]]:
        # rebuilt by __init__ from its fields in order (as Image): an audit's components come
        # back pickled from the process that resolved them (api._observe.observed_audited)
        return Component, (
            self.id, self.kind, self.name, self.namespace, self.source, self.images,
            self.context, self.resource, self.binary_fingerprint, self.context_fingerprint,
            self.fingerprinted,
        )  # fmt: skip

    def packed(self) -> Component:
        """This component with its context held packed: a scan holds every component until it
        is recorded and reported, and a context as dicts is most of a component's memory.
        The store's object is not kept beside it: the record step encodes it again from the
        packed context (:meth:`encoded`). Kept, it was the context a second time, in canonical
        order (the packed one keeps the order a diff lists added keys in): ~18 MiB of a scan's
        50k objects, held through the audit. Encoding it again costs CPU: 59 against 8 us a
        component (decoded and encoded, not spliced), ~0.8 s for the 16k components of 50k
        objects."""
        return replace(self, context=PackedContext.of(self.context), fingerprinted=None)

    def forget_encoded(self) -> None:
        """Let go of the context's bytes :meth:`of` kept, for a holder that does not store
        this component next: they are a cache (nothing compares them), so this changes no
        value of a frozen component, only what it holds."""
        object.__setattr__(self, "fingerprinted", None)

    def encoded(self) -> bytes:
        """The canonical JSON of :meth:`as_dict`: the object the store keeps for it."""
        kept = self.fingerprinted
        if kept is None or kept[0] is not self.context:
            return canonical_json(self.as_dict())
        # Canonical JSON writes an object's members in key order, each as its own canonical
        # JSON (model/canonical.py), so the context's bytes take the place of a stand-in
        # member's value. Its key sorts between two others, and those around it are fixed
        # keys whose values are strings and images: '"' in a string is written '\"', so
        # ',"context":0,' occurs only as that member. The members around it hold strings, an
        # image's pinned flag and its digest or null, never a float (``floats=False``): the
        # null of every unpinned image was read back to be sure it was no NaN, ~440 bytes
        # decoded and compared a component (a watch's first list of 1,000 workloads).
        around = canonical_json({**self.as_dict(context=False), "context": 0}, floats=False)
        head, stand_in, tail = around.partition(_STAND_IN)
        assert stand_in and _STAND_IN not in tail, "bad math: one context member"
        return b"".join((head, b',"context":', kept[1], b",", tail))

    def read_context(self) -> Mapping[str, Any]:
        """The context for a reader that keeps none of it: a packed one is decoded and not
        kept, so a pass over every component never holds all of them decoded."""
        held = self.context
        return held.transient() if isinstance(held, EncodedBody) else held

    def facet_digests(self) -> dict[str, str]:
        """Digest of each facet of the context, to tell which facets changed cheaply."""
        return {facet: digest(value) for facet, value in self.read_context().items()}

    def as_dict(self, *, context: bool = True) -> dict[str, Any]:
        """Stable JSON form; without ``context``, the ``components`` entries of ``scan --json``."""
        entry: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "name": self.name,
            "namespace": self.namespace,
            "source": self.source,
            "resource": self.resource,
            "binary_fingerprint": self.binary_fingerprint,
            "context_fingerprint": self.context_fingerprint,
            "images": [image.as_dict() for image in self.images],
        }
        if context:
            entry["context"] = self.read_context()
        return entry

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Component:
        """Inverse of :meth:`as_dict` (used when reading from the store)."""
        return cls(
            data["id"],
            data["kind"],
            data["name"],
            data["namespace"],
            data["source"],
            tuple(Image(i["ref"], i["digest"]) for i in data["images"]),
            data["context"],
            data.get("resource", ""),
            data["binary_fingerprint"],
            data["context_fingerprint"],
        )
