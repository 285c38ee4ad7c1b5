"""Ledger entries: the bytes of each leaf, a canonical, versioned JSON document.

A leaf commits to content by hash only: the entry names its objects by digest, and the objects
live in the object store. So an object can be erased (a tombstone entry, then the object is
deleted) while every leaf, and so every inclusion and consistency proof (RFC 9162 §2.1.3,
§2.1.4), stays as it was: erasing content never rewrites the append-only log.

Wire form, version 1 (canonical JSON, :mod:`stateward.model.canonical`)::

    {"estate":"shop","objects":{"manifest":"sha256:…"},"time":"2026-11-26T06:40:00+00:00",
     "type":"observation","v":1}

with ``"reason"`` on tombstones only. ``v`` is the first key read: a reader refuses versions it
does not know, the way ``go.sum database tree`` reserves its first line. Entries are at most
65,535 bytes, the largest a C2SP tlog-tiles entry bundle can hold.
"""

from __future__ import annotations

import enum
import json
import re
from collections import Counter, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from stateward.errors import InputError, UsageError
from stateward.model.canonical import canonical_json

__all__ = [
    "MAX_ENTRY",
    "MAX_REASON",
    "VERSION",
    "Entry",
    "EntryType",
    "Leaves",
    "encode_entries",
    "parse_entry",
    "read_leaves",
]

VERSION = 1
MAX_ENTRY = 0xFFFF  # C2SP tlog-tiles §Log entries: uint16 length prefix
MAX_REASON = 500
_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
_NAME = re.compile(r"[A-Za-z0-9_.:/-]{1,128}")
_KEYS = frozenset({"v", "type", "estate", "time", "objects"})
_PAIR = f'"{_NAME.pattern}":"{_DIGEST.pattern}"'
_ONE = re.compile(_PAIR)
"""One object as a leaf lists it: its name and digest, quoted."""


class EntryType(enum.StrEnum):
    """What a leaf records."""

    OBSERVATION = "observation"
    """An observation of an estate; ``objects.manifest`` is its manifest."""
    EVIDENCE = "evidence"
    """A sealed evidence bundle; ``objects.seal`` is its seal."""
    POLICY = "policy"
    """A policy (parity, ignore rules) as it was set."""
    CHANGE = "change"
    """A recorded change or decision about one."""
    TOMBSTONE = "tombstone"
    """An object was erased; ``objects.erased`` names it, ``reason`` says why."""
    KEY = "key"
    """The store's secret-digest key was rotated; ``objects.key`` is a document of the old and
    new key ids (fingerprints, never keys). Secret digests on either side do not compare."""


_TYPES = frozenset(t.value for t in EntryType)
_TOMBSTONE_TYPE = EntryType.TOMBSTONE  # a member read from its class costs a lookup each time
_TYPE_FIELD = {t: f'"type":"{t.value}","v":{VERSION}' for t in EntryType}
"""The last two fields of each type's entry, written once (``"v"`` sorts after ``"type"``)."""
_quote = json.encoder.encode_basestring


_NO_OBJECTS: Mapping[str, str] = MappingProxyType({})
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SECONDS: dict[int, str] = {}
"""``YYYY-MM-DDTHH:MM:SS`` of the whole seconds entries were last written at, by seconds since
:data:`_EPOCH`: entries appended together mostly share their second."""
_MOST_SECONDS = 4096


def _new_second(time: datetime, second: int) -> str:
    """``time.isoformat()`` of a UTC datetime in a whole ``second`` (since :data:`_EPOCH`)
    not remembered: written as ``isoformat`` writes it, and the second remembered for the
    entries after it (:func:`encode_entries` adds the microseconds to it)."""
    if len(_SECONDS) >= _MOST_SECONDS:
        _SECONDS.clear()
    text = time.isoformat()
    _SECONDS[second] = text[:19]
    return text


_DIGITS = [f"{n:03d}" for n in range(1000)]
"""Each number below 1,000 in three digits."""


