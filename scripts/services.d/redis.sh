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

answers() { redis-cli -h 127.0.0.1 -p "$port" ping | grep -q PONG; }

if ! answers; then
  say "redis: starting on 127.0.0.1:$port"
  setsid redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
    --dir "$dir" --daemonize no </dev/null >"$dir/redis.log" 2>&1 &
  echo $! > "$dir/redis.pid"
  wait_for 30 answers || { tail -n 20 "$dir/redis.log" >&2; exit 1; }
fi
echo "export STATEWARD_TEST_REDIS=127.0.0.1:$port"
