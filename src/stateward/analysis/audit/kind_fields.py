"""Fields named for a kind: a custom resource's spec naming another resource by a field whose
name is that resource's kind.

Some operators name the resources a cluster is built from by fields spelled as their kinds, in
camel case, with no ``Ref`` or ``Name`` suffix: a StackGres ``SGCluster`` names its
``SGInstanceProfile`` at ``spec.sgInstanceProfile``, its ``SGPostgresConfig`` and
``SGPoolingConfig`` at ``spec.configurations.sgPostgresConfig``/``sgPoolingConfig``, the
``SGObjectStorage`` its backups go to at ``spec.configurations.backups[].sgObjectStorage``, its
``SGDistributedLogs`` at ``spec.distributedLogs.sgDistributedLogs`` and its ``SGScript`` at
``spec.managedSql.scripts[].sgScript``
(https://github.com/ongres/stackgres/blob/085f6d0e445be63bc5180f5ac049cf2d1e5c9aea/stackgres-k8s/examples/full_example/staging/cluster/SGCluster.yaml;
the CRD's printer columns read the profile and the configurations there,
https://github.com/ongres/stackgres/blob/41bebc84b3a6494166200f4134899e2699f5b632/stackgres-k8s/src/common/src/main/resources/crds/SGCluster.yaml).

A field names a resource only when a resource of exactly that kind (regardless of case) and
that name is in the naming resource's namespace: a field's name that happens to be a word
(``storage``, ``backup``) names nothing unless a resource of that kind answers.

A field spelled ``<product><Word>Name`` names a resource of a kind that starts with that word,
the product's prefix and the rest of the kind left off: the Barman Cloud plugin's parameters,
given in a CloudNativePG ``Cluster``'s ``plugins[].parameters`` or an external cluster's
``plugin.parameters``, name its ``ObjectStore`` as ``barmanObjectName`` ("references the
``ObjectStore`` resource to be used by the plugin",
https://github.com/cloudnative-pg/plugin-barman-cloud/blob/33542e1e00e673da553bf2a48c3379af85ac3fe6/web/docs/parameters.md).
Again only a resource of such a kind and that name makes it one.

A field spelled as the kind less the product's prefix that the naming resource's own kind
begins with names a resource of that kind: the XRootD operator's ``XrootdCluster`` names the
``XrootdVersion`` whose image its pods run at ``spec.version`` ("Version must be name of
XrootdVersion CR instance",
https://github.com/xrootd/xrootd-k8s-operator/blob/ef3d1c13f507eba4d2c67d7cadbc59ea8b90cb25/apis/xrootd/v1alpha1/xrootdcluster_types.go).
Both kinds must share the prefix (a ``version`` field of another product names nothing), and a
resource of that kind and name must answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stateward.analysis.audit.custom import is_custom, named_fields
from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.workloads import Workload

__all__ = ["kind_named", "names_by_kind"]


def kind_named(workload: Workload, estate: Estate) -> Iterator[tuple[Workload, str]]:
    """The resources of the estate a custom resource's spec names by a field named for their
    kind, each with the field's path."""
    if workload.platform != "kubernetes" or not is_custom(workload.resource.key):
        return
    for field, name, where in named_fields(workload.body):
        for target in estate.workloads_named(workload.namespace, name):
            if target is not workload and _names_kind(field, target.kind, workload.kind):
                yield target, f"{where} names the {target.kind} {name}"


# ``barmanObjectName``: a lower-case prefix, the kind's first word, ``Name``.
_PREFIXED_NAME = re.compile(r"^[a-z][a-z0-9]*([A-Z][a-z0-9]+)Name$")


def _names_kind(field: str, kind: str, naming: str) -> bool:
    if field.lower() == kind.lower() or _prefix_left_off(field, kind, naming):
        return True
    prefixed = _PREFIXED_NAME.match(field)
    word = prefixed.group(1) if prefixed else ""
    return bool(word) and kind.startswith(word) and kind != word


# A kind's first camel-case word: the product's prefix (``Xrootd`` of ``XrootdVersion``).
_FIRST_WORD = re.compile(r"^[A-Z][a-z0-9]+(?=[A-Z])")


def _prefix_left_off(field: str, kind: str, naming: str) -> bool:
    """``version`` names an ``XrootdVersion`` from an ``XrootdCluster``: the kind less the
    prefix both kinds begin with."""
    prefix = _FIRST_WORD.match(kind)
    return (
        prefix is not None
        and naming != kind
        and naming.startswith(prefix.group())
        and kind[prefix.end() :].lower() == field.lower()
    )


def names_by_kind(source: Workload, target: Workload) -> bool:
    """True when ``source``'s spec names ``target`` by a field spelled as its kind: ``target``
    is what ``source`` is built from, not a resource made in it."""
    if source.namespace != target.namespace or not is_custom(source.resource.key):
        return False
    return any(
        n == target.name
        and (f.lower() == target.kind.lower() or _prefix_left_off(f, target.kind, source.kind))
        for f, n, _ in named_fields(source.body)
    )
