"""The host source on a machine root with planted changes (``bench/host_tree.py``): services as
components (binary = executable + package, context = unit, conffiles, environment), file
integrity with the fast path and its honest report, and what is never stored."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import os
import shutil
import stat
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from bench.host_tree import ATTRIBUTES, CANARY, PATHS, build_tree, plant_changes
from hypothesis import given, strategies

from stateward.api._observe import host_options, observe
from stateward.errors import InputError
from stateward.model.observation import Observation
from stateward.model.resource import Resource
from stateward.model.secrets import SecretKeeper
from stateward.sources.host import (
    HostOptions,
    file_changes,
    file_index,
    known_directories,
    tree_changes,
)
from stateward.sources.host.fsread import hash_file
from stateward.sources.host.options import FileRule
from stateward.sources.host.transport import probe_command
from stateward.sources.host.walk import directory_stamp, stamp_key, walk

KEEPER = SecretKeeper(b"k" * 32)


def options(**kw: object) -> HostOptions:
    rules = tuple(FileRule(p, tuple(ATTRIBUTES)) for p in PATHS)
    return HostOptions(paths=PATHS, rules=rules, **kw)  # type: ignore[arg-type]


def look(root: Path, **kw: object) -> Observation:
    return observe([f"host://{root}"], estate="web1", keeper=KEEPER, host=options(**kw))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    build_tree(tmp_path / "root")
    return tmp_path / "root"


def test_service_binary_is_executable_and_package_context_is_unit_conffiles_env(root: Path) -> None:
    obs = look(root)
    service = {c.id: c for c in obs.components}["host:demo.service"]
    exe = hashlib.sha256((root / "usr/bin/demo-daemon").read_bytes()).hexdigest()
    assert service.images[0].digest == f"sha256:{exe}"
    assert service.images[0].ref == "/usr/bin/demo-daemon (demo-daemon 1.2-3)"
    config = service.context["config"]
    conf = hashlib.sha256((root / "etc/demo/demo.conf").read_bytes()).hexdigest()
    assert config["conffiles"] == {"/etc/demo/demo.conf": f"sha256:{conf}"}
    assert config["user"] == "demo" and config["enabled"] is True
    assert config["unit"]["Service"]["ExecStart"] == [
        "/usr/bin/demo-daemon --config /etc/demo/demo.conf"
    ]
    assert service.context["env"] == {"/etc/default/demo": {"LOG_LEVEL": "info"}}
    assert service.context["secret"]["/etc/default/demo"]["API_TOKEN"].startswith("hmac-sha256:")
    kinds = {r.key.kind for r in obs.resources}
    assert kinds >= {"Host", "Package", "User", "Group", "HostService", "Directory", "Sysctl"}
    assert {c.id for c in obs.components} >= {"host:packages", "host:accounts", "host:system"}


def test_secrets_and_private_keys_never_stored_in_clear(root: Path) -> None:
    obs = look(root)
    everything = (
        b"".join(r.canonical for r in obs.resources)
        + json.dumps([c.as_dict() for c in obs.components]).encode()
    )
    assert CANARY.encode() not in everything
    key = hashlib.sha256((root / "etc/ssh/ssh_host_ed25519_key").read_bytes()).hexdigest()
    assert key.encode() not in everything  # a plain digest could be matched against a key
    entry = file_index(obs.resources)["/etc/ssh/ssh_host_ed25519_key"]
    assert entry["sha256"].startswith("hmac-sha256:") and "secret" not in entry
    assert b"x:0:0" not in everything and "password" not in json.dumps(file_index(obs.resources))


def test_planted_changes_are_found_and_the_service_context_changed(root: Path) -> None:
    baseline = look(root)
    time.sleep(0.01)
    planted = plant_changes(root)
    check = look(root)
    changes = file_changes(file_index(baseline.resources), file_index(check.resources))
    assert set(changes.added) == planted.added
    assert set(changes.removed) == planted.removed
    assert set(changes.changed) == planted.changed
    assert changes.changed["/srv/app/d0000/f000002.dat"] == ["ctime", "perm"]
    assert changes.changed["/srv/app/d0000/f000003.dat"] == ["ctime", "gid", "uid"]
    assert check.resources and "/srv/app/d0000/helper" in changes.added
    helper = file_index(check.resources)["/srv/app/d0000/helper"]
    assert helper["perm"] == "4755"  # the setuid bit is kept
    before = {c.id: c for c in baseline.components}["host:demo.service"]
    after = {c.id: c for c in check.components}["host:demo.service"]
    assert before.binary_fingerprint == after.binary_fingerprint
    assert before.facet_digests()["config"] != after.facet_digests()["config"]
    assert before.context["env"] != after.context["env"]
    assert before.context["secret"] != after.context["secret"]


def test_fast_path_trusts_only_an_unchanged_stamp_and_rehash_reads_all(root: Path) -> None:
    baseline = look(root)
    known = known_directories(baseline.resources)
    hashed = sum("sha256" in facts for facts in file_index(baseline.resources).values())
    fast = look(root, known=known)
    stats = _scan_finding(fast)
    assert "0 files hashed" in stats and f"{hashed} unchanged" in stats and "fast path" in stats
    target = root / "srv/app/d0001/f000100.dat"
    st = target.stat()
    target.write_bytes(b"X" * st.st_size)  # same size, mtime put back: only ctime tells
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
    again = look(root, known=known)
    assert "1 files hashed" in _scan_finding(again)
    changed = file_changes(file_index(baseline.resources), file_index(again.resources)).changed
    assert changed == {"/srv/app/d0001/f000100.dat": ["ctime", "sha256"]}
    full = look(root, known=known, rehash=True)
    assert f"{hashed} files hashed" in _scan_finding(full) and "rehash" in _scan_finding(full)


def test_a_check_keeps_only_the_directories_it_found_unchanged(root: Path) -> None:
    baseline = look(root)
    known = known_directories(baseline.resources)
    (root / "srv/app/d0001/new.txt").write_text("n")
    (root / "srv/app/d0002/f000201.dat").unlink()
    answer = walk(options(known=known).request(), str(root))
    walked = {p for p, d in answer["dirs"].items() if "unchanged" not in d}
    # the two directories, their parent (their mtimes changed) and the tops' holder, never kept
    assert walked == {"/", "/srv/app", "/srv/app/d0001", "/srv/app/d0002"}
    check = look(root, known=known)
    dirs = {r.key.name: r for r in check.resources if r.key.kind == "Directory"}
    assert dirs.keys() == known.keys()
    for path, resource in dirs.items():
        kept = resource.canonical is known[path].canonical
        assert kept == (path not in walked) and resource.origin == known[path].origin
    changes = file_changes(file_index(baseline.resources), file_index(check.resources))
    assert changes.added == ["/srv/app/d0001/new.txt"]
    assert changes.removed == ["/srv/app/d0002/f000201.dat"]
    assert set(changes.changed) == {"/srv/app/d0001", "/srv/app/d0002"}


@pytest.mark.parametrize(
    ("fact", "recorded"),
    [("type", "dir"), ("perm", "0600"), ("uid", 4242), ("gid", 4242), ("size", 1), ("mtime", 1),
     ("ctime", 1), ("inode", 1), ("nlink", 2), ("link", "elsewhere")],
)  # fmt: skip
def test_a_check_keeps_an_entry_only_when_every_recorded_fact_is_seen_again(
    root: Path, fact: str, recorded: object
) -> None:
    """The kernel changes ctime with any of these, so a record differing in one fact alone is
    a tampered record here: the check must still see the file as it is, never as recorded."""
    baseline = look(root)
    known = known_directories(baseline.resources)
    folder, name = "/srv/app/d0000", "f000001.dat"
    body = copy.deepcopy(dict(known[folder].body))
    body["entries"][name][fact] = recorded
    tampered = Resource.of(known[folder].key, body, known[folder].origin)
    check = look(root, known={**known, folder: tampered})
    now = {r.key.name: r for r in check.resources if r.key.kind == "Directory"}[folder]
    assert now.digest == known[folder].digest != tampered.digest
    changes = file_changes(file_index([tampered]), file_index([now]))
    assert changes.changed == {f"{folder}/{name}": [fact]}


# One stat fact of f000001.dat as a baseline might have seen it, in the stamp's terms
# (os.stat_result's first ten fields, then its nanosecond times) and in the record's.
_SEEN_OTHERWISE = {
    "type": ({0: stat.S_IFDIR | 0o644}, "dir"),
    "perm": ({0: stat.S_IFREG | 0o600}, "0600"),
    "inode": ({1: 1}, 1),
    "nlink": ({3: 2}, 2),
    "uid": ({4: 4242}, 4242),
    "gid": ({5: 4242}, 4242),
    "size": ({6: 1}, 1),
    "mtime": ({"st_mtime_ns": 1}, 1),
    "ctime": ({"st_ctime_ns": 1}, 1),
}


def _seen_otherwise(st: os.stat_result, change: dict[object, int]) -> os.stat_result:
    fields = [change.get(n, v) for n, v in enumerate(tuple(st)[:10])]
    times = {k: change.get(k, getattr(st, k)) for k in ("st_mtime_ns", "st_ctime_ns")}
    return os.stat_result(fields, times)


@pytest.mark.parametrize("fact", sorted(_SEEN_OTHERWISE))
def test_a_stamp_that_leaves_out_a_fact_is_caught(root: Path, fact: str) -> None:
    """The baseline saw one fact of one file otherwise, and its directory's stamp says so: a
    stamp that left that fact out would equal today's, keep the record, and miss the change."""
    baseline = look(root)
    known = known_directories(baseline.resources)
    folder, name = "/srv/app/d0000", "f000001.dat"
    change, recorded = _SEEN_OTHERWISE[fact]
    listing = [(n, os.lstat(root / folder[1:] / n)) for n in os.listdir(root / folder[1:])]
    then = [(n, _seen_otherwise(st, change) if n == name else st) for n, st in listing]
    body = copy.deepcopy(dict(known[folder].body))
    body["entries"][name][fact] = recorded
    stamp = directory_stamp(stamp_key(options().request()), then)
    assert known[folder].stamp == directory_stamp(stamp_key(options().request()), listing)
    tampered = dataclasses.replace(
        Resource.of(known[folder].key, body, known[folder].origin), stamp=stamp
    )
    check = look(root, known={**known, folder: tampered})
    now = {r.key.name: r for r in check.resources if r.key.kind == "Directory"}[folder]
    assert now.digest == known[folder].digest != tampered.digest
    assert file_changes(file_index([tampered]), file_index([now])).changed == {
        f"{folder}/{name}": [fact]
    }


