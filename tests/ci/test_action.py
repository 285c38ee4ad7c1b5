"""The composite GitHub Action (``action.yml``): its shell steps run here as a runner runs them.

A runner substitutes ``${{ … }}`` expressions, runs each ``run`` step with ``bash -e`` and reads
step outputs from the ``$GITHUB_OUTPUT`` file
(https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands
#setting-an-output-parameter). The install step (pip, which needs the index) and the SARIF
upload (a GitHub service) are left out: here ``stateward`` is this checkout's.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.ci.test_precommit import CLEAN, PLANTED

ROOT = Path(__file__).resolve().parents[2]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
_EXPRESSION = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")


def run_action(workdir: Path, **given: str) -> tuple[dict[str, str], int]:
    """The action's step outputs and the exit code of its last step run."""
    inputs = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}
    inputs.update({name.replace("_", "-"): value for name, value in given.items()})
    outputs: dict[str, dict[str, str]] = {}
    code = 0
    for step in ACTION["runs"]["steps"]:
        if "run" not in step or step["name"] == "Install Stateward":
            continue
        context = {"inputs": inputs, "steps": outputs, "github": {"action_path": str(ROOT)}}
        env = {k: _substitute(str(v), context) for k, v in step.get("env", {}).items()}
        output_file = workdir / f"output-{len(outputs)}"
        output_file.write_text("")
        path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
        done = subprocess.run(
            ["bash", "-e", "-c", _substitute(step["run"], context)], cwd=workdir,
            env={**os.environ, **env, "GITHUB_OUTPUT": str(output_file), "PATH": path, "NO_COLOR": "1"},
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        code = done.returncode
        lines = output_file.read_text().splitlines()
        outputs[step.get("id", step["name"])] = {
            "outputs": dict(line.split("=", 1) for line in lines)
        }  # type: ignore[dict-item]
        if code:
            break
    return outputs.get("run", {}).get("outputs", {}), code  # type: ignore[return-value]


def _substitute(text: str, context: dict[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        found: Any = context
        for part in match.group(1).split("."):
            found = found[part]
        return str(found)

    return _EXPRESSION.sub(value, text)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "web.yaml").write_text(CLEAN)
    return tmp_path


def test_the_action_is_composite_and_uses_only_inputs_it_declares() -> None:
    assert ACTION["runs"]["using"] == "composite"
    text = (ROOT / "action.yml").read_text()
    used = set(re.findall(r"inputs\.([a-z-]+)", text))
    assert used == set(ACTION["inputs"])
    assert all(step.get("shell") == "bash" for step in ACTION["runs"]["steps"] if "run" in step)
    upload = next(step for step in ACTION["runs"]["steps"] if "uses" in step)
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")


def test_audit_passes_clean_manifests_and_writes_sarif(workdir: Path) -> None:
    outputs, code = run_action(workdir, args="deploy")
    assert (outputs, code) == ({"exit-code": "0"}, 0)
    sarif = json.loads((workdir / "stateward.sarif").read_text())
    assert sarif["version"] == "2.1.0"


def test_audit_fails_on_a_planted_finding_after_writing_sarif(workdir: Path) -> None:
    (workdir / "deploy" / "redis.yaml").write_text(PLANTED)
    outputs, code = run_action(workdir, args="deploy", sarif_file="out/audit.sarif")
    assert (outputs, code) == ({"exit-code": "1"}, 1)
    results = json.loads((workdir / "out" / "audit.sarif").read_text())["runs"][0]["results"]
    assert "DATA_ON_EPHEMERAL" in {result["ruleId"] for result in results}


def test_audit_with_no_fail_on_reports_without_failing(workdir: Path) -> None:
    (workdir / "deploy" / "redis.yaml").write_text(PLANTED)
    assert run_action(workdir, args="deploy", fail_on="") == ({"exit-code": "0"}, 0)


def test_drift_fails_when_live_differs(workdir: Path) -> None:
    (workdir / "live.yaml").write_text(CLEAN.replace("replicas: 2", "replicas: 5"))
    outputs, code = run_action(workdir, command="drift", args="deploy live.yaml")
    assert (outputs, code) == ({"exit-code": "1"}, 1)
    assert json.loads((workdir / "stateward.sarif").read_text())["runs"][0]["results"]


def test_an_unknown_command_is_refused(workdir: Path) -> None:
    assert run_action(workdir, command="scan", args="deploy") == ({}, 2)
