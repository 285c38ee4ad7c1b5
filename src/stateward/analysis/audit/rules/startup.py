"""What a component does before it serves: seeding data, fetching code or models.

An init container that writes into a volume the main containers also mount seeds them; one that
only waits for a dependency (``until nc -z kafka 9092``) has no shared writable volume and is not
a state finding. A script mounted into ``/docker-entrypoint-initdb.d`` seeds the official
database images on first start (postgres/mysql/mariadb/mongo image docs).

A one-shot step that migrates a schema (``migrate``, ``kong migrations up``, ``rails
db:migrate``) holds nothing of its own: it changes the database it reaches, which keeps the
result, and a replacement runs it again to the same end (migration tools record what they
applied in the database itself: Django's ``django_migrations`` table,
https://docs.djangoproject.com/en/5.1/topics/migrations/; Rails' ``schema_migrations``,
https://guides.rubyonrails.org/active_record_migrations.html). Its finding is context; a job
that seeds, imports or restores data (as well) stays a warm-up, the data it puts in being its
purpose.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stateward.analysis.audit.appdata import configuration
from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.interface import Effect, Hit, detector
from stateward.analysis.audit.knowledge import celery_beat
from stateward.analysis.audit.shared_settings import handed_to_a_store
from stateward.analysis.audit.steps import one_shot, runs_to_completion
from stateward.analysis.audit.workloads import Container, Workload
from stateward.model.finding import Severity
from stateward.model.kubernetes import as_list

__all__: list[str] = []

_INITDB = "/docker-entrypoint-initdb.d"
_SEED_NAME = re.compile(
    r"(seed|migrat|import|restore|populate|fixture|initdb|init-db|load-data)", re.IGNORECASE
)
_MIGRATION = re.compile(r"migrat", re.IGNORECASE)
_SEEDING = re.compile(r"(seed|import|restore|populate|fixture|load-data)", re.IGNORECASE)
_FETCH = re.compile(
    r"\b(git\s+clone|(npm|yarn|pnpm|bundle|composer)\s+(install|ci)|pip3?\s+install|"
    r"apt-get\s+install|apk\s+add|go\s+mod\s+download|huggingface-cli\s+download|"
    r"aws\s+s3\s+(cp|sync)|gsutil\s+(-m\s+)?cp|"
    r"curl\b[^;&|]*\s(-o|-O|--output|--remote-name)\b|curl\b[^;&]*\|\s*(tar|sh|bash)\b|"
    r"wget\b(?![^;&|]*(--spider|\s-q?O\s?-(\s|$)))[^;&|]*https?://)",
    re.IGNORECASE,
)
# A distribution's package manager installing tools for the command (``apk add curl``,
# ``apt-get install tzdata``): the packages come from the distribution's repository, the same on
# every start and every host (Alpine's apk, https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper;
# Debian's apt-get, https://manpages.debian.org/bookworm/apt/apt-get.8.en.html), so a replacement
# loses nothing the component made: its finding is context, not a warm-up (a cron container
# installing curl to call its application's endpoints holds none of its own). Code or models
# fetched beside them (git clone, npm install, a model hub) keep the warm-up.
_PACKAGES = re.compile(r"(apt-get\s+install|apk\s+add)$", re.IGNORECASE)
_TOOLS = "; distribution packages for its command, installed again at each start: none of its own"
_STEP_AGAIN = "; a one-shot step the project waits for, run again to the same end"
_HUB_VARIABLES = frozenset({"HUGGING_FACE_HUB_TOKEN", "HF_TOKEN", "HF_MODEL_ID"})
_MODEL_ID = re.compile(r"^[\w.-]+/[\w.-]+$")
# A client of a model served over HTTP is given the API's base URL beside the model's name
# (the OpenAI client's ``OPENAI_BASE_URL``, https://github.com/openai/openai-python#configuring-the-http-client;
# ``OPENAI_API_BASE`` in LangChain's and older clients; a provider's own, SiliconFlow's
# ``…/v1``): the model runs where that URL points, and names no weights this container loads.
_API_BASE = re.compile(r"(?:BASE_URL|API_BASE|BASE_URI)$", re.IGNORECASE)
_HTTP = re.compile(r"^https?://(?!(?:localhost|127\.0\.0\.1)[:/])", re.IGNORECASE)


# Commands of an init container that only prepares a volume, without putting data in it.
_HOUSEKEEPING = frozenset(
    {"chown", "chmod", "chgrp", "mkdir", "sysctl", "ulimit", "sleep", "until", "while", "do",
     "done", "nc", "true", "test", "[", "ls", "id", "echo", "set", "rm", "touch", "exit"}
)  # fmt: skip
_SEGMENTS = re.compile(r"&&|\|\||;|\||\n")
_SHELLS = frozenset({"sh", "bash", "ash", "-c", "-ec", "-e", "-ex", "/bin/sh", "/bin/bash"})


def _housekeeping_only(words: list[str]) -> bool:
    """True when every command of a shell line is permission fixing or waiting."""
    text = " ".join(w for w in words if w not in _SHELLS)
    verbs = [seg.split()[0] for seg in _SEGMENTS.split(text) if seg.split()]
    return bool(verbs) and all(v.rsplit("/", 1)[-1] in _HOUSEKEEPING for v in verbs)


def seeded_by(workload: Workload, volume: str) -> str:
    """The init container that writes the pod volume ``volume`` before the app starts, at every
    start of the pod ('' for none, or one that only fixes permissions or waits)."""
    return next(
        (
            c.name
            for c in workload.init_containers
            if not _housekeeping_only(c.command)
            and any(m.volume == volume and m.writable_store for m in workload.mounts_of(c))
        ),
        "",
    )


@detector("INIT_SEED", Severity.LOW, Effect.WARM_UP)
def init_seed(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """An init container (or entrypoint script) writes data into a volume the app uses.

    Into the app's configuration paths only, it writes settings; for a Job's run, what that run
    uses; into emptyDirs, a copy of the pod's ConfigMaps and image: all context."""
    used = {m.volume for c in workload.containers for m in workload.mounts_of(c)}
    for container in workload.init_containers:
        if _housekeeping_only(container.command):
            continue
        shared = sorted(
            {m.volume for m in workload.mounts_of(container) if m.writable_store} & used
        )
        if shared:
            note = (
                _WRITES_SETTINGS if _configuration_only(workload, shared)
                else _RUN_AGAIN if runs_to_completion(workload)
                else _COPIED if _copies_the_spec(workload, container, shared)
                else ""
            )  # fmt: skip
            yield Hit(
                container.path,
                f"init {container.name!r} writes {', '.join(shared)} before the app starts{note}",
                effect=Effect.CONTEXT if note else None,
            )
    for mount in workload.mounts:
        if mount.target.rstrip("/").startswith(_INITDB):
            yield Hit(
                mount.path,
                f"{mount.source or mount.volume} runs as a first-start "
                f"seed script ({mount.target})",
            )


