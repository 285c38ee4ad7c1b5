"""Configuration files a Compose service binds from its project directory.

A proxy's ``nginx.conf`` or ``Caddyfile`` and an application's settings folder are often bound
from the project (``./nginx.conf:/etc/nginx/nginx.conf:ro``, ``./searxng:/etc/searxng``) and
name the peers the program reaches (an ``upstream`` server, ``redis.url``). They are read as
:mod:`.sidefiles` reads side files (bounded, only from inside the project directory or a
directory the operator allowed) and more narrowly: a bound file, or the files directly inside a
directory bound at a configuration path (under ``/etc``, or named ``conf``/``config``) and in
its folders one level down (Grafana's ``provisioning/datasources``), each at
most :data:`MAX_BOUND_FILE` bytes of UTF-8 text, at most :data:`MAX_BOUND_FILES` per service. A
data directory is never walked. A file that is absent, refused or not text is left out without
an error: binds often name what the program creates at run time.

A service built from a context of the project carries the configuration files its Dockerfile
copies into the image (``COPY Caddyfile /etc/caddy/Caddyfile``: "copies new files ... from
<src> and adds them to the filesystem of the image at the path <dest>",
https://docs.docker.com/reference/dockerfile/#copy): a file of the context copied to a
configuration path is read as if bound there. Only plain single-file copies are read (no
``--from`` stage, no wildcard, no folder).

The text is kept beside the resource (``Resource.files``), never in its body or digest, with
every credential digested (:mod:`.redact_text`, and any value the service's own environment
holds as a secret).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from pathlib import PurePosixPath
from typing import Any

from stateward.sources.reading import ReadRefused
from stateward.sources.sidefiles import SideFiles

__all__ = ["MAX_BOUND_FILE", "MAX_BOUND_FILES", "bound_files"]

MAX_BOUND_FILE = 256 * 1024
MAX_BOUND_FILES = 16
_CONFIG_WORDS = frozenset({"conf", "config", "configs", "etc", "settings"})


def bound_files(side: SideFiles, service: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """``(path in the container, text)`` of the configuration files ``service`` binds from the
    project directory (before redaction)."""
    found: list[tuple[str, str]] = []
    for name, inside in _pairs(side, service):
        if len(found) >= MAX_BOUND_FILES:
            break
        text = _text(side, name)
        if text is not None:
            found.append((inside, text))
    return tuple(found)


def _pairs(side: SideFiles, service: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(name relative to the project, path in the container) of the files to read, listed
    only as far as they are read: the binds', then the Dockerfile's copies."""
    built = "build" in service
    bound: set[str] = set()
    for source, target in _relative_binds(service):
        for name, inside in _candidates(side, source, target, built):
            bound.add(inside)
            yield name, inside
    # a bind over a file the image holds wins: every bind is listed before the copies
    yield from (p for p in _copied(side, service.get("build")) if p[1] not in bound)


# ``COPY [--chown=… …] <src> <dest>``; a stage's files (``--from``) are not the context's.
_COPY = re.compile(r"^\s*(?:COPY|ADD)\s+((?:--[\w-]+=\S+\s+)*)(\S+)\s+(\S+)\s*$", re.I | re.M)


def _copied(side: SideFiles, build: Any) -> Iterator[tuple[str, str]]:
    """(name relative to the project, path in the image) of the context's files the
    Dockerfile copies to a configuration path."""
    if isinstance(build, str):
        context, dockerfile = build, "Dockerfile"
    elif isinstance(build, Mapping) and isinstance(build.get("context"), str):
        context, dockerfile = build["context"], str(build.get("dockerfile") or "Dockerfile")
    else:
        return
    if not context.startswith(".") or "://" in context or dockerfile.startswith("/"):
        return  # a Git URL, or a file outside the project: not read
    text = _text(side, f"{context.rstrip('/')}/{dockerfile}")
    for options, source, target in _COPY.findall(text or ""):
        if "--from" in options or not target.startswith("/") or any(c in source for c in "*?["):
            continue
        name = f"{context.rstrip('/')}/{source.removeprefix('./')}"
        inside = target + PurePosixPath(source).name if target.endswith("/") else target
        if _configuration(inside) and (side.directory / name).is_file():
            yield name, inside


