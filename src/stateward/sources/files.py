"""The file source: manifests and Compose files, one file or a directory tree.

Each file goes to the right reader by name and content: Compose file names (``compose.yaml``,
``docker-compose*.yml``) and documents with a ``services`` map go to Compose; every other
``.yaml``/``.yml``/``.json`` file is read as Kubernetes objects. Other files in a directory are
skipped; a file named on the command line is always read.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from stateward.errors import InputError, SourceError
from stateward.model.resource import Origin, Resource, ResourceKey
from stateward.model.secrets import SecretKeeper
from stateward.sources.comments import Comments
from stateward.sources.compose import is_compose_file, looks_like_compose, parse_compose
from stateward.sources.interface import Progress, SourceResult, register
from stateward.sources.manifests import parse_manifests
from stateward.sources.yamldocs import DocumentError, read_documents

__all__ = ["FileSource", "MAX_FILE_BYTES"]

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Larger files are refused: no real manifest is this big, and reading one would stall a scan."""
SUFFIXES = (".yaml", ".yml", ".json")
PARALLEL_FROM = 16
"""Fewer files than this are read in-process: a worker pool costs more than it saves."""
MAX_WORKERS = 4


class FileSource:
    """Reads manifest and Compose files or directories (recursively)."""

    name = "files"

    def accepts(self, location: str) -> bool:
        """Anything that is not a URL is taken as a path."""
        return "://" not in location

    def observe(
        self, location: str, keeper: SecretKeeper, progress: Progress | None = None
    ) -> SourceResult:
        """Read every manifest and Compose file under ``location``. SourceError when the
        location cannot be read at all; a folder under it that cannot be listed is an error and
        makes the result incomplete."""
        root = Path(location)
        result = SourceResult()
        if not root.exists():
            raise SourceError("no such file or directory")
        files = list(_files(root, result))
        for done, part in enumerate(_read_all(files, keeper), 1):
            result.resources.extend(part.resources)
            result.errors.extend(part.errors)
            if progress is not None:
                progress(done, len(files))
        return result


def _files(root: Path, result: SourceResult) -> Iterator[Path]:
    if root.is_file():
        yield root
        return

    def unreadable(error: OSError) -> None:
        # os.walk skips a folder it cannot list unless told: what it held is then unseen
        if Path(error.filename) == root:
            raise SourceError(f"cannot read: {error.strerror}")
        result.errors.append(InputError(str(error.filename), f"cannot read: {error.strerror}"))
        result.complete = False

    for directory, subdirs, names in os.walk(root, onerror=unreadable):
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        for name in sorted(names):
            if name.endswith(SUFFIXES) and not name.startswith("."):
                yield Path(directory, name)


def _read_all(files: list[Path], keeper: SecretKeeper) -> Iterator[SourceResult]:
    """Each file's result, in order; many files are parsed by a pool of worker processes.

    Parsing is CPU-bound Python, so threads would not help; results come back pickled, in file
    order, so the observation is the same whichever way it was read.
    """
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if len(files) < PARALLEL_FROM or workers < 2 or "fork" not in mp.get_all_start_methods():
        yield from (_read_file(path, keeper) for path in files)
        return
    global _worker_keeper
    _worker_keeper = keeper  # inherited by the forked workers, never pickled or written anywhere
    try:
        with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
            chunks = max(1, len(files) // (8 * workers))
            yield from map(_unpack, pool.map(_read_in_worker, files, chunksize=chunks))
    finally:
        _worker_keeper = None


_worker_keeper: SecretKeeper | None = None
_Packed = tuple[list[tuple[ResourceKey, Origin, bytes, str, Comments]], list[InputError]]


def _read_in_worker(path: Path) -> _Packed:
    # Canonical bytes travel instead of the bodies: bytes pickle at memory speed and the body
    # is rebuilt with the C JSON decoder, which costs a third of unpickling the dicts.
    assert _worker_keeper is not None, "bad math: worker started without the store's keeper"
    result = _read_file(path, _worker_keeper)
    packed = [(r.key, r.origin, r.canonical, r.digest, r.comments) for r in result.resources]
    return packed, result.errors


def _unpack(packed: _Packed) -> SourceResult:
    resources, errors = packed
    return SourceResult(
        [
            Resource(key, json.loads(data), origin, data, address, comments)
            for key, origin, data, address, comments in resources
        ],
        errors,
    )


def _read_file(path: Path, keeper: SecretKeeper) -> SourceResult:
    result = SourceResult()
    text = _text(path, result)
    if text is None:
        return result
    if not text.strip():
        result.errors.append(InputError(str(path), "empty file"))
        return result
    if _is_compose(path, text):
        return parse_compose(path, text, keeper)
    return parse_manifests(str(path), text, keeper)


def _text(path: Path, result: SourceResult) -> str | None:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            reason = f"file is {size / 1e6:.1f} MB, over the {MAX_FILE_BYTES >> 20} MiB limit"
            result.errors.append(InputError(str(path), reason))
            return None
        data = path.read_bytes()
    except OSError as exc:
        result.errors.append(InputError(str(path), f"cannot read: {exc.strerror}"))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        reason = f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        result.errors.append(InputError(str(path), reason))
        return None


def _is_compose(path: Path, text: str) -> bool:
    if is_compose_file(path):
        return True
    if "services:" not in text or "kind:" in text:
        return False
    first = next(iter(read_documents(text)), None)
    return (
        first is not None
        and not isinstance(first, DocumentError)
        and looks_like_compose(first.data)
    )


register(FileSource())
