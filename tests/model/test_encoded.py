"""A body kept as its canonical bytes reads as the body itself; a packed context reads as the
context, keys in the order they were put."""

from __future__ import annotations

import json
import zlib
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stateward.model.canonical import canonical_json, digest_bytes
from stateward.model.component import Component, parse_image
from stateward.model.encoded import (
    STORED_BELOW,
    DeflatedBody,
    EncodedBody,
    PackedContext,
    Shared,
    deflate,
)
from stateward.model.resource import Origin, Resource, ResourceKey

from .test_canonical import json_values


@given(st.dictionaries(st.text(), json_values, max_size=8), st.text())
def test_an_encoded_body_reads_as_the_body(body: dict[str, Any], other: str) -> None:
    encoded = EncodedBody(canonical_json(body))
    assert encoded == body and dict(encoded) == body
    assert len(encoded) == len(body) and sorted(encoded) == sorted(body)
    assert (other in encoded) == (other in body)
    assert encoded.get(other, "absent") == body.get(other, "absent")
    for key, value in body.items():
        assert encoded[key] == value


def _strings(value: Any) -> list[str]:
    """Every string value in a JSON tree (keys left out)."""
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def _nodes(value: Any) -> list[Any]:
    """Every mapping and list of a JSON tree, the tree itself first."""
    if isinstance(value, dict):
        return [value, *(n for v in value.values() for n in _nodes(v))]
    if isinstance(value, list):
        return [value, *(n for v in value for n in _nodes(v))]
    return []


def _exact(value: Any) -> str:
    """JSON of ``value`` as it iterates: types (``1``, ``1.0``, ``true``) and key order kept."""
    return json.dumps(value, sort_keys=False)


@given(st.lists(st.dictionaries(st.text(), json_values, max_size=6), min_size=1, max_size=4))
def test_bodies_held_sharing_read_the_same_and_hold_each_value_once(
    bodies: list[dict[str, Any]],
) -> None:
    encoded = [EncodedBody(canonical_json(body)) for body in bodies]
    decoded = [b.transient() for b in encoded]  # as each reads alone, in its keys' order
    shared = Shared()
    for body in encoded:
        body.hold_sharing(shared)
    assert [dict(b) for b in encoded] == bodies
    assert [_exact(dict(b)) for b in encoded] == [_exact(b) for b in decoded]
    assert [canonical_json(dict(b)) for b in encoded] == [canonical_json(b) for b in bodies]
    # equal values are one object, across bodies: strings, and mappings and lists alike
    strings: dict[str, set[int]] = {}
    for value in (s for body in encoded for s in _strings(dict(body))):
        strings.setdefault(value, set()).add(id(value))
    assert all(len(ids) == 1 for ids in strings.values())
    nodes: dict[str, set[int]] = {}
    for node in (n for body in encoded for n in _nodes(body.transient())):  # the held trees
        nodes.setdefault(_exact(node), set()).add(id(node))
    assert all(len(ids) == 1 for ids in nodes.values())


def test_sharing_replaces_copies_in_place_and_keeps_types_and_order_apart() -> None:
    tree: dict[str, Any] = json.loads(
        '{"a": "TCP", "b": ["TCP", {"c": "TCP"}], "d": {"c": "TCP"}, "e": 5,'
        ' "f": [{"n": 1}, {"n": 1.0}, {"n": true}, {"n": 1}],'
        ' "g": [{"x": 1, "y": 2}, {"y": 2, "x": 1}, {"x": 1, "y": 2}], "h": [[], {}, [], {}]}'
    )
    values = _strings(tree)
    assert len({id(s) for s in values}) == 4, "json made four copies: nothing to share"
    copy = json.loads(json.dumps(tree))
    held = Shared().tree(tree)
    assert held is tree and _exact(tree) == _exact(copy)
    assert len({id(s) for s in _strings(tree)}) == 1
    assert tree["b"][1] is tree["d"]
    ones = tree["f"]
    assert ones[0] is ones[3] and len({id(n) for n in ones}) == 3  # 1, 1.0 and true apart
    assert [type(n["n"]) for n in ones] == [int, float, bool, int]
    pairs = tree["g"]  # equal mappings, but one iterates in another order
    assert pairs[0] is pairs[2] and pairs[1] is not pairs[0]
    assert list(pairs[1]) == ["y", "x"]
    assert tree["h"][0] is tree["h"][2] and tree["h"][1] is tree["h"][3]
    assert tree["h"][0] is not tree["h"][1]  # [] and {} are equal in nothing


