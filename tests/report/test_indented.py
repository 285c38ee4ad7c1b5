"""The C-made indented JSON text is the standard library's, byte for byte."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from stateward.model.finding import Severity
from stateward.model.streamed import Streamed
from stateward.report.indented import _SLICE, indented_pieces


def _stdlib(document: Any) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False, default=str)


def _ours(document: Any) -> str:
    return "".join(indented_pieces(document))


# every value JSON can hold and a few only Python's encoder takes: integers past 64 bits, keys
# that are integers (alone in their map: the encoder sorts keys, and cannot sort int and str),
# lone surrogates
_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
_keys = st.text(max_size=6)
_documents = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(_keys, inner, max_size=5)
        | st.dictionaries(st.integers(-5, 5), inner, max_size=3)
        | st.tuples(inner, inner)
    ),
    max_leaves=40,
)


@settings(max_examples=400, deadline=None)
@given(_documents)
def test_any_document_is_written_as_the_standard_library_writes_it(document: Any) -> None:
    assert _ours(document) == _stdlib(document)


@settings(max_examples=10, deadline=None)
@given(
    st.lists(_scalars | st.lists(_scalars, max_size=3), min_size=_SLICE + 1, max_size=3 * _SLICE),
    st.data(),
)
def test_large_containers_written_a_slice_at_a_time_are_the_same_text(
    members: list[Any], data: st.DataObject
) -> None:
    # a large list and a large map at the top, and one under a small map, are written a slice
    # of members at a time: the brackets and separators between slices are ours, not orjson's
    keys = data.draw(st.lists(_keys, min_size=len(members), max_size=len(members), unique=True))
    mapping = dict(zip(keys, members, strict=True))
    document = {"list": members, "map": mapping, "small": {"inner": {"list": members}}}
    pieces = list(indented_pieces(document))
    assert len(pieces) >= 3 * 2 + 4  # at least two slices for each large container
    assert "".join(pieces) == _stdlib(document)


@given(st.floats(min_value=1e-12, max_value=1e-3) | st.floats(min_value=-1e-3, max_value=-1e-12))
def test_small_floats_are_written_as_python_writes_them(value: float) -> None:
    # orjson writes 1.5e-7 and 0.00002; Python 1.5e-07 and 2e-05
    document = {"a": value, "b": [value, "1.5e-7", 'x": 1.5e-7'], "c": value}
    assert _ours(document) == _stdlib(document)
    assert _ours(value) == repr(value)


@dataclass(frozen=True)
class _Point:
    x: int


def test_what_json_cannot_hold_goes_to_str_and_enums_are_their_values() -> None:
    when = datetime(2026, 12, 4, 22, 0, tzinfo=UTC)
    document = {
        "when": when, "point": _Point(3), "set": {1}, "severity": Severity.HIGH,
        "surrogate": "a\udc9b", "deep": [[[[[[[[[[[1]]]]]]]]]]] * 30,
    }  # fmt: skip
    text = _ours(document)
    assert text == _stdlib(document)
    assert '"when": "2026-12-04 22:00:00+00:00"' in text
    assert '"severity": "high"' in text


def test_nesting_past_orjsons_limit_is_written_by_the_standard_library() -> None:
    document: list[Any] = []
    for _ in range(300):
        document = [document]
    assert _ours(document) == _stdlib(document)


def test_a_number_json_cannot_hold_is_null() -> None:
    # documented difference: the standard library writes the non-JSON token NaN (RFC 8259 §6)
    assert _ours({"x": math.nan}) == '{\n  "x": null\n}'
    assert _stdlib({"x": math.nan}) == '{\n  "x": NaN\n}'


@settings(max_examples=200, deadline=None)
@given(st.lists(_documents, max_size=3 * _SLICE), st.integers(0, 2))
def test_a_streamed_list_is_written_as_the_list_it_stands_for(
    members: list[Any], depth: int
) -> None:
    # at the top, under a small map (written member by member) and deeper (written whole)
    streamed: Any = Streamed(members, lambda member: [member])
    plain: Any = [[member] for member in members]
    for _ in range(depth):
        streamed, plain = {"in": streamed, "n": 1}, {"in": plain, "n": 1}
    assert _ours(streamed) == _stdlib(plain)


def test_a_streamed_list_makes_its_members_a_slice_at_a_time() -> None:
    made: list[int] = []

    def member(n: int) -> dict[str, int]:
        made.append(n)
        return {"n": n}

    pieces = indented_pieces({"entries": Streamed(range(10 * _SLICE), member), "other": 1})
    text = next(pieces) + next(pieces)  # the key, then the first slice
    assert made == list(range(_SLICE)), "members made before they were written"
    text += "".join(pieces)
    assert made == list(range(10 * _SLICE))
    assert json.loads(text)["entries"][-1] == {"n": 10 * _SLICE - 1}
