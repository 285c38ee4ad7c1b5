"""The file source: manifests and Compose files, one file or a directory tree.

Each file goes to the right reader by name and content: Compose file names (``compose.yaml``,
``docker-compose*.yml``) and documents with a ``services`` map go to Compose; every other
``.yaml``/``.yml``/``.json`` file is read as Kubernetes objects. Other files in a directory are
skipped; a file named on the command line is always read; ``-`` reads a stream of manifests from
standard input (``kubectl kustomize DIR | stateward scan - …``).

Files are read bounded and only when regular (:mod:`.reading`): a FIFO, a device or a symlink to
``/dev/zero`` is one error, not a hang. A path that could not be read at all (no permission, not
a regular file, an unreadable directory) and a folder that must be rendered first (a
kustomization or a Helm chart) make the observation incomplete: what they hold was not seen.
"""

from __future__ import annotations

import functools
import multiprocessing as mp
import os
import sys
from collections.abc import Callable, Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from stateward.errors import InputError, SourceError, WorkerError
from stateward.model.derived import encoded_views
from stateward.model.encoded import DeflatedBody, EncodedBody, deflate
from stateward.model.finding import Finding
from stateward.model.resource import Origin, Resource, ResourceKey, made
from stateward.model.secrets import SecretKeeper
from stateward.sources.comments import Comments
from stateward.sources.compose import is_compose_file, looks_like_compose, parse_compose
from stateward.sources.interface import Progress, SourceResult, register
from stateward.sources.manifests import parse_manifests
from stateward.sources.reading import ReadRefused, read_bounded
from stateward.sources.yamldocs import DocumentError, read_documents
from stateward.workers import forked_pool, pipes_may_break

__all__ = ["MAX_FILE_BYTES", "STDIN", "FileSource"]

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Larger files are refused: no real manifest is this big, and reading one would stall a scan."""
SUFFIXES = (".yaml", ".yml", ".json")
PARALLEL_FROM = 16
"""Fewer files than this are read in-process: a worker pool costs more than it saves."""
MAX_WORKERS = 4
BATCH_BYTES = 256 * 1024
"""Smaller files are given to a worker together, up to this size: a task costs this process
~0.1 ms of CPU to send and take back, and one of this size takes a worker ~25 ms to read."""
STDIN = "-"
_KUSTOMIZATIONS = ("kustomization.yaml", "kustomization.yml", "Kustomization")
_RENDER = {
    "kustomization": "kubectl kustomize {dir} | stateward scan - --estate ESTATE",
    "Helm chart": "helm template RELEASE {dir} | stateward scan - --estate ESTATE",
}


@dataclass(slots=True)
class FileSource:
    """Reads manifest and Compose files or directories (recursively), or ``-`` (stdin)."""

    name: str = "files"
    allowed: tuple[Path, ...] = ()
    """Directories outside a Compose project its side files may still be read from."""
    stdin: BinaryIO | None = None
    """Where ``-`` is read from; None means the process's standard input."""
    derive: Derive | None = None
    """Computes views of each resource (kept in its ``derived``) where it is read: files read
    by worker processes are then normalized there, in parallel, and their views come back
    as bytes. Files read in-process leave the views to be computed when first read."""
    recorded: bool = True
    """Whether what is read may be recorded: files read by worker processes then come with
    each body deflated there as the store keeps it (:func:`deflate`, a fifth of its size, held
    so until the record step writes it). Unrecorded (an audit), a body comes as its canonical
    bytes: deflated there and inflated here at each read, it cost ``audit --json`` of 20k
    objects ~0.4 CPU s of its ~9.8 (the workers' deflating, this process's inflating), for
    bytes nothing wrote."""

    def accepts(self, location: str) -> bool:
        """Anything that is not a URL is taken as a path."""
        return "://" not in location

    def allowing(self, directories: tuple[Path, ...]) -> FileSource:
        """This source, with Compose side files also readable under ``directories``."""
        return replace(self, allowed=self.allowed + directories)

    def deriving(self, derive: Derive) -> FileSource:
        """This source, running ``derive`` on each resource its workers read."""
        return replace(self, derive=derive)

    def unrecorded(self) -> FileSource:
        """This source, for a read that nothing records (:attr:`recorded`)."""
        return replace(self, recorded=False)

    def observe(
        self, location: str, keeper: SecretKeeper, progress: Progress | None = None
    ) -> SourceResult:
        """Read every manifest and Compose file under ``location``. SourceError when the
        location cannot be read at all; a folder under it that cannot be listed is an error and
        makes the result incomplete."""
        if location == STDIN:
            return _read_stdin(self.stdin or sys.stdin.buffer, keeper)
        result, refused = self.observe_together([location], keeper, progress)
        if refused:
            raise refused[location]
        return result

    def observe_together(
        self, locations: list[str], keeper: SecretKeeper, progress: Progress | None = None
    ) -> tuple[SourceResult, dict[str, SourceError]]:
        """Read several paths as one folder holding them is read: a file named twice is read
        once, a Compose file that any of them includes is read only in the project including
        it (``stateward scan compose.yaml services/`` or a shell's ``*``), and many files named
        one by one are read in parallel. Returns what was read and, apart, each location that
        could not be read at all with why."""
        result = SourceResult()
        refused: dict[str, SourceError] = {}
        files: dict[Path, Path] = {}
        for location in locations:
            try:
                found = _located(Path(location), result)
            except SourceError as exc:
                refused[location] = exc
                continue
            for path in found:
                files.setdefault(path.resolve(), path)
        named = list(files.values())
        parts = []
        for done, part in enumerate(_read_all(named, keeper, self), 1):
            parts.append(part)
            if progress is not None:
                progress(done, len(named))
        for part in _standalone(named, parts):
            result.resources.extend(part.resources)
            result.errors.extend(part.errors)
            result.findings.extend(part.findings)
            result.complete &= part.complete
        return result, refused