@dataclass(frozen=True, slots=True, init=False)
class Entry:
    """One ledger entry (a leaf's content before hashing, RFC 9162 §2.1.1 ``d(m)``)."""

    type: EntryType
    estate: str | None
    """The estate it concerns, or None for store-wide entries (policies, tombstones)."""
    time: datetime
    """When it happened (kept in UTC); not a trusted timestamp, the log order is."""
    objects: Mapping[str, str]
    """Names to object digests (``sha256:<hex>``): what the entry commits to."""
    reason: str | None
    """Why an object was erased (tombstones only). Kept forever: no personal data."""
    _listed: str = field(repr=False, compare=False)
    """The objects' part of the leaf (:func:`_listed`), written while checking them."""

    def __init__(
        self,
        type: EntryType,  # noqa: A002 - the field's name
        estate: str | None,
        time: datetime,
        objects: Mapping[str, str] = _NO_OBJECTS,
        reason: str | None = None,
    ) -> None:
        """Check the fields as strictly as a parsed leaf's (:func:`_problem`) and keep them.

        Written out, not generated: each field is set once (a generated ``__init__`` and a
        ``__post_init__`` set the objects, the time and the listed text twice), in slots:
        building the entries was most of what a caller of ``append`` waited for (measured by
        ``bench/bench_ledger.py``)."""
        listed = _listed(objects)
        problem = _problem(type, estate, time, objects, reason, listed)
        if problem:
            raise UsageError(f"invalid ledger entry: {problem}")
        _set_type(self, type)
        _set_estate(self, estate)
        # most are built in UTC: nothing to convert
        _set_time(self, time if time.tzinfo is UTC else time.astimezone(UTC))
        _set_objects(self, MappingProxyType(dict(objects)))
        _set_reason(self, reason)
        _set_listed(self, listed)  # encode() only adds to it

    def document(self) -> dict[str, Any]:
        """The JSON document of the entry."""
        document: dict[str, Any] = {
            "v": VERSION,
            "type": str(self.type),
            "estate": self.estate,
            "time": self.time.isoformat(),  # UTC since __post_init__
            "objects": dict(self.objects),
        }
        if self.reason is not None:
            document["reason"] = self.reason
        return document

    def encode(self) -> bytes:
        """The leaf bytes: canonical JSON of :meth:`document` (:func:`encode_entries`)."""
        return encode_entries((self,))[0]

    @classmethod
    def decode(cls, data: bytes, *, source: str = "ledger entry") -> Entry:
        """Parse leaf bytes strictly: version 1, known fields only, in canonical form."""
        document = parse_entry(data, source=source)
        return cls(
            EntryType(document["type"]),
            document["estate"],
            datetime.fromisoformat(document["time"]),
            document["objects"],
            document.get("reason"),
        )


# A frozen dataclass's fields are set past its __setattr__, here by their slots' own setters:
# half the time of object.__setattr__ each, six times an entry.
_set_type, _set_estate, _set_time, _set_objects, _set_reason, _set_listed = (
    Entry.__dict__[name].__set__
    for name in ("type", "estate", "time", "objects", "reason", "_listed")
)


def encode_entries(entries: Iterable[Entry]) -> list[bytes]:
    """The leaf bytes of each entry: canonical JSON of its :meth:`Entry.document`, spelled out
    for this one shape (the ledger's hot path); a property test holds the two equal.

    One loop for a batch (``Ledger.append``), each estate quoted once, the time written in
    it: ``isoformat`` was half of an encoding, so each whole second's text is written once and
    the microseconds added (none when zero, as ``isoformat`` does; subtracting a datetime in
    the same zone reads no offset). Batches of 1,000 took 578-608 ns of CPU an entry against
    627-654 with an ``encode`` call each (medians of 7 rounds, 3 runs interleaved, load 8)."""
    quoted: dict[str, str] = {}
    leaves: list[bytes] = []
    put, seconds, digits, fields = leaves.append, _SECONDS, _DIGITS, _TYPE_FIELD
    for entry in entries:
        if entry.estate is None:
            estate = "null"
        elif not (estate := quoted.get(entry.estate, "")):  # quoted: never empty
            estate = quoted[entry.estate] = _quote(entry.estate)
        since = entry.time - _EPOCH  # days may be negative; seconds and microseconds never are
        second, micro = since.days * 86_400 + since.seconds, since.microseconds
        if (whole := seconds.get(second)) is None:  # a second not seen lately
            time = _new_second(entry.time, second)
        elif micro:  # six digits as two of three, looked up: %06d took twice as long
            time = f"{whole}.{digits[micro // 1000]}{digits[micro % 1000]}+00:00"
        else:
            time = whole + "+00:00"
        reason = "" if entry.reason is None else f',"reason":{_quote(entry.reason)}'
        text = (  # keys in code point order: estate, objects, reason, time, type, v
            f'{{"estate":{estate},"objects":{{{entry._listed}}}{reason},'
            f'"time":"{time}",{fields[entry.type]}}}'
        )
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            raise UsageError("invalid ledger entry: text has no UTF-8 form") from None
        if len(data) > MAX_ENTRY:
            raise UsageError(f"ledger entry is {len(data)} bytes; at most {MAX_ENTRY} fit a leaf")
        put(data)
    return leaves


