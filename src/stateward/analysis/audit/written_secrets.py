"""Secrets a custom resource has its controller write, and the Secrets a custom resource names.

Controllers of many projects make a Secret for a resource, and other resources name that Secret,
not the resource: whoever names it depends on the resource that makes it (and, through its
references, on what that one names: a certificate on its issuer). Three ways, whatever the kind:

- a field that says so: Crossplane's ``writeConnectionSecretToRef: {name, namespace}`` on every
  managed resource and claim ("the namespace and name of a Secret to which any connection
  details for this managed resource should be written",
  https://docs.crossplane.io/latest/managed-resources/managed-resources/#writeconnectionsecrettoref);
- a kind named for a kind of Secret (not a ``Push…`` one, which reads its Secret to send it
  away, nor one named ``Secret`` alone, a secret kept in a remote service): the
  External Secrets Operator's ``ExternalSecret`` writes ``target.name``, by default its own name
  ("Name defaults to the .metadata.name of the ExternalSecret resource",
  https://external-secrets.io/latest/api/spec/#external-secrets.io/v1beta1.ExternalSecretTarget),
  Bitnami's ``SealedSecret`` a Secret of its own name ("the SealedSecret and the Secret must have
  the same namespace and name", https://github.com/bitnami-labs/sealed-secrets#usage), the Vault
  Secrets Operator's ``VaultStaticSecret`` and ``VaultDynamicSecret`` ``destination.name``
  (https://developer.hashicorp.com/vault/docs/platform/k8s/vso/api-reference#destination);
- a resource holding nothing whose spec names one Secret by ``secretName`` that the estate does
  not declare: cert-manager's ``Certificate`` ("SecretName is the name of the secret resource that
  will be automatically created and managed by this Certificate resource",
  https://cert-manager.io/docs/reference/api-docs/#cert-manager.io/v1.CertificateSpec), or by a
  bare ``secret``: chia-operator's ``ChiaCA`` ("Name of the k8s Secret to contain CA
  certs/keys", its sample
  https://github.com/Chia-Network/chia-operator/blob/fdcc58d6c8f72239a1fa8f1f3381a529136e78b4/config/samples/chiaca.yaml;
  "the CA goes into a Secret" its peers name by ``caSecretName``). A Secret the estate declares
  is one the resource reads (a cluster's ``secretName`` of root passwords).

A custom resource names a Secret by a field named for one: a string under ``…secret``,
``…secretName`` or ``…secretRef`` (``rootPasswordSecretName``, an Issuer's ``ca: {secretName:
x}``), or the ``name`` of a mapping named for one (``serverCertSecret: {name: x}``,
``secretKeyRef: {name: x, key: k}``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from stateward.model.kubernetes import as_map, dig, is_map
from stateward.model.resource import Resource

__all__ = ["spec_secrets", "written_secrets"]

_WRITE_FIELDS = ("writeConnectionSecretToRef",)
_SECRET_KIND = re.compile(r"^(?!Push)[A-Za-z]+Secret$")
_TARGET_FIELDS = (("target", "name"), ("destination", "name"))


def written_secrets(
    resource: Resource, declared: Callable[[str, str], bool], quiet: bool
) -> list[str]:
    """The Secrets ``resource``'s controller writes for it. ``declared(namespace, name)`` says
    whether the estate declares that Secret; ``quiet``, whether the resource holds nothing of
    its own (only then is a bare ``secretName`` one it writes)."""
    spec = as_map(resource.body.get("spec"))
    found = [
        str(name) for f in _WRITE_FIELDS
        if isinstance(name := as_map(spec.get(f)).get("name"), str) and name
    ]  # fmt: skip
    if _SECRET_KIND.match(resource.key.kind):
        targets = [str(n) for p in _TARGET_FIELDS if isinstance(n := dig(spec, *p), str) and n]
        found.append(targets[0] if targets else resource.key.name)
    if not quiet:
        return found
    for field in _NAMED_FIELDS:
        name = spec.get(field)
        if isinstance(name, str) and name and not declared(resource.key.namespace, name):
            found.append(name)
    return found


_NAMED_FIELDS = ("secretName", "secret")


# Fields naming a Secret: the name itself (``secretName``, ``caSecret``, ``tlsSecretRef: x``) or
# a mapping holding it (``serverCertSecret: {name: x}``, ``secretKeyRef: {name: x, key: k}``).
_NAMING = re.compile(r"secret(name|ref)?$", re.IGNORECASE)
_HOLDING = re.compile(r"secret", re.IGNORECASE)
_DEPTH = 4
_MOST = 16
# Subtrees that are not this resource's own reading: the values handed to a chart.
_SKIPPED = frozenset({"values", "valuesObject", "valuesContent"})


def spec_secrets(body: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(Secret name, where) for the Secrets a custom resource's spec names."""
    yield from _secrets(as_map(body.get("spec")), "spec", 0)


def _secrets(node: Mapping[str, Any], path: str, depth: int) -> Iterator[tuple[str, str]]:
    for key, value in node.items():
        key = str(key)
        if key in _SKIPPED:
            continue
        where = f"{path}.{key}"
        if isinstance(value, str):
            if value and _NAMING.search(key):
                yield value, where
            continue
        items = value[:_MOST] if isinstance(value, list) else (value,)
        for item in items:
            if not is_map(item):
                continue
            name = item.get("name")
            if _HOLDING.search(key) and isinstance(name, str) and name:
                yield name, where
            elif depth < _DEPTH:
                yield from _secrets(item, where, depth + 1)