def _relative_binds(service: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(source, target) of the binds whose source is relative to the project directory."""
    entries = service.get("volumes")
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, str):
            parts = entry.split(":")
            source, target = (parts[0], parts[1]) if len(parts) > 1 else ("", "")
        elif isinstance(entry, Mapping) and entry.get("type") == "bind":
            source, target = str(entry.get("source", "")), str(entry.get("target", ""))
            # the long syntax's bind source is a host path, relative to the project directory
            # with or without ``./`` (``source: config/keto.yml``); the short syntax's bare name
            # is a named volume (https://docs.docker.com/reference/compose-file/services/#volumes)
            if source and not source.startswith(("/", ".", "~", "$")):
                source = f"./{source}"
        else:
            continue
        if source.startswith(".") and target.startswith("/"):
            yield source, target


def _candidates(
    side: SideFiles, source: str, target: str, built: bool
) -> Iterator[tuple[str, str]]:
    """(name relative to the project, path in the container) of the files to read."""
    path = side.directory / source
    configuration = _configuration(target)
    # the project's root bound elsewhere than a configuration path: its settings files only
    settings_only = built and source.rstrip("/") == "." and not configuration
    try:
        if path.is_file():
            yield source, target
            return
        if not (path.is_dir() and (settings_only or configuration)):
            return
        # named before the bound is cut, so a root of many files still yields its settings file
        named = (e for e in os.scandir(path) if not settings_only or _SETTINGS.match(e.name))
        entries = sorted(named, key=lambda e: e.name)[: MAX_BOUND_FILES * 4]
    except (OSError, ValueError):  # a name too long or with a NUL, a folder not readable:
        return  # a hint unread; the bind itself is still in the service's body
    target = target.rstrip("/")
    yield from _files_of(entries, source, target)
    if settings_only:
        return
    # A configuration directory kept in folders by kind (Grafana's provisioning directory, "a
    # folder for each type of resource", datasources/ beside dashboards/:
    # https://grafana.com/docs/grafana/v11.6/administration/provisioning/; nginx's conf.d): the
    # files directly inside each of its folders too, one level down only.
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            inner = f"{source}/{entry.name}"
            try:
                found = sorted(os.scandir(side.directory / inner), key=lambda e: e.name)
            except (OSError, ValueError):
                continue
            yield from _files_of(found[: MAX_BOUND_FILES * 4], inner, f"{target}/{entry.name}")


def _files_of(
    entries: list[os.DirEntry[str]], source: str, target: str
) -> Iterator[tuple[str, str]]:
    """(name relative to the project, path in the container) of the files among ``entries``
    of the folder ``source`` bound at ``target``."""
    for entry in entries:
        if entry.is_file(follow_symlinks=False):
            yield f"{source}/{entry.name}", f"{target}/{entry.name}"


# A service built from the project that binds the whole project directory runs the project's
# own code, which reads its settings file at the project's root, or the template the install
# guide copies there (Easy!Appointments: 'Rename the "config-sample.php" file to "config.php"',
# https://github.com/alextselegidis/easyappointments/blob/e46b4c6befb88c8f00e0a1e0eecdaa0e9c6294fb/README.md);
# only those files at its root are read, the source tree is not walked.
_SETTINGS = re.compile(r"(config|settings)([._-][\w.-]*)?$", re.IGNORECASE)


def _configuration(target: str) -> bool:
    words = {part.lower() for part in PurePosixPath(target).parts}
    return target.startswith("/etc/") or bool(words & _CONFIG_WORDS)


def _text(side: SideFiles, name: str) -> str | None:
    try:
        return side.read(name, MAX_BOUND_FILE).decode("utf-8")
    except (ReadRefused, UnicodeDecodeError):
        return None
