"""A finding's stored form is written without canonical_json's float checks (``floats=False``,
:func:`stateward.store.store._manifest_of`): its dict holds no float, so the bytes are the
standard library's whatever its texts read like (nulls, ``e-5``, ``0.00001``)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from tests.model.test_canonical import standard_library, texts

from stateward.model.canonical import canonical_json
from stateward.model.finding import Finding, Severity

findings = st.builds(
    Finding,
    texts,
    st.sampled_from(list(Severity)),
    texts,
    st.none() | texts,
    st.none() | texts,
    texts,
    texts,
    st.lists(texts, max_size=3).map(tuple),
)


@given(st.lists(findings, max_size=4))
def test_findings_encode_as_the_standard_library_writes_them(items: list[Finding]) -> None:
    value = [f.as_dict() for f in items]
    assert not any(type(v) is float for d in value for v in d.values())
    assert canonical_json(value, floats=False) == standard_library(value)
