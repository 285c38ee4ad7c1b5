"""Views derived from resources, kept between the observations of a watch as bytes.

A watch builds an observation of the whole state for every batch of changes, and most of its
objects are the ones the previous batch saw. Normalizing a workload is most of what building
its context costs, so a view computed from a resource's body and kept in
:attr:`~stateward.model.resource.Resource.derived` (the normalized view of
:mod:`stateward.contexts.normalized`) is kept as its canonical bytes under the resource's key
and digest, and given back to the next batch's resource of that key while its digest is the
same, as those bytes: whoever reads the view decodes it. A changed object has a new digest and
its view is computed again; a view nothing read in a batch is kept as it was; one whose
object went goes with it.

A view can also be computed before its batch, while the object's parsed body is at hand (a
watch's first list, page by page): the batch's resource then carries the view itself
(:func:`views_to_keep`), neither encoded nor computed again, and decodes no body for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from stateward.errors import CanonicalError
from stateward.model.resource import Resource, ResourceKey

__all__ = ["Encodable", "KeptViews", "encoded_views", "views_to_keep"]


class Encodable(Protocol):
    """A derived view that can be kept as bytes; its reader decodes them."""

    def encoded(self) -> bytes:
        """Canonical JSON of the view; CanonicalError when it holds what JSON cannot."""
        ...


class KeptViews:
    """The encodable views of the resources last handed to :meth:`keep`, as bytes."""

    def __init__(self) -> None:
        self.views: dict[ResourceKey, tuple[str, dict[str, bytes]]] = {}
        """Each key's digest and its views' bytes by name."""

    def give(self, resources: Iterable[Resource]) -> None:
        """Give each resource the views kept for its key, when kept for this very digest."""
        if not self.views:
            return  # nothing kept: a watch's first batch, whose resources carry their views
        for resource in resources:
            kept = self.views.get(resource.key)
            if kept is not None and kept[0] == resource.digest:
                for name, view in kept[1].items():
                    resource.derived.setdefault(name, view)

    def keep(self, resources: Iterable[Resource]) -> None:
        """Keep the views these resources hold (their whole set: the others' views go)."""
        views: dict[ResourceKey, tuple[str, dict[str, bytes]]] = {}
        for resource in resources:
            if resource.derived and resource.digest:
                if kept := encoded_views(resource):
                    views[resource.key] = (resource.digest, kept)
        self.views = views


def views_to_keep(resource: Resource) -> dict[str, Any]:
    """The views ``resource`` holds that can be kept as bytes, as they are (not encoded): what
    a resource made anew for the same object carries from this one."""
    return {name: view for name, view in resource.derived.items() if _encodable(view)}


def encoded_views(resource: Resource) -> dict[str, bytes]:
    """The views kept with ``resource`` that can be kept as bytes, as those bytes by name."""
    kept: dict[str, bytes] = {}
    for name, view in resource.derived.items():
        if _encodable(view) and not isinstance(view, bytes):
            try:
                view = view.encoded()
            except CanonicalError:
                continue  # computed again when read: never a view that differs
        if isinstance(view, bytes):
            kept[name] = view
    return kept


def _encodable(view: Any) -> bool:
    """A view kept as bytes, or one that can be: what isinstance(view, Encodable) tests, at a
    hundredth of its cost (~50 us a view: a runtime-checkable protocol inspects the class on
    every call)."""
    return isinstance(view, bytes) or callable(getattr(view, "encoded", None))
