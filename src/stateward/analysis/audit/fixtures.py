"""Test and development fixtures: a store its author set up to be thrown away.

A finding that claims data lost on replacement is high only where the loss would surprise the
owner. Where the file, the service or the server's own settings say the store exists for tests
or a developer's machine, what it holds is made again by the next test run or seed, and losing
it is what its author chose; the finding is kept, at medium. The signals, each read from the
estate's own files:

- A Compose file named for tests, development or CI (``docker-compose.test.yml``,
  ``compose.dev.yaml``, ``docker-compose.ci.yml``). Compose reads one file by default and others
  on request, "to customize a Compose application for different environments or different
  workflows" (https://docs.docker.com/compose/how-tos/multiple-compose-files/merge/); the
  environment is named in the file's name, as its production example
  (``compose.production.yaml``, https://docs.docker.com/compose/how-tos/production/) is.
- A project run from its checkout: another service binds the project's own directory (``.``)
  and either is built from the project's own files (Compose ``build`` with a local context) or
  runs a development server (:func:`run_from_checkout`): the application runs on a developer's
  machine, and so do the stores beside it. Docker's guide to production asks for the opposite,
  "Removing any volume bindings for application code, so that code stays inside the container
  and can't be changed from outside"
  (https://docs.docker.com/compose/how-tos/production/#modify-your-compose-file-for-production);
  a bind of ``.`` alone is not enough: MediaCMS's Docker installation clones the repository and
  runs ``docker-compose up``, its published image over a bind of the checkout, and the stores
  beside it keep the site's records
  (https://github.com/mediacms-io/mediacms/blob/90b9fad55bc7e93827956b53822a4b520bf999b9/docs/admins_docs.md#3-docker-installation,
  https://github.com/mediacms-io/mediacms/blob/90b9fad55bc7e93827956b53822a4b520bf999b9/docker-compose.yaml).
- A service named for tests (``pgtest``, ``db-test``, ``test_db``): fider's development file
  starts ``pgtest`` beside the ``db`` its server uses
  (https://github.com/getfider/fider/blob/67c52826cca176724a59dd58b9795e1bc8d67bc8/docker-compose.yml).
- A server told not to make its writes durable: PostgreSQL's ``fsync=off`` and
  ``full_page_writes=off``, which its manual lists among the "non-durable settings" for when
  "durability is not required", e.g. tests
  (https://www.postgresql.org/docs/current/non-durability.html: "Turn off fsync; there is no
  need to flush data to disk"), and MongoDB's ``--nojournal``, which gives up its recovery after
  a crash (https://www.mongodb.com/docs/v4.4/reference/program/mongod/#std-option-mongod.--nojournal).

A data directory on a tmpfs is not taken as a signal on its own: programs that must never write
their users' data to disk put it there on purpose in production (cryptgeon keeps its encrypted
notes in a Redis on a tmpfs, https://github.com/cupcakearmy/cryptgeon), and its table rates that
``data``; DATA_ON_EPHEMERAL says the tmpfs is lost, at high.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.workloads import Workload

__all__ = ["TEST_NAME", "fixture_reason", "run_from_checkout"]

# A service name marking it for tests: ``pgtest``, ``s3test``, ``db-test``, ``test_db``.
TEST_NAME = re.compile(r"tests?$|^tests?[-_.]|[-_.]tests?[-_.]", re.IGNORECASE)

# Words of a Compose file's name that name the environment it is for.
_FIXTURE_FILE_WORDS = frozenset(
    {"test", "tests", "testing", "dev", "develop", "development", "ci", "e2e"}
)
_WORD = re.compile(r"[^a-z0-9]+")

# Settings that give up durability (module docstring), as words of the command line:
# ``-c fsync=off``, ``--fsync=off``, ``--nojournal``.
_NOT_DURABLE = re.compile(
    r"^(?:-c)?(?:--)?(?:fsync|full_page_writes)=(?:off|false|0)$|^--nojournal$", re.IGNORECASE
)


def fixture_reason(workload: Workload, estate: Estate) -> str:
    """Why ``workload`` is a test or development fixture ('' when nothing says so)."""
    if workload.platform == "compose" and (name := _fixture_file(workload)):
        return f"started from {name}, a Compose file for tests or development"
    if workload.platform == "compose" and TEST_NAME.search(workload.name):
        return f"a service named for tests ({workload.name})"
    if run_from_checkout(workload, estate):
        return (
            "a service of a project run from its checkout (another, built from the project or"
            " serving for development, binds `.`): a developer's stack"
        )
    flags = [w for c in workload.containers for w in c.command if _NOT_DURABLE.match(w)]
    if flags:
        return f"told not to make its writes durable ({', '.join(dict.fromkeys(flags))}): test settings"
    return ""


_CHECKOUT = frozenset({".", "./"})

# A build context that is a Git repository's URL, not a folder of the project ("either a path to
# a directory containing a Dockerfile, or a URL to a git repository",
# https://docs.docker.com/reference/compose-file/build/#context).
_REMOTE = re.compile(r"^[a-z][a-z0-9+.-]*://|^git@", re.IGNORECASE)

# Servers their own documentation keeps to development: Django's ``runserver`` ("DO NOT USE
# THIS SERVER IN A PRODUCTION SETTING",
# https://docs.djangoproject.com/en/5.1/ref/django-admin/#runserver); ``flask run --debug``
# (https://flask.palletsprojects.com/en/3.0.x/cli/#debug-mode; "Do not use the development
# server when deploying to production", https://flask.palletsprojects.com/en/3.0.x/deploying/);
# Laravel's ``php artisan serve``, its "local development server"
# (https://laravel.com/docs/11.x/installation); a server restarted on every change of its
# source, ``--reload`` (Uvicorn's "Development" settings, https://www.uvicorn.org/settings/;
# Gunicorn's "This setting is intended for development",
# https://docs.gunicorn.org/en/stable/settings.html#reload) or ``nodemon``
# (https://github.com/remy/nodemon#nodemon); the ``dev`` script of a Node project, Vite's dev
# server in a scaffolded project (https://vite.dev/guide/#scaffolding-your-first-vite-project).
_DEV_SERVER = re.compile(
    r"\brunserver\b|\bflask\b(?=.*\brun\b)(?=.*--debug\b)|\bartisan\s+serve\b|(^|\s)--reload\b"
    r"|\bnodemon\b|\b(npm|pnpm|yarn)\s+(run\s+)?dev\b"
)


def run_from_checkout(workload: Workload, estate: Estate) -> bool:
    """Another service of ``workload``'s Compose project runs the project's checkout: it binds
    the project's own directory and is built from the project's files or runs a development
    server (Laravel Sail binds ``.`` at ``/var/www/html`` into the image it builds from
    ``vendor/laravel/sail``, :mod:`~stateward.analysis.audit.dev_stacks`)."""
    if workload.platform != "compose":
        return False
    return any(
        other.id != workload.id and _runs_checkout(other)
        for other in estate.compose_project(workload.namespace)
    )


def _runs_checkout(service: Workload) -> bool:
    if not any(m.kind == "bind" and m.source in _CHECKOUT for m in service.mounts):
        return False
    return _built_here(service) or any(
        _DEV_SERVER.search(" ".join(c.command)) for c in service.containers
    )


def _built_here(service: Workload) -> bool:
    """The service is built from a folder of the project (Compose ``build``; its context
    "defaults to project directory (``.``)" when not set,
    https://docs.docker.com/reference/compose-file/build/#context)."""
    build = service.body.get("build")
    context = build.get("context", ".") if isinstance(build, dict) else build
    return isinstance(context, str) and bool(context) and not _REMOTE.match(context)


def _fixture_file(workload: Workload) -> str:
    """The base name of the Compose file the service was read from, when it names tests,
    development or CI ('' otherwise)."""
    location = workload.resource.origin.location
    name = PurePosixPath(location.rsplit(":", 1)[0] if ":" in location else location).name
    stem = name.lower().removesuffix(".yml").removesuffix(".yaml")
    return name if _FIXTURE_FILE_WORDS.intersection(_WORD.split(stem)) else ""
