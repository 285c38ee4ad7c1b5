"""A machine's services for the probe: systemd ``.service`` units with their drop-ins, as
systemd reads them (systemd.unit(5), systemd.syntax(7)), and SysV init scripts; each with the
executable it starts and the files it reads. Standard library only (:mod:`.probe`)."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from typing import Any

from stateward.sources.host.fsread import TYPES, hash_file, listdir, read_text

__all__ = ["services"]

_UNIT_DIRS = ("/etc/systemd/system", "/run/systemd/system", "/lib/systemd/system",
              "/usr/lib/systemd/system")  # fmt: skip
Owners = Callable[[set[str]], dict[str, str]]


def services(r: str, packages: dict[str, Any], owners: Owners) -> dict[str, Any]:
    """Each systemd ``.service`` unit (first unit directory wins, as systemd.unit(5) orders
    them) and each SysV init script without a unit of the same name."""
    units: dict[str, str] = {}
    for folder in _UNIT_DIRS:
        for name in sorted(listdir(r + folder)):
            if name.endswith(".service") and "@" not in name and name not in units:
                units[name] = folder + "/" + name
    found = {}
    for name, path in units.items():
        unit = _unit(r, name, path)
        if unit is not None:
            found[name] = unit
    for name in sorted(listdir(r + "/etc/init.d")):
        if name + ".service" not in found and not name.startswith("."):
            found[name] = _init_script(r, name)
    owned = owners({s["exec"] for s in found.values() if s["exec"]})
    for service in found.values():
        _binary(r, service, owned, packages)
    return found


def _unit(r: str, name: str, path: str) -> dict[str, Any] | None:
    real = r + path
    if os.path.islink(real) and os.readlink(real) == "/dev/null":
        return None  # masked
    if os.path.islink(real) and os.path.basename(os.readlink(real)) != name:
        return None  # an alias (dbus-org.….service): recorded under its real name
    directives = _parse_unit(read_text(real))
    dropins = {}
    for folder in _UNIT_DIRS:
        d = f"{folder}/{name}.d"
        for conf in sorted(n for n in listdir(r + d) if n.endswith(".conf")):
            dropins[f"{d}/{conf}"] = _parse_unit(read_text(f"{r}{d}/{conf}"))
    merged = _merge(directives, dropins.values())
    service = merged.get("Service", {})
    exec_start = (service.get("ExecStart") or [""])[-1].lstrip("-@:+!")
    env_files = {}
    for spec in service.get("EnvironmentFile", []):
        optional = spec.startswith("-")
        env_file = spec.lstrip("-")
        env_files[env_file] = _env_file(r + env_file, optional)
    return {
        "kind": "unit",
        "path": path,
        "unit": directives,
        "dropins": dropins,
        "exec": exec_start.split()[0] if exec_start.split() else "",
        "command": exec_start,
        "user": (service.get("User") or ["root"])[-1],
        "group": (service.get("Group") or [""])[-1],
        "environment": _environment(service.get("Environment", [])),
        "environment_files": env_files,
        "enabled": _enabled(r, name),
    }


def _parse_unit(text: str) -> dict[str, dict[str, list[str]]]:
    """systemd.syntax(7): ``[Section]``, ``Key=Value``, ``#``/``;`` comments, a trailing
    backslash continues the line. An empty assignment resets the list, as systemd does: it is
    kept as a leading ``""``, so a drop-in's reset also resets what it overrides."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = {}
    pending = ""
    for raw in text.splitlines():
        line = pending + raw.strip()
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        pending = ""
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        key, sep, value = line.partition("=")
        if not sep:
            continue
        values = current.setdefault(key.strip(), [])
        if value.strip():
            values.append(value.strip())
        else:
            values[:] = [""]
    return sections


def _merge(base: dict[str, Any], dropins: Any) -> dict[str, dict[str, list[str]]]:
    """The unit as systemd sees it with its drop-ins applied in order: a list setting is
    appended to, unless the drop-in reset it first (systemd.unit(5), "drop-in")."""
    merged: dict[str, dict[str, list[str]]] = {}
    for layer in (base, *dropins):
        for section, directives in layer.items():
            target = merged.setdefault(section, {})
            for key, values in directives.items():
                reset = values[:1] == [""]
                target[key] = values[1:] if reset else target.get(key, []) + list(values)
    return merged


