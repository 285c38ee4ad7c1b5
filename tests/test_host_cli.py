"""``scan host://… --paths`` (baseline, fast-path check, ``--rehash``), ``drift E host://…`` as
the check, the store growing with what changed only, and ``make demo``'s host step."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
import zlib
from pathlib import Path
from typing import Any

import pytest
from bench.host_tree import CANARY, CONFIG, build_tree, plant_changes
from click.testing import CliRunner, Result

from stateward import api
from stateward.cli import main
from stateward.errors import StorageError
from stateward.store import open_store


def run(store: Path, *args: str) -> Result:
    return CliRunner().invoke(
        main, [*args, "--store", str(store)], env={"NO_COLOR": "1", "COLUMNS": "200"}
    )


@pytest.fixture
def machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    build_tree(tmp_path / "root")
    (tmp_path / "stateward.yaml").write_text(CONFIG)
    monkeypatch.chdir(tmp_path)
    return tmp_path / "root"


def stored(store: Path) -> tuple[int, int]:
    opened = open_store(str(store))
    sql = "SELECT COUNT(*), SUM(LENGTH(data)) FROM objects"
    count, size = opened.db.read_only(lambda c: c.execute(sql))[0]
    opened.close()
    return int(count), int(size)


def test_baseline_then_check_says_its_mode_and_lists_file_changes(
    machine: Path, tmp_path: Path
) -> None:
    store, where = tmp_path / "store", f"host://{machine}"
    first = run(store, "scan", where, "--estate", "web1", "--paths", "/srv")
    assert first.exit_code == 0, first.stderr
    assert "305 entries, 300 files hashed" in first.stdout and "fast path" in first.stdout
    unchanged = run(store, "scan", where, "--estate", "web1", "--paths", "/srv")
    assert "0 files hashed (0 bytes), 300 unchanged; fast path" in unchanged.stdout
    time.sleep(0.01)
    plant_changes(machine)
    check = run(store, "scan", where, "--estate", "web1", "--paths", "/srv")
    assert check.exit_code == 0, check.stderr
    for line in ("added    /srv/app/d0000/helper", "removed  /srv/app/d0000/f000004.dat",
                 "changed  /srv/app/d0000/f000002.dat (ctime, perm)"):  # fmt: skip
        assert line in check.stdout
    assert "4 files hashed" in check.stdout  # new, rewritten, chmod and chown (ctime): no more
    assert "host:demo.service: same binary, context changed" in check.stdout
    rehashed = run(store, "scan", where, "--estate", "web1", "--paths", "/srv", "--rehash")
    assert (
        "300 files hashed" in rehashed.stdout and "rehash: every file read again" in rehashed.stdout
    )
    assert CANARY not in first.stderr + check.stdout + check.stderr


def test_drift_of_a_baseline_against_the_host_is_the_check(machine: Path, tmp_path: Path) -> None:
    store, where = tmp_path / "store", f"host://{machine}"
    assert run(store, "scan", where, "--estate", "web1").exit_code == 0
    same = run(store, "drift", "web1", where)
    assert same.exit_code == 0, same.stderr
    time.sleep(0.01)
    plant_changes(machine)
    drifted = run(store, "drift", "web1", where)
    assert drifted.exit_code == 1, drifted.stderr
    out = drifted.stdout
    assert "host:demo.service: drifted (config, secret, env)" in out
    assert "Directory.host/%2Fsrv%2Fapp%2Fd0000: /entries/helper added" in out
    assert "Directory.host/%2Fsrv%2Fapp%2Fd0000: /entries/f000004.dat removed" in out
    assert '/entries/f000002.dat/perm changed: "0644" → "0666"' in out
    assert CANARY not in out


def test_store_grows_with_what_changed_not_with_the_tree(machine: Path, tmp_path: Path) -> None:
    store, where = tmp_path / "store", f"host://{machine}"
    for n in range(300, 3000):  # 3,000 files in 30 directories
        path = machine / f"srv/app/d{n // 100:04d}/f{n:06d}.dat"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(n.to_bytes(8, "big"))
    assert run(store, "scan", where, "--estate", "web1", "--paths", "/srv").exit_code == 0
    before = stored(store)
    assert run(store, "scan", where, "--estate", "web1", "--paths", "/srv").exit_code == 0
    unchanged = stored(store)
    (machine / "srv/app/d0007/f000701.dat").write_bytes(b"changed")
    assert run(store, "scan", where, "--estate", "web1", "--paths", "/srv").exit_code == 0
    after = stored(store)
    assert unchanged[1] - before[1] < 2_000  # a header and the scan finding, not the tree
    assert after[1] - unchanged[1] < before[1] / 20  # one directory object and a delta


def test_a_check_reads_only_the_stored_directories_whose_stamp_differs(
    machine: Path, tmp_path: Path
) -> None:
    """The previous observation's Directory bodies stay in the store (their stamps, beside them
    in the manifest, decide); the file report reads those whose digest changed, and the
    directories above them that say which trees were walked."""
    store, where = str(tmp_path / "store"), [f"host://{machine}"]
    api.scan(store, where, estate="web1")
    unchanged = api.scan(store, where, estate="web1")
    assert not unchanged.file_changes
    directories = _directories(unchanged)
    read = {path for path, body in directories.items() if isinstance(body, dict) or body.loaded}
    assert len(directories) > 10 and read == {"/"}  # the tops' holder is listed anew each time
    (machine / "srv/app/d0001/f000101.dat").write_bytes(b"changed")
    changed = api.scan(store, where, estate="web1")
    assert changed.file_changes == (
        "changed  /srv/app/d0001/f000101.dat (ctime, mtime, sha256, size)",
    )
    bodies = _directories(changed)
    assert isinstance(bodies["/srv/app/d0001"], dict)  # read again, then recorded anew
    assert not bodies["/srv/app/d0002"].loaded


def test_a_check_that_would_name_an_erased_directory_records_nothing(
    machine: Path, tmp_path: Path
) -> None:
    store, where = str(tmp_path / "store"), [f"host://{machine}"]
    first = api.scan(store, where, estate="web1")
    (folder,) = [r for r in first.observation.resources if r.key.name == "/srv/app/d0001"]
    opened = open_store(store)
    opened.erase_object(folder.digest, "test: a tombstone under an unchanged directory")
    opened.close()
    with pytest.raises(StorageError, match=r"is no longer in the store \(erased\); nothing"):
        api.scan(store, where, estate="web1")
    assert len(open_store(store).history("web1")) == 1
    again = api.scan(store, where, estate="web1", rehash=True)
    assert again.record.seq == 2


def _directories(scanned: api.Scanned) -> dict[str, Any]:
    return {r.key.name: r.body for r in scanned.observation.resources if r.key.kind == "Directory"}


def test_parity_of_two_roots_with_a_policy_for_hostnames_and_keys(
    machine: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    build_tree(other)
    (other / "etc/hostname").write_text("web2\n")
    (other / "etc/demo/demo.conf").write_text("listen = 127.0.0.1:8080\nworkers = 4\n")
    (other / "etc/demo/tls.key").write_text(
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
    )
    (machine / "etc/demo/tls.key").write_text(
        "-----BEGIN PRIVATE KEY-----\nBBBB\n-----END PRIVATE KEY-----\n"
    )
    for root in (machine, other):
        unit = root / "etc/systemd/system/demo.service"
        unit.write_text(
            unit.read_text().replace("demo.conf\n", "demo.conf --key /etc/demo/tls.key\n")
        )
    store = tmp_path / "store"
    bare = run(store, "parity", f"host://{machine}", f"host://{other}")
    assert bare.exit_code == 1, bare.stderr
    assert '/config/hostname changed: "web1" → "web2"' in bare.stdout and "tls.key" in bare.stdout
    policy = tmp_path / "parity.yaml"
    policy.write_text(
        "expected:\n"
        "  - {reason: each host has its name, components: 'System/*', paths: ['/config/hostname']}\n"
        "  - {reason: each host has its own keys, paths: ['/config/files/*.key']}\n"
    )
    planned = run(store, "parity", f"host://{machine}", f"host://{other}", "--policy", str(policy))
    assert planned.exit_code == 0, planned.stderr


def test_make_demo_host_step_runs() -> None:
    script = Path(__file__).resolve().parents[1] / "examples" / "host" / "demo.sh"
    done = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "added    /etc/cron.d/backdoor" in done.stderr + done.stdout


def test_an_unreadable_host_records_nothing_and_exits_2(tmp_path: Path) -> None:
    result = run(tmp_path / "store", "scan", f"host://{tmp_path}/nowhere", "--estate", "web1")
    assert result.exit_code == 2
    assert (
        f"Error: host://{tmp_path}/nowhere: {tmp_path}/nowhere is not a directory." in result.stderr
    )
    assert "nothing recorded" in result.stderr
    bad = run(tmp_path / "store", "scan", "ssh://no-user-here", "--estate", "web1")
    assert bad.exit_code == 2 and "not an ssh://user@host[:port] URL" in bad.stderr


def test_host_canaries_stay_out_of_every_output_and_the_store(
    machine: Path, tmp_path: Path
) -> None:
    # one canary per place a host keeps a secret; lower-case letters outside a-f, never in hex
    canary = {form: f"cnryqhostq{form}zz" for form in
              ("envfile", "unitenv", "execarg", "cron", "key", "shadow", "conffile")}  # fmt: skip
    unit = machine / "etc/systemd/system/demo.service"
    unit.write_text(unit.read_text().replace(
        "User=demo\n",
        f"User=demo\nEnvironment=DB_PASSWORD={canary['unitenv']}\n"
        f"ExecStartPre=/usr/bin/demo-daemon --password={canary['execarg']}\n",
    ))  # fmt: skip
    (machine / "etc/default/demo").write_text(f"SECRET_KEY={canary['envfile']}\n")
    (machine / "etc/crontab").write_text(
        f"* * * * * root curl -H 'Authorization: Bearer {canary['cron']}' x\n"
    )
    (machine / "etc/ssh/extra_key").write_text(f"-----BEGIN PRIVATE KEY-----\n{canary['key']}\n")
    (machine / "etc/shadow").write_text(f"root:{canary['shadow']}:19000:0:99999:7:::\n")
    (machine / "etc/demo/demo.conf").write_text(f"password = {canary['conffile']}\n")
    store, where = tmp_path / "store", f"host://{machine}"
    outputs = [run(store, "scan", where, "--estate", "web1", "--json")]
    (machine / "etc/default/demo").write_text(f"SECRET_KEY={canary['envfile']}x\n")
    outputs += [
        run(store, "scan", where, "--estate", "web1", "--json"),
        run(store, "drift", "web1@#1", where),
        run(store, "drift", "web1@#1", where, "--json"),
        run(store, "show", "web1", "host:demo.service"),
        run(store, "timeline", "--estate", "web1", "--component", "host:demo.service"),
    ]
    assert outputs[-1].exit_code == 0, outputs[-1].stderr
    text = "".join(r.stdout + r.stderr for r in outputs).encode()
    stored = _stored(store)
    for form, value in canary.items():
        assert value.encode() not in text, f"{form} leaked into an output"
        assert not any(value.encode() in blob for blob in stored), f"{form} leaked into the store"


def _stored(store: Path) -> list[bytes]:
    """Every cell of every table of the store, inflated where it is compressed."""
    blobs = []
    with sqlite3.connect(f"file:{store / 'store.db'}?mode=ro", uri=True) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}"'):  # names from sqlite_master
                for cell in row:
                    if isinstance(cell, bytes | str):
                        data = cell.encode() if isinstance(cell, str) else cell
                        try:
                            data = zlib.decompress(data)
                        except zlib.error:
                            pass
                        blobs.append(data)
    return blobs


def test_host_flags_need_a_host_source_and_absolute_paths(tmp_path: Path) -> None:
    wrong = run(tmp_path / "store", "scan", str(tmp_path), "--estate", "e", "--rehash")
    assert wrong.exit_code == 2
    assert "--paths and --rehash can only be used with host:// or ssh:// sources" in wrong.stderr
    relative = run(tmp_path / "store", "scan", "host://", "--estate", "e", "--paths", "etc")
    assert relative.exit_code == 2 and "--paths etc: not an absolute path" in relative.stderr
    assert not (tmp_path / "store").exists()  # refused before anything was created


_WITHOUT_ASYNCSSH = """
import sys
class Refuse:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "asyncssh":
            raise ImportError(f"{name} is not installed (an extra)")
sys.meta_path.insert(0, Refuse())
from stateward import api
from stateward.cli import main
from stateward.errors import StorageError
sys.exit(main(sys.argv[1:]))
"""


def test_host_runs_without_the_host_extra_and_ssh_says_how_to_get_it(
    machine: Path, tmp_path: Path
) -> None:
    store = str(tmp_path / "store")
    local = subprocess.run(
        [sys.executable, "-c", _WITHOUT_ASYNCSSH, "scan", f"host://{machine}", "--estate", "e",
         "--store", store], capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert local.returncode == 0, local.stderr[-2000:]
    remote = subprocess.run(
        [sys.executable, "-c", _WITHOUT_ASYNCSSH, "scan", "ssh://root@127.0.0.1:1", "--estate",
         "r", "--store", store], capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert remote.returncode == 2 and "pip install 'stateward[host]'" in remote.stderr
