"""What a scan does to hold less memory changes nothing it shows or records: each saving
turned off in turn, the ``--json`` document (every list and mapping in its order) and the bytes
of every stored object but the headers (which hold the time) are the same, on the shared corpus
read by the file workers, in SQLite and in PostgreSQL."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from bench.host_tree import CONFIG, build_tree
from hypothesis import given
from hypothesis import strategies as st
from tests.store.conftest import fresh_database

from stateward import api
from stateward.analysis.audit import audit, engine
from stateward.analysis.audit import estate as estate_module
from stateward.api import _observe
from stateward.contexts import normalized
from stateward.model.encoded import DeflatedBody
from stateward.model.kubernetes import WORKLOAD_KINDS
from stateward.model.resource import Origin, Resource, ResourceKey
from stateward.model.secrets import SecretKeeper
from stateward.report.scan import scan_document
from stateward.sources import files
from stateward.store import open_store
from stateward.store import store as store_module

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"

pytestmark = [
    pytest.mark.skipif(not CORPUS.is_dir(), reason=f"SHARED CORPUS MISSING at {CORPUS}"),
    pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the file source reads in-process"),
]


@pytest.fixture(params=["sqlite", "postgresql"])
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], str]]:
    """A maker of fresh, empty store locations on one backend."""
    if request.param == "sqlite":
        made = iter(range(1 << 30))
        yield lambda: str(tmp_path / f"store-{next(made)}")
        return
    url = request.getfixturevalue("pg_url")
    opened: list[Iterator[str]] = []

    def fresh() -> str:
        opened.append(fresh_database(url))
        return next(opened[-1])

    yield fresh
    for database in opened:
        next(database, None)  # dropped


def _scanned(location: str) -> tuple[str, dict[str, bytes]]:
    """The scan's document without its time, and every stored object but its header."""
    scanned = api.scan(location, [str(CORPUS)], estate="e")
    document = scan_document(scanned.record, scanned.observation, scanned.deltas, scanned.audit)
    del document["observation"]["time"]
    store = open_store(location)
    try:
        rows = store.db.read_only(lambda c: c.execute("SELECT digest, data FROM objects"))
    finally:
        store.close()
    objects = {str(digest): bytes(data) for digest, data in rows}
    del objects[scanned.record.header]
    return repr(document), objects


