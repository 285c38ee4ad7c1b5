"""``store export|import``: a whole store moves between SQLite and PostgreSQL, ledger intact."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from stateward.analysis.changes import component_deltas
from stateward.api import observe
from stateward.cli import main
from stateward.errors import InputError, StorageError
from stateward.store import export_to, import_from, open_database, open_store
from stateward.store.integrity import verify_store
from stateward.store.schema import migrate

from .conftest import fresh_database

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"
PROD, LIVE = str(SHOP / "production"), str(SHOP / "live" / "production.yaml")


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), env={"NO_COLOR": "1", "COLUMNS": "200"})


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], str]]:
    """Makes fresh store locations on one backend."""
    if request.param == "sqlite":
        names = iter(range(100))
        yield lambda: str(tmp_path / f"sqlite-{next(names)}")
        return
    admin: str = request.getfixturevalue("pg_url")
    made: list[Iterator[str]] = []

    def new() -> str:
        made.append(fresh_database(admin))
        return next(made[-1])

    yield new
    for database in made:
        next(database, None)  # drop it


@pytest.fixture(params=["sqlite", "postgresql"])
def other(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty target location on either backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'target' / 'moved.db'}"
        return
    yield from fresh_database(request.getfixturevalue("pg_url"))


def _source(location: str, tmp_path: Path) -> Path:
    for source in (PROD, LIVE):
        assert _run("scan", source, "--estate", "shop", "--store", location).exit_code == 0
    store = open_store(location)
    erased = store.put_object(b"a personal note")
    store.append_entry("policy", None, {"note": erased})
    store.erase_object(erased, "personal data")
    checkpoint = tmp_path / "checkpoint.txt"
    assert (
        _run(
            "ledger", "checkpoint", "--output-file", str(checkpoint), "--store", location
        ).exit_code
        == 0
    )
    store.close()
    return checkpoint


def test_a_store_moves_whole_and_old_checkpoints_verify_against_it(
    backend: Callable[[], str], other: str, tmp_path: Path
) -> None:
    source = backend()
    checkpoint = _source(source, tmp_path)
    exported = tmp_path / "store.swx"
    assert _run("store", "export", str(exported), "--store", source).exit_code == 0
    result = _run("store", "import", str(exported), "--store", other, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ok"] is True  # the ledger verifies
    assert _run("ledger", "verify", "--store", other).exit_code == 0
    assert _run("ledger", "consistency", str(checkpoint), "--store", other).exit_code == 0

    before, after = open_store(source, read_only=True), open_store(other)
    assert after.ledger.origin() == before.ledger.origin()
    assert after.keeper.key_id == before.keeper.key_id  # the keys go by store id
    assert [r.as_dict() for r in after.history("shop")] == [
        r.as_dict() for r in before.history("shop")
    ]
    report = verify_store(after)
    assert report.ok and len(report.erased) == 1
    latest = after.latest("shop")
    assert latest is not None
    seen = observe([LIVE], estate="shop", keeper=after.keeper)
    assert component_deltas(after.load(latest, resources=False), seen) == []
    again = after.record(seen)  # new rows continue after the imported ones
    assert again.id == latest.id + 1 and again.entry == before.ledger.size()
    assert verify_store(after).ok


def test_import_refuses_a_store_that_is_not_empty(tmp_path: Path) -> None:
    source = str(tmp_path / "a")
    _source(source, tmp_path)
    exported = tmp_path / "store.swx"
    export_to(source, exported)
    with pytest.raises(StorageError, match="the target store is not empty"):
        import_from(source, exported)
    assert verify_store(open_store(source)).ok


def test_a_cut_short_export_imports_nothing(tmp_path: Path) -> None:
    source = str(tmp_path / "a")
    _source(source, tmp_path)
    exported = tmp_path / "store.swx"
    export_to(source, exported)
    lines = gzip.decompress(exported.read_bytes()).splitlines(keepends=True)
    exported.write_bytes(gzip.compress(b"".join(lines[:-1])))
    target = str(tmp_path / "b")
    with pytest.raises(InputError, match="cut short: the end line is missing"):
        import_from(target, exported)
    left = open_store(target, read_only=True)
    assert left.ledger.size() == 0 and left.estates() == []


def test_import_refuses_what_is_not_an_export(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.swx"
    bogus.write_bytes(b"not gzip at all")
    result = _run("store", "import", str(bogus), "--store", str(tmp_path / "b"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {bogus}: not a readable store export")


def test_a_table_a_later_migration_adds_travels_without_a_change(tmp_path: Path) -> None:
    source, target = str(tmp_path / "a"), str(tmp_path / "b")
    _source(source, tmp_path)
    for location in (source, target):
        db = open_database(location)
        migrate(db)
        db.read_write(lambda c: c.execute("CREATE TABLE extra (note TEXT, n INTEGER)"))
        db.close()
    db = open_database(source)
    rows = [(f"row {i}", i % 7) for i in range(2500)]  # no primary key: read in one query
    db.read_write(lambda c: c.executemany("INSERT INTO extra (note, n) VALUES (?, ?)", rows))
    db.close()
    exported = tmp_path / "store.swx"
    export_to(source, exported)
    moved = import_from(target, exported)
    copied = moved.db.read_only(lambda c: c.execute("SELECT note, n FROM extra"))
    assert sorted(map(tuple, copied)) == sorted(rows)
    assert verify_store(moved).ok
