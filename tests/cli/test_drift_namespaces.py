"""``drift`` with desired objects that name no namespace (kubectl/Argo CD fill it on apply).

The golden pair is the real ``defaults-job`` fixture (argo-cd ``controller/testdata/job-failed.yaml``,
see ``tests/diff/fixtures/SOURCES.md``) with the ``namespace:`` line taken out of the desired Job.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from stateward.cli import main

JOB = Path(__file__).resolve().parents[1] / "diff" / "fixtures" / "defaults-job"


def _pair(tmp_path: Path, *extra_live: str) -> tuple[str, str]:
    desired = (JOB / "desired.yaml").read_text().replace("  namespace: argoci-workflows\n", "")
    assert "namespace" not in desired
    (tmp_path / "desired.yaml").write_text(desired)
    live = "---\n".join([(JOB / "live.yaml").read_text(), *extra_live])
    (tmp_path / "live.yaml").write_text(live)
    return str(tmp_path / "desired.yaml"), str(tmp_path / "live.yaml")


def _drift(tmp_path: Path, *args: str) -> Result:
    return CliRunner().invoke(
        main,
        ["drift", *args, "--json", "--store", str(tmp_path / "store")],
        env={"NO_COLOR": "1", "COLUMNS": "200"},
    )


@pytest.mark.parametrize("mode", ["strict", "argo"])
def test_namespace_flag_fills_the_missing_namespace(tmp_path: Path, mode: str) -> None:
    desired, live = _pair(tmp_path)
    result = _drift(tmp_path, desired, live, "--mode", mode, "-n", "argoci-workflows")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["missing"] == [] and doc["extra"] == [] and doc["changes"] == []
    assert doc["assumed_namespaces"] == {}


@pytest.mark.parametrize("mode", ["strict", "argo"])
def test_the_only_live_object_of_that_name_is_assumed_and_said(tmp_path: Path, mode: str) -> None:
    desired, live = _pair(tmp_path)
    result = _drift(tmp_path, desired, live, "--mode", mode)
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["missing"] == [] and doc["extra"] == []
    assert doc["assumed_namespaces"] == {"Job.batch/argoci-workflows/fail": "argoci-workflows"}
    assert "no namespace in desired; assumed argoci-workflows" in result.stderr


def test_a_wrong_namespace_flag_is_not_second_guessed(tmp_path: Path) -> None:
    desired, live = _pair(tmp_path)
    doc = json.loads(_drift(tmp_path, desired, live, "-n", "elsewhere").stdout)
    assert doc["missing"] == ["Job.batch/elsewhere/fail"]
    assert doc["extra"] == ["Job.batch/argoci-workflows/fail"]


def test_two_live_candidates_assume_nothing(tmp_path: Path) -> None:
    twin = (JOB / "live.yaml").read_text().replace("argoci-workflows", "other")
    desired, live = _pair(tmp_path, twin)
    doc = json.loads(_drift(tmp_path, desired, live).stdout)
    assert doc["assumed_namespaces"] == {}
    assert doc["missing"] == ["Job.batch/default/fail"]
    assert len(doc["extra"]) == 2
