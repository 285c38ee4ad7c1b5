"""Resources: one identified object of an estate, with its canonical body."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from stateward.model.canonical import canonical_json, digest_bytes
from stateward.model.encoded import DeflatedBody, EncodedBody

__all__ = [
    "CLUSTER_SCOPED_KINDS",
    "Origin",
    "Resource",
    "ResourceKey",
    "identity",
    "made",
    "quote_part",
    "stored_names",
    "unquote_part",
]

# Kinds without a namespace; everything else defaults to "default" as kubectl does.
CLUSTER_SCOPED_KINDS = frozenset(
    {
        "Namespace", "Node", "PersistentVolume", "StorageClass", "ClusterRole",
        "ClusterRoleBinding", "CustomResourceDefinition", "PriorityClass", "IngressClass",
        "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "APIService",
        "CSIDriver", "RuntimeClass", "VolumeSnapshotClass", "GatewayClass", "ClusterIssuer",
    }
)  # fmt: skip


_QUOTED = {"%": "%25", "/": "%2F", "|": "%7C"}
_UNQUOTED = {v: k for k, v in _QUOTED.items()}
_SEPARATOR = re.compile("[%/|]")
_ESCAPE = re.compile("%25|%2F|%7C")


def quote_part(text: str) -> str:
    """One part of an identity with the separators ``/`` and ``|`` (and ``%`` itself)
    percent-encoded (RFC 3986 §2.1), so parts joined by a separator split back to exactly the
    parts given: ``{ns: "a|b", name: "c"}`` and ``{ns: "a", name: "b|c"}`` stay two objects.
    A part without those characters, as every valid Kubernetes or Compose name is, is unchanged,
    so identities recorded before this encoding read the same."""
    if "%" not in text and "/" not in text and "|" not in text:
        return text  # the usual case: half the time of running the substitution
    return _SEPARATOR.sub(lambda m: _QUOTED[m.group()], text)


def unquote_part(text: str) -> str:
    """The part :func:`quote_part` encoded (every ``%`` in quoted text starts an escape)."""
    return _ESCAPE.sub(lambda m: _UNQUOTED[m.group()], text) if "%" in text else text


def identity(*parts: str, separator: str = "/") -> str:
    """Parts joined unambiguously: each quoted, then joined by ``separator`` (``/`` or ``|``)."""
    joined = separator.join(parts)
    # the usual case, no part to quote: the separators in the text are only those joining it
    # (a third of quoting part by part; a record names every object of the estate)
    if "%" not in joined and joined.count("/") + joined.count("|") == len(parts) - 1:
        return joined
    return separator.join(quote_part(p) for p in parts)


@dataclass(frozen=True, slots=True, order=True)
class ResourceKey:
    """Identity of a resource: API group, kind, namespace (or Compose project) and name."""

    group: str
    """API group without version ("" for core, "apps", …); "compose" for Compose objects."""
    kind: str
    namespace: str
    """Namespace; "" for cluster-scoped kinds; the project name for Compose resources."""
    name: str

    def __init__(self, group: str, kind: str, namespace: str, name: str) -> None:
        # Each field set through its slot (as :func:`made` does): the frozen dataclass's own
        # __init__, which this replaces, sets them through object.__setattr__, 0.7-1.3 us a key
        # against 0.3, and a key is made for every object a scan or a watch reads.
        _key_group(self, group)
        _key_kind(self, kind)
        _key_namespace(self, namespace)
        _key_name(self, name)

    def __str__(self) -> str:
        kind = f"{self.kind}.{self.group}" if self.group and self.group != "compose" else self.kind
        where = (self.namespace,) if self.namespace else ()
        return identity(kind, *where, self.name)

    def stored_name(self) -> str:
        """The key's name in an observation manifest: ``group|kind|namespace|name``, each part
        quoted (:func:`quote_part`)."""
        return identity(self.group, self.kind, self.namespace, self.name, separator="|")

    @classmethod
    def from_stored_name(cls, text: str) -> ResourceKey:
        """The key :meth:`stored_name` wrote; ValueError unless ``text`` has four parts."""
        group, kind, namespace, name = (unquote_part(p) for p in text.split("|"))
        return cls(group, kind, namespace, name)

    def as_dict(self) -> dict[str, str]:
        """Plain form for JSON output and storage."""
        return {
            "group": self.group,
            "kind": self.kind,
            "namespace": self.namespace,
            "name": self.name,
        }


_key_group, _key_kind, _key_namespace, _key_name = (
    getattr(ResourceKey, name).__set__ for name in ("group", "kind", "namespace", "name")
)


def stored_names(keys: Sequence[ResourceKey]) -> list[str]:
    """:meth:`ResourceKey.stored_name` of each key, in order. A record names every resource
    of the estate: the parts are joined for all keys first, and whether one needs quoting is
    asked once of all the names together (1.1 against 3.6 ms for the 10,000 keys of a watch's
    first list)."""
    names = [f"{k.group}|{k.kind}|{k.namespace}|{k.name}" for k in keys]
    text = "".join(names)
    # each name holds three "|" of its own: with none more in all, and no "/" or "%", no part
    # holds a character to quote (:func:`identity`'s usual case, for every name at once)
    if "%" in text or "/" in text or text.count("|") != 3 * len(names):
        return [key.stored_name() for key in keys]
    return names


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a resource was read: a file and line, an API, an engine."""

    source: str
    """Source kind: "manifests", "compose", "engine"."""
    location: str
    """``path:line`` for files, a URL or object reference otherwise."""

    def __init__(self, source: str, location: str) -> None:
        # each field set through its slot, as :class:`ResourceKey`'s: the frozen dataclass's
        # own __init__ sets them through object.__setattr__, and a watch makes one origin for
        # every object it lists
        _origin_source(self, source)
        _origin_location(self, location)

    def __str__(self) -> str:
        return self.location


