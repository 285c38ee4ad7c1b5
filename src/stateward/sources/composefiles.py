"""The files of one Compose project: the file named, read and interpolated (its services'
``extends`` resolved: :mod:`.composeextends`), with the override file Compose merges over it by
default, and the files it includes with the top-level ``include`` element (Compose v2.20+),
each with its own project directory and variables.

Run in a directory without ``-f``, Compose takes the files ``COMPOSE_FILE`` lists (split at
``COMPOSE_PATH_SEPARATOR``, else the system's path-list separator), the variable read from the
directory's ``.env`` too; without it, the first of its default file names found there and the
first default override file beside it; the files after the first are merged over it
(compose-go's ``WithConfigFileEnv``, ``WithDefaultConfigPath``, ``DefaultFileNames`` and
``DefaultOverrideFileNames``):
https://github.com/compose-spec/compose-go/blob/e70e961c3a3acebf0800b882f1afb3dbf1fb74a2/cli/options.go
and https://docs.docker.com/compose/how-tos/environment-variables/envvars/#compose_file.
A ``COMPOSE_FILE`` in the ``.env`` of a directory that holds none of the files it lists is not
followed: we read the files found, not a command line.

As the Compose Specification says (``include``):
https://github.com/compose-spec/compose-spec/blob/b1ddb509e70a99ed914448650c3148321bc15f66/14-include.md
and as compose-go's loader does it (``ApplyInclude``):
https://github.com/compose-spec/compose-go/blob/0761c331424da636609b3abe7986e072d754aece/loader/include.go

- an entry is a path (short syntax) or ``{path, project_directory, env_file}``; ``path`` may be
  a list: the file, then override files merged over it;
- paths in an included file are relative to its project directory: ``project_directory``
  (relative to the including file's), else the included file's own directory;
- its variables are its ``env_file`` entries (relative to the including file's directory), else
  the ``.env`` of its project directory, each overridden by the including file's variables
  (compose-go's ``environment.Clone().Merge(envFromFile)``: Merge adds only missing keys);
- an include cycle is an error (compose-go: "include cycle detected").

Every included file is read through the including file's :class:`SideFiles`: bounded, and only
from inside a project directory of the chain or a directory the operator allowed. A remote
include (``oci://``, a git URL) is not fetched. Each refusal is one error naming the file; the
rest of the project is still read.
"""

from __future__ import annotations

import os
from collections import ChainMap
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stateward.errors import InputError
from stateward.sources.composeextends import extend_services
from stateward.sources.composemerge import merged
from stateward.sources.goyaml import COMPOSE
from stateward.sources.interface import SourceResult
from stateward.sources.interpolate import InterpolationTooLarge, Interpolator, failure
from stateward.sources.reading import within
from stateward.sources.sidefiles import SideFiles
from stateward.sources.yamldocs import Document, DocumentError, read_documents

__all__ = [
    "DEFAULT_FILES",
    "MAX_INCLUDED",
    "MAX_PROJECT_BYTES",
    "ComposeFile",
    "looks_like_compose",
    "picked_files",
    "project_files",
]

DEFAULT_FILES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
"""The file names Compose looks for in a directory, in its order of preference."""
OVERRIDE_FILES = (
    "compose.override.yml",
    "compose.override.yaml",
    "docker-compose.override.yml",
    "docker-compose.override.yaml",
)
"""The override file names Compose merges over the file it picked, in its order of preference."""
MAX_INCLUDED = 64
"""Files one project may include, nested includes counted: more is a hostile fan-out."""
MAX_PROJECT_BYTES = 64 * 1024 * 1024
"""Text of one project's files together: one 16 MiB file included 64 times is refused too."""
_INTERPOLATION_BUDGET = 16 * 1024 * 1024
"""Bytes of variable values substituted into one file, beyond its own size."""


@dataclass(slots=True)
class ComposeFile:
    """One file of a project: its text, first document, interpolated data, side files (which
    know its project directory) and the interpolator that noted its secret values."""

    path: Path
    text: str
    document: Document
    data: dict[str, Any]
    side: SideFiles
    interpolator: Interpolator
    extended: tuple[Path, ...] = ()
    """Other files its services ``extends`` (:mod:`.composeextends`), symlinks resolved."""
    overridden: tuple[Path, ...] = ()
    """The files Compose merges over it (:func:`picked_files`), symlinks resolved."""
    picked: bool = False
    """The file Compose picks in its directory (:func:`picked_files`): its project is named
    for the directory alone."""


@dataclass(slots=True)
class _Include:
    paths: list[str]
    project_directory: str | None
    env_files: list[str]


