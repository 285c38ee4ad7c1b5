"""Values read as the consumer reads them: compose-go for Compose, kubectl for manifests."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from stateward.cli import main
from stateward.sources.goyaml import COMPOSE, FLOAT, INT, KUBERNETES, STR
from stateward.sources.interpolate import Interpolator

from .conftest import Observer

DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    metadata: {labels: {app: web, tier: 1}}
    spec:
      containers:
        - name: app
          image: nginx
          env:
            - {name: PORT, value: 8080}
            - {name: DEBUG, value: "yes"}
"""


def test_compose_reads_the_yaml_1_2_core_schema(observe_files: Observer) -> None:
    compose = (
        "services:\n  web:\n    image: nginx\n    ports: [22:22, 12:30]\n"
        "    environment: {A: yes, B: on, C: true, D: 0o17, E: 1_000}\n"
    )
    obs = observe_files({"p/compose.yaml": compose})
    (web,) = obs.resources
    assert web.body["ports"] == ["22:22", "12:30"]  # not 1342 and 750 (YAML 1.1 sexagesimal)
    assert web.body["environment"] == {"A": "yes", "B": "on", "C": "true", "D": "15", "E": "1000"}


def test_kubernetes_reads_yaml_1_1_booleans_but_no_sexagesimal(observe_files: Observer) -> None:
    crd = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
        "data: {op: =, time: '1'}\nspec: {ops: [=, '!='], at: 22:22, enabled: yes}\n"
    )
    obs = observe_files({"crd.yaml": crd})
    assert obs.errors == []
    assert obs.resources[0].body["spec"] == {"ops": ["=", "!="], "at": "22:22", "enabled": True}


def test_a_value_kubectl_would_reject_is_a_finding_with_its_line(observe_files: Observer) -> None:
    obs = observe_files({"d.yaml": DEPLOY, "c.yaml": "apiVersion: v1\nkind: ConfigMap\n"
                         "metadata: {name: c}\ndata:\n  enabled: yes\n"})  # fmt: skip
    found = sorted(
        (f.evidence[0].rsplit("/", 1)[1], f.path)
        for f in obs.findings
        if f.rule == "REJECTED_BY_KUBECTL"
    )
    assert found == [
        ("c.yaml:5", "/data/enabled"),
        ("d.yaml:12", "/spec/template/spec/containers/0/env/0/value"),
        ("d.yaml:6", "/spec/template/metadata/labels/tier"),
    ]


@pytest.mark.parametrize(
    ("hooks", "name"),
    [("{argocd.argoproj.io/hook: PreSync}", "db-migrate-*@PreSync"),
     ("{helm.sh/hook: 'pre-install,pre-upgrade'}", "db-migrate-*@pre-install,pre-upgrade"),
     ("{}", "db-migrate-*")],
)  # fmt: skip
def test_generate_name_objects_are_identified_by_prefix_and_hooks(
    observe_files: Observer, hooks: str, name: str
) -> None:
    job = (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: db-migrate-\n"
        f"  annotations: {hooks}\nspec:\n  template:\n    spec:\n      containers:\n"
        "        - {name: m, image: migrate:1}\n      restartPolicy: Never\n"
    )
    obs = observe_files({"job.yaml": job})
    assert obs.errors == []
    assert [r.key.name for r in obs.resources] == [name]
    assert len(obs.components) == 1


@pytest.mark.parametrize(
    ("marker", "render"),
    [("kustomization.yaml", "kubectl kustomize"), ("Chart.yaml", "helm template RELEASE")],
)
def test_kustomizations_and_charts_say_how_to_render_them(
    observe_files: Observer, marker: str, render: str
) -> None:
    obs = observe_files(
        {
            "app/" + marker: "resources: [d.yaml]\n",
            "app/templates/d.yaml": "{{ .Values }}\n",
            "good.yaml": DEPLOY,
        }  # fmt: skip
    )
    assert [r.key.name for r in obs.resources] == ["web"]
    (error,) = obs.errors
    assert error.location.endswith("/in/app")
    assert render in error.diagnostics() and "| stateward scan - --estate ESTATE" in error.remedy
    assert obs.complete is False


