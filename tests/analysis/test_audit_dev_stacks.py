"""A mail catcher of a Compose project run from its checkout holds a developer's test mail."""

from __future__ import annotations

import pytest
from tests.analysis.conftest import Auditor, rules_of

_APP = """\
  app:
    build: .
    volumes: ['{source}:/var/www/html']
    depends_on: [mail]
"""


@pytest.mark.parametrize("image", ["axllent/mailpit:v1.7", "mailhog/mailhog", "maildev/maildev"])
def test_a_mail_catcher_beside_an_app_run_from_the_checkout_keeps_nothing(
    audit_files: Auditor, image: str
) -> None:
    compose = f"services:\n{_APP.format(source='.')}  mail:\n    image: {image}\n"
    report = audit_files(**{"compose.yaml": compose})
    assert "IN_PROCESS_STORE" not in rules_of(report, "mail")
    (mail,) = [c for c in report.components if c.name == "mail"]
    assert str(mail.loss) == "none"


@pytest.mark.parametrize("source", ["./src", "/srv/app"])
def test_a_mail_catcher_beside_an_app_bound_elsewhere_still_loses_its_mails(
    audit_files: Auditor, source: str
) -> None:
    # a bind of a folder, not the project's own directory: nothing says it runs from a checkout
    compose = f"services:\n{_APP.format(source=source)}  mail:\n    image: axllent/mailpit\n"
    report = audit_files(**{"compose.yaml": compose})
    assert "IN_PROCESS_STORE" in rules_of(report, "mail")


def test_a_catcher_alone_in_a_project_of_published_images_still_loses_its_mails(
    audit_files: Auditor,
) -> None:
    compose = """\
        services:
          api:
            image: ghcr.io/saleor/saleor:3.22
            environment: [EMAIL_URL=smtp://mailpit:1025]
          mailpit:
            image: axllent/mailpit
        """
    report = audit_files(**{"compose.yaml": compose})
    assert "IN_PROCESS_STORE" in rules_of(report, "mailpit")


def test_the_checkout_of_another_project_says_nothing_of_this_one(audit_files: Auditor) -> None:
    dev = f"services:\n{_APP.format(source='.')}  mail:\n    image: mailhog/mailhog\n"
    other = "services:\n  mail:\n    image: mailhog/mailhog\n"
    report = audit_files(**{"dev__compose.yaml": dev, "other__compose.yaml": other})
    held = {f.component for f in report.findings if f.rule == "IN_PROCESS_STORE"}
    assert len(held) == 1 and "other" in next(iter(held))
