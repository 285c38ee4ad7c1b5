"""Sources: readers that turn part of the world into resources (:mod:`.interface`).

Files (:mod:`.files`: Kubernetes manifests, ``kubectl`` dumps, Compose files) and container
engines (:mod:`.engine`) register themselves; new sources (the Kubernetes API, hosts) go beside
them. A source reads and redacts; it never judges (audit rules live in ``analysis``).
"""
