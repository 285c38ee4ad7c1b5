"""Compose files (Compose Specification, with or without ``version:``) into resources.

Each service becomes ``ResourceKey("compose", "Service", project, service)`` whose body is the
service mapping after interpolation, with ``environment`` as a map (``env_file`` entries first,
``environment`` over them, as Compose merges them) and credential-looking values digested.
Top-level ``volumes``, ``secrets``, ``configs`` and ``networks`` become resources of those kinds;
a secret's or config's file content is kept only as a digest. Side files are read as
:mod:`.sidefiles` says: bounded, and only from inside the project directory unless allowed.
Files the project includes (``include``, :mod:`.composefiles`) add their objects to it.
"""

from __future__ import annotations

import re
from collections import ChainMap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from stateward.errors import CanonicalError, InputError
from stateward.model.canonical import digest_bytes
from stateward.model.resource import Origin, Resource, ResourceKey
from stateward.model.secrets import NotingKeeper, SecretKeeper
from stateward.sources.bound import bound_files
from stateward.sources.comments import block_end, block_start, comments_between, scrub_comments
from stateward.sources.composefiles import (
    DEFAULT_FILES,
    ComposeFile,
    looks_like_compose,
    project_files,
)
from stateward.sources.composemerge import Definition, definitions
from stateward.sources.composetypes import compose_type_findings
from stateward.sources.composeunset import unset_findings
from stateward.sources.interface import SourceResult
from stateward.sources.redact import (
    redact_compose_service,
    redact_compose_side,
    redact_env_value,
)
from stateward.sources.sidefiles import SideFiles, compose_bool

__all__ = ["is_compose_file", "looks_like_compose", "parse_compose", "project_name"]

SOURCE = "compose"
_NAME_CHARS = re.compile(r"[a-z0-9_-]")
_SECTIONS = {"volumes": "Volume", "secrets": "Secret", "configs": "Config", "networks": "Network"}


def is_compose_file(path: Path) -> bool:
    """True for the file names Compose looks for, and ``*compose*.y(a)ml`` variants."""
    name = path.name.lower()
    return name in DEFAULT_FILES or (
        "compose" in name and name.endswith((".yml", ".yaml")) and "kustomiz" not in name
    )


def project_name(path: Path, declared: Any, variables: Mapping[str, str], picked: bool) -> str:
    """The project's name as compose-go gives it (``withNamePrecedenceLoad`` in
    https://github.com/compose-spec/compose-go/blob/e70e961c3a3acebf0800b882f1afb3dbf1fb74a2/cli/options.go,
    ``projectName`` in
    https://github.com/compose-spec/compose-go/blob/e70e961c3a3acebf0800b882f1afb3dbf1fb74a2/loader/loader.go):
    ``COMPOSE_PROJECT_NAME`` from the project's variables (its ``.env``), else the ``name:``
    key, else the directory's name, normalized as ``NormalizeProjectName`` does; containers
    Compose starts carry this name in ``com.docker.compose.project``. Without ``name:``, a
    file other than the one Compose picks in its directory (not ``picked``:
    ``docker-compose.images.yml`` beside ``docker-compose.yml``,
    :func:`.composefiles.picked_files`) has its own name appended, so alternative files of one
    directory stay apart. InputError for a variable Compose would refuse."""
    chosen = variables.get("COMPOSE_PROJECT_NAME") or ""
    if chosen and normalized(chosen) != chosen:
        raise InputError(
            f"{path.parent / '.env'}",
            f"COMPOSE_PROJECT_NAME {chosen!r} is not a project name Compose accepts "
            "(lower-case letters, digits, '-' and '_', not starting with '-' or '_')",
        )
    if not chosen and isinstance(declared, str) and normalized(declared):
        return normalized(declared)
    base = chosen or normalized(path.resolve().parent.name) or "default"
    if not picked:
        # not a name Compose gives: dots kept apart as dashes (docker-compose-images)
        base = f"{base}_{re.sub(r'[^a-z0-9_-]', '-', path.stem.lower())}"
    return base


def normalized(name: str) -> str:
    """compose-go's ``NormalizeProjectName``: lower case, only ``a-z0-9_-`` kept, no leading
    ``_`` or ``-``."""
    return "".join(_NAME_CHARS.findall(name.lower())).lstrip("_-")


