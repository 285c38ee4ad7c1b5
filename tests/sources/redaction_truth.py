"""Hand-written truth for the redaction precision measure, on a held-out sample of the corpus.

Written by reading the files before the detection rules were run on them, and not used to tune
the rules. Each entry names a resource (``kind/name`` as the source reports it), a path into its
body (an ``env`` list item by its name: ``env.NAME``) and how many secret values that leaf holds (more than one only for an embedded config text).
Every other leaf of these files holds no secret: a digest there is a false redaction.
"""

from __future__ import annotations

SAMPLE = (
    "awesome-compose/nextcloud-redis-mariadb/compose.yaml",
    "awesome-compose/gitea-postgres/compose.yaml",
    "awesome-compose/pihole-cloudflared-DoH/compose.yaml",
    "istio-bookinfo/platform/kube/bookinfo-mysql.yaml",
    "kubernetes-examples/_archived/storage/minio/minio-standalone-deployment.yaml",
    "example-voting-app/docker-compose.yml",
    "otel-demo/kubernetes/opentelemetry-demo.yaml",
)

# (kind/name, path, secrets in that leaf)
SECRETS: tuple[tuple[str, str, int], ...] = (
    ("Service/nc", "environment.MYSQL_PASSWORD", 1),
    ("Service/db", "environment.MYSQL_ROOT_PASSWORD", 1),  # nextcloud-redis-mariadb
    ("Service/db", "environment.MYSQL_PASSWORD", 1),
    ("Service/gitea", "environment.DB_PASSWD", 1),
    ("Service/db", "environment.POSTGRES_PASSWORD", 1),  # gitea-postgres and voting app
    ("Service/pihole", "environment.WEBPASSWORD", 1),  # empty after interpolation
    ("Secret/mysql-credentials", "data.rootpasswd", 1),
    # MinIO calls both the root user credentials; the access key is the user half.
    ("Deployment/minio-deployment", "env.MINIO_ACCESS_KEY", 1),
    ("Deployment/minio-deployment", "env.MINIO_SECRET_KEY", 1),
    ("Secret/grafana", "data.admin-user", 1),
    ("Secret/grafana", "data.admin-password", 1),
    ("Secret/grafana", "data.ldap-toml", 1),
    ("ConfigMap/otel-collector", "data.relay", 1),  # `password: otel` of the postgresql receiver
    ("Deployment/flagd", "env.SECRET_KEY_BASE", 1),
    ("Deployment/postgresql", "env.POSTGRES_PASSWORD", 1),
    # Missed when the table was first written; found by the first run: the connection string
    # ``Host=postgresql;Username=otelu;Password=otelp;Database=otel`` holds a password.
    ("Deployment/accounting", "env.DB_CONNECTION_STRING", 1),
)
