"""One project's definitions when a file defines again what a file it includes defines: the
including file's definition merged over the included one; and the Compose merge rules, by which
an ``include`` entry's further files are merged over its first too.

compose-go imports an included file's resources into the including model; since 3d3411d
("Allow importing compose file to override resource definition", PR #835), a resource both
define is the included definition with the including file's merged over it
(``importResource``, loader/include.go at
https://github.com/compose-spec/compose-go/blob/e70e961c3a3acebf0800b882f1afb3dbf1fb74a2/loader/include.go),
so a project adds a volume or an environment variable to an included service by naming the
service again. Before, the same file was refused ("services.db conflicts with imported
resource"). Identical definitions stay one.

The merge follows the Compose Specification's merge rules
(https://github.com/compose-spec/compose-spec/blob/b1ddb509e70a99ed914448650c3148321bc15f66/13-merge.md):
maps merged key by key, sequences appended; ``command``, ``entrypoint`` and a healthcheck's
``test`` replaced; ``environment`` and ``labels`` merged by name; a service's ``volumes`` by
target path. Paths are resolved against each file's own project directory before the merge (as
compose-go resolves them while loading each file), so the including file's relative bind
sources, ``env_file`` entries and build contexts are rebased from its directory onto the
directory of the file the merged definition is read as part of.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # composefiles merges an include's override files with :func:`merged`
    from stateward.sources.composefiles import ComposeFile

__all__ = ["Definition", "definitions", "merged", "rooted"]

_SECTIONS = ("services", "volumes", "secrets", "configs", "networks")
_REPLACED = frozenset({"command", "entrypoint"})
_BY_NAME = frozenset({"environment", "labels"})


@dataclass(frozen=True, slots=True)
class Definition:
    """Where a resource of the project is read from, what it is, and every file it took part
    of its definition from (their interpolators noted its values)."""

    file: ComposeFile
    spec: Any
    sources: tuple[ComposeFile, ...]


def definitions(files: list[ComposeFile]) -> dict[tuple[str, str], Definition]:
    """Each (section, name) of the project's files (the including file before those it
    includes): the last file to define it, holding the merged definition."""
    found: dict[tuple[str, str], Definition] = {}
    for file in files:
        for section in _SECTIONS:
            entries = file.data.get(section)
            if not isinstance(entries, dict):
                continue
            for name, spec in entries.items():
                key = (section, str(name))
                earlier = found.get(key)
                if earlier is None:
                    found[key] = Definition(file, spec, (file,))
                elif earlier.spec != spec:
                    over = (
                        _rebased(earlier.spec, earlier.file, file)
                        if section == "services"
                        else earlier.spec
                    )
                    found[key] = Definition(file, merged(spec, over), (file, *earlier.sources))
    return found


def merged(base: Any, over: Any, key: str = "") -> Any:
    """``over`` merged into ``base`` by the Compose merge rules (module docstring)."""
    if key in _BY_NAME and isinstance(base, list | dict) and isinstance(over, list | dict):
        return {**_named(base), **_named(over)}
    if isinstance(base, dict) and isinstance(over, dict):
        keys = [*base, *(k for k in over if k not in base)]
        return {
            k: (over[k] if k not in base else base[k] if k not in over else _child(base, over, k))
            for k in keys
        }
    if isinstance(base, list) and isinstance(over, list) and key not in _REPLACED:
        if key == "volumes":
            targets = {_target(v) for v in over}
            return [v for v in base if _target(v) not in targets] + over
        return base + [v for v in over if v not in base]
    return over


def _child(base: dict[str, Any], over: dict[str, Any], key: str) -> Any:
    if key == "test":  # a healthcheck's command is replaced, as ``command`` is
        return over[key]
    return merged(base[key], over[key], key)


def _named(value: list[Any] | dict[Any, Any]) -> dict[str, Any]:
    """``environment``/``labels`` as a map: ``KEY=VALUE`` entries split, a bare ``KEY`` null."""
    if isinstance(value, dict):
        return {str(k): v for k, v in value.items()}
    pairs = (str(item).partition("=") for item in value)
    return {k: (v if sep else None) for k, sep, v in pairs}


def _target(volume: Any) -> str:
    """The container path of a service volume, short (``src:/target[:mode]``) or long form."""
    if isinstance(volume, dict):
        return str(volume.get("target", ""))
    parts = str(volume).split(":")
    return parts[1] if len(parts) > 1 else parts[0]


def _rebased(spec: Any, source: ComposeFile, target: ComposeFile) -> Any:
    """A service definition of ``source`` with its relative paths rebased, so that they still
    name the same files when it is read as part of ``target``'s definition."""
    if source.side.directory == target.side.directory:
        return spec
    return rooted(spec, source.side.directory, target.side.directory)


def rooted(spec: Any, here: Path, project: Path) -> Any:
    """A service definition with its relative paths (bind sources, ``env_file`` entries, build
    contexts), written relative to ``here``, made relative to ``project``, the directory of the
    file it is read as part of: that file's side files are read from there, and its binds are
    recorded as written in it, whatever the directory the scan was started from."""
    if not isinstance(spec, dict):
        return spec
    body = dict(spec)
    if isinstance(body.get("volumes"), list):
        body["volumes"] = [_volume(v, here, project) for v in body["volumes"]]
    env_file = body.get("env_file")
    if isinstance(env_file, str | dict):
        env_file = [env_file]
    if isinstance(env_file, list):
        body["env_file"] = [_env_file(e, here, project) for e in env_file]
    build = body.get("build")
    if isinstance(build, str):
        body["build"] = _path(build, here, project)
    elif isinstance(build, dict) and isinstance(build.get("context"), str):
        body["build"] = {**build, "context": _path(build["context"], here, project)}
    return body


def _volume(volume: Any, here: Path, project: Path) -> Any:
    if isinstance(volume, dict):
        source = volume.get("source")
        if volume.get("type") == "bind" and isinstance(source, str):
            return {**volume, "source": _path(source, here, project)}
        return volume
    text = str(volume)
    source, colon, rest = text.partition(":")
    # A short-syntax source is a path when it starts with "." (or "/", "~"); else a volume name.
    return f"{_path(source, here, project)}{colon}{rest}" if source.startswith(".") else volume


def _env_file(entry: Any, here: Path, project: Path) -> Any:
    if isinstance(entry, dict) and isinstance(entry.get("path"), str):
        return {**entry, "path": _path(entry["path"], here, project)}
    return _path(entry, here, project) if isinstance(entry, str) else entry


def _path(name: str, here: Path, project: Path) -> str:
    if name.startswith(("/", "~")) or "://" in name:
        return name
    relative = os.path.relpath(os.path.abspath(here / name), os.path.abspath(project))
    # "./" kept in front, as a short-syntax bind source must start with "." to be a path.
    return relative if relative == "." or relative.startswith("..") else f"./{relative}"
