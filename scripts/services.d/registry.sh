#!/usr/bin/env bash
# An OCI registry (Debian's docker-registry, distribution 2.x) on loopback for the cost
# calibration bench and tests: plain HTTP on 127.0.0.1 only, filesystem storage under
# $STATEWARD_SERVICES_DIR/registry. Podman reaches it with --tls-verify=false.
# Prints: export STATEWARD_TEST_REGISTRY=127.0.0.1:<port>
set -euo pipefail
. "$(dirname "$0")/common.bash"

port="${STATEWARD_REGISTRY_PORT:-5000}"
dir="$STATEWARD_SERVICES_DIR/registry"

need_packages docker-registry curl
mkdir -p "$dir/data"

healthy() { curl -sf --max-time 5 "http://127.0.0.1:$port/v2/" >/dev/null; }

if ! healthy; then
  stop_service registry "docker-registry serve $dir/config.yml"
  cat > "$dir/config.yml" <<CONF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
CONF
  say "registry: starting on 127.0.0.1:$port"
  start_detached registry docker-registry serve "$dir/config.yml"
  wait_for 30 healthy || { log_tail registry; exit 1; }
fi
echo "export STATEWARD_TEST_REGISTRY=127.0.0.1:$port"
