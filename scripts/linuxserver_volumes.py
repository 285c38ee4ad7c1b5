"""Write the audit's list of the volumes each LinuxServer.io image documents.

LinuxServer.io documents every image it publishes on one page generated from the image's own
``readme-vars.yml``, with a "Volume Mappings (``-v``)" table of the container paths it asks to be
mounted (https://docs.linuxserver.io/general/running-our-containers/; the pages are the
``docs/images/docker-<name>.md`` files of ``linuxserver/docker-documentation``). Most images
list ``/config``, where the fleet's convention keeps the application's state; a few list
nothing (a signalling server, a base image, a tool run once: a page with no such table) or other
paths.

Usage::

    python scripts/linuxserver_volumes.py GITDIR \\
        > src/stateward/analysis/audit/linuxserver_volumes.json

``GITDIR`` is a git directory of ``linuxserver/docker-documentation``; its ``HEAD`` is read and
recorded as the source.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

_REPOSITORY = "linuxserver/docker-documentation"
_PAGE = re.compile(r"^docs/images/docker-(?P<name>[a-z0-9_.-]+)\.md$")
# The table's rows: ``| `/config` | Persistent config files |``.
_ROW = re.compile(r"^\|\s*`(?P<path>/[^`]*)`\s*\|")


def git(gitdir: str, *args: str) -> str:
    """One git command's output in ``gitdir``."""
    return subprocess.run(
        ["git", "--git-dir", gitdir, *args], capture_output=True, text=True, check=True
    ).stdout


def volumes(page: str) -> list[str]:
    """The container paths of a page's "Volume Mappings" table; none when the page has no such
    table (a base image, a tool run once: no parameters are documented)."""
    lines = page.splitlines()
    start = next(
        (i for i, line in enumerate(lines) if line.startswith("### Volume Mappings")), None
    )
    if start is None:
        return []
    found = []
    for line in lines[start + 1 :]:
        if line.startswith("#"):
            break
        if match := _ROW.match(line):
            found.append(match.group("path").split(":", 1)[0])
    return found


def main() -> int:
    gitdir = sys.argv[1]
    commit = git(gitdir, "rev-parse", "HEAD").strip()
    images: dict[str, list[str]] = {}
    for path in git(gitdir, "ls-tree", "--name-only", "HEAD", "docs/images/").split():
        if (page := _PAGE.match(path)) is None:
            continue
        images[f"linuxserver/{page.group('name')}"] = sorted(
            volumes(git(gitdir, "show", f"HEAD:{path}"))
        )
    json.dump(
        {"source": f"{_REPOSITORY}@{commit}:docs/images", "images": images},
        sys.stdout,
        indent=0,
        sort_keys=True,
    )
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
