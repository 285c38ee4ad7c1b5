"""Event brokers and pipelines whose operator decides where undelivered events wait.

- Knative Eventing's ``Broker`` that names no ``spec.config`` takes the cluster's default:
  class ``MTChannelBasedBroker`` over the channel of the ConfigMap ``config-br-default-channel``
  ("Configures the default for any Broker that does not specify a spec.config or Broker
  class",
  https://github.com/knative/eventing/blob/602ea299ac4e1820f34ae530b92ade8f5fd85c61/config/core/configmaps/default-broker.yaml),
  whose channel template is an ``InMemoryChannel``
  (https://github.com/knative/eventing/blob/a6841a09cc2c184afc2247c8156d6153ce19cf40/config/core/configmaps/default-broker-channel.yaml):
  events accepted and not yet delivered to a subscriber are held in the dispatcher's memory,
  lost with it. A broker naming its own ``spec.config``, or of another class (the Kafka
  broker's topics), keeps them in a channel or a log outside the resource. An
  ``InMemoryChannel`` itself holds its events the same way.
- Numaflow's ``Pipeline`` passes messages between its vertices through the buffers of an
  ``InterStepBufferService``, the one ``spec.interStepBufferServiceName`` names: "By default,
  Pipeline objects look for an InterStepBufferService named default"
  (https://github.com/numaproj/numaflow/blob/77e1d7f97d72275fcba26ac9fd37f718cd4c6749/docs/core-concepts/inter-step-buffer-service.md;
  the field is optional, ``PipelineSpec`` at
  https://github.com/numaproj/numaflow/blob/448127ff0c47db9f5afd502d5df846a44d536be1/pkg/apis/numaflow/v1alpha1/pipeline_types.go).
  The pipeline depends on that service whether it names it or not; what its own vertices keep
  (a reduce vertex's ``groupBy.storage`` claim) is read from its spec's storage fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stateward.analysis.audit.custom import custom_storage
from stateward.analysis.audit.operators import Family, Reference, register_family
from stateward.analysis.audit.workloads import Storage
from stateward.contexts.operators import OperatorKind
from stateward.model.kubernetes import dig

__all__: list[str] = []

_BROKER = "https://github.com/knative/eventing/blob/602ea299ac4e1820f34ae530b92ade8f5fd85c61/config/core/configmaps/default-broker.yaml"
_CHANNEL = "https://github.com/knative/eventing/blob/a6841a09cc2c184afc2247c8156d6153ce19cf40/config/core/configmaps/default-broker-channel.yaml"
_PIPELINE = "https://github.com/numaproj/numaflow/blob/77e1d7f97d72275fcba26ac9fd37f718cd4c6749/docs/core-concepts/inter-step-buffer-service.md"
_BROKER_CLASS = "eventing.knative.dev/broker.class"
_CHANNEL_BROKER = "MTChannelBasedBroker"  # the cluster default class


def _broker(body: Mapping[str, Any]) -> list[Storage]:
    broker_class = dig(body, "metadata", "annotations", _BROKER_CLASS) or _CHANNEL_BROKER
    if broker_class != _CHANNEL_BROKER or dig(body, "spec", "config"):
        return []  # a channel or a log its configuration names, outside the resource
    return [Storage("/spec/config", None, "no spec.config: the cluster default channel, an "
                    "InMemoryChannel (undelivered events in memory)")]  # fmt: skip


def _in_memory_channel(body: Mapping[str, Any]) -> list[Storage]:
    return [Storage("/spec", None, "InMemoryChannel: undelivered events in memory")]


def _buffer_service_of(body: Mapping[str, Any]) -> list[Reference]:
    name = str(dig(body, "spec", "interStepBufferServiceName") or "default")
    where = "spec.interStepBufferServiceName (default: default)"
    return [Reference("InterStepBufferService", name, "", where)]


for _family in (
    Family(OperatorKind("eventing.knative.dev", "Broker", (), "eventing.knative.dev/broker"),
           "queue", _broker, _BROKER),
    Family(OperatorKind("messaging.knative.dev", "InMemoryChannel", (),
                        "messaging.knative.dev/channel"),
           "queue", _in_memory_channel, _CHANNEL),
    Family(OperatorKind("numaflow.numaproj.io", "Pipeline", (), "numaflow.numaproj.io/pipeline-name"),
           "pipeline", custom_storage, _PIPELINE, _buffer_service_of),
):  # fmt: skip
    register_family(_family)
