"""Messaging systems placed by their operator (:mod:`stateward.analysis.audit.messaging_operators`):
core NATS keeps nothing; a NATS Streaming cluster keeps its channels where its store is (the
container layer, a claim over its store directory, an SQL database elsewhere) and depends on
the NATS cluster it names; a Synapse and its Signal bridge keep their databases on the
operator's claims, an IRC bridge nothing. Small hand-made resources."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Effect

from .conftest import Auditor
from .conftest import custom_resource as _cr

_NATS = _cr("nats.io/v1alpha2", "NatsCluster", "spec: {size: 3}", "nats")
_STAN = "streaming.nats.io/v1alpha1"
_TEMPLATE = (
    "  template:\n    spec:\n"
    "      volumes: [{name: store, persistentVolumeClaim: {claimName: stan-pvc}}]\n"
    "      containers: [{name: nats-streaming, volumeMounts: [{name: store, mountPath: /pv}]}]"
)


def _stan(spec: str) -> str:
    return _cr(_STAN, "NatsStreamingCluster", "spec:\n  natsSvc: nats\n" + spec, "stan")


def _effects(report: object, name: str) -> set[Effect]:
    return {
        report.effect_of(f)  # type: ignore[attr-defined]
        for f in report.findings  # type: ignore[attr-defined]
        if (f.component or "").endswith("/" + name)
    }


@pytest.mark.parametrize(
    ("spec", "effect"),
    [
        ("  size: 3\n  config: {}", Effect.LOSS),  # -dir store: the container's layer
        ("  config: {storeDir: /pv/stan}\n" + _TEMPLATE, Effect.DURABLE),
        ("  config: {storeDir: /data/stan}\n" + _TEMPLATE, Effect.LOSS),  # the claim is elsewhere
    ],
)
def test_a_nats_streaming_cluster_keeps_its_channels_where_its_store_is(
    audit_files: Auditor, spec: str, effect: Effect
) -> None:
    report = audit_files(**{"nats.yaml": _NATS, "stan.yaml": _stan(spec)})
    assert effect in _effects(report, "stan")
    by_name = {c.name: c for c in report.components}
    assert list(by_name["stan"].depends_on) == [by_name["nats"].id]
    assert str(by_name["nats"].loss) == "none"
    assert not {Effect.LOSS, Effect.DURABLE} & _effects(report, "nats")


def test_an_sql_store_keeps_nothing_in_the_pods(audit_files: Auditor) -> None:
    report = audit_files(**{"nats.yaml": _NATS, "stan.yaml": _stan("  store: SQL")})
    assert not {Effect.LOSS, Effect.DURABLE} & _effects(report, "stan")


@pytest.mark.parametrize(
    ("kind", "kept"), [("Synapse", True), ("MautrixSignal", True), ("Heisenbridge", False)]
)
def test_the_synapse_operators_claims_hold_the_homeserver_and_the_signal_bridge(
    audit_files: Auditor, kind: str, kept: bool
) -> None:
    spec = "spec: {synapse: {name: home}}" if kind != "Synapse" else "spec: {homeserver: {}}"
    report = audit_files(**{"r.yaml": _cr("synapse.opdev.io/v1alpha1", kind, spec, "r")})
    assert (Effect.DURABLE in _effects(report, "r")) is kept


def test_a_bridge_depends_on_the_homeserver_it_names(audit_files: Auditor) -> None:
    api = "synapse.opdev.io/v1alpha1"
    report = audit_files(**{
        "home.yaml": _cr(api, "Synapse", "spec: {homeserver: {}}", "home"),
        "bridge.yaml": _cr(api, "Heisenbridge", "spec: {synapse: {name: home}}", "bridge"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert list(by_name["bridge"].depends_on) == [by_name["home"].id]
    assert by_name["home"].gravity > by_name["bridge"].gravity


_HSTREAM = "apps.hstream.io/v1alpha2"
_PARTS = "  hstore: {replicas: 3}\n  hmeta: {replicas: 1}\n"
_CLAIMED = "{volumeClaimTemplate: {spec: {resources: {requests: {storage: 1Gi}}}}}"


@pytest.mark.parametrize(
    ("spec", "lost"),
    [
        (_PARTS, {"HStore", "HMeta"}),  # the operator mounts emptyDirs
        (f"  hstore: {_CLAIMED}\n  hmeta: {{replicas: 1}}\n", {"HMeta"}),
        (f"  hstore: {_CLAIMED}\n  externalHmeta: {{host: rqlite-svc, port: 4001}}\n", set()),
    ],
)
def test_an_hstreamdb_keeps_its_streams_only_on_claim_templates(
    audit_files: Auditor, spec: str, lost: set[str]
) -> None:
    report = audit_files(**{"h.yaml": _cr(_HSTREAM, "HStreamDB", "spec:\n" + spec, "h")})
    found = {
        f.message.split(": ")[1].split("'")[0]
        for f in report.findings
        if f.rule == "OPERATOR_EPHEMERAL"
    }
    assert found == lost
    (component,) = report.components
    assert str(component.lifecycle) == "persistent"
