"""``python -m tests.kubeapi KUBECONFIG [SECONDS]``: serve the example shop for ``make demo``
until killed, running (checkout's pods included), the kubeconfig written to KUBECONFIG (namespace
shop). SECONDS (default 2) after a client first watches Deployments (so that under any load
the change comes after the watch's list, not inside it), change it as a person would:
``kubectl set env deployment/checkout LOG_LEVEL=debug`` (field manager ``kubectl-set``), then
delete pod checkout-5d8-0 with a grace period of 2 s."""

from __future__ import annotations

import json
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from tests.kubeapi.server import KubeAPI
from tests.kubeapi.shop import apply_shop, run_checkout

DIGEST = "sha256:" + "4c" * 32


def main(kubeconfig: str, after: float) -> None:
    api = KubeAPI().start()
    apply_shop(api)
    started = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    first, _ = run_checkout(api, [(started, DIGEST), (started, DIGEST)])
    Path(kubeconfig).write_text(json.dumps(api.kubeconfig(namespace="shop")))
    print(f"test API server at {api.url}, serving the shop", file=sys.stderr, flush=True)
    while not any("/deployments?" in r and "watch=true" in r for r in list(api.requests)):
        time.sleep(0.05)
    time.sleep(after)
    cluster = api.cluster
    deployments = cluster.kinds[("apps", "deployments")]
    checkout = cluster.get(deployments, "shop", "checkout")
    container = checkout["spec"]["template"]["spec"]["containers"][0]
    container["env"] = [*container.get("env", []), {"name": "LOG_LEVEL", "value": "debug"}]
    cluster.update(checkout, "kubectl-set")
    print("changed: kubectl set env deployment/checkout LOG_LEVEL=debug", file=sys.stderr)
    time.sleep(1)
    cluster.delete(cluster.kinds[("", "pods")], "shop", first, grace=2)
    print(f"deleting: pod shop/{first}, grace period 2 s", file=sys.stderr, flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 2.0)