# Configuration an init container writes where the program reads its settings (``/etc``, a
# single settings file: :func:`~stateward.analysis.audit.appdata.configuration`) is made again
# from the pod's own spec at every start (kube-router's ``install-cni`` copying its ConfigMap's
# CNI list into ``/etc/cni/net.d``): settings, not data the step puts in.
_WRITES_SETTINGS = "; configuration where the app reads it, written again at each start"


# A Job's pods run to completion (:func:`~stateward.analysis.audit.steps.runs_to_completion`):
# what its init container prepares serves that run, and a new run prepares it again; what the
# run makes is kept wherever the job writes it (the SEED_JOB reading, below).
_RUN_AGAIN = "; for a run to completion, prepared again by the next run"


# An init container that fetches nothing and reads only the pod's projected volumes
# (ConfigMaps, Secrets) and its own image copies them into the pod's emptyDirs: a new pod's init
# makes the same copy before any other container starts
# (https://kubernetes.io/docs/concepts/workloads/pods/init-containers/#detailed-behavior), as
# the FoundationDB client's init copies the cluster file from its ConfigMap and a client
# library from its image.
_COPIED = "; copied from the pod's ConfigMaps, Secrets and image, again at each start"


def _copies_the_spec(workload: Workload, init: Container, shared: list[str]) -> bool:
    mounts = workload.mounts_of(init)
    return (
        not _FETCH.search(" ".join(init.command))
        and all(m.kind == "emptyDir" for m in mounts if m.volume in shared)
        and all(m.read_only or not m.writable_store for m in mounts if m.volume not in shared)
    )


def _configuration_only(workload: Workload, volumes: list[str]) -> bool:
    mounts = [m for m in workload.mounts if m.volume in volumes]
    return bool(mounts) and all(configuration(m.target) for m in mounts)


