"""Canonical form: one encoding, stable digests, distinct types stay distinct."""

from __future__ import annotations

import json
import math
import re
import tracemalloc
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stateward.errors import CanonicalError
from stateward.model import canonical
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


def standard_library(value: Any) -> bytes:
    """The canonical text as the standard library's encoder alone makes it: the reference
    orjson's text is held to."""
    return json.dumps(
        value, ensure_ascii=False, allow_nan=False, sort_keys=True, separators=(",", ":")
    ).encode("utf-8")


# floats of every shape repr writes: exponents of one and two digits either side, the
# 1e-5..1e-4 band orjson writes out, integral floats past 1e16
floats = (
    st.floats(allow_nan=False, allow_infinity=False)
    | st.floats(min_value=1e-10, max_value=1e-3)
    | st.floats(min_value=1e15, max_value=1e23)
    | st.sampled_from([0.0, -0.0, 1e-5, 2e-05, 1.5e-7, 1e16, 5e-324, 1.7976931348623157e308])
)
# text with escapes, control characters and the words the fallback looks for
texts = st.text() | st.sampled_from(["null", "e-5", "x0.00001", '"\\\n\x00\x1f\x7f\u2028'])
wide_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | floats
    | texts,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.tuples(inner, inner)
        | st.dictionaries(texts, inner, max_size=5)
    ),
    max_leaves=40,
)


@given(wide_values)
def test_the_bytes_are_the_standard_librarys(value: Any) -> None:
    assert canonical_json(value) == standard_library(value)


@given(st.lists(floats, min_size=1, max_size=20))
def test_every_float_is_written_as_repr_writes_it(numbers: list[float]) -> None:
    assert canonical_json(numbers) == ("[" + ",".join(map(repr, numbers)) + "]").encode()


@pytest.mark.parametrize(
    "value",
    [
        {"big": 2**64, "small": -(2**63) - 1},  # past 64 bits: orjson refuses them
        {1: "a", 2: "b"},  # keys that are not str: the standard library writes them as text
    ],
)
def test_what_orjson_refuses_is_written_by_the_standard_library(value: Any) -> None:
    assert canonical_json(value) == standard_library(value)


def test_deep_nesting_past_orjsons_limit() -> None:
    deep: Any = 1
    for _ in range(300):
        deep = [deep]
    assert canonical_json(deep) == standard_library(deep)


def test_subclasses_are_encoded_by_the_standard_librarys_rules() -> None:
    class Name(str):
        pass

    class Fields(dict[str, Any]):
        pass

    value = Fields(b=Name("x"), a=[Name("y")])
    assert canonical_json(value) == b'{"a":["y"],"b":"x"}' == standard_library(value)


@pytest.mark.parametrize(
    "bad", [math.nan, -math.inf, {"a": [1, math.inf]}, {"a": {"b": math.nan}}, [None, math.nan]]
)
def test_nan_and_infinities_are_refused_wherever_they_are(bad: Any) -> None:
    # orjson would write null for them: the standard library's refusal stands
    with pytest.raises(CanonicalError, match="no canonical JSON form"):
        canonical_json(bad)


@pytest.mark.parametrize("bad", ["\ud800", {"a": "x\udfff"}, {"\ud800": 1}])
def test_lone_surrogates_are_refused(bad: Any) -> None:
    with pytest.raises(CanonicalError, match="no canonical JSON form"):
        canonical_json(bad)


def test_the_bytes_hold_no_more_memory_than_their_length() -> None:
    # a watch holds thousands of objects as their canonical bytes between batches
    values = [{"kind": "ConfigMap", "data": {"INDEX": str(i)}} for i in range(200)]
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        encoded = [canonical_json(value) for value in values]
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert held < 2 * sum(len(data) + 40 for data in encoded)


