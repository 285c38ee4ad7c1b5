"""Views derived from a resource are kept as bytes while the resource is the same, and only then."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stateward.model.canonical import canonical_json
from stateward.model.derived import KeptViews, views_to_keep
from stateward.model.resource import Origin, Resource, ResourceKey


@dataclass(frozen=True)
class View:
    value: Any

    def encoded(self) -> bytes:
        return canonical_json(self.value)


def _read(name: str, value: str) -> Resource:
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name},
            "data": {"LOG_LEVEL": value}}  # fmt: skip
    return Resource.of(ResourceKey("", "ConfigMap", "default", name), body, Origin("t", name))


def _kept(views: KeptViews, *resources: Resource) -> list[Resource]:
    views.keep(resources)
    return list(resources)


def test_a_view_comes_back_as_its_bytes_while_the_object_is_the_same() -> None:
    views, first = KeptViews(), _read("a", "info")
    first.derived["view"] = View({"normalized": ["info"]})
    _kept(views, first)
    again = _read("a", "info")
    views.give([again])
    assert again.derived == {"view": canonical_json({"normalized": ["info"]})}


def test_a_changed_object_gets_no_view_and_its_old_one_goes() -> None:
    views, first = KeptViews(), _read("a", "info")
    first.derived["view"] = View("of info")
    _kept(views, first)
    changed = _read("a", "debug")
    views.give([changed])
    assert changed.derived == {}  # normalized again by whoever reads it
    changed.derived["view"] = View("of debug")
    _kept(views, changed)
    back = _read("a", "info")  # the old body again: its old view is gone
    views.give([back])
    assert back.derived == {}


def test_a_view_unread_in_a_batch_is_kept_and_one_whose_object_went_is_dropped() -> None:
    views, a, b = KeptViews(), _read("a", "1"), _read("b", "2")
    a.derived["view"], b.derived["view"] = View("a"), View("b")
    _kept(views, a, b)
    unread = _read("a", "1")
    views.give([unread])  # given as bytes, never decoded in this batch
    _kept(views, unread)  # b went
    a_later, b_back = _read("a", "1"), _read("b", "2")
    views.give([a_later, b_back])
    assert a_later.derived == {"view": canonical_json("a")}
    assert b_back.derived == {}


def test_only_views_with_a_canonical_form_are_kept() -> None:
    views, first = KeptViews(), _read("a", "info")
    first.derived.update(view=View("kept"), plain={"no": "encoded()"}, odd=View(float("nan")))
    _kept(views, first)
    again = _read("a", "info")
    views.give([again])
    assert again.derived == {"view": canonical_json("kept")}


def test_the_views_to_keep_are_those_that_have_bytes_as_they_are() -> None:
    listed = _read("a", "info")
    view = View({"normalized": ["info"]})
    listed.derived.update(view=view, held=b"[1]", scratch=object())  # and what is not one
    kept = views_to_keep(listed)
    assert kept == {"view": view, "held": b"[1]"} and kept["view"] is view  # not encoded


def test_with_nothing_kept_a_batch_keeps_the_views_its_resources_carry() -> None:
    carried = _read("a", "info")
    carried.derived["view"] = view = View({"normalized": ["info"]})
    KeptViews().give([carried])  # a watch's first batch: its resources carry their views
    assert carried.derived == {"view": view}