def test_dash_reads_a_stream_of_manifests_from_stdin(tmp_path: Path) -> None:
    stream = DEPLOY + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
    result = CliRunner().invoke(
        main,
        ["scan", "-", "--estate", "s", "--store", str(tmp_path / "s.db"), "--json"],
        input=stream,
    )
    assert result.exit_code == 0, result.output
    assert "Deployment" in result.stdout and '"errors": []' in result.stdout


@given(st.integers(min_value=-(1 << 63), max_value=(1 << 64) - 1))
def test_integers_in_go_range_resolve_to_themselves(value: int) -> None:
    for schema in (COMPOSE, KUBERNETES):
        assert schema.resolve(str(value)) == (INT, value)
        assert schema.resolve(hex(value) if value >= 0 else "-" + hex(-value)) == (INT, value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("22:22", (STR, "22:22")), ("=", (STR, "=")), ("1e400", (STR, "1e400")), ("0777", (INT, 511)),
     ("09", (FLOAT, 9.0)), ("+18446744073709551615", (FLOAT, 1.8446744073709552e19)),
     ("9" * 4301, (STR, "9" * 4301)), (".5", (FLOAT, 0.5)), ("._5", (STR, "._5"))],
)  # fmt: skip
def test_scalars_resolve_as_go_yaml_resolves_them(text: str, expected: tuple[str, object]) -> None:
    assert KUBERNETES.resolve(text) == expected


@given(st.text().filter(lambda t: "$" not in t), st.text())
def test_interpolation_leaves_plain_text_alone_and_nests_defaults(text: str, value: str) -> None:
    interpolator = Interpolator({"A": value})
    assert interpolator.substitute(text, "") == text
    assert interpolator.substitute("${U:-${A}}|$${A}", "") == value + "|${A}"
    assert interpolator.substitute("${A:+${U-x}}", "") == ("x" if value else "")
    assert interpolator.missing == []


@pytest.mark.parametrize(
    ("text", "expected", "failed"),
    [
        # Mathesar's production file: compose-go's brace count skips the "}" after each "{",
        # finds no closing brace, and substitutes what its pattern matched (up to the last "}")
        ("${FILE_STORAGE_DICT:-{}}", "{}", False),
        ('{"a": ${U:-{}}}', '{"a": {}}', False),
        ('x ${U:-{"k": 1}} y', 'x {"k": 1} y', False),
        ("${SET:-{}}", "set", False),
        ("${U:-{}\n}", "{\n}", False),  # the pattern's `.` does not cross a line
        ("${U", "${U", True),
    ],
)
def test_unbalanced_braces_substitute_as_compose_go_does(
    text: str, expected: str, failed: bool
) -> None:
    interpolator = Interpolator({"SET": "set"})
    assert interpolator.substitute(text, "") == expected
    assert bool(interpolator.failed) == failed


def test_a_name_that_is_not_a_string_says_so(observe_files: Observer) -> None:
    obs = observe_files({"n.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: 0777}\n"})
    assert [e.reason for e in obs.errors] == ["metadata.name is a number, not a string (quote it)"]


def test_a_value_compose_would_reject_is_a_finding_with_its_line(observe_files: Observer) -> None:
    compose = 'services:\n  web:\n    image: 1.0\n    user: 1000\n    restart: "no"\n'
    obs = observe_files({"p/compose.yaml": compose})
    found = [
        (f.evidence[0].rsplit("/", 1)[1], f.path, f.resource)
        for f in obs.findings
        if f.rule == "REJECTED_BY_COMPOSE"
    ]
    assert found == [
        ("compose.yaml:3", "/image", "Service/p/web"),
        ("compose.yaml:4", "/user", "Service/p/web"),
    ]


def test_a_template_without_a_closing_brace_is_one_error_naming_its_line(
    observe_files: Observer,
) -> None:
    compose = "services:\n  web:\n    image: nginx\n    environment:\n      A: '${B'\n"
    obs = observe_files({"p/compose.yaml": compose, "p/.env": 'C="${D"\n'})
    reasons = sorted(e.reason for e in obs.errors)
    assert reasons == [
        "env_file .env: invalid template '${D' (no closing brace)",
        "invalid template '${B' (no closing brace)",
    ]
    assert next(e for e in obs.errors if "'${B'" in e.reason).location.endswith("compose.yaml:5")
