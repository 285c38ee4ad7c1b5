#!/usr/bin/env bash
# Installs and starts the real services the tests use (PostgreSQL, Podman), each by its own script.
# Writes scripts/services.env for pytest to read. A service that cannot start is reported loudly
# and its tests skip with that reason.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
: > "$here/services.env"
for s in "$here"/services.d/*.sh; do
  [ -e "$s" ] || continue
  bash "$s" >> "$here/services.env" || echo "WARNING: $(basename "$s") could not start its service" >&2
done
