# warraq: `make` sets everything up and builds the sample editions; `make test` runs the suite.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: all setup editions test test-fast lint typecheck unit bench clean

all: editions

$(STAMP): pyproject.toml scripts/setup.sh
	bash scripts/setup.sh
	touch $(STAMP)

setup: $(STAMP)

# The sample's catalogs are complete, so this leaves build/france-qatar-security.ar-fr.pdf,
# .ar-en.pdf, .ar-fr.epub and .ar-en.epub (offline: no translation model is needed).
editions: $(STAMP)
	$(BIN)/warraq build

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

test: lint typecheck unit

# The suite without the tests marked slow (full editions, external tools): for the edit-test loop.
test-fast: lint typecheck
	$(BIN)/pytest -m "not slow" -q

# Speed and memory, measured side by side (about 35 minutes on 2 cores, estimated from the
# parts timed one by one; `--only PART` runs one): prints a table and
# writes build/bench.json; benchmarks/README.md explains every figure.
bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache .hypothesis
