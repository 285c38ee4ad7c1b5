"""The fast path (documents built from the parser's events) gives the general path's answer.

Generated documents mix block and flow containers, every scalar style, the words Go resolves
differently from PyYAML (``yes``, ``on``, ``017``, ``0o17``, ``1e400``, ``22:22``...) and
repeated keys; each is read both ways and compared: values with their types, key order, the
line of every non-string value, duplicates, each document's line. What the fast path leaves to
the general one (aliases, tags, merges, null or complex keys, deep nesting, bad YAML) is named
below, and read the general way."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from stateward.sources.goyaml import COMPOSE, KUBERNETES, Schema
from stateward.sources.yamldocs import Document, composed_documents, read_documents
from stateward.sources.yamldocument import MAX_DEPTH
from stateward.sources.yamlevents import built_from_events

WORDS = [
    "a", "web", "nginx:1.25", "yes", "No", "on", "OFF", "y", "N", "true", "False", "null", "~",
    "Null", "0", "-0", "-0.0", "017", "0o17", "0x1F", "0b101", "08", "1_000", "+12", "-1.5",
    "9223372036854775807", "9223372036854775808", "18446744073709551616", "1e3", "1e400",
    "0.", ".5", ".inf", "-.Inf", ".NaN", "22:22", "2001-12-14", "=", "1.2.3", "0x", "+",
]  # fmt: skip
"""Plain words whose type differs between YAML 1.1, YAML 1.2 and Go's parsers."""
NULL_WORDS = {"null", "~", "Null"}  # "" as a key is always written quoted

Scalar = tuple[str, str]  # (style, text): style "" plain, "'" or '"' quoted
scalars = st.tuples(st.sampled_from(["", "", "'", '"']), st.sampled_from([*WORDS, ""]))
keys = st.tuples(st.sampled_from(["", "", "'", '"']), st.sampled_from(WORDS[:12] + ["", "<<"]))


def nodes() -> st.SearchStrategy[Any]:
    return st.recursive(
        st.tuples(st.just("scalar"), scalars),
        lambda inner: st.one_of(
            st.tuples(st.just("map"), st.lists(st.tuples(keys, inner), max_size=4), st.booleans()),
            st.tuples(st.just("seq"), st.lists(inner, max_size=4), st.booleans()),
        ),
        max_leaves=12,
    )


def _scalar(scalar: Scalar, flow: bool) -> str:
    style, text = scalar
    if style == "'":
        return "'" + text.replace("'", "''") + "'"
    if style == '"' or (flow and not text):
        return json.dumps(text)
    return text


def _flow(node: Any) -> str:
    if node[0] == "scalar":
        return _scalar(node[1], flow=True)
    if node[0] == "map":
        return "{" + ", ".join(f"{_scalar(k, True)}: {_flow(v)}" for k, v in node[1]) + "}"
    return "[" + ", ".join(_flow(item) for item in node[1]) + "]"


def _block(node: Any, pad: str) -> list[str]:
    """Lines of ``node`` in block style at indent ``pad`` (flow where it asked for it)."""
    kind, items = node[0], node[1]
    if kind == "scalar" or not items or node[2]:
        return [pad + _flow(node)]
    lines = []
    for item in items:
        head, child = (f"{_scalar(item[0], True)}:", item[1]) if kind == "map" else ("-", item)
        if child[0] == "scalar" or not child[1] or child[2]:
            lines.append(f"{pad}{head} {_flow(child)}".rstrip())
        else:
            lines.append(pad + head)
            lines += _block(child, pad + "  ")
    return lines


def _uncommon(node: Any, schema: Schema) -> bool:
    """Whether ``node`` holds what the fast path leaves to the general one: a merge key or
    value, or a null key where the consumer refuses one (kubectl; compose-go keeps the text)."""
    if node[0] == "scalar":
        return node[1] == ("", "<<") or _not_finite(node[1], schema)
    if node[0] == "seq":
        return any(_uncommon(item, schema) for item in node[1])
    refused = {"<<"} | (NULL_WORDS if schema.json_keys else set())
    return any(k[0] == "" and k[1] in refused or _uncommon(v, schema) for k, v in node[1])


def _not_finite(scalar: Scalar, schema: Schema) -> bool:
    """A plain scalar the schema reads as a NaN or an infinity (``.nan``, ``-.Inf``)."""
    style, text = scalar
    value = schema.resolve(text)[1] if not style else None
    return isinstance(value, float) and not math.isfinite(value)


def _typed(value: Any) -> Any:
    """``value`` with every scalar's type and every mapping's key order made part of equality
    (``True == 1`` and ``{"a": 1, "b": 2} == {"b": 2, "a": 1}`` in Python)."""
    if isinstance(value, dict):
        return [(key, _typed(item)) for key, item in value.items()]
    if isinstance(value, list):
        return [_typed(item) for item in value]
    return type(value).__name__, repr(value)


