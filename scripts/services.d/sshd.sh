#!/usr/bin/env bash
# OpenSSH's sshd on loopback for the ssh:// host source tests, and AIDE for the file-integrity
# comparison and rpm (to build a real rpm database for the host source): programs, not services,
# installed here so one setup brings every test tool.
# Key authentication only; the tests write their own public keys to $dir/authorized_keys.
# Prints: export STATEWARD_TEST_SSHD=127.0.0.1:<port> and STATEWARD_TEST_SSHD_DIR=<dir>
set -euo pipefail
. "$(dirname "$0")/common.bash"

port="${STATEWARD_SSHD_PORT:-52222}"
dir="$STATEWARD_SERVICES_DIR/sshd"

need_packages openssh-server aide rpm
mkdir -p "$dir"
# sshd refuses to start without its privilege-separation directory (sshd(8), /run/sshd)
mkdir -p /run/sshd && chmod 0755 /run/sshd
[ -s "$dir/host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$dir/host_ed25519_key"
touch "$dir/authorized_keys"
cat > "$dir/sshd_config" <<CONF
ListenAddress 127.0.0.1
Port $port
HostKey $dir/host_ed25519_key
PidFile $dir/sshd.pid.real
AuthorizedKeysFile $dir/authorized_keys
AuthenticationMethods publickey
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
CONF

healthy() { timeout 5 ssh-keyscan -T 3 -p "$port" 127.0.0.1 2>/dev/null | grep -q ssh-ed25519; }

if ! healthy; then
  stop_service sshd "sshd -D -f $dir/sshd_config"
  say "sshd: starting on 127.0.0.1:$port"
  start_detached sshd "$(command -v sshd || echo /usr/sbin/sshd)" -D -e -f "$dir/sshd_config"
  wait_for 30 healthy || { log_tail sshd; exit 1; }
fi
echo "export STATEWARD_TEST_SSHD=127.0.0.1:$port"
echo "export STATEWARD_TEST_SSHD_DIR=$dir"
