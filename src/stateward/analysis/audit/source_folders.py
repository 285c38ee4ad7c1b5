"""Whose a project folder shared by several Compose services is when it lies in one's sources.

A service built from a folder of the project (Compose ``build.context``: "either a path to a
directory containing a Dockerfile, or a URL to a git repository", resolved from the Compose
file's directory, https://docs.docker.com/reference/compose-file/build/#context) has its
program's sources there; a host folder bound from inside that folder
(``./packages/backend/uploads`` beside ``build: packages/backend``) is where that program keeps
what it writes, and another service binding it too (a web server serving the uploads) reads
or serves that program's files. Wafrn's backend writes its uploads to
``./packages/backend/uploads``, which its Caddy front binds to serve them
(https://github.com/gabboman/wafrn/blob/cb4e7fdfadc0beb438c74faf6e78a58d6979effc/docker-compose.simple.yml:
the backend built from ``packages/backend`` binds it at ``/wafrn/uploads``, the frontend at
``/var/www/html/uploads``). A context of the whole project (``.``) says nothing: every project folder
is in it.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Sequence

from stateward.analysis.audit.workloads import Mount, Workload

__all__ = ["source_keeper"]


def _context(workload: Workload) -> str:
    """The service's build context as a normalized project-relative folder ('' for none, the
    whole project, a URL or a folder outside the project)."""
    if workload.platform != "compose":
        return ""
    build = workload.body.get("build")
    context = build.get("context") if isinstance(build, dict) else build
    if not isinstance(context, str) or "://" in context or context.startswith(("/", "git@")):
        return ""
    folder = posixpath.normpath(context)
    return "" if folder == "." or folder.startswith("..") else folder


def _inside(folder: str, mount: Mount) -> bool:
    if mount.kind != "bind" or not folder:
        return False
    source = mount.source
    if source.startswith("/") or not source.startswith("."):
        return False
    return posixpath.normpath(source).startswith(folder + "/")


def source_keeper(
    writers: Sequence[Workload], mount: Mount, same_image: Callable[[Workload, Workload], bool]
) -> Workload | None:
    """The writer whose build context holds the bound folder, when every writer whose context
    holds it runs one image (None when none does or several programs' sources do)."""
    holders = [w for w in writers if _inside(_context(w), mount)]
    if not holders or not all(same_image(holders[0], w) for w in holders[1:]):
        return None
    return holders[0]