def parse_entry(data: bytes, *, source: str = "ledger entry") -> dict[str, Any]:
    """Check leaf bytes as strictly as :meth:`Entry.decode` and return their JSON document,
    without building an Entry: ``ledger verify`` calls this once per leaf."""
    if len(data) > MAX_ENTRY:
        raise InputError(source, f"larger than {MAX_ENTRY} bytes")
    return _canonical_document(data) or _parsed_document(data, source)


def _parsed_document(data: bytes, source: str) -> dict[str, Any]:
    """:func:`parse_entry` the long way, which names what is wrong: parse the JSON, check
    every field, and require the text to be the canonical JSON of what was parsed."""
    try:
        document = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError):
        raise InputError(source, "not JSON") from None
    if not isinstance(document, dict) or document.get("v") != VERSION:
        raise InputError(source, f"not a version {VERSION} entry")
    keys = set(document)
    if not _KEYS <= keys or keys - _KEYS - {"reason"}:
        raise InputError(source, f"fields must be {', '.join(sorted(_KEYS))} (and reason)")
    problem = _document_problem(document)
    if problem:
        raise InputError(source, f"not a valid entry: {problem}")
    if canonical_json(document) != data:  # canonical text of a parsed value is unique
        raise InputError(source, "not in canonical form")
    return document


_PLAIN = r'[^"\\\x00-\x1f]'  # a character JSON writes as itself (json.encoder's ESCAPE)
_PAIRS = re.compile(f'"({_NAME.pattern})":"({_DIGEST.pattern})"')
_TIME = r'"time":"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.(?!000000)\d{6})?\+00:00)"'
"""The time field, its value caught: no zero fraction, as ``isoformat`` writes it."""
_CANONICAL = re.compile(  # the first object's name and digest caught apart: most have one
    rf'\{{"estate":(?:null|"({_PLAIN}+)"),'
    rf'"objects":\{{(?:"({_NAME.pattern})":"({_DIGEST.pattern})"((?:,{_PAIR})*))?\}}'
    rf'(?:,"reason":"({_PLAIN}{{1,{MAX_REASON}}})")?,{_TIME},'
    rf'"type":"({"|".join(sorted(_TYPES))})","v":{VERSION}\}}',
    re.ASCII,  # \d is 0-9 only
)
"""A version 1 entry as :meth:`Entry.encode` writes it, with strings that need no escapes."""


_TIMES = re.compile(_TIME, re.ASCII)
_BLANK_TIME = '"time":""'
_SHAPE = re.compile(_CANONICAL.pattern.replace(_TIME, '"time":"()"', 1), re.ASCII)
"""A leaf's shape: :data:`_CANONICAL` with its time left out (an empty group in its place)."""


@dataclass
class Leaves:
    """What a run of leaves says, read together by :func:`read_leaves`; leaves are named by
    their offset in the run."""

    types: dict[str, int] = field(default_factory=dict)
    """How many valid leaves of each type."""
    references: dict[str, int] = field(default_factory=dict)
    """Object digest to the first valid leaf that names it."""
    documents: dict[int, dict[str, Any]] = field(default_factory=dict)
    """The document of every valid tombstone and observation."""
    problems: dict[int, str] = field(default_factory=dict)
    """Why each invalid leaf is refused (:func:`parse_entry`'s reason)."""

    def add(self, offset: int, document: dict[str, Any]) -> None:
        """Note a valid leaf's document."""
        kind = document["type"]
        self.types[kind] = self.types.get(kind, 0) + 1
        for digest in document["objects"].values():
            if self.references.get(digest, offset) >= offset:
                self.references[digest] = offset
        if kind in _KEPT:
            self.documents[offset] = document

    def read(self, offset: int, data: bytes, document: dict[str, Any] | None = None) -> None:
        """Note one leaf, parsed here unless its ``document`` is given."""
        try:
            self.add(offset, document or parse_entry(data))
        except InputError as error:
            self.problems[offset] = error.reason


_KEPT = frozenset({EntryType.TOMBSTONE.value, EntryType.OBSERVATION.value})


