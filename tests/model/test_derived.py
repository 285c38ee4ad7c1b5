"""Views derived from a resource are kept as bytes while the resource is the same, and only then."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from stateward.model.canonical import canonical_json
from stateward.model.derived import KeptViews
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


def test_a_seeded_view_is_given_as_computed_once_and_only_for_its_digest() -> None:
    views, listed = KeptViews(), _read("a", "info")
    view = View({"normalized": ["info"]})
    listed.derived.update(view=view, scratch=object())  # a view, and what is not one
    views.seed(listed)
    changed, same = _read("a", "debug"), _read("a", "info")
    views.give([changed, same])
    assert changed.derived == {} and same.derived == {"view": view}
    assert same.derived["view"] is view  # neither encoded nor decoded on the way
    again = _read("a", "info")
    views.give([again])  # a seed serves the one batch after it
    assert again.derived == {}


def test_a_seeded_view_comes_before_the_bytes_kept_for_the_same_digest() -> None:
    views, first = KeptViews(), _read("a", "info")
    first.derived["view"] = View({"old": 1})
    _kept(views, first)
    listed = _read("a", "info")
    listed.derived["view"] = fresh = View({"new": 2})
    views.seed(listed)
    later = _read("a", "info")
    views.give([later])
    assert later.derived["view"] is fresh


def test_views_seeded_from_many_threads_are_all_given() -> None:
    views = KeptViews()
    read = [_read(f"n{i}", "info") for i in range(400)]
    for resource in read:
        resource.derived["view"] = View({"name": resource.key.name})

    def seed(part: list[Resource]) -> None:
        for resource in part:
            views.seed(resource)

    threads = [threading.Thread(target=seed, args=(read[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    batch = [_read(f"n{i}", "info") for i in range(400)]
    views.give(batch)
    assert [r.derived["view"] for r in batch] == [r.derived["view"] for r in read]
