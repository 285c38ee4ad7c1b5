"""Debian's nginx serving a directory on a loopback port, as the reference the server's tiles
are measured against: a minimal config in a temp prefix, ``daemon off;`` in a subprocess
(https://nginx.org/en/docs/ngx_core_module.html#daemon), stopped by its own process id."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.debian import tool
from bench.served import answering, free_port

CONFIG = """
daemon off;
worker_processes {workers};
pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/tmp;
    proxy_temp_path {prefix}/tmp;
    fastcgi_temp_path {prefix}/tmp;
    uwsgi_temp_path {prefix}/tmp;
    scgi_temp_path {prefix}/tmp;
    default_type application/octet-stream;
    server {{
        listen 127.0.0.1:{port};
        root {root};
    }}
}}
"""


def binary() -> str | None:
    """nginx's path, installing Debian's nginx-light when apt-get can; None when neither works."""
    return tool("nginx", "nginx-light")


@contextmanager
def serving(nginx: str, root: Path, prefix: Path, workers: int = 1) -> Iterator[str]:
    """nginx serving ``root`` on a free loopback port with ``workers`` processes; its base
    URL."""
    port = free_port()
    Path(prefix, "tmp").mkdir(parents=True)
    conf = Path(prefix, "nginx.conf")
    conf.write_text(CONFIG.format(prefix=prefix, port=port, root=root, workers=workers))
    process = subprocess.Popen([nginx, "-c", str(conf), "-p", str(prefix)])
    url = f"http://127.0.0.1:{port}"
    try:
        answering(url + "/", process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