def read_leaves(entries: Sequence[bytes], joined: bytes | None = None) -> Leaves:
    """Check every leaf as :func:`parse_entry` does and gather what they say; ``joined``, if
    given, is the leaves already joined by line breaks.

    ``ledger verify`` reads every leaf. The leaves of a run are joined one a line and their
    times cut out in one call; what is left of each is its shape (a run of leaves has few:
    most differ only in their time), matched once per shape. The leaves that are neither
    tombstones, observations nor of several objects (most of them) are then counted shape by
    shape, with no document built. Should any shape not match, each leaf is read on its own.
    """
    leaves, found = Leaves(), _shapes(entries, joined)
    if found is None:
        for offset, data in enumerate(entries):
            leaves.read(offset, data)
        return leaves
    lines, times, shapes, counts = found
    special = {line for line, g in shapes.items() if g[3] or g[4] or g[6] in _KEPT}
    last = len(lines) - 1  # reversed: the first leaf of each shape is the one kept
    first = dict(zip(reversed(lines), range(last, -1, -1), strict=True))
    for line, count in counts.items():
        if line not in special:
            kind, digest, at = shapes[line][6], shapes[line][2], first[line]
            leaves.types[kind] = leaves.types.get(kind, 0) + count
            if digest and leaves.references.get(digest, at) >= at:
                leaves.references[digest] = at
    for offset in [i for i, line in enumerate(lines) if line in special] if special else []:
        estate, name, digest, more, reason, _, kind = shapes[lines[offset]]
        document = _document(estate, name, digest, more, reason, times[offset], kind)
        leaves.read(offset, entries[offset], document)
    return leaves


def _shapes(
    entries: Sequence[bytes], joined: bytes | None
) -> tuple[list[str], list[str], dict[str, tuple[str, ...]], Counter[str]] | None:
    """Each leaf's shape (its text without its time) and time, the groups of :data:`_SHAPE`
    in each shape and how many leaves have it, if every shape matches and every time is a
    real date; else None.

    A canonical leaf holds no line break (JSON escapes it) and one time field, whose key
    cannot be inside a string value (none may hold a quote). So when the times cut out are
    as many as the lines, and every shape matches (one blank time each, where the key is),
    each line is one leaf and the n-th time is its time."""
    text = _text(entries, joined)
    if text is None or not entries:
        return None
    parts = _TIMES.split(text)
    times = parts[1::2]
    if len(times) != len(entries):
        return None
    lines = _BLANK_TIME.join(parts[::2]).split("\n")
    if len(lines) != len(entries):  # a leaf holds a line break
        return None
    shapes: dict[str, tuple[str, ...]] = {}
    counts = Counter(lines)
    for line in counts:
        match = _SHAPE.fullmatch(line)
        if match is None:
            return None
        shapes[line] = match.groups()
    try:
        deque(map(datetime.fromisoformat, times), maxlen=0)
    except ValueError:  # a date the pattern let through, such as February 30th
        return None
    return lines, times, shapes, counts


def _text(entries: Sequence[bytes], joined: bytes | None = None) -> str | None:
    """The leaves as text, joined by line breaks (``joined``, if given, is that already);
    None if one is too long or is not UTF-8."""
    joined = b"\n".join(entries) if joined is None else joined
    if max(map(len, entries), default=0) > MAX_ENTRY:
        return None
    try:
        return joined.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _canonical_document(data: bytes) -> dict[str, Any] | None:
    """The document of a leaf :func:`parse_entry` would accept, or None to leave the leaf to
    its full parse (which also words the problem).

    One match of the whole canonical text here replaces ``json.loads``, the field checks and
    the re-encoding (:func:`_document` checks the rest).
    """
    try:
        match = _CANONICAL.fullmatch(data.decode("utf-8"))
    except ValueError:  # not UTF-8
        return None
    return None if match is None else _document(*match.groups())


def _document(
    estate: str | None,
    name: str | None,
    digest: str,
    more: str | None,
    reason: str | None,
    time: str,
    kind: str,
) -> dict[str, Any] | None:
    """The document of a leaf that matched :data:`_CANONICAL`, or None if it is not a valid
    entry after all. A group that did not match is None or empty (``findall``); every one of
    them matches at least one character when it does.

    What the pattern cannot say is checked as :func:`_problem` does: names in order, each
    once; a real date, written as ``isoformat`` writes it (no zero fraction); the tombstone
    rules. A property test holds this path and the full parse to the same answer.
    """
    try:
        datetime.fromisoformat(time)
    except ValueError:  # not a date
        return None
    if (kind == "tombstone") != bool(reason):
        return None
    objects = _objects(name, digest, more) if more else {name: digest} if name else {}
    if objects is None or reason and not (_is_reason(reason) and objects.keys() == {"erased"}):
        return None
    document: dict[str, Any] = {
        "estate": estate or None,
        "objects": objects,
        "time": time,
        "type": kind,
        "v": 1,
    }
    if reason:
        document["reason"] = reason
    return document


