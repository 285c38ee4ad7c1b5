"""Ledger entries: canonical versioned JSON, parsed strictly."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stateward.errors import InputError, UsageError
from stateward.ledger import entry as entry_module
from stateward.ledger.entry import MAX_ENTRY, Entry, EntryType
from stateward.model.canonical import canonical_json

T0 = datetime(2026, 11, 26, 6, 40, tzinfo=UTC)
DIGEST = "sha256:" + "ab" * 32


def test_the_wire_form_is_canonical_json_with_the_version() -> None:
    entry = Entry(EntryType.OBSERVATION, "shop", T0, {"manifest": DIGEST})
    assert entry.encode() == (
        b'{"estate":"shop","objects":{"manifest":"' + DIGEST.encode() + b'"},'
        b'"time":"2026-11-26T06:40:00+00:00","type":"observation","v":1}'
    )
    assert Entry.decode(entry.encode()) == entry


def test_times_are_kept_in_utc() -> None:
    local = T0.astimezone(timezone(timedelta(hours=2)))
    entry = Entry(EntryType.POLICY, None, local, {})
    assert json.loads(entry.encode())["time"] == "2026-11-26T06:40:00+00:00"


@given(
    kind=st.sampled_from([t for t in EntryType if t is not EntryType.TOMBSTONE]),
    estate=st.one_of(st.none(), st.text(min_size=1, max_size=30)),
    seconds=st.integers(0, 10**9),
    names=st.lists(st.from_regex(r"[a-z][a-z0-9_.:/-]{0,20}", fullmatch=True), max_size=4),
)
def test_decode_inverts_encode(
    kind: EntryType, estate: str | None, seconds: int, names: list[str]
) -> None:
    entry = Entry(kind, estate, T0 + timedelta(seconds=seconds), dict.fromkeys(names, DIGEST))
    data = entry.encode()
    assert Entry.decode(data) == entry
    assert Entry.decode(data).encode() == data


@given(
    kind=st.sampled_from(list(EntryType)),
    estate=st.one_of(st.none(), st.text(min_size=1)),
    zone=st.integers(-12 * 60, 14 * 60),
    micro=st.integers(0, 10**6 - 1),
    names=st.lists(st.from_regex(r"[A-Za-z0-9_.:/-]{1,30}", fullmatch=True), max_size=5),
    reason=st.text(
        alphabet=st.characters(min_codepoint=0x20, exclude_categories=("Cs",)), min_size=1
    )
    .map(str.strip)
    .filter(bool),
)
def test_the_fast_encoding_is_the_canonical_json_of_the_document(
    kind: EntryType, estate: str | None, zone: int, micro: int, names: list[str], reason: str
) -> None:
    time = T0.replace(microsecond=micro).astimezone(timezone(timedelta(minutes=zone)))
    tombstone = kind is EntryType.TOMBSTONE
    objects = {"erased": DIGEST} if tombstone else dict.fromkeys(names, DIGEST)
    entry = Entry(kind, estate, time, objects, reason[:500] if tombstone else None)
    assert entry.encode() == canonical_json(entry.document())


@given(
    st.lists(
        st.tuples(
            st.sampled_from([EntryType.POLICY, EntryType.TOMBSTONE]),
            st.sampled_from([None, "shop", "shop-prod", 'é"\\']),
            st.integers(-(10**6), 10**6),
        ),
        max_size=12,
    )
)
def test_a_batch_encodes_each_entry_as_its_canonical_document(
    fields: list[tuple[EntryType, str | None, int]],
) -> None:
    """Estates quoted once a batch and seconds remembered across it: each leaf is still the
    canonical JSON of its own entry's document."""
    entries = [
        Entry(kind, estate, T0 + timedelta(milliseconds=ms), {"erased": DIGEST}, "x")
        if kind is EntryType.TOMBSTONE
        else Entry(kind, estate, T0 + timedelta(milliseconds=ms), {"policy": DIGEST})
        for kind, estate, ms in fields
    ]
    leaves = entry_module.encode_entries(entries)
    assert leaves == [canonical_json(entry.document()) for entry in entries]


def test_text_without_a_utf8_form_is_refused() -> None:
    with pytest.raises(UsageError, match="no UTF-8 form"):
        Entry(EntryType.POLICY, "\ud800", T0, {}).encode()


