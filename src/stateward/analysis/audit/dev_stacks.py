"""A mail catcher in a Compose project run from its checkout: what it holds is test mail.

A mail catcher (Mailpit, MailHog, MailDev) accepts any message sent to it and shows it in a web
page; kept in memory it loses them on replacement (:func:`~.knowledge.memory_by_default`). Where
the project binds its own directory (``.``) into a service built from its files or running a
development server (:func:`~stateward.analysis.audit.fixtures.run_from_checkout`), the
application runs from the checkout on the developer's machine: Laravel Sail's generated project
builds its image from ``vendor/laravel/sail/runtimes`` and binds ``.`` at ``/var/www/html``
(https://github.com/laravel/sail/blob/b78093b02c328d82e27cdacfb20568c49cd980c4/stubs/docker-compose.stub)
and adds Mailpit "to intercept emails sent by your application during local development"
(https://laravel.com/docs/11.x/sail#previewing-emails,
https://github.com/laravel/sail/blob/4f230634a3163f3442def6a4e6ffdb02b02e14d6/stubs/mailpit.stub).
There the catcher holds copies of mails a developer's test runs sent, which no one needs back
after a replacement. A project deployed from published images (Saleor's platform, a Kubernetes
estate) may keep the mails its users are shown, so it is left to the in-memory rule, unless
the estate serves its application at addresses on ``.test``, the top-level domain reserved for
testing, which no public resolver answers (RFC 2606 section 2,
https://www.rfc-editor.org/rfc/rfc2606#section-2; RFC 6761 section 6.2): its users are its
testers, and the mails caught are theirs. Hanko's Kubernetes quickstart serves its frontends at
``https://hanko.quickstart.test`` and catches the passcodes Hanko mails in MailHog
(https://github.com/teamhanko/hanko/tree/f742d49643b2c3c7f13c7e13a49225771e4d793f/deploy/k8s).
So is a Compose project one service of which is given its framework's debug switch on
(``DEBUG``, ``DEBUG_MODE``, ``APP_DEBUG`` set true): each framework's own documentation says the
switch is for development and must be off in production (Django: "Never deploy a site into
production with DEBUG turned on", https://docs.djangoproject.com/en/5.1/ref/settings/#debug;
Laravel: "In your production environment, this value should always be false",
https://laravel.com/docs/11.x/configuration#debug-mode). Karrio reads ``DEBUG_MODE`` into
Django's ``DEBUG`` ("don't run with debug turned on in production!",
https://github.com/karrioapi/karrio/blob/03d6dc076c7ceababf0689d3555b01073909dec0/apps/api/karrio/server/settings/base.py),
and its Compose file sets it beside MailDev. The switch is read only where the file gives it a
value: a commented-out line or an unset variable says nothing. So, last, is a catcher the
project's own comments name as the development choice (readest's client, ``# Mail (dev:
Mailpit; prod: set RESEND_API_KEY)``, beside its ``SMTP_HOST: mailpit``,
https://github.com/0xzdhl/readest/blob/2d44ab70832d5e926e0966fabe9e9e1cf6d4992d/docker/compose.yaml): its author says the
deployment that matters sends mail elsewhere.

So is a Compose project of backing services only, every service a published image of a data
system or a mail catcher, none built and none an application: the file starts what a program
run on the developer's host talks to. Fider's development file starts MailHog, the PostgreSQL
the development server uses, a second PostgreSQL and a MinIO for the tests, while the server
itself runs on the host (``make watch``;
https://github.com/getfider/fider/blob/67c52826cca176724a59dd58b9795e1bc8d67bc8/docker-compose.yml).
There, a store whose service name marks it for tests (``pgtest``, ``s3test``, ``db-test``)
holds what test runs write and throw away: fixtures, no records. A name is the only signal:
Laravel Sail's application is called ``laravel.test``, which is why the name counts only
where no service is an application.

A database server such a project starts that no service is configured to use holds none of its
records. A developer's Compose file often offers every backend the program supports, each to
try by uncommenting its connection URL: Shiori's development file starts PostgreSQL, MariaDB
and MySQL beside the server, whose ``SHIORI_DATABASE_URL`` lines naming them are commented out,
so it keeps its SQLite database in ``SHIORI_DIR`` ("Docker compose for development purposes
only";
https://github.com/go-shiori/shiori/blob/585ea341aa59219b0477f991eadb545d24e3a121/docker-compose.yaml).
A server counts as unused when no service's variables, command or bound configuration files
name it, and either nothing names it at all or a commented-out line of a service does (the
connection left to uncomment); ``links`` and ``depends_on`` only order the start and give a
network alias (https://docs.docker.com/reference/compose-file/services/#links), they say
nothing of what the program connects to. So a server named only in the order of clients each
configured to reach a database server of another engine is unused too: the program is set to
the other driver. Koillection's development file starts PostgreSQL and MySQL, and the
application, which ``depends_on`` both, is set to ``DB_DRIVER=pdo_pgsql`` and
``DB_HOST=postgresql`` ("This docker-compose file is provided for dev purposes";
https://github.com/benjaminjonard/koillection/blob/0b2334a6962e98e81adf9dbf75e80b2166be0884/docker-compose.dist.yml).
A second server of the same engine may hold a second database the program reaches by a file
the audit does not read, so it is left as used.
"""