# os.stat_result's first ten fields (mode, ino, dev, nlink, uid, gid, size, and three whole
# seconds) and its two nanosecond times: those the stamp reads, and dev and atime, which it must not.
_NS = strategies.integers(-(2**63), 2**63 - 1)
_STAT = strategies.tuples(*[strategies.integers(0, 2**64 - 1)] * 10, _NS, _NS)
_READ = {0: "mode", 1: "inode", 3: "nlink", 4: "uid", 5: "gid", 6: "size", 10: "mtime", 11: "ctime"}


def _stat(fields: tuple[int, ...]) -> os.stat_result:
    return os.stat_result(fields[:10], {"st_mtime_ns": fields[10], "st_ctime_ns": fields[11]})


@given(
    listing=strategies.dictionaries(strategies.text(min_size=1, max_size=8), _STAT, min_size=1,
                                    max_size=6),
    which=strategies.integers(0, 5), field=strategies.sampled_from(sorted(_READ)),
    value=strategies.integers(0, 2**62),
)  # fmt: skip
def test_a_stamp_is_its_listings_facts_in_any_order(
    listing: dict[str, tuple[int, ...]], which: int, field: int, value: int
) -> None:
    key = stamp_key(options().request())
    rows = [(name, _stat(fields)) for name, fields in listing.items()]
    stamp = directory_stamp(key, rows)
    assert directory_stamp(key, rows[::-1]) == stamp
    assert directory_stamp(key + b" ", rows) != stamp
    name, fields = list(listing.items())[which % len(listing)]
    unseen = [*fields]
    unseen[2], unseen[7] = unseen[2] ^ 1, unseen[7] ^ 1  # dev and atime: not the entry's facts
    same = [(n, _stat(tuple(unseen)) if n == name else s) for n, s in rows]
    assert directory_stamp(key, same) == stamp
    seen = [*fields]
    seen[field] = value if value != fields[field] else value + 1
    other = [(n, _stat(tuple(seen)) if n == name else s) for n, s in rows]
    assert directory_stamp(key, other) != stamp
    assert directory_stamp(key, [r for r in rows if r[0] != name]) != stamp


