"""A bind the program's own setting names as the model it loads is input the operator downloads,
not what the program keeps (LanguageTool's n-gram data set: ``langtool_languageModel=/ngrams``)."""

from __future__ import annotations

import pytest
from tests.analysis.conftest import Auditor, effect_of_one

from stateward.analysis.audit import Effect


def _compose(variable: str, target: str = "/ngrams", source: str = "/srv/ngrams/data") -> str:
    return f"""\
        services:
          checker:
            image: example/checker:1
            environment: ['{variable}']
            volumes: ['{source}:{target}']
        """


@pytest.mark.parametrize(
    "variable",
    [
        "langtool_languageModel=/ngrams",
        "LANGUAGE_MODEL_PATH=/ngrams/en",  # a file or folder inside the bind
        "CHECKER_MODELS_DIR=/ngrams/",
    ],
)
def test_a_bind_named_as_the_model_is_read_input(audit_files: Auditor, variable: str) -> None:
    report = audit_files(**{"compose.yaml": _compose(variable)})
    assert effect_of_one(report, "COMPOSE_BIND", "/ngrams") is Effect.CONTEXT


@pytest.mark.parametrize(
    "variable",
    [
        "langtool_cacheDir=/ngrams",  # a setting that is not a model says nothing
        "LANGUAGE_MODEL=/elsewhere",  # a model outside the bind
        "MODEL_NAME=en-large",  # a model named, not a path
        "langtool_languageModel=/ngramsx",  # a sibling path, not under the bind
    ],
)
def test_other_settings_leave_the_bind_kept(audit_files: Auditor, variable: str) -> None:
    report = audit_files(**{"compose.yaml": _compose(variable)})
    assert effect_of_one(report, "COMPOSE_BIND", "/ngrams") is Effect.DURABLE