def looks_like_compose(data: Any) -> bool:
    """True for a document shaped like Compose: a ``services`` map, or no services but an
    ``include`` list (a project made of the files it includes, which compose-go loads), and no
    Kubernetes ``kind``."""
    if not isinstance(data, dict) or "kind" in data:
        return False
    services = data.get("services")
    return isinstance(services, dict) or (
        services is None and isinstance(data.get("include"), list)
    )


def project_files(
    path: Path, text: str, allowed: tuple[Path, ...], result: SourceResult
) -> list[ComposeFile]:
    """The file ``path`` (variables from the ``.env`` beside it), the files Compose merges
    over it when it is the file Compose picks in its directory, and every file it includes,
    the including file before those it includes; none when ``path`` is not Compose."""
    side = SideFiles(path, allowed, result.errors)
    variables = side.dotenv()
    picked = picked_files(path.parent, variables)
    first = bool(picked) and _same(side.directory / picked[0], path)
    names = list(picked[1:]) if first else []
    overrides = _overrides(side, names, f"{path}:1", result)
    root = _load(path, text, side, variables, result, overrides, root=True)
    if root is None:
        return []
    # Read with this file, whether or not they could be merged: their errors are said once, here.
    root.overridden = tuple((side.directory / name).resolve() for name in names)
    root.picked = first
    files = [root]
    if root.data.get("include") is not None:
        _include(root, (path.resolve(),), files, result)
    return files


def picked_files(directory: Path, variables: Mapping[str, str]) -> tuple[str, ...]:
    """The files Compose takes when run in ``directory`` with the variables of its ``.env``
    and no ``-f``, relative to it: the first is the project, the others merged over it."""
    listed = variables.get("COMPOSE_FILE")
    if listed is not None:
        separator = variables.get("COMPOSE_PATH_SEPARATOR") or os.pathsep
        return tuple(name for name in listed.split(separator) if name)
    picked = next((n for n in DEFAULT_FILES if os.path.exists(directory / n)), None)
    if picked is None:
        return ()
    override = next((n for n in OVERRIDE_FILES if os.path.exists(directory / n)), None)
    return (picked, override) if override else (picked,)


def _same(a: Path, b: Path) -> bool:
    return a.resolve() == b.resolve()


def _overrides(
    side: SideFiles, names: list[str], where: str, result: SourceResult
) -> tuple[dict[str, Any], ...]:
    """The first document of each override file ``names`` (relative to the project
    directory); one error naming the file for one that is refused, not YAML or not a map."""
    found = []
    for name in names:
        text = side.text(name, where, "override file")
        if text is None:
            continue
        path = side.directory / name
        first = None
        for doc in read_documents(text, COMPOSE):
            if isinstance(doc, DocumentError):
                result.errors.append(InputError(f"{path}:{doc.line}", doc.reason))
            elif first is None:
                first = doc
        if first is not None and isinstance(first.data, dict):
            found.append(first.data)
        elif first is not None and first.data is not None:
            result.errors.append(InputError(f"{path}:1", "an override file must be a map"))
    return tuple(found)


def _load(
    path: Path,
    text: str,
    side: SideFiles,
    variables: dict[str, str],
    result: SourceResult,
    overrides: tuple[dict[str, Any], ...] = (),
    *,
    root: bool = False,
) -> ComposeFile | None:
    """``path`` parsed, ``overrides`` merged over it, and interpolated (once, so one
    interpolator notes every secret value substituted); the ``root`` file must hold a
    ``services`` map, an included file only a map."""
    docs = list(read_documents(text, COMPOSE))
    first = next((d for d in docs if not isinstance(d, DocumentError) and d.data), None)
    for doc in docs:
        if isinstance(doc, DocumentError):
            result.errors.append(InputError(f"{path}:{doc.line}", doc.reason))
    if first is None:
        return None
    data = first.data
    if not (looks_like_compose(data) if root else isinstance(data, dict)):
        result.errors.append(InputError(f"{path}:1", "not a Compose file: no `services` map"))
        return None
    for override in overrides:
        data = merged(data, override)
    budget = len(text) + _INTERPOLATION_BUDGET
    interpolator = Interpolator(variables, budget=budget, hidden=side.hidden)
    try:
        data = interpolator.apply(data)
    except InterpolationTooLarge:
        reason = f"variables would add more than {budget >> 20} MiB to the file; refused"
        result.errors.append(InputError(f"{path}:1", reason))
        return None
    extended = extend_services(data, path, text, side, interpolator, result)
    _report_interpolation(path, text, interpolator, result)
    return ComposeFile(path, text, first, data, side, interpolator, extended)


