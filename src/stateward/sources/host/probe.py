"""What a host holds, read with the Python 3 standard library only: this module runs on the
observed machine itself (imported for ``host://``, sent as its own source text to ``python3 -``
for ``ssh://``), so it imports nothing from Stateward and nothing outside the standard library.

It returns raw facts as JSON-ready data. Two kinds of value never leave it: password hashes
(``/etc/shadow`` and ``/etc/gshadow`` are never opened) and file contents (only digests; a file
that holds a private key is flagged so the observer keys its digest). Values of
``EnvironmentFile``s and ``Environment=`` lines do leave it, over the SSH channel, and the
observer turns the secret-looking ones into keyed digests before anything is kept.

File integrity follows AIDE's model (https://aide.github.io/doc/, 0.18): rules select
attributes per path prefix, exclusions drop subtrees, and a file whose rule hashes it carries
its fast-path stamp (size, mtime, ctime, inode), so the next scan trusts the previous digest
while the stamp is unchanged.
"""

from __future__ import annotations

import fnmatch
import gc
import hashlib
import json
import os
import stat
import sys
from typing import Any

CHUNK = 1 << 20
_STAMP = ("size", "mtime", "ctime", "inode")
ALL_ATTRIBUTES = (
    "type", "perm", "uid", "gid", "size", "mtime", "ctime", "inode", "nlink", "link", "sha256",
)  # fmt: skip
_KEY_MARKER = b"PRIVATE KEY"  # PEM (RFC 7468 §10), OpenSSH and PGP private key blocks
_UNIT_DIRS = ("/etc/systemd/system", "/run/systemd/system", "/lib/systemd/system",
              "/usr/lib/systemd/system")  # fmt: skip
_TYPES = {
    stat.S_IFREG: "file", stat.S_IFDIR: "dir", stat.S_IFLNK: "link", stat.S_IFIFO: "fifo",
    stat.S_IFSOCK: "socket", stat.S_IFCHR: "char", stat.S_IFBLK: "block",
}  # fmt: skip
# Kernel settings that shape what a service sees; configured keys (/etc/sysctl.d) are added.
_SYSCTL = (
    "net.ipv4.ip_forward", "net.ipv4.ip_local_port_range", "net.core.somaxconn",
    "net.ipv4.tcp_syncookies", "kernel.randomize_va_space", "fs.file-max",
    "vm.overcommit_memory", "vm.swappiness", "net.ipv6.conf.all.disable_ipv6",
)  # fmt: skip


def collect(request: dict[str, Any]) -> dict[str, Any]:
    """Every fact the request asks for: ``files`` (a file-integrity walk) and, unless
    ``system`` is false, services, packages, accounts, cron, modules, sockets and sysctl."""
    root = request.get("root", "/")
    out: dict[str, Any] = {"files": walk(request, root)}
    if request.get("system", True):
        out.update(system(root))
    return out


# --- file integrity ------------------------------------------------------------------------


def walk(request: dict[str, Any], root: str) -> dict[str, Any]:
    """Directories under ``request["paths"]``: ``{dir: {"self": attrs, "entries": {...}}}``,
    plus ``problems`` (never fatal) and ``stats`` saying which mode hashed what."""
    state = _Walk(request, root)
    # The walk builds only acyclic dicts: the cyclic collector's passes over tens of thousands
    # of live ones are pure cost (a tenth of an unchanged check), so it waits until the end.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for top in request.get("paths", []):
            state.tree(top)
    finally:
        if collecting:
            gc.enable()
    return {"dirs": state.dirs, "problems": state.problems, "stats": state.stats()}


