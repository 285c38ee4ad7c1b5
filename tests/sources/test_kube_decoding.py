"""An API answer is decoded into exactly what ``json.loads`` gives (the client's
:func:`~stateward.sources.kube.client.decoded`, orjson's decoder where it gives the same), on
text as servers write it: any spacing, key order and escapes, integers past 64 bits, floats of
every shape, and text orjson refuses (lone surrogates, a byte-order mark), which the
standard library reads. NaN, the infinities and numbers past a double's range, which JSON cannot
hold (RFC 8259 §6) and no API server writes, are not JSON: what is decoded is finite."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stateward.errors import InputError
from stateward.model.encoded import EncodedBody
from stateward.model.secrets import SecretKeeper
from stateward.sources.kube.client import ApiFailure, decoded
from stateward.sources.kube.discovery import ApiKind
from stateward.sources.kube.location import KubeTarget
from stateward.sources.kube.reader import ItemKind, Reader

KEEPER = SecretKeeper(b"k" * 32)

values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from([0.0, -0.0, 1e-5, 1.5e-7, 1e16, 5e-324, 1.7976931348623157e308])
    | st.text(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=30,
)


@given(values, st.booleans(), st.sampled_from([None, 0, 2]), st.booleans())
def test_an_answer_decodes_as_the_standard_library_decodes_it(
    value: Any, ascii_only: bool, indent: int | None, sort: bool
) -> None:
    data = json.dumps(value, ensure_ascii=ascii_only, indent=indent, sort_keys=sort).encode()
    # repr tells 1 from 1.0, -0.0 from 0.0 and an integer past 64 bits from a float
    assert repr(decoded(200, data)) == repr(json.loads(data))


@pytest.mark.parametrize(
    "data",
    [b'{"a": "\\ud800"}', b'\xef\xbb\xbf{"kind": "List"}',
     b'{"a": 1, "a": 2}', b"[18446744073709551616, 0.1000000000000000055511151231257827]"],
)  # fmt: skip
def test_text_orjson_refuses_or_reads_otherwise_is_the_standard_librarys(data: bytes) -> None:
    assert repr(decoded(200, data)) == repr(json.loads(data))


def test_what_is_not_json_is_an_api_failure_with_its_status() -> None:
    with pytest.raises(ApiFailure) as failed:
        decoded(502, b"<html>bad gateway</html>")
    assert failed.value.status == 502
    assert "not JSON" in failed.value.reason


@pytest.mark.parametrize("token", [b"NaN", b"-Infinity", b"Infinity", b"1E400", b"-1e400"])
@pytest.mark.parametrize("before", [b"", b"18446744073709551616, "])  # the fallback's too
def test_nan_and_infinities_are_not_json(token: bytes, before: bytes) -> None:
    with pytest.raises(ApiFailure) as failed:
        decoded(200, b'{"items": [' + before + token + b"]}")
    assert failed.value.status == 200 and "not JSON" in failed.value.reason


@pytest.mark.parametrize("held", [False, True])
def test_a_pages_objects_are_encoded_as_each_one_alone(held: bool) -> None:
    # a page's orjson texts are searched at once for a token the standard library writes
    # otherwise; the objects holding one, and only they, are encoded again
    kind = ApiKind("", "v1", "configmaps", "ConfigMap", True)
    target = KubeTarget.parse("kube://")
    reader = Reader(None, target, "kube://", KEEPER, [kind], None, [])  # type: ignore[arg-type]
    values = [1, 1.5e-7, "plain", 2e-05, "0.00002", {"a": 3e-9}, "1e-5", 0.5, "name-1"]
    items: list[dict[str, Any]] = [
        {"metadata": {"name": f"cm-{i}", "namespace": "default"}, "value": v}
        for i, v in enumerate(values)
    ]
    items.insert(3, {"metadata": {}})  # no identity: one error, as item by item
    errors: list[InputError] = []
    page = reader.page_resources(items, ItemKind("kube://", kind), errors, held)
    alone: list[InputError] = []
    each = [reader.item_resource(i, ItemKind("kube://", kind), alone, held) for i in items]
    assert [r.canonical for r in page] == [r.canonical for r in each if r is not None]
    assert [r.digest for r in page] == [r.digest for r in each if r is not None]
    assert len(page) == len(values) and [str(e) for e in errors] == [str(e) for e in alone]
    assert len(errors) == 1
    for resource, value in zip(page, values, strict=True):
        standard = json.dumps(dict(resource.read_body()), ensure_ascii=False, sort_keys=True,
                              separators=(",", ":"), allow_nan=False).encode()  # fmt: skip
        assert resource.canonical == standard
        assert isinstance(resource.body, EncodedBody) == held
        assert resource.read_body()["value"] == value
    assert b"1.5e-07" in page[1].canonical and b"2e-05" in page[3].canonical
