"""A service's ``extends``: the service it names merged under its own definition, as
compose-go's loader does it.

The Compose Specification (``extends``):
https://github.com/compose-spec/compose-spec/blob/170098ba07d9f53c383a41bfd4c5166b0a4529a6/05-services.md#extends
and compose-go (``ApplyExtends``, loader/extends.go):
https://github.com/compose-spec/compose-go/blob/e70e961c3a3acebf0800b882f1afb3dbf1fb74a2/loader/extends.go

- ``extends`` is a service name, or ``{service, file}``; without ``file`` the base is a service
  of the same file;
- ``file`` is relative to the extending file's project directory. It is read as an included
  file is (bounded, from inside the project or a directory the operator allowed), interpolated
  with the extending file's variables (compose-go loads it with a clone of the same options),
  and its relative paths are resolved against its own directory (``ResolveRelativePaths``
  with the base file's directory);
- a base that extends another is resolved first; a cycle is an error (``cycleTracker``);
- the service's own definition is merged over its base by the rules compose-go merges override
  files with (``override.ExtendService`` calls ``MergeYaml``): :func:`.composemerge.merged`,
  ``extends`` itself removed.

A value a base takes from a secret variable is noted as the extending service's, so the
service's body is sealed with it (:meth:`.Interpolator.seal`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stateward.errors import InputError
from stateward.sources.composemerge import merged, rooted
from stateward.sources.goyaml import COMPOSE
from stateward.sources.interface import SourceResult
from stateward.sources.interpolate import InterpolationTooLarge, Interpolator
from stateward.sources.sidefiles import SideFiles
from stateward.sources.yamldocs import MAX_EXPANDED, DocumentError, read_documents

__all__ = ["MAX_EXTENDED", "extend_services"]

MAX_EXTENDED = 64
"""Other files the services of one file may extend, and bases one service may have in a chain:
more is a hostile fan-out."""


@dataclass(slots=True)
class _File:
    """A file services are taken from: its text, its services as written (interpolated already
    for the extending file itself) and how to read the files beside it."""

    path: Path
    text: str
    services: dict[Any, Any]
    side: SideFiles
    interpolated: bool


@dataclass(slots=True)
class _Extender:
    project: Path
    """The extending file's project directory, which the bases' relative paths are rebased on."""
    interpolator: Interpolator
    result: SourceResult
    files: dict[Path, _File | None] = field(default_factory=dict)
    expanded: int = 0
    """Values copied from bases so far: one large base extended by every service of a file
    would otherwise be a copy bomb (the YAML reader bounds aliases the same way)."""
    refused: bool = False

    def resolved(self, file: _File, name: Any, root: str, chain: tuple[str, ...]) -> Any:
        """Service ``name`` of ``file`` with its bases merged under it, its values noted as
        the extending file's service ``root``'s."""
        spec = self._taken(file, name, root)
        if not isinstance(spec, dict) or "extends" not in spec:
            return spec
        own = {k: v for k, v in spec.items() if k != "extends"}
        where = _where(file, name)
        reference = _reference(spec["extends"])
        if reference is None:
            self._error(where, "`extends` must name a `service`")
            return own
        base, other = reference
        link = f"{file.path}:{name}"
        if len(chain) >= MAX_EXTENDED:
            self._error(where, f"extends: a chain of more than {MAX_EXTENDED}; not followed")
            return own
        if link in chain:
            self._error(where, f"extends cycle: {' -> '.join((*chain, link))}; not followed")
            return own
        source = file if other is None else self._load(file, other, where)
        if source is None:
            return own
        if base not in source.services:
            self._error(where, f"extends: service {base!r} not found in {source.path}")
            return own
        under = self.resolved(source, base, root, (*chain, link))
        if not isinstance(under, dict):
            return own
        self.expanded += _size(under)
        if self.expanded > MAX_EXPANDED:
            if not self.refused:
                self._error(where, f"extends expand to more than {MAX_EXPANDED} values; refused")
            self.refused = True
            return own
        return merged(under, own)

    def _taken(self, file: _File, name: Any, root: str) -> Any:
        spec = file.services.get(name)
        if file.interpolated:
            if name != root:
                self._note_as(name, root)
            return spec
        try:
            spec = self.interpolator.apply(spec, f"services.{root}", ("services", root))
        except InterpolationTooLarge:
            self._error(f"{file.path}:1", "variables would make the extended service too large")
            return None
        return rooted(spec, file.side.directory, self.project)

    def _note_as(self, name: Any, root: str) -> None:
        """The secret values substituted into service ``name`` belong to ``root`` too now."""
        secrets = self.interpolator.secrets
        for key, values in list(secrets.items()):
            if key[:2] == ("services", str(name)):
                secrets.setdefault(("services", root, *key[2:]), set()).update(values)

    def _load(self, file: _File, name: str, where: str) -> _File | None:
        target = file.side.directory / name
        key = target.resolve()
        if key in self.files:
            return self.files[key]
        if len(self.files) >= MAX_EXTENDED:
            self._error(where, f"extends: more than {MAX_EXTENDED} files; {name} not read")
            return None
        self.files[key] = loaded = self._read(file, name, target, where)
        return loaded

    def _read(self, file: _File, name: str, target: Path, where: str) -> _File | None:
        text = file.side.text(name, where, "extends file")
        if text is None:
            return None
        for doc in read_documents(text, COMPOSE):
            if isinstance(doc, DocumentError):
                self._error(f"{target}:{doc.line}", doc.reason)
                return None
            services = doc.data.get("services") if isinstance(doc.data, dict) else None
            if isinstance(services, dict):
                allowed = (*file.side.allowed, file.side.directory)
                side = SideFiles(target, allowed, self.result.errors)
                return _File(target, text, services, side, interpolated=False)
            break
        self._error(where, f"extends file {name}: no `services` map")
        return None

    def _error(self, where: str, reason: str) -> None:
        self.result.errors.append(InputError(where, reason))


def extend_services(
    data: dict[str, Any],
    path: Path,
    text: str,
    side: SideFiles,
    interpolator: Interpolator,
    result: SourceResult,
) -> tuple[Path, ...]:
    """Resolve every ``extends`` among the (interpolated) services of ``data``, the file
    ``path``, in place; the other files read for them (symlinks resolved)."""
    services = data.get("services")
    if not isinstance(services, dict):
        return ()
    if not any(isinstance(s, dict) and "extends" in s for s in services.values()):
        return ()
    extender = _Extender(side.directory, interpolator, result)
    own = _File(path, text, services, side, interpolated=True)
    data["services"] = {name: extender.resolved(own, name, str(name), ()) for name in services}
    return tuple(key for key, read in extender.files.items() if read is not None)


def _reference(value: Any) -> tuple[str, str | None] | None:
    """(service, file or None) of an ``extends`` value; None when it names no service."""
    if isinstance(value, str) and value:
        return value, None
    if not isinstance(value, dict) or not isinstance(value.get("service"), str):
        return None
    other = value.get("file")
    return value["service"], other if isinstance(other, str) and other else None


def _size(value: Any) -> int:
    """Values in ``value``: itself, and every key, item and value below it."""
    count, stack = 0, [value]
    while stack:
        item = stack.pop()
        count += 1
        if isinstance(item, dict):
            count += len(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return count


def _where(file: _File, name: Any) -> str:
    """``path:line`` of service ``name``'s ``extends`` key (of its name if not found)."""
    start = max(file.text.find(f"{name}:"), 0)
    index = file.text.find("extends", start)
    index = start if index < 0 else index
    return f"{file.path}:{file.text.count(chr(10), 0, index) + 1}"
