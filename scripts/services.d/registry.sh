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

answers() { curl -sf "http://127.0.0.1:$port/v2/" >/dev/null; }

if ! answers; then
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
  setsid docker-registry serve "$dir/config.yml" </dev/null >"$dir/registry.log" 2>&1 &
  echo $! > "$dir/registry.pid"
  wait_for 30 answers || { tail -n 20 "$dir/registry.log" >&2; exit 1; }
fi
echo "export STATEWARD_TEST_REGISTRY=127.0.0.1:$port"
