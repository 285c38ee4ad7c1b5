"""Event brokers and pipelines whose operator decides where undelivered events wait
(:mod:`stateward.analysis.audit.event_operators`): Knative's Broker on the cluster's default
in-memory channel, Numaflow's Pipeline on the InterStepBufferService named ``default``."""

from __future__ import annotations

from stateward.analysis.audit import AuditReport, ComponentAudit, Lifecycle

from .conftest import Auditor
from .conftest import custom_resource as _cr

KNATIVE = "eventing.knative.dev/v1"
NUMAFLOW = "numaflow.numaproj.io/v1alpha1"
_BUFFERS = "spec: {jetstream: {version: latest, persistence: {volumeSize: 3Gi}}}"
_STEPS = (
    "spec: {vertices: [{name: in, source: {generator: {rpu: 5}}}, {name: out, sink: {log: {}}}]}"
)


def _by_name(report: AuditReport) -> dict[str, ComponentAudit]:
    return {c.name: c for c in report.components}


def _broker(name: str, annotations: str = "{}", spec: str = "spec: {}") -> str:
    return (
        f"apiVersion: {KNATIVE}\nkind: Broker\n"
        f"metadata: {{name: {name}, namespace: ns, annotations: {annotations}}}\n{spec}\n"
    )


def test_a_broker_on_the_default_channel_loses_its_undelivered_events(
    audit_files: Auditor,
) -> None:
    trigger = _cr(KNATIVE, "Trigger", "spec: {broker: default, subscriber: {uri: 'http://x'}}", "t")
    report = audit_files(**{
        "b.yaml": _broker("default", "{eventing.knative.dev/broker.class: MTChannelBasedBroker}"),
        "t.yaml": trigger,
    })  # fmt: skip
    by_name = _by_name(report)
    assert str(by_name["default"].loss) == "data"
    assert by_name["t"].depends_on == (by_name["default"].id,)
    assert str(by_name["t"].loss) == "none"


def test_a_broker_naming_its_channel_or_of_another_class_keeps_them_elsewhere(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{
        "k.yaml": _broker("kafka", "{eventing.knative.dev/broker.class: Kafka}"),
        "c.yaml": _broker("configured", spec="spec: {config: {apiVersion: v1, kind: ConfigMap, "
                          "name: kafka-channel}}"),  # fmt: skip
    })  # fmt: skip
    by_name = _by_name(report)
    assert str(by_name["kafka"].loss) == "none"
    assert str(by_name["configured"].loss) == "none"


def test_an_in_memory_channel_loses_its_events(audit_files: Auditor) -> None:
    channel = _cr("messaging.knative.dev/v1", "InMemoryChannel", "spec: {}", "imc")
    assert str(_by_name(audit_files(**{"c.yaml": channel}))["imc"].loss) == "data"


def test_a_pipeline_uses_the_buffer_service_named_default_unless_it_names_another(
    audit_files: Auditor,
) -> None:
    named = _STEPS.replace("spec: {", "spec: {interStepBufferServiceName: other, ", 1)
    report = audit_files(**{
        "d.yaml": _cr(NUMAFLOW, "InterStepBufferService", _BUFFERS, "default"),
        "o.yaml": _cr(NUMAFLOW, "InterStepBufferService", _BUFFERS, "other"),
        "p.yaml": _cr(NUMAFLOW, "Pipeline", _STEPS, "simple"),
        "n.yaml": _cr(NUMAFLOW, "Pipeline", named, "named"),
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["simple"].depends_on == (by_name["default"].id,)
    assert by_name["named"].depends_on == (by_name["other"].id,)
    # the pipeline keeps nothing of its own; the buffers it depends on weigh more
    assert str(by_name["simple"].loss) == "none"
    assert by_name["default"].gravity > by_name["simple"].gravity


def test_a_pipeline_keeps_the_claim_its_reduce_vertex_asks_for(audit_files: Auditor) -> None:
    reduce = ("spec: {vertices: [{name: sum, udf: {container: {image: 'acme/sum:1'}, groupBy: "
              "{window: {fixed: {length: 60s}}, storage: {persistentVolumeClaim: "
              "{volumeSize: 1Gi}}}}}]}")  # fmt: skip
    report = audit_files(**{"p.yaml": _cr(NUMAFLOW, "Pipeline", reduce, "sum")})
    component = _by_name(report)["sum"]
    assert component.lifecycle == Lifecycle.PERSISTENT and component.gravity > 0
