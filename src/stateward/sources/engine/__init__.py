"""Source ``engine``: container engines through the Docker Engine API (Docker or Podman).

:mod:`.client` connects, :mod:`.facts` turns an inspect answer into redacted facts,
:mod:`.layer` reads a container's writable layer, and :mod:`.source` is the registered source.
Forensic capture of containers (:mod:`stateward.forensics`) uses the same client.
"""
