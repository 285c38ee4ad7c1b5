"""Resources a custom resource names by a field named for their kind, or selects by labels.

Operators' resources point at the resources they act on or read their configuration from in two
more ways than a ``…Ref`` or ``…Name`` field (:mod:`.custom`), whatever the operator:

- a field named for the kind itself, holding a name: the Argo CD operator's ``ArgoCDExport``
  names the ``ArgoCD`` it exports as ``argocd: example-argocd``
  (https://github.com/argoproj-labs/argocd-operator/blob/cf5d1c0236bf6419bf2e4f8fdc154a2c7b8d4d4c/docs/usage/export.md);
  only a resource of that kind and name in the estate makes it one (most string fields are no
  reference); so does such a field in the mappings a list of the spec holds, Stackable's
  ``clusterConfig.authentication: [{authenticationClass: simple-nifi-users}]`` naming the
  ``AuthenticationClass`` a NiFi cluster logs its users in with
  (https://github.com/stackabletech/nifi-operator/blob/2fff48d9e5a9eb68e4e66966c9fb24b46243cbe1/docs/modules/nifi/assets/attachments/entraid-nifi.yaml);
- a field named for a name (``serviceName``, ``databaseName``, ``username``) holding the name
  of a resource of the naming resource's own API group: the Aiven operator's ``Database``,
  ``ServiceUser`` and ``ConnectionPool`` name the ``PostgreSQL`` service they are made in as
  ``serviceName: my-pg``, and the pool its database and login as ``databaseName`` and
  ``username`` ("serviceName: Specifies the name of the service that this resource belongs
  to", https://github.com/aiven/aiven-operator/blob/f15ffef091a2ad3c6a9c531a9208af9a15a2643b/docs/docs/resources/connectionpool.md);
  such a field elsewhere names what the operator makes (a topic's ``topicName``), so only a
  resource of the same group and name makes it one, and a resource holding nothing that
  names a component so is a component too, for that edge (:func:`.estate.build_estate`);
- a label or annotation keyed by the resource's own API group's domain, holding the name of a
  resource of that group: the operator's mark of which one it belongs to. Strimzi's
  ``strimzi.io/cluster: my-cluster`` label on a ``KafkaTopic`` or ``KafkaUser`` of
  ``kafka.strimzi.io``, naming the ``Kafka`` it is made in
  (https://strimzi.io/docs/operators/latest/deploying), the Microcks operator's
  ``microcks.io/instance: microcks`` annotation on an ``APISource`` or a ``Test``, naming the
  ``Microcks`` it is imported into or run by
  (https://github.com/microcks/microcks-operator/tree/3885a84cd8e1a270e10398b67cb8e69fce2e0c04/deploy/samples),
  or by the group's first label alone (the kvrocks-operator's ``kvrocks/monitored-by:
  sentinel-1`` on a ``kvrocks.apache.org`` store, naming the Sentinel that watches it);
  as for a name field, only a resource of the same group and name makes it one;
- a label selector (``…Selector: {matchLabels: …, matchExpressions: …}``, metav1.LabelSelector,
  https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#resources-that-support-set-based-requirements)
  choosing resources of the selecting resource's own API group, the way the Fluent Operator's
  ``Fluentd`` takes its ``ClusterFluentdConfig`` by ``fluentdCfgSelector`` and that
  configuration its ``ClusterOutput``\\ s and ``ClusterFilter``\\ s by
  ``clusterOutputSelector`` and ``clusterFilterSelector``
  (https://github.com/fluent/fluent-operator/blob/00625bfdaf4eefc64b787ad035245e8eaa8f3a80/apis/fluentd/v1alpha1/fluentd_types.go).
  An empty selector selects everything and says nothing in particular: it is skipped;
- a list named for a kind, in the plural, of names or ``{name: …}`` mappings, at any of three
  levels of a spec and of the mappings it lists: Kueue's ``ClusterQueue`` takes its quota in
  the ``ResourceFlavor``\\ s its ``resourceGroups: [{flavors: [{name: default-flavor}]}]``
  name (https://github.com/kubernetes-sigs/kueue/blob/ff69552e79ad21652c36caa97038382e55625cf7/site/static/examples/admin/single-clusterqueue-setup.yaml;
  ``FlavorQuotas.name``: "The name should match the .metadata.name of a ResourceFlavor",
  https://github.com/kubernetes-sigs/kueue/blob/6c1018375751de7ee3f3a6897129c3fc4d6659b6/apis/kueue/v1beta2/clusterqueue_types.go);
  the kind may carry its product's prefix the list leaves off, and only a resource of that kind
  and name in the estate makes it one.

A resource of another API group, a plain workload, names the custom resource it is submitted to
the same way, by a label or annotation keyed by that resource's API group's domain and holding
its name: Kueue admits a Job labelled ``kueue.x-k8s.io/queue-name: user-queue`` through the
``LocalQueue`` of that name in its namespace
(https://github.com/kubernetes-sigs/kueue/blob/ff69552e79ad21652c36caa97038382e55625cf7/site/static/examples/jobs/sample-job.yaml);
a key naming what the workload mounts or trusts (cert-manager's ``…/issuer``) is no such name.
A workload's pods name the custom resources that list them in their ``scopes`` by an annotation
of those resources' API group's domain holding the id the resources list: a Dapr ``Component``
(a state store, a pub/sub broker, a binding) is "scoped" to the applications whose
``dapr.io/app-id`` its top-level ``scopes`` names, and only they load it
(https://docs.dapr.io/operations/components/component-scopes/,
https://docs.dapr.io/reference/arguments-annotations-overview/).
A pod mounting a claim the estate does not declare, named as a custom resource of its
namespace is, mounts the claim that resource's operator made for it: Fluid's getting-started
pod mounts ``claimName: demo``, the volume Fluid makes for the ``Dataset`` ``demo`` (and its
``AlluxioRuntime`` of the same name), no claim written by hand
(https://github.com/fluid-cloudnative/fluid/blob/06ab616936be50b5692d766dfc24df55cabfb025/docs/en/userguide/get_started.md).

A resource holding nothing that runs a program is read with what it links to: a configuration it
names or selects, or one that configuration selects in turn, that keeps a buffer in files
(``buffer: {type: file}``: the chunks of records received and not yet delivered, a Fluentd
output's, https://docs.fluentd.org/buffer/file) makes the program hold those records, on its
operator's default storage.

A resource holding nothing that names a class of storage in the shape of a StorageClass
(``provisioner`` and ``reclaimPolicy``: ShardingSphere's ``StorageProvider``) is a claim on it,
as a PersistentVolumeClaim is on its class: it holds what the class's provisioner made for it
(a ``StorageNode``'s database instance).

The resource chosen is in the chooser's namespace, or names none in its manifest (a cluster-scoped
kind, ``ClusterOutput``, or one placed at ``kubectl apply -n`` time).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from stateward.model.kubernetes import as_list, as_map, dig, is_map
from stateward.model.resource import Resource

__all__ = [
    "Links", "file_buffer", "storage_class", "group_marks", "kind_fields", "label_selectors", "name_fields",
]  # fmt: skip

_DEPTH = 2  # ``spec.config.fluentdCfgSelector``; deeper mappings are pod templates and probes
_MOST = 16


def kind_fields(body: Mapping[str, Any], kinds: frozenset[str]) -> Iterator[tuple[str, str, str]]:
    """(field in lower case, name, where) for the string fields of a spec (two levels, and the
    mappings a list at those levels holds) named for one of ``kinds`` (in lower case)."""
    yield from _strings(as_map(body.get("spec")), "spec", 0, kinds)


def _strings(
    node: Mapping[str, Any], path: str, depth: int, kinds: frozenset[str]
) -> Iterator[tuple[str, str, str]]:
    for key, value in node.items():
        if isinstance(value, str):
            if (field := str(key).lower()) in kinds and value:
                yield field, value, f"{path}.{key}"
        elif is_map(value) and depth < _DEPTH - 1:
            yield from _strings(value, f"{path}.{key}", depth + 1, kinds)
        elif isinstance(value, list) and depth < _DEPTH:
            # the mappings a list holds, read at the next level and no deeper (Stackable's
            # ``clusterConfig.authentication: [{authenticationClass: simple-nifi-users}]``)
            for item in value[:_MOST]:
                if is_map(item):
                    yield from _strings(item, f"{path}.{key}", _DEPTH, kinds)


def kind_lists(body: Mapping[str, Any], kinds: frozenset[str]) -> Iterator[tuple[str, str, str]]:
    """(list's kind in lower case, name, where) for the names a spec's lists named for a kind
    in the plural hold (``flavors: [{name: f}]`` for a ``ResourceFlavor``), three levels deep
    through the mappings it lists; ``kinds`` the estate's custom kinds in lower case."""
    yield from _lists(as_map(body.get("spec")), "spec", 0, kinds)


def _lists(
    node: Mapping[str, Any], path: str, depth: int, kinds: frozenset[str]
) -> Iterator[tuple[str, str, str]]:
    for key, value in node.items():
        where = f"{path}.{key}"
        if is_map(value):
            if depth < _LIST_DEPTH:
                yield from _lists(value, where, depth + 1, kinds)
            continue
        if not isinstance(value, list):
            continue
        kind = _plural_of(str(key).lower(), kinds)
        for item in value[:_MOST]:
            name = item.get("name") if is_map(item) else item
            if kind and isinstance(name, str) and name:
                yield kind, name, where
            if is_map(item) and depth < _LIST_DEPTH:
                yield from _lists(item, where, depth + 1, kinds)


_LIST_DEPTH = 2  # ``spec.resourceGroups[].flavors[]``: three levels
_SHORTEST = 4  # a plural of fewer letters (``ids``, ``tags``) names no kind


def _plural_of(key: str, kinds: frozenset[str]) -> str:
    """The kind (lower case) a list's key names in the plural, its product's prefix left off:
    ``flavors`` -> ``resourceflavor`` when that is the one such kind ("" for none or many)."""
    if len(key) <= _SHORTEST or not key.endswith("s") or key in _POD_LISTS:
        return ""
    found = [kind for kind in kinds if kind.endswith(key[:-1])]
    return found[0] if len(found) == 1 else ""


# Lists of what a resource runs or mounts, never resources it names.
_POD_LISTS = frozenset({
    "containers", "initcontainers", "volumes", "volumemounts", "tolerations", "imagepullsecrets",
})  # fmt: skip


# Name fields of what a resource mounts or trusts, never a sibling resource it lives in.
_MOUNTED = re.compile(r"secret|config|credential|tls|cert|issuer|key|account|class", re.I)


def name_fields(body: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(name, where) for the string fields of a spec (two levels) named for a name
    (``serviceName``, ``username``; not ``name`` itself, the resource's own name for what it
    declares, nor a Secret's or a class's name)."""
    for key, value, where in _named(as_map(body.get("spec")), "spec", 0):
        if key.endswith("name") and key != "name" and not _MOUNTED.search(key):
            yield value, where


def _named(node: Mapping[str, Any], path: str, depth: int) -> Iterator[tuple[str, str, str]]:
    for key, value in node.items():
        if isinstance(value, str):
            if value:
                yield str(key).lower(), value, f"{path}.{key}"
        elif is_map(value) and depth < _DEPTH - 1:
            yield from _named(value, f"{path}.{key}", depth + 1)


def group_marks(body: Mapping[str, Any], group: str) -> Iterator[tuple[str, str]]:
    """(name, where) for the labels and annotations of a resource keyed by its own API group's
    domain (``microcks.io/instance: microcks`` on a ``microcks.io`` resource,
    ``strimzi.io/cluster: my-cluster`` on a ``kafka.strimzi.io`` one): its operator's way of
    saying which resource of the group this one belongs to, when only a resource of that group
    and name answers."""
    for marks in ("labels", "annotations"):
        for key, value in as_map(dig(body, "metadata", marks)).items():
            domain, slash, _ = str(key).partition("/")
            if slash and isinstance(value, str) and value and _of_group(domain, group):
                yield value, f"metadata.{marks}.{key}"


def foreign_marks(body: Mapping[str, Any], template: Any = None) -> Iterator[tuple[str, str, str]]:
    """(domain, name, where) for the labels and annotations of a resource (or of the pod
    ``template`` given, ``spec.template``) keyed by a domain and holding a name, but for those
    naming what it mounts or trusts (``cert-manager.io/cluster-issuer``): the custom resource of
    that domain's API group it is submitted to (``kueue.x-k8s.io/queue-name: user-queue``) when
    one of that name answers."""
    source, path = (
        (template, "spec.template.metadata") if template is not None else (body, "metadata")
    )
    for marks in ("labels", "annotations"):
        for key, value in as_map(dig(source, "metadata", marks)).items():
            domain, slash, what = str(key).partition("/")
            if slash and "." in domain and isinstance(value, str) and _NAME.match(value):
                if not _MOUNTED.search(what):
                    yield domain, value, f"{path}.{marks}.{key}"


_NAME = re.compile(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")  # a resource's name (RFC 1123)


def _of_group(domain: str, group: str) -> bool:
    """True when a label's prefix is the API group's domain, or the group's first label alone
    (the kvrocks-operator's ``kvrocks/monitored-by: sentinel-1`` on a ``kvrocks.apache.org``
    resource, naming the Sentinel that watches it: https://github.com/RocksLabs/kvrocks-operator/blob/
    55299c620e98fd65e427f63f8e35cf9b967c696e/examples/standard.yaml)."""
    return group == domain or group.endswith("." + domain) or group.split(".", 1)[0] == domain


def label_selectors(body: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(where, selector) for the non-empty label selectors of a spec (two levels)."""
    yield from _selectors(as_map(body.get("spec")), "spec", 0)


def _selectors(
    node: Mapping[str, Any], path: str, depth: int
) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for key, value in node.items():
        if not is_map(value):
            continue
        where = f"{path}.{key}"
        if str(key).endswith(("Selector", "selector")):
            if value.get("matchLabels") or value.get("matchExpressions"):
                yield where, value
        elif depth < _DEPTH - 1:
            yield from _selectors(value, where, depth + 1)


def selects(selector: Mapping[str, Any], labels: Mapping[str, Any]) -> bool:
    """metav1.LabelSelector: every ``matchLabels`` pair and every requirement holds."""
    if any(labels.get(k) != v for k, v in as_map(selector.get("matchLabels")).items()):
        return False
    return all(_holds(as_map(r), labels) for r in as_list(selector.get("matchExpressions")))


def _holds(requirement: Mapping[str, Any], labels: Mapping[str, Any]) -> bool:
    key, operator = str(requirement.get("key")), requirement.get("operator")
    values = [str(v) for v in as_list(requirement.get("values"))]
    if operator == "In":
        return key in labels and str(labels[key]) in values
    if operator == "NotIn":
        return key not in labels or str(labels[key]) not in values
    if operator == "Exists":
        return key in labels
    return operator == "DoesNotExist" and key not in labels


@dataclass(slots=True)
class Links:
    """The custom resources of an estate, indexed by kind and name and by API group, for the
    resources a custom resource names by a kind-named field or selects by labels."""

    resources: list[Resource]
    """The estate's custom resources."""
    claims: frozenset[tuple[str, str]] = frozenset()
    """(namespace, name) of the PersistentVolumeClaims the estate declares."""
    _by_kind: dict[tuple[str, str], list[Resource]] = field(default_factory=dict)
    _by_group: dict[tuple[str, str, str], list[Resource]] = field(default_factory=dict)
    _labelled: dict[tuple[str, str], list[Resource]] = field(default_factory=dict)
    """(API group, namespace; "" for a manifest that names none) -> its labelled resources."""
    _kinds: frozenset[str] = frozenset()
    _domains: dict[str, list[str]] = field(default_factory=dict)
    """Label domain -> the API groups it is the domain of (``strimzi.io`` -> ``kafka.strimzi.io``)."""
    _found: dict[int, list[tuple[Resource, str]]] = field(default_factory=dict)
    """What :meth:`linked` found for a resource (by its id; the estate keeps every resource
    to the end of the audit): read once when promoting, again for the edges."""
    _siblings: dict[int, list[tuple[Resource, str]]] = field(default_factory=dict)
    """What :meth:`siblings` found for a resource, by its id, as ``_found``."""
    _by_name: dict[tuple[str, str], list[Resource]] = field(default_factory=dict)
    """(namespace; "" for a manifest that names none, name) -> the custom resources so named."""
    _scoping: dict[tuple[str, str, str], list[Resource]] = field(default_factory=dict)
    """(API group, namespace, id) -> the custom resources whose top-level ``scopes`` list it."""

    def __post_init__(self) -> None:
        for resource in self.resources:
            key = resource.key
            self._by_kind.setdefault((key.kind.lower(), key.name), []).append(resource)
            # by where it is placed ("" for a manifest that names none): a name is looked up
            # in one namespace, never through the copies of it in every other
            placed = key.namespace if dig(resource.body, "metadata", "namespace") else ""
            self._by_group.setdefault((key.group, placed, key.name), []).append(resource)
            self._by_name.setdefault((placed, key.name), []).append(resource)
            if dig(resource.body, "metadata", "labels"):
                self._labelled.setdefault((key.group, placed), []).append(resource)
            for scope in as_list(resource.body.get("scopes")):
                if isinstance(scope, str):
                    self._scoping.setdefault((key.group, placed, scope), []).append(resource)
        self._kinds = frozenset(kind for kind, _ in self._by_kind)
        for group in {group for group, _, _ in self._by_group}:
            parts = group.split(".")
            for start in range(len(parts) - 1):
                self._domains.setdefault(".".join(parts[start:]), []).append(group)

    def marked(self, resource: Resource) -> list[tuple[Resource, str]]:
        """(resource, where) for the custom resources a resource of another API group (a
        Job) names by a label or annotation keyed by their group's domain
        (:func:`foreign_marks`), in its namespace or placed by none."""
        if not self._domains:
            return []
        key = resource.key
        return (
            [
                (other, f"{where} names {name}")
                for domain, name, where in foreign_marks(resource.body)
                for group in self._domains.get(domain, ())
                if group != key.group
                for placed in dict.fromkeys((key.namespace, ""))
                for other in self._by_group.get((group, placed, name), ())
            ]
            + self._claimed(resource)
            + self._scoped(resource)
        )

    def _scoped(self, resource: Resource) -> list[tuple[Resource, str]]:
        """(resource, where) for the custom resources whose ``scopes`` list an id the pods of
        ``resource`` carry in an annotation or label of those resources' group's domain."""
        if not self._scoping:
            return []
        key = resource.key
        return [
            (other, f"{where} {name} is in its scopes")
            for domain, name, where in foreign_marks(
                resource.body, dig(resource.body, "spec", "template")
            )
            for group in self._domains.get(domain, ())
            for placed in dict.fromkeys((key.namespace, ""))
            for other in self._scoping.get((group, placed, name), ())
        ]

    def _claimed(self, resource: Resource) -> list[tuple[Resource, str]]:
        """(resource, where) for the custom resources named as a claim a pod mounts that the
        estate does not declare: the claim their operator made for them."""
        key = resource.key
        return [
            (other, f"{where} is the claim made for {other.key.kind} {claim}")
            for claim, where in pod_claims(resource.body)
            for other in self._claim_makers(key.namespace, claim)
        ]

    def claim_maker(self, namespace: str, claim: str) -> Resource | None:
        """The first of :meth:`_claim_makers` (Fluid's ``Dataset``), or None."""
        return next(iter(self._claim_makers(namespace, claim)), None)

    def _claim_makers(self, namespace: str, claim: str) -> list[Resource]:
        """The custom resources a claim the estate does not declare is named as, in
        ``namespace`` or placed by none: their operator made the claim for them."""
        if (namespace, claim) in self.claims:
            return []
        return [
            other
            for placed in dict.fromkeys((namespace, ""))
            for other in self._by_name.get((placed, claim), ())
        ]

    def buffered(self, resource: Resource) -> str:
        """Where a resource it links to, or one those link to (three steps), keeps a buffer
        in files: the configuration of the program ``resource`` runs ("" for none)."""
        seen, layer = {id(resource)}, [resource]
        for _ in range(3):
            layer = [o for r in layer for o, _ in self.linked(r) if id(o) not in seen]
            for other in layer:
                seen.add(id(other))
                if where := file_buffer(other.body):
                    return f"{other.key.kind} {other.key.name}: {where}"
        return ""

    def provisioned(self, resource: Resource) -> str:
        """The class of storage a resource it links to declares (:func:`storage_class`): the
        resource is a claim on it, what the class's provisioner made for it ("" for none)."""
        for other, where in self.linked(resource):
            if provisioner := storage_class(other.body):
                return f"{where}, a class provisioned by {provisioner}"
        return ""

    def linked(self, resource: Resource) -> list[tuple[Resource, str]]:
        """(resource, where) for each resource ``resource``'s spec names by a field named for
        its kind or selects by labels, in its namespace or placed by none."""
        found = self._found.get(id(resource))
        if found is None:
            found = self._found[id(resource)] = list(self._linked(resource))
        return found

    def _linked(self, resource: Resource) -> Iterator[tuple[Resource, str]]:
        body, key = resource.body, resource.key
        for kind, name, where in kind_fields(body, self._kinds):
            for found in self._by_kind.get((kind, name), ()):
                if _placed(found, key.namespace) and found is not resource:
                    yield found, f"{where} names {name}"
        for kind, name, where in kind_lists(body, self._kinds):
            for found in self._by_kind.get((kind, name), ()):
                if _placed(found, key.namespace) and found is not resource:
                    yield found, f"{where} names {name}"
        yield from self.siblings(resource)
        candidates = [
            *self._labelled.get((key.group, key.namespace), ()),
            *self._labelled.get((key.group, ""), ()),
        ]
        for where, selector in label_selectors(body) if candidates else ():
            chosen = [
                other for other in candidates
                if other is not resource
                and selects(selector, as_map(dig(other.body, "metadata", "labels")))
            ]  # fmt: skip
            for other in chosen[:_MOST]:
                yield other, f"{where} selects {other.key.name}"

    def siblings(self, resource: Resource) -> list[tuple[Resource, str]]:
        """(resource, where) for the resources of ``resource``'s own API group that a name
        field of its spec names (:func:`name_fields`), in its namespace or placed by none.
        Read once: for the quiet resources naming components, then for the edges."""
        found = self._siblings.get(id(resource))
        if found is None:
            key = resource.key
            named = [*name_fields(resource.body), *group_marks(resource.body, key.group)]
            found = self._siblings[id(resource)] = [
                (other, f"{where} names {name}")
                for name, where in named
                for placed in dict.fromkeys((key.namespace, ""))
                for other in self._by_group.get((key.group, placed, name), ())
                if other is not resource
            ]
        return found


# The pod templates of the workload kinds (a Pod's own spec, a CronJob's job template's).
_POD_SPECS = (
    ("spec", "template", "spec"),
    ("spec",),
    ("spec", "jobTemplate", "spec", "template", "spec"),
)


def pod_claims(body: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(claim name, where) for each claim a workload's pods mount."""
    for path in _POD_SPECS:
        for i, volume in enumerate(as_list(dig(body, *path, "volumes"))):
            claim = dig(volume, "persistentVolumeClaim", "claimName")
            if isinstance(claim, str) and claim:
                yield claim, f"{'.'.join(path)}.volumes[{i}]"


# A class of storage in the shape of a StorageClass, ``provisioner`` and ``reclaimPolicy``
# ("Each StorageClass contains the fields provisioner, parameters, and reclaimPolicy, which are
# used when a PersistentVolume belonging to the class needs to be dynamically provisioned",
# https://kubernetes.io/docs/concepts/storage/storage-classes/): an operator's resource naming
# one is its claim, and holds what was provisioned for it. ShardingSphere's ``StorageNode`` is
# "the Operator's description of the data source" and names its ``StorageProvider`` (``provisioner:
# storageproviders.shardingsphere.apache.org/aws-rds-instance``, ``reclaimPolicy: Delete``), whose
# provisioner makes a database instance for each node
# (https://github.com/apache/shardingsphere-on-cloud/blob/136905e3094c459357dd1f0f3229d08b4dfcc203/docs/content/user-manual/cn-sn-operator/_index.en.md).
_RECLAIM_POLICIES = frozenset({"Delete", "Retain"})


def storage_class(body: Mapping[str, Any]) -> str:
    """The provisioner of a class of storage a custom resource declares ("" for none)."""
    spec = as_map(body.get("spec"))
    provisioner = spec.get("provisioner")
    if isinstance(provisioner, str) and spec.get("reclaimPolicy") in _RECLAIM_POLICIES:
        return provisioner
    return ""


# A buffer of records on their way out kept in files (a Fluentd output's ``buffer: {type: file,
# path: /buffers/es.log}``, "chunks are stored in files", https://docs.fluentd.org/buffer/file;
# a sink's ``buffer: {type: disk}``, https://vector.dev/docs/reference/configuration/sinks/):
# records received and not yet delivered, kept by the program the configuration is read by.
_BUFFER_FIELDS = ("buffer", "buffers")
_FILE_BUFFERS = frozenset({"file", "disk", "filesystem", "file_single"})


def file_buffer(body: Mapping[str, Any]) -> str:
    """Where a configuration resource's spec keeps a buffer in files ("" for none)."""
    return next(_buffers(as_map(body.get("spec")), "spec", 0), "")


def _buffers(node: Mapping[str, Any], path: str, depth: int) -> Iterator[str]:
    for key, value in node.items():
        where = f"{path}.{key}"
        if key in _BUFFER_FIELDS and str(as_map(value).get("type", "")).lower() in _FILE_BUFFERS:
            yield where
        elif isinstance(value, Mapping) and depth < 3:
            yield from _buffers(value, where, depth + 1)
        elif isinstance(value, list) and depth < 3:
            for i, item in enumerate(value[:_MOST]):
                yield from _buffers(as_map(item), f"{where}[{i}]", depth + 1)


def _placed(resource: Resource, namespace: str) -> bool:
    return resource.key.namespace == namespace or not dig(resource.body, "metadata", "namespace")
