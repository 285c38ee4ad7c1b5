"""A bind that places one text file of the project (a schema, a script) is what the program
reads, wherever it is placed: at ``/tmp`` it is not the program's temporary files, which it
would make again. A writable bind of a project folder at ``/tmp`` is still read as scratch.
Small hand-made Compose projects."""

from __future__ import annotations

from stateward.analysis.audit import AuditReport

from .conftest import Auditor

_PROJECT = """\
    services:
      migrate:
        image: example.org/acme/tools:1
        command: [sh, -c, "psql -f /tmp/schema.sql"]
        volumes:
          - {source}:/tmp/{target}
    """


def _bind_effect(report: AuditReport) -> str:
    (finding,) = [f for f in report.findings if f.rule == "COMPOSE_BIND"]
    return str(report.effect_of(finding))


def test_a_file_the_project_ships_is_read_not_remade(audit_files: Auditor) -> None:
    report = audit_files(
        **{
            "compose.yaml": _PROJECT.format(source="./schema.sql", target="schema.sql"),
            "schema.sql": "CREATE TABLE t (id int);\n",
        }
    )
    assert _bind_effect(report) == "context"


def test_a_project_folder_at_tmp_is_still_scratch(audit_files: Auditor) -> None:
    report = audit_files(
        **{
            "compose.yaml": _PROJECT.format(source="./work", target="work"),
            "work__notes.txt": "scratch\n",
        }
    )
    assert _bind_effect(report) == "warm-up"