def _located(root: Path, result: SourceResult) -> list[Path]:
    """The files ``root`` names or holds; SourceError when it cannot be read at all."""
    if not root.exists() and not root.is_symlink():
        raise SourceError("no such file or directory")
    return list(_files(root, result))


def _standalone(files: list[Path], parts: list[SourceResult]) -> Iterator[SourceResult]:
    """The results of the files not read as part of another (a Compose file another one
    includes is read once, in the project that includes it). Files nothing includes come
    first; of files that include one another in a ring, one with a name Compose looks for."""
    included = {path for part in parts for path in part.included}
    if not included:
        return iter(parts)
    resolved = [path.resolve() for path in files]
    order = sorted(
        range(len(files)), key=lambda i: (resolved[i] in included, not is_compose_file(files[i]))
    )
    dropped: set[Path] = set()
    kept = set()
    for i in order:
        if resolved[i] not in dropped:
            kept.add(i)
            dropped.update(parts[i].included)
    return (part for i, part in enumerate(parts) if i in kept)


def _read_stdin(stream: BinaryIO, keeper: SecretKeeper) -> SourceResult:
    data = stream.read(MAX_FILE_BYTES + 1)
    result = SourceResult()
    if len(data) > MAX_FILE_BYTES:
        reason = f"standard input is over the {MAX_FILE_BYTES >> 20} MiB limit"
        result.errors.append(InputError("stdin", reason))
        result.complete = False
        return result
    text = _decode("stdin", data, result)
    if text is None:
        return result
    return parse_manifests("stdin", text, keeper)


def _files(root: Path, result: SourceResult) -> Iterator[Path]:
    if not root.is_dir():
        yield root  # a file named on the command line, whatever its kind: reading decides
        return
    if _unrendered(root, result):
        return

    def unreadable(exc: OSError) -> None:
        # os.walk skips a folder it cannot list unless told: what it held is then unseen
        if exc.filename is None or Path(exc.filename) == root:
            raise SourceError(f"cannot read directory: {exc.strerror}")
        where = exc.filename
        result.errors.append(InputError(where, f"cannot read directory: {exc.strerror}"))
        result.complete = False

    for directory, subdirs, names in os.walk(root, onerror=unreadable):
        kept = sorted(d for d in subdirs if not d.startswith("."))
        subdirs[:] = [d for d in kept if not _unrendered(Path(directory, d), result)]
        for name in sorted(names):
            if name.endswith(SUFFIXES) and not name.startswith("."):
                yield Path(directory, name)


def _unrendered(directory: Path, result: SourceResult) -> bool:
    """True (with an error saying how to render it) for a kustomization or a Helm chart: their
    files are inputs to a renderer, not the objects it makes."""
    # os.path.isfile is False for a folder it may not look into: the walk reports that one.
    if any(os.path.isfile(directory / name) for name in _KUSTOMIZATIONS):
        what = "kustomization"
    elif os.path.isfile(directory / "Chart.yaml"):
        what = "Helm chart"
    else:
        return False
    result.errors.append(
        InputError(
            str(directory),
            f"a {what}: its files are not the objects it renders; not read",
            remedy="Render it and scan the output: " + _RENDER[what].format(dir=directory),
        )
    )
    result.complete = False
    return True


