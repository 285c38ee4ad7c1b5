"""``watch`` against the test API server: list then watch, resume after a crash from the last
resourceVersion (checked against the server's own event log), relist on 410 Gone, record."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.kubeapi.server import BROKEN_EVENT, KubeAPI

from stateward import api
from stateward.api._observe import observation_of
from stateward.cli import main
from stateward.model.resource import Origin, Resource
from stateward.model.secrets import SecretKeeper
from stateward.sources.kube.client import connect
from stateward.sources.kube.discovery import discover
from stateward.sources.kube.location import KubeTarget
from stateward.sources.kube.source import KubeSource
from stateward.sources.kube.watch import RELISTED, Batch, KubeWatch, _Held
from stateward.sources.manifests import resource_key
from stateward.store import open_store

KEEPER = SecretKeeper(b"k" * 32)


class Collector:
    """A watch running in a thread, its batches kept."""

    def __init__(self, kubeconfig: Path) -> None:
        self.batches: list[Batch] = []
        self.stop = threading.Event()
        self.watch = KubeWatch("kube://", KEEPER, environ={"KUBECONFIG": str(kubeconfig)},
                               debounce_s=0.1, backoff_s=(0.05, 0.2))  # fmt: skip
        self.thread = threading.Thread(
            target=self.watch.run, args=(self.batches.append, self.stop), daemon=True
        )

    def applied(self) -> list[tuple[int, str, str]]:
        return [(int(a.version), a.type, str(a.key)) for b in self.batches for a in b.applied]

    def state(self) -> dict[str, str]:
        return {str(r.key): r.digest for r in self.batches[-1].resources}


@pytest.fixture
def collector(kube_api: KubeAPI, kubeconfig: Path) -> Iterator[Collector]:
    kube_api.bookmark_interval = 0.1
    running = Collector(kubeconfig)
    running.thread.start()
    _until(lambda: bool(running.batches), "the first batch")
    yield running
    running.stop.set()
    running.thread.join(5)


def _until(done: Callable[[], bool], what: str, limit: float = 20.0) -> None:
    deadline = time.monotonic() + limit
    while not done():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def _set(api: KubeAPI, value: str) -> None:
    api.cluster.patch(api.cluster.kinds[("", "configmaps")], "default", "blee",
                      {"data": {"LOG_LEVEL": value}}, "kubectl-set")  # fmt: skip


def _server_events(api: KubeAPI, after: int) -> list[tuple[int, str, str]]:
    """The server's own log of what happened in namespace default, after ``after``."""
    return [(e.rv, e.type, str(resource_key(e.obj))) for e in api.cluster.events
            if e.rv > after and e.obj["metadata"].get("namespace") == "default"
            and e.kind.kind != "Event"]  # fmt: skip


def test_first_batch_is_the_whole_state(kube_api: KubeAPI, collector: Collector) -> None:
    first = collector.batches[0]
    assert first.listed and first.complete and first.applied == []
    assert sorted(collector.state()) == [
        "ConfigMap/default/blee",
        "Pod/default/nginx",
        "Pod/default/nginx-7fb78fb6d8-2w75j",
        "Secret/default/s1",
        "Service/default/dictionary1",
        "ServiceAccount/default/blee",
    ]


def test_no_kind_is_watched_before_the_first_batch_is_heard_and_nothing_is_missed(
    kube_api: KubeAPI, kubeconfig: Path
) -> None:
    """Each kind's watch starts from its list's resourceVersion once the first batch was
    heard: a change made while the first batch is recorded comes in the next one."""
    watched_first: list[str] = []
    batches: list[Batch] = []

    def heard(batch: Batch) -> None:
        if not batches:
            watched_first.extend(r for r in kube_api.requests if "watch=true" in r)
            _set(kube_api, "while-recording")
        batches.append(batch)

    stop = threading.Event()
    watch = KubeWatch("kube://", KEEPER, environ={"KUBECONFIG": str(kubeconfig)},
                      debounce_s=0.1)  # fmt: skip
    thread = threading.Thread(target=watch.run, args=(heard, stop), daemon=True)
    thread.start()
    try:
        _until(lambda: len(batches) > 1, "the change made while the first batch was heard")
    finally:
        stop.set()
        thread.join(10)
    assert watched_first == []
    assert [(a.type, str(a.key)) for a in batches[1].applied] == [
        ("MODIFIED", "ConfigMap/default/blee")
    ]


