"""A component's stored object is written around the context's bytes its fingerprint was taken
from (:meth:`Component.encoded`): the bytes are exactly the canonical JSON of its
:meth:`~Component.as_dict`, whatever its context, names and images hold."""

from __future__ import annotations

import dataclasses
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from tests.model.test_canonical import texts, wide_values

from stateward.model.canonical import canonical_json, digest
from stateward.model.component import Component, parse_image

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
    component = _component({"env": {"app": {"LOG_LEVEL": "info"}}}, "a", "app:1")
    packed = component.packed()
    assert packed.stored is not None and packed.stored[1].canonical() == component.encoded()
    assert packed.fingerprinted is None and packed.encoded() == component.encoded()
