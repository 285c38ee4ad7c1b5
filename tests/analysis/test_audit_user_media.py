"""A writable folder named as a user's own files are (the XDG user directories: music, videos)
holds what the program was given or recorded: data; a read-only library is only read."""

from __future__ import annotations

from stateward.analysis.audit import Effect

from .conftest import Auditor

COMPOSE = """
services:
  recorder:
    image: example/recorder:1
    volumes: ["/tmp/videos:/videos"]
  worker:
    image: example/recorder:1
    volumes: ["/tmp/work:/work"]
  player:
    image: example/player:1
    volumes: ["/srv/music:/music:ro"]
  transcoder:
    image: example/transcoder:1
    volumes: ["/srv/work:/videos-cache"]
"""


def test_a_writable_videos_folder_holds_data(audit_files: Auditor) -> None:
    report = audit_files(**{"compose.yaml": COMPOSE})
    effects = {
        c.name: {report.effect_of(f) for f in report.findings_for(c.id) if f.rule == "COMPOSE_BIND"}
        for c in report.components
    }
    # A host folder under /tmp is scratch by its name, unless what is mounted is named for data.
    assert effects["recorder"] == {Effect.DURABLE}
    assert effects["worker"] == {Effect.CONTEXT}
    assert effects["player"] == {Effect.CONTEXT}  # a library it only reads
    assert Effect.DURABLE not in effects["transcoder"]  # a cache, whatever it caches
    lifecycle = {c.name: str(c.lifecycle) for c in report.components}
    assert lifecycle["recorder"] == "persistent"
    assert lifecycle["player"] == "ephemeral-safe"
