#!/usr/bin/env bash
# Debian's kubectl (package kubernetes-client), the real client the test Kubernetes API server
# (tests/kubeapi) is checked against. It is unpacked under the services folder rather than
# installed: a machine may already have another package owning /usr/bin/kubectl (the Google Cloud
# SDK's), and the tests must run the Debian one whatever else is on the PATH.
# Prints: export STATEWARD_TEST_KUBECTL=<path to kubectl>
set -euo pipefail
. "$(dirname "$0")/common.bash"

dir="$STATEWARD_SERVICES_DIR/kubectl"
kubectl="$dir/root/usr/bin/kubectl"

if ! "$kubectl" version --client >/dev/null 2>&1; then
  say "kubectl: unpacking Debian's kubernetes-client into $dir"
  rm -rf "$dir" && mkdir -p "$dir"
  if ! (cd "$dir" && apt-get download kubernetes-client >&2 2>/dev/null); then
    apt-get update -qq >&2 || exit 1
    (cd "$dir" && apt-get download kubernetes-client >&2) || exit 1
  fi
  dpkg-deb -x "$dir"/kubernetes-client_*.deb "$dir/root"
  "$kubectl" version --client >/dev/null || exit 1
fi
echo "export STATEWARD_TEST_KUBECTL=$kubectl"
