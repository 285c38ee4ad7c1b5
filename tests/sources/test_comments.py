"""Comments are kept beside each object as hints, never in its body or digest."""

from __future__ import annotations

from .conftest import Observer

COMPOSE = """\
services:
  # the web tier
  web:
    image: nginx  # pinned later
    deploy:
      resources:
        limits:
          memory: 500M   # high for the sessionCache
  # Database
  db:
    image: "postgres:16"   # see '#ops' channel
"""


def test_compose_comments_belong_to_their_service(observe_files: Observer) -> None:
    obs = observe_files({"p/compose.yaml": COMPOSE})
    by_name = {r.key.name: r for r in obs.resources}
    assert by_name["web"].comments == (
        ("image: nginx", "pinned later"),
        ("memory: 500M", "high for the sessionCache"),
    )
    assert by_name["db"].comments == (('image: "postgres:16"', "see '#ops' channel"),)
    assert by_name["web"].origin.location.endswith("compose.yaml:3")


VOLUMES = """\
services:
  web: {image: nginx, volumes: ["assets:/srv", "uploads:/data"]}
volumes:
  # Fetched again at start:
  # safe to delete.
  assets:
    labels: {tier: web}  # the front's
  # Users' files
  uploads:
"""


def test_compose_volume_comments_include_the_lines_that_introduce_it(
    observe_files: Observer,
) -> None:
    obs = observe_files({"p/compose.yaml": VOLUMES})
    volumes = {r.key.name: r for r in obs.resources if r.key.kind == "Volume"}
    assert volumes["assets"].comments == (
        ("", "Fetched again at start:"),
        ("", "safe to delete."),
        ("labels: {tier: web}", "the front's"),
    )
    assert volumes["uploads"].comments == (("", "Users' files"),)


def test_comments_never_change_the_digest(observe_files: Observer) -> None:
    plain = observe_files({"a/compose.yaml": "services:\n  web:\n    image: nginx\n"})
    noted = observe_files({"a/compose.yaml": "services:\n  web:\n    image: nginx # hi\n"})
    assert plain.resources[0].digest == noted.resources[0].digest
    assert plain.components[0].context_fingerprint == noted.components[0].context_fingerprint


def test_manifest_comments_per_document_and_none_for_list_items(observe_files: Observer) -> None:
    text = (
        "# Source: chart/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"
        "---\napiVersion: v1\nkind: List\nitems:  # two at once\n"
        "- {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}\n"
        "- {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}\n"
    )
    obs = observe_files({"m.yaml": text})
    by_name = {r.key.name: r.comments for r in obs.resources}
    assert by_name == {"a": (("", "Source: chart/templates/cm.yaml"),), "b": (), "c": ()}


def test_in_process_cache_read_from_a_memory_comment(observe_files: Observer) -> None:
    from stateward.analysis.audit import audit

    report = audit(observe_files({"p/compose.yaml": COMPOSE}))
    hits = [f for f in report.findings if f.rule == "IN_PROCESS_CACHE"]
    assert [f.component for f in hits] == ["compose:p/web"]
    assert "sessionCache" in hits[0].message


LAST_LINES = """\
services:
  app:
    image: example/gallery:1
    volumes:
      - ./cache:/app/cache
      # - ./db:/app/database   # persist the library's database

  # The database
  db:
    image: "postgres:16"
"""


def test_a_services_commented_last_lines_stay_with_it(observe_files: Observer) -> None:
    """The comment lines indented inside a service's block are its own, though they end it;
    those at the services' own depth introduce the next one."""
    obs = observe_files({"p/compose.yaml": LAST_LINES})
    by_name = {r.key.name: r for r in obs.resources}
    assert by_name["app"].comments == (
        ("", "- ./db:/app/database   # persist the library's database"),
    )
    assert by_name["db"].comments == ()