class _Walk:
    def __init__(self, request: dict[str, Any], root: str) -> None:
        self.root = root.rstrip("/")
        # AIDE-like selection: the rule of the nearest ruled ancestor (or the path itself)
        self.rules = {
            r["path"].rstrip("/") or "/": _Attributes(r["attributes"])
            for r in request.get("rules", [])
        }
        self.exclude = list(request.get("exclude", []))
        rehash = bool(request.get("rehash", False))
        self.known: dict[str, dict[str, Any]] = {} if rehash else request.get("known", {})
        self.max_bytes = int(request.get("max_file_bytes", 1 << 30))
        self.dirs: dict[str, dict[str, Any]] = {}
        self.problems: list[list[str]] = []
        self.entries = self.hashed = self.reused = self.bytes_read = 0

    def stats(self) -> dict[str, int]:
        """How much was walked, read and trusted."""
        keys = ("entries", "hashed", "reused", "bytes_read")
        return {k: getattr(self, k) for k in keys}

    def attributes(self, path: str) -> _Attributes:
        """The rule of ``path``, found by walking up to its nearest ruled ancestor."""
        at = path
        while at not in self.rules:
            if at in ("/", ""):
                return _ALL
            at = at.rpartition("/")[0] or "/"
        return self.rules[at]

    def excluded(self, path: str) -> bool:
        return any(fnmatch.fnmatchcase(path, pattern) for pattern in self.exclude)

    def tree(self, top: str) -> None:
        top = "/" + top.strip("/") if top.strip("/") else "/"
        try:
            st = os.lstat(self.root + top)
        except OSError as exc:
            self.problems.append([top, "unreadable", exc.strerror or str(exc)])
            return
        parent, _, name = top.rpartition("/")
        holder = self.dirs.setdefault(parent or "/", {"entries": {}})
        holder["entries"][name] = self.entry(top, st, self.attributes(top))
        self.entries += 1
        pending = [top] if stat.S_ISDIR(st.st_mode) else []
        while pending:  # a stack, not recursion: no depth limit
            pending.extend(reversed(self.directory(pending.pop())))

    def directory(self, path: str) -> list[str]:
        """Record the entries of ``path``; its subdirectories, to walk next."""
        entries: dict[str, Any] = {}
        self.dirs[path] = {"entries": entries}
        try:
            with os.scandir(self.root + path) as listing:
                names = [e.name for e in listing]  # order is free: entries are keyed by name
        except OSError as exc:
            self.problems.append([path, "unreadable", exc.strerror or str(exc)])
            return []
        inherited = self.attributes(path)
        base = "" if path == "/" else path
        subdirs = []
        for name in names:
            child = f"{base}/{name}"
            if self.exclude and self.excluded(child):
                continue
            try:
                st = os.lstat(self.root + child)
            except OSError as exc:  # removed since the listing
                self.problems.append([child, "vanished", exc.strerror or str(exc)])
                continue
            entries[name] = self.entry(child, st, self.rules.get(child, inherited))
            if stat.S_ISDIR(st.st_mode):
                subdirs.append(child)
        self.entries += len(entries)
        return subdirs

    def entry(self, path: str, st: os.stat_result, wanted: _Attributes) -> dict[str, Any]:
        # the hot loop of a check: one dict display, no call per attribute (see bench_host)
        mode = st.st_mode
        kind = _TYPES.get(mode & 0o170000, "other")
        facts = {
            "type": kind, "perm": _PERMS[mode & 0o7777], "uid": st.st_uid, "gid": st.st_gid,
            "size": st.st_size, "mtime": st.st_mtime_ns, "ctime": st.st_ctime_ns,
            "inode": st.st_ino, "nlink": st.st_nlink,
        }  # fmt: skip
        if kind == "file" and wanted.sha256:
            for name in wanted.drop_hashed:
                del facts[name]
            before = self.known.get(path)
            # the fast path: an unchanged stamp keeps the previous digest
            if before is not None and "sha256" in before and before["ctime"] == st.st_ctime_ns \
                    and before["mtime"] == st.st_mtime_ns and before["size"] == st.st_size \
                    and before["inode"] == st.st_ino:  # fmt: skip
                facts["sha256"] = before["sha256"]
                if "secret" in before:
                    facts["secret"] = True
                self.reused += 1
            else:
                self.digest(path, st, facts)
            return facts
        for name in wanted.drop:
            del facts[name]
        if kind == "link" and wanted.link:
            try:
                facts["link"] = os.readlink(self.root + path)
            except OSError as exc:
                self.problems.append([path, "unreadable", exc.strerror or str(exc)])
        elif kind in ("fifo", "socket", "char", "block") and wanted.sha256:
            self.problems.append([path, "special", f"a {kind}: attributes only, never opened"])
        return facts

    def digest(self, path: str, st: os.stat_result, facts: dict[str, Any]) -> None:
        """Read the file and record its digest, or the reason it has none."""
        if st.st_size > self.max_bytes:
            self.problems.append([path, "budget", f"{st.st_size} bytes, over the per-file budget"])
            return
        hashed = _hash_file(self.root + path, st)
        if isinstance(hashed, str):
            self.problems.append([path, *hashed.split(":", 1)])
            return
        facts["sha256"], secret = hashed
        if secret:
            facts["secret"] = True
        self.hashed += 1
        self.bytes_read += st.st_size


