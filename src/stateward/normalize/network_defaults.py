"""API defaults for exposure: Service, Ingress and NetworkPolicy.

Sources (commit-pinned): ``pkg/apis/core/v1/defaults.go`` (``SetDefaults_Service``),
``pkg/apis/networking/v1/defaults.go`` (``SetDefaults_NetworkPolicy``) and
``pkg/apis/networking/v1beta1/defaults.go`` (``SetDefaults_HTTPIngressPath``) at v1.31.0,
https://github.com/kubernetes/kubernetes/tree/9edcffcde5595e8a5b1a35f88c421764e575afce.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stateward.model.kubernetes import dig
from stateward.normalize.interface import Body, NormalizeContext
from stateward.normalize.spec import SpecDefaults
from stateward.normalize.step import KindStep
from stateward.normalize.walk import set_default

__all__ = ["IngressDefaults", "NetworkPolicyDefaults", "ServiceDefaults"]

_CLIENT_IP_TIMEOUT = 10800  # three hours, SetDefaults_Service


class ServiceDefaults(SpecDefaults):
    """type, session affinity, traffic policies, port protocol and ``targetPort = port``."""

    name = "defaults.service"
    tidy = True  # it fills maps, never empties one, and sets no empty value

    kinds = ("Service",)

    def fill(
        self, spec: Body, body: Body, desired: Mapping[str, Any] | None, ctx: NormalizeContext
    ) -> None:
        set_default(spec, "type", "ClusterIP")
        set_default(spec, "sessionAffinity", "None")
        if spec["sessionAffinity"] == "ClientIP":
            set_default(spec, "sessionAffinityConfig", {"clientIP": {}})
            client_ip = dig(spec, "sessionAffinityConfig", "clientIP")
            if isinstance(client_ip, dict):
                set_default(client_ip, "timeoutSeconds", _CLIENT_IP_TIMEOUT)
        kind = spec["type"]
        if kind != "ExternalName":
            set_default(spec, "internalTrafficPolicy", "Cluster")
        if kind in ("NodePort", "LoadBalancer"):
            set_default(spec, "externalTrafficPolicy", "Cluster")
        if kind == "LoadBalancer":
            set_default(spec, "allocateLoadBalancerNodePorts", True)
        for port in spec.get("ports") or ():
            if isinstance(port, dict):
                set_default(port, "protocol", "TCP")
                if port.get("port") is not None:  # a null one: the empty values go later
                    set_default(port, "targetPort", port["port"])


class IngressDefaults(KindStep):
    """``pathType: ImplementationSpecific`` where a path leaves it out (v1beta1 defaulting)."""

    name = "defaults.ingress"
    kinds = ("Ingress",)

    def normalize(
        self, body: Body, desired: Mapping[str, Any] | None, ctx: NormalizeContext
    ) -> Body:
        for rule in dig(body, "spec", "rules") or ():
            for path in dig(rule, "http", "paths") or ():
                if isinstance(path, dict):
                    set_default(path, "pathType", "ImplementationSpecific")
        return body


class NetworkPolicyDefaults(SpecDefaults):
    """policyTypes (Ingress, plus Egress when egress rules exist) and port protocol TCP."""

    name = "defaults.networkpolicy"

    kinds = ("NetworkPolicy",)

    def fill(
        self, spec: Body, body: Body, desired: Mapping[str, Any] | None, ctx: NormalizeContext
    ) -> None:
        if not spec.get("policyTypes"):
            spec["policyTypes"] = ["Ingress", "Egress"] if spec.get("egress") else ["Ingress"]
        for direction in ("ingress", "egress"):
            for rule in spec.get(direction) or ():
                for port in dig(rule, "ports") or ():
                    if isinstance(port, dict):
                        set_default(port, "protocol", "TCP")
