"""Secret values become keyed digests as objects are read, before anything else sees them.

Covers: Secret ``data`` (base64-decoded first) and ``stringData`` — so one value gives one digest
whichever field carried it — malformed ones and every annotation of a Secret; the last-applied
annotation (which repeats the whole object, argo-cd #897); ConfigMap values and the config files
they embed; literal env values whose name or shape looks like a credential, wherever an ``env``
list appears (pod templates, CronJob templates, custom resources that embed pod specs); and
arguments in ``command`` and ``args``: ``--password=…``, ``--token …`` as two items, ``-p…``,
URLs with passwords, and the same inside ``sh -c "…"`` strings.

What is not secret stays where it was: a URL keeps its scheme, host and port, a config file its
keys and lines, so the dependencies they name can still be read. Text is redacted in place by
:mod:`stateward.sources.redact_text`.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Hashable
from typing import Any

from stateward.model.detection import names_a_digest, secret_name
from stateward.model.secrets import Digester, looks_secret, redact
from stateward.sources.redact_text import redact_text, takes_secret

__all__ = [
    "LAST_APPLIED",
    "forget_clean_inputs",
    "redact_args",
    "redact_command",
    "redact_compose_service",
    "redact_compose_side",
    "redact_env_value",
    "redact_object",
    "redact_pairs",
]

_ARG_KEYS = frozenset({"args", "command"})


class _CleanInputs:
    """Inputs redaction gave back unchanged, remembered so that a repeat is not scanned again:
    an estate repeats the same env values, command lines and config files in many objects
    (the same ConfigMap in every namespace). Redaction is a function of its input alone, so a
    repeat would be found clean again. Only inputs found to hold no credential are kept, in
    this process's memory, up to a bound on their characters (then forgotten all at once)."""

    def __init__(self, budget: int) -> None:
        self._inputs: set[Hashable] = set()
        self._budget = budget
        self._left = budget

    def __contains__(self, key: Hashable) -> bool:
        return key in self._inputs

    def add(self, key: Hashable, size: int) -> None:
        if size > self._left:
            self._inputs.clear()
            self._left = self._budget
            if size > self._budget:
                return
        self._inputs.add(key)
        self._left -= size

    def clear(self) -> None:
        self._inputs.clear()
        self._left = self._budget


_CLEAN = _CleanInputs(budget=4_000_000)


def forget_clean_inputs() -> None:
    """Start again from no remembered input, as a new process does: a benchmark that reads the
    same objects twice in one process would otherwise time the second read's redaction as
    free."""
    _CLEAN.clear()


LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def redact_object(body: dict[str, Any], keeper: Digester) -> dict[str, Any]:
    """Digest every secret value of a Kubernetes object, in place; returns the object."""
    if body.get("kind") == "Secret":
        _redact_secret(body, keeper)
    elif body.get("kind") == "ConfigMap" and isinstance(body.get("data"), dict):
        body["data"] = {k: redact_env_value(str(k), v, keeper) for k, v in body["data"].items()}
    _redact_env_lists(body, keeper)
    _redact_last_applied(body, keeper)
    return body


