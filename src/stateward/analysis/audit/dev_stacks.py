"""A mail catcher in a Compose project run from its checkout: what it holds is test mail.

A mail catcher (Mailpit, MailHog, MailDev) accepts any message sent to it and shows it in a web
page; kept in memory it loses them on replacement (:func:`~.knowledge.memory_by_default`). Where
the project binds its own directory (``.``) into a service, the application runs from the
checkout on the developer's machine: Laravel Sail's generated project binds ``.`` at
``/var/www/html`` (https://github.com/laravel/sail/blob/b78093b02c328d82e27cdacfb20568c49cd980c4/stubs/docker-compose.stub)
and adds Mailpit "to intercept emails sent by your application during local development"
(https://laravel.com/docs/11.x/sail#previewing-emails,
https://github.com/laravel/sail/blob/4f230634a3163f3442def6a4e6ffdb02b02e14d6/stubs/mailpit.stub).
There the catcher holds copies of mails a developer's test runs sent, which no one needs back
after a replacement. A project deployed from published images (Saleor's platform, a Kubernetes
estate) may keep the mails its users are shown, so it is left to the in-memory rule.
"""

from __future__ import annotations

from stateward.analysis.audit.estate import Estate
from stateward.analysis.audit.knowledge import repository
from stateward.analysis.audit.workloads import Workload

__all__ = ["catches_dev_mail"]

# Mailpit (https://mailpit.axllent.org/), MailHog (https://github.com/mailhog/MailHog) and
# MailDev (https://github.com/maildev/maildev): SMTP servers that deliver nowhere.
_MAIL_CATCHERS = frozenset(
    {"axllent/mailpit", "mailhog/mailhog", "maildev/maildev", "djfarrelly/maildev"}
)
_CHECKOUT = frozenset({".", "./"})


def catches_dev_mail(workload: Workload, estate: Estate) -> bool:
    """Whether ``workload`` is a mail catcher of a Compose project another service of which
    runs from the project's own directory (a bind of ``.``)."""
    if workload.platform != "compose" or not any(
        repository(c.image) in _MAIL_CATCHERS for c in workload.containers
    ):
        return False
    return any(
        m.kind == "bind" and m.source in _CHECKOUT
        for other in estate.compose_project(workload.namespace)
        if other.id != workload.id
        for m in other.mounts
    )
