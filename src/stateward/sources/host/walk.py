"""File integrity for the probe, after AIDE's model (https://aide.github.io/doc/, 0.18): rules
select attributes per path prefix, exclusions drop subtrees, and a file whose rule hashes it
carries its fast-path stamp (size, mtime, ctime, inode), so the next scan trusts the previous
digest while the stamp is unchanged.

``request["known"]`` is the previous scan's entries, directory by directory (``{dir: {name:
facts}}``). A directory whose every entry is the recorded one, none added or removed, comes back
as ``{"unchanged": True}``: the observer keeps the Directory resource it already has, so an
unchanged tree is neither sent back nor encoded again.

Each directory listed without a problem also comes back with its *stamp*
(:func:`directory_stamp`): a SHA-256 over every entry's name and ``lstat`` facts (mode, uid,
gid, size, mtime, ctime, inode, nlink) and over the rules the walk ran with. Given the previous
scan's stamps (``request["stamps"]``), a directory whose stamp is the recorded one is unchanged
without a look at its recorded entries: those are read (``known`` may decode them on demand)
only for the directories whose stamp differs. Standard library only (:mod:`.probe`)."""

from __future__ import annotations

import fnmatch
import gc
import hashlib
import json
import marshal
import os
import stat
from typing import Any

from stateward.sources.host.fsread import TYPES, hash_file

__all__ = ["ALL_ATTRIBUTES", "directory_stamp", "stamp_key", "walk"]

_STAMP = ("size", "mtime", "ctime", "inode")
_Listing = list[tuple[str, os.stat_result]]
"""A directory's entries (exclusions left out), each with its ``lstat``."""
ALL_ATTRIBUTES = (
    "type", "perm", "uid", "gid", "size", "mtime", "ctime", "inode", "nlink", "link", "sha256",
)  # fmt: skip