@detector("SEED_JOB", Severity.LOW, Effect.CONTEXT)
def seed_job(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """A separate one-shot job or service that seeds data (``seed``, ``migrate``, ``import``).

    The step holds none of what it puts in: the database it writes to, or the volume of the
    service it prepares, keeps it, and a replaced step loses nothing (the voting app's ``seed``
    posting votes, Pelias' ``csv-importer``, mc-backup's ``restore-tar-backup`` filling the
    server's folder). The finding says that the estate's data is made by a step."""
    if workload.platform == "compose":
        one_shot = str(workload.body.get("restart", "no")) == "no"
        names = [workload.name, *map(str, as_list(workload.body.get("profiles")))]
        if one_shot and any(_SEED_NAME.search(n) for n in names):
            what = _migration(workload, names) or _SEEDED
            yield Hit("/restart", f"one-shot service {workload.name!r} (restart: no){what}")
    elif workload.kind in ("Job", "CronJob") and _SEED_NAME.search(workload.name):
        what = _migration(workload, [workload.name]) or _SEEDED
        yield Hit("/kind", f"{workload.kind} {workload.name!r} seeds or migrates data{what}")


_SEEDED = "; what it puts in is kept where it writes it"


def _migration(workload: Workload, names: list[str]) -> str:
    """A note when the step migrates a schema, by its name, its command or the action its
    variables pick ('' when not)."""
    words = [*names, *(w for c in workload.containers for w in c.command)]
    picked = any(_migrating_action(k, v) for c in workload.containers for k, v in c.env.items())
    migrates = picked or any(_MIGRATION.search(w) for w in words)
    if migrates and not any(_SEEDING.search(w) for w in words):
        return "; a schema migration: the database keeps what it changes"
    return ""


# A variable naming the step's action (``ACTION=update``, ``DB_COMMAND=migrate``) whose value is
# a migration tool's command that applies the changes not yet applied: Liquibase ``update``
# ("deploys any changes that are in the changelog file and that have not been deployed to your
# database yet", https://docs.liquibase.com/commands/update/update.html), Flyway ``migrate``
# (https://documentation.red-gate.com/fd/migrate-277578851.html), Alembic ``upgrade``
# (https://alembic.sqlalchemy.org/en/latest/tutorial.html#running-our-first-migration).
_ACTION_WORDS = frozenset({"ACTION", "COMMAND", "CMD", "TASK", "MODE"})
_MIGRATING = frozenset({"update", "migrate", "upgrade"})


def _migrating_action(name: str, value: str) -> bool:
    return name.upper().rsplit("_", 1)[-1] in _ACTION_WORDS and value.strip().lower() in _MIGRATING


def _served_model_api(container: Container) -> bool:
    """The container is given the base URL of a model API on another host (:data:`_API_BASE`)."""
    return any(_API_BASE.search(k) and _HTTP.match(v.strip()) for k, v in container.env.items())


@detector(
    "STARTUP_FETCH",
    Severity.MEDIUM,
    Effect.WARM_UP,
    remedy="Bake what is fetched into the image, or cache it on a volume.",
)
def startup_fetch(workload: Workload, estate: Estate) -> Iterator[Hit]:
    """The main container downloads code or models at start (git clone, npm install, model hub).

    A one-shot step the project waits for (:mod:`..steps`) fetches as its purpose and keeps
    nothing itself: run again, it fetches again, a model as well as code; its finding is
    context. A model variable a data system's container carries too came from a file the
    project hands every service (:mod:`..shared_settings`): it names no model this one loads."""
    step = one_shot(workload, estate)
    for container in workload.containers:
        words = " ".join(container.command)
        fetches = [m.group(0) for m in _FETCH.finditer(words)]
        if fetches:
            text = f"{container.name!r} runs {fetches[0]!r}"
            tools = all(_PACKAGES.match(f) for f in fetches)
            if step:
                text += _STEP_AGAIN
            elif tools:
                text += _TOOLS
            yield Hit(
                container.path or "/command",
                text,
                effect=Effect.CONTEXT if step or tools else None,
                severity=Severity.LOW if step or tools else None,
            )
            continue
        hub = sorted(_HUB_VARIABLES & container.env_names)
        models = [
            f"{k}={v}"
            for k, v in container.env.items()
            if "MODEL" in k.upper()
            and _MODEL_ID.match(v)
            and not handed_to_a_store(workload, estate, k, v)
        ]
        if not hub and _served_model_api(container):
            models = []
        if (hub or models) and not celery_beat((workload.name, *container.command[:4])):
            text = (
                f"{container.name!r} loads a model from a hub at start ({', '.join(models + hub)})"
            )
            yield Hit(
                container.path or "/environment",
                text + (_STEP_AGAIN if step else ""),
                effect=Effect.CONTEXT if step else None,
                severity=Severity.LOW if step else None,
            )