def test_a_tree_equal_to_one_held_is_that_one() -> None:
    shared = Shared()
    first = shared.tree(json.loads('{"spec": {"replicas": 2}}'))
    assert shared.tree(json.loads('{"spec": {"replicas": 2}}')) is first
    other = shared.tree(json.loads('{"spec": {"replicas": 3}}'))
    assert other is not first and other == {"spec": {"replicas": 3}}


def test_nodes_deeper_than_any_manifest_are_kept_as_they_are() -> None:
    deep: Any = "leaf"
    for _ in range(300):  # past the nesting that is shared
        deep = {"a": [deep]}
    tree = {"one": json.loads(json.dumps(deep)), "two": json.loads(json.dumps(deep))}
    held = Shared().tree(tree)
    assert held == {"one": deep, "two": deep}
    assert held["one"] is not held["two"]  # equal, but past the shared depth


def test_a_body_is_decoded_when_first_read() -> None:
    encoded = EncodedBody(b'{"kind": ')  # never read: never decoded
    with pytest.raises(json.JSONDecodeError):
        encoded.get("kind")


def test_a_transient_decode_is_not_kept() -> None:
    encoded = EncodedBody(canonical_json({"kind": "Pod", "spec": {"a": [1]}}))
    first, second = encoded.transient(), encoded.transient()
    assert first == second == {"kind": "Pod", "spec": {"a": [1]}}
    assert first is not second  # each reader had a copy of its own: none was kept
    assert encoded["kind"] == "Pod"  # a read keeps the decode, which transient then serves
    assert encoded.transient() is encoded.transient()


@given(st.dictionaries(st.text(), json_values, max_size=8))
def test_a_deflated_body_reads_as_the_body_and_keeps_the_stored_bytes(
    body: dict[str, Any],
) -> None:
    data = canonical_json(body)
    deflated = DeflatedBody.of(data)
    assert deflated == body and deflated.transient() == body
    assert deflated.canonical() == data and deflated.size == len(data)
    assert deflated.data == deflate(data) and zlib.decompress(deflated.data) == data
    resource = Resource(ResourceKey("", "ConfigMap", "n", "a"), deflated, Origin("files", "x"))
    assert resource.canonical == data and not resource.data  # the bytes are held once


@given(st.binary(max_size=4096), st.integers(0, 4), st.booleans())
def test_what_deflate_writes_is_one_whole_zlib_stream_of_the_bytes(
    data: bytes, copies: int, bulk: bool
) -> None:
    """The store reads a cell as one RFC 1950 stream with zlib, whatever deflated it."""
    data = data * copies
    inflater = zlib.decompressobj()
    assert inflater.decompress(deflate(data, bulk=bulk)) == data
    assert inflater.eof and not inflater.unused_data


@given(st.binary(max_size=STORED_BELOW - 1))
def test_a_small_object_written_in_bulk_is_one_stored_block_as_zlib_writes_it(
    data: bytes,
) -> None:
    """Under STORED_BELOW bytes, the stream zlib's level 0 writes (RFC 1951 §3.2.4): the
    reference the hand-made one is held to."""
    assert deflate(data, bulk=True) == zlib.compress(data, 0)


