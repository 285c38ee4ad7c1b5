"""Retention of watched observations: old intermediate observations lose their raw resources
(erased with a tombstone each), the ledger still verifies and proves every entry, and ``at``,
``show`` and ``timeline`` still answer for every moment."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from stateward import api
from stateward.api._observe import observation_of
from stateward.errors import LedgerIntegrityError
from stateward.ledger import merkle
from stateward.sources.manifests import parse_manifests
from stateward.store import ObservationRecord, Store, open_store

T0 = datetime(2026, 1, 1, tzinfo=UTC)
OBJECTS = 20
STEPS = 60  # one a minute: an hour of watching


def _record(store: Store, minute: int) -> ObservationRecord:
    docs = [
        {"apiVersion": "v1", "kind": "ConfigMap",
         "metadata": {"name": f"cm-{i:02}", "namespace": "default", "resourceVersion": str(minute)},
         "data": {"LOG_LEVEL": f"level-{minute}" if i == minute % OBJECTS else "info"}}
        for i in range(OBJECTS)
    ]  # fmt: skip
    container = {
        "name": "web",
        "image": "nginx:1.27",
        "env": [{"name": "LEVEL", "value": str(minute)}],
    }
    docs.append(
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [container]},
                },
            },
        }
    )
    read = parse_manifests("live.yaml", "\n---\n".join(json.dumps(d) for d in docs), store.keeper)
    moment = T0 + timedelta(minutes=minute)
    return store.record(observation_of("live", ["kube://"], read.resources, clock=lambda: moment))


def _bytes(store: Store) -> int:
    sql = "SELECT COALESCE(SUM(LENGTH(data)), 0) FROM objects"
    return int(store.db.read_only(lambda c: c.execute(sql))[0][0])


def test_compaction_keeps_one_whole_per_period_and_every_proof(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "store"))
    records = [_record(store, minute) for minute in range(STEPS)]
    before = _bytes(store)
    moment = (T0 + timedelta(minutes=33)).isoformat()
    then = api.at(store, "live", moment)
    steps = [(t.record.seq, [d.as_dict() for d in t.deltas]) for t in api.timeline(store, "live")]
    policy = api.Retention(whole_for=timedelta(minutes=10), keep_every=timedelta(minutes=15))
    done = api.compact(store, "live", policy, now=T0 + timedelta(minutes=STEPS))
    # Minutes 0 (the first), 14, 29, 44, 49 (last of their quarter before the cutoff at 50) and
    # 50..59 (young) stay whole.
    whole = {0, 14, 29, 44, 49, *range(50, STEPS)}
    assert done.observations == STEPS - len(whole)
    assert done.erased > 0 and _bytes(store) < before
    for minute, record in enumerate(records):
        if minute in whole:
            assert len(store.load(record).resources) == OBJECTS + 1
        else:
            with pytest.raises(LedgerIntegrityError, match="was erased"):
                store.load(record)
    assert api.verify(store).ok  # every erasure is a tombstone: the ledger still verifies
    for record in records:
        assert record.entry is not None
        proof = api.prove(store, record.entry)  # RFC 9162 §2.1.3.2, against a fresh checkpoint
        head = proof.checkpoint
        merkle.verify_inclusion(merkle.leaf_hash(proof.entry), proof.index, head.size,
                                proof.proof, head.root_hash)  # fmt: skip
    # The components (what `at`, `show` and `timeline` read) stay for every moment.
    shown = api.at(store, "live", moment)
    assert shown.record.seq == 34 and len(shown.components) == 1
    assert shown.components == then.components
    after = [(t.record.seq, [d.as_dict() for d in t.deltas]) for t in api.timeline(store, "live")]
    assert after == steps and len(steps) == STEPS
    again = api.compact(store, "live", policy, now=T0 + timedelta(minutes=STEPS))
    assert again.erased == 0  # nothing left to erase: compaction is idempotent
    store.close()