_PERMS = [format(mode, "04o") for mode in range(0o10000)]
_STAT_NAMES = ("perm", "uid", "gid", "size", "mtime", "ctime", "inode", "nlink")


class _Attributes:
    """One rule's attribute set: the stat facts it leaves out, whether it hashes, reads links."""

    def __init__(self, names: Any) -> None:
        self.drop = tuple(n for n in _STAT_NAMES if n not in names)
        # a hashed file keeps its stamp whatever the rule says: the next scan's fast path
        self.drop_hashed = tuple(n for n in self.drop if n not in _STAMP)
        self.sha256 = "sha256" in names
        self.link = "link" in names


_ALL = _Attributes(ALL_ATTRIBUTES)


def _hash_file(path: str, st: os.stat_result) -> tuple[str, bool] | str:
    """``(hex, looks like a private key)``, or ``"reason:detail"`` when the file could not be
    read whole and still (permission, swapped for another file, written to meanwhile)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        return f"unreadable:{exc.strerror or exc}"
    try:
        sha = hashlib.sha256()
        # a small file in one read of its size + 1 (EOF seen next): no large buffer per file
        want = min(CHUNK, st.st_size + 1)
        first = os.read(fd, want)
        chunk = first
        while chunk:
            sha.update(chunk)
            chunk = os.read(fd, CHUNK)
        after = os.fstat(fd)
    except OSError as exc:
        return f"unreadable:{exc.strerror or exc}"
    finally:
        os.close(fd)
    if (after.st_ino, after.st_dev) != (st.st_ino, st.st_dev):
        return "changing:replaced during the scan; its digest is not recorded"
    if (after.st_size, after.st_mtime_ns, after.st_ctime_ns) != (
        st.st_size, st.st_mtime_ns, st.st_ctime_ns,
    ):  # fmt: skip
        return "changing:written to during the scan; its digest is not recorded"
    return sha.hexdigest(), first.find(_KEY_MARKER, 0, 4096) >= 0


# --- the system ----------------------------------------------------------------------------


def system(root: str) -> dict[str, Any]:
    """Services, packages, accounts, cron, kernel modules, sockets and sysctl of ``root``; the
    live kernel's facts (/proc) only when ``root`` is ``/``."""
    live = root.rstrip("/") == ""
    r = root.rstrip("/")
    dpkg = _dpkg(r)
    out: dict[str, Any] = {
        "hostname": _read_text(r + "/etc/hostname").strip()
        or (os.uname().nodename if live else ""),
        "os": _os_release(r),
        "packages": dpkg["packages"],
        "users": _passwd(r + "/etc/passwd"),
        "groups": _group(r + "/etc/group"),
        "cron": _cron(r),
        "services": _services(r, dpkg),
        "sysctl": _sysctl(r, live),
        "modules": _modules() if live else {},
        "sockets": _sockets() if live else [],
        "problems": dpkg["problems"],
    }
    return out


def _read_text(path: str, limit: int = 1 << 20) -> str:
    try:
        with open(path, "rb") as fh:
            return fh.read(limit).decode("utf-8", "replace")
    except OSError:
        return ""


def _os_release(r: str) -> dict[str, str]:
    text = _read_text(r + "/etc/os-release") or _read_text(r + "/usr/lib/os-release")
    out = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and key in ("ID", "VERSION_ID", "PRETTY_NAME"):
            out[key] = value.strip().strip('"')
    return out


def _dpkg(r: str) -> dict[str, Any]:
    """Installed packages from the dpkg status file (deb-control(5) paragraphs)."""
    packages: dict[str, Any] = {}
    text = _read_text(r + "/var/lib/dpkg/status", 1 << 28)
    for paragraph in text.split("\n\n"):
        fields: dict[str, str] = {}
        last = ""
        for line in paragraph.splitlines():
            if line[:1] in (" ", "\t") and last:
                fields[last] += "\n" + line.strip()
            else:
                last, _, value = line.partition(":")
                fields[last] = value.strip()
        name = fields.get("Package")
        if not name or "installed" not in fields.get("Status", "").split()[-1:]:
            continue
        conffiles = [c.split()[0] for c in fields.get("Conffiles", "").splitlines() if c.strip()]
        packages[name] = {
            "version": fields.get("Version", ""),
            "arch": fields.get("Architecture", ""),
            "conffiles": conffiles,
        }
    return {
        "packages": packages,
        "problems": [] if text else [["/var/lib/dpkg/status", "unreadable", "no dpkg database"]],
    }


