"""A bind at the ``data`` folder inside a data image's directory holds the server's data files
(Cassandra's ``/var/lib/cassandra/data`` under the image's ``/var/lib/cassandra``); a bind of
project files elsewhere inside it (ClickHouse's ``user_scripts``) does not."""

from __future__ import annotations

import pytest
from tests.analysis.conftest import Auditor, rules_of


def _compose(image: str, bind: str) -> str:
    return f"""\
        services:
          store:
            image: {image}
            volumes: ['{bind}']
        """


@pytest.mark.parametrize(
    ("image", "bind"),
    [
        ("cassandra:3.11", "./vol/cassandra/data:/var/lib/cassandra/data"),
        ("cassandra:4.1", "./data:/var/lib/cassandra/data/"),
    ],
)
def test_a_bind_at_the_data_folder_keeps_the_servers_data(
    audit_files: Auditor, image: str, bind: str
) -> None:
    report = audit_files(**{"compose.yaml": _compose(image, bind)})
    assert "DATA_IMAGE_NO_VOLUME" not in rules_of(report, "store")
    (held,) = [f for f in report.findings if f.rule == "COMPOSE_BIND"]
    assert "holding the data directory" in held.message


@pytest.mark.parametrize(
    ("image", "bind"),
    [
        ("cassandra:3.11", "./scripts:/var/lib/cassandra/scripts"),
        ("clickhouse/clickhouse-server:25.5", "./user_scripts:/var/lib/clickhouse/user_scripts/"),
        # the folder named data must be inside the image's directory, not beside it
        ("cassandra:3.11", "./data:/opt/data"),
    ],
)
def test_a_bind_of_other_files_inside_or_beside_it_keeps_nothing(
    audit_files: Auditor, image: str, bind: str
) -> None:
    report = audit_files(**{"compose.yaml": _compose(image, bind)})
    assert "DATA_IMAGE_NO_VOLUME" in rules_of(report, "store")
