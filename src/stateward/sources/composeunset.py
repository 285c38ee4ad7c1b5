"""Variables a Compose file uses that nothing sets: Compose substitutes an empty string and goes on.

compose-go's substitution logs "The %q variable is not set. Defaulting to a blank string." and
carries on (``template/template.go`` line 209 at
https://github.com/compose-spec/compose-go/blob/e70e961c3a3acebf0800b882f1afb3dbf1fb74a2/template/template.go#L209),
so the project still starts: the service using the variable gets a finding, and the scan does
not fail. A required variable (``${X:?message}``) is another matter: Compose refuses the file,
and that stays an input error (:mod:`.composefiles`).
"""

from __future__ import annotations

from collections.abc import Mapping

from stateward.model.finding import Finding, Severity
from stateward.model.resource import ResourceKey
from stateward.sources.composefiles import ComposeFile, line_of

__all__ = ["RULE", "unset_findings"]

RULE = "COMPOSE_VARIABLE_UNSET"


def unset_findings(file: ComposeFile, project: str, kinds: Mapping[str, str]) -> list[Finding]:
    """One finding per unset variable and object of ``file`` using it; ``kinds`` maps a
    top-level section (``services``, ``volumes``…) to the kind of its objects."""
    found: dict[tuple[str, str | None], Finding] = {}
    for name, where, keys in file.interpolator.missing:
        kind = kinds.get(keys[0]) if len(keys) > 1 else None
        resource = str(ResourceKey("compose", kind, project, keys[1])) if kind else None
        if (name, resource) not in found:
            found[name, resource] = _finding(file, name, where, keys, resource)
    return list(found.values())


def _finding(
    file: ComposeFile, name: str, where: str, keys: tuple[str, ...], resource: str | None
) -> Finding:
    at = line_of(file.path, file.text, "${" + name, "$" + name)
    return Finding(
        rule=RULE,
        severity=Severity.LOW,
        message=f"{at}: variable {name} is not set (used in {where}); "
        "Compose substitutes an empty string",
        resource=resource,
        path="/" + "/".join(keys[2:] if resource else keys),
        remedy=f"Define {name} in {file.side.directory / '.env'} or give a default "
        f"(${{{name}:-value}}).",
        evidence=(at,),
    )