_origin_source, _origin_location = (getattr(Origin, n).__set__ for n in ("source", "location"))


@dataclass(frozen=True, slots=True)
class Resource:
    """One object: its key, canonical body (secret values already digested) and origin."""

    key: ResourceKey
    body: Mapping[str, Any]
    origin: Origin
    data: bytes = field(repr=False, compare=False, default=b"")
    """The body's canonical bytes (:attr:`canonical`); empty when the body holds them
    deflated (:class:`DeflatedBody`), so they are not held twice."""
    digest: str = field(compare=False, default="")
    comments: tuple[tuple[str, str], ...] = field(repr=False, compare=False, default=())
    """``(code, comment)`` pairs from the object's source lines: hints for analyses, never part
    of the body or its digest (see :mod:`stateward.sources.comments`)."""
    stamp: str = field(repr=False, compare=False, default="")
    """What the source compares with next time before reading the body again (a host
    directory's entries' ``lstat`` facts, hashed): stored beside the resource in its
    observation's manifest, never part of the body or its digest."""
    files: tuple[tuple[str, str], ...] = field(repr=False, compare=False, default=())
    """``(path in the container, text)`` of the configuration files a Compose service binds
    from its project directory (``./nginx.conf:/etc/nginx/nginx.conf``), their credentials
    already digested: hints for analyses (the peers a proxy's configuration names), never part
    of the body or its digest (see :mod:`stateward.sources.bound`)."""
    derived: dict[str, Any] = field(init=False, repr=False, compare=False, default_factory=dict)
    """Views of the body computed once and kept with the resource (its normalized body, see
    :func:`stateward.normalize.prepare`); never part of the body or its digest."""

    @property
    def canonical(self) -> bytes:
        """The body's canonical JSON bytes (inflated on each read where the body holds them
        deflated; empty for a resource built without them)."""
        if not self.data and isinstance(self.body, DeflatedBody):
            return self.body.canonical()
        return self.data

    def read_body(self) -> Mapping[str, Any]:
        """The body for a reader that keeps none of it: one held encoded is decoded and not
        kept (a scan's builders read each workload's view once: kept, every view would be
        held decoded at once)."""
        body = self.body
        return body.transient() if isinstance(body, EncodedBody) else body

    def release(self) -> None:
        """Let go of what was computed from the body (``derived``) and, for a body kept as
        bytes, of its decoded form: each is computed again if read. A scan calls it after each
        stage that read the bodies, so the stages' views are never all held at once."""
        self.derived.clear()
        if isinstance(self.body, EncodedBody):
            self.body.release()

    @classmethod
    def of(
        cls,
        key: ResourceKey,
        body: Mapping[str, Any],
        origin: Origin,
        comments: tuple[tuple[str, str], ...] = (),
        files: tuple[tuple[str, str], ...] = (),
        finite: bool = False,
        encoded: bool = False,
        floats: bool = True,
    ) -> Resource:
        """Build a resource, computing its canonical bytes and digest once (``finite``: the body
        holds no NaN or infinity; ``floats`` False: orjson's text is taken as it is, which the
        caller then searches; see :func:`~stateward.model.canonical.canonical_json`;
        ``encoded``: its body is an :class:`EncodedBody` of those bytes, holding ``body`` (a
        dict) decoded until released)."""
        data = canonical_json(body, finite, floats)
        if encoded:
            assert isinstance(body, dict), "bad math: an encoded body holds a dict"
            body = EncodedBody(data, body)
        return made(key, body, origin, data, digest_bytes(data), comments, files)


def made(
    key: ResourceKey,
    body: Mapping[str, Any],
    origin: Origin,
    data: bytes,
    digest: str,
    comments: tuple[tuple[str, str], ...] = (),
    files: tuple[tuple[str, str], ...] = (),
) -> Resource:
    """``Resource(key, body, origin, data, digest, comments, files=files)``, each slot set
    through its descriptor: the frozen dataclass's ``__init__`` sets its nine fields through
    ``object.__setattr__`` (2.1 us a resource, 0.8 us this way, which a watch pays for every
    object it lists and again for every object of every batch). Nothing is checked either
    way; a test holds the two to the same fields."""
    resource = _new(Resource)
    _key(resource, key)
    _body(resource, body)
    _origin(resource, origin)
    _data(resource, data)
    _digest(resource, digest)
    _comments(resource, comments)
    _stamp(resource, "")
    _files(resource, files)
    _derived(resource, {})
    return resource


_new = object.__new__
_key, _body, _origin, _data, _digest, _comments, _stamp, _files, _derived = (
    getattr(Resource, name).__set__
    for name in ("key", "body", "origin", "data", "digest", "comments", "stamp", "files", "derived")
)
