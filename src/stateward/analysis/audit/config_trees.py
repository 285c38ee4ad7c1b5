"""A configuration file's text as YAML data, read by the sources' bounded reader.

The audit reads files a container is given (a bound file, a ConfigMap's value) to find where a
program keeps its state or whom it reaches. They are input like any other: read through
:func:`~stateward.sources.yamldocs.read_documents`, whose aliases may not expand a document past
:data:`~stateward.sources.yamldocs.MAX_EXPANDED` values, so a walk of the tree ends ("billion
laughs" in a bound file would otherwise send a walk over every shared copy).
"""

from __future__ import annotations

from typing import Any

from stateward.sources.yamldocs import DocumentError, read_documents

__all__ = ["yaml_tree"]


def yaml_tree(text: str) -> Any:
    """The first document of ``text``; None when it is not YAML (a file of another format
    beside it, a template) or is refused."""
    for document in read_documents(text):
        return None if isinstance(document, DocumentError) else document.data
    return None
