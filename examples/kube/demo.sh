#!/usr/bin/env bash
# make demo, live Kubernetes step: the test API server (tests/kubeapi) serves the example shop,
# running, as a cluster; `watch` records it, `kubectl set env deployment/checkout` is attributed
# to its field manager, and a pod deleted with a grace period is sealed as evidence before it goes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$here/../.."
sw="$repo/.venv/bin/stateward"
work=$(mktemp -d "${TMPDIR:-/tmp}/stateward-kube-demo.XXXXXX")
export STATEWARD_STORE="$work/store"
export KUBECONFIG="$work/kubeconfig"
export COLUMNS="${COLUMNS:-120}"

. "$here/../step.sh"

(cd "$repo" && exec .venv/bin/python -m tests.kubeapi "$KUBECONFIG" 2) &
server=$!
trap 'kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
until [ -s "$KUBECONFIG" ]; do sleep 0.1; done
cd "$work"

step "1. watch kube:// for 9 s: the whole state, then every change with its writer; a pod that ends is captured"
"$sw" watch kube:// --estate live --duration 9 --debounce 0.5

step "2. The timeline: each observation, its component changes and who made them"
"$sw" timeline --estate live

step "3. The evidence sealed from the deleted pod, in the ledger"
"$sw" evidence list
