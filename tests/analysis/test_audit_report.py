"""Classes, gravity, dependency edges, the JSON form, and an audit that survives broken rules."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from stateward.analysis.audit import INCOMPLETE, RULES, Effect, Hit, Scope, audit, detector
from stateward.analysis.audit.dependencies import hosts_in
from stateward.analysis.audit.lifecycle import storage_bytes
from stateward.model.finding import Severity
from stateward.model.observation import Observation
from stateward.model.resource import Origin, Resource, ResourceKey

from .conftest import Auditor, rules_of

CANARY = "canary-7f3a9c-do-not-print"

SHOP = f"""
services:
  db:
    image: postgres:16
    read_only: true
    volumes: ["pg:/var/lib/postgresql/data"]
  cache:
    image: redis:7
    command: redis-server --appendonly yes
    read_only: true
  api:
    image: example/api
    read_only: true
    environment:
      DATABASE_URL: postgres://db:5432/app
      REDIS_ADDR: cache:6379
      API_TOKEN: {CANARY}
  worker:
    image: example/worker
    read_only: true
    depends_on: [db]
  legacy:
    image: example/legacy
    read_only: true
    links: ["db:database"]
    environment:
      DSN: postgres://app:{CANARY}@db/app
volumes:
  pg: {{}}
"""


def test_replacing_db_affects_its_dependents(audit_files: Auditor) -> None:
    report = audit_files(**{"compose.yaml": SHOP})
    db = next(c for c in report.components if c.name == "db")
    project = db.id.rsplit("/", 1)[0]
    assert report.affected_by(db.id) == tuple(f"{project}/{n}" for n in ("api", "legacy", "worker"))
    api = report.component(f"{project}/api")
    assert api is not None and api.depends_on == (f"{project}/cache", f"{project}/db")
    assert rules_of(report, "api") == {"STATE_DEPENDENCY"}


def test_lifecycle_loss_and_gravity_follow_the_documented_formula(audit_files: Auditor) -> None:
    report = audit_files(**{"compose.yaml": SHOP})
    by_name = {c.name: c for c in report.components}
    db, cache, api = by_name["db"], by_name["cache"], by_name["api"]
    assert (db.lifecycle, cache.lifecycle, api.lifecycle) == (
        "persistent", "persistent", "ephemeral-safe"
    )  # fmt: skip
    # Only the cache (persistence on, but no volume) loses data on replace; the database's
    # volume survives it.
    assert (db.loss, cache.loss, api.loss) == ("none", "data", "none")
    # db: holds data 40 + database 15 + 3 dependents (api, worker, legacy) x 4.
    assert db.gravity == 40 + 15 + 3 * 4
    # cache: holds data 40 + cache role 0 + 1 dependent (api).
    assert cache.gravity == 40 + 4
    assert api.gravity == 0
    assert db.deciding == ("COMPOSE_NAMED_VOLUME",)
    assert "3 component(s) depend on it (api, legacy, worker)" in db.explanation
    assert "one replica: replacement loses this state" in cache.explanation
    # A durable database many reach outweighs a cache that would lose data.
    assert [c.name for c in report.components][:2] == ["db", "cache"]


POOLED = """
services:
  db:
    image: postgres:16
    volumes: ["pg:/var/lib/postgresql/data"]
  queue:
    image: redis:7
    volumes: ["spool:/data"]
  pooler:
    image: edoburu/pgbouncer
    environment: {DB_HOST: db}
  api:
    image: example/api
    environment: {DATABASE_URL: "postgres://pooler:6432/app", REDIS_URL: "redis://queue:6379"}
  web:
    image: example/web
    environment: {API_URL: "http://api:8080"}
  worker:
    image: example/worker
    environment: {DATABASE_URL: "postgres://pooler:6432/app"}
volumes: {pg: {}, spool: {}}
"""


def test_gravity_counts_dependents_through_a_pooler(audit_files: Auditor) -> None:
    report = audit_files(**{"compose.yaml": POOLED})
    by_name = {c.name: c for c in report.components}
    db, queue = by_name["db"], by_name["queue"]
    assert db.dependents == (db.id.rsplit("/", 1)[0] + "/pooler",)
    # pooler, api, worker and web (through api) all reach the database.
    assert db.gravity == 40 + 15 + 4 * 4
    assert "1 component(s) depend on it (pooler), 4 counting theirs" in db.explanation
    # The queue: same volume, a broker-less cache role, reached by api and web.
    assert queue.gravity == 40 + 2 * 4 < db.gravity


def _chain(hub_clients: int) -> str:
    """A stateless ``api`` behind ``front`` behind ``edge``, a ``lone`` service nothing reaches,
    a ``hub`` reached by ``hub_clients`` services and a ``memo`` keeping an in-process cache
    that nothing reaches."""
    clients = "".join(
        f"  client{i}:\n    image: example/client\n    depends_on: [hub]\n"
        for i in range(hub_clients)
    )
    return f"""
