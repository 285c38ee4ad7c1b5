"""The first list of a watch is stored page by page as it arrives (``Store.put_objects``), then
recorded as one observation naming those objects: a list cut off between pages records
nothing, and what it stored is taken up by the next list, never shown as an observation."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.kubeapi.server import STALL_CONTINUE, KubeAPI

from stateward import api
from stateward.api import _watch as watch_module
from stateward.model.canonical import canonical_json, digest_bytes
from stateward.sources.kube.location import PAGE
from stateward.sources.kube.source import KubeSource
from stateward.store import Store, open_store


def _until(done: Callable[[], bool], what: str, limit: float = 20.0) -> None:
    deadline = time.monotonic() + limit
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def _digests(store: Store) -> set[str]:
    rows = store.db.read_only(lambda c: c.execute("SELECT digest FROM objects"))
    return {str(r[0]) for r in rows}


def _observations(store: Store) -> int:
    return int(store.db.read_only(lambda c: c.execute("SELECT COUNT(*) FROM observations"))[0][0])


class _Watching:
    def __init__(self, store: Store) -> None:
        self.recorded: list[api.Recorded] = []
        self.collector: list[tuple[bool, int]] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=api.watch, args=(store, "kube://"), daemon=True,
                                       kwargs={"estate": "live", "on_record": self.heard,
                                               "stop": self.stop, "debounce_s": 0.1})  # fmt: skip
        self.thread.start()

    def heard(self, recorded: api.Recorded) -> None:
        self.recorded.append(recorded)
        self.collector.append((gc.isenabled(), gc.get_freeze_count()))

    def close(self) -> None:
        self.stop.set()
        self.thread.join(10)
        assert not self.thread.is_alive()


@pytest.fixture
def many(kube_api: KubeAPI, kubeconfig: Path, monkeypatch: pytest.MonkeyPatch) -> KubeAPI:
    """The recorded cluster and more ConfigMaps than one page holds; the watch's kubeconfig."""
    for i in range(PAGE + 20):
        kube_api.cluster.create({"apiVersion": "v1", "kind": "ConfigMap",
                                 "metadata": {"name": f"many-{i:04}", "namespace": "default"},
                                 "data": {"INDEX": str(i)}}, "helm")  # fmt: skip
    monkeypatch.setenv("KUBECONFIG", str(kubeconfig))  # the watch reads kubectl's environment
    return kube_api


def test_a_list_cut_off_between_pages_records_nothing_and_the_next_list_reuses_its_pages(
    many: KubeAPI, kubeconfig: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(watch_module, "STAGED_PER_WRITE", PAGE)  # a page is written as it comes
    many.faults["configmaps"] = STALL_CONTINUE
    store = open_store(str(tmp_path / "store"))
    try:
        cut = _Watching(store)
        _until(lambda: len(_digests(store)) >= PAGE, "the first page of ConfigMaps stored")
        cut.close()
        staged = _digests(store)
        assert not cut.recorded and _observations(store) == 0 and store.ledger.size() == 0
        assert store.estates() == [] and store.latest("live") is None

        del many.faults["configmaps"]
        whole = _Watching(store)
        try:
            _until(lambda: bool(whole.recorded), "the first observation")
        finally:
            whole.close()
        latest = store.latest("live")
        assert latest is not None and latest.seq == 1
        named = store.resource_objects(latest)
        assert staged <= named  # every object the cut-off list stored is named now: reused
        scan = KubeSource(environ={"KUBECONFIG": str(kubeconfig)}).observe("kube://", store.keeper)
        assert named == {r.digest for r in scan.resources}
        loaded = store.load(latest)
        assert {str(r.key): r.digest for r in loaded.resources} == {
            str(r.key): r.digest for r in scan.resources
        }
        assert api.verify(store).ok
    finally:
        store.close()


def test_the_collector_pauses_for_the_first_list_then_leaves_the_state_frozen_until_the_end(
    many: KubeAPI, tmp_path: Path
) -> None:
    store = open_store(str(tmp_path / "store"))
    try:
        watching = _Watching(store)
        try:
            _until(lambda: bool(watching.recorded), "the first observation")
            many.cluster.patch(many.cluster.kinds[("", "configmaps")], "default", "many-0001",
                               {"data": {"INDEX": "changed"}}, "kubectl-set")  # fmt: skip
            _until(lambda: len(watching.recorded) > 1, "the change")
        finally:
            watching.close()
        # paused while the first list is recorded; then on again, the state frozen
        assert watching.collector[0] == (False, 0)
        assert watching.collector[1][0] and watching.collector[1][1] > 0
        assert gc.isenabled() and gc.get_freeze_count() == 0
    finally:
        store.close()


def _page(start: int, count: int) -> list[tuple[str, bytes]]:
    bodies = [canonical_json({"kind": "ConfigMap", "data": {"INDEX": str(i)}})
              for i in range(start, start + count)]  # fmt: skip
    return [(digest_bytes(body), body) for body in bodies]


def test_pages_are_written_a_few_at_a_time_and_the_last_ones_once_the_list_is_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(watch_module, "STAGED_PER_WRITE", 4)
    store = open_store(str(tmp_path / "store"))
    staged = watch_module._Staged(store)
    try:
        pages = [_page(0, 3), _page(3, 3), _page(6, 1)]
        staged.put(pages[0])
        time.sleep(0.2)  # a write under way would be done: none was asked for
        assert _digests(store) == set()
        staged.put(pages[1])  # six pending, four at least: written together
        _until(lambda: len(_digests(store)) == 6, "the first two pages written")
        staged.put(pages[2])
        time.sleep(0.2)
        assert len(_digests(store)) == 6
        staged.listed()  # the list is over: the last page is written, not waited for
        _until(lambda: len(_digests(store)) == 7, "the last page written")
        found = staged.stored()
        assert set(found.digests) == _digests(store) == {d for p in pages for d, _ in p}
        staged.put(_page(7, 9))  # a later list is not staged
        assert staged.stored().digests == frozenset() and len(_digests(store)) == 7
    finally:
        staged.close()
        store.close()


def test_stored_writes_what_is_pending_before_it_names_it(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "store"))
    staged = watch_module._Staged(store)
    try:
        page = _page(0, 3)
        staged.put(page)
        found = staged.stored()  # no listed() heard first: the page is written all the same
        assert set(found.digests) == _digests(store) == {d for d, _ in page}
    finally:
        staged.close()
        store.close()