def _tampered(**changes: object) -> bytes:
    document = Entry(EntryType.EVIDENCE, "shop", T0, {"seal": DIGEST}).document()
    document.update(changes)
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not json", "not JSON"),
        (b"[]", "not a version 1 entry"),
        (_tampered(v=2), "not a version 1 entry"),
        (_tampered(extra=1), "fields must be"),
        (_tampered(type="gossip"), "not a valid entry: unknown type 'gossip'"),
        (_tampered(type=["observation"]), "not a valid entry: unknown type"),
        (_tampered(estate=["shop"]), "estate must be"),
        (
            _tampered(objects={"seal": "sha256:ABC"}),
            "not a valid entry: objects must map",
        ),
        (_tampered(objects=["x"]), "objects must map"),
        (_tampered(time="yesterday"), "not a valid entry"),
        (_tampered(time="2026-11-26T06:40:00"), "timezone-aware"),
        (_tampered(time="2026-11-26T08:40:00+02:00"), "not in canonical form"),
        (_tampered(estate=""), "estate must be"),
        (_tampered(reason="why"), "a reason is given with a tombstone"),
        (_tampered()[:-1] + b" }", "not in canonical form"),
        (b" " + _tampered(), "not in canonical form"),
        (b"x" * (MAX_ENTRY + 1), "larger than 65535 bytes"),
    ],
)
def test_malformed_entries_are_refused_with_the_reason(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        Entry.decode(data, source="entry 7")


def test_tombstones_carry_one_erased_object_and_a_one_line_reason() -> None:
    tomb = Entry(EntryType.TOMBSTONE, None, T0, {"erased": DIGEST}, "retention expired")
    assert Entry.decode(tomb.encode()).reason == "retention expired"
    for objects, reason in [
        ({"erased": DIGEST}, None),
        ({"erased": DIGEST}, "two\nlines"),
        ({"erased": DIGEST}, " padded"),
        ({"erased": DIGEST}, "x" * 501),
        ({"gone": DIGEST}, "why"),
        ({"erased": DIGEST, "other": DIGEST}, "why"),
    ]:
        with pytest.raises(UsageError, match="invalid ledger entry"):
            Entry(EntryType.TOMBSTONE, None, T0, objects, reason)


def test_an_entry_too_large_for_a_tile_bundle_is_refused() -> None:
    objects = {f"artefact-{i}": DIGEST for i in range(1000)}
    with pytest.raises(UsageError, match="at most 65535 fit a leaf"):
        Entry(EntryType.EVIDENCE, "shop", T0, objects).encode()


def test_entries_are_immutable() -> None:
    entry = Entry(EntryType.POLICY, None, T0, {"policy": DIGEST})
    with pytest.raises(TypeError):
        entry.objects["policy"] = DIGEST  # type: ignore[index]


_ENTRIES = st.builds(
    lambda kind, estate, micro, names, reason: Entry(
        kind,
        estate,
        T0.replace(microsecond=micro),
        {"erased": DIGEST} if kind is EntryType.TOMBSTONE else dict.fromkeys(names, DIGEST),
        reason if kind is EntryType.TOMBSTONE else None,
    ),
    st.sampled_from(list(EntryType)),
    st.one_of(st.none(), st.text(min_size=1, max_size=20)),
    st.sampled_from([0, 1, 999_999]) | st.integers(0, 10**6 - 1),
    st.lists(st.from_regex(r"[A-Za-z0-9_.:/-]{1,12}", fullmatch=True), max_size=4),
    st.text(st.characters(min_codepoint=0x20, exclude_categories=("Cs",)), min_size=1)
    .map(str.strip)
    .filter(lambda r: 0 < len(r) <= 500),
)


@given(_ENTRIES)
def test_the_fast_parse_reads_every_entry_without_escapes_as_the_full_parse(entry: Entry) -> None:
    data = entry.encode()
    fast = entry_module._canonical_document(data)
    needs_escapes = any(c in '"\\' or c < " " for c in (entry.estate or "") + (entry.reason or ""))
    assert (fast is None) == needs_escapes
    if fast is not None:
        assert fast == entry_module._parsed_document(data, "entry 1") == entry.document()


_EDITS = st.sampled_from(
    [
        b'"',
        b"\\",
        b"0",
        b"9",
        b"a",
        b"A",
        b",",
        b"}",
        b":",
        b".000000",
        b"\x00",
        b"\xc3\xa9",
        b"\xed\xa0\x80",
        b" ",
        b"+01:00",
        b'"erased"',
        b'"reason":"x",',
        b"-",
        b"T",
        b"\n",
    ]
)


def _edited(leaf: bytes, data: st.DataObject) -> bytes:
    """``leaf`` with up to three spans replaced by text from the grammar's own alphabet."""
    edited = bytearray(leaf)
    for _ in range(data.draw(st.integers(0, 3))):
        at = data.draw(st.integers(0, len(edited)))
        span = data.draw(st.integers(0, 8))
        edited[at : at + span] = data.draw(_EDITS)
    return bytes(edited)


@given(_ENTRIES, st.data())
def test_the_fast_parse_accepts_nothing_the_full_parse_refuses(
    entry: Entry, data: st.DataObject
) -> None:
    """Edit an entry's bytes (replace a span with text from the grammar's own alphabet, so
    edits land on the pattern's boundaries): whatever the fast path accepts, the full parse
    accepts too, with the same document."""
    leaf = _edited(entry.encode(), data)
    fast = entry_module._canonical_document(leaf)
    if fast is not None:
        assert entry_module._parsed_document(leaf, "entry 1") == fast


@given(st.lists(_ENTRIES, min_size=1, max_size=6), st.data())
def test_leaves_read_together_say_what_each_says_alone(
    entries: list[Entry], data: st.DataObject
) -> None:
    """``read_leaves`` (one match for the run, columns counted) against ``parse_entry`` of
    each leaf: the same types, first references, kept documents and refusals."""
    leaves = [
        _edited(e.encode(), data) if data.draw(st.booleans()) else e.encode() for e in entries
    ]
    types: dict[str, int] = {}
    references: dict[str, int] = {}
    documents: dict[int, dict[str, object]] = {}
    problems: dict[int, str] = {}
    for offset, leaf in enumerate(leaves):
        try:
            document = entry_module.parse_entry(leaf)
        except InputError as error:
            problems[offset] = error.reason
            continue
        types[document["type"]] = types.get(document["type"], 0) + 1
        for digest in document["objects"].values():
            references.setdefault(digest, offset)
        if document["type"] in ("tombstone", "observation"):
            documents[offset] = document
    together = entry_module.read_leaves(leaves)
    assert (together.types, together.references) == (types, references)
    assert (together.documents, together.problems) == (documents, problems)


@pytest.mark.parametrize(
    "leaf",
    [
        b'{"estate":null,"objects":{"b":"'
        + DIGEST.encode()
        + b'","a":"'
        + DIGEST.encode()
        + b'"},"time":"2026-11-26T06:40:00+00:00","type":"policy","v":1}',
        b'{"estate":null,"objects":{},"time":"2026-11-26T06:40:00.000000+00:00","type":"policy","v":1}',
        b'{"estate":null,"objects":{},"time":"2026-02-30T06:40:00+00:00","type":"policy","v":1}',
        b'{"estate":null,"objects":{},"reason":"x","time":"2026-11-26T06:40:00+00:00","type":"policy","v":1}',
        b'{"estate":null,"objects":{"erased":"'
        + DIGEST.encode()
        + b'"},"reason":" x","time":"2026-11-26T06:40:00+00:00","type":"tombstone","v":1}',
        b'{"estate":"\xed\xa0\x80","objects":{},"time":"2026-11-26T06:40:00+00:00","type":"policy","v":1}',
    ],
)
def test_the_fast_parse_leaves_non_canonical_leaves_to_the_full_parse(leaf: bytes) -> None:
    assert entry_module._canonical_document(leaf) is None
    with pytest.raises(InputError):
        Entry.decode(leaf)


_ZONES = st.builds(
    timezone, st.timedeltas(min_value=timedelta(hours=-23), max_value=timedelta(hours=23))
)


def _times(*times: datetime) -> list[str]:
    """The time each entry at ``times`` is written with, encoded in one batch."""
    leaves = entry_module.encode_entries([Entry(EntryType.POLICY, None, t) for t in times])
    return [json.loads(leaf)["time"] for leaf in leaves]


@given(st.datetimes(timezones=_ZONES), st.integers(0, 10**6 - 1))
def test_time_text_is_isoformat_in_utc_whatever_the_second_remembered(
    moment: datetime, micro: int
) -> None:
    try:
        time = moment.astimezone(UTC)
    except OverflowError:  # within a day of year 1 or 9999: no UTC datetime to write
        return
    entry_module._SECONDS.clear()
    other = time.replace(microsecond=micro)  # the same second, then remembered
    assert _times(time, other, time) == [time.isoformat(), other.isoformat(), time.isoformat()]
    assert _times(other) == [other.isoformat()]  # remembered from the batch before


def test_time_text_remembers_a_bounded_number_of_seconds() -> None:
    entry_module._SECONDS.clear()
    most = entry_module._MOST_SECONDS
    times = [T0 + timedelta(seconds=s, microseconds=s % 3) for s in range(most + 10)]
    assert _times(*times) == [t.isoformat() for t in times]
    assert 0 < len(entry_module._SECONDS) <= most


@pytest.mark.parametrize(
    "objects",
    [
        {"a": DIGEST, 'b":"' + DIGEST: DIGEST},  # a quote in a name: no second pair smuggled
        {"a": DIGEST + '","b":"' + DIGEST},
        {"a": DIGEST, "b": 42},
        {1: DIGEST},
        {"": DIGEST},
        {"a,b": DIGEST},
    ],
)
def test_objects_are_checked_pair_by_pair(objects: dict[object, object]) -> None:
    with pytest.raises(UsageError, match="objects must map names to sha256:<hex> digests"):
        Entry(EntryType.POLICY, None, T0, objects)  # type: ignore[arg-type]


_NEAR_NAMES = st.from_regex(r"[A-Za-z0-9_.:/\-\"\\ é]{0,6}", fullmatch=True)
_NEAR_DIGESTS = st.one_of(
    st.just(DIGEST),
    st.from_regex(r"sha256:[0-9a-fA-F\"]{62,66}", fullmatch=True),
    st.text(max_size=8),
)


@given(_NEAR_NAMES, _NEAR_DIGESTS, st.booleans())
def test_one_object_is_accepted_exactly_when_its_pair_matches(
    name: str, digest: str, twice: bool
) -> None:
    """The single-object path (its name checked apart, and remembered) accepts the pairs the
    one pattern for a pair accepts, and writes them the same, whether or not the name was
    seen before."""
    if twice:
        entry_module._listed({name: digest})
    valid = entry_module._ONE.fullmatch(f'"{name}":"{digest}"') is not None
    try:
        entry = Entry(EntryType.POLICY, None, T0, {name: digest})
    except UsageError:
        assert not valid
        return
    assert valid
    assert entry.encode() == canonical_json(entry.document())


def test_every_field_is_read_only() -> None:
    entry = Entry(EntryType.POLICY, "shop", T0, {"policy": DIGEST})
    for name in ("type", "estate", "time", "objects", "reason", "_listed"):
        with pytest.raises(AttributeError):  # FrozenInstanceError is one
            setattr(entry, name, getattr(entry, name))
    assert not hasattr(entry, "__dict__")  # slots: nothing else can be set either


@pytest.mark.parametrize("joined", [False, True])
def test_a_leaf_holding_a_line_break_is_refused_alone(joined: bool) -> None:
    """A line break inside a leaf (JSON escapes it: no canonical leaf holds one) with its time
    left whole: the leaves joined one a line are one line more than the leaves, and the leaf
    is refused as ``parse_entry`` refuses it, the others read together."""
    leaves = [
        Entry(EntryType.POLICY, "shop", T0 + timedelta(seconds=s), {"policy": DIGEST}).encode()
        for s in range(3)
    ]
    leaves[1] = leaves[1].replace(b'"shop"', b'"sh\nop"')
    with pytest.raises(InputError) as refused:
        entry_module.parse_entry(leaves[1])
    together = entry_module.read_leaves(leaves, b"\n".join(leaves) if joined else None)
    assert together.problems == {1: refused.value.reason}
    assert (together.types, together.references) == ({"policy": 2}, {DIGEST: 0})
