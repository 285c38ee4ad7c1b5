"""A watch's first list is digested in a worker process (``sources/kube/pages.py``): the pages
come back in the order they were listed, as the resources digesting them here gives, and the
observation recorded is the one recorded without the worker, byte for byte. A page that fails
mid-list fails its kind as it does without the worker; a worker that dies ends the watch with
an error naming it, nothing of the list recorded."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import signal
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from tests import test_kube_watch_ahead as ahead
from tests.kubeapi.server import MALFORMED_CONTINUE, SLOW_CONTINUE, KubeAPI
from tests.test_kube_watch_staged import _digests, _observations, _until

from stateward import api
from stateward.api import _watch as watch_module
from stateward.api._observe import observation_of
from stateward.contexts import derive_live_view
from stateward.errors import InputError, SourceError
from stateward.model.encoded import EncodedBody
from stateward.model.resource import Resource
from stateward.model.secrets import SecretKeeper
from stateward.sources.kube.client import ApiFailure
from stateward.sources.kube.location import PAGE
from stateward.sources.kube.pages import PageWorker, available
from stateward.sources.kube.reader import Reader, open_reader
from stateward.sources.kube.watch import Batch, KubeWatch
from stateward.store import open_store

KEEPER = SecretKeeper(b"k" * 32)
many = ahead.many  # the fixture: ConfigMaps over a page, Deployments reading them
pytestmark = pytest.mark.skipif(not available(), reason="one core or no fork(2): no worker")


def _reader(kubeconfig: Path, page: int) -> Reader:
    reader = open_reader("kube://", KEEPER, {"KUBECONFIG": str(kubeconfig)})
    reader.page = page
    return reader


def _listed(reader: Reader, worker: PageWorker | None) -> tuple[list[Any], list[list[str]]]:
    """The ConfigMaps listed (key, digest, canonical bytes, origin), and each page's keys."""
    kind = next(k for k in reader.kinds if k.resource == "configmaps")
    pages: list[list[str]] = []
    errors: list[InputError] = []
    found, _ = reader.list_kind(
        kind, errors, lambda r: (str(r.key), r.digest, r.canonical, str(r.origin)),
        lambda page: pages.append([key for key, *_ in page]), worker,
    )  # fmt: skip
    assert not errors
    return found, pages


def test_pages_come_back_in_list_order_as_digesting_them_here_gives(
    many: KubeAPI, kubeconfig: Path
) -> None:
    reader = _reader(kubeconfig, page=37)
    try:
        here, here_pages = _listed(reader, None)
        worker = PageWorker(reader)
        try:
            there, there_pages = _listed(reader, worker)
        finally:
            worker.close()
    finally:
        reader.close()
    assert len(here_pages) > 10 and there_pages == here_pages
    assert [key for key, *_ in there] == sorted(key for key, *_ in there)  # the server's order
    assert there == here  # keys, digests, canonical bytes and origins alike


def test_the_entry_and_objects_recorded_are_those_recorded_without_the_worker(
    many: KubeAPI, kubeconfig: Path, tmp_path: Path
) -> None:
    open_store(str(tmp_path / "store-True")).close()
    shutil.copytree(tmp_path / "store-True", tmp_path / "store-False")  # the same keys
    entries, objects = [], []
    for worker in (True, False):
        watch = KubeWatch("kube://", KEEPER, environ={"KUBECONFIG": str(kubeconfig)},
                          derive=derive_live_view, page_worker=worker)  # fmt: skip
        first = _first_batch(watch)
        observation = observation_of("live", ["kube://"], first.resources, errors=first.errors,
                                     complete=first.complete)  # fmt: skip
        observation.time = datetime(2026, 12, 5, tzinfo=UTC)
        store = open_store(str(tmp_path / f"store-{worker}"))
        try:
            store.record(observation)
            entries.append(store.ledger.prove(0).entry)
            rows = store.db.read_only(lambda c: c.execute("SELECT digest, data FROM objects"))
            objects.append({str(digest): bytes(data) for digest, data in rows})
        finally:
            store.close()
    assert entries[0] == entries[1]  # the manifest and header they name too
    assert objects[0] == objects[1] and len(objects[0]) > PAGE


