#!/usr/bin/env bash
# Installs and starts the real services the tests use (PostgreSQL, Podman, a registry, Redis),
# each by its own script, each from a working directory of its own under $STATEWARD_SERVICES_DIR
# (default /tmp/stateward-services), detached, never from the checkout. A running service is
# kept only if it passes a real health check; otherwise it is restarted.
# Writes scripts/services.env for pytest to read. A service that cannot start is reported loudly
# and its tests skip with that reason.
#   scripts/services.sh          start (or check and repair) every service
#   scripts/services.sh reset    stop every service and delete its folder (data included)
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/services.d/common.bash"

if [ "${1:-}" = reset ]; then
  pg_data="$STATEWARD_SERVICES_DIR/postgres/data"
  if [ -s "$pg_data/postmaster.pid" ]; then
    runuser -u postgres -- "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/pg_ctl" \
      -D "$pg_data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  stop_service podman "podman system service --time=0 unix://$STATEWARD_SERVICES_DIR/"
  stop_service postgres "postgres -D $pg_data"
  stop_service registry "docker-registry serve $STATEWARD_SERVICES_DIR/"
  stop_service redis
  stop_service sshd
  grep -o " $STATEWARD_SERVICES_DIR/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l
  rm -rf "$STATEWARD_SERVICES_DIR"
  : > "$here/services.env"
  say "stopped every service and removed $STATEWARD_SERVICES_DIR"
  exit 0
fi

: > "$here/services.env"
for s in "$here"/services.d/*.sh; do
  [ -e "$s" ] || continue
  bash "$s" >> "$here/services.env" || echo "WARNING: $(basename "$s") could not start its service" >&2
done