def walk(request: dict[str, Any], root: str) -> dict[str, Any]:
    """Directories under ``request["paths"]``: ``{dir: {"entries": {name: facts}}}``, or
    ``{dir: {"unchanged": True}}`` when its entries are ``request["known"][dir]``; plus
    ``problems`` (never fatal) and ``stats`` saying which mode hashed what."""
    state = _Walk(request, root)
    # The walk builds only acyclic dicts: the cyclic collector's passes over tens of thousands
    # of live ones are pure cost (5-10% of a walk), so it waits until the end.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for top in _tops(request.get("paths", [])):
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
        # the rules met inside a listing, by directory and name: other entries inherit
        self.ruled: dict[str, dict[str, _Attributes]] = {}
        for at, attributes in self.rules.items():
            parent, _, name = at.rpartition("/")
            if name:
                self.ruled.setdefault(parent or "/", {})[name] = attributes
        self.exclude = list(request.get("exclude", []))
        rehash = bool(request.get("rehash", False))
        self.known: dict[str, dict[str, Any]] = {} if rehash else request.get("known", {})
        """Directory -> name -> the entry the previous scan recorded."""
        self.stamps: dict[str, str] = {} if rehash else request.get("stamps", {})
        """Directory -> its stamp in the previous scan."""
        self.key = stamp_key(request)
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
        try:
            st = os.lstat(self.root + top)
        except OSError as exc:
            self.problems.append([top, "unreadable", exc.strerror or str(exc)])
            return
        parent, _, name = top.rpartition("/")
        holder = self.dirs.setdefault(parent or "/", {"entries": {}})
        before = (self.known.get(parent or "/") or {}).get(name)
        holder["entries"][name] = self.entry(top, st, self.attributes(top), before)
        self.entries += 1
        pending = [top] if stat.S_ISDIR(st.st_mode) else []
        while pending:  # a stack, not recursion: no depth limit
            pending.extend(reversed(self.directory(pending.pop())))

    def directory(self, path: str) -> list[str]:
        """Record the entries of ``path``; its subdirectories, to walk next."""
        try:
            # entries are stat'ed relative to the open directory (fstatat(2)): the kernel does
            # not resolve the whole path again for each of them
            fd = os.open(self.root + path, _DIRECTORY)
        except OSError as exc:
            self.problems.append([path, "unreadable", exc.strerror or str(exc)])
            self.dirs[path] = {"entries": {}}
            return []
        problems = len(self.problems)
        try:
            listing = self.listing(path, fd)
        finally:
            os.close(fd)
        stamp = directory_stamp(self.key, listing)
        if stamp == self.stamps.get(path):
            return self.stamped(path, listing, stamp)
        entries: dict[str, Any] = {}
        subdirs = self.compared(path, listing, entries)
        # the fast path put the recorded dicts themselves in: for those, equal is identical
        found: dict[str, Any] = (
            {"unchanged": True} if entries == self.known.get(path) else {"entries": entries}
        )
        if len(self.problems) == problems:  # a problem is reported again by the next scan
            found["stamp"] = stamp
        self.dirs[path] = found
        self.entries += len(entries)
        return subdirs

    def listing(self, path: str, fd: int) -> _Listing:
        """Each entry of ``path`` (exclusions left out) with its ``lstat``."""
        try:
            names = os.listdir(fd)  # order is free: entries are keyed by name
        except OSError as exc:
            self.problems.append([path, "unreadable", exc.strerror or str(exc)])
            return []
        base = "" if path == "/" else path
        if self.exclude:
            names = [name for name in names if not self.excluded(f"{base}/{name}")]
        found, lstat = [], os.lstat
        for name in names:
            try:
                found.append((name, lstat(name, dir_fd=fd)))
            except OSError as exc:  # removed since the listing
                self.problems.append([f"{base}/{name}", "vanished", exc.strerror or str(exc)])
        return found

    def stamped(self, path: str, listing: _Listing, stamp: str) -> list[str]:
        """A directory whose stamp is the recorded one: every entry as recorded, each digest
        taken with the size, mtime, ctime and inode seen now. Its subdirectories."""
        self.dirs[path] = {"unchanged": True, "stamp": stamp}
        self.entries += len(listing)
        inherited, ruled = self.attributes(path), self.ruled.get(path, {})
        types = [st.st_mode & 0o170000 for _, st in listing]
        if ruled:  # a rule of its own for some entry: each asked in turn
            self.reused += sum(
                1 for (name, _), kind in zip(listing, types, strict=True)
                if kind == stat.S_IFREG and ruled.get(name, inherited).sha256
            )  # fmt: skip
        elif inherited.sha256:
            self.reused += types.count(stat.S_IFREG)
        base = "" if path == "/" else path
        return [
            f"{base}/{name}"
            for (name, _), kind in zip(listing, types, strict=True)
            if kind == stat.S_IFDIR
        ]

    def compared(self, path: str, listing: _Listing, entries: dict[str, Any]) -> list[str]:
        """The entries of a directory whose stamp differs, each compared with its recorded
        one; its subdirectories."""
        base = "" if path == "/" else path
        inherited, ruled = self.attributes(path), self.ruled.get(path, {})
        recorded = self.known.get(path) or {}
        subdirs, reused = [], 0
        for name, st in listing:
            wanted, before = ruled.get(name, inherited), recorded.get(name)
            # the fast path of a check, without entry()'s general case (the hot loop): a file
            # whose facts are all the recorded ones keeps the recorded entry, digest included
            if before is not None and wanted.plain and _unchanged(st, before):
                entries[name] = before
                reused += 1
                continue
            facts = entries[name] = self.entry(f"{base}/{name}", st, wanted, before)
            if facts["type"] == "dir":
                subdirs.append(f"{base}/{name}")
        self.reused += reused
        return subdirs

    def entry(
        self, path: str, st: os.stat_result, wanted: _Attributes, before: dict[str, Any] | None
    ) -> dict[str, Any]:
        """The facts of ``path`` that ``wanted`` keeps; ``before``, its recorded entry if any."""
        mode = st.st_mode
        kind = TYPES.get(mode & 0o170000, "other")
        facts = {
            "type": kind, "perm": _PERMS[mode & 0o7777], "uid": st.st_uid, "gid": st.st_gid,
            "size": st.st_size, "mtime": st.st_mtime_ns, "ctime": st.st_ctime_ns,
            "inode": st.st_ino, "nlink": st.st_nlink,
        }  # fmt: skip
        if kind == "file" and wanted.sha256:
            for name in wanted.drop_hashed:
                del facts[name]
            # the fast path: an unchanged stamp keeps the previous digest
            if before is not None and "sha256" in before and before["ctime"] == facts["ctime"] \
                    and before["mtime"] == facts["mtime"] and before["size"] == facts["size"] \
                    and before["inode"] == facts["inode"]:  # fmt: skip
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
        hashed = hash_file(self.root + path, st)
        if isinstance(hashed, str):
            self.problems.append([path, *hashed.split(":", 1)])
            return
        facts["sha256"], secret = hashed
        if secret:
            facts["secret"] = True
        self.hashed += 1
        self.bytes_read += st.st_size