def _environment(lines: list[str]) -> dict[str, str]:
    out = {}
    for line in lines:
        for word in _split_words(line):
            key, sep, value = word.partition("=")
            if sep:
                out[key] = value
    return out


def _split_words(line: str) -> list[str]:
    words, word, quote = [], "", ""
    for ch in line:
        if quote:
            if ch == quote:
                quote = ""
            else:
                word += ch
        elif ch in "\"'":
            quote = ch
        elif ch.isspace():
            if word:
                words.append(word)
            word = ""
        else:
            word += ch
    if word:
        words.append(word)
    return words


def _env_file(path: str, optional: bool) -> dict[str, Any]:
    """Variables of an ``EnvironmentFile`` (KEY=VALUE lines, ``#`` comments, ``export``)."""
    try:
        with open(path, "rb") as fh:
            text = fh.read(1 << 20).decode("utf-8", "replace")
    except OSError as exc:
        return {"missing": True, "optional": optional, "reason": exc.strerror or str(exc)}
    out = {}
    for line in text.splitlines():
        line = line.strip().removeprefix("export ")
        key, sep, value = line.partition("=")
        if sep and key and not key.startswith("#"):
            out[key.strip()] = value.strip().strip("\"'")
    return {"variables": out}


def _enabled(r: str, name: str) -> bool:
    for folder in ("/etc/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system"):
        for wants in (w for w in listdir(r + folder) if w.endswith((".wants", ".requires"))):
            if os.path.lexists(f"{r}{folder}/{wants}/{name}"):
                return True
    return False


def _init_script(r: str, name: str) -> dict[str, Any]:
    default = f"/etc/default/{name}"
    files = {default: _env_file(r + default, True)} if os.path.exists(r + default) else {}
    return {
        "kind": "init", "path": f"/etc/init.d/{name}", "unit": {}, "dropins": {},
        "exec": f"/etc/init.d/{name}", "command": f"/etc/init.d/{name} start", "user": "root",
        "group": "", "environment": {}, "environment_files": files,
        "enabled": any(os.path.lexists(f"{r}/etc/rc{level}.d") and any(
            n.endswith(name) and n.startswith("S") for n in listdir(f"{r}/etc/rc{level}.d"))
            for level in "2345"),
    }  # fmt: skip


def _binary(
    r: str, service: dict[str, Any], owners: dict[str, str], packages: dict[str, Any]
) -> None:
    exe = service["exec"]
    real = r + exe
    # what /proc/PID/exe shows for it (symlinks resolved): how its sockets are found
    service["exec_real"] = os.path.realpath(real)[len(r) :] if exe else ""
    try:
        st = os.stat(real)
        hashed = hash_file(real, st) if stat.S_ISREG(st.st_mode) else "unreadable:not a file"
    except OSError as exc:
        hashed = f"unreadable:{exc.strerror or exc}"
    service["sha256"] = hashed[0] if isinstance(hashed, tuple) else ""
    service["exec_problem"] = hashed.split(":", 1)[1] if isinstance(hashed, str) else ""
    package = owners.get(exe, "")
    service["package"] = package
    service["version"] = packages.get(package, {}).get("version", "")
    conffiles = packages.get(package, {}).get("conffiles", [])
    service["conffiles"] = {path: _conffile(r + path) for path in conffiles}
    service["files"] = {path: _conffile(r + path) for path in _named_files(r, service["command"])}


def _named_files(r: str, command: str) -> list[str]:
    """Existing files named in a command line after the executable (``--config /etc/x``,
    ``--config=/etc/x``): the config files it reads besides the package's."""
    found = []
    for word in command.split()[1:]:
        path = word.partition("=")[2] if word.startswith("-") else word
        if path.startswith("/") and os.path.isfile(r + path):
            found.append(path)
    return found


def _conffile(path: str) -> str:
    try:
        st = os.lstat(path)
    except OSError:
        return "missing"
    if not stat.S_ISREG(st.st_mode):
        return TYPES.get(stat.S_IFMT(st.st_mode), "other")
    hashed = hash_file(path, st)
    if isinstance(hashed, str):
        return hashed.split(":", 1)[0]
    return ("secret-sha256:" if hashed[1] else "sha256:") + hashed[0]
