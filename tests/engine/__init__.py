"""Tests of the container-engine source against a real Podman engine."""
