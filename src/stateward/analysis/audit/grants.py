"""Who an RBAC grant lets a workload reach through the API server: a declared dependency.

A Role or ClusterRole rule on ``services/proxy`` (verb ``get``…), or on ``services`` with verb
``proxy``, lets its subjects reach the named Services through the API server's proxy
(``/api/v1/namespaces/<ns>/services/[http:]<name>[:<port>]/proxy``;
https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources,
https://kubernetes.io/docs/tasks/access-application-cluster/access-cluster-services/#manually-constructing-apiserver-proxy-urls).
A workload whose ServiceAccount a RoleBinding grants that, for named Services, reaches them:
the Kubernetes Dashboard proxies to its metrics scraper so. Rules with no ``resourceNames``
(every Service) name no one peer and are skipped; a ClusterRoleBinding grants cluster-wide
access and is skipped too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from stateward.model.kubernetes import as_list, as_map, dig

if TYPE_CHECKING:
    from stateward.analysis.audit.estate import Estate

__all__ = ["proxy_grants"]

_ROLE_KINDS = frozenset({"Role", "ClusterRole"})


def proxy_grants(estate: Estate) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(namespace, ServiceAccount) -> (Service name, binding name) for each Service of the
    binding's namespace the account may reach through the API server's proxy."""
    found: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for binding in estate.of_kind("RoleBinding"):
        namespace = binding.key.namespace
        ref = as_map(binding.body.get("roleRef"))
        kind, name = str(ref.get("kind", "")), str(ref.get("name", ""))
        if kind not in _ROLE_KINDS:
            continue
        role = estate.named(kind, namespace if kind == "Role" else "", name)
        services = _proxied(role.body) if role is not None else []
        for subject in map(as_map, as_list(binding.body.get("subjects"))):
            if subject.get("kind") != "ServiceAccount":
                continue
            account = (str(subject.get("namespace") or namespace), str(subject.get("name", "")))
            found.setdefault(account, []).extend((s, binding.key.name) for s in services)
    return found


def _proxied(role: object) -> list[str]:
    """The Service names a role's rules let its subjects proxy to."""
    names: list[str] = []
    for rule in map(as_map, as_list(dig(role, "rules"))):
        resources = {str(r) for r in as_list(rule.get("resources"))}
        verbs = {str(v) for v in as_list(rule.get("verbs"))}
        if "services/proxy" in resources or ("services" in resources and "proxy" in verbs):
            names += [_service(str(n)) for n in as_list(rule.get("resourceNames"))]
    return list(dict.fromkeys(n for n in names if n))


def _service(resource_name: str) -> str:
    """``http:name:`` / ``https:name:port`` / ``name`` -> ``name``."""
    parts = resource_name.split(":")
    return parts[1] if parts[0] in ("http", "https") and len(parts) > 1 else parts[0]
