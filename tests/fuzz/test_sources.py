"""Fuzz the file sources end to end: manifests, kubectl dumps, Compose with .env, rule files.

Property for every input: reading finishes within the deadline and raises nothing but a
StatewardError (bad input becomes an error on the observation, never a traceback).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from stateward.analysis.parity import load_policy
from stateward.diff.rules import load_rules
from stateward.errors import StatewardError
from stateward.model.secrets import SecretKeeper
from stateward.observe import observe

from .conftest import fuzz_settings
from .strategies import COMPOSE, ENV_FILE, JUNK, MANIFESTS, SHOP, dump, mutated, text_edits

KEEPER = SecretKeeper(b"\x01" * 32)


def _observe(files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for name, text in files.items():
            (Path(folder) / name).write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            observe([folder], estate="fuzz", keeper=KEEPER)
        except StatewardError:
            pass


@fuzz_settings()
@given(st.one_of(mutated(MANIFESTS), JUNK), st.sampled_from(["yaml", "json"]), st.data())
def test_manifest_files(doc: Any, form: str, data: st.DataObject) -> None:
    text = dump(doc) if form == "yaml" else json.dumps(doc, default=str)
    _observe({f"m.{form}": data.draw(text_edits(text))})


@fuzz_settings()
@given(st.lists(mutated(MANIFESTS), max_size=4), st.one_of(st.none(), JUNK), st.data())
def test_kubectl_dumps(items: list[Any], extra: Any, data: st.DataObject) -> None:
    dumped: dict[str, Any] = {"apiVersion": "v1", "kind": "List", "items": items}
    if extra is not None:
        dumped[data.draw(st.sampled_from(["items", "metadata", "kind"]))] = extra
    _observe({"dump.yaml": data.draw(text_edits(dump(dumped))), "dump.json": json.dumps(dumped)})


@fuzz_settings()
@given(mutated([COMPOSE]), st.one_of(text_edits(ENV_FILE), st.text()), st.data())
def test_compose_with_env_files(doc: Any, env: str, data: st.DataObject) -> None:
    _observe({
        "compose.yaml": data.draw(text_edits(dump(doc))),
        ".env": env,
        "web.env": data.draw(text_edits(ENV_FILE)),
        "pw.txt": "s3cret",
    })  # fmt: skip


RULES = {"ignoreDifferences": [
    {"group": "apps", "kind": "Deployment", "name": "web*", "namespace": "shop",
     "jsonPointers": ["/spec/replicas"], "jqPathExpressions": [".spec.template.metadata"]},
]}  # fmt: skip
POLICY = json.loads(json.dumps(__import__("yaml").safe_load((SHOP / "parity.yaml").read_text())))


@fuzz_settings()
@given(st.one_of(mutated([RULES]), mutated([POLICY]), JUNK), st.data())
def test_rule_and_policy_files(doc: Any, data: st.DataObject) -> None:
    text = data.draw(text_edits(dump(doc)))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "stateward.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        for load in (load_rules, load_policy):
            try:
                load(path)
            except StatewardError:
                pass
