"""A custom resource whose spec runs only idle programs: its claims hold nothing it writes.

An operator resource of no known family is read as keeping data on the claims its spec asks for
(``CUSTOM_RESOURCE_STORAGE``). Many such kinds describe the programs they run in the spec
itself, an ``image`` beside its command: KubeVela's ``webservice`` and ``worker`` component types
take ``image`` and ``cmd`` ("Commands to run in the container", rendered as the Deployment
container's ``command``), and its ``volumes`` (type ``pvc`` with a ``claimName``) are mounted in
that container
(https://github.com/kubevela/kubevela/blob/6427aac882000ae594a2298748c9212e8849d185/vela-templates/definitions/internal/component/webservice.cue).
When every program the spec declares is one that only keeps its container alive (``sleep 1000``,
``tail -f /dev/null``: :func:`~stateward.analysis.audit.programs.idle_command`), nothing the
resource runs writes a file, whatever it mounts: its claims are context, as a database image
given an idle command runs no server. A declared image with no command runs its own program,
so the reading holds only when every one has an idle command, and when the spec names no
image the operator runs with its own command (a field ``clusterImage`` or ``gatlingImage``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from stateward.analysis.audit.programs import idle_command

__all__ = ["idle_spec"]

# The fields that give a declared program's command (Kubernetes' ``command``/``args``,
# KubeVela's ``cmd``).
_COMMAND = ("cmd", "command", "args")


def _programs(node: Any) -> Iterator[Mapping[str, Any] | None]:
    """Each mapping of the spec that declares an image, at any depth; None for an image the
    operator runs with a command of its own (a field named for one, ``clusterImage``,
    ``gatlingImage``: NiFiKop's main program, beside which only its log sidecars give a
    command)."""
    if isinstance(node, Mapping):
        if isinstance(node.get("image"), str):
            yield node
        for key, value in node.items():
            if str(key).lower().endswith("image") and str(key) != "image":
                yield None
            else:
                yield from _programs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _programs(item)


def _command(program: Mapping[str, Any]) -> list[str]:
    words: list[str] = []
    for key in _COMMAND:
        value = program.get(key)
        if isinstance(value, str):
            words.extend(value.split())
        elif isinstance(value, list):
            words.extend(str(v) for v in value)
    return words


def idle_spec(spec: Any) -> str:
    """Why the programs a custom resource's spec declares write nothing ('' when one may)."""
    commands = [_command(p) if p is not None else [] for p in _programs(spec)]
    idle = [idle_command(c) for c in commands]
    if not idle or not all(idle):
        return ""
    return f"its spec runs only {'; '.join(sorted(set(idle)))}: nothing it runs writes a file"
