"""A naive RFC 9162 §2.1 reference, written straight from the definitions, for checking merkle.py.

It uses hashlib directly, never stateward.ledger.merkle, so the two implementations are independent.
"""

from __future__ import annotations

import functools
import hashlib

MAX_SIZE = 128


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


LEAVES = [sha256(b"\x00" + f"leaf {i}".encode()) for i in range(MAX_SIZE)]


def split(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


@functools.cache
def mth(lo: int, hi: int) -> bytes:
    """MTH(D[lo:hi]) over LEAVES."""
    n = hi - lo
    if n == 0:
        return sha256(b"")
    if n == 1:
        return LEAVES[lo]
    k = split(n)
    return sha256(b"\x01" + mth(lo, lo + k) + mth(lo + k, hi))


def path(m: int, lo: int, hi: int) -> list[bytes]:
    """PATH(m, D[lo:hi]), RFC 9162 §2.1.3.1 (m relative to lo)."""
    n = hi - lo
    if n == 1:
        return []
    k = split(n)
    if m < k:
        return path(m, lo, lo + k) + [mth(lo + k, hi)]
    return path(m - k, lo + k, hi) + [mth(lo, lo + k)]


def subproof(m: int, lo: int, hi: int, b: bool) -> list[bytes]:
    """SUBPROOF(m, D[lo:hi], b), RFC 9162 §2.1.4.1."""
    n = hi - lo
    if m == n:
        return [] if b else [mth(lo, hi)]
    k = split(n)
    if m <= k:
        return subproof(m, lo, lo + k, b) + [mth(lo + k, hi)]
    return subproof(m - k, lo + k, hi, False) + [mth(lo, lo + k)]


def proof(m: int, n: int) -> list[bytes]:
    """PROOF(m, D_n); empty for m == 0 (nothing to prove)."""
    return [] if m == 0 else subproof(m, 0, n, True)