def test_an_unchanged_stamp_keeps_the_record_unread(root: Path) -> None:
    """A directory whose stamp is the recorded one is kept without a look at its entries: a
    record (here altered, its stamp left as it was) is then taken as it stands. So the stamp
    alone decides, which the test above holds to every fact."""
    baseline = look(root)
    known = known_directories(baseline.resources)
    folder = "/srv/app/d0000"
    body = copy.deepcopy(dict(known[folder].body))
    body["entries"]["f000001.dat"]["size"] = 1
    altered = Resource.of(known[folder].key, body, known[folder].origin)
    kept = dataclasses.replace(altered, stamp=known[folder].stamp)
    now = {r.key.name: r for r in look(root, known={**known, folder: kept}).resources}
    assert now[folder].digest == altered.digest
    unstamped = {r.key.name: r for r in look(root, known={**known, folder: altered}).resources}
    assert unstamped[folder].digest == known[folder].digest


def test_a_change_of_rules_makes_every_stamp_differ(root: Path) -> None:
    baseline = look(root)
    known = known_directories(baseline.resources)
    assert all(r.stamp for p, r in known.items() if p != "/")  # the tops' holder has none
    rules = (FileRule("/srv", ("type", "perm")), FileRule("/etc", tuple(ATTRIBUTES)))
    fewer = HostOptions(paths=PATHS, rules=rules, known=known)
    check = observe([f"host://{root}"], estate="w", keeper=KEEPER, host=fewer)
    index = file_index(check.resources)
    assert index["/srv/app/d0000/f000001.dat"] == {"type": "file", "perm": "0644"}
    assert set(index["/etc/demo/demo.conf"]) == set(ATTRIBUTES)


