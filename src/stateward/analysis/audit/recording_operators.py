"""Operators whose resource records media into its pods: what the recorder writes is data.

- The Jitsi Meet operator (``apps.jit.si`` ``Jitsi``, jitsi-contrib): Prosody, Jicofo, the web
  front and the videobridges mount only ConfigMaps and keep nothing (meetings are live); with
  ``spec.jibri.enabled`` the operator runs the Jibri recorder with the emptyDir ``recordings``
  at its recording directory (``JIBRI_RECORDING_DIR``), where each recorded conference is
  written, lost with the pod; a ``spec.jibri.bucket`` hands the recorder an S3 bucket
  (``S3_URL``, ``S3_BUCKET``), outside the estate, to send them to (``NewJibriDeploymentSyncer``,
  https://github.com/jitsi-contrib/jitsi-kubernetes-operator/blob/2be5c81840d858dbbbf6c24d1d58e28eff26e593/controllers/jibri.go).
  Its pods are labelled ``app.kubernetes.io/instance`` with the resource's name (``Labels``,
  ``api/v1alpha1/jitsi_helpers.go`` there).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stateward.analysis.audit.operators import Family, register_family
from stateward.analysis.audit.workloads import Storage
from stateward.contexts.operators import OperatorKind
from stateward.model.kubernetes import as_map, dig

__all__: list[str] = []

_JITSI = "https://github.com/jitsi-contrib/jitsi-kubernetes-operator/blob/2be5c81840d858dbbbf6c24d1d58e28eff26e593/controllers/jibri.go"


def _jitsi(body: Mapping[str, Any]) -> list[Storage]:
    jibri = as_map(dig(body, "spec", "jibri"))
    if jibri.get("enabled") is not True or jibri.get("bucket"):
        return []  # no recorder, or its recordings sent to a bucket outside the estate
    text = "Jibri's recordings on the emptyDir recordings (jibri.enabled, no bucket)"
    return [Storage("/spec/jibri", None, text)]


register_family(
    Family(OperatorKind("apps.jit.si", "Jitsi", (), "app.kubernetes.io/instance"),
           "video conferencing", _jitsi, _JITSI)
)  # fmt: skip
