"""Named volumes of static files: what ``collectstatic`` or a front end's build puts there comes
again from the images, so the services sharing it hold nothing of their own; a volume whose name
also says data, or an upload folder below ``static``, stays the users' files.

The estates are small synthetic ones shaped like a Django API behind a gateway, not copies of
any held-out estate.
"""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport, Effect
from stateward.analysis.audit.appdata import static_assets
from stateward.analysis.audit.workloads import Mount

from .conftest import Auditor

STATIC = """
volumes:
  pg_data:
  static_volume:
  media_volume:
services:
  db:
    image: postgres:16
    volumes: ["pg_data:/var/lib/postgresql/data"]
  backend:
    image: example/api
    volumes: ["static_volume:/backend_static", "media_volume:/media"]
  api:
    image: example/api
    volumes: ["static_volume:/backend_static"]
  frontend:
    image: example/front
    command: cp -r /app/build/. /frontend_static/
    volumes: ["static_volume:/frontend_static"]
  gateway:
    image: example/gateway
    volumes: ["static_volume:/staticfiles/"]
"""


def _named_volume_effects(report: AuditReport, name: str) -> dict[str, Effect]:
    (component,) = [c for c in report.components if c.name == name]
    return {
        f.message.split(" -> ")[0].split()[-1]: report.effect_of(f)
        for f in report.findings_for(component.id)
        if f.rule == "COMPOSE_NAMED_VOLUME"
    }


def test_a_shared_static_volume_holds_nothing_of_the_services(audit_files: Auditor) -> None:
    report = audit_files(**{"compose.yaml": STATIC})
    by_name = {c.name: c for c in report.components}
    for name in ("api", "frontend", "gateway"):
        assert _named_volume_effects(report, name) == {"static_volume": Effect.CONTEXT}
        assert by_name[name].lifecycle == "ephemeral-safe", by_name[name].explanation
    # Beside it, the uploads volume still keeps the users' files, and the database its records.
    effects = _named_volume_effects(report, "backend")
    assert effects["static_volume"] is Effect.CONTEXT
    assert effects["media_volume"] is not Effect.CONTEXT
    assert by_name["backend"].lifecycle == "persistent"
    assert by_name["db"].lifecycle == "persistent"


@pytest.mark.parametrize(
    ("source", "target", "static"),
    [
        ("static_volume", "/backend_static", True),
        ("static", "/app/staticfiles", True),
        ("frontend-static", "/usr/src/app/static/", True),
        ("bracket_static_data", "/app/static", False),  # its name says data: uploaded logos
        ("static_volume", "/app/static/media", False),  # uploads below static
        ("static_volume", "/app/data", False),  # the folder is not named for static files
        ("app_files", "/app/static", False),  # nor is the volume
        ("statistics", "/app/statistics", False),  # a word that starts so
    ],
)
def test_static_assets_need_the_volume_and_the_folder_named_so(
    source: str, target: str, static: bool
) -> None:
    mount = Mount("c", target, "v", "volume", False, "/x", source)
    assert static_assets(mount) is static


def test_a_bind_named_static_is_not_read_so() -> None:
    """A project folder bound there may be what the project keeps; only named volumes, filled
    from the images, are read as static files."""
    named_so = "./front-static"  # the same source in a named volume would be read as static files
    assert static_assets(Mount("c", "/app/static", "v", "volume", False, "/x", named_so))
    assert not static_assets(Mount("c", "/app/static", "v", "bind", False, "/x", named_so))
