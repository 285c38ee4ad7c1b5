"""The ``host://`` and ``ssh://`` sources: long-lived machines in the same model as containers."""

from stateward.sources.host.integrity import FileChanges, file_changes, tree_changes
from stateward.sources.host.options import HostOptions, parse_options
from stateward.sources.host.resources import file_index, known_directories
from stateward.sources.host.source import SCHEMES, HostSource

__all__ = [
    "SCHEMES",
    "FileChanges",
    "HostOptions",
    "HostSource",
    "file_changes",
    "file_index",
    "known_directories",
    "parse_options",
    "tree_changes",
]
