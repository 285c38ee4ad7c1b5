"""A machine's system facts for the probe: hostname and OS, dpkg and rpm packages and the files
they own, accounts (never a password hash: /etc/shadow and /etc/gshadow are never opened), cron,
kernel modules, sysctl values and listening sockets (proc(5)), and its services
(:mod:`.units`). Standard library only (:mod:`.probe`)."""

from __future__ import annotations

import ipaddress
import os
import sys
from typing import Any

from stateward.sources.host.fsread import listdir, read_text
from stateward.sources.host.rpmdb import rpm_packages
from stateward.sources.host.units import services

__all__ = ["system"]

# Kernel settings that shape what a service sees; configured keys (/etc/sysctl.d) are added.
_SYSCTL = (
    "net.ipv4.ip_forward", "net.ipv4.ip_local_port_range", "net.core.somaxconn",
    "net.ipv4.tcp_syncookies", "kernel.randomize_va_space", "fs.file-max",
    "vm.overcommit_memory", "vm.swappiness", "net.ipv6.conf.all.disable_ipv6",
)  # fmt: skip


def system(root: str) -> dict[str, Any]:
    """Services, packages, accounts, cron, kernel modules, sockets and sysctl of ``root``; the
    live kernel's facts (/proc) only when ``root`` is ``/``."""
    live = root.rstrip("/") == ""
    r = root.rstrip("/")
    installed = _packages(r)
    out: dict[str, Any] = {
        "hostname": read_text(r + "/etc/hostname").strip() or (os.uname().nodename if live else ""),
        "os": _os_release(r),
        "packages": installed["packages"],
        "users": _passwd(r + "/etc/passwd"),
        "groups": _group(r + "/etc/group"),
        "cron": _cron(r),
        "services": services(
            r, installed["packages"], lambda paths: _owners(r, paths, installed["owners"])
        ),
        "sysctl": _sysctl(r, live),
        "modules": _modules() if live else {},
        "sockets": _sockets() if live else [],
        "problems": installed["problems"],
    }
    return out


def _os_release(r: str) -> dict[str, str]:
    text = read_text(r + "/etc/os-release") or read_text(r + "/usr/lib/os-release")
    out = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and key in ("ID", "VERSION_ID", "PRETTY_NAME"):
            out[key] = value.strip().strip('"')
    return out


def _packages(r: str) -> dict[str, Any]:
    """dpkg's and rpm's installed packages, and the paths rpm says they own (dpkg's are read
    per path, from its lists); a missing dpkg database is a problem only where rpm has none."""
    dpkg, rpm = _dpkg(r), rpm_packages(r)
    if rpm is None:
        return {**dpkg, "owners": {}}
    problems = rpm["problems"] + (dpkg["problems"] if dpkg["packages"] else [])
    return {**rpm, "packages": {**rpm["packages"], **dpkg["packages"]}, "problems": problems}


def _dpkg(r: str) -> dict[str, Any]:
    """Installed packages from the dpkg status file (deb-control(5) paragraphs)."""
    packages: dict[str, Any] = {}
    text = read_text(r + "/var/lib/dpkg/status", 1 << 28)
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


def _owners(r: str, paths: set[str], rpm: dict[str, str]) -> dict[str, str]:
    """Package owning each path, from rpm's file lists and dpkg's info/*.list files
    (usr-merged aliases tried)."""
    wanted: dict[str, str] = {}
    for path in paths:
        for alias in (path, "/usr" + path, path.removeprefix("/usr")):
            wanted.setdefault(alias, path)
    found = {path: rpm[alias] for alias, path in wanted.items() if alias in rpm}
    info = r + "/var/lib/dpkg/info"
    try:
        lists = sorted(n for n in os.listdir(info) if n.endswith(".list"))
    except OSError:
        return found
    for name in lists:
        package = name[: -len(".list")].split(":")[0]
        for line in read_text(f"{info}/{name}", 1 << 26).splitlines():
            if line in wanted:
                found.setdefault(wanted[line], package)
    return found


def _passwd(path: str) -> dict[str, Any]:
    """passwd(5) entries; field 2 (the password placeholder) is never kept."""
    out = {}
    for line in read_text(path).splitlines():
        parts = line.split(":")
        if len(parts) == 7 and parts[0]:
            out[parts[0]] = {"uid": parts[2], "gid": parts[3], "gecos": parts[4],
                             "home": parts[5], "shell": parts[6]}  # fmt: skip
    return out


def _group(path: str) -> dict[str, Any]:
    out = {}
    for line in read_text(path).splitlines():
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
            for line in read_text(path).splitlines()
            if line.strip() and not line.lstrip().startswith("#")
        ]
        if lines:
            out[path[len(r) :]] = lines
    return out


def _modules() -> dict[str, Any]:
    out = {}
    for line in read_text("/proc/modules").splitlines():
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
        for line in read_text(path).splitlines():
            key, sep, value = line.partition("=")
            if sep and not key.lstrip().startswith(("#", ";")):
                configured[key.strip().lstrip("-")] = value.strip()
    keys |= set(configured)
    if not live:
        return configured
    out = {}
    for key in sorted(keys):
        value = read_text("/proc/sys/" + key.replace(".", "/"))
        if value:
            out[key] = " ".join(value.split())
    return out


def _sockets() -> list[dict[str, str]]:
    """Listening TCP and bound UDP sockets from /proc/net (proc(5)), with the owning process
    found through /proc/PID/fd links ``socket:[inode]``."""
    found = []
    for proto in ("tcp", "tcp6", "udp", "udp6"):
        for line in read_text(f"/proc/net/{proto}", 1 << 26).splitlines()[1:]:
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
    """``0100007F:0016`` -> ``("127.0.0.1", 22)``: /proc/net prints the address as 32-bit words
    in host byte order (little-endian here; the kernel's ``%08X`` of each ``__be32``)."""
    hex_ip, _, hex_port = text.partition(":")
    raw = bytes.fromhex(hex_ip)
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
    if sys.byteorder == "big":
        words = raw
    return str(ipaddress.ip_address(words)), int(hex_port, 16)


def _socket_owners(inodes: set[str]) -> dict[str, str]:
    owners: dict[str, str] = {}
    for pid in (p for p in listdir("/proc") if p.isdigit()):
        for fd in listdir(f"/proc/{pid}/fd"):
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