def test_a_later_batch_reads_and_resolves_as_a_scan_of_the_same_state(
    kube_api: KubeAPI, collector: Collector, kubeconfig: Path
) -> None:
    _set(kube_api, "debug")
    _until(lambda: len(collector.applied()) == 1, "the change")
    later = collector.batches[-1].resources  # held between batches, decoded when read
    scan = KubeSource(environ={"KUBECONFIG": str(kubeconfig)}).observe("kube://", KEEPER)
    assert {str(r.key): (dict(r.body), r.origin) for r in later} == {
        str(r.key): (r.body, r.origin) for r in scan.resources
    }
    watched, scanned = (observation_of("e", ["kube://"], list(rs))
                        for rs in (later, scan.resources))  # fmt: skip
    assert [c.as_dict() for c in watched.components] == [c.as_dict() for c in scanned.components]
    assert any(c.id.endswith("nginx") for c in watched.components)


def test_a_changed_workload_is_normalized_again_while_unchanged_ones_keep_their_views(
    kube_api: KubeAPI, kubeconfig: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Later observations take each unchanged workload's normalized view as kept from the last
    one (by digest): what they record is what a scan of the same state resolves, a change
    included."""
    cluster = kube_api.cluster
    for name in ("checkout", "cart"):
        container = {"name": "app", "image": f"shop/{name}:1", "env": [{"name": "LOG_LEVEL",
                     "value": "info"}]}  # fmt: skip
        cluster.create({"apiVersion": "apps/v1", "kind": "Deployment",
                        "metadata": {"name": name, "namespace": "default"},
                        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": name}},
                                 "template": {"metadata": {"labels": {"app": name}},
                                              "spec": {"containers": [container]}}}},
                       "helm")  # fmt: skip
    store, stop = open_store(str(tmp_path / "s")), threading.Event()
    recorded: list[api.Recorded] = []
    monkeypatch.setenv("KUBECONFIG", str(kubeconfig))  # the watch reads kubectl's environment
    thread = threading.Thread(target=api.watch, args=(store, "kube://"), daemon=True,
                              kwargs={"estate": "live", "on_record": recorded.append,
                                      "stop": stop, "debounce_s": 0.1})  # fmt: skip
    thread.start()
    try:
        _until(lambda: bool(recorded), "the first observation")
        for value in ("debug", "warn"):
            checkout = cluster.get(cluster.kinds[("apps", "deployments")], "default", "checkout")
            checkout["spec"]["template"]["spec"]["containers"][0]["env"][0]["value"] = value
            before = len(recorded)
            cluster.update(checkout, "kubectl-set")
            _until(lambda: len(recorded) > before, f"the change to {value}")  # noqa: B023
            latest = store.latest("live")
            assert latest is not None
            watched = store.load(latest, resources=False).components
            scan = KubeSource(environ={"KUBECONFIG": str(kubeconfig)}).observe("kube://", KEEPER)
            scanned = observation_of("e", ["kube://"], scan.resources).components
            assert {c.id: c.as_dict() for c in watched} == {c.id: c.as_dict() for c in scanned}
            env = next(c for c in watched if c.id.endswith("checkout")).context["env"]
            assert value in json.dumps(env)
    finally:
        stop.set()
        thread.join(10)
        store.close()


def test_a_server_restart_mid_watch_misses_nothing_and_repeats_nothing(
    kube_api: KubeAPI, collector: Collector
) -> None:
    start = kube_api.cluster.rv
    for i in range(5):
        _set(kube_api, f"before-{i}")
    _until(lambda: len(collector.applied()) == 5, "the changes before the crash")
    kube_api.stop()  # every watch connection dropped
    for i in range(5):
        _set(kube_api, f"down-{i}")
    kube_api.cluster.create(
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "new", "namespace": "default"},
        },
        "helm",
    )
    kube_api.cluster.delete(kube_api.cluster.kinds[("", "pods")], "default", "nginx")
    kube_api.start()  # same port, same state: etcd kept it
    for i in range(5):
        _set(kube_api, f"after-{i}")
    expected = _server_events(kube_api, start)
    _until(lambda: len(collector.applied()) >= len(expected), "every change")
    time.sleep(0.3)  # anything recorded twice would arrive now
    assert sorted(collector.applied()) == expected
    assert "Pod/default/nginx" not in collector.state()
    assert "ConfigMap/default/new" in collector.state()


def test_a_compacted_resource_version_relists_and_the_state_catches_up(
    kube_api: KubeAPI, collector: Collector, kubeconfig: Path
) -> None:
    kube_api.stop()
    _set(kube_api, "while-away")
    kube_api.cluster.compact()  # the watchers' place is gone: 410 when they come back
    kube_api.start()
    _until(lambda: any(a.type == RELISTED for b in collector.batches for a in b.applied),
           "the relist that finds the change")  # fmt: skip
    time.sleep(0.5)  # every other kind relists too, finding nothing changed
    relisted = [a for b in collector.batches[1:] for a in b.applied]
    assert [(a.type, str(a.key)) for a in relisted] == [(RELISTED, "ConfigMap/default/blee")]
    scan = KubeSource(environ={"KUBECONFIG": str(kubeconfig)}).observe("kube://", KEEPER)
    assert collector.state() == {str(r.key): r.digest for r in scan.resources}


def test_a_forbidden_kind_keeps_the_watch_partial_and_named(
    kube_api: KubeAPI, kubeconfig: Path
) -> None:
    kube_api.cluster.forbidden.add("secrets")
    kube_api.bookmark_interval = 0.1
    running = Collector(kubeconfig)
    running.thread.start()
    try:
        _until(lambda: bool(running.batches), "the first batch")
        time.sleep(1.0)  # the kind is retried (and refused) some ten times meanwhile
    finally:
        running.stop.set()
    assert len(running.batches) == 1  # nothing changed: no further observation
    first = running.batches[0]
    assert not first.complete and "Secret/default/s1" not in running.state()
    assert [e.location for e in first.errors] == ["kube://#secrets"]


def test_watch_command_records_the_state_then_each_change(
    kube_api: KubeAPI, kubeconfig: Path, tmp_path: Path
) -> None:
    kube_api.bookmark_interval = 0.1
    cluster = connect(KubeTarget(), {"KUBECONFIG": str(kubeconfig)})
    kinds = len([k for k in discover(cluster).kinds if k.namespaced])

    def change_once_every_kind_is_watched() -> None:
        def watched() -> int:
            return len({r.split("?")[0] for r in kube_api.requests if "watch=true" in r})

        _until(lambda: watched() == kinds, "every kind listed and watched")
        time.sleep(0.5)  # the first observation is recorded by then
        _set(kube_api, "debug")

    changer = threading.Thread(target=change_once_every_kind_is_watched, daemon=True)
    changer.start()
    env = {"NO_COLOR": "1", "KUBECONFIG": str(kubeconfig)}
    store = str(tmp_path / "s")
    result = CliRunner().invoke(
        main,
        [
            "watch",
            "kube://",
            "--estate",
            "live",
            "--duration",
            "4",
            "--debounce",
            "0.2",
            "--store",
            store,
            "--json",
        ],
        env=env,
    )
    changer.join(1)
    assert result.exit_code == 0, result.output
    decoder, text, docs = json.JSONDecoder(), result.stdout.strip(), []
    while text:
        doc, end = decoder.raw_decode(text)
        docs.append(doc)
        text = text[end:].strip()
    assert [(d["observation"], d["changes"], d["listed"]) for d in docs] == [
        (1, 0, True),
        (2, 1, False),
    ]
    change = docs[1]["applied"][0]
    assert (change["resource"], change["type"]) == ("ConfigMap/default/blee", "MODIFIED")
    assert (change["manager"], change["operation"]) == ("kubectl-set", "Update")
    history = CliRunner().invoke(main, ["history", "live", "--store", store, "--json"], env=env)
    assert history.exit_code == 0 and len(json.loads(history.stdout)) == 2
    assert json.loads(history.stdout)[1]["changes"] == docs[1]["applied"]  # the ledger kept it
    steps = CliRunner().invoke(main, ["timeline", "--estate", "live", "--store", store], env=env)
    assert "ConfigMap/default/blee MODIFIED by kubectl-set (Update) at " in steps.stdout


def test_each_change_names_its_writer_from_managed_fields(
    kube_api: KubeAPI, collector: Collector
) -> None:
    cluster = kube_api.cluster
    _set(kube_api, "debug")
    applied = cluster.get(cluster.kinds[("", "configmaps")], "default", "blee")
    applied["data"] = {"LOG_LEVEL": "warn"}
    cluster.update(applied, "argocd-controller", "Apply")
    cluster.delete(cluster.kinds[("", "configmaps")], "default", "blee")
    _until(lambda: len(collector.applied()) == 3, "the three changes")
    seen = [a.as_dict() for b in collector.batches for a in b.applied]
    assert [(c["type"], c.get("manager"), c.get("operation")) for c in seen] == [
        ("MODIFIED", "kubectl-set", "Update"),
        ("MODIFIED", "argocd-controller", "Apply"),
        ("DELETED", None, None),  # the API keeps no deleter
    ]
    assert seen[0]["time"] == cluster.events[-3].obj["metadata"]["managedFields"][-1]["time"]
    cluster.delete(cluster.kinds[("", "pods")], "default", "nginx", grace=0.2)
    _until(lambda: len(collector.applied()) == 5, "the pod's end")
    ended = [a.as_dict() for b in collector.batches for a in b.applied][3:]
    # Setting deletionTimestamp changes no managedFields: no manager made it, none is named.
    assert [(c["type"], c.get("manager")) for c in ended] == [("MODIFIED", None), ("DELETED", None)]


def test_watch_takes_one_kube_source() -> None:
    result = CliRunner().invoke(main, ["watch", "examples/shop", "--estate", "x"])
    assert (
        result.exit_code == 2
        and "watch follows exactly one kube:// or engine:// source" in result.output
    )


def test_a_stream_cut_mid_event_resumes_after_the_last_whole_event(
    kube_api: KubeAPI, collector: Collector
) -> None:
    start = kube_api.cluster.rv
    kube_api.faults["configmaps"] = BROKEN_EVENT
    _set(kube_api, "first")  # delivered, then half an event and the connection drops
    _set(kube_api, "second")
    _set(kube_api, "third")
    expected = _server_events(kube_api, start)
    _until(lambda: len(collector.applied()) >= 3, "every change")
    time.sleep(0.3)
    assert "configmaps" not in kube_api.faults  # the fault fired
    assert sorted(collector.applied()) == expected


def _watch_process(kubeconfig: Path, store: Path, duration: str) -> subprocess.Popen[str]:
    """``stateward watch kube://`` as its own process (``python -m stateward``, the console
    script's entry point with its signal handling), its output on a pipe."""
    env = {**os.environ, "NO_COLOR": "1", "KUBECONFIG": str(kubeconfig)}
    return subprocess.Popen(
        [sys.executable, "-m", "stateward", "watch", "kube://", "--estate", "live", "--duration",
         duration, "--debounce", "0.2", "--store", str(store)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip


def test_a_stray_sigpipe_does_not_end_a_watch(
    kube_api: KubeAPI, kubeconfig: Path, tmp_path: Path
) -> None:
    """A write to a socket the API server closed raises SIGPIPE; the watch must go on."""
    watch = _watch_process(kubeconfig, tmp_path / "s", "6")
    assert watch.stdout is not None
    assert watch.stdout.readline().startswith("observation #1:")
    os.kill(watch.pid, signal.SIGPIPE)
    _set(kube_api, "after-sigpipe")
    out, err = watch.communicate(timeout=60)
    assert watch.returncode == 0, err
    assert out.startswith("observation #2: 1 changes"), out


def test_a_reader_that_leaves_ends_the_watch_quietly_and_keeps_what_was_recorded(
    kube_api: KubeAPI, kubeconfig: Path, tmp_path: Path
) -> None:
    store = tmp_path / "s"
    watch = _watch_process(kubeconfig, store, "60")
    assert watch.stdout is not None
    assert watch.stdout.readline().startswith("observation #1:")
    watch.stdout.close()  # `stateward watch … | head -1`
    _set(kube_api, "unread")  # recorded, then told to nobody
    started = time.monotonic()
    assert watch.wait(timeout=30) == 128 + signal.SIGPIPE
    assert time.monotonic() - started < 20  # not the whole --duration
    assert watch.stderr is not None and "Traceback" not in watch.stderr.read()
    history = CliRunner().invoke(main, ["history", "live", "--store", str(store), "--json"])
    assert [len(o.get("changes", ())) for o in json.loads(history.stdout)] == [0, 1]


def test_a_kind_whose_reading_fails_on_our_side_is_named_and_the_watch_goes_on(
    kube_api: KubeAPI, kubeconfig: Path
) -> None:
    """An error that is not the server's (here a recorder's callback raising on one kind's
    objects) once left that kind's follower dead and the first batch waiting for it forever."""
    kube_api.bookmark_interval = 0.1
    running = Collector(kubeconfig)
    refused: list[str] = []

    def on_read(resource: Resource) -> None:
        if resource.key.kind == "Secret":
            refused.append(str(resource.key))
            raise RuntimeError("the recorder cannot take this object\nsecond line")

    running.watch.on_read = on_read
    running.thread.start()
    try:
        _until(lambda: bool(running.batches), "the first batch")
        _until(lambda: len(refused) >= 2, "the kind read again")
        _set(kube_api, "debug")
        _until(lambda: any(a.type == "MODIFIED" for b in running.batches for a in b.applied),
               "the change of another kind")  # fmt: skip
    finally:
        running.stop.set()
        running.thread.join(5)
    first = running.batches[0]
    assert not first.complete and "Secret/default/s1" not in running.state()
    assert "ConfigMap/default/blee" in running.state()
    assert [(e.location, e.reason) for e in first.errors] == [
        (
            "kube://#secrets",
            "reading secrets failed (RuntimeError: the recorder cannot take this object); "
            "not observed",
        )
    ]


def test_a_held_object_gives_the_resource_a_list_read_once_then_one_from_its_bytes() -> None:
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}, "data": {"k": "v"}}
    resource = Resource.of(resource_key(obj), obj, Origin("kube", "kube://#configmaps/a"))
    held = _Held.of(resource, given=resource)
    assert held.data == resource.canonical != b"" and held.digest == resource.digest
    assert held.taken(resource.key) is resource and held.given is None  # let go once given
    again = held.taken(resource.key)
    assert again is not resource and again == resource and again.digest == resource.digest
    assert dict(again.body) == obj
