"""A probe's raw facts as resources, every secret value digested on the way.

Resource keys never name the host (``host/Service//ssh.service``, ``host/Directory///etc``), so
two hosts compare object by object (``parity``) and a baseline compares with now (``drift``).
Files are grouped one resource per directory: an unchanged directory is the same stored object
from one observation to the next, so a 50,000-file tree costs the store what changed in it,
not its size; and the previous observation's digests come back in a few thousand objects. A
check keeps the previous Directory resource itself where the walk found nothing changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from stateward.model.finding import Finding, Severity
from stateward.model.resource import Origin, Resource, ResourceKey
from stateward.model.secrets import Digester, is_secret_digest
from stateward.sources.redact import redact_env_value
from stateward.sources.redact_text import redact_text

__all__ = [
    "GROUP", "SERVICE", "file_findings", "file_index", "host_resources", "known_directories",
]  # fmt: skip

GROUP = "host"
SOURCE = "host"
SERVICE = "HostService"
"""Not ``Service``: that kind is Kubernetes' (network) wherever a kind is read."""
_ENV_DIRECTIVES = ("Environment", "EnvironmentFile")
_PROBLEMS = {
    "unreadable": ("HOST_FILE_UNREADABLE", "could not be read"),
    "vanished": ("HOST_FILE_CHANGING", "removed while the scan ran"),
    "changing": ("HOST_FILE_CHANGING", "changed while the scan ran"),
    "special": ("HOST_FILE_SPECIAL", "not a regular file"),
    "budget": ("HOST_FILE_BUDGET", "too large to hash"),
}


def host_resources(
    facts: Mapping[str, Any],
    where: str,
    keeper: Digester,
    known: Mapping[str, Resource],
) -> list[Resource]:
    """Every resource of one probe answer; ``where`` (``host://``, ``ssh://…``) is the origin.
    ``known`` (:func:`known_directories`) holds the Directory resources the walk was given: one
    it found unchanged is kept as it was, its canonical bytes and digest not computed again."""

    def origin(kind: str, name: str) -> Origin:
        return Origin(SOURCE, f"{where}#{kind}/{name}")

    def make(kind: str, name: str, body: Mapping[str, Any]) -> Resource:
        return Resource.of(ResourceKey(GROUP, kind, "", name), body, origin(kind, name))

    out = [
        replace(known[path], origin=origin("Directory", path), stamp=d.get("stamp", ""))
        if "unchanged" in d
        else replace(make("Directory", path, _directory(d, keeper)), stamp=d.get("stamp", ""))
        for path, d in facts["files"]["dirs"].items()
    ]
    if "services" not in facts:
        return out
    out.append(make("Host", "host", {"hostname": facts["hostname"], "os": facts["os"]}))
    out.append(make("Sysctl", "sysctl", {"values": facts["sysctl"]}))
    out += [
        make("Package", n, {"version": p["version"], "arch": p["arch"]})
        for n, p in facts["packages"].items()
    ]
    out += [make("User", n, u) for n, u in facts["users"].items()]
    out += [make("Group", n, g) for n, g in facts["groups"].items()]
    out += [make("KernelModule", n, m) for n, m in facts["modules"].items()]
    out += [make("Cron", path, {"lines": [_scrub(line, keeper) for line in lines]})
            for path, lines in facts["cron"].items()]  # fmt: skip
    out += [make("Socket", _socket_name(s), s) for s in facts["sockets"]]
    out += [make(SERVICE, n, _service(s, keeper)) for n, s in facts["services"].items()]
    return out


def _socket_name(sock: Mapping[str, Any]) -> str:
    return f"{sock['protocol']}/{sock['address']}:{sock['port']}"


def _directory(listing: Mapping[str, Any], keeper: Digester) -> dict[str, Any]:
    entries = {}
    for name, facts in listing["entries"].items():
        entry = dict(facts)
        if entry.pop("secret", False) and not is_secret_digest(entry.get("sha256")):
            # A private key's plain digest could be checked against a guessed or leaked key.
            entry["sha256"] = keeper.digest(entry["sha256"])
        entries[name] = entry
    return {"entries": entries}