def _include(
    parent: ComposeFile, chain: tuple[Path, ...], files: list[ComposeFile], result: SourceResult
) -> None:
    """Append the files ``parent`` includes to ``files``, each followed by its own includes
    (compose-go imports a file's includes into it before importing it)."""
    where = line_of(parent.path, parent.text, "include:")
    for entry in _entries(parent.data.get("include"), where, result):
        if len(files) > MAX_INCLUDED or sum(len(f.text) for f in files) > MAX_PROJECT_BYTES:
            reason = (
                f"more than {MAX_INCLUDED} files or {MAX_PROJECT_BYTES >> 20} MiB included; "
                "the rest not read"
            )
            result.errors.append(InputError(where, reason))
            return
        child = _read(parent, entry, chain, where, result)
        if child is not None:
            files.append(child)
            _include(child, (*chain, child.path.resolve()), files, result)


def _entries(value: Any, where: str, result: SourceResult) -> list[_Include]:
    if value is None:
        return []
    if not isinstance(value, list):
        result.errors.append(InputError(where, "`include` must be a list"))
        return []
    entries = []
    for item in value:
        spec = {"path": item} if isinstance(item, str) else item
        paths = spec.get("path") if isinstance(spec, dict) else None
        paths = [paths] if isinstance(paths, str) else paths
        env = spec.get("env_file") if isinstance(spec, dict) else None
        env = [env] if isinstance(env, str) else env or []
        directory = spec.get("project_directory") if isinstance(spec, dict) else None
        named = isinstance(paths, list) and isinstance(env, list)
        directory = directory if isinstance(directory, str) else None
        if not paths or not named or not all(isinstance(p, str) for p in [*paths, *env]):
            result.errors.append(InputError(where, f"include entry {item!r}: needs a `path`"))
            continue
        if any("\0" in p for p in [*paths, *env, directory or ""]):
            result.errors.append(InputError(where, "include entry: a NUL in a path; refused"))
            continue
        entries.append(_Include(paths, directory, env))
    return entries


def _read(
    parent: ComposeFile,
    entry: _Include,
    chain: tuple[Path, ...],
    where: str,
    result: SourceResult,
) -> ComposeFile | None:
    """The file ``entry`` names with its overrides merged in; None (with an error) if refused."""
    if any("://" in p or p.startswith("oci:") for p in entry.paths):
        result.errors.append(InputError(where, f"include {entry.paths[0]}: remote; not fetched"))
        return None
    main = parent.side.text(entry.paths[0], where, "include")
    if main is None:
        return None
    base = parent.side.directory
    path = base / entry.paths[0]
    if path.resolve() in chain:
        cycle = " -> ".join(str(p) for p in (*chain, path.resolve()))
        result.errors.append(InputError(where, f"include cycle: {cycle}; not read again"))
        return None
    # The file was read from an allowed place, so its own directory is allowed too.
    directory = base / entry.project_directory if entry.project_directory else path.parent
    if not any(within(directory, root) for root in (base, *parent.side.allowed)):
        reason = f"include {entry.paths[0]}: project_directory outside the project; refused"
        result.errors.append(InputError(where, reason))
        return None
    allowed = (*parent.side.allowed, base)
    side = SideFiles(path, allowed, result.errors, directory)
    variables = {**_variables(parent, entry, side, where), **parent.interpolator.variables}
    for variable, secrets in parent.interpolator.hidden.items():
        side.hidden.setdefault(variable, set()).update(secrets)
    overrides = _overrides(parent.side, entry.paths[1:], where, result)
    return _load(path, main, side, variables, result, overrides)


def _variables(parent: ComposeFile, entry: _Include, side: SideFiles, where: str) -> dict[str, str]:
    """The included file's own variables: its ``env_file`` entries (relative to the including
    file, all required as compose-go stats each), else its project directory's ``.env``."""
    if not entry.env_files:
        return side.dotenv()
    found: dict[str, str] = {}
    for name in entry.env_files:  # compose-go GetEnvFromFile: the parent's variables first
        lookup = ChainMap(dict(parent.interpolator.variables), found)
        found.update(parent.side.env(name, where, required=True, lookup=lookup,
                                     hidden=parent.interpolator.hidden))  # fmt: skip
    return found


def _report_interpolation(
    path: Path, text: str, interpolator: Interpolator, result: SourceResult
) -> None:
    """Required variables left unset: Compose refuses the file. Variables merely unset are
    findings of the services using them (:mod:`.composeunset`): Compose warns and goes on."""
    for name, message in interpolator.failed:
        result.errors.append(InputError(line_of(path, text, "${" + name), failure(name, message)))


def line_of(path: Path, text: str, *needles: Any) -> str:
    """``path:line`` of the first line holding one of ``needles`` (line 1 if none does)."""
    for needle in needles:
        index = text.find(str(needle))
        if index >= 0:
            return f"{path}:{text.count(chr(10), 0, index) + 1}"
    return f"{path}:1"
