"""An object store started as a gateway to storage outside it keeps no objects of its own.

MinIO's ``minio gateway <backend>`` "adds Amazon S3 compatibility to third party cloud storage
providers" (https://github.com/minio/minio/blob/ba3b6ab2b49545e6849ade909f602415c9c7cf28/docs/gateway/README.md):
``minio gateway s3`` serves the buckets of AWS S3 or of the S3 service whose endpoint it is
given, and "the encrypted object is saved at the backend"
(https://github.com/minio/minio/blob/c14c4d5d73512577f840367ecf0037a9df1e031c/docs/gateway/s3.md);
Azure, GCS, HDFS and the other cloud backends alike. The gateway mode was deprecated in 2022
(https://blog.min.io/deprecation-of-the-minio-gateway/) but old manifests still run it. Its NAS
backend is the exception: ``minio gateway nas /shared/nasvol`` writes the objects to that path,
which is then the data directory, so it is not taken here.
"""

from __future__ import annotations

from stateward.analysis.audit.workloads import Container

__all__ = ["outside_backend"]

_LOCAL_BACKENDS = frozenset({"nas"})


def outside_backend(container: Container) -> str:
    """The backend a MinIO container is started as a gateway to, when that backend keeps the
    objects outside it ('' when it runs as a server, or as a NAS gateway)."""
    words = [w for arg in container.command for w in arg.split()]
    for before, after in zip(words, words[1:], strict=False):
        if before == "gateway" and not after.startswith("-"):
            return "" if after in _LOCAL_BACKENDS else after
    return ""
