"""An audit whose components are resolved in a forked child beside it (issue #20) gives what
resolving them first gives: the same report, findings in the same order, the same components
and errors in the observation, whether references cross files read by different workers, a
file is malformed, or the components' ids are not the ones the audit took meanwhile (a host's).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bench.host_tree import CONFIG, build_tree

from stateward.analysis.audit import AuditReport
from stateward.api._observe import RESOLVE_BESIDE_FROM, observed_audited
from stateward.model.observation import Observation
from stateward.model.secrets import SecretKeeper
from stateward.report.scan import input_errors
from stateward.sources.files import PARALLEL_FROM
from stateward.workers import _running_beside, beside, can_spread

pytestmark = pytest.mark.skipif(not can_spread(), reason="needs fork(2) and two cores")

KEEPER = SecretKeeper(b"b" * 32)
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CORPORA = Path(__file__).resolve().parents[3] / "shared" / "corpus"


def _audited(
    locations: list[str], resolve_beside: bool, components: bool = True
) -> tuple[Observation, AuditReport]:
    observation, report = observed_audited(
        locations,
        keeper=KEEPER,
        images=lambda: None,
        resolve_beside=resolve_beside,
        components=components,
    )
    return observation, report.including(observation.findings)


def _document(observation: Observation, report: AuditReport) -> str:
    """What ``stateward audit --json`` prints, and what the observation holds besides."""
    return json.dumps(
        {
            **report.as_dict(),
            "errors": input_errors(observation),
            "resolved": [c.as_dict() for c in observation.components],
            "observed": [f.as_dict() for f in observation.findings],
        }
    )


def _same_either_way(*locations: str) -> dict[str, Any]:
    first = _document(*_audited(list(locations), resolve_beside=False))
    beside_it = _document(*_audited(list(locations), resolve_beside=True))
    assert beside_it == first
    found: dict[str, Any] = json.loads(first)
    return found


@pytest.mark.parametrize("corpus", sorted(p.name for p in CORPORA.iterdir() if p.is_dir()))
def test_each_corpus_audits_the_same_resolved_beside(corpus: str) -> None:
    found = _same_either_way(str(CORPORA / corpus))
    assert found["resolved"]  # something resolved in the child came back


def test_the_examples_audit_the_same_resolved_beside() -> None:
    found = _same_either_way(*(str(p) for p in sorted(EXAMPLES.iterdir()) if p.is_dir()))
    assert found["findings"] and found["resolved"]


def test_components_not_asked_for_are_not_sent_back_and_the_report_is_the_same() -> None:
    locations = [str(p) for p in sorted(EXAMPLES.iterdir()) if p.is_dir()]
    asked = _audited(locations, resolve_beside=True)
    not_asked = _audited(locations, resolve_beside=True, components=False)
    assert asked[0].components and not not_asked[0].components
    found = json.loads(_document(*not_asked))
    assert found == {**json.loads(_document(*asked)), "resolved": []}
    assert found["findings"] and found["observed"]


def _spread_estate(root: Path) -> None:
    """More files than are read in-process, each Deployment's ConfigMap, Secret and claim in
    the next file (read by the other worker), one name missing, one file malformed."""
    root.mkdir()
    files = max(PARALLEL_FROM, 24)
    per_file = RESOLVE_BESIDE_FROM // files + 1
    for f in range(files):
        docs = []
        for i in range(per_file):
            n, ref = f * per_file + i, (f + 1) * per_file + i
            missing = "-gone" if n == 7 else ""
            docs.append(
                f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: app-{n}, "
                f"namespace: shop}}\nspec:\n  template:\n    metadata: {{labels: {{app: a{n}}}}}\n"
                "    spec:\n      containers:\n      - name: app\n        image: postgres:16\n"
                f"        envFrom: [{{configMapRef: {{name: conf-{n}{missing}}}}}]\n"
                f"        env: [{{name: PASSWORD, valueFrom: {{secretKeyRef: {{name: pw-{n}, "
                "key: p}}}]\n        volumeMounts: [{name: d, mountPath: /var/lib/postgresql/data}]\n"
                f"      volumes: [{{name: d, persistentVolumeClaim: {{claimName: data-{n}}}}}]\n"
            )
            docs.append(
                f"apiVersion: v1\nkind: Service\nmetadata: {{name: app-{n}, namespace: shop}}\n"
                f"spec: {{selector: {{app: a{n}}}, ports: [{{port: 5432}}]}}\n"
            )
            docs.append(
                f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: conf-{ref}, namespace: shop}}\n"
                f"data: {{DATABASE_URL: 'postgres://app-{ref - 1}:5432/db'}}\n"
            )
            docs.append(
                f"apiVersion: v1\nkind: Secret\nmetadata: {{name: pw-{ref}, namespace: shop}}\n"
                "stringData: {p: hunter2}\n"
            )
            docs.append(
                "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: "
                f"{{name: data-{ref}, namespace: shop}}\nspec: {{accessModes: [ReadWriteOnce]}}\n"
            )
        (root / f"part-{f:03}.yaml").write_text("---\n".join(docs))
    (root / "part-000.yaml").write_text(  # the first file's own objects, which none refers to
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: conf-0, namespace: shop}\n"
        "---\nkind: [unclosed\n"
    )


def test_references_across_workers_and_a_malformed_file_audit_the_same_beside(
    tmp_path: Path,
) -> None:
    _spread_estate(tmp_path / "estate")
    found = _same_either_way(str(tmp_path / "estate"))
    rules = {f["rule"] for f in found["findings"]}
    assert "MISSING_REFERENCE" in rules  # conf-7-gone, and what part-000 no longer holds
    # a ConfigMap read by the other worker: in the context, and naming the client's server
    assert "postgres://app-" in json.dumps(found["resolved"])
    assert any(verdict["depends_on"] for verdict in found["components"])
    [error] = found["errors"]
    assert re.search(r"/part-000\.yaml:[0-9]+$", error["location"])  # its file and line
    files = max(PARALLEL_FROM, 24)
    assert len(found["resolved"]) == (files - 1) * (RESOLVE_BESIDE_FROM // files + 1)


def test_a_host_whose_ids_the_audit_took_wrongly_is_audited_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_tree(tmp_path / "root")
    (tmp_path / "stateward.yaml").write_text(CONFIG)
    monkeypatch.chdir(tmp_path)
    found = _same_either_way(f"host://{tmp_path / 'root'}")
    # the audit's verdicts name the components by their own ids, which the audit, resolving
    # beside, took otherwise at first: it was done again with them
    assert "host:demo.service" in {c["id"] for c in found["resolved"]}
    assert "host:demo.service" in {v["id"] for v in found["components"]}
    # not asked for, the components still come back for the audit done again
    observation, report = _audited([f"host://{tmp_path / 'root'}"], True, components=False)
    assert "host:demo.service" in {v.id for v in report.components}


def _beside(compute: Callable[[], Any]) -> Any:
    with beside(compute) as result:
        return result()


def test_beside_gives_what_the_child_computed() -> None:
    assert _beside(lambda: (os.getpid(), [1, {"a": 2}]))[1] == [1, {"a": 2}]
    assert _beside(os.getpid) != os.getpid()  # computed in the child


def test_beside_computes_here_when_the_child_dies() -> None:
    parent = os.getpid()

    def dies_in_a_child() -> int:
        if os.getpid() != parent:
            os._exit(9)  # as the OOM killer would end it
        return 42

    assert _beside(dies_in_a_child) == 42


def test_beside_raises_here_what_computing_raises() -> None:
    def broken() -> int:
        raise LookupError("no such object")

    with pytest.raises(LookupError, match="no such object"):
        _beside(broken)


def test_beside_computes_here_what_cannot_be_pickled() -> None:
    parent = os.getpid()
    assert _beside(lambda: (lambda: 1) if os.getpid() != parent else None) is None


def test_a_child_whose_result_is_not_asked_for_is_ended() -> None:
    started = time.monotonic()
    with pytest.raises(KeyError), beside(lambda: time.sleep(60)):
        raise KeyError("the audit failed")
    assert time.monotonic() - started < 30
    assert not multiprocessing.active_children()


def test_what_runs_beside_counts_busy_processes() -> None:
    context = multiprocessing.get_context("fork")
    spinning = [context.Process(target=_spin, daemon=True) for _ in range(2)]
    for process in spinning:
        process.start()
    try:
        seen = max(_running_beside() for _ in range(20))
    finally:
        for process in spinning:
            process.kill()
            process.join()
    assert 2 <= seen < float("inf")


def _spin() -> None:
    while True:
        pass