def _owners(r: str, paths: set[str]) -> dict[str, str]:
    """Package owning each path, from dpkg's info/*.list files (usr-merged aliases tried)."""
    wanted: dict[str, str] = {}
    for path in paths:
        for alias in (path, "/usr" + path, path.removeprefix("/usr")):
            wanted.setdefault(alias, path)
    found: dict[str, str] = {}
    info = r + "/var/lib/dpkg/info"
    try:
        lists = sorted(n for n in os.listdir(info) if n.endswith(".list"))
    except OSError:
        return found
    for name in lists:
        package = name[: -len(".list")].split(":")[0]
        for line in _read_text(f"{info}/{name}", 1 << 26).splitlines():
            if line in wanted:
                found.setdefault(wanted[line], package)
    return found


def _passwd(path: str) -> dict[str, Any]:
    """passwd(5) entries; field 2 (the password placeholder) is never kept."""
    out = {}
    for line in _read_text(path).splitlines():
        parts = line.split(":")
        if len(parts) == 7 and parts[0]:
            out[parts[0]] = {"uid": parts[2], "gid": parts[3], "gecos": parts[4],
                             "home": parts[5], "shell": parts[6]}  # fmt: skip
    return out


def _group(path: str) -> dict[str, Any]:
    out = {}
    for line in _read_text(path).splitlines():
        parts = line.split(":")
        if len(parts) == 4 and parts[0]:
            out[parts[0]] = {"gid": parts[2], "members": sorted(filter(None, parts[3].split(",")))}
    return out


def _cron(r: str) -> dict[str, list[str]]:
    """Active lines of /etc/crontab, /etc/cron.d/* and users' crontabs, by file."""
    files = [r + "/etc/crontab"]
    for folder in ("/etc/cron.d", "/var/spool/cron/crontabs"):
        try:
            files += [f"{r}{folder}/{n}" for n in sorted(os.listdir(r + folder))]
        except OSError:
            continue
    out = {}
    for path in files:
        lines = [
            line.strip()
            for line in _read_text(path).splitlines()
            if line.strip() and not line.lstrip().startswith("#")
        ]
        if lines:
            out[path[len(r) :]] = lines
    return out


def _modules() -> dict[str, Any]:
    out = {}
    for line in _read_text("/proc/modules").splitlines():
        parts = line.split()
        if len(parts) >= 4:
            out[parts[0]] = {
                "size": parts[1],
                "used_by": sorted(filter(None, parts[3].strip("-").split(","))),
            }
    return out


def _sysctl(r: str, live: bool) -> dict[str, str]:
    keys = set(_SYSCTL)
    configured: dict[str, str] = {}
    files = [r + "/etc/sysctl.conf"]
    try:
        files += [f"{r}/etc/sysctl.d/{n}" for n in sorted(os.listdir(r + "/etc/sysctl.d"))]
    except OSError:
        pass
    for path in files:
        for line in _read_text(path).splitlines():
            key, sep, value = line.partition("=")
            if sep and not key.lstrip().startswith(("#", ";")):
                configured[key.strip().lstrip("-")] = value.strip()
    keys |= set(configured)
    if not live:
        return configured
    out = {}
    for key in sorted(keys):
        value = _read_text("/proc/sys/" + key.replace(".", "/"))
        if value:
            out[key] = " ".join(value.split())
    return out


def _sockets() -> list[dict[str, str]]:
    """Listening TCP and bound UDP sockets from /proc/net (proc(5)), with the owning process
    found through /proc/PID/fd links ``socket:[inode]``."""
    found = []
    for proto in ("tcp", "tcp6", "udp", "udp6"):
        for line in _read_text(f"/proc/net/{proto}", 1 << 26).splitlines()[1:]:
            parts = line.split()
            if len(parts) < 10:
                continue
            listening = parts[3] == "0A" if proto.startswith("tcp") else parts[2].endswith(":0000")
            if listening:
                address, port = _address(parts[1])
                found.append({"protocol": proto.rstrip("6"), "address": address,
                              "port": str(port), "uid": parts[7], "inode": parts[9]})  # fmt: skip
    owners = _socket_owners({s["inode"] for s in found})
    for sock in found:
        sock["exe"] = owners.pop(sock.pop("inode"), "")
    return found


