"""A store named only by an image's tag: the store itself, or a program built for it.

An image's repository names its program and the tag picks one build of it. Some projects
publish several programs under one repository, each as a tag: the OpenTelemetry demo's
``ghcr.io/open-telemetry/demo:<version>-<service>`` holds its PostgreSQL as ``…-postgresql`` and
its Kafka as ``…-kafka`` (``IMAGE_NAME`` and the images of ``docker-compose.yml``,
https://github.com/open-telemetry/opentelemetry-demo/blob/054282e318317f2be09f67dd9b0d7d1278566cfa/.env).
Others name by a tag word the store a build of their own program is made for: Infisical's
``infisical/infisical:latest-postgres`` is the Infisical server for a PostgreSQL database it is
given (``DB_CONNECTION_URI``), not that database
(https://github.com/Infisical/infisical/blob/002d68ddd551aaa2a60df8adcf62ab8e00a7a2ba/docker-compose.prod.yml);
XWiki's ``xwiki:lts-postgres-tomcat`` is XWiki on Tomcat for PostgreSQL
(https://hub.docker.com/_/xwiki). The tag alone does not say which: the deployment does. A
store's own container is named for it (the demo's ``postgresql`` component) or declares the
server (its environment, its ports named for the engine, clients reaching it by the engine's
URL scheme: :func:`~stateward.analysis.audit.knowledge.declared_family`); a program built for
a store is named for its own role (``backend``, ``web``) and declares none of that.

A vendor does the same in the repository's name, one repository per store its program is built
for, called ``<vendor>/<vendor>-<store>``: SuperTokens publishes its core as
``supertokens/supertokens-postgresql`` (and ``-mysql``), which connects to a PostgreSQL it is
given by ``POSTGRESQL_CONNECTION_URI`` or starts with an in-memory database
(https://github.com/supertokens/supertokens-docker-postgresql/blob/51dc26279332ed1ee0a358e3b1cd4852b16e246f/README.md).
Read so only when the vendor's own name names no store (``mysql/mysql-server`` is MySQL) and
nothing else stands between it and the store (``percona/percona-server-mongodb`` is a server),
and, as for a tag, where nothing of the workload says it runs the store.

A project does the same with its own program's name first, the service that runs it called by
that name: ACME Fitness runs its order service, which its front end reaches as ``ORDER_HOST=order``
on port 6000, from ``gcr.io/vmwarecloudadvocacy/order-postgres-tracing:3.0`` as the Compose
service ``order``, beside a ``postgres`` service of its own; its Kubernetes manifests run the same
service from ``acmeshop-order`` against an ``order-db`` PostgreSQL
(https://github.com/vmwarecloudadvocacy/acme_fitness_demo/blob/594c3926e7ac417ca5b69125d2df31410043408a/docker-compose/docker-compose.yml,
``kubernetes-manifests/order-total.yaml`` there). The repository's first word is the workload's
own name and names no store: the store word after it says what the program is built for.
"""

from __future__ import annotations

import re

from stateward.analysis.audit.knowledge import (
    DataImage,
    data_image,
    declared_family,
    named,
    repository,
    repository_family,
)
from stateward.analysis.audit.workloads import Container, Workload

__all__ = ["built_for_store"]

_WORDS = re.compile(r"[-_.]+")


def built_for_store(workload: Workload, container: Container, family: DataImage) -> bool:
    """True when only the tag of the container's image names ``family`` and nothing of the
    workload says it runs that store: its program is one built for the store."""
    by_image = data_image(container.image)
    if by_image is None or by_image.name != family.name:
        return False  # known otherwise (an application's repository path)
    if (
        (
            data_image(named(container.image).partition(":")[0]) is not None
            or repository_family(container.image) is not None
        )
        and not _vendor_build(container.image, family)
        and not _own_program(workload, container)
    ):
        return False  # the repository itself names the store
    names = {workload.name.lower(), container.name.lower()}
    words = {w for n in names for w in _WORDS.split(n) if w}
    if any((found := data_image(w)) and found.name == family.name for w in words):
        return False
    declared = declared_family(container)
    return declared is None or declared[0].name != family.name


def _vendor_build(image: str, family: DataImage) -> bool:
    """The repository is ``<vendor>/<vendor>-<store>``: the vendor's program built for ``family``."""
    vendor, _, name = repository(image).rpartition("/")
    vendor = vendor.rpartition("/")[2].lower()
    words = [w for w in _WORDS.split(name.lower()) if w]
    if len(words) != 2 or words[0] != vendor or data_image(vendor) is not None:
        return False
    store = data_image(words[1])
    return store is not None and store.name == family.name


def _own_program(workload: Workload, container: Container) -> bool:
    """The repository's name begins with the workload's (or container's) own name, a word that
    names no store, before the store's word (``order`` running ``order-postgres-tracing``)."""
    words = [w for w in _WORDS.split(named(container.image).partition(":")[0].lower()) if w]
    own = {workload.name.lower(), container.name.lower()}
    return len(words) > 1 and words[0] in own and data_image(words[0]) is None