def _service(service: Mapping[str, Any], keeper: Digester) -> dict[str, Any]:
    """A service's facts under the field names the diff's facets know (``image`` is the binary,
    ``env`` the environment), so drift says "env" or "secret" for a changed EnvironmentFile."""
    env = {"unit": {k: redact_env_value(k, v, keeper) for k, v in service["environment"].items()}}
    missing = {}
    for path, env_file in service["environment_files"].items():
        variables = env_file.get("variables")
        if variables is None:
            missing[path] = {"optional": env_file["optional"]}
        else:
            env[path] = {k: redact_env_value(k, v, keeper) for k, v in variables.items()}
    return {
        "kind": service["kind"],
        "path": service["path"],
        "unit": _directives(service["unit"], keeper),
        "dropins": {p: _directives(d, keeper) for p, d in service["dropins"].items()},
        "command": _scrub(service["command"], keeper),
        "image": {
            "exec": service["exec"], "real": service["exec_real"], "sha256": service["sha256"],
            "problem": service["exec_problem"], "package": service["package"],
            "version": service["version"],
        },
        "conffiles": {p: _conffile(v, keeper) for p, v in service["conffiles"].items()},
        "files": {p: _conffile(v, keeper) for p, v in service["files"].items()},
        "user": service["user"],
        "group": service["group"],
        "env": env,
        "missing_env_files": missing,
        "enabled": service["enabled"],
    }  # fmt: skip


def _directives(sections: Mapping[str, Any], keeper: Digester) -> dict[str, Any]:
    """Unit directives with command lines scrubbed; ``Environment=`` lines are left out here
    (they are kept, redacted, as the service's ``environment``)."""
    return {
        section: {
            key: [_scrub(v, keeper) for v in values]
            for key, values in directives.items()
            if key not in _ENV_DIRECTIVES or key == "EnvironmentFile"
        }
        for section, directives in sections.items()
    }


def _scrub(line: str, keeper: Digester) -> str:
    """A command or cron line with every credential in it replaced by its keyed digest."""
    return redact_text(line, keeper, context=line)


def _conffile(value: str, keeper: Digester) -> str:
    if value.startswith("secret-sha256:"):
        return keeper.digest(value.removeprefix("secret-sha256:"))
    return value


def file_findings(
    problems: list[list[str]], stats: Mapping[str, int], where: str, rehash: bool
) -> list[Finding]:
    """What the probe could not read (never fatal) and, always, which mode the walk ran in."""
    out = [_problem(path, kind, detail, where) for path, kind, detail in problems]
    mode = (
        "rehash: every file read again"
        if rehash
        else ("fast path: unchanged (size, mtime, ctime, inode) kept the previous digest")
    )
    out.append(
        Finding(
            "HOST_FILE_SCAN",
            Severity.INFO,
            f"{where}: {stats['entries']} entries, {stats['hashed']} files hashed "
            f"({stats['bytes_read']} bytes), {stats['reused']} unchanged; {mode}",
        )
    )
    return out


def _problem(path: str, kind: str, detail: str, where: str) -> Finding:
    rule, what = _PROBLEMS.get(kind, ("HOST_FILE_UNREADABLE", kind))
    folder = path.rpartition("/")[0] or "/"
    return Finding(
        rule,
        Severity.LOW,
        f"{where}{path}: {what} ({detail}); its digest is not recorded",
        resource=str(ResourceKey(GROUP, "Directory", "", folder)),
        path=path,
        remedy="Scan again; run as a user who can read it, or exclude it in stateward.yaml.",
    )


def file_index(resources: Iterable[Resource]) -> dict[str, dict[str, Any]]:
    """Path -> recorded facts of every file and directory in an observation's host trees."""
    index: dict[str, dict[str, Any]] = {}
    for resource in resources:
        if resource.key.group == GROUP and resource.key.kind == "Directory":
            base = resource.key.name.rstrip("/")
            for name, facts in resource.body["entries"].items():
                index[f"{base}/{name}"] = dict(facts)
    return index


def known_directories(resources: Iterable[Resource]) -> dict[str, Resource]:
    """Path -> Directory resource of an observation's host trees: what the next scan's fast
    path compares with (``HostOptions.known``)."""
    return {r.key.name: r for r in resources if r.key.group == GROUP and r.key.kind == "Directory"}