@given(st.binary(max_size=40) | st.text(st.sampled_from("0123456789.e-[], a"), max_size=60))
def test_long_digit_runs_are_found_as_the_regex_finds_them(text: bytes | str) -> None:
    # the texts decoded() leaves to the standard library: a run of 19 digits, wherever it is
    data = text.encode() if isinstance(text, str) else text
    assert canonical._long_digits(data) == (re.search(rb"[0-9]{19}", data) is not None)


@given(st.binary(max_size=40) | st.text(st.sampled_from("0123456789e-,]}x"), max_size=60))
def test_short_exponents_are_found_as_the_lookbehind_finds_them(text: bytes | str) -> None:
    # the pattern with its lookbehind is the definition; the digit is looked at apart for speed,
    # after a first "e-" that no digit precedes too
    data = text.encode() if isinstance(text, str) else text
    defined = re.search(rb"(?<=[0-9])e-[1-9](?![^,\]}])", data) is not None
    assert canonical._short_exponent(data) == defined


texts_of_tokens = st.binary(max_size=30) | st.text(
    st.sampled_from("0123456789.e-,]}x"), max_size=40
).map(str.encode)


@given(st.lists(texts_of_tokens, max_size=6))
def test_texts_searched_joined_may_differ_as_one_of_them_does(texts: list[bytes]) -> None:
    # a list page's objects are searched at once: a token at a text's end or start, or two
    # texts that end and start alike, neither found nor missed for being joined
    each = any(canonical._may_differ(text, None, True) for text in texts)
    assert canonical.finite_texts_may_differ(texts) == each
    assert canonical.finite_texts_may_differ(iter(texts)) == each


@pytest.mark.parametrize(
    ("texts", "found"),
    [([b"1e-5"], True), ([b"[1e-5", b"]"], True), ([b"[1", b"e-5]"], False),
     ([b"1e-", b"5"], False), ([b"0.00", b"00"], False), ([b"1e-5x"], False), ([], False)],
)  # fmt: skip
def test_texts_joined_at_their_ends(texts: list[bytes], found: bool) -> None:
    each = any(canonical._may_differ(text, None, True) for text in texts)
    assert canonical.finite_texts_may_differ(texts) == each == found


def test_a_short_exponent_after_a_name_that_reads_like_one() -> None:
    value = {"a": "le-5,", "b": 1.5e-7}
    assert canonical_json(value) == standard_library(value) == b'{"a":"le-5,","b":1.5e-07}'


def test_names_that_read_like_an_exponent_are_written_by_orjson(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # "service-1" holds "e-1": taken for a float's exponent, a scan's manifest (which names
    # every object) went to the standard library, the record step's memory peak
    fallen: list[Any] = []
    monkeypatch.setattr(canonical, "_standard", lambda v: fallen.append(v) or standard_library(v))
    # and a uid's "…39e-4f1d…": a digit before "e-4", a letter after it (one uid in 25)
    names = {"vote-7": ["ns-000/service-1", "bd82f7e2-wece-4c01"],
             "uid": "a1b2c39e-4f1d-8e2a-b3c4-d5e6f7a8b9c0"}  # fmt: skip
    assert canonical_json(names) == standard_library(names)
    assert fallen == []
    assert canonical_json([1.5e-7, 2e-05]) == b"[1.5e-07,2e-05]"
    # a float's short exponent ends its token: at the text's end, before "," "]" or "}"
    assert canonical_json(1e-7) == b"1e-07"
    assert canonical_json({"a": 3e-9, "b": [1e-8]}) == b'{"a":3e-09,"b":[1e-08]}'
    assert len(fallen) == 3


@given(wide_values)
def test_a_finite_values_bytes_are_the_standard_librarys(value: Any) -> None:
    # finite: no null read back; the floats' and exponents' checks stand
    assert canonical_json(value, finite=True) == standard_library(value)


@pytest.mark.parametrize("token", [b"NaN", b"Infinity", b"-Infinity", b"1E400"])
@pytest.mark.parametrize("long", [b"", b"18446744073709551616, "])
def test_decoded_refuses_nan_and_infinities_either_way(token: bytes, long: bytes) -> None:
    # a run of 19 digits sends the text to the standard library, which reads them unless told
    data = b'{"a": [' + long + token + b"]}"
    with pytest.raises(ValueError, match="not JSON|past a double|unexpected character|infinity"):
        decoded(data)


def test_finite_trusts_the_caller() -> None:
    # what finite skips: a NaN given as finite is written as orjson writes it; callers pass
    # finite only for what decoded() made (it refuses NaN), changed by adding strings
    assert canonical_json([math.nan, None], finite=True) == b"[null,null]"
    with pytest.raises(CanonicalError):
        canonical_json([math.nan, None])


floatless_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**64 - 1) | texts,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(texts, inner, max_size=5),
    max_leaves=40,
)


