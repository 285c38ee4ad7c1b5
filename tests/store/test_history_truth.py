"""History is true: a failed read records nothing, a partial read changes only what it saw,
an unchanged rescan costs a constant, and every stored row is what the ledger committed.

Each test runs the CLI (or the store) on SQLite and on a real PostgreSQL server.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from stateward.api import observe
from stateward.cli import main
from stateward.errors import LedgerIntegrityError
from stateward.store import open_store
from stateward.store.header import expected_row, parse_header
from stateward.store.integrity import verify_store
from stateward.store.manifest import MAX_DEPTH

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"
HIDDEN = ("k8s:Deployment/shop/cart", "k8s:Deployment/shop/checkout")
"""The components defined under ``extra/`` in :func:`estate`."""


def run(store: str, *args: str) -> Result:
    return CliRunner().invoke(
        main, [*args, "--store", store], env={"NO_COLOR": "1", "COLUMNS": "200"}
    )


def doc(store: str, *args: str, code: int = 0) -> dict:  # type: ignore[type-arg]
    result = run(store, *args, "--json")
    assert result.exit_code == code, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def estate(tmp_path: Path) -> Path:
    """The shop's production manifests in two folders: ``core/`` and ``extra/`` (cart and
    checkout), so that ``extra/`` can be made unreadable."""
    root = tmp_path / "shop"
    for folder, names in (
        ("core", ("data", "catalog", "frontend")),
        ("extra", ("cart", "checkout")),
    ):
        (root / folder).mkdir(parents=True)
        for name in names:
            shutil.copy(SHOP / "production" / f"{name}.yaml", root / folder)
    return root


def scan_unreadable(
    store: str, root: Path, locked: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """``scan ROOT`` with ``locked`` (default ``ROOT/extra``) unreadable, in a process that file permissions bind: as root,
    one without the capabilities that bypass them (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH)."""
    drop = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]
    command = [*(drop if os.geteuid() == 0 else []), sys.executable, "-c",
               "from stateward.cli import main; main()",
               "scan", str(root), "--estate", "shop", "--store", store, "--json"]  # fmt: skip
    locked = locked or root / "extra"
    locked.chmod(0)
    try:
        return subprocess.run(
            command, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"}
        )
    finally:
        locked.chmod(0o755)


def statuses(changes: list[dict]) -> dict[str, str]:  # type: ignore[type-arg]
    return {c["component"]: c["status"] for c in changes}


# -- a failed read records nothing -------------------------------------------------------------


def test_a_source_that_cannot_be_read_records_nothing(store_location: str, tmp_path: Path) -> None:
    missing = run(store_location, "scan", str(tmp_path / "nonexistent"), "--estate", "shop")
    assert missing.exit_code == 2
    assert "no such file or directory" in missing.stderr
    assert "nothing recorded" in missing.stderr
    assert "estate 'shop' has no observation" in run(store_location, "show", "shop").stderr
    assert run(store_location, "scan", str(SHOP / "production"), "--estate", "shop").exit_code == 0
    engine = run(store_location, "scan", "engine:///nonexistent/engine.sock", "--estate", "shop")
    assert engine.exit_code == 2 and "nothing recorded" in engine.stderr
    again = run(store_location, "scan", str(tmp_path / "nonexistent"), "--estate", "shop")
    assert again.exit_code == 2
    root = estate(tmp_path)
    folder = scan_unreadable(store_location, root, locked=root)
    assert folder.returncode == 2 and "cannot read directory: Permission denied" in folder.stderr
    assert "nothing recorded" in folder.stderr
    store = open_store(store_location)
    assert [r.seq for r in store.history("shop")] == [1]
    assert store.ledger.size() == 1  # one entry: the good scan
    store.close()
    steps = doc(store_location, "timeline", "--estate", "shop")["steps"]
    assert len(steps) == 1


# -- a partial read changes only what it saw ---------------------------------------------------


def test_an_unreadable_folder_makes_a_partial_observation_that_removes_nothing(
    store_location: str, tmp_path: Path
) -> None:
    root = estate(tmp_path)
    assert run(store_location, "scan", str(root), "--estate", "shop").exit_code == 0
    partial = scan_unreadable(store_location, root)
    assert partial.returncode == 2, partial.stderr
    assert "extra: cannot read directory: Permission denied" in partial.stderr
    assert "The observation is incomplete" in partial.stderr
    second = json.loads(partial.stdout)
    assert second["observation"]["complete"] is False
    assert second["observation"]["not_observed"] == 2
    assert {k: v for k, v in statuses(second["changes"]).items() if k in HIDDEN} == dict.fromkeys(
        HIDDEN, "not observed"
    )
    assert "removed" not in statuses(second["changes"]).values()
    third = doc(store_location, "scan", str(root), "--estate", "shop")
    assert third["changes"] == []  # back in sight, unchanged: nothing "added"

    steps = doc(store_location, "timeline", "--estate", "shop")["steps"]
    assert [statuses(s["changes"]) for s in steps[1:]] == [
        dict.fromkeys(HIDDEN, "not observed"),
        {},
    ]
    at = doc(store_location, "at", "#2", "--estate", "shop")
    assert sorted(c["id"] for c in at["not_observed"]) == list(HIDDEN)
    assert not set(HIDDEN) & {c["id"] for c in at["components"]}
    history = run(store_location, "history", "shop")
    assert "2 not observed" in history.stdout
    drift = run(store_location, "drift", str(root), "shop@#2", "--json")
    assert drift.exit_code == 2  # the stored side recorded an input error: the unread folder
    found = json.loads(drift.stdout)
    assert found["missing"] == [] and "Deployment.apps/shop/cart" in found["not_observed"]


def test_cost_prices_a_change_made_while_a_component_was_not_observed(
    store_location: str, tmp_path: Path
) -> None:
    root = estate(tmp_path)
    assert run(store_location, "scan", str(root), "--estate", "shop").exit_code == 0
    assert scan_unreadable(store_location, root).returncode == 2
    cart = root / "extra" / "cart.yaml"
    cart.write_text(cart.read_text().replace("redis:6379", "redis:6380"))
    third = doc(store_location, "scan", str(root), "--estate", "shop")
    assert statuses(third["changes"]) == {
        "k8s:Deployment/shop/cart": "same binary, context changed"
    }
    # exit 2: observation #2 recorded an input error (the unread folder)
    priced = doc(store_location, "cost", "shop", "--changes", "2..3", code=2)
    assert [c["component"] for c in priced["components"]] == ["k8s:Deployment/shop/cart"]


# -- an unchanged rescan costs a constant --------------------------------------------------------


def test_unchanged_rescans_add_one_small_entry_each(store_location: str) -> None:
    store = open_store(store_location)
    seen = observe([str(SHOP / "production")], estate="shop", keeper=store.keeper)

    def stored() -> tuple[int, int]:
        sql = "SELECT COUNT(*), SUM(LENGTH(data)) FROM objects"
        count, size = store.db.read_only(lambda c: c.execute(sql))[0]
        return int(count), int(size)

    first = store.record(seen)
    before = stored()
    records = [store.record(seen) for _ in range(2 * MAX_DEPTH + 2)]
    count, size = stored()
    assert count - before[0] == len(records)  # one header each: no manifest, no object
    assert (size - before[1]) / len(records) < 400  # bytes per unchanged rescan, compressed
    assert [r.unchanged for r in records] == [True] * len(records)
    assert {r.manifest for r in records} == {first.manifest}
    assert [r.seq for r in store.history("shop")] == list(range(1, len(records) + 2))
    store.close()
    history = run(store_location, "history", "shop")
    assert history.stdout.count("unchanged") == len(records)
    steps = run(store_location, "timeline", "--estate", "shop")
    assert steps.stdout.count("  unchanged") == len(records)
    rescan = [str(SHOP / "staging"), "--estate", "staging"]
    assert run(store_location, "scan", *rescan).exit_code == 0
    again = run(store_location, "scan", *rescan)
    assert "staging: observation #2 (unchanged)" in again.stdout
    assert "No change since observation #1." in again.stdout


# -- every row is what the ledger committed ---------------------------------------------------------


def _scanned_twice(location: str) -> None:
    for where in ("production", "live/production.yaml", "production"):
        assert run(location, "scan", str(SHOP / where), "--estate", "shop").exit_code == 0


def _execute(location: str, sql: str, *params: object) -> None:
    store = open_store(location)
    store.db.read_write(lambda c: c.execute(sql, params))
    store.close()


def test_every_row_column_but_id_is_what_its_header_commits_to(store_location: str) -> None:
    _scanned_twice(store_location)
    store = open_store(store_location)
    dialect = store.db.dialect
    names_sql = (
        "SELECT name FROM pragma_table_info('observations')"
        if dialect == "sqlite"
        else "SELECT column_name FROM information_schema.columns WHERE table_name = 'observations'"
        " ORDER BY ordinal_position"
    )
    columns = {r[0] for r in store.db.read_only(lambda c: c.execute(names_sql))}
    rows = store.db.read_only(lambda c: c.execute("SELECT * FROM observations ORDER BY id"))
    order = [r[0] for r in store.db.read_only(lambda c: c.execute(names_sql))]
    for raw in rows:
        row = dict(zip(order, raw, strict=True))
        header = parse_header(store.get_object(row["header"]), row["header"])
        wanted = expected_row(header, row["header"], row["entry"])
        assert set(wanted) == columns - {"id"}  # a new column must be committed too
        assert {k: row[k] for k in wanted} == wanted
    store.close()


@pytest.mark.parametrize(
    ("column", "value"),
    [("complete", 0), ("summary", '{"components": 99}'), ("seq", 7), ("depth", 5)],
)
def test_an_edited_row_column_is_caught_by_every_read(
    store_location: str, column: str, value: object
) -> None:
    _scanned_twice(store_location)
    _execute(store_location, f"UPDATE observations SET {column} = ? WHERE seq = 2", value)
    number = f"#{value}" if column == "seq" else "#2"
    for args in (
        ("history", "shop"),
        ("timeline", "--estate", "shop"),
        ("at", number, "--estate", "shop"),
    ):
        result = run(store_location, *args)
        assert result.exit_code == 3, (args, result.stderr)
        assert "differs from what its ledger entry committed" in result.stderr
        assert column in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("DELETE FROM observations WHERE seq = 2", "observation #2 is missing from the store"),
        (
            "UPDATE observations SET header = NULL WHERE seq = 3",
            "observation #3 has no header, yet follows one that has",
        ),
    ],
)
def test_a_deleted_or_header_less_row_is_caught_by_history(
    store_location: str, damage: str, message: str
) -> None:
    _scanned_twice(store_location)
    _execute(store_location, damage)
    result = run(store_location, "history", "shop")
    assert result.exit_code == 3
    assert message in result.stderr
    store = open_store(store_location)
    with pytest.raises(LedgerIntegrityError, match=message):
        store.history("shop")
    store.close()


def test_invalid_utf8_in_a_row_is_exit_3_naming_the_row(tmp_path: Path) -> None:
    location = str(tmp_path / "store")  # PostgreSQL text cannot hold invalid UTF-8 at all
    _scanned_twice(location)
    _execute(location, "UPDATE observations SET summary = CAST(x'7b80ff7d' AS TEXT) WHERE seq = 2")
    result = run(location, "history", "shop")
    assert result.exit_code == 3
    row = open_store(location).db.read_only(
        lambda c: c.execute("SELECT id FROM observations WHERE seq = 2")
    )[0][0]
    assert f"observation row {row}: column summary is not UTF-8 text" in result.stderr
    assert "Traceback" not in result.stderr


# -- observations are numbered per estate --------------------------------------------------------


def test_observations_are_numbered_per_estate_and_addressable_as_estate_at_number(
    store_location: str,
) -> None:
    _scanned_twice(store_location)  # shop #1, #2 (live), #3
    assert run(store_location, "scan", str(SHOP / "staging"), "--estate", "staging").exit_code == 0
    assert [h["seq"] for h in doc(store_location, "history", "staging")] == [1]
    assert [h["seq"] for h in doc(store_location, "history", "shop")] == [1, 2, 3]
    live = doc(store_location, "at", "#2", "--estate", "shop")
    assert live["at"] == "#2" and live["observation"]["seq"] == 2
    shown = doc(store_location, "show", "shop", "--at", "#2")
    assert [c["id"] for c in shown["components"]] == [c["id"] for c in live["components"]]
    drift = run(store_location, "drift", "shop@#1", "shop@#2", "--json")
    assert drift.exit_code == 1 and json.loads(drift.stdout)["drifted"] is True
    same = run(store_location, "drift", "shop@#1", "shop@#3")
    assert same.exit_code == 0, same.stderr
    since = doc(store_location, "timeline", "--estate", "shop", "--since", "#2")
    assert [s["observation"]["seq"] for s in since["steps"]] == [3]
    nowhere = run(store_location, "at", "#9", "--estate", "shop")
    assert nowhere.exit_code == 2
    assert "estate 'shop' has no observation #9" in nowhere.stderr
    assert run(store_location, "at", "#x", "--estate", "shop").exit_code == 2


def test_timeline_of_an_unknown_component_is_an_error(store_location: str) -> None:
    _scanned_twice(store_location)
    result = run(store_location, "timeline", "--estate", "shop", "--component", "NOSUCH")
    assert result.exit_code == 2
    assert "no component 'NOSUCH' in the observations of shop" in result.stderr
    found = doc(store_location, "timeline", "--estate", "shop", "--component", "frontend")
    assert {c["component"] for s in found["steps"] for c in s["changes"]} == {
        "k8s:Deployment/shop/frontend"
    }


def test_invalid_utf8_in_an_estate_name_is_exit_3(tmp_path: Path) -> None:
    location = str(tmp_path / "store")
    _scanned_twice(location)
    _execute(location, "UPDATE observations SET estate = CAST(x'73ff' AS TEXT) WHERE seq = 2")
    result = run(location, "estates")
    assert result.exit_code == 3
    assert "an estate name is not UTF-8 text" in result.stderr and "Traceback" not in result.stderr


def test_concurrent_recorders_number_an_estate_without_gaps_or_twins(store_location: str) -> None:
    sources = [str(SHOP / "production"), str(SHOP / "live" / "production.yaml")]
    failures: list[BaseException] = []

    def recorder(turn: int) -> None:
        store = open_store(store_location)
        try:
            for i in range(4):
                where = sources[(turn + i) % 2]
                store.record(observe([where], estate="shop", keeper=store.keeper))
        except BaseException as exc:  # reported below: a thread cannot fail the test itself
            failures.append(exc)
        finally:
            store.close()

    open_store(store_location).close()  # create the store (and its keys) once
    threads = [threading.Thread(target=recorder, args=(t,)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    store = open_store(store_location)
    assert [r.seq for r in sorted(store.history("shop"), key=lambda r: r.seq)] == list(range(1, 17))
    assert verify_store(store).ok
    store.close()