from __future__ import annotations

import re

from stateward.analysis.audit.dependencies import edges_of, hosts_in, resolve_host
from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.fixtures import TEST_NAME, run_from_checkout
from stateward.analysis.audit.knowledge import data_image
from stateward.analysis.audit.mail_catchers import mail_catcher
from stateward.analysis.audit.workloads import Workload

__all__ = ["catches_dev_mail", "test_store", "unused_dev_database"]


def catches_dev_mail(workload: Workload, estate: Estate) -> bool:
    """Whether ``workload`` is a mail catcher of a Compose project another service of which
    runs the project's checkout (:func:`~stateward.analysis.audit.fixtures.run_from_checkout`),
    or of an estate served on ``.test``."""
    if not mail_catcher(workload):
        return False
    if _served_for_tests(workload, estate):
        return True
    if workload.platform != "compose":
        return False
    if _debugging(workload, estate) or _called_for_development(workload, estate):
        return True
    return run_from_checkout(workload, estate) or _backing_only(workload, estate)


# A comment that says what it names is for development: ``dev: Mailpit``, ``dev-only SMTP
# catcher``, ``for local development`` (module docstring).
_DEVELOPMENT = re.compile(r"\b(dev|development|dev-only|testing)\b", re.IGNORECASE)


def _called_for_development(workload: Workload, estate: Estate) -> bool:
    """A comment beside a service of the catcher's Compose project names the catcher (by its
    service or its program) as the development choice."""
    names = {workload.name.lower(), mail_catcher(workload).lower()} - {""}
    return any(
        _DEVELOPMENT.search(comment) and any(n in comment.lower() for n in names)
        for other in estate.compose_project(workload.namespace)
        for _, comment in other.resource.comments
    )


# A framework's debug switch (module docstring) and the values that turn it on.
_DEBUG_SWITCHES = frozenset({"DEBUG", "DEBUG_MODE", "APP_DEBUG"})
_ON = frozenset({"true", "1", "yes", "on"})


def _debugging(workload: Workload, estate: Estate) -> bool:
    """Another service of the catcher's Compose project runs with its debug switch on."""
    return any(
        value.strip().strip("'\"").lower() in _ON
        for other in estate.compose_project(workload.namespace)
        if other is not workload
        for container in other.containers
        for name, value in container.env.items()
        if name.upper() in _DEBUG_SWITCHES
    )


# An address on the reserved testing domain: ``https://app.quickstart.test``, ``http://x.test:8080/``.
_TEST_DOMAIN = re.compile(r"://(?:[^/@\s]*@)?[A-Za-z0-9.-]+\.test(?::\d+)?(?:/|$)", re.IGNORECASE)


def _served_for_tests(workload: Workload, estate: Estate) -> bool:
    """A workload of the catcher's Compose project (of the estate, on Kubernetes, where the
    application and its catcher often sit in namespaces of their own) is given an address on
    ``.test``."""
    if workload.platform == "compose":
        others = estate.compose_project(workload.namespace)
    else:
        others = [w for w in estate.workloads if w.platform == workload.platform]
    return any(
        _TEST_DOMAIN.search(value)
        for other in others
        for container in other.containers
        for value in container.env.values()
    )


