# warraq: `make` sets everything up and builds the sample editions; `make test` runs the suite.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: all setup editions test lint typecheck unit bench clean

all: editions

$(STAMP): pyproject.toml scripts/setup.sh
	bash scripts/setup.sh
	touch $(STAMP)

setup: $(STAMP)

editions: $(STAMP)
	$(BIN)/warraq structure seeds/france-qatar-security.ar.txt
	@echo "make: the renderers do not exist yet; stopped after structuring the sample."

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

test: lint typecheck unit

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache .hypothesis
