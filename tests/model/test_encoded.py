"""A body kept as its canonical bytes reads as the body itself."""

from __future__ import annotations

import json
import zlib
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stateward.model.canonical import canonical_json
from stateward.model.encoded import LARGE_OBJECT, DeflatedBody, EncodedBody, deflate
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
    assert deflated.data == deflate(data) == zlib.compress(data, 3)  # the store's level
    resource = Resource(ResourceKey("", "ConfigMap", "n", "a"), deflated, Origin("files", "x"))
    assert resource.canonical == data and not resource.data  # the bytes are held once


def test_a_large_body_is_deflated_at_the_level_of_large_artefacts() -> None:
    data = canonical_json({"data": "x" * LARGE_OBJECT})
    assert DeflatedBody.of(data).data == zlib.compress(data, 1) != zlib.compress(data, 3)
