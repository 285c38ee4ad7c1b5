"""Canonical form: one encoding, stable digests, distinct types stay distinct."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stateward.errors import CanonicalError
from stateward.model.canonical import canonical_json, decoded, digest

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=30,
)


@given(json_values)
def test_round_trip(value: Any) -> None:
    assert json.loads(canonical_json(value)) == value


@given(st.dictionaries(st.text(), json_values, min_size=2, max_size=8))
def test_key_order_never_changes_the_digest(mapping: dict[str, Any]) -> None:
    reordered = dict(reversed(list(mapping.items())))
    assert canonical_json(reordered) == canonical_json(mapping)
    assert digest(reordered) == digest(mapping)


@given(json_values)
def test_encoding_is_its_own_fixed_point(value: Any) -> None:
    text = canonical_json(value)
    assert canonical_json(json.loads(text)) == text


def test_one_integer_float_and_string_are_three_values() -> None:
    digests = {digest(1), digest(1.0), digest("1")}
    assert len(digests) == 3
    assert canonical_json({"a": [1, 1.0, "1", True]}) == b'{"a":[1,1.0,"1",true]}'


def test_known_answer_is_stable_across_machines() -> None:
    # Pinned: if this changes, every stored fingerprint changes with it.
    value = {"b": [1, 2.5, None], "a": "é", "c": {"z": True, "y": False}}
    assert canonical_json(value) == '{"a":"é","b":[1,2.5,null],"c":{"y":false,"z":true}}'.encode()
    # The digest pinned too (sha256sum of the line above, computed outside Python).
    assert (
        digest(value) == "sha256:273e18e0d87c2243159594871e239684e99462eaa778bd4b9a834a6ba6e97cb3"
    )


def test_unicode_is_kept_as_utf8_not_escaped() -> None:
    assert canonical_json("日本\u2014") == '"日本—"'.encode()


@pytest.mark.parametrize("bad", [math.nan, math.inf, {"set": {1, 2}}, {"bytes": b"x"}])
def test_values_without_a_canonical_form_are_refused(bad: Any) -> None:
    with pytest.raises(CanonicalError, match="no canonical JSON form"):
        canonical_json(bad)


def test_cycles_are_refused() -> None:
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(CanonicalError):
        canonical_json(loop)


big_json_values = st.recursive(
    json_values | st.integers() | st.integers(min_value=2**63 - 2, max_value=2**64 + 2),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=30,
)


@given(big_json_values)
def test_decoded_is_what_the_standard_library_decodes(value: Any) -> None:
    data = canonical_json(value)
    # repr tells 1 from 1.0 and an integer past 64 bits from the float orjson would make
    assert repr(decoded(data)) == repr(json.loads(data))
    assert canonical_json(decoded(data)) == data


def test_decoded_leaves_long_integers_and_bad_json_to_the_standard_library() -> None:
    assert decoded(b"[18446744073709551616]") == [2**64]
    assert type(decoded(b"[18446744073709551616]")[0]) is int
    with pytest.raises(json.JSONDecodeError):
        decoded(b'{"kind": ')
