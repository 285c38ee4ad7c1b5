"""Caddy sites that obtain no certificate: what Caddy keeps in ``/data`` and ``/config`` then.

Caddy keeps the certificates and keys it obtains in ``/data`` and the configuration it saves
in ``/config`` (https://hub.docker.com/_/caddy). It "implicitly activates automatic HTTPS when
it knows a domain name (i.e. hostname) or IP address it is serving", and not when "the site
address is prefixed with ``http://``" or has no host, such as ``:80``, nor with the global
option ``auto_https off`` (https://caddyserver.com/docs/automatic-https#activation). A
Caddyfile's site blocks start with their addresses; a first block with none holds the global
options (https://caddyserver.com/docs/caddyfile/concepts#structure); ``{$NAME}`` and
``{$NAME:default}`` are replaced by the environment when the file is parsed
(https://caddyserver.com/docs/caddyfile/concepts#environment-variables).

So a Caddy whose every site is served over plain HTTP obtains no certificate: ``/data`` holds
none, and ``/config`` only the configuration it saves again from its Caddyfile at start. An
address that names a variable the container is not given leaves the answer open.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stateward.analysis.audit.dependencies import config_files
from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.knowledge import image_words
from stateward.analysis.audit.workloads import Container, Workload

__all__ = ["plain_http"]

_PLACEHOLDER = re.compile(r"\{\$([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}")
_COMMENT = re.compile(r"(^|\s)#.*$")
_AUTO_HTTPS_OFF = re.compile(r"^\s*auto_https\s+off\s*$", re.M)
_UNKNOWN = "\0"


def plain_http(workload: Workload, container: Container, estate: Estate) -> str:
    """Why a Caddy container obtains no certificate ('' when it may, or is no Caddy)."""
    if image_words(container.image)[:1] != ["caddy"]:
        return ""
    files = [text for _, text, where in config_files(workload, container, estate)
             if where.endswith("Caddyfile")]  # fmt: skip
    if len(files) != 1:
        return ""
    text = _PLACEHOLDER.sub(lambda m: _value(m, container), files[0])
    if _AUTO_HTTPS_OFF.search(text):
        return "its Caddyfile turns automatic HTTPS off: it obtains no certificate"
    addresses = list(_site_addresses(text))
    if not addresses or any(_UNKNOWN in a or not _plain(a) for a in addresses):
        return ""
    return (
        f"its Caddyfile serves {', '.join(addresses)} over plain HTTP: it obtains no "
        "certificate, and saves only the configuration it reads again at start"
    )


def _value(match: re.Match[str], container: Container) -> str:
    value = container.env.get(match.group(1))
    if value is not None:
        return value
    return match.group(2) if match.group(2) is not None else _UNKNOWN


def _site_addresses(text: str) -> Iterator[str]:
    """The addresses of each top-level block (none for the global options block, snippets and
    named routes)."""
    depth = 0
    for raw in text.splitlines():
        line = _COMMENT.sub("", raw).strip()
        if depth == 0 and line.endswith("{"):
            head = line[:-1].strip()
            if head and not head.startswith(("(", "&(")):
                # A quoted token is one token without its quotes (the Caddyfile's lexer).
                yield from (a.strip('"') for a in re.split(r"[,\s]+", head) if a.strip('"'))
        depth += line.count("{") - line.count("}")


def _plain(address: str) -> bool:
    """An address with no host (``:80``) or served over ``http://``."""
    lowered = address.lower()
    return lowered.startswith((":", "http://"))
