"""The round trip's copy notes the empty values it copies, so that the own steps' pass of empty
values runs only when the copy held one or a step that is not tidy ran
(:func:`stateward.normalize.normalize`): the copy's note, the own tidy steps, and the whole own
pipeline against the same steps followed by the pass every time, on generated bodies holding
empty values where steps read them (probes, handlers, volume sources, ports, session affinity,
a ReplicationController's labels, a LimitRange's maps, an HPA's metrics, Secret data) and
elsewhere."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from stateward.model.resource import ResourceKey
from stateward.normalize import OWN_STEPS, normalize
from stateward.normalize.empties import Empties, drop_empties
from stateward.normalize.guard import clone, round_trip
from stateward.normalize.interface import NormalizeContext
from stateward.normalize.server_fields import LAST_APPLIED
from stateward.normalize.types import Quantities, Unspelled

from .test_properties import strictly_equal

EMPTY = st.none() | st.builds(dict) | st.builds(list)
LEAVES = st.none() | st.integers(0, 3) | st.sampled_from(["a", "", "1", "0.5"]) | st.just(0.0)
TREES = st.recursive(
    LEAVES | st.builds(dict) | st.builds(list),
    lambda inner: (
        st.lists(inner, max_size=2)
        | st.dictionaries(
            st.sampled_from(["x", "emptyDir", "podSelector", "cpu", "requests", "metadata",
                             "creationTimestamp"]),
            inner,
            max_size=3,
        )
    ),
    max_leaves=8,
)  # fmt: skip


def _maybe(value: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    # Mostly the value: an empty one at every optional place leaves little for the steps.
    return st.integers(0, 3).flatmap(lambda n: value if n else EMPTY)


def _opt(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional=fields)


HANDLER = _opt(httpGet=_maybe(_opt(port=st.just(80))), grpc=_maybe(_opt(port=st.just(9))))
PROBE = _maybe(HANDLER)
CONTAINER = _opt(
    name=st.just("c"),
    image=st.sampled_from(["nginx", "nginx:1.2"]),
    ports=_maybe(st.lists(_opt(containerPort=_maybe(st.just(80)), hostPort=EMPTY), max_size=2)),
    livenessProbe=PROBE,
    readinessProbe=PROBE,
    lifecycle=_maybe(_opt(preStop=PROBE)),
    resources=_maybe(_opt(requests=_maybe(_opt(cpu=_maybe(st.just("1")))), limits=EMPTY)),
    env=_maybe(st.lists(_opt(name=st.just("e"), valueFrom=_maybe(_opt(
        fieldRef=_maybe(_opt(fieldPath=st.just("a"))), resourceFieldRef=EMPTY))), max_size=2)),
    securityContext=_maybe(_opt(privileged=st.booleans())),
)  # fmt: skip
VOLUME = _opt(
    name=st.just("v"), configMap=_maybe(_opt(name=st.just("m"))), hostPath=EMPTY,
    emptyDir=EMPTY, secret=EMPTY,
)  # fmt: skip
POD_SPEC = _opt(
    securityContext=_maybe(_opt(runAsUser=st.just(1))),
    hostNetwork=st.booleans(),
    containers=_maybe(st.lists(CONTAINER, max_size=2)),
    initContainers=_maybe(st.lists(CONTAINER, max_size=1)),
    volumes=_maybe(st.lists(VOLUME, max_size=2)),
    tolerations=EMPTY,
    dnsPolicy=EMPTY,
)  # fmt: skip
META = _opt(
    name=st.just("n"), namespace=st.just("ns"), uid=st.just("u"), creationTimestamp=st.none(),
    labels=_maybe(_opt(a=_maybe(st.just("b")))),
    annotations=_maybe(_opt(**{LAST_APPLIED: st.just("{}"), "a": LEAVES})),
)  # fmt: skip
TEMPLATE = _opt(metadata=_maybe(META), spec=_maybe(POD_SPEC))
SPEC = _opt(
    template=_maybe(TEMPLATE),
    replicas=EMPTY,
    selector=EMPTY,
    strategy=_maybe(_opt(type=st.just("RollingUpdate"), rollingUpdate=EMPTY)),
    volumeClaimTemplates=_maybe(st.lists(_opt(spec=_maybe(_opt(resources=EMPTY))), max_size=1)),
    ports=_maybe(st.lists(_opt(port=_maybe(st.just(80)), targetPort=EMPTY), max_size=2)),
    sessionAffinity=st.sampled_from(["ClientIP", "None"]) | st.none(),
    sessionAffinityConfig=_maybe(_opt(clientIP=EMPTY)),
    limits=_maybe(st.lists(_opt(type=st.just("Container"), max=_maybe(_opt(cpu=_maybe(
        st.just("1")))), min=EMPTY, default=EMPTY), max_size=1)),
    metrics=_maybe(st.lists(_maybe(_opt(type=st.just("Resource"), resource=EMPTY)), max_size=2)),
    behavior=_maybe(_opt(scaleUp=EMPTY)),
    parameters=EMPTY,
    containers=_maybe(st.lists(CONTAINER, max_size=1)),
    x=TREES,
)  # fmt: skip
KINDS = [
    ("apps", "apps/v1", "Deployment"), ("apps", "apps/v1", "StatefulSet"), ("", "v1", "Pod"),
    ("", "v1", "ReplicationController"), ("", "v1", "Service"), ("", "v1", "ConfigMap"),
    ("", "v1", "LimitRange"), ("autoscaling", "autoscaling/v2", "HorizontalPodAutoscaler"),
    ("", "v1", "Secret"), ("networking.k8s.io", "networking.k8s.io/v1", "IngressClass"),
    ("admissionregistration.k8s.io", "admissionregistration.k8s.io/v1",
     "ValidatingWebhookConfiguration"), ("example.com", "example.com/v1", "Widget"),
]  # fmt: skip
BODIES = _opt(
    metadata=_maybe(META), spec=_maybe(SPEC), data=_maybe(_opt(a=_maybe(st.just("b")))),
    stringData=_maybe(_opt(a=_maybe(st.just("c")))), status=TREES, x=TREES,
    webhooks=_maybe(st.lists(_opt(clientConfig=_maybe(_opt(service=EMPTY))), max_size=1)),
)  # fmt: skip


def _key(group: str, kind: str) -> ResourceKey:
    return ResourceKey(group, kind, "ns", "n")


@settings(max_examples=500)
@given(st.dictionaries(st.sampled_from(["a", "metadata", "emptyDir"]), TREES, max_size=4),
       st.booleans())  # fmt: skip
def test_the_copy_notes_every_empty_value_the_pass_would_drop(
    body: dict[str, Any], spelled: bool
) -> None:
    empties: list[str] = []
    rewrite = Quantities().in_copy("Deployment") if spelled else None
    try:
        copied = round_trip(body, "test", rewrite, empties)
    except Unspelled:
        return
    tidied = clone(copied)
    drop_empties(tidied)
    if not empties:
        assert strictly_equal(copied, tidied)
    assert strictly_equal(copied, round_trip(body, "test", rewrite))  # the same copy


def test_the_copy_notes_a_null_an_empty_map_and_list_but_no_meaningful_or_omitted_one() -> None:
    empties: list[str] = []
    round_trip({"a": None, "b": {"c": {}}, "d": [[], None], "emptyDir": {},
                "metadata": {"creationTimestamp": None, "name": "n"}, "e": [{"f": []}]},
               "test", None, empties)  # fmt: skip
    assert sorted(empties) == ["a", "c", "f"]


TIDY_OWN = sorted(
    {step for step in OWN_STEPS if getattr(step, "tidy", False)}, key=lambda s: type(s).__name__
)


def test_the_own_tidy_steps_are_those_most_objects_meet() -> None:
    assert {type(step).__name__ for step in TIDY_OWN} == {
        "ControllerDefaults", "PodSpecDefaults", "Quantities", "ServedVersion", "ServerFields",
        "ServiceDefaults",
    }  # fmt: skip


@settings(max_examples=300)
@given(BODIES, st.sampled_from(KINDS))
@pytest.mark.parametrize("step", TIDY_OWN, ids=lambda step: type(step).__name__)
def test_an_own_tidy_step_leaves_no_empty_value_in_a_body_that_held_none(
    step: Any, body: dict[str, Any], kind: tuple[str, str, str]
) -> None:
    group, version, name = kind
    body = round_trip({**body, "apiVersion": version, "kind": name}, "test")
    drop_empties(body)
    ctx = NormalizeContext(_key(group, name), "desired")
    if step.applies_to(ctx, body):
        result = step.normalize(body, None, ctx)
        tidied = copy.deepcopy(result)
        drop_empties(tidied)
        assert ctx.left_empty or strictly_equal(result, tidied)


_SERVICE, _LIMITS, _DEPLOYMENT, _RC = KINDS[4], KINDS[6], KINDS[0], KINDS[3]
_HOST = {"hostNetwork": True, "containers": [{"name": "c", "ports": [{"name": "p"}]}]}


@settings(max_examples=600)
@given(BODIES, st.sampled_from(KINDS), st.booleans())
@example({"spec": {"ports": [{"name": "p"}]}}, _SERVICE, True)  # a null targetPort
@example({"spec": {"limits": [{"type": "Container"}]}}, _LIMITS, True)  # an empty default
@example({"spec": {"template": {"spec": _HOST}}}, _DEPLOYMENT, True)  # hostPort, securityContext
@example({"metadata": {"uid": "u", "annotations": {LAST_APPLIED: "{}"}},
          "spec": {"template": {"metadata": {"labels": {"a": "b"}}}}}, _RC, True)  # fmt: skip
def test_the_own_steps_give_what_they_give_followed_by_the_pass_every_time(
    body: dict[str, Any], kind: tuple[str, str, str], pruned: bool
) -> None:
    group, version, name = kind
    body = {**body, "apiVersion": version, "kind": name}
    if pruned:  # most bodies hold no empty value: the pass is left out, unless a step adds one
        body = round_trip(body, "test")
        drop_empties(body)
    new_ctx, old_ctx = (NormalizeContext(_key(group, name), "desired") for _ in range(2))
    assert isinstance(OWN_STEPS[-1], Empties)
    new = normalize(body, new_ctx, steps=OWN_STEPS)
    old = normalize(body, old_ctx, steps=OWN_STEPS[:-1])
    drop_empties(old)
    assert strictly_equal(new, old)
    assert new_ctx.incomplete == old_ctx.incomplete