def test_a_small_object_not_written_in_bulk_is_compressed() -> None:
    data = canonical_json({"kind": "ConfigMap", "data": {f"KEY_{i}": "value" for i in range(20)}})
    assert len(data) < STORED_BELOW
    assert deflate(data, bulk=True)[2] & 0b110 == 0  # BTYPE 00: stored
    assert deflate(data)[2] & 0b110 and len(deflate(data)) < len(data) // 2


@given(st.binary(min_size=1, max_size=64), st.integers(0, 2 * STORED_BELOW))
def test_an_object_from_stored_below_on_is_compressed_in_bulk_too(unit: bytes, extra: int) -> None:
    data = (unit * (STORED_BELOW // len(unit) + 1) + bytes(extra))[: STORED_BELOW + extra]
    written = deflate(data, bulk=True)
    assert written[2] & 0b110 and len(written) < len(data)  # BTYPE 01 or 10: compressed
    assert zlib.decompress(written) == data


contexts = st.dictionaries(st.text(), json_values, max_size=8)


@given(contexts)
def test_a_packed_context_reads_as_the_context_in_its_own_key_order(
    context: dict[str, Any],
) -> None:
    packed = PackedContext.of(context)
    decoded = packed.transient()
    assert decoded == context and packed == context
    # every mapping at every depth iterates as the one it was packed from did, not sorted
    assert json.dumps(decoded) == json.dumps(context)
    assert packed.canonical() == canonical_json(context)
    fresh = PackedContext.of(context)
    assert list(fresh) == list(context) and len(fresh) == len(context)
    assert all(facet in fresh for facet in context)
    assert ("not a facet" in fresh) == ("not a facet" in context)
    assert fresh._decoded is None  # its facets are known without decoding it


def test_a_context_orjson_cannot_encode_is_packed_by_the_standard_library() -> None:
    context = {"b": {2**64: 2**64, "a": 1}}  # a key and a value orjson refuses
    decoded = PackedContext.of(context).transient()
    assert decoded == {"b": {str(2**64): 2**64, "a": 1}} == json.loads(json.dumps(context))
    assert list(decoded["b"]) == [str(2**64), "a"]


def test_a_packed_component_is_the_component_and_is_read_without_being_kept() -> None:
    context = {"storage": {"mounts": {"web": {"/b": {}, "/a": {}}}}, "env": {"web": {"Z": 1}}}
    component = Component.of(
        id="k8s:Deployment/n/web", kind="Deployment", name="web", namespace="n",
        source="manifests", images=(parse_image("nginx:1"),), context=context,
    )  # fmt: skip
    packed = component.packed()
    assert isinstance(packed.context, PackedContext)
    assert json.dumps(packed.as_dict()) == json.dumps(component.as_dict())  # order too
    assert packed.facet_digests() == component.facet_digests()
    assert packed.read_context() is not packed.read_context()  # each reader decodes its own
    assert packed.context._decoded is None  # and none of it was kept
    assert "context" not in packed.as_dict(context=False)
    assert packed == component  # a read as a mapping keeps the decode, until released
    assert packed.context._decoded is not None


def test_a_packed_component_encodes_the_object_the_store_keeps() -> None:
    """Its context held in the order it was built, the object is still canonical: keys sorted."""
    component = Component.of(
        id="compose:p/web", kind="Service", name="web", namespace="p", source="compose",
        images=(), context={"env": {"web": {"B": {"value": "1"}, "A": {"value": 2.5}}}},
    )  # fmt: skip
    data = component.packed().encoded()
    assert data == canonical_json(component.as_dict()) == component.encoded()
    assert data.index(b'"A":{"value":2.5}') < data.index(b'"B":{"value":"1"}')


@given(st.lists(st.binary(max_size=3000), max_size=6))
def test_a_body_joined_from_pieces_is_the_body_of_their_bytes(pieces: list[bytes]) -> None:
    address, body = DeflatedBody.joined(pieces)
    data = b"".join(pieces)
    assert address == digest_bytes(data)
    assert body.size == len(data) and zlib.decompress(body.data) == data
