"""A list's items keyed with their kind worked out once (``kind_key``), as ``resource_key``
keys each object whole: the same key, or the same error, for any metadata."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from stateward.errors import InputError
from stateward.model.resource import CLUSTER_SCOPED_KINDS
from stateward.sources.manifests import HOOK_ANNOTATIONS, group_of, kind_key, resource_key

_TEXT = st.sampled_from(["", "web", "db-*", "kube-system", "a|b", "x/y"]) | st.text(max_size=8)
_VALUE = _TEXT | st.none() | st.integers() | st.lists(st.integers(), max_size=2)
_METADATA = st.fixed_dictionaries(
    {},
    optional={
        "name": _VALUE,
        "generateName": _VALUE,
        "namespace": _VALUE,
        "annotations": st.dictionaries(st.sampled_from(HOOK_ANNOTATIONS), _TEXT, max_size=2)
        | _VALUE,
    },
)
_KINDS = st.sampled_from(["ConfigMap", "Deployment", *sorted(CLUSTER_SCOPED_KINDS)[:3]])
_VERSIONS = st.sampled_from(["v1", "apps/v1", "example.com/v1beta1"])


def _keyed(key: Any) -> Any:
    try:
        return key()
    except InputError as exc:
        return ("error", exc.location, exc.reason)


@given(_VERSIONS, _KINDS, _METADATA | _VALUE)
def test_a_kind_worked_out_once_keys_as_the_whole_object_does(
    api_version: str, kind: str, metadata: Any
) -> None:
    whole = _keyed(lambda: resource_key({"apiVersion": api_version, "kind": kind,
                                          "metadata": metadata}))  # fmt: skip
    shared = _keyed(lambda: kind_key(group_of(api_version), kind, metadata))
    assert shared == whole
    if not isinstance(whole, tuple):  # a key: its group as interned as the whole object's
        assert shared.group is whole.group
