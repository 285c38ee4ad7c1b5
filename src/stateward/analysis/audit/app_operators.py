"""Operators of applications that run the application's own database unless told of another.

Their resources name no storage at all: the records are in a database the operator deploys
beside the application by default, whose claim is in the operator's own manifests.

- Backstage (the Red Hat Developer Hub operator, ``rhdh.redhat.com``; its upstream,
  ``janus-idp.io``): "Backstage hosts the data in a PostgreSQL database. By default, the
  Operator creates and manages a local instance of PostgreSQL"
  (https://github.com/redhat-developer/rhdh-operator/blob/c0cb1c92235d2aced931044c3c732156635f77f1/docs/external-db.md);
  ``spec.database.enableLocalDb`` defaults to true, and the local database is the StatefulSet
  ``backstage-psql-<name>`` with the 1Gi claim template ``data`` at ``/var/lib/pgsql/data``
  (https://github.com/redhat-developer/rhdh-operator/blob/50aa7288684200666a98a62fa8ee58c3cacec6ba/config/profile/rhdh/default-config/db-statefulset.yaml),
  reached through the Service of that name.
- Project Quay (``quay.redhat.com`` ``QuayRegistry``): every component is managed by the
  operator unless listed with ``managed: false``, a component left out included
  (https://github.com/quay/quay-operator/blob/328d8864f528a87c2f6cdc3022058e42a546aa9b/docs/components.md);
  the managed ``postgres`` keeps repositories, tags, users and permissions on a 50Gi claim
  (https://github.com/quay/quay-operator/blob/1a4417a5f309a9cde21aed2160b6e38af9664dac/kustomize/components/postgres/postgres.persistentvolumeclaim.yaml);
  the managed object storage is a bucket claimed from the cluster's NooBaa, outside the estate.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stateward.analysis.audit.operators import Family, register_family
from stateward.analysis.audit.workloads import Storage
from stateward.contexts.operators import OperatorKind
from stateward.model.kubernetes import as_list, as_map, dig

__all__: list[str] = []

_BACKSTAGE = "https://github.com/redhat-developer/rhdh-operator/blob/c0cb1c92235d2aced931044c3c732156635f77f1/docs/external-db.md"
_QUAY = "https://github.com/quay/quay-operator/blob/328d8864f528a87c2f6cdc3022058e42a546aa9b/docs/components.md"
_INSTANCE = "app.kubernetes.io/instance"


def _claim(size: str, storage_class: Any = None) -> dict[str, Any]:
    claim: dict[str, Any] = {
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": size}},
    }
    if isinstance(storage_class, str) and storage_class:
        claim["storageClassName"] = storage_class
    return claim


def _backstage(body: Mapping[str, Any]) -> list[Storage]:
    if dig(body, "spec", "database", "enableLocalDb") is False:
        return []  # the external database its Secret names, kept outside the resource
    text = "the local PostgreSQL's claim template data (enableLocalDb, true by default)"
    return [Storage("/spec/database", _claim("1Gi"), text)]


def _quay(body: Mapping[str, Any]) -> list[Storage]:
    components = [as_map(c) for c in as_list(dig(body, "spec", "components"))]
    postgres = next((c for c in components if c.get("kind") == "postgres"), {})
    if postgres.get("managed") is False:
        return []  # the database the config bundle names, kept outside the resource
    claim = _claim("50Gi", dig(postgres, "overrides", "storageClassName"))
    text = "the managed PostgreSQL's claim (repositories, tags, users; managed by default)"
    return [Storage("/spec/components", claim, text)]


for _family in (
    *(Family(OperatorKind(group, "Backstage", ("spec", "application", "replicas"), _INSTANCE),
             "application", _backstage, _BACKSTAGE,
             services=lambda name, body: [f"backstage-{name}", f"backstage-psql-{name}"])
      for group in ("rhdh.redhat.com", "janus-idp.io")),
    Family(OperatorKind("quay.redhat.com", "QuayRegistry", (), _INSTANCE), "registry", _quay,
           _QUAY),
):  # fmt: skip
    register_family(_family)
