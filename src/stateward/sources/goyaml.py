"""Plain YAML scalars resolved as the Go readers of our inputs resolve them.

Compose is read by compose-go through go-yaml v4 (YAML 1.2 core schema: only ``true``/``false``
are booleans); Kubernetes manifests are read by kubectl through sigs.k8s.io/yaml, that is go-yaml
v2 (YAML 1.1 booleans ``yes``/``on``/``y`` and their negatives). Both share one resolver apart from
the boolean words, ported here from
https://github.com/yaml/go-yaml/blob/068e4d63881bdd1923f069559870b6d153b15478/internal/libyaml/resolver.go
(v4.0.0-rc.4, the version compose-go e70e961c pins) and
https://github.com/go-yaml/yaml/blob/7649d4548cb53a614db133b2a8ac1f31859dda8c/resolve.go (v2):

- no sexagesimal numbers (``22:22`` and ``12:30`` stay strings) and no YAML 1.1 ``=`` value tag;
- integers as Go's ``strconv.ParseInt(s, 0, 64)`` after dropping ``_``: ``0x``, ``0o``, ``0b``
  and a leading ``0`` (octal) prefixes; past int64, ``ParseUint``; past uint64, a float;
- a float that overflows (``1e400``, an integer of 4,301 digits) fails ``ParseFloat`` and so
  stays a string — never a Python ``int()`` of unbounded size;
- timestamps stay strings (both decode them into ``interface{}`` as strings).
"""

from __future__ import annotations

import math
import re
import struct
from dataclasses import dataclass
from typing import Any

__all__ = ["COMPOSE", "KUBERNETES", "Schema"]

TAG = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL, MERGE = (
    TAG + t for t in ("str", "int", "float", "bool", "null", "merge")
)

_CORE: dict[str, tuple[str, Any]] = {
    **dict.fromkeys(("true", "True", "TRUE"), (BOOL, True)),
    **dict.fromkeys(("false", "False", "FALSE"), (BOOL, False)),
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), (NULL, None)),
    **dict.fromkeys((".nan", ".NaN", ".NAN"), (FLOAT, math.nan)),
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), (FLOAT, math.inf)),
    **dict.fromkeys(("-.inf", "-.Inf", "-.INF"), (FLOAT, -math.inf)),
    "<<": (MERGE, "<<"),
}
_YAML11_BOOLS: dict[str, tuple[str, Any]] = {
    **dict.fromkeys(("y", "Y", "yes", "Yes", "YES", "on", "On", "ON"), (BOOL, True)),
    **dict.fromkeys(("n", "N", "no", "No", "NO", "off", "Off", "OFF"), (BOOL, False)),
}
# go-yaml's resolveTable: the first character says which rules can apply at all.
_NUMERIC_START = frozenset("+-0123456789")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_DOT_FLOAT = re.compile(r"\.[0-9]+([eE][-+]?[0-9]+)?\Z")  # what ParseFloat takes after a '.'
_BASES = (("0x", 16, "0123456789abcdefABCDEF"), ("0o", 8, "01234567"), ("0b", 2, "01"))
_INT64 = (-(1 << 63), (1 << 63) - 1)
_UINT64_MAX = (1 << 64) - 1
_FLOAT32_MAX = 3.4028234663852886e38


@dataclass(frozen=True, slots=True, eq=False)
class Schema:
    """How one consumer resolves plain scalars: its table of special words, then numbers."""

    name: str
    words: dict[str, tuple[str, Any]]
    json_keys: bool = False
    """Whether plain mapping keys become the JSON text of their value (kubectl) rather than
    staying as written (compose-go decodes keys into strings, which keeps the text)."""

    def resolve(self, text: str) -> tuple[str, Any]:
        """(tag, value) of the plain scalar ``text``."""
        known = self.words.get(text)
        if known is not None:
            return known
        first = text[:1]
        if first == ".":
            return _float(text) if _DOT_FLOAT.match(text) else (STR, text)
        if first in _NUMERIC_START:
            return _number(text)
        return STR, text

    def key(self, text: str) -> str | None:
        """A plain mapping key as the consumer names it; None for a key it refuses (null)."""
        if not self.json_keys:
            return text
        tag, value = self.resolve(text)
        if tag == NULL:
            return None
        if tag == BOOL:
            return "true" if value else "false"
        if tag == FLOAT:
            return _go_float32_key(value)
        return str(value)