def _lines(doc: Document) -> dict[tuple[Any, ...], int]:
    """The document's remembered lines by path instead of by container id."""
    found: dict[tuple[Any, ...], int] = {}
    stack: list[tuple[Any, tuple[Any, ...]]] = [(doc.data, ())]
    while stack:
        node, path = stack.pop()
        if not isinstance(node, dict | list):
            continue
        for key, value in node.items() if isinstance(node, dict) else enumerate(node):
            if (id(node), key) in doc.lines:
                found[(*path, key)] = doc.lines[(id(node), key)]
            stack.append((value, (*path, key)))
    return found


def _as_general(text: str, schema: Schema) -> list[Document] | None:
    """The fast path's documents, after checking each against the general path's."""
    fast = built_from_events(text, schema)
    if fast is None:
        return None
    general = list(composed_documents(text, schema))
    assert all(isinstance(doc, Document) for doc in general)
    assert [_typed(d.data) for d in fast] == [_typed(d.data) for d in general]  # type: ignore[union-attr]
    assert [(d.line, d.duplicates, _lines(d)) for d in fast] == [
        (d.line, d.duplicates, _lines(d))  # type: ignore[union-attr]
        for d in general
    ]
    assert [len(d.lines) for d in fast] == [len(d.lines) for d in general]  # type: ignore[union-attr]
    return fast


REPLACED = [("map", [(("", "a"), ("seq", [("scalar", ("", "yes"))], False)),
                     (("", "a"), ("map", [(("", "a"), ("seq", [("scalar", ("", "a"))], False))],
                                  False))], False)]  # fmt: skip
"""A list whose key comes again: were it freed, the next list could take its id, and so the
lines of its values (found by this test, in the general path as it was)."""


@settings(max_examples=400, deadline=None)
@given(st.lists(nodes(), min_size=1, max_size=3), st.sampled_from([KUBERNETES, COMPOSE]))
@example(REPLACED, KUBERNETES)
def test_generated_documents_read_as_the_general_path_reads_them(
    roots: list[Any], schema: Schema
) -> None:
    text = "---\n".join("\n".join(_block(root, "")) + "\n" for root in roots)
    fast = _as_general(text, schema)
    # The common shapes take the fast path: the comparison above is not vacuous.
    assert (fast is None) == any(_uncommon(root, schema) for root in roots), text
    # and what it builds holds only finite floats, as it says
    assert all(d.finite and _floats_finite(d.data) for d in fast or ())


def _floats_finite(value: Any) -> bool:
    if isinstance(value, dict | list):
        return all(map(_floats_finite, value.values() if isinstance(value, dict) else value))
    return not isinstance(value, float) or math.isfinite(value)


DEPLOY = """\
# Source: chart/templates/web.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {tier: 1, on: yes}}
spec:
  replicas: 0o3
  template:
    spec:
      containers:
        - name: app
          image: "nginx"
          ports: [{containerPort: 8080}, {containerPort: 017}]
          args: |
            --level=yes
          env:
            - {name: A, value: on}
            - name: A
              name: B
---
---
kind: List
items: [{n: 1e400}, {n: 1e3}]
"""


@pytest.mark.parametrize("schema", [KUBERNETES, COMPOSE])
def test_a_manifest_stream_reads_the_same_both_ways(schema: Schema) -> None:
    fast = _as_general(DEPLOY, schema)
    assert fast is not None
    assert [doc.line for doc in fast] == [2, 20, 21]
    assert fast[0].duplicates == [("name", 18)]
    assert fast[0].data["metadata"]["labels"] == (
        {"tier": 1, "true": True} if schema is KUBERNETES else {"tier": 1, "on": "yes"}
    )


@pytest.mark.parametrize(
    "text",
    [
        "base: &b {a: 1}\nother: *b\n",  # an alias
        "a: &x 1\n",  # an anchor, even unused
        "a: !!str 1\n",  # an explicit tag
        "a: !custom 1\n",  # an unknown tag: the general path's error
        "base: {a: 1}\nmerged: {<<: {a: 2}, b: 3}\n",  # a merge key
        "a: <<\n",  # a plain << value: PyYAML has no constructor for it
        "a: [1.5, -.Inf]\n",  # an infinity (canonical JSON has no form for it, nor for a NaN)
        "~: 1\n",  # a null key
        "? [a, b]\n: 1\n",  # a list as a key
        "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n",  # deeper than allowed
        "a: 1\n---\na: [\n---\nb: 2\n",  # bad YAML in the middle of a stream
    ],
)  # fmt: skip
def test_what_the_fast_path_leaves_is_read_the_general_way(text: str) -> None:
    assert built_from_events(text, KUBERNETES) is None
    expected = [(type(d).__name__, repr(d)) for d in composed_documents(text, KUBERNETES)]
    assert [(type(d).__name__, repr(d)) for d in read_documents(text)] == expected
