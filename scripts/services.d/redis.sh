#!/usr/bin/env bash
# Redis on loopback for the cost calibration bench (a cache in front of the test PostgreSQL):
# no persistence, so a restart is a cold cache, exactly what replacing a cache container does.
# Prints: export STATEWARD_TEST_REDIS=127.0.0.1:<port>
set -euo pipefail
. "$(dirname "$0")/common.bash"

port="${STATEWARD_REDIS_PORT:-56379}"
dir="$STATEWARD_SERVICES_DIR/redis"

need_packages redis-server
mkdir -p "$dir"

healthy() { [ "$(timeout 5 redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" = PONG ]; }

if ! healthy; then
  stop_service redis "redis-server 127.0.0.1:$port"
  say "redis: starting on 127.0.0.1:$port"
  start_detached redis redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
    --dir "$dir" --daemonize no
  wait_for 30 healthy || { log_tail redis; exit 1; }
fi
echo "export STATEWARD_TEST_REDIS=127.0.0.1:$port"
