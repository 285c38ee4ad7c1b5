#!/usr/bin/env bash
# A rootful Podman engine serving the Docker Engine API on a unix socket, configured entirely
# through files under $STATEWARD_SERVICES_DIR/podman (nothing in /etc is touched), and a small test
# image built locally (no registry is reachable): localhost/stateward-test/busybox:1.
#
# What makes Podman run on these machines (verified by the team): runc, not crun; cgroupfs, not
# systemd; and an OCI-runtime wrapper that drops process.rlimits from the bundle, because setting
# rlimits is not permitted here.
# Prints: export STATEWARD_TEST_ENGINE=unix://<sock>, CONTAINERS_CONF, CONTAINERS_STORAGE_CONF.
set -euo pipefail
. "$(dirname "$0")/common.bash"

dir="$STATEWARD_SERVICES_DIR/podman"
sock="$dir/podman.sock"
image="localhost/stateward-test/busybox:1"

need_packages podman runc conmon busybox-static containernetworking-plugins iptables python3
mkdir -p "$dir/root" "$dir/run" "$dir/tmp"

write_runtime_wrapper() {
  cat > "$dir/runc-wrapper" <<'WRAPPER'
#!/bin/sh
# OCI runtime wrapper: delete process.rlimits from the bundle's config.json (create/run) or the
# process spec (exec --process) and hand over to runc, which fails here when asked to set rlimits.
bundle=""; process=""; prev=""
for arg in "$@"; do
  case "$prev" in
    --bundle|-b) bundle="$arg" ;;
    --process|-p) process="$arg" ;;
  esac
  case "$arg" in
    --bundle=*) bundle="${arg#--bundle=}" ;;
    --process=*) process="${arg#--process=}" ;;
  esac
  prev="$arg"
done
strip() {
  [ -f "$1" ] || return 0
  # the system interpreter, isolated and without site: a shim in PATH (pyenv) costs ~0.05 CPU s a container
  /usr/bin/python3 -I -S - "$1" "$2" <<'PY'
import json, sys
path, where = sys.argv[1], sys.argv[2]
with open(path) as fh:
    spec = json.load(fh)
proc = spec.get("process", {}) if where == "config" else spec
if proc.pop("rlimits", None) is not None:
    with open(path, "w") as fh:
        json.dump(spec, fh)
PY
}
if [ -n "$bundle" ]; then strip "$bundle/config.json" config; fi
if [ -n "$process" ]; then strip "$process" process; fi
exec /usr/sbin/runc "$@"
WRAPPER
  chmod 755 "$dir/runc-wrapper"
}

write_configs() {
  cat > "$dir/containers.conf" <<CONF
# Written by scripts/services.d/podman.sh for the Stateward test engine.
[containers]
# Podman would set a default nofile/nproc ulimit; rlimits are not permitted on these machines.
default_ulimits = []
log_driver = "k8s-file"

[engine]
runtime = "stateward"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$dir/events.log"
tmp_dir = "$dir/tmp"
no_pivot_root = false

[engine.runtimes]
stateward = ["$dir/runc-wrapper"]
CONF
  cat > "$dir/storage.conf" <<CONF
[storage]
driver = "overlay"
graphroot = "$dir/root"
runroot = "$dir/run"
CONF
}

podman_() { CONTAINERS_CONF="$dir/containers.conf" CONTAINERS_STORAGE_CONF="$dir/storage.conf" podman "$@"; }

engine_answers() { curl -sf --max-time 5 --unix-socket "$sock" http://d/_ping >/dev/null; }

# The health check is a container's whole life through the API (create, start, wait, remove):
# an engine can answer _ping while every container start fails (for one, when the working
# directory it was started from has been deleted: conmon then fails to start).
engine_healthy() {
  engine_answers || { reason="no answer on $sock"; return 1; }
  local pid cwd
  for pid in $(pgrep -f -- "$service_cmd" || true); do
    cwd="$(readlink "/proc/$pid/cwd" || true)"
    # Healthy now, broken as soon as that checkout is deleted: move it home before that.
    [ "$cwd" = "$dir" ] || { reason="started from $cwd, not from $dir"; return 1; }
  done
  reason="$(timeout 60 podman --remote --url "unix://$sock" run --rm --label stateward.test=1 \
    "$image" true 2>&1)" || { reason="a test container does not run: ${reason:-timed out}"; return 1; }
}

service_cmd="podman system service --time=0 unix://$sock"

start_service() {
  say "podman: starting API service on $sock"
  rm -f "$sock"
  CONTAINERS_CONF="$dir/containers.conf" CONTAINERS_STORAGE_CONF="$dir/storage.conf" \
    start_detached podman $service_cmd
  wait_for 30 engine_answers || { log_tail podman; return 1; }
}

build_image() {
  podman_ image exists "$image" && return 0
  say "podman: building $image from busybox-static"
  local rootfs="$dir/tmp/rootfs"
  rm -rf "$rootfs"
  mkdir -p "$rootfs"/{bin,etc,tmp,root,data,var/log,proc,sys,dev}
  cp /bin/busybox "$rootfs/bin/busybox"
  local applet
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$rootfs/bin/$applet"
  done
  echo 'root:x:0:0:root:/root:/bin/sh' > "$rootfs/etc/passwd"
  echo 'root:x:0:' > "$rootfs/etc/group"
  tar -C "$rootfs" -cf "$dir/tmp/rootfs.tar" .
  podman_ import --change 'CMD ["/bin/sh"]' --change 'ENV PATH=/bin' \
    "$dir/tmp/rootfs.tar" "$image" >&2
  rm -rf "$rootfs" "$dir/tmp/rootfs.tar"
}

need_packages curl
write_runtime_wrapper
write_configs
build_image
reason=""
if ! engine_healthy; then
  [ -S "$sock" ] && say "podman: engine unhealthy ($reason); restarting"
  stop_service podman "$service_cmd"
  start_service
  engine_healthy || { say "podman: engine still unhealthy: $reason"; log_tail podman; exit 1; }
fi
echo "export CONTAINERS_CONF=$dir/containers.conf"
echo "export CONTAINERS_STORAGE_CONF=$dir/storage.conf"
echo "export STATEWARD_TEST_ENGINE=unix://$sock"