def _go_float32_key(value: float) -> str:
    """``strconv.FormatFloat(v, 'g', -1, 32)`` with go-yaml's names for the infinities, as
    sigs.k8s.io/yaml names a float key (yaml.go, convertToJSONableObject)."""
    if math.isnan(value):
        return ".nan"
    narrow = _float32(value) if abs(value) <= _FLOAT32_MAX else math.copysign(math.inf, value)
    if math.isinf(narrow):
        return ".inf" if narrow > 0 else "-.inf"
    # Shortest decimal that reads back as the same float32: 1 to 9 significant digits.
    decimals = next(p for p in range(9) if _float32(float(f"{narrow:.{p}e}")) == narrow)
    shortest = f"{narrow:.{decimals}e}"
    exponent = int(shortest.rsplit("e", 1)[1])
    if exponent < -4 or exponent >= 6:  # Go's shortest 'g' switches to %e at these exponents
        return shortest
    return f"{narrow:.{decimals + 1}g}"


def _float32(value: float) -> float:
    narrow: float = struct.unpack("f", struct.pack("f", value))[0]
    return narrow


def _number(text: str) -> tuple[str, Any]:
    plain = text.replace("_", "")
    value = _go_parse_int(plain)
    # ParseUint takes no sign: a signed value must fit int64.
    if value is not None and _INT64[0] <= value <= (
        _UINT64_MAX if plain[0] not in "+-" else _INT64[1]
    ):
        return INT, value
    if _FLOAT.match(plain):
        return _float(plain)
    return STR, text


def _float(text: str) -> tuple[str, Any]:
    # Go's ParseFloat fails with ErrRange on overflow, and go-yaml then keeps the string.
    value = float(text)
    return (FLOAT, value) if math.isfinite(value) else (STR, text)


def _go_parse_int(text: str) -> int | None:
    """Go's ``strconv.ParseInt(text, 0, 64)``/``ParseUint`` syntax: sign, base prefix, digits.
    None when the syntax is not an integer's; the range is checked by the caller."""
    sign, body = (text[0], text[1:]) if text[:1] in "+-" else ("", text)
    base, digits, allowed = 10, body, "0123456789"
    for prefix, prefix_base, prefix_digits in _BASES:
        if body[:2].lower() == prefix:
            base, digits, allowed = prefix_base, body[2:], prefix_digits
            break
    else:
        if len(body) > 1 and body[0] == "0":
            base, digits, allowed = 8, body[1:], "01234567"
    # 65 binary digits already exceed uint64: longer strings are never converted (int() of
    # thousands of digits is quadratic and refused by Python past 4,300).
    if not digits or len(digits) > 65 or any(c not in allowed for c in digits):
        return None
    value = int(digits, base)
    return -value if sign == "-" else value


COMPOSE = Schema("compose", {**_CORE, "-0": (FLOAT, -0.0), "-0.0": (FLOAT, -0.0)})
"""compose-go: go-yaml v4, YAML 1.2 core booleans (its resolveMapList adds ``-0`` as -0.0)."""
KUBERNETES = Schema("kubernetes", {**_CORE, **_YAML11_BOOLS}, json_keys=True)
"""kubectl: sigs.k8s.io/yaml over go-yaml v2, YAML 1.1 booleans; keys as sigs.k8s.io/yaml
turns them into JSON keys (``on:`` is ``"true"``), pinned at
https://github.com/kubernetes-sigs/yaml/blob/aadfabb7d36952151672ec164d4220a6f0e31f63/yaml.go#L205-L249"""
