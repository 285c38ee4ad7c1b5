"""The YAML text written a value at a time is PyYAML's dump of the JSON document, byte for byte."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from stateward import api
from stateward.model.finding import Severity
from stateward.model.streamed import Streamed
from stateward.report.scan import scan_document
from stateward.report.terminal import json_text
from stateward.report.yamled import _SLICE, yaml_pieces

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


def _dumped(document: Any) -> str:
    """What ``-o yaml`` wrote before it was streamed: the whole document's JSON values, dumped."""
    plain = json.loads(
        json.dumps(document, default=lambda v: list(v) if isinstance(v, Streamed) else str(v))
    )
    return yaml.dump(
        plain, Dumper=yaml.CSafeDumper, sort_keys=True, allow_unicode=False,
        explicit_start=True, default_flow_style=False, width=1 << 16,
    )  # fmt: skip


_scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
    | st.sampled_from(list(Severity))
)  # fmt: skip
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=5), inner, max_size=4)
        | st.tuples(inner, inner)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=5), _values, max_size=4), st.lists(_values, max_size=300))
def test_a_document_with_streamed_lists_is_the_dump_of_its_values(
    document: dict[str, Any], members: list[Any]
) -> None:
    # text that YAML must quote, escape or fold into several lines, keys of every kind, and a
    # streamed list at the top and under a map beside plain values
    document = {
        **document,
        "streamed": Streamed(members, lambda member: member),
        "under": {"list": Streamed(members[:5], lambda member: [member]), "plain": members[:3]},
    }
    assert "".join(yaml_pieces(document)) == _dumped(document)


def test_the_members_are_made_and_written_a_slice_at_a_time() -> None:
    made: list[int] = []

    def member(n: int) -> dict[str, Any]:
        made.append(n)
        return {"n": n, "text": "line\nbreak é"}

    pieces = yaml_pieces({"a": 1, "entries": Streamed(range(20 * _SLICE), member)})
    written = ""
    while len(made) < 2 * _SLICE:
        written += next(pieces)
    assert len(made) == 2 * _SLICE, "members made before the emitter took those before them"
    written += "".join(pieces)
    assert yaml.safe_load(written)["entries"][-1] == {"n": 20 * _SLICE - 1, "text": "line\nbreak é"}


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"SHARED CORPUS MISSING at {CORPUS}")
def test_a_scan_of_the_shared_corpus_is_the_dump_of_its_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STATEWARD_KEY_FILE", str(tmp_path / "secret.key"))
    scanned = api.scan(str(tmp_path / "store"), [str(CORPUS)], estate="corpus")
    document = scan_document(scanned.record, scanned.observation, scanned.deltas, scanned.audit)
    assert len(document["findings"]) > _SLICE and len(document["components"]) > _SLICE
    text = "".join(yaml_pieces(document))
    assert text == _dumped(document)
    assert yaml.safe_load(text) == json.loads(json_text(document))
