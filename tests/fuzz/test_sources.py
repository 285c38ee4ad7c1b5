"""Fuzz the file sources end to end: manifests, kubectl dumps, Compose with .env, rule files.

Property for every input: reading finishes within the deadline and raises nothing but a
StatewardError (bad input becomes an error on the observation, never a traceback). Each
``@example`` is a crash the fuzzer found once, replayed on every run.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from stateward.analysis.parity import load_policy
from stateward.api import observe
from stateward.errors import StatewardError
from stateward.model.secrets import SecretKeeper
from stateward.normalize.rules import load_rules

from .conftest import fuzz_settings
from .strategies import COMPOSE, ENV_FILE, JUNK, MANIFESTS, SHOP, dump, mutated, text_edits

KEEPER = SecretKeeper(b"\x01" * 32)
BIG = "9" * 4301


def _observe(files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for name, text in files.items():
            (Path(folder) / name).write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            observe([folder], estate="fuzz", keeper=KEEPER)
        except StatewardError:
            pass


def _json(doc: Any) -> str:
    try:
        return json.dumps(doc, default=str)
    except ValueError:  # an integer past the int/str conversion limit
        return dump(doc)


MANIFEST_TEXT = st.one_of(mutated(MANIFESTS), JUNK).flatmap(
    lambda doc: st.one_of(text_edits(dump(doc)), st.just(_json(doc)))
)


@fuzz_settings()
@given(MANIFEST_TEXT, st.sampled_from(["yaml", "json"]))
@example(f"kind: Service\nmetadata: {{name: a}}\nspec: {{ports: [{{port: {BIG}}}]}}\n", "yaml")
@example("apiVersion: v1\nkind: List\nitems: 5\n", "yaml")
@example("apiVersion: v1\nkind: List\nitems: 1.5\n", "json")
@example("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: cart, labels: true}\n", "yaml")
def test_manifest_files(text: str, suffix: str) -> None:
    _observe({f"m.{suffix}": text})


def _kubectl_dump(items: list[Any], extra: tuple[str, Any] | None) -> dict[str, Any]:
    dumped: dict[str, Any] = {"apiVersion": "v1", "kind": "List", "items": items}
    if extra is not None:
        dumped[extra[0]] = extra[1]
    return dumped


DUMPS = st.builds(
    _kubectl_dump,
    st.lists(mutated(MANIFESTS), max_size=4),
    st.none() | st.tuples(st.sampled_from(["items", "metadata", "kind"]), JUNK),
).flatmap(lambda doc: st.tuples(text_edits(dump(doc)), st.just(_json(doc))))


@fuzz_settings()
@given(DUMPS)
def test_kubectl_dumps(texts: tuple[str, str]) -> None:
    _observe({"dump.yaml": texts[0], "dump.json": texts[1]})


COMPOSE_TEXT = mutated([COMPOSE]).flatmap(lambda doc: text_edits(dump(doc)))
ENV_TEXT = st.one_of(text_edits(ENV_FILE), st.text())


@fuzz_settings()
@given(COMPOSE_TEXT, ENV_TEXT, ENV_TEXT)
@example("services: {web: {image: x, volumes: [1]}}\nconfigs: abc\n", "", "")
@example("services: {web: {image: x}}\nvolumes: [1]\nsecrets: true\n", "", "")
@example("services: {web: {image: x, env_file: " + "x" * 5000 + "}}\n", "", "")
@example("services: {web: {image: '${A}'}}\n", f"A={BIG}\n", "")
def test_compose_with_env_files(compose: str, env: str, web_env: str) -> None:
    _observe({"compose.yaml": compose, ".env": env, "web.env": web_env, "pw.txt": "s3cret"})


INCLUDING = """\
include:
  - inc.yaml
  - {path: [inc.yaml, compose.yaml], project_directory: ., env_file: web.env}
services: {root: {image: r}}
"""


@fuzz_settings()
@given(COMPOSE_TEXT, ENV_TEXT)
@example("include: [compose.yaml, inc.yaml]\nservices: {}\n", "")
@example("include: {path: 5}\n", "")
@example("include: [{path: [inc.yaml, 7], env_file: {a: 1}}]\n", "")
@example('include: ["a\\0", {path: inc.yaml, project_directory: "\\0"}]\n', "")
def test_an_included_compose_file(included: str, env: str) -> None:
    _observe({"compose.yaml": INCLUDING, "inc.yaml": included, "web.env": env, "pw.txt": "pw"})


RULES = {"ignoreDifferences": [
    {"group": "apps", "kind": "Deployment", "name": "web*", "namespace": "shop",
     "jsonPointers": ["/spec/replicas"], "jqPathExpressions": [".spec.template.metadata"]},
]}  # fmt: skip
POLICY = yaml.safe_load((SHOP / "parity.yaml").read_text())
CONFIG_TEXT = st.one_of(mutated([RULES]), mutated([POLICY]), JUNK).flatmap(
    lambda doc: text_edits(dump(doc))
)


@fuzz_settings()
@given(CONFIG_TEXT)
@example(f"ignoreDifferences: [{BIG}]\n")
@example("expected: [{reason: 2026-13-45}]\n")
@example("[" * 5000)
@example("expected:\n- reason: staging logs at debug\n  env: null\n")
@example("expected:\n- {env: FOO}\n")
def test_rule_and_policy_files(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "stateward.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        for load in (load_rules, load_policy):
            try:
                load(path)
            except StatewardError:
                pass