def test_the_report_read_by_directory_is_the_report_read_by_file(root: Path) -> None:
    def limited(*paths: str) -> Observation:
        limits = options().with_paths(paths)
        return observe([f"host://{root}"], estate="w", keeper=KEEPER, host=limits)

    baseline = look(root)
    scans = [baseline, limited("/srv"), limited("/srv/app/d0001", "/etc/demo")]
    time.sleep(0.01)
    plant_changes(root)
    scans.append(look(root, known=known_directories(baseline.resources)))
    for before in scans:
        for after in scans:
            by_file = file_changes(file_index(before.resources), file_index(after.resources))
            assert tree_changes(before.resources, after.resources) == by_file
    assert tree_changes(baseline.resources, scans[-1].resources).any


def test_a_tree_given_inside_another_is_walked_with_it(root: Path) -> None:
    def twice(*paths: str) -> list[Observation]:
        limits = options().with_paths(paths)
        first = observe([f"host://{root}"], estate="w", keeper=KEEPER, host=limits)
        known = dataclasses.replace(limits, known=known_directories(first.resources))
        return [first, observe([f"host://{root}"], estate="w", keeper=KEEPER, host=known)]

    nested, alone = twice("/srv", "/srv/app/", "/srv/app/d0001"), twice("/srv")
    for got, want in zip(nested, alone, strict=True):
        assert {r.key: r.digest for r in got.resources if r.key.kind == "Directory"} == {
            r.key: r.digest for r in want.resources if r.key.kind == "Directory"
        }
        assert _scan_finding(got).split(": ", 1)[1] == _scan_finding(want).split(": ", 1)[1]


def _scan_finding(obs: Observation) -> str:
    (finding,) = [f for f in obs.findings if f.rule == "HOST_FILE_SCAN"]
    return finding.message


def test_special_huge_and_changing_files_are_reported_never_fatal(root: Path) -> None:
    os.mkfifo(root / "srv/app/pipe")
    (root / "srv/app/big.bin").write_bytes(b"b" * 5000)
    obs = look(root, max_file_bytes=4096)
    rules = {f.rule: f for f in obs.findings}
    assert "a fifo" in rules["HOST_FILE_SPECIAL"].message
    assert "/srv/app/big.bin: too large to hash" in rules["HOST_FILE_BUDGET"].message
    assert file_index(obs.resources)["/srv/app/pipe"]["type"] == "fifo"
    assert "sha256" not in file_index(obs.resources)["/srv/app/big.bin"]
    assert not obs.errors and obs.complete
    # a directory with a problem has no stamp: the next check reports the problem again
    again = look(root, max_file_bytes=4096, known=known_directories(obs.resources))
    assert {"HOST_FILE_SPECIAL", "HOST_FILE_BUDGET"} <= {f.rule for f in again.findings}
    path = root / "srv/app/d0000/f000005.dat"
    seen = os.lstat(path)
    time.sleep(0.01)
    with path.open("ab") as fh:  # written to between the walk's lstat and the read
        fh.write(b"more")
    assert (
        hash_file(str(path), seen)
        == "changing:written to during the scan; its digest is not recorded"
    )