@given(floatless_values, st.integers(min_value=1, max_value=3))
def test_a_floatless_values_bytes_are_the_standard_librarys(value: Any, size: int) -> None:
    # floats=False: orjson's text is not searched; the texts that read like a float token
    # ("e-5", "x0.00001") and the nulls are written alike by both encoders
    assert canonical_json(value, floats=False) == standard_library(value)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(canonical, "SLICE", size)
        pieces = list(canonical.canonical_pieces(value, finite=True, floats=False))
    assert b"".join(pieces) == standard_library(value)


def test_floats_false_trusts_the_caller() -> None:
    # what floats=False skips: a float given anyway is written as orjson writes it
    assert canonical_json([1e-05, 2e-07], floats=False) == b"[0.00001,2e-7]"
    assert canonical_json([1e-05, 2e-07]) == b"[1e-05,2e-07]"


@given(wide_values, st.integers(min_value=1, max_value=3))
def test_the_pieces_join_to_the_canonical_bytes(value: Any, size: int) -> None:
    """Objects of more than ``size`` members (or holding one) are written in slices of as
    many: the bytes are those of one call, whatever mix of orjson's and the standard library's
    texts the slices take."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(canonical, "SLICE", size)
        pieces = list(canonical.canonical_pieces(value))
    assert b"".join(pieces) == canonical_json(value)


def test_a_large_object_is_written_in_slices() -> None:
    """A manifest-like document: its large maps never written whole, its bytes the same."""
    names = {f"apps|Deployment|ns-{i % 7}|web-{i}": [f"sha256:{i:064x}", "manifests"]
             for i in range(2 * canonical.SLICE + 1)}  # fmt: skip
    document = {"v": 3, "full": {"resources": names, "unseen": {}}, "errors": []}
    pieces = list(canonical.canonical_pieces(document))
    assert b"".join(pieces) == canonical_json(document)
    assert max(map(len, pieces)) < len(canonical_json(names)) / 2


class _Key(str):
    pass


@given(st.booleans(), st.lists(texts, max_size=3), st.integers(min_value=1, max_value=3))
def test_the_pieces_of_an_object_whose_keys_are_not_all_str_are_the_standard_librarys(
    numbered: bool, others: list[str], size: int
) -> None:
    """An object whose keys are not all exactly ``str`` (ints; or a str subclass among them),
    even where such a key holds a large object, is written by the standard library's rules,
    as one call writes it (an int key quoted, int keys sorted as numbers): written in pieces,
    an int key's large member would read ``0:{…}``."""
    large = {f"m{i}": [i] for i in range(size + 1)}
    inner: dict[Any, Any] = (
        {i: large if i == 1 else [i, "x"] for i in range(size + 2)}
        if numbered
        else {"k": [0], _Key("j"): large, **{_Key(o): "o" for o in others}}
    )
    value = {"inner": inner, "names": {f"n{i}": i for i in range(size + 2)}}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(canonical, "SLICE", size)
        pieces = list(canonical.canonical_pieces(value))
    assert b"".join(pieces) == canonical_json(value) == standard_library(value)
