"""A component's stored object is written around the context's bytes its fingerprint was taken
from (:meth:`Component.encoded`): the bytes are exactly the canonical JSON of its
:meth:`~Component.as_dict`, whatever its context, names and images hold."""

from __future__ import annotations

import dataclasses
import pickle
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from tests.model.test_canonical import texts, wide_values

from stateward.contexts import resolve_components
from stateward.model.canonical import canonical_json, digest
from stateward.model.component import Component, parse_image
from stateward.model.resource import Origin, Resource, ResourceKey

# the fixed members' values as a component's strings can be, the stand-in member's text and
# the keys around it included
names = texts | st.sampled_from([',"context":0,', '"context":0', "context", "context_fingerprint"])
contexts = st.dictionaries(names, wide_values, max_size=6)


def _component(context: Any, name: str, image: str) -> Component:
    return Component.of(id=f"k8s:Deployment/{name}", kind="Deployment", name=name,
                        namespace=name, source="kube", images=(parse_image(image),),
                        context=context, resource=name)  # fmt: skip


@given(contexts, names, names)
def test_the_stored_bytes_are_the_canonical_json_of_the_component(
    context: dict[str, Any], name: str, image: str
) -> None:
    component = _component(context, name, image)
    assert component.encoded() == canonical_json(component.as_dict())
    assert component.context_fingerprint == digest(context)


@given(contexts, contexts)
def test_a_component_given_another_context_encodes_its_own(
    context: dict[str, Any], other: dict[str, Any]
) -> None:
    changed = dataclasses.replace(_component(context, "a", "app:1"), context=other)
    assert changed.encoded() == canonical_json(changed.as_dict())


def test_a_packed_component_keeps_the_same_object_and_not_the_bytes() -> None:
    component = _component({"env": {"app": {"LOG_LEVEL": "info", "A": "1"}}}, "a", "app:1")
    packed = component.packed()
    assert packed.fingerprinted is None and packed.encoded() == component.encoded()
    assert packed == component


@given(contexts, names, names)
def test_a_pickled_component_comes_back_field_for_field(
    context: dict[str, Any], name: str, image: str
) -> None:
    """An audit's components come back pickled from the process that resolved them: every
    field, those no comparison reads included, and the bytes it encodes."""
    component = _component(context, name, image)
    for sent in (component, component.packed()):
        back = pickle.loads(pickle.dumps(sent, protocol=pickle.HIGHEST_PROTOCOL))
        assert type(back) is Component and back == sent
        for field in dataclasses.fields(Component):
            assert _plain(getattr(back, field.name)) == _plain(getattr(sent, field.name))
        assert back.encoded() == sent.encoded()


def _plain(value: Any) -> Any:
    """A field's value as comparable data: a packed context or body by its bytes and type."""
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    data = getattr(value, "data", None)
    return (type(value), data) if isinstance(data, bytes) else value


def test_only_components_recorded_next_keep_their_contexts_bytes() -> None:
    """A watch's components are recorded next and keep the bytes; an observation held for an
    analysis (drift, parity, audit) holds none."""
    labels = {"app": "a"}
    body = {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "a", "namespace": "shop"},
            "spec": {"selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels},
                                  "spec": {"containers": [{"name": "a", "image": "a:1"}]}}}}  # fmt: skip
    resources = [
        Resource.of(ResourceKey("apps", "Deployment", "shop", "a"), body, Origin("f", "x"))
    ]
    (kept,), _ = resolve_components(resources, keep_encoded=True)
    (held,), _ = resolve_components(resources)
    assert kept.fingerprinted is not None and held.fingerprinted is None
    assert kept.encoded() == held.encoded() == canonical_json(held.as_dict())
