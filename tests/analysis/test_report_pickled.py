"""A scan's forked audit sends its report back pickled: each finding and verdict comes back
field for field, and the origins come back as what they map, without the resources."""

from __future__ import annotations

import dataclasses
import pickle
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from stateward.analysis.audit.interface import Lifecycle
from stateward.analysis.audit.lifecycle import Loss
from stateward.analysis.audit.report import ComponentAudit, Origins
from stateward.model.finding import Finding, Severity
from stateward.model.resource import Origin, Resource, ResourceKey

_TEXT = st.text(max_size=12)
_NAMES = st.tuples(_TEXT, _TEXT, _TEXT)

findings = st.builds(
    Finding, _TEXT, st.sampled_from(Severity), _TEXT, st.none() | _TEXT, st.none() | _TEXT,
    _TEXT, _TEXT, st.lists(_TEXT, max_size=3).map(tuple),
)  # fmt: skip
verdicts = st.builds(
    ComponentAudit, _TEXT, _TEXT, _TEXT, _TEXT, st.sampled_from(Lifecycle),
    st.sampled_from(Loss), st.integers(0, 100), _NAMES, _NAMES, _NAMES, _TEXT,
)  # fmt: skip


def _back(value: Any) -> Any:
    return pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


@given(findings, verdicts)
def test_a_pickled_finding_and_verdict_come_back_field_for_field(
    finding: Finding, verdict: ComponentAudit
) -> None:
    for sent in (finding, verdict):
        back = _back(sent)
        assert type(back) is type(sent) and back == sent
        for field in dataclasses.fields(sent):
            value = getattr(back, field.name)
            assert type(value) is type(getattr(sent, field.name))
            assert value == getattr(sent, field.name)


@given(st.lists(st.tuples(_TEXT.filter(bool), _TEXT), max_size=5))
def test_origins_map_what_a_dictionary_of_the_resources_would_and_pickle_as_one(
    pairs: list[tuple[str, str]],
) -> None:
    resources = [
        Resource(ResourceKey("", "ConfigMap", "ns", name), {}, Origin("manifests", where))
        for name, where in pairs
    ]
    made = {str(r.key): r.origin.location for r in resources}  # the last of equal keys wins
    origins = Origins(resources)
    assert list(origins.items()) == list(made.items()) and origins == made
    back = _back(Origins(resources))
    assert type(back) is dict and back == made
