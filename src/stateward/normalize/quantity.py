"""Kubernetes resource quantities (``1000m``, ``1Gi``, ``0.5``) parsed exactly and written once.

Grammar from ``k8s.io/apimachinery/pkg/api/resource/quantity.go`` (commit-pinned:
https://github.com/kubernetes/apimachinery/blob/v0.31.0/pkg/api/resource/quantity.go#L36-L63):
``<signedNumber><suffix>``, suffix one of the binary SI ``Ki…Ei``, the decimal SI ``n u m k M G T
P E``, or an exponent ``e<n>``/``E<n>``. Values are exact fractions; the API rounds anything
finer than 1n up to 1n, and so do we.

The canonical text differs from Kubernetes' on purpose: Kubernetes keeps the format the user
wrote (``1073741824`` stays decimal, ``1Gi`` stays binary), so two manifests holding the same
amount can print differently. We give every amount exactly one spelling — the shorter of its
largest-binary-suffix form (whole multiples of 1024 only) and its largest-decimal-suffix form
with a whole mantissa, binary on a tie — so equal amounts always compare equal (``1000m`` = ``1``,
``1Gi`` = ``1024Mi`` = ``1073741824``, ``0.5`` = ``500m``, ``0.1T`` = ``100G``).
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

from stateward.errors import NormalizeError

__all__ = ["canonical_quantity", "parse_quantity"]

_QUANTITY = re.compile(
    r"(?P<sign>[+-]?)(?P<number>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
    r"(?P<suffix>Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?[0-9]+|[numkMGTPE])?"
)
_BINARY = {"Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_DECIMAL_BY_EXP = sorted(((exp, suffix) for suffix, exp in _DECIMAL.items()), reverse=True)
_BINARY_BY_POWER = sorted(((power, suffix) for suffix, power in _BINARY.items()), reverse=True)
_MAX_TEXT = 64  # far longer than any real quantity; bounds the work on hostile input
_NANO = Fraction(1, 10**9)


def parse_quantity(text: object) -> Fraction:
    """The exact amount a quantity denotes; NormalizeError when it is not a quantity."""
    if isinstance(text, bool):
        raise NormalizeError(f"{text!r} is a boolean, not a quantity")
    if isinstance(text, int):
        return Fraction(text)
    if isinstance(text, float):
        if not math.isfinite(text):
            raise NormalizeError(f"{text!r} is not a finite quantity")
        return Fraction(repr(text))
    if not isinstance(text, str):
        raise NormalizeError(f"a {type(text).__name__} is not a quantity")
    if len(text) > _MAX_TEXT:
        raise NormalizeError(f"quantity text longer than {_MAX_TEXT} characters")
    found = _QUANTITY.fullmatch(text)
    if not found:
        raise NormalizeError(f"{text!r} is not a quantity (expected e.g. 500m, 1Gi, 0.5)")
    value = Fraction(found["number"])
    suffix = found["suffix"] or ""
    if suffix in _BINARY:
        value *= 1024 ** _BINARY[suffix]
    elif suffix in _DECIMAL:
        value *= Fraction(10) ** _DECIMAL[suffix]
    else:
        exponent = int(suffix[1:])
        if abs(exponent) > 30:  # the API refuses these too; a huge power is a CPU trap
            raise NormalizeError(f"{text!r}: exponent out of range")
        value *= Fraction(10) ** exponent
    return -value if found["sign"] == "-" else value


def canonical_quantity(value: Fraction) -> str:
    """The one spelling of an amount (see the module docstring)."""
    if value < 0:
        return "-" + canonical_quantity(-value)
    if value % _NANO:
        value = math.ceil(value / _NANO) * _NANO  # the API rounds sub-nano amounts up
    if value == 0:
        return "0"
    decimal = _decimal(value)
    binary = _binary(value)
    return binary if binary is not None and len(binary) <= len(decimal) else decimal


def _binary(value: Fraction) -> str | None:
    if value.denominator != 1 or value.numerator % 1024:
        return None
    for power, suffix in _BINARY_BY_POWER:
        mantissa, rest = divmod(value.numerator, 1024**power)
        if not rest:
            return f"{mantissa}{suffix}"
    return None


def _decimal(value: Fraction) -> str:
    for exponent, suffix in _DECIMAL_BY_EXP:
        mantissa = value / Fraction(10) ** exponent
        if mantissa.denominator == 1:
            return f"{mantissa.numerator}{suffix}"
    raise AssertionError("bad math: a multiple of 1n always has a whole mantissa")
