"""Application servers run by an operator whose state is placed by a default when the resource
says nothing: the server's records are where that default puts them, a claim the operator always
makes or the memory of its container. Read from each operator's source at a pinned commit (cited
per family), registered like the other families
(:func:`~stateward.analysis.audit.operators.register_family`).

- Apache Seata's operator runs each ``SeataServer`` as a StatefulSet whose claim template holds
  the transaction coordinator's session store at ``/seata-server/sessionStore`` with
  ``store.mode=raft``; an empty ``spec.persistence`` gets a claim of
  ``DefaultSeataSessionStorageVolumeSize`` "5Gi" (``Persistence.withDefaults``). The sessions
  are the global and branch transactions in flight, which exist nowhere else.
- SkyWalking's operator runs an ``OAPServer`` as a Deployment of the OAP image with the
  environment of ``spec.config`` and, when ``spec.storage`` names a ``Storage`` resource, that
  storage's settings; with neither, the image's own default applies: H2, "H2 In-Memory
  Databases. Default in the distribution package"
  (https://skywalking.apache.org/docs/main/v9.4.0/en/setup/backend/backend-storage), still "the
  default storage option in the distribution package" in 10.1
  (https://skywalking.apache.org/docs/main/v10.1.0/en/setup/backend/backend-storage), so every
  trace, metric and log it collects is lost with the pod. "SkyWalking removed H2 permanently in
  10.2.0 ... storage.selector defaults to banyandb", a separate server
  (https://skywalking.apache.org/docs/skywalking-swck/next/en/setup/banyandb/): from 10.2 the OAP
  server holds nothing of its own.
- Tailscale's operator runs a ``Recorder`` (``tsrecorder``, which records SSH and ``kubectl``
  sessions) as a StatefulSet: "By default, recordings will be stored in a local ephemeral
  volume, and will not be persisted past the lifetime of a specific pod" (the emptyDir ``data``
  at ``/data``), unless ``spec.storage.s3`` sends them to an S3-compatible bucket.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from stateward.analysis.audit.operators import Family, register_family
from stateward.analysis.audit.workloads import Storage
from stateward.contexts.operators import OperatorKind
from stateward.model.kubernetes import as_list, as_map, dig

__all__: list[str] = []

_SEATA = "https://github.com/apache/incubator-seata-k8s/blob/4ded0afcd887a488a95a143507a4d010e79de85a/api/v1alpha1/seataserver_types.go"
_SEATA_SIZE = "5Gi"  # DefaultSeataSessionStorageVolumeSize


def _seata(body: Mapping[str, Any]) -> list[Storage]:
    claim = dict(as_map(dig(body, "spec", "persistence", "spec")))
    if not dig(claim, "resources", "requests", "storage"):
        claim["resources"] = {"requests": {"storage": _SEATA_SIZE}}
        return [Storage("/spec/persistence", claim, "default session store claim")]
    return [Storage("/spec/persistence/spec", claim, "session store claim")]


def _seata_services(name: str, body: Mapping[str, Any]) -> list[str]:
    return [str(dig(body, "spec", "serviceName") or "seata-server-cluster")]


_OAP = "https://github.com/apache/skywalking-swck/blob/137f377616b390769e06b8e6606537ee08640d4f/operator/apis/operator/v1alpha1/oapserver_types.go"
# The OAP image's tag or ``spec.version``: ``9.5.0``, ``apache/skywalking-oap-server:9.1.0``.
_VERSION = re.compile(r"(?:^|:)v?(\d+)\.(\d+)")
_LAST_H2 = (10, 1)


def _oap(body: Mapping[str, Any]) -> list[Storage]:
    spec = as_map(dig(body, "spec"))
    selector = next(
        (str(as_map(v).get("value")) for v in as_list(spec.get("config"))
         if as_map(v).get("name") == "SW_STORAGE"),
        "",
    )  # fmt: skip
    if spec.get("storage") or selector not in ("", "h2"):
        return []  # a storage it names: read on that resource or server
    if selector == "h2":
        return [Storage("/spec/config", None, "SW_STORAGE h2: H2 in memory", memory=True)]
    version = _version(spec)
    if version is None or version > _LAST_H2:
        return []
    text = f"no storage: H2 in memory, the {version[0]}.{version[1]} image's default"
    return [Storage("/spec", None, text, memory=True)]


def _version(spec: Mapping[str, Any]) -> tuple[int, int] | None:
    found = _VERSION.search(str(spec.get("image") or "")) or _VERSION.search(
        str(spec.get("version") or "")
    )
    return (int(found.group(1)), int(found.group(2))) if found else None


_RECORDER = "https://github.com/tailscale/tailscale/blob/de9ec7ee25627e0e518f53c710a3fc3d947c86c1/k8s-operator/apis/v1alpha1/types_recorder.go"


def _recorder(body: Mapping[str, Any]) -> list[Storage]:
    if dig(body, "spec", "storage", "s3"):
        return []  # recordings in the bucket
    return [Storage("/spec/storage", None, "no storage.s3: recordings on the emptyDir at /data")]


for _family in (
    Family(OperatorKind("operator.seata.apache.org", "SeataServer", ("spec", "replicas"), "cr_name"),
           "transaction coordinator", _seata, _SEATA, services=_seata_services),
    Family(OperatorKind("operator.skywalking.apache.org", "OAPServer", ("spec", "instances"),
                        "operator.skywalking.apache.org/oap-server-name"),
           "APM backend", _oap, _OAP, services=lambda name, body: [f"{name}-oap"]),
    Family(OperatorKind("tailscale.com", "Recorder", ("spec", "replicas"),
                        "app.kubernetes.io/instance"),
           "session recorder", _recorder, _RECORDER),
):  # fmt: skip
    register_family(_family)