def test_store(workload: Workload, estate: Estate) -> str:
    """Why a store of a project of backing services only holds test fixtures: its name marks it
    for tests ('' otherwise)."""
    if workload.platform != "compose" or not TEST_NAME.search(workload.name):
        return ""
    if not _backing_only(workload, estate):
        return ""
    return "a store named for tests in a file of backing services only: test fixtures"


def _backing_only(workload: Workload, estate: Estate) -> bool:
    """Every service of ``workload``'s project runs a published image of a data system or a
    mail catcher, and one at least a data system: the program they serve runs elsewhere (on the
    developer's host). A catcher alone says nothing of where its mail comes from."""
    if workload.platform != "compose":
        return False
    project = estate.compose_project(workload.namespace)
    kinds = [_backing(other) for other in project]
    return all(kinds) and "store" in kinds


def _backing(service: Workload) -> str:
    """``store`` or ``catcher`` for a service running a published image of one, '' otherwise."""
    if "build" in service.body or not service.containers:
        return ""
    if mail_catcher(service):
        return "catcher"
    return "store" if all(data_image(c.image) is not None for c in service.containers) else ""


# Where an edge was read from a service's declared order, not from what it is configured with.
_DECLARED = ("depends_on ", "links ")


def unused_dev_database(workload: Workload, estate: Estate, *, kept: bool = False) -> str:
    """Why a database server of a project run from its checkout holds none of its records: no
    service is configured to reach it ('' when one may be, or the project is no such stack).

    ``kept``: the server's data directory is on a volume or bind, which the project gave it to
    keep what it writes: then only a sign that its clients use another server counts (a
    connection left commented out, a client set to another engine), not silence (Crater's
    Laravel application names its database in a ``.env`` file the audit does not read)."""
    if workload.platform != "compose" or not run_from_checkout(workload, estate):
        return ""
    others = [o for o in estate.compose_project(workload.namespace) if o.id != workload.id]
    named = [e for o in others for e in edges_of(o, estate) if e.target == workload.id]
    if any(not e.via.startswith(_DECLARED) for e in named):
        return ""
    commented = next((o for o in others if _comment_names(o, workload, estate)), None)
    by_id = {o.id: o for o in others}
    elsewhere = bool(named) and all(
        _uses_another(by_id[e.source], workload, by_id, estate) for e in named if e.source in by_id
    )
    if (named or kept) and commented is None and not elsewhere:
        return ""
    left = (
        f"{commented.name}'s connection to it is commented out"
        if commented
        else "the services that start after it are configured with another database"
        if elsewhere
        else "nothing in the project names it"
    )
    return f"a developer's stack run from its checkout, no service configured to use it ({left})"


def _uses_another(
    client: Workload, server: Workload, others: dict[str, Workload], estate: Estate
) -> bool:
    """``client`` is configured (not only ordered) to reach a database server of another
    engine than ``server``'s in the project (``others`` by id): the database it uses."""
    engines = _engines(server)
    return bool(engines) and any(
        not e.via.startswith(_DECLARED)
        and e.target in others
        and (used := _engines(others[e.target]))
        and used.isdisjoint(engines)
        for e in edges_of(client, estate)
    )


def _engines(workload: Workload) -> set[str]:
    """The database families whose images ``workload`` runs."""
    return {
        family.name
        for c in workload.containers
        if (family := data_image(c.image)) is not None and family.role == "database"
    }


# The address of a Go MySQL driver's data source name, ``user:pass@tcp(host:port)/db`` or
# ``@(host)/db`` ("[username[:password]@][protocol[(address)]]/dbname",
# https://github.com/go-sql-driver/mysql/blob/59de189eea30b4ff6207a44f810232907f95b098/README.md#dsn-data-source-name),
# which a URL's reading does not take for a host.
_DSN_ADDRESS = re.compile(r"@(?:[a-z]+)?\(([A-Za-z][\w.-]*)(?::\d+)?\)")


def _comment_names(client: Workload, server: Workload, estate: Estate) -> bool:
    """A commented-out line of ``client``'s manifest names ``server`` as a host."""
    return any(
        target.id == server.id
        for _, text in client.resource.comments
        for host in {*hosts_in("", text), *_DSN_ADDRESS.findall(text)}
        for target in resolve_host(host, client, estate)
    )