def parse_compose(
    path: Path, text: str, keeper: SecretKeeper, allowed: tuple[Path, ...] = ()
) -> SourceResult:
    """Resources of one Compose file and the files it includes; variables from the ``.env``
    beside it. Side files outside the project directory are read only under one of the
    ``allowed`` directories."""
    result = SourceResult()
    files = project_files(path, text, allowed, result)
    if not files:
        return result
    root = files[0]
    try:
        project = project_name(
            path, root.data.get("name"), root.interpolator.variables, root.picked
        )
    except InputError as exc:
        result.errors.append(exc)
        project = project_name(path, root.data.get("name"), {}, root.picked)
    defined = definitions(files)
    for file in files:
        _add_file(result, file, project, keeper, defined)
    result.included = [file.path.resolve() for file in files[1:]]
    result.included += files[0].overridden
    # A file extended from is a library of services, not a project, unless Compose would
    # take it as one by its name (compose.yaml beside a compose.prod.yaml extending it).
    result.included += [
        p for file in files for p in file.extended if p.name.lower() not in DEFAULT_FILES
    ]
    return result


def _add_file(
    result: SourceResult,
    file: ComposeFile,
    project: str,
    keeper: SecretKeeper,
    defined: dict[tuple[str, str], Definition],
) -> None:
    """The services and top-level objects ``defined`` by ``file``: those no file it includes
    defines again, and those it defines again over an included definition, merged
    (:mod:`.composemerge`)."""
    services = file.data.get("services") or {}
    if not isinstance(services, dict):
        result.errors.append(InputError(f"{file.path}:1", "`services` must be a map of names"))
        return
    if isinstance(file.document.data.get("services"), dict | None):
        result.findings.extend(compose_type_findings(file.document, str(file.path), project))
    result.findings.extend(unset_findings(file, project, {"services": "Service", **_SECTIONS}))
    lines = file.text.splitlines()
    for name, service in _new(file, "services", services, defined).items():
        _add_service(result, file, project, str(name), service, keeper, lines)
    for section, kind in _SECTIONS.items():
        entries = file.data.get(section)
        if isinstance(entries, dict):
            entries = _new(file, section, entries, defined)
        names = (project, section, kind)
        _add_section(result, file.side, (file.text, lines), names, entries, keeper)


def _new(
    file: ComposeFile,
    section: str,
    entries: dict[Any, Any],
    defined: dict[tuple[str, str], Definition],
) -> dict[Any, Definition]:
    """The ``entries`` of ``section`` whose definition is read from ``file``."""
    found = ((name, defined.get((section, str(name)))) for name in entries)
    return {name: d for name, d in found if d is not None and d.file is file}


def _add_section(
    result: SourceResult,
    side: SideFiles,
    source: tuple[str, list[str]],
    names: tuple[str, str, str],
    entries: Any,
    keeper: SecretKeeper,
) -> None:
    """The top-level ``section`` (project, section name, kind): one resource per entry (a map
    of :class:`Definition` by name), with the comments that introduce and annotate it
    (``# cached symbols, re-downloaded on removal``)."""
    project, section, kind = names
    text, lines = source
    if entries is None:
        return
    top = re.search(rf"^{section}:", text, re.MULTILINE)
    start = top.start() if top else 0
    if not isinstance(entries, dict):
        where = f"{side.path}:{text.count(chr(10), 0, start) + 1}"
        result.errors.append(InputError(where, f"`{section}` must be a map of names"))
        return
    for name, definition in entries.items():
        spec = definition.spec
        at = text.find(str(name), start)
        where = f"{side.path}:{text.count(chr(10), 0, max(at, start)) + 1}"
        if spec is not None and not isinstance(spec, dict):
            result.errors.append(InputError(where, f"{section}.{name} must be a map"))
            continue
        body = _side_object(side, kind, spec or {}, keeper, where)
        for file in definition.sources:  # each file's interpolator noted its own secrets
            body = file.interpolator.seal(section, str(name), body, keeper)
        line = text.count(chr(10), 0, max(at, start))
        comments = comments_between(lines, block_start(lines, line), block_end(lines, line))
        key = ResourceKey("compose", kind, project, str(name))
        _append(result, key, body, where, scrub_comments(comments, (), keeper))


def _append(
    result: SourceResult,
    key: ResourceKey,
    body: dict[str, Any],
    where: str,
    comments: Any = (),
    files: Any = (),
) -> None:
    try:
        result.resources.append(Resource.of(key, body, Origin(SOURCE, where), comments, files))
    except CanonicalError as exc:
        result.errors.append(InputError(where, exc.message))


