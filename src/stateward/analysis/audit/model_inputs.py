"""A bind the program's own setting names as the model it loads: a data set the operator
downloads and hands it to read, not what the program writes.

LanguageTool takes its n-gram data as ``languageModel``, "a directory with '1grams', '2grams',
'3grams' sub directories" the operator downloads from languagetool.org; the erikvl87 image
passes every ``langtool_<field>`` variable to that configuration (``start.sh``) and its README
says to "[d]ownload the n-gram dataset(s) onto your local machine and unzip them into a local
ngrams directory", mounted at ``/ngrams`` with ``langtool_languageModel=/ngrams``
(https://github.com/Erikvl87/docker-languagetool/blob/c3b1b639d34683483e3da29e5d619a9444acac6d/README.md,
https://github.com/Erikvl87/docker-languagetool/blob/c3b1b639d34683483e3da29e5d619a9444acac6d/start.sh).
A variable named for a model (``…Model``, ``…_MODEL_PATH``, ``…_MODELS_DIR``) whose value is
a bind's target says what the folder is, whatever the folder is called (``/path/to/ngrams/data``):
input the program reads, as a folder named ``models`` is
(:data:`~stateward.analysis.audit.own_folders._NOT_OWN`). Read for binds only, the host folder
the operator fills: a named volume at a model path is left to the rules that read the program
(a model server downloading into its own volume).
"""

from __future__ import annotations

import re

from stateward.analysis.audit.workloads import Mount, Workload
from stateward.model.filepaths import at_or_under

__all__ = ["model_input"]

# camelCase and snake_case words of a variable's name
_WORDS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
_MODEL = frozenset({"model", "models"})
_PATH = frozenset({"path", "dir", "directory", "folder", "file"})


def _names_a_model(variable: str) -> bool:
    words = [w.lower() for w in _WORDS.findall(variable)]
    while words and words[-1] in _PATH:
        words.pop()
    return bool(words) and words[-1] in _MODEL


def model_input(workload: Workload, mount: Mount) -> str:
    """Why a bind holds a model the program only reads ('' when nothing says so)."""
    if mount.kind != "bind" or not mount.target.startswith("/"):
        return ""
    for container in workload.containers:
        if mount not in workload.mounts_of(container):
            continue
        for variable, value in container.env.items():
            path = value.strip()
            if (
                path.startswith("/")
                and _names_a_model(variable)
                and at_or_under(path, mount.target)
            ):
                return f"{variable}={path}: a model the program loads, supplied by the operator"
    return ""
