"""A Laravel application told to keep its files on one of its local disks.

Laravel's filesystem configuration defines two disks of the ``local`` driver, rooted in the
application's own storage directory: ``local`` at ``storage_path('app')`` and ``public`` at
``storage_path('app/public')``; the default disk is read from ``FILESYSTEM_DRIVER``
(https://github.com/laravel/laravel/blob/2c4fa1ab2815fd10f6e797f76c407a5fddb294aa/config/filesystems.php),
``FILESYSTEM_DISK`` from Laravel 9 on (https://laravel.com/docs/11.x/filesystem#the-local-driver:
"When using the local driver, all file operations are relative to the root directory defined in
your filesystems configuration file"). Applications name further disk settings the same way
(``PUBLIC_FILESYSTEM_DISK``, ``FILESYSTEM_PUBLIC_DISK``). A variable of that form set to one of
those two disks says the application writes the files it is given (uploads, attachments) to
``storage/app`` under its base directory. Where that directory is in the image is the image's
own choice, so the path stays relative to the working directory
(:func:`~stateward.analysis.audit.appdata.data_pointers`).

A Laravel Sail service (marked ``LARAVEL_SAIL``,
https://github.com/laravel/sail/blob/b78093b02c328d82e27cdacfb20568c49cd980c4/stubs/docker-compose.stub)
runs the application from its checkout at ``/var/www/html``, the runtime image's ``WORKDIR``
(https://github.com/laravel/sail/blob/e81a7bd7ac1a745ccb25572830fecf74a89bb48a/runtimes/8.3/Dockerfile).
Given no disk setting in its environment (the project's ``.env`` is read by the application,
not by Compose), it writes to the default disk, ``local``
(``'default' => env('FILESYSTEM_DISK', 'local')`` in the configuration above): its
``storage/app`` there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

__all__ = ["local_disks"]

_DISK_SETTING = re.compile(r"^(\w+_)?FILESYSTEM_(\w+_)?(DISK|DRIVER)$")
_LOCAL_DISKS = frozenset({"local", "public"})
_STORAGE_APP = "storage/app"


_SAIL = "LARAVEL_SAIL"
_SAIL_ROOT = "/var/www/html"


def local_disks(env: Mapping[str, str]) -> Iterator[tuple[str, str]]:
    """(``storage/app``, variable) for each Laravel disk setting of ``env`` (a container's
    environment) naming a local disk; for a Sail service with none, its default disk's directory
    under the checkout."""
    sail = _SAIL in env
    where = f"{_SAIL_ROOT}/{_STORAGE_APP}" if sail else _STORAGE_APP
    settings = {n: v for n, v in env.items() if _DISK_SETTING.match(n)}
    for name, value in settings.items():
        if value.strip().strip("\"'").lower() in _LOCAL_DISKS:
            yield where, name
    if not settings and sail:
        yield where, f"{_SAIL} (the default disk, local)"
