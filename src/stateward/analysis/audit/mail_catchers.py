"""Mail catchers: SMTP servers that deliver nowhere and show what they caught in a web page.

Each family's own documentation calls it a tool for testing mail, not a mailbox: what it holds
is a copy of a message an application sent, kept so that someone can look at it, while the
mail a user must keep is delivered by a real relay. Its in-memory store (the default of most:
:func:`~stateward.analysis.audit.knowledge.memory_by_default`) is lost on replacement, but the
loss is of test mail, which is why its in-memory finding is never high (a project deployed from
published images may still show users what it caught, so the finding stays: saleor-platform's
table rates Mailpit ``data``, bagisto's and easyappointments' ``none``).

- Mailpit, "an email & SMTP testing tool with API for developers" (https://mailpit.axllent.org/);
- MailHog, "Web and API based SMTP testing" (https://github.com/mailhog/MailHog);
- MailDev, "SMTP Server + Web Interface for viewing and testing emails during development"
  (https://github.com/maildev/maildev); ``djfarrelly/maildev`` is its older image name;
- smtp4dev, "a dummy SMTP server for Windows, Linux, Mac OS-X (and maybe elsewhere where .NET
  Core is available)... for development and testing" (https://github.com/rnwood/smtp4dev);
- MailCatcher, "catches any message sent to it to display in a web interface"
  (https://mailcatcher.me/), images ``schickling/mailcatcher`` and ``sj26/mailcatcher``;
- Inbucket, "an email testing service" (https://github.com/inbucket/inbucket);
- MailCrab, "Email test server for development" (https://github.com/tweedegolf/mailcrab),
  image ``marlonb/mailcrab``;
- GreenMail, "an open source, intuitive and easy-to-use test suite of email servers for testing
  purposes" (https://greenmail-mail-test.github.io/greenmail/), image ``greenmail/standalone``.
"""

from __future__ import annotations

from stateward.analysis.audit.knowledge import repository
from stateward.analysis.audit.workloads import Workload

__all__ = ["CATCHERS", "mail_catcher"]

CATCHERS: dict[str, str] = {
    "axllent/mailpit": "Mailpit",
    "mailhog/mailhog": "MailHog",
    "maildev/maildev": "MailDev",
    "djfarrelly/maildev": "MailDev",
    "rnwood/smtp4dev": "smtp4dev",
    "schickling/mailcatcher": "MailCatcher",
    "sj26/mailcatcher": "MailCatcher",
    "inbucket/inbucket": "Inbucket",
    "marlonb/mailcrab": "MailCrab",
    "greenmail/standalone": "GreenMail",
}
"""Image repository (registry host, tag and digest left off) -> the catcher it runs."""


def mail_catcher(workload: Workload) -> str:
    """The mail catcher every container of ``workload`` runs ('' when one runs something else)."""
    names = {CATCHERS.get(repository(c.image), "") for c in workload.containers}
    return names.pop() if len(names) == 1 else ""
