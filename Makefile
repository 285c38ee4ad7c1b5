# Stateward: two commands set everything up on a fresh machine: `make demo` and `make test`.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed

.PHONY: setup demo test lint typecheck pytest bench services services-reset docs clean fuzz

$(STAMP): pyproject.toml constraints.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev,postgres,engine,kube,server,host]'
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	bash examples/shop/demo.sh
	bash examples/host/demo.sh
	bash examples/kube/demo.sh
	@store="$${STATEWARD_DEMO_STORE:-.stateward/demo}"; \
	echo "Dashboard over the demo's store: .venv/bin/stateward serve --store $$store" >&2; \
	echo "  then open http://127.0.0.1:8080/login with a token from .venv/bin/stateward tokens create --role read --store $$store" >&2

lint: setup
	$(BIN)/ruff check src tests bench scripts examples
	$(BIN)/ruff format --check src tests bench scripts examples docs
	$(BIN)/lint-imports

typecheck: setup
	$(BIN)/mypy

services: setup
	bash scripts/services.sh

services-reset:
	bash scripts/services.sh reset

# PYTEST_WORKERS=2 runs the suite on two pytest-xdist workers, one per core of the 2-core machine
# it is timed on. Whole files go to a worker (--dist loadfile), so a module's fixtures (a server, a
# store) and the held-out audits cached in each process are built once, not once per worker. One
# process (0) stays the default until two workers have been green three runs in a row.
PYTEST_WORKERS ?= 0

pytest: setup services
	. scripts/services.env 2>/dev/null; $(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist loadfile

test: lint typecheck pytest

docs: setup
	$(BIN)/python -c "from stateward.cli import main; from stateward.cli.reference import render; \
	open('docs/cli.md', 'w').write(render(main))"

# Every parser entry point, 5,000 inputs each (about 15 min on 2 cores); new failing inputs are
# saved in tests/fuzz/corpus, which `make test` replays.
fuzz: setup
	STATEWARD_FUZZ=long $(BIN)/pytest -q tests/fuzz -p no:cacheprovider --hypothesis-show-statistics

bench: setup services
	. scripts/services.env 2>/dev/null; $(BIN)/python -m bench

clean:
	rm -rf $(VENV) .stateward .pytest_cache .mypy_cache .ruff_cache

.PHONY: soak
# kill -9 fault injection at length: 100 random kills of scan, capture and append per backend;
# then watch under 200 changes/s for 10 minutes (bench/soak_watch.py)
soak: setup services
	. scripts/services.env 2>/dev/null; STATEWARD_FAULT_TRIALS=100 $(BIN)/pytest -q tests/store/test_crash.py
	$(BIN)/python -m bench.soak_watch

.PHONY: image-test
# The container image built by Podman on a locally made Debian base, then run (minutes)
image-test: setup services
	. scripts/services.env 2>/dev/null; STATEWARD_TEST_IMAGE=1 $(BIN)/pytest -q tests/server/test_image.py