def test_views_held_undecoded_change_nothing_shown_or_recorded(
    stores: Callable[[], str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STATEWARD_KEY_FILE", str(tmp_path / "secret.key"))  # one secret key
    monkeypatch.setattr(files, "PARALLEL_FROM", 0)  # the workers send the views as bytes
    held: list[Any] = []
    hold = normalized._held_view
    monkeypatch.setattr(normalized, "_held_view", lambda *a: _kept(held, hold(*a)))
    saving = _scanned(stores())
    assert len(held) > 50, "no view was held undecoded: nothing compared"
    monkeypatch.setattr(normalized, "_held_view", lambda *a: None)  # decoded up front
    assert _scanned(stores()) == saving


def _kept(held: list[Any], view: Any) -> Any:
    if view is not None:
        held.append(view)
    return view


_TEXT = st.text(max_size=8)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=8,
)


@given(st.dictionaries(_TEXT, _JSON, max_size=4), st.lists(_TEXT, max_size=2), st.booleans())
def test_a_view_is_held_undecoded_exactly_when_it_is_complete_and_unscaled(
    body: dict[str, Any], incomplete: list[str], scaled: bool
) -> None:
    data = normalized.LiveView(body, tuple(incomplete), scaled).encoded()
    resource = Resource(ResourceKey("apps", "Deployment", "n", "w"), {}, Origin("manifests", "f"))
    resource.derived["live view"] = data
    held = normalized._held_view(resource, frozenset())
    assert (held is not None) == (not incomplete and not scaled)
    if held is not None:
        assert held._decoded is None  # nothing decoded until read
        assert dict(held) == body and held.canonical() == normalized.canonical_json(body)
    scaling = frozenset({resource.key})
    assert normalized._held_view(resource, scaling) is None  # an autoscaler's target


def test_an_audit_holding_no_object_body_changes_nothing_shown_or_recorded(
    stores: Callable[[], str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STATEWARD_KEY_FILE", str(tmp_path / "secret.key"))  # one secret key
    monkeypatch.setattr(files, "PARALLEL_FROM", 0)  # bodies come deflated, decoded if read
    let_go: list[str] = []
    release = engine._let_go
    monkeypatch.setattr(engine, "_let_go", lambda r: (let_go.append(r.key.kind), release(r)))
    saving = _scanned(stores())
    assert let_go.count("Service") > 20, "no Service body was let go of: nothing compared"
    # every body kept decoded once read: the Services' selectors read from the kept bodies
    monkeypatch.setattr(engine, "_let_go", lambda r: None)
    monkeypatch.setattr(Resource, "read_body", lambda self: self.body)
    assert _scanned(stores()) == saving


def test_the_audit_holds_no_decoded_body_of_an_object_no_workload_is_made_of() -> None:
    observation = api.observe([str(CORPUS)], estate="e", keeper=SecretKeeper(b"k" * 32))
    for resource in observation.resources:  # as a scan holds them: bytes, decoded if read
        object.__setattr__(resource, "body", DeflatedBody.of(resource.canonical))
    report = audit(observation, workers=1)
    workloads = {v.id for v in report.components}
    services = [r for r in observation.resources if r.key.kind == "Service" and r.key.group == ""]
    decoded = [r for r in services if r.body._decoded is not None]  # type: ignore[attr-defined]
    assert len(services) > 20 and workloads, "the corpus has no Service: nothing tested"
    # a later lookup may decode one again (a Service read across namespaces), not the estate's
    assert len(decoded) < len(services) // 10, [str(r.key) for r in decoded]


def test_an_audit_run_in_a_forked_child_changes_nothing_shown_or_recorded(
    stores: Callable[[], str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STATEWARD_KEY_FILE", str(tmp_path / "secret.key"))  # one secret key
    monkeypatch.setattr(files, "PARALLEL_FROM", 0)  # bodies come deflated, decoded if read
    monkeypatch.setattr(_observe, "AUDIT_APART_FROM", 0)
    forked: list[int] = []
    beside = _observe.beside
    monkeypatch.setattr(_observe, "beside", lambda compute: (forked.append(1), beside(compute))[1])
    apart = api.scan(stores(), [str(CORPUS)], estate="e")
    saving = _scanned(stores())
    assert forked, "no audit was run in a child: nothing compared"
    assert dict(apart.audit.origins) and len(apart.audit.findings) > 100
    monkeypatch.setattr(_observe, "AUDIT_APART_FROM", 1 << 30)  # audited here
    here = api.scan(stores(), [str(CORPUS)], estate="e")
    assert _scanned(stores()) == saving
    assert list(here.audit.origins.items()) == list(apart.audit.origins.items())
    assert here.audit.effects == apart.audit.effects


def test_a_scans_audit_child_is_forked_before_the_components_are_resolved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STATEWARD_KEY_FILE", str(tmp_path / "secret.key"))
    monkeypatch.setattr(_observe, "AUDIT_APART_FROM", 0)
    held: list[int] = []  # the components of the observation the child is given
    beside = _observe.beside

    def forking(compute: Callable[[], Any]) -> Any:
        held.append(len(compute.args[0].components))  # type: ignore[attr-defined]
        return beside(compute)

    monkeypatch.setattr(_observe, "beside", forking)
    scanned = api.scan(str(tmp_path / "store"), [str(CORPUS)], estate="e")
    assert held == [0]  # forked once, holding none of them
    assert scanned.observation.components and scanned.audit.components


def test_a_host_scanned_beside_its_audit_is_audited_again_with_its_components_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_tree(tmp_path / "root")
    (tmp_path / "stateward.yaml").write_text(CONFIG)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("STATEWARD_KEY_FILE", str(tmp_path / "secret.key"))
    verdicts = []
    for apart_from in (0, 1 << 30):  # audited in the child forked before resolving, then here
        monkeypatch.setattr(_observe, "AUDIT_APART_FROM", apart_from)
        scanned = api.scan(str(tmp_path / f"store-{apart_from}"), [f"host://{tmp_path / 'root'}"],
                           estate="h")  # fmt: skip
        verdicts.append([(v.id, v.lifecycle) for v in scanned.audit.components])
    # the child took other ids (the model's convention for an object's key): audited again
    assert "host:demo.service" in {ident for ident, _ in verdicts[0]}
    assert verdicts[0] == verdicts[1]


def test_rows_made_as_they_are_written_record_the_same(
    stores: Callable[[], str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STATEWARD_KEY_FILE", str(tmp_path / "secret.key"))  # one secret key
    monkeypatch.setattr(files, "PARALLEL_FROM", 0)  # bodies come deflated, written as they are
    # recorded as a later observation is: its objects written by the record step (where rows
    # are made as they are written), not put in the store ahead in bulk as a first one's are
    monkeypatch.setattr(store_module, "_ANY_OBSERVATION", "SELECT 1 WHERE CAST(? AS TEXT) <> ''")
    made: list[int] = []
    rows = store_module._rows
    monkeypatch.setattr(
        store_module, "_rows", lambda o, **bulk: (made.append(len(o)), rows(o, **bulk))[1]
    )
    saving = _scanned(stores())
    assert made and max(made) > 100, "no object was written: nothing compared"
    # all made first
    monkeypatch.setattr(store_module, "_rows", lambda o, **bulk: iter(list(rows(o, **bulk))))
    assert _scanned(stores()) == saving


def test_objects_put_ahead_a_batch_at_a_time_record_the_same(
    stores: Callable[[], str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STATEWARD_KEY_FILE", str(tmp_path / "secret.key"))  # one secret key
    monkeypatch.setattr(files, "PARALLEL_FROM", 0)  # bodies come deflated, written as they are
    batches: list[int] = []
    put = store_module.Store.put_objects
    monkeypatch.setattr(
        store_module.Store, "put_objects", lambda s, o: (batches.append(len(o)), put(s, o))[1]
    )
    monkeypatch.setattr(store_module, "_AHEAD_BYTES", 16 << 10)
    saving = _scanned(stores())
    assert len(batches) > 10, "the objects were not put a batch at a time: nothing compared"
    monkeypatch.setattr(store_module, "_AHEAD_BYTES", 1 << 40)  # all held, put at once
    batches.clear()
    assert _scanned(stores()) == saving
    assert len(batches) == 1


def test_once_the_audit_is_done_no_body_is_held_decoded_and_its_report_is_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the report is made after the estate is gone: the workloads' bodies, decoded for the whole
    # audit, were held beside it
    observation = api.observe([str(CORPUS)], estate="e", keeper=SecretKeeper(b"k" * 32))
    for resource in observation.resources:  # as a scan holds them: bytes, decoded if read
        object.__setattr__(resource, "body", DeflatedBody.of(resource.canonical))
    report = audit(observation, workers=1)
    bodies = [r.body for r in observation.resources]
    assert len(report.components) > 100, "the corpus has no workload: nothing tested"
    assert [b for b in bodies if b._decoded is not None] == []  # type: ignore[attr-defined]
    monkeypatch.setattr(engine, "_let_go", lambda r: None)  # every body kept once read
    kept = audit(observation, workers=1)
    assert any(b._decoded is not None for b in bodies)  # type: ignore[attr-defined]
    assert kept == report


def test_workload_bodies_decoded_before_any_workload_is_built_change_nothing_shown_or_recorded(
    stores: Callable[[], str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STATEWARD_KEY_FILE", str(tmp_path / "secret.key"))  # one secret key
    monkeypatch.setattr(files, "PARALLEL_FROM", 0)  # bodies come deflated, decoded if read
    before: list[int] = []  # the bodies decoded up front, each audit
    decode = estate_module._decode_workloads

    def counted(resources: list[Resource]) -> None:
        decode(resources)
        before.append(sum(getattr(r.body, "_decoded", None) is not None for r in resources))

    monkeypatch.setattr(estate_module, "_decode_workloads", counted)
    saving = _scanned(stores())
    assert before and before[0] > 50, "no workload body was decoded up front: nothing compared"
    # each decoded as its workload is built, its strings its own, as before
    monkeypatch.setattr(estate_module, "_decode_workloads", lambda resources: None)
    assert _scanned(stores()) == saving


def test_the_workloads_bodies_held_through_the_audit_hold_each_value_once() -> None:
    observation = api.observe([str(CORPUS)], estate="e", keeper=SecretKeeper(b"k" * 32))
    for resource in observation.resources:  # as a scan holds them: bytes, decoded if read
        object.__setattr__(resource, "body", DeflatedBody.of(resource.canonical))
    estate = estate_module.build_estate(observation)
    held: dict[str, set[int]] = {}
    nodes: dict[str, set[int]] = {}  # each mapping and list, by its JSON as it iterates
    uses: dict[int, set[str]] = {}  # the workloads holding each node
    controllers = [w for w in estate.workloads if w.resource.key.kind in WORKLOAD_KINDS]
    for workload in controllers:  # the bodies decoded before the workloads are built
        for value in _string_values(workload.body):
            held.setdefault(value, set()).add(id(value))
        for node in _nodes(workload.body):
            nodes.setdefault(json.dumps(node), set()).add(id(node))
            uses.setdefault(id(node), set()).add(workload.id)
    repeated = [value for value, ids in held.items() if len(ids) > 1]
    assert len(controllers) > 50, "the corpus has few workloads: a weak test"
    assert "IfNotPresent" in held, "no pull policy in the workloads: a weak test"
    assert repeated == []
    assert [text for text, ids in nodes.items() if len(ids) > 1] == []
    assert sum(len(workloads) > 1 for workloads in uses.values()) > 10, "nothing shared"


def _string_values(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _string_values(item)
    elif isinstance(value, dict) or hasattr(value, "items"):
        for item in value.values():
            yield from _string_values(item)


def _nodes(value: Any) -> Iterator[Any]:
    """The mappings and lists of a decoded body, below its top."""
    for item in value.values() if isinstance(value, dict) or hasattr(value, "items") else value:
        if isinstance(item, dict | list):
            yield item
            yield from _nodes(item)


@pytest.mark.parametrize("workers", [1, 2])
def test_the_audits_findings_hold_each_message_and_path_once(workers: int) -> None:
    observation = api.observe([str(CORPUS)], estate="e", keeper=SecretKeeper(b"k" * 32))
    findings = audit(observation, workers=workers).findings
    held: dict[str, set[int]] = {}
    for finding in findings:
        for text in (finding.message, finding.path):
            held.setdefault(text, set()).add(id(text))
    told = [f.message for f in findings]
    assert len(told) - len(set(told)) > 20, "few findings say the same: nothing shared"
    # each process of the audit holds one of each (a forked one's come back pickled)
    assert max(map(len, held.values())) <= workers
    assert sum(map(len, held.values())) < len(held) + len(findings) / 2