def redact_env_value(name: str, value: Any, keeper: Digester) -> Any:
    """The value itself, its digest when the variable looks like a credential, or — for a text
    that holds credentials (a config file, a command line) — the text with them digested."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        # YAML reads ``PIN_PASSWORD: 98765432101`` as a number; it is a secret all the same.
        return keeper.digest(str(value)) if secret_name(name) else value
    if not isinstance(value, str):
        return value
    if (name, value) in _CLEAN:
        return value
    if looks_secret(name, value):
        return redact(name, value, keeper)
    redacted = redact_text(value, keeper, entropy=not names_a_digest(name))
    if redacted is value:
        _CLEAN.add((name, value), len(value))
    return redacted


def redact_pairs(value: Any, keeper: Digester) -> Any:
    """A Compose map given as a mapping or as ``KEY=VALUE`` items (``build.args``, ``labels``),
    each value redacted as an env value is."""
    if isinstance(value, dict):
        return {k: redact_env_value(str(k), v, keeper) for k, v in value.items()}
    if isinstance(value, list):
        return [_pair(str(item), keeper) for item in value]
    return value


def _pair(item: str, keeper: Digester) -> str:
    name, sep, value = item.partition("=")
    return f"{name}={redact_env_value(name, value, keeper)}" if sep else item


def _redact_secret(body: dict[str, Any], keeper: Digester) -> None:
    for field in ("data", "stringData"):
        value = body.get(field)
        if isinstance(value, dict):
            raw = field == "data"
            body[field] = {
                k: keeper.digest(_b64_or_raw(v) if raw else str(v)) for k, v in value.items()
            }
        elif value is not None:  # malformed (a list, a string): the API would reject it, but
            body[field] = keeper.digest(_canonical(value))  # the manifest still holds secrets
    annotations = (body.get("metadata") or {}).get("annotations")
    if isinstance(annotations, dict):
        for key, value in annotations.items():
            if key != LAST_APPLIED:  # that one is redacted field by field below
                annotations[key] = keeper.digest(_canonical(value))


def _canonical(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)


def _b64_or_raw(value: Any) -> bytes:
    # The API server rejects non-base64 data; a desired manifest may still hold it. Digest the
    # raw text then, so the value is hidden either way.
    text = "" if value is None else str(value)
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return text.encode("utf-8")


def redact_args(args: Any, keeper: Digester) -> list[str]:
    """Arguments, with their credentials digested: ``--password=value``, a value after a
    ``--token`` flag, URL passwords, and the same inside shell strings."""
    words = [args] if isinstance(args, str) else [str(arg) for arg in args or []]
    clean = tuple(words)
    if clean in _CLEAN:
        return words
    context = " ".join(words)  # which program runs decides what ``-p`` means
    out = []
    for index, word in enumerate(words):
        if index and takes_secret(words[index - 1], context) and not word.startswith("-"):
            out.append(redact("", word, keeper))
        elif looks_secret("", word):
            out.append(redact("", word, keeper))
        else:
            out.append(redact_text(word, keeper, context))
    if all(after is before for after, before in zip(out, words, strict=True)):
        _CLEAN.add(clean, len(context))
    return out


def redact_command(value: Any, keeper: Digester) -> Any:
    """A Compose ``command``/``entrypoint``/healthcheck ``test``: a list or one shell string."""
    if isinstance(value, str):
        return redact_args([value], keeper)[0]
    if isinstance(value, list):
        return redact_args(value, keeper)
    return value


def redact_compose_service(body: dict[str, Any], keeper: Digester) -> None:
    """Digest the credentials of a Compose service's commands, build args and labels, in place
    (its ``environment`` is redacted as it is merged)."""
    for field in ("command", "entrypoint"):
        if field in body:
            body[field] = redact_command(body[field], keeper)
    health = body.get("healthcheck")
    if isinstance(health, dict) and "test" in health:
        body["healthcheck"] = {**health, "test": redact_command(health["test"], keeper)}
    build = body.get("build")
    if isinstance(build, dict) and "args" in build:
        body["build"] = {**build, "args": redact_pairs(build["args"], keeper)}
    if "labels" in body:
        body["labels"] = redact_pairs(body["labels"], keeper)


def redact_compose_side(kind: str, body: dict[str, Any], keeper: Digester) -> None:
    """Inline ``content`` of a top-level Compose secret (digested) or config (redacted text)."""
    content = body.get("content")
    if not isinstance(content, str):
        return
    body["content"] = keeper.digest(content) if kind == "Secret" else redact_text(content, keeper)


def _redact_env_lists(node: Any, keeper: Digester) -> None:
    # Only containers are visited: a call for each scalar of each object was most of the cost.
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, list):
                if key == "env":
                    _redact_env(value, keeper)
                elif key in _ARG_KEYS:
                    node[key] = redact_args(value, keeper)
                else:
                    _redact_env_lists(value, keeper)
            elif isinstance(value, dict):
                _redact_env_lists(value, keeper)
    elif isinstance(node, list):
        for item in node:
            if isinstance(item, dict | list):
                _redact_env_lists(item, keeper)


def _redact_env(env: list[Any], keeper: Digester) -> None:
    for item in env:
        if isinstance(item, dict) and "value" in item:
            item["value"] = redact_env_value(str(item.get("name", "")), item["value"], keeper)


def _redact_last_applied(body: dict[str, Any], keeper: Digester) -> None:
    annotations = (body.get("metadata") or {}).get("annotations")
    if not isinstance(annotations, dict) or LAST_APPLIED not in annotations:
        return
    text = annotations[LAST_APPLIED]
    try:
        applied = json.loads(text)
    except (TypeError, ValueError):
        annotations[LAST_APPLIED] = keeper.digest(str(text))
        return
    if isinstance(applied, dict):
        inner = (applied.get("metadata") or {}).get("annotations")
        if isinstance(inner, dict):
            inner.pop(LAST_APPLIED, None)
        redact_object(applied, keeper)
        annotations[LAST_APPLIED] = json.dumps(applied, sort_keys=True, separators=(",", ":"))
    else:
        annotations[LAST_APPLIED] = keeper.digest(str(text))
