"""The ``host://`` and ``ssh://`` sources: long-lived machines in the same model as containers."""

from stateward.sources.host.options import HostOptions, load_options
from stateward.sources.host.resources import known_files
from stateward.sources.host.source import HostSource

__all__ = ["HostOptions", "HostSource", "known_files", "load_options"]