def test_views_come_back_as_bytes_with_bodies_left_undecoded(
    many: KubeAPI, kubeconfig: Path
) -> None:
    reader = _reader(kubeconfig, page=500)
    kind = next(k for k in reader.kinds if k.resource == "deployments.apps")
    worker = PageWorker(reader, derive_live_view)
    try:  # one page, given to a worker that digests no other: never declined
        heard, _ = reader.list_kind(kind, [], lambda r: r, None, worker)
    finally:
        worker.close()
        reader.close()
    assert {"app-0", "app-1", "app-2"} <= {r.key.name for r in heard}
    assert all(isinstance(r.derived.get("live view"), bytes) for r in heard)
    assert all(isinstance(r.body, EncodedBody) and r.body.data == r.canonical for r in heard)


def test_pages_arriving_while_the_worker_digests_are_digested_here_to_the_same_resources(
    many: KubeAPI, kubeconfig: Path
) -> None:
    reader = _reader(kubeconfig, page=37)
    kind = next(k for k in reader.kinds if k.resource == "configmaps")
    here, _ = reader.list_kind(kind, [], _kept, None, None)
    slow = PageWorker(reader, lambda _: time.sleep(0.002))  # ~0.07 s a page: busy
    try:
        both, _ = reader.list_kind(kind, [], _kept, None, slow)
    finally:
        slow.close()
        reader.close()
    where = [there for *_, there in both]
    assert where.count(True) >= 37 and where.count(False) >= 37  # pages of both kinds
    assert [found for *found, _ in both] == [found for *found, _ in here]


