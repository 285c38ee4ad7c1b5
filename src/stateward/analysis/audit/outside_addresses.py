"""Addresses a workload names from outside the network its peers' names are known on.

Two kinds of address reach a peer without its name:

- A single-page application's build-time variables are read by the user's browser, not by the
  container that serves the bundle: Create React App embeds "any other environment variables
  starting with ``REACT_APP_``" into "a static HTML/CSS/JS bundle"
  (https://github.com/facebook/create-react-app/blob/09028595944255693e7306df9e88a9154d262285/docusaurus/docs/adding-custom-environment-variables.md),
  Vue CLI those "that start with ``VUE_APP_``" into "the client bundle"
  (https://github.com/vuejs/vue-cli/blob/0703b469f1470eaf68b3fd6a550df96c0268951b/docs/guide/mode-and-env.md).
  The browser runs on the host, so ``localhost:<port>`` there is the port a Compose service
  publishes on it, as it is for a service on the host's network.
- A Kubernetes Service answers on the addresses its spec gives it besides its name: the
  ``loadBalancerIP`` it asks of its load balancer and its ``externalIPs``, at the Service's
  ``port`` (https://kubernetes.io/docs/concepts/services-networking/service/, "External IPs"
  and "Type LoadBalancer", where ``.spec.loadBalancerIP`` is described, deprecated but
  honoured by the implementations that support it). An
  address ``<ip>:<port>`` naming one of them reaches the workloads behind that Service (Lakeside
  Mutual's frontends, given ``http://34.65.192.94:8100`` for the backend whose Service asks for
  that IP on port 8100). Several Services may share one IP on different ports: the port picks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.workloads import Workload

__all__ = ["browser_side", "external_address_targets"]

_BROWSER_PREFIXES = ("REACT_APP_", "VUE_APP_")
_IP_PORT = re.compile(r"(?<![\w.])(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})\b")


def browser_side(name: str) -> bool:
    """Whether a variable is embedded into a browser's bundle (this module's documentation)."""
    return name.upper().startswith(_BROWSER_PREFIXES)


def external_address_targets(value: str, estate: Estate) -> Iterator[tuple[Workload, str]]:
    """The workloads behind the Services whose external address and port ``value`` names."""
    for ip, port in sorted(set(_IP_PORT.findall(value))):
        for service in estate.services_at(ip, port):
            key = service.key
            for target in estate.behind_service(key.namespace, key.name):
                yield target, f"{ip}:{port}, an external address of Service {key.name}"
