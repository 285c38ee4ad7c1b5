"""A resource made through its slots (:func:`~stateward.model.resource.made`, the watch's way)
is the resource the dataclass makes of the same parts, field for field; one made with its body
encoded (a watch's listed object) has the same bytes and digest; a key and an origin, whose own
__init__ sets their slots, have the fields they are given."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stateward.model.canonical import canonical_json, decoded, digest_bytes
from stateward.model.encoded import EncodedBody
from stateward.model.resource import Origin, Resource, ResourceKey, made

from .test_canonical import json_values

names = st.text(max_size=12)
pairs = st.lists(st.tuples(names, names), max_size=3).map(tuple)


@given(st.tuples(names, names, names, names), st.dictionaries(names, json_values, max_size=6),
       st.tuples(names, names), pairs, pairs)  # fmt: skip
def test_a_resource_made_through_its_slots_has_every_field_of_one_built_by_the_dataclass(
    key: tuple[str, str, str, str],
    body: dict[str, Any],
    origin: tuple[str, str],
    comments: tuple[tuple[str, str], ...],
    files: tuple[tuple[str, str], ...],
) -> None:
    data = canonical_json(body)
    parts = (ResourceKey(*key), body, Origin(*origin), data, digest_bytes(data))
    fast, built = made(*parts, comments, files), Resource(*parts, comments, files=files)
    for f in dataclasses.fields(Resource):  # a field added to Resource and not to made fails
        assert getattr(fast, f.name) == getattr(built, f.name), f.name
    assert fast == built and fast.derived is not made(*parts).derived  # a dict of its own
    assert Resource.of(*parts[:3], comments, files) == built
    with_defaults = made(*parts)
    assert (with_defaults.comments, with_defaults.files, with_defaults.stamp) == ((), (), "")


@given(st.dictionaries(names, json_values, max_size=6))
def test_an_encoded_resource_holds_its_bytes_and_its_parsed_body_until_released(
    body: dict[str, Any],
) -> None:
    key, origin = ResourceKey("", "ConfigMap", "default", "x"), Origin("kube", "here")
    plain, encoded = Resource.of(key, body, origin), Resource.of(key, body, origin, encoded=True)
    assert isinstance(encoded.body, EncodedBody) and encoded.body.data == plain.canonical
    assert (encoded.canonical, encoded.digest) == (plain.canonical, plain.digest)
    assert encoded.read_body() is body  # read before it is let go: nothing decoded
    encoded.release()
    assert encoded.read_body() is not body and dict(encoded.body) == decoded(plain.canonical)


@pytest.mark.parametrize("cls", [ResourceKey, Origin])
@given(parts=st.lists(names, min_size=4, max_size=4))
def test_a_key_or_origin_has_the_fields_it_is_given_as_the_dataclass_would_set_them(
    cls: type[ResourceKey] | type[Origin], parts: list[str]
) -> None:
    # its __init__ sets the slots itself: a field added to the dataclass and not to it fails
    fields = [f.name for f in dataclasses.fields(cls)]
    assert list(inspect.signature(cls.__init__).parameters)[1:] == fields
    given_parts = tuple(parts[: len(fields)])
    made_one = cls(*given_parts)
    assert dataclasses.astuple(made_one) == given_parts and hash(made_one) == hash(given_parts)
    assert made_one == cls(**dict(zip(fields, given_parts, strict=True)))
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made_one, fields[-1], "other")
