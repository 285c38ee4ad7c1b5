"""Estates declared in ``stateward.yaml``, and collectors recording them into one store: the
file's mistakes are named by file and entry; a server's collector records an estate and its
desired source so the dashboard shows drift from it; several collector processes writing the
same estates into one PostgreSQL store sequence one ledger without gaps or duplicates
(``bench/bench_collectors.py`` runs the full 8 collectors x 5 estates)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
import requests
from bench.bench_collectors import check_sequenced, run_collectors
from tests.server.conftest import SHOP, running, tokens
from tests.store.conftest import fresh_database

from stateward import api
from stateward.errors import InputError
from stateward.server import Settings


def declare(folder: Path, text: str) -> Path:
    path = folder / "stateward.yaml"
    path.write_text(text)
    return path


def shop_estates(folder: Path, names: list[str], interval: float = 300) -> Path:
    entries = "".join(
        f"  - name: {name}\n    sources: [{SHOP / 'live/production.yaml'}]\n"
        f"    desired: {SHOP / 'production'}\n    interval: {interval}\n"
        for name in names
    )
    return declare(folder, "estates:\n" + entries)


def test_declared_estates_are_read_with_paths_from_the_file(tmp_path: Path) -> None:
    (tmp_path / "live.yaml").write_text((SHOP / "live/production.yaml").read_text())
    path = declare(
        tmp_path,
        "estates:\n  - name: shop\n    sources: live.yaml\n    desired: [kube://prod/shop]\n"
        "    interval: 30\n",
    )
    (estate,) = api.declared_estates(path)
    assert estate.sources == (str(tmp_path / "live.yaml"),)
    assert estate.desired == ("kube://prod/shop",) and estate.desired_estate == "shop.desired"
    assert estate.interval_s == 30.0
    assert api.declared_estates(declare(tmp_path, "ignoreDifferences: []\n")) == []


@pytest.mark.parametrize(
    ("text", "named", "reason"),
    [
        ("estates: {}\n", "estates", "not a list"),
        ("estates:\n  - name: a\n", "estates[0].sources", "list of locations"),
        ("estates:\n  - {name: a, sources: [x], colour: red}\n", "estates[0]", "'colour'"),
        ("estates:\n  - {name: 'a@b', sources: [x]}\n", "estates[0]", "name"),
        ("estates:\n  - {name: a, sources: [x], interval: 0.1}\n", "estates[0].interval", "under"),
        (
            "estates:\n  - {name: a, sources: [x], interval: soon}\n",
            "estates[0].interval",
            "number",
        ),
        ("estates:\n  - {name: a, sources: [x]}\n  - {name: a, sources: [z]}\n", "estates", "'a'"),
    ],
)
def test_a_wrong_declaration_names_its_file_and_entry(
    tmp_path: Path, text: str, named: str, reason: str
) -> None:
    path = declare(tmp_path, text)
    with pytest.raises(InputError) as raised:
        api.declared_estates(path)
    assert raised.value.location == f"{path}: {named}" and reason in raised.value.reason


def test_a_collector_records_the_estate_and_its_desired_side(tmp_path: Path) -> None:
    location = str(tmp_path / "store")
    (estate,) = api.declared_estates(shop_estates(tmp_path, ["shop"], interval=1))
    rounds: list[api.Collecting] = []
    stop = threading.Event()
    threads = api.collect(location, [estate], stop, rounds.append)
    deadline = time.monotonic() + 60
    while len(rounds) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    stop.set()
    for thread in threads:
        thread.join(30)
    assert [r.error for r in rounds[:2]] == [None, None], rounds
    assert rounds[0].recorded == (1, 1) and rounds[1].recorded == (2, 2)
    assert {e.name for e in api.estates(location)} == {"shop", "shop.desired"}
    read, _ = tokens(location)
    with running(location, Settings()) as url:
        headers = {"Authorization": f"Bearer {read}"}
        page = requests.get(url + "/estates/shop", headers=headers, timeout=60)
        assert 'id="desired-drift"' in page.text and "shop.desired" in page.text
        drift = requests.get(
            url + "/api/v1/drift", params={"desired": "shop.desired", "live": "shop"},
            headers=headers, timeout=60,
        )  # fmt: skip
        assert drift.json()["drifted"] is True


@pytest.mark.postgres
def test_collector_processes_share_one_postgresql_store(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STATEWARD_KEY_FILE", str(tmp_path / "pg.key"))  # every process's
    names = ["alpha", "beta"]
    config = shop_estates(tmp_path, names)
    for location in fresh_database(pg_url):
        api.collect_once(location, api.declared_estates(config)[0])  # keys made once, first
        run_collectors(location, config, processes=3, rounds=2)
        assert check_sequenced(location, config) == 2 * 2 * (1 + 3 * 2) - 2
        for name in names:
            assert len(api.history(location, name)) == (7 if name == "alpha" else 6)
