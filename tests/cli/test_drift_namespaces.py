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


def _scanned(tmp_path: Path, desired: str, estate: str, *args: str) -> set[str]:
    store = ["--store", str(tmp_path / "store")]
    scan = CliRunner().invoke(main, ["scan", desired, "--estate", estate, *args, "--json", *store])
    assert scan.exit_code == 0, scan.stderr
    shown = CliRunner().invoke(main, ["show", estate, "--json", *store])
    return {c["id"] for c in json.loads(shown.stdout)["components"]}


def test_scan_of_files_places_objects_without_a_namespace_as_kubectl_n_does(
    tmp_path: Path,
) -> None:
    # The same golden pair, the desired side scanned into an estate first: with -n the stored
    # Job is placed as `kubectl apply -n` would create it, and a drift of the stored estate
    # against live takes it as placed, right or wrong, instead of guessing.
    desired, live = _pair(tmp_path)
    role = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\n"
    Path(desired).write_text(Path(desired).read_text() + "---\n" + role)
    placed = _scanned(tmp_path, desired, "jobs", "-n", "argoci-workflows")
    assert placed == {"k8s:Job/argoci-workflows/fail"}
    doc = json.loads(_drift(tmp_path, "jobs", live).stdout)
    role_key = "ClusterRole.rbac.authorization.k8s.io/r"  # cluster-scoped: never placed
    assert doc["missing"] == [role_key] and doc["extra"] == [] and doc["changes"] == []
    assert doc["assumed_namespaces"] == {}
    assert _scanned(tmp_path, desired, "wrong", "-n", "elsewhere") == {"k8s:Job/elsewhere/fail"}
    doc = json.loads(_drift(tmp_path, "wrong", live).stdout)
    assert sorted(doc["missing"]) == [role_key, "Job.batch/elsewhere/fail"]