services:
  api: {{image: example/api}}
  front: {{image: example/front, depends_on: [api]}}
  edge: {{image: example/edge, depends_on: [front]}}
  lone: {{image: example/lone}}
  hub: {{image: example/hub}}
  memo: {{image: example/memo, environment: {{CACHE_STORE: memory}}}}
{clients}"""


def test_stateless_components_weigh_their_dependents_below_every_holder(
    audit_files: Auditor,
) -> None:
    """A component holding nothing weighs one per component reaching it, counted transitively,
    so two of them are told apart by their clients; at most 9, below a warm-up alone (10)."""
    report = audit_files(**{"compose.yaml": _chain(12)})
    by_name = {c.name: c for c in report.components}
    assert {by_name[n].loss for n in ("api", "front", "edge", "lone", "hub")} == {"none"}
    # api is reached by front, and by edge through it
    assert [by_name[n].gravity for n in ("api", "front", "edge", "lone")] == [2, 1, 0, 0]
    assert by_name["memo"].loss == "rebuildable" and by_name["memo"].gravity == 10
    assert by_name["hub"].gravity == 9 < by_name["memo"].gravity
    fewer = {c.name: c for c in audit_files(**{"compose.yaml": _chain(5)}).components}
    assert fewer["hub"].gravity == 5 < by_name["hub"].gravity


def test_gravity_reads_claim_sizes_replicas_and_ordered_start(audit_files: Auditor) -> None:
    def sts(name: str, size: str, replicas: int, policy: str) -> str:
        return f"""
    apiVersion: apps/v1
    kind: StatefulSet
    metadata: {{name: {name}}}
    spec:
      replicas: {replicas}
      podManagementPolicy: {policy}
      serviceName: {name}
      selector: {{matchLabels: {{app: {name}}}}}
      template:
        metadata: {{labels: {{app: {name}}}}}
        spec:
          containers:
          - name: {name}
            image: postgres:16
            volumeMounts: [{{name: data, mountPath: /var/lib/postgresql/data}}]
      volumeClaimTemplates:
      - metadata: {{name: data}}
        spec: {{accessModes: [ReadWriteOnce], resources: {{requests: {{storage: {size}}}}}}}
    ---"""

    report = audit_files(**{"m.yaml": sts("big", "200Gi", 3, "OrderedReady")
                            + sts("small", "1Gi", 1, "Parallel")})  # fmt: skip
    big = report.component("k8s:StatefulSet/default/big")
    small = report.component("k8s:StatefulSet/default/small")
    assert big is not None and small is not None
    assert big.gravity == 40 + 15 + 15 + 10 + 5  # hold, database, >=100Gi, 2 more copies, order
    assert small.gravity == 40 + 15 + 5
    assert big.loss == small.loss == "none"


@given(st.sampled_from(["1Gi", "10Gi", "100G", "2Ti", "500Mi", "7", "x"]))
def test_storage_quantities_are_read_as_kubernetes_does(text: str) -> None:
    expected = {"1Gi": 2**30, "10Gi": 10 * 2**30, "100G": 10**11, "2Ti": 2 * 2**40,
                "500Mi": 500 * 2**20, "7": 7, "x": 0}  # fmt: skip
    assert storage_bytes(text) == expected[text]


def test_explanation_names_size_access_mode_and_replicas(audit_files: Auditor) -> None:
    manifest = """
    apiVersion: v1
    kind: PersistentVolumeClaim
    metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 50Gi}}}
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: db}
    spec:
      replicas: 1
      selector: {matchLabels: {app: db}}
      template:
        metadata: {labels: {app: db}}
        spec:
          containers:
          - name: db
            image: postgres:16
            volumeMounts: [{name: d, mountPath: /var/lib/postgresql/data}]
          volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]
    """
    report = audit_files(**{"m.yaml": manifest})
    db = report.component("k8s:Deployment/default/db")
    assert db is not None and db.lifecycle == "persistent"
    assert "PVC data 50Gi RWO" in db.explanation
    assert "one replica: replacement means downtime" in db.explanation
    assert {"SINGLE_REPLICA_RWO", "NO_PDB"} <= rules_of(report, "db")


def test_json_form_has_the_documented_fields(audit_files: Auditor) -> None:
    report = audit_files(**{"compose.yaml": SHOP})
    data = json.loads(json.dumps(report.as_dict()))
    assert data["format"] == 1 and data["complete"] is True
    for finding in data["findings"]:
        assert {"rule", "component", "path", "severity"} <= set(finding)
        assert set(finding["component"]) == {"id", "name"}
        assert finding["rule"] in RULES
    for component in data["components"]:
        wanted = {"id", "name", "lifecycle", "loss", "gravity", "depends_on", "explanation"}
        assert wanted <= set(component)
        assert 0 <= component["gravity"] <= 100
        assert component["loss"] in ("none", "rebuildable", "data")
    assert data["summary"]["loss"] == {"none": 4, "data": 1}


def test_no_secret_value_reaches_the_report(audit_files: Auditor) -> None:
    report = audit_files(**{"compose.yaml": SHOP})
    assert CANARY not in json.dumps(report.as_dict())


@pytest.mark.parametrize(
    ("name", "value", "hosts"),
    [
        ("DATABASE_URL", "postgres://db:5432/app", {"db"}),
        ("REDIS_ADDR", "redis-cart:6379", {"redis-cart"}),
        ("DB_CONNECTION_STRING", "Host=postgresql;Username=u;Database=otel", {"postgresql"}),
        ("MYSQL_HOST", "mysqldb", {"mysqldb"}),
        ("MYSQL_DATABASE", "mysqldb", set()),  # not a host variable
        ("REDIS", "votes-back", {"votes-back"}),  # named for the peer it reaches
        ("SESSION_CACHE", "sessions", {"sessions"}),
        ("POSTGRES_DB", "orders", set()),  # a database's name
        ("REDIS_PASSWORD", "hunter", set()),
        ("REDIS", "redis://cache:6379 extra words", {"cache"}),
        ("", "until nc -z -v -w30 kafka 9092; do sleep 2; done", {"kafka"}),
        # the host quoted by the shell, beside the bare one above
        ("", 'while ! nc -z "fineract-server" 8443; do sleep 1; done', {"fineract-server"}),
        ("LISTEN", "0.0.0.0:8080", set()),
        ("URL", "http://localhost:8080", set()),
        ("DATABASE_URL", "hmac-sha256:" + "0" * 64, set()),  # a digested secret says nothing
    ],
)
def test_hosts_in(name: str, value: str, hosts: set[str]) -> None:
    assert hosts_in(name, value) == hosts


@pytest.fixture
def broken_rule() -> Iterator[str]:
    """A plugin rule that raises on one workload, registered the way a plugin would."""

    @detector("TEST_BROKEN", Severity.LOW, Effect.CONTEXT)
    def broken(workload: Any, estate: Any) -> Iterator[Hit]:
        """Raises on the workload named ``bad``."""
        if workload.name == "bad":
            raise KeyError(CANARY)
        yield Hit("/", "fine")

    yield broken.id
    del RULES[broken.id]


def test_a_failing_rule_marks_only_its_component_incomplete(
    audit_files: Auditor, broken_rule: str
) -> None:
    compose = "services:\n  bad:\n    image: postgres:16\n  good:\n    image: nginx\n"
    report = audit_files(**{"compose.yaml": compose})
    incomplete = [f for f in report.findings if f.rule == INCOMPLETE]
    assert [f.component.rsplit("/", 1)[-1] for f in incomplete if f.component] == ["bad"]
    assert broken_rule in incomplete[0].message and "KeyError" in incomplete[0].message
    assert CANARY not in json.dumps(report.as_dict())
    assert "DATA_IMAGE_NO_VOLUME" in rules_of(report, "bad")  # the other rules still ran
    assert broken_rule in rules_of(report, "good")
    assert report.complete is False


def test_object_rules_register_like_workload_rules() -> None:
    assert all(r.kinds for r in RULES.values() if r.scope is Scope.OBJECT)
    assert {r.scope for r in RULES.values()} == set(Scope)


# Hostile bodies: any JSON-like value where the audit expects maps and lists.
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)
_keys = st.sampled_from(
    ["containers", "initContainers", "volumes", "hostNetwork", "securityContext", "env",
     "volumeMounts", "ports", "image", "args", "command", "emptyDir", "name", "selector"]
)  # fmt: skip
_pod = st.dictionaries(
    _keys, _json | st.lists(st.dictionaries(_keys, _json, max_size=4), max_size=3)
)


@settings(max_examples=200, deadline=None)
@example(pod={"containers": [{"ports": True, "image": None}]}, spec={})  # a port list that is none
@given(pod=_pod, spec=st.dictionaries(st.sampled_from(["replicas", "strategy", "serviceName",
       "volumeClaimTemplates", "selector", "sessionAffinity", "clusterIP", "rules", "subsets",
       "trafficPolicy", "defaultBackend", "host", "depends_on", "links", "tmpfs"]), _json))  # fmt: skip
def test_hostile_objects_never_break_the_audit(pod: dict[str, Any], spec: dict[str, Any]) -> None:
    resources = []
    kinds = (
        ("StatefulSet", "apps"),
        ("Service", ""),
        ("Ingress", "networking.k8s.io"),
        ("DestinationRule", "networking.istio.io"),
        ("PersistentVolume", ""),
    )
    for kind, group in kinds:
        body = {"kind": kind, "metadata": {"name": "x", "annotations": spec},
                "spec": {**spec, "template": {"spec": pod}}}  # fmt: skip
        key = ResourceKey(group, kind, "default", "x")
        resources.append(Resource.of(key, body, Origin("manifests", "m.yaml:1")))
    compose = Resource.of(ResourceKey("compose", "Service", "p", "x"), {**pod, **spec},
                          Origin("compose", "compose.yaml:1"))  # fmt: skip
    observation = Observation("t", datetime(2026, 1, 1, tzinfo=UTC), ("m",), [*resources, compose])
    report = audit(observation)
    json.dumps(report.as_dict())
    assert report.complete, [f.message for f in report.findings if f.rule == INCOMPLETE]


def test_dependent_variables_are_expanded(audit_files: Auditor) -> None:
    manifest = """
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: api}
    spec:
      template:
        metadata: {labels: {app: api}}
        spec:
          containers:
          - name: api
            image: example/api
            securityContext: {readOnlyRootFilesystem: true}
            env:
            - {name: DB_NAME, value: db}
            - {name: DATABASE_URL, value: "postgres://$(DB_NAME):5432/app"}
            - {name: OTHER, value: "http://$(UNKNOWN):80"}
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: db}
    spec:
      template:
        metadata: {labels: {app: db}}
        spec:
          containers: [{name: db, image: 'postgres:16', securityContext: {readOnlyRootFilesystem: true}}]
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: db}
    spec: {selector: {app: db}, ports: [{port: 5432}]}
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: api}
    spec: {selector: {app: api}, ports: [{port: 80}]}
    """
    report = audit_files(**{"m.yaml": manifest})
    api = report.component("k8s:Deployment/default/api")
    assert api is not None and api.depends_on == ("k8s:Deployment/default/db",)
    (edge,) = [f.message for f in report.findings_for(api.id) if f.rule == "STATE_DEPENDENCY"]
    assert edge.endswith("read from api: env DATABASE_URL names db")


SHARED = """
services:
  db:
    image: mariadb:11
    volumes: ["data:/var/lib/mysql"]
  backup:
    image: example/backup
    volumes: ["data:/source"]
  viewer:
    image: example/viewer
    volumes: ["uploads:/srv:ro"]
  app:
    image: example/app
    ports: ["80:80"]
    volumes: ["uploads:/uploads"]
volumes: {data: {}, uploads: {}}
"""


def test_consumers_of_a_shared_named_volume_hold_no_state(audit_files: Auditor) -> None:
    report = audit_files(**{"compose.yaml": SHARED})
    by_name = {c.name: c for c in report.components}
    assert by_name["db"].lifecycle == "persistent" and by_name["db"].gravity > 0
    # The backup shares the database's data directory; the viewer reads uploads read-only.
    for consumer in ("backup", "viewer"):
        assert (by_name[consumer].lifecycle, by_name[consumer].gravity) == ("ephemeral-safe", 0)
    assert by_name["app"].lifecycle == "persistent"  # it writes the uploads itself