def _address(text: str) -> tuple[str, int]:
    hex_ip, _, hex_port = text.partition(":")
    raw = bytes.fromhex(hex_ip)
    if len(raw) == 4:
        ip = ".".join(str(b) for b in reversed(raw))
    else:  # four host-order 32-bit words
        words = [raw[i : i + 4][::-1] for i in range(0, 16, 4)]
        joined = b"".join(words)
        ip = ":".join(joined[i : i + 2].hex() for i in range(0, 16, 2))
    return ip, int(hex_port, 16)


def _socket_owners(inodes: set[str]) -> dict[str, str]:
    owners: dict[str, str] = {}
    for pid in (p for p in _listdir("/proc") if p.isdigit()):
        for fd in _listdir(f"/proc/{pid}/fd"):
            try:
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            inode = link[8:-1] if link.startswith("socket:[") else ""
            if inode in inodes and inode not in owners:
                try:
                    owners[inode] = os.readlink(f"/proc/{pid}/exe")
                except OSError:
                    owners[inode] = ""
    return owners


def _listdir(path: str) -> list[str]:
    try:
        return os.listdir(path)
    except OSError:
        return []


# --- services ------------------------------------------------------------------------------


def _services(r: str, dpkg: dict[str, Any]) -> dict[str, Any]:
    """Each systemd ``.service`` unit (first unit directory wins, as systemd.unit(5) orders
    them) and each SysV init script without a unit of the same name."""
    units: dict[str, str] = {}
    for folder in _UNIT_DIRS:
        for name in sorted(_listdir(r + folder)):
            if name.endswith(".service") and "@" not in name and name not in units:
                units[name] = folder + "/" + name
    services = {}
    for name, path in units.items():
        unit = _unit(r, name, path)
        if unit is not None:
            services[name] = unit
    for name in sorted(_listdir(r + "/etc/init.d")):
        if name + ".service" not in services and not name.startswith("."):
            services[name] = _init_script(r, name)
    executables = {s["exec"] for s in services.values() if s["exec"]}
    owners = _owners(r, executables)
    for service in services.values():
        _binary(r, service, owners, dpkg["packages"])
    return services


def _unit(r: str, name: str, path: str) -> dict[str, Any] | None:
    real = r + path
    if os.path.islink(real) and os.readlink(real) == "/dev/null":
        return None  # masked
    if os.path.islink(real) and os.path.basename(os.readlink(real)) != name:
        return None  # an alias (dbus-org.….service): recorded under its real name
    directives = _parse_unit(_read_text(real))
    dropins = {}
    for folder in _UNIT_DIRS:
        d = f"{folder}/{name}.d"
        for conf in sorted(n for n in _listdir(r + d) if n.endswith(".conf")):
            dropins[f"{d}/{conf}"] = _parse_unit(_read_text(f"{r}{d}/{conf}"))
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
    backslash continues the line. An empty assignment resets the list, as systemd does."""
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
            values.clear()
    return sections


def _merge(base: dict[str, Any], dropins: Any) -> dict[str, dict[str, list[str]]]:
    merged = {s: {k: list(v) for k, v in d.items()} for s, d in base.items()}
    for dropin in dropins:
        for section, directives in dropin.items():
            target = merged.setdefault(section, {})
            for key, values in directives.items():
                target[key] = (
                    values if not values or key.startswith("Exec") else target.get(key, []) + values
                )
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
        for wants in (w for w in _listdir(r + folder) if w.endswith((".wants", ".requires"))):
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
            n.endswith(name) and n.startswith("S") for n in _listdir(f"{r}/etc/rc{level}.d"))
            for level in "2345"),
    }  # fmt: skip


def _binary(
    r: str, service: dict[str, Any], owners: dict[str, str], packages: dict[str, Any]
) -> None:
    exe = service["exec"]
    real = r + exe
    try:
        st = os.stat(real)
        hashed = _hash_file(real, st) if stat.S_ISREG(st.st_mode) else "unreadable:not a file"
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
        return _TYPES.get(stat.S_IFMT(st.st_mode), "other")
    hashed = _hash_file(path, st)
    if isinstance(hashed, str):
        return hashed.split(":", 1)[0]
    return ("secret-sha256:" if hashed[1] else "sha256:") + hashed[0]


def main() -> None:
    """Run on the observed host over SSH (``python3 -c`` with this module's text): the request
    is the JSON document on standard input."""
    request = json.loads(sys.stdin.read() or "{}")
    json.dump(collect(request), sys.stdout, separators=(",", ":"))


if __name__ == "__main__":
    main()
