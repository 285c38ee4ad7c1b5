# Shared helpers for scripts/services.d/*.sh (sourced, not run: services.sh runs only *.sh).
# Every script prints `export VAR=...` lines on stdout and everything else on stderr.

STATEWARD_SERVICES_DIR="${STATEWARD_SERVICES_DIR:-/tmp/stateward-services}"

say() { echo "[services] $*" >&2; }

# need_packages PKG...: install the Debian packages that are missing; a no-op when all are there,
# so a second `make test` costs one dpkg-query.
need_packages() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # The package lists may be absent or stale on a fresh machine: refresh once, then install.
  apt-get update -qq >&2 || return 1
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 || return 1
}

# wait_for SECONDS COMMAND...: poll COMMAND every 0.1 s until it succeeds or time runs out.
wait_for() {
  local limit=$(( $1 * 10 )); shift
  local i
  for (( i = 0; i < limit; i++ )); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 1
}

# start_detached NAME COMMAND...: start COMMAND in a session of its own, with its own working
# directory $STATEWARD_SERVICES_DIR/NAME (never the checkout that called us: a service whose
# working directory is deleted under it can go on answering while every container start fails),
# standard input closed and output to NAME/NAME.log; its PID goes to NAME/NAME.pid.
start_detached() {
  local name=$1; shift
  local dir="$STATEWARD_SERVICES_DIR/$name"
  mkdir -p "$dir"
  ( cd "$dir" && exec setsid "$@" </dev/null >"$dir/$name.log" 2>&1 ) &
  echo $! > "$dir/$name.pid"
}

# stop_service NAME [PATTERN]: stop the process in NAME/NAME.pid (and any process whose command
# line matches PATTERN, for one started by an older script), TERM first, then KILL.
stop_service() {
  local name=$1 pattern=${2:-}
  local pids=() pid
  pid="$(cat "$STATEWARD_SERVICES_DIR/$name/$name.pid" 2>/dev/null || true)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && pids+=("$pid")
  if [ -n "$pattern" ]; then
    for pid in $(pgrep -f -- "$pattern" || true); do
      [[ " ${pids[*]} " == *" $pid "* ]] || pids+=("$pid")
    done
  fi
  [ "${#pids[@]}" -eq 0 ] && return 0
  say "$name: stopping ${pids[*]}"
  kill "${pids[@]}" 2>/dev/null || true
  local i
  for (( i = 0; i < 100; i++ )); do
    kill -0 "${pids[@]}" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -9 "${pids[@]}" 2>/dev/null || true
}

# log_tail NAME: the last lines of a service's log, for the reason it failed.
log_tail() { tail -n 20 "$STATEWARD_SERVICES_DIR/$1/$1.log" >&2 2>/dev/null || true; }
