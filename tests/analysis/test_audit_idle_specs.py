"""A custom resource whose spec runs only idle programs writes nothing to the claims it mounts
(KubeVela's ``webservice`` with ``cmd: [sleep, "1000"]`` and a ``pvc`` volume), while one
running the image's own program, or one whose operator runs an image of its own, still holds
data on them."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Effect
from stateward.analysis.audit.idle_specs import idle_spec

from .conftest import Auditor, effect_of_one
from .conftest import custom_resource as _cr

API = "core.things.example.com/v1beta1"


def _app(command: str) -> str:
    return _cr(
        API,
        "Application",
        f"""\
spec:
  components:
    - name: web
      type: webservice
      properties:
        image: busybox
        {command}
        volumes: [{{name: data, mountPath: /srv}}]
      traits:
        - type: volumes
          properties:
            volumes: [{{name: data, type: pvc, claimName: myclaim}}]
""",
    )


@pytest.mark.parametrize(
    "command",
    ["cmd: [sleep, '1000']", "cmd: [sh, -c, 'sleep 3600']", "args: [tail, -f, /dev/null]"],
)
def test_a_spec_running_only_idle_programs_keeps_nothing_on_its_claims(
    audit_files: Auditor, command: str
) -> None:
    report = audit_files(**{"cr.yaml": _app(command)})
    assert effect_of_one(report, "CUSTOM_RESOURCE_STORAGE", "myclaim") is Effect.CONTEXT


@pytest.mark.parametrize(
    "command",
    ["", "cmd: [./server, --data, /srv]", "cmd: [sh, -c, 'sleep 5; ./server']"],
)
def test_a_spec_running_a_program_still_holds_data_on_its_claims(
    audit_files: Auditor, command: str
) -> None:
    report = audit_files(**{"cr.yaml": _app(command)})
    assert effect_of_one(report, "CUSTOM_RESOURCE_STORAGE", "myclaim") is Effect.DURABLE


def test_an_image_the_operator_runs_is_not_idle_beside_idle_sidecars() -> None:
    # NiFiKop's cluster: its log sidecars tail files beside the clusterImage it runs.
    sidecars = {"sidecarConfigs": [{"image": "busybox", "args": ["tail", "-F", "/var/log/a"]}]}
    assert idle_spec(sidecars)
    assert idle_spec({"clusterImage": "apache/nifi:1.28", **sidecars}) == ""
