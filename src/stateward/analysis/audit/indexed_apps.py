"""An application whose own directory holds only an index when its database is outside it.

SonarQube keeps in ``/opt/sonarqube/data`` "data files, such as the embedded H2 database and
Elasticsearch indexes", the embedded H2 database being used "by default" and "not suited for
production" (https://github.com/docker-library/docs/blob/9028fb0dfd9bda490588141ff696aaec28c5f862/sonarqube/README.md).
The official image is pointed at its production database with ``SONARQUBE_JDBC_URL`` (images up
to 7.x, https://github.com/docker-library/docs/blob/d54b711f6b012b2b40c97d2ba44a9c558651f923/sonarqube/content.md)
or ``SONAR_JDBC_URL`` / ``sonar.jdbc.url`` (later ones, same README). With the database there,
the directory keeps only the Elasticsearch indexes, which SonarQube rebuilds from that database
when they are missing: restoring a backup is "Drop the Elasticsearch indexes by deleting the
contents of <SONARQUBE_HOME>/data/es8 directory. Restart the server."
(https://docs.sonarsource.com/sonarqube/10.2/instance-administration/backup-and-restore/).
A replacement without the directory re-indexes at start: a warm-up, not data lost. A URL naming
the embedded H2 database (``jdbc:h2:``) keeps the records in the directory: not taken here.
"""

from __future__ import annotations

from stateward.analysis.audit.knowledge import APPLICATION, DataImage
from stateward.analysis.audit.workloads import Container

__all__ = ["indexed_elsewhere"]

# Catalogued application (its image's name) -> the variables naming its outside database, and
# what its own directory then holds.
_OUTSIDE_DATABASE: dict[str, tuple[frozenset[str], str]] = {
    "sonarqube": (
        frozenset({"SONARQUBE_JDBC_URL", "SONAR_JDBC_URL", "sonar.jdbc.url"}),
        "Elasticsearch indexes SonarQube rebuilds at start from its database",
    ),
}
_EMBEDDED = ("jdbc:h2:",)


def indexed_elsewhere(family: DataImage, container: Container) -> str:
    """Why a catalogued application's directory holds only an index of the database its
    variables name outside it ('' when it may hold the records: no such variable, or one
    naming the embedded database). A value read from a Secret is not the embedded database's:
    that one needs no credentials kept secret."""
    known = _OUTSIDE_DATABASE.get(family.name) if family.role == APPLICATION else None
    if known is None:
        return ""
    variables, what = known
    named = sorted(variables & container.env_names)
    if not named:
        return ""
    values = container.env
    if any(values.get(v, "").strip().lower().startswith(_EMBEDDED) for v in named):
        return ""
    return f"{what} ({named[0]} names it)"