def _objects(name: str | None, digest: str, more: str) -> dict[str, str] | None:
    """The objects of a leaf that names more than one, None unless in order, each once."""
    pairs = [(name, digest), *_PAIRS.findall(more)]
    if any(a[0] >= b[0] for a, b in zip(pairs, pairs[1:], strict=False)):
        return None  # names out of order or repeated: not canonical
    return dict(pairs)


def _document_problem(document: dict[str, Any]) -> str | None:
    """The fields' problem, as :func:`_problem` words it; times must be UTC ISO 8601 as written
    by :meth:`Entry.document`."""
    if not isinstance(document["type"], str) or document["type"] not in _TYPES:
        return f"unknown type {str(document['type'])[:40]!r}"
    text = document["time"]
    try:
        time = datetime.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        time = None
    if time is None:
        return "time must be an ISO 8601 date-time"
    if time.tzinfo is not None and time.astimezone(UTC).isoformat() != text:
        return "time must be written in UTC as Stateward writes it (not in canonical form)"
    return _problem(
        EntryType(document["type"]),
        document["estate"],
        time,
        document["objects"],
        document.get("reason"),
        _listed(document["objects"]),
    )


def _problem(
    type_: object, estate: object, time: object, objects: object, reason: object, listed: object
) -> str | None:
    """What makes these fields an invalid entry, or None; ``listed`` is :func:`_listed` of
    ``objects``. Typed ``object``: an entry built in code is checked as strictly as one parsed
    from a leaf."""
    if not isinstance(type_, EntryType):
        return "type must be an EntryType"
    if estate is not None and not (isinstance(estate, str) and estate):
        return "estate must be a non-empty string or null"
    if not isinstance(time, datetime) or time.tzinfo is None:
        return "time must be a timezone-aware datetime"
    if listed is None:
        return "objects must map names to sha256:<hex> digests"
    tombstone = type_ is _TOMBSTONE_TYPE
    if tombstone != (reason is not None):
        return "a reason is given with a tombstone, and only then"
    if tombstone and not _is_reason(reason):
        return f"reason must be one line of 1 to {MAX_REASON} characters"
    if tombstone and not (isinstance(objects, Mapping) and objects.keys() == {"erased"}):
        return "a tombstone names exactly one object, as 'erased'"
    return None


def _listed(objects: object) -> str | None:
    """The objects as the leaf lists them (``"name":"sha256:…"``, by name, comma-separated),
    or None unless they map names (:data:`_NAME`) to digests (:data:`_DIGEST`).

    Neither holds a quote, so ``"name":"digest"`` matches :data:`_ONE` exactly when both
    parts match: one pattern checks a pair and writes it. Nor does either hold a character
    JSON escapes: the leaf holds this text as it is. A single object named and addressed by
    plain strings, the common case, is checked part by part instead, its name against the
    few already checked (:data:`_NAMES`)."""
    if type(objects) is not dict and not isinstance(objects, Mapping):  # a dict: no ABC check
        return None
    pairs = list(objects.items())
    if len(pairs) == 1 and type(pairs[0][0]) is str and type(pairs[0][1]) is str:
        name, digest = pairs[0]  # the common case: no sort, no join
        if name in _NAMES or _is_name(name):
            return f'"{name}":"{digest}"' if _DIGEST.fullmatch(digest) else None
        return None
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in pairs):
        return None
    listed = [f'"{k}":"{v}"' for k, v in sorted(pairs)]  # names are unique: never a tie
    return ",".join(listed) if all(map(_ONE.fullmatch, listed)) else None


_NAMES: set[str] = set()
"""Object names already found to match :data:`_NAME`: a store uses a handful."""
_MOST_NAMES = 256


def _is_name(name: str) -> bool:
    """Whether ``name`` matches :data:`_NAME`; a name that does is remembered."""
    if not _NAME.fullmatch(name):
        return False
    if len(_NAMES) >= _MOST_NAMES:
        _NAMES.clear()
    _NAMES.add(name)
    return True


def _is_reason(text: object) -> bool:
    return (
        isinstance(text, str)
        and 0 < len(text) <= MAX_REASON
        and text.strip() == text
        and not any(c < " " for c in text)
    )
