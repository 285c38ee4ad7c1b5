"""An exported evidence bundle read back, to verify it away from the store, within bounds.

The file may be the plain tar ``evidence export`` writes or one a user compressed (gzip, bzip2,
xz). It is read once, as a stream, whatever its size claims: every object is hashed as it passes
and only objects small enough to be a seal or a manifest are kept in memory (256 MiB at most in
all), so a large export costs time, not memory. Decompression stops with one clear error past a
limit (4 GiB by default) and the number of members is bounded, so a decompression bomb, a
``/dev/zero`` or a FIFO is refused instead of exhausting memory or hanging.
"""

from __future__ import annotations

import bz2
import gzip
import hashlib
import io
import json
import lzma
import tarfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import IO, Protocol

from stateward.errors import InputError, LedgerIntegrityError, VerificationError
from stateward.forensics.evidence import ERASED_MEMBER, MAX_DOC, is_address
from stateward.fsutil import open_regular
from stateward.model.canonical import DIGEST_PREFIX

__all__ = ["DEFAULT_LIMIT", "TarObjects"]

MIB = 1024 * 1024
DEFAULT_LIMIT = 4096 * MIB
"""Bytes read from an export, after decompression, before it is refused."""
_KEPT = 256 * MIB
_MEMBERS = 20_000
_HEADER_MEMBER = 1 * MIB  # pax and GNU long-name headers are read whole by tarfile
_CHUNK = MIB
_EVIDENCE_MEMBER = "EVIDENCE"
_OBJECTS = "objects/"
# Magic numbers: RFC 1952 §2.3.1 (gzip), the bzip2 "BZh" stream header, and the xz format's
# header magic (https://tukaani.org/xz/xz-file-format.txt §2.1.1.1).
_DECOMPRESSORS: tuple[tuple[bytes, Callable[[IO[bytes]], _Readable]], ...] = (
    (b"\x1f\x8b", lambda raw: gzip.open(raw, "rb")),
    (b"BZh", lambda raw: bz2.open(raw, "rb")),
    (b"\xfd7zXZ\x00", lambda raw: lzma.open(raw, "rb")),
)
_CORRUPT = (OSError, EOFError, zlib.error, lzma.LZMAError, tarfile.TarError, ValueError)


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...

    def close(self) -> None: ...


class _TooLarge(Exception):
    """Raised through tarfile when a bound is passed; turned into InputError."""


class TarObjects:
    """The objects of an exported bundle, for :func:`~stateward.forensics.evidence.verify`."""

    def __init__(self, path: Path, *, limit: int = DEFAULT_LIMIT) -> None:
        self.address = ""
        """The evidence ID the export holds."""
        self.erased: dict[str, int] = {}
        """Artefacts the export says the ledger erased (object -> tombstone entry)."""
        self._kept: dict[str, bytes] = {}
        self._hashed: dict[str, tuple[str, int]] = {}  # name -> (digest of the bytes, size)
        self._path = path
        try:
            with open_regular(path) as raw:
                self._read(_Bounded(_decompressed(raw), limit))
        except _TooLarge as exc:
            raise InputError(str(path), f"refused: {exc}", remedy=_REMEDY) from None
        except _CORRUPT as exc:
            raise InputError(str(path), f"not an evidence export: {_reason(exc)}") from None
        if not self.address:
            raise InputError(str(path), "not an evidence export: no EVIDENCE file")

    def put_object(self, data: bytes) -> str:
        """An export is read-only."""
        raise InputError("evidence export", "is read-only")

    def get_object(self, address: str) -> bytes:
        """The bytes under ``address``; LedgerIntegrityError if missing or altered."""
        self.object_size(address)
        data = self._kept.get(address)
        if data is None:
            raise VerificationError(f"object {address} is too large to read from an export")
        return data

    def object_size(self, address: str) -> int:
        """The size of the object under ``address``, its bytes checked against the address."""
        found = self._hashed.get(address)
        if found is None:
            raise LedgerIntegrityError(f"object {address} is missing from the export")
        if found[0] != address:
            raise LedgerIntegrityError(f"object {address} does not match its digest")
        return found[1]

    def _read(self, stream: _Bounded) -> None:
        kept = 0
        with tarfile.open(fileobj=stream, mode="r|", tarinfo=_BoundedInfo) as tar:
            for count, member in enumerate(tar, 1):
                if count > _MEMBERS:
                    raise _TooLarge(f"more than {_MEMBERS} files in the export")
                handle = tar.extractfile(member) if member.isreg() else None
                if handle is None:
                    continue
                keep = member.size <= MAX_DOC and kept + member.size <= _KEPT
                digest, size, data = _hash(handle, keep)
                if member.name.startswith(_OBJECTS):
                    address = DIGEST_PREFIX + member.name.removeprefix(_OBJECTS)
                    self._hashed[address] = (digest, size)
                    if keep:
                        self._kept[address] = data
                        kept += size
                elif member.name == _EVIDENCE_MEMBER:
                    self.address = data.decode("ascii", "replace").strip()
                elif member.name == ERASED_MEMBER:
                    self.erased = _erased(data, self._path)


