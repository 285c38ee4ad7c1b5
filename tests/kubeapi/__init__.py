"""A protocol-faithful Kubernetes API server for the tests (see server.py and SOURCES.md)."""
