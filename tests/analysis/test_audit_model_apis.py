"""A model named beside the base URL of an API on another host runs there: the container loads
no weights at start (:func:`stateward.analysis.audit.rules.startup._served_model_api`). Small
hand-made estates, not copies of any held-out estate."""

from __future__ import annotations

import pytest

from .conftest import Auditor, rules_of

COMPOSE = """
services:
  worker:
    image: example.org/acme/agent:1
    environment:
      LLM_MODEL_NAME: acme-ai/chat-large
%s
"""


@pytest.mark.parametrize(
    ("extra", "fetches"),
    [
        ("", True),  # a hub's model id alone: downloaded at start
        ("      LLM_BASE_URL: https://api.provider.example/v1", False),
        ("      OPENAI_API_BASE: http://vllm:8000/v1", False),  # a model server of the project
        ("      LLM_BASE_URL: http://localhost:8000/v1", True),  # its own process, in the container
        ("      CALLBACK_URL: https://hooks.example/v1", True),  # no model API's base
    ],
)
def test_a_model_of_an_api_is_not_fetched(audit_files: Auditor, extra: str, fetches: bool) -> None:
    report = audit_files(**{"compose.yaml": COMPOSE % extra})
    assert ("STARTUP_FETCH" in rules_of(report, "worker")) is fetches
