"""A store beside a program that keeps only what the program derives from its own log
(:mod:`stateward.analysis.audit.derived_states`): a Fabric peer's CouchDB world state, rebuilt
from the blocks on the peer's claim, is a warm-up; the same CouchDB that the peer's settings do
not pick, or reach elsewhere, still loses its documents. Hand-made pods."""

from __future__ import annotations

import pytest

from .conftest import Auditor, effect_of_one

_PEER = """apiVersion: v1
kind: ConfigMap
metadata: {{name: peer-config, namespace: ns}}
data:
  CORE_LEDGER_STATE_STATEDATABASE: {database}
  CORE_LEDGER_STATE_COUCHDBCONFIG_COUCHDBADDRESS: {address}
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: peer, namespace: ns}}
spec:
  selector: {{matchLabels: {{app: peer}}}}
  template:
    metadata: {{labels: {{app: peer}}}}
    spec:
      containers:
        - name: main
          image: hyperledger/fabric-peer:2.5
          envFrom: [{{configMapRef: {{name: peer-config}}}}]
          volumeMounts: [{{name: ledger, mountPath: /var/hyperledger}}]
        - name: couchdb
          image: couchdb:3.3
          ports: [{{containerPort: 5984}}]
      volumes:
        - name: ledger
          persistentVolumeClaim: {{claimName: ledger}}
"""


def _sidecar_effect(audit_files: Auditor, database: str, address: str) -> str:
    peer = _PEER.format(database=database, address=address)
    report = audit_files(**{"peer.yaml": peer})
    return str(effect_of_one(report, "SIDECAR_STATEFUL", "couchdb"))


@pytest.mark.parametrize("address", ["localhost:5984", "127.0.0.1:5984"])
def test_the_peers_own_state_database_beside_it_is_rebuilt(
    audit_files: Auditor, address: str
) -> None:
    assert _sidecar_effect(audit_files, "CouchDB", address) == "warm-up"


@pytest.mark.parametrize(
    ("database", "address"), [("goleveldb", "localhost:5984"), ("CouchDB", "couchdb-0:5984")]
)
def test_a_couchdb_the_peer_does_not_keep_its_state_in_here_loses_its_documents(
    audit_files: Auditor, database: str, address: str
) -> None:
    assert _sidecar_effect(audit_files, database, address) == "loss"
