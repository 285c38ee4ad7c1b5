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