def _add_service(
    result: SourceResult,
    file: ComposeFile,
    project: str,
    name: str,
    definition: Definition,
    keeper: SecretKeeper,
    lines: list[str],
) -> None:
    side, service = file.side, definition.spec
    start = _service_line(lines, name)
    location = f"{side.path}:{start + 1}"
    if not isinstance(service, dict):
        result.errors.append(InputError(location, f"service {name!r} is not a mapping"))
        return
    body = dict(service)
    environment = _environment(body.get("environment"), location, result)
    env = _env_files(file, name, body.get("env_file"), environment, result, location)
    env.update(environment)
    noting = NotingKeeper(keeper)
    body["environment"] = {k: redact_env_value(k, v, noting) for k, v in env.items()}
    redact_compose_service(body, noting)
    for source in definition.sources:  # each file's interpolator noted its own secrets
        body = source.interpolator.seal("services", name, body, noting)
    key = ResourceKey("compose", "Service", project, name)
    comments = comments_between(lines, start, block_end(lines, start))
    files = scrub_comments(bound_files(side, body), noting.seen, keeper)
    _append(result, key, body, location, scrub_comments(comments, noting.seen, keeper), files)


def _environment(value: Any, location: str, result: SourceResult) -> dict[str, Any]:
    if value is None:
        return {}
    if isinstance(value, dict):
        return {str(k): _scalar(v) for k, v in value.items()}
    if isinstance(value, list):
        pairs = (str(item).partition("=") for item in value)
        # "KEY" alone takes its value from the shell at run time: unknown here, kept as null.
        return {k: (v if sep else None) for k, sep, v in pairs}
    result.errors.append(InputError(location, "environment must be a list or a map"))
    return {}


def _scalar(value: Any) -> Any:
    # Compose passes every value to the container as a string; booleans as "true"/"false".
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _env_files(
    file: ComposeFile,
    service: str,
    value: Any,
    environment: Mapping[str, Any],
    result: SourceResult,
    location: str,
) -> dict[str, Any]:
    """The service's ``env_file`` variables, interpolated from the project's variables, then
    the service's ``environment`` (compose-go ``WithServicesEnvironmentResolved``); a secret
    a value took from another variable is sealed where it lands, as in the Compose file."""
    entries = value if isinstance(value, list) else [value] if value else []
    own = {k: v for k, v in environment.items() if isinstance(v, str)}
    lookup = ChainMap(dict(file.interpolator.variables), own)
    env: dict[str, Any] = {}
    for entry in entries:
        spec = entry if isinstance(entry, dict) else {"path": entry}
        required = compose_bool(spec.get("required", True))
        if required is None:
            reason = f"env_file required: {spec.get('required')!r} is not a boolean"
            result.errors.append(InputError(location, reason))
            required = True
        env.update(file.side.env(str(spec.get("path")), location, required=required,
                                 lookup=lookup, hidden=file.interpolator.hidden))  # fmt: skip
    for variable in env:
        if variable in file.side.hidden:
            field = ("services", service, "environment", variable)
            file.interpolator.secrets.setdefault(field, set()).update(file.side.hidden[variable])
    return env


def _side_object(
    side: SideFiles, kind: str, spec: Any, keeper: SecretKeeper, where: str
) -> dict[str, Any]:
    body = dict(spec) if isinstance(spec, dict) else {}
    redact_compose_side(kind, body, keeper)
    source = body.get("file")
    if kind in ("Secret", "Config") and isinstance(source, str):
        content = side.content(source, where)
        if content is None:
            body["content"] = None
        else:
            body["content"] = keeper.digest(content) if kind == "Secret" else digest_bytes(content)
    if kind == "Secret" and "environment" in body:
        body["environment"] = str(body["environment"])
    return body


def _service_line(lines: list[str], name: str) -> int:
    """0-based line of service ``name``'s key: the first line at the services' own indentation
    after the top-level ``services:`` key (0 when the layout is unusual, e.g. flow style)."""
    top = next((i for i, line in enumerate(lines) if line.startswith("services:")), None)
    if top is None:
        return 0
    body = [
        i
        for i in range(top + 1, len(lines))
        if lines[i].strip() and not lines[i].lstrip().startswith("#")
    ]
    if not body:
        return 0
    indent = lines[body[0]][: len(lines[body[0]]) - len(lines[body[0]].lstrip())]
    wanted = (f"{indent}{name}:", f"{indent}'{name}':", f'{indent}"{name}":')
    return next((i for i in body if lines[i].startswith(wanted)), 0)
