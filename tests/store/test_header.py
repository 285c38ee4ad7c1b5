"""Observation headers parse strictly: what is written reads back, anything else is refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stateward.errors import LedgerIntegrityError
from stateward.model.canonical import digest_bytes
from stateward.store.header import Header, expected_row, parse_header

_counts = st.dictionaries(st.sampled_from(["resources", "components", "errors"]), st.integers(0, 9))
headers = st.builds(
    Header,
    st.text(min_size=1, max_size=12),
    st.integers(1, 2**40),
    st.just("2026-11-26T06:40:00+00:00"),
    st.booleans(),
    _counts,
    st.just("sha256:" + "ab" * 32),
    st.integers(0, 16),
    st.booleans(),
)


@given(headers)
def test_a_header_reads_back_as_written(header: Header) -> None:
    data = header.encode()
    assert parse_header(data, digest_bytes(data)) == header
    row = expected_row(header, digest_bytes(data), 5)
    assert (row["seq"], row["complete"], row["entry"]) == (header.seq, int(header.complete), 5)


@given(headers, st.data())
def test_a_changed_byte_is_never_a_header(header: Header, data: st.DataObject) -> None:
    raw = bytearray(header.encode())
    at = data.draw(st.integers(0, len(raw) - 1))
    raw[at] = (raw[at] + data.draw(st.integers(1, 255))) % 256
    try:
        found = parse_header(bytes(raw), "x")
    except LedgerIntegrityError:
        return
    assert found != header  # a byte edit that still parses says something else, visibly


@pytest.mark.parametrize(
    "text",
    [
        b"{}",
        b"not json",
        b'{"v":1}',
        Header("e", 1, "t", True, {}, "m", 0, False).encode().replace(b'"seq":1', b'"seq":"1"'),
        Header("e", 1, "t", True, {}, "m", 0, False).encode().replace(b"{", b" {", 1),
    ],
)
def test_what_is_not_a_canonical_header_is_refused(text: bytes) -> None:
    with pytest.raises(LedgerIntegrityError, match="not a"):
        parse_header(text, "sha256:x")