def _read_all(
    files: list[Path], keeper: SecretKeeper, source: FileSource
) -> Iterator[SourceResult]:
    """Each file's result, in order; many files are parsed by a pool of worker processes.

    Parsing is CPU-bound Python, so threads would not help; results come back pickled, in file
    order, so the observation is the same whichever way it was read.
    """
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if len(files) < PARALLEL_FROM or workers < 2 or "fork" not in mp.get_all_start_methods():
        yield from (_read_file(path, keeper, source.allowed) for path in files)
        return
    global _worker_keeper
    _worker_keeper = keeper  # inherited by the forked workers, never pickled or written anywhere
    try:
        with pipes_may_break(), forked_pool(workers) as pool:
            work = functools.partial(
                _read_in_worker, source.allowed, source.derive, source.recorded
            )
            unpack = functools.partial(_unpack, source.recorded)
            for batch in pool.map(work, _batches(files)):
                yield from map(unpack, batch)
    except BrokenProcessPool:
        raise WorkerError(
            "a worker process reading the files ended before it finished (killed, or out of "
            "memory); nothing of this read was recorded"
        ) from None
    finally:
        _worker_keeper = None


def _batches(files: list[Path]) -> list[list[Path]]:
    """``files`` in order, as the tasks given to the workers: each file of at least
    :data:`BATCH_BYTES` alone, smaller ones together up to that size. The read ends when the
    last task does: tasks of a fixed number of files (an eighth of a worker's share) left a
    core idle while the other read the last one, up to ~1.7 s at 100k objects (12 files of
    500 objects a task)."""
    batches: list[list[Path]] = []
    size = BATCH_BYTES
    for path in files:
        try:
            length = path.stat().st_size
        except OSError:
            length = 0  # the worker's read says why
        if size + length > BATCH_BYTES:
            batches.append([])
            size = 0
        batches[-1].append(path)
        size += length
    return batches


_worker_keeper: SecretKeeper | None = None
Derive = Callable[[Resource], None]
_Packed = tuple[
    list[tuple[ResourceKey, Origin, bytes, int, str, Comments, Comments, dict[str, bytes]]],
    list[InputError],
    bool,
    list[Finding],
    list[Path],
]


def _read_in_worker(
    allowed: tuple[Path, ...], derive: Derive | None, recorded: bool, paths: list[Path]
) -> list[_Packed]:
    assert _worker_keeper is not None, "bad math: worker started without the store's keeper"
    read = (_read_file(path, _worker_keeper, allowed) for path in paths)
    return [_packed(result, derive, recorded) for result in read]


def _packed(result: SourceResult, derive: Derive | None, recorded: bool) -> _Packed:
    # Canonical bytes travel instead of the bodies, deflated here as the store keeps them
    # (a fifth of their size, and compressed in parallel): bytes pickle at memory speed, a
    # scan holds every body until its record step, which stores these bytes as they are, and
    # a body is rebuilt (with the C JSON decoder, a third of the cost of unpickling the dicts)
    # only if something reads it. Derived views travel as bytes too, decoded by whoever
    # reads them. Unrecorded, the bytes travel as they are (FileSource.recorded).
    packed = []
    for r in result.resources:
        if derive is not None:
            derive(r)
        data = r.canonical
        packed.append(
            (r.key, r.origin, deflate(data) if recorded else data, len(data), r.digest,
             r.comments, r.files, encoded_views(r))
        )  # fmt: skip
    return packed, result.errors, result.complete, result.findings, result.included


def _unpack(recorded: bool, packed: _Packed) -> SourceResult:
    resources, errors, complete, findings, included = packed
    result = SourceResult([], errors, complete, findings, included)
    for key, origin, data, size, address, comments, files, views in resources:
        # made(): the dataclass's __init__ costs ~1.3 us more a resource, in the scanning
        # process, where every worker's results are unpacked one after another
        if recorded:
            resource = made(key, DeflatedBody(data, size), origin, b"", address, comments, files)
        else:
            resource = made(key, EncodedBody(data), origin, data, address, comments, files)
        resource.derived.update(views)
        result.resources.append(resource)
    return result


def _read_file(path: Path, keeper: SecretKeeper, allowed: tuple[Path, ...]) -> SourceResult:
    result = SourceResult()
    if path.name in _KUSTOMIZATIONS or path.name == "Chart.yaml":
        _unrendered(path.parent, result)
        return result
    text = _text(path, result)
    if text is None:
        return result
    if not text.strip():
        result.errors.append(InputError(str(path), "empty file"))
        return result
    if _is_compose(path, text):
        return parse_compose(path, text, keeper, allowed)
    return parse_manifests(str(path), text, keeper)


def _text(path: Path, result: SourceResult) -> str | None:
    try:
        data = read_bounded(path, MAX_FILE_BYTES)
    except ReadRefused as exc:
        result.errors.append(InputError(str(path), exc.reason))
        result.complete &= not exc.unseen
        return None
    return _decode(str(path), data, result)


def _decode(where: str, data: bytes, result: SourceResult) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        reason = f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        result.errors.append(InputError(where, reason))
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