def _tops(paths: list[str]) -> list[str]:
    """The trees to walk, each once: a path inside another given one is walked with it (and
    walking it again would record its parent's listing twice over)."""
    kept: list[str] = []
    for top in sorted({"/" + p.strip("/") if p.strip("/") else "/" for p in paths}):
        # at or under (model.filepaths.at_or_under), spelled out: this module travels to the
        # host alone, with the probe's other modules (probe.MODULES), and imports no others
        if not any(top == k or top.startswith(k.rstrip("/") + "/") for k in kept):
            kept.append(top)
    return kept


def stamp_key(request: dict[str, Any]) -> bytes:
    """What a directory's entries depend on besides their ``lstat``: the rules, exclusions and
    budget of ``request`` (a change to any makes every stamp differ), and the stamp's version."""
    config = {k: request.get(k) for k in ("rules", "exclude", "max_file_bytes")}
    return b"stateward-stamp-1\n" + json.dumps(config, sort_keys=True).encode()


def directory_stamp(key: bytes, listing: _Listing) -> str:
    """SHA-256 of ``key`` and, by name, each entry's name, mode, uid, gid, size, mtime, ctime,
    inode and nlink: equal stamps, equal facts. The facts go through marshal's version 2, which
    has no back-references, so the same facts always give the same bytes, and bytes read back
    to the values written: no two listings share them."""
    rows = [
        (name, st.st_mode, st.st_uid, st.st_gid, st.st_size, st.st_mtime_ns, st.st_ctime_ns,
         st.st_ino, st.st_nlink)
        for name, st in listing
    ]  # fmt: skip
    rows.sort()
    return hashlib.sha256(key + marshal.dumps(rows, 2)).hexdigest()


_PERMS = [format(mode, "04o") for mode in range(0o10000)]
_DIRECTORY = os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_NOFOLLOW", 0)
_STAT_NAMES = ("perm", "uid", "gid", "size", "mtime", "ctime", "inode", "nlink")
_FULL_ENTRY = 2 + len(_STAT_NAMES)  # with type and sha256: a hashed file under a full rule


class _Attributes:
    """One rule's attribute set: the stat facts it leaves out, whether it hashes, reads links."""

    def __init__(self, names: Any) -> None:
        self.drop = tuple(n for n in _STAT_NAMES if n not in names)
        # a hashed file keeps its stamp whatever the rule says: the next scan's fast path
        self.drop_hashed = tuple(n for n in self.drop if n not in _STAMP)
        self.sha256 = "sha256" in names
        self.link = "link" in names
        self.plain = self.sha256 and not self.drop
        """Every stat fact and the digest: the rule the fast path of :func:`_unchanged` serves."""


_ALL = _Attributes(ALL_ATTRIBUTES)


def _unchanged(st: os.stat_result, before: dict[str, Any]) -> bool:
    """True when ``before`` is the entry a regular file under a full rule would get now: every
    stat fact as recorded (so the stamp its digest was taken with), the digest, nothing else."""
    mode = st.st_mode
    return (
        len(before) == _FULL_ENTRY and before["ctime"] == st.st_ctime_ns
        and before["mtime"] == st.st_mtime_ns and before["size"] == st.st_size
        and before["inode"] == st.st_ino and mode & 0o170000 == stat.S_IFREG
        and before["type"] == "file" and before["perm"] == _PERMS[mode & 0o7777]
        and before["uid"] == st.st_uid and before["gid"] == st.st_gid
        and before["nlink"] == st.st_nlink and "sha256" in before
    )  # fmt: skip