def test_permission_denied_is_a_finding() -> None:
    # pytest's own temporary folders are 0700: a tree nobody can walk into, beside them
    tree = Path(tempfile.mkdtemp(prefix="stateward-host-"))
    tree.chmod(0o755)
    (tree / "open").mkdir(parents=True)
    (tree / "open/secret.txt").write_text("x")
    (tree / "open/secret.txt").chmod(0o600)
    (tree / "open/public.txt").write_text("y")
    request = {"paths": [str(tree)], "system": False}
    # the command ssh:// runs, here as nobody with the system's python3: nothing installed
    user = {"user": 65534} if os.geteuid() == 0 else {}
    answer = subprocess.run(
        probe_command(), shell=True, input=json.dumps(request), capture_output=True, text=True,
        check=True, cwd="/", env={"PATH": "/usr/bin:/bin"}, **user,  # type: ignore[call-overload]
    )  # fmt: skip
    shutil.rmtree(tree)
    files = json.loads(answer.stdout)["files"]
    if os.geteuid() == 0:
        assert [str(tree / "open/secret.txt"), "unreadable", "Permission denied"] in files[
            "problems"
        ]
    assert "sha256" in files["dirs"][str(tree / "open")]["entries"]["public.txt"]


def test_rules_select_attributes_and_exclusions_drop_paths(root: Path) -> None:
    rules = (FileRule("/srv", ("type", "perm")), FileRule("/srv/app/d0001", ("type", "sha256")))
    opts = HostOptions(paths=("/srv",), rules=rules, exclude=("*/d0002",))
    obs = observe([f"host://{root}"], estate="w", keeper=KEEPER, host=opts)
    index = file_index(obs.resources)
    assert index["/srv/app/d0000/f000001.dat"] == {"type": "file", "perm": "0644"}
    assert set(index["/srv/app/d0001/f000100.dat"]) == {
        "type",
        "sha256",
        "size",
        "mtime",
        "ctime",
        "inode",
    }
    assert not any(p.startswith("/srv/app/d0002") for p in index)


def test_config_section_is_read_and_bad_keys_name_the_file(tmp_path: Path) -> None:
    good = tmp_path / "stateward.yaml"
    good.write_text("host:\n  paths: [/etc]\n  rules:\n    - {path: /etc, attributes: [perm, sha256]}\n"
                    "  exclude: ['*.swp']\n  max_file_bytes: 1024\n")  # fmt: skip
    loaded = host_options(good)
    assert loaded.paths == ("/etc",) and loaded.rules == (FileRule("/etc", ("perm", "sha256")),)
    assert loaded.max_file_bytes == 1024 and loaded.with_paths(("/srv",)).paths == ("/srv",)
    bad = tmp_path / "bad.yaml"
    bad.write_text("host:\n  rules:\n    - {path: /etc, attributes: [colour]}\n")
    with pytest.raises(
        InputError, match=r"bad.yaml: host.rules\[0\].attributes: unknown attribute 'colour'"
    ):
        host_options(bad)
    bad.write_text("host:\n  pathz: [/etc]\n")
    with pytest.raises(InputError, match=r"bad.yaml: host.pathz: unknown key"):
        host_options(bad)
    bad.write_text("host:\n  paths: [etc]\n")
    with pytest.raises(InputError, match="'etc' is not an absolute path"):
        host_options(bad)


def test_a_missing_root_is_unread_not_an_empty_host(tmp_path: Path) -> None:
    obs = observe([f"host://{tmp_path}/nowhere"], estate="w", keeper=KEEPER, host=options())
    assert obs.unread == [f"host://{tmp_path}/nowhere"] and not obs.complete


def test_a_root_without_a_dpkg_database_is_reported_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "etc").mkdir()
    obs = observe([f"host://{tmp_path}"], estate="w", keeper=KEEPER, host=HostOptions())
    (finding,) = [f for f in obs.findings if f.rule == "HOST_FILE_UNREADABLE"]
    assert "/var/lib/dpkg/status: could not be read (no dpkg database)" in finding.message
    assert obs.complete and not obs.errors
