"""``stateward serve``: an HTTP shell over :mod:`stateward.api`, as the CLI is a terminal one.

:func:`create_app` builds the ASGI application over one open store; :mod:`.run` binds it.
"""

from stateward.server.app import Settings, create_app

__all__ = ["Settings", "create_app"]
