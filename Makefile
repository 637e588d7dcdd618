# Accord. `make run` serves the console with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | sha1sum | cut -c1-12)
PYTEST_ARGS ?=

.PHONY: install run serve test lint test-python test-postgres browser-deps bench clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install -q --disable-pip-version-check --upgrade pip
	@$(BIN)/pip install -q --disable-pip-version-check -c constraints.txt -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $@

run: install
	@$(BIN)/accord setup
	@$(BIN)/accord serve

serve: install
	@$(BIN)/accord serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy accord

# The whole suite on the configured database (SQLite by default; ACCORD_TEST_DB=postgres starts
# a local PostgreSQL), browser tests included (Debian's chromium must be installed: see .ci/run).
test: install lint
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

test-postgres:
	ACCORD_TEST_DB=postgres $(MAKE) test

bench: install
	$(BIN)/accord bench

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
