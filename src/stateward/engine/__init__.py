"""Container engines through the Docker Engine API (Docker or Podman): connection, inspect facts,
writable-layer diffs, and the writable-layer drift rule. The ``engine`` source
(:mod:`stateward.sources.engine`) is built from these pieces."""
