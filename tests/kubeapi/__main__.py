"""``python -m tests.kubeapi KUBECONFIG [SECONDS]``: serve the recorded cluster for ``make demo``
until killed, the kubeconfig written to KUBECONFIG; after SECONDS (default 3), change it as a
person would: ``kubectl set env``-style on ConfigMap blee (field manager ``kubectl-set``), then
delete pod nginx with a grace period of 2 s."""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path

from tests.kubeapi.server import KubeAPI


def main(kubeconfig: str, after: float) -> None:
    api = KubeAPI().start()
    api.cluster.logs[("default", "nginx", "nginx")] = "started\nGET / 200\n"
    Path(kubeconfig).write_text(json.dumps(api.kubeconfig()))
    print(f"test API server at {api.url}", file=sys.stderr, flush=True)
    time.sleep(after)
    cluster = api.cluster
    cluster.patch(cluster.kinds[("", "configmaps")], "default", "blee",
                  {"data": {"LOG_LEVEL": "debug"}}, "kubectl-set")  # fmt: skip
    print("changed: ConfigMap default/blee LOG_LEVEL=debug (kubectl-set)", file=sys.stderr)
    time.sleep(1)
    cluster.delete(cluster.kinds[("", "pods")], "default", "nginx", grace=2)
    print("deleting: pod default/nginx, grace period 2 s", file=sys.stderr, flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 3.0)