def test_a_page_declined_is_digested_here_while_the_worker_digests_the_one_before(
    many: KubeAPI, kubeconfig: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker's first page waits until this process digested an object itself: digested
    only once the worker's page was taken, the page it declined would leave it waiting in
    vain, and the two processes would digest in turn."""
    reader = _reader(kubeconfig, page=37)
    kind = next(k for k in reader.kinds if k.resource == "configmaps")
    here, waited = tmp_path / "digested here", tmp_path / "waited"

    def derive(_: Resource) -> None:  # in the worker, forked before resource is replaced below
        if not waited.exists():
            found = _appears(here, within_s=10.0)
            waited.write_text("found" if found else "in vain")

    digest_here = Reader.item_resource  # what a page's items go through, here and in the worker

    def resource(self: Reader, *args: Any, **kwargs: Any) -> Resource | None:
        here.touch()
        return digest_here(self, *args, **kwargs)

    worker = PageWorker(reader, derive)
    monkeypatch.setattr(Reader, "item_resource", resource)
    try:
        both, _ = reader.list_kind(kind, [], _kept, None, worker)
    finally:
        worker.close()
        reader.close()
    assert waited.read_text() == "found"
    assert any(there for *_, there in both) and not all(there for *_, there in both)


def test_a_busy_worker_takes_every_other_page_behind_the_one_it_digests_and_no_third(
    many: KubeAPI, kubeconfig: Path, tmp_path: Path
) -> None:
    """While the worker digests a page, the pages arriving are declined and queued behind it
    in turn, the first declined; with two given, every one is declined. Each page given
    comes back whole once the worker goes on."""
    reader = _reader(kubeconfig, page=500)
    kind = next(k for k in reader.kinds if k.resource == "configmaps")
    go_on = tmp_path / "go on"

    def derive(_: Resource) -> None:  # in the worker: busy until told to go on
        _appears(go_on, within_s=10.0)

    worker = PageWorker(reader, derive)
    item = {"metadata": {"name": "one", "namespace": "default"}, "data": {"A": "1"}}
    page = json.dumps({"items": [item], "metadata": {"resourceVersion": "7"}}).encode()
    try:
        given = [worker.open(kind, 200, page) for _ in range(5)]
        go_on.touch()
        taken = [p is not None for p in given]
        digested = [[r.key.name for r in p.resources([])] for p in given if p is not None]
        _until(lambda: worker.digesting == 0, "the worker to digest what it was given")
        idle = worker.open(kind, 200, page)
    finally:
        worker.close()
        reader.close()
    assert taken == [True, False, True, False, False]
    assert digested == [["one"], ["one"]]
    assert idle is not None  # nothing given: the next page is the worker's


def _appears(path: Path, within_s: float) -> bool:
    deadline = time.monotonic() + within_s
    while not path.exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def _kept(resource: Resource) -> tuple[str, str, bytes, str, bool]:
    """What a list keeps of a resource, and whether the worker digested it (its body is the
    bytes the worker gave back, not the parsed item)."""
    there = isinstance(resource.body, EncodedBody)
    return str(resource.key), resource.digest, resource.canonical, str(resource.origin), there


@pytest.mark.parametrize("worker", [True, False])
def test_a_page_failing_mid_list_fails_its_kind_and_keeps_none_of_it(
    many: KubeAPI, kubeconfig: Path, worker: bool
) -> None:
    many.faults["configmaps"] = MALFORMED_CONTINUE
    watch = KubeWatch("kube://", KEEPER, environ={"KUBECONFIG": str(kubeconfig)},
                      page_worker=worker)  # fmt: skip
    first = _first_batch(watch)
    assert not first.complete
    assert not [r for r in first.resources if r.key.kind == "ConfigMap"]
    assert [e.message for e in first.errors if "configmaps" in e.location] == [
        "kube://#configmaps: listing configmaps in namespace default failed: the answer is "
        "not JSON (Expecting value: line 1 column 41 (char 40)); not observed"
    ]


def test_a_page_that_is_not_a_list_is_the_failure_decoding_it_here_gives(
    many: KubeAPI, kubeconfig: Path
) -> None:
    reader = _reader(kubeconfig, page=500)
    kind = next(k for k in reader.kinds if k.resource == "configmaps")
    worker = PageWorker(reader)
    try:
        for data, reason in (
            (b'{"items": [', "the answer is not JSON"),
            (b'{"items": {}}', "the list answer has no items or metadata"),
        ):
            page = worker.open(kind, 200, data)
            assert page is not None
            with pytest.raises(ApiFailure, match=reason):
                page.head()
            assert list(page.resources([])) == []
    finally:
        worker.close()
        reader.close()
    assert worker.open(kind, 200, b"{}") is None  # closed: the caller digests pages itself


def test_a_released_worker_digests_what_it_was_given_takes_no_more_and_ends(
    many: KubeAPI, kubeconfig: Path
) -> None:
    before = {p.pid for p in multiprocessing.active_children()}
    reader = _reader(kubeconfig, page=500)
    kind = next(k for k in reader.kinds if k.resource == "configmaps")
    worker = PageWorker(reader)
    try:
        page = worker.open(kind, 200, b'{"items": [], "metadata": {"resourceVersion": "7"}}')
        assert page is not None
        worker.release()  # the watch's first observation is recorded meanwhile
        assert worker.open(kind, 200, b"{}") is None  # the caller digests pages itself
        assert page.head() == ("7", "") and list(page.resources([])) == []
        worker.close()  # returns once it ended
        assert {p.pid for p in multiprocessing.active_children()} <= before
    finally:
        worker.close()
        reader.close()


def test_a_worker_that_dies_mid_list_ends_the_watch_with_an_error_and_records_nothing(
    many: KubeAPI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(watch_module, "STAGED_PER_WRITE", PAGE)  # a page is written as it comes
    many.faults["configmaps"] = SLOW_CONTINUE  # the second page comes after the kill
    before = {p.pid for p in multiprocessing.active_children()}
    store = open_store(str(tmp_path / "store"))
    failed: list[BaseException] = []
    recorded: list[api.Recorded] = []
    stop = threading.Event()

    def follow() -> None:
        try:
            api.watch(store, "kube://", estate="live", on_record=recorded.append, stop=stop,
                      debounce_s=0.1, page_worker=True)  # fmt: skip
        except SourceError as exc:
            failed.append(exc)

    thread = threading.Thread(target=follow, daemon=True)
    thread.start()
    try:
        _until(lambda: len(_digests(store)) >= PAGE, "the first page of ConfigMaps stored")
        workers = [c for c in multiprocessing.active_children() if c.pid not in before]
        assert len(workers) == 1 and workers[0].pid is not None
        os.kill(workers[0].pid, signal.SIGKILL)
        _until(lambda: bool(failed), "the watch to end with the worker's death")
    finally:
        stop.set()
        thread.join(20)
    try:
        assert not recorded and not thread.is_alive()
        assert str(failed[0]) == (
            "the worker process digesting the list pages of kube:// ended before it finished; "
            "nothing of that list was recorded")  # fmt: skip
        assert _observations(store) == 0 and store.ledger.size() == 0
        assert store.latest("live") is None and store.estates() == []
    finally:
        store.close()


def _first_batch(watch: KubeWatch) -> Batch:
    first: Batch = ahead._first(watch.run)
    return first