_REMEDY = (
    "An evidence export is a plain tar of at most a few hundred MiB; check where it came from."
)


class _Bounded(io.RawIOBase):
    """A read-only stream that raises _TooLarge once more than ``limit`` bytes went through."""

    def __init__(self, inner: _Readable, limit: int) -> None:
        self._inner = inner
        self._left = limit
        self._limit = limit

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        want = _CHUNK if size < 0 else min(size, self._left + 1)
        data = self._inner.read(want)
        self._left -= len(data)
        if self._left < 0:
            raise _TooLarge(f"more than {self._limit // MIB} MiB once decompressed")
        return data


class _BoundedInfo(tarfile.TarInfo):
    """Refuses oversized pax and GNU long-name headers before tarfile reads them whole
    (CPython Lib/tarfile.py, TarInfo._proc_member → _proc_pax/_proc_gnulong:
    https://github.com/python/cpython/blob/v3.11.9/Lib/tarfile.py#L1249)."""

    def _proc_member(self, archive: tarfile.TarFile) -> tarfile.TarInfo:
        if self.type in _HEADER_TYPES and self.size > _HEADER_MEMBER:
            raise _TooLarge(f"a {self.size}-byte tar header")
        member: tarfile.TarInfo = super()._proc_member(archive)  # type: ignore[misc]
        return member


_HEADER_TYPES = frozenset(
    {
        tarfile.XHDTYPE,
        tarfile.XGLTYPE,
        tarfile.SOLARIS_XHDTYPE,
        tarfile.GNUTYPE_LONGNAME,
        tarfile.GNUTYPE_LONGLINK,
    }
)


def _decompressed(raw: IO[bytes]) -> _Readable:
    head = raw.read(6)
    raw.seek(0)
    for magic, opener in _DECOMPRESSORS:
        if head.startswith(magic):
            return opener(raw)
    return raw


def _hash(handle: _Readable, keep: bool) -> tuple[str, int, bytes]:
    sha = hashlib.sha256()
    size = 0
    kept = bytearray()
    while chunk := handle.read(_CHUNK):
        sha.update(chunk)
        size += len(chunk)
        if keep:
            kept += chunk
    return DIGEST_PREFIX + sha.hexdigest(), size, bytes(kept)


def _erased(data: bytes, path: Path) -> dict[str, int]:
    try:
        value = json.loads(data)
    except ValueError:
        value = None
    if not isinstance(value, dict) or not all(
        is_address(k) and type(v) is int for k, v in value.items()
    ):
        raise InputError(str(path), f"not an evidence export: {ERASED_MEMBER} is malformed")
    return value


def _reason(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__
