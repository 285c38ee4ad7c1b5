"""The one canonical JSON encoding and the one fingerprint function.

Canonical form: UTF-8 JSON, object keys sorted by code point, no insignificant whitespace,
non-ASCII kept as UTF-8 (RFC 8785 §3.2.3 sorts by UTF-16 units; for the keys Kubernetes and
Compose use, which are ASCII, the orders agree). Integers and floats stay distinct (``1`` vs
``1.0``), so ``1``, ``1.0`` and ``"1"`` give three digests; NaN and infinities are refused. Python
has printed floats as the shortest round-tripping repr since 3.1, so the text is the same on every
machine and Python version we support.

The bytes are made by orjson's C encoder where they are the standard library's, about six times
faster (``OPT_SORT_KEYS`` sorts keys by their UTF-8 bytes, which is code point order; the same
escapes and raw non-ASCII: https://github.com/ijl/orjson/blob/3.13.0/README.md#opt_sort_keys).
What it writes otherwise, the standard library's encoder writes: a value orjson refuses (keys
that are not ``str``, integers past 64 bits, lone surrogates, nesting past 254 levels, ``str``
and ``dict`` subclasses, whose own encoding rules are the standard library's), and any text
holding a token in which the two may differ: floats with a one-digit negative exponent and those
from 1e-5 to 1e-4 (orjson writes ``1.5e-7`` and ``0.00002``, ``repr`` ``1.5e-07`` and
``2e-05``), and ``null``, which is what orjson writes for NaN and the infinities that the
standard library refuses (RFC 8259 §6). The tests hold the two to the same bytes over generated
values.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from stateward.errors import CanonicalError

__all__ = [
    "canonical_json",
    "canonical_pieces",
    "decoded",
    "digest",
    "digest_bytes",
    "DIGEST_PREFIX",
    "finite_texts_may_differ",
]

DIGEST_PREFIX = "sha256:"

_encoder = json.JSONEncoder(
    ensure_ascii=False, allow_nan=False, sort_keys=True, separators=(",", ":"), check_circular=True
)


_OPTIONS = (
    orjson.OPT_SORT_KEYS
    | orjson.OPT_PASSTHROUGH_SUBCLASS
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_DATETIME
)
"""orjson's own encoding of subclasses, dataclasses and dates refused: they go to the standard
library, which encodes the first as it does and refuses the others."""
_SHORT_EXPONENT = re.compile(rb"e-[1-9](?![^,\]}])")
"""A one-digit negative exponent ending a token: orjson's text is compact, so a number ends
where the text does or at the ``,``, ``]`` or ``}`` after it."""
_DIGITS = frozenset(b"0123456789")


def canonical_json(value: Any, finite: bool = False, floats: bool = True) -> bytes:
    """Encode ``value`` (dicts with str keys, lists, str, int, float, bool, None) canonically.
    Values outside that domain which orjson encodes natively (a ``UUID``, an ``Enum`` member
    that is neither ``str`` nor ``int``) are written as orjson writes them, not refused.
    ``finite``: the caller knows ``value`` holds no NaN or infinity (it was decoded by
    :func:`decoded`, which refuses them, and changed only by adding strings), so a ``null``
    in orjson's text is ``None`` and is not read back to be sure. ``floats``: False where the
    caller knows ``value`` holds no float at all (so none that is not finite): every token
    that orjson may write otherwise is a float's (:func:`_may_differ`), and its text is not
    searched for one."""
    try:
        data = orjson.dumps(value, option=_OPTIONS)
    except TypeError:  # orjson.JSONEncodeError is one: a value for the standard library
        return _standard(value)
    if floats and _may_differ(data, value, finite):
        return _standard(value)
    # orjson's bytes keep the buffer it wrote into: ~4 KiB each for the 500 bytes of a small
    # ConfigMap (tracemalloc, orjson 3.13.0), and a watch holds thousands. A copy is their size.
    return bytes(memoryview(data))


SLICE = 1000
"""Members of a large object written at once by :func:`canonical_pieces`."""


def canonical_pieces(value: Any, finite: bool = False, floats: bool = True) -> Iterator[bytes]:
    """:func:`canonical_json` of ``value`` in pieces, which joined are its bytes: an object of
    more than :data:`SLICE` members, or holding one, is written :data:`SLICE` members at a
    time (each slice's canonical JSON, braces cut), its large members in turn in pieces. Its
    whole text is then never held at once: a scan's manifest names every object of the estate
    (12 MB at 50k objects), and orjson's buffer, its copy and the text came to 44 MiB, the
    record step's peak. The same bytes: canonical JSON writes an object's members in key order
    (code point order, which is UTF-8 byte order), each as its own canonical JSON, whichever
    call writes them; any other value (or an object with a key that is not ``str``, or of a
    ``dict`` subclass) is written whole. ``finite`` and ``floats`` as for
    :func:`canonical_json`."""
    if not _large(value):
        yield canonical_json(value, finite, floats)
        return
    yield from _pieces(value, finite, floats)


def _pieces(value: dict[str, Any], finite: bool, floats: bool) -> Iterator[bytes]:
    """:func:`canonical_pieces` of ``value``, a large object (:func:`_large`), not asked again:
    asking walked a manifest's 10k resource names once more at each level."""
    head = b"{"
    for key, members in _slices(value):
        if key is None:
            yield head + canonical_json(members, finite, floats)[1:-1]
        else:
            yield head + canonical_json(key) + b":"
            yield from _pieces(value[key], finite, floats)
        head = b","
    yield b"}"


def _slices(value: dict[str, Any]) -> Iterator[tuple[str | None, dict[str, Any]]]:
    """``value``'s members in key order: ``(None, slice)`` for up to :data:`SLICE` members
    written at once, ``(key, {})`` for a large one, written in pieces."""
    members: dict[str, Any] = {}
    for key in sorted(value):
        member = value[key]
        if type(member) is dict and _large(member):  # no call for the usual list or string
            if members:
                yield None, members
                members = {}
            yield key, {}
            continue
        members[key] = member
        if len(members) == SLICE:
            yield None, members
            members = {}
    if members:
        yield None, members


def _large(value: Any) -> bool:
    """``value`` is an object :func:`canonical_pieces` writes in pieces."""
    return (
        type(value) is dict
        and (len(value) > SLICE or any(type(m) is dict and _large(m) for m in value.values()))
        # its keys' types gathered by C loops: a generator testing each key's took ~460
        # instructions a key, 14.7M of a watch's first record at 10k objects (callgrind), whose
        # manifest's names are asked about at two levels
        and set(map(type, value)) <= _STR_ONLY
    )


_STR_ONLY = frozenset({str})


def _may_differ(data: bytes, value: Any, finite: bool) -> bool:
    """``data``, orjson's text of ``value``, holds a token that the standard library may write
    otherwise (see above). Looked for anywhere, strings included: a false alarm only costs the
    standard library's time. A ``null`` is NaN or an infinity only if the text reads back as
    another value (NaN equals nothing, an infinity not None); a component's or finding's nulls
    then cost a quarter of the standard library's encoding; none where the value is
    ``finite``."""
    # find, not ``in``: on CPython 3.11 ``bytes.__contains__`` first reads its argument as an
    # integer (a byte value) and, for bytes, raises and clears a TypeError whose message it
    # formats (Objects/bytes_methods.c, _Py_bytes_contains): ~1,800 instructions a test, more
    # than the search of a listed object's ~460 bytes, and the list tests every object
    if data.find(b"0.0000") >= 0 or _short_exponent(data):
        return True
    return not finite and data.find(b"null") >= 0 and bool(orjson.loads(data) != value)


def finite_texts_may_differ(texts: Iterable[bytes]) -> bool:
    """Some text of ``texts``, each orjson's text of a finite value written with ``floats``
    False (:func:`canonical_json`), holds a token that the standard library may write
    otherwise: :func:`_may_differ` of each, by one search of them joined by ``,`` instead of
    one a text (a listed page's 500 objects of ~440 bytes: a call and two searches an object
    were ~6.7k instructions, their join's two searches ~3.6k an object). The same
    answer: neither token holds a ``,``, so each found lies in one text; a short exponent that
    ends a text is followed by the ``,`` after it, as by a text's end; one that starts a text
    follows that ``,`` or nothing, never a digit, as :func:`_short_exponent` reads it."""
    return _may_differ(b",".join(texts), None, True)


def _short_exponent(data: bytes) -> bool:
    """``data`` holds a short exponent after a digit, as every float token's is (orjson writes
    a mantissa's last digit before it), which ends the token (:data:`_SHORT_EXPONENT`): names
    like "service-1" and ids like "…ece-4c01" or "…38e-4b7c" are no false alarm. One was: a
    scan's manifest names every object, and its encoding by the standard library was the
    record step's memory peak (+25 MiB at 50k objects). Another was every Kubernetes object
    whose uid has a digit, ``e-``, then a digit and a letter (one in 25: 8 us each by the
    standard library, 0.8 by orjson). The digit is looked at apart: a pattern that starts with
    a lookbehind loses the regex's search for its literal start, +11 % of an audit's CPU. That
    search is the whole test where nothing matches, as in nearly every object: it takes half the
    time of ``b"e-" in data`` (0.35 against 0.65 us for a listed ConfigMap's 480 bytes), and a
    quarter of that substring test followed by ``finditer`` where the text holds ``e-`` (0.44
    against 1.7 us; the uid of one listed object in four does)."""
    match = _SHORT_EXPONENT.search(data, 1)
    while match is not None:
        if data[match.start() - 1] in _DIGITS:
            return True
        match = _SHORT_EXPONENT.search(data, match.end())
    return False


def _standard(value: Any) -> bytes:
    try:
        return _encoder.encode(value).encode("utf-8")
    except (TypeError, ValueError, RecursionError) as exc:
        raise CanonicalError(f"value has no canonical JSON form: {_short(exc)}") from None


_LONG_DIGITS = b"0" * 19
"""A run of digits that may be an integer past 64 bits, which orjson decodes as a float
(https://github.com/ijl/orjson/blob/3.13.0/README.md#int: "64-bit"); a float's shortest repr
never has one (at most 17 significant digits). Looked for with every digit made ``0``
(:data:`_DIGITS_AS_ZERO`): a substring search of the copy takes a seventh of the time of the
regex ``[0-9]{19}``, which tried a match at every digit, and was more than orjson's decoding."""
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")


def decoded(data: bytes) -> Any:
    """The value JSON ``data`` (canonical, or of an encoder as strict) encode, exactly as
    :func:`json.loads` gives it. orjson's decoder takes half its time, and its objects share
    their keys' ``str`` (a cache of short keys), where the standard library's have a copy of
    every key for every object: a scan holds thousands of bodies decoded at once. What orjson
    reads otherwise (integers past 64 bits) or refuses is left to the standard library, whose
    error then says why. ``NaN`` and the infinities, which JSON cannot hold (RFC 8259 §6), are
    refused by both, and so is a number past a double's range, which the standard library
    reads as an infinity (orjson refuses both itself): what this decodes is finite
    (:func:`canonical_json`'s ``finite``)."""
    if not _long_digits(data):
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass
    return json.loads(data, parse_constant=_refused, parse_float=_finite)


def _refused(token: str) -> Any:
    """The standard library reads ``NaN``, ``Infinity`` and ``-Infinity``; JSON has no such
    token (RFC 8259 §6)."""
    raise ValueError(f"{token} is not JSON (RFC 8259 section 6)")


def _finite(token: str) -> float:
    """A JSON number with a fraction or exponent, as the standard library reads it (``float``);
    ValueError for one past a double's range (``1E400``), which would read as an infinity."""
    number = float(token)
    if math.isinf(number):
        raise ValueError(f"number {token[:40]} is past a double's range")
    return number


def _long_digits(data: bytes) -> bool:
    """``data`` holds a run of 19 digits or more (:data:`_LONG_DIGITS`)."""
    return data.translate(_DIGITS_AS_ZERO).find(_LONG_DIGITS) >= 0  # not ``in``: see _may_differ


def digest_bytes(data: bytes) -> str:
    """Content address of raw bytes: ``sha256:<hex>``."""
    return DIGEST_PREFIX + hashlib.sha256(data).hexdigest()


def digest(value: Any) -> str:
    """Fingerprint of a value: the SHA-256 of its canonical JSON."""
    return digest_bytes(canonical_json(value))


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:200]
